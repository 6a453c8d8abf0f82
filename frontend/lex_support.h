/* lex_support.h — the lexer state shared by lexer.re and parser.y.
 *
 * Private to the frontend: the tools see parse.h only. All state lives in a
 * Lexer value so several files (imports, the REPL) can be lexed at once.
 */
#ifndef PEL_LEX_SUPPORT_H
#define PEL_LEX_SUPPORT_H

#include "parse.h"
#include "parser.h" /* token numbers T_*, YYSTYPE */

/* An open bracket: its character and where it was opened, for
 * "expected '}' (to close '{' at line N)". */
typedef struct Bracket {
    char ch;
    bool record; /* the '{' of a record literal, pattern or type: no newlines inside */
    Loc loc;
} Bracket;

typedef struct Lexer {
    Arena *arena;
    Diag *diag;
    const SrcFile *file;
    const unsigned char *cur, *lim, *tok, *line_start;
    int line;

    /* The last two tokens returned: the newline rule looks at the last, a
     * '-' before 9223372036854775808 is unary when the one before it cannot
     * end an expression. */
    int last, prev;

    Bracket *stack; /* PEL_MAX_NESTING entries */
    int depth;
    /* The innermost open bracket before the last token was read; the parser
     * names it when a closing bracket is among the expected tokens. */
    Bracket open_before;
    bool has_open_before;

    Loc nl_loc;   /* where the NEWLINE token being returned stands */
    Loc last_end; /* just after the last real token */

    bool synthetic;   /* the last token was invented by recovery */
    bool stop;        /* nesting limit or too many errors: only EOF now */
    bool suppress_nl; /* '}' newline 'else' was reported: glue the lines */

    /* Recovery from an unclosed bracket (see begin_recovery in lexer.re):
     * close brackets down to close_to, send a newline, then the held token. */
    bool recovering, nl_sent, force_nl;
    int close_to;
    int held_kind;
    Loc held_loc;
    const unsigned char *held_start;
    size_t held_len;

    /* v0.2 records: the last token's text was an upper-case identifier
     * (a type or constructor name, spec 2); the depths at which an `if`
     * condition or a `match` scrutinee is open, where `Name {` opens the
     * block, not a record (spec 3.1); and whether a `type` declaration is
     * being read (its braces are a record's, a line starting with `|`
     * continues it) */
    bool last_upper;
    int *norec;
    int nnorec;
    bool in_type;

    /* the text of the last token, for lex_all */
    const char *tok_start;
    size_t tok_len;
    /* the text of the token before it (`prev`): the parser's error names
     * the habit of another language it was (`return`, `while`, `var`) */
    const char *prev_start;
    size_t prev_len;
    /* >= 0 after a syntax error: tokens are passed over until the
     * statement ends at this bracket depth (lexer_next) */
    int skip_depth;
} Lexer;

/* Deepest nesting of brackets or sub-expressions the parser accepts; the
 * later passes walk the tree recursively and must not run out of stack. */
#define PEL_MAX_NESTING 1000

void lexer_init(Lexer *L, Arena *a, Diag *d, const SrcFile *f);
/* Returns the next token's kind (0 at end of input), its value and loc. */
int lexer_next(Lexer *L, YYSTYPE *val, Loc *loc);
/* The parser reported a syntax error at the token just read: pass over
 * the rest of its statement (see lexer_next). */
void lexer_skip_statement(Lexer *L, bool lookahead_opens);
/* True for the tokens after which a newline ends a statement. */
bool lexer_ends_stmt(int kind);

#endif
