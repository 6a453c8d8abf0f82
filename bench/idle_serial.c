/* Serial C twin of idle.pel.in: COUNT steps of a 64-bit LCG. run_fib.sh
 * uses it to check idle.pel's printed value and as the CPU/wall control (a
 * one-thread program must show CPU/wall close to 1.0 on this machine).
 * Its speed says nothing about PEL's: LLVM unrolls this loop and fuses 8
 * affine steps into one, so run_fib.sh calibrates COUNT on PEL itself.
 * Usage: idle_serial COUNT   -- prints the final LCG state as i64. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s COUNT\n", argv[0]);
        return 2;
    }
    char *end;
    errno = 0;
    long long count = strtoll(argv[1], &end, 10);
    if (errno || *end || count < 0) {
        fprintf(stderr, "%s: COUNT must be a non-negative integer\n", argv[0]);
        return 2;
    }
    /* Unsigned arithmetic gives PEL's wrapping i64 semantics without UB. */
    uint64_t acc = 1;
    for (long long i = count; i != 0; i--)
        acc = acc * 6364136223846793005u + 1442695040888963407u;
    /* Two's-complement reinterpretation, as PEL prints a wrapped i64. */
    int64_t out;
    if (acc > (uint64_t)INT64_MAX)
        out = -(int64_t)(~acc) - 1;
    else
        out = (int64_t)acc;
    printf("%" PRId64 "\n", out);
    return 0;
}
