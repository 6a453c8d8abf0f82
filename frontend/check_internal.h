/* check_internal.h — the checker's state, shared by check.c (names,
 * expressions, functions), check_builtins.c (the builtins' signatures) and
 * check_effects.c (effects and where they are allowed). */
#ifndef PEL_CHECK_INTERNAL_H
#define PEL_CHECK_INTERNAL_H

#include <stdio.h>

#include "check.h"
#include "name_table.h"

typedef struct Binding {
    const char *name;
    Local *local;
    struct Binding *prev;
} Binding;

#define MAX_LAMBDA_DEPTH 256

/* A lambda or a for body being checked: it collects the outer variables it
 * reads (its captures). */
typedef struct Closure {
    Local ***captures;
    int *ncaptures;
} Closure;

typedef struct Checker {
    Arena *a;
    Diag *d;
    Module *mod;
    FnDecl *fn;     /* function being checked */
    int nlocals;    /* Locals created in fn */
    int nexprs;     /* expressions checked in fn: the next Expr.id */
    Binding *scope; /* innermost first */
    Closure closures[MAX_LAMBDA_DEPTH];
    int depth; /* lambdas/for bodies entered */
    Type *t_i64, *t_f64, *t_bool, *t_str, *t_unit, *t_error;
    /* call graph, for effects: calls[i] lists callees of fns[i] */
    PtrList fns;
    PtrList *calls;
    NameTable fn_names; /* the module's functions */
    /* spec 3.1: the module's types and constructors (check_types.c), in
     * their order and by name */
    TypeDecl **types;
    int ntypes;
    Ctor **ctors;
    int nctors;
    NameTable type_names, ctor_names;
    int alias_depth; /* aliases being resolved inside one another */
} Checker;

/* check.c */
Local *check_bind(Checker *c, const char *name, Type *t, Loc loc);
Type *check_expect(Checker *c, Expr *e, Type *expect);
bool is_err(const Type *t);
const char *tstr(const Type *t, char *buf); /* buf: 128 bytes */
Type *mismatch(Checker *c, Loc loc, const char *what, Type *want, Type *got);
Type *fn_type(Checker *c, Type **params, int n, Type *ret);
Type *tuple_type(Checker *c, Type *a, Type *b);
bool has_fn_type(const Type *t);
/* When branch's value is a panic(...) call (also as a block's last
 * expression), gives it type t, the other branches', and returns true:
 * a panic has no value, so `if bad { panic("...") } else { x }` is x's type.
 * With t NULL, only says whether it is one. */
bool check_adopt_panic(Expr *branch, Type *t);

/* check_builtins.c */
/* The function a bare name refers to, or NULL (a local shadows it, or no
 * such function); unlike resolving the name, records no capture. */
FnDecl *check_named_fn(const Checker *c, const char *name);
FnDecl *check_lookup_fn(const Checker *c, const char *name); /* the current module's function */
bool check_has_local(const Checker *c, const char *name);   /* records no capture */
/* expect: the type the call's context wants, or NULL (a hint for generic
 * arguments such as foldl's `[]`, never a requirement) */
Type *check_builtin_call(Checker *c, Expr *e, const Builtin *b, Type *expect);

/* check_types.c: user-defined types (spec 3.1) */
void check_type_decls(Checker *c);
/* resolves the names in a type written by the user, in place; false after
 * reporting an unknown name */
bool check_resolve_type(Checker *c, Type *t);
/* false after reporting that t is larger than PEL_MAX_TYPE_SIZE (name: the
 * declaration's, or NULL for an expression's type) */
bool check_type_size(Checker *c, const Type *t, Loc loc, const char *name);
TypeDecl *check_find_type(const Checker *c, const char *name);
Ctor *check_find_ctor(const Checker *c, const char *name);
/* the type of a constructor used as a value: its variant, or a function
 * from its fields to it */
Type *check_ctor_value(Checker *c, Ctor *k);
/* the near miss among the constructors, for "did you mean" */
void check_hint_ctor(Checker *c, const char *name);
void check_hint_type(Checker *c, const char *name); /* for an unknown type name */
Type *check_record_lit(Checker *c, Expr *e);
/* the record a literal or pattern names (through an alias), or NULL after
 * reporting why not */
TypeDecl *check_record_decl(Checker *c, const char *name, Loc loc);
/* `e.name` on a record: turns the E_MEMBER into an E_FIELD */
Type *check_member(Checker *c, Expr *e);

/* check_modules.c: other modules' names (spec 8) */
typedef struct ModScope ModScope;
void check_scope_save(Checker *c);            /* the current tables into c->mod's scope */
void check_scope_load(Checker *c, Module *m); /* m's scope becomes the current one */
/* the module the current one imports as name; else NULL, reported at loc
 * unless loc.file is NULL */
Module *check_imported(Checker *c, const char *name, Loc loc);
FnDecl *check_qual_fn(Checker *c, Module *m, const char *name);
Ctor *check_qual_ctor(Checker *c, Module *m, const char *name);
/* m.T, m.R { }, m.C in a pattern: NULL after reporting why not */
TypeDecl *check_qual_type(Checker *c, const char *qual, const char *name, Loc loc);
TypeDecl *check_qual_record(Checker *c, const char *qual, const char *name, Loc loc);
Ctor *check_qual_pat_ctor(Checker *c, const char *qual, const char *name, Loc loc);
/* "module 'm' has no function 'x'", with the near miss */
void check_no_member(Checker *c, Module *m, const char *name, Loc loc);
/* e an E_MEMBER `m.x`, m an import not shadowed by a local: turns it into
 * an E_NAME x qualified by m. 0: not one; 1: done; -1: x is private
 * (reported) */
int check_qualify(Checker *c, Expr *e);

/* check_match.c */
Type *check_match(Checker *c, Expr *e, Type *expect);

/* check_effects.c */
void check_effects(Checker *c, Program *p);

#endif
