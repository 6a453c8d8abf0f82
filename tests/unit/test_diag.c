/* test_diag.c — the exact text of diagnostics, and source loading errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse.h"

typedef struct Capture {
    char *text;
    size_t len;
    FILE *out;
    Diag diag;
} Capture;

static void capture_start(Capture *c)
{
    c->out = open_memstream(&c->text, &c->len);
    diag_init(&c->diag, c->out, "pelc");
}

static const char *capture_text(Capture *c)
{
    fflush(c->out);
    return c->text;
}

static void capture_end(Capture *c)
{
    fclose(c->out);
    free(c->text);
}

static void test_error_with_caret(void **state)
{
    (void)state;
    Arena a = { 0 };
    Capture c;
    capture_start(&c);
    SrcFile *f = src_from_string(&a, "prog.pel", "fn main() {\n  let x = y\n}\n");
    diag_error(&c.diag, (Loc){ f, 2, 11 }, "unknown name '%s'", "y");
    diag_hint(&c.diag, "did you mean '%s'?", "x");
    assert_string_equal(capture_text(&c),
                        "prog.pel:2:11: error: unknown name 'y'\n"
                        "  2 |   let x = y\n"
                        "    |           ^\n"
                        "hint: did you mean 'x'?\n");
    assert_int_equal(c.diag.errors, 1);
    assert_false(c.diag.color); /* not a terminal */
    capture_end(&c);
    arena_free(&a);
}

static void test_tabs_are_kept_in_the_caret_line(void **state)
{
    (void)state;
    Arena a = { 0 };
    Capture c;
    capture_start(&c);
    /* line 12 so the gutter is two digits wide, as in diag.h */
    SrcFile *f = src_from_string(&a, "t.pel", "\n\n\n\n\n\n\n\n\n\n\n\t\tlet x = y\n");
    diag_error(&c.diag, (Loc){ f, 12, 11 }, "boom");
    assert_string_equal(capture_text(&c),
                        "t.pel:12:11: error: boom\n"
                        "  12 | \t\tlet x = y\n"
                        "     | \t\t        ^\n");
    capture_end(&c);
    arena_free(&a);
}

static void test_note_and_utf8_columns(void **state)
{
    (void)state;
    Arena a = { 0 };
    Capture c;
    capture_start(&c);
    /* "é" is two bytes but one column on screen */
    SrcFile *f = src_from_string(&a, "u.pel", "let s = \"\xc3\xa9\" + 1\r\n");
    diag_error(&c.diag, (Loc){ f, 1, 14 }, "bad");
    diag_note(&c.diag, (Loc){ f, 1, 9 }, "here");
    assert_string_equal(capture_text(&c),
                        "u.pel:1:14: error: bad\n"
                        "  1 | let s = \"\xc3\xa9\" + 1\n"
                        "    |             ^\n"
                        "u.pel:1:9: note: here\n"
                        "  1 | let s = \"\xc3\xa9\" + 1\n"
                        "    |         ^\n");
    capture_end(&c);
    arena_free(&a);
}

static void test_no_location(void **state)
{
    (void)state;
    Capture c;
    capture_start(&c);
    diag_error(&c.diag, (Loc){ 0 }, "no place");
    diag_plain(&c.diag, "bad flag '%s'", "-Q");
    assert_string_equal(capture_text(&c), "error: no place\npelc: error: bad flag '-Q'\n");
    assert_int_equal(c.diag.errors, 2);
    capture_end(&c);
    /* the tool's name comes from the Diag: pel's messages say pel */
    capture_start(&c);
    c.diag.tool = "pel";
    diag_plain(&c.diag, "internal error: %s", "x");
    assert_string_equal(capture_text(&c), "pel: error: internal error: x\n");
    capture_end(&c);
}

static void test_max_errors(void **state)
{
    (void)state;
    Capture c;
    capture_start(&c);
    c.diag.max_errors = 2;
    for (int i = 0; i < 5; i++) {
        diag_error(&c.diag, (Loc){ 0 }, "e%d", i);
        diag_hint(&c.diag, "h%d", i);
    }
    assert_string_equal(capture_text(&c), "error: e0\nhint: h0\nerror: e1\nhint: h1\n"
                                          "error: too many errors, stopping\n");
    assert_int_equal(c.diag.errors, 5);
    capture_end(&c);
}

