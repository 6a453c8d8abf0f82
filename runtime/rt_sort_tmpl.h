/* rt_sort_tmpl.h — a stable parallel merge sort for one element type,
 * included by rt_sort.c once per type (a C template: the comparison is
 * inlined into every loop, which an indirect call would not allow).
 *
 * Before including, define:
 *   SORT_T          the element type
 *   SORT_LESS(a, b) a strict weak order on SORT_T values
 *   SORT_FN(name)   the name of this instance's function `name`
 *
 * Stability: a merge takes from the left run on ties, and the parallel
 * merge splits so that equal elements of the left run stay before those of
 * the right run (lower_bound when the pivot comes from the left run,
 * upper_bound when it comes from the right one).
 *
 * Ordering rule: every split spawns its LOWER part and continues with the
 * upper one, as the rest of the runtime does (rt_err.c); sorting cannot fail,
 * but nothing here should need a special case if that changes.
 */

static void SORT_FN(insertion)(SORT_T *x, int64_t n) {
    for (int64_t i = 1; i < n; i++) {
        SORT_T v = x[i];
        int64_t k = i;
        for (; k > 0 && SORT_LESS(v, x[k - 1]); k--) x[k] = x[k - 1];
        x[k] = v;
    }
}

/* Branch-free selection: on random data a branch on the comparison is
 * mispredicted half the time, which dominates the cost of a merge. */
static void SORT_FN(merge_seq)(const SORT_T *a, int64_t na, const SORT_T *b, int64_t nb,
                               SORT_T *out) {
    int64_t i = 0, j = 0, k = 0;
    while (i < na && j < nb) {
        int take_b = SORT_LESS(b[j], a[i]);
        out[k++] = take_b ? b[j] : a[i];
        j += take_b;
        i += !take_b;
    }
    while (i < na) out[k++] = a[i++];
    while (j < nb) out[k++] = b[j++];
}

/* First index i with !(x[i] < v). */
static int64_t SORT_FN(lower_bound)(const SORT_T *x, int64_t n, SORT_T v) {
    int64_t lo = 0, hi = n;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (SORT_LESS(x[mid], v)) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* First index i with v < x[i]. */
static int64_t SORT_FN(upper_bound)(const SORT_T *x, int64_t n, SORT_T v) {
    int64_t lo = 0, hi = n;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (SORT_LESS(v, x[mid])) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}

typedef struct {
    PelTask hdr;
    const SORT_T *a, *b;
    int64_t na, nb;
    SORT_T *out;
} SORT_FN(MergeTask);

static void SORT_FN(merge)(PelWorker *w, const SORT_T *a, int64_t na, const SORT_T *b, int64_t nb,
                           SORT_T *out);

static void SORT_FN(merge_task)(PelWorker *w, PelTask *t) {
    SORT_FN(MergeTask) *f = (SORT_FN(MergeTask) *)t;
    SORT_FN(merge)(w, f->a, f->na, f->b, f->nb, f->out);
}

/* Merges a (the left run) and b into out. Large merges split at the middle
 * of the longer run, so both halves of the work are at least a quarter. */
static void SORT_FN(merge)(PelWorker *w, const SORT_T *a, int64_t na, const SORT_T *b, int64_t nb,
                           SORT_T *out) {
    if (na + nb <= SORT_MERGE_SEQ) {
        SORT_FN(merge_seq)(a, na, b, nb, out);
        return;
    }
    int64_t ma, mb;
    if (na >= nb) {
        ma = na / 2;
        mb = SORT_FN(lower_bound)(b, nb, a[ma]);
    } else {
        mb = nb / 2;
        ma = SORT_FN(upper_bound)(a, na, b[mb]);
    }
    SORT_FN(MergeTask) t;
    t.a = a;
    t.na = ma;
    t.b = b;
    t.nb = mb;
    t.out = out;
    int spawned = pel_spawn(w, &t.hdr, SORT_FN(merge_task));
    SORT_FN(merge)(w, a + ma, na - ma, b + mb, nb - mb, out + ma + mb);
    if (pel_join(w, &t.hdr, spawned)) SORT_FN(merge)(w, a, ma, b, mb, out);
}

typedef struct {
    PelTask hdr;
    SORT_T *x, *y;
    int64_t n;
    int into_y;
} SORT_FN(SortTask);

static void SORT_FN(sort)(PelWorker *w, SORT_T *x, SORT_T *y, int64_t n, int into_y);

static void SORT_FN(sort_task)(PelWorker *w, PelTask *t) {
    SORT_FN(SortTask) *f = (SORT_FN(SortTask) *)t;
    SORT_FN(sort)(w, f->x, f->y, f->n, f->into_y);
}

/* Sorts x[0, n) with y[0, n) as scratch; the result ends in y if into_y,
 * else in x. The halves are sorted into the other buffer than the result,
 * so every merge level moves the data once, without copies. */
static void SORT_FN(sort)(PelWorker *w, SORT_T *x, SORT_T *y, int64_t n, int into_y) {
    if (n <= SORT_INSERTION_MAX) {
        SORT_FN(insertion)(x, n);
        if (into_y) memcpy(y, x, (size_t)n * sizeof *x);
        return;
    }
    int64_t h = n / 2;
    SORT_T *halves = into_y ? x : y, *dst = into_y ? y : x;
    if (n >= SORT_PAR_MIN) {
        SORT_FN(SortTask) t;
        t.x = x;
        t.y = y;
        t.n = h;
        t.into_y = !into_y;
        int spawned = pel_spawn(w, &t.hdr, SORT_FN(sort_task));
        SORT_FN(sort)(w, x + h, y + h, n - h, !into_y);
        if (pel_join(w, &t.hdr, spawned)) SORT_FN(sort)(w, x, y, h, !into_y);
        SORT_FN(merge)(w, halves, h, halves + h, n - h, dst);
    } else {
        SORT_FN(sort)(w, x, y, h, !into_y);
        SORT_FN(sort)(w, x + h, y + h, n - h, !into_y);
        SORT_FN(merge_seq)(halves, h, halves + h, n - h, dst);
    }
}
