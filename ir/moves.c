/* moves.c — moves and in-place updates: the last use of an owned array
 * variable may take the binding's reference instead of borrowing it, and a
 * consumer handed an array nobody else refers to may update it in place.
 *
 * `let xs = gen(n); let ys = sort(xs)` would sort a copy of xs: sort gets
 * a borrowed xs and must not change it, and xs lives until its block ends.
 * When nothing can read xs after that use, the use may take the binding's
 * reference (`move`, on the use), and the consumer (sort, map, for, set,
 * push, the initial state of foldl and iterate) works in place when the
 * count is 1 (docs/compiler.md "Ownership"). What may still read the
 * variable decides:
 *
 *  - a later use: the use must be the last one on every path. Uses are
 *    walked backwards in the order codegen evaluates them (statements and
 *    operands left to right, a condition before its branches, a scrutinee
 *    before its arms); only one branch of an `if` or a `match` runs, so a
 *    use in one branch is last when nothing follows the whole `if`. The
 *    consumer's own later arguments do not count: they are evaluated
 *    before it changes anything (`set(h, x, h[x] + 1)`).
 *  - an earlier use that is still held: an operand is borrowed until the
 *    call or operator that takes it runs, so in `f(xs, sort(xs))` the
 *    first xs still points at the array while sort would change it. A use
 *    moves only when no sibling operand before it, at any level up to its
 *    statement, reads the variable; a match's scrutinee is held during all
 *    its arms (its bindings point into it).
 *  - another task: a variable a spawned node reads is borrowed from the
 *    spawner's frame while the task runs; such a variable never moves.
 *  - a closure: lambdas and for bodies count their captures (a closure holds
 *    its own reference), so they are safe; but a use inside one may run
 *    many times, so only the closure's own bindings move there.
 *
 * And the binding must be the generated code's own: a `let` of the same
 * lambda/for level; an owned parameter (IrFunc.param_owned, below); the state parameter of a
 * lambda given to foldl or iterate, which the fold's loop hands to each
 * step. Not under `and`/`or` or in a match guard, which run conditionally
 * inside an expression and have no branches codegen can reconcile (an
 * `if`'s and a match's branches each release what the others took:
 * cg_branch_*). A use inside a spawned task's function borrows from the
 * spawner's frame and gets a reference of its own instead (cg_take).
 *
 * `move` is set on every last use of an owned binding that passes the
 * checks above, the held one included: where codegen needs an owned value
 * there (a block's or branch's result, a value stored in a tuple or box,
 * a let), it takes the binding's reference instead of counting a new one.
 * That changes no array, but its new owner may drop it before the
 * operator that holds an earlier use runs (a let inside an operand).
 * `in_place` needs the held check too.
 *
 * `in_place`, on a map, for, sort, set or push: the array at the base of
 * its pipe (fusion.c; the others' argument 0) is handed over; on foldl and
 * iterate: the initial state (argument 1). Handed over means a temporary
 * (not a variable, an element or a field: ir_borrows_in_place) or a moved
 * variable. Never a range, which is no array.
 *
 * `take_field`, on `t.k` where t is a tuple or record variable at a last
 * use that may move (the held check too): the projection takes field k's
 * reference out of t and codegen releases t's other fields, so `t.k` is a
 * temporary like a call's result. A fold whose state is `(xs, seed)` can
 * then `push(st.0, x)` in place.
 *
 * `handed`, on an argument of a call of a user function whose parameter is
 * owned: the argument is a temporary or a variable that may move (the held
 * check too), so the caller gives its reference away; any other argument
 * gets a reference of its own.
 *
 * Which parameters are owned (IrFunc.param_owned: the caller hands over a
 * reference) is decided for the whole program first:
 *  - of a loop (a function with a self tail call), a parameter some tail
 *    call gives another value: the loop then holds fresh values, which it
 *    must release;
 *  - an array parameter the body would hand over to an in-place consumer or
 *    to another call's owned parameter, were it owned: `set(xs, i, v)` in a
 *    helper then updates the caller's array in place when the caller is
 *    done with it;
 *  - a tuple or record parameter holding an array whose last use takes it
 *    apart (`let (ys, x) = st`, or `st.0` with take_field): a fold's named
 *    step function `(push(st.0, x), x)` then extends the state in place.
 * Every other parameter is borrowed, as a loop's read-only array passed
 * along unchanged (`has(xs, v, i + 1)`): no count is touched. What a body
 * would consume is found by running the analysis above with the candidates
 * owned; since that depends on the callees' parameters, rounds repeat until
 * nothing changes (ownership only grows, so they end). Any round's answer
 * is safe, because callers and callee read the same param_owned. */
