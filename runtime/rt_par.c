/* rt_par.c — pel_rt_par_range: a parallel loop over [0, n) that splits
 * lazily, only when another worker asks for work.
 *
 * A worker runs the range in chunks; between chunks it looks at its
 * `request` cell (and at pel_rt_sleepers). When a thief waits and enough is
 * left, it splits what remains: it spawns the LOWER half as a task (a frame
 * on its own stack, the protocol generated code uses, so pel_spawn's slow
 * path hands exactly that task to the thief) and carries on with the upper
 * half, joining the lower one at the end. A stolen half splits the same way.
 * Work is only divided when someone can take it, so a loop nobody helps
 * with costs one chunk loop, and uneven work balances by itself: an idle
 * worker keeps asking, and whoever still has work splits it.
 *
 * Why the lower half: a spawned task precedes its spawner's continuation in
 * sequential order (rt_err.c). The elements before the split point have run
 * already; the lower half precedes the upper one. So an error anywhere is
 * resolved to the sequentially first failing element.
 *
 * Chunk size: PEL_GRAIN iterations at most, but less when iterations are
 * slow. A chunk is the only point where a request can be answered with part
 * of this range, so a chunk must stay short in TIME, or a map over eight
 * heavy elements could never be split. With several workers the chunk size
 * starts at 1 and doubles while a chunk takes less than CHUNK_FAST ticks,
 * halving when one takes more than 4 * CHUNK_FAST. With one worker nobody
 * can ask, so chunks are PEL_GRAIN from the start and nothing is timed.
 *
 * Quantum: pel_rt_par_range_q keeps every chunk boundary and split point at
 * a multiple of q (only the last chunk may end short), with chunk sizes
 * from q to PEL_GRAIN (or q if larger). Codegen asks for it when the body
 * computes q elements at once (cg_tile.c): a chunk of fewer would run one
 * element at a time, which is slow enough to keep the timed chunk size from
 * ever growing to q.
 *
 * Fold: pel_rt_par_fold runs a reduction over the same lazily split range.
 * Each range keeps a running value; a chunk's leaf value joins it through
 * combine, and a split's two halves join it after the join, lower first.
 * Where the chunks end decides which values meet, so this is only for an
 * operator with no rounding (ir/fusion.c, IrFact.lazy_fold): i64 sum,
 * product, minimum and maximum give the same bits for any split.
 */
#define _GNU_SOURCE /* sigjmp_buf in rt_internal.h */
#include "rt_internal.h"

#include <string.h>
#include <time.h>

/* Ticks: the TSC where there is one (a few ns to read), else nanoseconds.
 * Only compared with the thresholds below, never converted: exactness does
 * not matter, a few µs either way only moves where chunks end. */
static inline uint64_t ticks(void) {
#if defined(__x86_64__) || defined(__i386__)
    return __builtin_ia32_rdtsc();
#else
    return (uint64_t)rt_now_ns() * 2;
#endif
}

/* ~8 µs at 2 GHz: well inside a thief's 50 µs patience (rt_sched.c). */
#define CHUNK_FAST 16384
/* Splitting pays only for enough work (issue: no parallel slowdown). The
 * rest of a range is worth a task when, at the last timed chunk's speed,
 * it would take SPLIT_ASKED ticks (~8 µs, a chunk's time: an awake thief
 * asks; handing it a task costs a few hundred ns, but its joiner may then
 * wait for it) or SPLIT_WAKE ticks (~40 µs: only
 * sleepers, and waking one costs it far more than that before it runs).
 * A map over five bodies of an n-body step is never split, and the second
 * worker sleeps through it instead of being woken every step. */
#define SPLIT_ASKED 16384
#define SPLIT_WAKE 81920
/* At full size, time one chunk in this many: iterations that got slower are
 * noticed soon enough, and the clock costs nothing against 8 full chunks. */
#define SAMPLE_EVERY 8

