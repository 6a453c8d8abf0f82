/* gen_fib.h — fib(n) in exactly the shape pelc emits for
 *     let a = fib(n - 1); let b = fib(n - 2); a + b
 * (a parallel version with an inline spawn/join, and its sequential clone),
 * written against runtime/pel_rt.h so that the runtime can be tested and
 * measured without the compiler (tests/unit/test_rt_steal.c, bench/rt_fib.c). */
#ifndef PEL_GEN_FIB_H
#define PEL_GEN_FIB_H

#include <stdint.h>

#include "pel_rt.h"

typedef struct {
    PelTask hdr;
    int64_t n;
    int64_t result;
} FibFrame;

static int64_t fib_par(PelWorker *w, int64_t n);

static int64_t fib_seq(PelWorker *w, int64_t n) {
    if (pel_poll(w, 1)) return fib_par(w, n);
    if (n < 2) return n;
    return fib_seq(w, n - 1) + fib_seq(w, n - 2);
}

static void fib_task(PelWorker *w, PelTask *t) {
    FibFrame *f = (FibFrame *)t;
    f->result = fib_par(w, f->n);
}

static int64_t fib_par(PelWorker *w, int64_t n) {
    if (pel_go_sequential(w)) return fib_seq(w, n);
    if (n < 2) return n;
    FibFrame f;
    f.n = n - 1;
    int s = pel_spawn(w, &f.hdr, fib_task);
    int64_t b = fib_par(w, n - 2);
    if (pel_join(w, &f.hdr, s)) f.result = fib_par(w, n - 1);
    return f.result + b;
}

#endif
