/* rt_f64.c — f64 as Python's repr(float).
 *
 * The digits are the shortest decimal string that reads back (strtod) as the
 * same double; the layout is Python's: positional when the decimal exponent
 * is in [-4, 16), else scientific with at least two exponent digits, and
 * always a '.' or an 'e' so a float never prints like an integer.
 *
 * Shortest digits: for p = 1..17, the correctly rounded p-digit string
 * (printf "%.*e"). If it does not read back, the only other p-digit
 * candidate that can is its neighbour on the far side of v (the round-trip
 * interval of a power of two is lopsided), so that one is tried too.
 */
#include "rt_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char d[24]; /* significant digits, no dot */
    int n;      /* how many */
    int e;      /* v = d[0].d[1]... * 10^e */
} Digits;

static double digits_value(const Digits *x) {
    char s[48];
    int k = 0;
    s[k++] = x->d[0];
    s[k++] = '.';
    for (int i = 1; i < x->n; i++) s[k++] = x->d[i];
    snprintf(s + k, sizeof s - (size_t)k, "e%d", x->e);
    return strtod(s, NULL);
}

/* The p-digit neighbour of x one unit in the last place up or down. */
static Digits neighbour(const Digits *x, int up) {
    Digits y = *x;
    int i = y.n - 1;
    if (up) {
        while (i >= 0 && y.d[i] == '9') y.d[i--] = '0';
        if (i >= 0) y.d[i]++;
        else { /* 9.99 -> 10.0: renormalise */
            y.d[0] = '1';
            y.e++;
        }
    } else {
        while (i >= 0 && y.d[i] == '0') y.d[i--] = '9';
        if (i < 0) return *x; /* all zeros: x is nonzero, cannot happen */
        y.d[i]--;
        if (y.d[0] == '0') { /* 1.00 -> 0.99 -> 9.99 at the next exponent */
            for (int j = 0; j < y.n; j++) y.d[j] = '9';
            y.e--;
        }
    }
    return y;
}

static Digits shortest(double v) {
    Digits x = {{0}, 0, 0};
    for (int p = 1; p <= 17; p++) {
        char s[40];
        snprintf(s, sizeof s, "%.*e", p - 1, v);
        x.n = 0;
        const char *c = s;
        for (; *c != 'e'; c++)
            if (*c != '.') x.d[x.n++] = *c;
        x.e = atoi(c + 1);
        double r = strtod(s, NULL);
        if (r == v) return x;
        if (p < 17) {
            Digits y = neighbour(&x, r < v);
            if (digits_value(&y) == v) return y;
        }
    }
    return x; /* 17 digits always read back */
}

size_t rt_format_f64(char out[32], double v) {
    char *o = out;
    if (isnan(v)) {
        memcpy(out, "nan", 4);
        return 3;
    }
    if (signbit(v)) *o++ = '-';
    v = fabs(v);
    if (isinf(v)) {
        memcpy(o, "inf", 4);
        return (size_t)(o - out) + 3;
    }
    if (v == 0) {
        memcpy(o, "0.0", 4);
        return (size_t)(o - out) + 3;
    }
    Digits x = shortest(v);
    while (x.n > 1 && x.d[x.n - 1] == '0') x.n--;
    if (x.e < -4 || x.e >= 16) {
        *o++ = x.d[0];
        if (x.n > 1) {
            *o++ = '.';
            memcpy(o, x.d + 1, (size_t)x.n - 1);
            o += x.n - 1;
        }
        o += snprintf(o, 8, "e%c%02d", x.e < 0 ? '-' : '+', x.e < 0 ? -x.e : x.e);
    } else if (x.e < 0) {
        *o++ = '0';
        *o++ = '.';
        for (int i = 0; i < -x.e - 1; i++) *o++ = '0';
        memcpy(o, x.d, (size_t)x.n);
        o += x.n;
    } else {
        int point = x.e + 1; /* digits before the '.' */
        for (int i = 0; i < point; i++) *o++ = i < x.n ? x.d[i] : '0';
        *o++ = '.';
        if (point < x.n) {
            memcpy(o, x.d + point, (size_t)(x.n - point));
            o += x.n - point;
        } else {
            *o++ = '0';
        }
    }
    *o = '\0';
    return (size_t)(o - out);
}
