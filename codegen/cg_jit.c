/* cg_jit.c — running a compiled module in this process (the `pel` tool).
 *
 * Why an object file rather than handing the IR to LLJIT: the module is
 * turned into machine code by the same target machine that writes pelc's
 * objects (host triple, generic CPU, PIC, the module's -O level), so JIT'd
 * code is the very code an AOT build runs, and the module's LLVM context
 * needs no ThreadSafeContext. LLJIT then only links the object in memory.
 * Symbols the object does not define (pel_rt_*, pel_rt_sleepers, libc,
 * libm) are looked up in the process: pel exports them (-rdynamic, the
 * whole runtime archive linked in).
 *
 * LLJIT is created with its defaults: no compile threads, so a process that
 * made one can still fork safely (the REPL compiles in a child anyway).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/Error.h>
#include <llvm-c/LLJIT.h>
#include <llvm-c/LLJITUtils.h>
#include <llvm-c/Orc.h>

#include "cg_internal.h"

struct CgJit {
    LLVMOrcLLJITRef jit;
    LLVMOrcJITDylibRef jd;
    char session_error[1024]; /* the first error the session reported */
};

/* Reports an LLVM error (and consumes it); returns false for `if (!ok(...))`. */
static bool ok(LLVMErrorRef err, Diag *d, const char *what) {
    if (!err) return true;
    char *msg = LLVMGetErrorMessage(err);
    diag_plain(d, "internal error: %s: %s", what, msg);
    LLVMDisposeErrorMessage(msg);
    return false;
}

static void keep_session_error(void *ctx, LLVMErrorRef err) {
    CgJit *j = ctx;
    char *msg = LLVMGetErrorMessage(err);
    if (!j->session_error[0]) snprintf(j->session_error, sizeof j->session_error, "%s", msg);
    LLVMDisposeErrorMessage(msg);
}

CgJit *cg_jit_new(Diag *d) {
    /* LLJIT needs the native target registered; cg_build does the same. */
    LLVMInitializeNativeTarget();
    LLVMInitializeNativeAsmPrinter();
    CgJit *j = calloc(1, sizeof *j);
    if (!j) {
        diag_plain(d, "out of memory");
        return NULL;
    }
    if (!ok(LLVMOrcCreateLLJIT(&j->jit, NULL), d, "cannot create the JIT")) {
        free(j);
        return NULL;
    }
    if (!ok(LLVMOrcLLJITEnableDebugSupport(j->jit), d, "cannot register JIT code with debuggers")) {
        cg_jit_free(j);
        return NULL;
    }
    j->jd = LLVMOrcLLJITGetMainJITDylib(j->jit);
    /* the session's own errors (a symbol not found) are kept for
     * cg_jit_main's message instead of going to stderr raw */
    LLVMOrcExecutionSessionSetErrorReporter(LLVMOrcLLJITGetExecutionSession(j->jit), keep_session_error, j);
    LLVMOrcDefinitionGeneratorRef gen;
    if (!ok(LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(
                &gen, LLVMOrcLLJITGetGlobalPrefix(j->jit), NULL, NULL),
            d, "cannot search the process for runtime symbols")) {
        cg_jit_free(j);
        return NULL;
    }
    LLVMOrcJITDylibAddGenerator(j->jd, gen);
    return j;
}

bool cg_jit_add(CgJit *j, CgModule *m, Diag *d) {
    char *err = NULL;
    LLVMMemoryBufferRef obj;
    if (LLVMTargetMachineEmitToMemoryBuffer(m->tm, m->cg.mod, LLVMObjectFile, &err, &obj)) {
        diag_plain(d, "internal error: cannot generate machine code: %s", err);
        LLVMDisposeMessage(err);
        return false;
    }
    /* takes the buffer, also on failure */
    return ok(LLVMOrcLLJITAddObjectFile(j->jit, j->jd, obj), d, "cannot add the object to the JIT");
}

CgMainFn cg_jit_main(CgJit *j, Diag *d) {
    LLVMOrcExecutorAddress addr = 0;
    /* The lookup is what links: unresolved symbols are reported here. */
    LLVMErrorRef err = LLVMOrcLLJITLookup(j->jit, &addr, "main");
    if (err && strncmp(j->session_error, "Symbols not found: ", 19) == 0) {
        /* an extern fn whose C code is not in this process */
        LLVMConsumeError(err);
        diag_plain(d, "cannot run the program: undefined C functions %s", j->session_error + 19);
        fprintf(stderr, "hint: load their library with -l NAME (and -L DIR); pel loads shared libraries (.so)\n");
        return NULL;
    }
    if (!ok(err, d, "cannot link the program")) return NULL;
    if (!addr) {
        diag_plain(d, "internal error: the program has no entry point");
        return NULL;
    }
    /* An executor address in this very process is a code pointer; the
     * round trip through uintptr_t is how POSIX (dlsym) does it too. */
    return (CgMainFn)(uintptr_t)addr;
}

void cg_jit_free(CgJit *j) {
    if (!j) return;
    if (j->jit) {
        LLVMErrorRef err = LLVMOrcDisposeLLJIT(j->jit);
        if (err) LLVMConsumeError(err);
    }
    free(j);
}
