/* cg_match.c — `match` as a decision tree, and record literals.
 *
 * The arms form a matrix: a row per arm, a column per part of the
 * scrutinee still to be looked at (an "occurrence": the scrutinee, a field
 * of a box, an element of a tuple). Compiling takes the first row; if all
 * its patterns are wildcards or names, the row matches (a leaf: bind, try
 * the guard, else go on with the rows below). Otherwise its first column
 * with a constructor or literal is tested once for all rows: a `switch` on
 * a variant's tag or an i64, a branch on a bool, tests of str literals in
 * turn; each outcome continues with the rows that agree with it, their
 * sub-patterns now columns of their own (Maranget, "Compiling pattern
 * matching to good decision trees", ML 2008). Tuples and records have one
 * constructor: their columns are split without a test. So each part of
 * the value is examined at most once on every path.
 *
 * Arm bodies are generated once, after the tree, in a block of their own;
 * the names a pattern binds arrive there as phis, one incoming value per
 * leaf that reaches the arm. Bindings borrow from the scrutinee, which
 * lives until the match is done, as a loop variable borrows from its
 * array. A guard is generated at its leaf (it needs that leaf's bindings,
 * and its failure goes on differently at each). The checker proved the
 * match exhaustive, so a path where no row is left is unreachable. */
#include <stdint.h>
#include <string.h>

#include "cg_internal.h"

typedef struct Bind {
    Local *local;
    LLVMValueRef v;
    struct Bind *next;
} Bind;

typedef struct Row {
    Pat **pats;
    int arm;
    Bind *binds;
} Row;

typedef struct Occ {
    LLVMValueRef v;
    const Type *t;
} Occ;

typedef struct Arm {
    LLVMBasicBlockRef bb; /* NULL until a leaf reaches it */
    LLVMValueRef *phis;   /* one per bound name, in bind order */
    Local **locals;
    int nlocals;
} Arm;

typedef struct Match {
    FnCtx *f;
    Expr *e;
    Arm *arms;
    Pat *wild; /* the `_` that fills the columns a row does not test */
} Match;

static bool is_wild(const Pat *p) { return p->kind == PAT_WILD || p->kind == PAT_BIND; }

static Pat *wild(Match *m) { return m->wild; }

static Bind *bind(Match *m, Bind *rest, const Pat *p, LLVMValueRef v) {
    if (p->kind != PAT_BIND || !p->local) return rest;
    Bind *b = ARENA_NEW(&m->f->cg->arena, Bind);
    *b = (Bind){p->local, v, rest};
    return b;
}

static void collect_locals(const Pat *p, Local **out, int *n) {
    if (p->kind == PAT_BIND && p->local) out[(*n)++] = p->local;
    for (int i = 0; i < p->n; i++) collect_locals(p->items[i], out, n);
}

static int count_binds(const Pat *p) {
    int n = p->kind == PAT_BIND;
    for (int i = 0; i < p->n; i++) n += count_binds(p->items[i]);
    return n;
}

/* the block of arm i's body, made with its phis on first use */
static LLVMBasicBlockRef arm_block(Match *m, int i) {
    Arm *a = &m->arms[i];
    if (a->bb) return a->bb;
    Cg *cg = m->f->cg;
    MatchArm *ma = m->e->u.match_.arms[i];
    a->bb = cg_new_block(m->f, "arm");
    a->locals = ARENA_ARRAY(&cg->arena, Local *, count_binds(ma->pat) + 1);
    collect_locals(ma->pat, a->locals, &a->nlocals);
    a->phis = ARENA_ARRAY(&cg->arena, LLVMValueRef, a->nlocals + 1);
    LLVMBasicBlockRef here = LLVMGetInsertBlock(cg->b);
    LLVMPositionBuilderAtEnd(cg->b, a->bb);
    for (int k = 0; k < a->nlocals; k++) a->phis[k] = LLVMBuildPhi(cg->b, cg_type(cg, a->locals[k]->type), a->locals[k]->name);
    LLVMPositionBuilderAtEnd(cg->b, here);
    return a->bb;
}

static LLVMValueRef bound_value(const Bind *b, const Local *l) {
    for (; b; b = b->next)
        if (b->local == l) return b->v;
    return NULL;
}

static void compile(Match *m, Occ *occs, int k, Row *rows, int n);

