/* The mandelbrot benchmark of the Computer Language Benchmarks Game, the
 * serial C reference of mandelbrot.pel: the n x n points
 * c = (2x/n - 1.5) + (2y/n - 1.0)i of the plane [-1.5, 0.5] x [-1, 1];
 * c is in the set when z -> z*z + c, from z = 0, stays within |z| <= 2 for
 * 50 steps (the Benchmarks Game's loop, with Tr = Zr*Zr and Ti = Zi*Zi).
 * Instead of the PBM bitmap it prints the number of points in the set and
 * a checksum of where they are: the sum over rows y of (y + 1) times the
 * number of points of row y in the set.
 *
 *   clang-19 -std=c11 -O2 mandelbrot.c -o mandelbrot && ./mandelbrot 6000
 *
 * n is the first argument (default 200). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_ITER 50

static int inside(double cr, double ci)
{
    double zr = 0.0, zi = 0.0, tr = 0.0, ti = 0.0;
    for (int i = 0; i < MAX_ITER && tr + ti <= 4.0; i++) {
        zi = 2.0 * zr * zi + ci;
        zr = tr - ti + cr;
        tr = zr * zr;
        ti = zi * zi;
    }
    return tr + ti <= 4.0;
}

static int64_t row_count(int64_t y, int64_t n)
{
    double ci = 2.0 * (double)y / (double)n - 1.0;
    int64_t count = 0;
    for (int64_t x = 0; x < n; x++)
        count += inside(2.0 * (double)x / (double)n - 1.5, ci);
    return count;
}

int main(int argc, char **argv)
{
    int64_t n = argc > 1 ? atoll(argv[1]) : 200;
    int64_t points = 0, checksum = 0;
    for (int64_t y = 0; y < n; y++) {
        int64_t c = row_count(y, n);
        points += c;
        checksum += (y + 1) * c;
    }
    printf("points in the set: %lld\n", (long long)points);
    printf("checksum: %lld\n", (long long)checksum);
    return 0;
}
