/* rt_buf.c — the per-worker scratch buffer that print, println, eprintln
 * and str() assemble a value's text in (codegen appends the parts). */
#include "rt_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* For callers without a worker (C code calling exported functions). */
static _Thread_local struct PelBuf thread_buf;

void rt_buf_thread_fini(void) {
    free(thread_buf.data);
    thread_buf = (struct PelBuf){0};
}

void rt_buf_reserve(struct PelBuf *b, size_t extra) {
    if (b->cap - b->len >= extra) return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len < extra) {
        if (cap > SIZE_MAX / 2) rt_oom();
        cap *= 2;
    }
    char *p = realloc(b->data, cap);
    if (!p) rt_oom_bytes(cap);
    b->data = p;
    b->cap = cap;
}

void rt_buf_append(struct PelBuf *b, const char *p, size_t n) {
    if (n == 0) return;
    rt_buf_reserve(b, n);
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

PelBuf *pel_rt_buf(PelWorker *w) {
    PelBuf *b = w ? &((RtWorker *)w)->buf : &thread_buf;
    b->len = 0;
    return b;
}

void pel_rt_buf_i64(PelBuf *b, int64_t v) {
    char tmp[24];
    char *p = tmp + sizeof tmp;
    /* Through uint64_t so that INT64_MIN negates without overflow. */
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) *--p = '-';
    rt_buf_append(b, p, (size_t)(tmp + sizeof tmp - p));
}

void pel_rt_buf_f64(PelBuf *b, double v) {
    char tmp[32];
    size_t n = rt_format_f64(tmp, v);
    rt_buf_append(b, tmp, n);
}

void pel_rt_buf_bool(PelBuf *b, int32_t v) {
    if (v) rt_buf_append(b, "true", 4);
    else rt_buf_append(b, "false", 5);
}

void pel_rt_buf_lit(PelBuf *b, const char *cstr) {
    rt_buf_append(b, cstr, strlen(cstr));
}

/* The escapes of the language's string literals, so a quoted string reads
 * back as the same string. */
static void append_quoted(PelBuf *b, const char *s, size_t n) {
    static const char hex[] = "0123456789abcdef";
    rt_buf_reserve(b, n + 2);
    rt_buf_append(b, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[4];
        size_t k = 2;
        esc[0] = '\\';
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\n': esc[1] = 'n'; break;
        case '\t': esc[1] = 't'; break;
        case '\r': esc[1] = 'r'; break;
        case '\0': esc[1] = '0'; break;
        default:
            if (c < 0x20 || c == 0x7f) {
                esc[1] = 'x';
                esc[2] = hex[c >> 4];
                esc[3] = hex[c & 15];
                k = 4;
            } else {
                esc[0] = (char)c; /* UTF-8 and printable ASCII pass through */
                k = 1;
            }
        }
        rt_buf_append(b, esc, k);
    }
    rt_buf_append(b, "\"", 1);
}

void pel_rt_buf_str(PelBuf *b, const PelStr *s, int32_t quoted) {
    if (quoted) append_quoted(b, s->data, (size_t)s->len);
    else rt_buf_append(b, s->data, (size_t)s->len);
}

void pel_rt_buf_emit(PelBuf *b, int32_t fd, int32_t newline) {
    if (fd == 2) rt_out_write_err(b->data, b->len, newline);
    else rt_out_write(b->data, b->len, newline);
}

PelStr *pel_rt_buf_take(PelBuf *b) {
    return pel_rt_str_new(b->data, (int64_t)b->len);
}
