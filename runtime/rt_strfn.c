/* rt_strfn.c — the string builtins of spec 7: split, lines, trim,
 * parse_i64, parse_f64. Strings are bytes; only ASCII whitespace is
 * whitespace, and UTF-8 passes through untouched.
 */
#define _GNU_SOURCE
#include "rt_internal.h"

#include <stdlib.h>
#include <string.h>

static inline int is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* [*p, *e) = s without the whitespace at both ends. */
static void trimmed(const PelStr *s, const char **p, const char **e) {
    const char *a = s->data, *b = s->data + s->len;
    while (a < b && is_space(*a)) a++;
    while (b > a && is_space(b[-1])) b--;
    *p = a;
    *e = b;
}

/* ---- split and lines ------------------------------------------------------ */

/* Where the next separator starts in [p, e), or e. */
static const char *find_sep(const char *p, const char *e, const PelStr *sep) {
    const char *at = sep->len == 1 ? memchr(p, sep->data[0], (size_t)(e - p))
                                   : memmem(p, (size_t)(e - p), sep->data, (size_t)sep->len);
    return at ? at : e;
}

/* Counts first, then fills: the array is allocated once, at its size. */
PelArr *pel_rt_split(const PelStr *s, const PelStr *sep) {
    /* No location here: codegen checks a literal "" itself; this catches a
     * computed one. */
    if (sep->len == 0) pel_rt_fail("pel", "split() separator is the empty string");
    const char *e = s->data + s->len;
    int64_t fields = 1;
    for (const char *p = find_sep(s->data, e, sep); p < e; p = find_sep(p + sep->len, e, sep))
        fields++;
    PelArr *a = pel_rt_arr_new(fields, 8, pel_rt_drop_str_elems);
    PelStr **out = (PelStr **)a->data;
    const char *p = s->data;
    for (int64_t i = 0; i < fields; i++) {
        const char *q = find_sep(p, e, sep);
        out[i] = pel_rt_str_new(p, q - p);
        p = q + sep->len;
    }
    return a;
}

PelArr *pel_rt_lines(const PelStr *s) {
    const char *p = s->data, *e = s->data + s->len;
    /* A final \n ends the last line; it does not start an empty one. */
    int64_t n = 0;
    for (const char *q = p; q < e; n++) {
        const char *nl = memchr(q, '\n', (size_t)(e - q));
        q = nl ? nl + 1 : e;
    }
    PelArr *a = pel_rt_arr_new(n, 8, pel_rt_drop_str_elems);
    PelStr **out = (PelStr **)a->data;
    for (int64_t i = 0; i < n; i++) {
        const char *nl = memchr(p, '\n', (size_t)(e - p));
        const char *end = nl ? nl : e;
        out[i] = pel_rt_str_new(p, end - p);
        p = end + 1;
    }
    return a;
}

PelStr *pel_rt_trim(const PelStr *s) {
    const char *p, *e;
    trimmed(s, &p, &e);
    if (e - p == s->len) {
        /* Nothing to strip: the same immutable string, one more owner. */
        pel_rt_retain((void *)s);
        return (PelStr *)s;
    }
    return pel_rt_str_new(p, e - p);
}

/* ---- parsing ---------------------------------------------------------------- */

static _Noreturn void bad_parse(const char *where, const PelStr *s, const char *type) {
    rt_fail_quoted(where, "cannot parse ", s, type);
}

static inline int is_digit(char c) {
    return c >= '0' && c <= '9';
}

/* [+-]digits, nothing else; out of range is an error too. */
int64_t pel_rt_parse_i64(const char *where, const PelStr *s) {
    const char *p, *e;
    trimmed(s, &p, &e);
    int neg = p < e && *p == '-';
    if (p < e && (*p == '-' || *p == '+')) p++;
    if (p == e) bad_parse(where, s, " as i64");
    /* Accumulate the magnitude unsigned: -2^63 has no positive i64. */
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX, v = 0;
    for (; p < e; p++) {
        if (!is_digit(*p)) bad_parse(where, s, " as i64");
        uint64_t d = (uint64_t)(*p - '0');
        if (v > (limit - d) / 10) bad_parse(where, s, " as i64");
        v = v * 10 + d;
    }
    if (!neg) return (int64_t)v;
    return v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
}

static const char *skip_digits(const char *p, const char *e) {
    while (p < e && is_digit(*p)) p++;
    return p;
}

/* True if [p, e) is, ignoring case, exactly `word` (lower case). */
static int is_word(const char *p, const char *e, const char *word) {
    size_t n = strlen(word);
    if ((size_t)(e - p) != n) return 0;
    for (size_t i = 0; i < n; i++)
        if ((p[i] | 0x20) != word[i]) return 0;
    return 1;
}

/* What Python's float() accepts, less its digit separators (`1_0`):
 *     [+-] (digits [. digits*] | . digits) [(e|E) [+-] digits]
 *     [+-] (inf | infinity | nan)          in any case
 * strtod accepts more (hex, nan(...)), so the text is checked first. */
static int f64_syntax_ok(const char *p, const char *e) {
    if (p < e && (*p == '+' || *p == '-')) p++;
    if (is_word(p, e, "inf") || is_word(p, e, "infinity") || is_word(p, e, "nan")) return 1;
    const char *q = skip_digits(p, e);
    int int_digits = q > p;
    if (q < e && *q == '.') {
        const char *f = skip_digits(q + 1, e);
        if (!int_digits && f == q + 1) return 0;
        q = f;
    } else if (!int_digits) {
        return 0;
    }
    if (q < e && (*q == 'e' || *q == 'E')) {
        q++;
        if (q < e && (*q == '+' || *q == '-')) q++;
        const char *x = skip_digits(q, e);
        if (x == q) return 0;
        q = x;
    }
    return q == e;
}

double pel_rt_parse_f64(const char *where, const PelStr *s) {
    const char *p, *e;
    trimmed(s, &p, &e);
    if (!f64_syntax_ok(p, e)) bad_parse(where, s, " as f64");
    /* The checked text ends at e, which is whitespace or the string's NUL,
     * where strtod stops. It rounds correctly and gives ±inf beyond the
     * range, as Python does. Programs never call setlocale, so the decimal
     * point is '.'. */
    char *end;
    double v = strtod(p, &end);
    if (end != e) bad_parse(where, s, " as f64");
    return v;
}
