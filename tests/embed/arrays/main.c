/* Arrays across the boundary: PEL_ARRAY_OF in, pel_array_T out, each
 * freed as pel.h says (valgrind finds no leak). */
#include <stdio.h>
#include "kernel.h"
int main(void) {
    int64_t xs[] = {1, 2, 3, 4, 5};
    printf("total %lld\n", (long long)total(PEL_ARRAY_OF(xs, 5)));
    double ds[] = {1.5, 2.5};
    pel_array_f64 s = scaled(PEL_ARRAY_OF(ds, 2), 2.0);
    printf("scaled %lld: %.1f %.1f\n", (long long)s.len, s.data[0], s.data[1]);
    pel_array_free(s.data);
    pel_array_bool e = evens(5);
    printf("evens:"); for (int64_t i = 0; i < e.len; i++) printf(" %d", e.data[i]); printf("\n");
    printf("count_true %lld\n", (long long)count_true(e));
    pel_array_free(e.data);
    const char *ws[] = {"a", "bcd", "ef"};
    pel_array_str sh = shout_all(PEL_ARRAY_OF(ws, 3));
    printf("shout:"); for (int64_t i = 0; i < sh.len; i++) printf(" %s", sh.data[i]); printf("\n");
    pel_str_array_free(sh);
    char *l = longest(PEL_ARRAY_OF(ws, 3));
    printf("longest %s\n", l);
    free(l);
    pel_array_i64 empty = {NULL, 0};
    printf("total of none %lld\n", (long long)total(empty));
    return 0;
}
