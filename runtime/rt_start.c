/* rt_start.c — program start: configuration, worker threads, their stacks.
 *
 * Every worker runs on its own pthread with a large stack (deep recursion is
 * normal in PEL), reserved with MAP_NORESERVE so only touched pages cost
 * memory, and a guard region at its low end that rt_signal.c turns into a
 * "stack overflow" runtime error. Worker 0 runs the program's entry; the
 * thread that called pel_rt_main only waits, so the entry never runs on a
 * stack of unknown size.
 */
#define _GNU_SOURCE
#include "rt_internal.h"

#include <sched.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
/* AddressSanitizer warns about any stack over 64 MiB when a noreturn call
 * or longjmp unwinds it; sanitized builds test with smaller stacks. */
#define RT_STACK_BYTES ((size_t)60 << 20)
#else
#define RT_STACK_BYTES ((size_t)256 << 20)
#endif
#define RT_MIN_STACK_BYTES ((size_t)8 << 20)
#define RT_GUARD_BYTES ((size_t)1 << 20)

static PelEntryFn run_entry_fn;
static int64_t run_status;

/* Parses a whole decimal number in [lo, hi]; anything else is fatal. */
static int64_t env_int(const char *name, const char *s, int64_t lo, int64_t hi) {
    int ok = *s != '\0';
    int64_t v = 0;
    for (const char *p = s; *p && ok; p++) {
        if (*p < '0' || *p > '9' || v > hi) ok = 0;
        else v = v * 10 + (*p - '0');
    }
    if (!ok || v < lo || v > hi) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s must be an integer from %lld to %lld (got \"%.64s\")", name,
                 (long long)lo, (long long)hi, s);
        rt_fail_enter();
        rt_fatal(msg);
    }
    return v;
}

static int default_workers(void) {
    /* The CPUs this process may run on: equal to the online CPUs unless
     * taskset or a cgroup cpuset restricts us, and then this is right. */
    cpu_set_t set;
    long n = 0;
    if (sched_getaffinity(0, sizeof set, &set) == 0) n = CPU_COUNT(&set);
    if (n < 1) n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1) n = 1;
    return n > RT_MAX_WORKERS ? RT_MAX_WORKERS : (int)n;
}

void rt_config_from_env(RtConfig *cfg) {
    memset(cfg, 0, sizeof *cfg);
    const char *s = getenv("PEL_WORKERS");
    cfg->workers = s && *s ? (int)env_int("PEL_WORKERS", s, 1, RT_MAX_WORKERS) : default_workers();
    s = getenv("PEL_SEQ_DEPTH");
    cfg->seq_depth = s && *s ? env_int("PEL_SEQ_DEPTH", s, 1, RT_MAX_SEQ_DEPTH) : RT_DEFAULT_SEQ_DEPTH;
    s = getenv("PEL_STATS");
    cfg->stats = s && *s && strcmp(s, "0") != 0;
    s = getenv("PEL_TRACE");
    cfg->trace_path = s && *s ? s : NULL;
}

/* Maps guard + stack; falls back to smaller stacks if the address space is
 * limited (ulimit -v). */
static void alloc_stack(RtWorker *w, size_t want) {
    for (size_t sz = want; sz >= RT_MIN_STACK_BYTES; sz /= 2) {
        size_t len = sz + RT_GUARD_BYTES;
        void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
        if (p == MAP_FAILED) continue;
        if (mprotect(p, RT_GUARD_BYTES, PROT_NONE) != 0) {
            munmap(p, len);
            continue;
        }
        w->stack = p;
        w->stack_len = len;
        rt_signal_set_guard(w->pub.id, p, RT_GUARD_BYTES);
        return;
    }
    rt_fail_enter();
    rt_fatal("cannot allocate a worker stack");
}

static void run_entry(RtWorker *w) {
    /* The root context: an error that reaches it is reported (rt_err.c),
     * so it needs no jump buffer. */
    RtCtx root = {.lo = w->pub.top, .task = NULL, .prev = NULL};
    w->ctx = &root;
    rt_worker_begin(w);
    int64_t t0 = rt_now_ns();
    run_status = run_entry_fn(&w->pub);
    w->ctx = NULL;
    int64_t t1 = rt_now_ns();
    w->st.busy_ns += t1 - t0;
    if (rt_trace_on) rt_trace_add(w, t0, t1);
    rt_worker_end(w);
    rt_wake_all();
}

