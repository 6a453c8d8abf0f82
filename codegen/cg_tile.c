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
 * Which maps are tiled is the IR's decision (IrFact.tile; ir/tile.c says
 * what qualifies and why it is safe). Here: while a tile runs, a failing
 * check (index out of bounds, division by zero, ...) does not report but
 * abandons the tile (FnCtx.bail), and the element-by-element loop takes
 * over from the tile's first element, meeting the sequentially first error
 * of the tile exactly as it would have without tiling. A fold longer than
 * one leaf of the runtime's reduction tree (PEL_REDUCE_LEAF) is left to the
 * runtime, whose tree combines leaves.
 *
 * A TILE_ROWS map (`for i => for j => sum(...)`) computes ROWS rows of the
 * result at once, ROWS x COLS folds at a time, so that the data the folds
 * share is read once per ROWS rows. */
#include "cg_internal.h"

/* Elements per tile: one 64-byte line of f64 or i64. */
#define TILE IR_TILE_ELEMS
/* Rows and columns of a row tile's block (emit_row_tiles): with a row's
 * column checks merged (CgTileCols), so that its loads are vector loads,
 * 8 x 8 ran fastest of 2, 4, 6 and 8 rows on matmul 1024 (one worker:
 * 0.31 s against 0.36 s for 4 x 8), despite spilling accumulators: each
 * row of b read serves 8 rows of the result. */
#define ROWS IR_TILE_ROWS
#define COLS IR_TILE_COLS

static LLVMValueRef i64c(Cg *cg, long long v) { return LLVMConstInt(cg->t_i64, (unsigned long long)v, 1); }

/* One fold being tiled, its bounds evaluated in the loop function. */
typedef struct Tile {
    CgPipe in;               /* the fold's pipe, sub_base = klo */
    const Type *t;
    LLVMTypeRef T;
    bool product;
    LLVMValueRef klen;
} Tile;

static void tile_init(FnCtx *sub, Tile *tl, Expr *fold) {
    tl->t = fold->type;
    tl->T = cg_type(sub->cg, tl->t);
    tl->product = fold->u.call.callee->u.name.builtin->kind == B_PRODUCT;
}

/* max(hi - lo, 0) of a simple range (its checks bail) */
static LLVMValueRef range_len(FnCtx *sub, Expr *range, LLVMValueRef *lo_out) {
    LLVMValueRef lo = cg_expr(sub, range->u.range.lo, false);
    LLVMValueRef hi = cg_expr(sub, range->u.range.hi, false);
    *lo_out = lo;
    return cg_range_len(sub, range->loc, lo, hi);
}

/* The column checks of a tile whose columns are consecutive numbers,
 * xc[c] = xc[0] + c: `a[j]`, j the column variable and a not depending on
 * it, is in bounds for every column when it is for the first and the last.
 * So the first column checks both, and the others none: the eight loads
 * of a row of b sit in one block, which LLVM turns into vector loads. A
 * failing check abandons the whole tile anyway (FnCtx.bail), so checking
 * the last column early changes no result and no error. */
typedef struct CgTileCols {
    const Local *cv;
    LLVMValueRef last; /* xc[nc - 1] */
    int c;             /* the column being generated */
    Expr *checked[16]; /* the indexes checked at column 0 of this row */
    int nchecked;
} CgTileCols;

typedef struct Mentions {
    const Local *v;
    bool found;
} Mentions;

static void mentions_visit(Expr *e, void *ctx) {
    Mentions *m = ctx;
    if (e->kind == E_NAME && e->u.name.kind == NAME_LOCAL && e->u.name.local == m->v) m->found = true;
    if (!m->found) ast_visit_children(e, mentions_visit, m);
}

bool cg_tile_col_checked(FnCtx *f, Expr *e, LLVMValueRef arr) {
    CgTileCols *tc = f->tile_cols;
    const Expr *k = e->u.index.index;
    if (!tc || !f->bail || e->u.index.base->type->kind != TY_ARRAY || k->kind != E_NAME ||
        k->u.name.kind != NAME_LOCAL || k->u.name.local != tc->cv)
        return false;
    for (int n = 0; n < tc->nchecked; n++)
        if (tc->checked[n] == e) return true;
    Mentions m = {tc->cv, false};
    mentions_visit(e->u.index.base, &m);
    if (m.found || tc->c != 0 || tc->nchecked == (int)(sizeof tc->checked / sizeof tc->checked[0])) return false;
    cg_check_index(f, e->loc, tc->last, cg_len(f, arr)); /* bails: no error is reported from here */
    tc->checked[tc->nchecked++] = e;
    return false; /* and column 0's own check */
}

