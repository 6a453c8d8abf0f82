/* test_rt_strfn.c — split, lines, trim, parse_i64, parse_f64, args,
 * read_file and write_file (rt_strfn.c, rt_file.c), including their
 * runtime errors, each checked in a forked child. */
#define _GNU_SOURCE
#include "rt_internal.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rt_child.h"

static PelStr *S(const char *c) {
    return pel_rt_str_new(c, (int64_t)strlen(c));
}

/* Checks that a is the [str] of the n strings in want, then releases it. */
static void assert_strs(PelArr *a, int n, const char *const *want) {
    assert_int_equal(a->len, n);
    assert_int_equal(a->elem_size, 8);
    assert_ptr_equal(a->drop_elems, pel_rt_drop_str_elems);
    PelStr **el = (PelStr **)a->data;
    for (int i = 0; i < n; i++) {
        assert_int_equal(el[i]->rc, 1);
        assert_int_equal(el[i]->len, (int64_t)strlen(want[i]));
        assert_memory_equal(el[i]->data, want[i], strlen(want[i]) + 1);
    }
    pel_rt_release_arr(a);
}

#define STRS(...) (sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *)), \
                  ((const char *const[]){__VA_ARGS__})

static void split_case(const char *s, const char *sep, int n, const char *const *want) {
    PelStr *a = S(s), *b = S(sep);
    assert_strs(pel_rt_split(a, b), n, want);
    pel_rt_release_str(a);
    pel_rt_release_str(b);
}

static void test_split(void **state) {
    (void)state;
    split_case("a,,b", ",", STRS("a", "", "b"));
    split_case("", ",", STRS(""));
    split_case(",", ",", STRS("", ""));
    split_case("abc", ",", STRS("abc"));
    split_case("a::b::", "::", STRS("a", "b", ""));
    split_case("aaa", "aa", STRS("", "a"));
    split_case("x", "xyz", STRS("x"));
    split_case("k\xc3\xa9 v\xc3\xa9", "\xc3\xa9", STRS("k", " v", ""));
}

static void lines_case(const char *s, int n, const char *const *want) {
    PelStr *a = S(s);
    assert_strs(pel_rt_lines(a), n, want);
    pel_rt_release_str(a);
}

static void test_lines(void **state) {
    (void)state;
    PelStr *e = S("");
    PelArr *none = pel_rt_lines(e);
    assert_int_equal(none->len, 0);
    pel_rt_release_arr(none);
    pel_rt_release_str(e);
    lines_case("a", STRS("a"));
    lines_case("a\n", STRS("a"));
    lines_case("a\n\nb", STRS("a", "", "b"));
    lines_case("\n", STRS(""));
    lines_case("\n\n", STRS("", ""));
    lines_case("a\r\nb\n", STRS("a\r", "b"));
}

static void trim_case(const char *s, const char *want) {
    PelStr *a = S(s), *t = pel_rt_trim(a);
    assert_int_equal(t->len, (int64_t)strlen(want));
    assert_memory_equal(t->data, want, strlen(want) + 1);
    pel_rt_release_str(t);
    assert_int_equal(a->rc, 1);
    pel_rt_release_str(a);
}

static void test_trim(void **state) {
    (void)state;
    trim_case("  x y \t\n", "x y");
    trim_case("", "");
    trim_case(" \t\r\n\v\f", "");
    trim_case("\xc2\xa0x\xc2\xa0", "\xc2\xa0x\xc2\xa0"); /* NBSP is not ASCII */
    /* nothing to strip: the same string, one more reference */
    PelStr *a = S("abc"), *t = pel_rt_trim(a);
    assert_ptr_equal(a, t);
    assert_int_equal(a->rc, 2);
    pel_rt_release_str(t);
    pel_rt_release_str(a);
}

/* ---- parsing ----------------------------------------------------------------- */

static int64_t parse_i64(const char *s) {
    PelStr *a = S(s);
    int64_t v = pel_rt_parse_i64("p.pel:1:1", a);
    pel_rt_release_str(a);
    return v;
}

