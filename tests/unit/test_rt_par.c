/* test_rt_par.c — pel_rt_par_range, pel_rt_par_reduce, pel_rt_par_scan, pel_rt_par_fold
 * through pel_rt_main at 1, 2 and 4 workers: exact coverage, load balance,
 * bit-identical f64 results, and errors resolved to the sequentially first
 * failing element. Bodies poll at loop back-edges as generated code does.
 *
 * PEL_RT_BENCH=1 test_rt_par prints timings instead of testing.
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

#include "rt_child.h"

#ifdef PEL_TEST_TSAN /* ThreadSanitizer is ~10x slower: smaller problems */
#define BIG 100000
#define REPEAT 2
#define SPIN_NS 5000000
#else
#define BIG 1000000
#define REPEAT 6
#define SPIN_NS 20000000
#endif

static const int worker_counts[] = {1, 2, 4};

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void run_workers(int workers, PelEntryFn entry) {
    char n[16];
    snprintf(n, sizeof n, "%d", workers);
    setenv("PEL_WORKERS", n, 1);
    assert_int_equal(pel_rt_main(0, NULL, entry), 0);
}

/* Busy for ns, polling as a loop back-edge does. */
static void spin(PelWorker *w, int64_t ns) {
    int64_t end = now_ns() + ns;
    while (now_ns() < end)
        for (int i = 0; i < 100; i++) pel_poll(w, 0);
}

/* Some arithmetic the compiler cannot fold away. */
static uint64_t work(uint64_t x, int rounds) {
    for (int r = 0; r < rounds; r++) x = x * 6364136223846793005u + 1442695040888963407u;
    return x;
}

/* ---- par_range covers [0, n) exactly once --------------------------------- */

typedef struct {
    int64_t n;
    unsigned char *visits; /* plain bytes: a double visit from two workers
                            * is a data race ThreadSanitizer reports */
    int *owner;
    int64_t q;             /* the quantum asked for (1: plain par_range) */
    _Atomic int bad;       /* a chunk outside [0, n), empty, over PEL_GRAIN
                            * (or q), or with an end not at a multiple of q */
} Cover;

static Cover cover;

static void mark(PelWorker *w, void *env, int64_t lo, int64_t hi) {
    Cover *c = env;
    int64_t most = c->q > PEL_GRAIN ? c->q : PEL_GRAIN;
    if (lo < 0 || hi > c->n || lo >= hi || hi - lo > most || lo % c->q != 0 || (hi % c->q != 0 && hi != c->n))
        atomic_store(&c->bad, 1);
    for (int64_t i = lo; i < hi && i >= 0 && i < c->n; i++) {
        c->visits[i]++;
        c->owner[i] = w->id;
        volatile uint64_t sink = work((uint64_t)i, 20);
        (void)sink;
        pel_poll(w, 0);
    }
}

static int64_t entry_cover(PelWorker *w) {
    if (cover.q == 1) pel_rt_par_range(w, cover.n, mark, &cover);
    else pel_rt_par_range_q(w, cover.n, cover.q, mark, &cover);
    return 0;
}

static int distinct_owners(const int *owner, int64_t n) {
    int seen[RT_MAX_WORKERS] = {0}, k = 0;
    for (int64_t i = 0; i < n; i++)
        if (owner[i] >= 0 && owner[i] < RT_MAX_WORKERS && !seen[owner[i]]++) k++;
    return k;
}

static void check_covers(int64_t q) {
    static const int64_t sizes[] = {0, 1, 2, 5, 1023, 1024, 1025, 4097, BIG};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
        for (int k = 0; k < 3; k++) {
            int64_t n = sizes[s];
            cover.n = n;
            cover.q = q;
            cover.visits = calloc((size_t)n + 1, 1);
            cover.owner = malloc(((size_t)n + 1) * sizeof(int));
            atomic_store(&cover.bad, 0);
            run_workers(worker_counts[k], entry_cover);
            assert_int_equal(atomic_load(&cover.bad), 0);
            for (int64_t i = 0; i < n; i++)
                if (cover.visits[i] != 1)
                    fail_msg("n=%" PRId64 " workers=%d: element %" PRId64 " visited %d times", n,
                             worker_counts[k], i, cover.visits[i]);
            free(cover.visits);
            free(cover.owner);
        }
}

static void test_range_covers(void **state) {
    (void)state;
    check_covers(1);
}

