/* cg_pipe.c — fusion: a chain of maps over a range or an array, consumed
 * element by element without materialising the intermediate arrays.
 *
 * `0..n |> map(f) |> map(g) |> sum()` is one loop: element i is g(f(i)).
 * A pipe is a base (a range lo..hi, kept as two numbers, or an array) and the
 * stages applied to each element: `map(xs, fn)` and `for x in xs => body`
 * each add a stage. A stage whose function is a lambda is inlined; any other
 * function value is called. The consumers are map/for itself (store each
 * element), the folds (reduce, sum, product, minimum, maximum, scan) and
 * filter's predicate. The values a pipe needs in a generated loop function
 * (base, function values, captures of the inlined lambdas) travel in the
 * loop's env struct. */
#include <string.h>

#include "cg_internal.h"

static bool is_map_call(const Expr *e) {
    return e->kind == E_CALL && e->u.call.callee->kind == E_NAME &&
           e->u.call.callee->u.name.kind == NAME_BUILTIN && e->u.call.callee->u.name.builtin->kind == B_MAP;
}

/* A map stage: a lambda is inlined, any other function value called. */
static void fill_stage(CgStage *st, Expr *fn, const Type *out) {
    memset(st, 0, sizeof *st);
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

void cg_pipe_of(Expr *e, CgPipe *p) {
    Expr *chain[CG_PIPE_MAX];
    int n = 0;
    /* peel maps and fors from the outside in */
    while (n < CG_PIPE_MAX && (is_map_call(e) || e->kind == E_FOR)) {
        chain[n++] = e;
        e = e->kind == E_FOR ? e->u.for_.iter : e->u.call.args[0];
    }
    memset(p, 0, sizeof *p);
    p->base = e;
    p->is_range = e->kind == E_RANGE;
    p->base_elem = e->type->elem;
    for (int k = 0; k < n; k++) {
        Expr *s = chain[n - 1 - k];
        CgStage *st = &p->stages[p->n++];
        st->out = s->type->elem;
        if (s->kind == E_FOR) {
            st->var = s->u.for_.local;
            st->body = s->u.for_.body;
            st->caps = s->u.for_.captures;
            st->ncaps = s->u.for_.ncaptures;
            continue;
        }
        fill_stage(st, s->u.call.args[1], st->out);
    }
}

void cg_pipe_add_stage(CgPipe *p, Expr *fn, const Type *out) { fill_stage(&p->stages[p->n++], fn, out); }

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
        p->len = cg_range_len(f, lo, hi);
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
}

LLVMValueRef cg_pipe_elem(FnCtx *sub, const CgPipe *p, LLVMValueRef i, bool owned) {
    Cg *cg = sub->cg;
    LLVMValueRef x = p->is_range
        ? LLVMBuildAdd(cg->b, p->sub_base, i, "x")
        : LLVMBuildLoad2(cg->b, cg_type(cg, p->base_elem), cg_elem_ptr(sub, p->sub_base, i, p->base_elem), "x");
    /* a stage borrows its input; the previous stage's result dies after it */
    const Type *xt = p->base_elem;
    for (int k = 0; k < p->n && x; k++) {
        const CgStage *st = &p->stages[k];
        LLVMValueRef y;
        if (st->fn_expr) {
            y = cg_apply(sub, st->fn_expr, st->sub_clo, &x, 1);
        } else {
            sub->locals[st->var->id] = x;
            y = cg_expr(sub, st->body, false);
        }
        if (y && k > 0) cg_release(sub, x, xt);
        x = y;
        xt = st->out;
    }
    if (x && p->n == 0 && owned) cg_retain(sub, x, xt); /* the base's element, to be stored */
    return x;
}

static void find_costly_call(Expr *e, void *found) {
    if (*(bool *)found) return;
    if (e->kind == E_CALL) {
        const Expr *callee = e->u.call.callee;
        if (callee->kind != E_NAME || callee->u.name.kind != NAME_BUILTIN || builtin_data(callee->u.name.builtin)) {
            *(bool *)found = true;
            return;
        }
    }
    ast_visit_children(e, find_costly_call, found);
}

bool cg_pipe_heavy(const CgPipe *p) {
    bool found = false;
    for (int k = 0; k < p->n && !found; k++) {
        if (p->stages[k].fn_expr) return true;
        find_costly_call(p->stages[k].body, &found);
    }
    return found;
}
