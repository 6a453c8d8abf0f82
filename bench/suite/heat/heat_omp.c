/* Heat diffusion on an n x n plate, the OpenMP version of heat.c: each
 * step's rows are shared out by a `parallel for` (every cell is computed
 * exactly as in the serial program; the final sums are cheap and stay
 * serial). t steps of the Jacobi 5-point stencil on two row-major grids
 * of doubles. The edges are held fixed (the top row at 1.0, the rest of
 * the left column at 0.5, the other edge cells at 0.0; both grids hold
 * them); the inside starts at 0.0 and every step sets each inside cell
 * of the new grid to 0.25 * (up + down + left + right) of the old one,
 * added in that order, then the grids swap.
 *
 * It prints the sum of all cells and the sum over rows of i times the
 * row's sum, added up the way PEL's `sum` does (so the bits agree with
 * heat.pel): blocks of 2048 terms, each folded left to right from 0.0, and
 * the block results combined in a balanced tree that splits the block
 * range [a, b) at a + (b - a) / 2 (for n <= 2048, the plain loop).
 *
 *   clang-19 -std=c11 -O2 -fopenmp heat_omp.c -o heat_omp
 *   OMP_NUM_THREADS=2 ./heat_omp 2000 150
 *
 * The arguments are n and t (default 100 and 10; n at least 3). */
#include <stdio.h>
#include <stdlib.h>

#define LEAF 2048

/* The sum of x[0, n) over the blocks b0 .. b1 - 1, as PEL's `sum`. */
static double tree_sum(const double *x, long n, long b0, long b1)
{
    if (b1 - b0 <= 1) {
        long hi = (b0 + 1) * LEAF < n ? (b0 + 1) * LEAF : n;
        double s = 0.0;
        for (long i = b0 * LEAF; i < hi; i++)
            s += x[i];
        return s;
    }
    long mid = b0 + (b1 - b0) / 2;
    double left = tree_sum(x, n, b0, mid);
    double right = tree_sum(x, n, mid, b1);
    return left + right;
}

static double pel_sum(const double *x, long n)
{
    return n > 0 ? tree_sum(x, n, 0, (n + LEAF - 1) / LEAF) : 0.0;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 100;
    long t = argc > 2 ? atol(argv[2]) : 10;
    if (n < 3)
        n = 3;
    double *g = malloc((size_t)(n * n) * sizeof *g);
    double *h = malloc((size_t)(n * n) * sizeof *h);
    double *rows = malloc((size_t)n * sizeof *rows);
    if (!g || !h || !rows)
        return 1;
    for (long i = 0; i < n; i++)
        for (long j = 0; j < n; j++)
            g[i * n + j] = h[i * n + j] = i == 0 ? 1.0 : j == 0 ? 0.5 : 0.0;
    for (long s = 0; s < t; s++) {
#pragma omp parallel for schedule(static)
        for (long i = 1; i < n - 1; i++)
            for (long j = 1; j < n - 1; j++)
                h[i * n + j] = 0.25 * (g[(i - 1) * n + j] + g[(i + 1) * n + j] + g[i * n + j - 1] +
                                       g[i * n + j + 1]);
        double *tmp = g;
        g = h;
        h = tmp;
    }
    for (long i = 0; i < n; i++)
        rows[i] = pel_sum(g + i * n, n);
    double total = pel_sum(rows, n);
    for (long i = 0; i < n; i++)
        rows[i] = (double)i * rows[i];
    double moment = pel_sum(rows, n);
    printf("sum: %.9f\n", total);
    printf("moment: %.9f\n", moment);
    free(g);
    free(h);
    free(rows);
    return 0;
}
