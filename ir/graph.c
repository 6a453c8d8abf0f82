/* graph.c — builds and schedules the task graph of every function. */
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

/* ---- facts about expressions ------------------------------------------------- */

/* A call that may take a while: a user function, a function value, or a
 * builtin working on arrays or strings (spec 6 and the string functions). */
static bool costly_call(const Expr *e) {
    const Expr *callee = e->u.call.callee;
    if (callee->kind != E_NAME || callee->u.name.kind != NAME_BUILTIN) return true;
    return builtin_data(callee->u.name.builtin);
}

/* A call whose cost no function body bounds: a function value, or a
 * builtin working on arrays or strings. */
static void find_unbounded(Expr *e, void *found) {
    if (*(bool *)found) return;
    if (e->kind == E_CALL && costly_call(e) &&
        !(e->u.call.callee->kind == E_NAME && e->u.call.callee->u.name.kind == NAME_FN)) {
        *(bool *)found = true;
        return;
    }
    ast_visit_children(e, find_unbounded, found);
}

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
        find_unbounded(g->fn->body, &heavy);
        for (int k = 0; k < g->ncallees && !heavy; k++) {
            int w = callee_at(h, u, k);
            heavy = w == u || (w >= 0 && h->ir->funcs[w]->heavy);
        }
    }
    for (int i = first; i < h->top; i++) {
        h->ir->funcs[h->stack[i]]->heavy = heavy;
        h->on_stack[h->stack[i]] = false;
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

static void find_heavy(Arena *a, IrProgram *ir) {
    int n = ir->n;
    Heavy h = {ir, ARENA_ARRAY(a, int, n + 1), ARENA_ARRAY(a, int, n + 1), ARENA_ARRAY(a, int, n + 1),
               ARENA_ARRAY(a, int, n + 1), ARENA_ARRAY(a, int, n + 1), ARENA_ARRAY(a, bool, n + 1), 0, 0};
    for (int i = 0; i < n; i++) {
        h.index[i] = -1;
        h.on_stack[i] = false;
    }
    for (int i = 0; i < n; i++)
        if (h.index[i] < 0) heavy_walk(&h, i);
}

typedef struct Facts {
    const IrProgram *ir;
    bool heavy_call, effectful;
} Facts;

static void facts_visit(Expr *e, void *ctx) {
    Facts *f = ctx;
    if (e->kind == E_NAME && e->u.name.kind == NAME_FN && e->u.name.fn->effectful) f->effectful = true;
    if (e->kind == E_CALL) {
        const Expr *callee = e->u.call.callee;
        if (callee->kind == E_NAME && callee->u.name.kind == NAME_FN) {
            FnDecl *fn = callee->u.name.fn;
            if (fn->index >= 0 && f->ir->funcs[fn->index]->heavy) f->heavy_call = true;
            if (fn->effectful) f->effectful = true;
        } else if (callee->kind == E_NAME && callee->u.name.kind == NAME_BUILTIN) {
            if (builtin_effectful(callee->u.name.builtin)) f->effectful = true;
            if (costly_call(e)) f->heavy_call = true;
        } else {
            f->heavy_call = true; /* a function value: cost unknown */
        }
    }
    ast_visit_children(e, facts_visit, ctx);
}

/* Does e make a heavy call / have an effect? */
static void facts_of(const IrProgram *ir, Expr *e, Facts *f) {
    f->ir = ir;
    facts_visit(e, f);
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
        Facts f = {0};
        facts_of(b->ir, r->nodes[i].expr, &f);
        r->nodes[i].has_call = f.heavy_call;
        r->nodes[i].effectful = f.effectful;
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
    for (int i = 0; i < n; i++) {
        Facts f = {0};
        facts_of(b->ir, ops[i], &f);
        calling += f.heavy_call;
    }
    for (int i = 0; i < n; i++) build_expr(b, ops[i]);
    if (calling < 2) return;
    IrRegion *r = new_region(b, R_OPERANDS, owner, n);
    for (int i = 0; i < n; i++) r->nodes[i].expr = ops[i];
    finish_region(b, r);
}

static void build_visit(Expr *e, void *ctx) { build_expr(ctx, e); }

static const Builtin *builtin_of(const Expr *e) {
    if (e->kind != E_CALL || e->u.call.callee->kind != E_NAME || e->u.call.callee->u.name.kind != NAME_BUILTIN)
        return NULL;
    return e->u.call.callee->u.name.builtin;
}

static bool is_map(const Expr *e) {
    const Builtin *b = builtin_of(e);
    return b && b->kind == B_MAP;
}

/* A consumer that runs its own loop over the elements of its array argument. */
static Expr *consumed_array(Expr *e) {
    if (e->kind == E_FOR) return e->u.for_.iter;
    const Builtin *b = builtin_of(e);
    return b && builtin_fuses(b) ? e->u.call.args[0] : NULL;
}

/* Records e as a fused consumer when its array is a map, for or range that
 * need not exist as an array. (codegen/cg_pipe.c builds the loop.) */
static void note_fusion(Builder *b, Expr *e) {
    Expr *xs = consumed_array(e);
    if (!xs || !(xs->kind == E_RANGE || xs->kind == E_FOR || is_map(xs))) return;
    Expr **grown = ARENA_ARRAY(b->a, Expr *, b->fn->nfused + 1);
    for (int i = 0; i < b->fn->nfused; i++) grown[i] = b->fn->fused[i];
    grown[b->fn->nfused++] = e;
    b->fn->fused = grown;
}

bool ir_is_fused(const IrFunc *f, const Expr *consumer) {
    for (int i = 0; i < f->nfused; i++)
        if (f->fused[i] == consumer) return true;
    return false;
}

bool ir_fusion_is_inner(const IrFunc *f, const Expr *consumer) {
    for (int i = 0; i < f->nfused; i++)
        if (consumed_array(f->fused[i]) == consumer) return true;
    return false;
}

void ir_describe_fusion(const Expr *e, char *buf, size_t size) {
    size_t n = 0;
    buf[0] = 0;
    for (int step = 0; e && n + 1 < size; step++) {
        const Builtin *b = builtin_of(e);
        const char *name = e->kind == E_FOR ? "for" : e->kind == E_RANGE ? "range" : b ? b->name : "array";
        n += (size_t)snprintf(buf + n, size - n, "%s%s", step ? " <- " : "", name);
        if (e->kind == E_RANGE || (!is_map(e) && e->kind != E_FOR && step > 0)) break;
        Expr *next = step == 0 ? consumed_array((Expr *)e) : (e->kind == E_FOR ? e->u.for_.iter : e->u.call.args[0]);
        e = next;
    }
}

static void build_expr(Builder *b, Expr *e) {
    if (!e) return;
    note_fusion(b, e);
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

/* user functions called or used as values */
static void callees_visit(Expr *e, void *ctx) {
    Callees *c = ctx;
    if (e->kind == E_NAME && e->u.name.kind == NAME_FN) add_unique(c->a, &c->list, e->u.name.fn);
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
    find_heavy(a, ir);
    for (int i = 0; i < p->nfns; i++) {
        Builder b = {.a = a, .ir = ir, .fn = ir->funcs[i]};
        b.owner = ARENA_ARRAY(a, int, p->nlocals[i] + 1);
        for (int k = 0; k <= p->nlocals[i]; k++) b.owner[k] = -1;
        build_expr(&b, p->fns[i]->body);
        ir->funcs[i]->regions = (IrRegion **)b.regions.items;
        ir->funcs[i]->nregions = b.regions.len;
    }
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

/* ---- verifier and DOT ------------------------------------------------------------- */

bool ir_verify(const IrProgram *ir) {
    bool ok = true;
    for (int f = 0; f < ir->n; f++) {
        for (int r = 0; r < ir->funcs[f]->nregions; r++) {
            const IrRegion *reg = ir->funcs[f]->regions[r];
            int stack[4096], sp = 0;
            for (int i = 0; i <= reg->n; i++) {
                while (sp > 0 && reg->nodes[stack[sp - 1]].join_at == i) sp--;
                for (int k = 0; k < sp; k++)
                    if (reg->nodes[stack[k]].join_at < i) {
                        fprintf(stderr, "ir: %s: join of node %d out of LIFO order\n",
                                ir->funcs[f]->fn->name, stack[k]);
                        ok = false;
                    }
                if (i == reg->n) break;
                const IrNode *n = &reg->nodes[i];
                for (int k = 0; k < n->ndeps; k++)
                    if (n->deps[k] >= i) {
                        fprintf(stderr, "ir: %s: forward edge\n", ir->funcs[f]->fn->name);
                        ok = false;
                    }
                if (n->spawn) {
                    if (n->effectful) {
                        fprintf(stderr, "ir: %s: effectful node spawned\n", ir->funcs[f]->fn->name);
                        ok = false;
                    }
                    if (n->join_at <= i || sp >= 4096) ok = false;
                    else stack[sp++] = i;
                }
            }
        }
    }
    return ok;
}
