/* cg_closure.c — function values and the functions generated inside a PEL
 * function (lambda bodies, parallel loop bodies).
 *
 * A function value is {code, env}: code is `R code(w, env, params...)`, env
 * a PelEnv holding the captured values (NULL for a named function, whose
 * code is a small wrapper). A lambda applied where it is written (the
 * function of map, reduce, ...) is inlined instead: no env, no call. */
#include <stdio.h>
#include <string.h>

#include "cg_internal.h"

LLVMTypeRef cg_closure_type(Cg *cg) {
    return LLVMStructTypeInContext(cg->ctx, (LLVMTypeRef[]){cg->t_ptr, cg->t_ptr}, 2, 0);
}

void cg_env_layout(Cg *cg, CgEnv *env, Local **locals, int n, LLVMTypeRef *extra, int nextra) {
    LLVMTypeRef *fields = ARENA_ARRAY(&cg->arena, LLVMTypeRef, n + nextra + 1);
    for (int i = 0; i < nextra; i++) fields[i] = extra[i];
    for (int i = 0; i < n; i++) fields[nextra + i] = cg_type(cg, locals[i]->type);
    env->ty = LLVMStructTypeInContext(cg->ctx, fields, (unsigned)(n + nextra), 0);
    env->locals = locals;
    env->nlocals = n;
    env->first = nextra;
}

void cg_env_store(FnCtx *f, const CgEnv *env, LLVMValueRef ptr) {
    Cg *cg = f->cg;
    for (int i = 0; i < env->nlocals; i++)
        LLVMBuildStore(cg->b, f->locals[env->locals[i]->id],
                       LLVMBuildStructGEP2(cg->b, env->ty, ptr, (unsigned)(env->first + i), ""));
}

void cg_env_load(FnCtx *f, const CgEnv *env, LLVMValueRef ptr) {
    Cg *cg = f->cg;
    for (int i = 0; i < env->nlocals; i++) {
        Local *l = env->locals[i];
        LLVMValueRef p = LLVMBuildStructGEP2(cg->b, env->ty, ptr, (unsigned)(env->first + i), "");
        f->locals[l->id] = LLVMBuildLoad2(cg->b, cg_type(cg, l->type), p, l->name);
        if (cg->dib) cg_debug_var(f, l, f->locals[l->id], 0); /* a captured scalar */
    }
}

LLVMValueRef cg_new_fn(FnCtx *parent, const char *what, LLVMTypeRef fty) {
    Cg *cg = parent->cg;
    char name[512];
    snprintf(name, sizeof name, "pel.%s.%s%d", parent->fn->name, what, cg->ntasks++);
    LLVMValueRef fn = LLVMAddFunction(cg->mod, name, fty);
    LLVMSetLinkage(fn, LLVMInternalLinkage);
    cg_set_fn_attrs(cg, fn);
    return fn;
}

void cg_sub_begin(FnCtx *parent, FnCtx *sub, LLVMValueRef llfn) {
    Cg *cg = parent->cg;
    memset(sub, 0, sizeof *sub);
    sub->cg = cg;
    sub->llfn = llfn;
    sub->fn = parent->fn;
    sub->w = LLVMGetParam(llfn, 0);
    sub->locals = ARENA_ARRAY(&cg->arena, LLVMValueRef, cg->prog->nlocals[parent->fn->index] + 1);
    sub->alloca_block = cg_new_block(sub, "entry");
    LLVMPositionBuilderAtEnd(cg->b, cg_new_block(sub, "body"));
    if (cg->dib) cg_debug_sub(sub);
}

void cg_sub_end(FnCtx *parent, FnCtx *sub, LLVMBasicBlockRef resume) {
    Cg *cg = parent->cg;
    LLVMPositionBuilderAtEnd(cg->b, sub->alloca_block);
    LLVMBuildBr(cg->b, LLVMGetNextBasicBlock(sub->alloca_block));
    LLVMPositionBuilderAtEnd(cg->b, resume);
}

static LLVMTypeRef code_type(Cg *cg, const Type *fty) {
    LLVMTypeRef *ps = ARENA_ARRAY(&cg->arena, LLVMTypeRef, fty->n + 2);
    ps[0] = cg->t_ptr;
    ps[1] = cg->t_ptr;
    for (int i = 0; i < fty->n; i++) ps[i + 2] = cg_type(cg, fty->items[i]);
    return LLVMFunctionType(cg_type(cg, fty->ret), ps, (unsigned)fty->n + 2, 0);
}

