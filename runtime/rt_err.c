/* rt_err.c — runtime errors are deterministic: the one reported is the one a
 * sequential run would meet first, whichever worker fails first in time.
 *
 * A context is one execution of a task from its start on one worker: the
 * root (worker 0 running the entry), every task a worker got from another
 * worker, and every pending task this file runs itself. While a context C
 * runs on worker w, deque[C.lo .. top) holds exactly the tasks spawned in C
 * and not yet joined, oldest first; those below `base` were stolen. In the
 * sequential order a spawned child comes before its continuation, and a
 * later slot was spawned either later by the same frame or by a frame called
 * from an earlier slot's continuation; so when C fails at point P, the work
 * sequentially before P that has not been checked yet is exactly those
 * pending tasks, and older slots come first. rt_raise brings them to
 * completion, picks the oldest error (or P's own), and either reports it
 * (root) or hands it to C's task, whose joiner raises it again at the join.
 * docs/runtime.md, "Runtime errors", has the whole argument.
 */
#define _GNU_SOURCE
#include "rt_internal.h"

#include <stdlib.h>

/* noinline: the sigsetjmp frame must be this one, whatever the caller. */
__attribute__((noinline)) void rt_ctx_run(RtWorker *w, PelTask *t) {
    RtCtx c;
    c.lo = w->pub.top;
    c.task = t;
    c.prev = w->ctx;
    /* Contexts start with nothing stealable of their own below them, so
     * [lo, base) is only ever this context's stolen tasks. */
    if (w->pub.base != w->pub.top) {
        rt_fail_enter();
        rt_fatal("internal error: context entered with tasks to give");
    }
    t->error = NULL;
    w->ctx = &c;
    /* savemask 0: no signal-mask syscall on the steal path. Nothing in c
     * changes after this point, so it is intact after the jump. */
    if (sigsetjmp(c.jb, 0) == 0) t->fn(&w->pub, t);
    w->ctx = c.prev;
}

_Noreturn void rt_raise(RtWorker *w, char *err) {
    RtCtx *c = w->ctx;
    if (!c) rt_report(err);
    PelTask **lo = c->lo, **stolen_end = w->pub.base, **top = w->pub.top;
    if (lo > stolen_end || stolen_end > top) {
        rt_fail_enter();
        rt_fatal("internal error: deque below the failing context");
    }
    /* Nothing pending may be given away from now on: a thief taking slot i
     * while we run it (or after we counted it as local) would run it twice.
     * Nested contexts below start with base == top, as they must. */
    w->pub.base = top;
    char *first = NULL;
    /* Stolen ones: their frames are in our stack, so all must be finished
     * before we unwind over them, failed or not, even after an older one
     * turned out to fail. They run elsewhere; waiting leapfrogs as a join. */
    for (PelTask **p = lo; p < stolen_end; p++) {
        rt_wait_done(w, *p);
        char *e = (*p)->error;
        if (e && !first) first = e;
        else free(e);
    }
    /* Local ones, oldest first, each in its own context so that its failure
     * comes back here. All are younger than every stolen one, so once one
     * error is known the rest cannot matter and are not run: a sequential
     * run would never have reached them. */
    for (PelTask **p = stolen_end; p < top && !first; p++) {
        rt_ctx_run(w, *p);
        first = (*p)->error;
    }
    if (first) {
        free(err);
        err = first;
    }
    w->pub.top = w->pub.base = lo;
    if (!c->task) rt_report(err);
    c->task->error = err;
    siglongjmp(c->jb, 1);
}
