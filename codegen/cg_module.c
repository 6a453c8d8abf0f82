/* cg_module.c — the LLVM module: types, runtime declarations, one or two
 * LLVM functions per PEL function, the C entry point, optimisation and
 * output. Expressions are in cg_expr.c, tasks in cg_task.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/Analysis.h>
#include <llvm-c/Target.h>
#include <llvm-c/Transforms/PassBuilder.h>

#include "cg_internal.h"

/* ---- small helpers used by every file ---------------------------------------- */

LLVMTypeRef cg_type(Cg *cg, const Type *t) {
    switch (t->kind) {
    case TY_I64: return cg->t_i64;
    case TY_F64: return cg->t_f64;
    case TY_BOOL: return cg->t_i1;
    case TY_STR: return cg->t_ptr;
    case TY_UNIT: return cg->t_unit;
    case TY_TUPLE: case TY_RECORD: { /* a record is laid out as the tuple of its fields */
        LLVMTypeRef items[64];
        LLVMTypeRef *it = t->n <= 64 ? items : malloc(sizeof(LLVMTypeRef) * (size_t)t->n);
        for (int i = 0; i < t->n; i++) it[i] = cg_type(cg, t->items[i]);
        LLVMTypeRef s = LLVMStructTypeInContext(cg->ctx, it, (unsigned)t->n, 0);
        if (it != items) free(it);
        return s;
    }
    case TY_FN: return cg_closure_type(cg);
    default: return cg->t_ptr; /* arrays, variants (boxes) */
    }
}

LLVMValueRef cg_unit(Cg *cg) { return LLVMConstNamedStruct(cg->t_unit, NULL, 0); }

LLVMValueRef cg_alloca(FnCtx *f, LLVMTypeRef t, const char *name) {
    /* allocas go to the entry block so that loops do not grow the stack */
    LLVMBuilderRef b = LLVMCreateBuilderInContext(f->cg->ctx);
    LLVMValueRef first = LLVMGetFirstInstruction(f->alloca_block);
    if (first) LLVMPositionBuilderBefore(b, first);
    else LLVMPositionBuilderAtEnd(b, f->alloca_block);
    LLVMValueRef v = LLVMBuildAlloca(b, t, name);
    LLVMDisposeBuilder(b);
    return v;
}

LLVMValueRef cg_helper_begin(Cg *cg, const char *name, LLVMTypeRef fty, FnCtx *h, LLVMBasicBlockRef *resume) {
    LLVMValueRef fn = LLVMAddFunction(cg->mod, name, fty);
    LLVMSetLinkage(fn, LLVMInternalLinkage);
    cg_set_fn_attrs(cg, fn);
    *resume = LLVMGetInsertBlock(cg->b);
    memset(h, 0, sizeof *h);
    h->cg = cg;
    h->llfn = fn;
    h->alloca_block = cg_new_block(h, "entry");
    LLVMBasicBlockRef body = cg_new_block(h, "body");
    LLVMPositionBuilderAtEnd(cg->b, h->alloca_block);
    LLVMBuildBr(cg->b, body);
    LLVMPositionBuilderAtEnd(cg->b, body);
    return fn;
}

void cg_helper_end(Cg *cg, LLVMBasicBlockRef resume) {
    if (resume) LLVMPositionBuilderAtEnd(cg->b, resume);
}

LLVMBasicBlockRef cg_new_block(FnCtx *f, const char *name) {
    return LLVMAppendBasicBlockInContext(f->cg->ctx, f->llfn, name);
}

bool cg_terminated(Cg *cg) {
    LLVMBasicBlockRef bb = LLVMGetInsertBlock(cg->b);
    return LLVMGetBasicBlockTerminator(bb) != NULL;
}

LLVMValueRef cg_call(Cg *cg, LLVMTypeRef fty, LLVMValueRef fn, LLVMValueRef *args, unsigned n,
                     const char *name) {
    return LLVMBuildCall2(cg->b, fty, fn, args, n, name);
}

static LLVMValueRef private_const(Cg *cg, LLVMValueRef init, const char *name) {
    LLVMValueRef g = LLVMAddGlobal(cg->mod, LLVMTypeOf(init), name);
    LLVMSetInitializer(g, init);
    LLVMSetGlobalConstant(g, 1);
    LLVMSetLinkage(g, LLVMPrivateLinkage);
    LLVMSetUnnamedAddress(g, LLVMGlobalUnnamedAddr);
    return g;
}