static LLVMValueRef closure_value(Cg *cg, LLVMValueRef code, LLVMValueRef env) {
    LLVMValueRef v = LLVMGetUndef(cg_closure_type(cg));
    v = LLVMBuildInsertValue(cg->b, v, code, 0, "");
    return LLVMBuildInsertValue(cg->b, v, env, 1, "closure");
}

LLVMValueRef cg_lambda(FnCtx *f, Expr *e) {
    Cg *cg = f->cg;
    Lambda *l = &e->u.lambda;
    LLVMValueRef fn = cg_new_fn(f, "lambda", code_type(cg, e->type));

    LLVMTypeRef extra[2] = {cg->t_i64, cg->t_ptr}; /* PelEnv: rc, drop */
    CgEnv env;
    cg_env_layout(cg, &env, l->captures, l->ncaptures, extra, 2);

    LLVMBasicBlockRef resume = LLVMGetInsertBlock(cg->b);
    FnCtx sub;
    cg_sub_begin(f, &sub, fn);
    cg_env_load(&sub, &env, LLVMGetParam(fn, 1));
    for (int i = 0; i < l->nparams; i++) {
        sub.locals[l->params[i]->local->id] = LLVMGetParam(fn, (unsigned)i + 2);
        if (cg->dib) cg_debug_var(&sub, l->params[i]->local, sub.locals[l->params[i]->local->id], i + 1);
    }
    LLVMValueRef v = cg_expr(&sub, l->body, false);
    if (v && !cg_terminated(cg)) LLVMBuildRet(cg->b, v);
    else if (!cg_terminated(cg)) LLVMBuildUnreachable(cg->b);
    cg_sub_end(f, &sub, resume);

    LLVMValueRef envp = LLVMConstNull(cg->t_ptr);
    if (l->ncaptures) {
        LLVMValueRef args[2] = {LLVMConstInt(cg->t_i64, LLVMABISizeOfType(cg->td, env.ty), 0),
                                cg_env_drop_fn(cg, &env)};
        envp = cg_rt_call_at(f, RT_env_new, args);
        cg_env_store(f, &env, envp);
        /* the closure owns its captures */
        for (int i = 0; i < env.nlocals; i++)
            cg_retain(f, f->locals[env.locals[i]->id], env.locals[i]->type);
    }
    return closure_value(cg, fn, envp);
}

/* Borrowed arguments for fn: those its owned parameters take (ir/moves.c)
 * get a reference of their own. */
static void retain_owned_args(FnCtx *f, const FnDecl *fn, LLVMValueRef *args, int n) {
    const bool *owned = f->cg->ir->funcs[fn->index]->param_owned;
    for (int i = 0; i < n && i < fn->nparams; i++)
        if (owned[i]) cg_retain(f, args[i], fn->params[i]->type);
}

/* A named function as a value: a wrapper that drops the env argument (its
 * arguments are borrowed, as every closure call's). */
LLVMValueRef cg_fn_value(FnCtx *f, FnDecl *target) {
    Cg *cg = f->cg;
    int idx = target->index;
    if (!cg->fn_closure[idx]) {
        Type *fty = type_new(&cg->arena, TY_FN);
        fty->n = target->nparams;
        fty->items = ARENA_ARRAY(&cg->arena, Type *, fty->n + 1);
        for (int i = 0; i < fty->n; i++) fty->items[i] = target->params[i]->type;
        fty->ret = target->ret;
        char name[512];
        snprintf(name, sizeof name, "pel.%s.value", target->name);
        LLVMValueRef fn = LLVMAddFunction(cg->mod, name, code_type(cg, fty));
        LLVMSetLinkage(fn, LLVMInternalLinkage);
        cg_set_fn_attrs(cg, fn);
        LLVMBasicBlockRef resume = LLVMGetInsertBlock(cg->b);
        LLVMPositionBuilderAtEnd(cg->b, LLVMAppendBasicBlockInContext(cg->ctx, fn, "entry"));
        LLVMValueRef *args = ARENA_ARRAY(&cg->arena, LLVMValueRef, fty->n + 1);
        args[0] = LLVMGetParam(fn, 0);
        for (int i = 0; i < fty->n; i++) args[i + 1] = LLVMGetParam(fn, (unsigned)i + 2);
        FnCtx h = {.cg = cg, .llfn = fn, .fn = f->fn};
        retain_owned_args(&h, target, args + 1, fty->n);
        LLVMValueRef r = LLVMBuildCall2(cg->b, cg->fn_type[idx], cg->fn_par[idx], args, (unsigned)fty->n + 1, "");
        LLVMBuildRet(cg->b, r);
        LLVMPositionBuilderAtEnd(cg->b, resume);
        cg->fn_closure[idx] = fn;
    }
    return closure_value(cg, cg->fn_closure[idx], LLVMConstNull(cg->t_ptr));
}

