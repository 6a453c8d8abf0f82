/* ranges.c — index checks and edge tests of a loop over a range that a
 * chunk can settle once, for the middle of its index range.
 *
 * Qualifies, inside the body of `for j in lo..hi` or of a lambda given to
 * `map(lo..hi, ...)` (and not inside a loop body nested in it):
 *  - IrFact.in_range: `a[j]`, `a[j + c]`, `a[c + j]`, `a[j - c]`, c an
 *    integer literal, a an array or string that is the same in every
 *    iteration: a capture of the body, or a row `b[k]` hoisted out of it
 *    (IrFact.hoist, hoist.c).
 *  - IrFact.edge_test: `j == k` or `j != k` (either side), k the same in
 *    every iteration (numbers, + - * and captures, as hoist.c's indexes).
 * A stencil's `for j in 0..n => if j == 0 or j == n - 1 { g[i][j] } else
 * { ... g[i][j - 1] ... g[i][j + 1] }` is such a body: for 0 < j < n - 1
 * no check can fail and both tests are false.
 *
 * Why it is safe: codegen (cg_ranges.c) cuts a chunk [lo, hi) into
 * [lo, s), [s, e) and [e, hi), where [s, e) holds only the j for which
 * every listed index is in bounds (the lengths are read once: arrays are
 * immutable and the captures live while the loop runs) and no listed k is
 * j. The outer parts run the body as written; the middle runs it without
 * those checks and with those tests constant. The elements are computed in
 * the same order, one after the other, so values, effects and the first
 * error are those of the unsplit loop; a check that could fail in the
 * middle is one the split did not settle, and it stays. */
#include "graph.h"

/* |c| below this: the bounds s and e stay far from overflow (cg_ranges.c
 * computes them in 128 bits anyway) */
#define MAX_OFFSET (1 << 30)

typedef struct RangeWalk {
    IrFunc *f;
    int depth;      /* lambda/for bodies entered, as hoist.c counts them */
    const Local *j; /* the variable of the innermost body when its loop is over a range */
} RangeWalk;

static bool is_var(const Expr *e, const Local *j) {
    return e->kind == E_NAME && e->u.name.kind == NAME_LOCAL && e->u.name.local == j;
}

static bool small_int(const Expr *e) { return e->kind == E_INT && e->u.ival > -MAX_OFFSET && e->u.ival < MAX_OFFSET; }

/* j, j + c, c + j, j - c */
static bool shifted_var(const Expr *k, const Local *j) {
    if (is_var(k, j)) return true;
    if (k->kind != E_BINARY) return false;
    const Expr *l = k->u.binary.lhs, *r = k->u.binary.rhs;
    if (k->u.binary.op == OP_ADD) return (is_var(l, j) && small_int(r)) || (small_int(l) && is_var(r, j));
    return k->u.binary.op == OP_SUB && is_var(l, j) && small_int(r);
}

static bool invariant_seq(const Expr *a, const RangeWalk *w) {
    if (a->type->kind != TY_ARRAY && a->type->kind != TY_STR) return false;
    if (a->kind == E_NAME) return a->u.name.kind == NAME_LOCAL && a->u.name.local->depth < w->depth;
    return a->kind == E_INDEX && w->f->facts[a->id].hoist;
}

static bool edge_test(const Expr *e, const RangeWalk *w) {
    if (e->kind != E_BINARY || (e->u.binary.op != OP_EQ && e->u.binary.op != OP_NE)) return false;
    const Expr *l = e->u.binary.lhs, *r = e->u.binary.rhs;
    if (l->type->kind != TY_I64) return false;
    return (is_var(l, w->j) && ir_invariant_expr(r, w->depth)) || (is_var(r, w->j) && ir_invariant_expr(l, w->depth));
}

/* the variable of a loop body over a range: for j in lo..hi, map(lo..hi, fn(j) => ...) */
static const Local *range_var(Expr *e) {
    if (e->kind == E_FOR) return e->u.for_.iter->kind == E_RANGE ? e->u.for_.local : NULL;
    if (!ir_is_map(e) || e->u.call.args[0]->kind != E_RANGE) return NULL;
    Local *var = NULL;
    return ir_stage_body(e, &var) ? var : NULL;
}

static void range_visit(Expr *e, void *ctx) {
    RangeWalk *w = ctx;
    if (w->j) {
        IrFact *x = &w->f->facts[e->id];
        x->in_range = e->kind == E_INDEX && shifted_var(e->u.index.index, w->j) && invariant_seq(e->u.index.base, w);
        x->edge_test = edge_test(e, w);
    }
    const Local *j = NULL;
    Expr *body = NULL;
    if (e->kind == E_FOR) {
        range_visit(e->u.for_.iter, w);
        j = range_var(e);
        body = e->u.for_.body;
    } else if (e->kind == E_LAMBDA) {
        body = e->u.lambda.body;
    } else if (ir_is_map(e) && e->u.call.args[1]->kind == E_LAMBDA && (j = range_var(e))) {
        range_visit(e->u.call.args[0], w);
        body = e->u.call.args[1]->u.lambda.body;
    }
    if (!body) {
        ast_visit_children(e, range_visit, w);
        return;
    }
    const Local *outer = w->j;
    w->depth++;
    w->j = j;
    range_visit(body, w);
    w->j = outer;
    w->depth--;
}

void ir_ranges(IrFunc *f) {
    RangeWalk w = {f, 0, NULL};
    range_visit(f->fn->body, &w);
}
