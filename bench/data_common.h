/* Shared by the C references of run_data.sh: argument parsing, and a pragma
 * macro so that one source builds both the serial reference (no OpenMP: the
 * pragmas vanish, no unknown-pragma warnings) and the OpenMP one. */
#ifndef DATA_COMMON_H
#define DATA_COMMON_H

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef _OPENMP
#define DATA_OMP(x) _Pragma(#x)
#else
#define DATA_OMP(x)
#endif

/* data_arg: argv[k] as an integer in [lo, hi], or exit with a usage error. */
static inline int64_t data_arg(int argc, char **argv, int k, int64_t lo, int64_t hi)
{
    if (argc <= k) {
        fprintf(stderr, "usage: %s N\n", argv[0]);
        exit(2);
    }
    char *end;
    errno = 0;
    long long v = strtoll(argv[k], &end, 10);
    if (errno || *end || v < lo || v > hi) {
        fprintf(stderr, "%s: argument %d must be an integer in [%" PRId64 ", %" PRId64 "]\n",
                argv[0], k, lo, hi);
        exit(2);
    }
    return (int64_t)v;
}

/* The 31-bit Park-Miller step the PEL programs use to generate data; the
 * product stays below 2^47, so it cannot overflow. */
static inline int64_t data_lcg(int64_t x)
{
    return (x * 48271) % 2147483647;
}

#endif