/* The folds of nr x nc elements at once: element (r, c) binds rv to xr[r]
 * (when rv) and cv to xc[c]; res[r * nc + c] gets its value. consecutive:
 * xc[c] = xc[0] + c (CgTileCols). */
static void emit_block(FnCtx *sub, Tile *tl, Local *rv, LLVMValueRef *xr, int nr, Local *cv, LLVMValueRef *xc,
                       int nc, LLVMValueRef *res, bool consecutive) {
    Cg *cg = sub->cg;
    CgTileCols tc = {.cv = cv, .last = xc[nc - 1]};
    CgTileCols *outer = sub->tile_cols;
    sub->tile_cols = consecutive && nc > 1 ? &tc : NULL;
    LLVMValueRef acc[ROWS * COLS > TILE ? ROWS * COLS : TILE];
    for (int k = 0; k < nr * nc; k++) {
        acc[k] = cg_alloca(sub, tl->T, "tile.acc");
        LLVMBuildStore(cg->b, cg_sum_identity(cg, tl->t, tl->product), acc[k]);
    }
    CgLoop L;
    cg_loop_begin(sub, i64c(cg, 0), tl->klen, &L);
    for (int r = 0; r < nr; r++) {
        tc.nchecked = 0; /* a base may depend on the row */
        for (int c = 0; c < nc; c++) {
            tc.c = c;
            if (rv) sub->locals[rv->id] = xr[r];
            sub->locals[cv->id] = xc[c];
            LLVMValueRef y = cg_pipe_elem(sub, &tl->in, L.i, false);
            LLVMValueRef *a = &acc[r * nc + c];
            LLVMValueRef v = LLVMBuildLoad2(cg->b, tl->T, *a, "");
            LLVMBuildStore(cg->b, cg_sum_step(cg, tl->t, tl->product, v, y), *a);
        }
    }
    cg_loop_end(sub, &L);
    sub->tile_cols = outer;
    for (int k = 0; k < nr * nc; k++) res[k] = LLVMBuildLoad2(cg->b, tl->T, acc[k], "");
}

/* Element k of a pipe's base: the value its (only) stage's variable takes. */
static LLVMValueRef base_elem(FnCtx *sub, const CgPipe *p, LLVMValueRef k) {
    Cg *cg = sub->cg;
    return p->is_range ? LLVMBuildAdd(cg->b, p->sub_base, k, "x")
                       : cg_load_elem(sub, p->sub_base, k, p->base_elem, "x");
}

/* A counted loop `for (v = from; v + step <= to; v += step)`; the body
 * goes where the builder is left, steps_end closes it. */
typedef struct Steps {
    LLVMValueRef v;
    LLVMBasicBlockRef head, exit;
    int step;
} Steps;

static void steps_begin(FnCtx *sub, Steps *S, LLVMValueRef from, LLVMValueRef to, int step, LLVMValueRef save) {
    Cg *cg = sub->cg;
    LLVMBasicBlockRef pre = LLVMGetInsertBlock(cg->b);
    S->head = cg_new_block(sub, "tile.head");
    LLVMBasicBlockRef body = cg_new_block(sub, "tile.body");
    S->exit = cg_new_block(sub, "tile.exit");
    S->step = step;
    LLVMBuildBr(cg->b, S->head);
    LLVMPositionBuilderAtEnd(cg->b, S->head);
    S->v = LLVMBuildPhi(cg->b, cg->t_i64, "tile.at");
    LLVMAddIncoming(S->v, &from, &pre, 1);
    if (save) LLVMBuildStore(cg->b, S->v, save);
    LLVMValueRef end = LLVMBuildAdd(cg->b, S->v, i64c(cg, step), "");
    LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntSLE, end, to, ""), body, S->exit);
    LLVMPositionBuilderAtEnd(cg->b, body);
}

