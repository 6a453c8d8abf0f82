/* check.c — resolves names and checks types of a parsed module.
 *
 * One walk over each function body with a scope stack. Types are checked
 * bottom-up, with an expected type flowing down where the language needs
 * one: `let x: T =`, arguments (so `map(xs, fn(x) => x * 2)` and `[]` get
 * their types), function results, the branches of if and the last
 * expression of a block. An error yields TY_ERROR, which every rule accepts
 * silently, so that one mistake gives one message. Lambdas and for bodies
 * record the outer variables they read (their captures). Effects are
 * checked afterwards (check_effects.c), builtins in check_builtins.c.
 */
#include "check_internal.h"

#include <stdlib.h>
#include <string.h>

bool is_err(const Type *t) { return t == NULL || t->kind == TY_ERROR; }

const char *tstr(const Type *t, char *buf) { return type_str(t, buf, 128); }

Type *mismatch(Checker *c, Loc loc, const char *what, Type *want, Type *got) {
    char b1[128], b2[128];
    diag_error(c->d, loc, "mismatched types: %s must be %s, found %s", what, tstr(want, b1),
               tstr(got, b2));
    return c->t_error;
}

Type *fn_type(Checker *c, Type **params, int n, Type *ret) {
    Type *t = type_new(c->a, TY_FN);
    t->n = n;
    t->items = ARENA_ARRAY(c->a, Type *, n + 1);
    for (int i = 0; i < n; i++) t->items[i] = params[i];
    t->ret = ret;
    return t;
}

Type *tuple_type(Checker *c, Type *a, Type *b) {
    Type *t = type_new(c->a, TY_TUPLE);
    t->n = 2;
    t->items = ARENA_ARRAY(c->a, Type *, 2);
    t->items[0] = a;
    t->items[1] = b;
    return t;
}

/* A recursive variant holds itself: each declaration is looked into once
 * per question (seen). */
typedef struct Seen {
    const TypeDecl *decl[64];
    int n;
} Seen;

static bool holds_fn(const Type *t, Seen *seen) {
    if (t->kind == TY_FN) return true;
    if (t->kind == TY_ARRAY) return holds_fn(t->elem, seen);
    if (t->kind == TY_RECORD || t->kind == TY_VARIANT) {
        for (int i = 0; i < seen->n; i++)
            if (seen->decl[i] == t->decl) return false;
        if (seen->n == 64) return false; /* deeper than any program's nesting of types */
        seen->decl[seen->n++] = t->decl;
    }
    if (t->kind == TY_TUPLE || t->kind == TY_RECORD)
        for (int i = 0; i < t->n; i++)
            if (holds_fn(t->items[i], seen)) return true;
    if (t->kind == TY_VARIANT)
        for (int k = 0; k < t->decl->nctors; k++)
            for (int i = 0; i < t->decl->ctors[k]->nfields; i++)
                if (holds_fn(t->decl->ctors[k]->fields[i], seen)) return true;
    return false;
}

bool has_fn_type(const Type *t) {
    Seen seen = {.n = 0};
    return holds_fn(t, &seen);
}


/* ---- scopes ---------------------------------------------------------------- */

Local *check_bind(Checker *c, const char *name, Type *t, Loc loc) {
    Local *l = ARENA_NEW(c->a, Local);
    l->name = name;
    l->type = t;
    l->loc = loc;
    l->id = c->nlocals++;
    l->owner = c->fn;
    l->depth = c->depth;
    if (strcmp(name, "_") != 0) {
        Binding *b = ARENA_NEW(c->a, Binding);
        b->name = name;
        b->local = l;
        b->prev = c->scope;
        c->scope = b;
    }
    return l;
}

static void add_capture(Checker *c, Closure *cl, Local *l) {
    for (int i = 0; i < *cl->ncaptures; i++)
        if ((*cl->captures)[i] == l) return;
    Local **grown = ARENA_ARRAY(c->a, Local *, *cl->ncaptures + 1);
    if (*cl->ncaptures) memcpy(grown, *cl->captures, sizeof(Local *) * (size_t)*cl->ncaptures);
    grown[(*cl->ncaptures)++] = l;
    *cl->captures = grown;
}

/* A name read inside lambdas/for bodies deeper than its binding is captured
 * by each of them. */
static Local *lookup_local(Checker *c, const char *name) {
    for (Binding *b = c->scope; b; b = b->prev)
        if (strcmp(b->name, name) == 0) {
            for (int k = b->local->depth; k < c->depth; k++) add_capture(c, &c->closures[k], b->local);
            b->local->used = true;
            return b->local;
        }
    return NULL;
}

static FnDecl *lookup_fn(const Checker *c, const char *name) { return names_find(&c->fn_names, name); }

/* "did you mean": the names in scope here, the module's functions and the
 * builtins, nearest first */
static void hint_name(Checker *c, const char *name) {
    int n = 0;
    for (Binding *b = c->scope; b; b = b->prev) n++;
    const char **cands = ARENA_ARRAY(c->a, const char *, (size_t)n + c->fn_names.len + B_COUNT_ + 1);
    n = 0;
    for (Binding *b = c->scope; b; b = b->prev) cands[n++] = b->name;
    for (size_t i = 0; i < c->fn_names.cap; i++)
        if (c->fn_names.slots[i].name) cands[n++] = c->fn_names.slots[i].name;
    for (int i = 0; i < B_COUNT_; i++) cands[n++] = builtin_name(i);
    const char *near = diag_closest(name, cands, n);
    if (near) diag_hint(c->d, "did you mean '%s'?", near);
}

