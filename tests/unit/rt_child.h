/* rt_child.h — runs a function that ends the process (a runtime error) in
 * a forked child and captures its stdout, stderr and exit status, for the
 * runtime's unit tests (test_rt_errors, test_rt_mem, test_rt_par,
 * test_rt_strfn). */
#ifndef PEL_RT_CHILD_H
#define PEL_RT_CHILD_H

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
    int status;     /* raw wait status */
    char *out;      /* captured stdout, NUL-terminated */
    size_t out_len; /* its length (it may hold NUL bytes) */
    char *err;      /* captured stderr ("" when merged into out) */
} Child;

#ifdef PEL_TEST_TSAN
/* ThreadSanitizer sleeps 1 s in every exiting child by default (so that
 * other threads can still report); dozens of children make that minutes. */
const char *__tsan_default_options(void);
const char *__tsan_default_options(void) { return "atexit_sleep_ms=0"; }
#endif

static char *child_slurp(int fd, size_t *len) {
    size_t cap = 1 << 12, n = 0;
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
static Child last_child;

static void child_free(void) {
    free(last_child.out);
    free(last_child.err);
    last_child.out = last_child.err = NULL;
}

/* Runs fn in a child with stdout and stderr in temporary files, or both in
 * one file when `merged` (their interleaving is then kept). The result
 * stays valid until the next call. fn must not return. */
static Child run_child_into(void (*fn)(void), int merged) {
    child_free();
    char out_path[] = "/tmp/pel_rtc_outXXXXXX", err_path[] = "/tmp/pel_rtc_errXXXXXX";
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
        _exit(99);
    }
    Child c;
    assert_int_equal(waitpid(pid, &c.status, 0), pid);
    c.err = merged ? strdup("") : child_slurp(err, NULL);
    c.out = child_slurp(out, &c.out_len);
    last_child = c;
    return c;
}

static inline Child run_child(void (*fn)(void)) { return run_child_into(fn, 0); }
static inline Child run_child_merged(void (*fn)(void)) { return run_child_into(fn, 1); }

static void assert_exit1(const Child *c) {
    if (!WIFEXITED(c->status) || WEXITSTATUS(c->status) != 1)
        fail_msg("want exit status 1, got wait status 0x%x; stderr: %s", c->status, c->err);
}

#endif
