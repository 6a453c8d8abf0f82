/* verify.c — the IR's invariants, checked after every build (the
 * pipeline runs it always): a broken one is a compiler bug, reported as
 * an internal error before codegen could turn it into a wrong program.
 *
 * Schedule: edges point backwards, joins are last-in-first-out, spawned
 * nodes are pure. Facts: every expression of a function has its own id;
 * a fused consumer's array is a range, map or for, marked inner; a move is
 * an array variable; in_place sits on a map, for or sort whose base is not
 * a range; a tile plan sits on a map or for of one stage; in_range sits
 * on an index of an array or string, edge_test on == or != of i64; a
 * lazy_fold is a fused fold of costly i64 elements; known_unique sits on
 * an in-place set or push, unique_state on an array foldl or iterate; a heavy
 * expression has an unbounded cost; a spawned node is heavy. */
#include "graph.h"

#include <stdarg.h>
#include <string.h>

typedef struct Check {
    const IrProgram *ir;
    const IrFunc *f;
    bool ok;
    bool *seen; /* by Expr.id */
} Check;

static void fail(Check *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "ir: %s: ", c->f->fn->name);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    c->ok = false;
}

static void check_schedule(Check *c, const IrRegion *reg) {
    int stack[4096], sp = 0;
    for (int i = 0; i <= reg->n; i++) {
        while (sp > 0 && reg->nodes[stack[sp - 1]].join_at == i) sp--;
        for (int k = 0; k < sp; k++)
            if (reg->nodes[stack[k]].join_at < i) fail(c, "join of node %d out of LIFO order", stack[k]);
        if (i == reg->n) break;
        const IrNode *n = &reg->nodes[i];
        for (int k = 0; k < n->ndeps; k++)
            if (n->deps[k] >= i) fail(c, "forward edge");
        if (n->spawn) {
            if (n->effectful) fail(c, "effectful node spawned");
            if (!ir_fact(c->f, n->expr)->heavy) fail(c, "a node without a heavy call spawned");
            if (n->join_at <= i || sp >= 4096) c->ok = false;
            else stack[sp++] = i;
        }
    }
}

static void check_expr(Expr *e, void *ctx) {
    Check *c = ctx;
    if (e->id < 0 || e->id >= c->f->nexprs || c->seen[e->id]) {
        fail(c, "expression at line %d has id %d, out of 0..%d or shared", e->loc.line, e->id, c->f->nexprs - 1);
        return;
    }
    c->seen[e->id] = true;
    const IrFact *x = ir_fact(c->f, e);
    if (x->effect != e->effect) fail(c, "line %d: the effect differs from the checker's", e->loc.line);
    if (x->heavy && x->cost != COST_UNBOUNDED) fail(c, "line %d: heavy with a bounded cost", e->loc.line);
    if (x->fused) {
        Expr *xs = ir_consumed_array(e);
        if (!xs || !(xs->kind == E_RANGE || ir_is_stage(xs)) || !ir_fact(c->f, xs)->inner)
            fail(c, "line %d: fused, but its array is not a fused range, map or for", e->loc.line);
    }
    if (x->lazy_fold && !(x->fused && x->costly_elems && e->type->kind == TY_I64))
        fail(c, "line %d: a lazy fold that is not a fused fold of costly i64 elements", e->loc.line);
    const Builtin *bk = ir_builtin_of(e);
    if (x->known_unique && !(x->in_place && bk && (bk->kind == B_SET || bk->kind == B_PUSH)))
        fail(c, "line %d: known unique, but not an in-place set or push", e->loc.line);
    if (x->unique_state && e->type->kind != TY_ARRAY)
        fail(c, "line %d: a unique state that is not an array", e->loc.line);
    if (x->move && !(e->kind == E_NAME && e->u.name.kind == NAME_LOCAL))
        fail(c, "line %d: a move of something other than a variable", e->loc.line);
    if (x->in_place) {
        const Builtin *b = ir_builtin_of(e);
        bool sort = b && builtin_in_place(b) && !ir_is_map(e); /* map is in place as a stage */
        bool fold = b && (b->kind == B_FOLDL || b->kind == B_ITERATE);
        if (!ir_is_stage(e) && !sort && !fold)
            fail(c, "line %d: in place, but not a map, for, sort, set, push, foldl or iterate", e->loc.line);
        if (sort && e->u.call.args[0]->kind == E_RANGE) fail(c, "line %d: a range sorted in place", e->loc.line);
    }
    if (x->in_range && !(e->kind == E_INDEX && (e->u.index.base->type->kind == TY_ARRAY ||
                                                e->u.index.base->type->kind == TY_STR)))
        fail(c, "line %d: in_range on something other than an array or string index", e->loc.line);
    if (x->edge_test && !(e->kind == E_BINARY && (e->u.binary.op == OP_EQ || e->u.binary.op == OP_NE) &&
                          e->u.binary.lhs->type->kind == TY_I64))
        fail(c, "line %d: edge_test on something other than == or != of i64", e->loc.line);
    if (x->tile != TILE_NONE) {
        IrPipe p;
        ir_pipe_of(c->f, e, &p);
        if (!ir_is_stage(e) || p.n != 1) fail(c, "line %d: a tile plan on a pipe of %d stages", e->loc.line, p.n);
    }
    ast_visit_children(e, check_expr, c);
}

bool ir_verify(const IrProgram *ir) {
    bool ok = true;
    for (int i = 0; i < ir->n; i++) {
        const IrFunc *f = ir->funcs[i];
        bool seen[256];
        Check c = {ir, f, true, f->nexprs <= 256 ? seen : ARENA_ARRAY(ir->arena, bool, f->nexprs)};
        memset(c.seen, 0, sizeof(bool) * (size_t)f->nexprs);
        check_expr(f->fn->body, &c);
        for (int r = 0; r < f->nregions; r++) check_schedule(&c, f->regions[r]);
        ok &= c.ok;
    }
    return ok;
}
