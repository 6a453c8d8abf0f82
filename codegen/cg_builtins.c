/* cg_builtins.c — the builtins of spec 6 and 7 that work on arrays and
 * strings. Parallel ones hand generated functions to the runtime
 * (pel_rt_par_range / par_reduce / par_scan); the rest are loops here or
 * calls into the runtime. */
#include <stdio.h>
#include <string.h>

#include "cg_internal.h"

static LLVMValueRef i64c(Cg *cg, long long v) { return LLVMConstInt(cg->t_i64, (unsigned long long)v, 1); }

static LLVMValueRef load_elem(FnCtx *f, LLVMValueRef arr, LLVMValueRef i, const Type *t) {
    return cg_load_elem(f, arr, i, t, "");
}

/* An element copied into a new array: one more owner. */
static LLVMValueRef copy_of_elem(FnCtx *f, LLVMValueRef arr, LLVMValueRef i, const Type *t) {
    LLVMValueRef v = load_elem(f, arr, i, t);
    cg_retain(f, v, t);
    return v;
}

/* ---- folds: reduce, sum, product, minimum, maximum, scan ------------------------------ */

typedef enum FoldOp { FOLD_USER, FOLD_ADD, FOLD_MUL, FOLD_MIN, FOLD_MAX } FoldOp;

typedef struct Fold {
    FoldOp op;
    Expr *fn;           /* FOLD_USER: the operator (a lambda is inlined) */
    const Type *t;      /* element = accumulator type */
    bool from_first;    /* start each block from its first element (min/max) */
    Loc where;          /* for the empty-array error */
    CgPipe pipe;        /* the elements: fused maps over a range or an array */
    bool costly_elems;  /* IrFact.costly_elems: a short fold computes them first */
    bool lazy_fold;     /* IrFact.lazy_fold: pel_rt_par_fold instead */
    CgEnv env;          /* fields: init, closure, out, then the pipe's */
} Fold;

LLVMValueRef cg_sum_identity(Cg *cg, const Type *t, bool product) {
    return t->kind == TY_F64 ? LLVMConstReal(cg->t_f64, product ? 1 : 0) : i64c(cg, product ? 1 : 0);
}

LLVMValueRef cg_sum_step(Cg *cg, const Type *t, bool product, LLVMValueRef acc, LLVMValueRef x) {
    if (t->kind == TY_F64) return product ? LLVMBuildFMul(cg->b, acc, x, "") : LLVMBuildFAdd(cg->b, acc, x, "");
    return product ? LLVMBuildMul(cg->b, acc, x, "") : LLVMBuildAdd(cg->b, acc, x, "");
}

/* Emitted inside a generated function whose env has been loaded. */
static LLVMValueRef fold_op(FnCtx *f, const Fold *fd, LLVMValueRef clo, LLVMValueRef a, LLVMValueRef b) {
    Cg *cg = f->cg;
    bool fl = fd->t->kind == TY_F64;
    switch (fd->op) {
    case FOLD_ADD: case FOLD_MUL: return cg_sum_step(cg, fd->t, fd->op == FOLD_MUL, a, b);
    case FOLD_MIN: case FOLD_MAX: {
        bool mn = fd->op == FOLD_MIN;
        LLVMValueRef better = fl ? LLVMBuildFCmp(cg->b, mn ? LLVMRealOLT : LLVMRealOGT, b, a, "")
                                 : LLVMBuildICmp(cg->b, mn ? LLVMIntSLT : LLVMIntSGT, b, a, "");
        return LLVMBuildSelect(cg->b, better, b, a, "");
    }
    default: {
        LLVMValueRef args[2] = {a, b};
        return cg_apply(f, fd->fn, clo, args, 2);
    }
    }
}

enum { F_INIT, F_CLO, F_OUT, F_NEXTRA };

static LLVMValueRef env_field(FnCtx *f, const Fold *fd, LLVMValueRef envp, int k, LLVMTypeRef t) {
    return LLVMBuildLoad2(f->cg->b, t, LLVMBuildStructGEP2(f->cg->b, fd->env.ty, envp, (unsigned)k, ""), "");
}

static LLVMValueRef new_fn(FnCtx *f, const char *what, LLVMTypeRef fty, FnCtx *sub, LLVMBasicBlockRef *resume) {
    LLVMValueRef fn = cg_new_fn(f, what, fty);
    *resume = LLVMGetInsertBlock(f->cg->b);
    cg_sub_begin(f, sub, fn);
    return fn;
}

static bool user_closure(const Fold *fd) { return fd->op == FOLD_USER && fd->fn->kind != E_LAMBDA; }

/* Loads the fold's env in a generated function: the pipe, and the captures
 * of an inlined operator lambda (fold_env put them in the env's captures). */
static LLVMValueRef load_fold_env(FnCtx *s, Fold *fd, LLVMValueRef envp) {
    cg_pipe_load(s, &fd->pipe, &fd->env, envp);
    return user_closure(fd) ? env_field(s, fd, envp, F_CLO, cg_closure_type(s->cg)) : NULL;
}

/* leaf(w, env, lo, hi, out): fold elements [lo, hi) into *out. As the scan's
 * block pass, start from the carry in *out and store every running value. */
