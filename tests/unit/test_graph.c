/* test_graph.c — the task-graph builder: edges, spawn decisions, join
 * points, effect order, clones, and the DOT dump. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "graph.h"
#include "test_support.h"

typedef struct Built {
    Compiled c;
    IrProgram *ir;
} Built;

static void build(Built *b, const char *src) {
    compile_text(&b->c, src);
    if (!b->c.prog) fprintf(stderr, "%s", b->c.messages);
    assert_non_null(b->c.prog);
    b->ir = ir_build(&b->c.arena, b->c.prog);
    assert_true(ir_verify(b->ir));
}

static const IrFunc *func(const Built *b, const char *name) {
    for (int i = 0; i < b->ir->n; i++)
        if (strcmp(b->ir->funcs[i]->fn->name, name) == 0) return b->ir->funcs[i];
    fail_msg("no function %s", name);
    return NULL;
}

/* the region owned by the body block of fn `name` */
static const IrRegion *body_region(const Built *b, const char *name) {
    const IrRegion *r = ir_region_of(b->ir, func(b, name)->fn->body);
    assert_non_null(r);
    return r;
}

static bool has_dep(const IrNode *n, int on) {
    for (int k = 0; k < n->ndeps; k++)
        if (n->deps[k] == on) return true;
    return false;
}

static const char *FIB =
    "fn fib(n: i64) -> i64 {\n"
    "  if n < 2 { n } else {\n"
    "    let a = fib(n - 1)\n"
    "    let b = fib(n - 2)\n"
    "    a + b\n"
    "  }\n"
    "}\n"
    "fn main() = println(fib(20))\n";

static void test_fib_spawns_first_call(void **state) {
    (void)state;
    Built b;
    build(&b, FIB);
    const IrFunc *f = func(&b, "fib");
    assert_true(f->heavy);
    assert_true(f->spawns);
    assert_true(f->needs_clone);
    /* the else-block: a, b, a + b */
    const Expr *els = f->fn->body->u.block.stmts[0]->expr->u.if_.else_;
    const IrRegion *r = ir_region_of(b.ir, els);
    assert_non_null(r);
    assert_int_equal(r->n, 3);
    assert_true(r->nodes[0].spawn);
    assert_int_equal(r->nodes[0].join_at, 2);
    assert_false(r->nodes[1].spawn); /* the last call runs inline */
    assert_false(r->nodes[2].spawn);
    assert_true(has_dep(&r->nodes[2], 0));
    assert_true(has_dep(&r->nodes[2], 1));
    assert_false(has_dep(&r->nodes[1], 0)); /* independent */
    assert_int_equal(r->nodes[0].ncaptures, 1); /* n */
    /* main calls fib, so it has a clone too, but spawns nothing itself */
    assert_false(func(&b, "main")->spawns);
    assert_true(func(&b, "main")->needs_clone);
    compiled_free(&b.c);
}

static void test_operands_of_calls_are_tasks(void **state) {
    (void)state;
    Built b;
    build(&b, "fn fib(n: i64) -> i64 = if n < 2 { n } else { fib(n - 1) + fib(n - 2) }\n"
              "fn add(a: i64, b: i64) -> i64 = a + b\n"
              "fn main() = println(add(fib(20), fib(21)))\n");
    const Expr *sum = func(&b, "fib")->fn->body->u.if_.else_->u.block.stmts[0]->expr;
    const IrRegion *r = ir_region_of(b.ir, sum);
    assert_non_null(r);
    assert_int_equal(r->kind, R_OPERANDS);
    assert_true(r->nodes[0].spawn);
    assert_false(r->nodes[1].spawn);
    /* the arguments of add(...) in main */
    const Expr *call = func(&b, "main")->fn->body->u.call.args[0];
    r = ir_region_of(b.ir, call);
    assert_non_null(r);
    assert_true(r->nodes[0].spawn);
    compiled_free(&b.c);
}

