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

TypeDecl *check_find_type(const Checker *c, const char *name) { return names_find(&c->type_names, name); }

Ctor *check_find_ctor(const Checker *c, const char *name) { return names_find(&c->ctor_names, name); }

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
            diag_unknown(c->d, t->loc, "unknown type '%s'", t->name);
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
    if (c->alias_depth == PEL_MAX_ALIAS_CHAIN) { /* the resolution recurses: bound the stack */
        diag_error(c->d, d->loc, "type alias '%s' is defined through more than %d other aliases", d->name,
                   PEL_MAX_ALIAS_CHAIN);
        diag_hint(c->d, "write the type out, or break the chain with a record or a variant");
        d->type = c->t_error;
        d->state = 2;
        return false;
    }
    d->state = 1;
    c->alias_depth++;
    bool ok = check_resolve_type(c, d->alias);
    c->alias_depth--;
    if (d->state == 1) d->type = ok && check_type_size(c, d->alias, d->loc, d->name) ? d->alias : c->t_error;
    d->state = 2;
    return ok;
}

/* The bound of type_size (ast.h): an alias that doubles a tuple doubles its
 * type, so 30 lines make a type of 2^30 parts that every walk over types
 * (comparing, printing, laying out) would take as long as. */
bool check_type_size(Checker *c, const Type *t, Loc loc, const char *name) {
    if (type_size(t) <= PEL_MAX_TYPE_SIZE) return true;
    if (name)
        diag_error(c->d, loc, "type '%s' is too large: its values would have more than %u parts", name,
                   PEL_MAX_TYPE_SIZE);
    else
        diag_error(c->d, loc, "the type of this value is too large: more than %u parts", PEL_MAX_TYPE_SIZE);
    diag_hint(c->d, "tuples and records are laid out in place; keep many values of one type in an array");
    return false;
}

/* The records and variants a value of type t holds in place: t itself, or
 * through tuples; not through arrays or functions, whose values may be
 * empty. */
static void held_decls(Checker *c, const Type *t, PtrList *out) {
    if (t->kind == TY_TUPLE)
        for (int i = 0; i < t->n; i++) held_decls(c, t->items[i], out);
    else if (t->kind == TY_RECORD || t->kind == TY_VARIANT)
        ptrlist_push(c->a, out, t->decl);
}

/* d when it is a record or variant of the module being checked (those of
 * imported modules are checked already, and have values). */
static bool local_decl(const Module *m, const TypeDecl *d) {
    return d->index >= 0 && d->index < m->ntypes && m->types[d->index] == d && d->kind != TD_ALIAS;
}

/* Which records and variants have a finite value. What qualifies: a
 * record whose fields all have one, a variant with a constructor whose
 * fields all have one; arrays and functions always do (the empty array;
 * any function). It is the least fixpoint of these rules, found in linear
 * time as Horn clauses are: each rule (a record, or one constructor)
 * counts the declarations it still waits for, and a declaration found to
 * have a value releases the rules that wait for it. A type found
 * uninhabited this way can only be built from a value of itself. */
typedef struct Rule {
    TypeDecl *owner;
    int waiting;
} Rule;

