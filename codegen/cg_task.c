/* cg_task.c — regions of the task graph: spawn, join, task functions, and the
 * scheduling checks at function entry. The inline sequences here are the
 * fast paths written as C in runtime/pel_rt.h (pel_spawn, pel_join,
 * pel_go_sequential, pel_poll); keep the two in step. */
#include <stdio.h>
#include <string.h>

#include "cg_internal.h"

static LLVMValueRef w_field(FnCtx *f, int offset) {
    Cg *cg = f->cg;
    LLVMValueRef off = LLVMConstInt(cg->t_i64, (unsigned long long)offset, 0);
    return LLVMBuildGEP2(cg->b, cg->t_i8, f->w, &off, 1, "");
}

static LLVMValueRef load_relaxed_i32(Cg *cg, LLVMValueRef p, const char *name) {
    LLVMValueRef v = LLVMBuildLoad2(cg->b, cg->t_i32, p, name);
    LLVMSetOrdering(v, LLVMAtomicOrderingMonotonic);
    LLVMSetAlignment(v, 4);
    return v;
}

/* request != PEL_NO_REQUEST */
static LLVMValueRef request_pending(FnCtx *f) {
    Cg *cg = f->cg;
    LLVMValueRef req = load_relaxed_i32(cg, w_field(f, PEL_W_REQUEST), "req");
    return LLVMBuildICmp(cg->b, LLVMIntNE, req, LLVMConstInt(cg->t_i32, (unsigned long long)PEL_NO_REQUEST, 1), "");
}

static LLVMValueRef expect(Cg *cg, LLVMValueRef cond, bool value) {
    unsigned id = LLVMLookupIntrinsicID("llvm.expect", 11);
    LLVMTypeRef ty = cg->t_i1;
    LLVMValueRef fn = LLVMGetIntrinsicDeclaration(cg->mod, id, &ty, 1);
    LLVMTypeRef fty = LLVMIntrinsicGetType(cg->ctx, id, &ty, 1);
    LLVMValueRef args[2] = {cond, LLVMConstInt(cg->t_i1, value, 0)};
    return LLVMBuildCall2(cg->b, fty, fn, args, 2, "");
}

/* pel_poll: answer a thief's request; returns the runtime's "promote" answer
 * (i1), or NULL when can_promote is 0. */
static LLVMValueRef poll(FnCtx *f, int can_promote) {
    Cg *cg = f->cg;
    LLVMBasicBlockRef here = LLVMGetInsertBlock(cg->b);
    LLVMBasicBlockRef slow = cg_new_block(f, "poll.slow");
    LLVMBasicBlockRef done = cg_new_block(f, "poll.done");
    LLVMBuildCondBr(cg->b, expect(cg, request_pending(f), false), slow, done);
    LLVMPositionBuilderAtEnd(cg->b, slow);
    LLVMValueRef args[2] = {f->w, LLVMConstInt(cg->t_i32, (unsigned long long)can_promote, 0)};
    LLVMValueRef r = cg_rt_call(cg, RT_poll, args);
    LLVMBuildBr(cg->b, done);
    LLVMPositionBuilderAtEnd(cg->b, done);
    if (!can_promote) return NULL;
    LLVMValueRef phi = LLVMBuildPhi(cg->b, cg->t_i1, "promote");
    LLVMValueRef vals[2] = {LLVMConstInt(cg->t_i1, 0, 0),
                            LLVMBuildICmp(cg->b, LLVMIntNE, r, LLVMConstInt(cg->t_i32, 0, 0), "")};
    /* the icmp was built in `done`; move it into `slow` where r is defined */
    LLVMInstructionRemoveFromParent(vals[1]);
    LLVMPositionBuilderBefore(cg->b, LLVMGetBasicBlockTerminator(slow));
    LLVMInsertIntoBuilder(cg->b, vals[1]);
    LLVMPositionBuilderAtEnd(cg->b, done);
    LLVMBasicBlockRef bbs[2] = {here, slow};
    LLVMAddIncoming(phi, vals, bbs, 2);
    return phi;
}

void cg_poll(FnCtx *f, int can_promote) { (void)poll(f, can_promote); }

/* Calls `other` (the other version of this function) with the parameters and
 * returns its result when cond holds. */
