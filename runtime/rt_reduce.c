/* rt_reduce.c — deterministic parallel reduce and inclusive scan.
 *
 * Spec 1.2: a floating-point reduce must give the same bits for any number
 * of workers. So the shape of the computation is a function of n alone:
 * fixed blocks of PEL_REDUCE_LEAF elements, each folded left to right, and a
 * fixed binary tree over the block indexes (split [a, b) at a + (b - a) / 2).
 * Scheduling only decides who computes which block and which subtree, never
 * which values meet in a combine.
 *
 * The runtime sees values as `size` plain bytes: it copies them and never
 * retains or releases them (docs/runtime.md, "Reduce and scan", says how
 * often each value is passed to which callback).
 */
#define _GNU_SOURCE /* sigjmp_buf in rt_internal.h */
#include "rt_internal.h"

#include <stdlib.h>
#include <string.h>

/* Subtrees of at least this many blocks are spawned in the combine tree;
 * below it the combines (a few ns each for numbers) run inline. */
#define TREE_SPAWN_MIN 16

typedef struct {
    PelLeafFn leaf;
    PelCombineFn combine;
    PelScanBlockFn scan_block;
    void *env;
    int64_t n, size, stride;
    const void *seed;     /* copied into each leaf's result slot first */
    unsigned char *slots; /* reduce: block results; scan: block totals */
    unsigned char *aux;   /* reduce: combine outputs; scan: carries */
} Job;

static inline void *slot(const Job *j, unsigned char *base, int64_t k) {
    return base + k * j->stride;
}

static inline void block_bounds(const Job *j, int64_t k, int64_t *lo, int64_t *hi) {
    *lo = k * PEL_REDUCE_LEAF;
    *hi = j->n - *lo > PEL_REDUCE_LEAF ? *lo + PEL_REDUCE_LEAF : j->n;
}

/* Both result arrays in one allocation; the stride keeps every slot as
 * aligned as malloc's result, whatever the value's C type is. */
static void job_alloc(Job *j, int64_t nblocks) {
    j->stride = (j->size + 15) / 16 * 16;
    if (j->stride == 0) j->stride = 16;
    if (nblocks > INT64_MAX / 2 / j->stride) rt_oom();
    j->slots = malloc((size_t)(2 * nblocks * j->stride));
    if (!j->slots) rt_oom();
    j->aux = j->slots + nblocks * j->stride;
}

/* par_range body over block indexes: fold blocks [lo, hi). The slot starts
 * as a bitwise copy of the identity, so a leaf that folds into *out as it
 * finds it is right for plain values. */
static void leaf_blocks(PelWorker *w, void *env, int64_t lo, int64_t hi) {
    Job *j = env;
    for (int64_t k = lo; k < hi; k++) {
        int64_t a, b;
        block_bounds(j, k, &a, &b);
        void *out = slot(j, j->slots, k);
        memcpy(out, j->seed, (size_t)j->size);
        j->leaf(w, j->env, a, b, out);
    }
}

/* ---- reduce ------------------------------------------------------------- */

typedef struct {
    PelTask hdr;
    const Job *job;
    int64_t a, b;
} TreeTask;

static void combine_tree(PelWorker *w, const Job *j, int64_t a, int64_t b);

static void tree_task(PelWorker *w, PelTask *t) {
    TreeTask *f = (TreeTask *)t;
    combine_tree(w, f->job, f->a, f->b);
}

/* Leaves the result of blocks [a, b) in slot a. The left subtree is the
 * one spawned: it precedes the right one in sequential order (rt_err.c),
 * which matters when combine can fail. */
static void combine_tree(PelWorker *w, const Job *j, int64_t a, int64_t b) {
    if (b - a < 2) return;
    int64_t mid = a + (b - a) / 2;
    if (b - a >= TREE_SPAWN_MIN) {
        TreeTask t;
        t.job = j;
        t.a = a;
        t.b = mid;
        int spawned = pel_spawn(w, &t.hdr, tree_task);
        combine_tree(w, j, mid, b);
        if (pel_join(w, &t.hdr, spawned)) combine_tree(w, j, a, mid);
    } else {
        combine_tree(w, j, a, mid);
        combine_tree(w, j, mid, b);
    }
    /* Into a separate slot: combine need not support out aliasing a. Slot
     * aux[a] is used by the nodes with left edge a only, one at a time. */
    void *out = slot(j, j->aux, a);
    j->combine(w, j->env, slot(j, j->slots, a), slot(j, j->slots, mid), out);
    memcpy(slot(j, j->slots, a), out, (size_t)j->size);
}

void pel_rt_par_reduce(PelWorker *w, int64_t n, int64_t size, PelLeafFn leaf,
                       PelCombineFn combine, void *env, void *out) {
    if (n <= 0) return;
    int64_t nblocks = (n - 1) / PEL_REDUCE_LEAF + 1;
    if (nblocks == 1) {
        /* one leaf, straight into *out, which holds the identity */
        leaf(w, env, 0, n, out);
        return;
    }
    Job j = {.leaf = leaf, .combine = combine, .env = env, .n = n, .size = size, .seed = out};
    job_alloc(&j, nblocks);
    pel_rt_par_range(w, nblocks, leaf_blocks, &j);
    combine_tree(w, &j, 0, nblocks);
    memcpy(out, j.slots, (size_t)size);
    free(j.slots);
}

/* ---- scan --------------------------------------------------------------- */

static void scan_blocks(PelWorker *w, void *env, int64_t lo, int64_t hi) {
    Job *j = env;
    for (int64_t k = lo; k < hi; k++) {
        int64_t a, b;
        block_bounds(j, k, &a, &b);
        j->scan_block(w, j->env, a, b, slot(j, j->aux, k));
    }
}

void pel_rt_par_scan(PelWorker *w, int64_t n, int64_t size, PelLeafFn leaf, PelCombineFn combine,
                     PelScanBlockFn scan_block, void *env, const void *init) {
    if (n <= 0) return;
    int64_t nblocks = (n - 1) / PEL_REDUCE_LEAF + 1;
    if (nblocks == 1) {
        scan_block(w, env, 0, n, init);
        return;
    }
    Job j = {.leaf = leaf, .combine = combine, .scan_block = scan_block, .env = env, .n = n,
             .size = size, .seed = init};
    job_alloc(&j, nblocks);
    /* Pass 1: the last block's total would only feed a carry nobody uses. */
    pel_rt_par_range(w, nblocks - 1, leaf_blocks, &j);
    /* Pass 2: carry[k] = combine(carry[k-1], total[k-1]), left to right: a
     * fixed chain, one combine per block, cheap next to the passes. */
    memcpy(slot(&j, j.aux, 0), init, (size_t)size);
    for (int64_t k = 1; k < nblocks; k++)
        combine(w, env, slot(&j, j.aux, k - 1), slot(&j, j.slots, k - 1), slot(&j, j.aux, k));
    /* Pass 3 */
    pel_rt_par_range(w, nblocks, scan_blocks, &j);
    free(j.slots);
}
