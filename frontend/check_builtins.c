/* check_builtins.c — the signatures of the builtins of spec 6 and 7.
 *
 * Builtins are generic (map works on any [T]), so each has a small rule here
 * instead of a fixed type. Arguments are checked left to right, and what the
 * earlier ones fix becomes the expected type of the later ones: in
 * `map(xs, fn(x) => x * 2)` the lambda's parameter gets xs's element type.
 */
#include "check_internal.h"

#include <string.h>

typedef struct Args {
    Checker *c;
    Expr *e;
    const char *name;
    Type *t[3];
    bool bad;
    Type *expect; /* what the call's context wants, or NULL */
} Args;

static Type *arg(Args *a, int i, Type *expect) {
    a->t[i] = check_expect(a->c, a->e->u.call.args[i], expect);
    if (is_err(a->t[i])) a->bad = true;
    return a->t[i];
}

static Loc arg_loc(const Args *a, int i) { return a->e->u.call.args[i]->loc; }

static void want_kind(Args *a, int i, const char *what) {
    char b1[128];
    if (a->bad) return;
    diag_error(a->c->d, arg_loc(a, i), "%s() needs %s as argument %d, found %s", a->name, what, i + 1,
               tstr(a->t[i], b1));
    a->bad = true;
}

/* argument i must be exactly `want` */
static void want_type(Args *a, int i, Type *want) {
    char b1[128], b2[128];
    if (a->bad || is_err(want) || type_eq(a->t[i], want)) return;
    diag_error(a->c->d, arg_loc(a, i), "mismatched types: argument %d of %s() must be %s, found %s",
               i + 1, a->name, tstr(want, b1), tstr(a->t[i], b2));
    a->bad = true;
}

static Type *array_of(Checker *c, Type *t) { return type_array(c->a, t); }

/* argument i, which must be exactly t */
static void arg_exact(Args *a, int i, Type *t) {
    arg(a, i, t);
    want_type(a, i, t);
}

static Type *fn1(Checker *c, Type *p, Type *ret) { return fn_type(c, &p, 1, ret); }

static Type *fn2(Checker *c, Type *p, Type *q, Type *ret) {
    Type *ps[2] = {p, q};
    return fn_type(c, ps, 2, ret);
}

static bool is_num(const Type *t) { return t->kind == TY_I64 || t->kind == TY_F64; }

/* the element type of argument i, which must be an array */
static Type *elem_of(Args *a, int i) {
    if (a->bad) return a->c->t_error;
    if (a->t[i]->kind != TY_ARRAY) {
        want_kind(a, i, "an array");
        return a->c->t_error;
    }
    return a->t[i]->elem;
}

/* argument i is a function: fn(params) -> ret? ; returns its result type */
static Type *fn_result(Args *a, int i, Type *want_fn) {
    char b1[128], b2[128];
    Type *t = arg(a, i, want_fn);
    if (a->bad) return a->c->t_error;
    if (t->kind != TY_FN || t->n != want_fn->n) {
        diag_error(a->c->d, arg_loc(a, i), "%s() needs a function of %d argument%s as argument %d, found %s",
                   a->name, want_fn->n, want_fn->n == 1 ? "" : "s", i + 1, tstr(t, b1));
        a->bad = true;
        return a->c->t_error;
    }
    for (int k = 0; k < t->n; k++)
        if (!is_err(want_fn->items[k]) && want_fn->items[k]->kind != TY_INFER &&
            !type_eq(t->items[k], want_fn->items[k])) {
            diag_error(a->c->d, arg_loc(a, i),
                       "mismatched types: the function given to %s() must take %s as argument %d, not %s",
                       a->name, tstr(want_fn->items[k], b1), k + 1, tstr(t->items[k], b2));
            a->bad = true;
            return a->c->t_error;
        }
    return t->ret;
}

static Type *ret_mismatch(Args *a, int i, const char *what, Type *want, Type *got) {
    char b1[128], b2[128];
    diag_error(a->c->d, arg_loc(a, i), "mismatched types: the function given to %s() must return %s, not %s (%s)",
               a->name, tstr(want, b1), tstr(got, b2), what);
    a->bad = true;
    return a->c->t_error;
}

/* The expected type of foldl's or iterate's initial value, which may be an
 * empty `[]` that says nothing itself: the type the call's context wants
 * (`let r: [i64] = foldl(xs, [], ...)`), else what the function argument,
 * a lambda or a named function, declares for its parameter `param` or for
 * its result. */
