/* cg_data.c — values of user-defined types (spec 3.1) in memory.
 *
 * A record is its fields by value, an LLVM struct exactly like a tuple's
 * (cg_type), so arrays of records are stored unboxed and a record passed to
 * a task is copied into the frame with its references counted once.
 *
 * A variant value is a pointer to a box (pel_rt.h, PelBox): { rc, tag,
 * fields... }, one LLVM struct type per constructor. A constructor
 * without fields is an immortal constant box, so every value is a pointer
 * and a match reads the tag the same way for all of them; a type none of
 * whose constructors has fields is never counted at all (cg_managed). Boxes
 * are shared, never copied: a value is immutable, so a tree handed to
 * another task is one pointer and one count.
 *
 * Per variant type, three functions are generated on first use, because
 * the type may be recursive: drop (releases the fields of the box's
 * constructor; the runtime queues boxes that die meanwhile, so freeing a
 * long chain takes constant stack), structural equality and formatting. */
#include <stdio.h>
#include <string.h>

#include "cg_internal.h"

static CgData *data_of(Cg *cg, const TypeDecl *d) {
    for (int i = 0; i < cg->ndata; i++)
        if (cg->data[i].decl == d) return &cg->data[i];
    if (cg->ndata == cg->cap_data) {
        int cap = cg->cap_data ? cg->cap_data * 2 : 8;
        CgData *grown = ARENA_ARRAY(&cg->arena, CgData, cap);
        if (cg->ndata) memcpy(grown, cg->data, sizeof *grown * (size_t)cg->ndata);
        cg->data = grown;
        cg->cap_data = cap;
    }
    CgData *x = &cg->data[cg->ndata++];
    memset(x, 0, sizeof *x);
    x->decl = d;
    x->nullary = ARENA_ARRAY(&cg->arena, LLVMValueRef, d->nctors + 1);
    x->ctor_fn = ARENA_ARRAY(&cg->arena, LLVMValueRef, d->nctors + 1);
    return x;
}

LLVMTypeRef cg_box_type(Cg *cg, const Ctor *k) {
    int n = 2 + k->nfields;
    LLVMTypeRef *items = ARENA_ARRAY(&cg->arena, LLVMTypeRef, n);
    items[0] = cg->t_i64;
    items[1] = cg->t_i64; /* tag and size class, two i32 */
    for (int i = 0; i < k->nfields; i++) items[2 + i] = cg_type(cg, k->fields[i]);
    return LLVMStructTypeInContext(cg->ctx, items, (unsigned)n, 0);
}

/* The generated function `pel.<what>.<Type>` of a declaration. Those of
 * a type that holds a long chain of others (TypeDecl.depth) are not
 * inlined: each would bring its parts' loops over arrays into its own, and
 * LLVM's loop passes take time superlinear in a nest of hundreds. */
#define CG_INLINE_TYPE_DEPTH 16

static LLVMValueRef data_fn_begin(Cg *cg, const char *what, const TypeDecl *d, LLVMTypeRef fty, FnCtx *h,
                                  LLVMBasicBlockRef *resume) {
    char name[300];
    snprintf(name, sizeof name, "pel.%s.%.200s", what, d->name);
    LLVMValueRef fn = cg_helper_begin(cg, name, fty, h, resume);
    if (d->depth > CG_INLINE_TYPE_DEPTH)
        LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
                                LLVMCreateEnumAttribute(cg->ctx, LLVMGetEnumAttributeKindForName("noinline", 8), 0));
    return fn;
}

LLVMValueRef cg_box_tag(FnCtx *f, LLVMValueRef v) {
    Cg *cg = f->cg;
    LLVMValueRef p = LLVMBuildGEP2(cg->b, cg->t_i8, v, (LLVMValueRef[]){LLVMConstInt(cg->t_i64, 8, 0)}, 1, "");
    LLVMValueRef tag = LLVMBuildLoad2(cg->b, cg->t_i32, p, "tag");
    /* boxes are immutable once built: the tag never changes under us */
    LLVMSetMetadata(tag, LLVMGetMDKindIDInContext(cg->ctx, "invariant.load", 14), LLVMMDNodeInContext(cg->ctx, NULL, 0));
    return tag;
}

LLVMValueRef cg_box_field(FnCtx *f, const Ctor *k, LLVMValueRef v, int i) {
    Cg *cg = f->cg;
    LLVMTypeRef bt = cg_box_type(cg, k);
    LLVMValueRef p = LLVMBuildStructGEP2(cg->b, bt, v, (unsigned)(2 + i), "");
    return LLVMBuildLoad2(cg->b, cg_type(cg, k->fields[i]), p, k->name);
}

