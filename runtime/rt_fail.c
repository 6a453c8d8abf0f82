/* rt_fail.c — runtime errors: "where: runtime error: MSG", exit status 1.
 *
 * pel_rt_fail* build the message and hand it to rt_raise (rt_err.c), which
 * chooses the error a sequential run would meet first; the root context then
 * reports it here. Immediate reports (out of memory, stack overflow, errors
 * of the runtime itself) can still race with it: the first one to swap the
 * flag reports, the others pause until its _exit ends the process, so
 * exactly one message is printed. Buffered stdout is flushed first, so output
 * printed before the error is never lost. _exit, not exit: other workers are
 * still running and must not see atexit handlers or a half-torn-down process.
 */
#define _GNU_SOURCE
#include "rt_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static _Atomic int failing;

void rt_fail_enter(void) {
    if (atomic_exchange(&failing, 1))
        for (;;) pause();
}

/* The line as it will be printed, in malloc'ed memory: the error may
 * outlive the frames `where` and the message point into (rt_err.c keeps it
 * until the tasks sequentially before it are done). */
static char *make_line(const char *where, const char *a, size_t alen, const char *b, size_t blen) {
    static const char tag[] = "runtime error: ";
    size_t wlen = where && *where ? strlen(where) : 0;
    size_t n = (wlen ? wlen + 2 : 0) + sizeof tag - 1 + alen + blen + 1;
    char *line = malloc(n + 1);
    if (!line) rt_oom();
    char *p = line;
    if (wlen) {
        memcpy(p, where, wlen);
        memcpy(p + wlen, ": ", 2);
        p += wlen + 2;
    }
    memcpy(p, tag, sizeof tag - 1);
    p += sizeof tag - 1;
    memcpy(p, a, alen);
    p += alen;
    memcpy(p, b, blen);
    p += blen;
    *p++ = '\n';
    *p = '\0';
    return line;
}

/* A test's or fuzzer's way out of a runtime error (rt_internal.h): when
 * set, it takes the line and longjmps back to its caller instead of the
 * exit. NULL in programs. */
void (*rt_report_hook)(const char *line);

/* Flushes stdout, writes the line to stderr, exits 1. One write so that a
 * concurrent eprintln cannot split the line (rt_write_all continues it if
 * the write was short). */
_Noreturn void rt_report(const char *line) {
    if (rt_report_hook) rt_report_hook(line); /* does not return */
    rt_fail_enter();
    rt_out_flush_final();
    rt_write_all(2, line, strlen(line));
    _exit(1);
}

/* On a worker, the error goes through rt_raise, which decides whether an
 * error sequentially before it wins; elsewhere (no runtime running) it is
 * reported at once. */
static _Noreturn void raise_line(char *line) {
    RtWorker *w = rt_self;
    if (w && w->ctx) rt_raise(w, line);
    rt_report(line);
}

static _Noreturn void fail(const char *where, const char *a, size_t alen, const char *b,
                           size_t blen) {
    raise_line(make_line(where, a, alen, b, blen));
}

/* The text is quoted as print quotes strings inside arrays, so that
 * whitespace and control bytes in a bad input are visible. */
_Noreturn void rt_fail_quoted(const char *where, const char *prefix, const PelStr *s,
                              const char *suffix) {
    struct PelBuf b = {0};
    pel_rt_buf_lit(&b, prefix);
    pel_rt_buf_str(&b, s, 1);
    pel_rt_buf_lit(&b, suffix);
    char *line = make_line(where, b.data, b.len, "", 0);
    free(b.data);
    raise_line(line);
}

_Noreturn void pel_rt_fail(const char *where, const char *msg) {
    fail(where, msg, strlen(msg), "", 0);
}

_Noreturn void pel_rt_fail_str(const char *where, const char *msg_prefix, const PelStr *s) {
    fail(where, msg_prefix, strlen(msg_prefix), s->data, (size_t)s->len);
}

_Noreturn void pel_rt_fail_index(const char *where, int64_t index, int64_t len) {
    char msg[96];
    int n = snprintf(msg, sizeof msg, "index %" PRId64 " out of bounds for length %" PRId64, index,
                     len);
    fail(where, msg, (size_t)n, "", 0);
}

_Noreturn void pel_rt_fail_f64(const char *where, const char *msg_prefix, double v,
                               const char *msg_suffix) {
    char num[32], msg[256];
    num[rt_format_f64(num, v)] = 0;
    int n = snprintf(msg, sizeof msg, "%s%s%s", msg_prefix, num, msg_suffix);
    fail(where, msg, n < 0 ? 0 : (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1, "", 0);
}

/* Errors of the runtime itself (bad environment, no memory): the caller has
 * entered the failing state already. */
_Noreturn void rt_fatal(const char *msg) {
    rt_out_flush_final();
    const char *prog = rt_prog_name();
    rt_write_all(2, prog, strlen(prog));
    rt_write_all(2, ": error: ", 9);
    rt_write_all(2, msg, strlen(msg));
    rt_write_all(2, "\n", 1);
    _exit(1);
}

const char *rt_site(void) {
    RtWorker *w = rt_self;
    return w && w->pub.site ? w->pub.site : NULL;
}

/* At once, not through rt_raise: nothing can be allocated to hold it, and
 * running out of memory depends on the schedule anyway. The line is built
 * on the stack for the same reason. */
_Noreturn void rt_oom_bytes(size_t bytes) {
    const char *site = rt_site();
    char line[600];
    int n = snprintf(line, sizeof line, "%.400s%sruntime error: out of memory", site ? site : "", site ? ": " : "");
    if (n < 0) n = 0;
    if (bytes && (size_t)n < sizeof line)
        n += snprintf(line + n, sizeof line - (size_t)n, " (%zu bytes)", bytes);
    if ((size_t)n >= sizeof line - 1) n = (int)sizeof line - 2;
    line[n] = '\n';
    line[n + 1] = 0;
    rt_report(line);
}

_Noreturn void rt_oom(void) { rt_oom_bytes(0); }
