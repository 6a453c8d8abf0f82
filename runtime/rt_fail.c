/* rt_fail.c — runtime errors: "where: runtime error: MSG", exit status 1.
 *
 * Any worker may fail, several at once. The first one to swap the flag
 * reports; the others pause until its _exit ends the process, so exactly one
 * message is printed. Buffered stdout is flushed first, so output printed
 * before the error is never lost. _exit, not exit: other workers are still
 * running and must not see atexit handlers or a half-torn-down process.
 */
#define _GNU_SOURCE
#include "rt_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

static _Atomic int failing;

void rt_fail_enter(void) {
    if (atomic_exchange(&failing, 1))
        for (;;) pause();
}

/* Flushes stdout, writes the parts to stderr as one line, exits 1. */
static _Noreturn void report(const char *where, const char *a, size_t alen, const char *b,
                             size_t blen) {
    rt_fail_enter();
    rt_out_flush_final();
    struct iovec iov[6];
    int n = 0;
    if (where && *where) {
        iov[n++] = (struct iovec){(void *)where, strlen(where)};
        iov[n++] = (struct iovec){(void *)": ", 2};
    }
    iov[n++] = (struct iovec){(void *)"runtime error: ", 15};
    iov[n++] = (struct iovec){(void *)a, alen};
    iov[n++] = (struct iovec){(void *)b, blen};
    iov[n++] = (struct iovec){(void *)"\n", 1};
    /* One writev so that a concurrent eprintln cannot split the line; fall
     * back to piecewise writes if it was short. */
    size_t total = 0;
    for (int i = 0; i < n; i++) total += iov[i].iov_len;
    ssize_t done = writev(2, iov, n);
    if (done >= 0 && (size_t)done < total) {
        size_t skip = (size_t)done;
        for (int i = 0; i < n; i++) {
            if (skip >= iov[i].iov_len) {
                skip -= iov[i].iov_len;
                continue;
            }
            rt_write_all(2, (const char *)iov[i].iov_base + skip, iov[i].iov_len - skip);
            skip = 0;
        }
    }
    _exit(1);
}

_Noreturn void pel_rt_fail(const char *where, const char *msg) {
    report(where, msg, strlen(msg), "", 0);
}

_Noreturn void pel_rt_fail_str(const char *where, const char *msg_prefix, const PelStr *s) {
    report(where, msg_prefix, strlen(msg_prefix), s->data, (size_t)s->len);
}

_Noreturn void pel_rt_fail_index(const char *where, int64_t index, int64_t len) {
    char msg[96];
    int n = snprintf(msg, sizeof msg, "index %" PRId64 " out of bounds for length %" PRId64, index,
                     len);
    report(where, msg, (size_t)n, "", 0);
}

_Noreturn void pel_rt_fail_f64(const char *where, const char *msg_prefix, double v,
                               const char *msg_suffix) {
    char num[32], msg[256];
    num[rt_format_f64(num, v)] = 0;
    int n = snprintf(msg, sizeof msg, "%s%s%s", msg_prefix, num, msg_suffix);
    report(where, msg, n < 0 ? 0 : (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1, "", 0);
}

/* Errors of the runtime itself (bad environment, no memory): the caller has
 * entered the failing state already. */
_Noreturn void rt_fatal(const char *msg) {
    rt_out_flush_final();
    rt_write_all(2, "pel: error: ", 12);
    rt_write_all(2, msg, strlen(msg));
    rt_write_all(2, "\n", 1);
    _exit(1);
}

_Noreturn void rt_oom(void) {
    report(NULL, "out of memory", 13, "", 0);
}
