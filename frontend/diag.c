/* diag.c — compile-time messages with the source line and a caret.
 *
 *     a.pel:12:9: error: message
 *       12 | let x = y
 *          |         ^
 *     hint: ...
 *
 * The caret line copies the tabs of the source line so the caret sits under
 * the column however wide the terminal's tabs are, and skips UTF-8
 * continuation bytes so it counts characters, not bytes.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_RED "\033[1;31m"
#define C_CYAN "\033[1;36m"
#define C_GREEN "\033[1;32m"
#define C_BLUE "\033[1;34m"
#define C_MAGENTA "\033[1;35m"

void diag_init(Diag *d, FILE *out, const char *tool)
{
    const char *no_color = getenv("NO_COLOR");
    d->out = out;
    d->tool = tool;
    d->errors = 0;
    d->warnings = 0;
    d->max_errors = 50;
    d->color = isatty(fileno(out)) && !(no_color && no_color[0]);
    d->muted = false;
    d->no_warnings = false;
    d->werror = false;
    d->recovering = false;
}

static const char *col(const Diag *d, const char *code)
{
    return d->color ? code : "";
}

/* A line longer than this many bytes is shown as a window around the
 * column, as clang does: one error on a 400 KB line printed all of it. */
enum { WINDOW = 120, WINDOW_BEFORE = 60 };

static bool continuation(unsigned char c) { return (c & 0xc0) == 0x80; }

static void show_source(Diag *d, Loc loc)
{
    if (!loc.file || loc.line < 1 || !loc.file->text)
        return;
    size_t len;
    const char *text = src_line(loc.file, loc.line, &len);
    if (!text)
        return;
    size_t upto = loc.col > 0 ? (size_t)(loc.col - 1) : 0; /* bytes before the caret */
    size_t lo = 0, hi = len;
    if (len > WINDOW) {
        lo = upto > WINDOW_BEFORE ? upto - WINDOW_BEFORE : 0;
        while (lo > 0 && lo < len && continuation((unsigned char)text[lo]))
            lo--;
        hi = lo + WINDOW < len ? lo + WINDOW : len;
        while (hi < len && continuation((unsigned char)text[hi]))
            hi++;
    }
    const char *pre = lo > 0 ? "..." : "", *post = hi < len ? "..." : "";
    char num[16];
    int w = snprintf(num, sizeof num, "%d", loc.line);
    /* control characters and bytes that are not UTF-8 (a binary file, a
     * Latin-1 string) are shown as '?', one per byte, so that the caret
     * still counts */
    char shown[4 * WINDOW + 16];
    size_t m = 0;
    for (size_t i = lo; i < hi && m < sizeof shown; i++) {
        unsigned char c = (unsigned char)text[i];
        shown[m++] = (c < 0x20 && c != '\t') || c == 0x7f || c >= 0xf8 ? '?' : (char)c;
    }
    fprintf(d->out, "%s  %s |%s %s%.*s%s\n", col(d, C_BLUE), num, col(d, C_RESET), pre, (int)m, shown, post);
    /* The caret line is built whole and written once: stderr is
     * unbuffered, and a byte at a time cost a write per column. It copies
     * the line's tabs and skips UTF-8 continuation bytes, so the caret
     * sits under the column however the terminal shows them. */
    char pad[WINDOW + 16];
    size_t n = strlen(pre);
    memset(pad, ' ', n);
    size_t stop = upto < hi ? upto : hi;
    for (size_t i = lo; i < stop && n < sizeof pad - 1; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\t')
            pad[n++] = '\t';
        else if (!continuation(c))
            pad[n++] = ' ';
    }
    /* a column past the end of the line (an error at end of input) */
    for (size_t i = stop; i < upto && i < lo + WINDOW && n < sizeof pad - 1; i++)
        pad[n++] = ' ';
    fprintf(d->out, "%s  %*s |%s %.*s%s^%s\n", col(d, C_BLUE), w, "", col(d, C_RESET), (int)n, pad, col(d, C_RED),
            col(d, C_RESET));
}

