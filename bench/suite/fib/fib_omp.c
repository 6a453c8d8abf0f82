/* Naive recursive Fibonacci with OpenMP tasks, as a competent C programmer
 * writes it: one task per recursive call while n > 20 (the `if` clause),
 * below that cutoff the call runs serially in the current task.
 * Usage: OMP_NUM_THREADS=T fib_omp [N]   (default 44) -- prints fib(N). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#define CUTOFF 20

static int64_t fib_serial(int64_t n)
{
    if (n < 2)
        return n;
    return fib_serial(n - 1) + fib_serial(n - 2);
}

static int64_t fib(int64_t n)
{
    if (n <= CUTOFF)
        return fib_serial(n);
    int64_t a, b;
#pragma omp task shared(a)
    a = fib(n - 1);
#pragma omp task shared(b)
    b = fib(n - 2);
#pragma omp taskwait
    return a + b;
}

int main(int argc, char **argv)
{
    int64_t n = argc > 1 ? strtoll(argv[1], NULL, 10) : 44;
    int64_t r = 0;
#pragma omp parallel shared(r)
#pragma omp single
    r = fib(n);
    printf("%" PRId64 "\n", r);
    return 0;
}
