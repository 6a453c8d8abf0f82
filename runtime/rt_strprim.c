/* rt_strprim.c — the string primitives of spec 7 v0.2: slice of a str,
 * find, bytes, from_bytes, and fixed(x, d). Strings are bytes; offsets
 * are byte offsets. */
#define _GNU_SOURCE
#include "rt_internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

PelStr *pel_rt_str_slice(const PelStr *s, int64_t lo, int64_t hi) { return pel_rt_str_new(s->data + lo, hi - lo); }

int64_t pel_rt_str_find(const PelStr *s, const PelStr *sub) {
    if (sub->len == 0) return 0;
    const char *at = memmem(s->data, (size_t)s->len, sub->data, (size_t)sub->len);
    return at ? at - s->data : -1;
}

PelArr *pel_rt_bytes(const PelStr *s) {
    PelArr *a = pel_rt_arr_new(s->len, 8, NULL);
    int64_t *out = (int64_t *)a->data;
    for (int64_t i = 0; i < s->len; i++) out[i] = (unsigned char)s->data[i];
    return a;
}

PelStr *pel_rt_from_bytes(const char *where, const PelArr *xs) {
    const int64_t *in = (const int64_t *)xs->data;
    for (int64_t i = 0; i < xs->len; i++)
        if (in[i] < 0 || in[i] > 255) {
            char msg[128];
            snprintf(msg, sizeof msg, "from_bytes(): element %" PRId64 " is %" PRId64 ", not a byte (0..255)", i,
                     in[i]);
            pel_rt_fail(where, msg);
        }
    PelStr *s = rt_str_alloc(xs->len);
    for (int64_t i = 0; i < xs->len; i++) s->data[i] = (char)in[i];
    return s;
}

/* glibc's printf rounds the exact binary value correctly (to nearest,
 * ties to even on the exact value), which is what spec 7 asks for. */
PelStr *pel_rt_fixed(const char *where, double x, int64_t d) {
    if (d < 0 || d > 20) {
        char msg[96];
        snprintf(msg, sizeof msg, "fixed(): %" PRId64 " digits after the point (0..20 allowed)", d);
        pel_rt_fail(where, msg);
    }
    char buf[400]; /* DBL_MAX has 309 digits before the point */
    int n;
    if (!isfinite(x)) n = (int)rt_format_f64(buf, x);
    else n = snprintf(buf, sizeof buf, "%.*f", (int)d, x);
    return pel_rt_str_new(buf, n);
}