static void steps_end(FnCtx *sub, Steps *S) {
    Cg *cg = sub->cg;
    LLVMValueRef next = LLVMBuildAdd(cg->b, S->v, i64c(cg, S->step), "");
    LLVMBasicBlockRef latch = LLVMGetInsertBlock(cg->b);
    LLVMBuildBr(cg->b, S->head);
    LLVMAddIncoming(S->v, &next, &latch, 1);
    LLVMPositionBuilderAtEnd(cg->b, S->exit);
}

/* Tiles of TILE elements of p, each a fold over `in`. */
static void emit_elem_tiles(FnCtx *sub, CgPipe *p, Tile *tl, LLVMValueRef out, LLVMValueRef lo, LLVMValueRef hi,
                            LLVMValueRef resume) {
    Cg *cg = sub->cg;
    Steps S;
    steps_begin(sub, &S, lo, hi, TILE, resume);
    LLVMValueRef x[TILE], res[TILE];
    for (int c = 0; c < TILE; c++) x[c] = base_elem(sub, p, LLVMBuildAdd(cg->b, S.v, i64c(cg, c), ""));
    emit_block(sub, tl, NULL, NULL, 1, p->stages[0].var, x, TILE, res, p->is_range);
    for (int c = 0; c < TILE; c++)
        cg_store_elem(sub, res[c], out, LLVMBuildAdd(cg->b, S.v, i64c(cg, c), ""), tl->t);
    steps_end(sub, &S);
}

/* The env of a row tile's column loop: the rows being filled, the values
 * of the outer variable, the ranges, the failure flag, then the captures
 * of the inner map's body (without the outer variable, bound per row). */
enum { RT_ROW0 = 0, RT_X0 = ROWS, RT_MLO = 2 * ROWS, RT_KLO, RT_KLEN, RT_FAILED, RT_NEXTRA };

typedef struct RowTile {
    CgPipe *p, *q;
    Tile *tl;
    CgEnv env;
} RowTile;

static LLVMValueRef env_at(FnCtx *f, const RowTile *rt, LLVMValueRef envp, int k) {
    return LLVMBuildStructGEP2(f->cg->b, rt->env.ty, envp, (unsigned)k, "");
}

/* void cols(w, env, lo, hi): columns [lo, hi) of the tile's rows, ROWS x
 * COLS folds at a time, then ROWS x 1. A failing check sets the flag and
 * stops this chunk; the caller then redoes the rows one by one. */
static LLVMValueRef gen_cols(FnCtx *f, RowTile *rt) {
    Cg *cg = f->cg;
    FnCtx s;
    LLVMBasicBlockRef resume;
    LLVMValueRef fn = cg_range_body_begin(f, "cols", &s, &resume);
    LLVMValueRef envp = LLVMGetParam(fn, 1), lo = LLVMGetParam(fn, 2), hi = LLVMGetParam(fn, 3);
    cg_env_load(&s, &rt->env, envp);
    const Type *xt = rt->p->stages[0].var->type;
    LLVMValueRef rows[ROWS], x[ROWS];
    for (int r = 0; r < ROWS; r++) {
        rows[r] = LLVMBuildLoad2(cg->b, cg->t_ptr, env_at(&s, rt, envp, RT_ROW0 + r), "row");
        x[r] = LLVMBuildLoad2(cg->b, cg_type(cg, xt), env_at(&s, rt, envp, RT_X0 + r), "x");
    }
    LLVMValueRef mlo = LLVMBuildLoad2(cg->b, cg->t_i64, env_at(&s, rt, envp, RT_MLO), "mlo");
    Tile tl = *rt->tl;
    tl.in.sub_base = LLVMBuildLoad2(cg->b, cg->t_i64, env_at(&s, rt, envp, RT_KLO), "klo");
    tl.klen = LLVMBuildLoad2(cg->b, cg->t_i64, env_at(&s, rt, envp, RT_KLEN), "k");
    LLVMValueRef failed = LLVMBuildLoad2(cg->b, cg->t_ptr, env_at(&s, rt, envp, RT_FAILED), "failed");
    LLVMBasicBlockRef bail = cg_new_block(&s, "tile.bail");
    s.bail = bail;
    Local *i = rt->p->stages[0].var, *j = rt->q->stages[0].var;
    LLVMValueRef y[COLS], res[ROWS * COLS];
    Steps C;
    steps_begin(&s, &C, lo, hi, COLS, NULL);
    for (int c = 0; c < COLS; c++) y[c] = LLVMBuildAdd(cg->b, mlo, LLVMBuildAdd(cg->b, C.v, i64c(cg, c), ""), "y");
    emit_block(&s, &tl, i, x, ROWS, j, y, COLS, res, true);
    for (int r = 0; r < ROWS; r++)
        for (int c = 0; c < COLS; c++)
            cg_store_elem(&s, res[r * COLS + c], rows[r], LLVMBuildAdd(cg->b, C.v, i64c(cg, c), ""), tl.t);
    steps_end(&s, &C);
    /* the chunk's last columns when it ends at m, not at a whole tile */
    CgLoop L;
    cg_loop_begin(&s, C.v, hi, &L);
    y[0] = LLVMBuildAdd(cg->b, mlo, L.i, "y");
    emit_block(&s, &tl, i, x, ROWS, j, y, 1, res, true);
    for (int r = 0; r < ROWS; r++) cg_store_elem(&s, res[r], rows[r], L.i, tl.t);
    cg_loop_end(&s, &L);
    LLVMBuildRetVoid(cg->b);
    LLVMPositionBuilderAtEnd(cg->b, bail);
    /* atomic: chunks on several workers may fail at once */
    LLVMValueRef st = LLVMBuildStore(cg->b, LLVMConstInt(cg->t_i32, 1, 0), failed);
    LLVMSetOrdering(st, LLVMAtomicOrderingMonotonic);
    LLVMBuildRetVoid(cg->b);
    cg_sub_end(f, &s, resume);
    return fn;
}

