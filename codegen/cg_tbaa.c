/* cg_tbaa.c — type-based alias tags on the loads and stores of array
 * lengths and elements.
 *
 * Without them LLVM must assume that storing an element of the array a
 * loop is filling may change the length or the row pointers it reads, so
 * a stencil's inner loop reloaded g[i - 1], its length and every bounds
 * check per cell. What qualifies: a load of the length field (strings and
 * arrays keep it at offset 8) is tagged "len"; a scalar element (i64, f64,
 * a pointer, i32, i8, i1) is tagged with its LLVM type. Safe because those
 * are different memory: a length lives in a header, which codegen never
 * writes (the runtime sets it, in code compiled apart), and an element is
 * accessed as its own type. The one exception is a map that writes its
 * results over its input (`[i64]` to `[f64]` in place, cg_array.c): there
 * slot i is read as the old type before it is written as the new one, and
 * the written value depends on the read, so no reordering can pass it.
 * Accesses left untagged (headers'
 * counts, tuple elements as a whole, box fields, environments) may alias
 * anything, as before. */
#include "cg_internal.h"

#include <string.h>

enum { TBAA_LEN, TBAA_I64, TBAA_F64, TBAA_PTR, TBAA_I32, TBAA_I8, TBAA_I1, TBAA_COUNT };
_Static_assert(TBAA_COUNT <= CG_TBAA_TAGS, "Cg.tbaa has a slot per tag");

static const char *const tbaa_names[TBAA_COUNT] = {"pel len", "pel i64", "pel f64", "pel ptr",
                                                   "pel i32", "pel i8",  "pel i1"};

static LLVMMetadataRef md_str(Cg *cg, const char *s) { return LLVMMDStringInContext2(cg->ctx, s, strlen(s)); }

static LLVMMetadataRef md_i64(Cg *cg, long long v) {
    return LLVMValueAsMetadata(LLVMConstInt(cg->t_i64, (unsigned long long)v, 0));
}

/* the access tag { type, type, offset 0 } of a scalar type under PEL's root */
static LLVMValueRef tag(Cg *cg, int k) {
    if (!cg->tbaa[k]) {
        if (!cg->tbaa_root) {
            LLVMMetadataRef name = md_str(cg, "pel tbaa");
            cg->tbaa_root = LLVMMDNodeInContext2(cg->ctx, &name, 1);
        }
        LLVMMetadataRef ty_ops[3] = {md_str(cg, tbaa_names[k]), cg->tbaa_root, md_i64(cg, 0)};
        LLVMMetadataRef ty = LLVMMDNodeInContext2(cg->ctx, ty_ops, 3);
        LLVMMetadataRef tag_ops[3] = {ty, ty, md_i64(cg, 0)};
        cg->tbaa[k] = LLVMMetadataAsValue(cg->ctx, LLVMMDNodeInContext2(cg->ctx, tag_ops, 3));
    }
    return cg->tbaa[k];
}

static void set_tag(Cg *cg, LLVMValueRef access, int k) {
    LLVMSetMetadata(access, LLVMGetMDKindIDInContext(cg->ctx, "tbaa", 4), tag(cg, k));
}

void cg_tbaa_len(Cg *cg, LLVMValueRef load) { set_tag(cg, load, TBAA_LEN); }

void cg_tbaa_elem(Cg *cg, LLVMValueRef access, LLVMTypeRef t) {
    int k = -1;
    if (t == cg->t_i64) k = TBAA_I64;
    else if (t == cg->t_f64) k = TBAA_F64;
    else if (t == cg->t_ptr) k = TBAA_PTR;
    else if (t == cg->t_i32) k = TBAA_I32;
    else if (t == cg->t_i8) k = TBAA_I8;
    else if (t == cg->t_i1) k = TBAA_I1;
    if (k >= 0) set_tag(cg, access, k);
}

LLVMValueRef cg_load_elem(FnCtx *f, LLVMValueRef arr, LLVMValueRef i, const Type *elem, const char *name) {
    Cg *cg = f->cg;
    LLVMTypeRef t = cg_type(cg, elem);
    LLVMValueRef v = LLVMBuildLoad2(cg->b, t, cg_elem_ptr(f, arr, i, elem), name);
    cg_tbaa_elem(cg, v, t);
    return v;
}

void cg_store_elem(FnCtx *f, LLVMValueRef v, LLVMValueRef arr, LLVMValueRef i, const Type *elem) {
    Cg *cg = f->cg;
    LLVMValueRef st = LLVMBuildStore(cg->b, v, cg_elem_ptr(f, arr, i, elem));
    cg_tbaa_elem(cg, st, cg_type(cg, elem));
}
