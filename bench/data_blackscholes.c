/* Black-Scholes call prices of N generated options, summed: the C reference
 * of data_blackscholes.pel.in (same formulas, same operation order; the
 * normal CDF from the Abramowitz-Stegun 7.1.26 erf). The OpenMP build is a
 * `parallel for` with a `+` reduction.
 * Usage: data_blackscholes N   -- prints the sum (%.17g). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include "data_common.h"

static double erf_pos(double z)
{
    double t = 1.0 / (1.0 + 0.3275911 * z);
    double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 +
                  t * (-1.453152027 + t * 1.061405429))));
    return 1.0 - poly * exp(-z * z);
}

static double cnd(double x)
{
    double e = erf_pos(fabs(x) / sqrt(2.0));
    return x >= 0.0 ? 0.5 * (1.0 + e) : 0.5 * (1.0 - e);
}

static double call_price(double s, double k, double t, double r, double v)
{
    double sqt = sqrt(t);
    double d1 = (log(s / k) + (r + 0.5 * v * v) * t) / (v * sqt);
    double d2 = d1 - v * sqt;
    return s * cnd(d1) - k * exp(-r * t) * cnd(d2);
}

static double price_of(int64_t i)
{
    double s = 80.0 + (double)(i % 41);
    double k = 70.0 + (double)((i * 7) % 61);
    double t = 0.1 + (double)(i % 10) * 0.2;
    double r = 0.01 + (double)(i % 5) * 0.01;
    double v = 0.1 + (double)(i % 9) * 0.05;
    return call_price(s, k, t, r, v);
}

int main(int argc, char **argv)
{
    int64_t n = data_arg(argc, argv, 1, 1, INT64_C(1) << 40);
    double sum = 0.0;
    DATA_OMP(omp parallel for reduction(+ : sum) schedule(static))
    for (int64_t i = 0; i < n; i++)
        sum += price_of(i);
    printf("%.17g\n", sum);
    return 0;
}
