/* check_types.c — user-defined types (spec 3.1): records, variants, aliases.
 *
 * Type declarations are order-free, like functions: all are registered
 * first, then the names written in them are resolved. A name written in a
 * type (TY_NAMED, from the parser) is resolved in place: a record or
 * variant becomes the nominal TY_RECORD / TY_VARIANT of its declaration,
 * an alias becomes a copy of what it names. A record may not contain
 * itself through records and tuples only: such a type has no finite value
 * (the recursion must go through a variant or an array, whose values can
 * stop). Also here: record literals, field access and constructors.
 */
#include "check_internal.h"

#include <string.h>

static bool is_upper(const char *s) { return ast_upper_name(s); }

TypeDecl *check_find_type(const Checker *c, const char *name) {
    for (int i = 0; i < c->ntypes; i++)
        if (strcmp(c->types[i]->name, name) == 0) return c->types[i];
    return NULL;
}

Ctor *check_find_ctor(const Checker *c, const char *name) {
    for (int i = 0; i < c->nctors; i++)
        if (strcmp(c->ctors[i]->name, name) == 0) return c->ctors[i];
    return NULL;
}

void check_hint_ctor(Checker *c, const char *name) {
    const char **names = ARENA_ARRAY(c->a, const char *, c->nctors + 1);
    for (int i = 0; i < c->nctors; i++) names[i] = c->ctors[i]->name;
    const char *near = diag_closest(name, names, c->nctors);
    if (near) diag_hint(c->d, "did you mean '%s'?", near);
}

void check_hint_type(Checker *c, const char *name) {
    /* what other languages call them */
    static const struct { const char *other, *pel; } habits[] = {
        {"int", "i64"}, {"long", "i64"}, {"int64", "i64"}, {"usize", "i64"}, {"float", "f64"},
        {"double", "f64"}, {"float64", "f64"}, {"string", "str"}, {"String", "str"}, {"boolean", "bool"},
    };
    for (size_t i = 0; i < sizeof habits / sizeof habits[0]; i++)
        if (strcmp(name, habits[i].other) == 0) {
            diag_hint(c->d, "PEL calls it '%s'", habits[i].pel);
            return;
        }
    static const char *const builtin[] = {"i64", "f64", "bool", "str"};
    const char **names = ARENA_ARRAY(c->a, const char *, c->ntypes + 4);
    int n = 0;
    for (int i = 0; i < 4; i++) names[n++] = builtin[i];
    for (int i = 0; i < c->ntypes; i++) names[n++] = c->types[i]->name;
    const char *near = diag_closest(name, names, n);
    if (near)
        diag_hint(c->d, "did you mean '%s'?", near);
    else
        diag_hint(c->d, "types are i64, f64, bool, str, (), [T], (T1, T2), fn(T) -> R and those declared with 'type'");
}

/* ---- resolution ------------------------------------------------------------------ */

static bool resolve_decl(Checker *c, TypeDecl *d);

bool check_resolve_type(Checker *c, Type *t) {
    switch (t->kind) {
    case TY_NAMED: {
        if (t->qual) {
            TypeDecl *q = check_qual_type(c, t->qual, t->name, t->loc);
            /* checked in its own module already, which comes first */
            if (!q || is_err(q->type)) {
                t->kind = TY_ERROR;
                return false;
            }
            Loc at = t->loc;
            *t = *q->type;
            t->loc = at;
            return true;
        }
        TypeDecl *d = check_find_type(c, t->name);
        if (!d) {
            diag_error(c->d, t->loc, "unknown type '%s'", t->name);
            check_hint_type(c, t->name);
            t->kind = TY_ERROR;
            return false;
        }
        if (!resolve_decl(c, d) || is_err(d->type)) {
            t->kind = TY_ERROR;
            return false;
        }
        Loc at = t->loc;
        *t = *d->type;
        t->loc = at;
        return true;
    }
    case TY_TUPLE: case TY_FN: {
        bool ok = true;
        for (int i = 0; i < t->n; i++) ok &= check_resolve_type(c, t->items[i]);
        if (t->kind == TY_FN && t->ret) ok &= check_resolve_type(c, t->ret);
        return ok;
    }
    case TY_ARRAY: return check_resolve_type(c, t->elem);
    default: return true;
    }
}

/* An alias's target; records and variants are their own type at once. */
static bool resolve_decl(Checker *c, TypeDecl *d) {
    if (d->kind != TD_ALIAS || d->state == 2) return true;
    if (d->state == 1) {
        diag_error(c->d, d->loc, "type alias '%s' refers to itself", d->name);
        diag_hint(c->d, "a recursive type must be a variant: type %s = Nil | Cons(i64, %s)", d->name, d->name);
        d->type = c->t_error;
        d->state = 2;
        return false;
    }
    d->state = 1;
    bool ok = check_resolve_type(c, d->alias);
    if (d->state == 1) d->type = ok ? d->alias : c->t_error;
    d->state = 2;
    return ok;
}

