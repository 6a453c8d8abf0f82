/* cg_ranges.c — a chunk of a loop over a range, cut in three so that its
 * middle runs without the index checks and edge tests the IR settled
 * (IrFact.in_range, IrFact.edge_test; ir/ranges.c says what qualifies and
 * why it is safe).
 *
 * At the chunk's start (its captures and hoisted rows loaded), each
 * settled index a[j + c] narrows the middle [s, e) to the i for which
 * 0 <= base + i + c < len(a), and each edge test j == k moves s past k or
 * e down to k, whichever keeps more of the middle. The bounds are computed
 * in 128 bits, so no range or offset can wrap them, and clamped to the
 * chunk. A row a = b[k] hoisted but out of bounds has length 0 here: the
 * middle is then empty and every element runs with its checks. */
#include <string.h>

#include "cg_internal.h"

typedef struct SplitFind {
    FnCtx *f;
    CgSplit *sp;
} SplitFind;

static void add(FnCtx *f, const Expr ***list, int *n, const Expr *e) {
    const Expr **grown = ARENA_ARRAY(&f->cg->arena, const Expr *, *n + 1);
    for (int i = 0; i < *n; i++) grown[i] = (*list)[i];
    grown[(*n)++] = e;
    *list = grown;
}

static void find_visit(Expr *e, void *ctx) {
    SplitFind *s = ctx;
    const IrFact *x = cg_fact(s->f, e);
    if (x->in_range) add(s->f, &s->sp->proven, &s->sp->nproven, e);
    if (x->edge_test) add(s->f, &s->sp->edges, &s->sp->nedges, e);
    if (e->kind == E_FOR) { /* its body is a loop of its own */
        find_visit(e->u.for_.iter, ctx);
        return;
    }
    if (e->kind == E_LAMBDA) return;
    ast_visit_children(e, find_visit, ctx);
}

/* the array an index reads, as the chunk holds it: a capture or a hoisted row */
static LLVMValueRef chunk_array(FnCtx *f, const Expr *a) {
    if (a->kind == E_NAME) return f->locals[a->u.name.local->id];
    return cg_hoisted(f, a);
}

static bool is_var(const Expr *e, const Local *j) {
    return e->kind == E_NAME && e->u.name.kind == NAME_LOCAL && e->u.name.local == j;
}

/* c of the index j, j + c, c + j or j - c (ir/ranges.c admitted only these) */
static long long offset_of(const Expr *k) {
    if (k->kind != E_BINARY) return 0;
    const Expr *c = k->u.binary.rhs->kind == E_INT ? k->u.binary.rhs : k->u.binary.lhs;
    return k->u.binary.op == OP_SUB ? -c->u.ival : c->u.ival;
}

static LLVMValueRef wide(Cg *cg, LLVMValueRef v) { return LLVMBuildSExt(cg->b, v, cg->t_i128, ""); }

static LLVMValueRef pick(Cg *cg, LLVMIntPredicate p, LLVMValueRef a, LLVMValueRef b) {
    return LLVMBuildSelect(cg->b, LLVMBuildICmp(cg->b, p, a, b, ""), a, b, "");
}

bool cg_split_chunk(FnCtx *f, const CgPipe *p, LLVMValueRef lo, LLVMValueRef hi, CgSplit *sp) {
    Cg *cg = f->cg;
    memset(sp, 0, sizeof *sp);
    if (!p->is_range || p->n == 0 || !p->stages[0].body) return false;
    SplitFind s = {f, sp};
    find_visit(p->stages[0].body, &s);
    const Local *j = p->stages[0].var;
    LLVMValueRef base = wide(cg, p->sub_base);
    LLVMValueRef lo_w = wide(cg, lo), hi_w = wide(cg, hi);
    LLVMValueRef start = lo_w, end = hi_w;
    int kept = 0;
    for (int k = 0; k < sp->nproven; k++) {
        const Expr *e = sp->proven[k];
        LLVMValueRef arr = chunk_array(f, e->u.index.base);
        if (!arr) continue; /* read in place: its check stays */
        sp->proven[kept++] = e;
        LLVMValueRef shift = LLVMBuildAdd(cg->b, base, LLVMConstInt(cg->t_i128, (unsigned long long)offset_of(e->u.index.index), 1), "");
        LLVMValueRef len = wide(cg, cg_len(f, arr));
        start = pick(cg, LLVMIntSGT, start, LLVMBuildNeg(cg->b, shift, ""));
        end = pick(cg, LLVMIntSLT, end, LLVMBuildSub(cg->b, len, shift, ""));
    }
    sp->nproven = kept;
    for (int k = 0; k < sp->nedges; k++) {
        const Expr *e = sp->edges[k];
        Expr *other = is_var(e->u.binary.lhs, j) ? e->u.binary.rhs : e->u.binary.lhs;
        LLVMValueRef v = cg_expr(f, other, false);
        if (!v) return false;
        LLVMValueRef at = LLVMBuildSub(cg->b, wide(cg, v), base, "edge");
        LLVMValueRef inside = LLVMBuildAnd(cg->b, LLVMBuildICmp(cg->b, LLVMIntSLE, start, at, ""),
                                           LLVMBuildICmp(cg->b, LLVMIntSLT, at, end, ""), "");
        LLVMValueRef left = LLVMBuildICmp(cg->b, LLVMIntSLT, LLVMBuildSub(cg->b, at, start, ""),
                                          LLVMBuildSub(cg->b, end, at, ""), "");
        LLVMValueRef one = LLVMConstInt(cg->t_i128, 1, 0);
        start = LLVMBuildSelect(cg->b, LLVMBuildAnd(cg->b, inside, left, ""), LLVMBuildAdd(cg->b, at, one, ""), start, "");
        end = LLVMBuildSelect(cg->b, LLVMBuildAnd(cg->b, inside, LLVMBuildNot(cg->b, left, ""), ""), at, end, "");
    }
    if (!sp->nproven && !sp->nedges) return false;
    start = pick(cg, LLVMIntSLT, pick(cg, LLVMIntSGT, start, lo_w), hi_w);
    end = pick(cg, LLVMIntSLT, pick(cg, LLVMIntSGT, end, start), hi_w);
    sp->cut[0] = lo;
    sp->cut[1] = LLVMBuildTrunc(cg->b, start, cg->t_i64, "mid.lo");
    sp->cut[2] = LLVMBuildTrunc(cg->b, end, cg->t_i64, "mid.hi");
    sp->cut[3] = hi;
    return true;
}

static bool listed(const Expr *const *list, int n, const Expr *e) {
    for (int i = 0; i < n; i++)
        if (list[i] == e) return true;
    return false;
}

bool cg_split_unchecked(const FnCtx *f, const Expr *e) {
    const CgSplit *sp = f->middle;
    if (!sp) return false;
    if (listed(sp->proven, sp->nproven, e)) return true;
    /* a hoisted row a settled index reads: its length bounded the middle, so
     * it was read, in bounds */
    for (int i = 0; i < sp->nproven; i++)
        if (sp->proven[i]->u.index.base == e) return true;
    return false;
}

LLVMValueRef cg_split_edge(const FnCtx *f, const Expr *e) {
    const CgSplit *sp = f->middle;
    if (!sp || !listed(sp->edges, sp->nedges, e)) return NULL;
    return LLVMConstInt(f->cg->t_i1, e->u.binary.op == OP_NE, 0);
}