#include <string.h>

#include "graph.h"

/* ---- self tail calls ---------------------------------------------------------- */

/* Is there a call to f itself in tail position of e? */
static bool has_self_tail(const FnDecl *f, const Expr *e) {
    if (!e) return false;
    switch (e->kind) {
    case E_CALL:
        return e->u.call.callee->kind == E_NAME && e->u.call.callee->u.name.kind == NAME_FN &&
               e->u.call.callee->u.name.fn == f;
    case E_IF: return has_self_tail(f, e->u.if_.then_) || has_self_tail(f, e->u.if_.else_);
    case E_MATCH:
        for (int i = 0; i < e->u.match_.n; i++)
            if (has_self_tail(f, e->u.match_.arms[i]->body)) return true;
        return false;
    case E_BLOCK:
        return e->u.block.value_is_last && e->u.block.n > 0 &&
               has_self_tail(f, e->u.block.stmts[e->u.block.n - 1]->expr);
    default: return false;
    }
}

/* Marks in varies[k] the parameters some self tail call of f in e gives
 * another value than the parameter itself. */
static void self_tail_args(const FnDecl *f, const Expr *e, bool *varies) {
    if (!e) return;
    switch (e->kind) {
    case E_CALL:
        if (e->u.call.callee->kind == E_NAME && e->u.call.callee->u.name.kind == NAME_FN &&
            e->u.call.callee->u.name.fn == f)
            for (int k = 0; k < e->u.call.nargs && k < f->nparams; k++) {
                const Expr *a = e->u.call.args[k];
                varies[k] |= !(a->kind == E_NAME && a->u.name.kind == NAME_LOCAL && a->u.name.local == f->params[k]->local);
            }
        return;
    case E_IF: self_tail_args(f, e->u.if_.then_, varies); self_tail_args(f, e->u.if_.else_, varies); return;
    case E_MATCH:
        for (int i = 0; i < e->u.match_.n; i++) self_tail_args(f, e->u.match_.arms[i]->body, varies);
        return;
    case E_BLOCK:
        if (e->u.block.value_is_last && e->u.block.n > 0)
            self_tail_args(f, e->u.block.stmts[e->u.block.n - 1]->expr, varies);
        return;
    default: return;
    }
}

/* ---- which bindings the code owns ---------------------------------------------- */

typedef struct Moves {
    Arena *a;
    const IrProgram *ir;
    IrFunc *f;
    int nlocals;
    bool *owned;   /* per local: a binding the generated code owns (see above) */
    bool *shared;  /* per local: read by a spawned node: never moved */
    bool *live;    /* per local, during the backward walk: read later */
    int *held;     /* per local, during the forward walk: held by earlier operands */
    bool *last;    /* per expression id: a use that is last (backward walk) */
    bool *movable; /* per expression id: a use that may move */
    int depth;     /* lambda/for nesting of the forward walk */
    int cond;      /* and/or right sides, guards entered */
} Moves;

static void own_let(Moves *m, const Pattern *p) {
    if (p->is_tuple) {
        for (int i = 0; i < p->n; i++) own_let(m, p->items[i]);
    } else if (p->local) {
        m->owned[p->local->id] = true;
    }
}

static bool is_fold_step(const Builtin *b) { return b && (b->kind == B_FOLDL || b->kind == B_ITERATE); }

static void find_owned(Expr *e, void *ctx) {
    Moves *m = ctx;
    if (e->kind == E_BLOCK)
        for (int i = 0; i < e->u.block.n; i++)
            if (e->u.block.stmts[i]->kind == S_LET) own_let(m, e->u.block.stmts[i]->pat);
    const Builtin *b = ir_builtin_of(e);
    if (is_fold_step(b)) {
        Expr *fn = e->u.call.args[2];
        if (fn->kind == E_LAMBDA && fn->u.lambda.nparams > 0 && fn->u.lambda.params[0]->local)
            m->owned[fn->u.lambda.params[0]->local->id] = true;
    }
    ast_visit_children(e, find_owned, ctx);
}

