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
};

/* The builtins of spec 6 and 7. grep ORDER BUILTIN if you change these. */
typedef enum BuiltinKind {
    B_PRINT, B_PRINTLN, B_EPRINTLN,
    B_ASSERT, B_PANIC,
    B_F64, B_I64, B_STR,
    B_SQRT, B_EXP, B_LOG, B_SIN, B_COS, B_TAN, B_ATAN2, B_POW,
    B_FLOOR, B_CEIL, B_FABS,
    B_ABS, B_MIN, B_MAX,
    B_LEN,
    /* recognised so that programs get "not supported yet" rather than
     * "unknown name" (arrays, strings, files: a later stage of PEL) */
    B_MAP, B_FILTER, B_REDUCE, B_SCAN, B_SUM, B_PRODUCT, B_MINIMUM, B_MAXIMUM,
    B_SORT, B_ZIP, B_UNZIP, B_FILL, B_CONCAT, B_SLICE, B_REVERSE, B_FLATTEN,
    B_FOLDL, B_ITERATE, B_SPLIT, B_LINES, B_TRIM, B_PARSE_I64, B_PARSE_F64,
    B_ARGS, B_READ_FILE, B_WRITE_FILE,
    B_COUNT_
} BuiltinKind;

struct Builtin {
    const char *name;
    BuiltinKind kind;
    int arity;      /* -1: checked by hand */
    bool effectful; /* output and files (spec 7, Effects) */
    bool supported; /* false: "not supported yet" */
};
const Builtin *builtin_lookup(const char *name);

typedef struct Program {
    Module *root;
    FnDecl **fns; /* every function with a body, FnDecl.index is the position */
    int nfns;
    FnDecl *main;
    int *nlocals; /* per function: how many Locals it owns */
} Program;

/* Checks the root module. Returns NULL if any error was reported. */
Program *check_program(Arena *a, Diag *d, Module *root);

/* Does a checked expression have an effect (spec 7: output, files, or a
 * call of an effectful function)? The REPL asks this of a `let`. */
bool check_expr_effectful(const Expr *e);

#endif
