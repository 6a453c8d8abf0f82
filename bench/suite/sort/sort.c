/* Sort n pseudo-random int64 values, the serial C reference of sort.pel.
 * The values are the successive states of a 64-bit linear congruential
 * generator (Knuth's MMIX constants, x -> x * 6364136223846793005 +
 * 1442695040888963407 mod 2^64, from the seed 42), read as signed numbers.
 * The sort is the algorithm of PEL's `sort` (runtime/rt_sort_tmpl.h) run
 * serially: a stable top-down merge sort with one scratch buffer, the
 * halves sorted into the other buffer than the result so every level moves
 * the data once, insertion sort for runs of at most 16 elements, and a
 * branch-free merge (a ternary select on the comparison). Prints the
 * smallest, the middle and the largest element and the sum of s[i] * (i + 1)
 * mod 2^64, as a signed number.
 *
 *   clang-19 -std=c11 -O2 sort.c -o sort
 *   ./sort 10000000
 *
 * n is the first argument (default 10000, at least 1). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INSERTION_MAX 16

static void insertion(int64_t *x, int64_t n)
{
    for (int64_t i = 1; i < n; i++) {
        int64_t v = x[i];
        int64_t k = i;
        for (; k > 0 && v < x[k - 1]; k--)
            x[k] = x[k - 1];
        x[k] = v;
    }
}

/* Merges a (the left run) and b into out; ties take from a (stable). */
static void merge(const int64_t *a, int64_t na, const int64_t *b, int64_t nb, int64_t *out)
{
    int64_t i = 0, j = 0, k = 0;
    while (i < na && j < nb) {
        int take_b = b[j] < a[i];
        out[k++] = take_b ? b[j] : a[i];
        j += take_b;
        i += !take_b;
    }
    while (i < na)
        out[k++] = a[i++];
    while (j < nb)
        out[k++] = b[j++];
}

/* Sorts x[0, n) with y[0, n) as scratch; the result ends in y if into_y,
 * else in x. */
static void sort(int64_t *x, int64_t *y, int64_t n, int into_y)
{
    if (n <= INSERTION_MAX) {
        insertion(x, n);
        if (into_y)
            memcpy(y, x, (size_t)n * sizeof *x);
        return;
    }
    int64_t h = n / 2;
    int64_t *halves = into_y ? x : y, *dst = into_y ? y : x;
    sort(x, y, h, !into_y);
    sort(x + h, y + h, n - h, !into_y);
    merge(halves, h, halves + h, n - h, dst);
}

int main(int argc, char **argv)
{
    int64_t n = argc > 1 ? strtoll(argv[1], NULL, 10) : 10000;
    if (n < 1)
        n = 1;
    int64_t *s = malloc((size_t)n * sizeof *s);
    int64_t *scratch = malloc((size_t)n * sizeof *scratch);
    if (!s || !scratch)
        return 1;
    uint64_t x = 42;
    for (int64_t i = 0; i < n; i++) {
        x = x * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
        s[i] = (int64_t)x;
    }
    sort(s, scratch, n, 0);
    uint64_t check = 0;
    for (int64_t i = 0; i < n; i++)
        check += (uint64_t)s[i] * (uint64_t)(i + 1);
    printf("min: %" PRId64 "\n", s[0]);
    printf("middle: %" PRId64 "\n", s[n / 2]);
    printf("max: %" PRId64 "\n", s[n - 1]);
    printf("checksum: %" PRId64 "\n", (int64_t)check);
    free(s);
    free(scratch);
    return 0;
}
