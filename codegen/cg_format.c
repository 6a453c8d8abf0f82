/* cg_format.c — structural operations by type: formatting for print/str
 * (spec 7) and equality (spec 5). Composite values are taken apart here;
 * the runtime formats the scalars. */
#include "cg_internal.h"

static void lit(FnCtx *f, LLVMValueRef buf, const char *s) {
    Cg *cg = f->cg;
    LLVMValueRef args[2] = {buf, cg_cstring(cg, s)};
    cg_call(cg, cg->rt.t_buf_lit, cg->rt.buf_lit, args, 2, "");
}

void cg_format(FnCtx *f, LLVMValueRef buf, LLVMValueRef v, const Type *t, bool quoted) {
    Cg *cg = f->cg;
    LLVMValueRef args[3] = {buf, v, NULL};
    switch (t->kind) {
    case TY_I64: cg_call(cg, cg->rt.t_buf_i64, cg->rt.buf_i64, args, 2, ""); return;
    case TY_F64: cg_call(cg, cg->rt.t_buf_f64, cg->rt.buf_f64, args, 2, ""); return;
    case TY_BOOL:
        args[1] = LLVMBuildZExt(cg->b, v, cg->t_i32, "");
        cg_call(cg, cg->rt.t_buf_bool, cg->rt.buf_bool, args, 2, "");
        return;
    case TY_STR:
        args[2] = LLVMConstInt(cg->t_i32, quoted, 0);
        cg_call(cg, cg->rt.t_buf_str, cg->rt.buf_str, args, 3, "");
        return;
    case TY_UNIT: lit(f, buf, "()"); return;
    case TY_TUPLE:
        lit(f, buf, "(");
        for (int i = 0; i < t->n; i++) {
            if (i) lit(f, buf, ", ");
            cg_format(f, buf, LLVMBuildExtractValue(cg->b, v, (unsigned)i, ""), t->items[i], true);
        }
        lit(f, buf, ")");
        return;
    default: return; /* arrays and functions: rejected by the checker for now */
    }
}

LLVMValueRef cg_equal(FnCtx *f, LLVMValueRef a, LLVMValueRef b, const Type *t) {
    Cg *cg = f->cg;
    switch (t->kind) {
    case TY_I64: case TY_BOOL: return LLVMBuildICmp(cg->b, LLVMIntEQ, a, b, "eq");
    case TY_F64: return LLVMBuildFCmp(cg->b, LLVMRealOEQ, a, b, "eq");
    case TY_STR: {
        LLVMValueRef args[2] = {a, b};
        return cg_call(cg, cg->rt.t_str_eq, cg->rt.str_eq, args, 2, "eq");
    }
    case TY_TUPLE: {
        LLVMValueRef all = LLVMConstInt(cg->t_i1, 1, 0);
        for (int i = 0; i < t->n; i++) {
            LLVMValueRef x = LLVMBuildExtractValue(cg->b, a, (unsigned)i, "");
            LLVMValueRef y = LLVMBuildExtractValue(cg->b, b, (unsigned)i, "");
            all = LLVMBuildAnd(cg->b, all, cg_equal(f, x, y, t->items[i]), "");
        }
        return all;
    }
    default: return LLVMConstInt(cg->t_i1, 1, 0); /* unit == unit */
    }
}
