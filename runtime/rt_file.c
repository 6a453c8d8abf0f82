/* rt_file.c — args(), read_file(path), write_file(path, s).
 *
 * Failures are runtime errors at the call's location naming the path and
 * the system's reason: `cannot read file "x.txt": No such file or
 * directory`. Plain read/write rather than stdio: files are read whole and
 * written whole, so stdio's buffer would only add a copy.
 */
#define _GNU_SOURCE
#include "rt_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int saved_argc;
static char **saved_argv;

void rt_args_set(int argc, char **argv) {
    saved_argc = argc;
    saved_argv = argv;
}

const char *rt_prog_name(void) {
    /* as C tools name themselves: the last part of argv[0] */
    const char *p = saved_argc > 0 && saved_argv && saved_argv[0] && *saved_argv[0] ? saved_argv[0] : "pel";
    const char *slash = strrchr(p, '/');
    return slash && slash[1] ? slash + 1 : p;
}

PelArr *pel_rt_args(void) {
    int64_t n = saved_argc > 1 && saved_argv ? saved_argc - 1 : 0;
    PelArr *a = pel_rt_arr_new(n, 8, pel_rt_drop_str_elems);
    PelStr **out = (PelStr **)a->data;
    for (int64_t i = 0; i < n; i++) {
        const char *s = saved_argv[i + 1];
        out[i] = pel_rt_str_new(s, (int64_t)strlen(s));
    }
    return a;
}

static _Noreturn void file_error(const char *where, const char *verb, const PelStr *path, int err) {
    char prefix[32], suffix[256];
    snprintf(prefix, sizeof prefix, "cannot %s file ", verb);
    snprintf(suffix, sizeof suffix, ": %s", strerror(err));
    rt_fail_quoted(where, prefix, path, suffix);
}

/* The path as the system sees it. PEL strings may hold NUL bytes, which a
 * C path cannot: such a path names no file. */
static const char *c_path(const PelStr *path) {
    if (memchr(path->data, '\0', (size_t)path->len)) return NULL;
    return path->data; /* NUL-terminated by construction */
}

/* Reads fd to its end into a new string, growing it as needed: a file's
 * size is only a hint (pipes, /proc, files being written). Returns NULL
 * with errno set on a read error. */
static PelStr *read_all(int fd) {
    struct stat st;
    size_t cap = fstat(fd, &st) == 0 && st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
    size_t len = 0;
    PelStr *s = NULL;
    for (;;) {
        if (!s || len == cap) {
            if (s) cap = cap > SIZE_MAX / 4 ? SIZE_MAX / 2 : cap * 2;
            PelStr *t = realloc(s, sizeof(PelStr) + cap + 1);
            if (!t) rt_oom();
            s = t;
        }
        ssize_t k = read(fd, s->data + len, cap - len);
        if (k > 0) len += (size_t)k;
        else if (k == 0) break;
        else if (errno != EINTR) {
            free(s);
            return NULL;
        }
    }
    s->rc = 1;
    s->len = (int64_t)len;
    s->data[len] = '\0';
    return s;
}

PelStr *pel_rt_read_file(const char *where, const PelStr *path) {
    const char *p = c_path(path);
    if (!p) file_error(where, "read", path, ENOENT);
    int fd = open(p, O_RDONLY | O_CLOEXEC);
    if (fd < 0) file_error(where, "read", path, errno);
    PelStr *s = read_all(fd);
    int err = errno;
    close(fd);
    if (!s) file_error(where, "read", path, err);
    return s;
}

void pel_rt_write_file(const char *where, const PelStr *path, const PelStr *s) {
    const char *p = c_path(path);
    if (!p) file_error(where, "write", path, ENOENT);
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) file_error(where, "write", path, errno);
    const char *d = s->data;
    size_t left = (size_t)s->len;
    while (left > 0) {
        ssize_t k = write(fd, d, left);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) {
            int err = k < 0 ? errno : EIO;
            close(fd);
            file_error(where, "write", path, err);
        }
        d += k;
        left -= (size_t)k;
    }
    /* close reports delayed write errors (NFS, quota): they are failures too. */
    if (close(fd) != 0) file_error(where, "write", path, errno);
}
