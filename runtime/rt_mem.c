/* rt_mem.c — reference counts and allocation of managed values.
 *
 * Strings, arrays and closure environments all keep their count at offset 0
 * (PEL_RC_STATIC: immortal literals, never touched, so they can live in
 * read-only memory). Values are shared between tasks on different workers,
 * so the counts are atomic. The field is a plain int64_t in the ABI (codegen
 * lays out constant strings as ordinary globals), hence the __atomic
 * builtins rather than C11 _Atomic operations.
 */
#define _GNU_SOURCE /* sigjmp_buf in rt_internal.h */
#include "rt_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

/* The header every managed value starts with. */
typedef struct RcHead {
    int64_t rc;
} RcHead;

void pel_rt_retain(void *obj) {
    if (!obj) return;
    RcHead *h = obj;
    /* relaxed: a new reference is made from an existing one, which keeps the
     * object alive meanwhile; nothing is published through the count. */
    if (__atomic_load_n(&h->rc, __ATOMIC_RELAXED) != PEL_RC_STATIC)
        __atomic_fetch_add(&h->rc, 1, __ATOMIC_RELAXED);
}

/* Returns 1 when the caller held the last reference and must free obj. */
static int rc_drop(void *obj) {
    RcHead *h = obj;
    /* acquire: if we are the only owner, every other owner's use of the
     * value happened before its release below, and so before our free. A
     * count of 1 cannot rise under us: nobody else holds a reference to
     * copy. This skips the read-modify-write for the common single owner. */
    int64_t rc = __atomic_load_n(&h->rc, __ATOMIC_ACQUIRE);
    if (rc == PEL_RC_STATIC) return 0;
    if (rc == 1) return 1;
    /* acq_rel: release publishes our uses to whoever frees; acquire makes
     * the freeing thread see all of them. (A fence would do for the acquire
     * half, but ThreadSanitizer does not model fences.) */
    return __atomic_fetch_sub(&h->rc, 1, __ATOMIC_ACQ_REL) == 1;
}

int32_t pel_rt_unique(const PelArr *a) {
    /* acquire, as in rc_drop: the other owners' uses of the array happened
     * before their releases, so before our writes. */
    return __atomic_load_n(&a->rc, __ATOMIC_ACQUIRE) == 1;
}

void pel_rt_release_str(PelStr *s) {
    if (s && rc_drop(s)) free(s);
}

void pel_rt_release_arr(PelArr *a) {
    if (!a || !rc_drop(a)) return;
    if (a->drop_elems) a->drop_elems(a);
    free(a);
}

void pel_rt_release_env(PelEnv *e) {
    if (!e || !rc_drop(e)) return;
    if (e->drop) e->drop(e);
    free(e);
}

void pel_rt_drop_str_elems(PelArr *a) {
    PelStr **el = (PelStr **)a->data;
    for (int64_t i = 0; i < a->len; i++) pel_rt_release_str(el[i]);
}

/* Sizes come from user programs (fill(n, v) with a computed n), so a bad
 * one is a runtime error rather than a crash. Codegen checks what it can
 * with a source location; this is the backstop, hence "pel" as `where`. */
static _Noreturn void bad_size(const char *what, int64_t len, int64_t elem_size) {
    char msg[128];
    snprintf(msg, sizeof msg, "%s (%" PRId64 " elements of %" PRId64 " bytes)", what, len,
             elem_size);
    pel_rt_fail("pel", msg);
}

PelArr *pel_rt_arr_new(int64_t len, int64_t elem_size, PelArrDropFn drop_elems) {
    if (len < 0) bad_size("negative array length", len, elem_size);
    if (elem_size < 0) bad_size("negative array element size", len, elem_size);
    /* The limit keeps len * elem_size + header within both int64_t (the
     * language's lengths) and size_t. */
    int64_t max_bytes = INT64_MAX - PEL_ARR_DATA;
    if (elem_size > 0 && len > max_bytes / elem_size)
        bad_size("array too large", len, elem_size);
    size_t bytes = PEL_ARR_DATA + (size_t)len * (size_t)elem_size;
    /* calloc: zeroed elements, so a drop_elems run on a partly built array
     * (an error while filling it) sees NULL pointers, which release skips;
     * large blocks come straight from mmap, already zero. */
    PelArr *a = calloc(1, bytes);
    if (!a) rt_oom();
    a->rc = 1;
    a->len = len;
    a->drop_elems = drop_elems;
    a->elem_size = elem_size;
    return a;
}

PelEnv *pel_rt_env_new(int64_t size, PelEnvDropFn drop) {
    if (size < (int64_t)sizeof(PelEnv)) size = (int64_t)sizeof(PelEnv);
    PelEnv *e = calloc(1, (size_t)size);
    if (!e) rt_oom();
    e->rc = 1;
    e->drop = drop;
    return e;
}

/* Boxes that died while a drop was running on this thread, with their
 * drop functions: freeing a long chain of boxes iterates here instead of
 * recursing through the drops. A list's cells come one at a time (the
 * stack holds one), a tree's as deep as the tree. */
typedef struct BoxDeath {
    PelBox *box;
    PelBoxDropFn drop;
} BoxDeath;
static _Thread_local BoxDeath *box_stack;
static _Thread_local size_t box_top, box_cap;
static _Thread_local bool box_draining;

PelBox *pel_rt_box_new(int64_t size, int64_t tag) {
    PelBox *b = malloc((size_t)size);
    if (!b) rt_oom();
    b->rc = 1;
    b->tag = tag;
    return b;
}

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

void pel_rt_release_box(PelBox *b, PelBoxDropFn drop) {
    if (!b || !rc_drop(b)) return;
    if (box_draining) {
        if (box_defer(b, drop)) return;
        if (drop) drop(b); /* no memory for the stack: recurse this once */
        free(b);
        return;
    }
    box_draining = true;
    for (;;) {
        if (drop) drop(b); /* may defer more */
        free(b);
        if (box_top == 0) break;
        BoxDeath d = box_stack[--box_top];
        b = d.box;
        drop = d.drop;
    }
    box_draining = false;
}
