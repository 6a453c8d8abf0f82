/* Longest common subsequence with OpenMP: the same algorithm as lcs.pel
 * and lcs.c. Two strings of n letters 0..3 from the LCG
 * x -> (x * 1103515245 + 12345) mod 2^31 (letter = bits 16-17 of x),
 * seeded 42 and 4242. The table L[i][j] = L[i-1][j-1] + 1 when
 * a[i-1] == b[j-1], else max(L[i-1][j], L[i][j-1]), with
 * L[i][0] = L[0][j] = 0, is computed by anti-diagonals d = i + j, each from
 * the two before it (three buffers in rotation); diagonal d holds the cells
 * i = max(0, d - n) .. min(n, d) from index 0. Each diagonal is a
 * `parallel for` over its cells with a sum reduction for the checksum, so
 * there is one fork and join per diagonal, as in PEL. (A blocked wavefront,
 * tiles of the table done diagonal of tiles by diagonal of tiles, needs
 * fewer joins; it is the tuned formulation, not the natural one, and not
 * what lcs.pel does.)
 * Prints the LCS length and the sum of every cell of the table.
 * Usage: OMP_NUM_THREADS=T lcs_omp [N]
 *   (default 500; N = 500 prints 318 and 32386613). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static int64_t next(int64_t x)
{
    return (x * 1103515245 + 12345) & 2147483647;
}

static void letters(int64_t *xs, int64_t n, int64_t seed)
{
    int64_t x = seed;
    for (int64_t i = 0; i < n; i++) {
        x = next(x);
        xs[i] = (x >> 16) & 3;
    }
}

static int64_t first(int64_t d, int64_t m)
{
    return d - m > 0 ? d - m : 0;
}

int main(int argc, char **argv)
{
    int64_t n = argc > 1 ? atol(argv[1]) : 500;
    if (n < 0)
        n = 0;
    int64_t m = n;
    size_t size = sizeof(int64_t) * (size_t)(n + 2);
    int64_t *a = malloc(size), *b = malloc(size);
    int64_t *d2 = malloc(size), *d1 = malloc(size), *cur = malloc(size);
    if (!a || !b || !d2 || !d1 || !cur) {
        fprintf(stderr, "lcs: out of memory\n");
        return 1;
    }
    letters(a, n, 42);
    letters(b, m, 4242);
    /* diagonals 0 and 1 are all zeros; diagonal 2n is the one cell L[n][n] */
    d2[0] = 0;
    d1[0] = d1[1] = 0;
    int64_t total = 0;
    for (int64_t d = 2; d <= n + m; d++) {
        int64_t lo = first(d, m), hi = d < n ? d : n;
        int64_t lo1 = first(d - 1, m), lo2 = first(d - 2, m);
        int64_t s = 0;
#pragma omp parallel for schedule(static) reduction(+ : s)
        for (int64_t i = lo; i <= hi; i++) {
            int64_t j = d - i, v;
            if (i == 0 || j == 0)
                v = 0;
            else if (a[i - 1] == b[j - 1])
                v = d2[i - 1 - lo2] + 1;
            else {
                int64_t x = d1[i - 1 - lo1], y = d1[i - lo1];
                v = x > y ? x : y;
            }
            cur[i - lo] = v;
            s += v;
        }
        total += s;
        int64_t *t = d2;
        d2 = d1;
        d1 = cur;
        cur = t;
    }
    printf("%ld\n%ld\n", (long)d1[0], (long)total);
    free(a);
    free(b);
    free(d2);
    free(d1);
    free(cur);
    return 0;
}
