/* rt_internal.h — state shared by the runtime's own files (not an ABI).
 *
 * A worker is a PelWorker head (the part generated code touches, see
 * pel_rt.h) followed by runtime-private state. Fields are grouped by who
 * writes them, one cache line per writer, so that the owner's fast paths
 * never share a line that another core writes (except `request`, which is the
 * point of it).
 *
 * The runtime's unit tests include this header to drive the slow paths
 * without threads (rt_setup / rt_teardown).
 */
#ifndef PEL_RT_INTERNAL_H
#define PEL_RT_INTERNAL_H

#include "pel_rt.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* Limits, documented in docs/runtime.md. */
#define RT_MAX_WORKERS 256
#define RT_DEFAULT_SEQ_DEPTH 2
#define RT_MAX_SEQ_DEPTH (INT64_C(1) << 30)
#define RT_DEQUE_CAP ((size_t)1 << 20) /* task slots per worker, at least */

/* request is -1 (PEL_NO_REQUEST), a thief's id, or RT_REQ_BUSY while the
 * owner is answering: the owner claims the request by CAS id -> BUSY so that
 * a thief cancelling (CAS id -> -1) cannot race with the answer. */
#define RT_REQ_BUSY (-2)

/* Growable byte buffer; `len` is updated only after the bytes are in place,
 * so a fault in the middle of an append leaves a consistent prefix. */
struct PelBuf {
    char *data;
    size_t len;
    size_t cap;
};

typedef struct RtStats {
    int64_t stolen;   /* tasks this worker ran as a thief */
    int64_t answered; /* requests answered with a task */
    int64_t declined; /* requests declined */
    int64_t sleeps;   /* futex waits */
    int64_t busy_ns;  /* time spent running tasks (entry and stolen ones) */
    int64_t allocs;   /* values put on the heap: strings, arrays, closure
                       * environments, boxes, and arrays pushed past their room */
} RtStats;

typedef struct RtTraceEv {
    int64_t start_ns, end_ns;
} RtTraceEv;

/* A context: one execution of a task from its start on one worker, the
 * unit in which a runtime error is resolved (rt_err.c). The root context
 * runs the program's entry; every task a worker got from another worker,
 * and every pending task the error path runs itself, gets its own. They
 * live on the C stack, innermost first. */
typedef struct RtCtx {
    sigjmp_buf jb;      /* where a failure inside unwinds to (not the root) */
    PelTask **lo;       /* the worker's top when the context began */
    PelTask *task;      /* the task it runs; NULL for the root */
    struct RtCtx *prev; /* the enclosing context on this worker */
} RtCtx;

/* What a parallel loop of one call site cost per element when it last ran
 * on this worker (rt_par.c's granularity control). */
typedef struct RtRangeSite {
    const void *key; /* the loop's body or the fold's leaf */
    uint32_t per;   /* ticks per element */
    uint32_t calls; /* since it was last timed */
} RtRangeSite;
#define RT_RANGE_SITES 64

typedef struct RtWorker {
    PelWorker pub; /* must stay first: generated code gets &pub */

    /* Cache line 2: written by a victim answering this worker's request,
     * read by this worker while it waits. Holds rt_transfer_wait while a
     * request is outstanding, then the stolen task or NULL (declined). */
    _Atomic(PelTask *) transfer;
    char pad2_[64 - sizeof(PelTask *)];

    /* Cache line 3: written by this worker when it starts or stops running
     * tasks, read by thieves choosing a victim and by would-be sleepers. */
    _Atomic int32_t working;
    /* Futex word: awake, sleeping, or signalled by a waker (rt_sched.c). */
    _Atomic int32_t sleep_state;
    char pad3_[64 - 2 * sizeof(int32_t)];

    /* Private to the owner. */
    PelTask **deque;
    size_t deque_cap; /* slots */
    RtCtx *ctx;       /* innermost context, NULL when running none */
    /* Set while a par_range chunk runs with enough left to split after it
     * (rt_par.c): a request the chunk's own polls cannot answer is left
     * pending for the chunk boundary instead of being declined. */
    int32_t range_open;
    RtRangeSite sites[RT_RANGE_SITES];
    uint64_t rng;
    RtStats st;
    struct PelBuf buf;
    RtTraceEv *trace;
    size_t trace_len, trace_cap;
    pthread_t thread;
    char *stack;      /* mmap'ed region, guard pages at its low end */
    size_t stack_len;
} RtWorker;

