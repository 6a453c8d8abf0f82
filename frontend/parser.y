/* parser.y — PEL's grammar (Bison), building the AST into the arena.
 *
 * Design notes:
 * - Pure and reentrant: all state is in Parser (lexer included).
 * - No conflicts (%expect 0): operator precedence is declared below; lambda
 *   and comprehension bodies take the lowest precedence, so they extend as
 *   far right as possible.
 * - All syntax errors of a file are reported: `error` productions at
 *   statement and declaration level resynchronise at the next newline, ';' or
 *   '}'. Tokens the lexer already reported (bad characters) or invented (the
 *   closers it inserts for an unclosed bracket) never produce a second
 *   message.
 * - Locations: every grammar symbol's location (@n) is its FIRST token;
 *   Expr.loc follows the rules in ast.h / docs/syntax.md (operator for
 *   binary, '[' for index, '.' for fields, '..' for ranges).
 * - The tree depth is bounded (PEL_MAX_NESTING) because every later pass
 *   walks it recursively.
 */
%require "3.8"
%define api.pure full
%define api.token.prefix {T_}
%define api.location.type {Loc}
%locations
%define parse.error custom
%define parse.lac full
%expect 0
%param {Parser *P}

%code requires {
#include <stdint.h>
#include "ast.h"
#include "diag.h"

typedef struct Parser Parser;

/* The value of a token: identifiers and strings carry text, numbers their
 * value (an INT token holds at most 2^63, the magnitude of INT64_MIN). */
typedef struct TokVal {
    const char *s;
    size_t len;
    uint64_t u;
    double f;
} TokVal;

#define YYLLOC_DEFAULT(Cur, Rhs, N)                     \
    do {                                                \
        if (N)                                          \
            (Cur) = YYRHSLOC(Rhs, 1);                   \
        else                                            \
            (Cur) = YYRHSLOC(Rhs, 0);                   \
    } while (0)
}

%code provides {
int yyparse(Parser *P);
}

%code {
#include <string.h>
#include "lex_support.h"

struct Parser {
    Lexer lex;
    Arena *arena;
    Diag *diag;
    int start_token; /* sent before the first real token, then 0 */
    Module *mod;
    PtrList fns, imports, types;
    Expr *expr; /* parse_expr's and parse_stmts' result */
    int decl_errors; /* the errors reported before the declaration being parsed */
};

/* Bison's stack may grow to a multiple of the nesting limit: a chain of
 * unary operators uses one entry each. Beyond that the input is pathological
 * and yyerror reports it as too deep. */
#define YYMAXDEPTH (20 * PEL_MAX_NESTING)

static int yylex(YYSTYPE *val, Loc *loc, Parser *P)
{
    if (P->start_token) {
        int t = P->start_token;
        P->start_token = 0;
        *loc = (Loc){ P->lex.file, 1, 1 };
        return t;
    }
    return lexer_next(&P->lex, val, loc);
}

static void yyerror(Loc *loc, Parser *P, const char *msg)
{
    /* Bison calls this only when its stack is exhausted */
    if (!P->lex.stop) {
        diag_error(P->diag, *loc, "expression nested too deeply");
        diag_hint(P->diag, "split it up with 'let' bindings");
    }
    P->lex.stop = true;
}

/* ---- tree construction ---- */

/* Each parsed Expr sits in a wrapper that remembers the height of its
 * subtree, so the depth limit costs no field in the public Expr. */
typedef struct PExpr {
    int depth;
    Expr e;
} PExpr;

static int depth_of(const Expr *e)
{
    if (!e)
        return 0;
    return ((const PExpr *)((const char *)e - offsetof(PExpr, e)))->depth;
}

static void set_depth(Parser *P, Expr *e, int below)
{
    PExpr *pe = (PExpr *)((char *)e - offsetof(PExpr, e));
    pe->depth = below + 1;
    /* only the node that crosses the limit reports, not its ancestors */
    if (below == PEL_MAX_NESTING) {
        diag_error(P->diag, e->loc, "expression nested too deeply");
        diag_hint(P->diag, "at most %d levels; split it up with 'let' bindings", PEL_MAX_NESTING);
    }
}

static int max2(int a, int b) { return a > b ? a : b; }

static Expr *mk(Parser *P, ExprKind k, Loc loc)
{
    PExpr *pe = ARENA_NEW(P->arena, PExpr);
    pe->depth = 1;
    pe->e.kind = k;
    pe->e.loc = loc;
    return &pe->e;
}

static Expr *mk1(Parser *P, ExprKind k, Loc loc, Expr *a)
{
    Expr *e = mk(P, k, loc);
    set_depth(P, e, depth_of(a));
    return e;
}

static Expr *mk2(Parser *P, ExprKind k, Loc loc, Expr *a, Expr *b)
{
    Expr *e = mk(P, k, loc);
    set_depth(P, e, max2(depth_of(a), depth_of(b)));
    return e;
}

static Expr *mk3(Parser *P, ExprKind k, Loc loc, Expr *a, Expr *b, Expr *c)
{
    Expr *e = mk(P, k, loc);
    set_depth(P, e, max2(depth_of(a), max2(depth_of(b), depth_of(c))));
    return e;
}

static Expr *binary(Parser *P, BinaryOp op, Loc loc, Expr *l, Expr *r)
{
    Expr *e = mk2(P, E_BINARY, loc, l, r);
    e->u.binary.op = op;
    e->u.binary.lhs = l;
    e->u.binary.rhs = r;
    return e;
}

static Expr **expr_array(Parser *P, const PtrList *l, int *depth)
{
    Expr **arr = ARENA_ARRAY(P->arena, Expr *, l->len);
    for (int i = 0; i < l->len; i++) {
        arr[i] = l->items[i];
        *depth = max2(*depth, depth_of(arr[i]));
    }
    return arr;
}

static Expr *list_expr(Parser *P, ExprKind k, Loc loc, const PtrList *l)
{
    Expr *e = mk(P, k, loc);
    int d = 0;
    e->u.list.items = expr_array(P, l, &d);
    e->u.list.n = l->len;
    set_depth(P, e, d);
    return e;
}

static Expr *call(Parser *P, Loc loc, Expr *callee, const PtrList *args)
{
    Expr *e = mk(P, E_CALL, loc);
    int d = depth_of(callee);
    e->u.call.callee = callee;
    e->u.call.args = expr_array(P, args, &d);
    e->u.call.nargs = args->len;
    set_depth(P, e, d);
    return e;
}

/* x |> f(a, b) is f(x, a, b); x |> g (any other right side) is g(x). */
static Expr *pipe_call(Parser *P, Expr *lhs, Expr *rhs, Loc rhs_start)
{
    PtrList args = { 0 };
    ptrlist_push(P->arena, &args, lhs);
    if (rhs->kind == E_CALL && !rhs->u.call.piped) {
        for (int i = 0; i < rhs->u.call.nargs; i++)
            ptrlist_push(P->arena, &args, rhs->u.call.args[i]);
        Expr *e = call(P, rhs->loc, rhs->u.call.callee, &args);
        e->u.call.piped = true;
        return e;
    }
    Expr *e = call(P, rhs_start, rhs, &args);
    e->u.call.piped = true;
    return e;
}

static Expr *negate(Parser *P, Loc loc, Expr *x)
{
    /* Fold the sign into a literal: this is how -9223372036854775808
     * (INT64_MIN) is written, and constants stay constants. */
    if (x->kind == E_INT) {
        x->u.ival = (int64_t)(0 - (uint64_t)x->u.ival);
        x->loc = loc;
        return x;
    }
    if (x->kind == E_FLOAT) {
        x->u.fval = -x->u.fval;
        x->loc = loc;
        return x;
    }
    Expr *e = mk1(P, E_UNARY, loc, x);
    e->u.unary.op = OP_NEG;
    e->u.unary.operand = x;
    return e;
}

static Expr *block_expr(Parser *P, Loc open, Loc close, const PtrList *stmts)
{
    Expr *e = mk(P, E_BLOCK, open);
    Block *b = &e->u.block;
    int d = 0;
    b->stmts = ARENA_ARRAY(P->arena, Stmt *, stmts->len);
    for (int i = 0; i < stmts->len; i++) {
        b->stmts[i] = stmts->items[i];
        d = max2(d, depth_of(b->stmts[i]->expr));
    }
    b->n = stmts->len;
    b->value_is_last = b->n > 0 && b->stmts[b->n - 1]->kind == S_EXPR;
    b->close = close;
    set_depth(P, e, d);
    return e;
}

static Stmt *stmt_new(Parser *P, StmtKind k, Loc loc, Expr *e)
{
    Stmt *s = ARENA_NEW(P->arena, Stmt);
    s->kind = k;
    s->loc = loc;
    s->expr = e;
    return s;
}

static Type *named_type(Parser *P, const char *name, Loc loc)
{
    static const struct { const char *name; TypeKind kind; } names[] = {
        { "i64", TY_I64 }, { "f64", TY_F64 }, { "bool", TY_BOOL }, { "str", TY_STR },
    };
    TypeKind k = TY_NAMED; /* a user-defined type: the checker resolves it */
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i].name) == 0)
            k = names[i].kind;
    Type *t = type_new(P->arena, k);
    t->loc = loc;
    if (k == TY_NAMED)
        t->name = name;
    return t;
}

