/* check.c — resolves names and checks types of a parsed module.
 *
 * One walk over each function body with a scope stack. Types are checked
 * bottom-up; an expected type flows down only where the language needs it
 * (let annotations, the branches of if). An error yields TY_ERROR, which
 * every rule accepts silently, so that one mistake gives one message.
 * After all bodies are checked, effectfulness is propagated through the
 * call graph to a fixed point (spec 7, Effects).
 */
#include "check.h"

#include <stdlib.h>
#include <string.h>

typedef struct Binding {
    const char *name;
    Local *local;
    struct Binding *prev;
} Binding;

typedef struct Checker {
    Arena *a;
    Diag *d;
    Module *mod;
    FnDecl *fn;        /* function being checked */
    int nlocals;       /* Locals created in fn */
    Binding *scope;    /* innermost first */
    Type *t_i64, *t_f64, *t_bool, *t_str, *t_unit, *t_error;
    /* call graph, for effects: calls[i] lists callee indexes of fns[i] */
    PtrList fns;
    PtrList *calls;
    bool *direct_effect;
    FnDecl **fn_table; /* the module's functions by name */
    size_t fn_cap;
} Checker;

static Type *check_expr(Checker *c, Expr *e);

static bool is_err(const Type *t) { return t == NULL || t->kind == TY_ERROR; }

static const char *tstr(const Type *t, char *buf) { return type_str(t, buf, 128); }

static void not_supported(Checker *c, Loc loc, const char *what) {
    diag_error(c->d, loc, "%s not supported yet", what);
    diag_hint(c->d, "this version of PEL compiles the scalar core of the language: "
                    "i64, f64, bool, str, (), tuples and functions");
}

/* ---- scopes ---------------------------------------------------------------- */

static Local *bind(Checker *c, const char *name, Type *t, Loc loc) {
    Local *l = ARENA_NEW(c->a, Local);
    l->name = name;
    l->type = t;
    l->loc = loc;
    l->id = c->nlocals++;
    l->owner = c->fn;
    if (strcmp(name, "_") != 0) {
        Binding *b = ARENA_NEW(c->a, Binding);
        b->name = name;
        b->local = l;
        b->prev = c->scope;
        c->scope = b;
    }
    return l;
}

static Local *lookup_local(Checker *c, const char *name) {
    for (Binding *b = c->scope; b; b = b->prev)
        if (strcmp(b->name, name) == 0) return b->local;
    return NULL;
}

/* Functions by name: an open-addressing table, so that a file with 10^5
 * functions checks in linear time. */
static uint64_t name_hash(const char *s) {
    uint64_t h = 1469598103934665603u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static FnDecl *fn_table_find(const Checker *c, const char *name) {
    if (!c->fn_cap) return NULL;
    for (size_t i = name_hash(name) & (c->fn_cap - 1); c->fn_table[i]; i = (i + 1) & (c->fn_cap - 1))
        if (strcmp(c->fn_table[i]->name, name) == 0) return c->fn_table[i];
    return NULL;
}

/* Adds f unless the name is taken; returns the earlier definition if so. */
static FnDecl *fn_table_add(Checker *c, FnDecl *f) {
    size_t i = name_hash(f->name) & (c->fn_cap - 1);
    for (; c->fn_table[i]; i = (i + 1) & (c->fn_cap - 1))
        if (strcmp(c->fn_table[i]->name, f->name) == 0) return c->fn_table[i];
    c->fn_table[i] = f;
    return NULL;
}

static FnDecl *lookup_fn(Checker *c, const char *name) { return fn_table_find(c, name); }

/* ---- types written by the user ------------------------------------------------ */

/* Only the core types are supported; reports and returns false otherwise. */
static bool check_type_supported(Checker *c, Type *t) {
    switch (t->kind) {
    case TY_I64: case TY_F64: case TY_BOOL: case TY_STR: case TY_UNIT: case TY_ERROR:
        return true;
    case TY_TUPLE:
        for (int i = 0; i < t->n; i++)
            if (!check_type_supported(c, t->items[i])) return false;
        return true;
    case TY_ARRAY:
        not_supported(c, t->loc, "array types are");
        return false;
    case TY_FN:
        not_supported(c, t->loc, "function types are");
        return false;
    case TY_INFER:
        return true;
    }
    return false;
}

/* ---- expressions ----------------------------------------------------------------- */

static void note_call(Checker *c, FnDecl *callee) {
    int me = c->fn->index;
    ptrlist_push(c->a, &c->calls[me], callee);
}

static Type *mismatch(Checker *c, Loc loc, const char *what, Type *want, Type *got) {
    char b1[128], b2[128];
    diag_error(c->d, loc, "mismatched types: %s must be %s, found %s", what, tstr(want, b1),
               tstr(got, b2));
    return c->t_error;
}

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
    if (l->kind == TY_I64 || l->kind == TY_F64) return l;
    if (l->kind == TY_STR && op == OP_ADD) return l;
    diag_error(c->d, e->loc, "arithmetic needs i64 or f64 operands%s, found %s",
               op == OP_ADD ? " (or str for +)" : "", tstr(l, b1));
    return c->t_error;
}

