/* ast.h — the abstract syntax tree of PEL, and the arena it lives in.
 *
 * The parser builds the tree into one Arena per compilation; the checker
 * fills in the `type` and name-resolution fields in place; later stages read
 * the tree and never change it. Nothing here knows about LLVM or the runtime.
 */
#ifndef PEL_AST_H
#define PEL_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- arena ------------------------------------------------------------ */

typedef struct ArenaBlock ArenaBlock;
typedef struct Arena {
    ArenaBlock *head;
} Arena;

void *arena_alloc(Arena *a, size_t size); /* zeroed, 16-byte aligned */
char *arena_strndup(Arena *a, const char *s, size_t n);
void arena_free(Arena *a);
#define ARENA_NEW(a, T) ((T *)arena_alloc((a), sizeof(T)))
#define ARENA_ARRAY(a, T, n) ((T *)arena_alloc((a), sizeof(T) * (size_t)(n)))

/* A growable array of pointers, grown inside an arena (old storage is
 * abandoned to the arena, which is fine for the small lists of a parse). */
typedef struct PtrList {
    void **items;
    int len, cap;
} PtrList;
void ptrlist_push(Arena *a, PtrList *l, void *item);

/* ---- source positions -------------------------------------------------- */

typedef struct SrcFile {
    const char *path;  /* as given on the command line or resolved import */
    const char *text;  /* whole file, NUL-terminated */
    size_t len;
    /* where each line starts, made on the first src_line (source.c), in
     * the arena the file was made in */
    Arena *arena;
    size_t *line_starts;
    int nlines;
} SrcFile;

/* The text of line `line` (1-based) of f, without its newline (nor a
 * '\r' before it), its length in *len; NULL past the end. Constant time
 * after the first call, which indexes the lines. */
const char *src_line(const SrcFile *f, int line, size_t *len);

typedef struct Loc {
    const SrcFile *file;
    int line, col; /* 1-based; col counts bytes */
} Loc;

/* ---- types -------------------------------------------------------------- */

typedef enum TypeKind {
    TY_ERROR, /* an earlier error: silences follow-up errors */
    TY_I64,
    TY_F64,
    TY_BOOL,
    TY_STR,
    TY_UNIT,
    TY_ARRAY, /* elem */
    TY_TUPLE, /* items[n], n >= 2 */
    TY_FN,    /* items[n] = parameters, ret */
    TY_INFER, /* not written by the user (lambda parameter without type) */
    /* v0.2, spec 3.1 */
    TY_NAMED,   /* a name the parser could not resolve: the checker replaces it */
    TY_RECORD,  /* decl; items[n] = the field types, in declaration order */
    TY_VARIANT, /* decl */
} TypeKind;

typedef struct TypeDecl TypeDecl;

typedef struct Type {
    TypeKind kind;
    int n;
    struct Type *elem;
    struct Type **items;
    struct Type *ret;
    const char *name; /* TY_NAMED */
    const char *qual; /* TY_NAMED `m.T`: the module's import name, else NULL */
    TypeDecl *decl;   /* TY_RECORD, TY_VARIANT: compared by identity (nominal) */
    Loc loc; /* where it was written, for diagnostics; zero if synthesized */
    unsigned size[2]; /* type_size's memos (behind a pointer, in place) once resolved; 0: not known */
} Type;

/* ---- user-defined types (spec 3.1) ---------------------------------------- */

typedef struct FieldDecl {
    const char *name;
    Type *type;
    Loc loc;
} FieldDecl;

/* A constructor of a variant type: `Node(Tree, i64, Tree)`, `Leaf`. */
typedef struct Ctor {
    const char *name;
    Loc loc;
    Type **fields;
    int nfields;
    int tag;         /* its position in the type: 0, 1, ... */
    TypeDecl *owner;
} Ctor;

typedef enum TypeDeclKind { TD_RECORD, TD_VARIANT, TD_ALIAS } TypeDeclKind;