/* Calls fn(tag) once per constructor in a switch on v's tag; each case
 * ends in a branch to the returned block. */
typedef void (*CaseFn)(FnCtx *f, const Ctor *k, void *ctx);
static LLVMBasicBlockRef switch_tag(FnCtx *f, const TypeDecl *d, LLVMValueRef tag, CaseFn fn, void *ctx) {
    Cg *cg = f->cg;
    LLVMBasicBlockRef done = cg_new_block(f, "tag.done");
    LLVMBasicBlockRef bad = cg_new_block(f, "tag.bad");
    LLVMValueRef sw = LLVMBuildSwitch(cg->b, tag, bad, (unsigned)d->nctors);
    for (int i = 0; i < d->nctors; i++) {
        LLVMBasicBlockRef bb = cg_new_block(f, d->ctors[i]->name);
        LLVMAddCase(sw, LLVMConstInt(cg->t_i32, (unsigned long long)i, 0), bb);
        LLVMPositionBuilderAtEnd(cg->b, bb);
        fn(f, d->ctors[i], ctx);
        if (!cg_terminated(cg)) LLVMBuildBr(cg->b, done);
    }
    LLVMPositionBuilderAtEnd(cg->b, bad);
    LLVMBuildUnreachable(cg->b);
    LLVMPositionBuilderAtEnd(cg->b, done);
    return done;
}

/* ---- drop ---------------------------------------------------------------------- */

typedef struct DropCtx {
    LLVMValueRef box;
} DropCtx;

static void drop_case(FnCtx *f, const Ctor *k, void *ctx) {
    DropCtx *c = ctx;
    for (int i = 0; i < k->nfields; i++)
        if (cg_managed(k->fields[i])) cg_release(f, cg_box_field(f, k, c->box, i), k->fields[i]);
}

LLVMValueRef cg_box_drop_fn(Cg *cg, const TypeDecl *d) {
    CgData *x = data_of(cg, d);
    if (x->drop) return x->drop;
    bool any = false;
    for (int i = 0; i < d->nctors; i++)
        for (int j = 0; j < d->ctors[i]->nfields; j++) any |= cg_managed(d->ctors[i]->fields[j]);
    if (!any) return x->drop = LLVMConstNull(cg->t_ptr);
    FnCtx f;
    LLVMBasicBlockRef resume;
    x->drop = data_fn_begin(cg, "drop", d, cg_rt_cb_type(cg, RT_CB_BoxDropFn), &f, &resume);
    DropCtx c = {LLVMGetParam(x->drop, 0)};
    switch_tag(&f, d, cg_box_tag(&f, c.box), drop_case, &c);
    LLVMBuildRetVoid(cg->b);
    cg_helper_end(cg, resume);
    return x->drop;
}

/* ---- construction ----------------------------------------------------------------- */

LLVMValueRef cg_ctor(FnCtx *f, const Ctor *k, LLVMValueRef *fields) {
    Cg *cg = f->cg;
    CgData *x = data_of(cg, k->owner);
    if (k->nfields == 0) {
        if (!x->nullary[k->tag]) {
            LLVMValueRef items[3] = {LLVMConstInt(cg->t_i64, (unsigned long long)PEL_RC_STATIC, 1),
                                     LLVMConstInt(cg->t_i32, (unsigned long long)k->tag, 0),
                                     LLVMConstInt(cg->t_i32, 0, 0)};
            LLVMValueRef init = LLVMConstStructInContext(cg->ctx, items, 3, 0);
            char name[300];
            snprintf(name, sizeof name, "pel.%.200s.%.80s", k->owner->name, k->name);
            LLVMValueRef g = LLVMAddGlobal(cg->mod, LLVMTypeOf(init), name);
            LLVMSetInitializer(g, init);
            LLVMSetGlobalConstant(g, 1);
            LLVMSetLinkage(g, LLVMPrivateLinkage);
            LLVMSetAlignment(g, 8);
            x->nullary[k->tag] = g;
        }
        return x->nullary[k->tag];
    }
    LLVMTypeRef bt = cg_box_type(cg, k);
    LLVMValueRef args[2] = {LLVMSizeOf(bt), LLVMConstInt(cg->t_i32, (unsigned long long)k->tag, 0)};
    LLVMValueRef box = cg_rt_call_at(f, RT_box_new, args);
    for (int i = 0; i < k->nfields; i++)
        LLVMBuildStore(cg->b, fields[i], LLVMBuildStructGEP2(cg->b, bt, box, (unsigned)(2 + i), ""));
    return box;
}

