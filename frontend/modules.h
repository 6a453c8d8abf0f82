/* modules.h — the modules of a program: a root file and, transitively,
 * every file it imports (spec 8).
 *
 * `import name` is looked for as name.pel in the importing file's folder,
 * then in each -I folder in order, then in the standard library's folder.
 * A file is loaded once however often it is imported (by its real path);
 * a cycle of imports, a module not found, and two files for one module
 * name are errors at the `import`. */
#ifndef PEL_MODULES_H
#define PEL_MODULES_H

#include "ast.h"
#include "diag.h"

typedef struct ModulePath {
    const char **dirs; /* -I folders, in command-line order */
    int ndirs;
    const char *stdlib; /* the standard library's folder, or NULL */
} ModulePath;

typedef struct ModuleSet {
    Module **mods; /* every module after the ones it imports; the root last */
    int n;
} ModuleSet;

/* Parses the modules the root imports, transitively, setting every
 * Import.module; the root's own imports are looked for first in root_dir
 * (its file's folder, or "." for the REPL). Returns false after reporting
 * errors through d. */
bool modules_load(Arena *a, Diag *d, Module *root, const char *root_dir, const ModulePath *mp, ModuleSet *out);

/* The folder of a file's path: "dir/x.pel" -> "dir", "x.pel" -> "." */
const char *modules_dir_of(Arena *a, const char *path);

#endif
