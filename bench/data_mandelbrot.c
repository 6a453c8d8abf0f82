/* Mandelbrot iteration counts on an N x N grid, summed: the C reference of
 * data_mandelbrot.pel.in, same arithmetic in the same order. The OpenMP
 * build hands out rows dynamically (the work per row varies a lot), with a
 * `+` reduction of the counts.
 * Usage: data_mandelbrot N   -- prints the total count. */
#include <stdint.h>
#include <stdio.h>
#include "data_common.h"

enum { MAX_ITER = 256 };

static int64_t escape(double cx, double cy)
{
    double x = 0.0, y = 0.0;
    int64_t i = 0;
    while (i != MAX_ITER && !(x * x + y * y > 4.0)) {
        double nx = x * x - y * y + cx;
        y = 2.0 * x * y + cy;
        x = nx;
        i++;
    }
    return i;
}

int main(int argc, char **argv)
{
    int64_t n = data_arg(argc, argv, 1, 1, 1000000);
    int64_t total = 0;
    DATA_OMP(omp parallel for reduction(+ : total) schedule(dynamic))
    for (int64_t row = 0; row < n; row++) {
        double cy = -1.2 + (double)row * (2.4 / (double)n);
        for (int64_t col = 0; col < n; col++)
            total += escape(-2.2 + (double)col * (3.2 / (double)n), cy);
    }
    printf("%" PRId64 "\n", total);
    return 0;
}