typedef struct {
    PelRangeFn body;      /* a loop; NULL for a fold */
    PelLeafFn leaf;       /* a fold: the value of a chunk, from the seed */
    PelCombineFn combine; /* a fold: two values in sequential order */
    void *env;
    const void *seed;     /* a fold: copied into a leaf's slot first */
    int64_t size, stride; /* a fold: a value's bytes, and its slot's */
    int64_t q, max_grain; /* chunk sizes are multiples of q up to max_grain */
} RangeJob;

/* A fold's running value over the chunks one range has run so far. */
typedef struct {
    unsigned char *val;
    int have; /* 0 until the first chunk or half joins */
} FoldAcc;

typedef struct {
    PelTask hdr;
    const RangeJob *job;
    int64_t lo, hi;
    int64_t grain; /* the spawner's chunk size: a good first guess for the thief */
    FoldAcc *acc;  /* a fold: the lower half's value */
} RangeTask;

static void run_range(PelWorker *w, const RangeJob *job, int64_t lo, int64_t hi, int64_t grain, FoldAcc *acc);
static void run_range_at(PelWorker *w, const RangeJob *job, int64_t lo, int64_t hi, int64_t grain,
                         RtRangeSite *site, FoldAcc *acc);

static void range_task(PelWorker *w, PelTask *t) {
    RangeTask *r = (RangeTask *)t;
    run_range(w, r->job, r->lo, r->hi, r->grain, r->acc);
}

/* A fold's value: 8 bytes (an i64) copied inline, not by a call. */
static inline void copy_val(void *dst, const void *src, int64_t size) {
    if (size == 8) memcpy(dst, src, 8);
    else memcpy(dst, src, (size_t)size);
}

/* acc = acc op part, part the value of what follows acc in sequential order. */
static void fold_join(PelWorker *w, const RangeJob *job, FoldAcc *acc, const unsigned char *part) {
    if (!acc->have) {
        copy_val(acc->val, part, job->size);
        acc->have = 1;
        return;
    }
    max_align_t res[job->stride / (int64_t)sizeof(max_align_t)];
    job->combine(w, job->env, acc->val, part, res); /* out aliases neither input */
    copy_val(acc->val, res, job->size);
}

/* Spawn [lo, mid), run [mid, hi), join: the shape codegen emits for
 * `let a = f(); let b = g()`, so the scheduler and the error path treat
 * the halves exactly as they treat user tasks. */
/* site: where the upper half notes its cost (a call site's first split) */
static void split(PelWorker *w, const RangeJob *job, int64_t lo, int64_t hi, int64_t grain, FoldAcc *acc,
                  RtRangeSite *site) {
    int64_t mid = lo + (hi - lo) / 2 / job->q * job->q; /* > lo: hi - lo >= 2 * grain >= 2q */
    /* a fold's halves: values in this frame, joined to acc in order */
    int64_t words = acc ? job->stride / (int64_t)sizeof(max_align_t) : 1;
    max_align_t lower_val[words], upper_val[words];
    FoldAcc lower = {(unsigned char *)lower_val, 0}, upper = {(unsigned char *)upper_val, 0};
    RangeTask t;
    t.job = job;
    t.lo = lo;
    t.hi = mid;
    t.grain = grain;
    t.acc = acc ? &lower : NULL;
    int spawned = pel_spawn(w, &t.hdr, range_task);
    run_range_at(w, job, mid, hi, grain, site, acc ? &upper : NULL);
    if (pel_join(w, &t.hdr, spawned)) run_range(w, job, lo, mid, grain, t.acc);
    if (acc) {
        fold_join(w, job, acc, lower.val);
        fold_join(w, job, acc, upper.val);
    }
}

/* At a chunk boundary with a request pending or workers asleep: 1 means
 * split the rest. Stealable tasks already in the deque (older ones, or a
 * half nobody took yet) are handed out first, so the range is cut no finer
 * than the thieves need; a request nothing can answer is declined, so the
 * thief looks elsewhere at once. */