bool check_has_local(const Checker *c, const char *name) {
    for (const Binding *b = c->scope; b; b = b->prev)
        if (strcmp(b->name, name) == 0) return true;
    return false;
}

FnDecl *check_named_fn(const Checker *c, const char *name) { return check_has_local(c, name) ? NULL : lookup_fn(c, name); }

FnDecl *check_lookup_fn(const Checker *c, const char *name) { return lookup_fn(c, name); }

static void note_call(Checker *c, FnDecl *callee) { ptrlist_push(c->a, &c->calls[c->fn->index], callee); }

/* ---- operators ---------------------------------------------------------------- */

static bool is_num(const Type *t) { return t->kind == TY_I64 || t->kind == TY_F64; }

static Type *check_arith(Checker *c, Expr *e, Type *l, Type *r) {
    char b1[128], b2[128];
    BinaryOp op = e->u.binary.op;
    if (is_err(l) || is_err(r)) return c->t_error;
    if (!type_eq(l, r)) {
        diag_error(c->d, e->loc, "mismatched types: %s and %s operands", tstr(l, b1), tstr(r, b2));
        if ((l->kind == TY_I64 && r->kind == TY_F64) || (l->kind == TY_F64 && r->kind == TY_I64))
            diag_hint(c->d, "PEL has no implicit conversions: use f64(x) or i64(x)");
        return c->t_error;
    }
    if (is_num(l)) return l;
    if (l->kind == TY_STR && op == OP_ADD) return l;
    diag_error(c->d, e->loc, "arithmetic needs i64 or f64 operands%s, found %s",
               op == OP_ADD ? " (or str for +)" : "", tstr(l, b1));
    if (l->kind == TY_ARRAY && op == OP_ADD) diag_hint(c->d, "join arrays with concat(xs, ys)");
    return c->t_error;
}

/* & | ^ << >> >>>: i64 only (spec 5) */
static Type *check_bits(Checker *c, Expr *e, Type *l, Type *r) {
    Expr *side[2] = {e->u.binary.lhs, e->u.binary.rhs};
    Type *t[2] = {l, r};
    for (int i = 0; i < 2; i++) {
        if (is_err(t[i]) || t[i]->kind == TY_I64) continue;
        mismatch(c, side[i]->loc, "the operand of a bit operation", c->t_i64, t[i]);
        BinaryOp op = e->u.binary.op;
        if (t[i]->kind == TY_BOOL && (op == OP_BAND || op == OP_BOR))
            diag_hint(c->d, "for bool, write '%s'", op == OP_BAND ? "and" : "or");
        return c->t_error;
    }
    return is_err(l) || is_err(r) ? c->t_error : c->t_i64;
}

static Type *check_binary(Checker *c, Expr *e) {
    char b1[128], b2[128];
    Type *l = check_expect(c, e->u.binary.lhs, NULL);
    Type *r = check_expect(c, e->u.binary.rhs, is_err(l) ? NULL : l);
    switch (e->u.binary.op) {
    case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV: case OP_MOD:
        return check_arith(c, e, l, r);
    case OP_BAND: case OP_BOR: case OP_BXOR: case OP_SHL: case OP_SHR: case OP_USHR:
        return check_bits(c, e, l, r);
    case OP_EQ: case OP_NE:
        if (is_err(l) || is_err(r)) return c->t_bool;
        if (!type_eq(l, r))
            diag_error(c->d, e->loc, "cannot compare %s with %s", tstr(l, b1), tstr(r, b2));
        else if (has_fn_type(l) && l->kind == TY_FN)
            diag_error(c->d, e->loc, "functions cannot be compared");
        else if (has_fn_type(l))
            diag_error(c->d, e->loc, "values of type %s cannot be compared: they hold functions", tstr(l, b1));
        return c->t_bool;
    case OP_LT: case OP_LE: case OP_GT: case OP_GE:
        if (is_err(l) || is_err(r)) return c->t_bool;
        if (!type_eq(l, r))
            diag_error(c->d, e->loc, "cannot compare %s with %s", tstr(l, b1), tstr(r, b2));
        else if (!is_num(l) && l->kind != TY_STR)
            diag_error(c->d, e->loc, "ordering comparison needs i64, f64 or str, found %s", tstr(l, b1));
        return c->t_bool;
    case OP_AND: case OP_OR:
        if (!is_err(l) && l->kind != TY_BOOL)
            mismatch(c, e->u.binary.lhs->loc, "the operand of 'and'/'or'", c->t_bool, l);
        if (!is_err(r) && r->kind != TY_BOOL)
            mismatch(c, e->u.binary.rhs->loc, "the operand of 'and'/'or'", c->t_bool, r);
        return c->t_bool;
    }
    return c->t_error;
}

/* ---- calls ---------------------------------------------------------------------- */

/* Arguments against parameter types; the parameter type is the expected
 * type of the argument (lambdas, []). */
