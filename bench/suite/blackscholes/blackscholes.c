/* Black-Scholes prices of n European options, a call and a put each: the
 * serial C reference of blackscholes.pel, the same arithmetic in the same
 * order. The options are generated from their index; the cumulative normal
 * distribution is the Abramowitz-Stegun polynomial 26.2.17 (as in PARSEC's
 * blackscholes).
 *
 * The prices are added up the way PEL's `reduce` does (so the printed
 * digits agree with blackscholes.pel): blocks of 2048 options, each summed
 * left to right from 0.0, and the block sums combined in a balanced tree
 * that splits the block range [a, b) at a + (b - a) / 2.
 *
 *   clang-19 -std=c11 -O2 blackscholes.c -o blackscholes -lm
 *   ./blackscholes 25000000
 *
 * n is the first argument (default 10000). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define LEAF 2048

struct option {
    double spot, strike, years, rate, vol;
};

struct prices {
    double call, put;
};

/* Option i of the deterministic portfolio. */
static struct option option(int64_t i)
{
    struct option o;
    o.spot = 80.0 + (double)(i % 41);
    o.strike = 70.0 + (double)((i * 7) % 61);
    o.years = 0.1 + (double)(i % 10) * 0.2;
    o.rate = 0.01 + (double)(i % 5) * 0.01;
    o.vol = 0.1 + (double)(i % 9) * 0.05;
    return o;
}

/* The standard normal CDF, A&S 26.2.17, with N(-x) = 1 - N(x). */
static double cnd(double x)
{
    double ax = fabs(x);
    double k = 1.0 / (1.0 + 0.2316419 * ax);
    double poly = k * (0.319381530 + k * (-0.356563782 + k * (1.781477937 +
                  k * (-1.821255978 + k * 1.330274429))));
    double n = 1.0 - 0.3989422804014327 * exp(-0.5 * ax * ax) * poly;
    return x < 0.0 ? 1.0 - n : n;
}

static struct prices price(struct option o)
{
    double sqt = sqrt(o.years);
    double d1 = (log(o.spot / o.strike) + (o.rate + 0.5 * o.vol * o.vol) * o.years) /
                (o.vol * sqt);
    double d2 = d1 - o.vol * sqt;
    double discounted = o.strike * exp(-o.rate * o.years);
    struct prices p;
    p.call = o.spot * cnd(d1) - discounted * cnd(d2);
    p.put = discounted * cnd(-d2) - o.spot * cnd(-d1);
    return p;
}

/* The options of blocks b0 .. b1 - 1, summed as PEL's reduction tree. */
static struct prices total(int64_t n, int64_t b0, int64_t b1)
{
    struct prices s = {0.0, 0.0};
    if (b1 - b0 <= 1) {
        int64_t hi = (b0 + 1) * LEAF < n ? (b0 + 1) * LEAF : n;
        for (int64_t i = b0 * LEAF; i < hi; i++) {
            struct prices p = price(option(i));
            s.call += p.call;
            s.put += p.put;
        }
        return s;
    }
    int64_t mid = b0 + (b1 - b0) / 2;
    struct prices left = total(n, b0, mid);
    struct prices right = total(n, mid, b1);
    s.call = left.call + right.call;
    s.put = left.put + right.put;
    return s;
}

int main(int argc, char **argv)
{
    int64_t n = argc > 1 ? atoll(argv[1]) : 10000;
    struct prices t = {0.0, 0.0};
    if (n > 0)
        t = total(n, 0, (n + LEAF - 1) / LEAF);
    printf("options: %lld\n", (long long)n);
    printf("sum of calls: %.6f\n", t.call);
    printf("sum of puts: %.6f\n", t.put);
    return 0;
}
