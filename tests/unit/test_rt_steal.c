/* test_rt_steal.c — the scheduler under load, through pel_rt_main, with
 * C written in exactly the shape codegen emits: a parallel version that
 * spawns into a frame on its own stack, a sequential clone that polls at
 * entry, task functions that unpack the frame, polls at loop back-edges. */
#define _GNU_SOURCE
#include "rt_internal.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include <cmocka.h>

#ifdef PEL_TEST_TSAN /* ThreadSanitizer is ~10x slower: smaller problems */
#define FIB_N 20
#define FIB_WANT 6765
#define FIB_SPAWNS 10945 /* fib(21) - 1: one spawn per call with n >= 2 */
#define RANGE_LOG 15
#define TREE_LOG 14
#else
#define FIB_N 27
#define FIB_WANT 196418
#define FIB_SPAWNS 317810 /* fib(28) - 1 */
#define RANGE_LOG 22 /* 4M leaves: 4M - 1 spawns with clones off */
#define TREE_LOG 20
#endif

/* ---- fib: `let a = fib(n - 1); let b = fib(n - 2); a + b` ---------------- */

#include "gen_fib.h"

/* ---- range sum: divide and conquer, leaves loop with back-edge polls ----- */

typedef struct {
    PelTask hdr;
    int64_t lo, hi;
    uint64_t result;
} RangeFrame;

static uint64_t leaf(PelWorker *w, int64_t i) {
    uint64_t acc = 0;
    for (int64_t k = 0; k < 8; k++) {
        acc += (uint64_t)(i * 31 + k) * 2654435761u;
        pel_poll(w, 0); /* back-edge */
    }
    return acc;
}

static uint64_t range_par(PelWorker *w, int64_t lo, int64_t hi);

static uint64_t range_seq(PelWorker *w, int64_t lo, int64_t hi) {
    if (pel_poll(w, 1)) return range_par(w, lo, hi);
    if (hi - lo == 1) return leaf(w, lo);
    int64_t mid = lo + (hi - lo) / 2;
    return range_seq(w, lo, mid) + range_seq(w, mid, hi);
}

static void range_task(PelWorker *w, PelTask *t) {
    RangeFrame *f = (RangeFrame *)t;
    f->result = range_par(w, f->lo, f->hi);
}

static uint64_t range_par(PelWorker *w, int64_t lo, int64_t hi) {
    if (pel_go_sequential(w)) return range_seq(w, lo, hi);
    if (hi - lo == 1) return leaf(w, lo);
    int64_t mid = lo + (hi - lo) / 2;
    RangeFrame f;
    f.lo = lo;
    f.hi = mid;
    int s = pel_spawn(w, &f.hdr, range_task);
    uint64_t right = range_par(w, mid, hi);
    if (pel_join(w, &f.hdr, s)) f.result = range_par(w, lo, mid);
    return f.result + right;
}

/* ---- tree sum over a pointer-linked tree ---------------------------------- */

typedef struct Node {
    struct Node *left, *right;
    int64_t value;
} Node;

static Node *tree;
static int64_t tree_want;

static Node *build(int64_t *next, int depth) {
    if (depth == 0) return NULL;
    Node *n = malloc(sizeof *n);
    assert_non_null(n);
    n->value = (*next)++ % 1000 - 300;
    tree_want += n->value;
    n->left = build(next, depth - 1);
    n->right = build(next, depth - 1);
    return n;
}

typedef struct {
    PelTask hdr;
    const Node *node;
    int64_t result;
} TreeFrame;

static int64_t tree_par(PelWorker *w, const Node *n);

static int64_t tree_seq(PelWorker *w, const Node *n) {
    if (pel_poll(w, 1)) return tree_par(w, n);
    if (!n) return 0;
    return n->value + tree_seq(w, n->left) + tree_seq(w, n->right);
}

static void tree_task(PelWorker *w, PelTask *t) {
    TreeFrame *f = (TreeFrame *)t;
    f->result = tree_par(w, f->node);
}

static int64_t tree_par(PelWorker *w, const Node *n) {
    if (pel_go_sequential(w)) return tree_seq(w, n);
    if (!n) return 0;
    TreeFrame f;
    f.node = n->left;
    int s = pel_spawn(w, &f.hdr, tree_task);
    int64_t r = tree_par(w, n->right);
    if (pel_join(w, &f.hdr, s)) f.result = tree_par(w, n->left);
    return n->value + f.result + r;
}

