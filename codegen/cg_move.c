/* cg_move.c — a move: the only use of a `let`-bound array takes the
 * binding's reference instead of borrowing it. Which uses are moves is
 * decided in the IR (ir/moves.c says what qualifies and why it is safe);
 * here the binding is taken off the function's owned list, so nothing
 * releases it at the end of its block, and handed to the consumer, which
 * works in place when the count is 1. */
#include "cg_internal.h"

/* t.k with IrFact.take_field: t is taken, field k is the result and the
 * other fields die here */
static LLVMValueRef take_field(FnCtx *f, Expr *e) {
    Expr *base = e->u.field.base;
    LLVMValueRef t = cg_take_binding(f, base);
    if (!t) return NULL;
    const Type *ty = base->type;
    for (int i = 0; i < ty->n; i++) { /* tuple items and record fields alike */
        const Type *fi = ty->items[i];
        if (i != e->u.field.index && cg_managed(fi))
            cg_release(f, LLVMBuildExtractValue(f->cg->b, t, (unsigned)i, ""), fi);
    }
    return LLVMBuildExtractValue(f->cg->b, t, (unsigned)e->u.field.index, "");
}

LLVMValueRef cg_take_binding(FnCtx *f, Expr *e) {
    if (e->kind == E_FIELD && cg_fact(f, e)->take_field) return take_field(f, e);
    if (e->kind != E_NAME || !cg_fact(f, e)->move) return NULL;
    LLVMValueRef v = f->locals[e->u.name.local->id];
    /* only when this generated function owns the binding: a use inside
     * a spawned task's function borrows from the spawner's frame */
    for (int i = f->nowned - 1; i >= 0; i--)
        if (f->owned[i].t && f->owned[i].v == v) {
            f->owned[i].t = NULL; /* taken: nothing left to release */
            return v;
        }
    return NULL;
}

LLVMValueRef cg_take(FnCtx *f, Expr *e) {
    LLVMValueRef v = cg_take_binding(f, e);
    return v ? v : cg_expr(f, e, false);
}
