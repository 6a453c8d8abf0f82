/* fannkuch-redux from the Computer Language Benchmarks Game, serial: the
 * same algorithm as fannkuch.pel. The n! permutations, in the Benchmarks
 * Game's order, are cut into n blocks of (n-1)! consecutive indices; each
 * block builds its first permutation from the factorial-base digits of its
 * index, then steps through the rest by rotations (digit i of the counter
 * counts 0..i; the next permutation rotates the first i+1 elements left by
 * one, where i is the lowest digit that does not wrap). For each
 * permutation the first k+1 elements of a copy are reversed while the
 * first element k is not 0; checksum = sum of +flips (even index) and
 * -flips (odd index); also the largest flip count.
 * Usage: fannkuch [N]   (default 10, at least 3, at most 20). */
#include <stdio.h>
#include <stdlib.h>

#define MAXN 20

static long fact(long n)
{
    return n <= 1 ? 1 : n * fact(n - 1);
}

static long flips(const long *p, long n)
{
    long q[MAXN];
    for (long i = 0; i < n; i++)
        q[i] = p[i];
    long count = 0;
    for (long k = q[0]; k != 0; k = q[0]) {
        for (long i = 0; i < (k + 1) / 2; i++) {
            long a = q[i];
            q[i] = q[k - i];
            q[k - i] = a;
        }
        count++;
    }
    return count;
}

/* Permutation number idx and its counter. */
static void permutation(long n, long idx, long *p, long *count)
{
    long tmp[MAXN];
    for (long j = 0; j < n; j++) {
        p[j] = j;
        count[j] = 0;
    }
    for (long i = n - 1; i >= 1; i--) {
        long d = idx / fact(i);
        idx %= fact(i);
        count[i] = d;
        for (long j = 0; j <= i; j++)
            tmp[j] = p[(j + d) % (i + 1)];
        for (long j = 0; j <= i; j++)
            p[j] = tmp[j];
    }
}

static void next_perm(long *p, long *count)
{
    for (long i = 1;; i++) {
        long first = p[0];
        for (long j = 0; j < i; j++)
            p[j] = p[j + 1];
        p[i] = first;
        if (++count[i] <= i)
            return;
        count[i] = 0;
    }
}

static void block(long n, long lo, long hi, long *checksum, long *most)
{
    long p[MAXN], count[MAXN];
    permutation(n, lo, p, count);
    long sum = 0, max = 0;
    for (long idx = lo;; idx++) {
        long f = flips(p, n);
        sum += idx % 2 == 0 ? f : -f;
        if (f > max)
            max = f;
        if (idx + 1 == hi)
            break;
        next_perm(p, count);
    }
    *checksum = sum;
    *most = max;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
    if (n < 3)
        n = 3;
    if (n > MAXN) {
        fprintf(stderr, "N must be at most %d\n", MAXN);
        return 2;
    }
    long size = fact(n - 1);
    long checksum = 0, most = 0;
    for (long b = 0; b < n; b++) {
        long c, m;
        block(n, b * size, (b + 1) * size, &c, &m);
        checksum += c;
        if (m > most)
            most = m;
    }
    printf("%ld\nPfannkuchen(%ld) = %ld\n", checksum, n, most);
    return 0;
}
