/* OpenMP tasking reference for the fib benchmark: the textbook form, one
 * `omp task` per recursive call and a taskwait, with no cutoff, so it pays
 * the full cost of a task per call exactly as PEL's source asks for.
 * Usage: OMP_NUM_THREADS=T fib_omp N   -- prints fib(N). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static int64_t fib(int64_t n)
{
    if (n < 2)
        return n;
    int64_t a, b;
    /* a and b live in this frame until the taskwait, so sharing them with
     * the child tasks is safe. */
#pragma omp task shared(a)
    a = fib(n - 1);
#pragma omp task shared(b)
    b = fib(n - 2);
#pragma omp taskwait
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
    if (errno || *end || n < 0 || n > 92) {
        fprintf(stderr, "%s: N must be an integer in 0..92\n", argv[0]);
        return 2;
    }
    int64_t r = 0;
    /* One thread starts the recursion; the rest of the team steals tasks. */
#pragma omp parallel shared(r)
#pragma omp single
    r = fib(n);
    printf("%" PRId64 "\n", r);
    return 0;
}
