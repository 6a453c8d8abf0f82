/* test_rt_mem.c — reference counts and allocation of managed values
 * (rt_mem.c): counting, immortal literals, drop hooks, concurrent
 * retain/release, and the runtime errors of pel_rt_arr_new. */
#define _GNU_SOURCE
#include "rt_internal.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rt_child.h"

static void test_str_counts(void **state) {
    (void)state;
    PelStr *s = pel_rt_str_new("abc", 3);
    assert_int_equal(s->rc, 1);
    pel_rt_retain(s);
    pel_rt_retain(s);
    assert_int_equal(s->rc, 3);
    pel_rt_release_str(s);
    pel_rt_release_str(s);
    assert_int_equal(s->rc, 1);
    assert_memory_equal(s->data, "abc", 4);
    pel_rt_release_str(s); /* freed: ASan/valgrind would catch a leak or a reuse */
    /* every string-making entry point starts at 1 */
    PelStr *a = pel_rt_str_new("x", 1), *b = pel_rt_str_concat(a, a);
    PelBuf *buf = pel_rt_buf(NULL);
    pel_rt_buf_i64(buf, 42);
    PelStr *c = pel_rt_buf_take(buf);
    assert_int_equal(b->rc, 1);
    assert_int_equal(c->rc, 1);
    assert_string_equal(c->data, "42");
    pel_rt_release_str(a);
    pel_rt_release_str(b);
    pel_rt_release_str(c);
}

static void test_static_and_null(void **state) {
    (void)state;
    static struct {
        int64_t rc, len;
        char data[4];
    } lit = {PEL_RC_STATIC, 3, "lit"};
    PelStr *s = (PelStr *)&lit;
    pel_rt_retain(s);
    pel_rt_release_str(s);
    pel_rt_release_str(s);
    assert_int_equal(lit.rc, PEL_RC_STATIC);
    pel_rt_retain(NULL);
    pel_rt_release_str(NULL);
    pel_rt_release_arr(NULL);
    pel_rt_release_env(NULL);
}

static int drops;

static void count_drop(PelArr *a) {
    drops++;
    assert_int_equal(a->elem_size, 16); /* called on the array, before it is freed */
}

static void test_arr_new(void **state) {
    (void)state;
    PelArr *a = pel_rt_arr_new(1000, 8, NULL);
    assert_int_equal(a->rc, 1);
    assert_int_equal(a->len, 1000);
    assert_int_equal(a->elem_size, 8);
    assert_null(a->drop_elems);
    assert_int_equal((uintptr_t)a->data % 16, 0);
    assert_int_equal((char *)a->data - (char *)a, PEL_ARR_DATA);
    pel_rt_release_arr(a);
    /* managed elements start as NULL, so an array whose filling failed
     * part-way can be released (scalar ones are left to the filler) */
    PelArr *z = pel_rt_arr_new(1000, 8, pel_rt_drop_str_elems);
    for (int i = 0; i < 8000; i++) assert_int_equal(z->data[i], 0);
    pel_rt_release_arr(z);
    PelArr *zs = pel_rt_arr_new(10, 8, pel_rt_drop_str_elems); /* a small one (malloc, then cleared) */
    for (int i = 0; i < 80; i++) assert_int_equal(zs->data[i], 0);
    pel_rt_release_arr(zs);
    PelArr *e = pel_rt_arr_new(0, 16, count_drop);
    assert_int_equal(e->len, 0);
    drops = 0;
    pel_rt_retain(e);
    pel_rt_release_arr(e);
    assert_int_equal(drops, 0);
    pel_rt_release_arr(e);
    assert_int_equal(drops, 1);
}

/* A freed small array's block serves the next one of its size on this
 * thread (not under valgrind or a sanitizer, which must see every block's
 * life): cleared again when its elements are managed, and still a malloc
 * block that pel_rt_arr_grow can realloc. */
static void test_small_arr_reuse(void **state) {
    (void)state;
    PelArr *a = pel_rt_arr_new(11, 8, NULL);
    memset(a->data, 0xab, 88);
    pel_rt_release_arr(a);
    PelArr *b = pel_rt_arr_new(11, 8, pel_rt_drop_str_elems);
    if (!rt_heap_checked()) assert_ptr_equal(a, b);
    for (int i = 0; i < 88; i++) assert_int_equal(b->data[i], 0);
    assert_int_equal(b->rc, 1);
    assert_int_equal(b->len, 11);
    assert_ptr_equal(b->drop_elems, pel_rt_drop_str_elems);
    pel_rt_release_arr(b);
    /* another size does not take it */
    PelArr *c = pel_rt_arr_new(2, 8, NULL);
    if (!rt_heap_checked()) assert_ptr_not_equal(c, a);
    c->data[0] = 7;
    c = pel_rt_arr_grow(c, 40);
    assert_int_equal(c->len, 40);
    assert_int_equal(c->data[0], 7);
    pel_rt_release_arr(c);
    rt_mem_thread_fini(); /* nothing kept for the leak checks */
}

static void test_str_array_drop(void **state) {
    (void)state;
    PelStr *kept = pel_rt_str_new("kept", 4);
    PelArr *a = pel_rt_arr_new(3, 8, pel_rt_drop_str_elems);
    PelStr **el = (PelStr **)a->data;
    el[0] = kept;
    pel_rt_retain(kept);
    el[1] = pel_rt_str_new("other", 5);
    /* el[2] stays NULL, as after a failure while filling */
    assert_int_equal(kept->rc, 2);
    pel_rt_release_arr(a);
    assert_int_equal(kept->rc, 1);
    pel_rt_release_str(kept);
}