/* All of row 0's patterns are irrefutable: it matches. */
static void leaf(Match *m, Occ *occs, int k, Row *rows, int n) {
    Cg *cg = m->f->cg;
    Bind *b = rows[0].binds;
    for (int j = 0; j < k; j++) b = bind(m, b, rows[0].pats[j], occs[j].v);
    int i = rows[0].arm;
    MatchArm *ma = m->e->u.match_.arms[i];
    LLVMBasicBlockRef body = arm_block(m, i);
    Arm *a = &m->arms[i];
    if (ma->guard) {
        for (int q = 0; q < a->nlocals; q++) m->f->locals[a->locals[q]->id] = bound_value(b, a->locals[q]);
        LLVMValueRef ok = cg_expr(m->f, ma->guard, false);
        LLVMBasicBlockRef pass = cg_new_block(m->f, "guard.ok"), fail = cg_new_block(m->f, "guard.fail");
        LLVMBuildCondBr(cg->b, ok, pass, fail);
        LLVMPositionBuilderAtEnd(cg->b, pass);
        for (int q = 0; q < a->nlocals; q++) {
            LLVMValueRef v = bound_value(b, a->locals[q]);
            LLVMBasicBlockRef from = pass;
            LLVMAddIncoming(a->phis[q], &v, &from, 1);
        }
        LLVMBuildBr(cg->b, body);
        LLVMPositionBuilderAtEnd(cg->b, fail);
        compile(m, occs, k, rows + 1, n - 1);
        return;
    }
    LLVMBasicBlockRef from = LLVMGetInsertBlock(cg->b);
    for (int q = 0; q < a->nlocals; q++) {
        LLVMValueRef v = bound_value(b, a->locals[q]);
        LLVMAddIncoming(a->phis[q], &v, &from, 1);
    }
    LLVMBuildBr(cg->b, body);
}

/* Column j replaced by `width` columns: the parts of the occurrence. */
static Occ *split_occs(Match *m, Occ *occs, int k, int j, const Occ *parts, int width) {
    Occ *out = ARENA_ARRAY(&m->f->cg->arena, Occ, k + width);
    for (int i = 0; i < j; i++) out[i] = occs[i];
    for (int i = 0; i < width; i++) out[j + i] = parts[i];
    for (int i = j + 1; i < k; i++) out[width + i - 1] = occs[i];
    return out;
}

/* Row r specialised at column j: its pattern's parts (sub-patterns of a
 * matching constructor, or wildcards) in place of the column. */
static Row specialize(Match *m, const Row *r, int k, int j, int width, Pat **parts, LLVMValueRef whole) {
    Row out = {ARENA_ARRAY(&m->f->cg->arena, Pat *, k + width), r->arm, bind(m, r->binds, r->pats[j], whole)};
    for (int i = 0; i < j; i++) out.pats[i] = r->pats[i];
    for (int i = 0; i < width; i++) out.pats[j + i] = parts ? parts[i] : wild(m);
    for (int i = j + 1; i < k; i++) out.pats[width + i - 1] = r->pats[i];
    return out;
}

/* the sub-patterns of a tuple or record pattern by position */
static Pat **parts_of(Match *m, const Pat *p, int width) {
    if (p->kind == PAT_TUPLE || p->kind == PAT_CTOR) return p->items;
    Pat **out = ARENA_ARRAY(&m->f->cg->arena, Pat *, width + 1);
    for (int i = 0; i < width; i++) out[i] = wild(m);
    for (int i = 0; i < p->n; i++) out[p->field_index[i]] = p->items[i];
    return out;
}

static void split_struct(Match *m, Occ *occs, int k, Row *rows, int n, int j) {
    Cg *cg = m->f->cg;
    const Type *t = occs[j].t;
    Occ *parts = ARENA_ARRAY(&cg->arena, Occ, t->n + 1);
    for (int i = 0; i < t->n; i++) parts[i] = (Occ){LLVMBuildExtractValue(cg->b, occs[j].v, (unsigned)i, ""), t->items[i]};
    Row *out = ARENA_ARRAY(&cg->arena, Row, n);
    for (int r = 0; r < n; r++) {
        Pat *p = rows[r].pats[j];
        out[r] = specialize(m, &rows[r], k, j, t->n, is_wild(p) ? NULL : parts_of(m, p, t->n), occs[j].v);
    }
    compile(m, split_occs(m, occs, k, j, parts, t->n), k + t->n - 1, out, n);
}