static void divert_if(FnCtx *f, LLVMValueRef cond, LLVMValueRef other, LLVMValueRef *params,
                      int nparams) {
    Cg *cg = f->cg;
    LLVMBasicBlockRef go = cg_new_block(f, "divert");
    LLVMBasicBlockRef stay = cg_new_block(f, "stay");
    LLVMBuildCondBr(cg->b, cond, go, stay);
    LLVMPositionBuilderAtEnd(cg->b, go);
    LLVMValueRef args[64];
    LLVMValueRef *a = nparams + 1 <= 64 ? args : ARENA_ARRAY(&cg->arena, LLVMValueRef, nparams + 1);
    a[0] = f->w;
    for (int i = 0; i < nparams; i++) a[i + 1] = params[i];
    LLVMValueRef r = LLVMBuildCall2(cg->b, cg->fn_type[f->fn->index], other, a, (unsigned)nparams + 1, "");
    LLVMSetTailCall(r, 1);
    LLVMBuildRet(cg->b, r);
    LLVMPositionBuilderAtEnd(cg->b, stay);
}

void cg_entry_checks(FnCtx *f, const IrFunc *irf, LLVMValueRef *params, int nparams) {
    Cg *cg = f->cg;
    int idx = irf->fn->index;
    if (irf->spawns && !f->seq) {
        /* pel_go_sequential: enough stealable work is exposed already */
        LLVMValueRef top = LLVMBuildLoad2(cg->b, cg->t_ptr, w_field(f, PEL_W_TOP), "top");
        LLVMValueRef base = LLVMBuildLoad2(cg->b, cg->t_ptr, w_field(f, PEL_W_BASE), "base");
        LLVMValueRef depth = LLVMBuildLoad2(cg->b, cg->t_i64, w_field(f, PEL_W_SEQ_DEPTH), "depth");
        LLVMValueRef lim = LLVMBuildGEP2(cg->b, cg->t_ptr, base, &depth, 1, "");
        LLVMValueRef go = LLVMBuildICmp(cg->b, LLVMIntUGE, top, lim, "go.seq");
        divert_if(f, go, cg->fn_seq[idx], params, nparams);
    } else if (irf->spawns && f->seq) {
        /* a thief is waiting and this worker has nothing to give: go parallel */
        divert_if(f, poll(f, 1), cg->fn_par[idx], params, nparams);
    } else if (irf->heavy) {
        cg_poll(f, 0);
    }
}

/* ---- spawned nodes ---------------------------------------------------------------------- */

typedef struct Pending {
    int node;
    LLVMValueRef frame, spawned, task_fn;
    LLVMTypeRef frame_ty;
} Pending;

/* Frame layout: { PelTask hdr, captures..., result } */
static LLVMTypeRef frame_type(Cg *cg, const IrNode *n) {
    int k = n->ncaptures + 2;
    LLVMTypeRef *fields = ARENA_ARRAY(&cg->arena, LLVMTypeRef, k);
    fields[0] = cg->t_task_hdr;
    for (int i = 0; i < n->ncaptures; i++) fields[i + 1] = cg_type(cg, n->captures[i]->type);
    fields[k - 1] = cg_type(cg, n->expr->type);
    return LLVMStructTypeInContext(cg->ctx, fields, (unsigned)k, 0);
}

/* void task(PelWorker *w, frame *t): reads the captures, evaluates the node,
 * stores the result. Also what the spawner calls when nobody stole it. */
/* The captures' place in a frame: right after the PelTask header. */
static CgEnv frame_env(const IrNode *n, LLVMTypeRef fty) {
    return (CgEnv){.ty = fty, .locals = n->captures, .nlocals = n->ncaptures, .first = 1};
}

static LLVMValueRef gen_task_fn(FnCtx *parent, const IrNode *n, LLVMTypeRef fty) {
    Cg *cg = parent->cg;
    LLVMValueRef fn = cg_new_fn(parent, "task", cg->t_task_fn);
    LLVMBasicBlockRef resume = LLVMGetInsertBlock(cg->b);
    FnCtx t;
    cg_sub_begin(parent, &t, fn);
    LLVMValueRef frame = LLVMGetParam(fn, 1);
    CgEnv env = frame_env(n, fty);
    cg_env_load(&t, &env, frame);
    LLVMValueRef v = cg_expr(&t, n->expr, false);
    if (v && !cg_terminated(cg)) {
        LLVMValueRef p = LLVMBuildStructGEP2(cg->b, fty, frame, (unsigned)n->ncaptures + 1, "result");
        LLVMBuildStore(cg->b, v, p);
        LLVMBuildRetVoid(cg->b);
    } else if (!cg_terminated(cg)) {
        LLVMBuildUnreachable(cg->b);
    }
    cg_sub_end(parent, &t, resume);
    return fn;
}

