/* cg_array.c — arrays: literals, indexing, ranges, and the parallel loops of
 * `for` and `map`.
 *
 * An array is a PelArr* whose elements sit unboxed from PEL_ARR_DATA. A
 * parallel loop compiles its body into `void body(w, env, lo, hi)` that runs
 * the elements [lo, hi) in order, and hands it to pel_rt_par_range, which
 * splits the index range lazily. Ranges are never materialised when a loop
 * consumes them: element i of a..b is a + i. */
#include <stdio.h>
#include <string.h>

#include "cg_internal.h"

static LLVMValueRef i64c(Cg *cg, long long v) { return LLVMConstInt(cg->t_i64, (unsigned long long)v, 1); }

void cg_loop_begin(FnCtx *f, LLVMValueRef lo, LLVMValueRef hi, CgLoop *L) {
    Cg *cg = f->cg;
    L->pre = LLVMGetInsertBlock(cg->b);
    L->head = cg_new_block(f, "loop.head");
    LLVMBasicBlockRef body = cg_new_block(f, "loop.body");
    L->exit = cg_new_block(f, "loop.exit");
    LLVMBuildBr(cg->b, L->head);
    LLVMPositionBuilderAtEnd(cg->b, L->head);
    L->phi = LLVMBuildPhi(cg->b, cg->t_i64, "i");
    LLVMAddIncoming(L->phi, &lo, &L->pre, 1);
    LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntSLT, L->phi, hi, ""), body, L->exit);
    LLVMPositionBuilderAtEnd(cg->b, body);
    L->i = L->phi;
}

void cg_loop_end(FnCtx *f, CgLoop *L) {
    Cg *cg = f->cg;
    LLVMBasicBlockRef latch = LLVMGetInsertBlock(cg->b);
    LLVMValueRef next = LLVMBuildAdd(cg->b, L->phi, i64c(cg, 1), "i.next");
    LLVMBuildBr(cg->b, L->head);
    LLVMAddIncoming(L->phi, &next, &latch, 1);
    LLVMPositionBuilderAtEnd(cg->b, L->exit);
}

/* llvm.s{add,sub}.with.overflow: the result, and in *ovf whether it wrapped */
static LLVMValueRef checked(Cg *cg, const char *name, LLVMValueRef a, LLVMValueRef b, LLVMValueRef *ovf) {
    unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
    LLVMTypeRef ty = cg->t_i64;
    LLVMValueRef fn = LLVMGetIntrinsicDeclaration(cg->mod, id, &ty, 1);
    LLVMValueRef args[2] = {a, b};
    LLVMValueRef r = LLVMBuildCall2(cg->b, LLVMIntrinsicGetType(cg->ctx, id, &ty, 1), fn, args, 2, "");
    *ovf = LLVMBuildExtractValue(cg->b, r, 1, "ovf");
    return LLVMBuildExtractValue(cg->b, r, 0, "");
}

/* hi - lo elements, none when hi <= lo. A range of more elements than
 * i64 counts (-1..9223372036854775807) is a runtime error at the range:
 * taken as empty, a map over it would return [] and hide the mistake. */
LLVMValueRef cg_range_len(FnCtx *f, Loc loc, LLVMValueRef lo, LLVMValueRef hi) {
    Cg *cg = f->cg;
    LLVMValueRef ovf;
    LLVMValueRef d = checked(cg, "llvm.ssub.with.overflow", hi, lo, &ovf);
    /* an overflow with hi < lo is an empty range, not a long one */
    LLVMValueRef bad = LLVMBuildAnd(cg->b, ovf, LLVMBuildICmp(cg->b, LLVMIntSGT, hi, lo, ""), "range.long");
    cg_fail_here(f, bad, loc, "range too long: more than 9223372036854775807 elements");
    LLVMValueRef zero = i64c(cg, 0);
    return LLVMBuildSelect(cg->b, LLVMBuildICmp(cg->b, LLVMIntSLT, d, zero, ""), zero, d, "len");
}

LLVMValueRef cg_len_add(FnCtx *f, Loc loc, LLVMValueRef a, LLVMValueRef b) {
    LLVMValueRef ovf;
    LLVMValueRef n = checked(f->cg, "llvm.sadd.with.overflow", a, b, &ovf);
    cg_fail_here(f, ovf, loc, "array too large: more than 9223372036854775807 elements");
    return n;
}

