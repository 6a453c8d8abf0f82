/* fuzz_numbers.c — the runtime's number parsing and formatting against
 * independent references:
 *
 *   parse_i64(s)   accepted exactly when strtoll accepts the trimmed text
 *                  whole, in range, with the same value
 *   parse_f64(s)   accepted exactly when strtod accepts the trimmed text
 *                  whole, less what strtod takes and Python's float() does
 *                  not (hex floats, "nan(...)"); the same value
 *   fixed(x, d)    snprintf("%.*f", d, x) for finite x and 0 <= d <= 20,
 *                  "inf"/"-inf"/"nan" otherwise; a runtime error for any
 *                  other d
 *   print's f64    (rt_format_f64) reads back as the same double, with no
 *                  more significant digits than the shortest "%.*e" that
 *                  reads back
 *
 * The input is the text for both parsers; when it has 9 bytes or more, its
 * first 8 are also a double's bits and the 9th picks d in -1..22 for
 * fixed(). A parsed f64 is formatted too.
 *
 * A runtime error would end the process (rt_report); rt_report_hook
 * (rt_fail.c) brings it back here with the message instead.
 */
#include "fuzz_common.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <setjmp.h>

#include "rt_internal.h"

#define MAX_INPUT 4096

static sigjmp_buf on_error;
static const char *error_line;

static void catch_error(const char *line)
{
    error_line = line;
    siglongjmp(on_error, 1);
}

