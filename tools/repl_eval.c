/* repl_eval.c — one REPL input runs in a child process.
 *
 * Why fork: a runtime error ends the process that meets it (the runtime
 * prints it and calls _exit(1), other workers are abandoned), and so does
 * a crash; Ctrl-C must stop a long evaluation at any point, which only a
 * process boundary does cleanly. The parent keeps the session, stays
 * single-threaded and never touches LLVM's code generator or the JIT: the
 * child does the code generation, JIT-links, runs the input on a fresh
 * runtime and exits. Whatever the child allocated dies with it, so the
 * parent does not grow line by line.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "repl.h"

volatile sig_atomic_t repl_interrupted;

static void on_sigint(int sig) {
    (void)sig;
    repl_interrupted = 1;
}

/* Only there so that SIGCHLD interrupts sigsuspend (ignored, it would not). */
static void on_sigchld(int sig) { (void)sig; }

void repl_signals_init(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: a blocking read returns EINTR */
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = on_sigchld;
    sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    sigaction(SIGCHLD, &sa, NULL);
}

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* The number of workers the runtime starts: PEL_WORKERS, or the CPUs this
 * process may run on, as rt_start.c decides (it rejects a bad
 * PEL_WORKERS before anything runs). */
static int workers(void) {
    const char *s = getenv("PEL_WORKERS");
    if (s && *s) return atoi(s);
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

static _Noreturn void child(const ReplJob *job, const sigset_t *mask) {
    /* the parent's handlers first, then the signals they were blocked for */
    signal(SIGINT, SIG_DFL);
    signal(SIGCHLD, SIG_DFL);
    sigprocmask(SIG_SETMASK, mask, NULL);
    /* stdin is the REPL's (its script, or the terminal): not the input's */
    int null = open("/dev/null", O_RDONLY);
    if (null >= 0) {
        dup2(null, 0);
        close(null);
    }
    Diag d;
    diag_init(&d, stderr, "pel");
    d.no_warnings = true; /* a session's lets are unused by most inputs */
    double t0 = now_ms();
    job->compile->stop = PEL_STOP_CODE;
    CgModule *m = pel_compile(job->arena, job->compile, &d, job->done) ? job->done->module : NULL;
    CgJit *jit = m ? cg_jit_new(&d) : NULL;
    if (!jit || !cg_jit_add(jit, m, &d)) _exit(2);
    cg_free(m);
    CgMainFn entry = cg_jit_main(jit, &d);
    if (!entry) _exit(2);
    double t1 = now_ms();
    int st = entry(job->argc, job->argv);
    double t2 = now_ms();
    if (job->timed) {
        int n = workers();
        printf("time: %.3f ms (compile %.1f ms), %d worker%s\n", t2 - t1, t1 - t0, n, n == 1 ? "" : "s");
        fflush(stdout);
    }
    /* _exit: the parent's stdio buffers and atexit handlers are not ours */
    _exit(st);
}

bool repl_run(const ReplJob *job) {
    fflush(stdout);
    fflush(stderr);
    /* repl_interrupted is not cleared here: a Ctrl-C typed while the parent
     * was still checking the input must stop this evaluation too (the
     * readers clear it when a new input starts). */
    /* SIGINT and SIGCHLD stay blocked except inside sigsuspend, so neither
     * can slip in between looking at the child and going to sleep. */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGCHLD);
    sigprocmask(SIG_BLOCK, &block, &old);
    pid_t pid = fork();
    if (pid < 0) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        fprintf(stderr, "pel: error: cannot start the evaluation: %s\n", strerror(errno));
        return false;
    }
    if (pid == 0) child(job, &old);
    int st = 0;
    bool killed = false;
    for (;;) {
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid) break;
        if (r < 0 && errno != EINTR) {
            sigprocmask(SIG_SETMASK, &old, NULL);
            fprintf(stderr, "pel: error: lost the evaluation: %s\n", strerror(errno));
            return false;
        }
        if (repl_interrupted && !killed) {
            /* Ctrl-C from a terminal reached the child too; a SIGINT sent
             * to pel alone did not: make sure it stops */
            kill(pid, SIGKILL);
            killed = true;
        }
        if (r == 0) sigsuspend(&old);
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (WIFEXITED(st)) {
        int code = WEXITSTATUS(st);
        /* 1: a runtime error, 2: a compile failure; both printed already.
         * Anything else came from outside PEL (a sanitizer, say). */
        if (code > 2) fprintf(stderr, "pel: error: the evaluation ended with status %d\n", code);
        return code == 0;
    }
    int sig = WTERMSIG(st);
    if (killed || sig == SIGINT) {
        /* on a terminal the ^C echo is still on the line */
        fprintf(stderr, "%sinterrupted\n", isatty(2) ? "\n" : "");
    } else {
        fprintf(stderr, "pel: error: the evaluation crashed (%s)\n", strsignal(sig));
    }
    return false;
}
