/* graph.c — builds and schedules the task graph of every function, and
 * runs the passes that decide the per-expression facts (graph.h) in the
 * order they depend on each other (ir_build). */
#include "graph.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct Builder {
    Arena *a;
    IrProgram *ir;
    IrFunc *fn;
    PtrList regions;
    int *owner; /* Local id -> binding node of the region being scheduled */
} Builder;

/* ---- owner -> region map --------------------------------------------------- */

static size_t hash_ptr(const void *p, int cap) {
    uintptr_t x = (uintptr_t)p;
    x ^= x >> 17;
    x *= 0x9E3779B97F4A7C15u;
    return (size_t)(x >> 7) & (size_t)(cap - 1);
}

static void map_put(Arena *a, IrProgram *ir, Expr *k, IrRegion *v);

static void map_grow(Arena *a, IrProgram *ir) {
    int old = ir->map_cap;
    Expr **keys = ir->map_keys;
    IrRegion **vals = ir->map_vals;
    ir->map_cap = old ? old * 2 : 64;
    ir->map_len = 0;
    ir->map_keys = ARENA_ARRAY(a, Expr *, ir->map_cap);
    ir->map_vals = ARENA_ARRAY(a, IrRegion *, ir->map_cap);
    for (int i = 0; i < old; i++)
        if (keys[i]) map_put(a, ir, keys[i], vals[i]);
}

static void map_put(Arena *a, IrProgram *ir, Expr *k, IrRegion *v) {
    if ((ir->map_len + 1) * 2 > ir->map_cap) map_grow(a, ir);
    size_t i = hash_ptr(k, ir->map_cap);
    while (ir->map_keys[i] && ir->map_keys[i] != k) i = (i + 1) & (size_t)(ir->map_cap - 1);
    if (!ir->map_keys[i]) ir->map_len++;
    ir->map_keys[i] = k;
    ir->map_vals[i] = v;
}

IrRegion *ir_region_of(const IrProgram *ir, const Expr *owner) {
    if (!ir->map_cap) return NULL;
    size_t i = hash_ptr(owner, ir->map_cap);
    while (ir->map_keys[i]) {
        if (ir->map_keys[i] == owner) return ir->map_vals[i];
        i = (i + 1) & (size_t)(ir->map_cap - 1);
    }
    return NULL;
}

/* ---- heavy functions ---------------------------------------------------------------- */

/* Heavy functions (IrFunc.heavy): those whose running time no bound on
 * their body's size limits, i.e. that recurse (a self tail call is a loop),
 * call a function value or an array or string builtin, or call a heavy
 * function. Found with Tarjan's strongly connected components over the
 * call graph, callees first, so each function is decided once: linear in
 * the program. A call of a non-heavy function is a few scalar operations
 * (`cnd(x)`, `sq(x)`): never worth a task. */
typedef struct Heavy {
    IrProgram *ir;
    int *index, *low, *stack, *dfs, *edge; /* dfs/edge: the walk's own stack */
    bool *on_stack;
    int next, top;
    int *order, norder; /* functions as their components were decided: callees first */
} Heavy;

static int callee_at(const Heavy *h, int v, int k) { return h->ir->funcs[v]->callees[k]->index; }

/* v roots a component, stack[first..top): decide it, then pop it */
static void heavy_component(Heavy *h, int v) {
    int first = h->top;
    do first--; while (h->stack[first] != v);
    bool heavy = h->top - first > 1;
    for (int i = first; i < h->top && !heavy; i++) {
        int u = h->stack[i];
        IrFunc *g = h->ir->funcs[u];
        heavy = ir_fact(g, g->fn->body)->unbounded;
        for (int k = 0; k < g->ncallees && !heavy; k++) {
            int w = callee_at(h, u, k);
            heavy = w == u || (w >= 0 && h->ir->funcs[w]->heavy);
        }
    }
    for (int i = first; i < h->top; i++) {
        h->ir->funcs[h->stack[i]]->heavy = heavy;
        h->on_stack[h->stack[i]] = false;
        h->order[h->norder++] = h->stack[i];
    }
    h->top = first;
}