/* Tiles of ROWS elements of p (rows of the result), each row a map of
 * folds over q: the rows' columns run as a parallel loop of ROWS x COLS
 * blocks, so that each line of the data the folds share serves ROWS rows,
 * and a tile of long rows still spreads over the workers in short chunks. */
static void emit_row_tiles(FnCtx *sub, CgPipe *p, CgPipe *q, Tile *tl, LLVMValueRef out, LLVMValueRef lo,
                           LLVMValueRef hi, LLVMValueRef resume, LLVMBasicBlockRef done, LLVMValueRef mlo,
                           LLVMValueRef m) {
    Cg *cg = sub->cg;
    const Type *row_t = p->stages[0].out;
    const Local *i = p->stages[0].var;
    RowTile rt = {p, q, tl, {0}};
    const CgStage *inner = &q->stages[0];
    Local **caps = ARENA_ARRAY(&cg->arena, Local *, inner->ncaps + 1);
    int ncaps = 0;
    for (int k = 0; k < inner->ncaps; k++)
        if (inner->caps[k] != i) caps[ncaps++] = inner->caps[k];
    LLVMTypeRef extra[RT_NEXTRA];
    for (int r = 0; r < ROWS; r++) {
        extra[RT_ROW0 + r] = cg->t_ptr;
        extra[RT_X0 + r] = cg_type(cg, i->type);
    }
    extra[RT_MLO] = extra[RT_KLO] = extra[RT_KLEN] = cg->t_i64;
    extra[RT_FAILED] = cg->t_ptr;
    cg_env_layout(cg, &rt.env, caps, ncaps, extra, RT_NEXTRA);
    LLVMValueRef cols = gen_cols(sub, &rt);

    LLVMValueRef envp = cg_alloca(sub, rt.env.ty, "tile.env");
    LLVMValueRef failed = cg_alloca(sub, cg->t_i32, "tile.failed");
    cg_env_store(sub, &rt.env, envp);
    LLVMBuildStore(cg->b, mlo, env_at(sub, &rt, envp, RT_MLO));
    LLVMBuildStore(cg->b, tl->in.sub_base, env_at(sub, &rt, envp, RT_KLO));
    LLVMBuildStore(cg->b, tl->klen, env_at(sub, &rt, envp, RT_KLEN));
    LLVMBuildStore(cg->b, failed, env_at(sub, &rt, envp, RT_FAILED));
    sub->bail = NULL; /* nothing below fails but the column loop, which says so */
    Steps S;
    steps_begin(sub, &S, lo, hi, ROWS, resume);
    LLVMValueRef rows[ROWS];
    for (int r = 0; r < ROWS; r++) {
        LLVMValueRef x = base_elem(sub, p, LLVMBuildAdd(cg->b, S.v, i64c(cg, r), ""));
        rows[r] = cg_arr_new(sub, m, tl->t);
        LLVMBuildStore(cg->b, rows[r], env_at(sub, &rt, envp, RT_ROW0 + r));
        LLVMBuildStore(cg->b, x, env_at(sub, &rt, envp, RT_X0 + r));
    }
    LLVMValueRef st = LLVMBuildStore(cg->b, LLVMConstInt(cg->t_i32, 0, 0), failed);
    LLVMSetOrdering(st, LLVMAtomicOrderingMonotonic);
    LLVMValueRef args[5] = {sub->w, m, i64c(cg, COLS), cols, envp};
    cg_rt_call(cg, RT_par_range_q, args);
    LLVMValueRef ld = LLVMBuildLoad2(cg->b, cg->t_i32, failed, "");
    LLVMSetOrdering(ld, LLVMAtomicOrderingMonotonic);
    LLVMBasicBlockRef ok = cg_new_block(sub, "tile.ok"), bad = cg_new_block(sub, "tile.bad");
    LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntNE, ld, LLVMConstInt(cg->t_i32, 0, 0), ""), bad, ok);
    /* abandoned: the rows die, the element loop redoes them from S.v */
    LLVMPositionBuilderAtEnd(cg->b, bad);
    for (int r = 0; r < ROWS; r++) cg_rt_call(cg, RT_release_arr, &rows[r]);
    LLVMBuildBr(cg->b, done);
    LLVMPositionBuilderAtEnd(cg->b, ok);
    for (int r = 0; r < ROWS; r++)
        cg_store_elem(sub, rows[r], out, LLVMBuildAdd(cg->b, S.v, i64c(cg, r), ""), row_t);
    steps_end(sub, &S);
    LLVMBuildBr(cg->b, done);
}

