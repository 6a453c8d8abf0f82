/* test_rt_deque.c — the private deque and the request protocol, on one
 * thread: workers are set up without threads, and the test plays the thief
 * by writing `request` and reading the transfer cell as a thief would. */
#include "rt_internal.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

static void nop(PelWorker *w, PelTask *t) {
    (void)w;
    (void)t;
}

static RtWorker *w0, *w1;

static int setup(void **state) {
    (void)state;
    rt_setup(2, 2);
    w0 = rt_workers[0];
    w1 = rt_workers[1];
    return 0;
}

static int teardown(void **state) {
    (void)state;
    rt_teardown();
    return 0;
}

/* What a thief does before it waits: mark its cell, post its id. */
static void thief_asks(RtWorker *thief, RtWorker *victim) {
    atomic_store(&thief->transfer, &rt_transfer_wait);
    atomic_store(&victim->pub.request, thief->pub.id);
}

static void test_push_pop_lifo(void **state) {
    (void)state;
    PelTask a, b, c;
    PelWorker *w = &w0->pub;
    assert_int_equal(pel_spawn(w, &a, nop), 1);
    assert_int_equal(pel_spawn(w, &b, nop), 1);
    assert_int_equal(pel_spawn(w, &c, nop), 1);
    assert_int_equal(w->top - w->base, 3);
    assert_int_equal(w->spawned, 3);
    assert_ptr_equal(a.fn, nop);
    assert_int_equal(pel_join(w, &c, 1), 1);
    assert_int_equal(pel_join(w, &b, 1), 1);
    assert_int_equal(pel_join(w, &a, 1), 1);
    assert_ptr_equal(w->top, w0->deque);
    assert_ptr_equal(w->base, w0->deque);
    /* no request was posted: the thief's cell was never written */
    assert_null(atomic_load(&w1->transfer));
}

/* A request pending at a spawn is answered with the OLDEST task. */
static void test_spawn_answers_from_base(void **state) {
    (void)state;
    PelTask a, b;
    PelWorker *w = &w0->pub;
    pel_spawn(w, &a, nop);
    thief_asks(w1, w0);
    pel_spawn(w, &b, nop);
    assert_ptr_equal(atomic_load(&w1->transfer), &a);
    assert_int_equal(a.thief, 1);
    assert_int_equal(atomic_load(&a.done), 0);
    assert_int_equal(atomic_load(&w->request), PEL_NO_REQUEST);
    assert_int_equal(w->base - w0->deque, 1);
    assert_int_equal(w0->st.answered, 1);
    /* b is still ours */
    assert_int_equal(pel_join(w, &b, 1), 1);
    /* a was stolen: the thief finished it; the join pops its slot */
    atomic_store(&a.done, 1);
    assert_int_equal(pel_join(w, &a, 1), 0);
    assert_ptr_equal(w->top, w0->deque);
    assert_ptr_equal(w->base, w0->deque);
    /* the slot is reused, the deque does not creep */
    pel_spawn(w, &b, nop);
    assert_ptr_equal(w0->deque[0], &b);
    assert_int_equal(pel_join(w, &b, 1), 1);
}

static void test_poll(void **state) {
    (void)state;
    PelWorker *w = &w0->pub;
    /* nothing pending: fast path says no */
    assert_int_equal(pel_poll(w, 1), 0);
    /* empty deque, pending request, clone entry: promote, keep it pending */
    thief_asks(w1, w0);
    assert_int_equal(pel_poll(w, 1), 1);
    assert_int_equal(atomic_load(&w->request), 1);
    assert_ptr_equal(atomic_load(&w1->transfer), &rt_transfer_wait);
    /* back-edge poll (cannot promote): decline */
    assert_int_equal(pel_poll(w, 0), 0);
    assert_null(atomic_load(&w1->transfer));
    assert_int_equal(atomic_load(&w->request), PEL_NO_REQUEST);
    assert_int_equal(w0->st.declined, 1);
    /* with a task in the deque, any poll answers with it */
    PelTask a;
    pel_spawn(w, &a, nop);
    thief_asks(w1, w0);
    assert_int_equal(pel_poll(w, 1), 0);
    assert_ptr_equal(atomic_load(&w1->transfer), &a);
    atomic_store(&a.done, 1);
    assert_int_equal(pel_join(w, &a, 1), 0);
}

