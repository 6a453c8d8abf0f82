/* test_rt_sort.c — pel_rt_sort_i64/f64/str: sorted, stable, a new array,
 * NaNs last, strings retained, at 1, 2 and 4 workers; the *_owned variants
 * sort a unique array in place and copy a shared one.
 *
 * PEL_RT_BENCH=1 test_rt_sort [n] times sorting n (default 1e7) random i64
 * against qsort.
 */
#define _GNU_SOURCE
#include "rt_internal.h"

#include <inttypes.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#ifdef PEL_TEST_TSAN
#define BIG 200000
#else
#define BIG 2000000
#endif

static const char *const worker_counts[] = {"1", "2", "4"};

static uint64_t rng = 88172645463325252u;
static uint64_t next(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static PelArr *input;
static PelArr *(*sorter)(PelWorker *, const PelArr *);
static PelArr *result;

static int64_t entry_sort(PelWorker *w) {
    result = sorter(w, input);
    return 0;
}

static void sort_with(const char *workers) {
    setenv("PEL_WORKERS", workers, 1);
    result = NULL;
    assert_int_equal(pel_rt_main(0, NULL, entry_sort), 0);
    assert_non_null(result);
    assert_true(result != input);
    assert_int_equal(result->rc, 1);
    assert_int_equal(result->len, input->len);
    assert_int_equal(result->elem_size, 8);
}

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void test_sort_i64(void **state) {
    (void)state;
    static const int64_t sizes[] = {0, 1, 2, 3, 16, 17, 100, 8191, 8193, 50000, BIG};
    sorter = pel_rt_sort_i64;
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        int64_t n = sizes[s];
        input = pel_rt_arr_new(n, 8, NULL);
        int64_t *x = (int64_t *)input->data;
        /* few distinct values in half the cases: many ties */
        for (int64_t i = 0; i < n; i++) x[i] = s % 2 ? (int64_t)(next() % 7) - 3 : (int64_t)next();
        int64_t *want = malloc((size_t)n * 8 + 1);
        memcpy(want, x, (size_t)n * 8);
        qsort(want, (size_t)n, 8, cmp_i64);
        int64_t *copy = malloc((size_t)n * 8 + 1);
        memcpy(copy, x, (size_t)n * 8);
        for (int k = 0; k < 3; k++) {
            sort_with(worker_counts[k]);
            if (memcmp(result->data, want, (size_t)n * 8) != 0)
                fail_msg("n=%" PRId64 " workers=%s: not sorted", n, worker_counts[k]);
            pel_rt_release_arr(result);
        }
        /* the input is untouched */
        assert_memory_equal(x, copy, (size_t)n * 8);
        free(copy);
        free(want);
        pel_rt_release_arr(input);
    }
}

/* Stability shows on f64 through -0.0 == 0.0 (they print differently), and
 * NaNs must come last in their original order (told apart by payload). */
static void test_sort_f64(void **state) {
    (void)state;
    sorter = pel_rt_sort_f64;
    int64_t n = BIG / 4;
    input = pel_rt_arr_new(n, 8, NULL);
    double *x = (double *)input->data;
    int64_t nans = 0;
    for (int64_t i = 0; i < n; i++) {
        uint64_t r = next();
        if (r % 10 == 0) {
            uint64_t bits = UINT64_C(0x7ff8000000000000) | (uint64_t)nans++; /* payload = order */
            memcpy(&x[i], &bits, 8);
        } else if (r % 10 == 1) {
            x[i] = (r & 16) ? -0.0 : 0.0;
        } else if (r % 10 == 2) {
            x[i] = (r & 16) ? INFINITY : -INFINITY;
        } else {
            x[i] = ((double)(r >> 12) - 2e15) * 1e-3;
        }
    }
    for (int k = 0; k < 3; k++) {
        sort_with(worker_counts[k]);
        const double *y = (const double *)result->data;
        for (int64_t i = 1; i < n - nans; i++) assert_false(y[i] < y[i - 1]);
        /* zeros in input order */
        int64_t zi = 0;
        for (int64_t i = 0; i < n; i++) {
            if (x[i] != 0) continue;
            while (y[zi] != 0) zi++;
            assert_int_equal(signbit(y[zi]) != 0, signbit(x[i]) != 0);
            zi++;
        }
        for (int64_t i = 0; i < nans; i++) {
            uint64_t bits;
            memcpy(&bits, &y[n - nans + i], 8);
            assert_int_equal(bits, UINT64_C(0x7ff8000000000000) | (uint64_t)i);
        }
        pel_rt_release_arr(result);
    }
    pel_rt_release_arr(input);
}