static Type *acc_hint(Args *a, int fn_arg, int param) {
    if (a->expect && !is_err(a->expect) && a->expect->kind != TY_INFER) return a->expect;
    const Expr *f = a->e->u.call.args[fn_arg];
    if (f->kind == E_NAME) {
        const FnDecl *fn = check_named_fn(a->c, f->u.name.name);
        return fn && fn->nparams > param ? fn->params[param]->type : NULL;
    }
    if (f->kind != E_LAMBDA) return NULL;
    const Param *p = f->u.lambda.nparams > param ? f->u.lambda.params[param] : NULL;
    if (p && p->type && p->type->kind != TY_INFER) return p->type;
    return f->u.lambda.ret;
}

/* foldl's or iterate's initial value: an empty `[]` with no hint gets a
 * message that says where its type can be written (the function argument
 * is checked next, against an unknown accumulator type, which is silent) */
static Type *acc_arg(Args *a, int i, int fn_arg, const char *example) {
    Type *hint = acc_hint(a, fn_arg, 0);
    const Expr *x = a->e->u.call.args[i];
    if (hint || x->kind != E_ARRAY || x->u.list.n != 0) return arg(a, i, hint);
    diag_error(a->c->d, x->loc, "cannot infer the element type of the empty array given to %s()", a->name);
    diag_hint(a->c->d, "declare the type on the function's parameter, as in %s, or bind the array first: "
              "let init: [i64] = []", example);
    return a->t[i] = a->c->t_error;
}

static Type *check_functional(Args *a, BuiltinKind k) {
    Checker *c = a->c;
    Type *infer = type_new(c->a, TY_INFER);
    switch (k) {
    case B_MAP: {
        arg(a, 0, NULL);
        Type *t = elem_of(a, 0);
        Type *r = fn_result(a, 1, fn1(c, t, infer));
        return a->bad ? c->t_error : array_of(c, r);
    }
    case B_FILTER: {
        arg(a, 0, NULL);
        Type *t = elem_of(a, 0);
        Type *r = fn_result(a, 1, fn1(c, t, c->t_bool));
        if (!a->bad && r->kind != TY_BOOL) return ret_mismatch(a, 1, "a predicate", c->t_bool, r);
        return a->bad ? c->t_error : a->t[0];
    }
    case B_REDUCE: case B_SCAN: {
        arg(a, 0, NULL);
        Type *t = elem_of(a, 0);
        arg_exact(a, 1, t);
        Type *r = fn_result(a, 2, fn2(c, t, t, t));
        if (!a->bad && !type_eq(r, t)) return ret_mismatch(a, 2, "an associative operator", t, r);
        if (a->bad) return c->t_error;
        return k == B_REDUCE ? t : a->t[0];
    }
    case B_SORT_BY: {
        arg(a, 0, NULL);
        Type *t = elem_of(a, 0);
        Type *r = fn_result(a, 1, fn1(c, t, infer));
        if (!a->bad && !is_num(r) && r->kind != TY_STR) {
            char b1[128];
            diag_error(c->d, arg_loc(a, 1), "sort_by() needs a key of type i64, f64 or str, found %s", tstr(r, b1));
            diag_hint(c->d, "sort by several keys with a key that combines them, or sort an array of indexes");
            return c->t_error;
        }
        return a->bad ? c->t_error : a->t[0];
    }
    case B_FOLDL: {
        arg(a, 0, NULL);
        Type *t = elem_of(a, 0);
        Type *acc = acc_arg(a, 1, 2, "fn(acc: [i64], x) => ...");
        Type *r = fn_result(a, 2, fn2(c, acc, t, acc));
        if (!a->bad && !type_eq(r, acc)) return ret_mismatch(a, 2, "the accumulator", acc, r);
        return a->bad ? c->t_error : acc;
    }
    case B_ITERATE: {
        arg_exact(a, 0, c->t_i64);
        Type *x = acc_arg(a, 1, 2, "fn(v: [i64]) => ...");
        Type *r = fn_result(a, 2, fn1(c, x, x));
        if (!a->bad && !type_eq(r, x)) return ret_mismatch(a, 2, "the iterated value", x, r);
        return a->bad ? c->t_error : x;
    }
    default: return c->t_error;
    }
}