static Type *compound_type(Parser *P, TypeKind k, Loc loc, const PtrList *items, Type *ret)
{
    Type *t = type_new(P->arena, k);
    t->loc = loc;
    t->n = items->len;
    t->items = ARENA_ARRAY(P->arena, Type *, items->len);
    for (int i = 0; i < items->len; i++)
        t->items[i] = items->items[i];
    t->ret = ret;
    return t;
}

static Pattern *tuple_pattern(Parser *P, Loc loc, const PtrList *items)
{
    Pattern *p = ARENA_NEW(P->arena, Pattern);
    p->is_tuple = true;
    p->loc = loc;
    p->n = items->len;
    p->items = ARENA_ARRAY(P->arena, Pattern *, items->len);
    for (int i = 0; i < items->len; i++)
        p->items[i] = items->items[i];
    return p;
}

static Pat *pat_new(Parser *P, PatKind k, Loc loc)
{
    Pat *p = ARENA_NEW(P->arena, Pat);
    p->kind = k;
    p->loc = loc;
    return p;
}

static Pat **pat_array(Parser *P, const PtrList *l)
{
    Pat **arr = ARENA_ARRAY(P->arena, Pat *, l->len);
    for (int i = 0; i < l->len; i++)
        arr[i] = l->items[i];
    return arr;
}

/* A name in a pattern: `_`, a constructor (upper case, spec 2) or a binding. */
static Pat *name_pat(Parser *P, TokVal name, Loc loc)
{
    if (strcmp(name.s, "_") == 0)
        return pat_new(P, PAT_WILD, loc);
    bool upper = ast_upper_name(name.s);
    Pat *p = pat_new(P, upper ? PAT_CTOR : PAT_BIND, loc);
    p->name = name.s;
    return p;
}

/* m.C, m.C(...), m.R { ... }: a constructor or record of the imported
 * module m (spec 8); a lower-case name after the dot binds nothing. */
static Pat *qual_pat(Parser *P, TokVal module, Pat *p, bool call)
{
    if (p->kind != PAT_CTOR && p->kind != PAT_RECORD) {
        diag_error(P->diag, p->loc, "'%s.%s' is not a constructor: constructors start with an upper-case letter",
                   module.s, p->kind == PAT_WILD ? "_" : p->name);
        p->kind = PAT_CTOR;
        if (!p->name) p->name = "_";
    }
    (void)call;
    p->qual = module.s;
    return p;
}

/* A record pattern's fields, each an item of l: a FieldPat. */
typedef struct FieldPat {
    const char *name; /* NULL for `..` */
    Loc loc;
    Pat *pat;
} FieldPat;

static Pat *record_pat(Parser *P, TokVal name, Loc loc, const PtrList *l)
{
    Pat *p = pat_new(P, PAT_RECORD, loc);
    p->name = name.s;
    p->items = ARENA_ARRAY(P->arena, Pat *, l->len);
    p->fields = ARENA_ARRAY(P->arena, const char *, l->len);
    p->field_locs = ARENA_ARRAY(P->arena, Loc, l->len);
    for (int i = 0; i < l->len; i++) {
        FieldPat *f = l->items[i];
        if (!f->name) {
            if (i != l->len - 1)
                diag_error(P->diag, f->loc, "'..' must come last in a record pattern");
            p->rest = true;
            continue;
        }
        p->fields[p->n] = f->name;
        p->field_locs[p->n] = f->loc;
        p->items[p->n++] = f->pat;
    }
    return p;
}

static Expr *record_expr(Parser *P, TokVal name, Loc loc, const PtrList *l)
{
    Expr *e = mk(P, E_RECORD, loc);
    e->u.record.name = name.s;
    e->u.record.inits = ARENA_ARRAY(P->arena, FieldInit *, l->len);
    int d = 0;
    for (int i = 0; i < l->len; i++) {
        FieldInit *f = l->items[i];
        d = max2(d, depth_of(f->value));
        if (!f->name) {
            if (i != l->len - 1) {
                diag_error(P->diag, f->loc, "'..%s' must come last in a record literal",
                           f->value->kind == E_NAME ? f->value->u.name.name : "base");
                diag_hint(P->diag, "the fields written before it replace the base's");
            }
            e->u.record.base = f->value;
            continue;
        }
        e->u.record.inits[e->u.record.n++] = f;
    }
    set_depth(P, e, d);
    return e;
}

