/* tile.c — which maps compute several elements at once (codegen/cg_tile.c
 * emits the loops; docs/compiler.md, "Tiled folds", has the why).
 *
 * TILE_ELEMS qualifies: the map's pipe (fusion.c) has one stage, a lambda
 * or `for` whose body is a fold the tile loops compute (sum or product of
 * i64 or f64: builtins.def, BF_TILE_FOLD), fused onto a range whose bounds
 * do not mention the map's variable, with at least one stage, each a
 * lambda built from "simple" code: numbers, variables, arithmetic,
 * comparisons, `if` with `else` (branches `{ e }`), indexing and tuple fields of variables,
 * len of those, and pure scalar builtins (BF_SCALAR). Such code allocates
 * nothing and calls nothing that can fail out of the tile's reach, so
 * computing 8 elements at once, t outer, changes only the order the
 * elements' checks run in; codegen makes a failing check abandon the tile
 * and redo it element by element, so the first error is the sequential
 * one. Each accumulator still meets its values in the fold's order: the
 * same bits.
 *
 * TILE_ROWS qualifies: the map's one stage has a body that is itself a map
 * or `for` over a range (bounds simple, not mentioning the outer variable)
 * with one stage that qualifies as above, and the fold's range does not
 * mention the outer variable either: matmul's `for i => for j => sum(...)`.
 */
#include "graph.h"

static bool scalar(const Type *t) { return t->kind == TY_I64 || t->kind == TY_F64 || t->kind == TY_BOOL; }

static bool simple(const Expr *e);

/* An array or tuple that is only looked into: borrowed in place, never
 * counted (a variable, an element or a field of one). */
static bool simple_place(const Expr *e) {
    switch (e->kind) {
    case E_NAME: return e->u.name.kind == NAME_LOCAL;
    case E_INDEX: return simple_place(e->u.index.base) && simple(e->u.index.index);
    case E_FIELD: return simple_place(e->u.field.base);
    default: return false;
    }
}

static bool simple(const Expr *e) {
    if (!scalar(e->type)) return false;
    switch (e->kind) {
    case E_INT: case E_FLOAT: case E_BOOL: return true;
    case E_NAME: return e->u.name.kind == NAME_LOCAL;
    case E_UNARY: return simple(e->u.unary.operand);
    case E_BINARY: return simple(e->u.binary.lhs) && simple(e->u.binary.rhs);
    case E_IF: return e->u.if_.else_ && simple(e->u.if_.cond) && simple(e->u.if_.then_) && simple(e->u.if_.else_);
    case E_BLOCK: /* an if's branch `{ e }`: just its value */
        return e->u.block.n == 1 && e->u.block.value_is_last && e->u.block.stmts[0]->kind == S_EXPR &&
               simple(e->u.block.stmts[0]->expr);
    case E_INDEX: return simple_place(e->u.index.base) && simple(e->u.index.index);
    case E_FIELD: return simple_place(e->u.field.base);
    case E_CALL: {
        const Builtin *b = ir_builtin_of(e);
        if (!b) return false;
        if (b->kind == B_LEN) return e->u.call.args[0]->kind != E_RANGE && simple_place(e->u.call.args[0]);
        if (!builtin_scalar(b)) return false;
        for (int i = 0; i < e->u.call.nargs; i++)
            if (!simple(e->u.call.args[i])) return false;
        return true;
    }
    default: return false;
    }
}

typedef struct Mentions {
    const Local *l;
    bool found;
} Mentions;

static void find_local(Expr *e, void *ctx) {
    Mentions *m = ctx;
    if (m->found) return;
    if (e->kind == E_NAME && e->u.name.kind == NAME_LOCAL && e->u.name.local == m->l) m->found = true;
    else ast_visit_children(e, find_local, m);
}

static bool mentions(Expr *e, const Local *l) {
    Mentions m = {l, false};
    find_local(e, &m);
    return m.found;
}

static bool range_free_of(const Expr *r, const Local *l) {
    return simple(r->u.range.lo) && simple(r->u.range.hi) && !mentions(r->u.range.lo, l) &&
           !mentions(r->u.range.hi, l);
}

/* The fold that makes each element of a one-stage pipe, if the tile loops
 * can compute it; *in gets the fold's own pipe. */
static Expr *tiled_fold(const IrFunc *f, const IrPipe *p, IrPipe *in) {
    Local *var;
    Expr *e = p->n == 1 ? ir_stage_body(p->stages[0], &var) : NULL;
    const Builtin *b = e ? ir_builtin_of(e) : NULL;
    if (!b || e->u.call.nargs != 1 || !builtin_tile_fold(b)) return NULL;
    if (e->type->kind != TY_F64 && e->type->kind != TY_I64) return NULL;
    if (!ir_fact(f, e)->fused) return NULL;
    ir_pipe_of(f, e->u.call.args[0], in);
    if (in->base->kind != E_RANGE || in->n == 0 || !range_free_of(in->base, var)) return NULL;
    for (int s = 0; s < in->n; s++) {
        Local *v;
        Expr *body = ir_stage_body(in->stages[s], &v);
        if (!body || !simple(body)) return NULL;
    }
    return e;
}

static bool tiled_rows(const IrFunc *f, const IrPipe *p) {
    Local *i;
    Expr *body = p->n == 1 ? ir_stage_body(p->stages[0], &i) : NULL;
    if (!body || (body->kind != E_FOR && !ir_is_map(body))) return false;
    IrPipe q, in;
    ir_pipe_of(f, body, &q);
    if (q.base->kind != E_RANGE || q.n != 1 || !range_free_of(q.base, i)) return false;
    if (!tiled_fold(f, &q, &in)) return false;
    return !mentions(in.base->u.range.lo, i) && !mentions(in.base->u.range.hi, i);
}

static void plan(Expr *e, void *ctx) {
    IrFunc *f = ctx;
    ast_visit_children(e, plan, f);
    if (e->kind != E_FOR && !ir_is_map(e)) return;
    IrPipe p, in;
    ir_pipe_of(f, e, &p);
    f->facts[e->id].tile = tiled_fold(f, &p, &in) ? TILE_ELEMS : tiled_rows(f, &p) ? TILE_ROWS : TILE_NONE;
}

void ir_tiles(IrFunc *f) { plan(f->fn->body, f); }
