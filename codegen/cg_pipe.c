/* cg_pipe.c — fusion: a chain of maps over a range or an array, consumed
 * element by element without materialising the intermediate arrays.
 *
 * `0..n |> map(f) |> map(g) |> sum()` is one loop: element i is g(f(i)).
 * A pipe is a base (a range lo..hi, kept as two numbers, or an array) and the
 * stages applied to each element: `map(xs, fn)` and `for x in xs => body`
 * each add a stage. Which calls are fused, and so how far a pipe goes, is
 * the IR's decision (ir/fusion.c); cg_pipe_of reads it. A stage whose function is a lambda is inlined; any other
 * function value is called. The consumers are map/for itself (store each
 * element), the folds (reduce, sum, product, minimum, maximum, scan) and
 * filter's predicate. The values a pipe needs in a generated loop function
 * (base, function values, captures of the inlined lambdas) travel in the
 * loop's env struct. */
#include <string.h>

#include "cg_internal.h"

/* A map stage: a lambda is inlined, any other function value called. */
static void fill_stage(CgStage *st, Expr *src, Expr *fn, const Type *out) {
    memset(st, 0, sizeof *st);
    st->src = src;
    st->out = out;
    if (fn->kind == E_LAMBDA) {
        st->var = fn->u.lambda.params[0]->local;
        st->body = fn->u.lambda.body;
        st->caps = fn->u.lambda.captures;
        st->ncaps = fn->u.lambda.ncaptures;
    } else {
        st->fn_expr = fn;
    }
}

void cg_pipe_of(FnCtx *f, Expr *e, CgPipe *p) {
    IrPipe ip;
    ir_pipe_of(f->cg->ir->funcs[f->fn->index], e, &ip);
    memset(p, 0, sizeof *p);
    p->base = ip.base;
    p->is_range = ip.base->kind == E_RANGE;
    p->base_elem = ip.base->type->elem;
    for (int k = 0; k < ip.n; k++) {
        Expr *s = ip.stages[k];
        CgStage *st = &p->stages[p->n++];
        if (s->kind == E_FOR) {
            st->src = s;
            st->out = s->type->elem;
            st->var = s->u.for_.local;
            st->body = s->u.for_.body;
            st->caps = s->u.for_.captures;
            st->ncaps = s->u.for_.ncaptures;
            continue;
        }
        fill_stage(st, s, s->u.call.args[1], s->type->elem);
    }
}

void cg_pipe_add_stage(CgPipe *p, Expr *src, Expr *fn, const Type *out) { fill_stage(&p->stages[p->n++], src, fn, out); }

const Type *cg_pipe_elem_type(const CgPipe *p) { return p->n ? p->stages[p->n - 1].out : p->base_elem; }

bool cg_pipe_eval(FnCtx *f, CgPipe *p, LLVMValueRef base_value) {
    if (base_value) { /* already an array, whatever it was written as */
        p->is_range = false;
        p->base_val = base_value;
        p->len = cg_len(f, base_value);
    } else if (p->is_range) {
        LLVMValueRef lo = cg_expr(f, p->base->u.range.lo, false);
        LLVMValueRef hi = lo ? cg_expr(f, p->base->u.range.hi, false) : NULL;
        if (!hi) return false;
        p->base_val = lo;
        p->len = cg_range_len(f, p->base->loc, lo, hi);
    } else {
        p->base_val = p->base_owned ? cg_take(f, p->base) : cg_borrow(f, p->base);
        if (!p->base_val) return false;
        p->len = cg_len(f, p->base_val);
    }
    for (int k = 0; k < p->n; k++)
        if (p->stages[k].fn_expr && !(p->stages[k].clo = cg_borrow(f, p->stages[k].fn_expr))) return false;
    return true;
}

/* env fields: extra..., base, one closure per stage, then the captures of
 * the stages and `more` (the captures of a consumer's own lambda) */