LLVMValueRef cg_cstring(Cg *cg, const char *s) {
    LLVMValueRef init = LLVMConstStringInContext(cg->ctx, s, (unsigned)strlen(s), 0);
    return private_const(cg, init, "cstr");
}

LLVMValueRef cg_loc_string(Cg *cg, Loc loc) {
    char buf[4096];
    snprintf(buf, sizeof buf, "%s:%d:%d", loc.file ? loc.file->path : "?", loc.line, loc.col);
    return cg_cstring(cg, buf);
}

/* A PelStr literal: { rc = PEL_RC_STATIC, len, bytes, NUL } */
LLVMValueRef cg_str_literal(Cg *cg, const char *bytes, size_t len) {
    LLVMValueRef fields[3] = {
        LLVMConstInt(cg->t_i64, (unsigned long long)PEL_RC_STATIC, 1),
        LLVMConstInt(cg->t_i64, len, 0),
        LLVMConstStringInContext(cg->ctx, bytes, (unsigned)len, 0),
    };
    LLVMValueRef init = LLVMConstStructInContext(cg->ctx, fields, 3, 0);
    LLVMValueRef g = private_const(cg, init, "str");
    LLVMSetAlignment(g, 8);
    return g;
}

/* ---- functions ------------------------------------------------------------------------ */

static char *fn_symbol(const FnDecl *f, const char *suffix) {
    static char buf[512];
    snprintf(buf, sizeof buf, "pel.%s.%s%s", f->module ? f->module->name : "main", f->name, suffix);
    return buf;
}

/* Frames are small, but a probe keeps any frame from jumping over the
 * runtime's guard page below each worker stack. */
void cg_set_fn_attrs(Cg *cg, LLVMValueRef fn) {
    LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
                            LLVMCreateStringAttribute(cg->ctx, "probe-stack", 11, "inline-asm", 10));
    LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
                            LLVMCreateEnumAttribute(cg->ctx, LLVMGetEnumAttributeKindForName("nounwind", 8), 0));
}

/* Whole program: every function internal to the one object. Alone (-c):
 * the root module's functions are defined here, global unless private
 * (`_name`, spec 8); another module's are declared, for its object. */
static bool defined_here(const Cg *cg, const FnDecl *f) { return !cg->opt->separate || f->module == cg->prog->root; }

static void set_linkage(const Cg *cg, LLVMValueRef fn, const FnDecl *f) {
    bool global = cg->opt->separate && (f->module != cg->prog->root || f->name[0] != '_');
    LLVMSetLinkage(fn, global ? LLVMExternalLinkage : LLVMInternalLinkage);
}

static void declare_fns(Cg *cg) {
    const Program *p = cg->prog;
    cg->fn_par = ARENA_ARRAY(&cg->arena, LLVMValueRef, p->nfns + 1);
    cg->fn_seq = ARENA_ARRAY(&cg->arena, LLVMValueRef, p->nfns + 1);
    cg->fn_type = ARENA_ARRAY(&cg->arena, LLVMTypeRef, p->nfns + 1);
    cg->fn_closure = ARENA_ARRAY(&cg->arena, LLVMValueRef, p->nfns + 1);
    for (int i = 0; i < p->nfns; i++) {
        if (!cg->ir->funcs[i]->reachable) continue;
        FnDecl *f = p->fns[i];
        LLVMTypeRef *params = ARENA_ARRAY(&cg->arena, LLVMTypeRef, f->nparams + 1);
        params[0] = cg->t_ptr;
        for (int k = 0; k < f->nparams; k++) params[k + 1] = cg_type(cg, f->params[k]->type);
        cg->fn_type[i] = LLVMFunctionType(cg_type(cg, f->ret), params, (unsigned)f->nparams + 1, 0);
        cg->fn_par[i] = LLVMAddFunction(cg->mod, fn_symbol(f, ""), cg->fn_type[i]);
        set_linkage(cg, cg->fn_par[i], f);
        cg_set_fn_attrs(cg, cg->fn_par[i]);
        if (cg->ir->funcs[i]->needs_clone) {
            cg->fn_seq[i] = LLVMAddFunction(cg->mod, fn_symbol(f, ".seq"), cg->fn_type[i]);
            set_linkage(cg, cg->fn_seq[i], f);
            cg_set_fn_attrs(cg, cg->fn_seq[i]);
        } else {
            cg->fn_seq[i] = cg->fn_par[i];
        }
    }
}