static void check_args(Checker *c, Expr *e, Type **params, int nparams, const char *name, Loc def) {
    char b1[128], b2[128];
    int n = e->u.call.nargs;
    if (n != nparams) {
        diag_error(c->d, e->loc, "'%s' takes %d argument%s but %d %s given", name, nparams,
                   nparams == 1 ? "" : "s", n, n == 1 ? "was" : "were");
        if (def.file) diag_note(c->d, def, "'%s' is defined here", name);
    }
    for (int i = 0; i < n; i++) {
        Type *want = i < nparams ? params[i] : NULL;
        Type *t = check_expect(c, e->u.call.args[i], n == nparams ? want : NULL);
        if (n == nparams && !is_err(t) && !is_err(want) && !type_eq(t, want))
            diag_error(c->d, e->u.call.args[i]->loc,
                       "mismatched types: argument %d of '%s' must be %s, found %s", i + 1, name,
                       tstr(want, b1), tstr(t, b2));
    }
}

static Type *check_call(Checker *c, Expr *e, Type *expect) {
    char b1[128];
    Expr *callee = e->u.call.callee;
    int n = e->u.call.nargs;
    int q = check_qualify(c, callee); /* m.f(...) */
    if (q < 0) {
        callee->id = c->nexprs++;
        callee->type = c->t_error;
        for (int i = 0; i < n; i++) check_expect(c, e->u.call.args[i], NULL);
        return c->t_error;
    }
    Module *qual = q ? callee->u.name.qual : NULL;
    if (callee->kind == E_NAME && (qual || !lookup_local(c, callee->u.name.name))) {
        const char *name = callee->u.name.name;
        callee->id = c->nexprs++; /* not checked as a value, but numbered like every expression */
        FnDecl *f = qual ? check_qual_fn(c, qual, name) : lookup_fn(c, name);
        if (f) {
            callee->u.name.kind = NAME_FN;
            callee->u.name.fn = f;
            callee->type = c->t_error; /* not a value here */
            note_call(c, f);
            Type **params = ARENA_ARRAY(c->a, Type *, f->nparams + 1);
            for (int i = 0; i < f->nparams; i++) params[i] = f->params[i]->type;
            check_args(c, e, params, f->nparams, name, f->loc);
            return f->ret;
        }
        Ctor *k = qual ? check_qual_ctor(c, qual, name) : check_find_ctor(c, name);
        if (k) {
            callee->u.name.kind = NAME_CTOR;
            callee->u.name.ctor = k;
            callee->type = c->t_error; /* not a value here */
            if (k->nfields == 0) {
                diag_error(c->d, e->loc, "constructor '%s' has no fields: it is a value, not called", name);
                diag_hint(c->d, "write '%s' without parentheses", name);
                for (int i = 0; i < n; i++) check_expect(c, e->u.call.args[i], NULL);
                return c->t_error;
            }
            check_args(c, e, k->fields, k->nfields, name, k->loc);
            return k->owner->type;
        }
        const Builtin *b = qual ? NULL : builtin_lookup(name);
        if (b) {
            callee->u.name.kind = NAME_BUILTIN;
            callee->u.name.builtin = b;
            return check_builtin_call(c, e, b, expect);
        }
        if (qual) {
            check_no_member(c, qual, name, callee->loc);
        } else if (ast_upper_name(name)) {
            diag_unknown(c->d, callee->loc, "unknown constructor '%s'", name);
            check_hint_ctor(c, name);
        } else {
            diag_unknown(c->d, callee->loc, "unknown function '%s'", name);
            hint_name(c, name);
        }
        for (int i = 0; i < n; i++) check_expect(c, e->u.call.args[i], NULL);
        return c->t_error;
    }
    /* a function value: a local, a lambda, a call that returns a function */
    Type *t = check_expect(c, callee, NULL);
    if (is_err(t) || t->kind != TY_FN) {
        for (int i = 0; i < n; i++) check_expect(c, e->u.call.args[i], NULL);
        if (is_err(t)) return c->t_error;
        if (callee->kind == E_NAME)
            diag_error(c->d, callee->loc, "'%s' is not a function: it is a value of type %s",
                       callee->u.name.name, tstr(t, b1));
        else
            diag_error(c->d, callee->loc, "cannot call a value of type %s: it is not a function",
                       tstr(t, b1));
        return c->t_error;
    }
    check_args(c, e, t->items, t->n, callee->kind == E_NAME ? callee->u.name.name : "this function",
               (Loc){0});
    return t->ret;
}

/* ---- lambdas and for ---------------------------------------------------------------- */

static void enter_closure(Checker *c, Local ***captures, int *ncaptures) {
    if (c->depth >= MAX_LAMBDA_DEPTH) return; /* the parser limits nesting far below */
    c->closures[c->depth].captures = captures;
    c->closures[c->depth].ncaptures = ncaptures;
    c->depth++;
}

