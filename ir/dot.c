/* dot.c — the task graph as Graphviz DOT (pelc --emit-graph).
 *
 * One cluster per function, one sub-cluster per region. A node is labelled
 * with its source text and line; spawned nodes are drawn bold with the point
 * where they are joined; solid edges are data, dashed edges effect order. */
#include <string.h>

#include "graph.h"

/* The source text of a node: from its location to the end of the line. */
static void put_label(FILE *out, Loc loc) {
    if (!loc.file) return;
    const char *p = loc.file->text;
    for (int line = 1; line < loc.line && *p; p++)
        if (*p == '\n') line++;
    p += loc.col - 1;
    int n = 0;
    for (; *p && *p != '\n' && n < 48; p++, n++) {
        if (*p == '"' || *p == '\\') fputc('\\', out); /* box labels: only these need it */
        fputc(*p == '\t' ? ' ' : *p, out);
    }
    if (*p && *p != '\n') fputs("...", out);
}

static Loc node_loc(const IrNode *n) { return n->stmt ? n->stmt->loc : n->expr->loc; }

void ir_dump_dot(FILE *out, const IrProgram *ir) {
    fprintf(out, "digraph pel {\n  node [shape=box, fontname=\"monospace\", fontsize=10];\n");
    for (int f = 0; f < ir->n; f++) {
        const IrFunc *fn = ir->funcs[f];
        fprintf(out, "  subgraph cluster_f%d {\n    label=\"fn %s%s\";\n", f, fn->fn->name,
                fn->spawns ? " (spawns tasks)" : "");
        for (int k = 0; k < fn->nfused; k++) {
            if (ir_fusion_is_inner(fn, fn->fused[k])) continue;
            char chain[256];
            ir_describe_fusion(fn->fused[k], chain, sizeof chain);
            fprintf(out, "    f%d_fuse%d [shape=cds, label=\"line %d: fused: %s\"];\n", f, k,
                    fn->fused[k]->loc.line, chain);
        }
        if (fn->nregions == 0)
            fprintf(out, "    f%d_body [label=\"line %d: body without regions\"];\n", f,
                    fn->fn->loc.line);
        for (int r = 0; r < fn->nregions; r++) {
            const IrRegion *reg = fn->regions[r];
            fprintf(out, "    subgraph cluster_f%d_r%d {\n      label=\"%s, line %d\";\n", f, r,
                    reg->kind == R_BLOCK ? "block" : "operands", reg->owner->loc.line);
            for (int i = 0; i < reg->n; i++) {
                const IrNode *n = &reg->nodes[i];
                fprintf(out, "      f%d_r%d_n%d [label=\"%d: ", f, r, i, node_loc(n).line);
                put_label(out, node_loc(n));
                if (n->spawn) {
                    if (n->join_at < reg->n) fprintf(out, "\\nspawn; join before node %d", n->join_at);
                    else fprintf(out, "\\nspawn; join at end");
                }
                fprintf(out, "\"%s%s];\n", n->spawn ? ", style=bold, color=blue" : "",
                        n->effectful ? ", shape=note" : "");
            }
            for (int i = 0; i < reg->n; i++) {
                const IrNode *n = &reg->nodes[i];
                for (int k = 0; k < n->ndeps; k++)
                    fprintf(out, "      f%d_r%d_n%d -> f%d_r%d_n%d%s;\n", f, r, n->deps[k], f, r, i,
                            n->dep_effect[k] ? " [style=dashed]" : "");
            }
            fprintf(out, "    }\n");
        }
        fprintf(out, "  }\n");
    }
    fprintf(out, "}\n");
}
