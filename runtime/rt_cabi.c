/* rt_cabi.c — PEL arrays and C's { pointer, length } (export fn, spec 9;
 * pel.h documents the structs). An array C passes is copied into a new
 * PEL array when the call starts; an array PEL returns is copied into
 * malloc'd memory C frees (pel_array_free, and pel_str_array_free for
 * strings, whose elements are malloc'd too). */
#define _GNU_SOURCE /* sigjmp_buf in rt_internal.h */
#include "rt_internal.h"

#include <stdlib.h>
#include <string.h>

PelArr *pel_rt_arr_from_c(const void *data, int64_t len, int64_t elem_size) {
    if (len < 0) len = 0;
    PelArr *a = pel_rt_arr_new(len, elem_size, NULL);
    if (len > 0 && data) memcpy(a->data, data, (size_t)len * (size_t)elem_size);
    return a;
}

PelArr *pel_rt_str_arr_from_c(const char *const *data, int64_t len) {
    if (len < 0) len = 0;
    PelArr *a = pel_rt_arr_new(len, (int64_t)sizeof(PelStr *), pel_rt_drop_str_elems);
    PelStr **el = (PelStr **)a->data;
    for (int64_t i = 0; i < len; i++) el[i] = pel_rt_str_from_c(data ? data[i] : NULL);
    return a;
}

void *pel_rt_arr_to_c(const PelArr *a) {
    size_t bytes = (size_t)a->len * (size_t)a->elem_size;
    void *p = malloc(bytes ? bytes : 1); /* never NULL for an empty array */
    if (!p) rt_oom();
    if (bytes) memcpy(p, a->data, bytes);
    return p;
}

char **pel_rt_str_arr_to_c(const PelArr *a) {
    char **p = malloc(a->len ? (size_t)a->len * sizeof(char *) : 1);
    if (!p) rt_oom();
    PelStr *const *el = (PelStr *const *)a->data;
    for (int64_t i = 0; i < a->len; i++) p[i] = pel_rt_str_to_c(el[i]);
    return p;
}
