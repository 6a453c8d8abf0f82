/* test_lexer.c — tokens, literals, the newline rule and lexical errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "parser.h"

/* One lexed text with its diagnostics captured. */
typedef struct Lexed {
    Arena arena;
    Diag diag;
    char *msgs;
    size_t msgs_len;
    FILE *out;
    Token *toks;
    int n;
} Lexed;

static Lexed *lex(const char *text)
{
    Lexed *x = calloc(1, sizeof *x);
    x->out = open_memstream(&x->msgs, &x->msgs_len);
    diag_init(&x->diag, x->out, "pelc");
    SrcFile *f = src_from_string(&x->arena, "t.pel", text);
    x->n = lex_all(&x->arena, &x->diag, f, &x->toks);
    fflush(x->out);
    return x;
}

static void done(Lexed *x)
{
    fclose(x->out);
    free(x->msgs);
    arena_free(&x->arena);
    free(x);
}

/* Asserts the token kinds of text, ending in 0 (end of input). */
#define KINDS(text, ...)                                                   \
    do {                                                                   \
        static const int want_[] = { __VA_ARGS__, 0 };                     \
        Lexed *x_ = lex(text);                                             \
        int nw_ = (int)(sizeof want_ / sizeof want_[0]);                   \
        for (int i_ = 0; i_ < nw_ && i_ < x_->n; i_++) {                   \
            if (x_->toks[i_].kind != want_[i_])                            \
                fail_msg("%s: token %d is %d, want %d", text, i_,          \
                         x_->toks[i_].kind, want_[i_]);                    \
        }                                                                  \
        assert_int_equal(x_->n, nw_);                                      \
        assert_int_equal(x_->diag.errors, 0);                              \
        done(x_);                                                          \
    } while (0)

static void test_keywords_and_names(void **state)
{
    (void)state;
    KINDS("fn let if else for in import extern export true false and or not",
          T_KW_FN, T_KW_LET, T_KW_IF, T_KW_ELSE, T_KW_FOR, T_KW_IN, T_KW_IMPORT,
          T_KW_EXTERN, T_KW_EXPORT, T_KW_TRUE, T_KW_FALSE, T_KW_AND, T_KW_OR, T_KW_NOT);
    KINDS("fnx _ a_1 Let iff", T_IDENT, T_IDENT, T_IDENT, T_IDENT, T_IDENT, T_NEWLINE);
    Lexed *x = lex("hello_world");
    assert_int_equal(x->toks[0].len, 11);
    assert_memory_equal(x->toks[0].start, "hello_world", 11);
    done(x);
}

static void test_operators(void **state)
{
    (void)state;
    KINDS("+ - * / % == != < <= > >= = ( ) [ ] { } , ; : . .. |> -> =>",
          T_PLUS, T_MINUS, T_STAR, T_SLASH, T_PERCENT, T_EQEQ, T_NE, T_LT, T_LE, T_GT, T_GE,
          T_ASSIGN, T_LPAREN, T_RPAREN, T_LBRACK, T_RBRACK, T_LBRACE, T_RBRACE, T_COMMA,
          T_SEMI, T_COLON, T_DOT, T_DOTDOT, T_PIPE, T_ARROW, T_FATARROW);
    /* longest match without spaces */
    KINDS("a<=b>=c==d!=e|>f->g=>h..i",
          T_IDENT, T_LE, T_IDENT, T_GE, T_IDENT, T_EQEQ, T_IDENT, T_NE, T_IDENT, T_PIPE,
          T_IDENT, T_ARROW, T_IDENT, T_FATARROW, T_IDENT, T_DOTDOT, T_IDENT, T_NEWLINE);
}

/* lexes a single literal and returns its value token */
static Lexed *one(const char *text, int kind)
{
    Lexed *x = lex(text);
    assert_true(x->n >= 1);
    assert_int_equal(x->toks[0].kind, kind);
    return x;
}

/* The lexer's value is not in Token; parse_expr gives it back. */
static Expr *expr_of(Arena *a, Diag *d, const char *text)
{
    return parse_expr(a, d, src_from_string(a, "t.pel", text));
}