/* par_range_q: every chunk starts at a multiple of q and ends at one or at
 * n, also once split between workers (a power of two, an odd quantum, and
 * one larger than PEL_GRAIN) */
static void test_range_quantum(void **state) {
    (void)state;
    check_covers(8);
    check_covers(3);
    check_covers(1500);
}

/* With two workers and enough work, the idle one gets a share. A loaded
 * machine can delay it, so three tries. */
static void test_range_shares(void **state) {
    (void)state;
    int shared = 0;
    for (int attempt = 0; attempt < 3 && !shared; attempt++) {
        cover.n = BIG;
        cover.q = 1;
        cover.visits = calloc(BIG, 1);
        cover.owner = malloc(BIG * sizeof(int));
        atomic_store(&cover.bad, 0);
        run_workers(2, entry_cover);
        shared = distinct_owners(cover.owner, BIG) == 2;
        free(cover.visits);
        free(cover.owner);
    }
    assert_true(shared);
    assert_true(rt_last_totals.stolen >= 1);
}

/* ---- a few very slow elements still spread over the workers ---------------- */

static int heavy_owner[8];

static void heavy(PelWorker *w, void *env, int64_t lo, int64_t hi) {
    (void)env;
    for (int64_t i = lo; i < hi; i++) {
        spin(w, SPIN_NS / 4);
        heavy_owner[i] = w->id;
    }
}

static int64_t entry_heavy(PelWorker *w) {
    pel_rt_par_range(w, 8, heavy, NULL);
    return 0;
}

/* Eight elements are less than one PEL_GRAIN chunk: the chunk size must
 * shrink with the time a chunk takes, or they would all run on one worker. */
static void test_few_heavy_elements(void **state) {
    (void)state;
    int shared = 0;
    for (int attempt = 0; attempt < 3 && !shared; attempt++) {
        memset(heavy_owner, -1, sizeof heavy_owner);
        run_workers(2, entry_heavy);
        shared = distinct_owners(heavy_owner, 8) == 2;
    }
    assert_true(shared);
}

/* ---- uneven work: the first eighth of the range is 100x slower -------------- */

#define UNEVEN_N (BIG / 4)
static _Atomic int64_t slow_units_by[4];

static void uneven(PelWorker *w, void *env, int64_t lo, int64_t hi) {
    (void)env;
    int64_t slow = 0;
    for (int64_t i = lo; i < hi; i++) {
        int cost = i < UNEVEN_N / 8 ? 100 : 1;
        volatile uint64_t sink = work((uint64_t)i, 10 * cost);
        (void)sink;
        slow += cost == 100 ? cost : 0;
        pel_poll(w, 0);
    }
    atomic_fetch_add(&slow_units_by[w->id], slow);
}

static int64_t entry_uneven(PelWorker *w) {
    pel_rt_par_range(w, UNEVEN_N, uneven, NULL);
    return 0;
}

/* The first split gives the other worker the lower half, which holds all
 * of the slow part (93% of the work). It balances only if the slow part is
 * split again when the fast half is done, so both workers must have done a
 * real share of it. Shares, not times: on a shared machine a worker's
 * thread may get less CPU, and then it rightly does less. */
static void test_uneven_balances(void **state) {
    (void)state;
    int64_t slow_total = UNEVEN_N / 8 * 100;
    double best = 1;
    for (int attempt = 0; attempt < 3 && best > 0.9; attempt++) {
        for (int i = 0; i < 4; i++) atomic_store(&slow_units_by[i], 0);
        run_workers(2, entry_uneven);
        int64_t a = atomic_load(&slow_units_by[0]), b = atomic_load(&slow_units_by[1]);
        assert_int_equal(a + b, slow_total);
        double larger = (double)(a > b ? a : b) / (double)slow_total;
        if (larger < best) best = larger;
    }
#ifndef PEL_TEST_TSAN
    /* under ThreadSanitizer the run is for races; its 5-15x slowdown makes
     * the shares a matter of the host's scheduling, not of the splitter */
    if (best > 0.9) fail_msg("one worker did %.0f%% of the slow part", best * 100);
#endif
}

/* ---- errors: the sequentially first failing element wins -------------------- */

static int64_t fail_a = 10, fail_b = 900000;
static int slow_first; /* element fail_a spins before failing: fail_b fails first in time */