static Expr *match_expr(Parser *P, Loc loc, Expr *scrutinee, const PtrList *arms)
{
    Expr *e = mk(P, E_MATCH, loc);
    e->u.match_.scrutinee = scrutinee;
    e->u.match_.arms = ARENA_ARRAY(P->arena, MatchArm *, arms->len);
    e->u.match_.n = arms->len;
    int d = depth_of(scrutinee);
    for (int i = 0; i < arms->len; i++) {
        MatchArm *a = arms->items[i];
        e->u.match_.arms[i] = a;
        d = max2(d, max2(depth_of(a->body), depth_of(a->guard)));
    }
    set_depth(P, e, d);
    return e;
}

static TypeDecl *type_decl(Parser *P, TokVal name, Loc loc, TypeDeclKind k)
{
    TypeDecl *t = ARENA_NEW(P->arena, TypeDecl);
    t->kind = k;
    t->name = name.s;
    t->loc = loc;
    ptrlist_push(P->arena, &P->types, t);
    return t;
}

static Type *unit_type(Parser *P)
{
    return type_new(P->arena, TY_UNIT);
}

static FnDecl *fn_decl(Parser *P, TokVal name, Loc loc, const PtrList *params, Type *ret,
                       Expr *body, bool need_types)
{
    FnDecl *f = ARENA_NEW(P->arena, FnDecl);
    f->name = name.s;
    f->loc = loc;
    f->broken = P->diag->errors != P->decl_errors; /* a syntax error inside it */
    f->nparams = params->len;
    f->params = ARENA_ARRAY(P->arena, Param *, params->len);
    for (int i = 0; i < params->len; i++) {
        Param *p = params->items[i];
        f->params[i] = p;
        if (need_types && p->type->kind == TY_INFER) {
            diag_error(P->diag, p->loc, "parameter '%s' of function '%s' needs a type",
                       p->name, f->name);
            diag_hint(P->diag, "write '%s: i64' (or its type); only lambda parameters may omit it",
                      p->name);
            p->type = type_new(P->arena, TY_ERROR);
        }
    }
    f->ret = ret ? ret : unit_type(P);
    f->body = body;
    return f;
}

static Expr *lambda(Parser *P, Loc loc, const PtrList *params, Type *ret, Expr *body)
{
    Expr *e = mk1(P, E_LAMBDA, loc, body);
    Lambda *l = &e->u.lambda;
    l->nparams = params->len;
    l->params = ARENA_ARRAY(P->arena, Param *, params->len);
    for (int i = 0; i < params->len; i++)
        l->params[i] = params->items[i];
    l->ret = ret;
    l->body = body;
    return e;
}

}

%union {
    TokVal tok;
    Expr *expr;
    Stmt *stmt;
    Type *type;
    Pattern *pat;
    Param *param;
    FnDecl *fn;
    PtrList list;
    Pat *mpat;
    void *item;
}

%token END 0 "end of file"
%token <tok> IDENT "identifier"
%token <tok> INT "integer literal"
%token <tok> FLOAT "float literal"
%token <tok> STRING "string literal"
%token KW_FN "'fn'" KW_LET "'let'" KW_IF "'if'" KW_ELSE "'else'" KW_FOR "'for'"
       KW_IN "'in'" KW_IMPORT "'import'" KW_EXTERN "'extern'" KW_EXPORT "'export'"
       KW_TRUE "'true'" KW_FALSE "'false'" KW_AND "'and'" KW_OR "'or'" KW_NOT "'not'"
       KW_TYPE "'type'" KW_MATCH "'match'" KW_PURE "'pure'"
%token PLUS "'+'" MINUS "'-'" STAR "'*'" SLASH "'/'" PERCENT "'%'"
       AMP "'&'" BAR "'|'" CARET "'^'" TILDE "'~'" SHL "'<<'" SHR "'>>'" USHR "'>>>'"
       EQEQ "'=='" NE "'!='" LT "'<'" LE "'<='" GT "'>'" GE "'>='" ASSIGN "'='"
       LPAREN "'('" RPAREN "')'" LBRACK "'['" RBRACK "']'" LBRACE "'{'" RBRACE "'}'"
       LBRACE_REC "'{' of a record"
       COMMA "','" SEMI "';'" COLON "':'" DOT "'.'" DOTDOT "'..'"
       PIPE "'|>'" ARROW "'->'" FATARROW "'=>'"
%token NEWLINE "newline"
%token ERROR "invalid character"
%token START_MODULE "start of module" START_EXPR "start of expression"
%token START_STMTS "start of statements"

%type <expr> expr primary if_expr block fnbody
%type <list> args expr_list stmts params param_list types_opt type_list pattern_list
%type <stmt> stmt_opt stmt
%type <type> type type_compound ret_opt annot_opt
%type <list> field_decls ctor_list rec_items rec_body arms arm_list mpat_list fpats fpat_list
%type <item> field_decl ctor rec_item arm fpat
%type <mpat> mpat
%type <expr> guard_opt
%type <pat> pattern
%type <param> param
%type <fn> fndecl

/* lowest first; grep PRECEDENCE in docs/syntax.md if you change it */
%precedence LOWEST
%left "'|>'"
%left "'or'"
%left "'and'"
%precedence "'not'"
%nonassoc "'=='" "'!='" "'<'" "'<='" "'>'" "'>='"
%nonassoc "'..'"
%left "'|'"
%left "'^'"
%left "'&'"
%left "'<<'" "'>>'" "'>>>'"
%left "'+'" "'-'"
%left "'*'" "'/'" "'%'"
%precedence NEG
%precedence "'('" "'['" "'.'"

%%

start
    : START_MODULE decls
    | START_EXPR seps_opt expr seps_opt     { P->expr = $3; }
    | START_STMTS stmts                     { P->expr = block_expr(P, @1, @1, &$2); }
    ;

/* Once a separator is consumed, an earlier error is over: the next one is
 * reported even if it comes within Bison's usual three-token silence.
 * (Resetting here rather than in the error rules guarantees progress.) */
sep : NEWLINE { yyerrok; } | "';'" { yyerrok; } ;
seps_opt : %empty | seps_opt sep ;
comma_opt : %empty | "','" ;

/* ---- declarations ---- */

/* decls = [decl] { sep [decl] } */
/* Each declaration notes the errors before the next (FnDecl.broken). */
decls
    : decl_opt              { P->decl_errors = P->diag->errors; }
    | decls sep decl_opt    { P->decl_errors = P->diag->errors; }
    ;