static LLVMValueRef gen_fold_block(FnCtx *f, Fold *fd, bool scan) {
    Cg *cg = f->cg;
    LLVMTypeRef T = cg_type(cg, fd->t);
    /* a PelLeafFn, or a PelScanBlockFn (the same but for the carry's const) */
    LLVMTypeRef fty = cg_rt_cb_type(cg, scan ? RT_CB_ScanBlockFn : RT_CB_LeafFn);
    FnCtx s;
    LLVMBasicBlockRef resume;
    LLVMValueRef fn = new_fn(f, scan ? "scan" : "leaf", fty, &s, &resume);
    LLVMValueRef envp = LLVMGetParam(fn, 1), lo = LLVMGetParam(fn, 2), hi = LLVMGetParam(fn, 3);
    LLVMValueRef outp = LLVMGetParam(fn, 4);
    LLVMValueRef clo = load_fold_env(&s, fd, envp);
    LLVMValueRef dst = scan ? env_field(&s, fd, envp, F_OUT, cg->t_ptr) : NULL;
    /* The accumulator is owned: a scan block takes over its carry (codegen
     * gave every carry one reference for it), a leaf starts from its own
     * reference to the identity; each step's inputs die after the step. */
    LLVMValueRef acc0, start = lo;
    if (scan) {
        acc0 = LLVMBuildLoad2(cg->b, T, outp, "carry");
    } else if (fd->from_first) {
        acc0 = cg_pipe_elem(&s, &fd->pipe, lo, true);
        start = LLVMBuildAdd(cg->b, lo, i64c(cg, 1), "");
    } else {
        acc0 = env_field(&s, fd, envp, F_INIT, T);
        cg_retain(&s, acc0, fd->t);
    }
    LLVMValueRef acc_slot = cg_alloca(&s, T, "acc");
    LLVMBuildStore(cg->b, acc0, acc_slot);
    CgSplit sp;
    bool split = cg_split_chunk(&s, &fd->pipe, start, hi, &sp);
    for (int part = 0; part < (split ? 3 : 1); part++) {
        s.middle = split && part == 1 ? &sp : NULL;
        CgLoop L;
        cg_loop_begin(&s, split ? sp.cut[part] : start, split ? sp.cut[part + 1] : hi, &L);
        LLVMValueRef acc = LLVMBuildLoad2(cg->b, T, acc_slot, "");
        /* a base element is borrowed for the step: no count touched */
        LLVMValueRef x = cg_pipe_elem(&s, &fd->pipe, L.i, false);
        LLVMValueRef next = fold_op(&s, fd, clo, acc, x);
        cg_release(&s, acc, fd->t);
        if (fd->pipe.n > 0) cg_release(&s, x, fd->t);
        LLVMBuildStore(cg->b, next, acc_slot);
        if (scan) {
            cg_retain(&s, next, fd->t); /* the output array's reference */
            cg_store_elem(&s, next, dst, L.i, fd->t);
        }
        cg_loop_end(&s, &L);
    }
    s.middle = NULL;
    if (!scan) LLVMBuildStore(cg->b, LLVMBuildLoad2(cg->b, T, acc_slot, ""), outp);
    else cg_release(&s, LLVMBuildLoad2(cg->b, T, acc_slot, ""), fd->t);
    LLVMBuildRetVoid(cg->b);
    cg_sub_end(f, &s, resume);
    return fn;
}

/* combine(w, env, a, b, out): *out = op(*a, *b). It consumes both inputs
 * in a reduce; in a scan it consumes b (a block total) but not a, a carry
 * that its block still needs (docs/runtime.md, "Reduce and scan"). */
static LLVMValueRef gen_combine(FnCtx *f, Fold *fd, bool scan) {
    Cg *cg = f->cg;
    LLVMTypeRef T = cg_type(cg, fd->t);
    FnCtx s;
    LLVMBasicBlockRef resume;
    LLVMValueRef fn = new_fn(f, "combine", cg_rt_cb_type(cg, RT_CB_CombineFn), &s, &resume);
    LLVMValueRef clo = load_fold_env(&s, fd, LLVMGetParam(fn, 1));
    LLVMValueRef a = LLVMBuildLoad2(cg->b, T, LLVMGetParam(fn, 2), "a");
    LLVMValueRef b = LLVMBuildLoad2(cg->b, T, LLVMGetParam(fn, 3), "b");
    LLVMBuildStore(cg->b, fold_op(&s, fd, clo, a, b), LLVMGetParam(fn, 4));
    if (!scan) cg_release(&s, a, fd->t);
    cg_release(&s, b, fd->t);
    LLVMBuildRetVoid(cg->b);
    cg_sub_end(f, &s, resume);
    return fn;
}

/* Evaluates the pipe and sets up the fold's env in the caller's frame. */
static LLVMValueRef fold_env(FnCtx *f, Fold *fd, LLVMValueRef init, LLVMValueRef out) {
    Cg *cg = f->cg;
    LLVMTypeRef T = cg_type(cg, fd->t);
    LLVMValueRef clo = user_closure(fd) ? cg_borrow(f, fd->fn) : NULL;
    LLVMTypeRef extra[F_NEXTRA] = {T, cg_closure_type(cg), cg->t_ptr};
    bool lam = fd->op == FOLD_USER && fd->fn->kind == E_LAMBDA; /* inlined: needs its captures */
    cg_pipe_env(cg, &fd->pipe, extra, F_NEXTRA, lam ? fd->fn->u.lambda.captures : NULL,
                lam ? fd->fn->u.lambda.ncaptures : 0, &fd->env);
    LLVMValueRef envp = cg_alloca(f, fd->env.ty, "fold.env");
    if (init) LLVMBuildStore(cg->b, init, LLVMBuildStructGEP2(cg->b, fd->env.ty, envp, F_INIT, ""));
    if (out) LLVMBuildStore(cg->b, out, LLVMBuildStructGEP2(cg->b, fd->env.ty, envp, F_OUT, ""));
    if (clo) LLVMBuildStore(cg->b, clo, LLVMBuildStructGEP2(cg->b, fd->env.ty, envp, F_CLO, ""));
    cg_pipe_store(f, &fd->pipe, &fd->env, envp);
    return envp;
}