static bool *inhabited_decls(Checker *c) {
    const Module *m = c->mod;
    int n = m->ntypes, nrules = 0;
    for (int i = 0; i < n; i++) nrules += m->types[i]->kind == TD_RECORD ? 1 : m->types[i]->nctors;
    Rule *rules = ARENA_ARRAY(c->a, Rule, nrules + 1);
    PtrList *waiters = ARENA_ARRAY(c->a, PtrList, n + 1); /* the rules that wait for types[i] */
    bool *known = ARENA_ARRAY(c->a, bool, n + 1);
    TypeDecl **ready = ARENA_ARRAY(c->a, TypeDecl *, n + 1);
    int nready = 0, r = 0;
    for (int i = 0; i < n; i++) {
        TypeDecl *d = m->types[i];
        if (d->kind == TD_ALIAS || !d->type) {
            known[i] = true;
            continue;
        }
        int nk = d->kind == TD_RECORD ? 1 : d->nctors;
        for (int k = 0; k < nk; k++, r++) {
            Rule *rule = &rules[r];
            rule->owner = d;
            PtrList held = {0};
            if (d->kind == TD_RECORD)
                for (int j = 0; j < d->nfields; j++) held_decls(c, d->fields[j]->type, &held);
            else
                for (int j = 0; j < d->ctors[k]->nfields; j++) held_decls(c, d->ctors[k]->fields[j], &held);
            for (int j = 0; j < held.len; j++) {
                TypeDecl *h = held.items[j];
                if (!local_decl(m, h)) continue;
                rule->waiting++;
                ptrlist_push(c->a, &waiters[h->index], rule);
            }
            if (rule->waiting == 0 && !known[i]) {
                known[i] = true;
                ready[nready++] = d;
            }
        }
    }
    while (nready > 0) {
        TypeDecl *d = ready[--nready];
        PtrList *w = &waiters[d->index];
        for (int j = 0; j < w->len; j++) {
            Rule *rule = w->items[j];
            if (--rule->waiting == 0 && !known[rule->owner->index]) {
                known[rule->owner->index] = true;
                ready[nready++] = rule->owner;
            }
        }
    }
    return known;
}

/* A variant whose every constructor holds the type itself, through records
 * and tuples (type V = W(V)), has no finite value either. */
static void check_inhabited(Checker *c) {
    const Module *m = c->mod;
    bool *known = inhabited_decls(c);
    for (int i = 0; i < m->ntypes; i++) {
        TypeDecl *d = m->types[i];
        if (known[i] || d->kind != TD_VARIANT) continue; /* records: reported with their field */
        diag_error(c->d, d->loc, "recursive type '%s' has no finite value", d->name);
        diag_note(c->d, d->ctors[0]->loc, "every constructor of '%s' needs a '%s' to be built", d->name, d->name);
        diag_hint(c->d, "add a constructor without it, as Leaf in: type Tree = Leaf | Node(Tree, i64, Tree)");
    }
}

/* A record may not hold itself in place (through records and tuples): its
 * layout would be infinite. The records are taken in an order where each
 * comes after those it holds (Kahn's), and each is measured then
 * (type_size, whose memo makes that linear); those left over are on a
 * cycle, or hold one: one message per cycle, on a record of it. */
static bool leads_back(Checker *c, const TypeDecl *to, const Type *from, PtrList *seen) {
    PtrList todo = {0}; /* a stack, not recursion: a cycle may go through 10^5 records */
    ptrlist_push(c->a, &todo, (void *)from);
    while (todo.len > 0) {
        const Type *t = todo.items[--todo.len];
        if (t->kind == TY_TUPLE)
            for (int i = 0; i < t->n; i++) ptrlist_push(c->a, &todo, t->items[i]);
        if (t->kind != TY_RECORD) continue;
        if (t->decl == to) return true;
        TypeDecl *d = t->decl;
        if (!local_decl(c->mod, d) || d->state == 4) continue; /* 4: looked into already */
        d->state = 4;
        ptrlist_push(c->a, seen, d);
        for (int k = 0; k < d->nfields; k++) ptrlist_push(c->a, &todo, d->fields[k]->type);
    }
    return false;
}