decl_opt
    : %empty
    | error
    | "'import'" IDENT {
        Import *im = ARENA_NEW(P->arena, Import);
        im->name = $2.s;
        im->loc = @2;
        ptrlist_push(P->arena, &P->imports, im);
      }
    | "'extern'" "'fn'" IDENT "'('" params "')'" ret_opt {
        FnDecl *f = fn_decl(P, $3, @3, &$5, $7, NULL, true);
        f->is_extern = true;
        ptrlist_push(P->arena, &P->fns, f);
      }
    | "'extern'" "'pure'" "'fn'" IDENT "'('" params "')'" ret_opt {
        FnDecl *f = fn_decl(P, $4, @4, &$6, $8, NULL, true);
        f->is_extern = true;
        f->is_pure = true;
        ptrlist_push(P->arena, &P->fns, f);
      }
    | "'export'" fndecl   { $2->is_export = true; ptrlist_push(P->arena, &P->fns, $2); }
    | "'type'" IDENT "'='" LBRACE_REC field_decls comma_opt "'}'" {
        TypeDecl *t = type_decl(P, $2, @2, TD_RECORD);
        t->nfields = $5.len;
        t->fields = ARENA_ARRAY(P->arena, FieldDecl *, $5.len);
        for (int i = 0; i < $5.len; i++)
            t->fields[i] = $5.items[i];
      }
    | "'type'" IDENT "'='" LBRACE_REC "'}'" {
        diag_error(P->diag, @4, "a record type needs at least one field");
        diag_hint(P->diag, "for a type with one value, write a variant: type %s = %s", $2.s, $2.s);
      }
    | "'type'" IDENT "'='" ctor_list {
        TypeDecl *t = type_decl(P, $2, @2, TD_VARIANT);
        t->nctors = $4.len;
        t->ctors = ARENA_ARRAY(P->arena, Ctor *, $4.len);
        for (int i = 0; i < $4.len; i++)
            t->ctors[i] = $4.items[i];
        /* `type A = B`: B may name a type (an alias) or be a constructor */
        if (t->nctors == 1 && t->ctors[0]->nfields == 0) {
            t->alias_or_ctor = true;
            t->alias = named_type(P, t->ctors[0]->name, t->ctors[0]->loc);
        }
      }
    | "'type'" IDENT "'='" "'|'" ctor_list {
        TypeDecl *t = type_decl(P, $2, @2, TD_VARIANT);
        t->nctors = $5.len;
        t->ctors = ARENA_ARRAY(P->arena, Ctor *, $5.len);
        for (int i = 0; i < $5.len; i++)
            t->ctors[i] = $5.items[i];
      }
    | "'type'" IDENT "'='" type_compound {
        TypeDecl *t = type_decl(P, $2, @2, TD_ALIAS);
        t->alias = $4;
      }
    | fndecl            { ptrlist_push(P->arena, &P->fns, $1); }
    | "'let'" pattern annot_opt "'='" expr {
        diag_error(P->diag, @1, "'let' is not allowed at top level");
        diag_hint(P->diag, "put it inside a function, or make it a function: fn %s() -> T = ...",
                  $2->is_tuple ? "name" : $2->name);
      }
    | expr {
        diag_error(P->diag, @1, "expected a declaration, found an expression");
        diag_hint(P->diag, "statements go inside a function, e.g. fn main() { ... }");
      }
    ;

/* fndecl = 'fn' IDENT '(' params ')' ['->' type] ('=' expr | block) */
fndecl
    : "'fn'" IDENT "'('" params "')'" ret_opt fnbody  { $$ = fn_decl(P, $2, @2, &$4, $6, $7, true); }
    ;

fnbody : "'='" expr { $$ = $2; } | block ;

ret_opt : %empty %prec LOWEST { $$ = NULL; } | "'->'" type { $$ = $2; } ;

params : %empty { $$ = (PtrList){ 0 }; } | param_list comma_opt ;
param_list
    : param                  { $$ = (PtrList){ 0 }; ptrlist_push(P->arena, &$$, $1); }
    | param_list "','" param   { $$ = $1; ptrlist_push(P->arena, &$$, $3); }
    ;
param
    : IDENT {
        $$ = ARENA_NEW(P->arena, Param);
        $$->name = $1.s;
        $$->loc = @1;
        $$->type = type_new(P->arena, TY_INFER);
      }
    | IDENT "':'" type {
        $$ = ARENA_NEW(P->arena, Param);
        $$->name = $1.s;
        $$->loc = @1;
        $$->type = $3;
      }
    ;

field_decls
    : field_decl                     { $$ = (PtrList){ 0 }; ptrlist_push(P->arena, &$$, $1); }
    | field_decls "','" field_decl   { $$ = $1; ptrlist_push(P->arena, &$$, $3); }
    ;
field_decl
    : IDENT "':'" type {
        FieldDecl *f = ARENA_NEW(P->arena, FieldDecl);
        f->name = $1.s;
        f->loc = @1;
        f->type = $3;
        $$ = f;
      }
    ;
ctor_list
    : ctor                   { $$ = (PtrList){ 0 }; ptrlist_push(P->arena, &$$, $1); }
    | ctor_list "'|'" ctor   { $$ = $1; ptrlist_push(P->arena, &$$, $3); }
    ;
ctor
    : IDENT {
        Ctor *c = ARENA_NEW(P->arena, Ctor);
        c->name = $1.s;
        c->loc = @1;
        $$ = c;
      }
    | IDENT "'('" type_list comma_opt "')'" {
        Ctor *c = ARENA_NEW(P->arena, Ctor);
        c->name = $1.s;
        c->loc = @1;
        c->nfields = $3.len;
        c->fields = ARENA_ARRAY(P->arena, Type *, $3.len);
        for (int i = 0; i < $3.len; i++)
            c->fields[i] = $3.items[i];
        $$ = c;
      }
    ;

/* ---- types ---- */

type
    : IDENT                   { $$ = named_type(P, $1.s, @1); }
    | IDENT "'.'" IDENT {
        /* m.T: a type of the imported module m (spec 8) */
        $$ = named_type(P, $3.s, @3);
        if ($$->kind != TY_NAMED) {
            $$ = type_new(P->arena, TY_NAMED);
            $$->loc = @3;
            $$->name = $3.s;
        }
        $$->qual = $1.s;
      }
    | type_compound
    ;
type_compound
    : "'('" "')'"                 { $$ = unit_type(P); $$->loc = @1; }
    | "'('" type "')'"            { $$ = $2; }
    | "'('" type "','" type_list comma_opt "')'" {
        PtrList l = { 0 };
        ptrlist_push(P->arena, &l, $2);
        for (int i = 0; i < $4.len; i++)
            ptrlist_push(P->arena, &l, $4.items[i]);
        $$ = compound_type(P, TY_TUPLE, @1, &l, NULL);
      }
    | "'['" type "']'"            { $$ = type_array(P->arena, $2); $$->loc = @1; }
    | "'fn'" "'('" types_opt "')'" ret_opt {
        $$ = compound_type(P, TY_FN, @1, &$3, $5 ? $5 : unit_type(P));
      }
    ;
types_opt : %empty { $$ = (PtrList){ 0 }; } | type_list comma_opt ;
type_list
    : type                { $$ = (PtrList){ 0 }; ptrlist_push(P->arena, &$$, $1); }
    | type_list "','" type  { $$ = $1; ptrlist_push(P->arena, &$$, $3); }
    ;

/* ---- statements ---- */