/* ---- driving pel_rt_main ----------------------------------------------------- */

static int64_t got_fib, got_tree;
static uint64_t got_range, want_range;

static int64_t entry_all(PelWorker *w) {
    got_fib = fib_par(w, FIB_N);
    got_range = range_par(w, 0, INT64_C(1) << RANGE_LOG);
    got_tree = tree_par(w, tree);
    return 0;
}

static void run_with(const char *workers, const char *seq_depth, PelEntryFn entry) {
    setenv("PEL_WORKERS", workers, 1);
    if (seq_depth) setenv("PEL_SEQ_DEPTH", seq_depth, 1);
    else unsetenv("PEL_SEQ_DEPTH");
    assert_int_equal(pel_rt_main(0, NULL, entry), 0);
}

static int setup_tree(void **state) {
    (void)state;
    int64_t next = 0;
    tree_want = 0;
    tree = build(&next, TREE_LOG);
    want_range = 0;
    for (int64_t i = 0; i < (INT64_C(1) << RANGE_LOG); i++) {
        uint64_t acc = 0;
        for (int64_t k = 0; k < 8; k++) acc += (uint64_t)(i * 31 + k) * 2654435761u;
        want_range += acc;
    }
    return 0;
}

static void check_all(const char *workers, const char *seq_depth) {
    got_fib = got_tree = -1;
    got_range = 0;
    run_with(workers, seq_depth, entry_all);
    assert_int_equal(got_fib, FIB_WANT);
    assert_int_equal(got_range, want_range);
    assert_int_equal(got_tree, tree_want);
}

static void test_w1(void **state) { (void)state; check_all("1", NULL); }
static void test_w2(void **state) { (void)state; check_all("2", NULL); }
static void test_w4(void **state) { (void)state; check_all("4", NULL); }
static void test_w2_depth1(void **state) { (void)state; check_all("2", "1"); }

static int64_t entry_fib(PelWorker *w) {
    got_fib = fib_par(w, FIB_N);
    return 0;
}

/* Clones off: every call with n >= 2 spawns, whoever runs it, so the total
 * number of spawns is fixed however the work was stolen. */
static void test_clones_off(void **state) {
    (void)state;
    static const char *const ws[] = {"1", "2", "4"};
    for (int i = 0; i < 3; i++) {
        check_all(ws[i], "1073741824");
        got_fib = -1;
        run_with(ws[i], "1073741824", entry_fib);
        assert_int_equal(got_fib, FIB_WANT);
        assert_int_equal(rt_last_totals.spawned, FIB_SPAWNS);
        /* every request was answered or declined exactly once */
        assert_int_equal(rt_last_totals.answered, rt_last_totals.stolen);
    }
}

/* ---- a steal must happen: the parent waits, polling, until the child ran ---- */

typedef struct {
    PelTask hdr;
    _Atomic int *flag;
    int ran_on;
} FlagFrame;

static void flag_task(PelWorker *w, PelTask *t) {
    FlagFrame *f = (FlagFrame *)t;
    f->ran_on = w->id;
    atomic_store(f->flag, 1);
}

static int join_result;
static int child_ran_on;

static int64_t entry_must_steal(PelWorker *w) {
    _Atomic int flag = 0;
    FlagFrame f;
    f.flag = &flag;
    f.ran_on = -1;
    int s = pel_spawn(w, &f.hdr, flag_task);
    /* A loop back-edge polls; nothing else gives the child away. Bounded
     * so a broken runtime fails instead of hanging. */
    time_t start = time(NULL);
    while (!atomic_load(&flag) && time(NULL) - start < 20) pel_poll(w, 0);
    join_result = pel_join(w, &f.hdr, s);
    if (join_result) flag_task(w, &f.hdr);
    child_ran_on = f.ran_on;
    return 0;
}

static void test_must_steal(void **state) {
    (void)state;
    run_with("2", NULL, entry_must_steal);
    assert_int_equal(join_result, 0); /* stolen */
    assert_int_equal(child_ran_on, 1);
    assert_true(rt_last_totals.stolen >= 1);
}

/* ---- idle workers sleep during a sequential phase, and wake after it ---- */