LLVMValueRef cg_len(FnCtx *f, LLVMValueRef v) {
    Cg *cg = f->cg;
    LLVMValueRef known = f->nhoisted ? cg_hoisted_len(f, v) : NULL;
    if (known) return known;
    LLVMValueRef off = i64c(cg, 8);
    LLVMValueRef len = LLVMBuildLoad2(cg->b, cg->t_i64, LLVMBuildGEP2(cg->b, cg->t_i8, v, &off, 1, ""), "len");
    cg_tbaa_len(cg, len);
    return len;
}

LLVMValueRef cg_arr_new(FnCtx *f, LLVMValueRef len, const Type *elem) {
    Cg *cg = f->cg;
    LLVMTypeRef ety = cg_type(cg, elem);
    LLVMValueRef args[3] = {len, i64c(cg, (long long)LLVMABISizeOfType(cg->td, ety)),
                            cg_elem_drop_fn(cg, elem)};
    return cg_rt_call_at(f, RT_arr_new, args);
}

LLVMValueRef cg_elem_ptr(FnCtx *f, LLVMValueRef arr, LLVMValueRef i, const Type *elem) {
    Cg *cg = f->cg;
    LLVMValueRef off = i64c(cg, PEL_ARR_DATA);
    LLVMValueRef data = LLVMBuildGEP2(cg->b, cg->t_i8, arr, &off, 1, "data");
    return LLVMBuildGEP2(cg->b, cg_type(cg, elem), data, &i, 1, "elem");
}

void cg_fail_here(FnCtx *f, LLVMValueRef cond, Loc loc, const char *msg) {
    Cg *cg = f->cg;
    LLVMBasicBlockRef bad = cg_new_block(f, "fail"), ok = cg_new_block(f, "ok");
    LLVMBuildCondBr(cg->b, cond, f->bail ? f->bail : bad, ok); /* bail: see cg_tile.c */
    LLVMPositionBuilderAtEnd(cg->b, bad);
    LLVMValueRef args[2] = {cg_loc_string(cg, loc), cg_cstring(cg, msg)};
    cg_rt_call(cg, RT_fail, args);
    LLVMBuildUnreachable(cg->b);
    LLVMPositionBuilderAtEnd(cg->b, ok);
}

/* Literals of at least this many constant elements are copied from one
 * constant (cg_array_literal); shorter ones are stores LLVM folds away. */
enum { CONST_LITERAL_MIN = 16 };

/* Are the element values constants an array may hold as they are? Plain
 * scalars, and string literals, which are immortal (PEL_RC_STATIC), so
 * the array's drop releases them to no effect. */
static bool const_elems(const Type *elem, LLVMValueRef *v, int n) {
    if (elem->kind != TY_I64 && elem->kind != TY_F64 && elem->kind != TY_BOOL && elem->kind != TY_STR) return false;
    for (int i = 0; i < n; i++)
        if (!LLVMIsConstant(v[i])) return false;
    return true;
}

LLVMValueRef cg_array_literal(FnCtx *f, Expr *e) {
    Cg *cg = f->cg;
    int n = e->u.list.n;
    LLVMValueRef *v = ARENA_ARRAY(&cg->arena, LLVMValueRef, n + 1);
    for (int i = 0; i < n; i++) {
        v[i] = cg_expr(f, e->u.list.items[i], false);
        if (!v[i]) return NULL;
    }
    const Type *elem = e->type->elem;
    LLVMValueRef arr = cg_arr_new(f, i64c(cg, n), elem);
    if (n >= CONST_LITERAL_MIN && const_elems(elem, v, n)) {
        /* A table written out ([0, 1, 1, 2, 3, ...]): one constant copied
         * in, as C initialises an array. A store per element made -O2
         * superlinear in them (40000 took 45 s, 10^6 more than 10 min). */
        LLVMTypeRef ety = cg_type(cg, elem);
        LLVMValueRef init = LLVMConstArray2(ety, v, (uint64_t)n);
        LLVMValueRef g = LLVMAddGlobal(cg->mod, LLVMTypeOf(init), "table");
        LLVMSetInitializer(g, init);
        LLVMSetGlobalConstant(g, 1);
        LLVMSetLinkage(g, LLVMPrivateLinkage);
        LLVMSetUnnamedAddress(g, LLVMGlobalUnnamedAddr);
        unsigned align = (unsigned)LLVMABIAlignmentOfType(cg->td, ety);
        LLVMBuildMemCpy(cg->b, cg_elem_ptr(f, arr, i64c(cg, 0), elem), align, g, align,
                        i64c(cg, (long long)(LLVMABISizeOfType(cg->td, ety) * (unsigned long long)n)));
        return arr;
    }
    for (int i = 0; i < n; i++) cg_store_elem(f, v[i], arr, i64c(cg, i), elem);
    return arr;
}