/* block = '{' [stmt] { sep [stmt] } '}' */
block : "'{'" stmts "'}'"   { $$ = block_expr(P, @1, @3, &$2); } ;

stmts
    : stmt_opt              { $$ = (PtrList){ 0 }; if ($1) ptrlist_push(P->arena, &$$, $1); }
    | stmts sep stmt_opt    { $$ = $1; if ($3) ptrlist_push(P->arena, &$$, $3); }
    ;

stmt_opt
    : %empty  { $$ = NULL; }
    | error   { $$ = NULL; }
    | stmt
    ;

stmt
    : "'let'" pattern annot_opt "'='" expr {
        $$ = stmt_new(P, S_LET, @1, $5);
        $$->pat = $2;
        $$->annot = $3;
      }
    | expr  { $$ = stmt_new(P, S_EXPR, @1, $1); }
    | fndecl {
        diag_error(P->diag, $1->loc, "function declarations are only allowed at top level");
        diag_hint(P->diag, "use a lambda: let %s = fn(...) => ...", $1->name);
        $$ = NULL;
      }
    | "'import'" IDENT {
        diag_error(P->diag, @1, "'import' is only allowed at top level");
        $$ = NULL;
      }
    ;

annot_opt : %empty { $$ = NULL; } | "':'" type { $$ = $2; } ;

pattern
    : IDENT {
        $$ = ARENA_NEW(P->arena, Pattern);
        $$->name = $1.s;
        $$->loc = @1;
      }
    | "'('" pattern "')'"   { $$ = $2; }
    | "'('" pattern "','" pattern_list comma_opt "')'" {
        PtrList l = { 0 };
        ptrlist_push(P->arena, &l, $2);
        for (int i = 0; i < $4.len; i++)
            ptrlist_push(P->arena, &l, $4.items[i]);
        $$ = tuple_pattern(P, @1, &l);
      }
    ;
pattern_list
    : pattern                   { $$ = (PtrList){ 0 }; ptrlist_push(P->arena, &$$, $1); }
    | pattern_list "','" pattern  { $$ = $1; ptrlist_push(P->arena, &$$, $3); }
    ;

/* ---- expressions ---- */

expr
    : expr "'|>'" expr     { $$ = pipe_call(P, $1, $3, @3); }
    | expr "'or'" expr     { $$ = binary(P, OP_OR, @2, $1, $3); }
    | expr "'and'" expr    { $$ = binary(P, OP_AND, @2, $1, $3); }
    | "'not'" expr {
        $$ = mk1(P, E_UNARY, @1, $2);
        $$->u.unary.op = OP_NOT;
        $$->u.unary.operand = $2;
      }
    | expr "'=='" expr     { $$ = binary(P, OP_EQ, @2, $1, $3); }
    | expr "'!='" expr     { $$ = binary(P, OP_NE, @2, $1, $3); }
    | expr "'<'" expr      { $$ = binary(P, OP_LT, @2, $1, $3); }
    | expr "'<='" expr     { $$ = binary(P, OP_LE, @2, $1, $3); }
    | expr "'>'" expr      { $$ = binary(P, OP_GT, @2, $1, $3); }
    | expr "'>='" expr     { $$ = binary(P, OP_GE, @2, $1, $3); }
    | expr "'..'" expr {
        $$ = mk2(P, E_RANGE, @2, $1, $3);
        $$->u.range.lo = $1;
        $$->u.range.hi = $3;
      }
    | expr "'+'" expr      { $$ = binary(P, OP_ADD, @2, $1, $3); }
    | expr "'-'" expr      { $$ = binary(P, OP_SUB, @2, $1, $3); }
    | expr "'*'" expr      { $$ = binary(P, OP_MUL, @2, $1, $3); }
    | expr "'/'" expr      { $$ = binary(P, OP_DIV, @2, $1, $3); }
    | expr "'%'" expr      { $$ = binary(P, OP_MOD, @2, $1, $3); }
    | expr "'&'" expr      { $$ = binary(P, OP_BAND, @2, $1, $3); }
    | expr "'|'" expr      { $$ = binary(P, OP_BOR, @2, $1, $3); }
    | expr "'^'" expr      { $$ = binary(P, OP_BXOR, @2, $1, $3); }
    | expr "'<<'" expr     { $$ = binary(P, OP_SHL, @2, $1, $3); }
    | expr "'>>'" expr     { $$ = binary(P, OP_SHR, @2, $1, $3); }
    | expr "'>>>'" expr    { $$ = binary(P, OP_USHR, @2, $1, $3); }
    | "'-'" expr %prec NEG { $$ = negate(P, @1, $2); }
    | "'~'" expr %prec NEG {
        $$ = mk1(P, E_UNARY, @1, $2);
        $$->u.unary.op = OP_BNOT;
        $$->u.unary.operand = $2;
      }
    | expr "'('" args "')'"  { $$ = call(P, @1, $1, &$3); }
    | expr "'['" expr "']'" {
        $$ = mk2(P, E_INDEX, @2, $1, $3);
        $$->u.index.base = $1;
        $$->u.index.index = $3;
      }
    | expr "'.'" INT {
        $$ = mk1(P, E_FIELD, @2, $1);
        $$->u.field.base = $1;
        if ($3.u > 1000000) {
            diag_error(P->diag, @3, "tuple field index too large");
            $3.u = 0;
        }
        $$->u.field.index = (int)$3.u;
      }
    | expr "'.'" IDENT LBRACE_REC rec_body "'}'" {
        /* m.R { ... }: a record of the imported module m (spec 8) */
        $$ = record_expr(P, $3, @3, &$5);
        if ($1->kind == E_NAME) {
            $$->u.record.qual = $1->u.name.name;
        } else {
            diag_error(P->diag, @3, "a record literal is named by its type, or by a module and its type: m.%s { ... }",
                       $3.s);
        }
      }
    | expr "'.'" IDENT {
        $$ = mk1(P, E_MEMBER, @2, $1);
        $$->u.member.base = $1;
        $$->u.member.name = $3.s;
        $$->u.member.name_loc = @3;
      }
    | "'fn'" "'('" params "')'" ret_opt "'=>'" expr %prec LOWEST {
        $$ = lambda(P, @1, &$3, $5, $7);
      }
    | "'for'" IDENT "'in'" expr "'=>'" expr %prec LOWEST {
        $$ = mk2(P, E_FOR, @1, $4, $6);
        $$->u.for_.var = $2.s;
        $$->u.for_.var_loc = @2;
        $$->u.for_.iter = $4;
        $$->u.for_.body = $6;
      }
    | primary
    ;

