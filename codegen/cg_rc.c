/* cg_rc.c — reference counting: who owns which value, and when it dies.
 *
 * The protocol (docs/compiler.md, "Ownership"):
 *  - cg_expr yields an OWNED reference: the code that asked for it must
 *    release it, store it where something else will, or return it.
 *  - cg_borrow yields a reference that stays valid until the end of the
 *    enclosing expression: a variable, a literal, an element or field of a
 *    borrowed value are used as they are (no count touched); anything else
 *    is computed owned and put on the function's list of owned values.
 *  - A `let` binding owns its value until the end of its block. Parameters
 *    of functions and lambdas, loop variables and task captures are
 *    borrowed: the caller, the array or the spawner keeps them alive.
 *  - Builtins and user functions borrow their arguments and return owned
 *    results; arrays own their elements, closure environments their
 *    captures, tuples their fields.
 * So a variable read in a hot loop (`a[i][k]`) costs no atomic operation;
 * counts change only when a value is stored, returned or captured.
 *
 * The owned list is a stack per generated function: cg_expr marks it on
 * entry and releases what was pushed when the expression is done (a block's
 * bindings are released at its end this way). A self tail call releases the
 * whole stack before it jumps back. */
#include <stdio.h>
#include <string.h>

#include "cg_internal.h"

bool cg_managed(const Type *t) {
    switch (t->kind) {
    case TY_STR: case TY_ARRAY: case TY_FN: return true;
    case TY_VARIANT: return t->decl->has_fields; /* else every value is a constant box */
    case TY_TUPLE: case TY_RECORD:
        for (int i = 0; i < t->n; i++)
            if (cg_managed(t->items[i])) return true;
        return false;
    default: return false;
    }
}

static void call_void(Cg *cg, RtFn fn, LLVMValueRef p) { cg_rt_call(cg, fn, &p); }

static void rc_op(FnCtx *f, LLVMValueRef v, const Type *t, bool retain) {
    Cg *cg = f->cg;
    switch (t->kind) {
    case TY_STR: call_void(cg, retain ? RT_retain : RT_release_str, v); return;
    case TY_ARRAY: call_void(cg, retain ? RT_retain : RT_release_arr, v); return;
    case TY_FN:
        call_void(cg, retain ? RT_retain : RT_release_env, LLVMBuildExtractValue(cg->b, v, 1, "env"));
        return;
    case TY_VARIANT:
        if (!t->decl->has_fields) return;
        if (retain) {
            call_void(cg, RT_retain, v);
            return;
        }
        /* a constant box (Leaf, Empty: half the boxes a tree's drop
         * meets) is skipped without a call; monotonic: the count may be
         * changed by other owners meanwhile, a constant's never is */
        LLVMValueRef rc = LLVMBuildLoad2(cg->b, cg->t_i64, v, "rc");
        LLVMSetOrdering(rc, LLVMAtomicOrderingMonotonic);
        LLVMBasicBlockRef counted = cg_new_block(f, "box.counted"), done = cg_new_block(f, "box.done");
        LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntEQ, rc, LLVMConstInt(cg->t_i64, (unsigned long long)PEL_RC_STATIC, 1), ""),
                        done, counted);
        LLVMPositionBuilderAtEnd(cg->b, counted);
        LLVMValueRef args[2] = {v, cg_box_drop_fn(cg, t->decl)};
        cg_rt_call(cg, RT_release_box, args);
        LLVMBuildBr(cg->b, done);
        LLVMPositionBuilderAtEnd(cg->b, done);
        return;
    case TY_TUPLE: case TY_RECORD:
        for (int i = 0; i < t->n; i++)
            if (cg_managed(t->items[i])) rc_op(f, LLVMBuildExtractValue(cg->b, v, (unsigned)i, ""), t->items[i], retain);
        return;
    default: return;
    }
}

void cg_retain(FnCtx *f, LLVMValueRef v, const Type *t) { rc_op(f, v, t, true); }
void cg_release(FnCtx *f, LLVMValueRef v, const Type *t) { rc_op(f, v, t, false); }

/* ---- the owned list ------------------------------------------------------------------ */

int cg_owned_mark(FnCtx *f) { return f->nowned; }

void cg_own(FnCtx *f, LLVMValueRef v, const Type *t) {
    if (!cg_managed(t)) return;
    if (f->nowned == f->cap_owned) {
        int cap = f->cap_owned ? f->cap_owned * 2 : 16;
        CgOwned *grown = ARENA_ARRAY(&f->cg->arena, CgOwned, cap);
        if (f->nowned) memcpy(grown, f->owned, sizeof *grown * (size_t)f->nowned);
        f->owned = grown;
        f->cap_owned = cap;
    }
    f->owned[f->nowned++] = (CgOwned){v, t};
}