/* Over an empty pipe, retains or releases v (a managed accumulator). */
static void when_empty(FnCtx *f, const Fold *fd, LLVMValueRef v, bool retain) {
    Cg *cg = f->cg;
    if (!cg_managed(fd->t)) return;
    LLVMBasicBlockRef empty = cg_new_block(f, "fold.empty"), done = cg_new_block(f, "fold.done");
    LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntEQ, fd->pipe.len, i64c(cg, 0), ""), empty, done);
    LLVMPositionBuilderAtEnd(cg->b, empty);
    if (retain) cg_retain(f, v, fd->t);
    else cg_release(f, v, fd->t);
    LLVMBuildBr(cg->b, done);
    LLVMPositionBuilderAtEnd(cg->b, done);
}

/* The fold over fd->pipe, evaluated already: in the fixed tree of
 * RT_par_reduce, or split lazily by RT_par_fold (fd->lazy_fold). */
static LLVMValueRef fold_pipe(FnCtx *f, Fold *fd, LLVMValueRef init) {
    Cg *cg = f->cg;
    LLVMTypeRef T = cg_type(cg, fd->t);
    if (fd->from_first)
        cg_fail_here(f, LLVMBuildICmp(cg->b, LLVMIntEQ, fd->pipe.len, i64c(cg, 0), ""), fd->where,
                     fd->op == FOLD_MIN ? "minimum of an empty array" : "maximum of an empty array");
    LLVMValueRef envp = fold_env(f, fd, init, NULL);
    LLVMValueRef leaf = gen_fold_block(f, fd, false);
    LLVMValueRef comb = gen_combine(f, fd, false);
    LLVMValueRef out = cg_alloca(f, T, "fold.out");
    if (init) LLVMBuildStore(cg->b, init, out);
    LLVMValueRef args[7] = {f->w, fd->pipe.len, i64c(cg, (long long)LLVMABISizeOfType(cg->td, T)),
                            leaf, comb, envp, out};
    cg_rt_call_at(f, fd->lazy_fold ? RT_par_fold : RT_par_reduce, args);
    LLVMValueRef r = LLVMBuildLoad2(cg->b, T, out, "folded");
    if (init) when_empty(f, fd, r, true); /* the result is the borrowed identity itself */
    return r;
}

/* Frees an array the builtin made for itself (never seen by the program). */
static void release_temp(FnCtx *f, LLVMValueRef arr) {
    cg_rt_call(f->cg, RT_release_arr, &arr);
}

/* The pipe over an array value. */
static bool array_pipe(FnCtx *f, CgPipe *p, Expr *xs_expr, LLVMValueRef xs) {
    memset(p, 0, sizeof *p);
    p->base = xs_expr;
    p->base_elem = xs_expr->type->elem;
    return cg_pipe_eval(f, p, xs);
}

/* Below this many elements a fold's fixed tree has too few leaves to keep
 * the workers busy: costly elements are then computed in parallel first. */
#define SHORT_FOLD (16 * PEL_REDUCE_LEAF)

static LLVMValueRef par_fold(FnCtx *f, Fold *fd, Expr *xs_expr, LLVMValueRef xs, LLVMValueRef init) {
    Cg *cg = f->cg;
    if (xs) return array_pipe(f, &fd->pipe, xs_expr, xs) ? fold_pipe(f, fd, init) : NULL;
    cg_pipe_of(f, xs_expr, &fd->pipe);
    if (!cg_pipe_eval(f, &fd->pipe, NULL)) return NULL;
    if (!fd->costly_elems || fd->lazy_fold) return fold_pipe(f, fd, init);
    /* costly elements: fused when there are leaves enough, else materialised
     * in parallel and then folded (the same tree, so the same result) */
    Fold small = *fd;
    LLVMBasicBlockRef few = cg_new_block(f, "fold.short"), many = cg_new_block(f, "fold.long");
    LLVMBasicBlockRef done = cg_new_block(f, "fold.done");
    LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntSLT, fd->pipe.len, i64c(cg, SHORT_FOLD), ""), few, many);
    LLVMPositionBuilderAtEnd(cg->b, many);
    LLVMValueRef v_many = fold_pipe(f, fd, init);
    LLVMBasicBlockRef many_end = LLVMGetInsertBlock(cg->b);
    LLVMBuildBr(cg->b, done);
    LLVMPositionBuilderAtEnd(cg->b, few);
    LLVMValueRef arr = cg_pipe_materialize(f, &small.pipe);
    LLVMValueRef v_few = arr && array_pipe(f, &small.pipe, xs_expr, arr) ? fold_pipe(f, &small, init) : NULL;
    if (!v_few || !v_many) return NULL;
    release_temp(f, arr); /* internal: nothing else refers to it */
    LLVMBasicBlockRef few_end = LLVMGetInsertBlock(cg->b);
    LLVMBuildBr(cg->b, done);
    LLVMPositionBuilderAtEnd(cg->b, done);
    LLVMValueRef phi = LLVMBuildPhi(cg->b, cg_type(cg, fd->t), "fold");
    LLVMValueRef vals[2] = {v_many, v_few};
    LLVMBasicBlockRef bbs[2] = {many_end, few_end};
    LLVMAddIncoming(phi, vals, bbs, 2);
    return phi;
}

