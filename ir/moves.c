/* moves.c — moves and in-place updates: the only use of a `let`-bound
 * array may take the binding's reference instead of borrowing it, and a
 * consumer handed an array nobody else refers to may update it in place.
 *
 * `let xs = gen(n); let ys = sort(xs)` would sort a copy of xs: sort gets
 * a borrowed xs and must not change it, and xs lives until its block
 * ends. When that use is xs's only one, nothing can read xs after it (or
 * at the same time, in another task: there is no other use), so the use
 * may take the binding's reference (`move`, on that use), and sort or map
 * then work in place when the count is 1 (docs/compiler.md "Ownership").
 *
 * A use qualifies when it is the variable's only one in the function, at
 * the lambda/for nesting level of its `let` (a lambda body may run many
 * times) and under the same `if` branches (`and`/`or` right sides) as the
 * `let`, since codegen's owned list is a compile-time stack: taking a
 * binding off it on one branch would drop its release on the other. (The
 * take itself happens only if the generated function holding the use owns
 * the binding; a use inside a spawned task's function borrows from the
 * spawner's frame and gets a reference of its own instead: codegen's
 * cg_take.)
 *
 * `in_place`, on a map, for or sort: the array at the base of its pipe
 * (fusion.c; sort's argument) is handed over, because it is a temporary
 * (not a variable, an element or a field: ir_borrows_in_place) or a moved
 * variable. Never a range, which is no array. */
#include "graph.h"

typedef struct MoveWalk {
    IrFunc *f;
    int *uses;
    int *bind_cond; /* the if-nesting of the local's `let`; -1: not let-bound */
    bool *bad;      /* a use at another level than its `let` */
    int depth, cond;
} MoveWalk;

static void walk(Expr *e, void *ctx);

static void bind(MoveWalk *m, const Pattern *p) {
    if (p->is_tuple) {
        for (int i = 0; i < p->n; i++) bind(m, p->items[i]);
    } else if (p->local) {
        m->bind_cond[p->local->id] = m->cond;
    }
}

static void walk_cond(MoveWalk *m, Expr *e) {
    m->cond++;
    walk(e, m);
    m->cond--;
}

static void walk(Expr *e, void *ctx) {
    MoveWalk *m = ctx;
    if (!e) return;
    switch (e->kind) {
    case E_NAME:
        if (e->u.name.kind == NAME_LOCAL) {
            const Local *l = e->u.name.local;
            m->uses[l->id]++;
            if (m->depth != l->depth || m->cond != m->bind_cond[l->id]) m->bad[l->id] = true;
        }
        return;
    case E_IF:
        walk(e->u.if_.cond, m);
        walk_cond(m, e->u.if_.then_);
        if (e->u.if_.else_) walk_cond(m, e->u.if_.else_);
        return;
    case E_MATCH: /* each arm runs or not, as an if's branches; its bindings are
                   * borrowed from the scrutinee, never let-bound, so never moved */
        walk(e->u.match_.scrutinee, m);
        for (int i = 0; i < e->u.match_.n; i++) {
            if (e->u.match_.arms[i]->guard) walk_cond(m, e->u.match_.arms[i]->guard);
            walk_cond(m, e->u.match_.arms[i]->body);
        }
        return;
    case E_BINARY:
        walk(e->u.binary.lhs, m);
        if (e->u.binary.op == OP_AND || e->u.binary.op == OP_OR) walk_cond(m, e->u.binary.rhs);
        else walk(e->u.binary.rhs, m);
        return;
    case E_BLOCK:
        for (int i = 0; i < e->u.block.n; i++) {
            Stmt *s = e->u.block.stmts[i];
            walk(s->expr, m);
            if (s->kind == S_LET) bind(m, s->pat);
        }
        return;
    case E_LAMBDA: case E_FOR:
        if (e->kind == E_FOR) walk(e->u.for_.iter, m);
        m->depth++;
        walk(e->kind == E_FOR ? e->u.for_.body : e->u.lambda.body, m);
        m->depth--;
        return;
    default: ast_visit_children(e, walk, m);
    }
}

bool ir_borrows_in_place(const Expr *e) {
    return e->kind == E_NAME || e->kind == E_STR || e->kind == E_INDEX || e->kind == E_FIELD;
}

typedef struct MarkWalk {
    IrFunc *f;
    const bool *movable; /* per local */
} MarkWalk;

static bool movable(const MarkWalk *m, const Expr *e) {
    return e->kind == E_NAME && e->u.name.kind == NAME_LOCAL && e->type->kind == TY_ARRAY &&
           m->movable[e->u.name.local->id];
}

static void mark(Expr *e, void *ctx) {
    MarkWalk *m = ctx;
    ast_visit_children(e, mark, m);
    const Builtin *b = ir_builtin_of(e);
    bool sort = b && builtin_in_place(b) && !ir_is_map(e); /* map is in place as a stage */
    Expr *base;
    if (sort) {
        base = e->u.call.args[0];
    } else if (e->kind == E_FOR || ir_is_map(e)) {
        IrPipe p;
        ir_pipe_of(m->f, e, &p);
        base = p.base;
    } else {
        return;
    }
    if (base->kind == E_RANGE) return;
    IrFact *x = &m->f->facts[e->id];
    if (!ir_borrows_in_place(base)) {
        x->in_place = true; /* a temporary */
    } else if (movable(m, base)) {
        x->in_place = true;
        m->f->facts[base->id].move = true;
    }
}

void ir_moves(Arena *a, IrFunc *f, int nlocals) {
    MoveWalk m = {f, ARENA_ARRAY(a, int, nlocals + 1), ARENA_ARRAY(a, int, nlocals + 1),
                  ARENA_ARRAY(a, bool, nlocals + 1), 0, 0};
    for (int i = 0; i < nlocals; i++) m.bind_cond[i] = -1;
    walk(f->fn->body, &m);
    bool *ok = ARENA_ARRAY(a, bool, nlocals + 1);
    for (int i = 0; i < nlocals; i++) ok[i] = m.bind_cond[i] >= 0 && m.uses[i] == 1 && !m.bad[i];
    MarkWalk mk = {f, ok};
    mark(f->fn->body, &mk);
}