/* ---- equality ---------------------------------------------------------------------- */

/* Does a value of type t hold an f64 (nan != nan: the same box need not
 * equal itself)? Each declaration is looked into once. */
static bool holds_f64(const Type *t, const TypeDecl **seen, int *nseen) {
    if (t->kind == TY_F64) return true;
    if (t->kind == TY_ARRAY) return holds_f64(t->elem, seen, nseen);
    if (t->kind == TY_RECORD || t->kind == TY_VARIANT) {
        for (int i = 0; i < *nseen; i++)
            if (seen[i] == t->decl) return false;
        if (*nseen == 64) return true; /* deeper than any program's types: assume so */
        seen[(*nseen)++] = t->decl;
    }
    if (t->kind == TY_TUPLE || t->kind == TY_RECORD)
        for (int i = 0; i < t->n; i++)
            if (holds_f64(t->items[i], seen, nseen)) return true;
    if (t->kind == TY_VARIANT)
        for (int k = 0; k < t->decl->nctors; k++)
            for (int i = 0; i < t->decl->ctors[k]->nfields; i++)
                if (holds_f64(t->decl->ctors[k]->fields[i], seen, nseen)) return true;
    return false;
}

typedef struct EqCtx {
    LLVMValueRef a, b, res;
} EqCtx;

static void eq_case(FnCtx *f, const Ctor *k, void *ctx) {
    EqCtx *c = ctx;
    Cg *cg = f->cg;
    LLVMValueRef all = LLVMConstInt(cg->t_i1, 1, 0);
    for (int i = 0; i < k->nfields; i++)
        all = LLVMBuildAnd(cg->b, all,
                           cg_equal(f, cg_box_field(f, k, c->a, i), cg_box_field(f, k, c->b, i), k->fields[i]), "");
    LLVMBuildStore(cg->b, all, c->res);
}

LLVMValueRef cg_equal_variant(FnCtx *f, LLVMValueRef a, LLVMValueRef b, const Type *t) {
    Cg *cg = f->cg;
    CgData *x = data_of(cg, t->decl);
    LLVMTypeRef fty = LLVMFunctionType(cg->t_i1, (LLVMTypeRef[]){cg->t_ptr, cg->t_ptr}, 2, 0);
    if (!x->eq) {
        FnCtx h;
        LLVMBasicBlockRef resume;
        x->eq = data_fn_begin(cg, "eq", t->decl, fty, &h, &resume);
        EqCtx c = {LLVMGetParam(x->eq, 0), LLVMGetParam(x->eq, 1), cg_alloca(&h, cg->t_i1, "eq")};
        LLVMBuildStore(cg->b, LLVMConstInt(cg->t_i1, 0, 0), c.res);
        /* the same box (a shared subtree, a constant): equal at once,
         * unless an f64 inside may be nan */
        const TypeDecl *seen[64];
        int nseen = 0;
        bool may_nan = holds_f64(t, seen, &nseen);
        LLVMBasicBlockRef same = cg_new_block(&h, "same"), look = cg_new_block(&h, "look"),
                          fields = cg_new_block(&h, "fields"), out = cg_new_block(&h, "out");
        LLVMValueRef is_same = LLVMBuildICmp(cg->b, LLVMIntEQ, c.a, c.b, "");
        if (may_nan) is_same = LLVMConstInt(cg->t_i1, 0, 0);
        LLVMBuildCondBr(cg->b, is_same, same, look);
        LLVMPositionBuilderAtEnd(cg->b, same);
        LLVMBuildRet(cg->b, LLVMConstInt(cg->t_i1, 1, 0));
        LLVMPositionBuilderAtEnd(cg->b, look);
        LLVMValueRef ta = cg_box_tag(&h, c.a);
        LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntEQ, ta, cg_box_tag(&h, c.b), ""), fields, out);
        LLVMPositionBuilderAtEnd(cg->b, fields);
        switch_tag(&h, t->decl, ta, eq_case, &c);
        LLVMBuildBr(cg->b, out);
        LLVMPositionBuilderAtEnd(cg->b, out);
        LLVMBuildRet(cg->b, LLVMBuildLoad2(cg->b, cg->t_i1, c.res, ""));
        cg_helper_end(cg, resume);
    }
    return LLVMBuildCall2(cg->b, fty, x->eq, (LLVMValueRef[]){a, b}, 2, "eq");
}

/* ---- formatting --------------------------------------------------------------------- */

typedef struct FmtCtx {
    LLVMValueRef buf, v;
} FmtCtx;

