/* cg_tile.c — a map whose element is a fold over a range, computed several
 * elements at a time.
 *
 * `for j in 0..m => sum(for t in 0..k => a[i][t] * b[t][j])` computes each
 * element by a walk over t. Done one j after the other, the walk reads a
 * column of b k times over, one cache line per row for a single value. Done
 * for TILE consecutive j at once (t outer, the TILE accumulators inner), one
 * line serves TILE elements and the accumulators are independent chains the
 * CPU overlaps. Each accumulator still meets its values in the order the
 * fold's leaf would (acc = op(acc, x_t), t ascending, from the identity), so
 * the bits are those of the element-by-element loop (docs/compiler.md,
 * "Tiled folds").
 *
 * What may be tiled: the map's only stage is a lambda or `for` whose body is
 * `sum` or `product` of i64 or f64 over a fused pipe on a range whose bounds
 * do not depend on the map's variable, and whose stages are lambdas built
 * from "simple" expressions: numbers, variables, arithmetic, comparisons,
 * `if`, indexing, tuple fields, len and the scalar math builtins. Such code
 * allocates nothing, calls nothing that can fail elsewhere, and the order
 * its checks run in is the only observable difference: so while a tile runs,
 * a failing check (index out of bounds, division by zero, ...) does not
 * report but abandons the tile (FnCtx.bail), and the element-by-element
 * loop takes over from the tile's first element, meeting the sequentially
 * first error of the tile exactly as it would have without tiling. A fold
 * longer than one leaf of the runtime's reduction tree (PEL_REDUCE_LEAF) is
 * left to the runtime, whose tree combines leaves. */
#include "cg_internal.h"

/* Elements per tile: one 64-byte line of f64 or i64. */
#define TILE 8

static LLVMValueRef i64c(Cg *cg, long long v) { return LLVMConstInt(cg->t_i64, (unsigned long long)v, 1); }

static bool scalar(const Type *t) { return t->kind == TY_I64 || t->kind == TY_F64 || t->kind == TY_BOOL; }

static bool is_builtin_call(const Expr *e) {
    return e->kind == E_CALL && e->u.call.callee->kind == E_NAME && e->u.call.callee->u.name.kind == NAME_BUILTIN;
}

static bool simple(const Expr *e);

/* An array or tuple that is only looked into: borrowed in place, never
 * counted (cg_borrow of a variable, an element or a field). */
static bool simple_place(const Expr *e) {
    switch (e->kind) {
    case E_NAME: return e->u.name.kind == NAME_LOCAL;
    case E_INDEX: return simple_place(e->u.index.base) && simple(e->u.index.index);
    case E_FIELD: return simple_place(e->u.field.base);
    default: return false;
    }
}

static bool simple(const Expr *e) {
    if (!scalar(e->type)) return false;
    switch (e->kind) {
    case E_INT: case E_FLOAT: case E_BOOL: return true;
    case E_NAME: return e->u.name.kind == NAME_LOCAL;
    case E_UNARY: return simple(e->u.unary.operand);
    case E_BINARY: return simple(e->u.binary.lhs) && simple(e->u.binary.rhs);
    case E_IF: return e->u.if_.else_ && simple(e->u.if_.cond) && simple(e->u.if_.then_) && simple(e->u.if_.else_);
    case E_INDEX: return simple_place(e->u.index.base) && simple(e->u.index.index);
    case E_FIELD: return simple_place(e->u.field.base);
    case E_CALL: {
        if (!is_builtin_call(e)) return false;
        BuiltinKind k = e->u.call.callee->u.name.builtin->kind;
        if (k == B_LEN) return e->u.call.args[0]->kind != E_RANGE && simple_place(e->u.call.args[0]);
        if (k < B_F64 || k > B_MAX || k == B_STR) return false; /* grep ORDER BUILTIN */
        for (int i = 0; i < e->u.call.nargs; i++)
            if (!simple(e->u.call.args[i])) return false;
        return true;
    }
    default: return false;
    }
}

typedef struct Mentions {
    const Local *l;
    bool found;
} Mentions;

static void find_local(Expr *e, void *ctx) {
    Mentions *m = ctx;
    if (m->found) return;
    if (e->kind == E_NAME && e->u.name.kind == NAME_LOCAL && e->u.name.local == m->l) m->found = true;
    else ast_visit_children(e, find_local, m);
}

static bool mentions(Expr *e, const Local *l) {
    Mentions m = {l, false};
    find_local(e, &m);
    return m.found;
}

/* The fold that makes each element of p, if the tile loop can compute it. */
static Expr *tiled_fold(FnCtx *sub, const CgPipe *p, CgPipe *in) {
    if (p->n != 1 || p->stages[0].fn_expr) return NULL;
    const CgStage *st = &p->stages[0];
    Expr *e = st->body;
    if (!is_builtin_call(e) || e->u.call.nargs != 1) return NULL;
    BuiltinKind k = e->u.call.callee->u.name.builtin->kind;
    if ((k != B_SUM && k != B_PRODUCT) || (e->type->kind != TY_F64 && e->type->kind != TY_I64)) return NULL;
    if (!ir_is_fused(sub->cg->ir->funcs[sub->fn->index], e)) return NULL;
    cg_pipe_of(e->u.call.args[0], in);
    if (!in->is_range || in->n == 0) return NULL;
    Expr *lo = in->base->u.range.lo, *hi = in->base->u.range.hi;
    if (!simple(lo) || !simple(hi) || mentions(lo, st->var) || mentions(hi, st->var)) return NULL;
    for (int s = 0; s < in->n; s++)
        if (in->stages[s].fn_expr || !simple(in->stages[s].body)) return NULL;
    return e;
}

