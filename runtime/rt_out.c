/* rt_out.c — the process-wide stdout writer.
 *
 * Our own buffer rather than stdio: the fatal paths (runtime errors, the
 * stack overflow handler) must flush it even when the failing thread was in
 * the middle of a write, which stdio's locks make unsafe. The buffer is
 * guarded by a mutex whose holder is recorded in `owner`, so a fatal path
 * on the holder's own thread skips the lock; `len` grows only after the
 * bytes are copied, so what it covers is always complete.
 *
 * Line-buffered when stdout is a terminal, so that output and eprintln
 * interleave as written; fully buffered otherwise.
 */
#define _GNU_SOURCE
#include "rt_internal.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define OUT_CAP ((size_t)1 << 16)

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static _Atomic int owner; /* token of the thread holding mu, 0 if none */
static _Atomic int next_token;
static _Thread_local int my_token_;
static char buf[OUT_CAP];
static size_t len;
/* the site (PelWorker.site) of the print whose bytes begin the buffer: a
 * failed write loses them first, so its error names that print */
static const char *first_site;
static int tty = -1;

static int my_token(void) {
    if (!my_token_) my_token_ = atomic_fetch_add(&next_token, 1) + 1;
    return my_token_;
}

static void lock(void) {
    pthread_mutex_lock(&mu);
    atomic_store_explicit(&owner, my_token(), memory_order_relaxed);
}

static void unlock(void) {
    atomic_store_explicit(&owner, 0, memory_order_relaxed);
    pthread_mutex_unlock(&mu);
}

/* 0 on success, else errno. */
static int write_fd(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

void rt_write_all(int fd, const char *p, size_t n) {
    (void)write_fd(fd, p, n);
}

/* A failed write to stdout ends the program: the output is incomplete and
 * carrying on would hide it. A closed pipe (`prog | head -1`) ends it as
 * it ends C tools, killed by SIGPIPE without a word: the reader wanted no
 * more. Called with the lock held. */
static _Noreturn void write_failed(int err, const char *site) {
    rt_fail_enter();
    if (err == EPIPE) rt_die_of(SIGPIPE);
    const char *who = site ? site : rt_prog_name();
    const char *pre = site ? ": runtime error: cannot write to stdout: " : ": error: cannot write to stdout: ";
    const char *why = strerror(err);
    rt_out_discard();
    rt_write_all(2, who, strlen(who));
    rt_write_all(2, pre, strlen(pre));
    rt_write_all(2, why, strlen(why));
    rt_write_all(2, "\n", 1);
    _exit(1);
}

static void flush_locked(void) {
    if (len == 0) return;
    int err = write_fd(1, buf, len);
    len = 0;
    if (err) write_failed(err, first_site);
}

static void append_locked(const char *p, size_t n) {
    if (n == 0) return;
    if (n > OUT_CAP - len) {
        flush_locked();
        if (n >= OUT_CAP) {
            int err = write_fd(1, p, n);
            if (err) write_failed(err, rt_site());
            return;
        }
    }
    if (len == 0) first_site = rt_site();
    memcpy(buf + len, p, n);
    len += n;
}

void rt_out_write(const char *p, size_t n, int newline) {
    lock();
    if (tty < 0) tty = isatty(1);
    append_locked(p, n);
    if (newline) append_locked("\n", 1);
    if (tty && (newline || (n && memchr(p, '\n', n)))) flush_locked();
    unlock();
}

void rt_out_write_err(const char *p, size_t n, int newline) {
    /* Holding the stdout lock keeps a whole stderr line together and after
     * everything printed to stdout before it. */
    lock();
    flush_locked();
    int err = n ? write_fd(2, p, n) : 0;
    if (!err && newline) err = write_fd(2, "\n", 1);
    /* a closed stderr ends the program as a closed stdout does; any other
     * failure has nowhere left to be reported */
    if (err == EPIPE) {
        rt_fail_enter();
        rt_die_of(SIGPIPE);
    }
    unlock();
}

/* the fatal path of a failed write: what is left cannot be written either,
 * and rt_out_flush_final must not try again */
void rt_out_discard(void) { len = 0; }

void rt_out_flush(void) {
    lock();
    flush_locked();
    unlock();
}

void rt_out_flush_final(void) {
    if (atomic_load_explicit(&owner, memory_order_relaxed) != my_token()) {
        /* Another thread may be blocked writing to a full pipe; do not wait
         * for it forever. */
        int got = 0;
        for (int i = 0; i < 1000 && !got; i++) {
            got = pthread_mutex_trylock(&mu) == 0;
            if (!got) nanosleep(&(struct timespec){0, 1000000}, NULL);
        }
        if (!got) return;
        atomic_store_explicit(&owner, my_token(), memory_order_relaxed);
    }
    if (len) rt_write_all(1, buf, len);
    len = 0;
    /* Stay locked: nothing else reaches stdout before the _exit. */
}

/* Around a call of an effectful C function (pel_rt.h): our buffer out
 * before it, stdio's after, so both sides' output keeps the calls' order. */
void pel_rt_c_call_begin(void) { rt_out_flush(); }

void pel_rt_c_call_end(void) { fflush(stdout); }

/* After an exported call (rt_start.c): every task of the call has joined,
 * so nothing else writes; flushing an empty buffer would only cost the
 * lock. */
void rt_out_flush_pending(void) {
    if (__atomic_load_n(&len, __ATOMIC_RELAXED) != 0) rt_out_flush();
}
