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

typedef struct CgOptions {
    int opt_level;      /* 0..3 */
    bool emit_c_main;   /* define `int main(argc, argv)` that starts the runtime */
} CgOptions;

typedef struct CgModule CgModule;

/* Lowers the whole program to an LLVM module and optimises it. Returns NULL
 * (after a diagnostic) if LLVM rejects it, which is a compiler bug. */
CgModule *cg_build(const IrProgram *ir, const CgOptions *opt, Diag *d);
/* Writes the module as an object file, assembly or LLVM IR text. */
bool cg_write(CgModule *m, CgOutput kind, const char *path, Diag *d);
void cg_free(CgModule *m);

#endif
