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
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

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

int32_t pel_rt_unique(const PelArr *a) {
    /* acquire, as in rc_drop: the other owners' uses of the array happened
     * before their releases, so before our writes. */
    return __atomic_load_n(&a->rc, __ATOMIC_ACQUIRE) == 1;
}

void pel_rt_release_str(PelStr *s) {
    if (s && rt_rc_drop(s)) free(s);
}

/* ---- small arrays: a per-thread cache of freed blocks ------------------------
 *
 * A search copies a small array per step and frees it soon after (the
 * flips of a permutation, a board per node): malloc and free were a tenth
 * of such a program. Freed blocks of at most SMALL_ARR_CLASSES * 8 bytes
 * join a list of this thread's by size class (malloc_usable_size / 8, so
 * a block serves any request of its class or below), at most
 * SMALL_ARR_KEEP each, the rest go back to free. A new array of class c
 * takes a block from list c or c + 1 (glibc's usable size is the request
 * or 8 more). The blocks stay malloc blocks, so pel_rt_arr_grow can still
 * realloc them. A block freed on another worker joins that worker's list;
 * the count's acquire in rt_rc_drop orders its last uses before the reuse.
 * Under valgrind and the sanitizers every array is its own malloc, so the
 * tools see each one's life (rt_heap_checked). */
enum { SMALL_ARR_CLASSES = 32, SMALL_ARR_KEEP = 64 };

typedef struct SpareArr {
    struct SpareArr *next;
} SpareArr;

typedef struct ArrCache {
    SpareArr *list[SMALL_ARR_CLASSES + 2];
    uint8_t n[SMALL_ARR_CLASSES + 2];
} ArrCache;

static _Thread_local ArrCache arr_cache;

static void *spare_take(size_t bytes) {
    size_t c = (bytes + 7) / 8;
    if (c > SMALL_ARR_CLASSES) return NULL;
    ArrCache *k = &arr_cache;
    for (size_t cls = c; cls <= c + 1; cls++) {
        SpareArr *s = k->list[cls];
        if (s) {
            k->list[cls] = s->next;
            k->n[cls]--;
            return s;
        }
    }
    return NULL;
}

static void arr_free(PelArr *a) {
    /* a large array cannot be a small block: no malloc_usable_size call */
    if ((size_t)a->len * (size_t)a->elem_size + PEL_ARR_DATA > (SMALL_ARR_CLASSES + 1) * 8) {
        free(a);
        return;
    }
    size_t cls = malloc_usable_size(a) / 8;
    ArrCache *k = &arr_cache;
    if (cls <= SMALL_ARR_CLASSES + 1 && k->n[cls] < SMALL_ARR_KEEP && !rt_heap_checked()) {
        SpareArr *s = (SpareArr *)a;
        s->next = k->list[cls];
        k->list[cls] = s;
        k->n[cls]++;
        return;
    }
    free(a);
}

/* Closures that die together (a chain, each capturing the one before it,
 * built by a loop: 10^7 links) are freed one after another from this
 * stack, not by drop calling release calling drop, which would need stack
 * in proportion to the chain. Boxes have their own (rt_box.c). */
static _Thread_local PelEnv **env_stack;
static _Thread_local size_t env_top, env_cap;
static _Thread_local bool env_draining;

static bool env_defer(PelEnv *e) {
    if (env_top == env_cap) {
        size_t cap = env_cap ? env_cap * 2 : 64;
        PelEnv **grown = realloc(env_stack, cap * sizeof *grown);
        if (!grown) return false; /* then freed at once, recursively */
        env_stack = grown;
        env_cap = cap;
    }
    env_stack[env_top++] = e;
    return true;
}

void rt_mem_thread_fini(void) {
    free(env_stack);
    env_stack = NULL;
    env_top = env_cap = 0;
    ArrCache *k = &arr_cache;
    for (int c = 0; c <= SMALL_ARR_CLASSES + 1; c++) {
        while (k->list[c]) {
            SpareArr *s = k->list[c];
            k->list[c] = s->next;
            free(s);
        }
        k->n[c] = 0;
    }
}

void pel_rt_release_arr(PelArr *a) {
    if (!a || !rt_rc_drop(a)) return;
    if (a->drop_elems) a->drop_elems(a);
    arr_free(a);
}

