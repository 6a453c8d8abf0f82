/* check_effects.c — which functions are effectful, and where effects may go.
 *
 * Output and file builtins are effects; a function that calls one (or uses
 * an effectful function as a value) is effectful, to a fixed point over the
 * call graph. Effects run in program order, so they are a compile error
 * where elements run in parallel: in the function given to map, filter,
 * reduce and scan, and in the body of a for. Function values carry no effect
 * in their type, so an effectful lambda or function may only be called
 * directly or handed to the sequential foldl and iterate.
 */
#include "check_internal.h"

#include <string.h>

/* The one rule: an expression has an effect of its own when it calls an
 * output or file builtin or an effectful function, or names an effectful
 * function as a value; it has an effect (Expr.effect) when it or any part
 * of it (a lambda's body included) has one of its own. */
static bool effect_here(const Expr *e) {
    if (e->kind == E_NAME) return e->u.name.kind == NAME_FN && e->u.name.fn->effectful;
    if (e->kind != E_CALL || e->u.call.callee->kind != E_NAME) return false;
    const Expr *callee = e->u.call.callee;
    return (callee->u.name.kind == NAME_BUILTIN && builtin_effectful(callee->u.name.builtin)) ||
           (callee->u.name.kind == NAME_FN && callee->u.name.fn->effectful);
}

static void mark_effects(Expr *e, void *any) {
    bool below = false;
    ast_visit_children(e, mark_effects, &below);
    e->effect = below || effect_here(e);
    if (e->effect) *(bool *)any = true;
}

static bool effectful(const Expr *e) { return e && e->effect; }

bool check_expr_effectful(const Expr *e) { return effectful(e); }

/* Marks every expression of every function: first with the effects of
 * the functions' own bodies, then again once the effectful functions are
 * known to a fixed point over the call graph. */
static void mark_all(Program *p) {
    for (int i = 0; i < p->nfns; i++) {
        bool any = false;
        mark_effects(p->fns[i]->body, &any);
        p->fns[i]->effectful |= any;
    }
}

static void propagate(Checker *c, Program *p) {
    mark_all(p);
    for (bool changed = true; changed;) {
        changed = false;
        for (int i = 0; i < p->nfns; i++) {
            FnDecl *f = p->fns[i];
            for (int j = 0; j < c->calls[i].len && !f->effectful; j++)
                if (((FnDecl *)c->calls[i].items[j])->effectful) f->effectful = changed = true;
        }
    }
    mark_all(p);
}

/* ---- where effects may not go --------------------------------------------------- */

static void walk(Checker *c, Expr *e, bool sequential_arg);

/* Where the effect happens: the first effectful call or function value in
 * e (a lambda's or a for's body), or e itself. */
typedef struct Found {
    bool done;
    Loc loc;
    const FnDecl *c_fn; /* the effect is a call of this extern fn */
} Found;

static void find_effect(Expr *e, void *ctx) {
    Found *f = ctx;
    if (f->done) return;
    if (effect_here(e)) {
        f->done = true;
        f->loc = e->loc;
        const Expr *callee = e->kind == E_CALL ? e->u.call.callee : NULL;
        if (callee && callee->kind == E_NAME && callee->u.name.kind == NAME_FN && callee->u.name.fn->is_extern)
            f->c_fn = callee->u.name.fn;
        return;
    }
    ast_visit_children(e, find_effect, ctx);
}

static void report_parallel(Checker *c, Expr *body, const char *where) {
    Found f = {.loc = body->loc};
    find_effect(body, &f);
    if (f.c_fn) {
        diag_error(c->d, f.loc, "the effectful C function '%s' cannot be called inside %s: its elements run in parallel",
                   f.c_fn->name, where);
        diag_hint(c->d, "if it depends only on its arguments and is thread-safe, declare it 'extern pure fn %s'",
                  f.c_fn->name);
        return;
    }
    diag_error(c->d, f.loc, "output is not allowed inside %s: its elements run in parallel", where);
    diag_hint(c->d, "compute the values first, then print them after the %s",
              strncmp(where, "a ", 2) == 0 ? where + 2 : where);
}

