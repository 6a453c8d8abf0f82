/* check_match.c — `match` (spec 5): patterns, arm types, exhaustiveness.
 *
 * Each arm's pattern is checked against the scrutinee's type and binds its
 * names for the guard and the body; all bodies have one type, as the
 * branches of an `if`. Then the arms are checked as a whole with the
 * usefulness algorithm of Maranget ("Warnings for pattern matching", JFP
 * 2007): an arm is unreachable (a warning) when no value reaches it past
 * the unguarded arms above it, and the match is exhaustive when the
 * wildcard is not useful after all unguarded arms; when it is, the
 * algorithm's witness is the value shown as "missing: Rect(_, _)". A
 * guarded arm may fail, so it covers nothing. The universe of a column is
 * the constructors of its type: a variant's, true and false, the one
 * constructor of a tuple or record; i64 and str have infinitely many
 * (their literals), so only a wildcard completes them.
 */
#include "check_internal.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ---- patterns ------------------------------------------------------------------ */

static bool pat_mismatch(Checker *c, Pat *p, const char *what, Type *t) {
    char b1[128];
    diag_error(c->d, p->loc, "mismatched types: this pattern is %s, but the value matched is %s", what, tstr(t, b1));
    return false;
}

/* Checks p against a value of type t, binding its names; false after an
 * error (then exhaustiveness is not checked). `bound` lists the names bound
 * so far in this arm's pattern. */