static int should_split(PelWorker *w, int64_t left, int64_t grain) {
    if (w->top > w->base) {
        pel_rt_poll(w, 0);
        return 0;
    }
    if (left >= 2 * grain) return 1;
    pel_rt_poll(w, 0);
    return 0;
}

static inline int someone_waits(const PelWorker *w) {
    /* relaxed: as on the spawn path; a stale value only delays the split
     * to the next chunk. A sleeper counts as waiting: splitting pushes a
     * task, and the push wakes it (pel_rt_spawn_slow). */
    return atomic_load_explicit(&w->request, memory_order_relaxed) != PEL_NO_REQUEST ||
           atomic_load_explicit(&pel_rt_sleepers, memory_order_relaxed) != 0;
}

static int64_t adapt(const RangeJob *job, int64_t grain, uint64_t took) {
    if (took < CHUNK_FAST && grain < job->max_grain) return grain * 2 > job->max_grain ? job->max_grain : grain * 2;
    if (took > 4 * CHUNK_FAST && grain > job->q) {
        int64_t half = grain / 2 / job->q * job->q;
        return half < job->q ? job->q : half;
    }
    return grain;
}

/* Runs one chunk. range_open tells pel_rt_poll, called by the body's
 * loops, to leave a request it cannot answer for our boundary; nested
 * ranges save and restore it. */
static inline void run_chunk(RtWorker *rw, const RangeJob *job, int64_t lo, int64_t end,
                             int open, FoldAcc *acc) {
    int32_t outer = rw->range_open;
    rw->range_open = open;
    if (acc) {
        max_align_t part[job->stride / (int64_t)sizeof(max_align_t)];
        copy_val(part, job->seed, job->size);
        job->leaf(&rw->pub, job->env, lo, end, part);
        fold_join(&rw->pub, job, acc, (const unsigned char *)part);
    } else {
        job->body(&rw->pub, job->env, lo, end);
    }
    rw->range_open = outer;
}

/* Is what is left, at per ticks an element, worth giving away? Declines
 * a request when not (the thief looks elsewhere at once). */
static int worth_splitting(PelWorker *w, int64_t left, uint64_t per) {
    int asked = atomic_load_explicit(&w->request, memory_order_relaxed) != PEL_NO_REQUEST;
    uint64_t want = asked ? SPLIT_ASKED : SPLIT_WAKE;
    if (per > 0 && (uint64_t)left >= (want + per - 1) / per) return 1;
    if (asked) pel_rt_poll(w, 0);
    return 0;
}


static void run_range(PelWorker *w, const RangeJob *job, int64_t lo, int64_t hi, int64_t grain, FoldAcc *acc) {
    run_range_at(w, job, lo, hi, grain, NULL, acc);
}

/* site: where to note the cost per element (a call site's timed run only) */
static void run_range_at(PelWorker *w, const RangeJob *job, int64_t lo, int64_t hi, int64_t grain,
                         RtRangeSite *site, FoldAcc *acc) {
    RtWorker *rw = (RtWorker *)w;
    int timed = rt_nworkers > 1;
    unsigned count = 0;
    uint64_t per = 0; /* ticks per element, from the last timed chunk */
    while (lo < hi) {
        int64_t end = hi - lo > grain ? lo + grain : hi;
        int open = timed && hi - end >= 2 * grain;
        if (timed && (grain < job->max_grain || ++count % SAMPLE_EVERY == 0)) {
            uint64_t t0 = ticks();
            run_chunk(rw, job, lo, end, open, acc);
            uint64_t took = ticks() - t0;
            per = took / (uint64_t)(end - lo) + 1;
            /* the last timed chunk is the longest so far, so the least
             * overhead per element: the call site's cost */
            if (site) site->per = per > UINT32_MAX ? UINT32_MAX : (uint32_t)per;
            grain = adapt(job, grain, took);
            /* too little left to give away: the rest untimed, in whole chunks */
            if ((uint64_t)(hi - end) < SPLIT_ASKED / per) {
                grain = job->max_grain;
                timed = 0;
            }
        } else {
            run_chunk(rw, job, lo, end, open, acc);
        }
        lo = end;
        if (lo < hi && __builtin_expect(someone_waits(w), 0) && worth_splitting(w, hi - lo, per) &&
            should_split(w, hi - lo, grain)) {
            split(w, job, lo, hi, grain, acc, NULL);
            return;
        }
    }
}

