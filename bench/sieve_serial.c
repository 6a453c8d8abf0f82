/* Serial C reference for the sieve benchmark: the same loops as
 * sieve.pel.in over a byte array (mark the multiples of each prime p from
 * p * p, then count).
 * Usage: sieve_serial N   -- prints the number of primes <= N. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: sieve_serial N\n");
        return 2;
    }
    long n = strtol(argv[1], NULL, 10);
    if (n < 2) {
        printf("0\n");
        return 0;
    }
    unsigned char *a = malloc((size_t)n + 1);
    if (!a) {
        fprintf(stderr, "sieve_serial: out of memory\n");
        return 1;
    }
    memset(a, 1, (size_t)n + 1);
    for (long p = 2; p <= n; p++)
        if (a[p] && p * p <= n)
            for (long k = 0; k < (n - p * p) / p + 1; k++)
                a[p * p + k * p] = 0;
    long count = 0;
    for (long i = 2; i <= n; i++)
        count += a[i];
    printf("%ld\n", count);
    free(a);
    return 0;
}
