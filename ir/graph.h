/* graph.h — the task graph: each function body as explicit dataflow.
 *
 * A checked function body is cut into regions: every block (its statements)
 * and every operand list worth running in parallel (call arguments, operands
 * of arithmetic and comparisons, tuple items, when two or more contain a
 * call). A region's nodes are its statements/operands in textual order; an
 * edge i -> j says node j needs node i, for data (j reads a value i binds)
 * or for effect order (spec 7: an effectful node waits for everything before
 * it and everything after it waits for it, so output and errors keep their
 * sequential order).
 *
 * The builder also schedules each region: a pure node that contains a call
 * to a non-trivial function is spawned as a task when another such node can
 * run before its first consumer; it is joined right before that consumer.
 * Joins are kept last-in-first-out (the runtime's deque is a stack), so a
 * task spawned while another is outstanding is joined no later than it.
 *
 * Beside the schedule, the IR holds every other decision the compiler
 * takes about a function, one record per expression (IrFact, indexed by
 * Expr.id): its effect and cost, fusion, moves and in-place updates, and
 * tiling. Each is decided once, in a file of ir/ of its own (cost.c,
 * fusion.c, moves.c, tile.c), checked by ir_verify (verify.c), shown by
 * `pelc --emit-graph` (dot.c) and only read by codegen/.
 */
#ifndef PEL_GRAPH_H
#define PEL_GRAPH_H

#include <stdio.h>

#include "../frontend/check.h"

typedef enum IrRegionKind { R_BLOCK, R_OPERANDS } IrRegionKind;

/* How a map or for computes its elements (tile.c). */
typedef enum IrTile {
    TILE_NONE,
    TILE_ELEMS, /* each element a sum/product over a range: 8 elements at a time */
    TILE_ROWS,  /* each element a map of such folds: IR_TILE_ROWS rows x
                 * IR_TILE_COLS columns at a time */
} IrTile;
/* The shapes codegen gives them (cg_tile.c says why these) */
#define IR_TILE_ELEMS 8
#define IR_TILE_ROWS 8
#define IR_TILE_COLS IR_TILE_ELEMS

/* A static estimate of the work of an expression, in operations; a loop
 * over an array, or a call whose time no body bounds, is COST_UNBOUNDED. */
#define COST_UNBOUNDED UINT32_MAX

/* What the compiler decided about one expression. */
typedef struct IrFact {
    bool effect;       /* Expr.effect, decided by the checker */
    bool unbounded;    /* calls a function value or an array/string builtin (cost.c) */
    bool calls_fn;     /* calls a user function */
    bool heavy;        /* unbounded, or calls a heavy function: worth a task */
    uint32_t cost;     /* cost.c */
    /* fusion.c: a consumer (map, for, fold) whose array argument, a map,
     * for or range, runs inside its own loop */
    bool fused;
    bool inner;        /* a map/for/range fused into its consumer */
    /* moves.c */
    bool move;         /* a variable at its last use: the use takes the binding */
    bool in_place;     /* map/for/sort/set/push: the array at its base is handed
                        * over; foldl/iterate: the initial state is */
    bool handed;       /* an argument for an owned parameter (IrFunc.param_owned)
                        * that may take the binding: no earlier operand holds it */
    bool take_field;   /* t.k, t a tuple or record variable at a last use that
                        * may move: the field is taken, the rest released */
    /* a fold whose elements call something costly: short ones are computed
     * in parallel first (fusion.c) */
    bool costly_elems;
    /* ... and an i64 sum, product, minimum or maximum: no rounding, so the
     * fold splits its range lazily instead (fusion.c) */
    bool lazy_fold;
    uint8_t tile;      /* IrTile, on a map/for (tile.c) */
    bool hoist;        /* a[k], the same in every iteration of its loop body:
                        * read once per chunk (hoist.c) */
    /* ranges.c, in the body of a loop over a range, j its variable */
    bool in_range;     /* a[j + c], a the same in every iteration: the middle
                        * of a chunk's range skips the check */
    bool edge_test;    /* j == k or j != k, k the same in every iteration:
                        * constant in the middle of a chunk's range */
    /* unique.c */
    bool unique_state; /* foldl/iterate: every step updates its array state
                        * in place; made unique once, before the loop */
    bool known_unique; /* set/push of such a step's chain: its array is
                        * unique, no count check */
} IrFact;

typedef struct IrNode {
    Expr *expr;       /* the computation: a let's value, a statement, an operand */
    Stmt *stmt;       /* R_BLOCK: the statement; NULL for operands */
    bool has_call;    /* its expression's IrFact.heavy: worth a task */
    bool effectful;   /* its expression's IrFact.effect */
    bool spawn;       /* run as a task */
    int join_at;      /* spawned: joined right before node join_at (n: at the end) */
    int *deps;        /* earlier nodes this one waits for */
    bool *dep_effect; /* per edge: true if only effect order, not data */
    int ndeps;
    Local **captures; /* locals the expression reads that are bound outside it */
    int ncaptures;
} IrNode;