static void walk_list(Checker *c, Expr **es, int n) {
    for (int i = 0; i < n; i++) walk(c, es[i], false);
}

static void walk_call(Checker *c, Expr *e) {
    Expr *callee = e->u.call.callee;
    const Builtin *b = callee->kind == E_NAME && callee->u.name.kind == NAME_BUILTIN ? callee->u.name.builtin : NULL;
    int fn_arg = b ? b->fn_arg : -1;
    bool parallel = b && builtin_parallel(b);
    if (callee->kind != E_NAME) walk(c, callee, false); /* a direct call is fine */
    for (int i = 0; i < e->u.call.nargs; i++) {
        Expr *a = e->u.call.args[i];
        if (i == fn_arg && parallel && effectful(a)) {
            report_parallel(c, a->kind == E_LAMBDA ? a->u.lambda.body : a, b->name);
            continue;
        }
        walk(c, a, i == fn_arg);
    }
}

/* sequential_arg: e is the function argument of foldl or iterate, where an
 * effectful function value is fine */
static void walk(Checker *c, Expr *e, bool sequential_arg) {
    if (!e) return;
    switch (e->kind) {
    case E_NAME:
        if (e->u.name.kind == NAME_FN && e->u.name.fn->effectful && !sequential_arg) {
            diag_error(c->d, e->loc, "'%s' performs output, so it can only be called, not used as a value",
                       e->u.name.fn->name);
            diag_hint(c->d, "only foldl and iterate take functions that print (they run in order)");
        }
        return;
    case E_CALL:
        walk_call(c, e);
        return;
    case E_LAMBDA:
        if (!sequential_arg && effectful(e->u.lambda.body)) {
            diag_error(c->d, e->loc, "this function performs output, so it can only be given to foldl or iterate");
            diag_hint(c->d, "function values are pure: they may run in parallel");
            return;
        }
        walk(c, e->u.lambda.body, false);
        return;
    case E_FOR:
        walk(c, e->u.for_.iter, false);
        if (effectful(e->u.for_.body)) report_parallel(c, e->u.for_.body, "a for comprehension");
        else walk(c, e->u.for_.body, false);
        return;
    case E_UNARY: walk(c, e->u.unary.operand, false); return;
    case E_BINARY: walk(c, e->u.binary.lhs, false); walk(c, e->u.binary.rhs, false); return;
    case E_RANGE: walk(c, e->u.range.lo, false); walk(c, e->u.range.hi, false); return;
    case E_FIELD: walk(c, e->u.field.base, false); return;
    case E_INDEX: walk(c, e->u.index.base, false); walk(c, e->u.index.index, false); return;
    case E_TUPLE: case E_ARRAY: walk_list(c, e->u.list.items, e->u.list.n); return;
    case E_IF:
        walk(c, e->u.if_.cond, false);
        walk(c, e->u.if_.then_, false);
        walk(c, e->u.if_.else_, false);
        return;
    case E_BLOCK:
        for (int i = 0; i < e->u.block.n; i++) walk(c, e->u.block.stmts[i]->expr, false);
        return;
    case E_RECORD:
        for (int i = 0; i < e->u.record.n; i++) walk(c, e->u.record.inits[i]->value, false);
        walk(c, e->u.record.base, false);
        return;
    case E_MATCH:
        walk(c, e->u.match_.scrutinee, false);
        for (int i = 0; i < e->u.match_.n; i++) {
            walk(c, e->u.match_.arms[i]->guard, false);
            walk(c, e->u.match_.arms[i]->body, false);
        }
        return;
    default: return;
    }
}

void check_effects(Checker *c, Program *p) {
    propagate(c, p);
    for (int i = 0; i < p->nfns; i++) walk(c, p->fns[i]->body, false);
}
