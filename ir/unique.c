/* unique.c — a foldl or iterate whose every step updates its array state
 * in place keeps that state unique: its count need be checked once.
 *
 * Qualifies: a call of foldl or iterate whose step is a lambda with state
 * parameter q of array type, whose body's value on every path (through
 * the value of a block and both branches of an `if`) is q itself or a
 * chain of set and push on q, `set(set(q, i, b), j, a)`, each of them
 * in place (IrFact.in_place, moves.c: q at its last use, then the
 * temporaries); and which reads q nowhere else but as `q[i]` and `len(q)`,
 * outside any lambda or for nested in the body (a closure would hold q).
 * Then the call is `unique_state` and each set and push of a chain
 * `known_unique`.
 *
 * Why it is safe: codegen makes the initial state unique before the loop
 * (a copy when another owner holds it, as the first in-place set would
 * make). Inside a step nothing else can hold q: an element read or a
 * length takes no reference to q, nothing binds, passes or captures it.
 * So the innermost set or push finds q unique, writes it in place and
 * returns it, the next one gets that unique temporary, and the step's
 * value, the chain's end or q, is again the only reference when the loop
 * hands it to the next step. Each known_unique set and push then skips the
 * count check and its copy path: the flip loop of fannkuch-redux keeps its
 * array pointer and length in registers instead of merging two arrays at
 * every swap. */
#include "graph.h"

#define MAX_CHAIN 32

typedef struct UniqueWalk {
    IrFunc *f;
    const Local *q;
    Expr *chain[MAX_CHAIN]; /* the set and push calls of the chains */
    int nchain;
    int allowed;            /* uses of q that take no reference */
    int uses;               /* all uses of q */
    bool ok;
} UniqueWalk;

static bool is_q(const Expr *e, const Local *q) {
    return e->kind == E_NAME && e->u.name.kind == NAME_LOCAL && e->u.name.local == q;
}

static bool is_builtin(const Expr *e, BuiltinKind k) {
    const Builtin *b = ir_builtin_of(e);
    return b && b->kind == k;
}

/* Is e's value q or an in-place chain on q, on every path? */
static bool chain_of(UniqueWalk *w, Expr *e) {
    if (is_q(e, w->q)) {
        w->allowed++;
        return true;
    }
    switch (e->kind) {
    case E_BLOCK: {
        const Block *b = &e->u.block;
        return b->value_is_last && b->n > 0 && chain_of(w, b->stmts[b->n - 1]->expr);
    }
    case E_IF: return e->u.if_.else_ && chain_of(w, e->u.if_.then_) && chain_of(w, e->u.if_.else_);
    case E_CALL:
        if (!(is_builtin(e, B_SET) || is_builtin(e, B_PUSH)) || !ir_fact(w->f, e)->in_place || w->nchain == MAX_CHAIN)
            return false;
        w->chain[w->nchain++] = e;
        return chain_of(w, e->u.call.args[0]);
    default: return false;
    }
}

static void count_uses(Expr *e, void *ctx) {
    UniqueWalk *w = ctx;
    if (is_q(e, w->q)) w->uses++;
    ast_visit_children(e, count_uses, w);
}

/* The reads of q that take no reference, outside nested closures. */
static void count_reads(Expr *e, void *ctx) {
    UniqueWalk *w = ctx;
    if (e->kind == E_LAMBDA || e->kind == E_FOR) return;
    if (e->kind == E_INDEX && is_q(e->u.index.base, w->q)) w->allowed++;
    if (is_builtin(e, B_LEN) && e->u.call.nargs == 1 && is_q(e->u.call.args[0], w->q)) w->allowed++;
    ast_visit_children(e, count_reads, w);
}

static void unique_visit(Expr *e, void *ctx) {
    IrFunc *f = ctx;
    ast_visit_children(e, unique_visit, f);
    if (!(is_builtin(e, B_FOLDL) || is_builtin(e, B_ITERATE)) || e->type->kind != TY_ARRAY) return;
    Expr *step = e->u.call.args[2];
    if (step->kind != E_LAMBDA || step->u.lambda.nparams < 1) return;
    UniqueWalk w = {.f = f, .q = step->u.lambda.params[0]->local};
    Expr *body = step->u.lambda.body;
    if (!chain_of(&w, body)) return;
    count_uses(body, &w);
    count_reads(body, &w);
    if (w.allowed != w.uses) return;
    f->facts[e->id].unique_state = true;
    for (int k = 0; k < w.nchain; k++) f->facts[w.chain[k]->id].known_unique = true;
}

void ir_unique_states(IrFunc *f) { unique_visit(f->fn->body, f); }