/* ---- later uses: backwards ----------------------------------------------------- */

/* t.k of a local tuple or record whose field k is a plain number or
 * bool: its value is copied out of t's own (by-value) struct, so it
 * neither reads what a move of t gave away nor points into t. Such
 * reads are no uses of t for the last-use and held checks, and
 * `(push(st.0, x), st.1)` still takes st.0. */
static bool plain_field(const Expr *e) {
    if (e->kind != E_FIELD) return false;
    const Expr *t = e->u.field.base;
    TypeKind k = e->type->kind;
    return t->kind == E_NAME && t->u.name.kind == NAME_LOCAL && (k == TY_I64 || k == TY_F64 || k == TY_BOOL);
}

static void back(Moves *m, Expr *e);

static void back_list(Moves *m, Expr **es, int n) {
    for (int i = n - 1; i >= 0; i--) back(m, es[i]);
}

/* live after a choice: the union of what is live after each branch */
static void back_branches(Moves *m, Expr **branches, int n) {
    bool *after = ARENA_ARRAY(m->a, bool, m->nlocals + 1);
    bool *any = ARENA_ARRAY(m->a, bool, m->nlocals + 1);
    memcpy(after, m->live, sizeof(bool) * (size_t)m->nlocals);
    for (int i = 0; i < n; i++) {
        memcpy(m->live, after, sizeof(bool) * (size_t)m->nlocals);
        if (branches[i]) back(m, branches[i]);
        for (int k = 0; k < m->nlocals; k++) any[k] |= m->live[k];
    }
    memcpy(m->live, any, sizeof(bool) * (size_t)m->nlocals);
}

static void back_visit(Expr *e, void *ctx) { back(ctx, e); }

static void back(Moves *m, Expr *e) {
    if (!e || plain_field(e)) return;
    switch (e->kind) {
    case E_NAME:
        if (e->u.name.kind == NAME_LOCAL) {
            int id = e->u.name.local->id;
            m->last[e->id] = !m->live[id];
            m->live[id] = true;
        }
        return;
    case E_BLOCK:
        for (int i = e->u.block.n - 1; i >= 0; i--) back(m, e->u.block.stmts[i]->expr);
        return;
    case E_IF: {
        Expr *br[2] = {e->u.if_.then_, e->u.if_.else_};
        back_branches(m, br, 2);
        back(m, e->u.if_.cond);
        return;
    }
    case E_MATCH: {
        /* a guard runs before its body, and when it fails the later arms
         * run: its uses are followed by both */
        int n = e->u.match_.n;
        Expr **br = ARENA_ARRAY(m->a, Expr *, n + 1);
        for (int i = 0; i < n; i++) br[i] = e->u.match_.arms[i]->body;
        back_branches(m, br, n);
        for (int i = n - 1; i >= 0; i--) back(m, e->u.match_.arms[i]->guard);
        back(m, e->u.match_.scrutinee);
        return;
    }
    case E_CALL: {
        /* the array a consumer is handed is last if nothing reads it after
         * the call: its other arguments run before the consumer does
         * (set(h, x, h[x] + 1) writes after reading h[x]) */
        Expr *h = ir_handed(m->f, e);
        bool named = h && h->kind == E_NAME && h->u.name.kind == NAME_LOCAL;
        bool after = named && m->live[h->u.name.local->id];
        back_list(m, e->u.call.args, e->u.call.nargs);
        back(m, e->u.call.callee);
        if (named) m->last[h->id] = !after;
        return;
    }
    case E_TUPLE: case E_ARRAY: back_list(m, e->u.list.items, e->u.list.n); return;
    case E_BINARY: back(m, e->u.binary.rhs); back(m, e->u.binary.lhs); return;
    case E_RANGE: back(m, e->u.range.hi); back(m, e->u.range.lo); return;
    case E_INDEX: back(m, e->u.index.index); back(m, e->u.index.base); return;
    case E_RECORD:
        back(m, e->u.record.base);
        for (int i = e->u.record.n - 1; i >= 0; i--) back(m, e->u.record.inits[i]->value);
        return;
    case E_LAMBDA:
        /* the body runs later, maybe many times: its reads of outer
         * variables go through the captures (counted); its own bindings'
         * last uses are within one run */
        back(m, e->u.lambda.body);
        for (int i = 0; i < e->u.lambda.ncaptures; i++) m->live[e->u.lambda.captures[i]->id] = true;
        return;
    case E_FOR:
        back(m, e->u.for_.body);
        for (int i = 0; i < e->u.for_.ncaptures; i++) m->live[e->u.for_.captures[i]->id] = true;
        back(m, e->u.for_.iter);
        return;
    default: ast_visit_children(e, back_visit, m); return;
    }
}

