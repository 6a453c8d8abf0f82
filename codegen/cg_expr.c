/* cg_expr.c — expressions to LLVM IR.
 *
 * Values are SSA values (PEL values are immutable, so a Local is just the
 * LLVM value it was bound to). Runtime checks branch to a cold block that
 * calls a noreturn pel_rt_fail* with the source location. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cg_internal.h"

static LLVMValueRef i64c(Cg *cg, long long v) { return LLVMConstInt(cg->t_i64, (unsigned long long)v, 1); }
static LLVMValueRef i32c(Cg *cg, int v) { return LLVMConstInt(cg->t_i32, (unsigned long long)v, 1); }

/* if (cond) fail: positions the builder on the fall-through path and
 * returns the failing block, positioned for the caller to fill. */
static LLVMBasicBlockRef fail_if(FnCtx *f, LLVMValueRef cond, LLVMBasicBlockRef *ok_out) {
    Cg *cg = f->cg;
    LLVMBasicBlockRef bad = cg_new_block(f, "fail");
    LLVMBasicBlockRef ok = cg_new_block(f, "ok");
    /* in a tile, bad is left without predecessors: the tile is redone */
    LLVMBuildCondBr(cg->b, cond, f->bail ? f->bail : bad, ok);
    *ok_out = ok;
    LLVMPositionBuilderAtEnd(cg->b, bad);
    return bad;
}

static void fail_msg(FnCtx *f, LLVMValueRef cond, Loc loc, const char *msg) {
    Cg *cg = f->cg;
    LLVMBasicBlockRef ok;
    fail_if(f, cond, &ok);
    LLVMValueRef args[2] = {cg_loc_string(cg, loc), cg_cstring(cg, msg)};
    cg_rt_call(cg, RT_fail, args);
    LLVMBuildUnreachable(cg->b);
    LLVMPositionBuilderAtEnd(cg->b, ok);
}

/* ---- operators --------------------------------------------------------------------- */

static LLVMValueRef int_divide(FnCtx *f, Expr *e, LLVMValueRef l, LLVMValueRef r) {
    Cg *cg = f->cg;
    fail_msg(f, LLVMBuildICmp(cg->b, LLVMIntEQ, r, i64c(cg, 0), "zero"), e->loc, "division by zero");
    LLVMValueRef min = LLVMBuildICmp(cg->b, LLVMIntEQ, l, i64c(cg, INT64_MIN), "");
    LLVMValueRef m1 = LLVMBuildICmp(cg->b, LLVMIntEQ, r, i64c(cg, -1), "");
    fail_msg(f, LLVMBuildAnd(cg->b, min, m1, "ovf"), e->loc, "i64 division overflow");
    return e->u.binary.op == OP_DIV ? LLVMBuildSDiv(cg->b, l, r, "div") : LLVMBuildSRem(cg->b, l, r, "rem");
}

static LLVMValueRef compare(FnCtx *f, BinaryOp op, LLVMValueRef l, LLVMValueRef r, const Type *t) {
    Cg *cg = f->cg;
    if (op == OP_EQ) return cg_equal(f, l, r, t);
    if (op == OP_NE) return LLVMBuildNot(cg->b, cg_equal(f, l, r, t), "ne");
    if (t->kind == TY_STR) {
        LLVMValueRef args[2] = {l, r};
        l = cg_rt_call(cg, RT_str_cmp, args);
        r = i32c(cg, 0);
    }
    if (t->kind == TY_F64) {
        LLVMRealPredicate p = op == OP_LT ? LLVMRealOLT : op == OP_LE ? LLVMRealOLE
                              : op == OP_GT ? LLVMRealOGT : LLVMRealOGE;
        return LLVMBuildFCmp(cg->b, p, l, r, "");
    }
    LLVMIntPredicate p = op == OP_LT ? LLVMIntSLT : op == OP_LE ? LLVMIntSLE
                         : op == OP_GT ? LLVMIntSGT : LLVMIntSGE;
    return LLVMBuildICmp(cg->b, p, l, r, "");
}

/* << >> >>>: a count outside 0..64 is a runtime error (spec 5), checked
 * like a division by zero (a tile bails) */
