/* pipeline.c — the steps of a compilation, in order (pipeline.h). */
#include "pipeline.h"

#include "parse.h"

#include <string.h>

/* "dir/util.pel" -> "util": the name its importers know it by */
static const char *module_name_of(Arena *a, const char *path) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > 4 && strcmp(base + n - 4, ".pel") == 0) n -= 4;
    return arena_strndup(a, base, n);
}

bool pel_compile(Arena *a, const PelCompile *c, Diag *d, PelCompiled *out) {
    if (!out->prog) {
        Module *root = c->root;
        const char *dir = ".";
        if (!root) {
            SrcFile *src = src_load(a, d, c->path);
            if (!src) return false;
            root = parse_module(a, d, src, "main");
            /* After syntax errors the declarations that parsed are still
             * checked, so that their type errors are reported too (as
             * rustc does); the compilation fails either way. */
            if (d->errors) d->recovering = true;
            dir = modules_dir_of(a, c->path);
            if (c->separate) root->name = module_name_of(a, c->path);
        }
        ModuleSet mods;
        if (!modules_load(a, d, root, dir, &c->mpath, &mods)) return false;
        out->prog = check_program(a, d, root, !c->separate);
        if (!out->prog || d->recovering) {
            out->prog = NULL;
            return false;
        }
    }
    if (c->stop == PEL_STOP_CHECK) return true;
    if (!out->ir) {
        out->ir = ir_build(a, out->prog);
        if (c->keep) ir_keep(out->ir, c->keep);
        /* exported functions are called from C: compiled whether or not
         * main calls them */
        for (int i = 0; i < out->prog->nfns; i++)
            if (out->prog->fns[i]->is_export) ir_keep(out->ir, out->prog->fns[i]);
        if (c->separate) /* every function of the module, for its importers */
            for (int i = 0; i < out->prog->root->nfns; i++) ir_keep(out->ir, out->prog->root->fns[i]);
        if (!ir_verify(out->ir)) {
            diag_plain(d, "internal compiler error: the task graph failed verification");
            return false;
        }
        if (c->dump_graph) c->dump_graph(out->ir, c->dump_ctx);
    }
    if (c->stop == PEL_STOP_GRAPH) return true;
    if (!out->module) out->module = cg_build(out->ir, &c->cg, d);
    return out->module != NULL;
}