/* scan writes an array anyway: its source is fused as it is */
static bool fold_source(FnCtx *f, Fold *fd, Expr *xs_expr, LLVMValueRef xs) {
    if (xs) return array_pipe(f, &fd->pipe, xs_expr, xs);
    cg_pipe_of(f, xs_expr, &fd->pipe);
    return cg_pipe_eval(f, &fd->pipe, NULL);
}

static LLVMValueRef par_scan(FnCtx *f, Fold *fd, Expr *xs_expr, LLVMValueRef xs, LLVMValueRef init) {
    Cg *cg = f->cg;
    LLVMTypeRef T = cg_type(cg, fd->t);
    if (!fold_source(f, fd, xs_expr, xs)) return NULL;
    LLVMValueRef out = cg_arr_new(f, fd->pipe.len, fd->t);
    LLVMValueRef envp = fold_env(f, fd, init, out);
    LLVMValueRef leaf = gen_fold_block(f, fd, false);
    LLVMValueRef comb = gen_combine(f, fd, true);
    LLVMValueRef blk = gen_fold_block(f, fd, true);
    LLVMValueRef initp = cg_alloca(f, T, "scan.init");
    LLVMBuildStore(cg->b, init, initp);
    cg_retain(f, init, fd->t); /* the first block's carry, which it consumes */
    LLVMValueRef args[8] = {f->w, fd->pipe.len, i64c(cg, (long long)LLVMABISizeOfType(cg->td, T)), leaf, comb,
                            blk, envp, initp};
    cg_rt_call_at(f, RT_par_scan, args);
    when_empty(f, fd, init, false); /* no block ran to consume the first carry */
    return out;
}

/* ---- filter: flags in parallel, then compaction ------------------------------------------- */

static LLVMValueRef filter(FnCtx *f, Expr *e, LLVMValueRef xs) {
    Cg *cg = f->cg;
    const Type *t = e->type->elem;
    /* flags = map(xs, pred), through the same parallel loop as map */
    Type *bool_arr = type_array(&cg->arena, type_new(&cg->arena, TY_BOOL));
    LLVMValueRef flags = cg_map(f, e, xs, bool_arr->elem, false);
    if (!flags) return NULL;
    LLVMValueRef n = cg_len(f, xs);
    LLVMValueRef cnt_slot = cg_alloca(f, cg->t_i64, "count");
    LLVMBuildStore(cg->b, i64c(cg, 0), cnt_slot);
    CgLoop L;
    cg_loop_begin(f, i64c(cg, 0), n, &L);
    LLVMValueRef fl = LLVMBuildZExt(cg->b, load_elem(f, flags, L.i, bool_arr->elem), cg->t_i64, "");
    LLVMBuildStore(cg->b, LLVMBuildAdd(cg->b, LLVMBuildLoad2(cg->b, cg->t_i64, cnt_slot, ""), fl, ""), cnt_slot);
    cg_loop_end(f, &L);
    LLVMValueRef out = cg_arr_new(f, LLVMBuildLoad2(cg->b, cg->t_i64, cnt_slot, ""), t);
    LLVMBuildStore(cg->b, i64c(cg, 0), cnt_slot);
    cg_loop_begin(f, i64c(cg, 0), n, &L);
    LLVMBasicBlockRef keep = cg_new_block(f, "keep"), next = cg_new_block(f, "next");
    LLVMBuildCondBr(cg->b, load_elem(f, flags, L.i, bool_arr->elem), keep, next);
    LLVMPositionBuilderAtEnd(cg->b, keep);
    LLVMValueRef k = LLVMBuildLoad2(cg->b, cg->t_i64, cnt_slot, "");
    cg_store_elem(f, copy_of_elem(f, xs, L.i, t), out, k, t);
    LLVMBuildStore(cg->b, LLVMBuildAdd(cg->b, k, i64c(cg, 1), ""), cnt_slot);
    LLVMBuildBr(cg->b, next);
    LLVMPositionBuilderAtEnd(cg->b, next);
    cg_loop_end(f, &L);
    release_temp(f, flags);
    return out;
}

/* ---- sequential array builtins ------------------------------------------------------------- */

/* out[k + i] = src[lo + i] for i in [0, n) */
static void copy_elems(FnCtx *f, LLVMValueRef out, LLVMValueRef k, LLVMValueRef src, LLVMValueRef lo,
                       LLVMValueRef n, const Type *t) {
    Cg *cg = f->cg;
    CgLoop L;
    cg_loop_begin(f, i64c(cg, 0), n, &L);
    LLVMValueRef v = copy_of_elem(f, src, LLVMBuildAdd(cg->b, lo, L.i, ""), t);
    cg_store_elem(f, v, out, LLVMBuildAdd(cg->b, k, L.i, ""), t);
    cg_loop_end(f, &L);
}

/* set and push (v0.2): the array to write into. Handed over (take0) and
 * unique (pel_rt_unique: no other owner can see it), xs itself; else a
 * copy with room for len elements (the shared one keeps its elements and
 * the reference handed over is let go). */
