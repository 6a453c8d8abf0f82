/* cg_internal.h — shared state of the code generator's files. */
#ifndef PEL_CG_INTERNAL_H
#define PEL_CG_INTERNAL_H

#include <llvm-c/Core.h>
#include <llvm-c/TargetMachine.h>

#include "codegen.h"
#include "pel_rt.h"

/* The runtime's entry points, callback types and globals: one row each in
 * runtime/pel_rt_abi.def (cg_rt.c declares them from it). */
typedef enum RtFn {
#define PEL_RT_FN(name, ret, params, attrs) RT_##name,
#define PEL_RT_CB(Name, ret, params)
#define PEL_RT_VAR(name, type)
#include "pel_rt_abi.def"
#undef PEL_RT_FN
#undef PEL_RT_CB
#undef PEL_RT_VAR
    RT_FN_COUNT_
} RtFn;
typedef enum RtCallback {
#define PEL_RT_FN(name, ret, params, attrs)
#define PEL_RT_CB(Name, ret, params) RT_CB_##Name,
#define PEL_RT_VAR(name, type)
#include "pel_rt_abi.def"
#undef PEL_RT_FN
#undef PEL_RT_CB
#undef PEL_RT_VAR
    RT_CB_COUNT_
} RtCallback;
typedef enum RtVar {
#define PEL_RT_FN(name, ret, params, attrs)
#define PEL_RT_CB(Name, ret, params)
#define PEL_RT_VAR(name, type) RT_VAR_##name,
#include "pel_rt_abi.def"
#undef PEL_RT_FN
#undef PEL_RT_CB
#undef PEL_RT_VAR
    RT_VAR_COUNT_
} RtVar;

/* A drop_elems function generated for one element type (cg_rc.c). */
typedef struct CgDropFn {
    const Type *elem;
    LLVMValueRef fn;
} CgDropFn;

/* The functions generated for one variant type (cg_data.c). */
typedef struct CgData {
    const TypeDecl *decl;
    LLVMValueRef drop, eq, fmt;
    LLVMValueRef *nullary; /* by tag: the constant box of a constructor without fields */
    LLVMValueRef *ctor_fn; /* by tag: the constructor as a function value's code */
} CgData;

#define CG_TBAA_TAGS 8 /* cg_tbaa.c: lengths and each scalar element type */

typedef struct Cg {
    Arena arena;
    const IrProgram *ir;
    const Program *prog;
    const CgOptions *opt;
    /* -g (cg_debug.c): the builder, the unit, a subprogram per PEL function,
     * the files of the modules */
    struct LLVMOpaqueDIBuilder *dib;
    LLVMMetadataRef di_cu;
    LLVMMetadataRef *di_fn, *di_fn_seq; /* a PEL function's, its sequential clone's */
#define CG_MAX_DI_FILES 256
    const SrcFile *di_srcs[CG_MAX_DI_FILES];
    LLVMMetadataRef di_files[CG_MAX_DI_FILES];
    int di_nfiles;
    Diag *d;
    LLVMContextRef ctx;
    LLVMModuleRef mod;
    LLVMBuilderRef b;
    LLVMTypeRef t_i128, t_i64, t_i32, t_i8, t_i1, t_f64, t_ptr, t_unit, t_void, t_task_fn;
    LLVMTypeRef t_task_hdr; /* struct PelTask */
    LLVMValueRef rt_fns[RT_FN_COUNT_];  /* declared on first use (cg_rt.c) */
    LLVMMetadataRef tbaa_root;          /* cg_tbaa.c, made on first use */
    LLVMValueRef tbaa[CG_TBAA_TAGS];    /* one access tag per kind of access */
    LLVMTypeRef rt_types[RT_FN_COUNT_];
    /* per function index: the parallel version, the sequential clone (the
     * same function when no clone is needed) and their LLVM type */
    LLVMValueRef *fn_par, *fn_seq;
    LLVMTypeRef *fn_type;
    LLVMValueRef *fn_closure; /* per function: its code as a function value, or NULL */
    LLVMTargetDataRef td;
    int ntasks;
    CgDropFn *drops;
    int ndrops, cap_drops;
    CgData *data;
    int ndata, cap_data;
} Cg;