LLVMValueRef cg_tile_folds(FnCtx *sub, CgPipe *p, LLVMValueRef out, LLVMValueRef lo, LLVMValueRef hi,
                           int *quantum) {
    Cg *cg = sub->cg;
    *quantum = 1;
    IrTile plan = p->n == 1 ? (IrTile)cg_fact(sub, p->stages[0].src)->tile : TILE_NONE;
    if (plan == TILE_NONE) return lo;
    bool rows = plan == TILE_ROWS;
    *quantum = rows ? ROWS : TILE; /* so that the runtime's chunks hold whole tiles */
    /* the fold of each element (of each row's elements) and its pipe */
    CgPipe q;
    Tile tl;
    Expr *fold = p->stages[0].body;
    if (rows) {
        cg_pipe_of(sub, fold, &q);
        fold = q.stages[0].body;
    }
    cg_pipe_of(sub, fold->u.call.args[0], &tl.in);
    tile_init(sub, &tl, fold);

    /* where the element-by-element loop resumes: the first element no
     * finished tile covers */
    LLVMValueRef resume = cg_alloca(sub, cg->t_i64, "tile.resume");
    LLVMBuildStore(cg->b, lo, resume);
    LLVMBasicBlockRef done = cg_new_block(sub, "tile.done");
    sub->bail = done;
    LLVMValueRef klo;
    tl.klen = range_len(sub, tl.in.base, &klo);
    tl.in.sub_base = klo;
    LLVMValueRef ok = LLVMBuildICmp(cg->b, LLVMIntSLE, tl.klen, i64c(cg, PEL_REDUCE_LEAF), "");
    LLVMValueRef mlo = NULL, m = NULL;
    if (rows) m = range_len(sub, q.base, &mlo);
    LLVMBasicBlockRef go = cg_new_block(sub, "tile.go");
    LLVMBuildCondBr(cg->b, ok, go, done);
    LLVMPositionBuilderAtEnd(cg->b, go);
    if (rows) {
        emit_row_tiles(sub, p, &q, &tl, out, lo, hi, resume, done, mlo, m);
    } else {
        emit_elem_tiles(sub, p, &tl, out, lo, hi, resume);
        LLVMBuildBr(cg->b, done);
    }
    sub->bail = NULL;
    LLVMPositionBuilderAtEnd(cg->b, done);
    return LLVMBuildLoad2(cg->b, cg->t_i64, resume, "resume");
}
