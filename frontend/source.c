/* source.c — loading source files.
 *
 * Files are read whole (with read(2) until EOF, so pipes and /dev/stdin work
 * too) and checked before the lexer sees them: the lexer relies on the text
 * having no NUL byte except the terminating one.
 */
#include <errno.h>
#include <fcntl.h>
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
    return f;
}

SrcFile *src_from_string(Arena *a, const char *path, const char *text)
{
    size_t len = strlen(text);
    return wrap(a, path, arena_strndup(a, text, len), len);
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
    if (memchr(buf, 0, len)) {
        free(buf);
        diag_plain(d, "%s: not a text file (it contains NUL bytes)", path);
        return NULL;
    }
    char *text = arena_alloc(a, len + 1);
    memcpy(text, buf, len + 1);
    free(buf);
    return wrap(a, path, text, len);
}
