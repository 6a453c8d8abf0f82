/* hoist.c — which element reads of a loop body are the same in every
 * iteration, so a chunk of the loop may read them once, before it starts.
 *
 * Qualifies (IrFact.hoist): `a[k]` inside the body of a `for` or of a
 * lambda given to map, where a is a variable of array type and k an
 * expression of numbers, + - * and variables, all variables bound
 * outside that body (its captures). A stencil's `g[i - 1][j]` in
 * `for j in 0..n => ...` then reads the row g[i - 1] once per chunk, not
 * once per cell, which LLVM cannot do: the read sits behind its bounds
 * check, inside the branch that uses it.
 *
 * Why it is safe: a capture cannot change while the loop runs (values are
 * immutable and the spawner keeps them alive), and nothing in k can fail
 * (no division, no call), so computing it early changes no error. Codegen
 * (cg_hoist.c) reads the element early only when k is in bounds, and still
 * checks k where the program reads a[k], so an out-of-bounds index fails
 * at the same place and in the same order as before. Only the innermost
 * body counts: an index naming the outer loop's variable is hoisted out of
 * the inner loop, not out of the outer one. */
#include "graph.h"

typedef struct HoistWalk {
    IrFunc *f;
    int depth; /* lambda/for bodies entered; 0: the function's own code */
} HoistWalk;

bool ir_invariant_expr(const Expr *k, int depth) {
    switch (k->kind) {
    case E_INT: return true;
    case E_NAME: return k->u.name.kind == NAME_LOCAL && k->u.name.local->depth < depth;
    case E_UNARY: return k->u.unary.op == OP_NEG && ir_invariant_expr(k->u.unary.operand, depth);
    case E_BINARY:
        return (k->u.binary.op == OP_ADD || k->u.binary.op == OP_SUB || k->u.binary.op == OP_MUL) &&
               ir_invariant_expr(k->u.binary.lhs, depth) && ir_invariant_expr(k->u.binary.rhs, depth);
    default: return false;
    }
}

static void hoist_visit(Expr *e, void *ctx) {
    HoistWalk *w = ctx;
    if (e->kind == E_INDEX && w->depth > 0) {
        const Expr *a = e->u.index.base;
        w->f->facts[e->id].hoist = a->kind == E_NAME && a->u.name.kind == NAME_LOCAL && a->type->kind == TY_ARRAY &&
                                   a->u.name.local->depth < w->depth &&
                                   ir_invariant_expr(e->u.index.index, w->depth);
    }
    bool body = e->kind == E_FOR || e->kind == E_LAMBDA;
    if (body && e->kind == E_FOR) hoist_visit(e->u.for_.iter, w);
    if (body) {
        w->depth++;
        hoist_visit(e->kind == E_FOR ? e->u.for_.body : e->u.lambda.body, w);
        w->depth--;
        return;
    }
    ast_visit_children(e, hoist_visit, w);
}

void ir_hoist(IrFunc *f) {
    HoistWalk w = {f, 0};
    hoist_visit(f->fn->body, &w);
}
