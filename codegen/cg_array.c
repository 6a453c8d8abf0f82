/* cg_array.c — arrays: literals, indexing, ranges, and the parallel loops of
 * `for` and `map`.
 *
 * An array is a PelArr* whose elements sit unboxed from PEL_ARR_DATA. A
 * parallel loop compiles its body into `void body(w, env, lo, hi)` that runs
 * the elements [lo, hi) in order, and hands it to pel_rt_par_range, which
 * splits the index range lazily. Ranges are never materialised when a loop
 * consumes them: element i of a..b is a + i. */
#include <stdio.h>
#include <string.h>

#include "cg_internal.h"

static LLVMValueRef i64c(Cg *cg, long long v) { return LLVMConstInt(cg->t_i64, (unsigned long long)v, 1); }

LLVMValueRef cg_rt(Cg *cg, const char *name, LLVMTypeRef fty) {
    LLVMValueRef fn = LLVMGetNamedFunction(cg->mod, name);
    return fn ? fn : LLVMAddFunction(cg->mod, name, fty);
}

void cg_loop_begin(FnCtx *f, LLVMValueRef lo, LLVMValueRef hi, CgLoop *L) {
    Cg *cg = f->cg;
    L->pre = LLVMGetInsertBlock(cg->b);
    L->head = cg_new_block(f, "loop.head");
    LLVMBasicBlockRef body = cg_new_block(f, "loop.body");
    L->exit = cg_new_block(f, "loop.exit");
    LLVMBuildBr(cg->b, L->head);
    LLVMPositionBuilderAtEnd(cg->b, L->head);
    L->phi = LLVMBuildPhi(cg->b, cg->t_i64, "i");
    LLVMAddIncoming(L->phi, &lo, &L->pre, 1);
    LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntSLT, L->phi, hi, ""), body, L->exit);
    LLVMPositionBuilderAtEnd(cg->b, body);
    L->i = L->phi;
}

void cg_loop_end(FnCtx *f, CgLoop *L) {
    Cg *cg = f->cg;
    LLVMBasicBlockRef latch = LLVMGetInsertBlock(cg->b);
    LLVMValueRef next = LLVMBuildAdd(cg->b, L->phi, i64c(cg, 1), "i.next");
    LLVMBuildBr(cg->b, L->head);
    LLVMAddIncoming(L->phi, &next, &latch, 1);
    LLVMPositionBuilderAtEnd(cg->b, L->exit);
}

LLVMValueRef cg_len(FnCtx *f, LLVMValueRef v) {
    Cg *cg = f->cg;
    LLVMValueRef off = i64c(cg, 8);
    return LLVMBuildLoad2(cg->b, cg->t_i64, LLVMBuildGEP2(cg->b, cg->t_i8, v, &off, 1, ""), "len");
}

LLVMValueRef cg_arr_new(FnCtx *f, LLVMValueRef len, const Type *elem) {
    Cg *cg = f->cg;
    LLVMTypeRef ety = cg_type(cg, elem);
    LLVMTypeRef fty = LLVMFunctionType(cg->t_ptr, (LLVMTypeRef[]){cg->t_i64, cg->t_i64, cg->t_ptr}, 3, 0);
    LLVMValueRef args[3] = {len, i64c(cg, (long long)LLVMABISizeOfType(cg->td, ety)),
                            LLVMConstNull(cg->t_ptr)};
    return LLVMBuildCall2(cg->b, fty, cg_rt(cg, "pel_rt_arr_new", fty), args, 3, "arr");
}

LLVMValueRef cg_elem_ptr(FnCtx *f, LLVMValueRef arr, LLVMValueRef i, const Type *elem) {
    Cg *cg = f->cg;
    LLVMValueRef off = i64c(cg, PEL_ARR_DATA);
    LLVMValueRef data = LLVMBuildGEP2(cg->b, cg->t_i8, arr, &off, 1, "data");
    return LLVMBuildGEP2(cg->b, cg_type(cg, elem), data, &i, 1, "elem");
}

void cg_fail_here(FnCtx *f, LLVMValueRef cond, Loc loc, const char *msg) {
    Cg *cg = f->cg;
    LLVMBasicBlockRef bad = cg_new_block(f, "fail"), ok = cg_new_block(f, "ok");
    LLVMBuildCondBr(cg->b, cond, bad, ok);
    LLVMPositionBuilderAtEnd(cg->b, bad);
    LLVMValueRef args[2] = {cg_loc_string(cg, loc), cg_cstring(cg, msg)};
    cg_call(cg, cg->rt.t_fail, cg->rt.fail, args, 2, "");
    LLVMBuildUnreachable(cg->b);
    LLVMPositionBuilderAtEnd(cg->b, ok);
}

