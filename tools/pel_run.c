/* pel_run.c — `pel prog.pel [args...]`: the pelc phases, then the JIT.
 *
 * The same pipeline as pelc (driver/pipeline.c), with the same
 * diagnostics; instead of writing an object and
 * linking it with cc, the module is JIT-compiled into this process and its
 * C `main` is called with the program's arguments. The runtime behaves as
 * in an AOT build: runtime errors print their message and _exit(1) from
 * inside pel_rt_main, so they never come back here.
 */
#include <stdio.h>
#include <stdlib.h>

#include "pel_tool.h"
#include "pipeline.h"

int pel_run_file(const PelOptions *o, const char *path, int argc, char **argv) {
    Diag d;
    diag_init(&d, stderr, "pel");
    d.no_warnings = o->no_warnings;
    d.werror = o->werror;
    Arena arena = {0};
    PelCompiled res = {0};
    CgJit *jit = NULL;
    int status = 1;

    PelCompile c = {.path = path, .stop = PEL_STOP_CODE,
                    .mpath = {.dirs = o->incdirs, .ndirs = o->nincdirs, .stdlib = pel_stdlib_dir()},
                    .cg = {.opt_level = o->opt, .emit_c_main = true, .debug = o->debug ? CG_DEBUG_FULL : CG_DEBUG_LINES}};
    if (!pel_compile(&arena, &c, &d, &res)) goto done;
    jit = cg_jit_new(&d);
    if (!jit || !cg_jit_add(jit, res.module, &d)) goto done;
    /* the LLVM module is in the JIT now; the compiler's memory can go
     * before the program runs */
    cg_free(res.module);
    res.module = NULL;
    CgMainFn entry = cg_jit_main(jit, &d);
    if (!entry) goto done;
    fflush(NULL);
    status = entry(argc, argv);
done:
    cg_free(res.module);
    cg_jit_free(jit);
    arena_free(&arena);
    return status;
}