static bool check_pat(Checker *c, Pat *p, Type *t, PtrList *bound) {
    char b1[128];
    p->type = t;
    if (is_err(t)) {
        /* still bind the names so the arm's body does not report them */
        if (p->kind == PAT_BIND) p->local = check_bind(c, p->name, c->t_error, p->loc);
        for (int i = 0; i < p->n; i++) check_pat(c, p->items[i], c->t_error, bound);
        return false;
    }
    switch (p->kind) {
    case PAT_WILD: return true;
    case PAT_BIND:
        for (int i = 0; i < bound->len; i++)
            if (strcmp(((Pat *)bound->items[i])->name, p->name) == 0) {
                diag_error(c->d, p->loc, "'%s' is bound twice in this pattern", p->name);
                diag_note(c->d, ((Pat *)bound->items[i])->loc, "first bound here");
                return false;
            }
        ptrlist_push(c->a, bound, p);
        p->local = check_bind(c, p->name, t, p->loc);
        return true;
    case PAT_INT: return t->kind == TY_I64 || pat_mismatch(c, p, "an i64 literal", t);
    case PAT_BOOL: return t->kind == TY_BOOL || pat_mismatch(c, p, "a bool literal", t);
    case PAT_STR: return t->kind == TY_STR || pat_mismatch(c, p, "a str literal", t);
    case PAT_TUPLE: {
        if (t->kind != TY_TUPLE || t->n != p->n) {
            char what[64];
            snprintf(what, sizeof what, "a %d-tuple", p->n);
            pat_mismatch(c, p, what, t);
            for (int i = 0; i < p->n; i++) check_pat(c, p->items[i], c->t_error, bound);
            return false;
        }
        bool ok = true;
        for (int i = 0; i < p->n; i++) ok &= check_pat(c, p->items[i], t->items[i], bound);
        return ok;
    }
    case PAT_CTOR: {
        Ctor *k = p->qual ? check_qual_pat_ctor(c, p->qual, p->name, p->loc) : check_find_ctor(c, p->name);
        bool ok = k != NULL;
        if (!k && p->qual) {
            /* reported */
        } else if (!k) {
            TypeDecl *d = check_find_type(c, p->name);
            if (d && d->kind == TD_RECORD) {
                diag_error(c->d, p->loc, "'%s' is a record type, not a constructor", p->name);
                diag_hint(c->d, "match its fields with a record pattern: %s { field, .. }", p->name);
            } else {
                diag_unknown(c->d, p->loc, "unknown constructor '%s'", p->name);
                check_hint_ctor(c, p->name);
            }
        } else if (t->kind != TY_VARIANT || k->owner != t->decl) {
            diag_error(c->d, p->loc, "mismatched types: '%s' is a constructor of %s, but the value matched is %s",
                       p->name, k->owner->name, tstr(t, b1));
            ok = false;
        } else if (!p->items && k->nfields > 0) {
            diag_error(c->d, p->loc, "constructor '%s' has %d field%s, and the pattern gives none", p->name,
                       k->nfields, k->nfields == 1 ? "" : "s");
            char list[128];
            size_t len = 0;
            for (int i = 0; i < k->nfields && len < sizeof list; i++)
                len += (size_t)snprintf(list + len, sizeof list - len, "%s_", i ? ", " : "");
            diag_hint(c->d, "write %s(%s)", p->name, list);
            ok = false;
        } else if (p->items && p->n != k->nfields) {
            diag_error(c->d, p->loc, "constructor '%s' has %d field%s, but the pattern has %d", p->name,
                       k->nfields, k->nfields == 1 ? "" : "s", p->n);
            diag_note(c->d, k->loc, "'%s' is defined here", p->name);
            ok = false;
        }
        p->ctor = ok ? k : NULL;
        for (int i = 0; i < p->n; i++) ok &= check_pat(c, p->items[i], ok ? k->fields[i] : c->t_error, bound);
        return ok;
    }
    case PAT_RECORD: {
        TypeDecl *d = p->qual ? check_qual_record(c, p->qual, p->name, p->loc) : check_record_decl(c, p->name, p->loc);
        bool ok = d != NULL;
        if (d && (t->kind != TY_RECORD || t->decl != d)) {
            pat_mismatch(c, p, d->name, t);
            ok = false;
        }
        p->decl = ok ? d : NULL;
        p->field_index = ARENA_ARRAY(c->a, int, p->n + 1);
        bool *seen = ok ? ARENA_ARRAY(c->a, bool, d->nfields) : NULL;
        for (int i = 0; i < p->n; i++) {
            int k = -1;
            if (ok)
                for (int j = 0; j < d->nfields; j++)
                    if (strcmp(d->fields[j]->name, p->fields[i]) == 0) k = j;
            p->field_index[i] = k;
            if (ok && k < 0) {
                diag_error(c->d, p->field_locs[i], "record '%s' has no field '%s'", d->name, p->fields[i]);
                const char **names = ARENA_ARRAY(c->a, const char *, d->nfields + 1);
                for (int j = 0; j < d->nfields; j++) names[j] = d->fields[j]->name;
                const char *near = diag_closest(p->fields[i], names, d->nfields);
                if (near) diag_hint(c->d, "did you mean '%s'?", near);
                ok = false;
            } else if (ok && seen[k]) {
                diag_error(c->d, p->field_locs[i], "field '%s' appears twice in this pattern", p->fields[i]);
                ok = false;
            }
            if (k >= 0 && seen) seen[k] = true;
            ok &= check_pat(c, p->items[i], k >= 0 && ok ? d->fields[k]->type : c->t_error, bound);
        }
        if (ok && !p->rest)
            for (int j = 0; j < d->nfields; j++)
                if (!seen[j]) {
                    diag_error(c->d, p->loc, "this pattern does not mention field '%s' of '%s'", d->fields[j]->name,
                               d->name);
                    diag_hint(c->d, "add '..' to ignore the fields not listed: %s { ..., .. }", d->name);
                    ok = false;
                    break;
                }
        return ok;
    }
    }
    return false;
}

/* ---- usefulness ------------------------------------------------------------------ */

/* A pattern reduced to what the algorithm sees: a wildcard, or a
 * constructor (a variant's tag, a bool, a literal, the tuple or record)
 * applied to sub-patterns. */
