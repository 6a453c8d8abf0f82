/* cg_link.c — separate compilation (spec 8): what an object says about its
 * module, and the program's entry point chosen when objects are linked.
 *
 * `pelc -c m.pel` writes the functions of m alone. So that the link step
 * can find the program's `main` among the objects and a missing module
 * fails the link by name, each such object also holds:
 *  - `pel.module.M`, a global byte: the module M is here;
 *  - `pel.import.M.U`, a local symbol per module U it imports (kept by
 *    llvm.used), which the link step reads; it holds the address of
 *    `pel.module.U`, so linking without U's object fails with "undefined
 *    reference to `pel.module.U'";
 *  - when M defines `main`: `pel.entry.M`, the PelEntryFn that runs it.
 * An imported module's `main` is an ordinary function (spec 8), so the
 * program's entry is the `main` of the one module no linked object imports;
 * pelc then writes a small object whose C `main` starts the runtime on it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <llvm-c/Object.h>

#include "cg_internal.h"

static LLVMValueRef byte_global(Cg *cg, const char *name, LLVMLinkage linkage) {
    LLVMValueRef g = LLVMAddGlobal(cg->mod, cg->t_i8, name);
    LLVMSetInitializer(g, LLVMConstInt(cg->t_i8, 0, 0));
    LLVMSetGlobalConstant(g, 1);
    LLVMSetLinkage(g, linkage);
    return g;
}

void cg_module_markers(Cg *cg) {
    const Module *m = cg->prog->root;
    char name[512];
    snprintf(name, sizeof name, "pel.module.%s", m->name);
    byte_global(cg, name, LLVMExternalLinkage);
    LLVMValueRef *used = ARENA_ARRAY(&cg->arena, LLVMValueRef, m->nimports + 1);
    int n = 0;
    for (int i = 0; i < m->nimports; i++) {
        const Import *im = m->imports[i];
        snprintf(name, sizeof name, "pel.module.%s", im->name);
        LLVMValueRef ext = LLVMGetNamedGlobal(cg->mod, name);
        if (!ext) {
            ext = LLVMAddGlobal(cg->mod, cg->t_i8, name);
            LLVMSetLinkage(ext, LLVMExternalLinkage);
        }
        /* the import's marker points at the module's: a relocation the
         * linker must resolve */
        snprintf(name, sizeof name, "pel.import.%s.%s", m->name, im->name);
        if (LLVMGetNamedGlobal(cg->mod, name)) continue;
        LLVMValueRef g = LLVMAddGlobal(cg->mod, cg->t_ptr, name);
        LLVMSetInitializer(g, ext);
        LLVMSetGlobalConstant(g, 1);
        LLVMSetLinkage(g, LLVMInternalLinkage);
        used[n++] = g;
    }
    if (n == 0) return;
    LLVMTypeRef at = LLVMArrayType2(cg->t_ptr, (uint64_t)n);
    LLVMValueRef arr = LLVMAddGlobal(cg->mod, at, "llvm.used");
    LLVMSetInitializer(arr, LLVMConstArray2(cg->t_ptr, used, (uint64_t)n));
    LLVMSetLinkage(arr, LLVMAppendingLinkage);
    LLVMSetSection(arr, "llvm.metadata");
}

/* ---- the link step --------------------------------------------------------------- */

typedef struct Names {
    char **items;
    int n, cap;
} Names;

static void names_add(Names *s, const char *name) {
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->items[i], name) == 0) return;
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 16;
        s->items = realloc(s->items, sizeof(char *) * (size_t)s->cap);
    }
    s->items[s->n++] = strdup(name);
}

static bool names_has(const Names *s, const char *name) {
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->items[i], name) == 0) return true;
    return false;
}

static void names_free(Names *s) {
    for (int i = 0; i < s->n; i++) free(s->items[i]);
    free(s->items);
}

