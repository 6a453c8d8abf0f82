/* rt_sort.c — sort(xs) for [i64], [f64] and [str]: a new array, ascending,
 * stable, by a parallel merge sort (rt_sort_tmpl.h, instantiated per type).
 *
 * f64: NaNs go last in their original order; the rest is ordered by `<`,
 * so -0.0 and 0.0 are equal and keep their order (Python's sorted() does
 * the same). The NaNs are moved out first, which leaves a plain `<` for the
 * inner loops.
 */
#define _GNU_SOURCE /* sigjmp_buf in rt_internal.h */
#include "rt_internal.h"

#include <stdlib.h>
#include <string.h>

/* Below SORT_PAR_MIN elements a sort runs sequentially (a spawn per node
 * would cost more than it exposes); merges below SORT_MERGE_SEQ elements are
 * sequential. Runs of SORT_INSERTION_MAX are sorted by insertion. */
#define SORT_PAR_MIN 8192
#define SORT_MERGE_SEQ 8192
#define SORT_INSERTION_MAX 16

#define SORT_T int64_t
#define SORT_LESS(a, b) ((a) < (b))
#define SORT_FN(name) sort_i64_##name
#include "rt_sort_tmpl.h"
#undef SORT_T
#undef SORT_LESS
#undef SORT_FN

#define SORT_T double
#define SORT_LESS(a, b) ((a) < (b))
#define SORT_FN(name) sort_f64_##name
#include "rt_sort_tmpl.h"
#undef SORT_T
#undef SORT_LESS
#undef SORT_FN

static inline int str_less(const PelStr *a, const PelStr *b) {
    size_t n = (size_t)(a->len < b->len ? a->len : b->len);
    int c = n ? memcmp(a->data, b->data, n) : 0;
    return c < 0 || (c == 0 && a->len < b->len);
}

/* A typedef, not `PelStr *`: the template writes `const SORT_T *a` and
 * `SORT_T *x, *y`, which must bind to the element type as a whole. */
typedef PelStr *StrRef;
#define SORT_T StrRef
#define SORT_LESS(a, b) str_less((a), (b))
#define SORT_FN(name) sort_str_##name
#include "rt_sort_tmpl.h"
#undef SORT_T
#undef SORT_LESS
#undef SORT_FN

static void *scratch(int64_t n) {
    void *p = malloc((size_t)n * 8 + 1); /* +1: n may be 0 */
    if (!p) rt_oom();
    return p;
}

/* The sorts work in x[0, n) with one scratch buffer. */
static void sort_i64_in(PelWorker *w, int64_t *x, int64_t n) {
    int64_t *y = scratch(n);
    sort_i64_sort(w, x, y, n, 0);
    free(y);
}

/* Stable partition first: numbers to the front of x (k <= i, so this works
 * in place too), NaNs staged in the scratch buffer and put last. */
static void sort_f64_in(PelWorker *w, const double *src, double *x, int64_t n) {
    int64_t k = 0, nans = 0;
    double *y = scratch(n);
    for (int64_t i = 0; i < n; i++) {
        if (src[i] != src[i]) y[nans++] = src[i];
        else x[k++] = src[i];
    }
    memcpy(x + k, y, (size_t)nans * 8);
    sort_f64_sort(w, x, y, k, 0);
    free(y);
}

static void sort_str_in(PelWorker *w, PelStr **x, int64_t n) {
    PelStr **y = scratch(n);
    sort_str_sort(w, x, y, n, 0);
    free(y);
}

PelArr *pel_rt_sort_i64(PelWorker *w, const PelArr *a) {
    PelArr *r = pel_rt_arr_new(a->len, 8, NULL);
    memcpy(r->data, a->data, (size_t)a->len * 8);
    sort_i64_in(w, (int64_t *)r->data, a->len);
    return r;
}

PelArr *pel_rt_sort_f64(PelWorker *w, const PelArr *a) {
    PelArr *r = pel_rt_arr_new(a->len, 8, NULL);
    sort_f64_in(w, (const double *)a->data, (double *)r->data, a->len);
    return r;
}

static void retain_strs(PelWorker *w, void *env, int64_t lo, int64_t hi) {
    (void)w;
    PelStr **s = env;
    for (int64_t i = lo; i < hi; i++) pel_rt_retain(s[i]);
}

