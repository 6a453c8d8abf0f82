/* rt_box.c — the boxes of variant values (pel_rt.h, PelBox): allocation
 * and release.
 *
 * A program that builds a tree makes millions of boxes of a few sizes and
 * frees them all at once, so boxes come from per-thread caches by size
 * class (8-byte steps up to BOX_CLASSES * 8 bytes; fields need no more
 * alignment): a free list each, fed
 * by the boxes this thread frees, and a bump pointer into a slab of
 * BOX_SLAB bytes taken from malloc when the list is empty. No header is
 * added (glibc adds 8 bytes and rounds to 16: a three-field tree node of 40
 * bytes would take 48) and neither path takes a lock. A box freed on
 * another worker than the one that made it joins that worker's list; the
 * count's acquire in rt_rc_drop orders every earlier use of the box before
 * its reuse. Memory in the lists is reused, not given back to the system.
 *
 * Under valgrind and the sanitizers the boxes come from malloc instead, one
 * each, so that the tools see every box's life (leaks, use after free).
 *
 * Freeing: a box whose last reference goes runs its type's drop (releasing
 * its fields), then is freed. Boxes that die during a drop are pushed on a
 * per-thread stack with their drop and freed after it, so freeing a list of
 * 10^7 cells takes constant stack (the stack holds one cell at a time) and
 * a tree as much as its depth; other workers that ask for work take half
 * of that stack (drain_all). */
#define _GNU_SOURCE /* sigjmp_buf in rt_internal.h */
#include "rt_internal.h"

#include <stdlib.h>
#include <string.h>

#include <valgrind/valgrind.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define BOX_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define BOX_SANITIZED 1
#endif
#endif
#ifndef BOX_SANITIZED
#define BOX_SANITIZED 0
#endif

enum { BOX_CLASSES = 32, BOX_SLAB = 1 << 20 };

typedef struct FreeBox {
    struct FreeBox *next;
} FreeBox;

typedef struct BoxCache {
    FreeBox *free[BOX_CLASSES + 1]; /* by class: size / 8 */
    char *bump, *end;               /* the slab being carved */
} BoxCache;

static _Thread_local BoxCache box_cache;
/* 0 not decided yet, 1 caches, 2 malloc (valgrind or a sanitizer) */
static int box_mode;

static int mode(void) {
    int m = __atomic_load_n(&box_mode, __ATOMIC_RELAXED);
    if (m == 0) {
        /* relaxed: every thread computes the same value */
        m = BOX_SANITIZED || RUNNING_ON_VALGRIND ? 2 : 1;
        __atomic_store_n(&box_mode, m, __ATOMIC_RELAXED);
    }
    return m;
}

int rt_heap_checked(void) { return mode() == 2; }

static PelBox *carve(BoxCache *c, size_t bytes) {
    if ((size_t)(c->end - c->bump) < bytes) {
        /* the rest of the old slab is lost: at most one box's size */
        char *slab = malloc(BOX_SLAB);
        if (!slab) rt_oom_bytes(BOX_SLAB);
        c->bump = slab;
        c->end = slab + BOX_SLAB;
    }
    PelBox *b = (PelBox *)c->bump;
    c->bump += bytes;
    return b;
}

PelBox *pel_rt_box_new(int64_t size, int32_t tag) {
    int32_t cls = (int32_t)((size + 7) / 8);
    PelBox *b;
    if (cls > BOX_CLASSES || mode() == 2) {
        b = malloc((size_t)size);
        if (!b) rt_oom_bytes((size_t)size);
        cls = 0; /* freed with free() */
    } else {
        BoxCache *c = &box_cache;
        FreeBox *f = c->free[cls];
        if (f) {
            c->free[cls] = f->next;
            b = (PelBox *)f;
        } else {
            b = carve(c, (size_t)cls * 8);
        }
    }
    b->rc = 1;
    b->tag = tag;
    b->size = cls;
    rt_count_alloc();
    return b;
}

