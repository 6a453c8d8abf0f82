/* fuzz_codegen.c — the whole pipeline through LLVM code generation at -O0
 * (pel_compile up to PEL_STOP_CODE, fuzz_compile.h): the module is built
 * and verified by LLVM, then freed; nothing is written or run. Slow per
 * input (LLVM), hence the smaller input cap.
 *
 * PEL_FUZZ_DEBUG=lines|full in the environment adds DWARF as pel (lines)
 * or pelc -g (full) would, so cg_debug.c is fuzzed too. */
#include "fuzz_compile.h"

static CgOptions options = { .opt_level = 0, .emit_c_main = true, .debug = CG_DEBUG_NONE };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *dbg = getenv("PEL_FUZZ_DEBUG");
    if (dbg && strcmp(dbg, "full") == 0)
        options.debug = CG_DEBUG_FULL;
    else if (dbg && strcmp(dbg, "lines") == 0)
        options.debug = CG_DEBUG_LINES;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_compile(data, size, 8u << 10, PEL_STOP_CODE, &options);
}
