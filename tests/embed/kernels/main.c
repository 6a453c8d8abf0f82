/* Calls the export fns of kernel.pel through the header pelc --emit-header
 * wrote; the last call fails inside PEL (an index out of bounds). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"

int main(int argc, char **argv) {
    printf("fib(25) = %lld\n", (long long)pel_fib(25));
    printf("mean_sq(1000) = %.2f\n", pel_mean_sq(1000));
    printf("prime: %d %d\n", pel_is_prime(97), pel_is_prime(91));
    char *s = pel_shout("hey", 3);
    printf("%s (%zu bytes)\n", s, strlen(s));
    free(s);
    pel_hello("C");
    printf("back in C\n");
    for (int i = 0; i < 1000; i++)
        if (pel_fib(10) != 55) return 2; /* many calls, one runtime */
    printf("checked: %lld\n", (long long)pel_checked(5, 2));
    if (argc > 1) printf("checked: %lld\n", (long long)pel_checked(5, atoi(argv[1])));
    return 0;
}
