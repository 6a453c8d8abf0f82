/* rt_sched.c — work stealing with private deques and steal requests.
 *
 * Each worker's deque is a plain array only its owner touches. A thief asks a
 * victim for work by CASing its id into the victim's `request` cell and then
 * waits on its own `transfer` cell; the victim answers at its next poll point
 * (pel_rt_spawn_slow, pel_rt_poll, or while it waits itself) with the task at
 * the base of its deque, or NULL. Because the deque is private, spawn and
 * join need no fence and no atomic read-modify-write (Acar, Chargueraud,
 * Rainey, PPoPP 2013). docs/runtime.md explains the protocol; the comments
 * here say why each memory order is what it is.
 *
 * Idle workers that find nothing for a while sleep on a futex in their own
 * `sleep_state` word. The no-lost-wakeup argument is at try_sleep().
 */
#define _GNU_SOURCE
#include "rt_internal.h"

#include <linux/futex.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Read on every spawn: keep it away from lines that are written often. */
_Alignas(64) _Atomic int32_t pel_rt_sleepers;
_Alignas(64) RtWorker **rt_workers;
int rt_nworkers;
_Atomic int rt_stop;
PelTask rt_transfer_wait;
int rt_trace_on;
size_t rt_deque_slots = RT_DEQUE_CAP;
_Thread_local RtWorker *rt_self;

enum { RT_AWAKE = 0, RT_SLEEPING = 1, RT_SIGNALLED = 2 };

/* PelTask.done: 0 running, 1 done, DONE_WAITING: running and the owner is
 * asleep in join_sleep waiting for it. */
#define DONE_WAITING 2

/* Tuning. A victim that is running generated code reaches a poll point
 * within microseconds, so a request unanswered for STEAL_PATIENCE means the
 * victim is in a long stretch without polls (a C call); try elsewhere. */
#define STEAL_PATIENCE_NS 50000
#define LAST_ROUND_PATIENCE_NS 2000000
#define IDLE_BEFORE_SLEEP_NS 1000000
#define JOIN_SPIN_NS 200000
#define SLEEP_BACKSTOP_NS 100000000 /* see try_sleep */

int64_t rt_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield" ::: "memory");
#endif
}

/* Exponential back-off: pause a growing number of times, then yield. */
static void backoff(unsigned *round) {
    if (*round < 10) {
        for (unsigned i = 0; i < (1u << *round); i++) cpu_relax();
        ++*round;
    } else {
        sched_yield();
    }
}

static uint32_t next_rand(RtWorker *w) {
    /* xorshift64*: cheap, per worker, no shared state */
    uint64_t x = w->rng;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    w->rng = x;
    return (uint32_t)((x * UINT64_C(0x2545F4914F6CDD1D)) >> 32);
}

static long futex(_Atomic int32_t *addr, int op, int32_t val, const struct timespec *timeout) {
    /* _Atomic int32_t has the size and representation of int32_t on Linux,
     * which is what the kernel compares and wakes on. */
    return syscall(SYS_futex, (int32_t *)addr, op, val, timeout, NULL, 0);
}

/* ---- setup ------------------------------------------------------------- */