PelArr *pel_rt_sort_str(PelWorker *w, const PelArr *a) {
    int64_t n = a->len;
    PelArr *r = pel_rt_arr_new(n, 8, pel_rt_drop_str_elems);
    memcpy(r->data, a->data, (size_t)n * 8);
    /* The new array holds its own references; in parallel, since an atomic
     * increment per string is a cache miss per string. */
    pel_rt_par_range(w, n, retain_strs, r->data);
    sort_str_in(w, (PelStr **)r->data, n);
    return r;
}

/* ---- sort_by: the permutation that sorts an array of keys -------------------
 * The merge sort of (key, index) pairs by key: stable, so equal keys keep
 * their indexes in order, and the indexes are the permutation. f64 keys
 * order as sort does: NaNs last (a NaN is greater than any number and
 * equal to another NaN, a strict weak order). */
typedef struct ByI64 { int64_t k, i; } ByI64;
typedef struct ByF64 { double k; int64_t i; } ByF64;
typedef struct ByStr { PelStr *k; int64_t i; } ByStr;

static inline int f64_key_less(double a, double b) { return a == a && (b != b || a < b); }

#define SORT_T ByI64
#define SORT_LESS(a, b) ((a).k < (b).k)
#define SORT_FN(name) by_i64_##name
#include "rt_sort_tmpl.h"
#undef SORT_T
#undef SORT_LESS
#undef SORT_FN
#define SORT_T ByF64
#define SORT_LESS(a, b) f64_key_less((a).k, (b).k)
#define SORT_FN(name) by_f64_##name
#include "rt_sort_tmpl.h"
#undef SORT_T
#undef SORT_LESS
#undef SORT_FN
#define SORT_T ByStr
#define SORT_LESS(a, b) str_less((a).k, (b).k)
#define SORT_FN(name) by_str_##name
#include "rt_sort_tmpl.h"
#undef SORT_T
#undef SORT_LESS
#undef SORT_FN

#define SORT_PERM(NAME, PAIR, KEY)                                                     \
    PelArr *pel_rt_sort_perm_##NAME(PelWorker *w, const PelArr *keys) {                \
        int64_t n = keys->len;                                                         \
        PAIR *x = malloc((size_t)n * sizeof(PAIR) + 1), *y = malloc((size_t)n * sizeof(PAIR) + 1); \
        if (!x || !y) rt_oom();                                                        \
        const KEY *k = (const KEY *)keys->data;                                        \
        for (int64_t i = 0; i < n; i++) x[i] = (PAIR){k[i], i};                        \
        by_##NAME##_sort(w, x, y, n, 0);                                               \
        PelArr *r = pel_rt_arr_new(n, 8, NULL);                                        \
        int64_t *perm = (int64_t *)r->data;                                            \
        for (int64_t i = 0; i < n; i++) perm[i] = x[i].i;                              \
        free(x);                                                                       \
        free(y);                                                                       \
        return r;                                                                      \
    }
SORT_PERM(i64, ByI64, int64_t)
SORT_PERM(f64, ByF64, double)
SORT_PERM(str, ByStr, StrRef)

/* ---- sorting an array the caller gives up ---------------------------------
 * When the caller's reference is the only one, nobody can see the array
 * change: it is sorted where it is. */

/* a shared array: sorted into a new one, the caller's reference dropped */
static PelArr *copy_sorted(PelWorker *w, PelArr *a, PelArr *(*sort)(PelWorker *, const PelArr *)) {
    PelArr *r = sort(w, a);
    pel_rt_release_arr(a);
    return r;
}

PelArr *pel_rt_sort_i64_owned(PelWorker *w, PelArr *a) {
    if (!pel_rt_unique(a)) return copy_sorted(w, a, pel_rt_sort_i64);
    sort_i64_in(w, (int64_t *)a->data, a->len);
    return a;
}

PelArr *pel_rt_sort_f64_owned(PelWorker *w, PelArr *a) {
    if (!pel_rt_unique(a)) return copy_sorted(w, a, pel_rt_sort_f64);
    sort_f64_in(w, (const double *)a->data, (double *)a->data, a->len);
    return a;
}

PelArr *pel_rt_sort_str_owned(PelWorker *w, PelArr *a) {
    if (!pel_rt_unique(a)) return copy_sorted(w, a, pel_rt_sort_str);
    sort_str_in(w, (PelStr **)a->data, a->len);
    return a;
}