typedef struct Sp {
    bool wild;
    int con;           /* tag, bool value, 0 for tuples and records */
    int64_t lit;       /* i64 literal */
    const char *s;     /* str literal */
    size_t slen;
    int arity;
    struct Sp **args;
    const Type *type;  /* of the value it matches */
} Sp;

typedef struct Rows {
    Sp ***rows;
    int m;
} Rows;

/* constructors of a type: -1 for infinitely many (i64, str) or none at
 * all (f64, arrays, functions: only wildcards match them) */
static int universe(const Type *t) {
    switch (t->kind) {
    case TY_VARIANT: return t->decl->nctors;
    case TY_BOOL: return 2;
    case TY_TUPLE: case TY_RECORD: case TY_UNIT: return 1;
    default: return -1;
    }
}

static const Type *arg_type(const Type *t, int con, int i) {
    if (t->kind == TY_VARIANT) return t->decl->ctors[con]->fields[i];
    return t->items[i];
}

static int arity_of(const Type *t, int con) {
    if (t->kind == TY_VARIANT) return t->decl->ctors[con]->nfields;
    if (t->kind == TY_TUPLE || t->kind == TY_RECORD) return t->n;
    return 0;
}

static Sp *sp_wild(Arena *a, const Type *t) {
    Sp *s = ARENA_NEW(a, Sp);
    s->wild = true;
    s->type = t;
    return s;
}

static Sp *sp_con(Arena *a, const Type *t, int con) {
    Sp *s = ARENA_NEW(a, Sp);
    s->type = t;
    s->con = con;
    s->arity = arity_of(t, con);
    s->args = ARENA_ARRAY(a, Sp *, s->arity + 1);
    for (int i = 0; i < s->arity; i++) s->args[i] = sp_wild(a, arg_type(t, con, i));
    return s;
}

static Sp *sp_of(Arena *a, const Pat *p) {
    switch (p->kind) {
    case PAT_WILD: case PAT_BIND: return sp_wild(a, p->type);
    case PAT_INT: {
        Sp *s = sp_con(a, p->type, 0);
        s->lit = p->ival;
        return s;
    }
    case PAT_STR: {
        Sp *s = sp_con(a, p->type, 0);
        s->s = p->str.bytes;
        s->slen = p->str.len;
        return s;
    }
    case PAT_BOOL: return sp_con(a, p->type, p->bval);
    case PAT_TUPLE: case PAT_CTOR: {
        Sp *s = sp_con(a, p->type, p->kind == PAT_CTOR ? p->ctor->tag : 0);
        for (int i = 0; i < p->n; i++) s->args[i] = sp_of(a, p->items[i]);
        return s;
    }
    case PAT_RECORD: {
        Sp *s = sp_con(a, p->type, 0);
        for (int i = 0; i < p->n; i++) s->args[p->field_index[i]] = sp_of(a, p->items[i]);
        return s;
    }
    }
    return sp_wild(a, p->type);
}

static bool same_con(const Sp *x, const Sp *y) {
    if (x->type->kind == TY_I64) return x->lit == y->lit;
    if (x->type->kind == TY_STR) return x->slen == y->slen && memcmp(x->s, y->s, x->slen) == 0;
    return x->con == y->con;
}

/* row r specialised by constructor h: NULL when r's head is another one */
static Sp **specialize_row(Arena *a, Sp **r, int k, const Sp *h) {
    Sp *head = r[0];
    if (!head->wild && !same_con(head, h)) return NULL;
    Sp **out = ARENA_ARRAY(a, Sp *, h->arity + k);
    for (int i = 0; i < h->arity; i++) out[i] = head->wild ? sp_wild(a, arg_type(h->type, h->con, i)) : head->args[i];
    for (int i = 1; i < k; i++) out[h->arity + i - 1] = r[i];
    return out;
}