/* The entries (modules with main) and imported modules an object names. */
static bool read_object(const char *path, Names *entries, Names *imported, Diag *d) {
    LLVMMemoryBufferRef buf;
    char *err = NULL;
    if (LLVMCreateMemoryBufferWithContentsOfFile(path, &buf, &err)) {
        diag_plain(d, "cannot read %s: %s", path, err);
        LLVMDisposeMessage(err);
        return false;
    }
    LLVMContextRef ctx = LLVMContextCreate();
    LLVMBinaryRef bin = LLVMCreateBinary(buf, ctx, &err);
    bool ok = true;
    if (!bin) {
        diag_plain(d, "%s is not an object file: %s", path, err);
        LLVMDisposeMessage(err);
        ok = false;
    } else if (LLVMBinaryGetType(bin) == LLVMBinaryTypeELF64L || LLVMBinaryGetType(bin) == LLVMBinaryTypeELF64B ||
               LLVMBinaryGetType(bin) == LLVMBinaryTypeELF32L || LLVMBinaryGetType(bin) == LLVMBinaryTypeELF32B) {
        LLVMSymbolIteratorRef it = LLVMObjectFileCopySymbolIterator(bin);
        for (; !LLVMObjectFileIsSymbolIteratorAtEnd(bin, it); LLVMMoveToNextSymbol(it)) {
            const char *s = LLVMGetSymbolName(it);
            if (strncmp(s, "pel.entry.", 10) == 0) names_add(entries, s + 10);
            if (strncmp(s, "pel.import.", 11) == 0) {
                const char *dot = strchr(s + 11, '.');
                if (dot) names_add(imported, dot + 1);
            }
        }
        LLVMDisposeSymbolIterator(it);
    }
    if (bin) LLVMDisposeBinary(bin);
    LLVMDisposeMemoryBuffer(buf);
    LLVMContextDispose(ctx);
    return ok;
}

/* C main(argc, argv) { return pel_rt_main(argc, argv, pel.entry.ROOT); } */
static bool write_entry(const char *root, const char *out, Diag *d) {
    LLVMContextRef ctx = LLVMContextCreate();
    LLVMModuleRef mod = LLVMModuleCreateWithNameInContext("pel.entry", ctx);
    LLVMTargetMachineRef tm = cg_target_machine(d, 2);
    bool ok = tm != NULL;
    if (ok) {
        char *triple = LLVMGetTargetMachineTriple(tm);
        LLVMSetTarget(mod, triple);
        LLVMDisposeMessage(triple);
        LLVMTypeRef i32 = LLVMInt32TypeInContext(ctx), i64 = LLVMInt64TypeInContext(ctx);
        LLVMTypeRef ptr = LLVMPointerTypeInContext(ctx, 0);
        LLVMTypeRef rt_ty = LLVMFunctionType(i32, (LLVMTypeRef[]){i32, ptr, ptr}, 3, 0);
        LLVMValueRef rt_main = LLVMAddFunction(mod, "pel_rt_main", rt_ty);
        char name[512];
        snprintf(name, sizeof name, "pel.entry.%s", root);
        LLVMValueRef entry = LLVMAddFunction(mod, name, LLVMFunctionType(i64, &ptr, 1, 0));
        LLVMTypeRef main_ty = LLVMFunctionType(i32, (LLVMTypeRef[]){i32, ptr}, 2, 0);
        LLVMValueRef cmain = LLVMAddFunction(mod, "main", main_ty);
        LLVMBuilderRef b = LLVMCreateBuilderInContext(ctx);
        LLVMPositionBuilderAtEnd(b, LLVMAppendBasicBlockInContext(ctx, cmain, "entry"));
        LLVMValueRef args[3] = {LLVMGetParam(cmain, 0), LLVMGetParam(cmain, 1), entry};
        LLVMBuildRet(b, LLVMBuildCall2(b, rt_ty, rt_main, args, 3, ""));
        LLVMDisposeBuilder(b);
        char *err = NULL;
        if (LLVMTargetMachineEmitToFile(tm, mod, out, LLVMObjectFile, &err)) {
            diag_plain(d, "cannot write %s: %s", out, err);
            LLVMDisposeMessage(err);
            ok = false;
        }
        LLVMDisposeTargetMachine(tm);
    }
    LLVMDisposeModule(mod);
    LLVMContextDispose(ctx);
    return ok;
}

bool cg_link_entry(const char *const *objs, int nobjs, const char *out, bool *written, Diag *d) {
    *written = false;
    Names entries = {0}, imported = {0};
    bool ok = true;
    for (int i = 0; i < nobjs && ok; i++) {
        size_t n = strlen(objs[i]);
        if (n > 2 && strcmp(objs[i] + n - 2, ".o") == 0) ok = read_object(objs[i], &entries, &imported, d);
    }
    const char *root = NULL;
    int nroots = 0;
    char list[512] = "";
    size_t len = 0;
    for (int i = 0; ok && i < entries.n; i++) {
        if (names_has(&imported, entries.items[i])) continue; /* an imported module's main */
        root = entries.items[i];
        nroots++;
        if (len < sizeof list)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s'%s'", nroots > 1 ? ", " : "", root);
    }
    if (ok && nroots > 1) {
        diag_plain(d, "more than one module defines the program's 'main': %s", list);
        fprintf(stderr, "hint: link the objects of one program, whose main module no other imports\n");
        ok = false;
    } else if (ok && nroots == 1) {
        ok = write_entry(root, out, d);
        *written = ok;
    }
    names_free(&entries);
    names_free(&imported);
    return ok;
}
