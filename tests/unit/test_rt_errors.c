/* test_rt_errors.c — runtime errors, bad environment, stack overflow and
 * write failures, each in a forked child whose stdout, stderr and exit
 * status are checked. */
#define _GNU_SOURCE
#include "rt_internal.h"

#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

typedef struct {
    int status;  /* raw wait status */
    char *out;   /* captured stdout */
    size_t out_len;
    char *err;   /* captured stderr */
} Child;

static char *slurp(int fd, size_t *len) {
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    lseek(fd, 0, SEEK_SET);
    for (;;) {
        if (n == cap) buf = realloc(buf, (cap *= 2) + 1);
        ssize_t k = read(fd, buf + n, cap - n);
        if (k <= 0) break;
        n += (size_t)k;
    }
    buf[n] = '\0';
    if (len) *len = n;
    close(fd);
    return buf;
}

/* The previous child's captures, freed at the next run_child. */
static Child last;

static int free_last(void **state) {
    (void)state;
    free(last.out);
    free(last.err);
    last.out = last.err = NULL;
    return 0;
}

/* Runs fn in a child with stdout and stderr in temporary files (or both in
 * one file when `merged`). The result stays valid until the next call. */
static Child run_child(void (*fn)(void), int merged) {
    free_last(NULL);
    char out_path[] = "/tmp/pel_rt_outXXXXXX", err_path[] = "/tmp/pel_rt_errXXXXXX";
    int out = mkstemp(out_path), err = merged ? out : mkstemp(err_path);
    assert_true(out >= 0 && err >= 0);
    unlink(out_path);
    if (!merged) unlink(err_path);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(out, 1);
        dup2(err, 2);
        fn();
        _exit(99); /* fn must not return */
    }
    Child c;
    assert_int_equal(waitpid(pid, &c.status, 0), pid);
    c.err = merged ? strdup("") : slurp(err, NULL);
    c.out = slurp(out, &c.out_len);
    last = c;
    return c;
}

/* Sanitizers may add warnings of their own around ours. */
static void assert_has_line(const char *s, const char *line) {
    const char *at = strstr(s, line);
    if (!at || (at != s && at[-1] != '\n')) fail_msg("\"%s\" lacks the line \"%s\"", s, line);
}

static void assert_exit1(const Child *c) {
    assert_true(WIFEXITED(c->status));
    assert_int_equal(WEXITSTATUS(c->status), 1);
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
    Child c = run_child(child_fail, 0);
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
    Child c = run_child(child_fail_index, 0);
    assert_exit1(&c);
    assert_string_equal(c.err, "x.pel:1:2: runtime error: index 5 out of bounds for length 3\n");
    c = run_child(child_fail_f64, 0);
    assert_exit1(&c);
    assert_string_equal(c.err, "x.pel:1:2: runtime error: cannot convert 1e+300 to i64: out of range\n");
    c = run_child(child_fail_nan, 0);
    assert_string_equal(c.err, "x.pel:1:2: runtime error: cannot convert nan to i64\n");
    c = run_child(child_fail_str, 0);
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
    Child c = run_child(child_big_then_fail, 1);
    assert_exit1(&c);
    assert_int_equal(c.out_len, 1000000 + strlen("b.pel:1:1: runtime error: late\n"));
    assert_string_equal(c.out + 1000000, "b.pel:1:1: runtime error: late\n");
}

/* ---- two workers fail at once: one message ------------------------------ */

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

static void test_concurrent_failures(void **state) {
    (void)state;
    for (int i = 0; i < 5; i++) {
        Child c = run_child(child_two_fail, 0);
        assert_exit1(&c);
        if (strcmp(c.err, "t.pel:1:1: runtime error: child\n") != 0 &&
            strcmp(c.err, "t.pel:2:2: runtime error: parent\n") != 0)
            fail_msg("unexpected stderr: %s", c.err);
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
        Child c = run_child(child_env, 0);
        assert_exit1(&c);
        char want[200];
        snprintf(want, sizeof want,
                 "pel: error: PEL_WORKERS must be an integer from 1 to 256 (got \"%s\")\n", bad[i]);
        assert_string_equal(c.err, want);
        assert_string_equal(c.out, "");
    }
    env_name = "PEL_SEQ_DEPTH";
    env_value = "0";
    Child c = run_child(child_env, 0);
    assert_exit1(&c);
    assert_string_equal(c.err,
                        "pel: error: PEL_SEQ_DEPTH must be an integer from 1 to 1073741824 (got \"0\")\n");
    /* good values run the program */
    env_name = "PEL_WORKERS";
    env_value = "256";
    c = run_child(child_env, 0);
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
    Child c = run_child(child_stats, 0);
    assert_true(WIFEXITED(c.status) && WEXITSTATUS(c.status) == 0);
    assert_string_equal(c.out, "ran\n");
    assert_non_null(strstr(c.err, "pel: stats: 2 workers"));
    assert_non_null(strstr(c.err, "\npel: stats:      0 "));
    assert_non_null(strstr(c.err, "\npel: stats:      1 "));
    assert_non_null(strstr(c.err, "\npel: stats:  total "));
    int fd = open("/tmp/pel_rt_test_trace.json", O_RDONLY);
    assert_true(fd >= 0);
    char *trace = slurp(fd, NULL);
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
    Child c = run_child(child_overflow_small, 0);
    assert_exit1(&c);
    assert_string_equal(c.out, "started\n");
    assert_has_line(c.err, "runtime error: stack overflow (recursion too deep)\n");
#ifndef PEL_TEST_TSAN /* 256 MiB of stack under tsan's shadow memory: skip */
    c = run_child(child_overflow_default, 0);
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
    Child c = run_child(child_null, 0);
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
    Child c = run_child(child_interleave, 1);
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

static void test_write_error(void **state) {
    (void)state;
    Child c = run_child(child_epipe, 0);
    assert_exit1(&c);
    assert_string_equal(c.err, "pel: error: cannot write to stdout: Broken pipe\n");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fail_flushes_and_exits),
        cmocka_unit_test(test_fail_variants),
        cmocka_unit_test(test_output_not_lost),
        cmocka_unit_test(test_concurrent_failures),
        cmocka_unit_test(test_bad_env),
        cmocka_unit_test(test_stats_and_trace),
        cmocka_unit_test(test_stack_overflow),
        cmocka_unit_test(test_other_segfault_crashes),
        cmocka_unit_test(test_eprintln_flushes_stdout),
        cmocka_unit_test(test_write_error),
    };
    return cmocka_run_group_tests(tests, NULL, free_last);
}
