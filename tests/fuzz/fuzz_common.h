/* fuzz_common.h — what every libFuzzer harness of tests/fuzz shares.
 *
 * The input becomes a NUL-terminated copy the way src_load would accept it:
 * src_load rejects a file with a NUL byte ("not a text file"), and the
 * lexer relies on the text having none but the terminating one, so an input
 * with a NUL byte is rejected here too (returned -1: libFuzzer does not keep
 * it in the corpus). Diagnostics go to /dev/null, opened once; they are
 * still formatted (source line, caret), so diag.c is exercised.
 */
#ifndef PEL_FUZZ_COMMON_H
#define PEL_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline FILE *fuzz_devnull(void)
{
    static FILE *f;
    if (!f) {
        f = fopen("/dev/null", "w");
        if (!f)
            abort();
    }
    return f;
}

/* A malloc'ed NUL-terminated copy of the input, or NULL when the input is
 * longer than max or holds a NUL byte (src_load would reject it). */
static inline char *fuzz_text(const uint8_t *data, size_t size, size_t max)
{
    if (size > max || memchr(data, 0, size))
        return NULL;
    char *text = malloc(size + 1);
    if (!text)
        abort();
    memcpy(text, data, size);
    text[size] = 0;
    return text;
}

/* A bug the harness itself detects (an oracle): say what, then crash so
 * libFuzzer saves the input. */
#define FUZZ_BUG(...)                                                      \
    do {                                                                   \
        fprintf(stderr, "fuzz: BUG: " __VA_ARGS__);                        \
        fputc('\n', stderr);                                               \
        __builtin_trap();                                                  \
    } while (0)

#endif