static Rows specialize(Arena *a, Rows P, int k, const Sp *h) {
    int m = 0; /* counted first: P may be long and keep only a few */
    for (int i = 0; i < P.m; i++) m += P.rows[i][0]->wild || same_con(P.rows[i][0], h);
    Rows out = {ARENA_ARRAY(a, Sp **, m + 1), 0};
    for (int i = 0; i < P.m; i++) {
        Sp **r = specialize_row(a, P.rows[i], k, h);
        if (r) out.rows[out.m++] = r;
    }
    return out;
}

/* h applied to the first h->arity entries of w, followed by the rest */
static Sp **rebuild(Arena *a, const Sp *h, Sp **w, int k) {
    Sp **out = ARENA_ARRAY(a, Sp *, k + 1);
    Sp *c = ARENA_NEW(a, Sp);
    *c = *h;
    c->args = ARENA_ARRAY(a, Sp *, h->arity + 1);
    for (int i = 0; i < h->arity; i++) c->args[i] = w[i];
    out[0] = c;
    for (int i = 1; i < k; i++) out[i] = w[h->arity + i - 1];
    return out;
}

static int cmp_i64(const void *x, const void *y) {
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

/* A constructor of column 0's type that no row's head is, for the witness
 * (NULL: none can be named, show `_`). */
static Sp *missing_con(Arena *a, Rows P, const Type *t) {
    int u = universe(t);
    if (u > 0) {
        for (int con = 0; con < u; con++) {
            bool seen = false;
            for (int i = 0; i < P.m && !seen; i++) seen = !P.rows[i][0]->wild && P.rows[i][0]->con == con;
            if (!seen) return sp_con(a, t, con);
        }
        return NULL;
    }
    if (t->kind == TY_I64) {
        /* the smallest non-negative integer no row names: the rows' sorted */
        int64_t *lits = ARENA_ARRAY(a, int64_t, P.m + 1);
        int n = 0;
        for (int i = 0; i < P.m; i++)
            if (!P.rows[i][0]->wild && P.rows[i][0]->lit >= 0) lits[n++] = P.rows[i][0]->lit;
        qsort(lits, (size_t)n, sizeof *lits, cmp_i64);
        int64_t v = 0;
        for (int i = 0; i < n && lits[i] <= v; i++)
            if (lits[i] == v) v++;
        Sp *s = sp_con(a, t, 0);
        s->lit = v;
        return s;
    }
    return NULL;
}

/* Is q useful after the rows of P (does some value match q and no row)?
 * Returns a witness (k patterns) when it is, else NULL. */
static Sp **useful(Arena *a, Rows P, Sp **q, int k) {
    if (k == 0) return P.m == 0 ? ARENA_ARRAY(a, Sp *, 1) : NULL;
    Sp *h = q[0];
    const Type *t = h->type;
    if (!h->wild) {
        Sp **w = useful(a, specialize(a, P, k, h), specialize_row(a, q, k, h), h->arity + k - 1);
        return w ? rebuild(a, h, w, k) : NULL;
    }
    int u = universe(t);
    bool complete = u > 0 && !missing_con(a, P, t);
    if (complete) {
        for (int con = 0; con < u; con++) {
            Sp *c = sp_con(a, t, con);
            Sp **w = useful(a, specialize(a, P, k, c), specialize_row(a, q, k, c), c->arity + k - 1);
            if (w) return rebuild(a, c, w, k);
        }
        return NULL;
    }
    Rows D = {ARENA_ARRAY(a, Sp **, P.m + 1), 0};
    for (int i = 0; i < P.m; i++)
        if (P.rows[i][0]->wild) D.rows[D.m++] = P.rows[i] + 1;
    Sp **w = useful(a, D, q + 1, k - 1);
    if (!w) return NULL;
    Sp **out = ARENA_ARRAY(a, Sp *, k + 1);
    bool any_head = D.m < P.m;
    Sp *m = any_head ? missing_con(a, P, t) : NULL;
    out[0] = m ? m : sp_wild(a, t);
    for (int i = 1; i < k; i++) out[i] = w[i - 1];
    return out;
}

/* ---- witnesses as the user writes them ------------------------------------------ */

typedef struct Out {
    char *p;
    size_t size, len;
} Out;

static void put(Out *o, const char *s) {
    size_t n = strlen(s);
    if (o->len + n + 1 < o->size) {
        memcpy(o->p + o->len, s, n + 1);
        o->len += n;
    } else if (o->len + 4 < o->size && !strstr(o->p, "...")) {
        memcpy(o->p + o->len, "...", 4);
        o->len += 3;
    }
}

static void show(Out *o, const Sp *s) {
    char num[32];
    if (s->wild) {
        put(o, "_");
        return;
    }
    const Type *t = s->type;
    switch (t->kind) {
    case TY_I64: snprintf(num, sizeof num, "%" PRId64, s->lit); put(o, num); return;
    case TY_BOOL: put(o, s->con ? "true" : "false"); return;
    case TY_UNIT: put(o, "()"); return;
    case TY_VARIANT: case TY_TUPLE: {
        /* Rect(_, _), or (a, b) */
        if (t->kind == TY_VARIANT) {
            const Ctor *k = t->decl->ctors[s->con];
            put(o, k->name);
            if (!k->nfields) return;
        }
        put(o, "(");
        for (int i = 0; i < s->arity; i++) {
            if (i) put(o, ", ");
            show(o, s->args[i]);
        }
        put(o, ")");
        return;
    }
    case TY_RECORD: {
        put(o, t->decl->name);
        put(o, " {");
        bool any = false, rest = false;
        for (int i = 0; i < s->arity; i++) {
            if (s->args[i]->wild) {
                rest = true;
                continue;
            }
            put(o, any ? ", " : " ");
            put(o, t->decl->fields[i]->name);
            put(o, ": ");
            show(o, s->args[i]);
            any = true;
        }
        put(o, rest ? (any ? ", .. }" : " .. }") : " }");
        return;
    }
    default: put(o, "_"); return;
    }
}

/* ---- the match expression -------------------------------------------------------- */

/* An arm that is one integer or string literal is reachable exactly when
 * no unguarded arm above is a wildcard or the same literal (a literal has
 * no parts): a set of the literals seen answers that at once, where the
 * general test would go through every arm above (a match of 10^4 integer
 * arms, as generated code has, would be quadratic). */
typedef struct LitSet {
    const Sp **slots;
    size_t cap;
    bool wild; /* an unguarded wildcard arm is above */
} LitSet;

static uint64_t lit_hash(const Sp *s) {
    if (s->type->kind == TY_I64) return (uint64_t)s->lit * 0x9E3779B97F4A7C15u;
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < s->slen; i++) h = (h ^ (unsigned char)s->s[i]) * 1099511628211u;
    return h;
}