/* A program that builds a new grid or matrix every step frees the old one
 * just before: glibc would give the top of the heap back to the kernel
 * each time (its trim threshold starts at 128 KiB) and the next step would
 * fault every page in again, which cost a 2-D stencil more time than its
 * arithmetic. Freed memory is kept for reuse instead, up to TRIM_KEEP.
 * Setting the threshold fixes glibc's mmap threshold too (it would grow
 * with the blocks freed), so that is set to glibc's own ceiling: blocks
 * up to MMAP_ABOVE come from the heap and are reused. */
enum { TRIM_KEEP = 512 << 20, MMAP_ABOVE = 32 << 20 };

/* ---- started from C: exported functions (spec 9) -------------------------------
 * The first call of an export fn, from any thread, starts workers 1..n-1;
 * worker 0 has no thread of its own: the C thread that calls becomes
 * worker 0 for the call and runs the function on worker 0's stack (its
 * guard region reports overflow as in a program). A call costs a turn
 * lock, the worker's working flag, and the stack switch: tens of ns.
 * Calls from several C threads take turns. C's buffered stdout is flushed
 * before a call and PEL's after it, so their output keeps the calls'
 * order. At exit the workers stop and the output is flushed. A runtime
 * error inside a call reports and exits with status 1, as in a program. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define LIB_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define LIB_SANITIZED 1
#endif
#endif
#ifndef LIB_SANITIZED
#define LIB_SANITIZED 0
#endif

static atomic_int lib_turn; /* 1 while a C thread is worker 0 */
static _Thread_local int lib_altstack_done;
static size_t lib_stack_bytes;

static void start_workers(size_t stack, int first);

static void lib_stop(void) {
    rt_wake_all();
    for (int i = 1; i < rt_nworkers; i++) pthread_join(rt_workers[i]->thread, NULL);
    rt_out_flush();
}

static RtConfig lib_cfg;

static void lib_start(void) {
    mallopt(M_TRIM_THRESHOLD, TRIM_KEEP);
    mallopt(M_MMAP_THRESHOLD, MMAP_ABOVE);
    rt_config_from_env(&lib_cfg);
    rt_signal_install();
    size_t stack = lib_cfg.stack_bytes ? lib_cfg.stack_bytes : RT_STACK_BYTES;
    rt_deque_slots = stack / sizeof(PelTask) + 1;
    rt_setup(lib_cfg.workers, lib_cfg.seq_depth);
    rt_deque_slots = RT_DEQUE_CAP;
    rt_start_ns = rt_now_ns();
    lib_stack_bytes = stack;
    alloc_stack(rt_workers[0], stack);
    start_workers(stack, 1);
    atexit(lib_stop);
}

/* fn(w, frame) with the stack pointer at top (16-byte aligned): on x86-64
 * a switch of rsp around the call (r12 keeps the caller's); elsewhere, and
 * under the sanitizers, which track stacks, on the caller's own stack.
 * With a frame pointer, this frame's call frame address is rbp-based, so
 * debuggers and profilers unwind from the PEL code on worker 0's stack
 * back to the C caller across the switch. */
__attribute__((noinline, optimize("no-omit-frame-pointer"))) static void run_on_stack(char *top, PelExportFn fn, PelWorker *w, void *frame) {
#if defined(__x86_64__) && !LIB_SANITIZED
    __asm__ volatile("movq %%rsp, %%r12\n\t"
                     "movq %[top], %%rsp\n\t"
                     "movq %[w], %%rdi\n\t"
                     "movq %[frame], %%rsi\n\t"
                     "callq *%[fn]\n\t"
                     "movq %%r12, %%rsp\n\t"
                     :
                     : [top] "r"(top), [fn] "r"(fn), [w] "r"(w), [frame] "r"(frame)
                     : "r12", "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "memory", "cc", "xmm0",
                       "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11",
                       "xmm12", "xmm13", "xmm14", "xmm15");
#else
    (void)top;
    fn(w, frame);
#endif
}