static double parse_f64(const char *s) {
    PelStr *a = S(s);
    double v = pel_rt_parse_f64("p.pel:1:1", a);
    pel_rt_release_str(a);
    return v;
}

static void test_parse_ok(void **state) {
    (void)state;
    assert_int_equal(parse_i64("42"), 42);
    assert_int_equal(parse_i64(" \t-17\n"), -17);
    assert_int_equal(parse_i64("+7"), 7);
    assert_int_equal(parse_i64("007"), 7);
    assert_int_equal(parse_i64("-0"), 0);
    assert_int_equal(parse_i64("9223372036854775807"), INT64_MAX);
    assert_int_equal(parse_i64("-9223372036854775808"), INT64_MIN);
    assert_true(parse_f64("1.5") == 1.5);
    assert_true(parse_f64(" -2e3 ") == -2000.0);
    assert_true(parse_f64(".5") == 0.5);
    assert_true(parse_f64("5.") == 5.0);
    assert_true(parse_f64("1E+5") == 1e5);
    assert_true(parse_f64("1e-5") == 1e-5);
    assert_true(parse_f64("0.1") == 0.1); /* correctly rounded */
    assert_true(parse_f64("42") == 42.0);
    assert_true(parse_f64("1e400") == INFINITY);
    assert_true(parse_f64("-inf") == -INFINITY);
    assert_true(parse_f64("Infinity") == INFINITY);
    assert_true(parse_f64("+INF") == INFINITY);
    assert_true(isnan(parse_f64("nan")));
    assert_true(isnan(parse_f64("-NaN")));
    double z = parse_f64("-0.0");
    assert_true(z == 0 && signbit(z));
}

static const char *bad_text;
static int bad_f64;

static void child_bad_parse(void) {
    PelStr *a = pel_rt_str_new(bad_text, (int64_t)strlen(bad_text));
    if (bad_f64) pel_rt_parse_f64("p.pel:2:9", a);
    else pel_rt_parse_i64("p.pel:2:9", a);
}

static void expect_bad(const char *text, int f64, const char *quoted) {
    bad_text = text;
    bad_f64 = f64;
    Child c = run_child(child_bad_parse);
    assert_exit1(&c);
    char want[256];
    snprintf(want, sizeof want, "p.pel:2:9: runtime error: cannot parse %s as %s\n", quoted,
             f64 ? "f64" : "i64");
    assert_string_equal(c.err, want);
}

static void test_parse_errors(void **state) {
    (void)state;
    expect_bad("12x", 0, "\"12x\"");
    expect_bad("", 0, "\"\"");
    expect_bad(" \t1 2\n", 0, "\" \\t1 2\\n\"");
    expect_bad("9223372036854775808", 0, "\"9223372036854775808\"");
    expect_bad("-9223372036854775809", 0, "\"-9223372036854775809\"");
    expect_bad("99999999999999999999", 0, "\"99999999999999999999\"");
    expect_bad("1_000", 0, "\"1_000\"");
    expect_bad("0x10", 0, "\"0x10\"");
    expect_bad("+", 0, "\"+\"");
    expect_bad("1.0", 0, "\"1.0\"");
    expect_bad("say \"hi\"", 0, "\"say \\\"hi\\\"\"");
    expect_bad("1e", 1, "\"1e\"");
    expect_bad("e5", 1, "\"e5\"");
    expect_bad(".", 1, "\".\"");
    expect_bad("", 1, "\"\"");
    expect_bad("0x1p3", 1, "\"0x1p3\"");
    expect_bad("nan(1)", 1, "\"nan(1)\"");
    expect_bad("infinit", 1, "\"infinit\"");
    expect_bad("1.5.2", 1, "\"1.5.2\"");
    expect_bad("--1", 1, "\"--1\"");
    expect_bad("1 .5", 1, "\"1 .5\"");
}

static void child_split_empty(void) {
    PelStr *a = S("abc"), *b = S("");
    pel_rt_split(a, b);
}

