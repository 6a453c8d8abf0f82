/* test_input_shape.c — the REPL's view of an input (parse_input_shape and
 * the line-by-line InputScan): finished or not, definitions or statements.
 * Every case is checked both ways; the two must agree. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "parse.h"

/* The shape of text fed line by line to an InputScan. */
static InputShape by_lines(const char *text)
{
    InputScan *s = input_scan_new();
    assert_non_null(s);
    InputShape shape = { INPUT_EMPTY, false };
    char *copy = strdup(text);
    char *p = copy;
    for (;;) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = 0;
        shape = input_scan_line(s, p);
        if (!nl || !nl[1])
            break;
        p = nl + 1;
    }
    free(copy);
    input_scan_free(s);
    return shape;
}

static void expect(const char *text, InputKind kind, bool more)
{
    InputShape whole = parse_input_shape(text), lines = by_lines(text);
    if (whole.kind != kind || whole.needs_more != more)
        fail_msg("parse_input_shape(\"%s\"): kind %d more %d, expected %d %d", text, whole.kind,
                 whole.needs_more, kind, more);
    if (lines.kind != kind || lines.needs_more != more)
        fail_msg("by lines (\"%s\"): kind %d more %d, expected %d %d", text, lines.kind,
                 lines.needs_more, kind, more);
}

static void test_complete_expressions(void **state)
{
    (void)state;
    expect("1 + 2", INPUT_STMTS, false);
    expect("f(x)", INPUT_STMTS, false);
    expect("[1, 2]", INPUT_STMTS, false);
    expect("let x = 1", INPUT_STMTS, false);
    expect("x; y;", INPUT_STMTS, false);
    expect("fn(x: i64) => x", INPUT_STMTS, false); /* a lambda, not a definition */
}

static void test_open_brackets_continue(void **state)
{
    (void)state;
    expect("f(1,", INPUT_STMTS, true);
    expect("[1,\n 2,", INPUT_STMTS, true);
    expect("[1,\n 2]", INPUT_STMTS, false);
    expect("fn f() {\n  let a = 1", INPUT_DECLS, true);
    expect("fn f() {\n  let a = 1\n  a\n}", INPUT_DECLS, false);
    expect("{ (", INPUT_STMTS, true);
}

static void test_trailing_operator_continues(void **state)
{
    (void)state;
    expect("1 +", INPUT_STMTS, true);
    expect("1 +\n2", INPUT_STMTS, false);
    expect("xs |>", INPUT_STMTS, true);
    expect("fn f(x: i64) -> i64 =", INPUT_DECLS, true);
    expect("let x =", INPUT_STMTS, true);
    expect("a and", INPUT_STMTS, true);
}

static void test_strings_and_comments_do_not_count(void **state)
{
    (void)state;
    expect("\"((( [[\"", INPUT_STMTS, false);
    expect("len(\"a,\") # ( [ {", INPUT_STMTS, false);
    expect("1 # +", INPUT_STMTS, false);
    expect("# only a comment", INPUT_EMPTY, false);
    expect("", INPUT_EMPTY, false);
    expect("   \n\n", INPUT_EMPTY, false);
}

static void test_definitions(void **state)
{
    (void)state;
    expect("fn f() = 1", INPUT_DECLS, false);
    expect("extern fn cbrt(x: f64) -> f64", INPUT_DECLS, false);
    expect("export fn g() -> i64 = 1", INPUT_DECLS, false);
    expect("import stats", INPUT_DECLS, false);
    expect("# comment first\nfn f() = 1", INPUT_DECLS, false);
}

static void test_errors_end_the_input(void **state)
{
    (void)state;
    /* the parser reports these; they must not be taken for empty input */
    expect("\"unterminated", INPUT_STMTS, false);
    expect("@", INPUT_STMTS, false);
    expect("f( @", INPUT_STMTS, false);
    expect("fn f() = \"x", INPUT_DECLS, false);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_complete_expressions),
        cmocka_unit_test(test_open_brackets_continue),
        cmocka_unit_test(test_trailing_operator_continues),
        cmocka_unit_test(test_strings_and_comments_do_not_count),
        cmocka_unit_test(test_definitions),
        cmocka_unit_test(test_errors_end_the_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