static int env_drops;
static void env_drop(PelEnv *e) {
    env_drops++;
    int64_t *captured = (int64_t *)((char *)e + PEL_ENV_DATA);
    assert_int_equal(captured[0], 77);
}

static void test_env(void **state) {
    (void)state;
    PelEnv *e = pel_rt_env_new(PEL_ENV_DATA + 16, env_drop);
    assert_int_equal(e->rc, 1);
    assert_int_equal((uintptr_t)e % 16, 0);
    int64_t *captured = (int64_t *)((char *)e + PEL_ENV_DATA);
    assert_int_equal(captured[1], 0); /* zeroed */
    captured[0] = 77;
    env_drops = 0;
    pel_rt_retain(e);
    pel_rt_release_env(e);
    assert_int_equal(env_drops, 0);
    pel_rt_release_env(e);
    assert_int_equal(env_drops, 1);
    pel_rt_release_env(pel_rt_env_new(PEL_ENV_DATA, NULL)); /* no captures, no drop */
}

/* ---- a chain of closures dies in constant stack ---------------------------- */

/* each link's env captures the previous link's env, as a loop building
 * fn(x) => f(x) + 1 from f makes them; the drop releases it */
static void link_drop(PelEnv *e) {
    env_drops++;
    pel_rt_release_env(*(PelEnv **)((char *)e + PEL_ENV_DATA));
}

enum { CHAIN = 1000000 };

static void *drop_chain(void *arg) {
    PelEnv *prev = NULL;
    for (int i = 0; i < CHAIN; i++) {
        PelEnv *e = pel_rt_env_new(PEL_ENV_DATA + 16, link_drop);
        *(PelEnv **)((char *)e + PEL_ENV_DATA) = prev;
        prev = e;
    }
    pel_rt_release_env(prev);
    rt_mem_thread_fini();
    return arg;
}

/* On a thread of 256 KB of stack: dropped recursively, 10^6 links need
 * tens of MB and the thread dies of SIGSEGV. */
static void test_env_chain(void **state) {
    (void)state;
    env_drops = 0;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 << 10);
    pthread_t t;
    assert_int_equal(pthread_create(&t, &attr, drop_chain, NULL), 0);
    pthread_attr_destroy(&attr);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(env_drops, CHAIN);
}

/* ---- concurrent counts: threads share one string ------------------------- */

#ifdef PEL_TEST_TSAN
#define ROUNDS 20000
#else
#define ROUNDS 1000000
#endif
#define THREADS 4

static PelStr *shared;
static _Atomic int go;

static void *hammer(void *arg) {
    (void)arg;
    while (!atomic_load(&go)) {
    }
    for (int i = 0; i < ROUNDS; i++) {
        pel_rt_retain(shared);
        pel_rt_retain(shared);
        pel_rt_release_str(shared);
        pel_rt_release_str(shared);
    }
    /* each thread owned one reference: the last one out frees the string */
    pel_rt_release_str(shared);
    return NULL;
}

static void test_concurrent_counts(void **state) {
    (void)state;
    shared = pel_rt_str_new("shared", 6);
    for (int i = 1; i < THREADS + 1; i++) pel_rt_retain(shared);
    pthread_t t[THREADS];
    atomic_store(&go, 0);
    for (int i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, hammer, NULL);
    atomic_store(&go, 1);
    for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
    /* lost updates would show here as a count other than 1 */
    assert_int_equal(shared->rc, 1);
    pel_rt_release_str(shared);
}

/* ---- runtime errors --------------------------------------------------------- */

static void child_negative(void) { pel_rt_arr_new(-3, 8, NULL); }
static void child_overflow(void) { pel_rt_arr_new(INT64_C(1) << 61, 8, NULL); }
static void child_too_big(void) { pel_rt_arr_new(INT64_C(1) << 58, 8, NULL); }

static void test_arr_errors(void **state) {
    (void)state;
    Child c = run_child(child_negative);
    assert_exit1(&c);
    assert_string_equal(c.err, "pel: runtime error: negative array length (-3 elements of 8 bytes)\n");
    c = run_child(child_overflow);
    assert_exit1(&c);
    assert_string_equal(c.err,
                        "pel: runtime error: array too large (2305843009213693952 elements of 8 bytes)\n");
#if !defined(PEL_TEST_TSAN) && !defined(__SANITIZE_ADDRESS__) /* sanitizers' allocators abort */
    c = run_child(child_too_big);
    assert_exit1(&c);
    assert_string_equal(c.err, "runtime error: out of memory (2305843009213693984 bytes)\n");
#else
    (void)child_too_big;
#endif
}

static int teardown(void **state) {
    (void)state;
    child_free();
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_str_counts),     cmocka_unit_test(test_static_and_null),
        cmocka_unit_test(test_arr_new),        cmocka_unit_test(test_str_array_drop),
        cmocka_unit_test(test_env),            cmocka_unit_test(test_env_chain),
        cmocka_unit_test(test_concurrent_counts),
        cmocka_unit_test(test_arr_errors),     cmocka_unit_test(test_small_arr_reuse),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