static LLVMValueRef shift(FnCtx *f, Expr *e, LLVMValueRef l, LLVMValueRef r) {
    Cg *cg = f->cg;
    LLVMBasicBlockRef ok;
    fail_if(f, LLVMBuildICmp(cg->b, LLVMIntUGE, r, i64c(cg, 64), "bad.shift"), &ok);
    LLVMValueRef args[2] = {cg_loc_string(cg, e->loc), r};
    cg_rt_call(cg, RT_fail_shift, args);
    LLVMBuildUnreachable(cg->b);
    LLVMPositionBuilderAtEnd(cg->b, ok);
    switch (e->u.binary.op) {
    case OP_SHL: return LLVMBuildShl(cg->b, l, r, "shl");
    case OP_SHR: return LLVMBuildAShr(cg->b, l, r, "shr");
    default: return LLVMBuildLShr(cg->b, l, r, "ushr");
    }
}

static LLVMValueRef arith(FnCtx *f, Expr *e, LLVMValueRef l, LLVMValueRef r) {
    Cg *cg = f->cg;
    const Type *t = e->u.binary.lhs->type;
    BinaryOp op = e->u.binary.op;
    switch (op) {
    case OP_EQ: case OP_NE: case OP_LT: case OP_LE: case OP_GT: case OP_GE: return compare(f, op, l, r, t);
    case OP_BAND: return LLVMBuildAnd(cg->b, l, r, "");
    case OP_BOR: return LLVMBuildOr(cg->b, l, r, "");
    case OP_BXOR: return LLVMBuildXor(cg->b, l, r, "");
    case OP_SHL: case OP_SHR: case OP_USHR: return shift(f, e, l, r);
    default: break;
    }
    if (t->kind == TY_STR) {
        LLVMValueRef args[2] = {l, r};
        return cg_rt_call_at(f, RT_str_concat, args);
    }
    if (t->kind == TY_F64) {
        switch (op) {
        case OP_ADD: return LLVMBuildFAdd(cg->b, l, r, "");
        case OP_SUB: return LLVMBuildFSub(cg->b, l, r, "");
        case OP_MUL: return LLVMBuildFMul(cg->b, l, r, "");
        case OP_DIV: return LLVMBuildFDiv(cg->b, l, r, "");
        default: return LLVMBuildFRem(cg->b, l, r, ""); /* fmod: sign of the dividend */
        }
    }
    switch (op) { /* i64: + - * wrap (two's complement), no nsw */
    case OP_ADD: return LLVMBuildAdd(cg->b, l, r, "");
    case OP_SUB: return LLVMBuildSub(cg->b, l, r, "");
    case OP_MUL: return LLVMBuildMul(cg->b, l, r, "");
    default: return int_divide(f, e, l, r);
    }
}

/* and / or: the right side runs only when needed */
static LLVMValueRef short_circuit(FnCtx *f, Expr *e) {
    Cg *cg = f->cg;
    bool is_and = e->u.binary.op == OP_AND;
    LLVMValueRef l = cg_expr(f, e->u.binary.lhs, false);
    LLVMBasicBlockRef lhs_end = LLVMGetInsertBlock(cg->b);
    LLVMBasicBlockRef rhs_bb = cg_new_block(f, is_and ? "and.rhs" : "or.rhs");
    LLVMBasicBlockRef done = cg_new_block(f, is_and ? "and.end" : "or.end");
    if (is_and) LLVMBuildCondBr(cg->b, l, rhs_bb, done);
    else LLVMBuildCondBr(cg->b, l, done, rhs_bb);
    LLVMPositionBuilderAtEnd(cg->b, rhs_bb);
    LLVMValueRef r = cg_expr(f, e->u.binary.rhs, false);
    LLVMBasicBlockRef rhs_end = LLVMGetInsertBlock(cg->b);
    LLVMBuildBr(cg->b, done);
    LLVMPositionBuilderAtEnd(cg->b, done);
    LLVMValueRef phi = LLVMBuildPhi(cg->b, cg->t_i1, "");
    LLVMValueRef vals[2] = {LLVMConstInt(cg->t_i1, is_and ? 0 : 1, 0), r};
    LLVMBasicBlockRef bbs[2] = {lhs_end, rhs_end};
    LLVMAddIncoming(phi, vals, bbs, 2);
    return phi;
}

/* ---- operands (maybe a parallel region) ------------------------------------------------ */

