/* cg_export.c — `export fn` (spec 9): a PEL function C calls by its name.
 *
 * For `export fn f(a: i64, s: str) -> str` two functions:
 *  - the C function `f(int64_t a, const char *s)`, global: it stores its
 *    arguments in a frame on its stack and calls pel_rt_export_call, which
 *    starts the runtime on the first call and runs the thunk on a worker;
 *  - the thunk `pel.export.f(w, frame)`: a C string argument becomes a PEL
 *    string (copied), the PEL function runs, and a string result becomes a
 *    malloc'd C string the caller frees with free() (pel.h says so).
 * The C types are extern fn's (cg_extern.c). */
#include <stdio.h>

#include "cg_internal.h"

static LLVMTypeRef c_type(Cg *cg, const Type *t) {
    switch (t->kind) {
    case TY_I64: return cg->t_i64;
    case TY_F64: return cg->t_f64;
    case TY_BOOL: return cg->t_i1;
    case TY_UNIT: return cg->t_void;
    default: return cg->t_ptr;
    }
}

/* the frame: the arguments as C has them, then the result */
static LLVMTypeRef frame_type(Cg *cg, const FnDecl *fn) {
    LLVMTypeRef *items = ARENA_ARRAY(&cg->arena, LLVMTypeRef, fn->nparams + 2);
    int n = 0;
    for (int i = 0; i < fn->nparams; i++) items[n++] = c_type(cg, fn->params[i]->type);
    items[n++] = fn->ret->kind == TY_UNIT ? cg->t_i8 : c_type(cg, fn->ret);
    return LLVMStructTypeInContext(cg->ctx, items, (unsigned)n, 0);
}

static LLVMValueRef gen_thunk(Cg *cg, const FnDecl *fn, LLVMTypeRef ft) {
    char name[512];
    snprintf(name, sizeof name, "pel.export.%s", fn->name);
    FnCtx h;
    LLVMBasicBlockRef resume;
    LLVMValueRef thunk = cg_helper_begin(cg, name, cg_rt_cb_type(cg, RT_CB_ExportFn), &h, &resume);
    h.w = LLVMGetParam(thunk, 0);
    LLVMValueRef frame = LLVMGetParam(thunk, 1);
    const bool *owned = cg->ir->funcs[fn->index]->param_owned;
    LLVMValueRef *args = ARENA_ARRAY(&cg->arena, LLVMValueRef, fn->nparams + 1);
    for (int i = 0; i < fn->nparams; i++) {
        const Type *t = fn->params[i]->type;
        LLVMValueRef v = LLVMBuildLoad2(cg->b, c_type(cg, t), LLVMBuildStructGEP2(cg->b, ft, frame, (unsigned)i, ""), "");
        args[i] = t->kind == TY_STR ? cg_rt_call(cg, RT_str_from_c, &v) : v;
    }
    LLVMValueRef r = cg_call_fn(&h, (FnDecl *)fn, args, fn->nparams);
    for (int i = 0; i < fn->nparams; i++) /* the strings it borrowed */
        if (fn->params[i]->type->kind == TY_STR && !owned[i]) cg_release(&h, args[i], fn->params[i]->type);
    if (fn->ret->kind != TY_UNIT) {
        LLVMValueRef c = r;
        if (fn->ret->kind == TY_STR) {
            c = cg_rt_call(cg, RT_str_to_c, &r);
            cg_release(&h, r, fn->ret);
        }
        LLVMBuildStore(cg->b, c, LLVMBuildStructGEP2(cg->b, ft, frame, (unsigned)fn->nparams, ""));
    }
    LLVMBuildRetVoid(cg->b);
    cg_helper_end(cg, resume);
    return thunk;
}

static void gen_c_function(Cg *cg, const FnDecl *fn, LLVMTypeRef ft, LLVMValueRef thunk) {
    LLVMTypeRef *params = ARENA_ARRAY(&cg->arena, LLVMTypeRef, fn->nparams + 1);
    for (int i = 0; i < fn->nparams; i++) params[i] = c_type(cg, fn->params[i]->type);
    LLVMTypeRef fty = LLVMFunctionType(c_type(cg, fn->ret), params, (unsigned)fn->nparams, 0);
    LLVMValueRef g = LLVMAddFunction(cg->mod, fn->name, fty);
    LLVMSetLinkage(g, LLVMExternalLinkage);
    unsigned zext = LLVMGetEnumAttributeKindForName("zeroext", 7);
    for (int i = 0; i < fn->nparams; i++)
        if (fn->params[i]->type->kind == TY_BOOL)
            LLVMAddAttributeAtIndex(g, (unsigned)i + 1, LLVMCreateEnumAttribute(cg->ctx, zext, 0));
    if (fn->ret->kind == TY_BOOL) LLVMAddAttributeAtIndex(g, LLVMAttributeReturnIndex, LLVMCreateEnumAttribute(cg->ctx, zext, 0));
    LLVMBasicBlockRef resume = LLVMGetInsertBlock(cg->b);
    LLVMPositionBuilderAtEnd(cg->b, LLVMAppendBasicBlockInContext(cg->ctx, g, "entry"));
    LLVMValueRef frame = LLVMBuildAlloca(cg->b, ft, "frame");
    for (int i = 0; i < fn->nparams; i++)
        LLVMBuildStore(cg->b, LLVMGetParam(g, (unsigned)i), LLVMBuildStructGEP2(cg->b, ft, frame, (unsigned)i, ""));
    LLVMValueRef args[2] = {thunk, frame};
    cg_rt_call(cg, RT_export_call, args);
    if (fn->ret->kind == TY_UNIT) {
        LLVMBuildRetVoid(cg->b);
    } else {
        LLVMValueRef p = LLVMBuildStructGEP2(cg->b, ft, frame, (unsigned)fn->nparams, "");
        LLVMBuildRet(cg->b, LLVMBuildLoad2(cg->b, c_type(cg, fn->ret), p, "result"));
    }
    if (resume) LLVMPositionBuilderAtEnd(cg->b, resume);
}

void cg_exports(Cg *cg) {
    for (int i = 0; i < cg->prog->nfns; i++) {
        const FnDecl *fn = cg->prog->fns[i];
        if (!fn->is_export || !cg->ir->funcs[i]->reachable) continue;
        if (cg->opt->separate && fn->module != cg->prog->root) continue; /* its own object has it */
        LLVMTypeRef ft = frame_type(cg, fn);
        gen_c_function(cg, fn, ft, gen_thunk(cg, fn, ft));
    }
}