static void lit(FnCtx *f, LLVMValueRef buf, const char *s) {
    LLVMValueRef args[2] = {buf, cg_cstring(f->cg, s)};
    cg_rt_call(f->cg, RT_buf_lit, args);
}

static void fmt_case(FnCtx *f, const Ctor *k, void *ctx) {
    FmtCtx *c = ctx;
    lit(f, c->buf, k->name);
    if (!k->nfields) return;
    lit(f, c->buf, "(");
    for (int i = 0; i < k->nfields; i++) {
        if (i) lit(f, c->buf, ", ");
        cg_format(f, c->buf, cg_box_field(f, k, c->v, i), k->fields[i], true);
    }
    lit(f, c->buf, ")");
}

void cg_format_variant(FnCtx *f, LLVMValueRef buf, LLVMValueRef v, const Type *t) {
    Cg *cg = f->cg;
    CgData *x = data_of(cg, t->decl);
    LLVMTypeRef fty = LLVMFunctionType(cg->t_void, (LLVMTypeRef[]){cg->t_ptr, cg->t_ptr}, 2, 0);
    if (!x->fmt) {
        FnCtx h;
        LLVMBasicBlockRef resume;
        x->fmt = data_fn_begin(cg, "fmt", t->decl, fty, &h, &resume);
        FmtCtx c = {LLVMGetParam(x->fmt, 0), LLVMGetParam(x->fmt, 1)};
        switch_tag(&h, t->decl, cg_box_tag(&h, c.v), fmt_case, &c);
        LLVMBuildRetVoid(cg->b);
        cg_helper_end(cg, resume);
    }
    LLVMBuildCall2(cg->b, fty, x->fmt, (LLVMValueRef[]){buf, v}, 2, "");
}

/* A record may hold an array of itself (type Dir = { subs: [Dir] }), so
 * its formatting and equality are functions too, like a variant's. */
void cg_format_record(FnCtx *f, LLVMValueRef buf, LLVMValueRef v, const Type *t) {
    Cg *cg = f->cg;
    const TypeDecl *d = t->decl;
    CgData *x = data_of(cg, d);
    LLVMTypeRef fty = LLVMFunctionType(cg->t_void, (LLVMTypeRef[]){cg->t_ptr, cg_type(cg, t)}, 2, 0);
    if (!x->fmt) {
        FnCtx h;
        LLVMBasicBlockRef resume;
        x->fmt = data_fn_begin(cg, "fmt", d, fty, &h, &resume);
        LLVMValueRef hb = LLVMGetParam(x->fmt, 0), hv = LLVMGetParam(x->fmt, 1);
        char head[300];
        snprintf(head, sizeof head, "%.200s { ", d->name);
        lit(&h, hb, head);
        for (int i = 0; i < d->nfields; i++) {
            char label[300];
            snprintf(label, sizeof label, "%s%.200s: ", i ? ", " : "", d->fields[i]->name);
            lit(&h, hb, label);
            cg_format(&h, hb, LLVMBuildExtractValue(cg->b, hv, (unsigned)i, ""), t->items[i], true);
        }
        lit(&h, hb, " }");
        LLVMBuildRetVoid(cg->b);
        cg_helper_end(cg, resume);
    }
    LLVMBuildCall2(cg->b, fty, x->fmt, (LLVMValueRef[]){buf, v}, 2, "");
}

LLVMValueRef cg_equal_record(FnCtx *f, LLVMValueRef a, LLVMValueRef b, const Type *t) {
    Cg *cg = f->cg;
    CgData *x = data_of(cg, t->decl);
    LLVMTypeRef rt = cg_type(cg, t);
    LLVMTypeRef fty = LLVMFunctionType(cg->t_i1, (LLVMTypeRef[]){rt, rt}, 2, 0);
    if (!x->eq) {
        FnCtx h;
        LLVMBasicBlockRef resume;
        x->eq = data_fn_begin(cg, "eq", t->decl, fty, &h, &resume);
        LLVMValueRef ha = LLVMGetParam(x->eq, 0), hb = LLVMGetParam(x->eq, 1);
        LLVMValueRef all = LLVMConstInt(cg->t_i1, 1, 0);
        for (int i = 0; i < t->n; i++)
            all = LLVMBuildAnd(cg->b, all,
                               cg_equal(&h, LLVMBuildExtractValue(cg->b, ha, (unsigned)i, ""),
                                        LLVMBuildExtractValue(cg->b, hb, (unsigned)i, ""), t->items[i]), "");
        LLVMBuildRet(cg->b, all);
        cg_helper_end(cg, resume);
    }
    return LLVMBuildCall2(cg->b, fty, x->eq, (LLVMValueRef[]){a, b}, 2, "eq");
}