static LLVMValueRef own_copy(FnCtx *f, LLVMValueRef xs, LLVMValueRef len, const Type *t, bool take0, bool grow) {
    Cg *cg = f->cg;
    LLVMValueRef n = cg_len(f, xs);
    LLVMBasicBlockRef copy = cg_new_block(f, "copy"), done = cg_new_block(f, "owned"), reuse = NULL;
    LLVMValueRef grown = NULL;
    if (take0) {
        reuse = cg_new_block(f, "in.place");
        /* pel_rt_unique inline (a sieve asks once per element): acquire,
         * pairing with the release in the other owners' count decrements,
         * so their reads of the array happen before our writes */
        LLVMValueRef rc = LLVMBuildLoad2(cg->b, cg->t_i64, xs, "rc");
        LLVMSetOrdering(rc, LLVMAtomicOrderingAcquire);
        LLVMSetAlignment(rc, 8);
        LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntEQ, rc, i64c(cg, 1), "unique"), reuse, copy);
        LLVMPositionBuilderAtEnd(cg->b, reuse);
        if (grow) {
            LLVMValueRef args[2] = {xs, len};
            grown = cg_rt_call_at(f, RT_arr_grow, args);
        }
        LLVMBuildBr(cg->b, done);
    } else {
        LLVMBuildBr(cg->b, copy);
    }
    LLVMPositionBuilderAtEnd(cg->b, copy);
    LLVMValueRef out = cg_arr_new(f, len, t);
    copy_elems(f, out, i64c(cg, 0), xs, i64c(cg, 0), n, t);
    if (take0) release_temp(f, xs);
    LLVMBasicBlockRef copy_end = LLVMGetInsertBlock(cg->b);
    LLVMBuildBr(cg->b, done);
    LLVMPositionBuilderAtEnd(cg->b, done);
    LLVMValueRef phi = LLVMBuildPhi(cg->b, cg->t_ptr, "arr");
    LLVMValueRef vals[2] = {out, grow ? grown : xs};
    LLVMBasicBlockRef bbs[2] = {copy_end, reuse};
    LLVMAddIncoming(phi, vals, bbs, take0 ? 2 : 1);
    return phi;
}

/* set(xs, i, v): bounds-checked, O(1) in place when xs is handed over
 * unique (ir/moves.c says when it is handed over; IrFact.known_unique,
 * ir/unique.c, that it is unique without a look at its count) */
static LLVMValueRef set_elem(FnCtx *f, Expr *e, LLVMValueRef xs, LLVMValueRef i, LLVMValueRef v, bool take0) {
    const Type *t = e->type->elem;
    LLVMValueRef n = cg_len(f, xs);
    cg_check_index(f, e->loc, i, n);
    LLVMValueRef arr = take0 && cg_fact(f, e)->known_unique ? xs : own_copy(f, xs, n, t, take0, false);
    /* v first: it may be the element it replaces (set(xs, i, xs[i])) */
    cg_retain(f, v, t); /* borrowed: the array is one more owner */
    if (cg_managed(t)) cg_release(f, cg_load_elem(f, arr, i, t, "old"), t);
    cg_store_elem(f, v, arr, i, t);
    return arr;
}

/* push(xs, v): amortized O(1) in place (pel_rt_arr_grow doubles the room) */
static LLVMValueRef push_elem(FnCtx *f, Expr *e, LLVMValueRef xs, LLVMValueRef v, bool take0) {
    Cg *cg = f->cg;
    const Type *t = e->type->elem;
    LLVMValueRef n = cg_len(f, xs);
    LLVMValueRef len = cg_len_add(f, e->loc, n, i64c(cg, 1));
    LLVMValueRef grow[2] = {xs, len};
    LLVMValueRef arr = take0 && cg_fact(f, e)->known_unique ? cg_rt_call_at(f, RT_arr_grow, grow)
                                                             : own_copy(f, xs, len, t, take0, true);
    cg_retain(f, v, t);
    cg_store_elem(f, v, arr, n, t);
    return arr;
}

/* slice of an array, or of a str (byte offsets): the same bounds check */
static LLVMValueRef slice(FnCtx *f, Expr *e, LLVMValueRef xs, LLVMValueRef lo, LLVMValueRef hi) {
    Cg *cg = f->cg;
    LLVMValueRef n = cg_len(f, xs);
    LLVMValueRef bad = LLVMBuildOr(cg->b, LLVMBuildICmp(cg->b, LLVMIntSLT, lo, i64c(cg, 0), ""),
                                   LLVMBuildOr(cg->b, LLVMBuildICmp(cg->b, LLVMIntSGT, hi, n, ""),
                                               LLVMBuildICmp(cg->b, LLVMIntSGT, lo, hi, ""), ""), "");
    LLVMBasicBlockRef fail = cg_new_block(f, "slice.bad"), ok = cg_new_block(f, "slice.ok");
    LLVMBuildCondBr(cg->b, bad, fail, ok);
    LLVMPositionBuilderAtEnd(cg->b, fail);
    LLVMValueRef args[5] = {cg_loc_string(cg, e->loc), lo, hi, n};
    cg_rt_call(cg, RT_fail_slice, args);
    LLVMBuildUnreachable(cg->b);
    LLVMPositionBuilderAtEnd(cg->b, ok);
    if (e->type->kind == TY_STR) {
        LLVMValueRef sargs[3] = {xs, lo, hi};
        return cg_rt_call_at(f, RT_str_slice, sargs);
    }
    const Type *t = e->type->elem;
    LLVMValueRef len = LLVMBuildSub(cg->b, hi, lo, "");
    LLVMValueRef out = cg_arr_new(f, len, t);
    copy_elems(f, out, i64c(cg, 0), xs, lo, len, t);
    return out;
}