struct TypeDecl {
    TypeDeclKind kind;
    const char *name;
    Loc loc;
    FieldDecl **fields; /* TD_RECORD */
    int nfields;
    Ctor **ctors;       /* TD_VARIANT */
    int nctors;
    Type *alias;        /* TD_ALIAS: the type it names */
    /* `type A = B` with one upper-case name and nothing else: an alias when
     * B names a type, else a variant with the one constructor B (checker) */
    bool alias_or_ctor;
    /* filled by the checker */
    Type *type;         /* TY_RECORD / TY_VARIANT with decl == this; the alias's target */
    int state;          /* resolution: 0 not yet, 1 in progress, 2 done; 3 on a reported cycle */
    bool has_fields;    /* TD_VARIANT: some constructor carries fields (values are boxes) */
    unsigned size;      /* TD_RECORD: type_size's memo; 0 not known, UINT_MAX being measured */
    int index;          /* its position in its module's types (checker) */
    int depth;          /* TD_RECORD, TD_VARIANT: how deep the types it holds go (checker) */
};

/* ---- expressions -------------------------------------------------------- */

typedef enum ExprKind {
    E_INT,    /* ival */
    E_FLOAT,  /* fval */
    E_STR,    /* str.bytes, str.len (escapes already decoded) */
    E_BOOL,   /* bval */
    E_UNIT,   /* () */
    E_NAME,   /* name */
    E_MEMBER, /* member.base . member.name   (module.f) */
    E_FIELD,  /* field.base . field.index    (t.0) */
    E_UNARY,  /* unary.op unary.operand */
    E_BINARY, /* binary.op binary.lhs binary.rhs (includes and/or) */
    E_RANGE,  /* range.lo .. range.hi */
    E_CALL,   /* call.callee (call.args...); call.piped if it came from |> */
    E_INDEX,  /* index.base [index.index] */
    E_TUPLE,  /* list.items, len >= 2 */
    E_ARRAY,  /* list.items, may be empty */
    E_IF,     /* if_.cond if_.then_ if_.else_ (else_ NULL when absent) */
    E_BLOCK,  /* block */
    E_LAMBDA, /* lambda */
    E_FOR,    /* for_.var in for_.iter => for_.body */
    E_RECORD, /* record: Name { f: e, ..., ..base } (spec 3.1) */
    E_MATCH,  /* match_: match scrutinee { arms } (spec 5) */
} ExprKind;

typedef enum UnaryOp { OP_NEG, OP_NOT, OP_BNOT /* ~ */ } UnaryOp;

/* grep ORDER BINOP if you change these */
typedef enum BinaryOp {
    OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD,
    OP_BAND, OP_BOR, OP_BXOR, OP_SHL, OP_SHR, OP_USHR, /* & | ^ << >> >>> on i64 */
    OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
    OP_AND, OP_OR,
} BinaryOp;

typedef struct Expr Expr;
typedef struct Stmt Stmt;
typedef struct FnDecl FnDecl;
typedef struct Param Param;

/* What a name refers to, filled in by the checker. */
typedef enum NameKind {
    NAME_UNRESOLVED,
    NAME_LOCAL,   /* a let binding, parameter or lambda/for variable: local */
    NAME_FN,      /* a function of this file or an imported module: fn */
    NAME_BUILTIN, /* a builtin of spec 6/7: builtin */
    NAME_MODULE,  /* an imported module, only valid as E_MEMBER base */
    NAME_CTOR,    /* a variant constructor: ctor */
} NameKind;

typedef struct Local Local; /* defined by the checker (check.h) */
typedef struct Builtin Builtin;

/* A pattern of a match arm (spec 5). */
typedef enum PatKind {
    PAT_WILD,   /* _ */
    PAT_BIND,   /* name: binds local */
    PAT_INT,    /* ival */
    PAT_BOOL,   /* bval */
    PAT_STR,    /* str */
    PAT_TUPLE,  /* items[n] */
    PAT_CTOR,   /* name (items[n]); ctor set by the checker */
    PAT_RECORD, /* name { fields[i]: items[i], .. }; decl set by the checker */
} PatKind;

