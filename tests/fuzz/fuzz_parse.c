/* fuzz_parse.c — the lexer and the parser on any text.
 *
 * Each input goes through the three entry points of parse.h: a whole file
 * (parse_module, pelc and pel), a REPL input (parse_stmts) and one
 * expression (parse_expr, pel -e), each in an arena of its own that is
 * freed at once, so a leak shows. A module parsed without errors is also
 * dumped (ast_dump.c walks every node). Nothing must crash, hang or
 * overflow the stack: the nesting limits (PEL_MAX_NESTING) make deep input
 * an error.
 */
#include "fuzz_common.h"

#include "ast_dump.h"
#include "parse.h"

#define MAX_INPUT (64u << 10)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size, MAX_INPUT);
    if (!text)
        return -1;
    FILE *null = fuzz_devnull();

    Arena a = { 0 };
    Diag d;
    diag_init(&d, null, "pelc");
    SrcFile *f = src_from_string(&a, "fuzz.pel", text);
    Module *m = parse_module(&a, &d, f, "main");
    if (!m && d.errors == 0)
        FUZZ_BUG("parse_module returned NULL without an error");
    if (m && d.errors == 0)
        ast_dump_module(null, m);
    arena_free(&a);

    diag_init(&d, null, "pel");
    f = src_from_string(&a, "<repl>", text);
    Expr *e = parse_stmts(&a, &d, f);
    if (!e && d.errors == 0)
        FUZZ_BUG("parse_stmts returned NULL without an error");
    if (e && d.errors == 0)
        ast_dump_expr(null, e);
    arena_free(&a);

    diag_init(&d, null, "pel");
    f = src_from_string(&a, "<expr>", text);
    e = parse_expr(&a, &d, f);
    if (e && d.errors == 0)
        ast_dump_expr(null, e);
    arena_free(&a);

    free(text);
    return 0;
}
