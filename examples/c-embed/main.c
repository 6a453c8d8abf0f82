/* A C program that hands its own array to PEL kernels (stats_kernel.pel).
 * Build: see the Makefile beside it. */
#include <stdio.h>
#include <stdlib.h>

#include "stats_kernel.h"

int main(void) {
    enum { N = 1000000 };
    double *xs = malloc(N * sizeof *xs);
    if (!xs) return 1;
    for (int i = 0; i < N; i++) xs[i] = (double)(i % 1000) / 10.0;
    pel_array_f64 d = describe(PEL_ARRAY_OF(xs, N));
    printf("mean %.3f, stddev %.3f\n", d.data[0], d.data[1]);
    pel_array_free(d.data);
    printf("in [25, 50): %lld\n", (long long)count_between(PEL_ARRAY_OF(xs, N), 25.0, 50.0));
    free(xs);
    return 0;
}
