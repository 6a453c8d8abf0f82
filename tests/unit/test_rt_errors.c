/* test_rt_errors.c — runtime errors (and that the one reported is the one a
 * sequential run meets first), bad environment, stack overflow and write
 * failures, each in a forked child whose stdout, stderr and exit status are
 * checked. */
#define _GNU_SOURCE
#include "rt_internal.h"

#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "rt_child.h"

/* Sanitizers may add warnings of their own around ours. */
static void assert_has_line(const char *s, const char *line) {
    const char *at = strstr(s, line);
    if (!at || (at != s && at[-1] != '\n')) fail_msg("\"%s\" lacks the line \"%s\"", s, line);
}

static void say(const char *text) {
    PelBuf *b = pel_rt_buf(NULL);
    pel_rt_buf_lit(b, text);
    pel_rt_buf_emit(b, 1, 1);
}

/* ---- pel_rt_fail* ------------------------------------------------------- */

static void child_fail(void) {
    say("before");
    pel_rt_fail("a.pel:3:7", "division by zero");
}

static void test_fail_flushes_and_exits(void **state) {
    (void)state;
    Child c = run_child(child_fail);
    assert_exit1(&c);
    assert_string_equal(c.out, "before\n");
    assert_string_equal(c.err, "a.pel:3:7: runtime error: division by zero\n");
}

static void child_fail_index(void) { pel_rt_fail_index("x.pel:1:2", 5, 3); }
static void child_fail_f64(void) { pel_rt_fail_f64("x.pel:1:2", "cannot convert ", 1e300, " to i64: out of range"); }
static void child_fail_nan(void) { pel_rt_fail_f64("x.pel:1:2", "cannot convert ", __builtin_nan(""), " to i64"); }
static void child_fail_str(void) {
    PelStr *s = pel_rt_str_new("x > 0", 5);
    pel_rt_fail_str("x.pel:9:1", "assertion failed: ", s);
}

static void test_fail_variants(void **state) {
    (void)state;
    Child c = run_child(child_fail_index);
    assert_exit1(&c);
    assert_string_equal(c.err, "x.pel:1:2: runtime error: index 5 out of bounds for length 3\n");
    c = run_child(child_fail_f64);
    assert_exit1(&c);
    assert_string_equal(c.err, "x.pel:1:2: runtime error: cannot convert 1e+300 to i64: out of range\n");
    c = run_child(child_fail_nan);
    assert_string_equal(c.err, "x.pel:1:2: runtime error: cannot convert nan to i64\n");
    c = run_child(child_fail_str);
    assert_exit1(&c);
    assert_string_equal(c.err, "x.pel:9:1: runtime error: assertion failed: x > 0\n");
}

/* A megabyte of output, then an error: all of it arrives, then the error. */
static void child_big_then_fail(void) {
    for (int i = 0; i < 100000; i++) say("123456789");
    pel_rt_fail("b.pel:1:1", "late");
}

static void test_output_not_lost(void **state) {
    (void)state;
    Child c = run_child_merged(child_big_then_fail);
    assert_exit1(&c);
    assert_int_equal(c.out_len, 1000000 + strlen("b.pel:1:1: runtime error: late\n"));
    assert_string_equal(c.out + 1000000, "b.pel:1:1: runtime error: late\n");
}

/* ---- two workers fail at once: one message, the sequentially first ------ */

static void fail_task(PelWorker *w, PelTask *t) {
    (void)w;
    (void)t;
    pel_rt_fail("t.pel:1:1", "child");
}

static int64_t entry_two_fail(PelWorker *w) {
    PelTask t;
    int s = pel_spawn(w, &t, fail_task);
    /* give the other worker a chance to take the child */
    for (int i = 0; i < 1000000; i++) pel_poll(w, 0);
    (void)s;
    pel_rt_fail("t.pel:2:2", "parent");
}

static void child_two_fail(void) {
    setenv("PEL_WORKERS", "2", 1);
    pel_rt_main(0, NULL, entry_two_fail);
}

/* The spawned child comes first in sequential order, whether it was stolen
 * (and failed on the other worker, perhaps first in time) or not. */
static void test_concurrent_failures(void **state) {
    (void)state;
    for (int i = 0; i < 5; i++) {
        Child c = run_child(child_two_fail);
        assert_exit1(&c);
        assert_string_equal(c.err, "t.pel:1:1: runtime error: child\n");
    }
}

/* ---- deterministic errors, in the shape codegen emits -------------------- */