static Type *check_arrays(Args *a, BuiltinKind k) {
    Checker *c = a->c;
    switch (k) {
    case B_SUM: case B_PRODUCT: case B_MINIMUM: case B_MAXIMUM: {
        arg(a, 0, NULL);
        Type *t = elem_of(a, 0);
        if (!a->bad && !is_num(t)) want_kind(a, 0, "[i64] or [f64]");
        return a->bad ? c->t_error : t;
    }
    case B_SORT: {
        arg(a, 0, NULL);
        Type *t = elem_of(a, 0);
        if (!a->bad && !is_num(t) && t->kind != TY_STR) want_kind(a, 0, "[i64], [f64] or [str]");
        return a->bad ? c->t_error : a->t[0];
    }
    case B_ZIP: {
        arg(a, 0, NULL);
        arg(a, 1, NULL);
        Type *x = elem_of(a, 0), *y = elem_of(a, 1);
        return a->bad ? c->t_error : array_of(c, tuple_type(c, x, y));
    }
    case B_UNZIP: {
        arg(a, 0, NULL);
        Type *p = elem_of(a, 0);
        if (!a->bad && (p->kind != TY_TUPLE || p->n != 2)) want_kind(a, 0, "an array of pairs");
        if (a->bad) return c->t_error;
        return tuple_type(c, array_of(c, p->items[0]), array_of(c, p->items[1]));
    }
    case B_FILL: {
        arg_exact(a, 0, c->t_i64);
        Type *v = arg(a, 1, NULL);
        return a->bad ? c->t_error : array_of(c, v);
    }
    case B_CONCAT: {
        Type *x = arg(a, 0, NULL);
        elem_of(a, 0);
        arg(a, 1, a->bad ? NULL : x);
        want_type(a, 1, x);
        return a->bad ? c->t_error : x;
    }
    case B_SET: case B_PUSH: { /* v0.2: set(xs, i, v), push(xs, v) */
        Type *x = arg(a, 0, NULL);
        Type *t = elem_of(a, 0);
        int iv = k == B_SET ? 2 : 1;
        if (k == B_SET) arg_exact(a, 1, c->t_i64);
        if (a->bad) {
            arg(a, iv, NULL);
            return c->t_error;
        }
        arg(a, iv, t);
        want_type(a, iv, t);
        return a->bad ? c->t_error : x;
    }
    case B_SLICE: {
        arg(a, 0, NULL);
        if (!a->bad && a->t[0]->kind != TY_STR && a->t[0]->kind != TY_ARRAY)
            want_kind(a, 0, "an array or a str"); /* a str: byte offsets (v0.2) */
        arg_exact(a, 1, c->t_i64);
        arg_exact(a, 2, c->t_i64);
        return a->bad ? c->t_error : a->t[0];
    }
    case B_REVERSE: {
        arg(a, 0, NULL);
        elem_of(a, 0);
        return a->bad ? c->t_error : a->t[0];
    }
    case B_FLATTEN: {
        arg(a, 0, NULL);
        Type *t = elem_of(a, 0);
        if (!a->bad && t->kind != TY_ARRAY) want_kind(a, 0, "an array of arrays");
        return a->bad ? c->t_error : t;
    }
    default: return c->t_error;
    }
}