static void failing(PelWorker *w, void *env, int64_t lo, int64_t hi) {
    (void)env;
    for (int64_t i = lo; i < hi; i++) {
        /* slow first elements: the range is split among the workers before
         * fail_a is reached, so both failures happen on different workers */
        if (i < 64) spin(w, 50000);
        if (i == fail_a || i == fail_b) {
            if (i == fail_a && slow_first) spin(w, SPIN_NS);
            pel_rt_fail_index("r.pel:1:1", i, 0);
        }
        volatile uint64_t sink = work((uint64_t)i, 10);
        (void)sink;
        pel_poll(w, 0);
    }
}

static int64_t entry_failing(PelWorker *w) {
    pel_rt_par_range(w, 1000000, failing, NULL);
    return 0;
}

static const char *child_workers;

static void child_failing(void) {
    setenv("PEL_WORKERS", child_workers, 1);
    pel_rt_main(0, NULL, entry_failing);
}

static void check_first_error(void (*child)(void), const char *want) {
    static const char *const ws[] = {"1", "2", "4"};
    for (int k = 0; k < 3; k++)
        for (int r = 0; r < REPEAT; r++) {
            child_workers = ws[k];
            Child c = run_child(child);
            assert_exit1(&c);
            if (strcmp(c.err, want) != 0)
                fail_msg("PEL_WORKERS=%s run %d: %s", ws[k], r, c.err);
        }
}

static void test_range_first_error(void **state) {
    (void)state;
    const char *want = "r.pel:1:1: runtime error: index 10 out of bounds for length 0\n";
    slow_first = 0;
    check_first_error(child_failing, want);
    slow_first = 1;
    check_first_error(child_failing, want);
    /* both in the upper half, close together */
    fail_a = 700000;
    fail_b = 700001;
    slow_first = 1;
    check_first_error(child_failing,
                      "r.pel:1:1: runtime error: index 700000 out of bounds for length 0\n");
    fail_a = 10;
    fail_b = 900000;
}

/* ---- reduce: a fixed tree, the same bits at any worker count --------------- */

static double *values;
static int64_t nvalues;

static void sum_leaf(PelWorker *w, void *env, int64_t lo, int64_t hi, void *out) {
    const double *x = env;
    double acc = *(double *)out;
    for (int64_t i = lo; i < hi; i++) {
        acc += x[i];
        if ((i & 255) == 0) pel_poll(w, 0);
    }
    *(double *)out = acc;
}

static void sum_combine(PelWorker *w, void *env, const void *a, const void *b, void *out) {
    (void)w;
    (void)env;
    *(double *)out = *(const double *)a + *(const double *)b;
}

/* The documented tree, evaluated sequentially. */
static double tree_sum(const double *x, int64_t n, int64_t a, int64_t b) {
    if (b - a == 1) {
        double acc = 0;
        int64_t hi = (a + 1) * PEL_REDUCE_LEAF < n ? (a + 1) * PEL_REDUCE_LEAF : n;
        for (int64_t i = a * PEL_REDUCE_LEAF; i < hi; i++) acc += x[i];
        return acc;
    }
    int64_t mid = a + (b - a) / 2;
    return tree_sum(x, n, a, mid) + tree_sum(x, n, mid, b);
}

static double got_sum;

static int64_t entry_sum(PelWorker *w) {
    got_sum = 0.0;
    pel_rt_par_reduce(w, nvalues, sizeof(double), sum_leaf, sum_combine, values, &got_sum);
    return 0;
}

static void fill_values(int64_t n) {
    free(values);
    values = malloc((size_t)n * sizeof *values);
    uint64_t s = 12345;
    for (int64_t i = 0; i < n; i++) {
        s = s * 6364136223846793005u + 1442695040888963407u;
        /* mixed magnitudes and signs, so the order of additions shows */
        double m = (double)(s >> 11) / 9007199254740992.0;
        values[i] = (m - 0.5) * pow(10.0, (double)((s >> 3) % 12));
    }
    nvalues = n;
}

