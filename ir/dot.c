/* dot.c — the task graph as Graphviz DOT (pelc --emit-graph).
 *
 * One cluster per function, one sub-cluster per region. A node is labelled
 * with its source text, line and cost estimate; spawned nodes are drawn
 * bold with the point where they are joined; solid edges are data, dashed
 * edges effect order. The other decisions (fusion, moves and in-place
 * updates, tiles) are boxes of their own at the top of the function. */
#include <string.h>

#include "graph.h"

#define STR_(x) #x
#define STR(x) STR_(x)

/* The source text of a node: from its location to the end of the line. */
static void put_label(FILE *out, Loc loc) {
    if (!loc.file) return;
    size_t len;
    const char *line = src_line(loc.file, loc.line, &len); /* indexed: labels of 10^5 lets are linear */
    if (!line || loc.col < 1 || (size_t)loc.col > len + 1) return;
    const char *p = line + loc.col - 1, *end = line + len;
    int n = 0;
    for (; p < end && n < 48; p++, n++) {
        if (*p == '"' || *p == '\\') fputc('\\', out); /* box labels: only these need it */
        fputc(*p == '\t' ? ' ' : *p, out);
    }
    if (p < end) fputs("...", out);
}

static Loc node_loc(const IrNode *n) { return n->stmt ? n->stmt->loc : n->expr->loc; }

/* The decisions taken about a function's expressions, one box each:
 * fused chains (their outermost consumer), in-place consumers (and the
 * variable moved into one), tiled maps. */
typedef struct Decisions {
    FILE *out;
    const IrFunc *fn;
    int f, k;
} Decisions;

static const char *consumer_name(const Expr *e) {
    if (e->kind == E_FOR) return "for";
    return e->u.call.callee->u.name.builtin->name;
}

/* j, j + c, c + j, j - c (ranges.c) */
static void put_shift(FILE *out, const Expr *k) {
    if (k->kind == E_NAME) {
        fprintf(out, "%s", k->u.name.name);
        return;
    }
    const Expr *l = k->u.binary.lhs, *r = k->u.binary.rhs;
    if (l->kind == E_INT) fprintf(out, "%lld + %s", (long long)l->u.ival, r->u.name.name);
    else fprintf(out, "%s %s %lld", l->u.name.name, k->u.binary.op == OP_SUB ? "-" : "+", (long long)r->u.ival);
}

static void decisions_visit(Expr *e, void *ctx) {
    Decisions *d = ctx;
    const IrFact *x = ir_fact(d->fn, e);
    if (x->fused && !x->inner) {
        char chain[256];
        ir_describe_fusion(d->fn, e, chain, sizeof chain);
        fprintf(d->out, "    f%d_fuse%d [shape=cds, label=\"line %d: fused: %s%s\"];\n", d->f, d->k++, e->loc.line,
                chain, x->lazy_fold      ? " (costly elements, split on demand)"
                       : x->costly_elems ? " (costly elements)"
                                         : "");
    }
    if (x->hoist) {
        const Expr *a = e->u.index.base;
        fprintf(d->out, "    f%d_hoist%d [shape=cds, label=\"line %d: hoisted: %s[...] read once per chunk\"];\n", d->f,
                d->k++, e->loc.line, a->u.name.name);
    }
    if (x->in_range) {
        const Expr *a = e->u.index.base, *k = e->u.index.index;
        const char *name = a->kind == E_NAME ? a->u.name.name : a->u.index.base->u.name.name;
        fprintf(d->out, "    f%d_range%d [shape=cds, label=\"line %d: unchecked in a chunk's middle: %s%s[", d->f, d->k++,
                e->loc.line, name, a->kind == E_NAME ? "" : "[...]");
        put_shift(d->out, k);
        fprintf(d->out, "]\"];\n");
    }
    if (x->edge_test)
        fprintf(d->out, "    f%d_edge%d [shape=cds, label=\"line %d: %s test of the loop variable: %s in a chunk's middle\"];\n",
                d->f, d->k++, e->loc.line, e->u.binary.op == OP_EQ ? "an ==" : "a !=",
                e->u.binary.op == OP_EQ ? "false" : "true");
    if (x->in_place && !x->inner) {
        Expr *base = ir_handed(d->fn, e);
        fprintf(d->out, "    f%d_move%d [shape=cds, label=\"line %d: ", d->f, d->k++, e->loc.line);
        if (base->kind == E_FIELD && ir_fact(d->fn, base)->take_field)
            fprintf(d->out, "move: field %d of '%s' into %s", base->u.field.index, base->u.field.base->u.name.name,
                    consumer_name(e));
        else if (ir_fact(d->fn, base)->move) fprintf(d->out, "move: '%s' into %s", base->u.name.name, consumer_name(e));
        else fprintf(d->out, "move: a temporary into %s", consumer_name(e));
        fprintf(d->out, x->known_unique ? " (in place: unique, unchecked)\"];\n" : " (in place when unique)\"];\n");
    }
    if (x->unique_state)
        fprintf(d->out, "    f%d_unique%d [shape=cds, label=\"line %d: %s: the state made unique once, before the loop\"];\n",
                d->f, d->k++, e->loc.line, consumer_name(e));
    if (x->tile != TILE_NONE)
        fprintf(d->out, "    f%d_tile%d [shape=cds, label=\"line %d: tiled: %s\"];\n", d->f, d->k++, e->loc.line,
                x->tile == TILE_ROWS ? "rows of " STR(IR_TILE_ROWS) " x " STR(IR_TILE_COLS) " folds"
                                     : STR(IR_TILE_ELEMS) " folds at a time");
    ast_visit_children(e, decisions_visit, d);
}

static void put_cost(FILE *out, uint32_t cost) {
    if (cost == COST_UNBOUNDED) fprintf(out, "\\ncost: unbounded");
    else fprintf(out, "\\ncost: %u", cost);
}

void ir_dump_dot(FILE *out, const IrProgram *ir) {
    fprintf(out, "digraph pel {\n  node [shape=box, fontname=\"monospace\", fontsize=10];\n");
    for (int f = 0; f < ir->n; f++) {
        const IrFunc *fn = ir->funcs[f];
        fprintf(out, "  subgraph cluster_f%d {\n    label=\"fn %s%s%s", f, fn->fn->name,
                fn->spawns ? " (spawns tasks)" : "", fn->self_tail ? " (a loop)" : "");
        /* the parameters a caller hands over (moves.c) */
        for (int k = 0, any = 0; k < fn->fn->nparams; k++)
            if (fn->param_owned && fn->param_owned[k] && fn->fn->params[k]->type->kind != TY_I64 &&
                fn->fn->params[k]->type->kind != TY_F64 && fn->fn->params[k]->type->kind != TY_BOOL)
                fprintf(out, "%s%s", any++ ? ", " : "\\nowns: ", fn->fn->params[k]->name);
        fprintf(out, "\";\n");
        Decisions d = {out, fn, f, 0};
        decisions_visit(fn->fn->body, &d);
        if (fn->nregions == 0)
            fprintf(out, "    f%d_body [label=\"line %d: body without regions", f, fn->fn->loc.line);
        if (fn->nregions == 0) {
            put_cost(out, fn->cost);
            fprintf(out, "\"];\n");
        }
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
                put_cost(out, ir_fact(fn, n->expr)->cost);
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