/* The opaque module of codegen.h: cg_build's state and the target machine
 * that writes it (cg_write) or turns it into an object for the JIT (cg_jit.c). */
struct CgModule {
    Cg cg;
    LLVMTargetMachineRef tm;
};

/* A value the code being generated owns and must release (cg_rc.c);
 * t is NULL once cg_take handed it over. */
typedef struct CgOwned {
    LLVMValueRef v;
    const Type *t;
} CgOwned;

/* One LLVM function being generated: a user function's parallel version or
 * sequential clone, or the task function of a spawned node. */
typedef struct FnCtx {
    Cg *cg;
    LLVMValueRef llfn;
    LLVMValueRef w;       /* the PelWorker* argument */
    FnDecl *fn;           /* the user function the code belongs to */
    Loc loc;              /* the expression being generated (cg_expr), for sites */
    bool seq;             /* sequential clone: spawn nothing, call clones */
    LLVMValueRef *locals; /* by Local id */
    LLVMBasicBlockRef alloca_block;
    /* self tail calls: parameter slots and the loop header (NULL in tasks) */
    LLVMValueRef *param_slots;
    LLVMBasicBlockRef loop_head;
    /* a chunk body's element reads done before its loop (cg_hoist.c) */
    struct CgHoisted *hoisted;
    int nhoisted;
    /* owned values not yet released, innermost last (cg_rc.c) */
    CgOwned *owned;
    int nowned, cap_owned;
    /* while a tile runs (cg_tile.c): failing checks branch here instead of
     * reporting, and the element-by-element loop redoes the tile */
    LLVMBasicBlockRef bail;
    /* while the middle of a split chunk is generated (cg_ranges.c) */
    const struct CgSplit *middle;
    /* while a tile's columns are generated (cg_tile.c) */
    struct CgTileCols *tile_cols;
    /* -g -O0: the stack slot gdb reads each variable from, by Local id
     * (cg_debug_var), made on its first binding */
    LLVMValueRef *dbg_slots;
} FnCtx;

/* cg_rt.c: the runtime ABI (pel_rt_abi.def) */
LLVMTypeRef cg_rt_type(Cg *cg, RtFn id);
LLVMValueRef cg_rt_fn(Cg *cg, RtFn id);
/* a call of the runtime function with its table's arity of arguments */
LLVMValueRef cg_rt_call(Cg *cg, RtFn id, LLVMValueRef *args);
/* the same for an RT_SITE row: stores f's current expression's location
 * in the worker's site first (cg_rt_call refuses those rows) */
LLVMValueRef cg_rt_call_at(FnCtx *f, RtFn id, LLVMValueRef *args);
LLVMTypeRef cg_rt_cb_type(Cg *cg, RtCallback id); /* a function codegen generates for the runtime */
LLVMValueRef cg_rt_var(Cg *cg, RtVar id);

/* The IR's decisions about an expression of the function being generated. */
static inline const IrFact *cg_fact(const FnCtx *f, const Expr *e) {
    return ir_fact(f->cg->ir->funcs[f->fn->index], e);
}

/* cg_module.c */
LLVMTypeRef cg_type(Cg *cg, const Type *t);
LLVMValueRef cg_alloca(FnCtx *f, LLVMTypeRef t, const char *name);
LLVMValueRef cg_loc_string(Cg *cg, Loc loc);
LLVMValueRef cg_cstring(Cg *cg, const char *s);
LLVMValueRef cg_str_literal(Cg *cg, const char *bytes, size_t len);
LLVMValueRef cg_call(Cg *cg, LLVMTypeRef fty, LLVMValueRef fn, LLVMValueRef *args, unsigned n,
                     const char *name);
LLVMValueRef cg_unit(Cg *cg);
void cg_set_fn_attrs(Cg *cg, LLVMValueRef fn);
/* emits `if (cond) { fail(...) }` where the failing branch is built by
 * the callback and ends in unreachable */
LLVMBasicBlockRef cg_new_block(FnCtx *f, const char *name);
/* an internal function of type fty that codegen calls (a drop, an
 * equality, a formatter): h is positioned in its body, *resume holds the
 * builder's old place for cg_helper_end */