static Type *check_lambda(Checker *c, Expr *e, Type *expect) {
    char b1[128], b2[128];
    Lambda *l = &e->u.lambda;
    if (expect && (expect->kind != TY_FN || expect->n != l->nparams)) expect = NULL;
    Type **params = ARENA_ARRAY(c->a, Type *, l->nparams + 1);
    bool bad = false;
    for (int i = 0; i < l->nparams; i++) {
        Param *p = l->params[i];
        Type *want = expect ? expect->items[i] : NULL;
        if (!check_resolve_type(c, p->type)) {
            bad = true;
        } else if (p->type->kind == TY_INFER) {
            if (want && want->kind != TY_INFER) {
                p->type = want;
            } else {
                diag_error(c->d, p->loc, "cannot infer the type of parameter '%s'", p->name);
                diag_hint(c->d, "write its type: fn(%s: i64) => ...", p->name);
                p->type = c->t_error;
                bad = true;
            }
        } else if (want && !is_err(want) && want->kind != TY_INFER && !type_eq(p->type, want)) {
            diag_error(c->d, p->loc, "mismatched types: parameter '%s' must be %s here, found %s",
                       p->name, tstr(want, b1), tstr(p->type, b2));
            bad = true;
        }
        params[i] = p->type;
    }
    if (l->ret && !check_resolve_type(c, l->ret)) bad = true;
    Binding *saved = c->scope;
    enter_closure(c, &l->captures, &l->ncaptures);
    for (int i = 0; i < l->nparams; i++) l->params[i]->local = check_bind(c, l->params[i]->name, params[i], l->params[i]->loc);
    Type *want_ret = l->ret ? l->ret : (expect && expect->ret && expect->ret->kind != TY_INFER ? expect->ret : NULL);
    Type *rt = check_expect(c, l->body, want_ret);
    c->depth--;
    c->scope = saved;
    if (l->ret && !is_err(rt) && !type_eq(rt, l->ret))
        mismatch(c, l->body->loc, "the body of this lambda", l->ret, rt);
    Type *ret = l->ret ? l->ret : rt;
    return bad ? c->t_error : fn_type(c, params, l->nparams, ret);
}

static Type *check_for(Checker *c, Expr *e) {
    char b1[128];
    Type *it = check_expect(c, e->u.for_.iter, NULL);
    Type *elem = c->t_error;
    if (!is_err(it)) {
        if (it->kind == TY_ARRAY)
            elem = it->elem;
        else
            diag_error(c->d, e->u.for_.iter->loc, "'for' needs an array or a range, found %s", tstr(it, b1));
    }
    Binding *saved = c->scope;
    enter_closure(c, &e->u.for_.captures, &e->u.for_.ncaptures);
    e->u.for_.local = check_bind(c, e->u.for_.var, elem, e->u.for_.var_loc);
    Type *bt = check_expect(c, e->u.for_.body, NULL);
    c->depth--;
    c->scope = saved;
    return is_err(bt) || is_err(elem) ? c->t_error : type_array(c->a, bt);
}

/* ---- blocks, let, if ------------------------------------------------------------------- */

static void bind_pattern(Checker *c, Pattern *p, Type *t) {
    char b1[128];
    if (!p->is_tuple) {
        p->local = check_bind(c, p->name, t, p->loc);
        return;
    }
    if (!is_err(t) && (t->kind != TY_TUPLE || t->n != p->n)) {
        if (t->kind == TY_TUPLE)
            diag_error(c->d, p->loc, "this pattern has %d elements but the value is a %d-tuple %s",
                       p->n, t->n, tstr(t, b1));
        else
            diag_error(c->d, p->loc, "cannot destructure a value of type %s as a tuple", tstr(t, b1));
        t = c->t_error;
    }
    for (int i = 0; i < p->n; i++) bind_pattern(c, p->items[i], is_err(t) ? c->t_error : t->items[i]);
}

static Type *check_block(Checker *c, Block *b, Type *expect) {
    Binding *saved = c->scope;
    Type *last = c->t_unit;
    for (int i = 0; i < b->n; i++) {
        Stmt *s = b->stmts[i];
        bool is_value = b->value_is_last && i == b->n - 1;
        if (s->kind == S_LET) {
            if (s->annot && !check_resolve_type(c, s->annot)) s->annot = c->t_error;
            Type *t = check_expect(c, s->expr, s->annot);
            Expr *v = s->expr;
            if (v->kind == E_IF && !v->u.if_.else_ && !is_err(v->u.if_.then_->type) &&
                v->u.if_.then_->type->kind != TY_UNIT) {
                diag_error(c->d, v->loc, "an 'if' without 'else' has no value (its type is ())");
                diag_hint(c->d, "add an 'else' branch to give the value in the other case");
                t = c->t_error;
            }
            if (s->annot) {
                if (!is_err(t) && !is_err(s->annot) && !type_eq(t, s->annot))
                    mismatch(c, s->expr->loc, "the value of this let", s->annot, t);
                t = s->annot;
            }
            bind_pattern(c, s->pat, t);
            last = c->t_unit;
        } else {
            last = check_expect(c, s->expr, is_value ? expect : NULL);
        }
    }
    /* the block's lets that nothing read, first one first; `_x` says it
     * is on purpose (as in Rust). Not after an error: a misspelt use
     * (`totl` for `total`) would make its let look unused too. */
    int nunused = 0;
    for (Binding *u = c->d->errors ? saved : c->scope; u != saved; u = u->prev)
        if (!u->local->used && u->name[0] != '_') nunused++;
    Binding **unused = ARENA_ARRAY(c->a, Binding *, (size_t)nunused + 1);
    int k = nunused;
    for (Binding *u = nunused ? c->scope : saved; u != saved; u = u->prev)
        if (!u->local->used && u->name[0] != '_') unused[--k] = u;
    for (int i = 0; i < nunused; i++) {
        diag_warning(c->d, unused[i]->local->loc, "unused variable '%s'", unused[i]->name);
        diag_hint(c->d, "remove the let if its value is not needed, or name it '_%s'", unused[i]->name);
    }
    c->scope = saved;
    return b->value_is_last ? last : c->t_unit;
}

