/* fusion.c — which arrays are never built: a map, for or range given to a
 * consumer that runs its own loop over it is computed element by element
 * inside that loop.
 *
 * Qualifies: a consumer (a `for`, or a builtin that consumes argument 0
 * element by element: builtins.def, BF_FUSES) whose array is a range, a
 * `for` or a map call. Then the consumer is `fused` and its array `inner`:
 * codegen builds one loop whose element i runs the chain's stages on
 * element i of the chain's base (codegen/cg_pipe.c). Safe because the
 * stages are pure (effects inside map and for are compile errors) and each
 * element is computed once, so computing it where it is consumed changes
 * nothing but the memory. A chain holds at most IR_PIPE_MAX stages: the
 * last one's array is then built and the chain goes on from there.
 *
 * foldl qualifies with a range only: its sequential loop counts through
 * the numbers instead of reading them from an array of them.
 *
 * For a fold (reduce, sum, ...) over a fused chain, also: are its elements
 * costly, i.e. heavy (cost.c: a function value, an array builtin, or a call
 * of a heavy function)? Then a short fold computes them in parallel first,
 * since its fixed reduction tree alone would run few leaves (costly_elems).
 * A call of a bounded function is a few scalar operations: materialising
 * its results would cost more (an allocation and a second pass) than the
 * parallelism gains, so it does not make elements costly.
 *
 * A fold of costly elements whose operator has no rounding, i64 sum,
 * product, minimum or maximum (wrapping + and * are associative, min and
 * max pick one of their operands), gives the same bits however its range
 * is cut. It is a lazy_fold: split only when a worker asks, as a parallel
 * loop is (runtime/rt_par.c), with no array of the elements and no fixed
 * tree; a search like n-queens folds a dozen costly elements at every
 * node, where building and freeing that array cost more than the search. */
#include "graph.h"

#include <stdio.h>

const Builtin *ir_builtin_of(const Expr *e) {
    if (e->kind != E_CALL || e->u.call.callee->kind != E_NAME || e->u.call.callee->u.name.kind != NAME_BUILTIN)
        return NULL;
    return e->u.call.callee->u.name.builtin;
}

bool ir_is_map(const Expr *e) {
    const Builtin *b = ir_builtin_of(e);
    return b && b->kind == B_MAP;
}

bool ir_is_stage(const Expr *e) { return e->kind == E_FOR || ir_is_map(e); }

Expr *ir_consumed_array(Expr *e) {
    if (e->kind == E_FOR) return e->u.for_.iter;
    const Builtin *b = ir_builtin_of(e);
    return b && (builtin_fuses(b) || builtin_in_place(b) || b->kind == B_FOLDL) ? e->u.call.args[0] : NULL;
}

Expr *ir_stage_body(Expr *stage, Local **var) {
    if (stage->kind == E_FOR) {
        *var = stage->u.for_.local;
        return stage->u.for_.body;
    }
    Expr *fn = stage->u.call.args[1];
    if (fn->kind != E_LAMBDA) return NULL;
    *var = fn->u.lambda.params[0]->local;
    return fn->u.lambda.body;
}

void ir_pipe_of(const IrFunc *f, Expr *e, IrPipe *p) {
    Expr *chain[IR_PIPE_MAX];
    int n = 0;
    while (n < IR_PIPE_MAX && ir_is_stage(e)) {
        chain[n++] = e;
        bool go_on = ir_fact(f, e)->fused;
        e = ir_consumed_array(e);
        if (!go_on) break;
    }
    p->base = e;
    p->n = n;
    for (int k = 0; k < n; k++) p->stages[k] = chain[n - 1 - k];
}

typedef struct FusionWalk {
    IrFunc *f;
    Expr *chain_next; /* the child that continues a chain, at position chain_pos */
    int chain_pos;
} FusionWalk;

static bool costly_elems(const IrFunc *f, Expr *xs) {
    IrPipe p;
    ir_pipe_of(f, xs, &p);
    for (int k = 0; k < p.n; k++) {
        Local *var;
        Expr *body = ir_stage_body(p.stages[k], &var);
        if (!body) return true; /* a function value */
        const IrFact *x = ir_fact(f, body);
        if (x->heavy) return true;
    }
    return false;
}

/* The folds whose value does not depend on how the range is cut. */
static bool exact_fold(const Expr *e) {
    const Builtin *b = ir_builtin_of(e);
    if (!b || e->type->kind != TY_I64) return false;
    return b->kind == B_SUM || b->kind == B_PRODUCT || b->kind == B_MINIMUM || b->kind == B_MAXIMUM;
}

static void fuse(IrFunc *f, Expr *e, int pos);

static void fusion_visit(Expr *e, void *ctx) {
    FusionWalk *w = ctx;
    fuse(w->f, e, e == w->chain_next ? w->chain_pos : 0);
}

/* pos: e's position in the chain its parent continues (0: it starts one) */
static void fuse(IrFunc *f, Expr *e, int pos) {
    IrFact *x = &f->facts[e->id];
    Expr *xs = ir_consumed_array(e);
    bool consumer = e->kind == E_FOR || (xs && builtin_fuses(ir_builtin_of(e)));
    FusionWalk w = {f, NULL, 0};
    /* foldl counts through a range itself; a chain of maps stays an array
     * the maps fill in parallel, since foldl's loop is sequential */
    const Builtin *b = ir_builtin_of(e);
    if (b && b->kind == B_FOLDL && xs->kind == E_RANGE) {
        x->fused = true;
        f->facts[xs->id].inner = true;
    }
    if (consumer && (xs->kind == E_RANGE || ir_is_stage(xs))) {
        x->fused = !ir_is_stage(e) || pos + 1 < IR_PIPE_MAX;
        if (x->fused) {
            f->facts[xs->id].inner = true;
            w.chain_next = xs;
            w.chain_pos = ir_is_stage(e) ? pos + 1 : 0;
        }
    }
    ast_visit_children(e, fusion_visit, &w);
    if (x->fused && !ir_is_stage(e)) {
        x->costly_elems = costly_elems(f, xs);
        x->lazy_fold = x->costly_elems && exact_fold(e);
    }
}

void ir_fusion(IrFunc *f) { fuse(f, f->fn->body, 0); }

static const char *stage_name(const Expr *e) {
    if (e->kind == E_FOR) return "for";
    if (e->kind == E_RANGE) return "range";
    const Builtin *b = ir_builtin_of(e);
    return b ? b->name : "array";
}

void ir_describe_fusion(const IrFunc *f, Expr *consumer, char *buf, size_t size) {
    IrPipe p;
    ir_pipe_of(f, ir_is_stage(consumer) ? consumer : ir_consumed_array(consumer), &p);
    size_t n = (size_t)snprintf(buf, size, "%s", stage_name(consumer));
    for (int k = p.n - 1; k >= 0 && n < size; k--)
        if (p.stages[k] != consumer) n += (size_t)snprintf(buf + n, size - n, " <- %s", stage_name(p.stages[k]));
    if (n < size) snprintf(buf + n, size - n, " <- %s", stage_name(p.base));
}
