/* pel_tool.h — the parts of the `pel` tool (tools/pel*.c, tools/repl*.c).
 *
 * pel.c reads the command line and picks one of: run a file (pel_run.c),
 * evaluate one expression (-e) or the REPL (repl*.c).
 */
#ifndef PEL_TOOL_H
#define PEL_TOOL_H

#include <stdbool.h>

typedef struct PelOptions {
    int opt;          /* -O level for `pel prog.pel` (default 2) */
    int repl_opt;     /* -O level for REPL lines and -e (default in pel.c) */
    const char **incdirs; /* -I folders, in order: where imports are looked for */
    int nincdirs;
    bool debug;       /* -g: DWARF in the JIT'd code, registered with gdb */
    bool no_warnings; /* -w */
    bool werror;      /* -Werror */
} PelOptions;

/* pel prog.pel [args...]: argv[0] is the program's path. Returns the exit
 * status (runtime errors exit from inside the runtime). */
int pel_run_file(const PelOptions *o, const char *path, int argc, char **argv);

#endif