static LLVMValueRef zip(FnCtx *f, Expr *e, LLVMValueRef xs, LLVMValueRef ys) {
    Cg *cg = f->cg;
    const Type *pt = e->type->elem;
    LLVMValueRef n = cg_len(f, xs), m = cg_len(f, ys);
    LLVMBasicBlockRef fail = cg_new_block(f, "zip.bad"), ok = cg_new_block(f, "zip.ok");
    LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntNE, n, m, ""), fail, ok);
    LLVMPositionBuilderAtEnd(cg->b, fail);
    LLVMValueRef args[3] = {cg_loc_string(cg, e->loc), n, m};
    cg_rt_call(cg, RT_fail_zip, args);
    LLVMBuildUnreachable(cg->b);
    LLVMPositionBuilderAtEnd(cg->b, ok);
    LLVMValueRef out = cg_arr_new(f, n, pt);
    CgLoop L;
    cg_loop_begin(f, i64c(cg, 0), n, &L);
    LLVMValueRef p = LLVMGetUndef(cg_type(cg, pt));
    p = LLVMBuildInsertValue(cg->b, p, copy_of_elem(f, xs, L.i, pt->items[0]), 0, "");
    p = LLVMBuildInsertValue(cg->b, p, copy_of_elem(f, ys, L.i, pt->items[1]), 1, "");
    cg_store_elem(f, p, out, L.i, pt);
    cg_loop_end(f, &L);
    return out;
}

static LLVMValueRef unzip(FnCtx *f, Expr *e, LLVMValueRef ps_arr) {
    Cg *cg = f->cg;
    const Type *pt = e->u.call.args[0]->type->elem;
    LLVMValueRef n = cg_len(f, ps_arr);
    LLVMValueRef a = cg_arr_new(f, n, pt->items[0]), b = cg_arr_new(f, n, pt->items[1]);
    CgLoop L;
    cg_loop_begin(f, i64c(cg, 0), n, &L);
    LLVMValueRef p = copy_of_elem(f, ps_arr, L.i, pt);
    cg_store_elem(f, LLVMBuildExtractValue(cg->b, p, 0, ""), a, L.i, pt->items[0]);
    cg_store_elem(f, LLVMBuildExtractValue(cg->b, p, 1, ""), b, L.i, pt->items[1]);
    cg_loop_end(f, &L);
    LLVMValueRef t = LLVMGetUndef(cg_type(cg, e->type));
    t = LLVMBuildInsertValue(cg->b, t, a, 0, "");
    return LLVMBuildInsertValue(cg->b, t, b, 1, "unzipped");
}

static LLVMValueRef flatten(FnCtx *f, Expr *e, LLVMValueRef xss) {
    Cg *cg = f->cg;
    const Type *t = e->type->elem, *inner = e->u.call.args[0]->type->elem;
    LLVMValueRef n = cg_len(f, xss);
    LLVMValueRef total = cg_alloca(f, cg->t_i64, "total");
    LLVMBuildStore(cg->b, i64c(cg, 0), total);
    CgLoop L;
    cg_loop_begin(f, i64c(cg, 0), n, &L);
    LLVMValueRef len = cg_len(f, load_elem(f, xss, L.i, inner));
    LLVMBuildStore(cg->b, cg_len_add(f, e->loc, LLVMBuildLoad2(cg->b, cg->t_i64, total, ""), len), total);
    cg_loop_end(f, &L);
    LLVMValueRef out = cg_arr_new(f, LLVMBuildLoad2(cg->b, cg->t_i64, total, ""), t);
    LLVMBuildStore(cg->b, i64c(cg, 0), total);
    cg_loop_begin(f, i64c(cg, 0), n, &L);
    LLVMValueRef xs = load_elem(f, xss, L.i, inner);
    LLVMValueRef k = LLVMBuildLoad2(cg->b, cg->t_i64, total, "");
    LLVMValueRef m = cg_len(f, xs);
    copy_elems(f, out, k, xs, i64c(cg, 0), m, t);
    LLVMBuildStore(cg->b, LLVMBuildAdd(cg->b, k, m, ""), total);
    cg_loop_end(f, &L);
    return out;
}

/* sort_by(xs, key): the keys in parallel (map's loop), the permutation that
 * sorts them stably (the runtime's merge sort), then the elements gathered
 * in that order */
static LLVMValueRef sort_by(FnCtx *f, Expr *e, LLVMValueRef xs) {
    Cg *cg = f->cg;
    const Type *t = e->type->elem, *kt = e->u.call.args[1]->type->ret;
    LLVMValueRef keys = cg_map(f, e, xs, kt, false);
    if (!keys) return NULL;
    LLVMValueRef args[2] = {f->w, keys};
    RtFn fn = kt->kind == TY_I64 ? RT_sort_perm_i64 : kt->kind == TY_F64 ? RT_sort_perm_f64 : RT_sort_perm_str;
    LLVMValueRef perm = cg_rt_call_at(f, fn, args);
    LLVMValueRef n = cg_len(f, xs);
    LLVMValueRef out = cg_arr_new(f, n, t);
    CgLoop L;
    cg_loop_begin(f, i64c(cg, 0), n, &L);
    LLVMValueRef from = load_elem(f, perm, L.i, type_new(&cg->arena, TY_I64));
    cg_store_elem(f, copy_of_elem(f, xs, from, t), out, L.i, t);
    cg_loop_end(f, &L);
    release_temp(f, keys); /* its drop releases str keys */
    release_temp(f, perm);
    return out;
}