static Pending spawn(FnCtx *f, const IrNode *n, int index) {
    Cg *cg = f->cg;
    Pending p = {.node = index};
    p.frame_ty = frame_type(cg, n);
    p.frame = cg_alloca(f, p.frame_ty, "frame");
    p.task_fn = gen_task_fn(f, n, p.frame_ty);
    CgEnv env = frame_env(n, p.frame_ty);
    cg_env_store(f, &env, p.frame);

    /* pel_spawn */
    LLVMBasicBlockRef start = LLVMGetInsertBlock(cg->b);
    LLVMValueRef top_slot = w_field(f, PEL_W_TOP);
    LLVMValueRef top = LLVMBuildLoad2(cg->b, cg->t_ptr, top_slot, "top");
    LLVMValueRef limit = LLVMBuildLoad2(cg->b, cg->t_ptr, w_field(f, PEL_W_LIMIT), "limit");
    LLVMBasicBlockRef push = cg_new_block(f, "spawn.push");
    LLVMBasicBlockRef slow = cg_new_block(f, "spawn.slow");
    LLVMBasicBlockRef pushed = cg_new_block(f, "spawn.pushed");
    LLVMBasicBlockRef cont = cg_new_block(f, "spawn.cont");
    LLVMBuildCondBr(cg->b, expect(cg, LLVMBuildICmp(cg->b, LLVMIntULT, top, limit, ""), true), push, cont);

    LLVMPositionBuilderAtEnd(cg->b, push);
    LLVMValueRef hdr = LLVMBuildStructGEP2(cg->b, p.frame_ty, p.frame, 0, "");
    LLVMBuildStore(cg->b, p.task_fn, LLVMBuildStructGEP2(cg->b, cg->t_task_hdr, hdr, 0, ""));
    LLVMBuildStore(cg->b, LLVMConstInt(cg->t_i32, 0, 0), LLVMBuildStructGEP2(cg->b, cg->t_task_hdr, hdr, 1, ""));
    LLVMBuildStore(cg->b, p.frame, top);
    LLVMValueRef one = LLVMConstInt(cg->t_i64, 1, 0);
    LLVMBuildStore(cg->b, LLVMBuildGEP2(cg->b, cg->t_ptr, top, &one, 1, "top1"), top_slot);
    LLVMValueRef cnt_slot = w_field(f, PEL_W_SPAWNED);
    LLVMValueRef cnt = LLVMBuildLoad2(cg->b, cg->t_i64, cnt_slot, "");
    LLVMBuildStore(cg->b, LLVMBuildAdd(cg->b, cnt, one, ""), cnt_slot);
    LLVMValueRef sleepers = load_relaxed_i32(cg, cg_rt_var(cg, RT_VAR_sleepers), "sleepers");
    LLVMValueRef need = LLVMBuildOr(cg->b, request_pending(f),
                                    LLVMBuildICmp(cg->b, LLVMIntNE, sleepers, LLVMConstInt(cg->t_i32, 0, 0), ""), "");
    LLVMBuildCondBr(cg->b, expect(cg, need, false), slow, pushed);
    LLVMPositionBuilderAtEnd(cg->b, slow);
    cg_rt_call(cg, RT_spawn_slow, &f->w);
    LLVMBuildBr(cg->b, pushed);
    LLVMPositionBuilderAtEnd(cg->b, pushed);
    LLVMBuildBr(cg->b, cont);

    LLVMPositionBuilderAtEnd(cg->b, cont);
    p.spawned = LLVMBuildPhi(cg->b, cg->t_i1, "spawned");
    LLVMValueRef vals[2] = {LLVMConstInt(cg->t_i1, 1, 0), LLVMConstInt(cg->t_i1, 0, 0)};
    LLVMBasicBlockRef bbs[2] = {pushed, start};
    LLVMAddIncoming(p.spawned, vals, bbs, 2);
    return p;
}