static void box_free(PelBox *b) {
    int32_t cls = b->size;
    if (cls == 0) {
        free(b);
        return;
    }
    FreeBox *f = (FreeBox *)b;
    f->next = box_cache.free[cls];
    box_cache.free[cls] = f;
}

typedef struct BoxDeath {
    PelBox *box;
    PelBoxDropFn drop;
} BoxDeath;
static _Thread_local BoxDeath *box_stack;
static _Thread_local size_t box_top, box_cap;
static _Thread_local bool box_draining;

static bool box_defer(PelBox *b, PelBoxDropFn drop) {
    if (box_top == box_cap) {
        size_t cap = box_cap ? box_cap * 2 : 64;
        BoxDeath *grown = realloc(box_stack, cap * sizeof *grown);
        if (!grown) return false;
        box_stack = grown;
        box_cap = cap;
    }
    box_stack[box_top++] = (BoxDeath){b, drop};
    return true;
}

/* A tree's boxes die together when its root does: when another worker
 * asks for work meanwhile (or sleeps), the older half of the stack of
 * dying boxes goes to it as a task, as a parallel loop splits its range
 * (rt_par.c), so freeing a big tree is shared like building it was. */
typedef struct DrainTask {
    PelTask hdr;
    BoxDeath *items;
    size_t n;
} DrainTask;

enum { DRAIN_SPLITS = 16 }; /* tasks outstanding at once per drain */

static void drain_all(void);

/* The boxes handed over join this thread's stack: freed by the drain it
 * is in (a worker helping while it waits for a join), or by a new one. */
static void drain_task(PelWorker *w, PelTask *t) {
    (void)w;
    DrainTask *d = (DrainTask *)t;
    for (size_t i = 0; i < d->n; i++)
        if (!box_defer(d->items[i].box, d->items[i].drop)) {
            if (d->items[i].drop) d->items[i].drop(d->items[i].box);
            box_free(d->items[i].box);
        }
    free(d->items);
    if (!box_draining) drain_all();
}

static inline bool drain_wanted(const PelWorker *w) {
    /* relaxed: as on the spawn path; a stale value only delays the split */
    return atomic_load_explicit(&w->request, memory_order_relaxed) != PEL_NO_REQUEST ||
           atomic_load_explicit(&pel_rt_sleepers, memory_order_relaxed) != 0;
}

static void drain_all(void) {
    box_draining = true;
    PelWorker *w = rt_self ? &rt_self->pub : NULL;
    DrainTask tasks[DRAIN_SPLITS];
    int spawned[DRAIN_SPLITS];
    int nt = 0;
    for (;;) {
        while (box_top > 0) {
            BoxDeath d = box_stack[--box_top];
            if (d.drop) d.drop(d.box); /* may defer more */
            box_free(d.box);
            if (!w || nt == DRAIN_SPLITS || box_top < 2 || !drain_wanted(w)) continue;
            size_t half = box_top / 2;
            BoxDeath *items = malloc(half * sizeof *items);
            if (!items) continue;
            memcpy(items, box_stack, half * sizeof *items);
            memmove(box_stack, box_stack + half, (box_top - half) * sizeof *items);
            box_top -= half;
            tasks[nt].items = items;
            tasks[nt].n = half;
            spawned[nt] = pel_spawn(w, &tasks[nt].hdr, drain_task);
            nt++;
        }
        if (nt == 0) break;
        /* joins in reverse order of the spawns; one not stolen is ours */
        nt--;
        if (pel_join(w, &tasks[nt].hdr, spawned[nt])) drain_task(w, &tasks[nt].hdr);
    }
    box_draining = false;
}

void pel_rt_release_box(PelBox *b, PelBoxDropFn drop) {
    if (!b || !rt_rc_drop(b)) return;
    if (box_defer(b, drop)) {
        if (!box_draining) drain_all();
        return;
    }
    if (drop) drop(b); /* no memory for the stack: recurse this once */
    box_free(b);
}

void rt_box_thread_fini(void) {
    free(box_stack);
    box_stack = NULL;
    box_top = box_cap = 0;
}
