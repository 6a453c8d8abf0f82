/* test_parser.c — grammar, desugaring, locations and error recovery. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ast_dump.h"
#include "parse.h"

/* One parse with its diagnostics and dump captured as strings. */
typedef struct Parsed {
    Arena arena;
    Diag diag;
    char *msgs;
    size_t msgs_len;
    FILE *out;
    Module *mod;
    Expr *expr;
    char *dump;
} Parsed;

static char *dump_to_string(const Module *m, const Expr *e)
{
    char *s = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&s, &n);
    if (m)
        ast_dump_module(f, m);
    else if (e)
        ast_dump_expr(f, e);
    fclose(f);
    return s;
}

static Parsed *parse(const char *text, bool module)
{
    Parsed *p = calloc(1, sizeof *p);
    p->out = open_memstream(&p->msgs, &p->msgs_len);
    diag_init(&p->diag, p->out, "pelc");
    SrcFile *f = src_from_string(&p->arena, "t.pel", text);
    if (module)
        p->mod = parse_module(&p->arena, &p->diag, f, "main");
    else
        p->expr = parse_expr(&p->arena, &p->diag, f);
    fflush(p->out);
    p->dump = dump_to_string(p->mod, p->expr);
    return p;
}

static void done(Parsed *p)
{
    fclose(p->out);
    free(p->msgs);
    free(p->dump);
    arena_free(&p->arena);
    free(p);
}

/* expression text -> S-expression */
static void check_expr(const char *text, const char *want)
{
    Parsed *p = parse(text, false);
    if (p->diag.errors || strcmp(p->dump, want) != 0)
        fail_msg("%s\n  got:  %s\n  want: %s\n%s", text, p->dump, want, p->msgs);
    done(p);
}

/* module text -> dump */
static void check_module(const char *text, const char *want)
{
    Parsed *p = parse(text, true);
    if (p->diag.errors || strcmp(p->dump, want) != 0)
        fail_msg("%s\n  got:\n%s  want:\n%s\n%s", text, p->dump, want, p->msgs);
    done(p);
}

/* text must give the messages `msgs` (in order); each one is an error
 * except the notes and hints among them */
static void check_errors(const char *text, bool module, int n, const char *const *msgs)
{
    Parsed *p = parse(text, module);
    const char *at = p->msgs;
    int errors = 0;
    for (int i = 0; i < n; i++)
        if (!strstr(msgs[i], "note:") && !strstr(msgs[i], "hint:"))
            errors++;
    for (int i = 0; i < n && at; i++) {
        at = strstr(at, msgs[i]);
        if (!at)
            fail_msg("%s\n  missing '%s' in:\n%s", text, msgs[i], p->msgs);
        at += strlen(msgs[i]);
    }
    if (p->diag.errors != errors)
        fail_msg("%s\n  want %d errors, got %d:\n%s", text, errors, p->diag.errors, p->msgs);
    done(p);
}
#define ERRORS(text, module, ...)                                              \
    do {                                                                       \
        static const char *const m_[] = { __VA_ARGS__ };                       \
        check_errors(text, module, (int)(sizeof m_ / sizeof m_[0]), m_);       \
    } while (0)

static void test_precedence(void **state)
{
    (void)state;
    check_expr("1 + 2 * 3 - 4", "(- (+ 1 (* 2 3)) 4)");
    check_expr("a / b % c * d", "(* (% (/ a b) c) d)");
    check_expr("-a * b", "(* (neg a) b)");
    check_expr("-f(x)[1]", "(neg (index (call f x) 1))");
    check_expr("a + b .. c * d", "(.. (+ a b) (* c d))");
    check_expr("a .. b == c", "(== (.. a b) c)");
    check_expr("not a == b and c", "(and (not (== a b)) c)");
    check_expr("a or b and c", "(or a (and b c))");
    check_expr("a and b or c and d", "(or (and a b) (and c d))");
    check_expr("not not a", "(not (not a))");
    check_expr("a < b and b <= c", "(and (< a b) (<= b c))");
    check_expr("x |> f or g", "(pipe (or f g) x)");
    check_expr("(1 + 2) * 3", "(* (+ 1 2) 3)");
    check_expr("-5", "-5");
    check_expr("- 2.5", "-2.5");
    check_expr("--x", "(neg (neg x))");
    check_expr("a != b", "(!= a b)");
    check_expr("a > b", "(> a b)");
    check_expr("a >= b", "(>= a b)");
}

