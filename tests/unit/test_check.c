/* test_check.c — name resolution, type checking and effect analysis. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "test_support.h"

static void expect_ok(const char *src) {
    Compiled c;
    compile_text(&c, src);
    if (c.diag.errors) fprintf(stderr, "unexpected errors:\n%s", c.messages);
    assert_int_equal(c.diag.errors, 0);
    assert_non_null(c.prog);
    compiled_free(&c);
}

/* One error whose text contains `fragment` at line:col. */
static void expect_error(const char *src, const char *fragment, const char *where) {
    Compiled c;
    compile_text(&c, src);
    if (!strstr(c.messages, fragment) || !strstr(c.messages, where))
        fprintf(stderr, "wanted '%s' at %s, got:\n%s", fragment, where, c.messages);
    assert_true(c.diag.errors >= 1);
    assert_null(c.prog);
    assert_non_null(strstr(c.messages, fragment));
    assert_non_null(strstr(c.messages, where));
    compiled_free(&c);
}

static void test_core_program_checks(void **state) {
    (void)state;
    expect_ok("fn sq(x: f64) -> f64 = x * x\n"
              "fn divmod(a: i64, b: i64) -> (i64, i64) = (a / b, a % b)\n"
              "fn main() {\n"
              "  let (q, r) = divmod(7, 2)\n"
              "  let s = \"a\" + \"b\"\n"
              "  let t = (q, (r, s))\n"
              "  println(t.1.1)\n"
              "  println(sq(f64(q)) + sqrt(2.0))\n"
              "  if q > r and not (s == \"x\") { println(1) } else if q < 0 { println(2) }\n"
              "}\n");
}

static void test_types_are_recorded(void **state) {
    (void)state;
    Compiled c;
    compile_text(&c, "fn main() -> i64 {\n  let x = 1 + 2\n  let y = f64(x) * 0.5\n  x\n}\n");
    assert_non_null(c.prog);
    Block *b = &find_fn(&c, "main")->body->u.block;
    assert_int_equal(b->stmts[0]->expr->type->kind, TY_I64);
    assert_int_equal(b->stmts[1]->expr->type->kind, TY_F64);
    assert_int_equal(b->stmts[0]->pat->local->type->kind, TY_I64);
    compiled_free(&c);
}

static void test_shadowing_makes_new_locals(void **state) {
    (void)state;
    Compiled c;
    compile_text(&c, "fn main() {\n  let x = 1\n  let x = x + 1\n  println(x)\n}\n");
    assert_non_null(c.prog);
    Block *b = &find_fn(&c, "main")->body->u.block;
    Local *first = b->stmts[0]->pat->local, *second = b->stmts[1]->pat->local;
    assert_ptr_not_equal(first, second);
    /* `x + 1` reads the first x; println reads the second */
    assert_ptr_equal(b->stmts[1]->expr->u.binary.lhs->u.name.local, first);
    assert_ptr_equal(b->stmts[2]->expr->u.call.args[0]->u.name.local, second);
    compiled_free(&c);
}

static void test_order_free_and_mutual_recursion(void **state) {
    (void)state;
    expect_ok("fn main() = println(even(10))\n"
              "fn even(n: i64) -> bool = if n == 0 { true } else { odd(n - 1) }\n"
              "fn odd(n: i64) -> bool = if n == 0 { false } else { even(n - 1) }\n");
}