/* n trues: every operand owned */
static const bool *cg_all_owned(Cg *cg, int n) {
    bool *all = ARENA_ARRAY(&cg->arena, bool, n + 1);
    for (int i = 0; i < n; i++) all[i] = true;
    return all;
}

/* An operand given away (owned[i]): its own reference. A variable at its
 * last use gives its binding's, unless an earlier operand still points at
 * the array (IrFact.handed is false then: the callee could change it in
 * place under that operand's feet), which gets a new count instead. */
static LLVMValueRef give(FnCtx *f, Expr *e) {
    if (e->kind == E_NAME && e->type->kind == TY_ARRAY && cg_fact(f, e)->move && !cg_fact(f, e)->handed) {
        LLVMValueRef v = cg_borrow(f, e);
        if (v) cg_retain(f, v, e->type);
        return v;
    }
    return cg_expr(f, e, false);
}

/* The operands' values, owned where owned[i] (owned may be NULL: none),
 * else borrowed (cg_rc.c); a user function's owned parameters are given
 * their arguments (give). Joined task results are owned; borrowed ones
 * are released with the enclosing expression. */
static void cg_operands(FnCtx *f, Expr *owner, Expr **ops, int n, LLVMValueRef *out, const bool *owned,
                        bool to_fn) {
    const IrRegion *r = f->seq ? NULL : ir_region_of(f->cg->ir, owner);
    if (r && r->nspawn) {
        cg_region(f, r, out, false, NULL);
        for (int i = 0; i < n; i++)
            if (out[i] && !(owned && owned[i])) cg_own(f, out[i], ops[i]->type);
        return;
    }
    for (int i = 0; i < n; i++)
        out[i] = !owned || !owned[i] ? cg_borrow(f, ops[i]) : to_fn ? give(f, ops[i]) : cg_expr(f, ops[i], false);
}

/* ---- calls ------------------------------------------------------------------------------ */

static LLVMValueRef intrinsic1(Cg *cg, const char *name, LLVMValueRef x) {
    unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
    LLVMTypeRef ty = cg->t_f64;
    LLVMValueRef fn = LLVMGetIntrinsicDeclaration(cg->mod, id, &ty, 1);
    LLVMTypeRef fty = LLVMIntrinsicGetType(cg->ctx, id, &ty, 1);
    return LLVMBuildCall2(cg->b, fty, fn, &x, 1, "");
}

static LLVMValueRef intrinsic2(Cg *cg, const char *name, LLVMValueRef x, LLVMValueRef y) {
    unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
    LLVMTypeRef ty = cg->t_f64;
    LLVMValueRef fn = LLVMGetIntrinsicDeclaration(cg->mod, id, &ty, 1);
    LLVMTypeRef fty = LLVMIntrinsicGetType(cg->ctx, id, &ty, 1);
    LLVMValueRef args[2] = {x, y};
    return LLVMBuildCall2(cg->b, fty, fn, args, 2, "");
}

/* tan and atan2 have no LLVM 19 intrinsic: call libm, marked as not
 * touching memory so that LLVM may move or drop them */
static LLVMValueRef libm_call(Cg *cg, const char *name, LLVMValueRef *args, unsigned n) {
    LLVMTypeRef params[2] = {cg->t_f64, cg->t_f64};
    LLVMTypeRef fty = LLVMFunctionType(cg->t_f64, params, n, 0);
    LLVMValueRef fn = LLVMGetNamedFunction(cg->mod, name);
    if (!fn) {
        fn = LLVMAddFunction(cg->mod, name, fty);
        unsigned k = LLVMGetEnumAttributeKindForName("nounwind", 8);
        LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(cg->ctx, k, 0));
        unsigned mk = LLVMGetEnumAttributeKindForName("memory", 6);
        LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(cg->ctx, mk, 0));
    }
    return LLVMBuildCall2(cg->b, fty, fn, args, n, "");
}