/* Where a value comes from: the last expression of a block, else e itself. */
static Loc value_loc(const Expr *e) {
    while (e->kind == E_BLOCK && e->u.block.value_is_last && e->u.block.n > 0)
        e = e->u.block.stmts[e->u.block.n - 1]->expr;
    return e->loc;
}

bool check_adopt_panic(Expr *branch, Type *t) {
    Expr *e = branch;
    while (e->kind == E_BLOCK && e->u.block.value_is_last && e->u.block.n > 0)
        e = e->u.block.stmts[e->u.block.n - 1]->expr;
    bool panics = e->kind == E_CALL && e->u.call.callee->kind == E_NAME &&
                  e->u.call.callee->u.name.kind == NAME_BUILTIN && e->u.call.callee->u.name.builtin->kind == B_PANIC;
    if (!panics || !t) return panics;
    for (e = branch; e->kind == E_BLOCK && e->u.block.value_is_last && e->u.block.n > 0;
         e = e->u.block.stmts[e->u.block.n - 1]->expr)
        e->type = t;
    e->type = t;
    return true;
}

static Type *check_if(Checker *c, Expr *e, Type *expect) {
    char b1[128], b2[128];
    Type *ct = check_expect(c, e->u.if_.cond, c->t_bool);
    if (!is_err(ct) && ct->kind != TY_BOOL) mismatch(c, e->u.if_.cond->loc, "an if condition", c->t_bool, ct);
    Type *tt = check_expect(c, e->u.if_.then_, e->u.if_.else_ ? expect : NULL);
    if (!e->u.if_.else_) return c->t_unit;
    Type *et = check_expect(c, e->u.if_.else_, expect ? expect : (is_err(tt) ? NULL : tt));
    if (is_err(tt) || is_err(et)) return is_err(tt) ? et : tt;
    /* a branch that panics has no value: it takes the other's type */
    if (!type_eq(tt, et) && tt->kind == TY_UNIT && check_adopt_panic(e->u.if_.then_, et)) return et;
    if (!type_eq(tt, et) && et->kind == TY_UNIT && check_adopt_panic(e->u.if_.else_, tt)) return tt;
    if (!type_eq(tt, et)) {
        diag_error(c->d, value_loc(e->u.if_.else_),
                   "mismatched types: the branches of this if are %s and %s", tstr(tt, b1), tstr(et, b2));
        diag_note(c->d, value_loc(e->u.if_.then_), "the first branch has type %s", tstr(tt, b1));
        return c->t_error;
    }
    return tt;
}

/* ---- arrays ------------------------------------------------------------------------------ */

static Type *check_array(Checker *c, Expr *e, Type *expect) {
    char b1[128], b2[128];
    Type *want = expect && expect->kind == TY_ARRAY ? expect->elem : NULL;
    if (e->u.list.n == 0) {
        if (want) return expect;
        diag_error(c->d, e->loc, "cannot infer the element type of an empty array");
        diag_hint(c->d, "write the type where it is bound: let e: [i64] = []");
        return c->t_error;
    }
    Type *elem = NULL;
    bool bad = false;
    for (int i = 0; i < e->u.list.n; i++) {
        Expr *x = e->u.list.items[i];
        Type *t = check_expect(c, x, want ? want : elem);
        if (is_err(t)) {
            bad = true;
        } else if (!elem) {
            elem = t;
        } else if (!type_eq(t, elem)) {
            diag_error(c->d, x->loc, "mismatched types: array elements must all be %s, found %s",
                       tstr(elem, b1), tstr(t, b2));
            bad = true;
        }
    }
    return bad || !elem ? c->t_error : type_array(c->a, elem);
}

static Type *check_index(Checker *c, Expr *e) {
    char b1[128];
    Type *bt = check_expect(c, e->u.index.base, NULL);
    Type *it = check_expect(c, e->u.index.index, c->t_i64);
    if (!is_err(it) && it->kind != TY_I64) mismatch(c, e->u.index.index->loc, "an index", c->t_i64, it);
    if (is_err(bt)) return c->t_error;
    if (bt->kind == TY_STR) return c->t_i64; /* the byte at i (spec 7, v0.2) */
    if (bt->kind != TY_ARRAY) {
        diag_error(c->d, e->loc, "cannot index a value of type %s", tstr(bt, b1));
        return c->t_error;
    }
    return bt->elem;
}

/* ---- the dispatcher ------------------------------------------------------------------------- */

