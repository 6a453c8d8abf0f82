/* source.c — loading source files.
 *
 * Files are read whole (with read(2) until EOF, so pipes and /dev/stdin work
 * too) and checked before the lexer sees them: valid UTF-8 (spec 2), and
 * no NUL byte except the terminating one, which the lexer relies on.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parse.h"

static const char utf8_bom[] = "\xEF\xBB\xBF";

static SrcFile *wrap(Arena *a, const char *path, char *text, size_t len)
{
    /* a BOM is not part of the program; dropping it keeps line 1's columns */
    if (len >= 3 && memcmp(text, utf8_bom, 3) == 0) {
        text += 3;
        len -= 3;
    }
    SrcFile *f = ARENA_NEW(a, SrcFile);
    f->path = arena_strndup(a, path, strlen(path));
    f->text = text;
    f->len = len;
    f->arena = a;
    return f;
}

const char *src_line(const SrcFile *cf, int line, size_t *len)
{
    SrcFile *f = (SrcFile *)cf; /* the index is a cache: the text is unchanged */
    if (!f->line_starts) {
        int n = 1;
        for (size_t i = 0; i < f->len; i++)
            n += f->text[i] == '\n';
        f->line_starts = ARENA_ARRAY(f->arena, size_t, (size_t)n + 1);
        n = 0;
        f->line_starts[n++] = 0;
        for (size_t i = 0; i < f->len; i++)
            if (f->text[i] == '\n')
                f->line_starts[n++] = i + 1;
        f->nlines = n;
    }
    if (line < 1 || line > f->nlines)
        return NULL;
    const char *p = f->text + f->line_starts[line - 1];
    const char *end = f->text + f->len;
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
    if (n > 0 && p[n - 1] == '\r')
        n--;
    *len = n;
    return p;
}

SrcFile *src_from_string(Arena *a, const char *path, const char *text)
{
    size_t len = strlen(text);
    return wrap(a, path, arena_strndup(a, text, len), len);
}

/* The length of the valid UTF-8 sequence at p (at most n bytes), or 0:
 * no overlong forms, no surrogates, nothing above U+10FFFF. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    if (p[0] < 0x80)
        return 1;
    size_t k = p[0] >= 0xC2 && p[0] <= 0xDF ? 2 : p[0] >= 0xE0 && p[0] <= 0xEF ? 3 : p[0] >= 0xF0 && p[0] <= 0xF4 ? 4 : 0;
    if (k == 0 || k > n)
        return 0;
    for (size_t i = 1; i < k; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    if ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] > 0x9F) || (p[0] == 0xF0 && p[1] < 0x90)
        || (p[0] == 0xF4 && p[1] > 0x8F))
        return 0;
    return k;
}

/* A source that is not UTF-8 text (spec 2: a NUL byte, an invalid
 * sequence) is reported at the first bad byte, with its line. */
static bool check_text(Diag *d, const SrcFile *f)
{
    const unsigned char *p = (const unsigned char *)f->text, *end = p + f->len, *line = p;
    int lineno = 1;
    while (p < end) {
        size_t k = *p ? utf8_len(p, (size_t)(end - p)) : 0;
        if (k == 0) {
            Loc at = {.file = f, .line = lineno, .col = (int)(p - line) + 1};
            if (*p == 0) {
                diag_error(d, at, "a NUL byte: this is not a text file (source files are UTF-8 text)");
            } else {
                diag_error(d, at, "invalid UTF-8 (byte 0x%02X): source files are UTF-8 text", *p);
                diag_hint(d, "in a string, write a byte as \\x%02X; or convert the file, e.g. iconv -f latin1 -t utf-8",
                          *p);
            }
            return false;
        }
        if (*p == '\n') {
            lineno++;
            line = p + 1;
        }
        p += k;
    }
    return true;
}

/* Reads at most limit + 1 bytes, so an oversized file is noticed without
 * reading all of it. Returns a malloc'd buffer or NULL with errno set. */
static char *read_fd(int fd, size_t limit, size_t *len)
{
    size_t cap = 64 * 1024, n = 0;
    char *buf = malloc(cap + 1);
    if (!buf)
        return NULL;
    for (;;) {
        if (n == cap) {
            if (cap > limit)
                break;
            cap *= 2;
            char *nb = realloc(buf, cap + 1);
            if (!nb) {
                free(buf);
                errno = ENOMEM;
                return NULL;
            }
            buf = nb;
        }
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            free(buf);
            errno = e;
            return NULL;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

SrcFile *src_load(Arena *a, Diag *d, const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        diag_plain(d, "%s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        diag_plain(d, "%s: is a directory, not a source file", path);
        return NULL;
    }
    size_t len = 0;
    char *buf = read_fd(fd, PEL_MAX_SOURCE, &len);
    int err = errno;
    close(fd);
    if (!buf) {
        diag_plain(d, "%s: %s", path, strerror(err));
        return NULL;
    }
    if (len > PEL_MAX_SOURCE) {
        free(buf);
        diag_plain(d, "%s: file too large (the limit is %u MiB)", path,
                   PEL_MAX_SOURCE >> 20);
        return NULL;
    }
    char *text = arena_alloc(a, len + 1);
    memcpy(text, buf, len + 1);
    free(buf);
    SrcFile *f = wrap(a, path, text, len);
    return check_text(d, f) ? f : NULL;
}