LLVMValueRef cg_helper_begin(Cg *cg, const char *name, LLVMTypeRef fty, FnCtx *h, LLVMBasicBlockRef *resume);
void cg_helper_end(Cg *cg, LLVMBasicBlockRef resume);
bool cg_terminated(Cg *cg);

/* cg_rc.c: the ownership protocol (see the comment at its top) */
bool cg_managed(const Type *t); /* str, arrays, closures, tuples holding one */
void cg_retain(FnCtx *f, LLVMValueRef v, const Type *t);
void cg_release(FnCtx *f, LLVMValueRef v, const Type *t);
int cg_owned_mark(FnCtx *f);
void cg_own(FnCtx *f, LLVMValueRef v, const Type *t);  /* released at the end of the expression */
void cg_release_owned(FnCtx *f, int mark);              /* releases what was owned after mark */
void cg_release_all(FnCtx *f);                          /* emits them all, forgets none (tail calls) */
LLVMValueRef cg_borrow(FnCtx *f, Expr *e);              /* valid until the expression ends */
/* The branches of an if or a match: a binding one branch takes (a move)
 * must be released on the others. begin before the first branch; end at
 * each branch's end (before its branch to the join), which restores the
 * owned list for the next; merge after the last. */
typedef struct CgBranches {
    int n;                   /* owned entries when the branches began */
    const Type **t;          /* their types then (NULL: already taken) */
    LLVMBasicBlockRef *ends; /* per branch: its last block, NULL if it does not fall through */
    bool **taken;            /* per branch, per entry */
    int nb, cap;
} CgBranches;
void cg_branches_begin(FnCtx *f, CgBranches *b, int nbranches);
void cg_branch_end(FnCtx *f, CgBranches *b);
void cg_branches_merge(FnCtx *f, CgBranches *b);
/* merge, then the value at the join `done`: a phi of bv[k] (by branch,
 * NULL where the branch has none) of type t, or () */
LLVMValueRef cg_branches_join(FnCtx *f, CgBranches *b, LLVMValueRef *bv, LLVMBasicBlockRef done, const Type *t,
                              const char *name);
/* cg_move.c: an owned reference to e: the binding's own when the IR moved
 * e (IrFact.move) and this function owns it (taken off the owned list),
 * else cg_expr's */
LLVMValueRef cg_take(FnCtx *f, Expr *e);
/* the binding's own reference when e is a move this function can take, else NULL */
LLVMValueRef cg_take_binding(FnCtx *f, Expr *e);
LLVMValueRef cg_elem_drop_fn(Cg *cg, const Type *elem); /* drop_elems for an element type, or null */
struct CgEnv;
LLVMValueRef cg_env_drop_fn(Cg *cg, const struct CgEnv *env); /* releases the captures, or null */

/* cg_expr.c: returns NULL when the code does not fall through (a self tail
 * call became a jump) */
LLVMValueRef cg_expr(FnCtx *f, Expr *e, bool tail);
void cg_bind_pattern(FnCtx *f, const Pattern *p, LLVMValueRef v, const Type *t); /* owned */

/* cg_task.c */
void cg_region(FnCtx *f, const IrRegion *r, LLVMValueRef *values, bool tail_last,
               LLVMValueRef *last_value);
void cg_entry_checks(FnCtx *f, const IrFunc *irf, LLVMValueRef *params, int nparams);
void cg_poll(FnCtx *f, int can_promote);

/* cg_array.c: arrays, ranges, for, and the loops the builtins share */
typedef struct CgLoop {
    LLVMValueRef i; /* the index, valid inside the body */
    LLVMBasicBlockRef pre, head, exit;
    LLVMValueRef phi;
} CgLoop;
void cg_loop_begin(FnCtx *f, LLVMValueRef lo, LLVMValueRef hi, CgLoop *L);
void cg_loop_end(FnCtx *f, CgLoop *L);
LLVMValueRef cg_len(FnCtx *f, LLVMValueRef arr_or_str);
LLVMValueRef cg_range_len(FnCtx *f, Loc loc, LLVMValueRef lo, LLVMValueRef hi);
/* a + b for the length of an array being built (concat, flatten, push);
 * more than i64 counts is a runtime error at loc, never a wrapped length */
