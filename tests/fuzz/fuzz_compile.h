/* fuzz_compile.h — fuzz_check and fuzz_codegen: an input parsed, then run
 * through the pipeline of every tool (driver/pipeline.c) from the parsed
 * module, as the REPL does (PelCompile.root).
 *
 * Imports are looked for in the current folder only (no -I folders, no
 * standard library): run the harness from an empty folder (run_fuzz.sh
 * does) and every import is a "module not found" error.
 *
 * A text with syntax errors is still checked (Diag.recovering), as pelc
 * checks what parsed, and must fail.
 *
 * The pipeline runs one step at a time, so the step that failed is known:
 * a user's error may end it in the parser or the checker, but once a
 * program has been checked, a task graph that fails verification or an
 * LLVM module that LLVM rejects is a compiler bug (the message is
 * "internal compiler error"), and the harness crashes on it with the
 * message on stderr.
 */
#ifndef PEL_FUZZ_COMPILE_H
#define PEL_FUZZ_COMPILE_H

#include "fuzz_common.h"

#include "parse.h"
#include "pipeline.h"

static void fuzz_dump_graph(const IrProgram *ir, void *ctx)
{
    (void)ctx;
    ir_dump_dot(fuzz_devnull(), ir); /* dot.c walks the whole graph */
}

static int fuzz_compile(const uint8_t *data, size_t size, size_t max, PelStop stop, const CgOptions *cg)
{
    char *text = fuzz_text(data, size, max);
    if (!text)
        return -1;
    Arena a = { 0 };
    Diag d;
    diag_init(&d, fuzz_devnull(), "pelc");
    SrcFile *f = src_from_string(&a, "fuzz.pel", text);
    Module *m = parse_module(&a, &d, f, "main");
    if (m && d.errors > 0) {
        /* after syntax errors the rest is checked, as pelc does */
        d.recovering = true;
        PelCompile c = { .root = m, .stop = PEL_STOP_CHECK, .mpath = { 0 } };
        PelCompiled res = { 0 };
        if (pel_compile(&a, &c, &d, &res))
            FUZZ_BUG("a program with syntax errors was compiled");
    } else if (m) {
        PelCompile c = { .root = m, .stop = PEL_STOP_CHECK, .mpath = { 0 } };
        if (cg)
            c.cg = *cg;
        PelCompiled res = { 0 };
        if (pel_compile(&a, &c, &d, &res)) {
            /* checked: from here on every failure is the compiler's */
            d.out = stderr;
            d.max_errors = 0;
            c.stop = PEL_STOP_GRAPH;
            c.dump_graph = fuzz_dump_graph;
            if (!pel_compile(&a, &c, &d, &res))
                FUZZ_BUG("a checked program has no valid task graph");
            if (stop == PEL_STOP_CODE) {
                c.stop = PEL_STOP_CODE;
                if (!pel_compile(&a, &c, &d, &res))
                    FUZZ_BUG("codegen failed on a checked program");
                cg_free(res.module);
            }
        }
    }
    arena_free(&a);
    free(text);
    return 0;
}

#endif
