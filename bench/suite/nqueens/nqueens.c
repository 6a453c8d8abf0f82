/* N-queens, serial: count every placement of n non-attacking queens on an
 * n x n board. The board is the array of the queens' columns, one per row
 * from the top; placing row `row` tries every column in order and recurses
 * on the safe ones. Same algorithm as nqueens.pel.
 * Usage: nqueens [N]   (default 12, at most 32) -- prints the count. */
#include <stdio.h>
#include <stdlib.h>

#define MAXN 32

/* Can a queen go in column c of row `row`, given the queens of rows 0..row-1? */
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

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 12;
    if (n < 0 || n > MAXN) {
        fprintf(stderr, "N must be in 0..%d\n", MAXN);
        return 2;
    }
    long qs[MAXN];
    printf("%ld\n", count(qs, 0, n));
    return 0;
}