static LLVMValueRef f64_to_i64(FnCtx *f, Expr *e, LLVMValueRef x) {
    Cg *cg = f->cg;
    LLVMValueRef nan = LLVMBuildFCmp(cg->b, LLVMRealUNO, x, x, "isnan");
    fail_msg(f, nan, e->loc, "cannot convert nan to i64");
    /* in range iff -2^63 <= x < 2^63 (truncation toward zero keeps it so) */
    LLVMValueRef lo = LLVMBuildFCmp(cg->b, LLVMRealOLT, x, LLVMConstReal(cg->t_f64, -9223372036854775808.0), "");
    LLVMValueRef hi = LLVMBuildFCmp(cg->b, LLVMRealOGE, x, LLVMConstReal(cg->t_f64, 9223372036854775808.0), "");
    LLVMBasicBlockRef ok;
    fail_if(f, LLVMBuildOr(cg->b, lo, hi, "range"), &ok);
    LLVMValueRef args[4] = {cg_loc_string(cg, e->loc), cg_cstring(cg, "cannot convert "), x,
                            cg_cstring(cg, " to i64: out of range")};
    cg_rt_call(cg, RT_fail_f64, args);
    LLVMBuildUnreachable(cg->b);
    LLVMPositionBuilderAtEnd(cg->b, ok);
    return LLVMBuildFPToSI(cg->b, x, cg->t_i64, "i64");
}

static LLVMValueRef emit_output(FnCtx *f, LLVMValueRef v, const Type *t, int fd, int newline) {
    Cg *cg = f->cg;
    LLVMValueRef buf = cg_rt_call_at(f, RT_buf, &f->w);
    cg_format(f, buf, v, t, false);
    LLVMValueRef args[3] = {buf, i32c(cg, fd), i32c(cg, newline)};
    cg_rt_call_at(f, RT_buf_emit, args);
    return cg_unit(cg);
}

static LLVMValueRef builtin_call(FnCtx *f, Expr *e, const Builtin *bi, LLVMValueRef *a) {
    Cg *cg = f->cg;
    const Type *t0 = e->u.call.nargs > 0 ? e->u.call.args[0]->type : NULL;
    switch (bi->kind) {
    case B_PRINT: return emit_output(f, a[0], t0, 1, 0);
    case B_PRINTLN: return emit_output(f, a[0], t0, 1, 1);
    case B_EPRINTLN: return emit_output(f, a[0], t0, 2, 1);
    case B_STR: {
        LLVMValueRef buf = cg_rt_call_at(f, RT_buf, &f->w);
        cg_format(f, buf, a[0], t0, false);
        return cg_rt_call(cg, RT_buf_take, &buf);
    }
    case B_ASSERT: {
        LLVMBasicBlockRef ok;
        fail_if(f, LLVMBuildNot(cg->b, a[0], "failed"), &ok);
        LLVMValueRef args[3] = {cg_loc_string(cg, e->loc), cg_cstring(cg, "assertion failed: "), a[1]};
        cg_rt_call(cg, RT_fail_str, args);
        LLVMBuildUnreachable(cg->b);
        LLVMPositionBuilderAtEnd(cg->b, ok);
        return cg_unit(cg);
    }
    case B_PANIC: {
        LLVMValueRef args[3] = {cg_loc_string(cg, e->loc), cg_cstring(cg, ""), a[0]};
        cg_rt_call(cg, RT_fail_str, args);
        /* the rest of the block is dead but must still be well-formed IR */
        LLVMBuildUnreachable(cg->b);
        LLVMPositionBuilderAtEnd(cg->b, cg_new_block(f, "after.panic"));
        /* of the type the checker gave it: () or, as a branch's value,
         * the other branches' type */
        return LLVMGetUndef(cg_type(cg, e->type));
    }
    case B_F64: return LLVMBuildSIToFP(cg->b, a[0], cg->t_f64, "f64");
    case B_I64: return f64_to_i64(f, e, a[0]);
    case B_SQRT: return intrinsic1(cg, "llvm.sqrt", a[0]);
    case B_EXP: return intrinsic1(cg, "llvm.exp", a[0]);
    case B_LOG: return intrinsic1(cg, "llvm.log", a[0]);
    case B_SIN: return intrinsic1(cg, "llvm.sin", a[0]);
    case B_COS: return intrinsic1(cg, "llvm.cos", a[0]);
    case B_FLOOR: return intrinsic1(cg, "llvm.floor", a[0]);
    case B_CEIL: return intrinsic1(cg, "llvm.ceil", a[0]);
    case B_FABS: return intrinsic1(cg, "llvm.fabs", a[0]);
    case B_POW: return intrinsic2(cg, "llvm.pow", a[0], a[1]);
    case B_TAN: return libm_call(cg, "tan", a, 1);
    case B_ATAN2: return libm_call(cg, "atan2", a, 2);
    case B_ABS:
        if (t0->kind == TY_F64) return intrinsic1(cg, "llvm.fabs", a[0]);
        return LLVMBuildSelect(cg->b, LLVMBuildICmp(cg->b, LLVMIntSLT, a[0], i64c(cg, 0), ""),
                               LLVMBuildSub(cg->b, i64c(cg, 0), a[0], ""), a[0], "abs");
    case B_MIN: case B_MAX: {
        /* min(a, b) is b only when b < a (so NaN in b gives a), like Python */
        bool is_min = bi->kind == B_MIN;
        LLVMValueRef better;
        if (t0->kind == TY_F64)
            better = LLVMBuildFCmp(cg->b, is_min ? LLVMRealOLT : LLVMRealOGT, a[1], a[0], "");
        else
            better = LLVMBuildICmp(cg->b, is_min ? LLVMIntSLT : LLVMIntSGT, a[1], a[0], "");
        return LLVMBuildSelect(cg->b, better, a[1], a[0], is_min ? "min" : "max");
    }
    case B_LEN: {
        LLVMValueRef p = LLVMBuildStructGEP2(cg->b,
            LLVMStructTypeInContext(cg->ctx, (LLVMTypeRef[]){cg->t_i64, cg->t_i64}, 2, 0), a[0], 1, "");
        return LLVMBuildLoad2(cg->b, cg->t_i64, p, "len");
    }
    default:
        return cg_builtin_data(f, e, bi, a, false);
    }
}

