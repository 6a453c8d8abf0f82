/* cg_debug.c — DWARF for `pelc -g` and `pel`: the .pel file, lines and
 * columns, and the functions by the names written in the source. -g adds
 * the scalar parameters and lets at -O0 (CG_DEBUG_FULL); pel's JIT emits
 * the lines alone by default (CG_DEBUG_LINES), so a crash under gdb shows
 * .pel frames without a rebuild.
 *
 * Codegen sets the builder's location to each expression's line and
 * column as it lowers it (cg_debug_at), scoped to the PEL function the
 * code comes from. A PEL function becomes several LLVM functions (its
 * parallel and sequential clones, the bodies of its parallel loops and
 * tasks), so once the module is built, cg_debug_finish gives every
 * defined function its own DISubprogram, named after the PEL function it
 * came from, and moves each instruction's location into it (a call
 * without a location gets the function's line, as the verifier requires
 * inside a function with debug info). So `break fib.pel:3` stops in every
 * clone and worker, and a backtrace shows .pel lines down to main. */
#include <stdio.h>
#include <string.h>

#include <llvm-c/DebugInfo.h>

#include "cg_internal.h"

static LLVMMetadataRef file_of(Cg *cg, const SrcFile *src) {
    const char *path = src && src->path ? src->path : "pel";
    for (int i = 0; i < cg->di_nfiles; i++)
        if (cg->di_srcs[i] == src) return cg->di_files[i];
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    const char *dir = slash ? arena_strndup(&cg->arena, path, (size_t)(slash - path)) : ".";
    LLVMMetadataRef f = LLVMDIBuilderCreateFile(cg->dib, name, strlen(name), dir, strlen(dir));
    if (cg->di_nfiles < CG_MAX_DI_FILES) {
        cg->di_srcs[cg->di_nfiles] = src;
        cg->di_files[cg->di_nfiles++] = f;
    }
    return f;
}

static LLVMMetadataRef subprogram(Cg *cg, LLVMMetadataRef file, const char *name, const char *linkage, unsigned line) {
    LLVMMetadataRef ty = LLVMDIBuilderCreateSubroutineType(cg->dib, file, NULL, 0, LLVMDIFlagZero);
    return LLVMDIBuilderCreateFunction(cg->dib, file, name, strlen(name), linkage, strlen(linkage), file, line, ty, 1, 1,
                                       line, LLVMDIFlagZero, cg->opt->opt_level > 0);
}

void cg_debug_begin(Cg *cg) {
    if (!cg->opt->debug) return;
    cg->dib = LLVMCreateDIBuilder(cg->mod);
    const SrcFile *root = cg->prog->root->file;
    LLVMMetadataRef file = file_of(cg, root);
    const char *producer = "pelc (PEL)";
    LLVMDWARFEmissionKind kind =
        cg->opt->debug == CG_DEBUG_FULL ? LLVMDWARFEmissionFull : LLVMDWARFEmissionLineTablesOnly;
    cg->di_cu = LLVMDIBuilderCreateCompileUnit(cg->dib, LLVMDWARFSourceLanguageC, file, producer, strlen(producer),
                                               cg->opt->opt_level > 0, "", 0, 0, "", 0, kind, 0, 0, 0, "", 0, "", 0);
    LLVMAddModuleFlag(cg->mod, LLVMModuleFlagBehaviorWarning, "Debug Info Version", 18,
                      LLVMValueAsMetadata(LLVMConstInt(cg->t_i32, LLVMDebugMetadataVersion(), 0)));
    /* DWARF 4, not 5: the JIT hands gdb relocatable objects, and gdb 13
     * does not apply the relocations of DWARF 5's .debug_addr, so every
     * address lookup in a JIT'd function failed (no lines in `bt`) */
    LLVMAddModuleFlag(cg->mod, LLVMModuleFlagBehaviorWarning, "Dwarf Version", 13,
                      LLVMValueAsMetadata(LLVMConstInt(cg->t_i32, 4, 0)));
}

/* a PEL function as gdb names it: the module's own functions by their
 * names, an imported one as m.f */
static const char *source_name(Cg *cg, const FnDecl *fn, char *buf, size_t size) {
    if (fn->module && fn->module != cg->prog->root) snprintf(buf, size, "%s.%s", fn->module->name, fn->name);
    else snprintf(buf, size, "%s", fn->name);
    return buf;
}

/* the scope of a PEL function's code: its subprogram, made once; its
 * sequential clone (seq) has one of its own, of the same source name */
static LLVMMetadataRef fn_scope(Cg *cg, const FnDecl *fn, bool seq) {
    if (!fn || fn->index < 0 || fn->index >= cg->prog->nfns) return NULL;
    LLVMMetadataRef *slot = seq ? &cg->di_fn_seq[fn->index] : &cg->di_fn[fn->index];
    if (!*slot) {
        char linkage[512];
        snprintf(linkage, sizeof linkage, "pel.%s.%s%s", fn->module ? fn->module->name : "main", fn->name,
                 seq ? ".seq" : "");
        char name[512];
        *slot = subprogram(cg, file_of(cg, fn->loc.file), source_name(cg, fn, name, sizeof name), linkage,
                           (unsigned)fn->loc.line);
    }
    return *slot;
}