static void check_record_layouts(Checker *c) {
    const Module *m = c->mod;
    int n = m->ntypes;
    int *waiting = ARENA_ARRAY(c->a, int, n + 1);
    PtrList *holders = ARENA_ARRAY(c->a, PtrList, n + 1); /* the records that hold types[i] in place */
    TypeDecl **ready = ARENA_ARRAY(c->a, TypeDecl *, n + 1);
    int nready = 0;
    for (int i = 0; i < n; i++) {
        TypeDecl *d = m->types[i];
        if (d->kind != TD_RECORD || !d->type) continue;
        PtrList held = {0};
        for (int k = 0; k < d->nfields; k++) held_decls(c, d->fields[k]->type, &held);
        for (int j = 0; j < held.len; j++) {
            TypeDecl *h = held.items[j];
            if (h->kind != TD_RECORD || !local_decl(m, h)) continue;
            waiting[i]++;
            ptrlist_push(c->a, &holders[h->index], d);
        }
        if (!waiting[i]) ready[nready++] = d;
    }
    while (nready > 0) {
        TypeDecl *d = ready[--nready];
        waiting[d->index] = -1; /* laid out */
        check_type_size(c, d->type, d->loc, d->name);
        PtrList *h = &holders[d->index];
        for (int j = 0; j < h->len; j++) {
            TypeDecl *u = h->items[j];
            if (--waiting[u->index] == 0) ready[nready++] = u;
        }
    }
    for (int i = 0; i < n; i++) {
        TypeDecl *d = m->types[i];
        if (waiting[i] <= 0 || d->state == 3) continue; /* laid out, or on a cycle reported already */
        for (int k = 0; k < d->nfields; k++) {
            PtrList seen = {0};
            bool back = leads_back(c, d, d->fields[k]->type, &seen);
            for (int j = 0; j < seen.len; j++) ((TypeDecl *)seen.items[j])->state = back ? 3 : 0;
            if (!back) continue;
            diag_error(c->d, d->loc, "recursive type '%s' has no finite value", d->name);
            diag_note(c->d, d->fields[k]->loc, "field '%s' leads back to '%s'", d->fields[k]->name, d->name);
            diag_hint(c->d, "make the recursion go through a variant (type Link = End | Next(%s)) or an array ([%s])",
                      d->name, d->name);
            d->state = 3; /* one message per cycle: its records are marked */
            break;
        }
    }
}

/* How deep the declarations go: the code generator makes one helper per
 * type (printing, equality, hashing, drops) and makes those of a type's
 * parts from within it, so a chain of 10^4 types, each holding the next,
 * would be a chain of 10^4 nested calls in the compiler. What qualifies:
 * a record or variant's depth is the size of its strongly connected
 * component (the types that hold one another; a helper already begun is
 * not begun again, so a cycle is entered once) plus the largest depth of
 * the types it holds outside it, an upper bound on that nesting. The
 * components come from Tarjan's algorithm, run with a stack of its own:
 * this check must not overflow the stack on the input it exists for. */
static void refs_of(Checker *c, const Type *t, PtrList *out) {
    switch (t->kind) {
    case TY_RECORD: case TY_VARIANT: ptrlist_push(c->a, out, t->decl); break;
    case TY_ARRAY: refs_of(c, t->elem, out); break;
    case TY_TUPLE: case TY_FN:
        for (int i = 0; i < t->n; i++) refs_of(c, t->items[i], out);
        if (t->kind == TY_FN && t->ret) refs_of(c, t->ret, out);
        break;
    default: break;
    }
}

typedef struct Visit {
    int node, next; /* next: the edge of node to follow */
} Visit;