void cg_release_owned(FnCtx *f, int mark) {
    /* a path that jumped away (self tail call) released everything itself */
    if (!cg_terminated(f->cg))
        for (int i = f->nowned - 1; i >= mark; i--)
            if (f->owned[i].t) cg_release(f, f->owned[i].v, f->owned[i].t);
    f->nowned = mark;
}

void cg_release_all(FnCtx *f) {
    for (int i = f->nowned - 1; i >= 0; i--)
        if (f->owned[i].t) cg_release(f, f->owned[i].v, f->owned[i].t);
}

/* ---- branches and moves ------------------------------------------------------------- */

void cg_branches_begin(FnCtx *f, CgBranches *b, int nbranches) {
    Arena *a = &f->cg->arena;
    b->n = f->nowned;
    b->t = ARENA_ARRAY(a, const Type *, b->n + 1);
    for (int i = 0; i < b->n; i++) b->t[i] = f->owned[i].t;
    b->cap = nbranches;
    b->nb = 0;
    b->ends = ARENA_ARRAY(a, LLVMBasicBlockRef, nbranches + 1);
    b->taken = ARENA_ARRAY(a, bool *, nbranches + 1);
}

void cg_branch_end(FnCtx *f, CgBranches *b) {
    if (b->nb == b->cap) return; /* more branches than announced: a bug, keep what is known */
    bool *taken = ARENA_ARRAY(&f->cg->arena, bool, b->n + 1);
    for (int i = 0; i < b->n && i < f->nowned; i++) {
        taken[i] = b->t[i] && !f->owned[i].t;
        f->owned[i].t = b->t[i]; /* the next branch starts from the same list */
    }
    b->ends[b->nb] = cg_terminated(f->cg) ? NULL : LLVMGetInsertBlock(f->cg->b);
    b->taken[b->nb++] = taken;
}

void cg_branches_merge(FnCtx *f, CgBranches *b) {
    Cg *cg = f->cg;
    LLVMBasicBlockRef here = LLVMGetInsertBlock(cg->b);
    for (int i = 0; i < b->n; i++) {
        bool any = false;
        for (int k = 0; k < b->nb; k++) any |= b->taken[k][i];
        if (!any) continue;
        for (int k = 0; k < b->nb; k++) {
            if (b->taken[k][i] || !b->ends[k]) continue;
            /* the release may branch (a box's constant check): it goes at
             * the branch's end, and its jump to the join after it */
            LLVMValueRef term = LLVMGetBasicBlockTerminator(b->ends[k]);
            if (term) LLVMInstructionRemoveFromParent(term);
            LLVMPositionBuilderAtEnd(cg->b, b->ends[k]);
            cg_release(f, f->owned[i].v, b->t[i]);
            b->ends[k] = LLVMGetInsertBlock(cg->b);
            if (term) LLVMInsertIntoBuilder(cg->b, term);
        }
        f->owned[i].t = NULL; /* taken or released on every path */
    }
    LLVMPositionBuilderAtEnd(cg->b, here);
}

LLVMValueRef cg_branches_join(FnCtx *f, CgBranches *b, LLVMValueRef *bv, LLVMBasicBlockRef done, const Type *t,
                              const char *name) {
    Cg *cg = f->cg;
    cg_branches_merge(f, b); /* may add releases at the branches' ends */
    LLVMValueRef *vals = ARENA_ARRAY(&cg->arena, LLVMValueRef, b->nb + 1);
    LLVMBasicBlockRef *bbs = ARENA_ARRAY(&cg->arena, LLVMBasicBlockRef, b->nb + 1);
    int nin = 0;
    for (int k = 0; k < b->nb; k++)
        if (bv[k] && b->ends[k]) {
            vals[nin] = bv[k];
            bbs[nin++] = b->ends[k];
        }
    LLVMPositionBuilderAtEnd(cg->b, done);
    if (nin == 0) {
        LLVMBuildUnreachable(cg->b);
        return NULL;
    }
    if (t->kind == TY_UNIT) return cg_unit(cg);
    LLVMValueRef phi = LLVMBuildPhi(cg->b, cg_type(cg, t), name);
    LLVMAddIncoming(phi, vals, bbs, (unsigned)nin);
    return phi;
}