static void gen_fn(Cg *cg, int index, bool seq) {
    const IrFunc *irf = cg->ir->funcs[index];
    FnDecl *fn = irf->fn;
    FnCtx f = {.cg = cg, .fn = fn, .seq = seq};
    f.llfn = seq ? cg->fn_seq[index] : cg->fn_par[index];
    f.locals = ARENA_ARRAY(&cg->arena, LLVMValueRef, cg->prog->nlocals[index] + 1);
    f.alloca_block = cg_new_block(&f, "entry");
    LLVMPositionBuilderAtEnd(cg->b, f.alloca_block);
    f.w = LLVMGetParam(f.llfn, 0);
    LLVMSetValueName2(f.w, "w", 1);

    LLVMValueRef *params = ARENA_ARRAY(&cg->arena, LLVMValueRef, fn->nparams + 1);
    for (int k = 0; k < fn->nparams; k++) {
        params[k] = LLVMGetParam(f.llfn, (unsigned)k + 1);
        LLVMSetValueName2(params[k], fn->params[k]->name, strlen(fn->params[k]->name));
    }
    LLVMBasicBlockRef start = cg_new_block(&f, "start");
    LLVMBuildBr(cg->b, start);
    LLVMPositionBuilderAtEnd(cg->b, start);
    cg_entry_checks(&f, irf, params, fn->nparams);

    /* An owned parameter (ir/moves.c) arrives with a reference of its own:
     * it dies with the function unless a last use takes it. A loop keeps
     * its owned parameters in slots, which each tail call refills with
     * fresh values; a borrowed one stays the caller's throughout. */
    if (irf->self_tail) {
        f.param_slots = ARENA_ARRAY(&cg->arena, LLVMValueRef, fn->nparams + 1);
        for (int k = 0; k < fn->nparams; k++) {
            f.locals[fn->params[k]->local->id] = params[k];
            if (!irf->param_owned[k]) continue;
            f.param_slots[k] = cg_alloca(&f, LLVMTypeOf(params[k]), fn->params[k]->name);
            LLVMBuildStore(cg->b, params[k], f.param_slots[k]);
        }
        f.loop_head = cg_new_block(&f, "loop");
        LLVMBuildBr(cg->b, f.loop_head);
        LLVMPositionBuilderAtEnd(cg->b, f.loop_head);
        for (int k = 0; k < fn->nparams; k++) {
            if (!irf->param_owned[k]) continue;
            LLVMValueRef v = LLVMBuildLoad2(cg->b, LLVMTypeOf(params[k]), f.param_slots[k], fn->params[k]->name);
            f.locals[fn->params[k]->local->id] = v;
            cg_own(&f, v, fn->params[k]->type);
        }
    } else {
        for (int k = 0; k < fn->nparams; k++) {
            f.locals[fn->params[k]->local->id] = params[k];
            if (irf->param_owned[k]) cg_own(&f, params[k], fn->params[k]->type);
        }
    }
    if (cg->dib) {
        cg_debug_at(&f, fn->loc);
        for (int k = 0; k < fn->nparams; k++)
            cg_debug_var(&f, fn->params[k]->local, f.locals[fn->params[k]->local->id], k + 1);
    }
    LLVMValueRef v = cg_expr(&f, fn->body, true);
    cg_release_owned(&f, 0);
    if (v && !cg_terminated(cg)) {
        if (fn->ret->kind == TY_UNIT && LLVMTypeOf(v) != cg->t_unit) v = cg_unit(cg);
        LLVMBuildRet(cg->b, v);
    } else if (!cg_terminated(cg)) {
        LLVMBuildUnreachable(cg->b);
    }
}

/* pel.entry(w): runs main; int main(argc, argv) hands it to the runtime.
 * Compiled alone (-c), the entry is the global pel.entry.MODULE and the C
 * main is written when the objects are linked (cg_link.c). */