static void test_comparisons_are_not_associative(void **state)
{
    (void)state;
    ERRORS("a < b < c", false, "t.pel:1:7: error: comparison operators cannot be chained");
    ERRORS("a == b == c", false, "comparison operators cannot be chained");
    ERRORS("a .. b .. c", false, "unexpected '..'");
}

static void test_postfix(void **state)
{
    (void)state;
    check_expr("f(x)(y)", "(call (call f x) y)");
    check_expr("a[i][j]", "(index (index a i) j)");
    check_expr("t.0.1", "(. (. t 0) 1)");
    check_expr("m.f(1, 2,)", "(call (. m f) 1 2)");
    check_expr("f()", "(call f)");
    check_expr("stats.mean(xs).0", "(. (call (. stats mean) xs) 0)");
}

static void test_pipes(void **state)
{
    (void)state;
    check_expr("x |> f(a, b)", "(pipe f x a b)");
    check_expr("x |> f", "(pipe f x)");
    check_expr("x |> m.f", "(pipe (. m f) x)");
    check_expr("xs |> map(fn(x) => x * 2) |> sum", "(pipe sum (pipe map xs (fn (x) (* x 2))))");
    check_expr("x |> fn(v) => v + 1", "(pipe (fn (v) (+ v 1)) x)");
    check_expr("a + b |> f(c)", "(pipe f (+ a b) c)");
    /* the call made by a pipe starts at its callee */
    Parsed *p = parse("x |> g(1)", false);
    assert_non_null(p->expr);
    assert_int_equal(p->expr->kind, E_CALL);
    assert_true(p->expr->u.call.piped);
    assert_int_equal(p->expr->loc.col, 6);
    done(p);
}

static void test_lambdas_and_for(void **state)
{
    (void)state;
    check_expr("fn(x: i64, y) -> i64 => x * y", "(fn (x: i64 y) -> i64 (* x y))");
    check_expr("fn() => 1", "(fn () 1)");
    check_expr("fn(x,) => x", "(fn (x) x)");
    /* the body goes as far right as it can */
    check_expr("fn(x) => x + 1 |> f", "(fn (x) (pipe f (+ x 1)))");
    check_expr("fn(x) => { let y = x\n y }", "(fn (x) (block (let y x) y))");
    check_expr("fn(f: fn(i64) -> i64, g: fn()) => f", "(fn (f: fn(i64) -> i64 g: fn() -> ()) f)");
    check_expr("for i in 0..n => i * i", "(for i (.. 0 n) (* i i))");
    check_expr("for r in rows => for x in r => x + 1", "(for r rows (for x r (+ x 1)))");
    check_expr("map(xs, fn(x) => {\n  let y = x * 2\n  y + 1\n})",
               "(call map xs (fn (x) (block (let y (* x 2)) (+ y 1))))");
}

static void test_aggregates(void **state)
{
    (void)state;
    check_expr("()", "()");
    check_expr("(a)", "a");
    check_expr("(a, b)", "(tuple a b)");
    check_expr("(a, b, c,)", "(tuple a b c)");
    check_expr("((1, 2), 3)", "(tuple (tuple 1 2) 3)");
    check_expr("[]", "(array)");
    check_expr("[1, 2, 3,]", "(array 1 2 3)");
    check_expr("[[1], []]", "(array (array 1) (array))");
    check_expr("[\n  1,\n  2\n]", "(array 1 2)");
    check_expr("\"a\\tb\"", "\"a\\tb\"");
    check_expr("true", "true");
    ERRORS("(a,)", false, "unexpected ')'");
}

static void test_if_and_blocks(void **state)
{
    (void)state;
    check_expr("if a { 1 } else { 2 }", "(if a (block 1) (block 2))");
    check_expr("if a { 1 }", "(if a (block 1))");
    check_expr("if a { 1 } else if b { 2 } else { 3 }",
               "(if a (block 1) (if b (block 2) (block 3)))");
    check_expr("if a < b { x } else { y } + 1", "(+ (if (< a b) (block x) (block y)) 1)");
    check_expr("{ }", "(block)");
    check_expr("{ a; b; }", "(block a b)");
    check_expr("{\n  let a = 1\n\n  let b = 2;;\n  a + b\n}", "(block (let a 1) (let b 2) (+ a b))");
    Parsed *p = parse("{ let a = 1 }", false);
    assert_non_null(p->expr);
    assert_false(p->expr->u.block.value_is_last);
    done(p);
    p = parse("{\n  let a = 1\n  a\n}", false);
    assert_non_null(p->expr);
    assert_true(p->expr->u.block.value_is_last);
    assert_int_equal(p->expr->u.block.close.line, 4);
    assert_int_equal(p->expr->u.block.close.col, 1);
    done(p);
}

