/* The spectral-norm benchmark of the Computer Language Benchmarks Game, the
 * OpenMP version of spectralnorm.c: each matrix-vector product is a
 * `parallel for` over the rows (every row is computed exactly as in the
 * serial program, so the output is the same at any thread count); the two
 * final dot products are cheap and stay serial. It computes the spectral
 * norm of the matrix A(i, j) = 1 / ((i + j)(i + j + 1) / 2 + i + 1),
 * n x n, by ten rounds of v = AtA u, u = AtA v from u = (1, ..., 1), then
 * sqrt(u.v / v.v).
 *
 * Every sum is added up the way PEL's `sum` does (so the bits agree with
 * spectralnorm.pel): blocks of 2048 terms, each folded left to right from
 * 0.0, and the block results combined in a balanced tree that splits the
 * block range [a, b) at a + (b - a) / 2. For n <= 2048 that is the plain
 * left-to-right loop.
 *
 *   clang-19 -std=c11 -O2 -fopenmp spectralnorm_omp.c -o spectralnorm_omp -lm
 *   OMP_NUM_THREADS=2 ./spectralnorm_omp 5500        -> 1.274224153
 *
 * n is the first argument (default 100). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define LEAF 2048

static double a(long i, long j)
{
    return 1.0 / (double)((i + j) * (i + j + 1) / 2 + i + 1);
}

/* The terms of row i of A v (t = 0) or of At v (t = 1) from column lo to
 * hi - 1, added left to right. */
static double row_block(long i, const double *v, long lo, long hi, int t)
{
    double s = 0.0;
    for (long j = lo; j < hi; j++)
        s += (t ? a(j, i) : a(i, j)) * v[j];
    return s;
}

/* Row i over the blocks b0 .. b1 - 1 of n columns, as PEL's reduction tree. */
static double row_sum(long i, const double *v, long n, long b0, long b1, int t)
{
    if (b1 - b0 <= 1) {
        long hi = (b0 + 1) * LEAF < n ? (b0 + 1) * LEAF : n;
        return row_block(i, v, b0 * LEAF, hi, t);
    }
    long mid = b0 + (b1 - b0) / 2;
    double left = row_sum(i, v, n, b0, mid, t);
    double right = row_sum(i, v, n, mid, b1, t);
    return left + right;
}

static long blocks(long n)
{
    return (n + LEAF - 1) / LEAF;
}

/* out = A v (t = 0) or At v (t = 1), the rows in parallel. */
static void times(long n, const double *v, double *out, int t)
{
#pragma omp parallel for schedule(static)
    for (long i = 0; i < n; i++)
        out[i] = n > 0 ? row_sum(i, v, n, 0, blocks(n), t) : 0.0;
}

static void times_ata(long n, const double *v, double *out, double *tmp)
{
    times(n, v, tmp, 0);
    times(n, tmp, out, 1);
}

static double dot_sum(const double *x, const double *y, long lo, long hi, long n)
{
    if (hi - lo <= 1) {
        long end = hi * LEAF < n ? hi * LEAF : n;
        double s = 0.0;
        for (long i = lo * LEAF; i < end; i++)
            s += x[i] * y[i];
        return s;
    }
    long mid = lo + (hi - lo) / 2;
    double left = dot_sum(x, y, lo, mid, n);
    double right = dot_sum(x, y, mid, hi, n);
    return left + right;
}

static double dot(const double *x, const double *y, long n)
{
    return n > 0 ? dot_sum(x, y, 0, blocks(n), n) : 0.0;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 100;
    double *u = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
    double *v = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
    double *tmp = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
    if (!u || !v || !tmp)
        return 1;
    for (long i = 0; i < n; i++)
        u[i] = 1.0;
    for (int k = 0; k < 10; k++) {
        times_ata(n, u, v, tmp);
        times_ata(n, v, u, tmp);
    }
    printf("%.9f\n", sqrt(dot(u, v, n) / dot(v, v, n)));
    free(u);
    free(v);
    free(tmp);
    return 0;
}