/* Is f the code of its PEL function's own LLVM function, or of its
 * sequential clone, rather than a loop body or task made inside them? */
static bool own_function(const FnCtx *f) {
    const Cg *cg = f->cg;
    if (!f->fn || f->fn->index < 0) return false;
    return f->llfn == (f->seq ? cg->fn_seq[f->fn->index] : cg->fn_par[f->fn->index]);
}

/* where f's code is: its PEL function's (or clone's) subprogram, or the
 * one cg_debug_sub gave a sub; else the PEL function's, which
 * cg_debug_finish moves into the function's own */
static LLVMMetadataRef scope_of(FnCtx *f) {
    if (own_function(f)) return fn_scope(f->cg, f->fn, f->seq);
    LLVMMetadataRef sp = LLVMGetSubprogram(f->llfn);
    return sp ? sp : fn_scope(f->cg, f->fn, false);
}

void cg_debug_sub(FnCtx *sub) {
    Cg *cg = sub->cg;
    if (!cg->dib || !sub->fn || sub->fn->index < 0) return;
    size_t len;
    const char *llname = LLVMGetValueName2(sub->llfn, &len);
    char name[512];
    LLVMSetSubprogram(sub->llfn, subprogram(cg, file_of(cg, sub->fn->loc.file),
                                            source_name(cg, sub->fn, name, sizeof name), llname,
                                            (unsigned)sub->fn->loc.line));
}

void cg_debug_at(FnCtx *f, Loc loc) {
    Cg *cg = f->cg;
    if (!cg->dib || loc.line <= 0) return;
    LLVMMetadataRef scope = scope_of(f);
    if (!scope) return;
    LLVMSetCurrentDebugLocation2(cg->b, LLVMDIBuilderCreateDebugLocation(cg->ctx, (unsigned)loc.line,
                                                                          (unsigned)(loc.col > 0 ? loc.col : 0), scope, NULL));
}

/* -g -O0: a parameter or `let` of a scalar type, a loop variable, or a
 * captured scalar loaded in a loop body or task, in a stack slot of the
 * function it is bound in, for gdb's `info locals`. */
void cg_debug_var(FnCtx *f, const Local *l, LLVMValueRef v, int argno) {
    Cg *cg = f->cg;
    if (!cg->dib || cg->opt->debug != CG_DEBUG_FULL || cg->opt->opt_level > 0 || !f->fn || f->fn->index < 0 || !l || !v)
        return;
    const Type *t = l->type;
    if (t->kind != TY_I64 && t->kind != TY_F64 && t->kind != TY_BOOL) return;
    LLVMMetadataRef scope = own_function(f) ? fn_scope(cg, f->fn, f->seq) : LLVMGetSubprogram(f->llfn);
    if (!scope) return;
    if (!f->dbg_slots) f->dbg_slots = ARENA_ARRAY(&cg->arena, LLVMValueRef, cg->prog->nlocals[f->fn->index] + 1);
    if (f->dbg_slots[l->id]) {
        /* bound again (a loop's parts, a match arm): the same variable */
        LLVMBuildStore(cg->b, v, f->dbg_slots[l->id]);
        return;
    }
    LLVMMetadataRef file = file_of(cg, l->loc.file ? l->loc.file : f->fn->loc.file);
    const char *tname = t->kind == TY_I64 ? "i64" : t->kind == TY_F64 ? "f64" : "bool";
    unsigned enc = t->kind == TY_I64 ? 0x05 /* DW_ATE_signed */ : t->kind == TY_F64 ? 0x04 /* float */ : 0x02 /* boolean */;
    LLVMMetadataRef ty = LLVMDIBuilderCreateBasicType(cg->dib, tname, strlen(tname), t->kind == TY_BOOL ? 8 : 64, enc,
                                                      LLVMDIFlagZero);
    unsigned line = (unsigned)(l->loc.line > 0 ? l->loc.line : f->fn->loc.line);
    LLVMMetadataRef var = argno > 0 ? LLVMDIBuilderCreateParameterVariable(cg->dib, scope, l->name, strlen(l->name),
                                                                           (unsigned)argno, file, line, ty, 1, LLVMDIFlagZero)
                                    : LLVMDIBuilderCreateAutoVariable(cg->dib, scope, l->name, strlen(l->name), file, line,
                                                                      ty, 1, LLVMDIFlagZero, 0);
    LLVMValueRef slot = cg_alloca(f, LLVMTypeOf(v), l->name);
    f->dbg_slots[l->id] = slot;
    /* The record goes with the slot, in the entry block: the variable is
     * the slot's for the whole function, whichever block binds it. A
     * parameter as it arrived is stored there too, before the first line
     * gdb's `break` skips to, as clang does; anything else where it is
     * bound. */
    LLVMValueRef term = LLVMGetBasicBlockTerminator(f->alloca_block);
    if (LLVMIsAArgument(v)) {
        LLVMBuilderRef b = LLVMCreateBuilderInContext(cg->ctx);
        if (term) LLVMPositionBuilderBefore(b, term);
        else LLVMPositionBuilderAtEnd(b, f->alloca_block);
        LLVMBuildStore(b, v, slot);
        LLVMDisposeBuilder(b);
    } else {
        LLVMBuildStore(cg->b, v, slot);
    }
    LLVMMetadataRef loc = LLVMDIBuilderCreateDebugLocation(cg->ctx, line, 0, scope, NULL);
    LLVMMetadataRef expr = LLVMDIBuilderCreateExpression(cg->dib, NULL, 0);
    if (term) LLVMDIBuilderInsertDeclareRecordBefore(cg->dib, slot, var, expr, loc, term);
    else LLVMDIBuilderInsertDeclareRecordAtEnd(cg->dib, slot, var, expr, loc, f->alloca_block);
}