#ifdef PEL_TEST_TSAN /* ThreadSanitizer is ~10x slower */
#define SPIN_NS 5000000
#define REPEAT 2
#else
#define SPIN_NS 20000000
#define REPEAT 10
#endif

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Busy for ns nanoseconds, polling as a loop back-edge does. */
static void spin(PelWorker *w, int64_t ns) {
    int64_t end = now_ns() + ns;
    while (now_ns() < end)
        for (int i = 0; i < 100; i++) pel_poll(w, 0);
}

/* Until *flag is set, polling (so the other worker can take a task), for at
 * most 10 s so a broken runtime fails rather than hangs. */
static void wait_flag(PelWorker *w, _Atomic int *flag) {
    int64_t end = now_ns() + INT64_C(10000000000);
    while (!atomic_load(flag) && now_ns() < end) pel_poll(w, 0);
}

typedef struct {
    PelTask hdr;
    _Atomic int started;
    int fails;       /* fail at the end, else say "earlier done" */
    int64_t result;
} SpinFrame;

static void spin_task(PelWorker *w, PelTask *t) {
    SpinFrame *f = (SpinFrame *)t;
    atomic_store(&f->started, 1);
    spin(w, SPIN_NS);
    if (f->fails) {
        /* `where` lives in this frame, which is gone when the error is
         * printed: the runtime must have copied it. */
        char where[32];
        snprintf(where, sizeof where, "s.pel:%d:%d", 1, 5);
        pel_rt_fail(where, "earlier");
    }
    say("earlier done");
    f->result = 1;
}

static const char *env_workers = "2";
static int wait_for_steal; /* the continuation waits until the child runs */
static int earlier_fails;

static int64_t entry_earlier_later(PelWorker *w) {
    SpinFrame f;
    atomic_init(&f.started, 0);
    f.fails = earlier_fails;
    int s = pel_spawn(w, &f.hdr, spin_task);
    if (wait_for_steal) wait_flag(w, &f.started);
    pel_rt_fail("s.pel:2:7", "later");
    /* never reached: the join codegen would emit */
    if (pel_join(w, &f.hdr, s)) spin_task(w, &f.hdr);
    return f.result;
}

static void child_earlier_later(void) {
    setenv("PEL_WORKERS", env_workers, 1);
    pel_rt_main(0, NULL, entry_earlier_later);
}

/* The continuation fails first in time, the spawned child (sequentially
 * earlier) fails later: the child's error is reported, with any number of
 * workers, stolen or not. */
static void test_earlier_error_wins(void **state) {
    (void)state;
    static const char *const ws[] = {"1", "2", "4"};
    earlier_fails = 1;
    for (int k = 0; k < 3; k++) {
        env_workers = ws[k];
        for (int steal = 0; steal < 2; steal++) {
            wait_for_steal = steal && strcmp(ws[k], "1") != 0;
            Child c = run_child(child_earlier_later);
            assert_exit1(&c);
            assert_string_equal(c.out, "");
            assert_string_equal(c.err, "s.pel:1:5: runtime error: earlier\n");
        }
    }
}

/* The earlier child does not fail: the later error is reported, and only
 * once the child has finished (its output is there). */
static void test_later_error_waits(void **state) {
    (void)state;
    static const char *const ws[] = {"1", "2"};
    earlier_fails = 0;
    for (int k = 0; k < 2; k++) {
        env_workers = ws[k];
        wait_for_steal = strcmp(ws[k], "1") != 0;
        Child c = run_child(child_earlier_later);
        assert_exit1(&c);
        assert_string_equal(c.out, "earlier done\n");
        assert_string_equal(c.err, "s.pel:2:7: runtime error: later\n");
    }
}

/* ---- a stolen child's error is raised at its join, behind older tasks ---- */

typedef struct {
    PelTask hdr;
    _Atomic int started;
    int64_t result;
} FailFrame;

static void late_fail_task(PelWorker *w, PelTask *t) {
    (void)t;
    spin(w, SPIN_NS);
    pel_rt_fail("j.pel:1:1", "oldest");
}

static void early_fail_task(PelWorker *w, PelTask *t) {
    (void)w;
    FailFrame *f = (FailFrame *)t;
    atomic_store(&f->started, 1);
    pel_rt_fail("j.pel:2:1", "younger");
}

