/* Dense matrix multiply, the OpenMP version of matmul.c: the rows of C are
 * shared out by a `parallel for` (each row is computed exactly as in the
 * serial program). C = A B for two n x n matrices of doubles,
 * A[i][j] = ((i * j) % 7 + 1) / 8 and B[i][j] = ((i + 2 j) % 5 + 1) / 4,
 * stored row-major, by the i-k-j loop: row i of C accumulates A[i][k]
 * times row k of B, k ascending, so every entry C[i][j] = sum over k of
 * A[i][k] * B[k][j]
 * is added up from 0.0 in the same order as PEL's `sum` over k (for
 * n <= 2048, one leaf of its reduction tree). Every product is a multiple
 * of 1/32 and every sum stays far below 2^48, so all the arithmetic is
 * exact anyway: the checksums do not depend on the order of the additions.
 * Prints the sum of all entries and the trace.
 *
 *   clang-19 -std=c11 -O2 -fopenmp matmul_omp.c -o matmul_omp
 *   OMP_NUM_THREADS=2 ./matmul_omp 1024
 *
 * n is the first argument (default 64). */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 64;
    size_t cells = (size_t)(n > 0 ? n * n : 1);
    double *a = malloc(cells * sizeof *a);
    double *b = malloc(cells * sizeof *b);
    double *c = calloc(cells, sizeof *c);
    if (!a || !b || !c)
        return 1;
    for (long i = 0; i < n; i++)
        for (long j = 0; j < n; j++) {
            a[i * n + j] = (double)((i * j) % 7 + 1) / 8.0;
            b[i * n + j] = (double)((i + 2 * j) % 5 + 1) / 4.0;
        }
#pragma omp parallel for schedule(static)
    for (long i = 0; i < n; i++) {
        double *ci = c + i * n;
        for (long k = 0; k < n; k++) {
            double aik = a[i * n + k];
            const double *bk = b + k * n;
            for (long j = 0; j < n; j++)
                ci[j] += aik * bk[j];
        }
    }
    double total = 0.0, trace = 0.0;
    for (long i = 0; i < n * n; i++)
        total += c[i];
    for (long i = 0; i < n; i++)
        trace += c[i * n + i];
    printf("sum: %.6f\n", total);
    printf("trace: %.6f\n", trace);
    free(a);
    free(b);
    free(c);
    return 0;
}