LLVMValueRef cg_array_literal(FnCtx *f, Expr *e) {
    Cg *cg = f->cg;
    int n = e->u.list.n;
    LLVMValueRef *v = ARENA_ARRAY(&cg->arena, LLVMValueRef, n + 1);
    for (int i = 0; i < n; i++) {
        v[i] = cg_expr(f, e->u.list.items[i], false);
        if (!v[i]) return NULL;
    }
    const Type *elem = e->type->elem;
    LLVMValueRef arr = cg_arr_new(f, i64c(cg, n), elem);
    for (int i = 0; i < n; i++) LLVMBuildStore(cg->b, v[i], cg_elem_ptr(f, arr, i64c(cg, i), elem));
    return arr;
}

LLVMValueRef cg_index(FnCtx *f, Expr *e) {
    Cg *cg = f->cg;
    LLVMValueRef arr = cg_expr(f, e->u.index.base, false);
    LLVMValueRef i = arr ? cg_expr(f, e->u.index.index, false) : NULL;
    if (!i) return NULL;
    LLVMValueRef len = cg_len(f, arr);
    LLVMBasicBlockRef bad = cg_new_block(f, "oob"), ok = cg_new_block(f, "inb");
    /* one unsigned compare catches negative indexes too */
    LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntUGE, i, len, "oob"), bad, ok);
    LLVMPositionBuilderAtEnd(cg->b, bad);
    LLVMValueRef args[3] = {cg_loc_string(cg, e->loc), i, len};
    cg_call(cg, cg->rt.t_fail_index, cg->rt.fail_index, args, 3, "");
    LLVMBuildUnreachable(cg->b);
    LLVMPositionBuilderAtEnd(cg->b, ok);
    const Type *elem = e->type;
    return LLVMBuildLoad2(cg->b, cg_type(cg, elem), cg_elem_ptr(f, arr, i, elem), "a.i");
}

/* ---- parallel loops over arrays and ranges ----------------------------------------- */

/* What a loop iterates: an array, or a range lo..hi kept as two numbers. */
typedef struct Source {
    bool is_range;
    LLVMValueRef arr, lo, n;
    const Type *elem;
} Source;

static bool eval_source(FnCtx *f, Expr *iter, Source *s) {
    Cg *cg = f->cg;
    s->elem = iter->type->elem;
    if (iter->kind == E_RANGE) {
        s->is_range = true;
        s->lo = cg_expr(f, iter->u.range.lo, false);
        LLVMValueRef hi = s->lo ? cg_expr(f, iter->u.range.hi, false) : NULL;
        if (!hi) return false;
        LLVMValueRef d = LLVMBuildSub(cg->b, hi, s->lo, "");
        s->n = LLVMBuildSelect(cg->b, LLVMBuildICmp(cg->b, LLVMIntSLT, d, i64c(cg, 0), ""), i64c(cg, 0), d, "n");
        return true;
    }
    s->arr = cg_expr(f, iter, false);
    if (!s->arr) return false;
    s->n = cg_len(f, s->arr);
    return true;
}

LLVMValueRef cg_range(FnCtx *f, Expr *e) {
    Cg *cg = f->cg;
    Source s;
    if (!eval_source(f, e, &s)) return NULL;
    LLVMValueRef arr = cg_arr_new(f, s.n, s.elem);
    CgLoop L;
    cg_loop_begin(f, i64c(cg, 0), s.n, &L);
    LLVMBuildStore(cg->b, LLVMBuildAdd(cg->b, s.lo, L.i, ""), cg_elem_ptr(f, arr, L.i, s.elem));
    cg_loop_end(f, &L);
    return arr;
}

/* A loop body: for each i in [lo, hi), bind `var` to element i of the
 * source, evaluate `body` and store it as element i of the result. The
 * fields of the env struct: source array (or range start), result array,
 * then the captures. */
typedef struct LoopSpec {
    Local *var;
    Expr *body;         /* evaluated with var bound (a lambda body or a for body) */
    Expr *fn_expr;      /* or: a function value to call on each element */
    Local **captures;
    int ncaptures;
    const Type *out_elem;
} LoopSpec;