/* IrFact.unique_state: before a loop over [lo, n) that runs, the state in
 * *acc (the loop's own reference) becomes unique, a copy if another owner
 * holds it, as the first step's in-place set would have made it. */
static void unique_state(FnCtx *f, const Type *t, LLVMValueRef lo, LLVMValueRef n, LLVMValueRef acc) {
    Cg *cg = f->cg;
    LLVMBasicBlockRef runs = cg_new_block(f, "state.runs"), done = cg_new_block(f, "state.unique");
    LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntSLT, lo, n, ""), runs, done);
    LLVMPositionBuilderAtEnd(cg->b, runs);
    LLVMValueRef xs = LLVMBuildLoad2(cg->b, cg->t_ptr, acc, "state");
    LLVMBuildStore(cg->b, own_copy(f, xs, cg_len(f, xs), t->elem, true, false), acc);
    LLVMBuildBr(cg->b, done);
    LLVMPositionBuilderAtEnd(cg->b, done);
}

/* foldl and iterate: sequential, the function applied in order. The loop
 * owns the state (init_owned: the initial one was handed over, else it
 * takes a reference); each step of a lambda owns the state it is given, so
 * the body may take it (a move into set or push: ir/moves.c) and whatever
 * it did not take dies after the step. */
static LLVMValueRef seq_apply(FnCtx *f, Expr *e, bool is_foldl, LLVMValueRef *a, bool init_owned) {
    Cg *cg = f->cg;
    Expr *fn = e->u.call.args[2];
    LLVMValueRef clo = fn->kind == E_LAMBDA ? NULL : cg_borrow(f, fn);
    LLVMTypeRef T = cg_type(cg, e->type);
    LLVMValueRef acc = cg_alloca(f, T, "acc");
    if (!init_owned) cg_retain(f, a[1], e->type);
    LLVMBuildStore(cg->b, a[1], acc);
    /* a foldl over a range counts through it (IrFact.fused: no array) */
    Expr *xs = e->u.call.args[0];
    bool over_range = is_foldl && cg_fact(f, e)->fused;
    LLVMValueRef lo = i64c(cg, 0), n;
    if (over_range) {
        lo = cg_expr(f, xs->u.range.lo, false);
        n = cg_expr(f, xs->u.range.hi, false);
    } else {
        n = is_foldl ? cg_len(f, a[0]) : a[0];
    }
    if (cg_fact(f, e)->unique_state) unique_state(f, e->type, lo, n, acc);
    CgLoop L;
    cg_loop_begin(f, lo, n, &L);
    LLVMValueRef args[2] = {LLVMBuildLoad2(cg->b, T, acc, ""), NULL};
    if (is_foldl) args[1] = over_range ? L.i : load_elem(f, a[0], L.i, xs->type->elem);
    int mark = cg_owned_mark(f);
    FnDecl *named = fn->kind == E_NAME && fn->u.name.kind == NAME_FN ? fn->u.name.fn : NULL;
    const bool *owned = named ? cg->ir->funcs[named->index]->param_owned : NULL;
    if (owned && owned[0]) {
        /* a named step that owns its state parameter: the loop hands its
         * state over, so the step may extend it in place (ir/moves.c) */
        if (is_foldl && owned[1]) cg_retain(f, args[1], xs->type->elem);
        LLVMBuildStore(cg->b, cg_call_fn(f, named, args, is_foldl ? 2 : 1), acc);
    } else if (clo) {
        LLVMValueRef v = cg_apply(f, fn, clo, args, is_foldl ? 2 : 1);
        cg_release(f, args[0], e->type);
        LLVMBuildStore(cg->b, v, acc);
    } else {
        cg_own(f, args[0], e->type);
        LLVMValueRef v = cg_apply(f, fn, clo, args, is_foldl ? 2 : 1);
        cg_release_owned(f, mark);
        LLVMBuildStore(cg->b, v, acc);
    }
    cg_loop_end(f, &L);
    return LLVMBuildLoad2(cg->b, T, acc, "result");
}