static void test_effects_order_the_block(void **state) {
    (void)state;
    Built b;
    build(&b, "fn work(n: i64) -> i64 = if n == 0 { 0 } else { work(n - 1) }\n"
              "fn main() {\n"
              "  let a = work(10)\n"
              "  println(a)\n"
              "  let b = work(20)\n"
              "  let c = work(30)\n"
              "  println(b + c)\n"
              "}\n");
    const IrRegion *r = body_region(&b, "main");
    assert_int_equal(r->n, 5);
    assert_true(r->nodes[1].effectful);
    assert_true(has_dep(&r->nodes[1], 0));
    assert_true(has_dep(&r->nodes[2], 1)); /* after the print: effect edge */
    assert_true(has_dep(&r->nodes[3], 1));
    assert_false(r->nodes[0].spawn); /* no partner before the print */
    assert_true(r->nodes[2].spawn);  /* b and c overlap */
    assert_int_equal(r->nodes[2].join_at, 4);
    assert_false(r->nodes[4].spawn);
    compiled_free(&b.c);
}

static void test_joins_stay_lifo(void **state) {
    (void)state;
    Built b;
    build(&b, "fn w(n: i64) -> i64 = if n == 0 { 0 } else { w(n - 1) }\n"
              "fn main() -> i64 {\n"
              "  let a = w(1)\n"
              "  let b = w(2)\n"
              "  let c = a + 1\n"
              "  let d = w(3)\n"
              "  b + c + d\n"
              "}\n");
    const IrRegion *r = body_region(&b, "main");
    assert_true(r->nodes[0].spawn);
    assert_int_equal(r->nodes[0].join_at, 2);
    /* b's consumer is the last node, but a is joined at node 2 first: b may
     * not outlive it, and nothing calls between 1 and 2, so b runs inline */
    assert_false(r->nodes[1].spawn);
    assert_true(r->nodes[3].spawn == false);
    compiled_free(&b.c);
}

static void test_leaf_calls_are_not_tasks(void **state) {
    (void)state;
    Built b;
    build(&b, "fn sq(x: i64) -> i64 = x * x\n"
              "fn main() {\n  let a = sq(2)\n  let b = sq(3)\n  println(a + b)\n}\n");
    assert_false(func(&b, "sq")->heavy);
    assert_false(func(&b, "main")->spawns);
    assert_false(func(&b, "main")->needs_clone);
    compiled_free(&b.c);
}

/* Heavy means unbounded: calls of calls of scalar code are not, recursion
 * (also mutual, also a self tail call), array builtins and function values
 * are, and so is whatever calls them. */
static void test_heavy_is_unbounded(void **state) {
    (void)state;
    Built b;
    build(&b, "fn sq(x: f64) -> f64 = x * x\n"
              "fn cnd(x: f64) -> f64 = sq(x) + sq(x + 1.0)\n"
              "fn price(x: f64) -> f64 = cnd(x) - cnd(x * 2.0)\n"
              "fn even(n: i64) -> bool = if n == 0 { true } else { odd(n - 1) }\n"
              "fn odd(n: i64) -> bool = if n == 0 { false } else { even(n - 1) }\n"
              "fn spin(n: i64) -> i64 = if n == 0 { 0 } else { spin(n - 1) }\n"
              "fn total(n: i64) -> i64 = sum(0..n)\n"
              "fn apply(f: fn(i64) -> i64, x: i64) -> i64 = f(x)\n"
              "fn uses_total(n: i64) -> i64 = total(n) + 1\n"
              "fn main() {\n  println(price(1.0))\n  println(even(4))\n  println(spin(3))\n"
              "  println(uses_total(3))\n  println(apply(fn(x) => x, 2))\n}\n");
    assert_false(func(&b, "sq")->heavy);
    assert_false(func(&b, "cnd")->heavy);
    assert_false(func(&b, "price")->heavy);
    assert_false(func(&b, "price")->spawns);
    assert_true(func(&b, "even")->heavy);
    assert_true(func(&b, "odd")->heavy);
    assert_true(func(&b, "spin")->heavy);
    assert_true(func(&b, "total")->heavy);
    assert_true(func(&b, "apply")->heavy);
    assert_true(func(&b, "uses_total")->heavy);
    compiled_free(&b.c);
}