LLVMValueRef cg_len_add(FnCtx *f, Loc loc, LLVMValueRef a, LLVMValueRef b); /* len(lo..hi): max(hi - lo, 0) */
LLVMValueRef cg_arr_new(FnCtx *f, LLVMValueRef len, const Type *elem);
LLVMValueRef cg_elem_ptr(FnCtx *f, LLVMValueRef arr, LLVMValueRef i, const Type *elem);
/* cg_hoist.c: a[k] with IrFact.hoist, read once at a chunk's start */
typedef struct CgHoisted {
    const Expr *e;
    LLVMValueRef v, len; /* the element (zero when k was out of bounds), its length or NULL */
} CgHoisted;
void cg_hoist_preload(FnCtx *f, Expr *body);
/* cg_ranges.c: a chunk of a loop over a range cut in three, the middle
 * [cut[1], cut[2]) without the checks and edge tests ir/ranges.c settled */
typedef struct CgSplit {
    LLVMValueRef cut[4]; /* lo, s, e, hi: part k is [cut[k], cut[k + 1]) */
    const Expr **proven; /* IrFact.in_range indexes in bounds in the middle */
    int nproven;
    const Expr **edges; /* IrFact.edge_test tests constant in the middle */
    int nedges;
} CgSplit;
LLVMValueRef cg_hoisted(const FnCtx *f, const Expr *e);
LLVMValueRef cg_hoisted_len(const FnCtx *f, LLVMValueRef v);
/* cg_tbaa.c: alias tags; element i of arr loaded or stored with its tag */
void cg_tbaa_len(Cg *cg, LLVMValueRef load);
void cg_tbaa_elem(Cg *cg, LLVMValueRef access, LLVMTypeRef t);
LLVMValueRef cg_load_elem(FnCtx *f, LLVMValueRef arr, LLVMValueRef i, const Type *elem, const char *name);
void cg_store_elem(FnCtx *f, LLVMValueRef v, LLVMValueRef arr, LLVMValueRef i, const Type *elem);
LLVMValueRef cg_array_literal(FnCtx *f, Expr *e);
/* i in [0, len), else "index I out of bounds for length N" at loc (in a
 * tile: the tile bails) */
void cg_check_index(FnCtx *f, Loc loc, LLVMValueRef i, LLVMValueRef len);
LLVMValueRef cg_index(FnCtx *f, Expr *e);
LLVMValueRef cg_range(FnCtx *f, Expr *e);
LLVMValueRef cg_for(FnCtx *f, Expr *e);
/* map(xs, fn) with a lambda or a function value, like for; xs: the source
 * if already evaluated (else NULL); filter uses it with bool elements */
LLVMValueRef cg_map(FnCtx *f, Expr *e, LLVMValueRef xs, const Type *out_elem, bool take_xs);
void cg_fail_here(FnCtx *f, LLVMValueRef cond, Loc loc, const char *msg);
/* starts generating a parallel loop body `void what(w, env, lo, hi)` (a
 * PelRangeFn) into sub; *resume is where f's code goes on (cg_sub_end) */
LLVMValueRef cg_range_body_begin(FnCtx *f, const char *what, FnCtx *sub, LLVMBasicBlockRef *resume);

/* cg_closure.c */
LLVMValueRef cg_lambda(FnCtx *f, Expr *e);
LLVMValueRef cg_fn_value(FnCtx *f, FnDecl *fn);
LLVMValueRef cg_call_closure(FnCtx *f, LLVMValueRef clo, const Type *fty, LLVMValueRef *args, int n);
/* A value of function type applied to arguments: inlines a lambda literal's
 * body when the function is one (the common `map(xs, fn(x) => ...)`), and
 * calls a named function directly. */
LLVMValueRef cg_apply(FnCtx *f, Expr *fn_expr, LLVMValueRef fn_value, LLVMValueRef *args, int n);
/* a direct call of a PEL function (its parallel version, or its clone in a
 * sequential clone): arguments borrowed, the result owned */
LLVMValueRef cg_call_fn(FnCtx *f, FnDecl *fn, LLVMValueRef *args, int n);
/* The body of a parallel loop or a lambda runs in a function of its own; the
 * values it reads from outside travel in a struct. */