static Type *check_name(Checker *c, Expr *e) {
    const char *name = e->u.name.name;
    Module *qual = e->u.name.qual; /* m.x, from check_qualify */
    Local *l = qual ? NULL : lookup_local(c, name);
    if (l) {
        e->u.name.kind = NAME_LOCAL;
        e->u.name.local = l;
        return l->type;
    }
    FnDecl *f = qual ? check_qual_fn(c, qual, name) : lookup_fn(c, name);
    if (f) { /* a function used as a value */
        e->u.name.kind = NAME_FN;
        e->u.name.fn = f;
        note_call(c, f);
        if (f->is_extern) {
            diag_error(c->d, e->loc, "the C function '%s' can only be called, not used as a value", name);
            diag_hint(c->d, "wrap it in a lambda: fn(...) => %s(...)", name);
            return c->t_error;
        }
        Type **params = ARENA_ARRAY(c->a, Type *, f->nparams + 1);
        for (int i = 0; i < f->nparams; i++) params[i] = f->params[i]->type;
        return fn_type(c, params, f->nparams, f->ret);
    }
    Ctor *k = qual ? check_qual_ctor(c, qual, name) : check_find_ctor(c, name);
    if (k) { /* Empty, or Circle used as a function value */
        e->u.name.kind = NAME_CTOR;
        e->u.name.ctor = k;
        return check_ctor_value(c, k);
    }
    if (qual) {
        check_no_member(c, qual, name, e->loc);
        return c->t_error;
    }
    if (ast_upper_name(name)) {
        TypeDecl *d = check_find_type(c, name);
        if (d) {
            diag_error(c->d, e->loc, "'%s' is a type, not a value", name);
            if (d->kind == TD_RECORD) diag_hint(c->d, "build a record with %s { field: value, ... }", name);
        } else {
            diag_unknown(c->d, e->loc, "unknown constructor '%s'", name);
            check_hint_ctor(c, name);
        }
        return c->t_error;
    }
    if (builtin_lookup(name)) {
        diag_error(c->d, e->loc, "the builtin '%s' can only be called", name);
        diag_hint(c->d, "wrap it in a lambda: fn(x) => %s(x)", name);
        return c->t_error;
    }
    diag_unknown(c->d, e->loc, "unknown name '%s'", name);
    hint_name(c, name);
    return c->t_error;
}

static Type *check_kind(Checker *c, Expr *e, Type *expect) {
    char b1[128];
    switch (e->kind) {
    case E_INT: return c->t_i64;
    case E_FLOAT: return c->t_f64;
    case E_STR: return c->t_str;
    case E_BOOL: return c->t_bool;
    case E_UNIT: return c->t_unit;
    case E_NAME: return check_name(c, e);
    case E_MEMBER: {
        int q = check_qualify(c, e); /* m.f or m.C as a value */
        if (q < 0) return c->t_error;
        return q ? check_name(c, e) : check_member(c, e);
    }
    case E_RECORD: return check_record_lit(c, e);
    case E_MATCH: return check_match(c, e, expect);
    case E_FIELD: {
        Type *t = check_expect(c, e->u.field.base, NULL);
        if (is_err(t)) return c->t_error;
        if (t->kind != TY_TUPLE) {
            diag_error(c->d, e->loc, "'.%d' needs a tuple, found %s", e->u.field.index, tstr(t, b1));
            return c->t_error;
        }
        if (e->u.field.index < 0 || e->u.field.index >= t->n) {
            diag_error(c->d, e->loc, "tuple index %d out of range for %s", e->u.field.index, tstr(t, b1));
            return c->t_error;
        }
        return t->items[e->u.field.index];
    }
    case E_UNARY: {
        Type *t = check_expect(c, e->u.unary.operand, NULL);
        if (is_err(t)) return t;
        if (e->u.unary.op == OP_NEG) {
            if (!is_num(t)) {
                diag_error(c->d, e->u.unary.operand->loc, "unary '-' needs i64 or f64, found %s", tstr(t, b1));
                return c->t_error;
            }
            return t;
        }
        if (e->u.unary.op == OP_BNOT) {
            if (t->kind == TY_I64) return t;
            mismatch(c, e->u.unary.operand->loc, "the operand of '~'", c->t_i64, t);
            if (t->kind == TY_BOOL) diag_hint(c->d, "for bool, write 'not'");
            return c->t_error;
        }
        if (t->kind != TY_BOOL) return mismatch(c, e->u.unary.operand->loc, "the operand of 'not'", c->t_bool, t);
        return t;
    }
    case E_BINARY: return check_binary(c, e);
    case E_RANGE: {
        Type *lo = check_expect(c, e->u.range.lo, c->t_i64);
        Type *hi = check_expect(c, e->u.range.hi, c->t_i64);
        if (!is_err(lo) && lo->kind != TY_I64) mismatch(c, e->u.range.lo->loc, "a range bound", c->t_i64, lo);
        if (!is_err(hi) && hi->kind != TY_I64) mismatch(c, e->u.range.hi->loc, "a range bound", c->t_i64, hi);
        return type_array(c->a, c->t_i64);
    }
    case E_CALL: return check_call(c, e, expect);
    case E_INDEX: return check_index(c, e);
    case E_TUPLE: {
        Type *want = expect && expect->kind == TY_TUPLE && expect->n == e->u.list.n ? expect : NULL;
        Type *t = type_new(c->a, TY_TUPLE);
        t->n = e->u.list.n;
        t->items = ARENA_ARRAY(c->a, Type *, t->n);
        bool bad = false;
        for (int i = 0; i < t->n; i++) {
            t->items[i] = check_expect(c, e->u.list.items[i], want ? want->items[i] : NULL);
            bad |= is_err(t->items[i]);
        }
        return bad ? c->t_error : t;
    }
    case E_ARRAY: return check_array(c, e, expect);
    case E_IF: return check_if(c, e, expect);
    case E_BLOCK: return check_block(c, &e->u.block, expect);
    case E_LAMBDA: return check_lambda(c, e, expect);
    case E_FOR: return check_for(c, e);
    }
    return c->t_error;
}