LLVMValueRef cg_ctor_value(FnCtx *f, const Ctor *k) {
    Cg *cg = f->cg;
    Type *fty = type_new(&cg->arena, TY_FN);
    fty->n = k->nfields;
    fty->items = k->fields;
    fty->ret = k->owner->type;
    char name[512];
    snprintf(name, sizeof name, "pel.%s.%s.value", k->owner->name, k->name);
    LLVMValueRef fn = LLVMGetNamedFunction(cg->mod, name);
    if (!fn) {
        /* the arguments are borrowed (calls borrow); the box owns its fields */
        fn = LLVMAddFunction(cg->mod, name, code_type(cg, fty));
        LLVMSetLinkage(fn, LLVMInternalLinkage);
        cg_set_fn_attrs(cg, fn);
        LLVMBasicBlockRef resume = LLVMGetInsertBlock(cg->b);
        FnCtx h = {.cg = cg, .llfn = fn, .fn = f->fn};
        h.alloca_block = LLVMAppendBasicBlockInContext(cg->ctx, fn, "entry");
        LLVMPositionBuilderAtEnd(cg->b, h.alloca_block);
        h.w = LLVMGetParam(fn, 0);
        LLVMValueRef *fields = ARENA_ARRAY(&cg->arena, LLVMValueRef, k->nfields + 1);
        for (int i = 0; i < k->nfields; i++) {
            fields[i] = LLVMGetParam(fn, (unsigned)i + 2);
            cg_retain(&h, fields[i], k->fields[i]);
        }
        LLVMBuildRet(cg->b, cg_ctor(&h, k, fields));
        LLVMPositionBuilderAtEnd(cg->b, resume);
    }
    return closure_value(cg, fn, LLVMConstNull(cg->t_ptr));
}

LLVMValueRef cg_call_closure(FnCtx *f, LLVMValueRef clo, const Type *fty, LLVMValueRef *args, int n) {
    Cg *cg = f->cg;
    LLVMValueRef *a = ARENA_ARRAY(&cg->arena, LLVMValueRef, n + 2);
    a[0] = f->w;
    a[1] = LLVMBuildExtractValue(cg->b, clo, 1, "env");
    for (int i = 0; i < n; i++) a[i + 2] = args[i];
    LLVMValueRef code = LLVMBuildExtractValue(cg->b, clo, 0, "code");
    return LLVMBuildCall2(cg->b, code_type(cg, fty), code, a, (unsigned)n + 2, "");
}

LLVMValueRef cg_apply(FnCtx *f, Expr *fn_expr, LLVMValueRef fn_value, LLVMValueRef *args, int n) {
    if (fn_expr && fn_expr->kind == E_LAMBDA) {
        Lambda *l = &fn_expr->u.lambda;
        for (int i = 0; i < n; i++) f->locals[l->params[i]->local->id] = args[i];
        return cg_expr(f, l->body, false);
    }
    if (fn_expr && fn_expr->kind == E_NAME && fn_expr->u.name.kind == NAME_FN) {
        retain_owned_args(f, fn_expr->u.name.fn, args, n);
        return cg_call_fn(f, fn_expr->u.name.fn, args, n); /* `map(xs, f)`: LLVM may inline f */
    }
    if (!fn_value) fn_value = cg_borrow(f, fn_expr);
    return cg_call_closure(f, fn_value, fn_expr->type, args, n);
}

LLVMValueRef cg_call_fn(FnCtx *f, FnDecl *fn, LLVMValueRef *args, int n) {
    Cg *cg = f->cg;
    LLVMValueRef buf[16];
    LLVMValueRef *a = n + 1 <= 16 ? buf : ARENA_ARRAY(&cg->arena, LLVMValueRef, n + 1);
    a[0] = f->w;
    for (int i = 0; i < n; i++) a[i + 1] = args[i];
    int idx = fn->index;
    return LLVMBuildCall2(cg->b, cg->fn_type[idx], f->seq ? cg->fn_seq[idx] : cg->fn_par[idx], a, (unsigned)n + 1, "");
}