void cg_check_index(FnCtx *f, Loc loc, LLVMValueRef i, LLVMValueRef len) {
    Cg *cg = f->cg;
    LLVMBasicBlockRef bad = cg_new_block(f, "oob"), ok = cg_new_block(f, "inb");
    /* one unsigned compare catches negative indexes too */
    LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntUGE, i, len, "oob"), f->bail ? f->bail : bad, ok);
    LLVMPositionBuilderAtEnd(cg->b, bad);
    LLVMValueRef args[3] = {cg_loc_string(cg, loc), i, len};
    cg_rt_call(cg, RT_fail_index, args);
    LLVMBuildUnreachable(cg->b);
    LLVMPositionBuilderAtEnd(cg->b, ok);
}

LLVMValueRef cg_index(FnCtx *f, Expr *e) {
    Cg *cg = f->cg;
    LLVMValueRef arr = cg_borrow(f, e->u.index.base);
    LLVMValueRef i = arr ? cg_expr(f, e->u.index.index, false) : NULL;
    if (!i) return NULL;
    if (!cg_split_unchecked(f, e) && !cg_tile_col_checked(f, e, arr)) cg_check_index(f, e->loc, i, cg_len(f, arr));
    if (e->u.index.base->type->kind == TY_STR) { /* the byte at i, 0..255 */
        LLVMValueRef off = LLVMBuildAdd(cg->b, i, i64c(cg, (long long)offsetof(PelStr, data)), "");
        LLVMValueRef byte = LLVMBuildLoad2(cg->b, cg->t_i8, LLVMBuildGEP2(cg->b, cg->t_i8, arr, &off, 1, ""), "s.i");
        return LLVMBuildZExt(cg->b, byte, cg->t_i64, "byte");
    }
    const Type *elem = e->type;
    LLVMValueRef early = cg_fact(f, e)->hoist ? cg_hoisted(f, e) : NULL;
    if (early) return early; /* read at the chunk's start: k is checked above */
    return cg_load_elem(f, arr, i, elem, "a.i");
}

/* ---- ranges and parallel maps ---------------------------------------------------------- */

LLVMValueRef cg_range(FnCtx *f, Expr *e) {
    Cg *cg = f->cg;
    CgPipe p;
    cg_pipe_of(f, e, &p);
    if (!cg_pipe_eval(f, &p, NULL)) return NULL;
    LLVMValueRef arr = cg_arr_new(f, p.len, p.base_elem);
    CgLoop L;
    cg_loop_begin(f, i64c(cg, 0), p.len, &L);
    cg_store_elem(f, LLVMBuildAdd(cg->b, p.base_val, L.i, ""), arr, L.i, p.base_elem);
    cg_loop_end(f, &L);
    return arr;
}

LLVMValueRef cg_range_body_begin(FnCtx *f, const char *what, FnCtx *sub, LLVMBasicBlockRef *resume) {
    Cg *cg = f->cg;
    LLVMValueRef fn = cg_new_fn(f, what, cg_rt_cb_type(cg, RT_CB_RangeFn));
    *resume = LLVMGetInsertBlock(cg->b);
    cg_sub_begin(f, sub, fn);
    return fn;
}

/* void body(w, env, lo, hi): out[i] = element i of the pipe, for i in [lo, hi).
 * *quantum: how many elements the body computes at once (cg_tile.c). */
static LLVMValueRef gen_store_loop(FnCtx *f, CgPipe *p, const CgEnv *env, const Type *out_elem, int *quantum) {
    Cg *cg = f->cg;
    FnCtx sub;
    LLVMBasicBlockRef resume;
    LLVMValueRef fn = cg_range_body_begin(f, "loop", &sub, &resume);
    LLVMValueRef envp = LLVMGetParam(fn, 1);
    cg_pipe_load(&sub, p, env, envp);
    LLVMValueRef out = LLVMBuildLoad2(cg->b, cg->t_ptr, LLVMBuildStructGEP2(cg->b, env->ty, envp, 0, ""), "out");
    LLVMValueRef start = cg_tile_folds(&sub, p, out, LLVMGetParam(fn, 2), LLVMGetParam(fn, 3), quantum);
    CgSplit sp;
    bool split = cg_split_chunk(&sub, p, start, LLVMGetParam(fn, 3), &sp);
    for (int part = 0; part < (split ? 3 : 1); part++) {
        sub.middle = split && part == 1 ? &sp : NULL;
        CgLoop L;
        cg_loop_begin(&sub, split ? sp.cut[part] : start, split ? sp.cut[part + 1] : LLVMGetParam(fn, 3), &L);
        LLVMValueRef y = cg_pipe_elem(&sub, p, L.i, true);
        if (y) cg_store_elem(&sub, y, out, L.i, out_elem);
        cg_loop_end(&sub, &L);
    }
    sub.middle = NULL;
    LLVMBuildRetVoid(cg->b);
    cg_sub_end(f, &sub, resume);
    return fn;
}