static uint64_t bits(double d) {
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

static void test_reduce_bit_identical(void **state) {
    (void)state;
    fill_values(1000000);
    int64_t nb = (nvalues - 1) / PEL_REDUCE_LEAF + 1;
    double want = tree_sum(values, nvalues, 0, nb);
    double naive = 0;
    for (int64_t i = 0; i < nvalues; i++) naive += values[i];
    /* the data is order-sensitive, so equal bits below mean the same tree */
    assert_true(bits(naive) != bits(want));
    for (int k = 0; k < 3; k++)
        for (int r = 0; r < 3; r++) {
            run_workers(worker_counts[k], entry_sum);
            if (bits(got_sum) != bits(want))
                fail_msg("workers=%d run %d: %.17g, want %.17g", worker_counts[k], r, got_sum,
                         want);
        }
}

static void test_reduce_sizes(void **state) {
    (void)state;
    static const int64_t sizes[] = {1, 2, 2047, 2048, 2049, 4096, 4097, 2048 * 17 + 3};
    fill_values(2048 * 17 + 3);
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        nvalues = sizes[s];
        double want = tree_sum(values, nvalues, 0, (nvalues - 1) / PEL_REDUCE_LEAF + 1);
        run_workers(2, entry_sum);
        assert_true(bits(got_sum) == bits(want));
    }
    /* n == 0 leaves *out alone */
    nvalues = 0;
    double out = 42.5;
    pel_rt_par_reduce(NULL, 0, sizeof out, sum_leaf, sum_combine, values, &out);
    assert_true(out == 42.5);
}

/* leaf fails in two blocks: the lower one's error is reported */
static void failing_leaf(PelWorker *w, void *env, int64_t lo, int64_t hi, void *out) {
    (void)env;
    for (int64_t i = lo; i < hi; i++) {
        if (i == 3 * PEL_REDUCE_LEAF + 5) {
            spin(w, SPIN_NS / 2);
            pel_rt_fail_index("red.pel:2:3", i, 0);
        }
        if (i == 400 * PEL_REDUCE_LEAF + 1) pel_rt_fail_index("red.pel:2:3", i, 0);
        *(double *)out += 1;
    }
}

static int64_t entry_failing_reduce(PelWorker *w) {
    double out = 0;
    pel_rt_par_reduce(w, 500 * PEL_REDUCE_LEAF, sizeof out, failing_leaf, sum_combine, NULL, &out);
    return 0;
}

static void child_failing_reduce(void) {
    setenv("PEL_WORKERS", child_workers, 1);
    pel_rt_main(0, NULL, entry_failing_reduce);
}

static void test_reduce_first_error(void **state) {
    (void)state;
    char want[128];
    snprintf(want, sizeof want, "red.pel:2:3: runtime error: index %d out of bounds for length 0\n",
             3 * PEL_REDUCE_LEAF + 5);
    check_first_error(child_failing_reduce, want);
}

/* ---- scan --------------------------------------------------------------------- */

static double *scan_out;

static void scan_block(PelWorker *w, void *env, int64_t lo, int64_t hi, const void *carry) {
    const double *x = env;
    double acc = *(const double *)carry;
    for (int64_t i = lo; i < hi; i++) {
        acc += x[i];
        scan_out[i] = acc;
        if ((i & 255) == 0) pel_poll(w, 0);
    }
}

static int64_t entry_scan(PelWorker *w) {
    double zero = 0;
    pel_rt_par_scan(w, nvalues, sizeof zero, sum_leaf, sum_combine, scan_block, values, &zero);
    return 0;
}

/* The documented algorithm, sequentially: block totals, carries chained
 * left to right, then each block scanned from its carry. */
static void scan_reference(double *out) {
    int64_t nb = (nvalues - 1) / PEL_REDUCE_LEAF + 1;
    double carry = 0;
    for (int64_t k = 0; k < nb; k++) {
        int64_t lo = k * PEL_REDUCE_LEAF, hi = lo + PEL_REDUCE_LEAF < nvalues ? lo + PEL_REDUCE_LEAF : nvalues;
        double acc = carry, total = 0;
        for (int64_t i = lo; i < hi; i++) {
            acc += values[i];
            total += values[i];
            out[i] = acc;
        }
        carry = carry + total;
    }
}

static void test_scan(void **state) {
    (void)state;
    static const int64_t sizes[] = {1, 2048, 2049, 1000000};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        fill_values(sizes[s]);
        double *want = malloc((size_t)nvalues * sizeof *want);
        scan_reference(want);
        scan_out = malloc((size_t)nvalues * sizeof *scan_out);
        for (int k = 0; k < 3; k++) {
            memset(scan_out, 0, (size_t)nvalues * sizeof *scan_out);
            run_workers(worker_counts[k], entry_scan);
            if (memcmp(scan_out, want, (size_t)nvalues * sizeof *want) != 0)
                fail_msg("n=%" PRId64 " workers=%d: scan differs", nvalues, worker_counts[k]);
        }
        free(want);
        free(scan_out);
    }
}