static void test_let_patterns(void **state)
{
    (void)state;
    check_expr("{ let (q, r) = divmod(a, b); q }", "(block (let (q r) (call divmod a b)) q)");
    check_expr("{ let ((a, b), _, c) = t }", "(block (let ((a b) _ c) t))");
    check_expr("{ let x: f64 = 1.5 }", "(block (let x : f64 1.5))");
    check_expr("{ let e: [[i64]] = [] }", "(block (let e : [[i64]] (array)))");
    check_expr("{ let p: (i64, (str, bool)) = t }", "(block (let p : (i64, (str, bool)) t))");
    check_expr("{ let u: () = () }", "(block (let u : () ()))");
    check_expr("{ let (a) = x }", "(block (let a x))");
    /* a type name the parser does not know is the checker's to resolve */
    check_expr("{ let p: Point = q }", "(block (let p : Point q))");
}

static void test_declarations(void **state)
{
    (void)state;
    check_module("import geometry\n"
                 "extern fn cbrt(x: f64) -> f64\n"
                 "export fn saxpy(a: f64, x: f64, y: f64) -> f64 = a * x + y\n"
                 "fn square(x: f64) -> f64 = x * x    # expression body\n"
                 "fn main() {\n  println(1)\n}\n"
                 "fn unit() = println(1); fn two(f: fn(i64) -> bool,) -> (i64, [str]) { (1, []) }\n",
                 "(import geometry)\n"
                 "(extern fn cbrt (x: f64) -> f64)\n"
                 "(export fn saxpy (a: f64 x: f64 y: f64) -> f64 (+ (* a x) y))\n"
                 "(fn square (x: f64) -> f64 (* x x))\n"
                 "(fn main () -> () (block (call println 1)))\n"
                 "(fn unit () -> () (call println 1))\n"
                 "(fn two (f: fn(i64) -> bool) -> (i64, [str]) (block (tuple 1 (array))))\n");
    check_module("", "");
    check_module("\n\n# nothing\n;\n", "");
    /* fn type without '->' returns (); nested fn types are right-assoc */
    check_module("fn k(f: fn(i64) -> fn(i64) -> i64) = f",
                 "(fn k (f: fn(i64) -> fn(i64) -> i64) -> () f)\n");

    Parsed *p = parse("\n\nfn fib(n: i64) -> i64 {\n  if n < 2 { n } else { fib(n - 1) + fib(n - 2) }\n}",
                      true);
    assert_int_equal(p->diag.errors, 0);
    assert_int_equal(p->mod->nfns, 1);
    FnDecl *f = p->mod->fns[0];
    assert_string_equal(f->name, "fib");
    assert_int_equal(f->loc.line, 3);
    assert_int_equal(f->loc.col, 4);
    assert_int_equal(f->ret->kind, TY_I64);
    assert_int_equal(f->body->kind, E_BLOCK);
    assert_int_equal(f->params[0]->loc.col, 8);
    done(p);
}