void pel_rt_export_call(PelExportFn fn, void *frame) {
    if (rt_self) { /* C called from PEL code calls back into PEL: run it here */
        fn(&rt_self->pub, frame);
        return;
    }
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, lib_start);
    if (__fpending(stdout)) fflush(stdout); /* what C printed before the call comes first */
    /* acquire: the previous caller's writes to worker 0 happened before;
     * pairs with the release store below */
    while (atomic_exchange_explicit(&lib_turn, 1, memory_order_acquire)) sched_yield();
    if (!lib_altstack_done) {
        /* an overflow of worker 0's stack is reported from this thread's
         * signal stack; a C program's own one is left alone */
        stack_t cur;
        if (sigaltstack(NULL, &cur) == 0 && (cur.ss_flags & SS_DISABLE)) rt_signal_thread_init();
        lib_altstack_done = 1;
    }
    RtWorker *w = rt_workers[0];
    rt_self = w;
    w->pub.top = w->pub.base = w->deque;
    RtCtx root = {.lo = w->pub.top, .task = NULL, .prev = NULL};
    w->ctx = &root;
    rt_worker_begin(w);
    char *top = (char *)(((uintptr_t)(w->stack + w->stack_len)) & ~(uintptr_t)15);
    run_on_stack(top, fn, &w->pub, frame);
    w->ctx = NULL;
    rt_worker_end(w);
    rt_out_flush_pending();
    rt_self = NULL;
    atomic_store_explicit(&lib_turn, 0, memory_order_release);
}

static void *worker_thread(void *arg) {
    RtWorker *w = arg;
    rt_self = w;
    rt_signal_thread_init();
    if (w->pub.id == 0) run_entry(w);
    else rt_worker_main(w);
    rt_buf_thread_fini();
    rt_box_thread_fini();
    rt_mem_thread_fini();
    rt_signal_thread_fini();
    rt_self = NULL;
    return NULL;
}

/* One thread for each worker from first on, each on its own stack. */
static void start_workers(size_t stack, int first) {
    for (int i = first; i < rt_nworkers; i++) {
        RtWorker *w = rt_workers[i];
        alloc_stack(w, stack);
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setstack(&attr, w->stack + RT_GUARD_BYTES, w->stack_len - RT_GUARD_BYTES);
        int err = pthread_create(&w->thread, &attr, worker_thread, w);
        pthread_attr_destroy(&attr);
        if (err != 0) {
            char msg[128];
            snprintf(msg, sizeof msg, "cannot start worker thread: %s", strerror(err));
            rt_fail_enter();
            rt_fatal(msg);
        }
    }
}

int rt_run(const RtConfig *cfg, PelEntryFn entry) {
    rt_signal_install();
    size_t stack = cfg->stack_bytes ? cfg->stack_bytes : RT_STACK_BYTES;
    /* Every pending task has its own frame, at least a PelTask, on its
     * worker's stack; with this many slots the deque cannot fill before the
     * stack overflows. It must not: pel_spawn would return 0 and the child
     * would run at its join, after its continuation, and an error in the
     * continuation would win over the child's (docs/runtime.md). */
    rt_deque_slots = stack / sizeof(PelTask) + 1;
    rt_setup(cfg->workers, cfg->seq_depth);
    rt_deque_slots = RT_DEQUE_CAP;
    rt_trace_on = cfg->trace_path != NULL;
    rt_start_ns = rt_now_ns();
    run_entry_fn = entry;
    run_status = 0;
    start_workers(stack, 0);
    for (int i = 0; i < rt_nworkers; i++) pthread_join(rt_workers[i]->thread, NULL);
    rt_out_flush();
    if (cfg->stats) rt_stats_report();
    if (cfg->trace_path) rt_trace_write(cfg->trace_path);
    rt_totals_collect();
    for (int i = 0; i < rt_nworkers; i++) {
        rt_signal_set_guard(i, NULL, 0);
        munmap(rt_workers[i]->stack, rt_workers[i]->stack_len);
    }
    rt_teardown();
    /* The exit status is the low byte, as the kernel would keep anyway;
     * masking here avoids an implementation-defined narrowing. */
    return (int)(run_status & 0xff);
}


int pel_rt_main(int argc, char **argv, PelEntryFn entry) {
    mallopt(M_TRIM_THRESHOLD, TRIM_KEEP);
    mallopt(M_MMAP_THRESHOLD, MMAP_ABOVE);
    rt_args_set(argc, argv);
    /* Ignored, so that a write to a closed pipe fails with EPIPE where we
     * can flush what we can and then die of SIGPIPE ourselves (rt_out.c);
     * a file written by write_file gets a located error instead. */
    signal(SIGPIPE, SIG_IGN);
    rt_signal_install_stop();
    RtConfig cfg;
    rt_config_from_env(&cfg);
    return rt_run(&cfg, entry);
}