/* Can element i of the result take the place of element i of the base?
 * Only plain values of one size: nothing to release in the old element,
 * and the header (length, element size, no drop) stays right. */
static bool reusable(Cg *cg, const CgPipe *p, const Type *out_elem) {
    return p->base_owned && !p->is_range && !cg_managed(p->base_elem) && !cg_managed(out_elem) &&
           LLVMABISizeOfType(cg->td, cg_type(cg, p->base_elem)) == LLVMABISizeOfType(cg->td, cg_type(cg, out_elem));
}

LLVMValueRef cg_pipe_materialize(FnCtx *f, CgPipe *p) {
    Cg *cg = f->cg;
    const Type *out_elem = cg_pipe_elem_type(p);
    LLVMValueRef out, unique = NULL;
    if (reusable(cg, p, out_elem)) {
        /* a temporary array nobody else refers to: element i is read and
         * then overwritten by the same iteration, so the result goes there */
        LLVMValueRef u = cg_rt_call(cg, RT_unique, &p->base_val);
        unique = LLVMBuildICmp(cg->b, LLVMIntNE, u, LLVMConstInt(cg->t_i32, 0, 0), "unique");
        LLVMBasicBlockRef pre = LLVMGetInsertBlock(cg->b);
        LLVMBasicBlockRef fresh = cg_new_block(f, "map.fresh"), join = cg_new_block(f, "map.out");
        LLVMBuildCondBr(cg->b, unique, join, fresh);
        LLVMPositionBuilderAtEnd(cg->b, fresh);
        LLVMValueRef made = cg_arr_new(f, p->len, out_elem);
        LLVMBuildBr(cg->b, join);
        LLVMPositionBuilderAtEnd(cg->b, join);
        out = LLVMBuildPhi(cg->b, cg->t_ptr, "out");
        LLVMValueRef vals[2] = {p->base_val, made};
        LLVMBasicBlockRef bbs[2] = {pre, fresh};
        LLVMAddIncoming(out, vals, bbs, 2);
    } else {
        out = cg_arr_new(f, p->len, out_elem);
    }
    LLVMTypeRef extra[1] = {cg->t_ptr};
    CgEnv env;
    cg_pipe_env(cg, p, extra, 1, NULL, 0, &env);
    int quantum;
    LLVMValueRef body = gen_store_loop(f, p, &env, out_elem, &quantum);
    LLVMValueRef envp = cg_alloca(f, env.ty, "loop.env");
    LLVMBuildStore(cg->b, out, LLVMBuildStructGEP2(cg->b, env.ty, envp, 0, ""));
    cg_pipe_store(f, p, &env, envp);
    LLVMValueRef args[5] = {f->w, p->len, i64c(cg, quantum), body, envp};
    cg_rt_call(cg, RT_par_range_q, args);
    if (p->base_owned && !p->is_range) { /* the base dies here, unless it became the result */
        LLVMValueRef dead = unique ? LLVMBuildSelect(cg->b, unique, LLVMConstNull(cg->t_ptr), p->base_val, "")
                                   : p->base_val;
        cg_release(f, dead, p->base->type);
    }
    return out;
}

/* A pipe over an array handed over (a temporary, or a moved variable:
 * IrFact.in_place, ir/moves.c) takes that array over. */
static LLVMValueRef materialize_pipe_of(FnCtx *f, Expr *e) {
    CgPipe p;
    cg_pipe_of(f, e, &p);
    p.base_owned = cg_fact(f, e)->in_place;
    return cg_pipe_eval(f, &p, NULL) ? cg_pipe_materialize(f, &p) : NULL;
}

LLVMValueRef cg_for(FnCtx *f, Expr *e) { return materialize_pipe_of(f, e); }

LLVMValueRef cg_map(FnCtx *f, Expr *e, LLVMValueRef xs, const Type *out_elem, bool take_xs) {
    if (!xs) return materialize_pipe_of(f, e);
    CgPipe p;
    /* xs is evaluated already: the pipe starts from it */
    memset(&p, 0, sizeof p);
    p.base = e->u.call.args[0];
    p.base_elem = e->u.call.args[0]->type->elem;
    p.base_owned = take_xs;
    cg_pipe_add_stage(&p, e, e->u.call.args[1], out_elem);
    return cg_pipe_eval(f, &p, xs) ? cg_pipe_materialize(f, &p) : NULL;
}