static void test_dot_dump(void **state) {
    (void)state;
    Built b;
    build(&b, FIB);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ir_dump_dot(f, b.ir);
    fclose(f);
    assert_non_null(strstr(text, "digraph pel {"));
    assert_non_null(strstr(text, "fn fib (spawns tasks)"));
    assert_non_null(strstr(text, "let a = fib(n - 1)\\nspawn; join before node 2"));
    assert_non_null(strstr(text, "->"));
    free(text);
    compiled_free(&b.c);
}

/* Collects the expressions of a function whose facts pass a test. */
typedef struct Collect {
    const IrFunc *f;
    bool (*want)(const IrFact *x);
    Expr *found[16];
    int n;
} Collect;

static void collect(Expr *e, void *ctx) {
    Collect *c = ctx;
    if (c->want(ir_fact(c->f, e)) && c->n < 16) c->found[c->n++] = e;
    ast_visit_children(e, collect, c);
}

static int collect_in(const IrFunc *f, bool (*want)(const IrFact *), Collect *c) {
    *c = (Collect){.f = f, .want = want};
    collect(f->fn->body, c);
    return c->n;
}

static bool outer_fused(const IrFact *x) { return x->fused && !x->inner; }
static bool in_place(const IrFact *x) { return x->in_place && !x->inner; }
static bool moved(const IrFact *x) { return x->move; }
static bool tiled(const IrFact *x) { return x->tile != TILE_NONE; }

static void test_fusion_is_recorded(void **state) {
    (void)state;
    Built b;
    build(&b, "fn main() {\n"
              "  let xs = [1, 2, 3]\n"
              "  println(0..10 |> map(fn(i) => i * 2) |> map(fn(x) => x + 1) |> sum())\n"
              "  println(sum(xs))\n"
              "  println(filter(map(xs, fn(x) => x), fn(x) => x > 1))\n"
              "}\n");
    const IrFunc *m = func(&b, "main");
    Collect c;
    /* sum(xs) reads an array as it is; filter's argument is materialised
     * (filter is not a consumer), its map over xs is not fused either */
    assert_int_equal(collect_in(m, outer_fused, &c), 1);
    char chain[256] = "";
    ir_describe_fusion(m, c.found[0], chain, sizeof chain);
    assert_string_equal(chain, "sum <- map <- map <- range");
    IrPipe p;
    ir_pipe_of(m, c.found[0]->u.call.args[0], &p);
    assert_int_equal(p.n, 2);
    assert_int_equal(p.base->kind, E_RANGE);
    compiled_free(&b.c);
}