primary
    : INT {
        $$ = mk(P, E_INT, @1);
        /* 2^63 only gets here after a unary minus (the lexer checked);
         * negate() turns it back into INT64_MIN's sign */
        $$->u.ival = $1.u > (uint64_t)INT64_MAX ? INT64_MIN : (int64_t)$1.u;
      }
    | FLOAT      { $$ = mk(P, E_FLOAT, @1); $$->u.fval = $1.f; }
    | STRING {
        $$ = mk(P, E_STR, @1);
        $$->u.str.bytes = $1.s;
        $$->u.str.len = $1.len;
      }
    | "'true'"     { $$ = mk(P, E_BOOL, @1); $$->u.bval = true; }
    | "'false'"    { $$ = mk(P, E_BOOL, @1); $$->u.bval = false; }
    | IDENT      { $$ = mk(P, E_NAME, @1); $$->u.name.name = $1.s; }
    | "'('" "')'"    { $$ = mk(P, E_UNIT, @1); }
    | "'('" expr "')'"  { $$ = $2; }
    | "'('" expr "','" expr_list comma_opt "')'" {
        PtrList l = { 0 };
        ptrlist_push(P->arena, &l, $2);
        for (int i = 0; i < $4.len; i++)
            ptrlist_push(P->arena, &l, $4.items[i]);
        $$ = list_expr(P, E_TUPLE, @1, &l);
      }
    | IDENT LBRACE_REC rec_body "'}'"  { $$ = record_expr(P, $1, @1, &$3); }

    | "'match'" expr "'{'" arms "'}'"  { $$ = match_expr(P, @1, $2, &$4); }
    | "'['" "']'"    { PtrList l = { 0 }; $$ = list_expr(P, E_ARRAY, @1, &l); }
    | "'['" expr_list comma_opt "']'"  { $$ = list_expr(P, E_ARRAY, @1, &$2); }
    | block
    | if_expr
    ;

/* if_expr = 'if' expr block ['else' (block | if_expr)] */
if_expr
    : "'if'" expr block {
        $$ = mk2(P, E_IF, @1, $2, $3);
        $$->u.if_.cond = $2;
        $$->u.if_.then_ = $3;
      }
    | "'if'" expr block "'else'" block {
        $$ = mk3(P, E_IF, @1, $2, $3, $5);
        $$->u.if_.cond = $2;
        $$->u.if_.then_ = $3;
        $$->u.if_.else_ = $5;
      }
    | "'if'" expr block "'else'" if_expr {
        $$ = mk3(P, E_IF, @1, $2, $3, $5);
        $$->u.if_.cond = $2;
        $$->u.if_.then_ = $3;
        $$->u.if_.else_ = $5;
      }
    ;

/* record literals: Name { f: e, ..., ..base } */
rec_body : %empty { $$ = (PtrList){ 0 }; } | rec_items comma_opt ;
rec_items
    : rec_item                  { $$ = (PtrList){ 0 }; ptrlist_push(P->arena, &$$, $1); }
    | rec_items "','" rec_item  { $$ = $1; ptrlist_push(P->arena, &$$, $3); }
    ;
rec_item
    : IDENT "':'" expr {
        FieldInit *f = ARENA_NEW(P->arena, FieldInit);
        f->name = $1.s;
        f->loc = @1;
        f->value = $3;
        $$ = f;
      }
    | "'..'" expr {
        FieldInit *f = ARENA_NEW(P->arena, FieldInit);
        f->loc = @1;
        f->value = $2;
        $$ = f;
      }
    ;

/* match arms, separated by ',' or newlines */
arms
    : seps_opt                  { $$ = (PtrList){ 0 }; }
    | seps_opt arm_list         { $$ = $2; }
    | seps_opt arm_list seps    { $$ = $2; }
    | seps_opt arm_list "','"   { $$ = $2; }
    | seps_opt arm_list "','" seps { $$ = $2; }
    ;
seps : sep | seps sep ;
arm_list
    : arm                       { $$ = (PtrList){ 0 }; ptrlist_push(P->arena, &$$, $1); }
    | arm_list seps arm         { $$ = $1; ptrlist_push(P->arena, &$$, $3); }
    | arm_list "','" arm        { $$ = $1; ptrlist_push(P->arena, &$$, $3); }
    | arm_list "','" seps arm   { $$ = $1; ptrlist_push(P->arena, &$$, $4); }
    ;
arm
    : mpat guard_opt "'=>'" expr {
        MatchArm *a = ARENA_NEW(P->arena, MatchArm);
        a->pat = $1;
        a->guard = $2;
        a->body = $4;
        a->loc = @1;
        $$ = a;
      }
    ;
guard_opt : %empty { $$ = NULL; } | "'if'" expr { $$ = $2; } ;

mpat
    : IDENT                                  { $$ = name_pat(P, $1, @1); }
    | IDENT "'('" mpat_list comma_opt "')'" {
        $$ = name_pat(P, $1, @1);
        if ($$->kind != PAT_CTOR) {
            diag_error(P->diag, @1, "'%s' is not a constructor: constructors start with an upper-case letter", $1.s);
            $$->kind = PAT_CTOR;
            $$->name = $1.s;
        }
        $$->n = $3.len;
        $$->items = pat_array(P, &$3);
      }
    | IDENT LBRACE_REC fpats "'}'"           { $$ = record_pat(P, $1, @1, &$3); }
    | IDENT "'.'" IDENT                      { $$ = qual_pat(P, $1, name_pat(P, $3, @3), false); }
    | IDENT "'.'" IDENT "'('" mpat_list comma_opt "')'" {
        $$ = qual_pat(P, $1, name_pat(P, $3, @3), true);
        $$->n = $5.len;
        $$->items = pat_array(P, &$5);
      }
    | IDENT "'.'" IDENT LBRACE_REC fpats "'}'" { $$ = qual_pat(P, $1, record_pat(P, $3, @3, &$5), false); }
    | INT {
        $$ = pat_new(P, PAT_INT, @1);
        $$->ival = $1.u > (uint64_t)INT64_MAX ? INT64_MIN : (int64_t)$1.u;
      }
    | "'-'" INT {
        $$ = pat_new(P, PAT_INT, @1);
        $$->ival = (int64_t)(0 - $2.u);
      }
    | STRING {
        $$ = pat_new(P, PAT_STR, @1);
        $$->str.bytes = $1.s;
        $$->str.len = $1.len;
      }
    | mpat "'|'" mpat {
        /* not in the language (spec 5): reported once, the parse goes on */
        diag_error(P->diag, @2, "a pattern cannot have alternatives ('|')");
        diag_hint(P->diag, "write an arm for each alternative");
        $$ = $1;
      }
    | "'true'"   { $$ = pat_new(P, PAT_BOOL, @1); $$->bval = true; }
    | "'false'"  { $$ = pat_new(P, PAT_BOOL, @1); $$->bval = false; }
    | "'('" mpat "')'"  { $$ = $2; }
    | "'('" mpat "','" mpat_list comma_opt "')'" {
        PtrList l = { 0 };
        ptrlist_push(P->arena, &l, $2);
        for (int i = 0; i < $4.len; i++)
            ptrlist_push(P->arena, &l, $4.items[i]);
        $$ = pat_new(P, PAT_TUPLE, @1);
        $$->n = l.len;
        $$->items = pat_array(P, &l);
      }
    ;