static void test_scan_empty(void **state) {
    (void)state;
    nvalues = 0;
    scan_out = NULL;
    double zero = 0;
    /* nothing to call: a NULL worker would crash any callback */
    pel_rt_par_scan(NULL, 0, sizeof zero, sum_leaf, sum_combine, scan_block, values, &zero);
}

/* ---- fold: a lazily split reduction, for operators without rounding ------- */

static int fold_owner[8];
static int64_t fold_n, fold_got;
static int fold_heavy; /* elements spin, and note who ran them */
static int64_t fold_fail_a = -1, fold_fail_b = -1;

/* sum of work(i) over [lo, hi), added to the seed; wrapping like PEL's i64 */
static void fold_leaf(PelWorker *w, void *env, int64_t lo, int64_t hi, void *out) {
    (void)env;
    uint64_t acc = (uint64_t)*(int64_t *)out;
    for (int64_t i = lo; i < hi; i++) {
        if (i == fold_fail_a) {
            spin(w, SPIN_NS / 2);
            pel_rt_fail_index("fold.pel:4:2", i, 0);
        }
        if (i == fold_fail_b) pel_rt_fail_index("fold.pel:4:2", i, 0);
        if (fold_heavy) {
            spin(w, SPIN_NS / 4);
            fold_owner[i] = w->id;
        }
        acc += work((uint64_t)i, 3);
        pel_poll(w, 0);
    }
    *(int64_t *)out = (int64_t)acc;
}

static void fold_combine(PelWorker *w, void *env, const void *a, const void *b, void *out) {
    (void)w;
    (void)env;
    *(int64_t *)out = (int64_t)((uint64_t)*(const int64_t *)a + (uint64_t)*(const int64_t *)b);
}

static int64_t entry_fold(PelWorker *w) {
    fold_got = 0;
    pel_rt_par_fold(w, fold_n, sizeof fold_got, fold_leaf, fold_combine, NULL, &fold_got);
    return 0;
}

/* Every element exactly once, whatever the splits: the exact sum. */
static void test_fold_sums(void **state) {
    (void)state;
    static const int64_t sizes[] = {1, 7, PEL_GRAIN, PEL_GRAIN + 1, BIG};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        fold_n = sizes[s];
        uint64_t want = 0;
        for (int64_t i = 0; i < fold_n; i++) want += work((uint64_t)i, 3);
        for (int k = 0; k < 3; k++) {
            run_workers(worker_counts[k], entry_fold);
            if (fold_got != (int64_t)want)
                fail_msg("n=%" PRId64 " workers=%d: %" PRId64 ", want %" PRId64, fold_n, worker_counts[k],
                         fold_got, (int64_t)want);
        }
    }
    /* n == 0 leaves *out alone */
    int64_t out = 42;
    pel_rt_par_fold(NULL, 0, sizeof out, fold_leaf, fold_combine, NULL, &out);
    assert_int_equal(out, 42);
}

/* Eight heavy elements, a search node's worth: the fold splits them too. */
static void test_fold_shares(void **state) {
    (void)state;
    fold_heavy = 1;
    fold_n = 8;
    int shared = 0;
    for (int attempt = 0; attempt < 3 && !shared; attempt++) {
        memset(fold_owner, -1, sizeof fold_owner);
        run_workers(2, entry_fold);
        shared = distinct_owners(fold_owner, 8) == 2;
    }
    fold_heavy = 0;
    assert_true(shared);
}

static void child_failing_fold(void) {
    setenv("PEL_WORKERS", child_workers, 1);
    fold_n = BIG;
    pel_rt_main(0, NULL, entry_fold);
}

/* The lower failing element is reported even when it fails last. */
static void test_fold_first_error(void **state) {
    (void)state;
    fold_fail_a = 17;
    fold_fail_b = BIG - 3;
    check_first_error(child_failing_fold, "fold.pel:4:2: runtime error: index 17 out of bounds for length 0\n");
    fold_fail_a = fold_fail_b = -1;
}

/* ---- benchmarks (PEL_RT_BENCH=1) --------------------------------------------- */

#define BENCH_N 100000000