/* Where each string object was in the input: (address, index) pairs
 * sorted by address. */
typedef struct {
    const PelStr *s;
    int64_t i;
} Slot;
static Slot *slots;

static int cmp_slot(const void *a, const void *b) {
    uintptr_t x = (uintptr_t)((const Slot *)a)->s, y = (uintptr_t)((const Slot *)b)->s;
    return (x > y) - (x < y);
}

static int64_t input_index(const PelStr *s, int64_t n) {
    Slot key = {s, 0};
    Slot *at = bsearch(&key, slots, (size_t)n, sizeof key, cmp_slot);
    assert_non_null(at);
    return at->i;
}

/* Strings: equal contents in distinct objects keep their order; the new
 * array holds a reference to each. */
static void test_sort_str(void **state) {
    (void)state;
    sorter = pel_rt_sort_str;
    int64_t n = BIG / 10;
    input = pel_rt_arr_new(n, 8, pel_rt_drop_str_elems);
    PelStr **x = (PelStr **)input->data;
    for (int64_t i = 0; i < n; i++) {
        char buf[32];
        /* prefixes of each other ("", "a", "ab", ...) and UTF-8 bytes */
        int len = snprintf(buf, sizeof buf, "%s%" PRIu64, next() % 3 ? "k\xc3\xa9" : "k",
                           next() % 500);
        x[i] = pel_rt_str_new(buf, next() % 4 ? len : (int64_t)(next() % 3));
    }
    slots = malloc((size_t)n * sizeof *slots);
    for (int64_t i = 0; i < n; i++) slots[i] = (Slot){x[i], i};
    qsort(slots, (size_t)n, sizeof *slots, cmp_slot);
    for (int k = 0; k < 3; k++) {
        sort_with(worker_counts[k]);
        PelStr **y = (PelStr **)result->data;
        assert_ptr_equal(result->drop_elems, pel_rt_drop_str_elems);
        for (int64_t i = 0; i < n; i++) assert_int_equal(y[i]->rc, 2);
        for (int64_t i = 1; i < n; i++) {
            int c = pel_rt_str_cmp(y[i - 1], y[i]);
            assert_true(c <= 0);
            /* equal strings (distinct objects) stay in input order */
            if (c == 0) assert_true(input_index(y[i - 1], n) < input_index(y[i], n));
        }
        pel_rt_release_arr(result);
        for (int64_t i = 0; i < n; i++) assert_int_equal(x[i]->rc, 1);
    }
    free(slots);
    pel_rt_release_arr(input);
}

/* ---- benchmark --------------------------------------------------------------- */

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double sort_time;

static int64_t entry_bench(PelWorker *w) {
    double t0 = now_s();
    result = pel_rt_sort_i64(w, input);
    sort_time = now_s() - t0;
    return 0;
}

static int bench(int64_t n) {
    input = pel_rt_arr_new(n, 8, NULL);
    int64_t *x = (int64_t *)input->data;
    for (int64_t i = 0; i < n; i++) x[i] = (int64_t)next();
    int64_t *q = malloc((size_t)n * 8);
    memcpy(q, x, (size_t)n * 8);
    double t0 = now_s();
    qsort(q, (size_t)n, 8, cmp_i64);
    printf("qsort %" PRId64 " i64: %.3f s\n", n, now_s() - t0);
    for (int k = 0; k < 2; k++) {
        double best = 1e30;
        for (int r = 0; r < 3; r++) {
            setenv("PEL_WORKERS", worker_counts[k], 1);
            pel_rt_main(0, NULL, entry_bench);
            if (memcmp(result->data, q, (size_t)n * 8) != 0) {
                printf("WRONG RESULT\n");
                return 1;
            }
            pel_rt_release_arr(result);
            if (sort_time < best) best = sort_time;
        }
        printf("pel_rt_sort_i64, %s worker(s): %.3f s\n", worker_counts[k], best);
    }
    free(q);
    pel_rt_release_arr(input);
    return 0;
}

/* ---- *_owned: in place when the caller's reference is the only one ------- */

static PelArr *(*owned_sorter)(PelWorker *, PelArr *);

static int64_t entry_owned(PelWorker *w) {
    result = owned_sorter(w, input);
    return 0;
}

