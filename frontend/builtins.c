/* builtins.c — the table of builtins (spec 6 and 7), made from builtins.def.
 * How each is typed is in check_builtins.c; how it runs, in codegen/. */
#include <string.h>

#include "check.h"

static const Builtin builtins[] = {
#define BUILTIN(KIND, name, arity, fn_arg, rule, after, flags) {name, B_##KIND, arity, fn_arg, rule, after, flags},
#include "builtins.def"
#undef BUILTIN
};
_Static_assert(sizeof builtins / sizeof builtins[0] == B_COUNT_, "one row per BuiltinKind");

const Builtin *builtin_lookup(const char *name) {
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        if (strcmp(builtins[i].name, name) == 0) return &builtins[i];
    return NULL;
}

const char *builtin_name(int i) { return i >= 0 && i < B_COUNT_ ? builtins[i].name : NULL; }