typedef struct CgEnv {
    LLVMTypeRef ty;       /* struct { extra fields..., captures... } */
    Local **locals;
    int nlocals, first;   /* captures start at field `first` */
} CgEnv;
void cg_env_layout(Cg *cg, CgEnv *env, Local **locals, int n, LLVMTypeRef *extra, int nextra);
void cg_env_store(FnCtx *f, const CgEnv *env, LLVMValueRef ptr);
void cg_env_load(FnCtx *f, const CgEnv *env, LLVMValueRef ptr);
/* an internal LLVM function "pel.<fn>.<what><N>" for code generated inside
 * the PEL function of parent */
LLVMValueRef cg_new_fn(FnCtx *parent, const char *what, LLVMTypeRef fty);
/* starts generating the body of such a function */
void cg_sub_begin(FnCtx *parent, FnCtx *sub, LLVMValueRef llfn);
void cg_sub_end(FnCtx *parent, FnCtx *sub, LLVMBasicBlockRef resume);

/* cg_pipe.c: fused chains of maps over a range or an array */
typedef struct CgStage {
    Expr *src;           /* the map, for or filter call that made it */
    Local *var;          /* inlined lambda/for: its variable and body */
    Expr *body;
    Expr *fn_expr;       /* or a function value, called */
    Local **caps;
    int ncaps;
    const Type *out;
    LLVMValueRef clo, sub_clo; /* the function value in the caller / in the loop */
} CgStage;
typedef struct CgPipe {
    Expr *base;          /* a range or an array-valued expression */
    bool is_range;
    const Type *base_elem;
    CgStage stages[IR_PIPE_MAX + 1]; /* the IR's chain, and a stage codegen adds (map over an array) */
    int n;
    bool base_owned;            /* the base array is a temporary handed to the consumer */
    LLVMValueRef base_val, len; /* in the caller: range start or array, length */
    LLVMValueRef sub_base;      /* in the loop function */
    int env_base;               /* env field of the base */
} CgPipe;
/* false: nothing to settle in the pipe's first stage; run [lo, hi) whole */
bool cg_split_chunk(FnCtx *f, const CgPipe *p, LLVMValueRef lo, LLVMValueRef hi, CgSplit *sp);
bool cg_split_unchecked(const FnCtx *f, const Expr *e); /* in the middle: skip e's index check */
LLVMValueRef cg_split_edge(const FnCtx *f, const Expr *e); /* in the middle: e's constant, or NULL */
/* the pipe of e as the IR fused it (ir_pipe_of) */
void cg_pipe_of(FnCtx *f, Expr *e, CgPipe *p);
/* a stage applying fn, for the map or filter call src */
void cg_pipe_add_stage(CgPipe *p, Expr *src, Expr *fn, const Type *out);
const Type *cg_pipe_elem_type(const CgPipe *p);
/* evaluates the base (or takes base_value, an array) and the function values */
bool cg_pipe_eval(FnCtx *f, CgPipe *p, LLVMValueRef base_value);
void cg_pipe_env(Cg *cg, CgPipe *p, LLVMTypeRef *extra, int nextra, Local **more, int nmore, CgEnv *env);
void cg_pipe_store(FnCtx *f, const CgPipe *p, const CgEnv *env, LLVMValueRef envp);
void cg_pipe_load(FnCtx *sub, CgPipe *p, const CgEnv *env, LLVMValueRef envp);
/* element i: owned when the pipe has stages or `owned` asks for it (a
 * stored element); else borrowed from the base array */
LLVMValueRef cg_pipe_elem(FnCtx *sub, const CgPipe *p, LLVMValueRef i, bool owned);
/* the pipe's elements in a new array, in parallel; with base_owned, in the
 * base array itself when that is unique and the element layout allows */
LLVMValueRef cg_pipe_materialize(FnCtx *f, CgPipe *p);

/* cg_builtins.c: the builtins of spec 6 and 7 other than output */
/* take0: args[0] is an owned array handed over (IrFact.in_place), which
 * the builtin may update in place */
LLVMValueRef cg_builtin_data(FnCtx *f, Expr *e, const Builtin *b, LLVMValueRef *args, bool take0);
/* sum's and product's identity and step for i64 or f64: the fold's leaf and
 * the tile loops (cg_tile.c) must meet the same operations for the same bits */
LLVMValueRef cg_sum_identity(Cg *cg, const Type *t, bool product);
LLVMValueRef cg_sum_step(Cg *cg, const Type *t, bool product, LLVMValueRef acc, LLVMValueRef x);