/* ---- earlier uses still held: forwards ------------------------------------------- */

static void fwd(Moves *m, Expr *e);

/* adds delta to the held count of every local e reads */
typedef struct HoldCtx {
    Moves *m;
    int delta;
} HoldCtx;
static void hold_walk(Expr *e, void *ctx) {
    HoldCtx *h = ctx;
    if (plain_field(e)) return;
    if (e->kind == E_NAME && e->u.name.kind == NAME_LOCAL) h->m->held[e->u.name.local->id] += h->delta;
    ast_visit_children(e, hold_walk, ctx);
}
static void hold_add(Moves *m, Expr *e, int delta) {
    HoldCtx h = {m, delta};
    if (e) hold_walk(e, &h);
}

/* operands left to right: each is visited while the ones before it are held */
static void fwd_operands(Moves *m, Expr **es, int n) {
    for (int i = 0; i < n; i++) {
        fwd(m, es[i]);
        hold_add(m, es[i], 1);
    }
    for (int i = 0; i < n; i++) hold_add(m, es[i], -1);
}

static void fwd_cond(Moves *m, Expr *e) {
    m->cond++;
    fwd(m, e);
    m->cond--;
}

static void fwd_visit(Expr *e, void *ctx) { fwd(ctx, e); }

static void fwd(Moves *m, Expr *e) {
    if (!e) return;
    switch (e->kind) {
    case E_NAME:
        if (e->u.name.kind == NAME_LOCAL) {
            const Local *l = e->u.name.local;
            bool last = m->last[e->id] && m->owned[l->id] && !m->shared[l->id] && l->depth == m->depth &&
                        m->cond == 0;
            /* a last use that yields an owned value (a result, a stored
             * value) takes the binding instead of counting one more
             * reference, and handing it to a consumer that updates in
             * place, too, needs no operand before it to still point at
             * it: in `v + { let s = v; slice(s, 0, 1) }` s took v's
             * reference and dropped it at its block's end, freeing the
             * string the `+` still held (found by tests/run_diff.py) */
            m->f->facts[e->id].move = last && m->held[l->id] == 0;
            m->movable[e->id] = m->f->facts[e->id].move;
        }
        return;
    case E_CALL: {
        int n = e->u.call.nargs;
        Expr **ops = ARENA_ARRAY(m->a, Expr *, n + 2);
        int k = 0;
        if (e->u.call.callee->kind != E_NAME) ops[k++] = e->u.call.callee;
        for (int i = 0; i < n; i++) ops[k++] = e->u.call.args[i];
        fwd_operands(m, ops, k);
        return;
    }
    case E_TUPLE: case E_ARRAY: fwd_operands(m, e->u.list.items, e->u.list.n); return;
    case E_BINARY: {
        if (e->u.binary.op == OP_AND || e->u.binary.op == OP_OR) {
            fwd(m, e->u.binary.lhs);
            fwd_cond(m, e->u.binary.rhs);
            return;
        }
        Expr *ops[2] = {e->u.binary.lhs, e->u.binary.rhs};
        fwd_operands(m, ops, 2);
        return;
    }
    case E_RANGE: {
        Expr *ops[2] = {e->u.range.lo, e->u.range.hi};
        fwd_operands(m, ops, 2);
        return;
    }
    case E_INDEX: {
        Expr *ops[2] = {e->u.index.base, e->u.index.index};
        fwd_operands(m, ops, 2);
        return;
    }
    case E_RECORD: {
        int n = e->u.record.n;
        Expr **ops = ARENA_ARRAY(m->a, Expr *, n + 2);
        for (int i = 0; i < n; i++) ops[i] = e->u.record.inits[i]->value;
        if (e->u.record.base) ops[n++] = e->u.record.base;
        fwd_operands(m, ops, n);
        return;
    }
    case E_MATCH:
        fwd(m, e->u.match_.scrutinee);
        hold_add(m, e->u.match_.scrutinee, 1);
        for (int i = 0; i < e->u.match_.n; i++) {
            if (e->u.match_.arms[i]->guard) fwd_cond(m, e->u.match_.arms[i]->guard);
            fwd(m, e->u.match_.arms[i]->body);
        }
        hold_add(m, e->u.match_.scrutinee, -1);
        return;
    case E_LAMBDA: case E_FOR: {
        if (e->kind == E_FOR) fwd(m, e->u.for_.iter);
        /* a closure body is code of its own: what its enclosing
         * expression holds is not held inside it */
        int cond = m->cond;
        m->cond = 0;
        m->depth++;
        fwd(m, e->kind == E_FOR ? e->u.for_.body : e->u.lambda.body);
        m->depth--;
        m->cond = cond;
        return;
    }
    default: ast_visit_children(e, fwd_visit, m); return;
    }
}