/* the line of a caught error, and frees it */
static void error_done(void)
{
    /* make_line's lines are malloc'ed; an out-of-memory report's (no
     * "fuzz: " location: rt_oom_bytes) is on the stack */
    if (error_line && strncmp(error_line, "fuzz: ", 6) == 0)
        free((char *)error_line);
    error_line = NULL;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* the text without ASCII whitespace at either end, NUL-terminated
 * (malloc'ed); *n its length */
static char *trimmed_copy(const char *p, size_t len, size_t *n)
{
    const char *e = p + len;
    while (p < e && is_space(*p))
        p++;
    while (e > p && is_space(e[-1]))
        e--;
    *n = (size_t)(e - p);
    char *c = malloc(*n + 1);
    if (!c)
        abort();
    memcpy(c, p, *n);
    c[*n] = 0;
    return c;
}

static void check_i64(const char *data, size_t size)
{
    size_t n;
    char *t = trimmed_copy(data, size, &n);
    char *end;
    errno = 0;
    long long ref = strtoll(t, &end, 10);
    bool ok = n > 0 && end == t + n && errno == 0 && !is_space(t[0]);

    PelStr *s = pel_rt_str_new(data, (int64_t)size);
    volatile bool failed = false;
    volatile int64_t got = 0;
    if (sigsetjmp(on_error, 0) == 0)
        got = pel_rt_parse_i64("fuzz", s);
    else
        failed = true;
    if (failed) {
        if (!strstr(error_line, "runtime error: cannot parse "))
            FUZZ_BUG("parse_i64: unexpected message %s", error_line);
        error_done();
    }
    if (failed == ok)
        FUZZ_BUG("parse_i64(\"%.*s\") %s, strtoll %s", (int)size, data, failed ? "failed" : "succeeded",
                 ok ? "accepts it" : "does not");
    if (ok && got != ref)
        FUZZ_BUG("parse_i64(\"%.*s\") = %" PRId64 ", strtoll: %lld", (int)size, data, (int64_t)got, ref);
    pel_rt_release_str(s);
    free(t);
}

static void check_format(double v);

static void check_f64(const char *data, size_t size)
{
    size_t n;
    char *t = trimmed_copy(data, size, &n);
    char *end;
    double ref = strtod(t, &end);
    bool ok = n > 0 && end == t + n && !is_space(t[0]) && !strpbrk(t, "xX(");

    PelStr *s = pel_rt_str_new(data, (int64_t)size);
    volatile bool failed = false;
    volatile double got = 0;
    if (sigsetjmp(on_error, 0) == 0)
        got = pel_rt_parse_f64("fuzz", s);
    else
        failed = true;
    if (failed) {
        if (!strstr(error_line, "runtime error: cannot parse "))
            FUZZ_BUG("parse_f64: unexpected message %s", error_line);
        error_done();
    }
    if (failed == ok)
        FUZZ_BUG("parse_f64(\"%.*s\") %s, strtod %s", (int)size, data, failed ? "failed" : "succeeded",
                 ok ? "accepts it" : "does not");
    if (ok) {
        double g = got;
        if (memcmp(&g, &ref, sizeof g) != 0 && !(isnan(g) && isnan(ref)))
            FUZZ_BUG("parse_f64(\"%.*s\") = %a, strtod: %a", (int)size, data, g, ref);
        check_format(g);
    }
    pel_rt_release_str(s);
    free(t);
}

static void check_fixed(double x, int64_t d)
{
    volatile bool failed = false;
    PelStr *volatile got = NULL;
    if (sigsetjmp(on_error, 0) == 0)
        got = pel_rt_fixed("fuzz", x, d);
    else
        failed = true;
    bool valid = d >= 0 && d <= 20;
    if (failed) {
        if (valid)
            FUZZ_BUG("fixed(%a, %" PRId64 ") failed: %s", x, d, error_line);
        if (!strstr(error_line, "runtime error: fixed(): "))
            FUZZ_BUG("fixed(): unexpected message %s", error_line);
        error_done();
        return;
    }
    if (!valid)
        FUZZ_BUG("fixed(%a, %" PRId64 ") did not fail", x, d);
    char want[400];
    if (isnan(x))
        strcpy(want, "nan");
    else if (isinf(x))
        strcpy(want, x < 0 ? "-inf" : "inf");
    else
        snprintf(want, sizeof want, "%.*f", (int)d, x);
    if (got->len != (int64_t)strlen(want) || memcmp(got->data, want, strlen(want)) != 0 || got->data[got->len])
        FUZZ_BUG("fixed(%a, %" PRId64 ") = \"%.*s\", printf: \"%s\"", x, d, (int)got->len, got->data, want);
    pel_rt_release_str(got);
}

/* print's f64: reads back, and is as short as the shortest "%.*e" that
 * reads back (the runtime may find a shorter one; never a longer one) */
static void check_format(double v)
{
    char out[32]; /* exactly the size rt_format_f64 promises to stay in */
    size_t n = rt_format_f64(out, v);
    if (n >= sizeof out || out[n] != 0 || strlen(out) != n)
        FUZZ_BUG("rt_format_f64(%a): length %zu", v, n);
    if (isnan(v)) {
        if (strcmp(out, "nan") != 0)
            FUZZ_BUG("rt_format_f64(nan) = %s", out);
        return;
    }
    double back = strtod(out, NULL);
    if (memcmp(&back, &v, sizeof v) != 0)
        FUZZ_BUG("rt_format_f64(%a) = %s, which reads back as %a", v, out, back);
    if (isinf(v) || v == 0)
        return;
    int digits = 0;
    bool lead = true;
    for (const char *c = out; *c && *c != 'e'; c++) {
        if (*c < '0' || *c > '9')
            continue;
        if (*c == '0' && lead)
            continue;
        lead = false;
        digits++;
    }
    /* trailing zeros of the positional form ("100.0") are not significant */
    const char *e = strchr(out, 'e');
    const char *last = e ? e - 1 : out + n - 1;
    for (const char *c = last; c > out && (*c == '0' || *c == '.'); c--)
        if (*c == '0')
            digits--;
    int p;
    for (p = 1; p < 17; p++) {
        char s[40];
        snprintf(s, sizeof s, "%.*e", p - 1, v);
        if (strtod(s, NULL) == v)
            break;
    }
    if (digits > p && digits > 1)
        FUZZ_BUG("rt_format_f64(%a) = %s: %d digits, but %.*e reads back", v, out, digits, p - 1, v);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    rt_report_hook = catch_error;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return -1;
    check_i64((const char *)data, size);
    check_f64((const char *)data, size);
    if (size >= 9) {
        double x;
        memcpy(&x, data, sizeof x);
        check_fixed(x, (int64_t)(data[8] % 24) - 1);
        check_format(x);
    }
    /* the parsed value with a few digit counts */
    if (size > 0 && size <= 64) {
        char buf[65];
        memcpy(buf, data, size);
        buf[size] = 0;
        char *end;
        double v = strtod(buf, &end);
        if (end != buf)
            check_fixed(v, (int64_t)(size % 21));
    }
    return 0;
}
