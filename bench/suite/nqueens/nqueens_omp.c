/* N-queens with OpenMP tasks: the same search as nqueens.c, with one task
 * per safe column in the top TASK_ROWS rows (each task gets its own copy of
 * the board); below that the search is serial. Each task writes its count
 * into its own slot and the parent sums the slots after the taskwait.
 * Usage: OMP_NUM_THREADS=T nqueens_omp [N]   (default 12, at most 32). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXN 32
#define TASK_ROWS 3

static int safe(const long *qs, long row, long c)
{
    for (long r = 0; r < row; r++) {
        long q = qs[r];
        if (q == c || labs(q - c) == row - r)
            return 0;
    }
    return 1;
}

static long count(long *qs, long row, long n)
{
    if (row == n)
        return 1;
    long total = 0;
    for (long c = 0; c < n; c++) {
        if (safe(qs, row, c)) {
            qs[row] = c;
            total += count(qs, row + 1, n);
        }
    }
    return total;
}

static long count_par(const long *qs, long row, long n)
{
    if (row >= TASK_ROWS || row == n) {
        long copy[MAXN];
        memcpy(copy, qs, sizeof copy);
        return count(copy, row, n);
    }
    long counts[MAXN] = {0};
    for (long c = 0; c < n; c++) {
        if (safe(qs, row, c)) {
#pragma omp task firstprivate(c) shared(counts)
            {
                long child[MAXN];
                memcpy(child, qs, sizeof child);
                child[row] = c;
                counts[c] = count_par(child, row + 1, n);
            }
        }
    }
#pragma omp taskwait
    long total = 0;
    for (long c = 0; c < n; c++)
        total += counts[c];
    return total;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 12;
    if (n < 0 || n > MAXN) {
        fprintf(stderr, "N must be in 0..%d\n", MAXN);
        return 2;
    }
    long qs[MAXN] = {0};
    long r = 0;
#pragma omp parallel shared(r, qs)
#pragma omp single
    r = count_par(qs, 0, n);
    printf("%ld\n", r);
    return 0;
}