typedef struct Pat {
    PatKind kind;
    Loc loc;
    const char *name;
    const char *qual; /* PAT_CTOR, PAT_RECORD `m.C(...)`: the module's import name */
    int64_t ival;
    bool bval;
    struct { const char *bytes; size_t len; } str;
    struct Pat **items;
    int n;
    /* PAT_RECORD: the field named by items[i], its loc, and `..` */
    const char **fields;
    Loc *field_locs;
    int *field_index; /* set by the checker: the field's declaration position */
    bool rest;
    /* set by the checker */
    Local *local;
    Ctor *ctor;
    TypeDecl *decl;
    Type *type; /* the type of the value it matches */
} Pat;

typedef struct MatchArm {
    Pat *pat;
    Expr *guard; /* NULL when absent */
    Expr *body;
    Loc loc;
    bool reachable; /* set by the checker (an unreachable arm is a warning) */
} MatchArm;

typedef struct FieldInit {
    const char *name;
    Loc loc;
    Expr *value;
    int index; /* set by the checker: the field's declaration position */
} FieldInit;

typedef struct Block {
    Stmt **stmts;
    int n;
    /* The value of the block is the last statement when it is an expression
     * statement (value_is_last); otherwise the block has type (). */
    bool value_is_last;
    Loc close; /* the closing brace, for "to close '{' at line N" hints */
} Block;

typedef struct Lambda {
    Param **params;
    int nparams;
    Type *ret; /* NULL if omitted */
    Expr *body;
    /* filled by the checker: the variables captured from outer scopes */
    Local **captures;
    int ncaptures;
} Lambda;

struct Expr {
    ExprKind kind;
    Loc loc;
    Type *type; /* set by the checker */
    /* set by the checker: the expression's number, dense in its function
     * (0..Program.nexprs-1; the IR's per-expression facts are indexed by
     * it), and whether evaluating it has an effect (spec 7: output, files,
     * or a call of an effectful function) */
    int id;
    bool effect;
    union {
        int64_t ival;
        double fval;
        bool bval;
        struct { const char *bytes; size_t len; } str;
        struct {
            const char *name;
            NameKind kind;
            Local *local;
            FnDecl *fn;
            const Builtin *builtin;
            Ctor *ctor;
            /* `m.f`, `m.C`: the imported module the checker looks the name
             * up in (spec 8), set when it resolves the E_MEMBER; else NULL */
            struct Module *qual;
        } name;
        struct { Expr *base; const char *name; Loc name_loc; FnDecl *fn; } member;
        struct { Expr *base; int index; } field;
        struct { UnaryOp op; Expr *operand; } unary;
        struct { BinaryOp op; Expr *lhs, *rhs; } binary;
        struct { Expr *lo, *hi; } range;
        struct { Expr *callee; Expr **args; int nargs; bool piped; } call;
        struct { Expr *base, *index; } index;
        struct { Expr **items; int n; } list;
        struct { Expr *cond, *then_, *else_; } if_;
        Block block;
        Lambda lambda;
        struct {
            const char *var;
            Loc var_loc;
            Expr *iter, *body;
            Local *local;
            /* filled by the checker: outer variables the body reads */
            Local **captures;
            int ncaptures;
        } for_;
        struct {
            const char *name; /* the record type's name */
            const char *qual; /* `m.R { ... }`: the module's import name, else NULL */
            FieldInit **inits;
            int n;
            Expr *base;       /* ..base, or NULL */
            TypeDecl *decl;   /* set by the checker */
        } record;
        struct {
            Expr *scrutinee;
            MatchArm **arms;
            int n;
        } match_;
    } u;
};

/* ---- statements ----------------------------------------------------------- */