static void test_integers(void **state)
{
    (void)state;
    Arena a = { 0 };
    Diag d;
    diag_init(&d, stderr, "pelc");
    struct { const char *text; int64_t want; } cases[] = {
        { "42", 42 },
        { "0", 0 },
        { "1_000_000", 1000000 },
        { "0xff", 255 },
        { "0XFF", 255 },
        { "0xdead_beef", 0xdeadbeefLL },
        { "9223372036854775807", INT64_MAX },
        { "-9223372036854775808", INT64_MIN },
        { "007", 7 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Expr *e = expr_of(&a, &d, cases[i].text);
        assert_non_null(e);
        assert_int_equal(e->kind, E_INT);
        assert_int_equal(e->u.ival, cases[i].want);
    }
    assert_int_equal(d.errors, 0);
    arena_free(&a);
    done(one("12", T_INT));
}

/* Asserts that text gives exactly one error containing `msg`. */
static void expect_error(const char *text, const char *msg)
{
    Lexed *x = lex(text);
    if (x->diag.errors != 1 || !strstr(x->msgs, msg))
        fail_msg("%s: want one error '%s', got %d:\n%s", text, msg, x->diag.errors, x->msgs);
    done(x);
}

static void test_integer_errors(void **state)
{
    (void)state;
    expect_error("9223372036854775808", "integer literal out of range");
    expect_error("99999999999999999999999", "integer literal out of range");
    expect_error("0x1_0000_0000_0000_0000", "integer literal out of range");
    /* binary minus: 2^63 itself must fit */
    expect_error("a - 9223372036854775808", "integer literal out of range");
    expect_error("-(9223372036854775808)", "integer literal out of range");
    expect_error("1_", "invalid number literal '1_'");
    expect_error("1__0", "invalid number literal");
    expect_error("0x", "invalid number literal");
    expect_error("12abc", "invalid number literal");
    expect_error("1e", "invalid number literal");
    /* the error token is still a number, so the parser does not pile on */
    Lexed *x = lex("1_");
    assert_int_equal(x->toks[0].kind, T_INT);
    done(x);
}

static void test_floats(void **state)
{
    (void)state;
    Arena a = { 0 };
    Diag d;
    diag_init(&d, stderr, "pelc");
    struct { const char *text; double want; } cases[] = {
        { "1.5", 1.5 }, { "1e9", 1e9 }, { "2.5e-3", 2.5e-3 }, { "1_000.5", 1000.5 },
        { "1E+2", 100.0 }, { "0.1", 0.1 }, { "-2.0", -2.0 }, { "1e-400", 0.0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Expr *e = expr_of(&a, &d, cases[i].text);
        assert_non_null(e);
        assert_int_equal(e->kind, E_FLOAT);
        assert_true(e->u.fval == cases[i].want);
    }
    assert_int_equal(d.errors, 0);
    arena_free(&a);
    expect_error("1e999", "float literal out of range");
    /* a digit on both sides of '.': 1..5 is a range, 1.x a field */
    KINDS("1..5", T_INT, T_DOTDOT, T_INT, T_NEWLINE);
    KINDS("x.5", T_IDENT, T_DOT, T_INT, T_NEWLINE);
}

static void test_field_digits(void **state)
{
    (void)state;
    /* after '.', a digit run is a field index, never a float */
    KINDS("t.0.1", T_IDENT, T_DOT, T_INT, T_DOT, T_INT, T_NEWLINE);
    KINDS("t.1.0.2", T_IDENT, T_DOT, T_INT, T_DOT, T_INT, T_DOT, T_INT, T_NEWLINE);
    KINDS("t.0e5", T_IDENT, T_DOT, T_INT, T_IDENT, T_NEWLINE);
    Arena a = { 0 };
    Diag d;
    diag_init(&d, stderr, "pelc");
    Expr *e = expr_of(&a, &d, "t.0.1");
    assert_non_null(e);
    assert_int_equal(e->kind, E_FIELD);
    assert_int_equal(e->u.field.index, 1);
    assert_int_equal(e->u.field.base->kind, E_FIELD);
    assert_int_equal(e->u.field.base->u.field.index, 0);
    arena_free(&a);
}

static void test_strings(void **state)
{
    (void)state;
    Arena a = { 0 };
    Diag d;
    diag_init(&d, stderr, "pelc");
    Expr *e = expr_of(&a, &d, "\"a\\n\\t\\r\\\\\\\"\\0\\x41\\xfFz\"");
    assert_non_null(e);
    assert_int_equal(e->kind, E_STR);
    assert_int_equal(e->u.str.len, 10);
    assert_memory_equal(e->u.str.bytes, "a\n\t\r\\\"\0A\xffz", 10);
    e = expr_of(&a, &d, "\"\"");
    assert_non_null(e);
    assert_int_equal(e->u.str.len, 0);
    /* UTF-8 passes through, '#' inside a string is not a comment */
    e = expr_of(&a, &d, "\"h\xc3\xa9 # no\"");
    assert_non_null(e);
    assert_int_equal(e->u.str.len, 8);
    assert_int_equal(d.errors, 0);
    arena_free(&a);
}

static void test_string_errors(void **state)
{
    (void)state;
    expect_error("\"abc\\q\"", "invalid escape sequence '\\q'");
    expect_error("\"\\x4\"", "\\x needs two hex digits");
    expect_error("\"\\xg0\"", "\\x needs two hex digits");
    expect_error("\"abc", "unterminated string literal");
    expect_error("\"abc\\\"", "unterminated string literal");
    expect_error("\"abc\ndef", "unterminated string literal");
    /* the error is at the escape's own column */
    Lexed *x = lex("  \"ab\\q\"");
    assert_non_null(strstr(x->msgs, "t.pel:1:6: error"));
    /* one string token, not a cascade */
    assert_int_equal(x->toks[0].kind, T_STRING);
    done(x);
}

static void test_bad_characters(void **state)
{
    (void)state;
    expect_error("a @ b", "unexpected character '@'");
    expect_error("a $", "unexpected character '$'");
    expect_error("\x01", "unexpected character '\\x01'");
    expect_error("x \xff", "unexpected character '\\xFF'");
    /* a whole UTF-8 character is one error, shown as itself */
    expect_error("\xe2\x80\x9cq", "unexpected character '\xe2\x80\x9c' (U+201C)");
    Lexed *x = lex("a @ b");
    assert_int_equal(x->toks[1].kind, T_ERROR);
    assert_int_equal(x->toks[2].kind, T_IDENT);
    done(x);
}

static void test_comments(void **state)
{
    (void)state;
    KINDS("#!/usr/bin/env pel\nx # trailing\n# whole line\ny",
          T_IDENT, T_NEWLINE, T_IDENT, T_NEWLINE);
    Lexed *x = lex("# only a comment");
    assert_int_equal(x->n, 1);
    assert_int_equal(x->toks[0].kind, 0);
    done(x);
}

static void test_newline_rule(void **state)
{
    (void)state;
    /* a newline ends the statement after an identifier, literal, ) ] } */
    KINDS("a\nb", T_IDENT, T_NEWLINE, T_IDENT, T_NEWLINE);
    KINDS("1\n2.5\n\"s\"\ntrue\nfalse\n",
          T_INT, T_NEWLINE, T_FLOAT, T_NEWLINE, T_STRING, T_NEWLINE, T_KW_TRUE, T_NEWLINE,
          T_KW_FALSE, T_NEWLINE);
    KINDS("f()\n[]\n{}\n", T_IDENT, T_LPAREN, T_RPAREN, T_NEWLINE, T_LBRACK, T_RBRACK,
          T_NEWLINE, T_LBRACE, T_RBRACE, T_NEWLINE);
    /* an operator or ',' at the end of a line continues it */
    KINDS("a +\nb", T_IDENT, T_PLUS, T_IDENT, T_NEWLINE);
    KINDS("a |>\nf", T_IDENT, T_PIPE, T_IDENT, T_NEWLINE);
    KINDS("let x =\n1", T_KW_LET, T_IDENT, T_ASSIGN, T_INT, T_NEWLINE);
    /* blank lines and comments make one newline */
    KINDS("a\n\n# c\n\nb", T_IDENT, T_NEWLINE, T_IDENT, T_NEWLINE);
    /* ';' separates too */
    KINDS("a; b", T_IDENT, T_SEMI, T_IDENT, T_NEWLINE);
    /* CRLF line ends */
    KINDS("a\r\nb\r\n", T_IDENT, T_NEWLINE, T_IDENT, T_NEWLINE);
}

static void test_newlines_in_brackets(void **state)
{
    (void)state;
    /* inside ( ) and [ ] newlines are ignored entirely */
    KINDS("f(a\n, b\n)\n", T_IDENT, T_LPAREN, T_IDENT, T_COMMA, T_IDENT, T_RPAREN, T_NEWLINE);
    KINDS("[1\n2]", T_LBRACK, T_INT, T_INT, T_RBRACK, T_NEWLINE);
    /* inside { } the Go rule is back, even within parentheses */
    KINDS("f({\na\nb\n})",
          T_IDENT, T_LPAREN, T_LBRACE, T_IDENT, T_NEWLINE, T_IDENT, T_NEWLINE, T_RBRACE,
          T_RPAREN, T_NEWLINE);
    /* and ( inside { inside ( ignores them again */
    KINDS("({(a\n)\n})", T_LPAREN, T_LBRACE, T_LPAREN, T_IDENT, T_RPAREN, T_NEWLINE,
          T_RBRACE, T_RPAREN, T_NEWLINE);
}

static void test_locations(void **state)
{
    (void)state;
    Lexed *x = lex("let x =\n\t  foo(1)\n");
    assert_int_equal(x->toks[0].loc.line, 1);
    assert_int_equal(x->toks[0].loc.col, 1);
    assert_int_equal(x->toks[1].loc.col, 5);
    assert_int_equal(x->toks[3].kind, T_IDENT);
    assert_int_equal(x->toks[3].loc.line, 2);
    assert_int_equal(x->toks[3].loc.col, 4); /* a tab is one byte */
    assert_int_equal(x->toks[5].loc.col, 8);
    /* the newline token stands at the end of the line it ends */
    assert_int_equal(x->toks[7].kind, T_NEWLINE);
    assert_int_equal(x->toks[7].loc.line, 2);
    assert_int_equal(x->toks[7].loc.col, 10);
    assert_string_equal(x->toks[0].loc.file->path, "t.pel");
    done(x);
}

static void test_bom_is_skipped(void **state)
{
    (void)state;
    Lexed *x = lex("\xEF\xBB\xBFx");
    assert_int_equal(x->toks[0].kind, T_IDENT);
    assert_int_equal(x->toks[0].loc.col, 1);
    assert_int_equal(x->diag.errors, 0);
    done(x);
}

static void test_unclosed_bracket_recovery(void **state)
{
    (void)state;
    /* 'let' cannot be inside '(': the lexer reports the unclosed '(' and
     * invents the ')' and the newline */
    Lexed *x = lex("let a = f(1\nlet b = 2");
    assert_int_equal(x->diag.errors, 1);
    assert_non_null(strstr(x->msgs, "expected ')' before 'let' (to close '(' at line 1)"));
    static const int want[] = { T_KW_LET, T_IDENT, T_ASSIGN, T_IDENT, T_LPAREN, T_INT,
                                T_RPAREN, T_NEWLINE, T_KW_LET, T_IDENT, T_ASSIGN, T_INT,
                                T_NEWLINE, 0 };
    assert_int_equal(x->n, (int)(sizeof want / sizeof want[0]));
    for (int i = 0; i < x->n; i++)
        assert_int_equal(x->toks[i].kind, want[i]);
    done(x);
}

static void test_nesting_limit(void **state)
{
    (void)state;
    size_t n = 100000;
    char *text = malloc(n + 1);
    memset(text, '(', n);
    text[n] = 0;
    Lexed *x = lex(text);
    assert_int_equal(x->diag.errors, 1);
    assert_non_null(strstr(x->msgs, "nested too deeply"));
    assert_int_equal(x->toks[x->n - 1].kind, 0);
    done(x);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keywords_and_names),
        cmocka_unit_test(test_operators),
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_integer_errors),
        cmocka_unit_test(test_floats),
        cmocka_unit_test(test_field_digits),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_string_errors),
        cmocka_unit_test(test_bad_characters),
        cmocka_unit_test(test_comments),
        cmocka_unit_test(test_newline_rule),
        cmocka_unit_test(test_newlines_in_brackets),
        cmocka_unit_test(test_locations),
        cmocka_unit_test(test_bom_is_skipped),
        cmocka_unit_test(test_unclosed_bracket_recovery),
        cmocka_unit_test(test_nesting_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