static void header(Diag *d, Loc loc, const char *kind, const char *color)
{
    if (loc.file)
        fprintf(d->out, "%s%s:%d:%d:%s ", col(d, C_BOLD), loc.file->path, loc.line, loc.col,
                col(d, C_RESET));
    fprintf(d->out, "%s%s:%s ", col(d, color), kind, col(d, C_RESET));
}

/* a located message after its header, and its source line */
static void located(Diag *d, Loc loc, const char *kind, const char *color, const char *fmt, va_list ap)
{
    header(d, loc, kind, color);
    vfprintf(d->out, fmt, ap);
    fputc('\n', d->out);
    show_source(d, loc);
    fflush(d->out);
}

static void verror(Diag *d, Loc loc, const char *fmt, va_list ap)
{
    d->errors++;
    d->muted = d->max_errors > 0 && d->errors > d->max_errors;
    if (d->muted) {
        if (d->errors == d->max_errors + 1) {
            fprintf(d->out, "%serror:%s too many errors, stopping\n", col(d, C_RED), col(d, C_RESET));
            fflush(d->out);
        }
        return;
    }
    located(d, loc, "error", C_RED, fmt, ap);
}

void diag_error(Diag *d, Loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror(d, loc, fmt, ap);
    va_end(ap);
}

void diag_unknown(Diag *d, Loc loc, const char *fmt, ...)
{
    if (d->recovering) {
        d->errors++;
        d->muted = true;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    verror(d, loc, fmt, ap);
    va_end(ap);
}

void diag_warning(Diag *d, Loc loc, const char *fmt, ...)
{
    if (d->no_warnings) {
        d->muted = true; /* and its hint with it */
        return;
    }
    if (d->werror)
        d->errors++;
    else
        d->warnings++;
    d->muted = false;
    va_list ap;
    va_start(ap, fmt);
    located(d, loc, d->werror ? "error" : "warning", d->werror ? C_RED : C_MAGENTA, fmt, ap);
    va_end(ap);
}

void diag_note(Diag *d, Loc loc, const char *fmt, ...)
{
    if (d->muted)
        return;
    va_list ap;
    va_start(ap, fmt);
    located(d, loc, "note", C_CYAN, fmt, ap);
    va_end(ap);
}

void diag_hint(Diag *d, const char *fmt, ...)
{
    if (d->muted)
        return;
    fprintf(d->out, "%shint:%s ", col(d, C_GREEN), col(d, C_RESET));
    va_list ap;
    va_start(ap, fmt);
    vfprintf(d->out, fmt, ap);
    va_end(ap);
    fputc('\n', d->out);
    fflush(d->out);
}

void diag_plain(Diag *d, const char *fmt, ...)
{
    d->errors++;
    fprintf(d->out, "%s: %serror:%s ", d->tool, col(d, C_RED), col(d, C_RESET));
    va_list ap;
    va_start(ap, fmt);
    vfprintf(d->out, fmt, ap);
    va_end(ap);
    fputc('\n', d->out);
    fflush(d->out);
}

/* Levenshtein distance, one row at a time; names longer than 64 bytes are
 * never typos of each other worth reporting. */
/* Levenshtein distance with adjacent transpositions (optimal string
 * alignment): `maen` is one edit from `mean`, as a typist sees it. */
static int edit_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > 64 || m > 64)
        return 1000;
    int d[65][65];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            int best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[n][m];
}

const char *diag_closest(const char *name, const char *const *cands, int n)
{
    /* as rustc: at most a third of the name's length, and at least one */
    int len = (int)strlen(name);
    int limit = len / 3;
    if (limit < 1)
        limit = 1;
    if (len <= 2)
        limit = len - 1; /* `z` is as near to `x` as to `y`: no guess */
    const char *best = NULL;
    int best_d = limit + 1;
    for (int i = 0; i < n; i++) {
        if (!cands[i] || strcmp(cands[i], name) == 0)
            continue;
        int d = edit_distance(name, cands[i]);
        if (d < best_d) {
            best_d = d;
            best = cands[i];
        }
    }
    return best;
}