/* Tarjan's algorithm from root, with an explicit stack: a chain of 10^5
 * calls must not exhaust the compiler's own stack. */
static void heavy_walk(Heavy *h, int root) {
    int depth = 0;
    h->dfs[depth] = root;
    h->edge[depth] = 0;
    h->index[root] = h->low[root] = h->next++;
    h->stack[h->top++] = root;
    h->on_stack[root] = true;
    while (depth >= 0) {
        int v = h->dfs[depth];
        IrFunc *f = h->ir->funcs[v];
        if (h->edge[depth] < f->ncallees) {
            int w = callee_at(h, v, h->edge[depth]++);
            if (w < 0) continue;
            if (h->index[w] < 0) {
                h->index[w] = h->low[w] = h->next++;
                h->stack[h->top++] = w;
                h->on_stack[w] = true;
                depth++;
                h->dfs[depth] = w;
                h->edge[depth] = 0;
            } else if (h->on_stack[w] && h->index[w] < h->low[v]) {
                h->low[v] = h->index[w];
            }
            continue;
        }
        if (h->low[v] == h->index[v]) heavy_component(h, v);
        depth--;
        if (depth >= 0) {
            int u = h->dfs[depth];
            if (h->low[v] < h->low[u]) h->low[u] = h->low[v];
        }
    }
}

/* Decides every function's heaviness; returns the functions callees first
 * (a component's members in any order), the order costs are known in. */
static int *find_heavy(Arena *a, IrProgram *ir) {
    int n = ir->n;
    Heavy h = {ir, ARENA_ARRAY(a, int, n + 1), ARENA_ARRAY(a, int, n + 1), ARENA_ARRAY(a, int, n + 1),
               ARENA_ARRAY(a, int, n + 1), ARENA_ARRAY(a, int, n + 1), ARENA_ARRAY(a, bool, n + 1), 0, 0,
               ARENA_ARRAY(a, int, n + 1), 0};
    for (int i = 0; i < n; i++) {
        h.index[i] = -1;
        h.on_stack[i] = false;
    }
    for (int i = 0; i < n; i++)
        if (h.index[i] < 0) heavy_walk(&h, i);
    return h.order;
}

/* Locals read (uses) and bound (defs) inside an expression. */
typedef struct LocalSets {
    Arena *a;
    PtrList uses, defs;
} LocalSets;

static void add_unique(Arena *a, PtrList *l, void *x) {
    for (int i = 0; i < l->len; i++)
        if (l->items[i] == x) return;
    ptrlist_push(a, l, x);
}

static void pattern_defs(Arena *a, const Pattern *p, PtrList *defs) {
    if (!p->is_tuple) {
        if (p->local) add_unique(a, defs, p->local);
        return;
    }
    for (int i = 0; i < p->n; i++) pattern_defs(a, p->items[i], defs);
}

/* the names a match pattern binds */
static void pat_defs(Arena *a, const Pat *p, PtrList *defs) {
    if (p->kind == PAT_BIND && p->local) add_unique(a, defs, p->local);
    for (int i = 0; i < p->n; i++) pat_defs(a, p->items[i], defs);
}

static void locals_visit(Expr *e, void *ctx) {
    LocalSets *s = ctx;
    switch (e->kind) {
    case E_NAME:
        if (e->u.name.kind == NAME_LOCAL) add_unique(s->a, &s->uses, e->u.name.local);
        return;
    case E_BLOCK:
        for (int i = 0; i < e->u.block.n; i++) {
            const Stmt *st = e->u.block.stmts[i];
            locals_visit(st->expr, s);
            if (st->kind == S_LET) pattern_defs(s->a, st->pat, &s->defs);
        }
        return;
    case E_MATCH:
        ast_visit_children(e, locals_visit, ctx);
        for (int i = 0; i < e->u.match_.n; i++) pat_defs(s->a, e->u.match_.arms[i]->pat, &s->defs);
        return;
    case E_LAMBDA: /* what the lambda reads from outside is its captures */
        for (int i = 0; i < e->u.lambda.ncaptures; i++) add_unique(s->a, &s->uses, e->u.lambda.captures[i]);
        return;
    case E_FOR:
        locals_visit(e->u.for_.iter, s);
        for (int i = 0; i < e->u.for_.ncaptures; i++) add_unique(s->a, &s->uses, e->u.for_.captures[i]);
        return;
    default: ast_visit_children(e, locals_visit, ctx); return;
    }
}

