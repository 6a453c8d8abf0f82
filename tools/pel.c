/* pel — run and explore PEL programs through the JIT (spec 10).
 *
 *     pel                      the REPL (a script of REPL lines when stdin
 *                              is not a terminal)
 *     pel prog.pel [args...]   JIT-compile and run, as the AOT build would
 *     pel -e 'EXPR' [args...]  evaluate one input, print its value
 *
 * Options come before the program or -e; everything after the program's
 * path is the program's own (args()), so `#!/usr/bin/env pel` scripts get
 * their arguments untouched.
 */
#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "pel_tool.h"
#include "repl.h"

#ifndef PEL_VERSION
#define PEL_VERSION "0.1.0"
#endif

/* REPL inputs are compiled each time they are entered, yet -O2 costs a
 * line only a few milliseconds more than -O0 (docs/repl.md, "Latency"),
 * so they get the code an AOT build would. */
#define PEL_REPL_OPT 2

static const char usage[] =
    "usage: pel [options]                      the interactive REPL\n"
    "       pel [options] prog.pel [args...]   JIT-compile and run prog.pel\n"
    "       pel [options] -e 'EXPR' [args...]  print the value of EXPR\n"
    "\n"
    "  -O0 -O1 -O2 -O3  optimisation level (default -O2, also for REPL inputs)\n"
    "  -g               debug information: gdb shows .pel lines and variables\n"
    "  -w, -Werror      no warnings; warnings are errors\n"
    "  -I DIR           add DIR to the import search path\n"
    "  -L DIR, -l NAME  load libNAME.so (from DIR, then the system's folders) for extern fns\n"
    "  --help           print this help\n"
    "  --version        print the version\n"
    "\n"
    "When stdin is not a terminal, pel reads REPL lines from it and prints\n"
    "the results without prompts. In the REPL, :help lists the commands.\n"
    "Environment: PEL_WORKERS, PEL_STATS, PEL_SEQ_DEPTH as for compiled\n"
    "programs; PEL_HISTORY names the REPL's history file (~/.pel_history).\n";

static int fail_usage(const char *fmt, const char *arg) {
    Diag d;
    diag_init(&d, stderr, "pel");
    diag_plain(&d, fmt, arg);
    fprintf(stderr, "hint: see 'pel --help'\n");
    return 1;
}

/* -L DIR and -l NAME, in order as a linker takes them: libNAME.so is
 * loaded into this process (RTLD_GLOBAL), where the JIT resolves extern
 * fns, from the -L folders given so far, then the system's. */
static const char *lib_dirs[64];
static int nlib_dirs;

static bool lib_option(char kind, const char *arg) {
    if (kind == 'L') {
        if (nlib_dirs < 64) lib_dirs[nlib_dirs++] = arg;
        return true;
    }
    char path[4096];
    for (int i = 0; i < nlib_dirs; i++) {
        snprintf(path, sizeof path, "%s/lib%s.so", lib_dirs[i], arg);
        if (access(path, R_OK) == 0 && dlopen(path, RTLD_NOW | RTLD_GLOBAL)) return true;
    }
    snprintf(path, sizeof path, "lib%s.so", arg);
    if (dlopen(path, RTLD_NOW | RTLD_GLOBAL)) return true;
    Diag d;
    diag_init(&d, stderr, "pel");
    diag_plain(&d, "cannot load the library '%s' (-l%s): %s", path, arg, dlerror());
    fprintf(stderr, "hint: give its folder with -L DIR; pel loads shared libraries (.so)\n");
    return false;
}

int main(int argc, char **argv) {
    PelOptions o = {.opt = 2, .repl_opt = PEL_REPL_OPT};
    /* static: the folders live as long as the process (the REPL's session) */
    static const char **incdirs;
    incdirs = calloc((size_t)argc + 1, sizeof(char *));
    o.incdirs = incdirs;
    const char *expr = NULL;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (strcmp(a, "--version") == 0) {
            printf("pel %s (LLVM 19)\n", PEL_VERSION);
            return 0;
        } else if (a[0] == '-' && a[1] == 'O' && a[2] >= '0' && a[2] <= '3' && a[3] == 0) {
            o.opt = o.repl_opt = a[2] - '0';
        } else if (strcmp(a, "-g") == 0) {
            o.debug = true;
        } else if (strcmp(a, "-w") == 0) {
            o.no_warnings = true;
        } else if (strcmp(a, "-Werror") == 0) {
            o.werror = true;
        } else if (strcmp(a, "-I") == 0) {
            if (i + 1 >= argc) return fail_usage("'%s' needs a folder", a);
            o.incdirs[o.nincdirs++] = argv[++i];
        } else if (strncmp(a, "-I", 2) == 0) {
            o.incdirs[o.nincdirs++] = a + 2;
        } else if (strcmp(a, "-L") == 0 || strcmp(a, "-l") == 0) {
            if (i + 1 >= argc) return fail_usage("'%s' needs an argument", a);
            if (!lib_option(a[1], argv[++i])) return 1;
        } else if ((strncmp(a, "-L", 2) == 0 || strncmp(a, "-l", 2) == 0) && a[2]) {
            if (!lib_option(a[1], a + 2)) return 1;
        } else if (strcmp(a, "-e") == 0) {
            if (i + 1 >= argc) return fail_usage("'%s' needs an expression", a);
            expr = argv[++i];
            break; /* what follows is args() */
        } else if (strcmp(a, "--") == 0) {
            i++;
            break;
        } else if (a[0] == '-' && a[1] != 0) {
            return fail_usage("unknown option '%s'", a);
        } else {
            break;
        }
    }
    /* argv[i] stands in for the program's name: args() starts after it */
    if (expr) return repl_eval_one(&o, expr, argc - i, argv + i);
    if (i < argc) return pel_run_file(&o, argv[i], argc - i, argv + i);
    return repl_main(&o);
}