static void test_split_empty_sep(void **state) {
    (void)state;
    Child c = run_child(child_split_empty);
    assert_exit1(&c);
    assert_string_equal(c.err, "pel: runtime error: split() separator is the empty string\n");
}

/* ---- args --------------------------------------------------------------------- */

static PelArr *got_args;

static int64_t entry_args(PelWorker *w) {
    (void)w;
    got_args = pel_rt_args();
    return 0;
}

static void test_args(void **state) {
    (void)state;
    char *argv[] = {"prog", "x", "y z", "", NULL};
    setenv("PEL_WORKERS", "2", 1);
    assert_int_equal(pel_rt_main(4, argv, entry_args), 0);
    assert_strs(got_args, 3, (const char *const[]){"x", "y z", ""});
    char *only[] = {"prog", NULL};
    assert_int_equal(pel_rt_main(1, only, entry_args), 0);
    assert_int_equal(got_args->len, 0);
    pel_rt_release_arr(got_args);
}

/* ---- files -------------------------------------------------------------------- */

static void test_file_round_trip(void **state) {
    (void)state;
    char path[] = "/tmp/pel_rt_fileXXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    PelStr *p = S(path);
    /* NUL bytes and a size past any first guess of a buffer */
    int64_t n = 300000;
    char *bytes = malloc((size_t)n);
    for (int64_t i = 0; i < n; i++) bytes[i] = (char)(i * 7);
    PelStr *body = pel_rt_str_new(bytes, n);
    pel_rt_write_file("f.pel:1:1", p, body);
    PelStr *back = pel_rt_read_file("f.pel:1:1", p);
    assert_int_equal(back->rc, 1);
    assert_int_equal(back->len, n);
    assert_memory_equal(back->data, bytes, (size_t)n);
    assert_int_equal(back->data[n], 0);
    pel_rt_release_str(back);
    /* overwrite truncates; empty file reads as "" */
    PelStr *empty = S("");
    pel_rt_write_file("f.pel:1:1", p, empty);
    back = pel_rt_read_file("f.pel:1:1", p);
    assert_int_equal(back->len, 0);
    pel_rt_release_str(back);
    /* a file the size cannot be known of in advance */
    PelStr *proc = S("/proc/self/status");
    back = pel_rt_read_file("f.pel:1:1", proc);
    assert_non_null(strstr(back->data, "Name:"));
    pel_rt_release_str(back);
    unlink(path);
    free(bytes);
    pel_rt_release_str(proc);
    pel_rt_release_str(empty);
    pel_rt_release_str(body);
    pel_rt_release_str(p);
}

static const char *file_path;

static void child_read(void) {
    pel_rt_read_file("f.pel:3:5", S(file_path));
}

static void child_write(void) {
    pel_rt_write_file("f.pel:4:5", S(file_path), S("x"));
}

static void test_file_errors(void **state) {
    (void)state;
    file_path = "/nonexistent/x.txt";
    Child c = run_child(child_read);
    assert_exit1(&c);
    assert_string_equal(
        c.err, "f.pel:3:5: runtime error: cannot read file \"/nonexistent/x.txt\": No such file or directory\n");
    file_path = "/tmp";
    c = run_child(child_read);
    assert_exit1(&c);
    assert_string_equal(c.err, "f.pel:3:5: runtime error: cannot read file \"/tmp\": Is a directory\n");
    file_path = "/nonexistent/dir/\tx";
    c = run_child(child_write);
    assert_exit1(&c);
    assert_string_equal(
        c.err,
        "f.pel:4:5: runtime error: cannot write file \"/nonexistent/dir/\\tx\": No such file or directory\n");
}

static int teardown(void **state) {
    (void)state;
    child_free();
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split),        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_trim),         cmocka_unit_test(test_parse_ok),
        cmocka_unit_test(test_parse_errors), cmocka_unit_test(test_split_empty_sep),
        cmocka_unit_test(test_args),         cmocka_unit_test(test_file_round_trip),
        cmocka_unit_test(test_file_errors),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