/* let a = late(); let b = early(); join b; join a */
static int64_t entry_join_order(PelWorker *w) {
    FailFrame a, b;
    atomic_init(&a.started, 0);
    atomic_init(&b.started, 0);
    int sa = pel_spawn(w, &a.hdr, late_fail_task);
    int sb = pel_spawn(w, &b.hdr, early_fail_task);
    /* With 2 workers the thief takes `a` (the oldest); poll until it ran
     * that far, then the join of b runs b here, or joins it stolen. */
    if (wait_for_steal) spin(w, SPIN_NS / 4);
    if (pel_join(w, &b.hdr, sb)) early_fail_task(w, &b.hdr);
    if (pel_join(w, &a.hdr, sa)) late_fail_task(w, &a.hdr);
    return 0;
}

static void child_join_order(void) {
    setenv("PEL_WORKERS", env_workers, 1);
    pel_rt_main(0, NULL, entry_join_order);
}

static void test_join_raises_behind_older(void **state) {
    (void)state;
    static const char *const ws[] = {"1", "2", "3"};
    for (int k = 0; k < 3; k++) {
        env_workers = ws[k];
        wait_for_steal = strcmp(ws[k], "1") != 0;
        Child c = run_child(child_join_order);
        assert_exit1(&c);
        assert_string_equal(c.err, "j.pel:1:1: runtime error: oldest\n");
    }
}

/* ---- errors deep in stolen subtrees: the leftmost failing leaf wins ------ */

#ifdef PEL_TEST_TSAN
#define LEAVES_LOG 9
#else
#define LEAVES_LOG 12
#endif
#define LEAVES (INT64_C(1) << LEAVES_LOG)
/* Sequentially first; fails only after a while. */
#define LEAF_A (LEAVES / 4 + 3)
/* Later in sequence, both fail at once: left half, then right half. */
#define LEAF_B (LEAVES / 2 - 5)
#define LEAF_C (LEAVES - 7)

typedef struct {
    PelTask hdr;
    int64_t lo, hi;
    int64_t result;
} TreeFrame;

static int64_t leaf(PelWorker *w, int64_t i) {
    if (i == LEAF_A) {
        spin(w, SPIN_NS);
        pel_rt_fail_index("tree.pel:1:1", i, 0);
    }
    if (i == LEAF_B) pel_rt_fail_index("tree.pel:2:2", i, 0);
    if (i == LEAF_C) pel_rt_fail_index("tree.pel:3:3", i, 0);
    return i;
}

static int64_t tree_par(PelWorker *w, int64_t lo, int64_t hi);

static int64_t tree_seq(PelWorker *w, int64_t lo, int64_t hi) {
    if (pel_poll(w, 1)) return tree_par(w, lo, hi);
    if (hi - lo == 1) return leaf(w, lo);
    int64_t mid = lo + (hi - lo) / 2;
    return tree_seq(w, lo, mid) + tree_seq(w, mid, hi);
}

static void tree_task(PelWorker *w, PelTask *t) {
    TreeFrame *f = (TreeFrame *)t;
    f->result = tree_par(w, f->lo, f->hi);
}

/* tree(lo, mid) + tree(mid, hi): the left operand is spawned */
static int64_t tree_par(PelWorker *w, int64_t lo, int64_t hi) {
    if (pel_go_sequential(w)) return tree_seq(w, lo, hi);
    if (hi - lo == 1) return leaf(w, lo);
    int64_t mid = lo + (hi - lo) / 2;
    TreeFrame f;
    f.lo = lo;
    f.hi = mid;
    int s = pel_spawn(w, &f.hdr, tree_task);
    int64_t right = tree_par(w, mid, hi);
    if (pel_join(w, &f.hdr, s)) f.result = tree_par(w, lo, mid);
    return f.result + right;
}

static const char *env_seq_depth;

static int64_t entry_tree(PelWorker *w) {
    return tree_par(w, 0, LEAVES);
}

static void child_tree(void) {
    setenv("PEL_WORKERS", env_workers, 1);
    if (env_seq_depth) setenv("PEL_SEQ_DEPTH", env_seq_depth, 1);
    else unsetenv("PEL_SEQ_DEPTH");
    pel_rt_main(0, NULL, entry_tree);
}