/* Does a value of type t hold a value of record d directly (through
 * records and tuples, not through variants, arrays or functions)? Each
 * record is looked into once (seen), so a cycle among other records ends. */
static bool holds(const Type *t, const TypeDecl *d, const TypeDecl **seen, int *nseen, int cap) {
    if (t->kind == TY_RECORD) {
        if (t->decl == d) return true;
        for (int i = 0; i < *nseen; i++)
            if (seen[i] == t->decl) return false;
        if (*nseen == cap) return false;
        seen[(*nseen)++] = t->decl;
    }
    if (t->kind == TY_RECORD || t->kind == TY_TUPLE)
        for (int i = 0; i < t->n; i++)
            if (holds(t->items[i], d, seen, nseen, cap)) return true;
    return false;
}

/* Has type t a finite value, given which declarations are known to? */
static bool inhabited(const Type *t, const bool *known, const Module *m) {
    switch (t->kind) {
    case TY_TUPLE:
        for (int i = 0; i < t->n; i++)
            if (!inhabited(t->items[i], known, m)) return false;
        return true;
    case TY_RECORD: case TY_VARIANT:
        for (int i = 0; i < m->ntypes; i++)
            if (m->types[i] == t->decl) return known[i];
        return true;
    default: return true; /* scalars; an array or a function may be empty */
    }
}

/* A variant whose every constructor holds the type itself, through records
 * and tuples (type V = W(V)), has no finite value either: the declarations
 * with one are found by a fixpoint from the constructors that need none. */
static void check_inhabited(Checker *c) {
    const Module *m = c->mod;
    bool *known = ARENA_ARRAY(c->a, bool, m->ntypes + 1);
    for (int i = 0; i < m->ntypes; i++) known[i] = m->types[i]->kind == TD_ALIAS || !m->types[i]->type;
    for (bool changed = true; changed;) {
        changed = false;
        for (int i = 0; i < m->ntypes; i++) {
            TypeDecl *d = m->types[i];
            if (known[i]) continue;
            bool ok = d->kind == TD_RECORD;
            if (d->kind == TD_RECORD)
                for (int k = 0; k < d->nfields; k++) ok &= inhabited(d->fields[k]->type, known, m);
            for (int k = 0; k < d->nctors && !ok; k++) {
                bool all = true;
                for (int j = 0; j < d->ctors[k]->nfields; j++) all &= inhabited(d->ctors[k]->fields[j], known, m);
                ok = all;
            }
            if (ok) known[i] = changed = true;
        }
    }
    for (int i = 0; i < m->ntypes; i++) {
        TypeDecl *d = m->types[i];
        if (known[i] || d->kind != TD_VARIANT) continue; /* records: reported with their field */
        diag_error(c->d, d->loc, "recursive type '%s' has no finite value", d->name);
        diag_note(c->d, d->ctors[0]->loc, "every constructor of '%s' needs a '%s' to be built", d->name, d->name);
        diag_hint(c->d, "add a constructor without it, as Leaf in: type Tree = Leaf | Node(Tree, i64, Tree)");
    }
}

static void register_decl(Checker *c, TypeDecl *d) {
    if (!is_upper(d->name)) {
        diag_error(c->d, d->loc, "type names start with an upper-case letter: '%s'", d->name);
        diag_hint(c->d, "write 'type %c%s' (spec 2: the case tells types from values)",
                  d->name[0] >= 'a' && d->name[0] <= 'z' ? d->name[0] - 'a' + 'A' : d->name[0], d->name + 1);
    }
    TypeDecl *first = check_find_type(c, d->name);
    if (first) {
        diag_error(c->d, d->loc, "type '%s' is defined twice", d->name);
        diag_note(c->d, first->loc, "the first definition is here");
        return;
    }
    c->types[c->ntypes++] = d;
}