_Static_assert(offsetof(PelWorker, top) == PEL_W_TOP, "ABI: top");
_Static_assert(offsetof(PelWorker, base) == PEL_W_BASE, "ABI: base");
_Static_assert(offsetof(PelWorker, limit) == PEL_W_LIMIT, "ABI: limit");
_Static_assert(offsetof(PelWorker, spawned) == PEL_W_SPAWNED, "ABI: spawned");
_Static_assert(offsetof(PelWorker, seq_depth) == PEL_W_SEQ_DEPTH, "ABI: seq_depth");
_Static_assert(offsetof(PelWorker, id) == PEL_W_ID, "ABI: id");
_Static_assert(offsetof(PelWorker, site) == PEL_W_SITE, "ABI: site");
_Static_assert(offsetof(PelWorker, request) == PEL_W_REQUEST, "ABI: request");
_Static_assert(sizeof(PelWorker) == 128, "ABI: PelWorker is two cache lines");
_Static_assert(offsetof(RtWorker, transfer) == 128, "transfer on its own line");
_Static_assert(offsetof(RtWorker, working) == 192, "working on its own line");
_Static_assert(offsetof(PelTask, done) == 8 && offsetof(PelTask, thief) == 12 &&
                   offsetof(PelTask, error) == 16 && sizeof(PelTask) == 24,
               "ABI: PelTask");
_Static_assert(offsetof(PelArr, data) == PEL_ARR_DATA && offsetof(PelArr, len) == 8 &&
                   offsetof(PelStr, len) == 8 && sizeof(PelEnv) == PEL_ENV_DATA,
               "ABI: managed values");

/* Global scheduler state (rt_sched.c). Valid between rt_setup and
 * rt_teardown. */
extern RtWorker **rt_workers;
extern int rt_nworkers;
extern _Atomic int rt_stop;
extern PelTask rt_transfer_wait; /* sentinel address, never run */
extern int rt_trace_on;          /* PEL_TRACE given: record stolen tasks */
extern int64_t rt_start_ns;      /* when the current run started */
/* Deque slots rt_setup asks for (RT_DEQUE_CAP unless rt_run sets more). */
extern size_t rt_deque_slots;
/* The worker this thread is (NULL off the workers): pel_rt_fail* are
 * called from generated code without a worker argument. */
extern _Thread_local RtWorker *rt_self;

/* PEL_STATS: one more heap value made by the worker running this thread
 * (inline: a box is made per tree node); off the workers, not counted */
static inline void rt_count_alloc(void) {
    RtWorker *w = rt_self;
    if (w) w->st.allocs++;
}

/* Configuration read from the environment by rt_config_from_env. */
typedef struct RtConfig {
    int workers;
    int64_t seq_depth;
    int stats;
    const char *trace_path;
    size_t stack_bytes; /* 0: default (256 MiB) */
} RtConfig;

/* rt_start.c */
void rt_config_from_env(RtConfig *cfg); /* exits 1 on a bad value */
int rt_run(const RtConfig *cfg, PelEntryFn entry);

/* rt_sched.c: allocate workers without threads (tests use this directly). */
void rt_setup(int nworkers, int64_t seq_depth);
void rt_teardown(void);
void rt_worker_main(RtWorker *w);  /* idle loop of workers 1..n-1 */
void rt_worker_begin(RtWorker *w); /* mark working, publish (seq_cst) */
void rt_worker_end(RtWorker *w);
void rt_wake_all(void);
int64_t rt_now_ns(void);
/* Returns once t->done is set (acquire), keeping w busy meanwhile as a join
 * does (leapfrogging on t's thief, then sleeping). w's top == base. */
void rt_wait_done(RtWorker *w, PelTask *t);

/* rt_err.c: deterministic runtime errors. An error is a malloc'ed line
 * "where: runtime error: MSG\n", owned by whoever holds it. */
void rt_ctx_run(RtWorker *w, PelTask *t); /* t->fn in a new context; sets t->error */
_Noreturn void rt_raise(RtWorker *w, char *err); /* in w's innermost context */

/* rt_stats.c */
void rt_stats_report(void);
void rt_trace_write(const char *path);
void rt_trace_add(RtWorker *w, int64_t start_ns, int64_t end_ns);
/* Totals of the last run, kept after rt_teardown for tests. */
typedef struct RtTotals {
    int64_t spawned, stolen, answered, declined, sleeps;
} RtTotals;
extern RtTotals rt_last_totals;
void rt_totals_collect(void);

