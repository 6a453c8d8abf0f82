/* check_modules.c — the names of other modules (spec 8).
 *
 * Each module's functions, types and constructors live in its ModScope;
 * the checker works in one module's scope at a time (Checker.mod and the
 * tables beside it). `m.f`, `m.C` (E_MEMBER on the name of an import, not
 * shadowed by a local), `m.T` in a type and `m.C` in a pattern are looked
 * up in the imported module's scope, and a name that starts with `_` is
 * refused there: it is private to its module. */
#include "check_internal.h"

#include <string.h>

struct ModScope {
    NameTable fn_names, type_names, ctor_names;
    TypeDecl **types;
    int ntypes;
    Ctor **ctors;
    int nctors;
};

void check_scope_save(Checker *c) {
    ModScope *s = c->mod->scope;
    s->fn_names = c->fn_names;
    s->type_names = c->type_names;
    s->ctor_names = c->ctor_names;
    s->types = c->types;
    s->ntypes = c->ntypes;
    s->ctors = c->ctors;
    s->nctors = c->nctors;
}

void check_scope_load(Checker *c, Module *m) {
    if (!m->scope) m->scope = ARENA_NEW(c->a, ModScope);
    ModScope *s = m->scope;
    c->mod = m;
    c->fn_names = s->fn_names;
    c->type_names = s->type_names;
    c->ctor_names = s->ctor_names;
    c->types = s->types;
    c->ntypes = s->ntypes;
    c->ctors = s->ctors;
    c->nctors = s->nctors;
}

Module *check_imported(Checker *c, const char *name, Loc loc) {
    for (int i = 0; i < c->mod->nimports; i++)
        if (strcmp(c->mod->imports[i]->name, name) == 0 && c->mod->imports[i]->module)
            return c->mod->imports[i]->module;
    if (loc.file) {
        diag_unknown(c->d, loc, "unknown module '%s'", name);
        diag_hint(c->d, "add 'import %s' at the top of %s", name, c->mod->file->path);
    }
    return NULL;
}

/* Looks into m's scope: the current one is saved, and enter returns it
 * for leave to restore. */
static Module *enter(Checker *c, Module *m) {
    Module *at = c->mod;
    check_scope_save(c);
    check_scope_load(c, m);
    return at;
}

static void leave(Checker *c, Module *at) { check_scope_load(c, at); }

/* Is name private to m? Reports it at loc. */
static bool private_to(Checker *c, const Module *m, const char *name, Loc loc) {
    if (name[0] != '_') return false;
    diag_error(c->d, loc, "'%s' is private to module '%s'", name, m->name);
    diag_hint(c->d, "names that start with '_' are seen only inside their own module");
    return true;
}

FnDecl *check_qual_fn(Checker *c, Module *m, const char *name) {
    Module *at = enter(c, m);
    FnDecl *f = check_lookup_fn(c, name);
    leave(c, at);
    return f;
}

Ctor *check_qual_ctor(Checker *c, Module *m, const char *name) {
    Module *at = enter(c, m);
    Ctor *k = check_find_ctor(c, name);
    leave(c, at);
    return k;
}

TypeDecl *check_qual_type(Checker *c, const char *qual, const char *name, Loc loc) {
    Module *m = check_imported(c, qual, loc);
    if (!m || private_to(c, m, name, loc)) return NULL;
    Module *at = enter(c, m);
    TypeDecl *d = check_find_type(c, name);
    if (!d) {
        diag_error(c->d, loc, "module '%s' has no type '%s'", m->name, name);
        const char **names = ARENA_ARRAY(c->a, const char *, c->ntypes + 1);
        int n = 0;
        for (int i = 0; i < c->ntypes; i++)
            if (c->types[i]->name[0] != '_') names[n++] = c->types[i]->name;
        const char *near = diag_closest(name, names, n);
        if (near) diag_hint(c->d, "did you mean '%s.%s'?", m->name, near);
    }
    leave(c, at);
    return d;
}

TypeDecl *check_qual_record(Checker *c, const char *qual, const char *name, Loc loc) {
    Module *m = check_imported(c, qual, loc);
    if (!m || private_to(c, m, name, loc)) return NULL;
    Module *at = enter(c, m);
    TypeDecl *d = check_record_decl(c, name, loc);
    leave(c, at);
    return d;
}

Ctor *check_qual_pat_ctor(Checker *c, const char *qual, const char *name, Loc loc) {
    Module *m = check_imported(c, qual, loc);
    if (!m || private_to(c, m, name, loc)) return NULL;
    Ctor *k = check_qual_ctor(c, m, name);
    if (!k) check_no_member(c, m, name, loc);
    return k;
}

void check_no_member(Checker *c, Module *m, const char *name, Loc loc) {
    Module *at = enter(c, m);
    bool upper = ast_upper_name(name);
    diag_error(c->d, loc, "module '%s' has no %s '%s'", m->name, upper ? "constructor" : "function", name);
    /* the near miss among what importers may name */
    const char **names = ARENA_ARRAY(c->a, const char *, m->nfns + c->nctors + 1);
    int n = 0;
    for (int i = 0; i < m->nfns; i++)
        if (m->fns[i]->name[0] != '_') names[n++] = m->fns[i]->name;
    for (int i = 0; i < c->nctors; i++) names[n++] = c->ctors[i]->name;
    const char *near = diag_closest(name, names, n);
    if (near) diag_hint(c->d, "did you mean '%s.%s'?", m->name, near);
    leave(c, at);
}

int check_qualify(Checker *c, Expr *e) {
    if (e->kind != E_MEMBER) return 0;
    Expr *base = e->u.member.base;
    if (base->kind != E_NAME || base->u.name.qual || check_has_local(c, base->u.name.name)) return 0;
    Module *m = check_imported(c, base->u.name.name, (Loc){0});
    if (!m && !check_lookup_fn(c, base->u.name.name) && !check_find_ctor(c, base->u.name.name) &&
        !builtin_lookup(base->u.name.name)) {
        /* neither a value nor a module: most likely a module not imported */
        base->id = c->nexprs++;
        base->type = c->t_error;
        diag_unknown(c->d, base->loc, "unknown name '%s'", base->u.name.name);
        diag_hint(c->d, "to use the module %s, add 'import %s' at the top of %s", base->u.name.name,
                  base->u.name.name, c->mod->file->path);
        return -1;
    }
    if (!m) return 0;
    const char *name = e->u.member.name;
    Loc at = e->u.member.name_loc;
    e->kind = E_NAME;
    memset(&e->u.name, 0, sizeof e->u.name);
    e->u.name.name = name;
    e->u.name.qual = m;
    e->loc = at;
    return private_to(c, m, name, at) ? -1 : 1;
}