/* ---- the decisions ------------------------------------------------------------- */

bool ir_borrows_in_place(const Expr *e) {
    return e->kind == E_NAME || e->kind == E_STR || e->kind == E_INDEX || e->kind == E_FIELD;
}

static bool movable(const Moves *m, const Expr *e) {
    if (e->kind == E_FIELD) return m->f->facts[e->id].take_field;
    return e->kind == E_NAME && e->u.name.kind == NAME_LOCAL && e->type->kind == TY_ARRAY && m->movable[e->id];
}

static bool is_aggregate(const Type *t) { return t->kind == TY_TUPLE || t->kind == TY_RECORD; }

Expr *ir_handed(const IrFunc *f, Expr *e) {
    const Builtin *b = ir_builtin_of(e);
    if (is_fold_step(b)) return e->u.call.args[1]->type->kind == TY_ARRAY ? e->u.call.args[1] : NULL;
    if (b && builtin_in_place(b) && !ir_is_map(e)) return e->u.call.args[0]; /* map is in place as a stage */
    if (e->kind == E_FOR || ir_is_map(e)) {
        IrPipe p;
        ir_pipe_of(f, e, &p);
        return p.base;
    }
    return NULL;
}

/* the function a call calls by name, with its owned parameters, or NULL */
static const IrFunc *owning_callee(const Moves *m, const Expr *e) {
    if (e->kind != E_CALL || e->u.call.callee->kind != E_NAME || e->u.call.callee->u.name.kind != NAME_FN) return NULL;
    const FnDecl *fn = e->u.call.callee->u.name.fn;
    return fn->index >= 0 && fn->index < m->ir->n && m->ir->funcs[fn->index]->param_owned ? m->ir->funcs[fn->index]
                                                                                           : NULL;
}

static void mark(Expr *e, void *ctx) {
    Moves *m = ctx;
    ast_visit_children(e, mark, m);
    if (e->kind == E_FIELD) {
        const Expr *t = e->u.field.base;
        m->f->facts[e->id].take_field = t->kind == E_NAME && t->u.name.kind == NAME_LOCAL && is_aggregate(t->type) &&
                                        m->movable[t->id];
    }
    const IrFunc *g = owning_callee(m, e);
    if (g)
        for (int i = 0; i < e->u.call.nargs && i < g->fn->nparams; i++) {
            Expr *arg = e->u.call.args[i];
            if (g->param_owned[i]) m->f->facts[arg->id].handed = !ir_borrows_in_place(arg) || movable(m, arg);
        }
    Expr *base = ir_handed(m->f, e);
    if (!base || base->kind == E_RANGE) return;
    IrFact *x = &m->f->facts[e->id];
    if (!ir_borrows_in_place(base)) {
        x->in_place = true; /* a temporary */
    } else if (movable(m, base)) {
        x->in_place = true;
    }
}

static Moves moves_new(Arena *a, const IrProgram *ir, IrFunc *f, int nlocals) {
    Moves m = {a, ir, f, nlocals, ARENA_ARRAY(a, bool, nlocals + 1), ARENA_ARRAY(a, bool, nlocals + 1),
               ARENA_ARRAY(a, bool, nlocals + 1), ARENA_ARRAY(a, int, nlocals + 1),
               ARENA_ARRAY(a, bool, f->nexprs + 1), ARENA_ARRAY(a, bool, f->nexprs + 1), 0, 0};
    return m;
}

