/* rt_signal.c — stack overflow in a worker becomes a runtime error;
 * SIGINT, SIGTERM and SIGHUP end the program with what it printed.
 *
 * Each worker stack has a PROT_NONE guard region at its low end. A fault
 * there cannot be handled on the overflowed stack, so every worker thread
 * has an alternate signal stack and the SIGSEGV handler runs on it. Faults
 * anywhere else are not ours: the previous disposition is restored and the
 * fault re-raised, so crashes still crash (and dump core).
 */
#define _GNU_SOURCE
#include "rt_internal.h"

#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define ALTSTACK_BYTES ((size_t)64 << 10)

/* Written before the worker threads start (pthread_create orders it), read
 * by the handler. */
static struct {
    uintptr_t lo, hi;
} guards[RT_MAX_WORKERS];

static struct sigaction old_segv;
static int installed;

static _Thread_local void *altstack;

static void on_segv(int sig, siginfo_t *si, void *ctx) {
    (void)ctx;
    uintptr_t a = (uintptr_t)si->si_addr;
    if (si->si_code > 0) { /* raised by the kernel for a real fault */
        for (int i = 0; i < RT_MAX_WORKERS; i++) {
            if (a >= guards[i].lo && a < guards[i].hi) {
                static const char msg[] = "runtime error: stack overflow (recursion too deep)\n";
                rt_fail_enter();
                rt_out_flush_final();
                rt_write_all(2, msg, sizeof msg - 1);
                _exit(1);
            }
        }
    }
    /* Not ours. Returning re-executes the faulting instruction under the old
     * disposition; a signal sent by kill() must be sent again. */
    sigaction(SIGSEGV, &old_segv, NULL);
    if (si->si_code <= 0) raise(sig);
}

_Noreturn void rt_die_of(int sig) {
    /* the default action, unblocked, on this thread: the process ends as
     * if the signal had never been caught (status 128 + sig in a shell) */
    signal(sig, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
    _exit(128 + sig); /* not reached: the default action of these ends it */
}

/* Ctrl-C or kill: the output printed so far is written first, then the
 * signal ends the process. No rt_fail_enter: the signal may arrive on a
 * thread that is reporting an error, which would then wait forever for
 * itself; rt_out_flush_final already copes with a held lock. */
static void on_stop(int sig) {
    rt_out_flush_final();
    rt_die_of(sig);
}

void rt_signal_install_stop(void) {
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old;
        /* an ignored signal stays ignored (nohup, a shell's background
         * job), and a handler of the host's (the REPL's) stays */
        if (sigaction(sigs[i], NULL, &old) != 0 || old.sa_handler != SIG_DFL) continue;
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_stop;
        sigemptyset(&sa.sa_mask);
        for (size_t j = 0; j < sizeof sigs / sizeof sigs[0]; j++) sigaddset(&sa.sa_mask, sigs[j]);
        sigaction(sigs[i], &sa, NULL);
    }
}

void rt_signal_install(void) {
    if (installed) return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGSEGV, &sa, &old_segv) == 0) installed = 1;
}

void rt_signal_set_guard(int id, void *lo, size_t len) {
    guards[id].lo = (uintptr_t)lo;
    guards[id].hi = (uintptr_t)lo + len;
}

void rt_signal_thread_init(void) {
    size_t len = ALTSTACK_BYTES;
    long min = sysconf(_SC_SIGSTKSZ);
    if (min > 0 && (size_t)min * 4 > len) len = (size_t)min * 4;
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return; /* no overflow report on this thread, still correct */
    stack_t ss = {.ss_sp = p, .ss_size = len, .ss_flags = 0};
    if (sigaltstack(&ss, NULL) != 0) {
        munmap(p, len);
        return;
    }
    altstack = p;
}

void rt_signal_thread_fini(void) {
    if (!altstack) return;
    stack_t ss = {.ss_sp = NULL, .ss_size = 0, .ss_flags = SS_DISABLE};
    stack_t old;
    sigaltstack(&ss, &old);
    munmap(altstack, old.ss_size);
    altstack = NULL;
}