static void locals_of(Arena *a, Expr *e, LocalSets *s) {
    s->a = a;
    locals_visit(e, s);
}

static void compute_captures(Arena *a, IrNode *n) {
    LocalSets s = {0};
    locals_of(a, n->expr, &s);
    Local **caps = ARENA_ARRAY(a, Local *, s.uses.len + 1);
    int k = 0;
    for (int i = 0; i < s.uses.len; i++) {
        bool inner = false;
        for (int j = 0; j < s.defs.len; j++) inner |= s.defs.items[j] == s.uses.items[i];
        if (!inner) caps[k++] = s.uses.items[i];
    }
    n->captures = caps;
    n->ncaptures = k;
}

/* ---- regions ---------------------------------------------------------------------- */

/* Edges, then the spawn/join schedule (see graph.h). Effect edges are kept
 * transitively reduced (an effectful node waits for the nodes since the
 * previous effectful one, a later node waits for the last effectful one), so
 * a block of N prints has O(N) edges. `owner` maps Local ids to the node that
 * binds them and is all -1 again on return. */
static void schedule(Arena *a, IrRegion *r, int *owner) {
    int n = r->n;
    PtrList *defs = ARENA_ARRAY(a, PtrList, n);
    for (int i = 0; i < n; i++) {
        if (r->nodes[i].stmt && r->nodes[i].stmt->kind == S_LET)
            pattern_defs(a, r->nodes[i].stmt->pat, &defs[i]);
        for (int k = 0; k < defs[i].len; k++) owner[((Local *)defs[i].items[k])->id] = i;
    }
    int *stamp = ARENA_ARRAY(a, int, n);
    int last_effect = -1;
    for (int j = 0; j < n; j++) {
        IrNode *nj = &r->nodes[j];
        int cap = nj->ncaptures + 1 + (nj->effectful ? j - (last_effect < 0 ? 0 : last_effect) : 0);
        nj->deps = ARENA_ARRAY(a, int, cap);
        nj->dep_effect = ARENA_ARRAY(a, bool, cap);
        for (int k = 0; k < nj->ncaptures; k++) {
            int i = owner[nj->captures[k]->id];
            if (i < 0 || i >= j || stamp[i] == j + 1) continue;
            stamp[i] = j + 1;
            nj->deps[nj->ndeps] = i;
            nj->dep_effect[nj->ndeps++] = false;
        }
        /* effect order: an effectful node waits for every node since the last
         * effectful one; any other node waits for the last effectful one */
        int lo = nj->effectful ? (last_effect < 0 ? 0 : last_effect) : last_effect;
        int hi = nj->effectful ? j : last_effect + 1;
        for (int i = lo < 0 ? hi : lo; i < hi; i++) {
            if (stamp[i] == j + 1) continue;
            stamp[i] = j + 1;
            nj->deps[nj->ndeps] = i;
            nj->dep_effect[nj->ndeps++] = true;
        }
        if (nj->effectful) last_effect = j;
    }
    for (int i = 0; i < n; i++)
        for (int k = 0; k < defs[i].len; k++) owner[((Local *)defs[i].items[k])->id] = -1;
    /* first consumer of each node */
    int *first = ARENA_ARRAY(a, int, n);
    for (int i = 0; i < n; i++) first[i] = n;
    for (int j = n - 1; j >= 0; j--)
        for (int k = 0; k < r->nodes[j].ndeps; k++) first[r->nodes[j].deps[k]] = j;

    int *stack = ARENA_ARRAY(a, int, n + 1);
    int sp = 0;
    for (int i = 0; i < n; i++) {
        while (sp > 0 && r->nodes[stack[sp - 1]].join_at <= i) sp--;
        IrNode *ni = &r->nodes[i];
        int join = first[i];
        if (sp > 0 && r->nodes[stack[sp - 1]].join_at < join) join = r->nodes[stack[sp - 1]].join_at;
        ni->join_at = join;
        if (!ni->has_call || ni->effectful) continue;
        bool partner = false;
        for (int k = i + 1; k < join && !partner; k++) partner = r->nodes[k].has_call;
        if (partner) {
            ni->spawn = true;
            r->nspawn++;
            stack[sp++] = i;
        }
    }
}