/* rt_out.c: the process-wide stdout writer. */
void rt_out_write(const char *p, size_t n, int flush_line);
void rt_out_write_err(const char *p, size_t n, int newline); /* stderr, after flushing stdout */
void rt_out_flush(void);
void rt_out_discard(void); /* drop what is buffered (a failed write, lock held) */
void rt_out_flush_pending(void); /* when anything is buffered (rt_out.c) */
/* For the fatal paths: flush what is buffered, ignoring errors; safe to call
 * from the SIGSEGV handler even if this thread was inside the writer. Leaves
 * the writer locked so nothing more reaches stdout before _exit. */
void rt_out_flush_final(void);
void rt_write_all(int fd, const char *p, size_t n); /* best effort, EINTR-safe */

/* rt_fail.c: the first caller wins, later ones pause forever. */
void rt_fail_enter(void);
_Noreturn void rt_report(const char *line); /* enter, flush stdout, print, exit 1 */
/* Tests and fuzzers (tests/fuzz/fuzz_numbers.c) only: when set, rt_report
 * calls it first with the line, so that a runtime error can be caught
 * without ending the process. It must not return (it longjmps out). The
 * line is malloc'ed (make_line), except an out-of-memory report's, which is
 * on the stack. NULL in every program. */
extern void (*rt_report_hook)(const char *line);
_Noreturn void rt_fatal(const char *msg); /* "PROG: error: MSG" (after enter) */
_Noreturn void rt_oom(void);
/* out of memory asking for `bytes` (0: not known), located at rt_site() */
_Noreturn void rt_oom_bytes(size_t bytes);
/* where the running PEL code is (PelWorker.site), NULL off a worker or
 * before the first RT_SITE call */
const char *rt_site(void);
/* Drops one reference to a counted object (its count at offset 0);
 * returns 1 when the caller held the last one and must free obj. Inline:
 * every release of a string, array, environment or box runs it. */
static inline int rt_rc_drop(void *obj) {
    int64_t *h = obj;
    /* acquire: if we are the only owner, every other owner's use of the
     * value happened before its release below, and so before our free. A
     * count of 1 cannot rise under us: nobody else holds a reference to
     * copy. This skips the read-modify-write for the common single owner. */
    int64_t rc = __atomic_load_n(h, __ATOMIC_ACQUIRE);
    if (rc == PEL_RC_STATIC) return 0;
    if (rc == 1) return 1;
    /* acq_rel: release publishes our uses to whoever frees; acquire makes
     * the freeing thread see all of them. (A fence would do for the acquire
     * half, but ThreadSanitizer does not model fences.) */
    return __atomic_fetch_sub(h, 1, __ATOMIC_ACQ_REL) == 1;
}

/* The runtime error PREFIX "TEXT" SUFFIX, TEXT escaped as in printed arrays. */
_Noreturn void rt_fail_quoted(const char *where, const char *prefix, const PelStr *s,
                              const char *suffix);

/* rt_signal.c */
void rt_signal_install(void);
/* pel_rt_main: SIGINT, SIGTERM and SIGHUP flush stdout, then end the
 * process with the signal (a signal left ignored or handled is kept) */
void rt_signal_install_stop(void);
/* ends the process by sig's default action (SIGPIPE: a closed pipe) */
_Noreturn void rt_die_of(int sig);
void rt_signal_thread_init(void); /* alternate signal stack */
void rt_signal_set_guard(int id, void *lo, size_t len); /* len 0: remove */
void rt_signal_thread_fini(void);

/* rt_buf.c */
void rt_buf_reserve(struct PelBuf *b, size_t extra);
void rt_buf_append(struct PelBuf *b, const char *p, size_t n);
void rt_buf_thread_fini(void); /* frees this thread's pel_rt_buf(NULL) buffer */
void rt_box_thread_fini(void); /* rt_box.c: frees this thread's stack of dying boxes */
void rt_mem_thread_fini(void); /* rt_mem.c: frees this thread's spare small arrays */
/* rt_box.c: 1 under valgrind or a sanitizer, where every value is its own
 * malloc block so that the tools see its life */
int rt_heap_checked(void);

/* rt_file.c: pel_rt_main saves the arguments for pel_rt_args. */
void rt_args_set(int argc, char **argv);
/* the program's name for its own messages ("myprog: error: ..."): the
 * last part of argv[0], "pel" before rt_args_set */
const char *rt_prog_name(void);

/* rt_f64.c: Python repr(float); returns the length written (< 32). */
size_t rt_format_f64(char out[32], double v);
/* a string of len bytes, rc 1, NUL-terminated, contents for the caller to fill */
PelStr *rt_str_alloc(int64_t len);


#endif
