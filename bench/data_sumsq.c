/* Sum of squares over [0, n) in f64, the C reference of data_sumsq.pel.in.
 * Built twice from this one file: serial (no OpenMP) and with -fopenmp,
 * where the loop is a `parallel for` with a `+` reduction.
 * Usage: data_sumsq N   -- prints the sum (%.17g). */
#include <stdint.h>
#include <stdio.h>
#include "data_common.h"

int main(int argc, char **argv)
{
    int64_t n = data_arg(argc, argv, 1, 1, INT64_C(1) << 40);
    double s = 0.0;
    DATA_OMP(omp parallel for reduction(+ : s) schedule(static))
    for (int64_t i = 0; i < n; i++)
        s += (double)i * (double)i;
    printf("%.17g\n", s);
    return 0;
}
