/* input_shape.c — what the REPL must know about an input before parsing
 * it: is it finished, and is it definitions or statements (parse.h).
 *
 * The lexer answers rather than a scan of the characters, so a '(' in a
 * string or a comment is not a bracket, and the statement-ending rule is
 * the very one the parser sees (spec 2: a line that ends in an operator or
 * ',' continues).
 */
#include <stdio.h>
#include <stdlib.h>

#include "lex_support.h"

InputShape parse_input_shape(const char *text)
{
    InputShape shape = { INPUT_EMPTY, false };
    /* Lexical errors are the parser's to report, later; here they only
     * end the input. */
    char *sink_buf = NULL;
    size_t sink_len = 0;
    FILE *sink = open_memstream(&sink_buf, &sink_len);
    if (!sink)
        return (InputShape){ INPUT_STMTS, false };
    Diag d;
    diag_init(&d, sink);
    Arena arena = { 0 };
    SrcFile *f = src_from_string(&arena, "<input>", text);
    Lexer L;
    lexer_init(&L, &arena, &d, f);

    int first = -1, second = -1, last = -1, depth = 0;
    for (;;) {
        YYSTYPE val;
        Loc loc;
        int kind = lexer_next(&L, &val, &loc);
        if (d.errors > 0) {
            /* the parser will report it: statements unless they began as
             * definitions */
            if (first < 0)
                first = T_ERROR;
            break;
        }
        if (kind == 0)
            break;
        if (kind == T_NEWLINE)
            continue;
        if (first < 0)
            first = kind;
        else if (second < 0)
            second = kind;
        last = kind;
        depth = L.depth;
    }
    if (first >= 0) {
        bool decl = (first == T_KW_FN && second == T_IDENT) || first == T_KW_EXTERN ||
                    first == T_KW_EXPORT || first == T_KW_IMPORT;
        shape.kind = decl ? INPUT_DECLS : INPUT_STMTS;
        shape.needs_more = d.errors == 0 && !L.stop &&
                           (depth > 0 || (!lexer_ends_stmt(last) && last != T_SEMI));
    }
    fclose(sink);
    free(sink_buf);
    arena_free(&arena);
    return shape;
}