static void gen_entry(Cg *cg) {
    FnDecl *m = cg->prog->main;
    LLVMTypeRef ety = cg_rt_cb_type(cg, RT_CB_EntryFn);
    char name[512];
    snprintf(name, sizeof name, "pel.entry.%s", cg->prog->root->name);
    LLVMValueRef entry = LLVMAddFunction(cg->mod, cg->opt->separate ? name : "pel.entry", ety);
    LLVMSetLinkage(entry, cg->opt->separate ? LLVMExternalLinkage : LLVMInternalLinkage);
    LLVMPositionBuilderAtEnd(cg->b, LLVMAppendBasicBlockInContext(cg->ctx, entry, "entry"));
    LLVMValueRef w = LLVMGetParam(entry, 0);
    LLVMValueRef r = LLVMBuildCall2(cg->b, cg->fn_type[m->index], cg->fn_par[m->index], &w, 1, "");
    LLVMBuildRet(cg->b, m->ret->kind == TY_I64 ? r : LLVMConstInt(cg->t_i64, 0, 0));
    if (cg->opt->separate) return;

    LLVMTypeRef mty = LLVMFunctionType(cg->t_i32, (LLVMTypeRef[]){cg->t_i32, cg->t_ptr}, 2, 0);
    LLVMValueRef cmain = LLVMAddFunction(cg->mod, "main", mty);
    LLVMPositionBuilderAtEnd(cg->b, LLVMAppendBasicBlockInContext(cg->ctx, cmain, "entry"));
    LLVMValueRef args[3] = {LLVMGetParam(cmain, 0), LLVMGetParam(cmain, 1), entry};
    LLVMBuildRet(cg->b, cg_rt_call(cg, RT_main, args));
}

LLVMTargetMachineRef cg_target_machine(Diag *d, int opt) {
    static bool inited;
    if (!inited) {
        LLVMInitializeNativeTarget();
        LLVMInitializeNativeAsmPrinter();
        LLVMInitializeNativeAsmParser();
        inited = true;
    }
    char *triple = LLVMGetDefaultTargetTriple();
    LLVMTargetRef target;
    char *err = NULL;
    if (LLVMGetTargetFromTriple(triple, &target, &err)) {
        diag_plain(d, "no LLVM target for %s: %s", triple, err);
        LLVMDisposeMessage(err);
        LLVMDisposeMessage(triple);
        return NULL;
    }
    LLVMCodeGenOptLevel level = opt == 0 ? LLVMCodeGenLevelNone
                                : opt == 1 ? LLVMCodeGenLevelLess
                                : opt == 2 ? LLVMCodeGenLevelDefault
                                           : LLVMCodeGenLevelAggressive;
    LLVMTargetMachineRef tm = LLVMCreateTargetMachine(target, triple, "generic", "", level,
                                                      LLVMRelocPIC, LLVMCodeModelDefault);
    LLVMDisposeMessage(triple);
    return tm;
}