static LLVMValueRef call(FnCtx *f, Expr *e, bool tail) {
    Cg *cg = f->cg;
    Expr *callee = e->u.call.callee;
    int n = e->u.call.nargs;
    LLVMValueRef args_buf[16];
    LLVMValueRef *args = n + 1 <= 16 ? args_buf : ARENA_ARRAY(&cg->arena, LLVMValueRef, n + 1);
    bool is_builtin = callee->kind == E_NAME && callee->u.name.kind == NAME_BUILTIN;
    bool fused = is_builtin && cg_fact(f, e)->fused;
    /* an array handed to map or sort (a temporary, a moved variable) is
     * owned by the call, not borrowed (IrFact.in_place) */
    bool take0 = is_builtin && !fused && builtin_in_place(callee->u.name.builtin) && cg_fact(f, e)->in_place;
    /* foldl's and iterate's initial state, handed over the same way */
    bool fold = is_builtin && (callee->u.name.builtin->kind == B_FOLDL || callee->u.name.builtin->kind == B_ITERATE);
    int taken = take0 ? 0 : fold && cg_fact(f, e)->in_place ? 1 : -1;
    if (is_builtin && (builtin_own_loop(callee->u.name.builtin) || take0)) {
        for (int i = 0; i < n; i++) {
            args[i + 1] = NULL;
            if (i == callee->u.name.builtin->fn_arg) continue; /* applied in the builtin's loop */
            if (i == 0 && fused) continue; /* the IR fused it */
            args[i + 1] = i == taken ? cg_take(f, e->u.call.args[i]) : cg_borrow(f, e->u.call.args[i]);
            if (!args[i + 1]) return NULL;
        }
        return cg_builtin_data(f, e, callee->u.name.builtin, args + 1, taken >= 0);
    }
    if (is_builtin && callee->u.name.builtin->kind == B_LEN && e->u.call.args[0]->kind == E_RANGE) {
        /* len(a..b) without building the range */
        Expr *r = e->u.call.args[0];
        LLVMValueRef lo = cg_expr(f, r->u.range.lo, false), hi = lo ? cg_expr(f, r->u.range.hi, false) : NULL;
        return hi ? cg_range_len(f, r->loc, lo, hi) : NULL;
    }
    bool self_tail = tail && !is_builtin && callee->kind == E_NAME && callee->u.name.kind == NAME_FN &&
                     callee->u.name.fn == f->fn && f->loop_head;
    bool ctor = callee->kind == E_NAME && callee->u.name.kind == NAME_CTOR;
    /* a constructor's arguments become the fields its box owns, a user
     * function's owned parameters are given theirs (ir/moves.c) */
    bool to_fn = !is_builtin && callee->kind == E_NAME && callee->u.name.kind == NAME_FN &&
                 !callee->u.name.fn->is_extern; /* C borrows every argument */
    const bool *owned = ctor ? cg_all_owned(cg, n) : to_fn ? cg->ir->funcs[callee->u.name.fn->index]->param_owned : NULL;
    cg_operands(f, e, e->u.call.args, n, args + 1, owned, to_fn);
    for (int i = 1; i <= n; i++)
        if (!args[i]) return NULL;
    if (is_builtin) return builtin_call(f, e, callee->u.name.builtin, args + 1);
    if (ctor) return cg_ctor(f, callee->u.name.ctor, args + 1);
    if (callee->kind != E_NAME || callee->u.name.kind != NAME_FN) { /* a function value */
        LLVMValueRef clo = cg_borrow(f, callee);
        return clo ? cg_call_closure(f, clo, callee->type, args + 1, n) : NULL;
    }

    FnDecl *target = callee->u.name.fn;
    if (target->is_extern) return cg_extern_call(f, target, args + 1, n);
    if (self_tail) {
        /* a self tail call is a loop: everything this iteration owns (its
         * parameters and bindings) dies, the new values take their place */
        cg_release_all(f);
        for (int i = 0; i < n; i++) /* a borrowed parameter is passed on unchanged */
            if (owned[i]) LLVMBuildStore(cg->b, args[i + 1], f->param_slots[i]);
        cg_poll(f, 0);
        LLVMBuildBr(cg->b, f->loop_head);
        return NULL;
    }
    return cg_call_fn(f, target, args + 1, n);
}