/* Does pattern p (not a wildcard) match the literal or constructor of q? */
static bool same_head(const Pat *p, const Pat *q) {
    switch (p->kind) {
    case PAT_INT: return p->ival == q->ival;
    case PAT_BOOL: return p->bval == q->bval;
    case PAT_STR: return p->str.len == q->str.len && memcmp(p->str.bytes, q->str.bytes, p->str.len) == 0;
    case PAT_CTOR: return p->ctor == q->ctor;
    default: return false;
    }
}

/* The rows that go on when column j's value has head h (a pattern naming
 * it), with the head's fields as new columns; h == NULL: the default,
 * rows with a wildcard there. hr: the rows whose head is h, wr: those with
 * a wildcard, each in row order; they are merged, so that a match of 10^4
 * arms does not scan every row for every head. */
static void branch(Match *m, Occ *occs, int k, Row *rows, int j, const Pat *h, const int *hr, int nhr,
                   const int *wr, int nwr) {
    Cg *cg = m->f->cg;
    const Ctor *c = h && h->kind == PAT_CTOR ? h->ctor : NULL;
    int width = c ? c->nfields : 0;
    Occ *parts = ARENA_ARRAY(&cg->arena, Occ, width + 1);
    for (int i = 0; i < width; i++) parts[i] = (Occ){cg_box_field(m->f, c, occs[j].v, i), c->fields[i]};
    Row *out = ARENA_ARRAY(&cg->arena, Row, nhr + nwr + 1);
    int m2 = 0;
    for (int x = 0, y = 0; x < nhr || y < nwr;) {
        if (y == nwr || (x < nhr && hr[x] < wr[y])) {
            const Row *r = &rows[hr[x++]];
            out[m2++] = specialize(m, r, k, j, width, r->pats[j]->items, occs[j].v);
        } else {
            out[m2++] = specialize(m, &rows[wr[y++]], k, j, width, NULL, occs[j].v);
        }
    }
    compile(m, split_occs(m, occs, k, j, parts, width), k + width - 1, out, m2);
}

static uint64_t head_hash(const Pat *p) {
    uint64_t h = 1469598103934665603u;
    switch (p->kind) {
    case PAT_INT: return (uint64_t)p->ival * 0x9E3779B97F4A7C15u;
    case PAT_BOOL: return p->bval;
    case PAT_CTOR: return (uint64_t)p->ctor->tag;
    case PAT_STR:
        for (size_t i = 0; i < p->str.len; i++) h = (h ^ (unsigned char)p->str.bytes[i]) * 1099511628211u;
        return h;
    default: return 0;
    }
}

/* Column j's distinct heads, in the order the rows name them (*out), and
 * the rows of each (*rows_of[q], row order) and those with a wildcard
 * (*wild): one pass, the heads found through a hash table. */
typedef struct Heads {
    const Pat **hs;
    int nh;
    int **rows_of, *nrows_of;
    int *wild, nwild;
} Heads;

static void heads(Match *m, Row *rows, int n, int j, Heads *H) {
    Arena *a = &m->f->cg->arena;
    size_t cap = 16;
    while (cap < (size_t)n * 2) cap *= 2;
    int *table = ARENA_ARRAY(a, int, cap); /* head index + 1; 0: empty */
    int *head_of = ARENA_ARRAY(a, int, n + 1);
    H->hs = ARENA_ARRAY(a, const Pat *, n + 1);
    H->nh = 0;
    H->nwild = 0;
    for (int r = 0; r < n; r++) {
        const Pat *p = rows[r].pats[j];
        if (is_wild(p)) {
            head_of[r] = -1;
            H->nwild++;
            continue;
        }
        size_t i = head_hash(p) & (cap - 1);
        while (table[i] && !same_head(p, H->hs[table[i] - 1])) i = (i + 1) & (cap - 1);
        if (!table[i]) {
            H->hs[H->nh++] = p;
            table[i] = H->nh;
        }
        head_of[r] = table[i] - 1;
    }
    H->nrows_of = ARENA_ARRAY(a, int, H->nh + 1);
    H->rows_of = ARENA_ARRAY(a, int *, H->nh + 1);
    H->wild = ARENA_ARRAY(a, int, H->nwild + 1);
    for (int r = 0; r < n; r++)
        if (head_of[r] >= 0) H->nrows_of[head_of[r]]++;
    for (int q = 0; q < H->nh; q++) {
        H->rows_of[q] = ARENA_ARRAY(a, int, H->nrows_of[q]);
        H->nrows_of[q] = 0;
    }
    H->nwild = 0;
    for (int r = 0; r < n; r++) {
        if (head_of[r] < 0) H->wild[H->nwild++] = r;
        else H->rows_of[head_of[r]][H->nrows_of[head_of[r]]++] = r;
    }
}