typedef struct IrRegion {
    IrRegionKind kind;
    Expr *owner; /* E_BLOCK, or the E_CALL / E_BINARY / E_TUPLE of the operands */
    IrNode *nodes;
    int n;
    int nspawn;
} IrRegion;

typedef struct IrFunc {
    FnDecl *fn;
    IrRegion **regions;
    int nregions;
    bool heavy;       /* may run unboundedly long: recursion, array builtins, calls of
                       * function values or heavy functions (ir_build) */
    bool spawns;      /* some region spawns a task */
    bool needs_clone; /* spawns, or calls a function that needs a clone */
    bool reachable;   /* called, directly or not, from main */
    bool self_tail;   /* calls itself in tail position: a loop (moves.c) */
    bool *param_owned; /* per parameter: the caller hands over a reference (moves.c) */
    FnDecl **callees; /* user functions it calls, each once */
    int ncallees;
    IrFact *facts;    /* by Expr.id */
    int nexprs;
    uint32_t cost;    /* of its body (cost.c) */
} IrFunc;

typedef struct IrProgram {
    Arena *arena;
    Program *prog;
    IrFunc **funcs; /* parallel to prog->fns */
    int n;
    /* owner Expr -> region, open addressing */
    Expr **map_keys;
    IrRegion **map_vals;
    int map_cap, map_len;
} IrProgram;

/* Builds the graph of every function; those main reaches are marked
 * reachable (compiled). */
IrProgram *ir_build(Arena *a, Program *p);
/* Marks root, and what it calls, reachable too (the REPL's input). */
void ir_keep(IrProgram *ir, const FnDecl *root);
/* The region an expression owns, or NULL: then it runs sequentially. */
IrRegion *ir_region_of(const IrProgram *ir, const Expr *owner);
/* Checks the schedule's invariants (deps point backwards, joins LIFO,
 * spawned nodes pure) and the facts' (verify.c); returns false and prints
 * to stderr if broken. */
bool ir_verify(const IrProgram *ir);
void ir_dump_dot(FILE *out, const IrProgram *ir);

/* The facts of an expression of f. */
static inline const IrFact *ir_fact(const IrFunc *f, const Expr *e) { return &f->facts[e->id]; }

/* ---- fusion (fusion.c) ----
 * A pipe is a chain of maps and fors (its stages, innermost first) over a
 * base: a range or an array-valued expression. The pipe of e starts at e
 * and goes down its array arguments as far as the IR fused them. */
#define IR_PIPE_MAX 16
typedef struct IrPipe {
    Expr *base;
    Expr *stages[IR_PIPE_MAX]; /* map calls and fors */
    int n;
} IrPipe;
void ir_pipe_of(const IrFunc *f, Expr *e, IrPipe *p);
/* The array a consumer (map, for, fold, sort) works on: the for's
 * iterable or argument 0; NULL for anything else. */
Expr *ir_consumed_array(Expr *e);
/* the builtin a call calls, or NULL (not a call, or not of a builtin) */
const Builtin *ir_builtin_of(const Expr *e);
bool ir_is_map(const Expr *e);   /* a call of the builtin map */
bool ir_is_stage(const Expr *e); /* a map call or a for: a stage of a pipe */
/* A stage's function: its variable and body when it is a lambda or a
 * for, else NULL (a function value, called). */
Expr *ir_stage_body(Expr *stage, Local **var);
/* "sum <- map <- map <- range" */
void ir_describe_fusion(const IrFunc *f, Expr *consumer, char *buf, size_t size);
/* Does codegen borrow e without counting a reference (a variable, a
 * string literal, an element or a field)? Then an array given to an
 * in-place consumer is not a temporary (moves.c) */
bool ir_borrows_in_place(const Expr *e);
/* The array a consumer may take over (IrFact.in_place): a map's or for's
 * pipe base, argument 0 of sort, set and push, the initial state of foldl
 * and iterate; NULL for anything else (moves.c). */
Expr *ir_handed(const IrFunc *f, Expr *e);

/* The passes, in the order ir_build runs them after the regions' inputs. */
void ir_hoist(IrFunc *f);                           /* hoist.c: IrFact.hoist */
void ir_ranges(IrFunc *f);                          /* ranges.c: in_range, edge_test (after hoist) */
void ir_unique_states(IrFunc *f);                   /* unique.c: unique_state, known_unique (after moves) */
/* k of numbers, + - * and variables bound outside the body at depth: the
 * same in every iteration of that body, and it cannot fail (hoist.c) */
bool ir_invariant_expr(const Expr *k, int depth);
void ir_cost_local(IrFunc *f);                     /* cost.c: effect, unbounded, calls_fn */
void ir_cost_calls(const IrProgram *ir, IrFunc *f); /* cost.c: heavy, cost (callees done) */
void ir_fusion(IrFunc *f);                          /* fusion.c */
/* moves.c, after every function's regions (spawns): which parameters are
 * owned, over the whole program, then each function's moves */
void ir_param_ownership(Arena *a, IrProgram *ir);
void ir_moves(Arena *a, const IrProgram *ir, IrFunc *f, int nlocals);
void ir_tiles(IrFunc *f);                           /* tile.c */

#endif