/* ---- if and blocks ----------------------------------------------------------------------- */

static LLVMValueRef if_expr(FnCtx *f, Expr *e, bool tail) {
    Cg *cg = f->cg;
    LLVMValueRef c = cg_expr(f, e->u.if_.cond, false);
    LLVMBasicBlockRef then_bb = cg_new_block(f, "then");
    LLVMBasicBlockRef else_bb = cg_new_block(f, "else");
    LLVMBasicBlockRef done = cg_new_block(f, "endif");
    LLVMBuildCondBr(cg->b, c, then_bb, else_bb);
    bool unit = !e->u.if_.else_ || e->type->kind == TY_UNIT;

    CgBranches br;
    cg_branches_begin(f, &br, 2);
    LLVMValueRef bv[2] = {NULL, NULL};
    LLVMPositionBuilderAtEnd(cg->b, then_bb);
    LLVMValueRef tv = cg_expr(f, e->u.if_.then_, tail && e->u.if_.else_);
    if (tv && unit && !cg_terminated(cg)) cg_release(f, tv, e->u.if_.then_->type); /* discarded */
    cg_branch_end(f, &br);
    if (tv && !cg_terminated(cg)) {
        bv[0] = tv;
        LLVMBuildBr(cg->b, done);
    }
    LLVMPositionBuilderAtEnd(cg->b, else_bb);
    LLVMValueRef ev = e->u.if_.else_ ? cg_expr(f, e->u.if_.else_, tail) : cg_unit(cg);
    if (ev && unit && e->u.if_.else_ && !cg_terminated(cg)) cg_release(f, ev, e->u.if_.else_->type);
    cg_branch_end(f, &br);
    if (ev && !cg_terminated(cg)) {
        bv[1] = ev;
        LLVMBuildBr(cg->b, done);
    }
    return cg_branches_join(f, &br, bv, done, unit ? type_new(&cg->arena, TY_UNIT) : e->type, "if");
}

static LLVMValueRef block(FnCtx *f, Expr *e, bool tail) {
    Block *b = &e->u.block;
    if (b->n == 0) return cg_unit(f->cg);
    const IrRegion *r = ir_region_of(f->cg->ir, e);
    LLVMValueRef last = NULL;
    cg_region(f, r, NULL, tail && b->value_is_last, &last);
    if (!last) return NULL;
    if (b->value_is_last) return last;
    const Stmt *s = b->stmts[b->n - 1];
    if (s->kind == S_EXPR) cg_release(f, last, s->expr->type); /* `e;` ends the block: unused */
    return cg_unit(f->cg);
}

/* `let` binds owned values: each variable owns its part until its block
 * ends (cg_expr releases the block's owned values there). */