/* A thief that cancelled (CAS id -> -1) before the owner polled gets no
 * answer, and a claimed request (BUSY) is not answered twice. */
static void test_cancelled_and_busy(void **state) {
    (void)state;
    PelWorker *w = &w0->pub;
    PelTask a;
    pel_spawn(w, &a, nop);
    thief_asks(w1, w0);
    int32_t mine = 1;
    assert_true(atomic_compare_exchange_strong(&w->request, &mine, PEL_NO_REQUEST));
    assert_int_equal(pel_poll(w, 0), 0);
    assert_ptr_equal(atomic_load(&w1->transfer), &rt_transfer_wait);
    assert_int_equal(w->top - w->base, 1);
    atomic_store(&w->request, RT_REQ_BUSY);
    assert_int_equal(pel_rt_poll(w, 0), 0);
    assert_int_equal(atomic_load(&w->request), RT_REQ_BUSY);
    assert_int_equal(w->top - w->base, 1);
    atomic_store(&w->request, PEL_NO_REQUEST);
    assert_int_equal(pel_join(w, &a, 1), 1);
}

static void test_full_deque(void **state) {
    (void)state;
    PelWorker *w = &w0->pub;
    PelTask a, b, c;
    w->limit = w->top + 2;
    assert_int_equal(pel_spawn(w, &a, nop), 1);
    assert_int_equal(pel_spawn(w, &b, nop), 1);
    assert_int_equal(pel_spawn(w, &c, nop), 0);
    assert_int_equal(w->spawned, 2);
    /* an unpushed child is run by the caller and pops nothing */
    assert_int_equal(pel_join(w, &c, 0), 1);
    assert_int_equal(w->top - w->base, 2);
    pel_join(w, &b, 1);
    pel_join(w, &a, 1);
    assert_ptr_equal(w->top, w0->deque);
}

static void test_go_sequential(void **state) {
    (void)state;
    PelWorker *w = &w0->pub;
    PelTask a, b;
    assert_int_equal(w->seq_depth, 2);
    assert_int_equal(pel_go_sequential(w), 0);
    pel_spawn(w, &a, nop);
    assert_int_equal(pel_go_sequential(w), 0);
    pel_spawn(w, &b, nop);
    assert_int_equal(pel_go_sequential(w), 1);
    /* a stolen task no longer counts as exposed work */
    thief_asks(w1, w0);
    pel_rt_poll(w, 0);
    assert_ptr_equal(atomic_load(&w1->transfer), &a);
    assert_int_equal(pel_go_sequential(w), 0);
    pel_join(w, &b, 1);
    atomic_store(&a.done, 1);
    pel_join(w, &a, 1);
}

/* With a sleeper counted, a spawn wakes it: the waker marks it signalled
 * and takes it off the count itself. */
static void test_spawn_wakes_sleeper(void **state) {
    (void)state;
    PelWorker *w = &w0->pub;
    PelTask a;
    atomic_store(&pel_rt_sleepers, 1);
    atomic_store(&w1->sleep_state, 1 /* sleeping */);
    pel_spawn(w, &a, nop);
    assert_int_equal(atomic_load(&w1->sleep_state), 2 /* signalled */);
    assert_int_equal(atomic_load(&pel_rt_sleepers), 0);
    /* no further wake while nobody sleeps */
    atomic_store(&w1->sleep_state, 0);
    PelTask b;
    pel_spawn(w, &b, nop);
    assert_int_equal(atomic_load(&w1->sleep_state), 0);
    pel_join(w, &b, 1);
    pel_join(w, &a, 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_push_pop_lifo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_spawn_answers_from_base, setup, teardown),
        cmocka_unit_test_setup_teardown(test_poll, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cancelled_and_busy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full_deque, setup, teardown),
        cmocka_unit_test_setup_teardown(test_go_sequential, setup, teardown),
        cmocka_unit_test_setup_teardown(test_spawn_wakes_sleeper, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