static double cpu_seconds(clockid_t c) {
    struct timespec ts;
    clock_gettime(c, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double other_cpu, phase_wall;

static int64_t entry_sequential_phase(PelWorker *w) {
    double p0 = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID), t0 = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
    double w0 = cpu_seconds(CLOCK_MONOTONIC);
    volatile uint64_t sink = 0;
    while (cpu_seconds(CLOCK_MONOTONIC) - w0 < 0.4) {
        for (int i = 0; i < 10000; i++) {
            sink += (uint64_t)i;
            pel_poll(w, 0);
        }
    }
    other_cpu = (cpu_seconds(CLOCK_PROCESS_CPUTIME_ID) - p0) -
                (cpu_seconds(CLOCK_THREAD_CPUTIME_ID) - t0);
    phase_wall = cpu_seconds(CLOCK_MONOTONIC) - w0;
    got_fib = fib_par(w, FIB_N); /* then parallel work again */
    return 0;
}

static void test_idle_workers_sleep(void **state) {
    (void)state;
    run_with("2", NULL, entry_sequential_phase);
    assert_int_equal(got_fib, FIB_WANT);
    assert_true(rt_last_totals.sleeps >= 1);
    /* The idle worker spins ~1 ms before it sleeps and wakes on the 100 ms
     * backstop: far below a quarter of the phase; spinning would be ~100%. */
    if (other_cpu > phase_wall / 4)
        fail_msg("idle worker used %.3f s CPU in a %.3f s sequential phase", other_cpu,
                 phase_wall);
}

/* ---- the owner of a long stolen task sleeps in its join ---- */

typedef struct {
    PelTask hdr;
    _Atomic int started;
    int64_t result;
} LongFrame;

static void long_task(PelWorker *w, PelTask *t) {
    LongFrame *f = (LongFrame *)t;
    atomic_store(&f->started, 1);
    double w0 = cpu_seconds(CLOCK_MONOTONIC);
    int64_t n = 0;
    while (cpu_seconds(CLOCK_MONOTONIC) - w0 < 0.4) {
        n++;
        pel_poll(w, 0);
    }
    f->result = n;
}

static double join_cpu, join_wall;
static int64_t long_result;

static int64_t entry_long_join(PelWorker *w) {
    LongFrame f;
    atomic_init(&f.started, 0);
    f.result = 0;
    int s = pel_spawn(w, &f.hdr, long_task);
    time_t start = time(NULL);
    while (!atomic_load(&f.started) && time(NULL) - start < 20) pel_poll(w, 0);
    double c0 = cpu_seconds(CLOCK_THREAD_CPUTIME_ID), w0 = cpu_seconds(CLOCK_MONOTONIC);
    join_result = pel_join(w, &f.hdr, s);
    if (join_result) long_task(w, &f.hdr);
    join_cpu = cpu_seconds(CLOCK_THREAD_CPUTIME_ID) - c0;
    join_wall = cpu_seconds(CLOCK_MONOTONIC) - w0;
    long_result = f.result;
    return 0;
}

static void test_join_sleeps(void **state) {
    (void)state;
    run_with("2", NULL, entry_long_join);
    assert_int_equal(join_result, 0);
    assert_true(long_result > 0); /* the thief's result is visible */
    assert_true(rt_last_totals.sleeps >= 1);
    if (join_cpu > join_wall / 4)
        fail_msg("joiner used %.3f s CPU waiting %.3f s", join_cpu, join_wall);
}

/* ---- the exit status is the entry's value ---- */

static int64_t entry_status(PelWorker *w) {
    (void)w;
    return 256 + 7;
}

static void test_status(void **state) {
    (void)state;
    setenv("PEL_WORKERS", "3", 1);
    assert_int_equal(pel_rt_main(0, NULL, entry_status), 7);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_w1),         cmocka_unit_test(test_w2),
        cmocka_unit_test(test_w4),         cmocka_unit_test(test_w2_depth1),
        cmocka_unit_test(test_clones_off), cmocka_unit_test(test_must_steal),
        cmocka_unit_test(test_idle_workers_sleep), cmocka_unit_test(test_join_sleeps),
        cmocka_unit_test(test_status),
    };
    return cmocka_run_group_tests(tests, setup_tree, NULL);
}