mpat_list
    : mpat                    { $$ = (PtrList){ 0 }; ptrlist_push(P->arena, &$$, $1); }
    | mpat_list "','" mpat    { $$ = $1; ptrlist_push(P->arena, &$$, $3); }
    ;
fpats : %empty { $$ = (PtrList){ 0 }; } | fpat_list comma_opt ;
fpat_list
    : fpat                    { $$ = (PtrList){ 0 }; ptrlist_push(P->arena, &$$, $1); }
    | fpat_list "','" fpat    { $$ = $1; ptrlist_push(P->arena, &$$, $3); }
    ;
fpat
    : IDENT {
        FieldPat *f = ARENA_NEW(P->arena, FieldPat);
        f->name = $1.s;
        f->loc = @1;
        f->pat = name_pat(P, $1, @1);
        $$ = f;
      }
    | IDENT "':'" mpat {
        FieldPat *f = ARENA_NEW(P->arena, FieldPat);
        f->name = $1.s;
        f->loc = @1;
        f->pat = $3;
        $$ = f;
      }
    | "'..'" {
        FieldPat *f = ARENA_NEW(P->arena, FieldPat);
        f->loc = @1;
        $$ = f;
      }
    ;

args : %empty { $$ = (PtrList){ 0 }; } | expr_list comma_opt ;
expr_list
    : expr                { $$ = (PtrList){ 0 }; ptrlist_push(P->arena, &$$, $1); }
    | expr_list "','" expr  { $$ = $1; ptrlist_push(P->arena, &$$, $3); }
    ;

%%

/* ---- syntax error messages ---- */

/* Tokens that can start an expression: when all the literal kinds are
 * expected, the message says "expression" instead of listing them. */
static bool starts_expr(yysymbol_kind_t k)
{
    switch (k) {
    case YYSYMBOL_IDENT: case YYSYMBOL_INT: case YYSYMBOL_FLOAT: case YYSYMBOL_STRING:
    case YYSYMBOL_KW_TRUE: case YYSYMBOL_KW_FALSE: case YYSYMBOL_LPAREN:
    case YYSYMBOL_LBRACK: case YYSYMBOL_LBRACE: case YYSYMBOL_MINUS: case YYSYMBOL_TILDE: case YYSYMBOL_KW_NOT:
    case YYSYMBOL_KW_FN: case YYSYMBOL_KW_IF: case YYSYMBOL_KW_FOR: case YYSYMBOL_KW_MATCH:
        return true;
    default:
        return false;
    }
}

/* When many tokens would do, these are the ones worth naming. */
static bool structural(yysymbol_kind_t k)
{
    switch (k) {
    case YYSYMBOL_RPAREN: case YYSYMBOL_RBRACK: case YYSYMBOL_RBRACE: case YYSYMBOL_COMMA:
    case YYSYMBOL_NEWLINE: case YYSYMBOL_FATARROW: case YYSYMBOL_ASSIGN:
    case YYSYMBOL_KW_IN: case YYSYMBOL_LBRACE:
        return true;
    default:
        return false;
    }
}

static yysymbol_kind_t closer_symbol(char open)
{
    return open == '(' ? YYSYMBOL_RPAREN : open == '[' ? YYSYMBOL_RBRACK : YYSYMBOL_RBRACE;
}

static void describe_lookahead(Parser *P, yysymbol_kind_t k, char *buf, size_t size)
{
    const Lexer *L = &P->lex;
    switch (k) {
    case YYSYMBOL_IDENT:
        snprintf(buf, size, "identifier '%.*s'", (int)(L->tok_len > 60 ? 60 : L->tok_len), L->tok_start);
        break;
    case YYSYMBOL_INT: case YYSYMBOL_FLOAT:
        snprintf(buf, size, "number %.*s", (int)(L->tok_len > 60 ? 60 : L->tok_len), L->tok_start);
        break;
    default:
        snprintf(buf, size, "%s", yysymbol_name(k));
    }
}

/* What another language's habit a syntax error comes from, as rustc
 * names them: the identifier just before the unexpected token (`return
 * n`, `while i < 3`, `var x`, `let mut x`), or '=' where '==' was meant. */
static const struct {
    const char *word, *hint;
} habits[] = {
    {"return", "PEL has no 'return': a function's value is the last expression of its body; write the value alone"},
    {"while", "PEL has no loops that change variables: use a for comprehension (for i in 0..n => ...), a fold "
              "(sum, reduce) or a recursive function"},
    {"loop", "PEL has no loops that change variables: use a for comprehension, a fold or a recursive function"},
    {"var", "PEL's bindings do not change: write 'let NAME = ...', and a new 'let' for a new value"},
    {"const", "write 'let NAME = ...': every PEL binding is constant"},
    {"mut", "PEL's bindings do not change: drop 'mut'; a new 'let' of the same name shadows the old one"},
    {"def", "functions are declared with 'fn NAME(param: type) -> type = body'"},
    {"function", "functions are declared with 'fn NAME(param: type) -> type = body'"},
    {"func", "functions are declared with 'fn NAME(param: type) -> type = body'"},
};

/* the hint for a habit at this error, or NULL; `stmt_end` when the
 * statement could have ended here (a newline was expected) */
static const char *habit_hint(const Parser *P, yysymbol_kind_t la, bool stmt_end)
{
    const Lexer *L = &P->lex;
    /* after a value, '=' can only be a mistake: `x = x + 1` as a
     * statement, `if x = 3` in a condition */
    if (la == YYSYMBOL_ASSIGN && lexer_ends_stmt(L->prev))
        return stmt_end ? "PEL has no assignment: bindings do not change; 'let x = ...' makes a new binding "
                          "of the name"
                        : "to compare, write '=='";
    if (L->prev != T_IDENT || !L->prev_start)
        return NULL;
    for (size_t i = 0; i < sizeof habits / sizeof habits[0]; i++)
        if (strlen(habits[i].word) == L->prev_len && memcmp(habits[i].word, L->prev_start, L->prev_len) == 0)
            return habits[i].hint;
    return NULL;
}