CgModule *cg_build(const IrProgram *ir, const CgOptions *opt, Diag *d) {
    CgModule *m = calloc(1, sizeof *m);
    Cg *cg = &m->cg;
    cg->ir = ir;
    cg->prog = ir->prog;
    cg->opt = opt;
    cg->d = d;
    cg->ctx = LLVMContextCreate();
    const char *src = ir->prog->root->file ? ir->prog->root->file->path : "pel";
    cg->mod = LLVMModuleCreateWithNameInContext(src, cg->ctx);
    LLVMSetSourceFileName(cg->mod, src, strlen(src));
    cg->b = LLVMCreateBuilderInContext(cg->ctx);
    cg->t_i64 = LLVMInt64TypeInContext(cg->ctx);
    cg->t_i128 = LLVMInt128TypeInContext(cg->ctx);
    cg->t_i32 = LLVMInt32TypeInContext(cg->ctx);
    cg->t_i8 = LLVMInt8TypeInContext(cg->ctx);
    cg->t_i1 = LLVMInt1TypeInContext(cg->ctx);
    cg->t_f64 = LLVMDoubleTypeInContext(cg->ctx);
    cg->t_ptr = LLVMPointerTypeInContext(cg->ctx, 0);
    cg->t_void = LLVMVoidTypeInContext(cg->ctx);
    cg->t_unit = LLVMStructCreateNamed(cg->ctx, "unit");
    LLVMStructSetBody(cg->t_unit, NULL, 0, 0);
    cg->t_task_fn = cg_rt_cb_type(cg, RT_CB_TaskFn);
    cg->t_task_hdr = LLVMStructTypeInContext(
        cg->ctx, (LLVMTypeRef[]){cg->t_ptr, cg->t_i32, cg->t_i32, cg->t_ptr}, 4, 0);

    m->tm = cg_target_machine(d, opt->opt_level);
    if (!m->tm) {
        cg_free(m);
        return NULL;
    }
    cg->td = LLVMCreateTargetDataLayout(m->tm);
    char *layout = LLVMCopyStringRepOfTargetData(cg->td);
    LLVMSetDataLayout(cg->mod, layout);
    LLVMDisposeMessage(layout);
    char *triple = LLVMGetTargetMachineTriple(m->tm);
    LLVMSetTarget(cg->mod, triple);
    LLVMDisposeMessage(triple);

    cg->di_fn = ARENA_ARRAY(&cg->arena, LLVMMetadataRef, cg->prog->nfns + 1);
    cg->di_fn_seq = ARENA_ARRAY(&cg->arena, LLVMMetadataRef, cg->prog->nfns + 1);
    cg_debug_begin(cg);
    declare_fns(cg);
    for (int i = 0; i < ir->n; i++) {
        if (!ir->funcs[i]->reachable || !defined_here(cg, cg->prog->fns[i])) continue;
        gen_fn(cg, i, false);
        if (ir->funcs[i]->needs_clone) gen_fn(cg, i, true);
    }
    if (opt->emit_c_main && cg->prog->main) gen_entry(cg);
    if (opt->separate) cg_module_markers(cg);
    cg_exports(cg);
    cg_debug_finish(cg);
    if (opt->repl_fn) cg_repl_entry(cg);

    char *err = NULL;
    if (LLVMVerifyModule(cg->mod, LLVMReturnStatusAction, &err)) {
        diag_plain(d, "internal compiler error: invalid LLVM IR:\n%s", err);
        LLVMDisposeMessage(err);
        if (getenv("PEL_DUMP_BAD_IR")) LLVMDumpModule(cg->mod);
        cg_free(m);
        return NULL;
    }
    LLVMDisposeMessage(err);

    char passes[32];
    snprintf(passes, sizeof passes, "default<O%d>", opt->opt_level);
    LLVMPassBuilderOptionsRef po = LLVMCreatePassBuilderOptions();
    LLVMErrorRef perr = LLVMRunPasses(cg->mod, passes, m->tm, po);
    LLVMDisposePassBuilderOptions(po);
    if (perr) {
        char *msg = LLVMGetErrorMessage(perr);
        diag_plain(d, "internal compiler error: LLVM passes failed: %s", msg);
        LLVMDisposeErrorMessage(msg);
        cg_free(m);
        return NULL;
    }
    return m;
}

bool cg_write(CgModule *m, CgOutput kind, const char *path, Diag *d) {
    char *err = NULL;
    if (kind == CG_LLVM_IR) {
        if (strcmp(path, "-") == 0) {
            char *s = LLVMPrintModuleToString(m->cg.mod);
            fputs(s, stdout);
            LLVMDisposeMessage(s);
            return true;
        }
        if (LLVMPrintModuleToFile(m->cg.mod, path, &err)) {
            diag_plain(d, "cannot write %s: %s", path, err);
            LLVMDisposeMessage(err);
            return false;
        }
        return true;
    }
    LLVMCodeGenFileType ft = kind == CG_ASM ? LLVMAssemblyFile : LLVMObjectFile;
    if (LLVMTargetMachineEmitToFile(m->tm, m->cg.mod, path, ft, &err)) {
        diag_plain(d, "cannot write %s: %s", path, err);
        LLVMDisposeMessage(err);
        return false;
    }
    return true;
}

void cg_free(CgModule *m) {
    if (!m) return;
    if (m->cg.td) LLVMDisposeTargetData(m->cg.td);
    if (m->cg.b) LLVMDisposeBuilder(m->cg.b);
    if (m->cg.mod) LLVMDisposeModule(m->cg.mod);
    if (m->cg.ctx) LLVMContextDispose(m->cg.ctx);
    if (m->tm) LLVMDisposeTargetMachine(m->tm);
    arena_free(&m->cg.arena);
    free(m);
}
