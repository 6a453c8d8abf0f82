/* cg_extern.c — calls of C functions declared `extern fn` (spec 9).
 *
 * The C ABI of their types: i64 is int64_t, f64 double, bool C's bool
 * (zero-extended to a byte), str a `const char *` to the string's bytes,
 * which are NUL-terminated (runtime/pel_rt.h) and live at least as long as
 * the call, since the caller borrows every argument. A returned `const
 * char *` is copied into a new string (the C side keeps its own; NULL is
 * ""), and no result is (). An effectful extern may print through C's
 * stdio: PEL's buffered output is flushed before the call and C's stdout
 * after it, so the two appear in the order of the calls. */
#include <stddef.h>

#include "cg_internal.h"

LLVMTypeRef cg_c_type(Cg *cg, const Type *t) {
    switch (t->kind) {
    case TY_I64: return cg->t_i64;
    case TY_F64: return cg->t_f64;
    case TY_BOOL: return cg->t_i1;
    case TY_UNIT: return cg->t_void;
    default: return cg->t_ptr; /* str */
    }
}

void cg_c_zeroext(Cg *cg, LLVMValueRef fn, unsigned index) {
    unsigned zext = LLVMGetEnumAttributeKindForName("zeroext", 7);
    LLVMAddAttributeAtIndex(fn, index, LLVMCreateEnumAttribute(cg->ctx, zext, 0));
}

static LLVMValueRef c_function(Cg *cg, const FnDecl *fn, LLVMTypeRef *fty) {
    LLVMTypeRef *params = ARENA_ARRAY(&cg->arena, LLVMTypeRef, fn->nparams + 1);
    for (int i = 0; i < fn->nparams; i++) params[i] = cg_c_type(cg, fn->params[i]->type);
    *fty = LLVMFunctionType(cg_c_type(cg, fn->ret), params, (unsigned)fn->nparams, 0);
    LLVMValueRef g = LLVMGetNamedFunction(cg->mod, fn->name);
    if (g) return g; /* declared by another module too: one C symbol */
    g = LLVMAddFunction(cg->mod, fn->name, *fty);
    LLVMSetLinkage(g, LLVMExternalLinkage);
    for (int i = 0; i < fn->nparams; i++)
        if (fn->params[i]->type->kind == TY_BOOL) cg_c_zeroext(cg, g, (unsigned)i + 1);
    if (fn->ret->kind == TY_BOOL) cg_c_zeroext(cg, g, LLVMAttributeReturnIndex);
    return g;
}

LLVMValueRef cg_extern_call(FnCtx *f, FnDecl *fn, LLVMValueRef *args, int n) {
    Cg *cg = f->cg;
    LLVMTypeRef fty;
    LLVMValueRef g = c_function(cg, fn, &fty);
    LLVMValueRef *a = ARENA_ARRAY(&cg->arena, LLVMValueRef, n + 1);
    for (int i = 0; i < n; i++) {
        a[i] = args[i];
        if (fn->params[i]->type->kind == TY_STR) {
            LLVMValueRef off = LLVMConstInt(cg->t_i64, offsetof(PelStr, data), 0);
            a[i] = LLVMBuildGEP2(cg->b, cg->t_i8, args[i], &off, 1, "cstr");
        }
    }
    if (!fn->is_pure) cg_rt_call(cg, RT_c_call_begin, NULL);
    LLVMValueRef r = LLVMBuildCall2(cg->b, fty, g, a, (unsigned)n, "");
    if (!fn->is_pure) cg_rt_call(cg, RT_c_call_end, NULL);
    switch (fn->ret->kind) {
    case TY_UNIT: return cg_unit(cg);
    case TY_STR: return cg_rt_call_at(f, RT_str_from_c, &r);
    default: return r;
    }
}