static LLVMValueRef gen_loop_body(FnCtx *f, const LoopSpec *ls, const Source *src, CgEnv *env) {
    Cg *cg = f->cg;
    char name[512];
    snprintf(name, sizeof name, "pel.%s.loop%d", f->fn->name, cg->ntasks++);
    LLVMTypeRef fty = LLVMFunctionType(cg->t_void, (LLVMTypeRef[]){cg->t_ptr, cg->t_ptr, cg->t_i64, cg->t_i64}, 4, 0);
    LLVMValueRef fn = LLVMAddFunction(cg->mod, name, fty);
    LLVMSetLinkage(fn, LLVMInternalLinkage);
    cg_set_fn_attrs(cg, fn);
    LLVMBasicBlockRef resume = LLVMGetInsertBlock(cg->b);
    FnCtx sub;
    cg_sub_begin(f, &sub, fn);
    LLVMValueRef envp = LLVMGetParam(fn, 1);
    cg_env_load(&sub, env, envp);
    LLVMValueRef srcv = LLVMBuildLoad2(cg->b, src->is_range ? cg->t_i64 : cg->t_ptr,
                                       LLVMBuildStructGEP2(cg->b, env->ty, envp, 0, ""), "src");
    LLVMValueRef out = LLVMBuildLoad2(cg->b, cg->t_ptr, LLVMBuildStructGEP2(cg->b, env->ty, envp, 1, ""), "out");
    /* the closure value, when the function is not a lambda literal */
    LLVMValueRef clo = NULL;
    if (ls->fn_expr)
        clo = LLVMBuildLoad2(cg->b, cg_closure_type(cg), LLVMBuildStructGEP2(cg->b, env->ty, envp, 2, ""), "fn");
    CgLoop L;
    cg_loop_begin(&sub, LLVMGetParam(fn, 2), LLVMGetParam(fn, 3), &L);
    LLVMValueRef x = src->is_range ? LLVMBuildAdd(cg->b, srcv, L.i, "x")
                                   : LLVMBuildLoad2(cg->b, cg_type(cg, src->elem),
                                                    cg_elem_ptr(&sub, srcv, L.i, src->elem), "x");
    LLVMValueRef y;
    if (ls->fn_expr) {
        y = cg_call_closure(&sub, clo, ls->fn_expr->type, &x, 1);
    } else {
        sub.locals[ls->var->id] = x;
        y = cg_expr(&sub, ls->body, false);
    }
    if (y) LLVMBuildStore(cg->b, y, cg_elem_ptr(&sub, out, L.i, ls->out_elem));
    cg_loop_end(&sub, &L);
    LLVMBuildRetVoid(cg->b);
    cg_sub_end(f, &sub, resume);
    return fn;
}

/* xs: the source array when the caller has evaluated it already */
static LLVMValueRef parallel_map(FnCtx *f, const LoopSpec *ls, Expr *iter, LLVMValueRef xs) {
    Cg *cg = f->cg;
    Source src = {.arr = xs, .elem = iter->type->elem};
    if (xs) src.n = cg_len(f, xs);
    else if (!eval_source(f, iter, &src)) return NULL;
    LLVMValueRef clo = NULL;
    if (ls->fn_expr && !(clo = cg_expr(f, ls->fn_expr, false))) return NULL;
    LLVMValueRef out = cg_arr_new(f, src.n, ls->out_elem);
    LLVMTypeRef extra[3] = {src.is_range ? cg->t_i64 : cg->t_ptr, cg->t_ptr, cg_closure_type(cg)};
    CgEnv env;
    cg_env_layout(cg, &env, ls->captures, ls->ncaptures, extra, ls->fn_expr ? 3 : 2);
    LLVMValueRef body = gen_loop_body(f, ls, &src, &env);
    LLVMValueRef envp = cg_alloca(f, env.ty, "loop.env");
    LLVMBuildStore(cg->b, src.is_range ? src.lo : src.arr, LLVMBuildStructGEP2(cg->b, env.ty, envp, 0, ""));
    LLVMBuildStore(cg->b, out, LLVMBuildStructGEP2(cg->b, env.ty, envp, 1, ""));
    if (clo) LLVMBuildStore(cg->b, clo, LLVMBuildStructGEP2(cg->b, env.ty, envp, 2, ""));
    cg_env_store(f, &env, envp);
    LLVMTypeRef fty = LLVMFunctionType(cg->t_void, (LLVMTypeRef[]){cg->t_ptr, cg->t_i64, cg->t_ptr, cg->t_ptr}, 4, 0);
    LLVMValueRef args[4] = {f->w, src.n, body, envp};
    LLVMBuildCall2(cg->b, fty, cg_rt(cg, "pel_rt_par_range", fty), args, 4, "");
    return out;
}

LLVMValueRef cg_for(FnCtx *f, Expr *e) {
    LoopSpec ls = {.var = e->u.for_.local, .body = e->u.for_.body, .captures = e->u.for_.captures,
                   .ncaptures = e->u.for_.ncaptures, .out_elem = e->type->elem};
    return parallel_map(f, &ls, e->u.for_.iter, NULL);
}

LLVMValueRef cg_map(FnCtx *f, Expr *e, LLVMValueRef xs, const Type *out_elem) {
    Expr *fn = e->u.call.args[1];
    LoopSpec ls = {.out_elem = out_elem};
    if (fn->kind == E_LAMBDA) { /* inline the lambda: no call per element */
        ls.var = fn->u.lambda.params[0]->local;
        ls.body = fn->u.lambda.body;
        ls.captures = fn->u.lambda.captures;
        ls.ncaptures = fn->u.lambda.ncaptures;
    } else {
        ls.fn_expr = fn;
    }
    return parallel_map(f, &ls, e->u.call.args[0], xs);
}