static void test_errors(void **state) {
    (void)state;
    expect_error("fn main() {\n  let x = 1 + 2.0\n}\n", "mismatched types", "t.pel:2:13");
    expect_error("fn main() {\n  println(y)\n}\n", "unknown name 'y'", "t.pel:2:11");
    expect_error("fn f(a: i64) -> i64 = a\nfn main() {\n  println(f(1, 2))\n}\n",
                 "takes 1 argument but 2 were given", "t.pel:3:11");
    expect_error("fn main() {\n  let x = if true { 1 } else { \"a\" }\n}\n",
                 "the branches of this if are i64 and str", "t.pel:2:32");
    expect_error("fn main() {\n  if 1 { println(1) }\n}\n", "if condition", "t.pel:2:6");
    expect_error("fn f() -> i64 = 1\n", "no 'main' function", "t.pel:1:1");
    expect_error("fn main(x: i64) {}\n", "'main' takes no parameters", "t.pel:1:4");
    expect_error("fn f() = 1\nfn f() = 2\nfn main() {}\n", "defined twice", "t.pel:2:4");
    expect_error("fn main() {\n  let (a, b) = (1, 2, 3)\n}\n", "3-tuple", "t.pel:2:7");
    expect_error("fn main() {\n  let t = (1, 2)\n  println(t.2)\n}\n", "tuple index 2", "t.pel:3:12");
    expect_error("fn main() {\n  let x: i64 = if true { 1 }\n}\n", "without 'else' has no value", "t.pel:2:16");
    expect_error("fn main() {\n  println(min(1, 2.0))\n}\n", "must have one type", "t.pel:2:18");
    expect_error("fn main() {\n  println(not 5)\n}\n", "'not' must be bool", "t.pel:2:15");
    expect_error("fn main() {\n  let v = 5\n  v(1)\n}\n", "'v' is not a function", "t.pel:3:3");
    /* the loader (modules.c) resolves imports; unresolved, the checker says so */
    expect_error("import geometry\nfn main() {}\n", "was not loaded", "t.pel:1:8");
    expect_error("fn main() {\n  let e = []\n}\n", "cannot infer the element type", "t.pel:2:11");
    expect_error("fn main() {\n  let f = fn(x) => x\n}\n", "cannot infer the type of parameter 'x'", "t.pel:2:14");
    expect_error("fn main() {\n  let xs = [1, 2.0]\n}\n", "array elements must all be i64", "t.pel:2:16");
    expect_error("fn main() {\n  let ys = map([1], fn(x) => { println(x); x })\n}\n",
                 "output is not allowed inside map", "t.pel:2:32");
    expect_error("fn main() {\n  let ys = for x in [1] => println(x)\n}\n",
                 "output is not allowed inside a for comprehension", "t.pel:2:28");
    expect_error("fn p(x: i64) -> bool { println(x); true }\nfn main() {\n  let ys = filter([1], p)\n}\n",
                 "output is not allowed inside filter", "t.pel:3:24");
    expect_error("fn main() {\n  let s = reduce([1], 0.0, fn(a, b) => a + b)\n}\n", "must be i64, found f64", "t.pel:2:23");
    expect_error("fn main() -> f64 = 1.0\n", "must return () or i64", "t.pel:1:4");
    expect_error("fn main() {\n  println(sqrt(2))\n}\n", "must be f64, found i64", "t.pel:2:16");
}

static void test_arrays_and_lambdas(void **state) {
    (void)state;
    expect_ok("fn apply(f: fn(i64) -> i64, x: i64) -> i64 = f(x)\n"
              "fn adder(k: i64) -> fn(i64) -> i64 = fn(x: i64) -> i64 => x + k\n"
              "fn sq(x: i64) -> i64 = x * x\n"
              "fn main() {\n"
              "  let xs = [1, 2, 3]\n"
              "  let e: [f64] = []\n"
              "  let grid = for i in 0..3 => for j in 0..i => f64(i * j)\n"
              "  let k = 10\n"
              "  let ys = xs |> map(fn(x) => x * k) |> filter(fn(x) => x > 10)\n"
              "  let total = reduce(ys, 0, fn(a, b) => a + b) + sum(map(xs, sq))\n"
              "  let pairs = zip(xs, [\"a\", \"b\", \"c\"])\n"
              "  let (ns, ss) = unzip(pairs)\n"
              "  println((total, apply(adder(1), 2), len(grid[2]), ns, ss, e, sort(xs)))\n"
              "  println(foldl(xs, 0, fn(acc, x) => { println(x); acc + x }))\n"
              "}\n");
}

static void test_lambda_captures(void **state) {
    (void)state;
    Compiled c;
    compile_text(&c, "fn main() {\n  let k = 2\n  let j = 3\n"
                     "  let f = fn(x: i64) -> i64 => x * k + (fn(y: i64) -> i64 => y + j)(x)\n"
                     "  println(f(1))\n}\n");
    assert_non_null(c.prog);
    Block *b = &find_fn(&c, "main")->body->u.block;
    Lambda *outer = &b->stmts[2]->expr->u.lambda;
    assert_int_equal(outer->ncaptures, 2); /* k, and j for the inner lambda */
    compiled_free(&c);
}