/* A case that only jumps on to an arm goes to the arm itself: with 10^4
 * cases, LLVM's SimplifyCFG would fold the empty blocks one at a time, at
 * a cost that grows with the arm's predecessors (quadratic in all). Not
 * when the arm starts with phis: their incoming blocks are these. */
static void skip_empty_case(LLVMValueRef sw, unsigned succ, LLVMBasicBlockRef bb) {
    LLVMValueRef br = LLVMGetFirstInstruction(bb);
    if (!br || br != LLVMGetLastInstruction(bb) || LLVMGetInstructionOpcode(br) != LLVMBr || LLVMIsConditional(br))
        return;
    LLVMBasicBlockRef dest = LLVMGetSuccessor(br, 0);
    LLVMValueRef first = LLVMGetFirstInstruction(dest);
    if (first && LLVMGetInstructionOpcode(first) == LLVMPHI) return;
    LLVMSetSuccessor(sw, succ, dest);
    LLVMDeleteBasicBlock(bb);
}

static void test_column(Match *m, Occ *occs, int k, Row *rows, int n, int j) {
    FnCtx *f = m->f;
    Cg *cg = f->cg;
    const Type *t = occs[j].t;
    Heads H;
    heads(m, rows, n, j, &H);
    const Pat **hs = H.hs;
    int nh = H.nh;
    LLVMBasicBlockRef deflt = cg_new_block(f, "match.default");
    if (t->kind == TY_VARIANT || t->kind == TY_I64) {
        LLVMValueRef key = t->kind == TY_VARIANT ? cg_box_tag(f, occs[j].v) : occs[j].v;
        LLVMValueRef sw = LLVMBuildSwitch(cg->b, key, deflt, (unsigned)nh);
        for (int q = 0; q < nh; q++) {
            LLVMBasicBlockRef bb = cg_new_block(f, t->kind == TY_VARIANT ? hs[q]->ctor->name : "case");
            long long v = t->kind == TY_VARIANT ? hs[q]->ctor->tag : hs[q]->ival;
            LLVMAddCase(sw, LLVMConstInt(t->kind == TY_VARIANT ? cg->t_i32 : cg->t_i64, (unsigned long long)v, 1), bb);
            LLVMPositionBuilderAtEnd(cg->b, bb);
            branch(m, occs, k, rows, j, hs[q], H.rows_of[q], H.nrows_of[q], H.wild, H.nwild);
            skip_empty_case(sw, (unsigned)q + 1, bb);
        }
        LLVMPositionBuilderAtEnd(cg->b, deflt);
        if (t->kind == TY_VARIANT && nh == t->decl->nctors) LLVMBuildUnreachable(cg->b); /* every tag has a case */
        else branch(m, occs, k, rows, j, NULL, NULL, 0, H.wild, H.nwild);
        return;
    }
    /* bool and str: a test per head, in turn */
    for (int q = 0; q < nh; q++) {
        LLVMValueRef hit;
        if (t->kind == TY_BOOL) {
            hit = hs[q]->bval ? occs[j].v : LLVMBuildNot(cg->b, occs[j].v, "");
        } else {
            LLVMValueRef args[2] = {occs[j].v, cg_str_literal(cg, hs[q]->str.bytes, hs[q]->str.len)};
            hit = cg_rt_call(cg, RT_str_eq, args);
        }
        LLVMBasicBlockRef yes = cg_new_block(f, "case"), no = cg_new_block(f, "next");
        LLVMBuildCondBr(cg->b, hit, yes, no);
        LLVMPositionBuilderAtEnd(cg->b, yes);
        branch(m, occs, k, rows, j, hs[q], H.rows_of[q], H.nrows_of[q], H.wild, H.nwild);
        LLVMPositionBuilderAtEnd(cg->b, no);
    }
    LLVMBuildBr(cg->b, deflt);
    LLVMPositionBuilderAtEnd(cg->b, deflt);
    if (t->kind == TY_BOOL && nh == 2) LLVMBuildUnreachable(cg->b);
    else branch(m, occs, k, rows, j, NULL, NULL, 0, H.wild, H.nwild);
}