static void test_tree_leftmost_wins(void **state) {
    (void)state;
    static const char *const ws[] = {"1", "2", "4"};
    static const char *const depths[] = {NULL, "1", "1073741824"};
    char want[128];
    snprintf(want, sizeof want,
             "tree.pel:1:1: runtime error: index %" PRId64 " out of bounds for length 0\n",
             (int64_t)LEAF_A);
    for (int k = 0; k < 3; k++)
        for (int d = 0; d < 3; d++)
            for (int r = 0; r < REPEAT; r++) {
                env_workers = ws[k];
                env_seq_depth = depths[d];
                Child c = run_child(child_tree);
                assert_exit1(&c);
                if (strcmp(c.err, want) != 0)
                    fail_msg("PEL_WORKERS=%s PEL_SEQ_DEPTH=%s run %d: %s", ws[k],
                             depths[d] ? depths[d] : "default", r, c.err);
            }
}

/* ---- bad environment ---------------------------------------------------- */

static int64_t entry_zero(PelWorker *w) {
    (void)w;
    say("ran");
    return 0;
}

static const char *env_value;
static const char *env_name;

static void child_env(void) {
    setenv(env_name, env_value, 1);
    _exit(pel_rt_main(0, NULL, entry_zero)); /* _exit: children check no leaks */
}

static void test_bad_env(void **state) {
    (void)state;
    static const char *const bad[] = {"abc", "0", "-3", "257", "99999999999999999999", "4x", " 2"};
    env_name = "PEL_WORKERS";
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        env_value = bad[i];
        Child c = run_child(child_env);
        assert_exit1(&c);
        char want[200];
        snprintf(want, sizeof want,
                 "pel: error: PEL_WORKERS must be an integer from 1 to 256 (got \"%s\")\n", bad[i]);
        assert_string_equal(c.err, want);
        assert_string_equal(c.out, "");
    }
    env_name = "PEL_SEQ_DEPTH";
    env_value = "0";
    Child c = run_child(child_env);
    assert_exit1(&c);
    assert_string_equal(c.err,
                        "pel: error: PEL_SEQ_DEPTH must be an integer from 1 to 1073741824 (got \"0\")\n");
    /* good values run the program */
    env_name = "PEL_WORKERS";
    env_value = "256";
    c = run_child(child_env);
    assert_true(WIFEXITED(c.status) && WEXITSTATUS(c.status) == 0);
    assert_string_equal(c.out, "ran\n");
}

/* ---- PEL_STATS and PEL_TRACE ------------------------------------------------ */

static void child_stats(void) {
    setenv("PEL_WORKERS", "2", 1);
    setenv("PEL_STATS", "1", 1);
    setenv("PEL_TRACE", "/tmp/pel_rt_test_trace.json", 1);
    _exit(pel_rt_main(0, NULL, entry_zero)); /* _exit: children check no leaks */
}

static void test_stats_and_trace(void **state) {
    (void)state;
    unlink("/tmp/pel_rt_test_trace.json");
    Child c = run_child(child_stats);
    assert_true(WIFEXITED(c.status) && WEXITSTATUS(c.status) == 0);
    assert_string_equal(c.out, "ran\n");
    assert_non_null(strstr(c.err, "pel: stats: 2 workers"));
    assert_non_null(strstr(c.err, "\npel: stats:      0 "));
    assert_non_null(strstr(c.err, "\npel: stats:      1 "));
    assert_non_null(strstr(c.err, "\npel: stats:  total "));
    int fd = open("/tmp/pel_rt_test_trace.json", O_RDONLY);
    assert_true(fd >= 0);
    char *trace = child_slurp(fd, NULL);
    static const char head[] = "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n";
    assert_true(strncmp(trace, head, sizeof head - 1) == 0);
    assert_non_null(strstr(trace, "\"name\":\"main\",\"ph\":\"X\""));
    assert_non_null(strstr(trace, "\n]}\n"));
    free(trace);
    unlink("/tmp/pel_rt_test_trace.json");
}

/* ---- stack overflow and other faults ---------------------------------------- */

static int64_t deep(volatile char *prev, int64_t n) {
    volatile char pad[512];
    pad[0] = (char)n;
    pad[511] = prev ? prev[0] : 0;
    if (n == INT64_MAX) return 0; /* never: keeps the compiler from calling it infinite */
    return deep(pad, n + 1) + pad[511]; /* not a tail call */
}

static int64_t entry_overflow(PelWorker *w) {
    (void)w;
    say("started");
    return deep(NULL, 0);
}

static void child_overflow_small(void) {
    RtConfig cfg;
    rt_config_from_env(&cfg);
    cfg.workers = 2;
    cfg.stack_bytes = (size_t)16 << 20;
    rt_run(&cfg, entry_overflow);
}

