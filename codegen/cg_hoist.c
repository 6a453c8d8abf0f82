/* cg_hoist.c — element reads a chunk of a loop does once, before its loop
 * (IrFact.hoist: ir/hoist.c says what qualifies and why it is safe).
 *
 * At the start of a chunk body (after its captures are loaded), each
 * hoisted `a[k]` of the stage bodies is read when k is in bounds, with the
 * length of the element when it is an array or a string; cg_index then
 * checks k where the program reads a[k], as always, and uses the value
 * read here instead of loading it again, and cg_len answers the element's
 * length from here. Nested loop bodies are left to their own chunks. */
#include "cg_internal.h"

typedef struct HoistFind {
    FnCtx *f;
    Expr **found;
    int n, cap;
} HoistFind;

static void find_visit(Expr *e, void *ctx) {
    HoistFind *h = ctx;
    if (cg_fact(h->f, e)->hoist) {
        if (h->n == h->cap) {
            int cap = h->cap ? h->cap * 2 : 8;
            Expr **grown = ARENA_ARRAY(&h->f->cg->arena, Expr *, cap);
            for (int i = 0; i < h->n; i++) grown[i] = h->found[i];
            h->found = grown;
            h->cap = cap;
        }
        h->found[h->n++] = e;
    }
    if (e->kind == E_FOR) { /* its array is this body's; its body is a loop of its own */
        find_visit(e->u.for_.iter, ctx);
        return;
    }
    if (e->kind == E_LAMBDA) return;
    ast_visit_children(e, find_visit, ctx);
}

static bool has_length(const Type *t) { return t->kind == TY_ARRAY || t->kind == TY_STR; }

static void preload(FnCtx *f, Expr *e, int slot) {
    Cg *cg = f->cg;
    Expr *base = e->u.index.base;
    LLVMValueRef arr = f->locals[base->u.name.local->id];
    if (!arr) return; /* not a capture of this chunk: read in place */
    LLVMValueRef i = cg_expr(f, e->u.index.index, false);
    if (!i) return;
    LLVMValueRef ok = LLVMBuildICmp(cg->b, LLVMIntULT, i, cg_len(f, arr), "hoist.ok");
    LLVMBasicBlockRef from = LLVMGetInsertBlock(cg->b);
    LLVMBasicBlockRef load = cg_new_block(f, "hoist.load"), done = cg_new_block(f, "hoist.done");
    LLVMBuildCondBr(cg->b, ok, load, done);
    LLVMPositionBuilderAtEnd(cg->b, load);
    LLVMValueRef v = cg_load_elem(f, arr, i, e->type, "hoisted");
    LLVMValueRef n = has_length(e->type) ? cg_len(f, v) : NULL;
    LLVMBasicBlockRef load_end = LLVMGetInsertBlock(cg->b);
    LLVMBuildBr(cg->b, done);
    LLVMPositionBuilderAtEnd(cg->b, done);
    LLVMTypeRef t = cg_type(cg, e->type);
    LLVMValueRef pv = LLVMBuildPhi(cg->b, t, "hoisted");
    LLVMValueRef vals[2] = {v, LLVMConstNull(t)};
    LLVMBasicBlockRef bbs[2] = {load_end, from};
    LLVMAddIncoming(pv, vals, bbs, 2);
    f->hoisted[slot] = (CgHoisted){e, pv, NULL};
    if (n) {
        LLVMValueRef pn = LLVMBuildPhi(cg->b, cg->t_i64, "hoisted.len");
        LLVMValueRef lens[2] = {n, LLVMConstInt(cg->t_i64, 0, 0)};
        LLVMAddIncoming(pn, lens, bbs, 2);
        f->hoisted[slot].len = pn;
    }
}

void cg_hoist_preload(FnCtx *f, Expr *body) {
    HoistFind h = {f, NULL, 0, 0};
    find_visit(body, &h);
    if (!h.n) return;
    CgHoisted *grown = ARENA_ARRAY(&f->cg->arena, CgHoisted, f->nhoisted + h.n);
    for (int i = 0; i < f->nhoisted; i++) grown[i] = f->hoisted[i];
    f->hoisted = grown;
    for (int k = 0; k < h.n; k++) {
        f->hoisted[f->nhoisted] = (CgHoisted){NULL, NULL, NULL};
        preload(f, h.found[k], f->nhoisted);
        if (f->hoisted[f->nhoisted].e) f->nhoisted++;
    }
}

LLVMValueRef cg_hoisted(const FnCtx *f, const Expr *e) {
    for (int i = 0; i < f->nhoisted; i++)
        if (f->hoisted[i].e == e) return f->hoisted[i].v;
    return NULL;
}

LLVMValueRef cg_hoisted_len(const FnCtx *f, LLVMValueRef v) {
    for (int i = 0; i < f->nhoisted; i++)
        if (f->hoisted[i].v == v) return f->hoisted[i].len;
    return NULL;
}
