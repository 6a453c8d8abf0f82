/* pipeline.h — the one compile pipeline: every tool (pelc, pel, the REPL)
 * runs its programs through pel_compile.
 *
 *     load -> parse -> imports -> check -> task graph -> verify -> [dump] -> codegen
 *
 * as one straight list in pipeline.c; a step that reports an error ends
 * the list. The tool's name travels in the Diag (diag_init), so every
 * message, codegen's included, names the tool the user ran.
 */
#ifndef PEL_PIPELINE_H
#define PEL_PIPELINE_H

#include <stdio.h>

#include "../codegen/codegen.h"
#include "modules.h"

/* How far the list runs. */
typedef enum PelStop {
    PEL_STOP_CHECK, /* a checked program (the REPL's :type, its first check) */
    PEL_STOP_GRAPH, /* and its verified task graph (--emit-graph, :graph) */
    PEL_STOP_CODE,  /* and the optimised LLVM module */
} PelStop;

typedef struct PelCompile {
    /* the input: a file to load and parse, or a module made already (the
     * REPL's session, parsed chunk by chunk) */
    const char *path;
    Module *root;
    ModulePath mpath; /* where imports are looked for after the importer's folder */
    /* pelc -c: the root module alone (CgOptions.separate), named by its
     * file as its importers name it */
    bool separate;
    PelStop stop;
    const FnDecl *keep; /* compiled even when main does not call it (REPL input), or NULL */
    CgOptions cg;
    /* after the task graph is verified, when set (--emit-graph, :graph) */
    void (*dump_graph)(const IrProgram *ir, void *ctx);
    void *dump_ctx;
} PelCompile;

/* What the steps made so far. pel_compile runs the steps not done yet, so
 * a second call with a later stop goes on where the first ended (the
 * REPL checks in its own process and generates code in a child). */
typedef struct PelCompiled {
    Program *prog;
    IrProgram *ir;
    CgModule *module; /* the caller frees it (cg_free) */
} PelCompiled;

/* stdlib_dir.c: the tool's prefix (the parent of its bin/ folder), and
 * the standard library's folder in it; NULL when there is none. */
const char *pel_prefix_dir(void);
const char *pel_stdlib_dir(void);

/* Returns false after reporting an error through d. Everything but the
 * module lives in the arena. */
bool pel_compile(Arena *a, const PelCompile *c, Diag *d, PelCompiled *out);

#endif
