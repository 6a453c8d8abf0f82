/* input_shape.c — what the REPL must know about an input before parsing
 * it: is it finished, and is it definitions or statements (parse.h).
 *
 * The lexer answers rather than a scan of the characters, so a '(' in a
 * string or a comment is not a bracket, and the statement-ending rule is
 * the very one the parser sees (spec 2: a line that ends in an operator or
 * ',' continues).
 *
 * A REPL reads an input line by line and asks after each line; lexing the
 * whole input again every time would be quadratic in its length (a long
 * pasted array literal). InputScan lexes each line once instead, carrying
 * over what a line of PEL inherits from the lines before it: the open
 * brackets and the last tokens (strings and comments never span lines).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lex_support.h"

struct InputScan {
    FILE *sink; /* lexical errors are the parser's to report, later */
    char *sink_buf;
    size_t sink_len;
    Diag d;
    Bracket stack[PEL_MAX_NESTING];
    int depth;
    int last, prev;           /* the lexer's memory of the last tokens */
    int first, second, final; /* the input's first two and last real tokens */
    bool stop;
    bool started; /* a line was scanned: the next one is not the input's start */
};

InputScan *input_scan_new(void)
{
    InputScan *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->sink = open_memstream(&s->sink_buf, &s->sink_len);
    if (!s->sink) {
        free(s);
        return NULL;
    }
    diag_init(&s->d, s->sink, "pel");
    s->last = s->prev = -1;
    s->first = s->second = s->final = -1;
    return s;
}

void input_scan_free(InputScan *s)
{
    if (!s)
        return;
    fclose(s->sink);
    free(s->sink_buf);
    free(s);
}

static InputShape shape_of(const InputScan *s)
{
    InputShape shape = { INPUT_EMPTY, false };
    if (s->first < 0)
        return shape;
    bool decl = (s->first == T_KW_FN && s->second == T_IDENT) || s->first == T_KW_EXTERN ||
                s->first == T_KW_EXPORT || s->first == T_KW_IMPORT || s->first == T_KW_TYPE;
    shape.kind = decl ? INPUT_DECLS : INPUT_STMTS;
    shape.needs_more = s->d.errors == 0 && !s->stop &&
                       (s->depth > 0 || (!lexer_ends_stmt(s->final) && s->final != T_SEMI));
    return shape;
}

/* Lexes text (one line or more) as the continuation of what s has seen. */
static void scan_text(InputScan *s, const char *text)
{
    if (s->d.errors || s->stop)
        return; /* the input is complete already */
    Arena arena = { 0 };
    SrcFile *f;
    if (!s->started) {
        f = src_from_string(&arena, "<input>", text);
    } else {
        /* Not through src_from_string, which drops a BOM at the start: only
         * the input's first line may begin with one. Later in the input the
         * parser sees it as a character, an error (as parse_input_shape
         * does for the same text whole). */
        f = ARENA_NEW(&arena, SrcFile);
        *f = (SrcFile){ .path = "<input>", .text = text, .len = strlen(text), .arena = &arena };
    }
    s->started = true;
    Lexer L;
    lexer_init(&L, &arena, &s->d, f);
    memcpy(L.stack, s->stack, sizeof(Bracket) * (size_t)s->depth);
    L.depth = s->depth;
    L.last = s->last;
    L.prev = s->prev;
    for (;;) {
        YYSTYPE val;
        Loc loc;
        /* the end of this text is not a token of the input: the next line
         * goes on after the tokens before it (a lambda may start a line
         * after '=' or '=>', lexer.re's keyword()) */
        int last = L.last, prev = L.prev;
        int kind = lexer_next(&L, &val, &loc);
        if (kind == 0) {
            L.last = last;
            L.prev = prev;
        }
        if (s->d.errors > 0) {
            /* the parser will report it: statements unless they began as
             * definitions */
            if (s->first < 0)
                s->first = T_ERROR;
            break;
        }
        if (kind == 0)
            break;
        if (kind == T_NEWLINE)
            continue;
        if (s->first < 0)
            s->first = kind;
        else if (s->second < 0)
            s->second = kind;
        s->final = kind;
    }
    s->stop = L.stop;
    s->depth = L.depth;
    s->last = L.last;
    s->prev = L.prev;
    /* the brackets' locations point into this line's text, freed now */
    for (int i = 0; i < s->depth; i++) {
        s->stack[i] = L.stack[i];
        s->stack[i].loc.file = NULL;
    }
    arena_free(&arena);
}

InputShape input_scan_line(InputScan *s, const char *line)
{
    size_t n = strlen(line);
    char *text = malloc(n + 2);
    if (!text)
        return (InputShape){ INPUT_STMTS, false };
    memcpy(text, line, n);
    text[n] = '\n';
    text[n + 1] = 0;
    scan_text(s, text);
    free(text);
    return shape_of(s);
}

InputShape parse_input_shape(const char *text)
{
    InputScan *s = input_scan_new();
    if (!s)
        return (InputShape){ INPUT_STMTS, false };
    scan_text(s, text);
    InputShape shape = shape_of(s);
    input_scan_free(s);
    return shape;
}
