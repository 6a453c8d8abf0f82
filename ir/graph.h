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
 * codegen/ reads this schedule; `pelc --emit-graph` prints it as DOT.
 */
#ifndef PEL_GRAPH_H
#define PEL_GRAPH_H

#include <stdio.h>

#include "../frontend/check.h"

typedef enum IrRegionKind { R_BLOCK, R_OPERANDS } IrRegionKind;

typedef struct IrNode {
    Expr *expr;       /* the computation: a let's value, a statement, an operand */
    Stmt *stmt;       /* R_BLOCK: the statement; NULL for operands */
    bool has_call;    /* calls a non-trivial user function: worth a task */
    bool effectful;
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
    FnDecl **callees; /* user functions it calls, each once */
    int ncallees;
    /* fusion: consumers (map/for/reduce/scan/sum/product/minimum/maximum
     * calls) whose array argument, a chain of maps and fors over a range or
     * an array, is computed element by element inside their loop */
    Expr **fused;
    int nfused;
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
 * spawned nodes pure); returns false and prints to stderr if broken. */
bool ir_verify(const IrProgram *ir);
/* Is the array argument of this consumer fused into it? */
bool ir_is_fused(const IrFunc *f, const Expr *consumer);
/* Is it the array of another fused consumer (part of a longer chain)? */
bool ir_fusion_is_inner(const IrFunc *f, const Expr *consumer);
/* "sum <- map <- map <- range" */
void ir_describe_fusion(const Expr *consumer, char *buf, size_t size);
void ir_dump_dot(FILE *out, const IrProgram *ir);

#endif
