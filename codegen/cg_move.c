/* cg_move.c — moves: the only use of a `let`-bound array may take the
 * binding's reference instead of borrowing it.
 *
 * `let xs = gen(n); let ys = sort(xs)` would sort a copy of xs: sort gets a
 * borrowed xs and must not change it, and xs lives until its block ends.
 * When that use is xs's only one, nothing can read xs after it (or at the
 * same time, in another task: there is no other use), so the use may have
 * the binding's reference: the binding is taken off the function's owned
 * list and handed to sort or map, which then work in place when the count
 * is 1 (cg_consumes_first, docs/compiler.md "Ownership").
 *
 * A use qualifies when it is the variable's only one in the function, at
 * the lambda/for nesting level of its `let` (a lambda body may run many
 * times) and under the same `if` branches (`and`/`or` right sides) as the
 * `let`, since the owned list is a compile-time stack: taking a binding off
 * it on one branch would drop its release on the other. The take itself
 * happens only if the generated function holding the use owns the binding
 * (a use inside a spawned task's function does not: it borrows from the
 * spawner's frame), else the use gets its own reference as before. */
#include <string.h>

#include "cg_internal.h"

typedef struct MoveWalk {
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

/* Per local of f's function: may its only use take the binding? */
static const bool *movable_locals(FnCtx *f) {
    Cg *cg = f->cg;
    int idx = f->fn->index;
    if (!cg->movable) cg->movable = ARENA_ARRAY(&cg->arena, bool *, cg->prog->nfns + 1);
    if (cg->movable[idx]) return cg->movable[idx];
    int n = cg->prog->nlocals[idx];
    MoveWalk m = {ARENA_ARRAY(&cg->arena, int, n + 1), ARENA_ARRAY(&cg->arena, int, n + 1),
                  ARENA_ARRAY(&cg->arena, bool, n + 1), 0, 0};
    for (int i = 0; i < n; i++) {
        m.uses[i] = 0;
        m.bind_cond[i] = -1;
        m.bad[i] = false;
    }
    walk(f->fn->body, &m);
    bool *ok = ARENA_ARRAY(&cg->arena, bool, n + 1);
    for (int i = 0; i < n; i++) ok[i] = m.bind_cond[i] >= 0 && m.uses[i] == 1 && !m.bad[i];
    return cg->movable[idx] = ok;
}

bool cg_movable(FnCtx *f, const Expr *e) {
    return e->kind == E_NAME && e->u.name.kind == NAME_LOCAL && e->type->kind == TY_ARRAY &&
           movable_locals(f)[e->u.name.local->id];
}

LLVMValueRef cg_take(FnCtx *f, Expr *e) {
    if (cg_movable(f, e)) {
        LLVMValueRef v = f->locals[e->u.name.local->id];
        for (int i = f->nowned - 1; i >= 0; i--)
            if (f->owned[i].t && f->owned[i].v == v) {
                f->owned[i].t = NULL; /* taken: nothing left to release */
                return v;
            }
    }
    return cg_expr(f, e, false);
}