static void build_expr(Builder *b, Expr *e);

static IrRegion *new_region(Builder *b, IrRegionKind kind, Expr *owner, int n) {
    IrRegion *r = ARENA_NEW(b->a, IrRegion);
    r->kind = kind;
    r->owner = owner;
    r->n = n;
    r->nodes = ARENA_ARRAY(b->a, IrNode, n);
    return r;
}

static void finish_region(Builder *b, IrRegion *r) {
    for (int i = 0; i < r->n; i++) {
        const IrFact *x = ir_fact(b->fn, r->nodes[i].expr);
        r->nodes[i].has_call = x->heavy;
        r->nodes[i].effectful = x->effect;
        compute_captures(b->a, &r->nodes[i]);
    }
    schedule(b->a, r, b->owner);
    ptrlist_push(b->a, &b->regions, r);
    map_put(b->a, b->ir, r->owner, r);
    if (r->nspawn) b->fn->spawns = true;
}

/* An operand list becomes a region only when two or more operands call. */
static void build_operands(Builder *b, Expr *owner, Expr **ops, int n) {
    int calling = 0;
    for (int i = 0; i < n; i++) calling += ir_fact(b->fn, ops[i])->heavy;
    for (int i = 0; i < n; i++) build_expr(b, ops[i]);
    if (calling < 2) return;
    IrRegion *r = new_region(b, R_OPERANDS, owner, n);
    for (int i = 0; i < n; i++) r->nodes[i].expr = ops[i];
    finish_region(b, r);
}

static void build_visit(Expr *e, void *ctx) { build_expr(ctx, e); }

static void build_expr(Builder *b, Expr *e) {
    if (!e) return;
    switch (e->kind) {
    case E_CALL:
        if (e->u.call.callee->kind != E_NAME) build_expr(b, e->u.call.callee);
        build_operands(b, e, e->u.call.args, e->u.call.nargs);
        return;
    case E_BINARY:
        if (e->u.binary.op == OP_AND || e->u.binary.op == OP_OR) {
            build_expr(b, e->u.binary.lhs);
            build_expr(b, e->u.binary.rhs);
        } else {
            Expr *ops[2] = {e->u.binary.lhs, e->u.binary.rhs};
            build_operands(b, e, ops, 2);
        }
        return;
    case E_TUPLE: case E_ARRAY:
        build_operands(b, e, e->u.list.items, e->u.list.n);
        return;
    case E_BLOCK: {
        Block *blk = &e->u.block;
        for (int i = 0; i < blk->n; i++) build_expr(b, blk->stmts[i]->expr);
        if (blk->n == 0) return;
        IrRegion *r = new_region(b, R_BLOCK, e, blk->n);
        for (int i = 0; i < blk->n; i++) {
            r->nodes[i].stmt = blk->stmts[i];
            r->nodes[i].expr = blk->stmts[i]->expr;
        }
        finish_region(b, r);
        return;
    }
    default:
        ast_visit_children(e, build_visit, b);
        return;
    }
}

typedef struct Callees {
    Arena *a;
    PtrList list;
} Callees;

/* user functions called or used as values (not C's: extern fns have no
 * body, nor an IrFunc) */