static int yyreport_syntax_error(const yypcontext_t *ctx, Parser *P)
{
    yysymbol_kind_t la = yypcontext_token(ctx);
    /* already reported by the lexer, or invented by its recovery */
    if (la == YYSYMBOL_ERROR || P->lex.synthetic || P->lex.stop)
        return 0;

    yysymbol_kind_t exp[YYNTOKENS];
    int n = yypcontext_expected_tokens(ctx, exp, YYNTOKENS);
    if (n < 0)
        n = 0;

    /* collapse the expression starters, and ';' into newline; right after
     * a separator, another one is always possible and not worth naming */
    bool after_sep = P->lex.prev == T_NEWLINE || P->lex.prev == T_SEMI;
    bool want_expr = false, has_nl = false;
    for (int i = 0; i < n; i++) {
        if (exp[i] == YYSYMBOL_INT) /* INT only ever starts an expression */
            want_expr = true;
        if (exp[i] == YYSYMBOL_NEWLINE)
            has_nl = true;
    }
    /* where a statement may start, 'let' and 'import' (the latter only
     * there for its error message) fold into "statement" */
    bool want_stmt = false;
    for (int i = 0; i < n; i++)
        if (want_expr && exp[i] == YYSYMBOL_KW_LET)
            want_stmt = true;
    /* at the end of the file only the missing closer is worth naming */
    const Lexer *L = &P->lex;
    bool closer = false;
    if (L->has_open_before)
        for (int j = 0; j < n; j++)
            if (exp[j] == closer_symbol(L->open_before.ch))
                closer = true;
    if (closer && la == YYSYMBOL_YYEOF) {
        exp[0] = closer_symbol(L->open_before.ch);
        n = 1;
        want_expr = want_stmt = false;
    }
    yysymbol_kind_t keep[YYNTOKENS];
    int m = 0;
    for (int i = 0; i < n; i++) {
        if (want_expr && starts_expr(exp[i]))
            continue;
        if (want_stmt && (exp[i] == YYSYMBOL_KW_LET || exp[i] == YYSYMBOL_KW_IMPORT))
            continue;
        if ((has_nl || after_sep) && exp[i] == YYSYMBOL_SEMI)
            continue;
        if (after_sep && exp[i] == YYSYMBOL_NEWLINE)
            continue;
        keep[m++] = exp[i];
    }
    int total = m + (want_expr ? 1 : 0);
    if (total > 4) {
        int s = 0;
        for (int i = 0; i < m; i++)
            if (structural(keep[i]))
                keep[s++] = keep[i];
        m = s;
        want_expr = false;
        if (m > 4)
            m = 0;
    }

    /* `a < b < c`: the comparison operators do not associate (spec 5) */
    bool is_cmp = la == YYSYMBOL_EQEQ || la == YYSYMBOL_NE || la == YYSYMBOL_LT
                  || la == YYSYMBOL_LE || la == YYSYMBOL_GT || la == YYSYMBOL_GE;
    if (is_cmp && !want_expr && P->lex.prev != T_NEWLINE) {
        diag_error(P->diag, *yypcontext_location(ctx), "comparison operators cannot be chained");
        diag_hint(P->diag, "write 'a < b and b < c', or add parentheses");
        return 0;
    }

    char what[96];
    describe_lookahead(P, la, what, sizeof what);
    char msg[512];
    int len = snprintf(msg, sizeof msg, "unexpected %s", what);
    int count = m + (want_expr ? 1 : 0);
    int i = 0;
    for (int j = 0; j < count && len < (int)sizeof msg; j++) {
        const char *name = j == 0 && want_expr ? (want_stmt ? "statement" : "expression")
                                               : yysymbol_name(keep[i++]);
        const char *sepr = j == 0 ? ", expected " : j == count - 1 ? " or " : ", ";
        len += snprintf(msg + len, sizeof msg - (size_t)len, "%s%s", sepr, name);
    }

    /* a habit of another language: the hint says what to write instead,
     * and the brackets the statement could have closed are beside the
     * point */
    const char *habit = habit_hint(P, la, has_nl || after_sep || closer);
    char plain[128];
    snprintf(plain, sizeof plain, "unexpected %s", what);
    if (habit)
        closer = false;
    /* name the unclosed bracket when its closer would have done */
    Loc at = *yypcontext_location(ctx);
    if (closer && len < (int)sizeof msg)
        snprintf(msg + len, sizeof msg - (size_t)len, " (to close '%c' at line %d)",
                 L->open_before.ch, L->open_before.loc.line);
    if (habit)
        diag_error(P->diag, at, "%s", plain);
    else
        diag_error(P->diag, at, "%s", msg);
    if (habit)
        diag_hint(P->diag, "%s", habit);
    if (la != YYSYMBOL_YYEOF && la != YYSYMBOL_NEWLINE && la != YYSYMBOL_SEMI && la != YYSYMBOL_RPAREN
        && la != YYSYMBOL_RBRACK && la != YYSYMBOL_RBRACE)
        lexer_skip_statement(&P->lex, la == YYSYMBOL_LPAREN || la == YYSYMBOL_LBRACK || la == YYSYMBOL_LBRACE
                                          || la == YYSYMBOL_LBRACE_REC);
    if (closer && L->open_before.loc.line != at.line)
        diag_note(P->diag, L->open_before.loc, "'%c' opened here", L->open_before.ch);
    /* a closer that does not match the innermost bracket: point at it */
    yysymbol_kind_t want_close = L->has_open_before ? closer_symbol(L->open_before.ch) : la;
    if (!closer && want_close != la
        && (la == YYSYMBOL_RPAREN || la == YYSYMBOL_RBRACK || la == YYSYMBOL_RBRACE))
        diag_note(P->diag, L->open_before.loc, "unclosed '%c' opened here", L->open_before.ch);
    return 0;
}

/* ---- entry points (parse.h) ---- */

static void parser_init(Parser *P, Arena *a, Diag *d, SrcFile *f, int start)
{
    memset(P, 0, sizeof *P);
    lexer_init(&P->lex, a, d, f);
    P->arena = a;
    P->diag = d;
    P->start_token = start;
}

Module *parse_module(Arena *a, Diag *d, SrcFile *f, const char *modname)
{
    Parser P;
    parser_init(&P, a, d, f, T_START_MODULE);
    yyparse(&P);
    Module *m = ARENA_NEW(a, Module);
    m->name = modname;
    m->file = f;
    m->nfns = P.fns.len;
    m->fns = ARENA_ARRAY(a, FnDecl *, P.fns.len);
    for (int i = 0; i < P.fns.len; i++)
        m->fns[i] = P.fns.items[i];
    m->nimports = P.imports.len;
    m->imports = ARENA_ARRAY(a, Import *, P.imports.len);
    for (int i = 0; i < P.imports.len; i++)
        m->imports[i] = P.imports.items[i];
    m->ntypes = P.types.len;
    m->types = ARENA_ARRAY(a, TypeDecl *, P.types.len);
    for (int i = 0; i < P.types.len; i++)
        m->types[i] = P.types.items[i];
    return m;
}

Expr *parse_expr(Arena *a, Diag *d, SrcFile *f)
{
    Parser P;
    parser_init(&P, a, d, f, T_START_EXPR);
    int errors = d->errors;
    if (yyparse(&P) != 0 || d->errors != errors)
        return NULL;
    return P.expr;
}

Expr *parse_stmts(Arena *a, Diag *d, SrcFile *f)
{
    Parser P;
    parser_init(&P, a, d, f, T_START_STMTS);
    int errors = d->errors;
    if (yyparse(&P) != 0 || d->errors != errors)
        return NULL;
    return P.expr;
}