/* A loop this call site ran before, too small then to share at its cost
 * per element, runs untimed, as with one worker: reading the
 * clock around chunks of one element costs more than the loop (a map over
 * the five bodies of an n-body step). Every RESAMPLE_EVERY-th call is
 * timed again, in case the elements got heavier. */
#define RESAMPLE_EVERY 64

/* Runs job over [0, n), n > 0: untimed with one worker, or when this call
 * site's last timed run found it too small to share. */
static void run_job(PelWorker *w, const RangeJob *job, const void *key, int64_t n, FoldAcc *acc) {
    if (rt_nworkers <= 1) {
        run_range(w, job, 0, n, job->max_grain, acc);
        return;
    }
    RtWorker *rw = (RtWorker *)w;
    RtRangeSite *site = &rw->sites[((uintptr_t)key >> 4) % RT_RANGE_SITES];
    if (site->key == key && ++site->calls % RESAMPLE_EVERY != 0 && (uint64_t)n < SPLIT_ASKED / site->per) {
        for (int64_t lo = 0; lo < n; lo += job->max_grain)
            run_chunk(rw, job, lo, n - lo > job->max_grain ? lo + job->max_grain : n, 0, acc);
        return;
    }
    /* Halve the range before its first chunk when nothing older waits in
     * the deque to be handed out, and the range's cost is unknown (the
     * site's first run), or someone waits and it is worth sharing at the
     * cost the site had. Waiting for the first chunk's time would give a
     * thief half of what is LEFT: ten blocks of equal cost would end 6 to
     * 4. A lower half nobody takes is run by its spawner after the upper
     * one; a cheap loop pays that one spawn (or a sleeper's wake-up) once,
     * and the site then knows its cost. */
    uint32_t known = site->key == key ? site->per : UINT32_MAX;
    site->key = key;
    site->calls = 0;
    site->per = UINT32_MAX; /* until the first chunk is timed: large */
    if (n >= 2 * job->q && w->top == w->base &&
        (known == UINT32_MAX || (someone_waits(w) && worth_splitting(w, n, known)))) {
        split(w, job, 0, n, job->q, acc, site);
        return;
    }
    run_range_at(w, job, 0, n, job->q, site, acc);
}

void pel_rt_par_range_q(PelWorker *w, int64_t n, int64_t q, PelRangeFn body, void *env) {
    if (n <= 0) return;
    if (q < 1) q = 1;
    RangeJob job = {.body = body, .env = env, .q = q, .max_grain = PEL_GRAIN >= q ? PEL_GRAIN / q * q : q};
    run_job(w, &job, (const void *)body, n, NULL);
}

void pel_rt_par_range(PelWorker *w, int64_t n, PelRangeFn body, void *env) {
    pel_rt_par_range_q(w, n, 1, body, env);
}

void pel_rt_par_fold(PelWorker *w, int64_t n, int64_t size, PelLeafFn leaf, PelCombineFn combine,
                     void *env, void *out) {
    if (n <= 0) return;
    int64_t a = (int64_t)sizeof(max_align_t);
    int64_t stride = size <= 0 ? a : (size + a - 1) / a * a;
    RangeJob job = {.leaf = leaf, .combine = combine, .env = env, .seed = out, .size = size,
                    .stride = stride, .q = 1, .max_grain = PEL_GRAIN};
    max_align_t val[stride / a];
    FoldAcc acc = {(unsigned char *)val, 0};
    run_job(w, &job, (const void *)leaf, n, &acc);
    memcpy(out, val, (size_t)size); /* n > 0: some chunk ran */
}
