/* export_call.c -- the cost of one call of an exported PEL function from
 * C, after the first call has started the runtime: CALLS calls of
 * kern_fib(1), timed with the monotonic clock, repeated REPS times; prints
 * the median ns per call. The argument varies so that the compiler cannot
 * hoist the call out of the loop. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "export_call.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    long calls = argc > 1 ? atol(argv[1]) : 1000000;
    int reps = argc > 2 ? atoi(argv[2]) : 7;
    if (calls < 1 || reps < 1 || reps > 101) {
        fprintf(stderr, "usage: export_call [CALLS [REPS]]\n");
        return 2;
    }
    if (kern_fib(10) != 55) { /* starts the runtime */
        fprintf(stderr, "export_call: kern_fib(10) is not 55\n");
        return 1;
    }
    double ns[101];
    int64_t sink = 0;
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        for (long i = 0; i < calls; i++) sink += kern_fib(i & 1);
        ns[r] = (now() - t0) * 1e9 / (double)calls;
    }
    if (sink != calls / 2 * reps) { /* fib(0) + fib(1) + ... */
        fprintf(stderr, "export_call: wrong sum %lld\n", (long long)sink);
        return 1;
    }
    qsort(ns, (size_t)reps, sizeof ns[0], cmp);
    printf("%.1f %.1f %.1f\n", ns[0], ns[reps / 2], ns[reps - 1]);
    return 0;
}