static bool is_lit_row(const Sp *s) {
    return !s->wild && (s->type->kind == TY_I64 || s->type->kind == TY_STR);
}

/* adds s (a literal), returns whether it was there */
static bool lit_seen(LitSet *set, const Sp *s, bool add) {
    size_t i = lit_hash(s) & (set->cap - 1);
    for (; set->slots[i]; i = (i + 1) & (set->cap - 1))
        if (same_con(set->slots[i], s)) return true;
    if (add) set->slots[i] = s;
    return false;
}

static void check_arms(Checker *c, Expr *e) {
    int n = e->u.match_.n;
    Rows P = {ARENA_ARRAY(c->a, Sp **, n + 1), 0};
    LitSet lits = {NULL, 16, false};
    while (lits.cap < (size_t)n * 2) lits.cap *= 2;
    lits.slots = ARENA_ARRAY(c->a, const Sp *, lits.cap);
    for (int i = 0; i < n; i++) {
        MatchArm *arm = e->u.match_.arms[i];
        Sp **row = ARENA_ARRAY(c->a, Sp *, 1);
        row[0] = sp_of(c->a, arm->pat);
        if (is_lit_row(row[0]))
            arm->reachable = !lits.wild && !lit_seen(&lits, row[0], !arm->guard);
        else
            arm->reachable = useful(c->a, P, row, 1) != NULL;
        if (!arm->guard && row[0]->wild) lits.wild = true;
        if (!arm->reachable) {
            diag_warning(c->d, arm->loc, "unreachable arm: the arms above match every value it matches");
            diag_hint(c->d, "remove it, or move it above the arm that covers it");
        }
        if (!arm->guard) P.rows[P.m++] = row;
    }
    Sp **q = ARENA_ARRAY(c->a, Sp *, 1);
    q[0] = sp_wild(c->a, e->u.match_.scrutinee->type);
    Sp **w = useful(c->a, P, q, 1);
    if (w) {
        char buf[256];
        Out o = {buf, sizeof buf, 0};
        buf[0] = 0;
        show(&o, w[0]);
        diag_error(c->d, e->loc, "this match does not cover every value: missing: %s", buf);
        bool guarded = false;
        for (int i = 0; i < n; i++) guarded |= e->u.match_.arms[i]->guard != NULL;
        if (guarded) diag_hint(c->d, "an arm with a guard covers nothing: its guard may be false");
        diag_hint(c->d, "add an arm for it, or '_ => ...' for every value not matched above");
    }
}

