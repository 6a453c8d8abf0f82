/* Naive recursive Fibonacci, serial: fib(n) = fib(n-1) + fib(n-2), no
 * memoisation, no cutoff. Same algorithm as fib.pel.
 * Usage: fib [N]   (default 44) -- prints fib(N). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static int64_t fib(int64_t n)
{
    if (n < 2)
        return n;
    return fib(n - 1) + fib(n - 2);
}

int main(int argc, char **argv)
{
    int64_t n = argc > 1 ? strtoll(argv[1], NULL, 10) : 44;
    printf("%" PRId64 "\n", fib(n));
    return 0;
}
