/* Serial C reference for the fib benchmark: the same naive recursion as
 * fib.pel.in, so "PEL@1 / serial C" measures PEL's per-call overhead
 * (task bookkeeping, stack checks) against a plain C call.
 * Usage: fib_serial N   -- prints fib(N). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static int64_t fib(int64_t n)
{
    if (n < 2)
        return n;
    int64_t a = fib(n - 1);
    int64_t b = fib(n - 2);
    return a + b;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s N\n", argv[0]);
        return 2;
    }
    char *end;
    errno = 0;
    long n = strtol(argv[1], &end, 10);
    /* fib(92) is the last one that fits in int64_t. */
    if (errno || *end || n < 0 || n > 92) {
        fprintf(stderr, "%s: N must be an integer in 0..92\n", argv[0]);
        return 2;
    }
    printf("%" PRId64 "\n", fib(n));
    return 0;
}