/* The subprogram a function's first located instruction belongs to. */
static LLVMMetadataRef first_scope(LLVMValueRef fn, unsigned *line) {
    for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(fn); bb; bb = LLVMGetNextBasicBlock(bb))
        for (LLVMValueRef in = LLVMGetFirstInstruction(bb); in; in = LLVMGetNextInstruction(in)) {
            LLVMMetadataRef loc = LLVMInstructionGetDebugLoc(in);
            if (loc) {
                *line = LLVMDILocationGetLine(loc);
                return LLVMDILocationGetScope(loc);
            }
        }
    return NULL;
}

void cg_debug_finish(Cg *cg) {
    if (!cg->dib) return;
    LLVMMetadataRef root_file = file_of(cg, cg->prog->root->file);
    /* a PEL function's own LLVM function and its sequential clone take the
     * subprograms made for them, which their variables' records name (by
     * index: looking each up by name was quadratic in the functions) */
    for (int i = 0; i < cg->prog->nfns; i++) {
        const FnDecl *p = cg->prog->fns[i];
        if (cg->fn_par[i] && LLVMGetFirstBasicBlock(cg->fn_par[i]) && !LLVMGetSubprogram(cg->fn_par[i]))
            LLVMSetSubprogram(cg->fn_par[i], fn_scope(cg, p, false));
        if (cg->fn_seq[i] && LLVMGetFirstBasicBlock(cg->fn_seq[i]) && !LLVMGetSubprogram(cg->fn_seq[i]))
            LLVMSetSubprogram(cg->fn_seq[i], fn_scope(cg, p, true));
    }
    for (LLVMValueRef fn = LLVMGetFirstFunction(cg->mod); fn; fn = LLVMGetNextFunction(fn)) {
        if (!LLVMGetFirstBasicBlock(fn)) continue; /* a declaration */
        size_t len;
        const char *llname = LLVMGetValueName2(fn, &len);
        unsigned line = 0;
        LLVMMetadataRef from = first_scope(fn, &line);
        LLVMMetadataRef sp = LLVMGetSubprogram(fn);
        if (!sp) {
            /* code made without cg_debug_sub (a helper): named as the PEL
             * function its code came from */
            const FnDecl *pel = NULL;
            for (int i = 0; from && i < cg->prog->nfns && !pel; i++)
                if (cg->di_fn[i] == from || cg->di_fn_seq[i] == from) pel = cg->prog->fns[i];
            LLVMMetadataRef file = from ? LLVMDIScopeGetFile(from) : root_file;
            char name[512];
            sp = subprogram(cg, file, pel ? source_name(cg, pel, name, sizeof name) : llname, llname,
                            pel ? (unsigned)pel->loc.line : line);
            LLVMSetSubprogram(fn, sp);
        }
        unsigned fline = line;
        for (LLVMBasicBlockRef bb = LLVMGetFirstBasicBlock(fn); bb; bb = LLVMGetNextBasicBlock(bb))
            for (LLVMValueRef in = LLVMGetFirstInstruction(bb); in; in = LLVMGetNextInstruction(in)) {
                LLVMMetadataRef loc = LLVMInstructionGetDebugLoc(in);
                if (loc) {
                    if (LLVMDILocationGetScope(loc) != sp)
                        LLVMInstructionSetDebugLoc(in, LLVMDIBuilderCreateDebugLocation(
                                                           cg->ctx, LLVMDILocationGetLine(loc),
                                                           LLVMDILocationGetColumn(loc), sp, NULL));
                    fline = LLVMDILocationGetLine(loc);
                } else if (LLVMIsACallInst(in)) {
                    LLVMInstructionSetDebugLoc(in, LLVMDIBuilderCreateDebugLocation(cg->ctx, fline, 0, sp, NULL));
                }
            }
    }
    LLVMDIBuilderFinalize(cg->dib);
    LLVMDisposeDIBuilder(cg->dib);
    cg->dib = NULL;
}
