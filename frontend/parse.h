/* parse.h — source files in, syntax trees out (re2c lexer + Bison parser). */
#ifndef PEL_PARSE_H
#define PEL_PARSE_H

#include "ast.h"
#include "diag.h"

/* Reads a source file. On failure (missing, a directory, unreadable, NUL
 * bytes or other binary content, larger than PEL_MAX_SOURCE bytes) reports
 * "TOOL: error: <path>: reason" through d and returns NULL. */
#define PEL_MAX_SOURCE (64u << 20)
SrcFile *src_load(Arena *a, Diag *d, const char *path);
/* Wraps text already in memory (REPL lines, -e expressions, tests). */
SrcFile *src_from_string(Arena *a, const char *path, const char *text);

/* Parses a whole file. Reports every syntax error through d (the parser
 * recovers at statement and declaration boundaries) and returns the module,
 * possibly partial; check d->errors before using it. */
Module *parse_module(Arena *a, Diag *d, SrcFile *f, const char *modname);

/* Parses one expression that must fill the whole text (pel -e, tests). */
Expr *parse_expr(Arena *a, Diag *d, SrcFile *f);

/* ---- the REPL (pel): one input at a time ---- */

/* Parses statements as inside a block, without the braces (a REPL line:
 * `let x = 1; x + 1`). Returns an E_BLOCK, or NULL after reporting errors. */
Expr *parse_stmts(Arena *a, Diag *d, SrcFile *f);

typedef enum InputKind {
    INPUT_EMPTY, /* only blanks and comments */
    INPUT_DECLS, /* starts with 'fn NAME', 'type', 'extern', 'export' or 'import' */
    INPUT_STMTS, /* anything else: statements for parse_stmts */
} InputKind;
typedef struct InputShape {
    InputKind kind;
    /* a bracket is still open, or the last token cannot end a statement
     * (an operator, ',', '=', '->', ...): the input goes on on the next line */
    bool needs_more;
} InputShape;
/* Decided by the lexer's tokens, so brackets and operators inside strings
 * and comments do not count. Lexical errors make the input complete (the
 * parser reports them); nothing is printed. */
InputShape parse_input_shape(const char *text);
/* The same, fed one line at a time (each line is lexed once): the shape
 * of all the lines fed so far. */
typedef struct InputScan InputScan;
InputScan *input_scan_new(void); /* NULL when out of memory */
InputShape input_scan_line(InputScan *s, const char *line);
void input_scan_free(InputScan *s);

/* ---- tokens, for the lexer's unit tests ---- */
typedef struct Token {
    int kind;       /* a Bison token number (parser.h), 0 at end of input */
    Loc loc;
    const char *start;
    size_t len;
} Token;
/* Lexes the whole file into a list (arena), ending with a kind-0 token;
 * returns its length. Lexical errors come back as ERROR tokens and are
 * reported through d. */
int lex_all(Arena *a, Diag *d, SrcFile *f, Token **out);

#endif