/* Did every arm from first up to i (not included) with a type panic? */
static bool panics_before(const Expr *e, int first, int i) {
    for (int k = first; k < i; k++) {
        Expr *b = e->u.match_.arms[k]->body;
        if (b->type && !is_err(b->type) && !check_adopt_panic(b, NULL)) return false;
    }
    return true;
}

Type *check_match(Checker *c, Expr *e, Type *expect) {
    char b1[128], b2[128];
    Type *st = check_expect(c, e->u.match_.scrutinee, NULL);
    Type *result = NULL;
    Loc first_loc = {0};
    int first = 0; /* the arm that gave result */
    bool pats_ok = !is_err(st), bad = false;
    for (int i = 0; i < e->u.match_.n; i++) {
        MatchArm *arm = e->u.match_.arms[i];
        Binding *saved = c->scope;
        PtrList bound = {0};
        pats_ok &= check_pat(c, arm->pat, st, &bound);
        if (arm->guard) {
            Type *g = check_expect(c, arm->guard, c->t_bool);
            if (!is_err(g) && g->kind != TY_BOOL) mismatch(c, arm->guard->loc, "a match guard", c->t_bool, g);
        }
        Type *bt = check_expect(c, arm->body, expect ? expect : result);
        c->scope = saved;
        if (is_err(bt)) {
            bad = true;
        } else if (!result) {
            result = bt;
            first = i;
            first_loc = arm->body->loc;
        } else if (!type_eq(bt, result) && bt->kind == TY_UNIT && check_adopt_panic(arm->body, result)) {
            /* an arm that panics takes the others' type */
        } else if (!type_eq(bt, result) && result->kind == TY_UNIT && panics_before(e, first, i)) {
            result = bt; /* the arms before panicked */
            first = i;
            first_loc = arm->body->loc;
            for (int k = 0; k < i; k++)
                if (e->u.match_.arms[k]->body->type && !is_err(e->u.match_.arms[k]->body->type))
                    check_adopt_panic(e->u.match_.arms[k]->body, bt);
        } else if (!type_eq(bt, result)) {
            diag_error(c->d, arm->body->loc, "mismatched types: this arm has type %s, but the first arm has type %s",
                       tstr(bt, b1), tstr(result, b2));
            diag_note(c->d, first_loc, "the first arm's value is here");
            bad = true;
        }
    }
    if (e->u.match_.n == 0) {
        diag_error(c->d, e->loc, "a match needs at least one arm");
        diag_hint(c->d, "write the arms inside the braces: match x { pattern => value, ... }");
        return c->t_error;
    }
    if (pats_ok) check_arms(c, e);
    return bad || !result ? c->t_error : result;
}
