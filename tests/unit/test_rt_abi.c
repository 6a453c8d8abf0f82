/* test_rt_abi.c — the runtime ABI table (runtime/pel_rt_abi.def) against
 * pel_rt.h.
 *
 * Codegen declares every runtime function from the table; here each row is
 * expanded into the C type it describes and compared with the declaration
 * in pel_rt.h at compile time (__builtin_types_compatible_p), so a changed
 * signature on either side stops the build. At run time, the table's
 * functions must be the ones the runtime library defines (linked here). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pel_rt.h"

#define RT_VOID void
#define RT_BOOL bool
#define RT_I32 int32_t
#define RT_I64 int64_t
#define RT_F64 double
#define RT_P(t) t
#define RT_ATOMIC_I32 _Atomic int32_t
#define RT_NORETURN 1
#define RT_SITE 2
#define RT_ATTR_0
#define RT_ATTR_RT_NORETURN _Noreturn
#define RT_ATTR_RT_SITE

/* A redeclaration whose type differs from pel_rt.h's is a compile error
 * ("conflicting types"), const-ness of a pointee included; functions whose
 * declaration carries no _Noreturn are also compared as pointer types. */
#define PEL_RT_FN(name, ret, params, attrs)                                                            \
    RT_ATTR_##attrs extern ret pel_rt_##name params;                                                   \
    _Static_assert(attrs == RT_NORETURN || __builtin_types_compatible_p(__typeof__(&pel_rt_##name), ret(*) params),  \
                   "pel_rt_abi.def: pel_rt_" #name " does not match pel_rt.h");
#define PEL_RT_CB(Name, ret, params)                                                                  \
    _Static_assert(__builtin_types_compatible_p(Pel##Name, ret(*) params),                            \
                   "pel_rt_abi.def: Pel" #Name " does not match pel_rt.h");
#define PEL_RT_VAR(name, type) extern type pel_rt_##name;
#include "pel_rt_abi.def"
#undef PEL_RT_FN
#undef PEL_RT_CB
#undef PEL_RT_VAR

/* every row names a symbol the runtime library defines (a missing one
 * fails to link); a noreturn row is exactly a pel_rt_fail* function */
typedef struct Row {
    const char *name;
    const void *addr;
    int noreturn;
} Row;

static const Row rows[] = {
#define PEL_RT_FN(name, ret, params, attrs) {"pel_rt_" #name, (const void *)&pel_rt_##name, attrs},
#define PEL_RT_CB(Name, ret, params)
#define PEL_RT_VAR(name, type) {"pel_rt_" #name, (const void *)&pel_rt_##name, 0},
#include "pel_rt_abi.def"
};

static void test_rows_are_runtime_symbols(void **state) {
    (void)state;
    size_t n = sizeof rows / sizeof rows[0];
    assert_true(n >= 40);
    for (size_t i = 0; i < n; i++) {
        assert_non_null(rows[i].addr);
        int is_fail = strncmp(rows[i].name, "pel_rt_fail", 11) == 0;
        assert_int_equal(rows[i].noreturn == RT_NORETURN, is_fail);
        for (size_t j = 0; j < i; j++) assert_string_not_equal(rows[i].name, rows[j].name);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_are_runtime_symbols),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