#ifndef PEL_TEST_TSAN
static void child_overflow_default(void) {
    setenv("PEL_WORKERS", "1", 1);
    pel_rt_main(0, NULL, entry_overflow);
}
#endif

static void test_stack_overflow(void **state) {
    (void)state;
    Child c = run_child(child_overflow_small);
    assert_exit1(&c);
    assert_string_equal(c.out, "started\n");
    assert_has_line(c.err, "runtime error: stack overflow (recursion too deep)\n");
#ifndef PEL_TEST_TSAN /* 256 MiB of stack under tsan's shadow memory: skip */
    c = run_child(child_overflow_default);
    assert_exit1(&c);
    assert_has_line(c.err, "runtime error: stack overflow (recursion too deep)\n");
#endif
}

static int64_t entry_null(PelWorker *w) {
    (void)w;
    say("started");
    volatile int *p = NULL;
    return *p;
}

static void child_null(void) {
    signal(SIGSEGV, SIG_DFL); /* cmocka catches SIGSEGV; a program would not */
    setenv("PEL_WORKERS", "1", 1);
    pel_rt_main(0, NULL, entry_null);
}

static void test_other_segfault_crashes(void **state) {
    (void)state;
#if defined(PEL_TEST_TSAN) || defined(__SANITIZE_ADDRESS__)
    skip(); /* the sanitizer reports the SEGV itself */
#endif
    Child c = run_child(child_null);
    assert_true(WIFSIGNALED(c.status));
    assert_int_equal(WTERMSIG(c.status), SIGSEGV);
}

/* ---- output ordering and write errors ----------------------------------------- */

static void child_interleave(void) {
    PelBuf *b = pel_rt_buf(NULL);
    pel_rt_buf_lit(b, "out1");
    pel_rt_buf_emit(b, 1, 1);
    b = pel_rt_buf(NULL);
    pel_rt_buf_lit(b, "err");
    pel_rt_buf_emit(b, 2, 1);
    say("out2");
    rt_out_flush();
    _exit(0);
}

static void test_eprintln_flushes_stdout(void **state) {
    (void)state;
    Child c = run_child_merged(child_interleave);
    assert_string_equal(c.out, "out1\nerr\nout2\n");
}

static void child_epipe(void) {
    int p[2];
    if (pipe(p) != 0) _exit(98);
    close(p[0]);
    dup2(p[1], 1);
    signal(SIGPIPE, SIG_IGN); /* as pel_rt_main does */
    for (int i = 0; i < 100000; i++) say("x");
    rt_out_flush();
    _exit(0);
}

/* a closed pipe ends the program as it ends C tools: SIGPIPE, no word */
static void test_write_error(void **state) {
    (void)state;
    Child c = run_child(child_epipe);
    if (!WIFSIGNALED(c.status) || WTERMSIG(c.status) != SIGPIPE)
        fail_msg("want death by SIGPIPE, got wait status 0x%x; stderr: %s", c.status, c.err);
    assert_string_equal(c.err, "");
}

static void child_full(void) {
    int fd = open("/dev/full", O_WRONLY);
    if (fd < 0) _exit(98);
    dup2(fd, 1);
    for (int i = 0; i < 100000; i++) say("x");
    rt_out_flush();
    _exit(0);
}

/* any other failed write: an error naming stdout, status 1 (no site off a
 * worker, so the program's name begins it) */
static void test_full_error(void **state) {
    (void)state;
    Child c = run_child(child_full);
    assert_exit1(&c);
    assert_non_null(strstr(c.err, ": error: cannot write to stdout: No space left on device\n"));
}

static int free_children(void **state) {
    (void)state;
    child_free();
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fail_flushes_and_exits),
        cmocka_unit_test(test_fail_variants),
        cmocka_unit_test(test_output_not_lost),
        cmocka_unit_test(test_concurrent_failures),
        cmocka_unit_test(test_earlier_error_wins),
        cmocka_unit_test(test_later_error_waits),
        cmocka_unit_test(test_join_raises_behind_older),
        cmocka_unit_test(test_tree_leftmost_wins),
        cmocka_unit_test(test_bad_env),
        cmocka_unit_test(test_stats_and_trace),
        cmocka_unit_test(test_stack_overflow),
        cmocka_unit_test(test_other_segfault_crashes),
        cmocka_unit_test(test_eprintln_flushes_stdout),
        cmocka_unit_test(test_write_error),
        cmocka_unit_test(test_full_error),
    };
    return cmocka_run_group_tests(tests, NULL, free_children);
}