/* ---- src_load ---- */

static char tmpdir[64];

static int make_tmpdir(void **state)
{
    (void)state;
    strcpy(tmpdir, "/tmp/pel_test_diag_XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static char *tmp_path(const char *name)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    return path;
}

static void write_file(const char *path, const char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

/* src_load(path) must fail with one error whose message begins with want */
static void expect_load_message(const char *path, const char *want)
{
    Arena a = { 0 };
    Capture c;
    capture_start(&c);
    SrcFile *f = src_load(&a, &c.diag, path);
    assert_null(f);
    const char *got = capture_text(&c);
    if (strncmp(got, want, strlen(want)) != 0)
        fail_msg("want '%s...', got '%s'", want, got);
    assert_int_equal(c.diag.errors, 1);
    capture_end(&c);
    arena_free(&a);
}

/* src_load(path) must fail with "TOOL: error: PATH: <reason>" */
static void expect_load_error(const char *path, const char *reason)
{
    char want[512];
    snprintf(want, sizeof want, "pelc: error: %s: %s", path, reason);
    expect_load_message(path, want);
}

static void test_load_errors(void **state)
{
    (void)state;
    expect_load_error(tmp_path("missing.pel"), "No such file or directory");
    expect_load_error(tmpdir, "is a directory");

    /* a NUL byte is an error at its line and column */
    char *nul = tmp_path("nul.pel");
    write_file(nul, "fn main() = 1\0\n", 15);
    char want[512];
    snprintf(want, sizeof want, "%s:1:14: error: a NUL byte: this is not a text file", nul);
    expect_load_message(nul, want);

    /* a sparse file just over the limit: refused without reading it all */
    char *big = tmp_path("big.pel");
    int fd = open(big, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)PEL_MAX_SOURCE + 1), 0);
    close(fd);
    expect_load_error(big, "file too large");

    if (geteuid() != 0) { /* root reads anything */
        char *secret = tmp_path("secret.pel");
        write_file(secret, "x", 1);
        chmod(secret, 0);
        expect_load_error(secret, "Permission denied");
    }
}

static void test_load_ok(void **state)
{
    (void)state;
    char *path = tmp_path("ok.pel");
    write_file(path, "\xEF\xBB\xBF" "fn main() = 1\n", 17);
    Arena a = { 0 };
    Capture c;
    capture_start(&c);
    SrcFile *f = src_load(&a, &c.diag, path);
    assert_non_null(f);
    assert_int_equal(c.diag.errors, 0);
    assert_string_equal(f->path, path);
    /* the BOM is dropped, the text is NUL-terminated */
    assert_int_equal(f->len, 14);
    assert_string_equal(f->text, "fn main() = 1\n");
    Module *m = parse_module(&a, &c.diag, f, "main");
    assert_int_equal(m->nfns, 1);
    assert_int_equal(m->fns[0]->loc.col, 4);
    capture_end(&c);
    arena_free(&a);
}

/* a parse error goes through the same printer: one end-to-end check */
static void test_parse_error_text(void **state)
{
    (void)state;
    Arena a = { 0 };
    Capture c;
    capture_start(&c);
    SrcFile *f = src_from_string(&a, "p.pel", "fn main() {\n\tlet x = (1 +\n}\n");
    parse_module(&a, &c.diag, f, "main");
    assert_string_equal(capture_text(&c),
                        "p.pel:3:1: error: unexpected '}', expected expression\n"
                        "  3 | }\n"
                        "    | ^\n"
                        "p.pel:2:10: note: unclosed '(' opened here\n"
                        "  2 | \tlet x = (1 +\n"
                        "    | \t        ^\n");
    capture_end(&c);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_with_caret),
        cmocka_unit_test(test_tabs_are_kept_in_the_caret_line),
        cmocka_unit_test(test_note_and_utf8_columns),
        cmocka_unit_test(test_no_location),
        cmocka_unit_test(test_max_errors),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_load_ok),
        cmocka_unit_test(test_parse_error_text),
    };
    return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
