/* builtins.c — the table of builtin names (spec 6 and 7).
 * Which arguments each takes is checked in check.c; this table says only
 * what the name is, how many arguments it takes when that is fixed, and
 * whether it is an effect. grep ORDER BUILTIN */
#include <string.h>

#include "check.h"

static const Builtin builtins[] = {
    /* name       kind        arity effect supported */
    {"print", B_PRINT, 1, true, true},
    {"println", B_PRINTLN, 1, true, true},
    {"eprintln", B_EPRINTLN, 1, true, true},
    {"assert", B_ASSERT, 2, false, true},
    {"panic", B_PANIC, 1, false, true},
    {"f64", B_F64, 1, false, true},
    {"i64", B_I64, 1, false, true},
    {"str", B_STR, 1, false, true},
    {"sqrt", B_SQRT, 1, false, true},
    {"exp", B_EXP, 1, false, true},
    {"log", B_LOG, 1, false, true},
    {"sin", B_SIN, 1, false, true},
    {"cos", B_COS, 1, false, true},
    {"tan", B_TAN, 1, false, true},
    {"atan2", B_ATAN2, 2, false, true},
    {"pow", B_POW, 2, false, true},
    {"floor", B_FLOOR, 1, false, true},
    {"ceil", B_CEIL, 1, false, true},
    {"fabs", B_FABS, 1, false, true},
    {"abs", B_ABS, 1, false, true},
    {"min", B_MIN, 2, false, true},
    {"max", B_MAX, 2, false, true},
    {"len", B_LEN, 1, false, true},
    {"map", B_MAP, 2, false, true},
    {"filter", B_FILTER, 2, false, true},
    {"reduce", B_REDUCE, 3, false, true},
    {"scan", B_SCAN, 3, false, true},
    {"sum", B_SUM, 1, false, true},
    {"product", B_PRODUCT, 1, false, true},
    {"minimum", B_MINIMUM, 1, false, true},
    {"maximum", B_MAXIMUM, 1, false, true},
    {"sort", B_SORT, 1, false, true},
    {"zip", B_ZIP, 2, false, true},
    {"unzip", B_UNZIP, 1, false, true},
    {"fill", B_FILL, 2, false, true},
    {"concat", B_CONCAT, 2, false, true},
    {"slice", B_SLICE, 3, false, true},
    {"reverse", B_REVERSE, 1, false, true},
    {"flatten", B_FLATTEN, 1, false, true},
    {"foldl", B_FOLDL, 3, false, true},
    {"iterate", B_ITERATE, 3, false, true},
    {"split", B_SPLIT, 2, false, true},
    {"lines", B_LINES, 1, false, true},
    {"trim", B_TRIM, 1, false, true},
    {"parse_i64", B_PARSE_I64, 1, false, true},
    {"parse_f64", B_PARSE_F64, 1, false, true},
    {"args", B_ARGS, 0, false, true},
    {"read_file", B_READ_FILE, 1, true, true},
    {"write_file", B_WRITE_FILE, 2, true, true},
};
_Static_assert(sizeof builtins / sizeof builtins[0] == B_COUNT_, "one row per BuiltinKind");

const Builtin *builtin_lookup(const char *name) {
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        if (strcmp(builtins[i].name, name) == 0) return &builtins[i];
    return NULL;
}