static void test_expr_locations(void **state)
{
    (void)state;
    /*              1234567890123456789012345 */
    Parsed *p = parse("f(a)[i] + t.0 .. m.g(1)", false);
    Expr *e = p->expr;
    assert_non_null(e);
    assert_int_equal(e->kind, E_RANGE);
    assert_int_equal(e->loc.col, 15);                 /* the '..' */
    Expr *sum = e->u.range.lo;
    assert_int_equal(sum->loc.col, 9);                /* the '+' */
    assert_int_equal(sum->u.binary.lhs->loc.col, 5);  /* the '[' */
    assert_int_equal(sum->u.binary.lhs->u.index.base->loc.col, 1); /* call: callee start */
    assert_int_equal(sum->u.binary.rhs->loc.col, 12); /* field: the '.' */
    Expr *call = e->u.range.hi;
    assert_int_equal(call->kind, E_CALL);
    assert_int_equal(call->loc.col, 18);              /* start of m.g */
    assert_int_equal(call->u.call.callee->loc.col, 19); /* member: the '.' */
    assert_int_equal(call->u.call.callee->u.member.name_loc.col, 20);
    done(p);

    p = parse("fn main() {\n  let x = -y\n  x\n}", true);
    Block *b = &p->mod->fns[0]->body->u.block;
    assert_int_equal(b->stmts[0]->loc.line, 2);
    assert_int_equal(b->stmts[0]->loc.col, 3);         /* the 'let' */
    assert_int_equal(b->stmts[0]->pat->loc.col, 7);
    assert_int_equal(b->stmts[0]->expr->loc.col, 11);  /* the '-' */
    assert_int_equal(b->stmts[1]->loc.col, 3);
    done(p);
}

static void test_three_errors_three_messages(void **state)
{
    (void)state;
    ERRORS("fn a() {\n"
           "  let x = 1 +* 2\n"
           "  let y = 3\n"
           "}\n"
           "fn b() = (1, 2\n"
           "fn c(x: i64) -> i64 {\n"
           "  x ] 1\n"
           "}\n"
           "fn d() = 4\n",
           true,
           "t.pel:2:14: error: unexpected '*', expected expression",
           "t.pel:6:1: error: expected ')' before 'fn' (to close '(' at line 5)",
           "t.pel:7:5: error: unexpected ']'");
    /* and the declarations around the errors survive */
    Parsed *p = parse("fn a() = 1 +\nfn b() = 2\nfn c() = )\nfn d() = 3\n", true);
    assert_int_equal(p->diag.errors, 2);
    assert_non_null(strstr(p->msgs, "t.pel:1:13: error: unexpected newline, expected expression"));
    assert_non_null(strstr(p->dump, "(fn b () -> () 2)"));
    assert_non_null(strstr(p->dump, "(fn d () -> () 3)"));
    done(p);
}

static void test_error_messages(void **state)
{
    (void)state;
    ERRORS("fn f() {\n  g(1)\n", true,
           "t.pel:3:1: error: unexpected end of file, expected '}' (to close '{' at line 1)",
           "t.pel:1:8: note: '{' opened here");
    ERRORS("fn f() = [1, 2", true, "t.pel:1:15: error: unexpected end of file, expected ']' (to close '[' at line 1)");
    ERRORS("fn f() {\n  if a {\n    1\n  }\n  else {\n    2\n  }\n}\n", true,
           "t.pel:5:3: error: 'else' must be on the same line as the closing '}'");
    ERRORS("fn f(a, b: i64) = a", true, "parameter 'a' of function 'f' needs a type",
           "hint: write 'a: i64'");
    ERRORS("let x = 1\n", true, "'let' is not allowed at top level");
    ERRORS("println(1)\n", true, "expected a declaration, found an expression");
    ERRORS("fn f() {\n  fn g() = 1\n}", true, "function declarations are only allowed at top level");
    ERRORS("fn f() {\n  import m\n}", true, "'import' is only allowed at top level");
    ERRORS("fn f() = g(1 2)", true, "unexpected number 2, expected ')' or ',' (to close '(' at line 1)");
    ERRORS("fn f() = a @ b\nfn g() = 1 +* 2\n", true,
           "unexpected character '@'", "unexpected '*', expected expression");
    ERRORS("fn f() = x\n  .y", true, "unexpected '.'");
    ERRORS("fn f() {\n  let = 3\n}", true, "unexpected '=', expected identifier or '('");
}

