/* cost.c — what an expression costs: its effect, whether its running time
 * is bounded, and a static estimate of its work.
 *
 * Qualifies as unbounded: a call of a function value (its code is not
 * known here) or of a builtin working on a whole array or string
 * (builtins.def, BF_DATA), anywhere inside the expression; a constructor
 * call (spec 3.1) is one allocation, bounded. A call of a
 * user function is bounded when the function is not heavy: it does not
 * recurse and calls nothing unbounded (graph.c decides heaviness over the
 * call graph from these facts). An expression is heavy, worth a task of
 * its own, when it is unbounded or calls a heavy function.
 *
 * The cost estimate counts operations: one per expression, plus the body
 * cost of each bounded user function it calls; unbounded work and a `for`
 * (a loop over an array of any length) saturate at COST_UNBOUNDED. A
 * lambda counts its body once, as for a call of it. (A `for` whose body is
 * bounded does not make a function heavy: that rule predates the estimate,
 * which decides nothing yet; granularity control will read it.)
 *
 * Both passes are bottom-up over the function's expressions, so each fact
 * is decided once per expression. */
#include "graph.h"

static uint32_t add_cost(uint32_t a, uint32_t b) { return a > COST_UNBOUNDED - b ? COST_UNBOUNDED : a + b; }

static FnDecl *callee_fn(const Expr *e) {
    const Expr *c = e->u.call.callee;
    return c->kind == E_NAME && c->u.name.kind == NAME_FN ? c->u.name.fn : NULL;
}

typedef struct LocalWalk {
    IrFunc *f;
    bool unbounded, calls_fn; /* of the children visited so far */
} LocalWalk;

static void local_visit(Expr *e, void *ctx) {
    LocalWalk *up = ctx;
    LocalWalk w = {up->f, false, false};
    ast_visit_children(e, local_visit, &w);
    IrFact *x = &up->f->facts[e->id];
    x->effect = e->effect;
    x->unbounded = w.unbounded;
    x->calls_fn = w.calls_fn;
    if (e->kind == E_CALL) {
        const Builtin *b = ir_builtin_of(e);
        const Expr *callee = e->u.call.callee;
        if (b) x->unbounded |= builtin_data(b);
        else if (callee_fn(e)) x->calls_fn = true;
        else if (callee->kind == E_NAME && callee->u.name.kind == NAME_CTOR) {} /* one allocation */
        else x->unbounded = true; /* a function value */
    }
    up->unbounded |= x->unbounded;
    up->calls_fn |= x->calls_fn;
}

void ir_cost_local(IrFunc *f) {
    LocalWalk w = {f, false, false};
    local_visit(f->fn->body, &w);
}

typedef struct CallWalk {
    const IrProgram *ir;
    IrFunc *f;
    bool heavy;
    uint32_t cost;
} CallWalk;

static void calls_visit(Expr *e, void *ctx) {
    CallWalk *up = ctx;
    CallWalk w = {up->ir, up->f, false, 0};
    ast_visit_children(e, calls_visit, &w);
    IrFact *x = &up->f->facts[e->id];
    x->heavy = w.heavy || x->unbounded;
    x->cost = x->unbounded || e->kind == E_FOR ? COST_UNBOUNDED : add_cost(w.cost, 1);
    FnDecl *fn = e->kind == E_CALL ? callee_fn(e) : NULL;
    if (fn && fn->index >= 0) {
        const IrFunc *g = up->ir->funcs[fn->index];
        x->heavy |= g->heavy;
        x->cost = g->heavy ? COST_UNBOUNDED : add_cost(x->cost, g->cost);
    }
    up->heavy |= x->heavy;
    up->cost = add_cost(up->cost, x->cost);
}

void ir_cost_calls(const IrProgram *ir, IrFunc *f) {
    CallWalk w = {ir, f, false, 0};
    calls_visit(f->fn->body, &w);
    f->cost = f->heavy ? COST_UNBOUNDED : ir_fact(f, f->fn->body)->cost;
}
