/* pel_run.c — `pel prog.pel [args...]`: the pelc phases, then the JIT.
 *
 * The same straight list as pelc (load, parse, check, task graph, verify,
 * codegen), with the same diagnostics; instead of writing an object and
 * linking it with cc, the module is JIT-compiled into this process and its
 * C `main` is called with the program's arguments. The runtime behaves as
 * in an AOT build: runtime errors print their message and _exit(1) from
 * inside pel_rt_main, so they never come back here.
 */
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "codegen.h"
#include "graph.h"
#include "parse.h"
#include "pel_tool.h"

int pel_run_file(const PelOptions *o, const char *path, int argc, char **argv) {
    Diag d;
    diag_init(&d, stderr);
    Arena arena = {0};
    CgModule *m = NULL;
    CgJit *jit = NULL;
    int status = 1;

    SrcFile *src = src_load(&arena, &d, "pel", path);
    if (!src) goto done;
    Module *mod = parse_module(&arena, &d, src, "main");
    if (d.errors) goto done;
    Program *prog = check_program(&arena, &d, mod);
    if (!prog) goto done;
    IrProgram *ir = ir_build(&arena, prog);
    if (!ir_verify(ir)) {
        diag_plain(&d, "pel", "internal compiler error: the task graph failed verification");
        goto done;
    }
    CgOptions copt = {.opt_level = o->opt, .emit_c_main = true};
    m = cg_build(ir, &copt, &d);
    if (!m) goto done;
    jit = cg_jit_new(&d);
    if (!jit || !cg_jit_add(jit, m, &d)) goto done;
    /* the LLVM module is in the JIT now; the compiler's memory can go
     * before the program runs */
    cg_free(m);
    m = NULL;
    CgMainFn entry = cg_jit_main(jit, &d);
    if (!entry) goto done;
    fflush(NULL);
    status = entry(argc, argv);
done:
    cg_free(m);
    cg_jit_free(jit);
    arena_free(&arena);
    return status;
}
