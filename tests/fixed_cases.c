/* fixed_cases.c SEED N CASES EXPECTED -- writes N random finite doubles
 * with a digit count each to CASES ("%.17g d", which reads back exactly),
 * and what C's printf("%.*f") makes of them to EXPECTED: the reference
 * that PEL's fixed() must match (tests/run_fixed_printf.sh). Half the
 * doubles are random bit patterns (every exponent, subnormals included),
 * half are decimal-looking values such as 2.675 or 0.125, where the
 * rounding of ties and near-ties shows. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state;
static uint64_t next(void) { /* xorshift64* */
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 2685821657736338717ull;
}

int main(int argc, char **argv) {
    if (argc != 5) return 2;
    state = strtoull(argv[1], NULL, 10) * 2654435761ull + 1;
    long n = strtol(argv[2], NULL, 10);
    FILE *cases = fopen(argv[3], "w"), *want = fopen(argv[4], "w");
    if (!cases || !want) return 1;
    for (long i = 0; i < n; i++) {
        double x;
        if (i % 2 == 0) {
            uint64_t bits = next();
            memcpy(&x, &bits, sizeof x);
            if (!isfinite(x)) x = (double)(int64_t)(bits >> 11) / 1024.0;
        } else {
            int64_t k = (int64_t)(next() % 2000001) - 1000000;
            double scale = pow(10.0, (double)(next() % 7));
            x = (double)k / scale;
        }
        int d = (int)(next() % 21);
        fprintf(cases, "%.17g %d\n", x, d);
        fprintf(want, "%.*f\n", d, x);
    }
    return fclose(cases) || fclose(want);
}