static void test_garbage_does_not_crash(void **state)
{
    (void)state;
    static const char alphabet[] = "fnletifelse(){}[],;:.=<>+-*/%|\"\\#\n\t 019xe_\x80\xff";
    unsigned seed = 12345;
    for (int round = 0; round < 300; round++) {
        char buf[400];
        int n = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 399;
        for (int i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            buf[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        buf[n] = 0;
        Parsed *p = parse(buf, round % 2 == 0);
        assert_true(p->diag.errors <= 51);
        done(p);
    }
    /* a binary blob is refused by the lexer, not crashed on */
    Parsed *p = parse("\x7f" "ELF\x02\x01\x01\xff\xfe", true);
    assert_true(p->diag.errors > 0);
    done(p);
}

static void test_too_many_errors(void **state)
{
    (void)state;
    char text[2000] = "";
    for (int i = 0; i < 100; i++)
        strcat(text, "fn f() = )\n");
    Parsed *p = parse(text, true);
    assert_non_null(strstr(p->msgs, "too many errors, stopping"));
    assert_true(p->diag.errors > 50);
    done(p);
}

static char *repeat(const char *s, size_t times, const char *prefix, const char *suffix)
{
    size_t n = strlen(s), np = strlen(prefix), ns = strlen(suffix);
    char *buf = malloc(np + n * times + ns + 1);
    memcpy(buf, prefix, np);
    for (size_t i = 0; i < times; i++)
        memcpy(buf + np + i * n, s, n);
    memcpy(buf + np + n * times, suffix, ns + 1);
    return buf;
}

static void test_deep_nesting(void **state)
{
    (void)state;
    static const struct { const char *unit, *suffix; } cases[] = {
        { "(", "1" }, { "[", "" }, { "{", "" }, { "-", "x" }, { "not ", "x" },
        { "fn() => ", "x" }, { "f(", "" }, { "if a { ", "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *text = repeat(cases[i].unit, 100000, "fn main() = ", cases[i].suffix);
        Parsed *p = parse(text, true);
        if (p->diag.errors != 1 || !strstr(p->msgs, "nested too deeply"))
            fail_msg("'%s' x 100000: %d errors\n%.300s", cases[i].unit, p->diag.errors, p->msgs);
        done(p);
        free(text);
    }
    /* long left-leaning chains are as deep as nested brackets */
    char *text = repeat(" + x", 5000, "fn main() = 0", "");
    Parsed *p = parse(text, true);
    assert_int_equal(p->diag.errors, 1);
    assert_non_null(strstr(p->msgs, "nested too deeply"));
    done(p);
    free(text);
    /* but a moderately deep one is fine */
    text = repeat("(", 500, "fn main() = ", "1");
    char *closed = repeat(")", 500, text, "");
    p = parse(closed, true);
    assert_int_equal(p->diag.errors, 0);
    done(p);
    free(text);
    free(closed);
}

static void test_ten_megabytes(void **state)
{
    (void)state;
    static const char chunk[] =
        "# a function\n"
        "fn f(x: i64, ys: [f64]) -> f64 {\n"
        "  let (a, b) = (x * 2 + 1, \"s\\n\")\n"
        "  let zs = for y in ys => y * 1.5e-3 + f64(a)\n"
        "  if a < 10 and not (b == \"x\") { sum(zs) } else {\n"
        "    ys |> map(fn(v) => v / 2.0) |> reduce(0.0, fn(p, q) => p + q)\n"
        "  }\n"
        "}\n"
        "fn big() = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]\n";
    size_t n = sizeof chunk - 1, times = 10u * 1000 * 1000 / n + 1;
    char *text = repeat(chunk, times, "", "");
    clock_t t0 = clock();
    Parsed *p = parse(text, true);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_int_equal(p->diag.errors, 0);
    assert_int_equal(p->mod->nfns, (int)(2 * times));
    /* linear: a few seconds at most even under sanitizers */
    assert_true(secs < 30.0);
    print_message("10 MB: %zu functions parsed in %.2f s\n", 2 * times, secs);
    done(p);
    free(text);

    /* one flat array literal with a million elements */
    text = repeat("1, ", 1000000, "fn main() = [", "2]");
    p = parse(text, true);
    assert_int_equal(p->diag.errors, 0);
    assert_int_equal(p->mod->fns[0]->body->u.list.n, 1000001);
    done(p);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_comparisons_are_not_associative),
        cmocka_unit_test(test_postfix),
        cmocka_unit_test(test_pipes),
        cmocka_unit_test(test_lambdas_and_for),
        cmocka_unit_test(test_aggregates),
        cmocka_unit_test(test_if_and_blocks),
        cmocka_unit_test(test_let_patterns),
        cmocka_unit_test(test_declarations),
        cmocka_unit_test(test_expr_locations),
        cmocka_unit_test(test_three_errors_three_messages),
        cmocka_unit_test(test_error_messages),
        cmocka_unit_test(test_garbage_does_not_crash),
        cmocka_unit_test(test_too_many_errors),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_ten_megabytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
