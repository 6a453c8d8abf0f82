/* cg_export.c — `export fn` (spec 9): a PEL function C calls by its name.
 *
 * For `export fn f(a: i64, s: str, xs: [f64]) -> str` two functions:
 *  - the C function `f`, global: it stores its arguments in a frame on its
 *    stack and calls pel_rt_export_call, which starts the runtime on the
 *    first call and runs the thunk as worker 0;
 *  - the thunk `pel.export.f(w, frame)`: C strings and arrays become PEL
 *    values (copied), the PEL function runs, and a string or array result
 *    becomes malloc'd memory the caller frees (pel.h says how).
 * Scalars have extern fn's C types (cg_extern.c). An array is pel.h's
 * `{ const T *data; int64_t len; }`, which the C ABI passes as two
 * arguments (pointer, length) and returns in two registers: the LLVM
 * function takes and returns it the way clang lowers that struct. */
#include <stdio.h>

#include "cg_internal.h"

static bool is_array(const Type *t) { return t->kind == TY_ARRAY; }


static LLVMTypeRef c_array(Cg *cg) { return LLVMStructTypeInContext(cg->ctx, (LLVMTypeRef[]){cg->t_ptr, cg->t_i64}, 2, 0); }

/* the frame: the arguments as C has them (an array as its pair), then the
 * result */
static LLVMTypeRef frame_type(Cg *cg, const FnDecl *fn) {
    LLVMTypeRef *items = ARENA_ARRAY(&cg->arena, LLVMTypeRef, fn->nparams + 2);
    int n = 0;
    for (int i = 0; i < fn->nparams; i++) {
        const Type *t = fn->params[i]->type;
        items[n++] = is_array(t) ? c_array(cg) : cg_c_type(cg, t);
    }
    items[n++] = fn->ret->kind == TY_UNIT ? cg->t_i8 : is_array(fn->ret) ? c_array(cg) : cg_c_type(cg, fn->ret);
    return LLVMStructTypeInContext(cg->ctx, items, (unsigned)n, 0);
}

/* A C argument as a PEL value (owned by the thunk). */
static LLVMValueRef from_c(FnCtx *h, const Type *t, LLVMValueRef slot) {
    Cg *cg = h->cg;
    if (is_array(t)) {
        LLVMValueRef pair = LLVMBuildLoad2(cg->b, c_array(cg), slot, "");
        LLVMValueRef data = LLVMBuildExtractValue(cg->b, pair, 0, "data");
        LLVMValueRef len = LLVMBuildExtractValue(cg->b, pair, 1, "len");
        if (t->elem->kind == TY_STR) {
            LLVMValueRef args[2] = {data, len};
            return cg_rt_call_at(h, RT_str_arr_from_c, args);
        }
        LLVMValueRef es = LLVMConstInt(cg->t_i64, LLVMABISizeOfType(cg->td, cg_type(cg, t->elem)), 0);
        LLVMValueRef args[3] = {data, len, es};
        return cg_rt_call_at(h, RT_arr_from_c, args);
    }
    LLVMValueRef v = LLVMBuildLoad2(cg->b, cg_c_type(cg, t), slot, "");
    return t->kind == TY_STR ? cg_rt_call_at(h, RT_str_from_c, &v) : v;
}

/* A PEL result as C gets it. */
static LLVMValueRef to_c(FnCtx *h, const Type *t, LLVMValueRef v) {
    Cg *cg = h->cg;
    if (t->kind == TY_STR) return cg_rt_call(cg, RT_str_to_c, &v);
    if (!is_array(t)) return v;
    LLVMValueRef data = cg_rt_call_at(h, t->elem->kind == TY_STR ? RT_str_arr_to_c : RT_arr_to_c, &v);
    LLVMValueRef pair = LLVMGetUndef(c_array(cg));
    pair = LLVMBuildInsertValue(cg->b, pair, data, 0, "");
    return LLVMBuildInsertValue(cg->b, pair, cg_len(h, v), 1, "");
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
    for (int i = 0; i < fn->nparams; i++)
        args[i] = from_c(&h, fn->params[i]->type, LLVMBuildStructGEP2(cg->b, ft, frame, (unsigned)i, ""));
    LLVMValueRef r = cg_call_fn(&h, (FnDecl *)fn, args, fn->nparams);
    for (int i = 0; i < fn->nparams; i++) /* what it borrowed */
        if (cg_managed(fn->params[i]->type) && !owned[i]) cg_release(&h, args[i], fn->params[i]->type);
    if (fn->ret->kind != TY_UNIT) {
        LLVMValueRef c = to_c(&h, fn->ret, r);
        if (cg_managed(fn->ret)) cg_release(&h, r, fn->ret);
        LLVMBuildStore(cg->b, c, LLVMBuildStructGEP2(cg->b, ft, frame, (unsigned)fn->nparams, ""));
    }
    LLVMBuildRetVoid(cg->b);
    cg_helper_end(cg, resume);
    return thunk;
}

static void gen_c_function(Cg *cg, const FnDecl *fn, LLVMTypeRef ft, LLVMValueRef thunk) {
    LLVMTypeRef *params = ARENA_ARRAY(&cg->arena, LLVMTypeRef, 2 * fn->nparams + 1);
    unsigned np = 0;
    for (int i = 0; i < fn->nparams; i++) {
        const Type *t = fn->params[i]->type;
        if (is_array(t)) {
            params[np++] = cg->t_ptr;
            params[np++] = cg->t_i64;
        } else {
            params[np++] = cg_c_type(cg, t);
        }
    }
    LLVMTypeRef ret = is_array(fn->ret) ? c_array(cg) : cg_c_type(cg, fn->ret);
    LLVMValueRef g = LLVMAddFunction(cg->mod, fn->name, LLVMFunctionType(ret, params, np, 0));
    LLVMSetLinkage(g, LLVMExternalLinkage);
    LLVMBasicBlockRef resume = LLVMGetInsertBlock(cg->b);
    LLVMPositionBuilderAtEnd(cg->b, LLVMAppendBasicBlockInContext(cg->ctx, g, "entry"));
    LLVMValueRef frame = LLVMBuildAlloca(cg->b, ft, "frame");
    unsigned k = 0;
    for (int i = 0; i < fn->nparams; i++) {
        const Type *t = fn->params[i]->type;
        LLVMValueRef slot = LLVMBuildStructGEP2(cg->b, ft, frame, (unsigned)i, "");
        if (is_array(t)) {
            LLVMValueRef pair = LLVMGetUndef(c_array(cg));
            pair = LLVMBuildInsertValue(cg->b, pair, LLVMGetParam(g, k), 0, "");
            pair = LLVMBuildInsertValue(cg->b, pair, LLVMGetParam(g, k + 1), 1, "");
            LLVMBuildStore(cg->b, pair, slot);
            k += 2;
        } else {
            if (t->kind == TY_BOOL) cg_c_zeroext(cg, g, k + 1);
            LLVMBuildStore(cg->b, LLVMGetParam(g, k), slot);
            k++;
        }
    }
    if (fn->ret->kind == TY_BOOL) cg_c_zeroext(cg, g, LLVMAttributeReturnIndex);
    LLVMValueRef args[2] = {thunk, frame};
    cg_rt_call(cg, RT_export_call, args);
    if (fn->ret->kind == TY_UNIT) {
        LLVMBuildRetVoid(cg->b);
    } else {
        LLVMValueRef p = LLVMBuildStructGEP2(cg->b, ft, frame, (unsigned)fn->nparams, "");
        LLVMBuildRet(cg->b, LLVMBuildLoad2(cg->b, ret, p, "result"));
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