Type *check_expect(Checker *c, Expr *e, Type *expect) {
    e->id = c->nexprs++;
    Type *t = check_kind(c, e, expect);
    /* a tuple of tuples doubles with each let (let b = (a, a)): bounded */
    if ((t->kind == TY_TUPLE || t->kind == TY_ARRAY || t->kind == TY_FN) && !check_type_size(c, t, e->loc, NULL))
        t = c->t_error;
    e->type = t;
    return t;
}

/* ---- functions and the program ----------------------------------------------------- */

static void check_fn(Checker *c, FnDecl *f, int *nlocals, int *nexprs) {
    char b1[128], b2[128];
    c->fn = f;
    c->nlocals = 0;
    c->nexprs = 0;
    c->scope = NULL;
    c->depth = 0;
    for (int i = 0; i < f->nparams; i++) {
        Param *p = f->params[i];
        for (int j = 0; j < i; j++)
            if (strcmp(f->params[j]->name, p->name) == 0 && strcmp(p->name, "_") != 0)
                diag_error(c->d, p->loc, "duplicate parameter '%s'", p->name);
        p->local = check_bind(c, p->name, p->type, p->loc);
    }
    Type *t = check_expect(c, f->body, f->ret);
    if (!is_err(t) && !is_err(f->ret) && !type_eq(t, f->ret) && t->kind == TY_UNIT && check_adopt_panic(f->body, f->ret))
        t = f->ret;
    if (!is_err(t) && !is_err(f->ret) && !type_eq(t, f->ret)) {
        Loc at = value_loc(f->body);
        if (f->body->kind == E_BLOCK && f->body->u.block.n > 0)
            at = f->body->u.block.stmts[f->body->u.block.n - 1]->loc;
        diag_error(c->d, at, "mismatched types: '%s' returns %s, but its body has type %s", f->name,
                   tstr(f->ret, b1), tstr(t, b2));
        if (f->ret->kind == TY_UNIT) diag_hint(c->d, "declare the result type with '-> %s'", tstr(t, b2));
    }
    *nlocals = c->nlocals;
    *nexprs = c->nexprs;
}

/* spec 9: C's int64_t, double, bool and const char *, and void results.
 * An extern is effectful unless declared pure (a promise that it depends
 * only on its arguments and is thread-safe). */
static bool c_type(const Type *t) {
    return t->kind == TY_I64 || t->kind == TY_F64 || t->kind == TY_BOOL || t->kind == TY_STR;
}

static bool check_extern_signature(Checker *c, FnDecl *f) {
    char b1[128];
    bool ok = true;
    for (int i = 0; i < f->nparams; i++)
        if (!c_type(f->params[i]->type)) {
            diag_error(c->d, f->params[i]->loc, "an extern function's parameter must be i64, f64, bool or str, not %s",
                       tstr(f->params[i]->type, b1));
            ok = false;
        }
    if (!c_type(f->ret) && f->ret->kind != TY_UNIT) {
        diag_error(c->d, f->loc, "an extern function returns i64, f64, bool, str or nothing, not %s", tstr(f->ret, b1));
        ok = false;
    }
    f->effectful = !f->is_pure;
    return ok;
}

/* spec 9: an exported function's C prototype has the extern types, and
 * arrays of them as pel.h's { pointer, length } structs. */
static bool c_or_array(const Type *t) { return c_type(t) || (t->kind == TY_ARRAY && c_type(t->elem)); }

static bool check_export_signature(Checker *c, FnDecl *f) {
    char b1[128];
    bool ok = true;
    for (int i = 0; i < f->nparams; i++)
        if (!c_or_array(f->params[i]->type)) {
            diag_error(c->d, f->params[i]->loc,
                       "an exported function's parameter must be i64, f64, bool, str or an array of one, not %s",
                       tstr(f->params[i]->type, b1));
            ok = false;
        }
    if (!c_or_array(f->ret) && f->ret->kind != TY_UNIT) {
        diag_error(c->d, f->loc, "an exported function returns i64, f64, bool, str, an array of one or nothing, not %s",
                   tstr(f->ret, b1));
        ok = false;
    }
    if (strcmp(f->name, "main") == 0) {
        diag_error(c->d, f->loc, "'main' cannot be exported: C's main is the program's own");
        ok = false;
    }
    return ok;
}

static bool check_signature(Checker *c, FnDecl *f) {
    bool ok = true;
    for (int i = 0; i < f->nparams; i++)
        ok &= check_resolve_type(c, f->params[i]->type) &&
              check_type_size(c, f->params[i]->type, f->params[i]->loc, NULL);
    ok &= check_resolve_type(c, f->ret) && check_type_size(c, f->ret, f->loc, NULL);
    if (f->is_extern && ok) ok = check_extern_signature(c, f);
    if (f->is_export && ok) ok = check_export_signature(c, f);
    return ok;
}

