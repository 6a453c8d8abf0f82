/* Sort N generated int64 values, the C reference of data_sort.pel.in, with
 * the same checksum. The sort is an ordinary stable top-down merge sort
 * (insertion sort below 16 elements). The OpenMP build generates the data
 * with a `parallel for`, sorts one chunk per thread in a `parallel for`,
 * then merges pairs of runs, each round a `parallel for` over the pairs.
 * Usage: data_sort N */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "data_common.h"
#ifdef _OPENMP
#include <omp.h>
#endif

/* merge the sorted runs src[lo, mid) and src[mid, hi) into dst[lo, hi) */
static void merge(const int64_t *src, int64_t *dst, int64_t lo, int64_t mid, int64_t hi)
{
    int64_t i = lo, j = mid, k = lo;
    while (i < mid && j < hi)
        dst[k++] = src[j] < src[i] ? src[j++] : src[i++];
    while (i < mid)
        dst[k++] = src[i++];
    while (j < hi)
        dst[k++] = src[j++];
}

/* sort a[lo, hi) using tmp[lo, hi) as scratch */
static void merge_sort(int64_t *a, int64_t *tmp, int64_t lo, int64_t hi)
{
    if (hi - lo <= 16) {
        for (int64_t i = lo + 1; i < hi; i++) {
            int64_t v = a[i], j = i;
            for (; j > lo && a[j - 1] > v; j--)
                a[j] = a[j - 1];
            a[j] = v;
        }
        return;
    }
    int64_t mid = lo + (hi - lo) / 2;
    merge_sort(a, tmp, lo, mid);
    merge_sort(a, tmp, mid, hi);
    merge(a, tmp, lo, mid, hi);
    memcpy(a + lo, tmp + lo, (size_t)(hi - lo) * sizeof *a);
}

int main(int argc, char **argv)
{
    int64_t n = data_arg(argc, argv, 1, 1, INT64_C(1) << 34);
    int64_t *a = malloc((size_t)n * sizeof *a);
    int64_t *tmp = malloc((size_t)n * sizeof *tmp);
    if (!a || !tmp) {
        fprintf(stderr, "data_sort: out of memory\n");
        return 1;
    }
    DATA_OMP(omp parallel for schedule(static))
    for (int64_t i = 0; i < n; i++)
        a[i] = data_lcg(data_lcg(i + 1)) % 1000000000;

    int64_t chunks = 1;
#ifdef _OPENMP
    /* a power of two, so the merge rounds pair every run */
    while (chunks < omp_get_max_threads())
        chunks *= 2;
#endif
    int64_t step = (n + chunks - 1) / chunks;
    DATA_OMP(omp parallel for schedule(static))
    for (int64_t c = 0; c < chunks; c++) {
        int64_t lo = c * step < n ? c * step : n;
        int64_t hi = lo + step < n ? lo + step : n;
        merge_sort(a, tmp, lo, hi);
    }
    for (int64_t width = step; width < n; width *= 2) {
        int64_t pairs = (n + 2 * width - 1) / (2 * width);
        DATA_OMP(omp parallel for schedule(static))
        for (int64_t p = 0; p < pairs; p++) {
            int64_t lo = p * 2 * width;
            int64_t mid = lo + width < n ? lo + width : n;
            int64_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            merge(a, tmp, lo, mid, hi);
        }
        int64_t *t = a;
        a = tmp;
        tmp = t;
    }

    int64_t sum = 0;
    for (int64_t i = 0; i < n; i++)
        sum += (a[i] % 1000) * (i % 1000);
    printf("%" PRId64 "\n", sum);
    free(a);
    free(tmp);
    return 0;
}
