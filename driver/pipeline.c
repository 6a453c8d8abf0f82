/* pipeline.c — the steps of a compilation, in order (pipeline.h). */
#include "pipeline.h"

#include "parse.h"

bool pel_compile(Arena *a, const PelCompile *c, Diag *d, PelCompiled *out) {
    if (!out->prog) {
        Module *root = c->root;
        const char *dir = ".";
        if (!root) {
            SrcFile *src = src_load(a, d, c->path);
            if (!src) return false;
            root = parse_module(a, d, src, "main");
            if (d->errors) return false;
            dir = modules_dir_of(a, c->path);
        }
        ModuleSet mods;
        if (!modules_load(a, d, root, dir, &c->mpath, &mods)) return false;
        out->prog = check_program(a, d, root);
        if (!out->prog) return false;
    }
    if (c->stop == PEL_STOP_CHECK) return true;
    if (!out->ir) {
        out->ir = ir_build(a, out->prog);
        if (c->keep) ir_keep(out->ir, c->keep);
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
