/* cg_format.c — structural operations by type: formatting for print/str
 * (spec 7) and equality (spec 5). Composite values are taken apart here;
 * the runtime formats the scalars. */
#include "cg_internal.h"

static void lit(FnCtx *f, LLVMValueRef buf, const char *s) {
    Cg *cg = f->cg;
    LLVMValueRef args[2] = {buf, cg_cstring(cg, s)};
    cg_rt_call(cg, RT_buf_lit, args);
}

void cg_format(FnCtx *f, LLVMValueRef buf, LLVMValueRef v, const Type *t, bool quoted) {
    Cg *cg = f->cg;
    LLVMValueRef args[3] = {buf, v, NULL};
    switch (t->kind) {
    case TY_I64: cg_rt_call(cg, RT_buf_i64, args); return;
    case TY_F64: cg_rt_call(cg, RT_buf_f64, args); return;
    case TY_BOOL:
        args[1] = LLVMBuildZExt(cg->b, v, cg->t_i32, "");
        cg_rt_call(cg, RT_buf_bool, args);
        return;
    case TY_STR:
        args[2] = LLVMConstInt(cg->t_i32, quoted, 0);
        cg_rt_call(cg, RT_buf_str, args);
        return;
    case TY_UNIT: lit(f, buf, "()"); return;
    case TY_RECORD: cg_format_record(f, buf, v, t); return;
    case TY_VARIANT: cg_format_variant(f, buf, v, t); return;
    case TY_FN: lit(f, buf, "<fn>"); return; /* only the REPL shows them: print rejects them */
    case TY_TUPLE:
        lit(f, buf, "(");
        for (int i = 0; i < t->n; i++) {
            if (i) lit(f, buf, ", ");
            cg_format(f, buf, LLVMBuildExtractValue(cg->b, v, (unsigned)i, ""), t->items[i], true);
        }
        lit(f, buf, ")");
        return;
    case TY_ARRAY: {
        lit(f, buf, "[");
        LLVMValueRef n = cg_len(f, v);
        CgLoop L;
        cg_loop_begin(f, LLVMConstInt(cg->t_i64, 0, 0), n, &L);
        LLVMBasicBlockRef sep = cg_new_block(f, "fmt.sep"), item = cg_new_block(f, "fmt.item");
        LLVMBuildCondBr(cg->b, LLVMBuildICmp(cg->b, LLVMIntNE, L.i, LLVMConstInt(cg->t_i64, 0, 0), ""), sep, item);
        LLVMPositionBuilderAtEnd(cg->b, sep);
        lit(f, buf, ", ");
        LLVMBuildBr(cg->b, item);
        LLVMPositionBuilderAtEnd(cg->b, item);
        LLVMValueRef x = cg_load_elem(f, v, L.i, t->elem, "");
        cg_format(f, buf, x, t->elem, true);
        cg_loop_end(f, &L);
        lit(f, buf, "]");
        return;
    }
    default: return;
    }
}

LLVMValueRef cg_equal(FnCtx *f, LLVMValueRef a, LLVMValueRef b, const Type *t) {
    Cg *cg = f->cg;
    switch (t->kind) {
    case TY_I64: case TY_BOOL: return LLVMBuildICmp(cg->b, LLVMIntEQ, a, b, "eq");
    case TY_F64: return LLVMBuildFCmp(cg->b, LLVMRealOEQ, a, b, "eq");
    case TY_STR: {
        LLVMValueRef args[2] = {a, b};
        return cg_rt_call(cg, RT_str_eq, args);
    }
    case TY_VARIANT: return cg_equal_variant(f, a, b, t);
    case TY_RECORD: return cg_equal_record(f, a, b, t);
    case TY_TUPLE: {
        LLVMValueRef all = LLVMConstInt(cg->t_i1, 1, 0);
        for (int i = 0; i < t->n; i++) {
            LLVMValueRef x = LLVMBuildExtractValue(cg->b, a, (unsigned)i, "");
            LLVMValueRef y = LLVMBuildExtractValue(cg->b, b, (unsigned)i, "");
            all = LLVMBuildAnd(cg->b, all, cg_equal(f, x, y, t->items[i]), "");
        }
        return all;
    }
    case TY_ARRAY: {
        /* same length, then element by element until one differs */
        LLVMValueRef res = cg_alloca(f, cg->t_i1, "arr.eq");
        LLVMValueRef n = cg_len(f, a);
        LLVMValueRef same_len = LLVMBuildICmp(cg->b, LLVMIntEQ, n, cg_len(f, b), "");
        LLVMBuildStore(cg->b, same_len, res);
        LLVMBasicBlockRef scan = cg_new_block(f, "eq.scan"), done = cg_new_block(f, "eq.done");
        LLVMBuildCondBr(cg->b, same_len, scan, done);
        LLVMPositionBuilderAtEnd(cg->b, scan);
        CgLoop L;
        cg_loop_begin(f, LLVMConstInt(cg->t_i64, 0, 0), n, &L);
        LLVMTypeRef et = cg_type(cg, t->elem);
        LLVMValueRef x = LLVMBuildLoad2(cg->b, et, cg_elem_ptr(f, a, L.i, t->elem), "");
        LLVMValueRef y = LLVMBuildLoad2(cg->b, et, cg_elem_ptr(f, b, L.i, t->elem), "");
        LLVMValueRef eq = cg_equal(f, x, y, t->elem);
        LLVMBasicBlockRef differ = cg_new_block(f, "eq.differ"), next = cg_new_block(f, "eq.next");
        LLVMBuildCondBr(cg->b, eq, next, differ);
        LLVMPositionBuilderAtEnd(cg->b, differ);
        LLVMBuildStore(cg->b, LLVMConstInt(cg->t_i1, 0, 0), res);
        LLVMBuildBr(cg->b, done);
        LLVMPositionBuilderAtEnd(cg->b, next);
        cg_loop_end(f, &L);
        LLVMBuildBr(cg->b, done);
        LLVMPositionBuilderAtEnd(cg->b, done);
        return LLVMBuildLoad2(cg->b, cg->t_i1, res, "");
    }
    default: return LLVMConstInt(cg->t_i1, 1, 0); /* unit == unit */
    }
}