static bool has_fn_type(const Type *t) {
    if (t->kind == TY_FN) return true;
    if (t->kind == TY_TUPLE)
        for (int i = 0; i < t->n; i++)
            if (has_fn_type(t->items[i])) return true;
    if (t->kind == TY_ARRAY) return has_fn_type(t->elem);
    return false;
}

static Type *check_binary(Checker *c, Expr *e) {
    char b1[128], b2[128];
    Type *l = check_expr(c, e->u.binary.lhs);
    Type *r = check_expr(c, e->u.binary.rhs);
    switch (e->u.binary.op) {
    case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV: case OP_MOD:
        return check_arith(c, e, l, r);
    case OP_EQ: case OP_NE:
        if (is_err(l) || is_err(r)) return c->t_bool;
        if (!type_eq(l, r)) {
            diag_error(c->d, e->loc, "cannot compare %s with %s", tstr(l, b1), tstr(r, b2));
        } else if (has_fn_type(l)) {
            diag_error(c->d, e->loc, "functions cannot be compared");
        }
        return c->t_bool;
    case OP_LT: case OP_LE: case OP_GT: case OP_GE:
        if (is_err(l) || is_err(r)) return c->t_bool;
        if (!type_eq(l, r)) {
            diag_error(c->d, e->loc, "cannot compare %s with %s", tstr(l, b1), tstr(r, b2));
        } else if (l->kind != TY_I64 && l->kind != TY_F64 && l->kind != TY_STR) {
            diag_error(c->d, e->loc, "ordering comparison needs i64, f64 or str, found %s",
                       tstr(l, b1));
        }
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

static bool is_num(const Type *t) { return t->kind == TY_I64 || t->kind == TY_F64; }

/* Printable: every type but functions (and arrays of them). */
static bool printable(const Type *t) { return !has_fn_type(t); }

static Type *check_builtin_call(Checker *c, Expr *e, const Builtin *b) {
    char b1[128], b2[128];
    int n = e->u.call.nargs;
    Expr **args = e->u.call.args;
    const char *name = b->name;
    if (!b->supported) {
        char what[96];
        snprintf(what, sizeof what, "the builtin '%s' is", name);
        not_supported(c, e->loc, what);
        for (int i = 0; i < n; i++) check_expr(c, args[i]);
        return c->t_error;
    }
    Type *at[3] = {0};
    for (int i = 0; i < n; i++) {
        Type *t = check_expr(c, args[i]);
        if (i < 3) at[i] = t;
    }
    if (b->arity >= 0 && n != b->arity) {
        diag_error(c->d, e->loc, "'%s' takes %d argument%s but %d %s given", name, b->arity,
                   b->arity == 1 ? "" : "s", n, n == 1 ? "was" : "were");
        return c->t_error;
    }
    for (int i = 0; i < n && i < 3; i++)
        if (is_err(at[i])) {
            switch (b->kind) {
            case B_PRINT: case B_PRINTLN: case B_EPRINTLN: case B_ASSERT: case B_PANIC:
                return c->t_unit;
            case B_STR: return c->t_str;
            case B_LEN: case B_I64: return c->t_i64;
            default: return c->t_error;
            }
        }
    switch (b->kind) {
    case B_PRINT: case B_PRINTLN: case B_EPRINTLN:
        if (!printable(at[0])) diag_error(c->d, args[0]->loc, "cannot print a function");
        return c->t_unit;
    case B_STR:
        if (!printable(at[0])) diag_error(c->d, args[0]->loc, "cannot format a function");
        return c->t_str;
    case B_ASSERT:
        if (at[0]->kind != TY_BOOL) mismatch(c, args[0]->loc, "the condition of assert", c->t_bool, at[0]);
        if (at[1]->kind != TY_STR) mismatch(c, args[1]->loc, "the message of assert", c->t_str, at[1]);
        return c->t_unit;
    case B_PANIC:
        if (at[0]->kind != TY_STR) mismatch(c, args[0]->loc, "the message of panic", c->t_str, at[0]);
        return c->t_unit;
    case B_F64:
        if (at[0]->kind != TY_I64) {
            mismatch(c, args[0]->loc, "the argument of f64()", c->t_i64, at[0]);
        }
        return c->t_f64;
    case B_I64:
        if (at[0]->kind != TY_F64) {
            mismatch(c, args[0]->loc, "the argument of i64()", c->t_f64, at[0]);
        }
        return c->t_i64;
    case B_SQRT: case B_EXP: case B_LOG: case B_SIN: case B_COS: case B_TAN:
    case B_FLOOR: case B_CEIL: case B_FABS:
    case B_ATAN2: case B_POW:
        for (int i = 0; i < n; i++)
            if (at[i]->kind != TY_F64) {
                char what[64];
                snprintf(what, sizeof what, "the argument of %s()", name);
                mismatch(c, args[i]->loc, what, c->t_f64, at[i]);
                if (at[i]->kind == TY_I64) diag_hint(c->d, "convert with f64(x)");
                return c->t_f64;
            }
        return c->t_f64;
    case B_ABS:
        if (!is_num(at[0])) {
            diag_error(c->d, args[0]->loc, "abs() needs i64 or f64, found %s", tstr(at[0], b1));
            return c->t_error;
        }
        return at[0];
    case B_MIN: case B_MAX:
        if (!is_num(at[0])) {
            diag_error(c->d, args[0]->loc, "%s() needs i64 or f64 arguments, found %s", name,
                       tstr(at[0], b1));
            return c->t_error;
        }
        if (!type_eq(at[0], at[1])) {
            diag_error(c->d, args[1]->loc,
                       "mismatched types: the arguments of %s() must have one type, found %s and %s",
                       name, tstr(at[0], b1), tstr(at[1], b2));
            if (at[1]->kind == TY_I64 || at[1]->kind == TY_F64)
                diag_hint(c->d, "PEL has no implicit conversions: use f64(x) or i64(x)");
            return c->t_error;
        }
        return at[0];
    case B_LEN:
        if (at[0]->kind != TY_STR) {
            if (at[0]->kind == TY_ARRAY) return c->t_i64; /* unreachable until arrays exist */
            diag_error(c->d, args[0]->loc, "len() needs a str or an array, found %s", tstr(at[0], b1));
        }
        return c->t_i64;
    default:
        return c->t_error;
    }
}

static Type *check_call(Checker *c, Expr *e) {
    char b1[128], b2[128];
    Expr *callee = e->u.call.callee;
    int n = e->u.call.nargs;
    if (callee->kind == E_NAME) {
        const char *name = callee->u.name.name;
        Local *l = lookup_local(c, name);
        if (!l) {
            FnDecl *f = lookup_fn(c, name);
            if (f) {
                callee->u.name.kind = NAME_FN;
                callee->u.name.fn = f;
                note_call(c, f);
                if (f->is_extern) {
                    not_supported(c, e->loc, "calling extern functions is");
                    for (int i = 0; i < n; i++) check_expr(c, e->u.call.args[i]);
                    return c->t_error;
                }
                bool bad_arity = n != f->nparams;
                if (bad_arity) {
                    diag_error(c->d, e->loc, "'%s' takes %d argument%s but %d %s given", name,
                               f->nparams, f->nparams == 1 ? "" : "s", n, n == 1 ? "was" : "were");
                    diag_note(c->d, f->loc, "'%s' is defined here", name);
                }
                for (int i = 0; i < n; i++) {
                    Type *t = check_expr(c, e->u.call.args[i]);
                    if (!bad_arity && !is_err(t) && !is_err(f->params[i]->type) &&
                        !type_eq(t, f->params[i]->type)) {
                        diag_error(c->d, e->u.call.args[i]->loc,
                                   "mismatched types: argument %d of '%s' must be %s, found %s",
                                   i + 1, name, tstr(f->params[i]->type, b1), tstr(t, b2));
                    }
                }
                callee->type = c->t_error; /* not a value */
                return f->ret;
            }
            const Builtin *b = builtin_lookup(name);
            if (b) {
                callee->u.name.kind = NAME_BUILTIN;
                callee->u.name.builtin = b;
                return check_builtin_call(c, e, b);
            }
            diag_error(c->d, callee->loc, "unknown function '%s'", name);
            for (int i = 0; i < n; i++) check_expr(c, e->u.call.args[i]);
            return c->t_error;
        }
    }
    if (callee->kind == E_MEMBER) {
        not_supported(c, callee->loc, "modules are");
        for (int i = 0; i < n; i++) check_expr(c, e->u.call.args[i]);
        return c->t_error;
    }
    Type *t = check_expr(c, callee);
    for (int i = 0; i < n; i++) check_expr(c, e->u.call.args[i]);
    if (is_err(t)) return c->t_error;
    if (t->kind == TY_FN) {
        not_supported(c, e->loc, "calling function values is");
        return c->t_error;
    }
    if (callee->kind == E_NAME)
        diag_error(c->d, callee->loc, "'%s' is not a function: it is a value of type %s",
                   callee->u.name.name, tstr(t, b1));
    else
        diag_error(c->d, callee->loc, "cannot call a value of type %s: it is not a function",
                   tstr(t, b1));
    return c->t_error;
}

static void bind_pattern(Checker *c, Pattern *p, Type *t) {
    char b1[128];
    if (!p->is_tuple) {
        p->local = bind(c, p->name, t, p->loc);
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

static Type *check_block(Checker *c, Block *b) {
    Binding *saved = c->scope;
    Type *last = c->t_unit;
    for (int i = 0; i < b->n; i++) {
        Stmt *s = b->stmts[i];
        if (s->kind == S_LET) {
            Type *t = check_expr(c, s->expr);
            Expr *v = s->expr;
            if (v->kind == E_IF && !v->u.if_.else_ && !is_err(v->u.if_.then_->type) &&
                v->u.if_.then_->type->kind != TY_UNIT) {
                diag_error(c->d, v->loc, "an 'if' without 'else' has no value (its type is ())");
                diag_hint(c->d, "add an 'else' branch to give the value in the other case");
                t = c->t_error;
            }
            if (s->annot) {
                if (check_type_supported(c, s->annot) && !is_err(t) && !type_eq(t, s->annot))
                    mismatch(c, s->expr->loc, "the value of this let", s->annot, t);
                t = s->annot;
            }
            bind_pattern(c, s->pat, t);
            last = c->t_unit;
        } else {
            last = check_expr(c, s->expr);
        }
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

static Type *check_if(Checker *c, Expr *e) {
    char b1[128], b2[128];
    Type *ct = check_expr(c, e->u.if_.cond);
    if (!is_err(ct) && ct->kind != TY_BOOL) mismatch(c, e->u.if_.cond->loc, "an if condition", c->t_bool, ct);
    Type *tt = check_expr(c, e->u.if_.then_);
    if (!e->u.if_.else_) return c->t_unit;
    Type *et = check_expr(c, e->u.if_.else_);
    if (is_err(tt) || is_err(et)) return is_err(tt) ? et : tt;
    if (!type_eq(tt, et)) {
        diag_error(c->d, value_loc(e->u.if_.else_),
                   "mismatched types: the branches of this if are %s and %s", tstr(tt, b1),
                   tstr(et, b2));
        diag_note(c->d, value_loc(e->u.if_.then_), "the first branch has type %s", tstr(tt, b1));
        return c->t_error;
    }
    return tt;
}

static Type *check_expr_kind(Checker *c, Expr *e) {
    char b1[128];
    switch (e->kind) {
    case E_INT: return c->t_i64;
    case E_FLOAT: return c->t_f64;
    case E_STR: return c->t_str;
    case E_BOOL: return c->t_bool;
    case E_UNIT: return c->t_unit;
    case E_NAME: {
        const char *name = e->u.name.name;
        Local *l = lookup_local(c, name);
        if (l) {
            e->u.name.kind = NAME_LOCAL;
            e->u.name.local = l;
            return l->type;
        }
        if (lookup_fn(c, name)) {
            not_supported(c, e->loc, "functions as values are");
            return c->t_error;
        }
        if (builtin_lookup(name)) {
            diag_error(c->d, e->loc, "the builtin '%s' can only be called", name);
            return c->t_error;
        }
        diag_error(c->d, e->loc, "unknown name '%s'", name);
        return c->t_error;
    }
    case E_MEMBER:
        not_supported(c, e->loc, "modules are");
        return c->t_error;
    case E_FIELD: {
        Type *t = check_expr(c, e->u.field.base);
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
        Type *t = check_expr(c, e->u.unary.operand);
        if (is_err(t)) return t;
        if (e->u.unary.op == OP_NEG) {
            if (!is_num(t)) {
                diag_error(c->d, e->u.unary.operand->loc, "unary '-' needs i64 or f64, found %s",
                           tstr(t, b1));
                return c->t_error;
            }
            return t;
        }
        if (t->kind != TY_BOOL)
            return mismatch(c, e->u.unary.operand->loc, "the operand of 'not'", c->t_bool, t);
        return t;
    }
    case E_BINARY: return check_binary(c, e);
    case E_CALL: return check_call(c, e);
    case E_TUPLE: {
        Type *t = type_new(c->a, TY_TUPLE);
        t->n = e->u.list.n;
        t->items = ARENA_ARRAY(c->a, Type *, t->n);
        bool bad = false;
        for (int i = 0; i < t->n; i++) {
            t->items[i] = check_expr(c, e->u.list.items[i]);
            bad |= is_err(t->items[i]);
        }
        return bad ? c->t_error : t;
    }
    case E_IF: return check_if(c, e);
    case E_BLOCK: return check_block(c, &e->u.block);
    case E_RANGE: not_supported(c, e->loc, "ranges are"); break;
    case E_INDEX: not_supported(c, e->loc, "indexing is"); break;
    case E_ARRAY: not_supported(c, e->loc, "arrays are"); break;
    case E_LAMBDA: not_supported(c, e->loc, "lambdas are"); break;
    case E_FOR: not_supported(c, e->loc, "for comprehensions are"); break;
    }
    return c->t_error;
}

static Type *check_expr(Checker *c, Expr *e) {
    e->type = check_expr_kind(c, e);
    return e->type;
}

/* ---- functions and the program ----------------------------------------------------- */

static void check_fn(Checker *c, FnDecl *f, int *nlocals) {
    char b1[128], b2[128];
    c->fn = f;
    c->nlocals = 0;
    c->scope = NULL;
    for (int i = 0; i < f->nparams; i++) {
        Param *p = f->params[i];
        for (int j = 0; j < i; j++)
            if (strcmp(f->params[j]->name, p->name) == 0 && strcmp(p->name, "_") != 0)
                diag_error(c->d, p->loc, "duplicate parameter '%s'", p->name);
        p->local = bind(c, p->name, p->type, p->loc);
    }
    Type *t = check_expr(c, f->body);
    if (!is_err(t) && !is_err(f->ret) && !type_eq(t, f->ret)) {
        Loc at = f->body->loc;
        if (f->body->kind == E_BLOCK && f->body->u.block.n > 0)
            at = f->body->u.block.stmts[f->body->u.block.n - 1]->loc;
        diag_error(c->d, at, "mismatched types: '%s' returns %s, but its body has type %s", f->name,
                   tstr(f->ret, b1), tstr(t, b2));
        if (f->ret->kind == TY_UNIT)
            diag_hint(c->d, "declare the result type with '-> %s'", tstr(t, b2));
    }
    *nlocals = c->nlocals;
}

static bool check_signature(Checker *c, FnDecl *f) {
    bool ok = true;
    if (f->is_export) {
        not_supported(c, f->loc, "'export fn' is");
        ok = false;
    }
    if (f->is_extern) {
        not_supported(c, f->loc, "'extern fn' is");
        ok = false;
    }
    for (int i = 0; i < f->nparams; i++) ok &= check_type_supported(c, f->params[i]->type);
    ok &= check_type_supported(c, f->ret);
    return ok;
}

static void check_main(Checker *c, Program *p) {
    char b1[128];
    FnDecl *m = lookup_fn(c, "main");
    if (!m) {
        Loc loc = {c->mod->file, 1, 1};
        diag_error(c->d, loc, "this program has no 'main' function");
        diag_hint(c->d, "add 'fn main() { ... }'");
        return;
    }
    p->main = m;
    if (m->nparams != 0) diag_error(c->d, m->loc, "'main' takes no parameters");
    if (m->ret->kind != TY_UNIT && m->ret->kind != TY_I64 && !is_err(m->ret))
        diag_error(c->d, m->loc, "'main' must return () or i64, not %s", tstr(m->ret, b1));
}

/* An effect anywhere in a function's call graph makes it effectful. */
static void propagate_effects(Checker *c, Program *p) {
    for (int i = 0; i < p->nfns; i++) p->fns[i]->effectful = c->direct_effect[i];
    for (bool changed = true; changed;) {
        changed = false;
        for (int i = 0; i < p->nfns; i++) {
            FnDecl *f = p->fns[i];
            if (f->effectful) continue;
            for (int j = 0; j < c->calls[i].len; j++)
                if (((FnDecl *)c->calls[i].items[j])->effectful) {
                    f->effectful = changed = true;
                    break;
                }
        }
    }
}

static bool mark_direct_effects(Expr *e);

static bool any_effect_in_block(Block *b) {
    bool eff = false;
    for (int i = 0; i < b->n; i++) eff |= mark_direct_effects(b->stmts[i]->expr);
    return eff;
}

/* Does e call an effectful builtin itself? (calls to functions are in the
 * call graph) */
static bool mark_direct_effects(Expr *e) {
    if (!e) return false;
    switch (e->kind) {
    case E_CALL: {
        bool eff = false;
        Expr *callee = e->u.call.callee;
        if (callee->kind == E_NAME && callee->u.name.kind == NAME_BUILTIN)
            eff = callee->u.name.builtin->effectful;
        for (int i = 0; i < e->u.call.nargs; i++) eff |= mark_direct_effects(e->u.call.args[i]);
        return eff;
    }
    case E_UNARY: return mark_direct_effects(e->u.unary.operand);
    case E_BINARY: return mark_direct_effects(e->u.binary.lhs) | mark_direct_effects(e->u.binary.rhs);
    case E_FIELD: return mark_direct_effects(e->u.field.base);
    case E_TUPLE: case E_ARRAY: {
        bool eff = false;
        for (int i = 0; i < e->u.list.n; i++) eff |= mark_direct_effects(e->u.list.items[i]);
        return eff;
    }
    case E_IF:
        return mark_direct_effects(e->u.if_.cond) | mark_direct_effects(e->u.if_.then_) |
               mark_direct_effects(e->u.if_.else_);
    case E_BLOCK: return any_effect_in_block(&e->u.block);
    default: return false;
    }
}

Program *check_program(Arena *a, Diag *d, Module *root) {
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
    for (int i = 0; i < root->nimports; i++)
        not_supported(&c, root->imports[i]->loc, "'import' is");

    /* duplicate names, then the list of functions with bodies */
    c.fn_cap = 16;
    while (c.fn_cap < (size_t)root->nfns * 2) c.fn_cap *= 2;
    c.fn_table = ARENA_ARRAY(a, FnDecl *, c.fn_cap);
    for (int i = 0; i < root->nfns; i++) {
        FnDecl *f = root->fns[i];
        f->module = root;
        FnDecl *first = fn_table_add(&c, f);
        if (first) {
            diag_error(d, f->loc, "function '%s' is defined twice", f->name);
            diag_note(d, first->loc, "the first definition is here");
        }
        bool ok = check_signature(&c, f);
        if (f->body && ok) {
            f->index = p->nfns++;
            ptrlist_push(a, &c.fns, f);
        } else {
            f->index = -1;
        }
    }
    p->fns = (FnDecl **)c.fns.items;
    p->nlocals = ARENA_ARRAY(a, int, p->nfns + 1);
    c.calls = ARENA_ARRAY(a, PtrList, p->nfns + 1);
    c.direct_effect = ARENA_ARRAY(a, bool, p->nfns + 1);
    for (int i = 0; i < p->nfns; i++) check_fn(&c, p->fns[i], &p->nlocals[i]);
    check_main(&c, p);
    if (d->errors > errors_before) return NULL;
    for (int i = 0; i < p->nfns; i++) c.direct_effect[i] = mark_direct_effects(p->fns[i]->body);
    propagate_effects(&c, p);
    return p;
}
