/* fuzz_check.c — parser, module loading, checker and task graph (ir/) on
 * any text: pel_compile up to PEL_STOP_GRAPH (fuzz_compile.h). */
#include "fuzz_compile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_compile(data, size, 64u << 10, PEL_STOP_GRAPH, NULL);
}