static void check_type_depths(Checker *c) {
    const Module *m = c->mod;
    int n = m->ntypes;
    PtrList *edges = ARENA_ARRAY(c->a, PtrList, n + 1);
    for (int i = 0; i < n; i++) {
        TypeDecl *d = m->types[i];
        if (d->kind == TD_RECORD)
            for (int k = 0; k < d->nfields; k++) refs_of(c, d->fields[k]->type, &edges[i]);
        else if (d->kind == TD_VARIANT)
            for (int k = 0; k < d->nctors; k++)
                for (int j = 0; j < d->ctors[k]->nfields; j++) refs_of(c, d->ctors[k]->fields[j], &edges[i]);
    }
    int *index = ARENA_ARRAY(c->a, int, n + 1), *low = ARENA_ARRAY(c->a, int, n + 1);
    int *stack = ARENA_ARRAY(c->a, int, n + 1), *comp = ARENA_ARRAY(c->a, int, n + 1);
    bool *on = ARENA_ARRAY(c->a, bool, n + 1);
    Visit *path = ARENA_ARRAY(c->a, Visit, n + 1);
    int counter = 0, sp = 0, reported = 0;
    for (int i = 0; i < n; i++) index[i] = -1;
    for (int root = 0; root < n; root++) {
        if (index[root] >= 0 || m->types[root]->kind == TD_ALIAS) continue;
        int depth = 0;
        path[depth++] = (Visit){root, 0};
        index[root] = low[root] = counter++;
        stack[sp++] = root;
        on[root] = true;
        while (depth > 0) {
            Visit *v = &path[depth - 1];
            PtrList *e = &edges[v->node];
            if (v->next < e->len) {
                TypeDecl *to = e->items[v->next++];
                if (!local_decl(m, to)) continue;
                int w = to->index;
                if (index[w] < 0) {
                    index[w] = low[w] = counter++;
                    stack[sp++] = w;
                    on[w] = true;
                    path[depth++] = (Visit){w, 0};
                } else if (on[w] && index[w] < low[v->node]) {
                    low[v->node] = index[w];
                }
                continue;
            }
            int u = v->node;
            depth--;
            if (depth > 0 && low[u] < low[path[depth - 1].node]) low[path[depth - 1].node] = low[u];
            if (low[u] != index[u]) continue;
            /* u roots a component; those it holds are finished, with their depths */
            int first = sp;
            do first--; while (stack[first] != u);
            int below = 0;
            for (int k = first; k < sp; k++) comp[stack[k]] = u;
            for (int k = first; k < sp; k++) {
                PtrList *out = &edges[stack[k]];
                for (int j = 0; j < out->len; j++) {
                    TypeDecl *to = out->items[j];
                    if (local_decl(m, to) && comp[to->index] == u) continue;
                    if (to->depth > below) below = to->depth;
                }
            }
            int dd = below + (sp - first);
            for (int k = first; k < sp; k++) {
                on[stack[k]] = false;
                m->types[stack[k]]->depth = dd;
            }
            sp = first;
            if (dd > PEL_MAX_TYPE_DEPTH && below <= PEL_MAX_TYPE_DEPTH && reported++ < 1) {
                TypeDecl *d = m->types[u];
                diag_error(c->d, d->loc, "type '%s' is nested too deeply: it holds a chain of %d types", d->name, dd);
                diag_hint(c->d, "at most %d types may each hold the next", PEL_MAX_TYPE_DEPTH);
            }
        }
    }
}

static void register_decl(Checker *c, TypeDecl *d) {
    if (!is_upper(d->name)) {
        diag_error(c->d, d->loc, "type names start with an upper-case letter: '%s'", d->name);
        diag_hint(c->d, "write 'type %c%s' (spec 2: the case tells types from values)",
                  d->name[0] >= 'a' && d->name[0] <= 'z' ? d->name[0] - 'a' + 'A' : d->name[0], d->name + 1);
    }
    TypeDecl *first = names_add(c->a, &c->type_names, d->name, d);
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
    for (int i = 0; i < m->ntypes; i++) {
        m->types[i]->index = i;
        register_decl(c, m->types[i]);
    }
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
            Ctor *first = names_add(c->a, &c->ctor_names, ct->name, ct);
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
                for (int j = 0; j < d->ctors[k]->nfields; j++)
                    if (check_resolve_type(c, d->ctors[k]->fields[j]))
                        check_type_size(c, d->ctors[k]->fields[j], d->ctors[k]->loc, NULL);
    }
    check_inhabited(c);
    check_record_layouts(c);
    check_type_depths(c);
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
        diag_unknown(c->d, loc, "unknown record type '%s'", name);
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
