/* pel.h — calling PEL from C (spec 9; docs/interop.md).
 *
 * A PEL module's `export fn` functions are C functions of the same name;
 * `pelc --emit-header out.h module.pel` writes their prototypes, which
 * include this file. Link the module's object (`pelc -c module.pel`) with
 * the PEL libraries: `cc prog.c module.o $(pkg-config --cflags --libs pel)`.
 *
 * Types: PEL's i64 is int64_t, f64 double, bool bool, str a
 * NUL-terminated `const char *` (UTF-8 bytes, passed through), and an
 * array [T] of one of them the struct pel_array_T below.
 *  - A string or array argument is copied when the call starts: C keeps
 *    its own, and may free or change it after the call.
 *  - A string result is a malloc'd copy: free() it. An array result's
 *    data is malloc'd: pel_array_free(a.data); for [str],
 *    pel_str_array_free(a), which frees each string too.
 *
 * The runtime starts itself on the first call of an exported function,
 * from any thread (PEL_WORKERS, PEL_STATS, ... are read then); the
 * calling thread runs the function as the runtime's worker 0, the others
 * help. Calls from several C threads take turns. C's stdout is flushed
 * before a call and PEL's output after it. The workers stop, and what is
 * left of the output is written, at exit(). A runtime error inside a call
 * (an index out of bounds, a failed assert, ...) prints its located
 * message to stderr and exits the process with status 1, as a PEL program
 * would. */
#ifndef PEL_H
#define PEL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#define PEL_VERSION_MAJOR 0
#define PEL_VERSION_MINOR 1

#ifdef __cplusplus
extern "C" {
#endif

/* [i64], [f64], [bool], [str]: len elements at data */
typedef struct pel_array_i64 { const int64_t *data; int64_t len; } pel_array_i64;
typedef struct pel_array_f64 { const double *data; int64_t len; } pel_array_f64;
typedef struct pel_array_bool { const bool *data; int64_t len; } pel_array_bool;
typedef struct pel_array_str { const char *const *data; int64_t len; } pel_array_str;

/* Frees an array result's data (of [i64], [f64] or [bool]). */
static inline void pel_array_free(const void *data) { free((void *)data); }

/* Frees a [str] result: each string, then the array. */
static inline void pel_str_array_free(pel_array_str a) {
    for (int64_t i = 0; i < a.len; i++) free((void *)a.data[i]);
    free((void *)a.data);
}

#ifdef __cplusplus
}
#endif

/* PEL_ARRAY_OF(p, n): the array of the n elements at p (int64_t, double,
 * bool or const char * elements), to pass without building the struct by
 * hand; the elements are not copied until the call. C only (C11). */
#ifndef __cplusplus
#define PEL_ARRAY_OF(p, n)                                                                                           \
    _Generic((p),                                                                                                  \
        int64_t *: (pel_array_i64){(const int64_t *)(p), (n)},                                                     \
        const int64_t *: (pel_array_i64){(const int64_t *)(p), (n)},                                               \
        double *: (pel_array_f64){(const double *)(p), (n)},                                                       \
        const double *: (pel_array_f64){(const double *)(p), (n)},                                                 \
        bool *: (pel_array_bool){(const bool *)(p), (n)},                                                          \
        const bool *: (pel_array_bool){(const bool *)(p), (n)},                                                    \
        char **: (pel_array_str){(const char *const *)(p), (n)},                                                   \
        const char **: (pel_array_str){(const char *const *)(p), (n)},                                             \
        const char *const *: (pel_array_str){(const char *const *)(p), (n)})
#endif

#endif
