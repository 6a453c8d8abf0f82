/* cg_rt.c — the runtime's entry points in the LLVM module, declared from
 * the one ABI table (runtime/pel_rt_abi.def, checked against pel_rt.h by
 * tests/unit/test_rt_abi.c). A function is declared the first time code
 * calls it, so a module holds only what it uses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cg_internal.h"

typedef enum AbiType { ABI_VOID, ABI_BOOL, ABI_I32, ABI_I64, ABI_F64, ABI_PTR } AbiType;

#define RT_VOID ABI_VOID
#define RT_BOOL ABI_BOOL
#define RT_I32 ABI_I32
#define RT_I64 ABI_I64
#define RT_F64 ABI_F64
#define RT_P(t) ABI_PTR
#define RT_ATOMIC_I32 ABI_I32
#define RT_NORETURN 1
#define RT_SITE 2
#define RT_PARAMS(...) {__VA_ARGS__}

typedef struct AbiRow {
    const char *name;
    AbiType ret;
    AbiType params[8];
    int attrs; /* 0, RT_NORETURN or RT_SITE */
} AbiRow;

static const AbiRow fns[RT_FN_COUNT_] = {
#define PEL_RT_FN(name, ret, params, attrs) {"pel_rt_" #name, ret, RT_PARAMS params, attrs},
#define PEL_RT_CB(Name, ret, params)
#define PEL_RT_VAR(name, type)
#include "pel_rt_abi.def"
#undef PEL_RT_FN
#undef PEL_RT_CB
#undef PEL_RT_VAR
};

static const AbiRow cbs[RT_CB_COUNT_] = {
#define PEL_RT_FN(name, ret, params, attrs)
#define PEL_RT_CB(Name, ret, params) {"Pel" #Name, ret, RT_PARAMS params, 0},
#define PEL_RT_VAR(name, type)
#include "pel_rt_abi.def"
#undef PEL_RT_FN
#undef PEL_RT_CB
#undef PEL_RT_VAR
};

static const AbiRow vars[RT_VAR_COUNT_] = {
#define PEL_RT_FN(name, ret, params, attrs)
#define PEL_RT_CB(Name, ret, params)
#define PEL_RT_VAR(name, type) {"pel_rt_" #name, type, {ABI_VOID}, 0},
#include "pel_rt_abi.def"
#undef PEL_RT_FN
#undef PEL_RT_CB
#undef PEL_RT_VAR
};

static LLVMTypeRef abi_type(Cg *cg, AbiType t) {
    switch (t) {
    case ABI_VOID: return cg->t_void;
    case ABI_BOOL: return cg->t_i1;
    case ABI_I32: return cg->t_i32;
    case ABI_I64: return cg->t_i64;
    case ABI_F64: return cg->t_f64;
    default: return cg->t_ptr;
    }
}

/* a parameter list ends at its first ABI_VOID (a row without parameters
 * is (RT_VOID); unwritten slots are zero, ABI_VOID too) */
static LLVMTypeRef row_type(Cg *cg, const AbiRow *r) {
    LLVMTypeRef ps[8];
    unsigned n = 0;
    while (n < 8 && r->params[n] != ABI_VOID) {
        ps[n] = abi_type(cg, r->params[n]);
        n++;
    }
    return LLVMFunctionType(abi_type(cg, r->ret), ps, n, 0);
}

LLVMTypeRef cg_rt_type(Cg *cg, RtFn id) {
    if (!cg->rt_types[id]) cg->rt_types[id] = row_type(cg, &fns[id]);
    return cg->rt_types[id];
}

LLVMTypeRef cg_rt_cb_type(Cg *cg, RtCallback id) { return row_type(cg, &cbs[id]); }

LLVMValueRef cg_rt_fn(Cg *cg, RtFn id) {
    if (cg->rt_fns[id]) return cg->rt_fns[id];
    LLVMValueRef f = LLVMAddFunction(cg->mod, fns[id].name, cg_rt_type(cg, id));
    if (fns[id].attrs == RT_NORETURN) {
        const char *attrs[] = {"noreturn", "cold", "nounwind"};
        for (int i = 0; i < 3; i++) {
            unsigned kind = LLVMGetEnumAttributeKindForName(attrs[i], strlen(attrs[i]));
            LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(cg->ctx, kind, 0));
        }
    }
    return cg->rt_fns[id] = f;
}

static LLVMValueRef call(Cg *cg, RtFn id, LLVMValueRef *args) {
    LLVMTypeRef fty = cg_rt_type(cg, id);
    LLVMValueRef fn = cg_rt_fn(cg, id);
    return LLVMBuildCall2(cg->b, fty, fn, args, LLVMCountParamTypes(fty), "");
}

LLVMValueRef cg_rt_call(Cg *cg, RtFn id, LLVMValueRef *args) {
    if (fns[id].attrs == RT_SITE) {
        /* a row that needs its caller's site called without one: a bug
         * here, caught by the first test that generates the call */
        fprintf(stderr, "pelc: internal error: %s called without a site (cg_rt_call_at)\n", fns[id].name);
        abort();
    }
    return call(cg, id, args);
}

LLVMValueRef cg_rt_call_at(FnCtx *f, RtFn id, LLVMValueRef *args) {
    Cg *cg = f->cg;
    if (f->w) {
        /* w->site = "file:line:col" of the expression (NULL outside one) */
        LLVMValueRef site = f->loc.line > 0 ? cg_loc_string(cg, f->loc) : LLVMConstNull(cg->t_ptr);
        LLVMValueRef off = LLVMConstInt(cg->t_i64, PEL_W_SITE, 0);
        LLVMBuildStore(cg->b, site, LLVMBuildGEP2(cg->b, cg->t_i8, f->w, &off, 1, "site"));
    }
    return call(cg, id, args);
}

LLVMValueRef cg_rt_var(Cg *cg, RtVar id) {
    LLVMValueRef g = LLVMGetNamedGlobal(cg->mod, vars[id].name);
    return g ? g : LLVMAddGlobal(cg->mod, abi_type(cg, vars[id].ret), vars[id].name);
}