void cg_pipe_env(Cg *cg, CgPipe *p, LLVMTypeRef *extra, int nextra, Local **more, int nmore, CgEnv *env) {
    int total = nmore;
    for (int k = 0; k < p->n; k++) total += p->stages[k].ncaps;
    Local **caps = ARENA_ARRAY(&cg->arena, Local *, total + 1);
    int ncaps = 0;
    for (int j = 0; j < nmore; j++) caps[ncaps++] = more[j];
    for (int k = 0; k < p->n; k++)
        for (int j = 0; j < p->stages[k].ncaps; j++) {
            Local *l = p->stages[k].caps[j];
            bool seen = false;
            for (int m = 0; m < ncaps; m++) seen |= caps[m] == l;
            /* a later stage's capture may be an earlier stage's variable */
            for (int m = 0; m < p->n; m++) seen |= p->stages[m].var == l;
            if (!seen) caps[ncaps++] = l;
        }
    LLVMTypeRef *fields = ARENA_ARRAY(&cg->arena, LLVMTypeRef, nextra + 1 + p->n);
    for (int i = 0; i < nextra; i++) fields[i] = extra[i];
    fields[nextra] = p->is_range ? cg->t_i64 : cg->t_ptr;
    for (int k = 0; k < p->n; k++) fields[nextra + 1 + k] = cg_closure_type(cg);
    p->env_base = nextra;
    cg_env_layout(cg, env, caps, ncaps, fields, nextra + 1 + p->n);
}

void cg_pipe_store(FnCtx *f, const CgPipe *p, const CgEnv *env, LLVMValueRef envp) {
    Cg *cg = f->cg;
    LLVMBuildStore(cg->b, p->base_val, LLVMBuildStructGEP2(cg->b, env->ty, envp, (unsigned)p->env_base, ""));
    for (int k = 0; k < p->n; k++)
        if (p->stages[k].clo)
            LLVMBuildStore(cg->b, p->stages[k].clo,
                           LLVMBuildStructGEP2(cg->b, env->ty, envp, (unsigned)(p->env_base + 1 + k), ""));
    cg_env_store(f, env, envp);
}

void cg_pipe_load(FnCtx *sub, CgPipe *p, const CgEnv *env, LLVMValueRef envp) {
    Cg *cg = sub->cg;
    cg_env_load(sub, env, envp);
    LLVMTypeRef bt = p->is_range ? cg->t_i64 : cg->t_ptr;
    p->sub_base = LLVMBuildLoad2(cg->b, bt, LLVMBuildStructGEP2(cg->b, env->ty, envp, (unsigned)p->env_base, ""), "base");
    for (int k = 0; k < p->n; k++)
        p->stages[k].sub_clo = p->stages[k].fn_expr
            ? LLVMBuildLoad2(cg->b, cg_closure_type(cg),
                             LLVMBuildStructGEP2(cg->b, env->ty, envp, (unsigned)(p->env_base + 1 + k), ""), "fn")
            : NULL;
    for (int k = 0; k < p->n; k++)
        if (p->stages[k].body) cg_hoist_preload(sub, p->stages[k].body);
}

LLVMValueRef cg_pipe_elem(FnCtx *sub, const CgPipe *p, LLVMValueRef i, bool owned) {
    Cg *cg = sub->cg;
    LLVMValueRef x = p->is_range
        ? LLVMBuildAdd(cg->b, p->sub_base, i, "x")
        : cg_load_elem(sub, p->sub_base, i, p->base_elem, "x");
    /* a stage borrows its input; the previous stage's result dies after it */
    const Type *xt = p->base_elem;
    for (int k = 0; k < p->n && x; k++) {
        const CgStage *st = &p->stages[k];
        LLVMValueRef y;
        if (st->fn_expr) {
            y = cg_apply(sub, st->fn_expr, st->sub_clo, &x, 1);
        } else {
            sub->locals[st->var->id] = x;
            if (cg->dib) cg_debug_var(sub, st->var, x, 0);
            y = cg_expr(sub, st->body, false);
        }
        if (y && k > 0) cg_release(sub, x, xt);
        x = y;
        xt = st->out;
    }
    if (x && p->n == 0 && owned) cg_retain(sub, x, xt); /* the base's element, to be stored */
    return x;
}