static Type *check_scalars(Args *a, BuiltinKind k) {
    Checker *c = a->c;
    char b1[128], b2[128];
    int n = a->e->u.call.nargs;
    switch (k) {
    case B_PRINT: case B_PRINTLN: case B_EPRINTLN:
        arg(a, 0, NULL);
        if (!a->bad && has_fn_type(a->t[0])) {
            if (a->t[0]->kind == TY_FN) diag_error(c->d, arg_loc(a, 0), "cannot print a function");
            else diag_error(c->d, arg_loc(a, 0), "cannot print a value of type %s: it holds functions", tstr(a->t[0], b1));
        }
        return c->t_unit;
    case B_STR:
        arg(a, 0, NULL);
        if (!a->bad && has_fn_type(a->t[0])) {
            if (a->t[0]->kind == TY_FN) diag_error(c->d, arg_loc(a, 0), "cannot format a function");
            else diag_error(c->d, arg_loc(a, 0), "cannot format a value of type %s: it holds functions", tstr(a->t[0], b1));
        }
        return c->t_str;
    case B_ASSERT:
        arg_exact(a, 0, c->t_bool);
        arg_exact(a, 1, c->t_str);
        return c->t_unit;
    case B_PANIC:
        arg_exact(a, 0, c->t_str);
        return c->t_unit;
    case B_F64:
        arg_exact(a, 0, c->t_i64);
        return c->t_f64;
    case B_I64:
        arg_exact(a, 0, c->t_f64);
        return c->t_i64;
    case B_SQRT: case B_EXP: case B_LOG: case B_SIN: case B_COS: case B_TAN:
    case B_FLOOR: case B_CEIL: case B_FABS: case B_ATAN2: case B_POW:
        for (int i = 0; i < n; i++) {
            arg(a, i, c->t_f64);
            if (a->bad) continue;
            if (a->t[i]->kind != TY_F64) {
                char what[64];
                snprintf(what, sizeof what, "the argument of %s()", a->name);
                mismatch(c, arg_loc(a, i), what, c->t_f64, a->t[i]);
                if (a->t[i]->kind == TY_I64) diag_hint(c->d, "convert with f64(x)");
                a->bad = true;
            }
        }
        return c->t_f64;
    case B_ABS:
        arg(a, 0, NULL);
        if (!a->bad && !is_num(a->t[0])) {
            diag_error(c->d, arg_loc(a, 0), "abs() needs i64 or f64, found %s", tstr(a->t[0], b1));
            return c->t_error;
        }
        return a->bad ? c->t_error : a->t[0];
    case B_MIN: case B_MAX:
        arg(a, 0, NULL);
        arg(a, 1, a->bad ? NULL : a->t[0]);
        if (a->bad) return c->t_error;
        if (!is_num(a->t[0])) {
            diag_error(c->d, arg_loc(a, 0), "%s() needs i64 or f64 arguments, found %s", a->name, tstr(a->t[0], b1));
            return c->t_error;
        }
        if (!type_eq(a->t[0], a->t[1])) {
            diag_error(c->d, arg_loc(a, 1),
                       "mismatched types: the arguments of %s() must have one type, found %s and %s",
                       a->name, tstr(a->t[0], b1), tstr(a->t[1], b2));
            if (is_num(a->t[1])) diag_hint(c->d, "PEL has no implicit conversions: use f64(x) or i64(x)");
            return c->t_error;
        }
        return a->t[0];
    case B_LEN:
        arg(a, 0, NULL);
        if (!a->bad && a->t[0]->kind != TY_STR && a->t[0]->kind != TY_ARRAY)
            want_kind(a, 0, "a str or an array");
        return c->t_i64;
    case B_SPLIT:
        arg_exact(a, 0, c->t_str);
        arg_exact(a, 1, c->t_str);
        return array_of(c, c->t_str);
    case B_LINES: case B_TRIM: case B_PARSE_I64: case B_PARSE_F64: case B_READ_FILE:
        arg_exact(a, 0, c->t_str);
        return k == B_LINES ? array_of(c, c->t_str) : k == B_PARSE_I64 ? c->t_i64
               : k == B_PARSE_F64 ? c->t_f64 : c->t_str;
    case B_FIND:
        arg_exact(a, 0, c->t_str);
        arg_exact(a, 1, c->t_str);
        return c->t_i64;
    case B_BYTES:
        arg_exact(a, 0, c->t_str);
        return array_of(c, c->t_i64);
    case B_FROM_BYTES: {
        Type *want = array_of(c, c->t_i64);
        arg_exact(a, 0, want);
        return c->t_str;
    }
    case B_FIXED:
        arg_exact(a, 0, c->t_f64);
        arg_exact(a, 1, c->t_i64);
        return c->t_str;
    case B_WRITE_FILE:
        arg_exact(a, 0, c->t_str);
        arg_exact(a, 1, c->t_str);
        return c->t_unit;
    case B_ARGS: return array_of(c, c->t_str);
    default: return c->t_error;
    }
}

Type *check_builtin_call(Checker *c, Expr *e, const Builtin *b, Type *expect) {
    int n = e->u.call.nargs;
    Args a = {.c = c, .e = e, .name = b->name, .expect = expect};
    if (b->arity >= 0 && n != b->arity) {
        diag_error(c->d, e->loc, "'%s' takes %d argument%s but %d %s given", b->name, b->arity,
                   b->arity == 1 ? "" : "s", n, n == 1 ? "was" : "were");
        for (int i = 0; i < n; i++) check_expect(c, e->u.call.args[i], NULL);
        return c->t_error;
    }
    Type *t = b->rule == CHK_FN      ? check_functional(&a, b->kind)
              : b->rule == CHK_ARRAY ? check_arrays(&a, b->kind)
                                     : check_scalars(&a, b->kind);
    /* the result of output, assert and friends stays () even after an error
     * in an argument, so that one mistake gives one message */
    switch (b->after_error) {
    case RES_UNIT: return c->t_unit;
    case RES_STR: return c->t_str;
    case RES_I64: return c->t_i64;
    default: return t;
    }
}
