/* codegen.h — the task graph to native code, through the LLVM 19 C API.
 *
 * The only module that knows LLVM. The rest of the compiler sees these
 * functions; the LLVM types stay behind the opaque CgModule.
 */
#ifndef PEL_CODEGEN_H
#define PEL_CODEGEN_H

#include <stdbool.h>

#include "../frontend/diag.h"
#include "../ir/graph.h"

typedef enum CgOutput { CG_OBJECT, CG_ASM, CG_LLVM_IR } CgOutput;

/* What the REPL's entry prints after running its function (cg_repl.c). */
typedef enum CgShow {
    CG_SHOW_NOTHING,    /* a definition, or a () value under pel -e */
    CG_SHOW_VALUE,      /* the value as print shows it inside an array */
    CG_SHOW_VALUE_TYPE, /* "value : type" */
} CgShow;

typedef enum CgDebug {
    CG_DEBUG_NONE,
    CG_DEBUG_LINES, /* the .pel lines and function names only: what pel's JIT
                     * registers with gdb by default, for a readable crash */
    CG_DEBUG_FULL,  /* -g: also parameters and `let`s at -O0 */
} CgDebug;

typedef struct CgOptions {
    int opt_level;      /* 0..3 */
    bool emit_c_main;   /* define `int main(argc, argv)` that starts the runtime */
    /* pelc -c: only the root module's functions get bodies, its non-private
     * ones as global symbols; other modules' are declarations, which their
     * own objects define */
    bool separate;
    CgDebug debug; /* how much DWARF (cg_debug.c) */
    /* pel's REPL, instead of emit_c_main: `int main(argc, argv)` starts the
     * runtime on a function of no parameters (compiled although main does
     * not call it) and prints its result as repl_show says. */
    const FnDecl *repl_fn;
    CgShow repl_show;
} CgOptions;

typedef struct CgModule CgModule;

/* Lowers the whole program to an LLVM module and optimises it. Returns NULL
 * (after a diagnostic) if LLVM rejects it, which is a compiler bug. */
CgModule *cg_build(const IrProgram *ir, const CgOptions *opt, Diag *d);
/* Writes the module as an object file, assembly or LLVM IR text. */
bool cg_write(CgModule *m, CgOutput kind, const char *path, Diag *d);
void cg_free(CgModule *m);

/* Linking objects compiled alone (pelc -c, cg_link.c): writes to out an
 * object whose C main starts the runtime on the `main` of the one module
 * among objs that none of them imports, setting *written; writes nothing
 * when no object has a main (a C program's main may be elsewhere). False
 * after a diagnostic (an unreadable object, several candidate mains). */
bool cg_link_entry(const char *const *objs, int nobjs, const char *out, bool *written, Diag *d);

/* ---- running in this process (pel, through LLVM ORC's LLJIT: cg_jit.c) ----
 * The JIT'd code calls the runtime (pel_rt_*) and libc/libm; they are
 * resolved against the running process, so the host must export them (pel
 * is linked with -rdynamic and the whole runtime archive). */
typedef struct CgJit CgJit;
/* The C `main` of a module built with emit_c_main: it starts the runtime
 * (pel_rt_main) and returns the program's exit status. */
typedef int (*CgMainFn)(int argc, char **argv);

CgJit *cg_jit_new(Diag *d);
/* Compiles m to machine code (as cg_write would an object file) and adds it
 * to the JIT. m is left as it was: the caller still frees it. */
bool cg_jit_add(CgJit *j, CgModule *m, Diag *d);
/* Links what was added and returns its `main`, or NULL after a diagnostic. */
CgMainFn cg_jit_main(CgJit *j, Diag *d);
void cg_jit_free(CgJit *j);

#endif