static void compile(Match *m, Occ *occs, int k, Row *rows, int n) {
    Cg *cg = m->f->cg;
    if (n == 0) { /* the checker proved this path impossible */
        LLVMBuildUnreachable(cg->b);
        return;
    }
    int j = 0;
    while (j < k && is_wild(rows[0].pats[j])) j++;
    if (j == k) {
        leaf(m, occs, k, rows, n);
        return;
    }
    const Type *t = occs[j].t;
    if (t->kind == TY_TUPLE || t->kind == TY_RECORD) split_struct(m, occs, k, rows, n, j);
    else test_column(m, occs, k, rows, n, j);
}

LLVMValueRef cg_match(FnCtx *f, Expr *e, bool tail) {
    Cg *cg = f->cg;
    LLVMValueRef v = cg_borrow(f, e->u.match_.scrutinee);
    if (!v) return NULL;
    int n = e->u.match_.n;
    Match m = {f, e, ARENA_ARRAY(&cg->arena, Arm, n), ARENA_NEW(&cg->arena, Pat)};
    m.wild->kind = PAT_WILD;
    Row *rows = ARENA_ARRAY(&cg->arena, Row, n);
    for (int i = 0; i < n; i++) {
        rows[i].pats = ARENA_ARRAY(&cg->arena, Pat *, 1);
        rows[i].pats[0] = e->u.match_.arms[i]->pat;
        rows[i].arm = i;
    }
    Occ top = {v, e->u.match_.scrutinee->type};
    compile(&m, &top, 1, rows, n);

    bool unit = e->type->kind == TY_UNIT;
    LLVMBasicBlockRef done = cg_new_block(f, "match.end");
    LLVMValueRef *bv = ARENA_ARRAY(&cg->arena, LLVMValueRef, n); /* by branch */
    CgBranches br; /* a binding an arm moves is released by the others */
    cg_branches_begin(f, &br, n);
    for (int i = 0; i < n; i++) {
        Arm *a = &m.arms[i];
        if (!a->bb) continue; /* no path reaches it (the checker warned) */
        LLVMPositionBuilderAtEnd(cg->b, a->bb);
        for (int q = 0; q < a->nlocals; q++) f->locals[a->locals[q]->id] = a->phis[q];
        Expr *body = e->u.match_.arms[i]->body;
        LLVMValueRef v = cg_expr(f, body, tail);
        if (v && unit && !cg_terminated(cg)) cg_release(f, v, body->type);
        int k = br.nb;
        cg_branch_end(f, &br);
        if (!v || cg_terminated(cg)) continue;
        bv[k] = v;
        LLVMBuildBr(cg->b, done);
    }
    return cg_branches_join(f, &br, bv, done, e->type, "match");
}

/* Name { f: e, ..., ..base }: the given fields in source order (owned),
 * the others copied from the base (one more owner each). */
LLVMValueRef cg_record(FnCtx *f, Expr *e) {
    Cg *cg = f->cg;
    const Type *t = e->type;
    LLVMValueRef *fields = ARENA_ARRAY(&cg->arena, LLVMValueRef, t->n + 1);
    for (int i = 0; i < e->u.record.n; i++) {
        FieldInit *fi = e->u.record.inits[i];
        fields[fi->index] = cg_expr(f, fi->value, false);
        if (!fields[fi->index]) return NULL;
    }
    if (e->u.record.base) {
        LLVMValueRef base = cg_borrow(f, e->u.record.base);
        if (!base) return NULL;
        for (int i = 0; i < t->n; i++)
            if (!fields[i]) {
                fields[i] = LLVMBuildExtractValue(cg->b, base, (unsigned)i, "");
                cg_retain(f, fields[i], t->items[i]);
            }
    }
    LLVMValueRef r = LLVMGetUndef(cg_type(cg, t));
    for (int i = 0; i < t->n; i++) r = LLVMBuildInsertValue(cg->b, r, fields[i], (unsigned)i, "");
    return r;
}