static void check_main(Checker *c, Program *p) {
    char b1[128];
    FnDecl *m = lookup_fn(c, "main");
    if (!m) {
        Loc loc = {c->mod->file, 1, 1};
        diag_unknown(c->d, loc, "this program has no 'main' function");
        diag_hint(c->d, "add 'fn main() { ... }'");
        return;
    }
    p->main = m;
    if (m->nparams != 0) diag_error(c->d, m->loc, "'main' takes no parameters");
    if (m->ret->kind != TY_UNIT && m->ret->kind != TY_I64 && !is_err(m->ret))
        diag_error(c->d, m->loc, "'main' must return () or i64, not %s", tstr(m->ret, b1));
}

/* The modules in dependency order (each after those it imports, the root
 * last), from the imports the loader resolved (modules.c). */
static void order_modules(Arena *a, Module *m, PtrList *seen, PtrList *out) {
    for (int i = 0; i < seen->len; i++)
        if (seen->items[i] == m) return;
    ptrlist_push(a, seen, m);
    for (int i = 0; i < m->nimports; i++)
        if (m->imports[i]->module) order_modules(a, m->imports[i]->module, seen, out);
    ptrlist_push(a, out, m);
}

/* A module's types, then its functions' names and signatures (which may
 * name the types of the modules it imports, declared before it). */
static void declare_module(Checker *c, Program *p, Module *m) {
    check_scope_load(c, m);
    check_type_decls(c);
    c->fn_names = (NameTable){0};
    for (int i = 0; i < m->nfns; i++) {
        FnDecl *f = m->fns[i];
        f->module = m;
        FnDecl *first = names_add(c->a, &c->fn_names, f->name, f);
        if (first) {
            diag_error(c->d, f->loc, "function '%s' is defined twice", f->name);
            diag_note(c->d, first->loc, "the first definition is here");
        }
        bool ok = check_signature(c, f);
        if (f->body && ok) {
            f->index = p->nfns++;
            ptrlist_push(c->a, &c->fns, f);
        } else {
            f->index = -1;
        }
    }
    check_scope_save(c);
}

/* A function of the program's own file that neither main nor an export
 * reaches (through calls or uses as a value) is a warning: in a program,
 * nothing else can call it. Imported modules are libraries, not warned. */
static void warn_unused_fns(Checker *c, Program *p) {
    bool *seen = ARENA_ARRAY(c->a, bool, p->nfns + 1);
    FnDecl **work = ARENA_ARRAY(c->a, FnDecl *, p->nfns + 1);
    int n = 0;
    for (int i = 0; i < p->nfns; i++)
        if (p->fns[i] == p->main || p->fns[i]->is_export) {
            seen[i] = true;
            work[n++] = p->fns[i];
        }
    while (n > 0) {
        FnDecl *f = work[--n];
        const PtrList *calls = &c->calls[f->index];
        for (int k = 0; k < calls->len; k++) {
            FnDecl *g = calls->items[k];
            if (g->index >= 0 && !seen[g->index]) {
                seen[g->index] = true;
                work[n++] = g;
            }
        }
    }
    for (int i = 0; i < p->nfns; i++) {
        FnDecl *f = p->fns[i];
        if (seen[i] || f->module != p->root || f->name[0] == '_') continue;
        diag_warning(c->d, f->loc, "function '%s' is never called", f->name);
        diag_hint(c->d, "remove it, or name it '_%s' if it is kept on purpose", f->name);
    }
}

Program *check_program(Arena *a, Diag *d, Module *root, bool need_main) {
    int errors_before = d->errors;
    Checker c = {.a = a, .d = d, .mod = root};
    c.t_i64 = type_new(a, TY_I64);
    c.t_f64 = type_new(a, TY_F64);
    c.t_bool = type_new(a, TY_BOOL);
    c.t_str = type_new(a, TY_STR);
    c.t_unit = type_new(a, TY_UNIT);
    c.t_error = type_new(a, TY_ERROR);

    Program *p = ARENA_NEW(a, Program);
    p->root = root;
    PtrList seen = {0}, order = {0};
    order_modules(a, root, &seen, &order);
    p->modules = (Module **)order.items;
    p->nmodules = order.len;
    for (int i = 0; i < order.len; i++) ((Module *)order.items[i])->scope = NULL;
    for (int i = 0; i < order.len; i++) {
        for (int j = 0; j < ((Module *)order.items[i])->nimports; j++) {
            Import *im = ((Module *)order.items[i])->imports[j];
            if (!im->module) diag_error(d, im->loc, "module '%s' was not loaded", im->name);
        }
        declare_module(&c, p, order.items[i]);
    }
    p->fns = (FnDecl **)c.fns.items;
    p->nlocals = ARENA_ARRAY(a, int, p->nfns + 1);
    p->nexprs = ARENA_ARRAY(a, int, p->nfns + 1);
    c.calls = ARENA_ARRAY(a, PtrList, p->nfns + 1);
    for (int i = 0; i < p->nfns; i++) {
        check_scope_load(&c, p->fns[i]->module);
        if (!p->fns[i]->broken) /* its body is not all there: what is would mislead */
            check_fn(&c, p->fns[i], &p->nlocals[i], &p->nexprs[i]);
    }
    check_scope_load(&c, root);
    if (need_main || check_lookup_fn(&c, "main")) check_main(&c, p);
    if (d->errors > errors_before) return NULL;
    if (p->main) warn_unused_fns(&c, p);
    check_effects(&c, p);
    if (d->errors > errors_before) return NULL;
    return p;
}
