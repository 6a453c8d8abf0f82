/* rt_fail_data.c — runtime errors whose message carries numbers: slice and
 * zip (spec 6), shift counts (spec 5). */
#include <inttypes.h>
#include <stdio.h>

#include "pel_rt.h"

_Noreturn void pel_rt_fail_slice(const char *where, int64_t lo, int64_t hi, int64_t len) {
    char msg[160];
    snprintf(msg, sizeof msg, "slice [%" PRId64 ", %" PRId64 ") out of bounds for length %" PRId64, lo, hi, len);
    pel_rt_fail(where, msg);
}

_Noreturn void pel_rt_fail_zip(const char *where, int64_t n, int64_t m) {
    char msg[160];
    snprintf(msg, sizeof msg, "zip of arrays of different lengths (%" PRId64 " and %" PRId64 ")", n, m);
    pel_rt_fail(where, msg);
}

_Noreturn void pel_rt_fail_shift(const char *where, int64_t count) {
    char msg[96];
    snprintf(msg, sizeof msg, "shift count %" PRId64 " is outside 0..64", count);
    pel_rt_fail(where, msg);
}
