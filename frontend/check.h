/* check.h — name resolution and type checking.
 *
 * Input: the parsed root module (and, later, its imports). Output: the same
 * tree with every Expr.type set, every name resolved to a Local, a FnDecl or
 * a Builtin, and a Program that lists the functions. Errors go through the
 * Diag; checking goes on after an error (TY_ERROR silences follow-ups), so
 * one run reports every error of the file.
 */
#ifndef PEL_CHECK_H
#define PEL_CHECK_H

#include "ast.h"
#include "diag.h"

/* A value bound by `let`, a parameter, or a lambda/for variable. */
struct Local {
    const char *name;
    Type *type;
    Loc loc;
    int id;        /* dense per function, 0..Program.nlocals-1 of its FnDecl */
    FnDecl *owner;
    int depth;     /* lambda/for nesting level where it is bound (0: the function) */
    bool used;     /* read somewhere (the unused-let warning) */
};

/* The builtins of spec 6 and 7: one row each in builtins.def, which makes
 * the enum, the table and every property below. */
typedef enum BuiltinKind {
#define BUILTIN(KIND, name, arity, fn_arg, rule, after, flags) B_##KIND,
#include "builtins.def"
#undef BUILTIN
    B_COUNT_
} BuiltinKind;

/* the typing rule family (check_builtins.c) */
typedef enum BuiltinRule { CHK_FN, CHK_ARRAY, CHK_SCALAR } BuiltinRule;
/* the call's type after an error in an argument */
typedef enum BuiltinAfterError { RES_RULE, RES_UNIT, RES_STR, RES_I64 } BuiltinAfterError;

enum {
    BF_EFFECT = 1 << 0,
    BF_DATA = 1 << 1,
    BF_PAR = 1 << 2,
    BF_FUSES = 1 << 3,
    BF_IN_PLACE = 1 << 4,
    BF_SCALAR = 1 << 5,
    BF_TILE_FOLD = 1 << 6,
};

struct Builtin {
    const char *name;
    BuiltinKind kind;
    int arity;  /* -1: checked by the typing rule */
    int fn_arg; /* the function argument it applies in its own loop, -1: none */
    BuiltinRule rule;
    BuiltinAfterError after_error;
    unsigned flags; /* BF_* (builtins.def says what each means) */
};
const Builtin *builtin_lookup(const char *name);
const char *builtin_name(int i); /* the i-th of the B_COUNT_ builtins, for "did you mean" */

/* Properties (builtins.def has the columns). */
static inline bool builtin_effectful(const Builtin *b) { return b->flags & BF_EFFECT; }
/* works on a whole array or string: the call's cost is not bounded */
static inline bool builtin_data(const Builtin *b) { return b->flags & BF_DATA; }
/* its function argument runs on elements in parallel */
static inline bool builtin_parallel(const Builtin *b) { return b->flags & BF_PAR; }
/* consumes argument 0 element by element (a fusion consumer) */
static inline bool builtin_fuses(const Builtin *b) { return b->flags & BF_FUSES; }
/* may update argument 0's array in place when handed it */
static inline bool builtin_in_place(const Builtin *b) { return b->flags & BF_IN_PLACE; }
/* pure scalar arithmetic: allocates nothing */
static inline bool builtin_scalar(const Builtin *b) { return b->flags & BF_SCALAR; }
static inline bool builtin_tile_fold(const Builtin *b) { return b->flags & BF_TILE_FOLD; }
/* runs a loop of its own over its array or function argument: the
 * function argument is applied there (a lambda is inlined, not made a
 * value) and argument 0 may be fused */
static inline bool builtin_own_loop(const Builtin *b) { return b->fn_arg >= 0 || builtin_fuses(b); }


typedef struct Program {
    Module *root;
    Module **modules; /* every module after those it imports, the root last */
    int nmodules;
    FnDecl **fns; /* every function with a body, FnDecl.index is the position */
    int nfns;
    FnDecl *main;
    int *nlocals; /* per function: how many Locals it owns */
    int *nexprs;  /* per function: how many expressions it has (Expr.id) */
} Program;

/* Checks the root module and the modules it imports (their Import.module
 * set by modules_load); need_main: the root must define `main` (not when a
 * module is compiled alone, pelc -c). Returns NULL if any error was
 * reported. */
Program *check_program(Arena *a, Diag *d, Module *root, bool need_main);

/* Does a checked expression have an effect (Expr.effect)? The REPL asks
 * this of a `let`. */
bool check_expr_effectful(const Expr *e);

#endif
