/* rt_fib.c — spawn/join overhead of the runtime, before the compiler exists.
 *
 *     rt_fib [N]        (default 40; PEL_WORKERS, PEL_SEQ_DEPTH apply)
 *
 * Times plain serial C fib(N), then fib(N) written in exactly the shape
 * codegen emits for `let a = fib(n - 1); let b = fib(n - 2); a + b`: a
 * parallel version that spawns the first call into a frame on its stack, and
 * a sequential clone that polls at entry. The ratio of the two times at
 * PEL_WORKERS=1 is the cost of parallelism the compiler must live with.
 */
#include "pel_rt.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double clock_s(clockid_t c) {
    struct timespec ts;
    clock_gettime(c, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double now_s(void) {
    return clock_s(CLOCK_MONOTONIC);
}

/* noinline: measure the recursion as written, as the PEL version is. */
__attribute__((noinline)) static int64_t fib_serial(int64_t n) {
    return n < 2 ? n : fib_serial(n - 1) + fib_serial(n - 2);
}

#include "gen_fib.h"

static int64_t arg_n = 40;
static int64_t par_result;
static double par_time;

static int64_t entry(PelWorker *w) {
    double t0 = now_s();
    par_result = fib_par(w, arg_n);
    par_time = now_s() - t0;
    return 0;
}

int main(int argc, char **argv) {
    if (argc > 1) arg_n = atoll(argv[1]);
    double t0 = now_s();
    int64_t serial = fib_serial(arg_n);
    double serial_time = now_s() - t0;
    double cpu0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    int status = pel_rt_main(argc, argv, entry);
    /* CPU time of all workers, start-up to exit: on a shared machine this
     * shows overhead that the wall-clock time hides or exaggerates. */
    double cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
    const char *wk = getenv("PEL_WORKERS");
    const char *sd = getenv("PEL_SEQ_DEPTH");
    printf("fib(%lld) = %lld\n", (long long)arg_n, (long long)serial);
    printf("serial C      %8.3f s\n", serial_time);
    printf("pel (W=%s, seq_depth=%s) %8.3f s  ratio to serial %.2f  (cpu %.3f s)\n",
           wk ? wk : "default", sd ? sd : "default", par_time, par_time / serial_time, cpu);
    if (par_result != serial) {
        fprintf(stderr, "rt_fib: wrong result %lld\n", (long long)par_result);
        return 1;
    }
    return status;
}