void cg_bind_pattern(FnCtx *f, const Pattern *p, LLVMValueRef v, const Type *t) {
    if (!p->is_tuple) {
        if (p->local) {
            f->locals[p->local->id] = v;
            if (f->cg->dib) cg_debug_var(f, p->local, v, 0);
            cg_own(f, v, t);
        } else {
            cg_release(f, v, t);
        }
        return;
    }
    for (int i = 0; i < p->n; i++)
        cg_bind_pattern(f, p->items[i], LLVMBuildExtractValue(f->cg->b, v, (unsigned)i, ""), t->items[i]);
}

/* ---- the dispatcher --------------------------------------------------------------------- */

static LLVMValueRef expr(FnCtx *f, Expr *e, bool tail) {
    Cg *cg = f->cg;
    switch (e->kind) {
    case E_INT: return i64c(cg, e->u.ival);
    case E_FLOAT: return LLVMConstReal(cg->t_f64, e->u.fval);
    case E_BOOL: return LLVMConstInt(cg->t_i1, e->u.bval, 0);
    case E_UNIT: return cg_unit(cg);
    case E_STR: return cg_str_literal(cg, e->u.str.bytes, e->u.str.len);
    case E_NAME: case E_FIELD: case E_INDEX: {
        /* a last use takes the binding (IrFact.move) */
        LLVMValueRef taken = cg_take_binding(f, e);
        if (taken) return taken;
        /* borrowed in place, then one more owner */
        LLVMValueRef v = cg_borrow(f, e);
        if (v) cg_retain(f, v, e->type);
        return v;
    }
    case E_UNARY: {
        LLVMValueRef v = cg_expr(f, e->u.unary.operand, false);
        if (!v) return NULL;
        if (e->u.unary.op == OP_NOT || e->u.unary.op == OP_BNOT) return LLVMBuildNot(cg->b, v, "not");
        if (e->type->kind == TY_F64) return LLVMBuildFNeg(cg->b, v, "neg");
        return LLVMBuildSub(cg->b, i64c(cg, 0), v, "neg");
    }
    case E_BINARY: {
        if (e->u.binary.op == OP_AND || e->u.binary.op == OP_OR) return short_circuit(f, e);
        LLVMValueRef settled = cg_split_edge(f, e);
        if (settled) return settled;
        Expr *ops[2] = {e->u.binary.lhs, e->u.binary.rhs};
        LLVMValueRef v[2];
        cg_operands(f, e, ops, 2, v, NULL, false);
        if (!v[0] || !v[1]) return NULL;
        return arith(f, e, v[0], v[1]);
    }
    case E_CALL: return call(f, e, tail);
    case E_TUPLE: {
        int n = e->u.list.n;
        LLVMValueRef *v = ARENA_ARRAY(&cg->arena, LLVMValueRef, n);
        cg_operands(f, e, e->u.list.items, n, v, cg_all_owned(f->cg, n), false);
        LLVMValueRef t = LLVMGetUndef(cg_type(cg, e->type));
        for (int i = 0; i < n; i++) {
            if (!v[i]) return NULL;
            t = LLVMBuildInsertValue(cg->b, t, v[i], (unsigned)i, "");
        }
        return t;
    }
    case E_IF: return if_expr(f, e, tail);
    case E_BLOCK: return block(f, e, tail);
    case E_ARRAY: return cg_array_literal(f, e);
    case E_RANGE: return cg_range(f, e);
    case E_FOR: return cg_for(f, e);
    case E_LAMBDA: return cg_lambda(f, e);
    case E_MATCH: return cg_match(f, e, tail);
    case E_RECORD: return cg_record(f, e);
    default: return LLVMGetUndef(cg_type(cg, e->type)); /* E_MEMBER: the checker made it E_FIELD */
    }
}

/* Every expression's value is owned; whatever it borrowed or bound on the
 * way dies here (a block's bindings at the block's end). */
LLVMValueRef cg_expr(FnCtx *f, Expr *e, bool tail) {
    int mark = cg_owned_mark(f);
    LLVMMetadataRef outer = f->cg->dib ? LLVMGetCurrentDebugLocation2(f->cg->b) : NULL;
    if (f->cg->dib) cg_debug_at(f, e->loc);
    Loc outer_loc = f->loc;
    if (e->loc.line > 0) f->loc = e->loc;
    LLVMValueRef v = expr(f, e, tail);
    f->loc = outer_loc;
    if (f->cg->dib && outer) LLVMSetCurrentDebugLocation2(f->cg->b, outer);
    cg_release_owned(f, mark);
    return v;
}