static void test_all_errors_reported(void **state) {
    (void)state;
    Compiled c;
    compile_text(&c, "fn a() -> i64 = 1 + true\n"
                     "fn b() -> i64 = nope\n"
                     "fn c() -> bool = 1\n"
                     "fn main() {}\n");
    assert_int_equal(c.diag.errors, 3);
    compiled_free(&c);
}

static void test_effects_propagate(void **state) {
    (void)state;
    Compiled c;
    compile_text(&c, "fn say() = println(1)\n"
                     "fn outer() -> i64 { say(); 2 }\n"
                     "fn twice(x: i64) -> i64 = x * 2\n"
                     "fn fails() = panic(\"no\")\n"
                     "fn main() = println(outer() + twice(1))\n");
    assert_non_null(c.prog);
    assert_true(find_fn(&c, "say")->effectful);
    assert_true(find_fn(&c, "outer")->effectful);
    assert_true(find_fn(&c, "main")->effectful);
    assert_false(find_fn(&c, "twice")->effectful);
    assert_false(find_fn(&c, "fails")->effectful); /* errors are not effects */
    compiled_free(&c);
}

/* The builtins table's columns agree with each other and with spec 6/7. */
static void test_builtin_table(void **state) {
    (void)state;
    static const char *const names[] = {
#define BUILTIN(KIND, name, arity, fn_arg, rule, after, flags) name,
#include "builtins.def"
#undef BUILTIN
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const Builtin *b = builtin_lookup(names[i]);
        assert_non_null(b);
        assert_int_equal(b->kind, (int)i);
        assert_true(b->fn_arg < b->arity);
        assert_true(!builtin_parallel(b) || b->fn_arg >= 0); /* parallel over a function */
        assert_true(b->rule == CHK_FN ? b->fn_arg >= 0 : b->fn_arg < 0);
        assert_true(!builtin_scalar(b) || !builtin_data(b));
        assert_true(!builtin_tile_fold(b) || builtin_fuses(b));
        assert_true(!builtin_in_place(b) || builtin_data(b));
    }
    assert_true(builtin_effectful(builtin_lookup("println")));
    assert_true(builtin_effectful(builtin_lookup("write_file")));
    assert_false(builtin_effectful(builtin_lookup("panic"))); /* errors are not effects */
    assert_true(builtin_fuses(builtin_lookup("sum")));
    assert_false(builtin_fuses(builtin_lookup("filter")));
    assert_true(builtin_in_place(builtin_lookup("sort")));
    assert_false(builtin_data(builtin_lookup("len")));
    assert_true(builtin_own_loop(builtin_lookup("foldl")));
    assert_false(builtin_own_loop(builtin_lookup("sort")));
    assert_null(builtin_lookup("mapp"));
}

/* An arm no value reaches is a warning, not an error: the program still
 * compiles, and the arm is marked for codegen. */
static void test_unreachable_arm_warns(void **state) {
    (void)state;
    Compiled c;
    compile_text(&c, "type Shape = Circle(f64) | Empty\n"
                     "fn f(s: Shape) -> i64 = match s {\n"
                     "  Circle(_) => 1\n"
                     "  _ => 2\n"
                     "  Empty => 3\n"
                     "}\n"
                     "fn main() = println(f(Empty))\n");
    assert_non_null(c.prog);
    assert_int_equal(c.diag.errors, 0);
    assert_int_equal(c.diag.warnings, 1);
    assert_non_null(strstr(c.messages, "t.pel:5:3: warning: unreachable arm"));
    const Expr *m = find_fn(&c, "f")->body;
    assert_int_equal(m->kind, E_MATCH);
    assert_true(m->u.match_.arms[1]->reachable);
    assert_false(m->u.match_.arms[2]->reachable);
    compiled_free(&c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unreachable_arm_warns),
        cmocka_unit_test(test_builtin_table),
        cmocka_unit_test(test_core_program_checks),
        cmocka_unit_test(test_types_are_recorded),
        cmocka_unit_test(test_shadowing_makes_new_locals),
        cmocka_unit_test(test_order_free_and_mutual_recursion),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_arrays_and_lambdas),
        cmocka_unit_test(test_lambda_captures),
        cmocka_unit_test(test_all_errors_reported),
        cmocka_unit_test(test_effects_propagate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