/* pel_join, then the node's value from the frame */
static LLVMValueRef join(FnCtx *f, const Pending *p, const IrNode *n) {
    Cg *cg = f->cg;
    LLVMBasicBlockRef check = cg_new_block(f, "join.check");
    LLVMBasicBlockRef pop = cg_new_block(f, "join.pop");
    LLVMBasicBlockRef run = cg_new_block(f, "join.run");
    LLVMBasicBlockRef stolen = cg_new_block(f, "join.stolen");
    LLVMBasicBlockRef done = cg_new_block(f, "join.done");
    LLVMBuildCondBr(cg->b, p->spawned, check, run);

    LLVMPositionBuilderAtEnd(cg->b, check);
    LLVMValueRef top_slot = w_field(f, PEL_W_TOP);
    LLVMValueRef top = LLVMBuildLoad2(cg->b, cg->t_ptr, top_slot, "top");
    LLVMValueRef base = LLVMBuildLoad2(cg->b, cg->t_ptr, w_field(f, PEL_W_BASE), "base");
    LLVMValueRef here = LLVMBuildICmp(cg->b, LLVMIntUGT, top, base, "not.stolen");
    LLVMBuildCondBr(cg->b, expect(cg, here, true), pop, stolen);

    LLVMPositionBuilderAtEnd(cg->b, pop);
    LLVMValueRef m1 = LLVMConstInt(cg->t_i64, (unsigned long long)-1, 1);
    LLVMBuildStore(cg->b, LLVMBuildGEP2(cg->b, cg->t_ptr, top, &m1, 1, ""), top_slot);
    LLVMBuildBr(cg->b, run);

    LLVMPositionBuilderAtEnd(cg->b, run);
    LLVMValueRef args[2] = {f->w, p->frame};
    LLVMBuildCall2(cg->b, cg->t_task_fn, p->task_fn, args, 2, "");
    LLVMBuildBr(cg->b, done);

    LLVMPositionBuilderAtEnd(cg->b, stolen);
    cg_rt_call(cg, RT_join_stolen, args);
    LLVMBuildBr(cg->b, done);

    LLVMPositionBuilderAtEnd(cg->b, done);
    LLVMValueRef rp = LLVMBuildStructGEP2(cg->b, p->frame_ty, p->frame, (unsigned)n->ncaptures + 1, "");
    return LLVMBuildLoad2(cg->b, cg_type(cg, n->expr->type), rp, "joined");
}

/* A node's value is ready: bind it (let), or keep it (operand, last value). */
static void finish(FnCtx *f, const IrRegion *r, int i, LLVMValueRef v, LLVMValueRef *values,
                   LLVMValueRef *last) {
    const IrNode *n = &r->nodes[i];
    if (values) values[i] = v;
    bool is_let = n->stmt && n->stmt->kind == S_LET;
    bool is_last = last && i == r->n - 1;
    if (is_let) cg_bind_pattern(f, n->stmt->pat, v, n->expr->type);
    else if (!values && !is_last) cg_release(f, v, n->expr->type); /* a statement's unused value */
    if (is_last) *last = is_let ? cg_unit(f->cg) : v;
}

void cg_region(FnCtx *f, const IrRegion *r, LLVMValueRef *values, bool tail_last, LLVMValueRef *last) {
    Pending stack_buf[16];
    Pending *stack = r->nspawn <= 16 ? stack_buf : ARENA_ARRAY(&f->cg->arena, Pending, r->nspawn);
    int sp = 0;
    for (int i = 0; i < r->n; i++) {
        while (sp > 0 && r->nodes[stack[sp - 1].node].join_at <= i) {
            Pending *p = &stack[--sp];
            finish(f, r, p->node, join(f, p, &r->nodes[p->node]), values, last);
        }
        const IrNode *n = &r->nodes[i];
        if (n->spawn && !f->seq) {
            stack[sp++] = spawn(f, n, i);
            continue;
        }
        LLVMValueRef v = cg_expr(f, n->expr, tail_last && i == r->n - 1 && sp == 0);
        if (!v) { /* a self tail call jumped back to the loop head */
            if (last) *last = NULL;
            return;
        }
        finish(f, r, i, v, values, last);
    }
    while (sp > 0) {
        Pending *p = &stack[--sp];
        finish(f, r, p->node, join(f, p, &r->nodes[p->node]), values, last);
    }
}