/* let pattern: a name (`_` allowed) or a tuple of patterns */
typedef struct Pattern {
    bool is_tuple;
    const char *name; /* when !is_tuple */
    struct Pattern **items;
    int n;
    Loc loc;
    Local *local; /* set by the checker when !is_tuple */
} Pattern;

typedef enum StmtKind { S_LET, S_EXPR } StmtKind;

struct Stmt {
    StmtKind kind;
    Loc loc;
    Pattern *pat; /* S_LET */
    Type *annot;  /* S_LET, NULL when not written */
    Expr *expr;   /* S_LET value, or the expression of S_EXPR */
};

/* ---- declarations --------------------------------------------------------- */

struct Param {
    const char *name;
    Type *type; /* TY_INFER when omitted (only lambdas may omit it) */
    Loc loc;
    Local *local; /* set by the checker */
};

struct FnDecl {
    const char *name;
    Loc loc;      /* of the name */
    Param **params;
    int nparams;
    Type *ret;    /* TY_UNIT when `-> T` omitted */
    Expr *body;   /* NULL for extern */
    bool is_extern, is_export, is_pure;
    bool broken; /* it has a syntax error: declared, its body not checked */
    struct Module *module; /* owning module, set by the checker */
    /* filled by the checker */
    bool effectful; /* calls output/file builtins, directly or not */
    int index;      /* position among all functions of the program */
};

typedef struct Import {
    const char *name;
    Loc loc;
    struct Module *module; /* resolved by the driver/checker */
    /* the folder searched first, when not the importing file's (a file the
     * REPL loaded into its session); else NULL */
    const char *dir;
} Import;

/* One source file. */
typedef struct Module {
    const char *name; /* "main" for the root file, else the import name */
    SrcFile *file;
    FnDecl **fns;
    int nfns;
    Import **imports;
    int nimports;
    TypeDecl **types; /* spec 3.1, in source order */
    int ntypes;
    struct ModScope *scope; /* the checker's tables of its names (check_internal.h) */
} Module;

/* Calls visit on each direct subexpression of e, in source order (the
 * statements' expressions of a block, a lambda's body, a for's iterable and
 * body). */
void ast_visit_children(Expr *e, void (*visit)(Expr *child, void *ctx), void *ctx);

/* Does a name start, after any `_` (private to its module, spec 8), with
 * an upper-case letter: a type or constructor name (spec 2)? */
static inline bool ast_upper_name(const char *s) {
    while (*s == '_') s++;
    return *s >= 'A' && *s <= 'Z';
}

/* Type helpers (ast.c). Types are compared structurally. */
Type *type_new(Arena *a, TypeKind k);
Type *type_array(Arena *a, Type *elem);
bool type_eq(const Type *x, const Type *y);
/* How large a type is once aliases are expanded: its nodes, with a record
 * counted as its fields (records and tuples are laid out inline) and a
 * variant as one (a box). Aliases that each double a tuple make a type
 * exponential in the source, shared in memory; every structural walk
 * (type_eq, printing, codegen's layout and equality) is as long as this.
 * Memoized in the nodes, so linear in the nodes of the DAG; saturates at
 * TYPE_SIZE_CAP. The checker bounds it by PEL_MAX_TYPE_SIZE. */
#define TYPE_SIZE_CAP (1u << 30)
#define PEL_MAX_TYPE_SIZE (1u << 14)
/* Aliases defined through one another: their resolution recurses. */
#define PEL_MAX_ALIAS_CHAIN 1000
/* Types that each hold the next (the checker's check_type_depths). */
#define PEL_MAX_TYPE_DEPTH 500
unsigned type_size(const Type *t);
/* Writes the type as the user writes it ("[i64]", "(i64, str)",
 * "fn(i64) -> bool") into buf; returns buf. */
char *type_str(const Type *t, char *buf, size_t size);
/* A copy of a checked type with each record and variant named again
 * (TY_NAMED), for a second check of the same source in another arena (the
 * REPL), whose declarations are other objects. */
Type *type_as_written(Arena *a, const Type *t);

#endif