/* The cases borrowed in place are ir_borrows_in_place's (ir/moves.c), so
 * that the IR knows which arrays are temporaries. */
LLVMValueRef cg_borrow(FnCtx *f, Expr *e) {
    switch (e->kind) {
    case E_NAME:
        if (e->u.name.kind == NAME_FN) return cg_fn_value(f, e->u.name.fn); /* no env */
        if (e->u.name.kind == NAME_CTOR) /* a constant box, or code without env */
            return e->u.name.ctor->nfields ? cg_ctor_value(f, e->u.name.ctor) : cg_ctor(f, e->u.name.ctor, NULL);
        return f->locals[e->u.name.local->id];
    case E_STR: return cg_str_literal(f->cg, e->u.str.bytes, e->u.str.len); /* immortal */
    case E_INDEX: return cg_index(f, e); /* an element of a borrowed array */
    case E_FIELD: {
        LLVMValueRef t = cg_borrow(f, e->u.field.base);
        return t ? LLVMBuildExtractValue(f->cg->b, t, (unsigned)e->u.field.index, "") : NULL;
    }
    default: {
        LLVMValueRef v = cg_expr(f, e, false);
        if (v) cg_own(f, v, e->type); /* nothing for plain values */
        return v;
    }
    }
}

/* ---- drop functions -------------------------------------------------------------------- */

/* `void name(ptr)`: a PelArrDropFn or PelEnvDropFn, both take the object */
static LLVMValueRef drop_fn_begin(Cg *cg, const char *name, FnCtx *d, LLVMBasicBlockRef *resume) {
    return cg_helper_begin(cg, name, cg_rt_cb_type(cg, RT_CB_ArrDropFn), d, resume);
}

static void drop_fn_end(Cg *cg, LLVMBasicBlockRef resume) {
    LLVMBuildRetVoid(cg->b);
    cg_helper_end(cg, resume);
}

LLVMValueRef cg_elem_drop_fn(Cg *cg, const Type *elem) {
    if (!cg_managed(elem)) return LLVMConstNull(cg->t_ptr);
    if (elem->kind == TY_STR) return cg_rt_fn(cg, RT_drop_str_elems);
    for (int i = 0; i < cg->ndrops; i++)
        if (type_eq(cg->drops[i].elem, elem)) return cg->drops[i].fn;
    if (cg->ndrops == cg->cap_drops) {
        int cap = cg->cap_drops ? cg->cap_drops * 2 : 8;
        CgDropFn *grown = ARENA_ARRAY(&cg->arena, CgDropFn, cap);
        if (cg->ndrops) memcpy(grown, cg->drops, sizeof *grown * (size_t)cg->ndrops);
        cg->drops = grown;
        cg->cap_drops = cap;
    }
    char name[64];
    snprintf(name, sizeof name, "pel.drop.elems%d", cg->ndrops);
    FnCtx d;
    LLVMBasicBlockRef resume;
    LLVMValueRef fn = drop_fn_begin(cg, name, &d, &resume);
    cg->drops[cg->ndrops++] = (CgDropFn){elem, fn};
    LLVMValueRef arr = LLVMGetParam(fn, 0);
    CgLoop L;
    cg_loop_begin(&d, LLVMConstInt(cg->t_i64, 0, 0), cg_len(&d, arr), &L);
    cg_release(&d, cg_load_elem(&d, arr, L.i, elem, ""), elem);
    cg_loop_end(&d, &L);
    drop_fn_end(cg, resume);
    return fn;
}

LLVMValueRef cg_env_drop_fn(Cg *cg, const CgEnv *env) {
    bool any = false;
    for (int i = 0; i < env->nlocals; i++) any |= cg_managed(env->locals[i]->type);
    if (!any) return LLVMConstNull(cg->t_ptr);
    char name[64];
    snprintf(name, sizeof name, "pel.drop.env%d", cg->ntasks++);
    FnCtx d;
    LLVMBasicBlockRef resume;
    LLVMValueRef fn = drop_fn_begin(cg, name, &d, &resume);
    LLVMValueRef p = LLVMGetParam(fn, 0);
    for (int i = 0; i < env->nlocals; i++) {
        const Type *t = env->locals[i]->type;
        if (!cg_managed(t)) continue;
        LLVMValueRef slot = LLVMBuildStructGEP2(cg->b, env->ty, p, (unsigned)(env->first + i), "");
        cg_release(&d, LLVMBuildLoad2(cg->b, cg_type(cg, t), slot, ""), t);
    }
    drop_fn_end(cg, resume);
    return fn;
}