/* descending values; as f64 every fifth one a NaN */
static void fill_reverse(PelArr *a, bool is_f64) {
    for (int64_t i = 0; i < a->len; i++) {
        if (is_f64) ((double *)a->data)[i] = i % 5 == 0 ? NAN : (double)(a->len - i);
        else ((int64_t *)a->data)[i] = a->len - i;
    }
}

static void check_owned(PelArr *(*fn)(PelWorker *, PelArr *), bool is_f64) {
    owned_sorter = fn;
    for (int shared = 0; shared < 2; shared++) {
        input = pel_rt_arr_new(50000, 8, NULL);
        fill_reverse(input, is_f64);
        if (shared) pel_rt_retain(input); /* another owner: must not change */
        int64_t before0 = ((int64_t *)input->data)[0];
        setenv("PEL_WORKERS", "2", 1);
        assert_int_equal(pel_rt_main(0, NULL, entry_owned), 0);
        if (shared) {
            assert_true(result != input);
            assert_int_equal(input->rc, 1); /* the handed-over reference was released */
            assert_int_equal(((int64_t *)input->data)[0], before0);
            pel_rt_release_arr(input);
        } else {
            assert_ptr_equal(result, input); /* sorted where it was */
        }
        assert_int_equal(result->rc, 1);
        assert_int_equal(result->len, 50000);
        if (is_f64) {
            const double *d = (const double *)result->data;
            assert_true(d[0] == 1.0 || d[0] == 2.0); /* 50000 - i for i % 5 != 0 */
            assert_true(isnan(d[49999]));
            for (int64_t i = 1; i < 40000; i++) assert_true(d[i - 1] < d[i]);
        } else {
            const int64_t *x = (const int64_t *)result->data;
            for (int64_t i = 0; i < 50000; i++) assert_int_equal(x[i], i + 1);
        }
        pel_rt_release_arr(result);
    }
}

static void test_sort_owned(void **state) {
    (void)state;
    check_owned(pel_rt_sort_i64_owned, false);
    check_owned(pel_rt_sort_f64_owned, true);
}

/* sort_by's permutation: a permutation, keys ascending, equal keys in
 * index order (stable), f64 NaN keys last, at 1, 2 and 4 workers */
static void test_sort_perm(void **state) {
    (void)state;
    int64_t n = BIG / 4;
    PelArr *ki = pel_rt_arr_new(n, 8, NULL), *kf = pel_rt_arr_new(n, 8, NULL);
    int64_t *a = (int64_t *)ki->data;
    double *b = (double *)kf->data;
    for (int64_t i = 0; i < n; i++) {
        uint64_t r = next();
        a[i] = (int64_t)(r % 1000) - 500; /* many ties */
        b[i] = r % 7 == 0 ? NAN : (double)(r % 100) - 50.0;
    }
    PelArr *(*perms[2])(PelWorker *, const PelArr *) = {pel_rt_sort_perm_i64, pel_rt_sort_perm_f64};
    PelArr *keys[2] = {ki, kf};
    char *seen = malloc((size_t)n);
    for (int which = 0; which < 2; which++)
        for (int k = 0; k < 3; k++) {
            input = keys[which];
            sorter = perms[which];
            sort_with(worker_counts[k]);
            const int64_t *p = (const int64_t *)result->data;
            memset(seen, 0, (size_t)n);
            for (int64_t i = 0; i < n; i++) {
                assert_true(p[i] >= 0 && p[i] < n && !seen[p[i]]);
                seen[p[i]] = 1;
                if (i == 0) continue;
                bool stable = p[i - 1] < p[i];
                if (which == 0) {
                    assert_true(a[p[i - 1]] < a[p[i]] || (a[p[i - 1]] == a[p[i]] && stable));
                } else {
                    double x = b[p[i - 1]], y = b[p[i]];
                    bool ok = isnan(y) ? (!isnan(x) || stable) : (!isnan(x) && (x < y || (x == y && stable)));
                    assert_true(ok);
                }
            }
            pel_rt_release_arr(result);
        }
    free(seen);
    pel_rt_release_arr(ki);
    pel_rt_release_arr(kf);
}

int main(int argc, char **argv) {
    if (getenv("PEL_RT_BENCH")) return bench(argc > 1 ? atoll(argv[1]) : 10000000);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sort_i64),
        cmocka_unit_test(test_sort_f64),
        cmocka_unit_test(test_sort_str),
        cmocka_unit_test(test_sort_owned),
        cmocka_unit_test(test_sort_perm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