static void callees_visit(Expr *e, void *ctx) {
    Callees *c = ctx;
    if (e->kind == E_NAME && e->u.name.kind == NAME_FN && !e->u.name.fn->is_extern)
        add_unique(c->a, &c->list, e->u.name.fn);
    ast_visit_children(e, callees_visit, ctx);
}

IrProgram *ir_build(Arena *a, Program *p) {
    IrProgram *ir = ARENA_NEW(a, IrProgram);
    ir->prog = p;
    ir->n = p->nfns;
    ir->funcs = ARENA_ARRAY(a, IrFunc *, p->nfns + 1);
    for (int i = 0; i < p->nfns; i++) {
        IrFunc *f = ARENA_NEW(a, IrFunc);
        f->fn = p->fns[i];
        Callees callees = {.a = a};
        callees_visit(f->fn->body, &callees);
        f->callees = (FnDecl **)callees.list.items;
        f->ncallees = callees.list.len;
        ir->funcs[i] = f;
    }
    /* the facts, each pass over what the earlier ones decided (graph.h) */
    for (int i = 0; i < p->nfns; i++) {
        IrFunc *f = ir->funcs[i];
        f->nexprs = p->nexprs[i];
        f->facts = ARENA_ARRAY(a, IrFact, f->nexprs + 1);
        ir_cost_local(f);
    }
    int *order = find_heavy(a, ir);
    for (int k = 0; k < p->nfns; k++) ir_cost_calls(ir, ir->funcs[order[k]]);
    for (int i = 0; i < p->nfns; i++) {
        ir_fusion(ir->funcs[i]);
        ir_tiles(ir->funcs[i]);
        ir_hoist(ir->funcs[i]);
        ir_ranges(ir->funcs[i]);
    }
    for (int i = 0; i < p->nfns; i++) {
        Builder b = {.a = a, .ir = ir, .fn = ir->funcs[i]};
        b.owner = ARENA_ARRAY(a, int, p->nlocals[i] + 1);
        for (int k = 0; k <= p->nlocals[i]; k++) b.owner[k] = -1;
        build_expr(&b, p->fns[i]->body);
        ir->funcs[i]->regions = (IrRegion **)b.regions.items;
        ir->funcs[i]->nregions = b.regions.len;
    }
    /* a variable a task reads never moves: the regions come first */
    ir_param_ownership(a, ir);
    for (int i = 0; i < p->nfns; i++) ir_moves(a, ir, ir->funcs[i], p->nlocals[i]);
    for (int i = 0; i < p->nfns; i++) ir_unique_states(ir->funcs[i]);
    /* A function needs a sequential clone when it spawns or calls one that does. */
    for (int i = 0; i < p->nfns; i++) ir->funcs[i]->needs_clone = ir->funcs[i]->spawns;
    for (bool changed = true; changed;) {
        changed = false;
        for (int i = 0; i < p->nfns; i++) {
            IrFunc *f = ir->funcs[i];
            for (int k = 0; k < f->ncallees && !f->needs_clone; k++) {
                FnDecl *c = f->callees[k];
                if (c->index >= 0 && ir->funcs[c->index]->needs_clone) f->needs_clone = changed = true;
            }
        }
    }
    ir->arena = a;
    /* Only what main can reach is compiled. */
    if (p->main) ir_keep(ir, p->main);
    return ir;
}

void ir_keep(IrProgram *ir, const FnDecl *root) {
    if (root->index < 0 || ir->funcs[root->index]->reachable) return;
    IrFunc **work = ARENA_ARRAY(ir->arena, IrFunc *, ir->n + 1);
    int n = 0;
    work[n++] = ir->funcs[root->index];
    ir->funcs[root->index]->reachable = true;
    while (n > 0) {
        IrFunc *f = work[--n];
        for (int k = 0; k < f->ncallees; k++) {
            FnDecl *c = f->callees[k];
            if (c->index >= 0 && !ir->funcs[c->index]->reachable) {
                ir->funcs[c->index]->reachable = true;
                work[n++] = ir->funcs[c->index];
            }
        }
    }
}