/* owned[]: the bindings; param_owned[] says which parameters */
static void moves_run(Moves *m, const bool *param_owned) {
    IrFunc *f = m->f;
    for (int i = 0; i < f->nexprs; i++) f->facts[i].in_place = f->facts[i].handed = f->facts[i].take_field = false;
    find_owned(f->fn->body, m);
    for (int i = 0; i < f->fn->nparams; i++)
        if (param_owned[i]) m->owned[f->fn->params[i]->local->id] = true;
    /* what a spawned task reads is borrowed from its spawner's frame */
    for (int r = 0; r < f->nregions; r++)
        for (int k = 0; k < f->regions[r]->n; k++) {
            const IrNode *n = &f->regions[r]->nodes[k];
            if (n->spawn)
                for (int c = 0; c < n->ncaptures; c++) m->shared[n->captures[c]->id] = true;
        }
    back(m, f->fn->body);
    fwd(m, f->fn->body);
    mark(f->fn->body, m);
}

/* After a run with the candidates owned: does the body hand over l? */
typedef struct ConsumeWalk {
    Moves *m;
    const Local *l;
    bool found;
} ConsumeWalk;

static bool names(const Expr *e, const Local *l) {
    return e && e->kind == E_NAME && e->u.name.kind == NAME_LOCAL && e->u.name.local == l;
}

static void consume_visit(Expr *e, void *ctx) {
    ConsumeWalk *w = ctx;
    const IrFact *x = ir_fact(w->m->f, e);
    if (x->in_place && names(ir_handed(w->m->f, e), w->l)) w->found = true;
    /* a tuple or record parameter: a field taken out, or the whole value
     * taken apart by a let, gives its arrays to the body's own bindings */
    if (x->take_field && names(e->u.field.base, w->l)) w->found = true;
    if (e->kind == E_BLOCK)
        for (int i = 0; i < e->u.block.n; i++) {
            const Stmt *s = e->u.block.stmts[i];
            if (s->kind == S_LET && names(s->expr, w->l) && w->m->movable[s->expr->id]) w->found = true;
        }
    if (e->kind == E_CALL && owning_callee(w->m, e))
        for (int i = 0; i < e->u.call.nargs; i++)
            if (names(e->u.call.args[i], w->l) && ir_fact(w->m->f, e->u.call.args[i])->handed) w->found = true;
    if (!w->found) ast_visit_children(e, consume_visit, ctx);
}

/* an array, or a tuple or record with an array among its fields */
static bool holds_array(const Type *t) {
    if (t->kind == TY_ARRAY) return true;
    if (!is_aggregate(t)) return false;
    for (int i = 0; i < t->n; i++)
        if (holds_array(t->items[i])) return true;
    return false;
}

void ir_param_ownership(Arena *a, IrProgram *ir) {
    for (int i = 0; i < ir->n; i++) {
        IrFunc *f = ir->funcs[i];
        f->self_tail = has_self_tail(f->fn, f->fn->body);
        f->param_owned = ARENA_ARRAY(a, bool, f->fn->nparams + 1);
        if (f->self_tail) self_tail_args(f->fn, f->fn->body, f->param_owned);
    }
    for (bool changed = true; changed;) {
        changed = false;
        for (int i = 0; i < ir->n; i++) {
            IrFunc *f = ir->funcs[i];
            int np = f->fn->nparams;
            bool *probe = ARENA_ARRAY(a, bool, np + 1), any = false;
            for (int k = 0; k < np; k++) {
                probe[k] = f->param_owned[k] || holds_array(f->fn->params[k]->type);
                any |= probe[k] && !f->param_owned[k];
            }
            if (!any) continue;
            Moves m = moves_new(a, ir, f, ir->prog->nlocals[i]);
            moves_run(&m, probe);
            for (int k = 0; k < np; k++) {
                if (f->param_owned[k] || !probe[k]) continue;
                ConsumeWalk w = {&m, f->fn->params[k]->local, false};
                consume_visit(f->fn->body, &w);
                if (w.found) f->param_owned[k] = changed = true;
            }
        }
    }
}

void ir_moves(Arena *a, const IrProgram *ir, IrFunc *f, int nlocals) {
    Moves m = moves_new(a, ir, f, nlocals);
    moves_run(&m, f->param_owned);
}
