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

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    PelLeafFn leaf;
    PelCombineFn combine;
    PelScanBlockFn scan_block;
    void *env;
    int64_t n, size, stride;
    const void *seed;     /* copied into each leaf's result slot first */
    unsigned char *slots; /* scan: block totals */
    unsigned char *aux;   /* scan: carries */
} Job;

static inline void *slot(const Job *j, unsigned char *base, int64_t k) {
    return base + k * j->stride;
}

static inline void block_bounds(const Job *j, int64_t k, int64_t *lo, int64_t *hi) {
    *lo = k * PEL_REDUCE_LEAF;
    *hi = j->n - *lo > PEL_REDUCE_LEAF ? *lo + PEL_REDUCE_LEAF : j->n;
}

/* The stride keeps every slot as aligned as malloc's result (16 bytes),
 * whatever the value's C type is. */
static int64_t slot_stride(int64_t size) {
    int64_t a = (int64_t)sizeof(max_align_t);
    return size <= 0 ? a : (size + a - 1) / a * a;
}

/* Both result arrays of a scan in one allocation. */
static void job_alloc(Job *j, int64_t nblocks) {
    j->stride = slot_stride(j->size);
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
    void *out;
} TreeTask;

static void reduce_tree(PelWorker *w, const Job *j, int64_t a, int64_t b, void *out);

static void tree_task(PelWorker *w, PelTask *t) {
    TreeTask *f = (TreeTask *)t;
    reduce_tree(w, f->job, f->a, f->b, f->out);
}

/* The value of blocks [a, b) into *out: one block's leaf, or the combine of
 * the two halves. The left half is the one spawned: it precedes the right
 * one in sequential order (rt_err.c), which matters when a leaf or a
 * combine can fail. The halves' values live in this frame, so a reduce
 * needs O(log n) of them and no heap; every level spawns, so leaves of
 * uneven cost balance by stealing like any fork-join tree. */
static void reduce_tree(PelWorker *w, const Job *j, int64_t a, int64_t b, void *out) {
    if (b - a == 1) {
        int64_t lo, hi;
        block_bounds(j, a, &lo, &hi);
        memcpy(out, j->seed, (size_t)j->size);
        j->leaf(w, j->env, lo, hi, out);
        return;
    }
    int64_t mid = a + (b - a) / 2;
    max_align_t halves[2 * j->stride / (int64_t)sizeof(max_align_t)];
    unsigned char *left = (unsigned char *)halves, *right = left + j->stride;
    TreeTask t = {.job = j, .a = a, .b = mid, .out = left};
    int spawned = pel_spawn(w, &t.hdr, tree_task);
    reduce_tree(w, j, mid, b, right);
    if (pel_join(w, &t.hdr, spawned)) reduce_tree(w, j, a, mid, left);
    /* out never aliases the halves: combine need not support it */
    j->combine(w, j->env, left, right, out);
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
    /* The leaves copy the identity from *out; the root's value is written
     * there only after every leaf has run. */
    Job j = {.leaf = leaf, .combine = combine, .env = env, .n = n, .size = size, .seed = out,
             .stride = slot_stride(size)};
    reduce_tree(w, &j, 0, nblocks, out);
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