LLVMValueRef cg_builtin_data(FnCtx *f, Expr *e, const Builtin *bi, LLVMValueRef *a, bool take0) {
    Cg *cg = f->cg;
    const Type *t0 = e->u.call.nargs ? e->u.call.args[0]->type : NULL;
    Fold fd = {.t = e->type, .costly_elems = cg_fact(f, e)->costly_elems, .lazy_fold = cg_fact(f, e)->lazy_fold};
    switch (bi->kind) {
    case B_MAP: return cg_map(f, e, a[0], e->type->elem, take0);
    case B_FILTER: return filter(f, e, a[0]);
    case B_REDUCE:
        fd.op = FOLD_USER;
        fd.fn = e->u.call.args[2];
        return par_fold(f, &fd, e->u.call.args[0], a[0], a[1]);
    case B_SCAN:
        fd.op = FOLD_USER;
        fd.fn = e->u.call.args[2];
        fd.t = t0->elem;
        return par_scan(f, &fd, e->u.call.args[0], a[0], a[1]);
    case B_SUM: case B_PRODUCT:
        fd.op = bi->kind == B_SUM ? FOLD_ADD : FOLD_MUL;
        return par_fold(f, &fd, e->u.call.args[0], a[0], cg_sum_identity(cg, e->type, bi->kind == B_PRODUCT));
    case B_MINIMUM: case B_MAXIMUM:
        fd.op = bi->kind == B_MINIMUM ? FOLD_MIN : FOLD_MAX;
        fd.from_first = true;
        fd.where = e->loc;
        return par_fold(f, &fd, e->u.call.args[0], a[0], NULL);
    case B_SORT: {
        RtFn fn = t0->elem->kind == TY_I64 ? (take0 ? RT_sort_i64_owned : RT_sort_i64)
                  : t0->elem->kind == TY_F64 ? (take0 ? RT_sort_f64_owned : RT_sort_f64)
                  : (take0 ? RT_sort_str_owned : RT_sort_str);
        LLVMValueRef args[2] = {f->w, a[0]};
        return cg_rt_call_at(f, fn, args);
    }
    case B_SORT_BY: return sort_by(f, e, a[0]);
    case B_ZIP: return zip(f, e, a[0], a[1]);
    case B_UNZIP: return unzip(f, e, a[0]);
    case B_FILL: {
        LLVMValueRef n = LLVMBuildSelect(cg->b, LLVMBuildICmp(cg->b, LLVMIntSLT, a[0], i64c(cg, 0), ""),
                                         i64c(cg, 0), a[0], "");
        LLVMValueRef out = cg_arr_new(f, n, e->type->elem);
        CgLoop L;
        cg_loop_begin(f, i64c(cg, 0), n, &L);
        cg_retain(f, a[1], e->type->elem);
        cg_store_elem(f, a[1], out, L.i, e->type->elem);
        cg_loop_end(f, &L);
        return out;
    }
    case B_CONCAT: {
        const Type *t = e->type->elem;
        LLVMValueRef n = cg_len(f, a[0]), m = cg_len(f, a[1]);
        LLVMValueRef out = cg_arr_new(f, cg_len_add(f, e->loc, n, m), t);
        copy_elems(f, out, i64c(cg, 0), a[0], i64c(cg, 0), n, t);
        copy_elems(f, out, n, a[1], i64c(cg, 0), m, t);
        return out;
    }
    case B_SLICE: return slice(f, e, a[0], a[1], a[2]);
    case B_REVERSE: {
        const Type *t = e->type->elem;
        LLVMValueRef n = cg_len(f, a[0]);
        LLVMValueRef out = cg_arr_new(f, n, t);
        CgLoop L;
        cg_loop_begin(f, i64c(cg, 0), n, &L);
        LLVMValueRef j = LLVMBuildSub(cg->b, LLVMBuildSub(cg->b, n, i64c(cg, 1), ""), L.i, "");
        cg_store_elem(f, copy_of_elem(f, a[0], L.i, t), out, j, t);
        cg_loop_end(f, &L);
        return out;
    }
    case B_FLATTEN: return flatten(f, e, a[0]);
    case B_SET: return set_elem(f, e, a[0], a[1], a[2], take0);
    case B_PUSH: return push_elem(f, e, a[0], a[1], take0);
    case B_FOLDL: return seq_apply(f, e, true, a, take0);
    case B_ITERATE: return seq_apply(f, e, false, a, take0);
    case B_SPLIT:
        /* checked here, where the location is known */
        cg_fail_here(f, LLVMBuildICmp(cg->b, LLVMIntEQ, cg_len(f, a[1]), i64c(cg, 0), ""), e->loc,
                     "split() separator is the empty string");
        return cg_rt_call_at(f, RT_split, a);
    case B_LINES: return cg_rt_call_at(f, RT_lines, a);
    case B_TRIM: return cg_rt_call_at(f, RT_trim, a);
    case B_PARSE_I64: case B_PARSE_F64: {
        LLVMValueRef args[2] = {cg_loc_string(cg, e->loc), a[0]};
        return cg_rt_call(cg, bi->kind == B_PARSE_I64 ? RT_parse_i64 : RT_parse_f64, args);
    }
    case B_ARGS: return cg_rt_call_at(f, RT_args, NULL);
    case B_FIND: return cg_rt_call(cg, RT_str_find, a);
    case B_BYTES: return cg_rt_call_at(f, RT_bytes, a);
    case B_FROM_BYTES: {
        LLVMValueRef args[2] = {cg_loc_string(cg, e->loc), a[0]};
        return cg_rt_call_at(f, RT_from_bytes, args);
    }
    case B_FIXED: {
        LLVMValueRef args[3] = {cg_loc_string(cg, e->loc), a[0], a[1]};
        return cg_rt_call_at(f, RT_fixed, args);
    }
    case B_READ_FILE: {
        LLVMValueRef args[2] = {cg_loc_string(cg, e->loc), a[0]};
        return cg_rt_call(cg, RT_read_file, args);
    }
    case B_WRITE_FILE: {
        LLVMValueRef args[3] = {cg_loc_string(cg, e->loc), a[0], a[1]};
        cg_rt_call(cg, RT_write_file, args);
        return cg_unit(cg);
    }
    default: return LLVMGetUndef(cg_type(cg, e->type));
    }
}