void check_type_decls(Checker *c) {
    Module *m = c->mod;
    c->types = ARENA_ARRAY(c->a, TypeDecl *, m->ntypes + 1);
    int nctor = 0;
    for (int i = 0; i < m->ntypes; i++) nctor += m->types[i]->nctors;
    c->ctors = ARENA_ARRAY(c->a, Ctor *, nctor + 1);
    for (int i = 0; i < m->ntypes; i++) register_decl(c, m->types[i]);
    /* `type A = B`: an alias when B names a type */
    for (int i = 0; i < m->ntypes; i++) {
        TypeDecl *d = m->types[i];
        if (!d->alias_or_ctor) continue;
        const char *b = d->ctors[0]->name;
        if (d->alias->kind != TY_NAMED || check_find_type(c, b) || !is_upper(b)) d->kind = TD_ALIAS;
    }
    for (int i = 0; i < m->ntypes; i++) {
        TypeDecl *d = m->types[i];
        if (d->kind == TD_ALIAS) continue;
        Type *t = type_new(c->a, d->kind == TD_RECORD ? TY_RECORD : TY_VARIANT);
        t->decl = d;
        t->loc = d->loc;
        if (d->kind == TD_RECORD) {
            t->n = d->nfields;
            t->items = ARENA_ARRAY(c->a, Type *, d->nfields);
            for (int k = 0; k < d->nfields; k++) t->items[k] = d->fields[k]->type;
        }
        d->type = t;
        for (int k = 0; k < d->nctors; k++) {
            Ctor *ct = d->ctors[k];
            ct->tag = k;
            ct->owner = d;
            d->has_fields |= ct->nfields > 0;
            if (!is_upper(ct->name)) {
                diag_error(c->d, ct->loc, "constructor names start with an upper-case letter: '%s'", ct->name);
                continue;
            }
            Ctor *first = check_find_ctor(c, ct->name);
            if (first) {
                diag_error(c->d, ct->loc, "constructor '%s' is defined twice", ct->name);
                diag_note(c->d, first->loc, "it is first defined here, by type '%s'", first->owner->name);
                diag_hint(c->d, "two types of one module may not share a constructor name");
                continue;
            }
            c->ctors[c->nctors++] = ct;
        }
    }
    for (int i = 0; i < m->ntypes; i++) resolve_decl(c, m->types[i]);
    for (int i = 0; i < m->ntypes; i++) {
        TypeDecl *d = m->types[i];
        for (int k = 0; k < d->nfields; k++) {
            FieldDecl *f = d->fields[k];
            for (int j = 0; j < k; j++)
                if (strcmp(d->fields[j]->name, f->name) == 0) {
                    diag_error(c->d, f->loc, "field '%s' is declared twice in '%s'", f->name, d->name);
                    diag_note(c->d, d->fields[j]->loc, "the first declaration is here");
                }
            check_resolve_type(c, f->type);
        }
        if (d->kind == TD_VARIANT)
            for (int k = 0; k < d->nctors; k++)
                for (int j = 0; j < d->ctors[k]->nfields; j++) check_resolve_type(c, d->ctors[k]->fields[j]);
    }
    check_inhabited(c);
    for (int i = 0; i < m->ntypes; i++) {
        TypeDecl *d = m->types[i];
        if (d->kind != TD_RECORD) continue;
        if (d->state == 3) continue; /* on a cycle reported already */
        const TypeDecl **seen = ARENA_ARRAY(c->a, const TypeDecl *, m->ntypes + 1);
        for (int k = 0; k < d->nfields; k++) {
            int nseen = 0;
            if (!holds(d->fields[k]->type, d, seen, &nseen, m->ntypes)) continue;
            diag_error(c->d, d->loc, "recursive type '%s' has no finite value", d->name);
            diag_note(c->d, d->fields[k]->loc, "field '%s' leads back to '%s'", d->fields[k]->name, d->name);
            diag_hint(c->d, "make the recursion go through a variant (type Link = End | Next(%s)) or an array ([%s])",
                      d->name, d->name);
            for (int j = 0; j < nseen; j++) ((TypeDecl *)seen[j])->state = 3; /* one message per cycle */
            break;
        }
    }
}

/* ---- constructors, records, fields ------------------------------------------------ */

Type *check_ctor_value(Checker *c, Ctor *k) {
    Type *v = k->owner->type;
    if (k->nfields == 0) return v;
    return fn_type(c, k->fields, k->nfields, v);
}

static int field_index(const TypeDecl *d, const char *name) {
    for (int i = 0; i < d->nfields; i++)
        if (strcmp(d->fields[i]->name, name) == 0) return i;
    return -1;
}