/* cg_tile.c: in a store loop over [lo, hi) writing p's elements to out,
 * emits the tiled loop when each element is a fold it can tile; returns
 * where the element-by-element loop starts (lo when nothing was tiled) and
 * sets *quantum to the elements per tile (1 when nothing was tiled) */
/* In a tile, a[j] with j the column variable: true when the check is done
 * for the tile's whole span of columns already (at its first column) */
bool cg_tile_col_checked(FnCtx *f, Expr *e, LLVMValueRef arr);
LLVMValueRef cg_tile_folds(FnCtx *sub, CgPipe *p, LLVMValueRef out, LLVMValueRef lo, LLVMValueRef hi,
                           int *quantum);

/* cg_data.c: records and variants (spec 3.1) */
LLVMTypeRef cg_box_type(Cg *cg, const Ctor *k);
/* a value of k's variant from its fields (owned, stored in the box) */
LLVMValueRef cg_ctor(FnCtx *f, const Ctor *k, LLVMValueRef *fields);
LLVMValueRef cg_box_tag(FnCtx *f, LLVMValueRef v);
LLVMValueRef cg_box_field(FnCtx *f, const Ctor *k, LLVMValueRef v, int i); /* borrowed */
LLVMValueRef cg_box_drop_fn(Cg *cg, const TypeDecl *d);
LLVMValueRef cg_equal_variant(FnCtx *f, LLVMValueRef a, LLVMValueRef b, const Type *t);
void cg_format_variant(FnCtx *f, LLVMValueRef buf, LLVMValueRef v, const Type *t);
void cg_format_record(FnCtx *f, LLVMValueRef buf, LLVMValueRef v, const Type *t);
LLVMValueRef cg_equal_record(FnCtx *f, LLVMValueRef a, LLVMValueRef b, const Type *t);
/* cg_closure.c: a constructor with fields as a function value */
LLVMValueRef cg_ctor_value(FnCtx *f, const Ctor *k);
/* cg_match.c */
LLVMValueRef cg_match(FnCtx *f, Expr *e, bool tail);
LLVMValueRef cg_record(FnCtx *f, Expr *e);

/* cg_repl.c: the entry of a REPL line (CgOptions.repl_fn) */
void cg_repl_entry(Cg *cg);

/* cg_format.c */
void cg_format(FnCtx *f, LLVMValueRef buf, LLVMValueRef v, const Type *t, bool quoted);
LLVMValueRef cg_equal(FnCtx *f, LLVMValueRef a, LLVMValueRef b, const Type *t);
LLVMTypeRef cg_closure_type(Cg *cg);

/* cg_module.c: the host's target machine at -O level opt, or NULL after a
 * diagnostic */
LLVMTargetMachineRef cg_target_machine(Diag *d, int opt);
/* cg_debug.c: -g */
void cg_debug_begin(Cg *cg);
void cg_debug_at(FnCtx *f, Loc loc); /* the builder's location: loc in f's PEL function */
void cg_debug_finish(Cg *cg);       /* every function's subprogram, then the DWARF */
/* a loop body, task or lambda sub (cg_sub_begin) gets its subprogram now,
 * so that its variables have a scope */
void cg_debug_sub(FnCtx *sub);
/* -g -O0: a scalar parameter (argno from 1) or let (argno 0) gdb can print;
 * again for the same local in the same function, only its new value */
void cg_debug_var(FnCtx *f, const Local *l, LLVMValueRef v, int argno);
/* cg_export.c: the C functions of the program's export fns (spec 9) */
void cg_exports(Cg *cg);
/* cg_extern.c: a call of a C function (spec 9), its arguments borrowed;
 * the C type of a scalar PEL type (str: const char *, (): void), and
 * C's bool zero-extended at a parameter (index from 1) or the result */
LLVMTypeRef cg_c_type(Cg *cg, const Type *t);
void cg_c_zeroext(Cg *cg, LLVMValueRef fn, unsigned index);
LLVMValueRef cg_extern_call(FnCtx *f, FnDecl *fn, LLVMValueRef *args, int n);
/* cg_link.c: the module's markers in an object compiled alone (-c) */
void cg_module_markers(Cg *cg);

#endif
