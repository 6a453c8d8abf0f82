/* Naive dense matrix product of two N x N matrices (row-major doubles, the
 * i-j-k triple loop with the inner sum in k order), the C reference of
 * data_matmul.pel.in; prints the sum of all entries of the product. The
 * OpenMP build splits the rows with a `parallel for`.
 * Usage: data_matmul N */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "data_common.h"

int main(int argc, char **argv)
{
    int64_t n = data_arg(argc, argv, 1, 1, 20000);
    size_t cells = (size_t)n * (size_t)n;
    double *a = malloc(cells * sizeof *a);
    double *b = malloc(cells * sizeof *b);
    double *c = malloc(cells * sizeof *c);
    if (!a || !b || !c) {
        fprintf(stderr, "data_matmul: out of memory\n");
        return 1;
    }
    DATA_OMP(omp parallel for schedule(static))
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < n; j++) {
            a[i * n + j] = (double)((i * 7 + j * 3) % 17) / 16.0;
            b[i * n + j] = (double)((i * 5 + j * 11) % 13) / 12.0;
        }
    DATA_OMP(omp parallel for schedule(static))
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < n; j++) {
            double s = 0.0;
            for (int64_t t = 0; t < n; t++)
                s += a[i * n + t] * b[t * n + j];
            c[i * n + j] = s;
        }
    double total = 0.0;
    for (size_t i = 0; i < cells; i++)
        total += c[i];
    printf("%.17g\n", total);
    free(a);
    free(b);
    free(c);
    return 0;
}