LLVMValueRef cg_tile_folds(FnCtx *sub, CgPipe *p, LLVMValueRef out, LLVMValueRef lo, LLVMValueRef hi,
                           int *quantum) {
    Cg *cg = sub->cg;
    CgPipe in;
    Expr *fold = tiled_fold(sub, p, &in);
    *quantum = 1;
    if (!fold) return lo;
    *quantum = TILE; /* so that the runtime's chunks hold whole tiles */
    const Type *t = fold->type;
    bool fl = t->kind == TY_F64, add = fold->u.call.callee->u.name.builtin->kind == B_SUM;
    LLVMTypeRef T = cg_type(cg, t);
    LLVMValueRef ident = fl ? LLVMConstReal(cg->t_f64, add ? 0 : 1) : i64c(cg, add ? 0 : 1);

    /* where the element-by-element loop resumes: the first element no
     * finished tile covers */
    LLVMValueRef resume = cg_alloca(sub, cg->t_i64, "tile.resume");
    LLVMBuildStore(cg->b, lo, resume);
    LLVMBasicBlockRef done = cg_new_block(sub, "tile.done");
    sub->bail = done;

    LLVMValueRef klo = cg_expr(sub, in.base->u.range.lo, false);
    LLVMValueRef khi = cg_expr(sub, in.base->u.range.hi, false);
    LLVMValueRef d = LLVMBuildSub(cg->b, khi, klo, "");
    LLVMValueRef klen = LLVMBuildSelect(cg->b, LLVMBuildICmp(cg->b, LLVMIntSLT, d, i64c(cg, 0), ""),
                                        i64c(cg, 0), d, "k");
    in.sub_base = klo;
    LLVMBasicBlockRef head = cg_new_block(sub, "tile.head"), body = cg_new_block(sub, "tile.body");
    LLVMBasicBlockRef pre = LLVMGetInsertBlock(cg->b);
    LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntSLE, klen, i64c(cg, PEL_REDUCE_LEAF), ""), head, done);

    LLVMPositionBuilderAtEnd(cg->b, head);
    LLVMValueRef j = LLVMBuildPhi(cg->b, cg->t_i64, "tile.j");
    LLVMAddIncoming(j, &lo, &pre, 1);
    LLVMBuildStore(cg->b, j, resume);
    LLVMValueRef end = LLVMBuildAdd(cg->b, j, i64c(cg, TILE), "tile.end");
    LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntSLE, end, hi, ""), body, done);

    LLVMPositionBuilderAtEnd(cg->b, body);
    const CgStage *st = &p->stages[0];
    LLVMValueRef x[TILE], acc[TILE];
    for (int c = 0; c < TILE; c++) {
        LLVMValueRef jc = LLVMBuildAdd(cg->b, j, i64c(cg, c), "");
        x[c] = p->is_range ? LLVMBuildAdd(cg->b, p->sub_base, jc, "x")
                           : LLVMBuildLoad2(cg->b, cg_type(cg, p->base_elem),
                                            cg_elem_ptr(sub, p->sub_base, jc, p->base_elem), "x");
        acc[c] = cg_alloca(sub, T, "tile.acc");
        LLVMBuildStore(cg->b, ident, acc[c]);
    }
    CgLoop L;
    cg_loop_begin(sub, i64c(cg, 0), klen, &L);
    for (int c = 0; c < TILE; c++) {
        sub->locals[st->var->id] = x[c];
        LLVMValueRef y = cg_pipe_elem(sub, &in, L.i, false);
        LLVMValueRef a = LLVMBuildLoad2(cg->b, T, acc[c], "");
        LLVMValueRef r = fl ? (add ? LLVMBuildFAdd(cg->b, a, y, "") : LLVMBuildFMul(cg->b, a, y, ""))
                            : (add ? LLVMBuildAdd(cg->b, a, y, "") : LLVMBuildMul(cg->b, a, y, ""));
        LLVMBuildStore(cg->b, r, acc[c]);
    }
    cg_loop_end(sub, &L);
    for (int c = 0; c < TILE; c++)
        LLVMBuildStore(cg->b, LLVMBuildLoad2(cg->b, T, acc[c], ""),
                       cg_elem_ptr(sub, out, LLVMBuildAdd(cg->b, j, i64c(cg, c), ""), t));
    LLVMValueRef next = LLVMBuildAdd(cg->b, j, i64c(cg, TILE), "");
    LLVMAddIncoming(j, &next, (LLVMBasicBlockRef[]){LLVMGetInsertBlock(cg->b)}, 1);
    LLVMBuildBr(cg->b, head);

    sub->bail = NULL;
    LLVMPositionBuilderAtEnd(cg->b, done);
    return LLVMBuildLoad2(cg->b, cg->t_i64, resume, "resume");
}
