/* test_rt_format.c — value formatting: f64 as Python's repr(float), i64,
 * bool, quoted strings, and the string functions. */
#include "rt_internal.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* Strings have no release function yet (memory management comes later);
 * new ones are single malloc blocks, so the tests free them directly to
 * stay clean under LeakSanitizer. */
static void drop(PelStr *s) {
    free(s);
}

static PelBuf *fresh(void) {
    return pel_rt_buf(NULL);
}

static void assert_buf(PelBuf *b, const char *want) {
    char got[256];
    size_t n = b->len < sizeof got - 1 ? b->len : sizeof got - 1;
    memcpy(got, b->data, n);
    got[n] = '\0';
    assert_string_equal(got, want);
    assert_int_equal(b->len, strlen(want));
}

static const struct {
    double v;
    const char *repr; /* what Python 3 prints for repr(v) */
} f64_cases[] = {
    {0.1, "0.1"},
    {1.0, "1.0"},
    {0.1 + 0.2, "0.30000000000000004"},
    {1e16, "1e+16"},
    {1e15, "1000000000000000.0"},
    {1e-5, "1e-05"},
    {1.5e-5, "1.5e-05"},
    {0.0001, "0.0001"},
    {5e-324, "5e-324"},
    {1.7976931348623157e308, "1.7976931348623157e+308"},
    {100.0, "100.0"},
    {1e22, "1e+22"},
    {1e23, "1e+23"},
    {123456789.123, "123456789.123"},
    {123456789012345.0, "123456789012345.0"},
    {1234567890123456.0, "1234567890123456.0"},
    {12345678901234567.0, "1.2345678901234568e+16"},
    {9007199254740993.0, "9007199254740992.0"},
    {0.0, "0.0"},
    {-0.0, "-0.0"},
    {-1.5, "-1.5"},
    {0.0025, "0.0025"},
    {1.0 / 3.0, "0.3333333333333333"},
    {2.0 / 3.0, "0.6666666666666666"},
    {3.14159, "3.14159"},
    {4.35, "4.35"},
    {0.5, "0.5"},
    {2.2250738585072014e-308, "2.2250738585072014e-308"},
    {1e100, "1e+100"},
    {-1e-7, "-1e-07"},
    {1e300 * 10.0, "1e+301"},
    /* powers of two whose shortest digits are not the correctly rounded
     * ones at that length (the round-trip interval is lopsided) */
    {0x1p-1017, "7.120236347223045e-307"},
    {0x1p-1007, "7.291122019556398e-304"},
    {0x1p-921, "5.641232424577593e-278"},
};

static void test_f64_repr(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof f64_cases / sizeof f64_cases[0]; i++) {
        PelBuf *b = fresh();
        pel_rt_buf_f64(b, f64_cases[i].v);
        assert_buf(b, f64_cases[i].repr);
    }
}

static void test_f64_special(void **state) {
    (void)state;
    PelBuf *b = fresh();
    pel_rt_buf_f64(b, INFINITY);
    assert_buf(b, "inf");
    b = fresh();
    pel_rt_buf_f64(b, -INFINITY);
    assert_buf(b, "-inf");
    b = fresh();
    pel_rt_buf_f64(b, NAN);
    assert_buf(b, "nan");
    b = fresh();
    pel_rt_buf_f64(b, -NAN); /* Python prints nan whatever the sign bit */
    assert_buf(b, "nan");
}

/* Every formatted value reads back as the same double. */
static void test_f64_round_trip(void **state) {
    (void)state;
    uint64_t x = 0x243F6A8885A308D3u;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double v;
        memcpy(&v, &x, sizeof v);
        if (isnan(v)) continue;
        char out[32];
        size_t n = rt_format_f64(out, v);
        assert_true(n < 32);
        assert_true(strtod(out, NULL) == v);
        assert_true(strchr(out, '.') || strchr(out, 'e') || strchr(out, 'n'));
    }
}

static void test_i64_bool(void **state) {
    (void)state;
    PelBuf *b = fresh();
    pel_rt_buf_i64(b, 0);
    pel_rt_buf_lit(b, " ");
    pel_rt_buf_i64(b, -42);
    pel_rt_buf_lit(b, " ");
    pel_rt_buf_i64(b, INT64_MIN);
    pel_rt_buf_lit(b, " ");
    pel_rt_buf_i64(b, INT64_MAX);
    pel_rt_buf_lit(b, " ");
    pel_rt_buf_bool(b, 1);
    pel_rt_buf_lit(b, " ");
    pel_rt_buf_bool(b, 0);
    assert_buf(b, "0 -42 -9223372036854775808 9223372036854775807 true false");
}

