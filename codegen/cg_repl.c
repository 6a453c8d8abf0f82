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

static bool has_fn(const Type *t) {
    if (t->kind == TY_FN) return true;
    if (t->kind == TY_ARRAY) return has_fn(t->elem);
    if (t->kind == TY_TUPLE)
        for (int i = 0; i < t->n; i++)
            if (has_fn(t->items[i])) return true;
    return false;
}

/* cg_format, except that functions anywhere in the value show as <fn> */
static void show(FnCtx *f, LLVMValueRef buf, LLVMValueRef v, const Type *t) {
    Cg *cg = f->cg;
    if (!has_fn(t)) {
        cg_format(f, buf, v, t, true);
    } else if (t->kind == TY_FN) {
        lit(f, buf, "<fn>");
    } else if (t->kind == TY_TUPLE) {
        lit(f, buf, "(");
        for (int i = 0; i < t->n; i++) {
            if (i) lit(f, buf, ", ");
            show(f, buf, LLVMBuildExtractValue(cg->b, v, (unsigned)i, ""), t->items[i]);
        }
        lit(f, buf, ")");
    } else { /* an array of values holding functions */
        lit(f, buf, "[");
        CgLoop L;
        cg_loop_begin(f, LLVMConstInt(cg->t_i64, 0, 0), cg_len(f, v), &L);
        LLVMBasicBlockRef sep = cg_new_block(f, "show.sep"), item = cg_new_block(f, "show.item");
        LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntNE, L.i, LLVMConstInt(cg->t_i64, 0, 0), ""),
                        sep, item);
        LLVMPositionBuilderAtEnd(cg->b, sep);
        lit(f, buf, ", ");
        LLVMBuildBr(cg->b, item);
        LLVMPositionBuilderAtEnd(cg->b, item);
        LLVMValueRef x = LLVMBuildLoad2(cg->b, cg_type(cg, t->elem), cg_elem_ptr(f, v, L.i, t->elem), "");
        show(f, buf, x, t->elem);
        cg_loop_end(f, &L);
        lit(f, buf, "]");
    }
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
        LLVMValueRef buf = cg_rt_call(cg, RT_buf, &f.w);
        show(&f, buf, v, fn->ret);
        if (mode == CG_SHOW_VALUE_TYPE) {
            char ty[512];
            lit(&f, buf, " : ");
            lit(&f, buf, type_str(fn->ret, ty, sizeof ty));
        }
        LLVMValueRef args[3] = {buf, LLVMConstInt(cg->t_i32, 1, 0), LLVMConstInt(cg->t_i32, 1, 0)};
        cg_rt_call(cg, RT_buf_emit, args);
    }
    LLVMBuildRet(cg->b, LLVMConstInt(cg->t_i64, 0, 0));

    LLVMTypeRef mty = LLVMFunctionType(cg->t_i32, (LLVMTypeRef[]){cg->t_i32, cg->t_ptr}, 2, 0);
    LLVMValueRef cmain = LLVMAddFunction(cg->mod, "main", mty);
    LLVMPositionBuilderAtEnd(cg->b, LLVMAppendBasicBlockInContext(cg->ctx, cmain, "entry"));
    LLVMValueRef margs[3] = {LLVMGetParam(cmain, 0), LLVMGetParam(cmain, 1), entry};
    LLVMBuildRet(cg->b, cg_rt_call(cg, RT_main, margs));
}