void pel_rt_release_env(PelEnv *e) {
    if (!e || !rt_rc_drop(e)) return;
    /* inside a drop: the outermost release frees it */
    if (env_draining && env_defer(e)) return;
    bool outer = !env_draining;
    env_draining = true;
    for (;;) {
        if (e->drop) e->drop(e); /* may defer more */
        free(e);
        if (!outer || env_top == 0) break;
        e = env_stack[--env_top];
    }
    if (outer) env_draining = false;
}

void pel_rt_drop_str_elems(PelArr *a) {
    PelStr **el = (PelStr **)a->data;
    for (int64_t i = 0; i < a->len; i++) pel_rt_release_str(el[i]);
}

/* Zeroed memory for a new managed value. glibc 2.36's calloc bypasses the
 * per-thread cache (tcache) that malloc uses, so a program making millions
 * of small arrays or closures (a search that pushes onto a copy per node)
 * spent half its time in calloc's locked path; small blocks therefore come
 * from malloc and are cleared here, past the header of `head` bytes the
 * caller fills (clearing all of it would be turned back into calloc by the
 * C compiler). Large ones stay with calloc, which gets them from mmap
 * already zero. */
enum { SMALL_ALLOC = 1024 };

static void *zalloc(size_t bytes, size_t head) {
    if (bytes > SMALL_ALLOC) return calloc(1, bytes);
    char *p = malloc(bytes);
    if (p) memset(p + head, 0, bytes - head);
    return p;
}

/* Sizes come from user programs (fill(n, v) with a computed n), so a bad
 * one is a runtime error rather than a crash. Codegen checks what it can
 * with a source location; this is the backstop, at the site of the call
 * (PelWorker.site) when codegen stored one. */
static _Noreturn void bad_size(const char *what, int64_t len, int64_t elem_size) {
    char msg[128];
    snprintf(msg, sizeof msg, "%s (%" PRId64 " elements of %" PRId64 " bytes)", what, len,
             elem_size);
    const char *site = rt_site();
    pel_rt_fail(site ? site : rt_prog_name(), msg);
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
    /* Managed elements are zeroed, so a drop_elems run on a partly built
     * array (an error while filling it) sees NULL pointers, which release
     * skips. Scalar elements are left as they are: every construction
     * writes all of them, and clearing a small array the caller is about to
     * fill cost as much as the allocation. */
    PelArr *a = spare_take(bytes);
    if (a) {
        if (drop_elems) memset((char *)a + PEL_ARR_DATA, 0, bytes - PEL_ARR_DATA);
    } else {
        a = drop_elems ? zalloc(bytes, PEL_ARR_DATA) : malloc(bytes);
        if (!a) rt_oom_bytes(bytes);
    }
    rt_count_alloc();
    a->rc = 1;
    a->len = len;
    a->drop_elems = drop_elems;
    a->elem_size = elem_size;
    return a;
}

PelArr *pel_rt_arr_grow(PelArr *a, int64_t len) {
    int64_t es = a->elem_size;
    if (len < 0) bad_size("negative array length", len, es);
    if (es > 0) {
        int64_t max_bytes = INT64_MAX - PEL_ARR_DATA;
        if (len > max_bytes / es) bad_size("array too large", len, es);
        size_t room = (malloc_usable_size(a) - PEL_ARR_DATA) / (size_t)es;
        if ((size_t)len > room) {
            int64_t want = a->len > max_bytes / es / 2 ? len : a->len * 2;
            if (want < len) want = len;
            if (want < 4) want = 4;
            PelArr *b = realloc(a, PEL_ARR_DATA + (size_t)want * (size_t)es);
            if (!b) rt_oom_bytes(PEL_ARR_DATA + (size_t)want * (size_t)es);
            rt_count_alloc();
            a = b;
        }
    }
    a->len = len;
    return a;
}

PelEnv *pel_rt_env_new(int64_t size, PelEnvDropFn drop) {
    if (size < (int64_t)sizeof(PelEnv)) size = (int64_t)sizeof(PelEnv);
    PelEnv *e = zalloc((size_t)size, sizeof(PelEnv));
    if (!e) rt_oom_bytes((size_t)size);
    rt_count_alloc();
    e->rc = 1;
    e->drop = drop;
    return e;
}