static void no_field(Checker *c, Loc loc, const TypeDecl *d, const char *name) {
    diag_error(c->d, loc, "record '%s' has no field '%s'", d->name, name);
    const char **names = ARENA_ARRAY(c->a, const char *, d->nfields + 1);
    for (int i = 0; i < d->nfields; i++) names[i] = d->fields[i]->name;
    const char *near = diag_closest(name, names, d->nfields);
    if (near) {
        diag_hint(c->d, "did you mean '%s'?", near);
        return;
    }
    char list[256];
    size_t len = 0;
    for (int i = 0; i < d->nfields && len < sizeof list; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", d->fields[i]->name);
    diag_hint(c->d, "its fields are %s", list);
}

/* The record declaration a name in a literal or pattern names, or NULL
 * after an error. */
static TypeDecl *record_named(Checker *c, const char *name, Loc loc) {
    TypeDecl *d = check_find_type(c, name);
    if (d && d->kind == TD_ALIAS && resolve_decl(c, d) && d->type->kind == TY_RECORD) d = d->type->decl;
    if (d && d->kind == TD_RECORD) return d;
    if (!d) {
        diag_error(c->d, loc, "unknown record type '%s'", name);
        check_hint_type(c, name);
    } else {
        diag_error(c->d, loc, "'%s' is not a record type", name);
        if (d->kind == TD_VARIANT && d->nctors > 0)
            diag_hint(c->d, "a value of '%s' is built with one of its constructors, e.g. %s%s", name,
                      d->ctors[0]->name, d->ctors[0]->nfields ? "(...)" : "");
    }
    return NULL;
}

TypeDecl *check_record_decl(Checker *c, const char *name, Loc loc) { return record_named(c, name, loc); }

Type *check_record_lit(Checker *c, Expr *e) {
    char b1[128], b2[128];
    TypeDecl *d = e->u.record.qual ? check_qual_record(c, e->u.record.qual, e->u.record.name, e->loc)
                                   : record_named(c, e->u.record.name, e->loc);
    if (!d) {
        for (int i = 0; i < e->u.record.n; i++) check_expect(c, e->u.record.inits[i]->value, NULL);
        if (e->u.record.base) check_expect(c, e->u.record.base, NULL);
        return c->t_error;
    }
    e->u.record.decl = d;
    bool bad = false, unknown = false;
    FieldInit **given = ARENA_ARRAY(c->a, FieldInit *, d->nfields);
    for (int i = 0; i < e->u.record.n; i++) {
        FieldInit *fi = e->u.record.inits[i];
        int k = field_index(d, fi->name);
        fi->index = k;
        Type *want = k >= 0 ? d->fields[k]->type : NULL;
        Type *t = check_expect(c, fi->value, want);
        if (k < 0) {
            no_field(c, fi->loc, d, fi->name);
            bad = unknown = true;
            continue;
        }
        if (given[k]) {
            diag_error(c->d, fi->loc, "field '%s' is given twice", fi->name);
            diag_note(c->d, given[k]->loc, "it is first given here");
            bad = true;
            continue;
        }
        given[k] = fi;
        if (!is_err(t) && !is_err(want) && !type_eq(t, want)) {
            diag_error(c->d, fi->value->loc, "mismatched types: field '%s' of '%s' must be %s, found %s", fi->name,
                       d->name, tstr(want, b1), tstr(t, b2));
            bad = true;
        }
        bad |= is_err(t);
    }
    if (e->u.record.base) {
        Type *bt = check_expect(c, e->u.record.base, d->type);
        if (!is_err(bt) && !type_eq(bt, d->type)) {
            mismatch(c, e->u.record.base->loc, "the base of this record update", d->type, bt);
            bad = true;
        }
        bad |= is_err(bt);
    } else {
        char list[256];
        size_t len = 0;
        int missing = 0;
        for (int k = 0; k < d->nfields; k++)
            if (!given[k]) {
                missing++;
                if (len < sizeof list)
                    len += (size_t)snprintf(list + len, sizeof list - len, "%s'%s'", len ? ", " : "", d->fields[k]->name);
            }
        if (missing && !unknown) { /* a misspelt field is reported once, above */
            diag_error(c->d, e->loc, "missing field%s %s in record '%s'", missing > 1 ? "s" : "", list, d->name);
            diag_hint(c->d, "give every field once, or copy the rest from another value: %s { ..., ..p }", d->name);
            bad = true;
        }
    }
    return bad ? c->t_error : d->type;
}

Type *check_member(Checker *c, Expr *e) {
    char b1[128];
    Expr *base = e->u.member.base;
    const char *name = e->u.member.name;
    Loc name_loc = e->u.member.name_loc;
    Type *t = check_expect(c, base, NULL);
    e->kind = E_FIELD; /* a module member when modules come (spec 8) */
    e->u.field.base = base;
    e->u.field.index = 0;
    if (is_err(t)) return c->t_error;
    if (t->kind != TY_RECORD) {
        diag_error(c->d, name_loc, "no field '%s' on a value of type %s", name, tstr(t, b1));
        if (t->kind == TY_TUPLE) diag_hint(c->d, "tuple elements are read by position: t.0, t.1");
        return c->t_error;
    }
    int k = field_index(t->decl, name);
    if (k < 0) {
        no_field(c, name_loc, t->decl, name);
        return c->t_error;
    }
    e->u.field.index = k;
    return t->items[k];
}
