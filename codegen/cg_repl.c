/* cg_repl.c — the entry point of a REPL line (CgOptions.repl_fn).
 *
 * pel compiles each REPL input as a whole program whose extra function
 * holds the input's statements; this file emits
 *
 *     i64 pel.repl(PelWorker *w)  { v = fn(w); print "v : T\n"; return 0; }
 *     int main(int argc, char **argv) { return pel_rt_main(argc, argv, pel.repl); }
 *
 * The value is formatted as print formats it inside an array (strings
 * quoted) by cg_format, through the runtime's output buffer, so it comes
 * after everything the input printed itself and in the same stream.
 * Function values cannot be printed by the program; the REPL shows them as
 * <fn>.
 */
#include <string.h>

#include "cg_internal.h"

static void lit(FnCtx *f, LLVMValueRef buf, const char *s) {
    Cg *cg = f->cg;
    LLVMValueRef args[2] = {buf, cg_cstring(cg, s)};
    cg_rt_call(cg, RT_buf_lit, args);
}

void cg_repl_entry(Cg *cg) {
    const FnDecl *fn = cg->opt->repl_fn;
    CgShow mode = cg->opt->repl_show;
    LLVMTypeRef ety = cg_rt_cb_type(cg, RT_CB_EntryFn);
    LLVMValueRef entry = LLVMAddFunction(cg->mod, "pel.repl", ety);
    LLVMSetLinkage(entry, LLVMInternalLinkage);
    cg_set_fn_attrs(cg, entry);
    FnCtx f = {.cg = cg, .llfn = entry, .fn = (FnDecl *)fn};
    f.alloca_block = cg_new_block(&f, "entry");
    LLVMBasicBlockRef body = cg_new_block(&f, "body");
    LLVMPositionBuilderAtEnd(cg->b, f.alloca_block);
    LLVMBuildBr(cg->b, body);
    LLVMPositionBuilderAtEnd(cg->b, body);
    f.w = LLVMGetParam(entry, 0);
    LLVMValueRef v = LLVMBuildCall2(cg->b, cg->fn_type[fn->index], cg->fn_par[fn->index], &f.w, 1, "");
    if (mode != CG_SHOW_NOTHING) {
        LLVMValueRef buf = cg_rt_call_at(&f, RT_buf, &f.w);
        cg_format(&f, buf, v, fn->ret, true); /* functions anywhere show as <fn> */
        if (mode == CG_SHOW_VALUE_TYPE) {
            char ty[512];
            lit(&f, buf, " : ");
            lit(&f, buf, type_str(fn->ret, ty, sizeof ty));
        }
        LLVMValueRef args[3] = {buf, LLVMConstInt(cg->t_i32, 1, 0), LLVMConstInt(cg->t_i32, 1, 0)};
        cg_rt_call_at(&f, RT_buf_emit, args);
    }
    LLVMBuildRet(cg->b, LLVMConstInt(cg->t_i64, 0, 0));

    LLVMTypeRef mty = LLVMFunctionType(cg->t_i32, (LLVMTypeRef[]){cg->t_i32, cg->t_ptr}, 2, 0);
    LLVMValueRef cmain = LLVMAddFunction(cg->mod, "main", mty);
    LLVMPositionBuilderAtEnd(cg->b, LLVMAppendBasicBlockInContext(cg->ctx, cmain, "entry"));
    LLVMValueRef margs[3] = {LLVMGetParam(cmain, 0), LLVMGetParam(cmain, 1), entry};
    LLVMBuildRet(cg->b, cg_rt_call(cg, RT_main, margs));
}