static void test_quoted(void **state) {
    (void)state;
    static const char raw[] = "a\"b\\c\nd\te\rf\0g\x01h\x1fi\x7fj\xc3\xa9k";
    PelStr *s = pel_rt_str_new(raw, sizeof raw - 1);
    PelBuf *b = fresh();
    pel_rt_buf_str(b, s, 1);
    assert_buf(b, "\"a\\\"b\\\\c\\nd\\te\\rf\\0g\\x01h\\x1fi\\x7fj\xc3\xa9k\"");
    b = fresh();
    pel_rt_buf_str(b, s, 0);
    assert_int_equal(b->len, sizeof raw - 1);
    assert_memory_equal(b->data, raw, sizeof raw - 1);
    b = fresh();
    PelStr *e = pel_rt_str_new(NULL, 0);
    pel_rt_buf_str(b, e, 1);
    assert_buf(b, "\"\"");
    drop(s);
    drop(e);
}

/* A composite value as codegen assembles it: [1.5, "x"] and (1, true). */
static void test_composite_and_take(void **state) {
    (void)state;
    PelBuf *b = fresh();
    PelStr *x = pel_rt_str_new("x", 1);
    pel_rt_buf_lit(b, "[");
    pel_rt_buf_f64(b, 1.5);
    pel_rt_buf_lit(b, ", ");
    pel_rt_buf_str(b, x, 1);
    pel_rt_buf_lit(b, "]");
    PelStr *s = pel_rt_buf_take(b);
    assert_int_equal(s->rc, 1);
    assert_int_equal(s->len, 10);
    assert_string_equal(s->data, "[1.5, \"x\"]");
    drop(s);
    drop(x);
    /* the buffer is reusable and emptied by pel_rt_buf */
    b = fresh();
    assert_int_equal(b->len, 0);
}

static void test_buffer_growth(void **state) {
    (void)state;
    PelBuf *b = fresh();
    for (int i = 0; i < 100000; i++) pel_rt_buf_lit(b, "0123456789");
    assert_int_equal(b->len, 1000000);
    assert_memory_equal(b->data + 999990, "0123456789", 10);
}

static void test_strings(void **state) {
    (void)state;
    PelStr *a = pel_rt_str_new("abc", 3);
    PelStr *b = pel_rt_str_new("abd", 3);
    PelStr *ab = pel_rt_str_new("ab", 2);
    PelStr *z = pel_rt_str_new("a\0c", 3);
    assert_int_equal(a->rc, 1);
    assert_int_equal(a->data[3], '\0');
    PelStr *c = pel_rt_str_concat(a, b);
    assert_int_equal(c->len, 6);
    assert_string_equal(c->data, "abcabd");
    assert_true(pel_rt_str_cmp(a, b) < 0);
    assert_true(pel_rt_str_cmp(b, a) > 0);
    assert_true(pel_rt_str_cmp(ab, a) < 0); /* prefix sorts first */
    assert_true(pel_rt_str_cmp(a, ab) > 0);
    assert_int_equal(pel_rt_str_cmp(a, a), 0);
    assert_true(pel_rt_str_cmp(z, a) < 0); /* bytewise, NUL included */
    PelStr *a2 = pel_rt_str_new("abc", 3);
    assert_true(pel_rt_str_eq(a, a2));
    assert_false(pel_rt_str_eq(a, z));
    assert_false(pel_rt_str_eq(a, ab));
    /* literals as codegen emits them: static, never counted */
    static struct {
        int64_t rc, len;
        char data[4];
    } lit = {PEL_RC_STATIC, 3, "abc"};
    assert_true(pel_rt_str_eq((const PelStr *)&lit, a));
    PelStr *all[] = {a, b, ab, z, c, a2};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) drop(all[i]);
}

static int free_thread_buf(void **state) {
    (void)state;
    rt_buf_thread_fini();
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_f64_repr),    cmocka_unit_test(test_f64_special),
        cmocka_unit_test(test_f64_round_trip), cmocka_unit_test(test_i64_bool),
        cmocka_unit_test(test_quoted),      cmocka_unit_test(test_composite_and_take),
        cmocka_unit_test(test_buffer_growth), cmocka_unit_test(test_strings),
    };
    return cmocka_run_group_tests(tests, NULL, free_thread_buf);
}