__attribute__((noinline)) static uint64_t kernel(int64_t lo, int64_t hi) {
    uint64_t acc = 0;
    for (int64_t i = lo; i < hi; i++) acc += (uint64_t)i * (uint64_t)i ^ (uint64_t)(i >> 3);
    return acc;
}

static _Atomic uint64_t bench_acc;

static void bench_body(PelWorker *w, void *env, int64_t lo, int64_t hi) {
    (void)w;
    (void)env;
    atomic_fetch_add_explicit(&bench_acc, kernel(lo, hi), memory_order_relaxed);
}

static void heavy_body(PelWorker *w, void *env, int64_t lo, int64_t hi) {
    (void)env;
    uint64_t acc = 0;
    for (int64_t i = lo; i < hi; i++) {
        acc += work((uint64_t)i, 200);
        pel_poll(w, 0);
    }
    atomic_fetch_add_explicit(&bench_acc, acc, memory_order_relaxed);
}

static double bench_time;
static PelRangeFn bench_fn;
static int64_t bench_n;

static int64_t entry_bench(PelWorker *w) {
    int64_t t0 = now_ns();
    pel_rt_par_range(w, bench_n, bench_fn, NULL);
    bench_time = (double)(now_ns() - t0) * 1e-9;
    return 0;
}

static double best_of(int reps, int workers, PelRangeFn fn, int64_t n) {
    double best = 1e30;
    bench_fn = fn;
    bench_n = n;
    for (int r = 0; r < reps; r++) {
        run_workers(workers, entry_bench);
        if (bench_time < best) best = bench_time;
    }
    return best;
}

static int bench(void) {
    /* interleaved, best of 7 each: the machine may be shared */
    double plain = 1e30, one = 1e30;
    for (int r = 0; r < 7; r++) {
        int64_t t0 = now_ns();
        volatile uint64_t v = kernel(0, BENCH_N);
        (void)v;
        double t = (double)(now_ns() - t0) * 1e-9;
        if (t < plain) plain = t;
        t = best_of(1, 1, bench_body, BENCH_N);
        if (t < one) one = t;
    }
    printf("trivial body, 1e8 iterations: plain C %.4f s, par_range 1 worker %.4f s (%+.1f%%)\n",
           plain, one, (one / plain - 1) * 100);
    double two = best_of(5, 2, bench_body, BENCH_N);
    printf("trivial body, 2 workers %.4f s (%.2fx)\n", two, one / two);
    double h1 = best_of(3, 1, heavy_body, 2000000), h2 = best_of(3, 2, heavy_body, 2000000);
    printf("heavy body (2e6 x 200 rounds): 1 worker %.3f s, 2 workers %.3f s (%.2fx)\n", h1, h2,
           h1 / h2);
    fill_values(100000000);
    int64_t t0 = now_ns();
    double naive = 0;
    for (int64_t i = 0; i < nvalues; i++) naive += values[i];
    volatile double sink = naive;
    (void)sink;
    double tn = (double)(now_ns() - t0) * 1e-9;
    for (int k = 1; k <= 2; k++) {
        double best = 1e30;
        for (int r = 0; r < 3; r++) {
            t0 = now_ns();
            run_workers(k, entry_sum);
            double t = (double)(now_ns() - t0) * 1e-9;
            if (t < best) best = t;
        }
        printf("f64 sum of 1e8: plain loop %.4f s, par_reduce %d worker(s) %.4f s (incl. start-up)\n",
               tn, k, best);
    }
    return 0;
}

static int teardown(void **state) {
    (void)state;
    child_free();
    free(values);
    values = NULL;
    return 0;
}

int main(void) {
    if (getenv("PEL_RT_BENCH")) return bench();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_range_covers),       cmocka_unit_test(test_range_quantum),
        cmocka_unit_test(test_range_shares),
        cmocka_unit_test(test_few_heavy_elements), cmocka_unit_test(test_uneven_balances),
        cmocka_unit_test(test_range_first_error),  cmocka_unit_test(test_reduce_bit_identical),
        cmocka_unit_test(test_reduce_sizes),       cmocka_unit_test(test_reduce_first_error),
        cmocka_unit_test(test_scan),               cmocka_unit_test(test_scan_empty),
        cmocka_unit_test(test_fold_sums),          cmocka_unit_test(test_fold_shares),
        cmocka_unit_test(test_fold_first_error),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