/* Moves, in-place consumers and tiles are decided in the IR. */
static void test_decisions_are_facts(void **state) {
    (void)state;
    Built b;
    /* each sort is printed at once, so no sort runs as a task (a task
     * borrows the spawner's variables and never takes them) */
    build(&b, "fn gen(n: i64) -> [i64] = for i in 0..n => n - i\n"
              "fn main() {\n"
              "  let xs = gen(5)\n"
              "  let s = sort(xs)\n"           /* line 4: xs's last use: moved */
              "  println(s)\n"
              "  let ys = gen(4)\n"
              "  let t = sort(ys)\n"           /* line 7: used again below: a copy */
              "  println(t)\n"
              "  let u = sort(ys)\n"           /* line 9: the last use: moved */
              "  println(u)\n"
              "  let v = sort(gen(3))\n"       /* line 11: a temporary */
              "  println(v)\n"
              "  let a = for i in 0..4 => for j in 0..4 => sum(for k in 0..4 => i * j + k)\n"
              "  let r = for j in 0..8 => sum(for k in 0..4 => j * k)\n"
              "  println((a, r))\n"
              "}\n");
    const IrFunc *m = func(&b, "main");
    Collect c;
    /* every last use: xs, s, t, the second ys, u, v, a, r */
    assert_int_equal(collect_in(m, moved, &c), 8);
    assert_string_equal(c.found[0]->u.name.name, "xs");
    assert_string_equal(c.found[3]->u.name.name, "ys");
    assert_int_equal(c.found[3]->loc.line, 9);
    /* sort(xs), the second sort(ys), sort(gen(3)); the fors over ranges
     * are not in place */
    assert_int_equal(collect_in(m, in_place, &c), 3);
    assert_int_equal(c.found[0]->loc.line, 4);
    assert_int_equal(c.found[1]->loc.line, 9);
    assert_int_equal(c.found[2]->loc.line, 11);
    /* the rows of line 13, each row of them (built one by one when a row
     * tile fails), and line 14 */
    assert_int_equal(collect_in(m, tiled, &c), 3);
    assert_int_equal(ir_fact(m, c.found[0])->tile, TILE_ROWS);
    assert_int_equal(c.found[0]->loc.line, 13);
    assert_int_equal(ir_fact(m, c.found[1])->tile, TILE_ELEMS);
    assert_int_equal(c.found[1]->loc.line, 13);
    assert_int_equal(ir_fact(m, c.found[2])->tile, TILE_ELEMS);
    assert_int_equal(c.found[2]->loc.line, 14);
    /* gen loops over an array: unbounded; a bounded body has a number */
    assert_int_equal(func(&b, "gen")->cost, COST_UNBOUNDED);
    compiled_free(&b.c);
}

static void test_cost_of_bounded_calls(void **state) {
    (void)state;
    Built b;
    build(&b, "fn sq(x: f64) -> f64 = x * x\n"
              "fn hyp(a: f64, b: f64) -> f64 = sqrt(sq(a) + sq(b))\n"
              "fn main() = println(hyp(3.0, 4.0))\n");
    uint32_t sq = func(&b, "sq")->cost, hyp = func(&b, "hyp")->cost;
    assert_int_equal(sq, 3); /* x * x: the product and its two operands */
    assert_true(hyp > 2 * sq && hyp != COST_UNBOUNDED);
    assert_false(func(&b, "hyp")->heavy);
    assert_true(ir_verify(b.ir));
    compiled_free(&b.c);
}

static void test_long_block_is_linear(void **state) {
    (void)state;
    /* 20000 prints: effect edges are transitively reduced (O(n), not O(n^2)) */
    size_t cap = 20000 * 24 + 64;
    char *src = malloc(cap);
    size_t n = (size_t)sprintf(src, "fn main() {\n");
    for (int i = 0; i < 20000; i++) n += (size_t)sprintf(src + n, "  println(%d)\n", i);
    sprintf(src + n, "}\n");
    Built b;
    build(&b, src);
    const IrRegion *r = body_region(&b, "main");
    int edges = 0;
    for (int i = 0; i < r->n; i++) edges += r->nodes[i].ndeps;
    assert_int_equal(edges, 19999);
    compiled_free(&b.c);
    free(src);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fib_spawns_first_call),
        cmocka_unit_test(test_operands_of_calls_are_tasks),
        cmocka_unit_test(test_effects_order_the_block),
        cmocka_unit_test(test_joins_stay_lifo),
        cmocka_unit_test(test_leaf_calls_are_not_tasks),
        cmocka_unit_test(test_heavy_is_unbounded),
        cmocka_unit_test(test_dot_dump),
        cmocka_unit_test(test_fusion_is_recorded),
        cmocka_unit_test(test_decisions_are_facts),
        cmocka_unit_test(test_cost_of_bounded_calls),
        cmocka_unit_test(test_long_block_is_linear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
