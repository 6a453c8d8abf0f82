/* rt_str.c — immutable byte strings.
 *
 * New strings start with rc = 1, owned by the caller, and are freed by
 * pel_rt_release_str (rt_mem.c) when the count drops to zero. The bytes are
 * NUL-terminated so that extern C functions can take them as is.
 */
#include "rt_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

PelStr *rt_str_alloc(int64_t len) {
    if (len < 0 || (uint64_t)len > SIZE_MAX - sizeof(PelStr) - 1) rt_oom();
    PelStr *s = malloc(sizeof(PelStr) + (size_t)len + 1);
    rt_count_alloc();
    if (!s) rt_oom_bytes(sizeof(PelStr) + (size_t)len + 1);
    s->rc = 1;
    s->len = len;
    s->data[len] = '\0';
    return s;
}

PelStr *pel_rt_str_new(const char *bytes, int64_t len) {
    PelStr *s = rt_str_alloc(len);
    if (len > 0) memcpy(s->data, bytes, (size_t)len);
    return s;
}

PelStr *pel_rt_str_concat(const PelStr *a, const PelStr *b) {
    if (a->len > INT64_MAX - b->len) rt_oom();
    PelStr *s = rt_str_alloc(a->len + b->len);
    if (a->len > 0) memcpy(s->data, a->data, (size_t)a->len);
    if (b->len > 0) memcpy(s->data + a->len, b->data, (size_t)b->len);
    return s;
}

int32_t pel_rt_str_cmp(const PelStr *a, const PelStr *b) {
    size_t n = (size_t)(a->len < b->len ? a->len : b->len);
    int c = n ? memcmp(a->data, b->data, n) : 0;
    if (c) return c < 0 ? -1 : 1;
    return a->len < b->len ? -1 : a->len > b->len;
}

bool pel_rt_str_eq(const PelStr *a, const PelStr *b) {
    return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, (size_t)a->len) == 0);
}

PelStr *pel_rt_str_from_c(const char *s) { return s ? pel_rt_str_new(s, (int64_t)strlen(s)) : pel_rt_str_new("", 0); }

char *pel_rt_str_to_c(const PelStr *s) {
    char *c = malloc((size_t)s->len + 1);
    if (!c) rt_oom_bytes((size_t)s->len + 1);
    memcpy(c, s->data, (size_t)s->len + 1);
    return c;
}