void rt_setup(int nworkers, int64_t seq_depth) {
    rt_workers = calloc((size_t)nworkers, sizeof *rt_workers);
    if (!rt_workers) rt_oom();
    for (int i = 0; i < nworkers; i++) {
        void *mem = NULL;
        if (posix_memalign(&mem, 64, sizeof(RtWorker)) != 0) rt_oom();
        RtWorker *w = memset(mem, 0, sizeof(RtWorker));
        /* MAP_NORESERVE: only the slots actually used cost memory. Less
         * than asked for only if the address space is limited (ulimit -v);
         * see rt_run for why more than RT_DEQUE_CAP is asked for. */
        size_t cap = rt_deque_slots > RT_DEQUE_CAP ? rt_deque_slots : RT_DEQUE_CAP;
        void *dq = MAP_FAILED;
        for (; cap >= RT_DEQUE_CAP; cap /= 2) {
            dq = mmap(NULL, cap * sizeof(PelTask *), PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
            if (dq != MAP_FAILED) break;
        }
        if (dq == MAP_FAILED) rt_oom();
        w->deque = dq;
        w->deque_cap = cap;
        w->pub.top = w->pub.base = w->deque;
        w->pub.limit = w->deque + cap;
        w->pub.seq_depth = seq_depth;
        w->pub.id = i;
        atomic_init(&w->pub.request, PEL_NO_REQUEST);
        atomic_init(&w->transfer, NULL);
        atomic_init(&w->working, 0);
        atomic_init(&w->sleep_state, RT_AWAKE);
        w->rng = UINT64_C(0x9E3779B97F4A7C15) * (uint64_t)(i + 1);
        rt_workers[i] = w;
    }
    rt_nworkers = nworkers;
    atomic_store(&rt_stop, 0);
    atomic_store(&pel_rt_sleepers, 0);
}

void rt_teardown(void) {
    for (int i = 0; i < rt_nworkers; i++) {
        RtWorker *w = rt_workers[i];
        munmap(w->deque, w->deque_cap * sizeof(PelTask *));
        free(w->buf.data);
        free(w->trace);
        free(w);
    }
    free(rt_workers);
    rt_workers = NULL;
    rt_nworkers = 0;
}

/* ---- the victim's side ---------------------------------------------------- */

/* Answers the pending request, if any: with the deque's oldest task when
 * `give` is set and there is one, else with NULL (declined). */
static void answer(RtWorker *w, int give) {
    int32_t r = atomic_load_explicit(&w->pub.request, memory_order_relaxed);
    if (r < 0) return;
    /* Claim it first, so that a thief giving up (CAS id -> -1) either wins
     * before us, and we answer nothing, or loses and waits for our answer.
     * acquire: pairs with the thief's release CAS, so its reset of its
     * transfer cell (and its sleepers++) happen before our answer. */
    if (!atomic_compare_exchange_strong_explicit(&w->pub.request, &r, RT_REQ_BUSY,
                                                 memory_order_acquire, memory_order_relaxed))
        return;
    RtWorker *thief = rt_workers[r];
    PelTask *t = NULL;
    if (give && w->pub.base < w->pub.top) {
        t = *w->pub.base++;
        t->thief = r;
        t->error = NULL; /* codegen does not initialise it: spawn stays cheap */
        atomic_store_explicit(&t->done, 0, memory_order_relaxed);
        w->st.answered++;
    } else {
        w->st.declined++;
    }
    /* release: the frame (fn, arguments, thief, error, done = 0), written by this
     * worker before, is visible to the thief, which reads with acquire. */
    atomic_store_explicit(&thief->transfer, t, memory_order_release);
    /* relaxed: nothing is published through the reset itself; the next
     * thief's CAS and our next claim order themselves. */
    atomic_store_explicit(&w->pub.request, PEL_NO_REQUEST, memory_order_relaxed);
}

/* Wakes one sleeping worker. The waker, not the sleeper, takes the sleeper
 * off pel_rt_sleepers, so that the next spawns see the count drop at once
 * instead of making a futex call each until the sleeper has run. */
static void wake_one(RtWorker *self) {
    int n = rt_nworkers;
    for (int k = 1; k <= n; k++) {
        RtWorker *v = rt_workers[(self->pub.id + k) % n];
        int32_t s = RT_SLEEPING;
        if (atomic_load_explicit(&v->sleep_state, memory_order_relaxed) == RT_SLEEPING &&
            atomic_compare_exchange_strong(&v->sleep_state, &s, RT_SIGNALLED)) {
            atomic_fetch_sub_explicit(&pel_rt_sleepers, 1, memory_order_relaxed);
            futex(&v->sleep_state, FUTEX_WAKE_PRIVATE, 1, NULL);
            return;
        }
    }
}

void pel_rt_spawn_slow(PelWorker *pw) {
    RtWorker *w = (RtWorker *)pw;
    answer(w, 1);
    /* acquire: pairs with a sleeper's sleepers++ (which precedes its store
     * of RT_SLEEPING), so wake_one's scan sees that sleeper's state. */
    if (w->pub.top > w->pub.base && atomic_load_explicit(&pel_rt_sleepers, memory_order_acquire) > 0)
        wake_one(w);
}

int pel_rt_poll(PelWorker *pw, int32_t can_promote) {
    RtWorker *w = (RtWorker *)pw;
    if (w->pub.top > w->pub.base) {
        answer(w, 1);
        return 0;
    }
    if (can_promote)
        /* Leave the request pending: the caller switches to its parallel
         * version, whose first spawn answers it with a fresh task. */
        return atomic_load_explicit(&w->pub.request, memory_order_relaxed) >= 0;
    /* Inside a par_range chunk: its next boundary splits the range and
     * answers with the lower half (the thief gives up after its patience if
     * the chunk is long). */
    if (!w->range_open) answer(w, 0);
    return 0;
}

/* ---- the thief's side ------------------------------------------------------ */

enum { ASK_GOT, ASK_DECLINED, ASK_CANCELLED, ASK_OCCUPIED };

/* Asks v for a task and waits for the answer. Gives up (cancels) when v is
 * not working, when the runtime stops, when `joining` is done, or after
 * patience_ns; a cancel that loses to v's claim waits for v's answer. */
static int ask(RtWorker *me, RtWorker *v, const PelTask *joining, int64_t patience_ns,
               PelTask **out) {
    *out = NULL;
    if (atomic_load_explicit(&v->pub.request, memory_order_relaxed) != PEL_NO_REQUEST)
        return ASK_OCCUPIED;
    atomic_store_explicit(&me->transfer, &rt_transfer_wait, memory_order_relaxed);
    int32_t expect = PEL_NO_REQUEST;
    /* release: v's answer (a store to our transfer cell) must come after our
     * store of the wait marker, else we would overwrite the answer; v's
     * claim reads this CAS with acquire. */
    if (!atomic_compare_exchange_strong_explicit(&v->pub.request, &expect, me->pub.id,
                                                 memory_order_release, memory_order_relaxed))
        return ASK_OCCUPIED;
    unsigned round = 0;
    int64_t deadline = 0;
    int cancel_failed = 0;
    for (;;) {
        /* acquire: pairs with the victim's release store of the answer. */
        PelTask *t = atomic_load_explicit(&me->transfer, memory_order_acquire);
        if (t != &rt_transfer_wait) {
            *out = t;
            return t ? ASK_GOT : ASK_DECLINED;
        }
        /* Our deque is empty while we wait (idle, or joining with top ==
         * base): decline requests to us, so two waiting thieves that asked
         * each other never deadlock. */
        answer(me, 0);
        if (!cancel_failed) {
            int give_up = atomic_load_explicit(&rt_stop, memory_order_relaxed) ||
                          !atomic_load_explicit(&v->working, memory_order_relaxed) ||
                          (joining && atomic_load_explicit(&joining->done, memory_order_relaxed));
            if (!give_up && round >= 10) {
                int64_t now = rt_now_ns();
                if (!deadline) deadline = now + patience_ns;
                else if (now >= deadline) give_up = 1;
            }
            if (give_up) {
                int32_t mine = me->pub.id;
                if (atomic_compare_exchange_strong_explicit(&v->pub.request, &mine, PEL_NO_REQUEST,
                                                            memory_order_relaxed,
                                                            memory_order_relaxed))
                    return ASK_CANCELLED;
                cancel_failed = 1; /* v claimed it: its answer is on its way */
            }
        }
        backoff(&round);
    }
}

/* Runs a task this worker obtained from another worker's deque, in a
 * context of its own: a failure inside ends up in t->error, published with
 * the results by the release below. */
static void run_stolen(RtWorker *w, PelTask *t) {
    int64_t t0 = rt_trace_on ? rt_now_ns() : 0;
    rt_ctx_run(w, t);
    w->st.stolen++;
    if (t0) rt_trace_add(w, t0, rt_now_ns());
    /* release: the results the task wrote into its frame are visible to the
     * owner, which reads `done` with acquire. An exchange, not a store: the
     * owner may be asleep in join_sleep (done == DONE_WAITING) and needs a
     * wake. The frame may be gone as soon as this lands; a wake on its
     * stale address can only cause a spurious wake-up, which join_sleep
     * tolerates (the stack stays mapped). */
    if (atomic_exchange_explicit(&t->done, 1, memory_order_release) == DONE_WAITING)
        futex(&t->done, FUTEX_WAKE_PRIVATE, 1, NULL);
}

/* The owner of a stolen task that found nothing to do for a while sleeps
 * until the thief is done, instead of spinning through a long task. It is
 * not `working` meanwhile (its deque is empty), so thieves do not wait on it.
 */
static void join_sleep(RtWorker *w, PelTask *t) {
    rt_worker_end(w);
    int32_t expect = 0;
    /* acquire on failure: done is 1, the results are read next. */
    if (atomic_compare_exchange_strong_explicit(&t->done, &expect, DONE_WAITING,
                                                memory_order_acquire, memory_order_acquire)) {
        struct timespec ts = {SLEEP_BACKSTOP_NS / 1000000000, SLEEP_BACKSTOP_NS % 1000000000};
        while (atomic_load_explicit(&t->done, memory_order_acquire) == DONE_WAITING) {
            futex(&t->done, FUTEX_WAIT_PRIVATE, DONE_WAITING, &ts);
            w->st.sleeps++;
        }
    }
    /* working again before any spawn: see rt_worker_begin */
    rt_worker_begin(w);
}

void rt_wait_done(RtWorker *w, PelTask *t) {
    unsigned round = 0;
    int64_t idle_since = 0;
    /* acquire: pairs with the thief's release of done; the child's results
     * (and error) in the frame are read after this. */
    while (!atomic_load_explicit(&t->done, memory_order_acquire)) {
        /* Leapfrogging: while t's thief is on t, everything in its deque
         * descends from t, so running it here helps finish t. */
        PelTask *s;
        int r = ask(w, rt_workers[t->thief], t, STEAL_PATIENCE_NS, &s);
        if (r == ASK_GOT) {
            run_stolen(w, s);
            round = 0;
            idle_since = 0;
            continue;
        }
        answer(w, 0);
        if (round >= 10) {
            int64_t now = rt_now_ns();
            if (!idle_since) idle_since = now;
            else if (now - idle_since >= JOIN_SPIN_NS) {
                join_sleep(w, t);
                break;
            }
        }
        backoff(&round);
    }
}

void pel_rt_join_stolen(PelWorker *pw, PelTask *t) {
    RtWorker *w = (RtWorker *)pw;
    /* top == base here, and the stolen slot is the one just below: pop it
     * so the deque does not creep upward with every steal. */
    if (w->pub.top <= w->deque || w->pub.top[-1] != t) {
        rt_fail_enter();
        rt_fatal("internal error: tasks joined out of spawn order");
    }
    w->pub.top--;
    w->pub.base = w->pub.top;
    rt_wait_done(w, t);
    /* The child failed: its error happens here, at the join, so that older
     * pending tasks of this context still take precedence (rt_raise). */
    if (__builtin_expect(t->error != NULL, 0)) rt_raise(w, t->error);
}

/* ---- idle workers ---------------------------------------------------------- */

void rt_worker_begin(RtWorker *w) {
    /* seq_cst store, then a seq_cst fence before any later spawn reads
     * pel_rt_sleepers: with try_sleep's seq_cst sleepers++ followed by its
     * seq_cst load of `working`, either the sleeper sees us working (and
     * asks us in its last round) or our spawns see it counted (and wake it).
     * This is the store-load (Dekker) pattern; weaker orders allow both
     * sides to miss each other. */
    atomic_store_explicit(&w->working, 1, memory_order_seq_cst);
    atomic_thread_fence(memory_order_seq_cst);
}

void rt_worker_end(RtWorker *w) {
    /* relaxed: a stale 1 seen by a thief only costs it a declined request. */
    atomic_store_explicit(&w->working, 0, memory_order_relaxed);
}

static RtWorker *pick_victim(RtWorker *w) {
    int n = rt_nworkers;
    if (n < 2) return NULL;
    for (int tries = 0; tries < 2 * n; tries++) {
        int v = (int)(next_rand(w) % (uint32_t)(n - 1));
        if (v >= w->pub.id) v++;
        if (atomic_load_explicit(&rt_workers[v]->working, memory_order_relaxed)) return rt_workers[v];
    }
    return NULL;
}

static void run_top(RtWorker *w, PelTask *t) {
    w->pub.top = w->pub.base = w->deque;
    rt_worker_begin(w);
    int64_t t0 = rt_now_ns();
    run_stolen(w, t);
    w->st.busy_ns += rt_now_ns() - t0;
    rt_worker_end(w);
}

/* One request to every working worker; returns a task if one answered with
 * work. A cell occupied by another thief is retried, so that every worker
 * that was working when we looked has answered one of our requests after
 * our sleepers++ (or stopped working, or ran out of our patience). */
static PelTask *last_round(RtWorker *w) {
    for (int i = 0; i < rt_nworkers; i++) {
        RtWorker *v = rt_workers[i];
        if (v == w) continue;
        int64_t deadline = rt_now_ns() + LAST_ROUND_PATIENCE_NS;
        unsigned round = 0;
        /* seq_cst: the load side of the Dekker pattern in rt_worker_begin. */
        while (atomic_load_explicit(&v->working, memory_order_seq_cst) &&
               !atomic_load_explicit(&rt_stop, memory_order_relaxed)) {
            PelTask *t;
            int r = ask(w, v, NULL, LAST_ROUND_PATIENCE_NS, &t);
            if (r == ASK_GOT) return t;
            if (r != ASK_OCCUPIED || rt_now_ns() >= deadline) break;
            answer(w, 0);
            backoff(&round);
        }
    }
    return NULL;
}

/* Sleeps until woken (or the backstop timeout); returns a task if the last
 * round before sleeping found one.
 *
 * No lost wake-up. Suppose worker S pushes task X and this worker N goes to
 * sleep. N does, in order: sleepers++ (seq_cst), sleep_state = SLEEPING,
 * a request to every worker it sees working (seq_cst loads), futex wait.
 * S does: working = 1 + seq_cst fence (rt_worker_begin, before any spawn),
 * push X, load sleepers; if nonzero, spawn_slow wakes a SLEEPING worker.
 *  (a) S's load sees N's increment: S wakes a sleeper (N, or another one,
 *      which will itself do a last round before sleeping again). If N has
 *      not stored SLEEPING yet, N is still before its last round: see (b).
 *  (b) S's load misses N's increment. Then N's seq_cst load of S.working
 *      comes after S's seq_cst fence in the single total order, so it sees
 *      S working and N asks S. S claims the request (acquire, pairing with
 *      N's release) at some poll point. If that were before the push of X,
 *      N's increment would happen before S's later load, contradicting (b);
 *      so S answers after pushing X and gives N a task.
 * The one gap: N gives up waiting for S's answer after
 * LAST_ROUND_PATIENCE_NS, when S runs code without poll points (a long C
 * call). Hence the futex wait has a timeout as a backstop; it only bounds
 * how long X can wait for a thief, nothing spins meanwhile. */
static PelTask *try_sleep(RtWorker *w, int *signalled) {
    atomic_fetch_add_explicit(&pel_rt_sleepers, 1, memory_order_seq_cst);
    /* After the increment: a waker that read the count (acquire) sees this. */
    atomic_store_explicit(&w->sleep_state, RT_SLEEPING, memory_order_seq_cst);
    PelTask *t = NULL;
    /* seq_cst pairs with rt_stop_all: it stores rt_stop, then reads our
     * sleep_state; one of us sees the other's store. */
    if (!atomic_load_explicit(&rt_stop, memory_order_seq_cst)) t = last_round(w);
    if (!t && !atomic_load_explicit(&rt_stop, memory_order_seq_cst)) {
        struct timespec ts = {SLEEP_BACKSTOP_NS / 1000000000, SLEEP_BACKSTOP_NS % 1000000000};
        futex(&w->sleep_state, FUTEX_WAIT_PRIVATE, RT_SLEEPING, &ts);
        w->st.sleeps++;
    }
    int32_t s = RT_SLEEPING;
    *signalled = !atomic_compare_exchange_strong(&w->sleep_state, &s, RT_AWAKE);
    if (!*signalled) atomic_fetch_sub_explicit(&pel_rt_sleepers, 1, memory_order_relaxed);
    else /* a waker signalled us and took us off the count */
        atomic_store_explicit(&w->sleep_state, RT_AWAKE, memory_order_relaxed);
    return t;
}

void rt_worker_main(RtWorker *w) {
    int64_t idle_since = rt_now_ns();
    unsigned round = 0;
    while (!atomic_load_explicit(&rt_stop, memory_order_acquire)) {
        answer(w, 0);
        PelTask *t = NULL;
        RtWorker *v = pick_victim(w);
        if (v) ask(w, v, NULL, STEAL_PATIENCE_NS, &t);
        if (!t && rt_now_ns() - idle_since >= IDLE_BEFORE_SLEEP_NS) {
            int signalled;
            t = try_sleep(w, &signalled);
            /* Woken by a spawner: search for a while. Woken by the backstop
             * timeout: one round and back to sleep, so that sleeping workers
             * cost microseconds per timeout, not a millisecond of spinning. */
            if (signalled) idle_since = rt_now_ns();
        }
        if (t) {
            run_top(w, t);
            round = 0;
            idle_since = rt_now_ns();
        } else {
            backoff(&round);
        }
    }
}

void rt_wake_all(void) {
    /* seq_cst: see try_sleep. */
    atomic_store_explicit(&rt_stop, 1, memory_order_seq_cst);
    for (int i = 0; i < rt_nworkers; i++) {
        RtWorker *v = rt_workers[i];
        int32_t s = RT_SLEEPING;
        if (atomic_compare_exchange_strong(&v->sleep_state, &s, RT_SIGNALLED)) {
            atomic_fetch_sub_explicit(&pel_rt_sleepers, 1, memory_order_relaxed);
            futex(&v->sleep_state, FUTEX_WAKE_PRIVATE, 1, NULL);
        }
    }
}
