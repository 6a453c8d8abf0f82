/* ast.c — the arena the syntax tree lives in, and type helpers.
 *
 * The arena hands out memory from blocks of at least ARENA_BLOCK bytes and
 * frees everything at once. An allocation larger than a quarter block gets a
 * block of its own, placed behind the current one, so a big source file or
 * string does not waste the rest of the block being filled.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"

enum { ARENA_BLOCK = 64 * 1024, ARENA_ALIGN = 16 };

struct ArenaBlock {
    ArenaBlock *next;
    size_t used, cap;
    unsigned char data[];
};

static ArenaBlock *block_new(size_t cap)
{
    /* room to align the first allocation whatever malloc returns */
    if (cap > SIZE_MAX - sizeof(ArenaBlock) - ARENA_ALIGN) {
        fputs("pel: out of memory\n", stderr);
        abort();
    }
    ArenaBlock *b = malloc(sizeof(ArenaBlock) + cap + ARENA_ALIGN);
    if (!b) {
        fputs("pel: out of memory\n", stderr);
        abort();
    }
    b->next = NULL;
    b->used = 0;
    b->cap = cap + ARENA_ALIGN;
    return b;
}

/* offset of the next ARENA_ALIGN-aligned byte at or after data[used] */
static size_t aligned_offset(const ArenaBlock *b)
{
    uintptr_t p = (uintptr_t)(b->data + b->used);
    uintptr_t pad = (ARENA_ALIGN - (p % ARENA_ALIGN)) % ARENA_ALIGN;
    return b->used + (size_t)pad;
}

void *arena_alloc(Arena *a, size_t size)
{
    if (size == 0)
        size = 1; /* distinct pointers for distinct calls */
    ArenaBlock *b = a->head;
    if (b) {
        size_t off = aligned_offset(b);
        if (off <= b->cap && size <= b->cap - off) {
            b->used = off + size;
            memset(b->data + off, 0, size);
            return b->data + off;
        }
    }
    if (size > ARENA_BLOCK / 4) {
        ArenaBlock *big = block_new(size);
        if (b) {
            big->next = b->next;
            b->next = big;
        } else {
            a->head = big;
        }
        size_t off = aligned_offset(big);
        big->used = off + size;
        memset(big->data + off, 0, size);
        return big->data + off;
    }
    ArenaBlock *nb = block_new(ARENA_BLOCK);
    nb->next = b;
    a->head = nb;
    size_t off = aligned_offset(nb);
    nb->used = off + size;
    memset(nb->data + off, 0, size);
    return nb->data + off;
}

char *arena_strndup(Arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

void arena_free(Arena *a)
{
    ArenaBlock *b = a->head;
    while (b) {
        ArenaBlock *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}

void ptrlist_push(Arena *a, PtrList *l, void *item)
{
    if (l->len == l->cap) {
        int cap = l->cap ? l->cap * 2 : 4;
        void **items = ARENA_ARRAY(a, void *, cap);
        if (l->len)
            memcpy(items, l->items, sizeof(void *) * (size_t)l->len);
        l->items = items;
        l->cap = cap;
    }
    l->items[l->len++] = item;
}

/* ---- types ---- */

Type *type_new(Arena *a, TypeKind k)
{
    Type *t = ARENA_NEW(a, Type);
    t->kind = k;
    return t;
}

Type *type_array(Arena *a, Type *elem)
{
    Type *t = type_new(a, TY_ARRAY);
    t->elem = elem;
    return t;
}

/* TY_ERROR equals every type: an expression whose type is already wrong
 * must not cause a second message. */
bool type_eq(const Type *x, const Type *y)
{
    if (x == y)
        return true;
    if (!x || !y)
        return false;
    if (x->kind == TY_ERROR || y->kind == TY_ERROR)
        return true;
    if (x->kind != y->kind)
        return false;
    switch (x->kind) {
    case TY_ARRAY:
        return type_eq(x->elem, y->elem);
    case TY_FN:
    case TY_TUPLE:
        if (x->kind == TY_FN && !type_eq(x->ret, y->ret))
            return false;
        if (x->n != y->n)
            return false;
        for (int i = 0; i < x->n; i++)
            if (!type_eq(x->items[i], y->items[i]))
                return false;
        return true;
    case TY_RECORD:
    case TY_VARIANT:
        return x->decl == y->decl; /* nominal: same fields are not the same type */
    case TY_NAMED:
        return strcmp(x->name, y->name) == 0;
    default:
        return true;
    }
}

static unsigned size_add(unsigned a, unsigned b)
{
    return b >= TYPE_SIZE_CAP - a ? TYPE_SIZE_CAP : a + b;
}

/* *open: t holds a name not resolved yet (or an inferred type not known
 * yet), whose size may change: such a node is not memoized. A record is
 * expanded when laid out in place (inl), and one part under an array or a
 * function (which hold a pointer), so that measuring does not follow a
 * chain of records through arrays; each node has a memo for either. */
static unsigned size_of(Type *t, bool *open, bool inl)
{
    if (!t)
        return 1;
    if (t->size[inl])
        return t->size[inl];
    unsigned s = 1;
    bool o = false;
    switch (t->kind) {
    case TY_ARRAY:
        s = size_add(1, size_of(t->elem, &o, false));
        break;
    case TY_TUPLE:
    case TY_FN:
        for (int i = 0; i < t->n; i++)
            s = size_add(s, size_of(t->items[i], &o, inl && t->kind == TY_TUPLE));
        if (t->kind == TY_FN)
            s = size_add(s, size_of(t->ret, &o, false));
        break;
    case TY_RECORD: {
        TypeDecl *d = t->decl;
        if (!inl) /* behind a pointer: named, not laid out here */
            break;
        if (d->size == UINT_MAX) { /* measuring it: a cycle, reported by the checker */
            o = true;
            break;
        }
        if (d->size) {
            s = d->size;
            break;
        }
        d->size = UINT_MAX;
        for (int i = 0; i < t->n; i++)
            s = size_add(s, size_of(t->items[i], &o, true));
        d->size = o ? 0 : s;
        break;
    }
    case TY_NAMED:
    case TY_INFER:
        o = true;
        break;
    default:
        break;
    }
    if (o)
        *open = true;
    else
        t->size[inl] = s;
    return s;
}

unsigned type_size(const Type *t)
{
    bool open = false;
    return size_of((Type *)t, &open, true); /* writes only the memo */
}

typedef struct Buf {
    char *p;
    size_t size, len;
} Buf;

static void put(Buf *b, const char *s)
{
    size_t n = strlen(s);
    if (b->len + 1 < b->size) {
        size_t room = b->size - 1 - b->len;
        memcpy(b->p + b->len, s, n < room ? n : room);
        b->p[b->len + (n < room ? n : room)] = 0;
    }
    b->len += n;
}

static void put_type(Buf *b, const Type *t)
{
    if (b->len >= b->size) /* full: the rest is cut anyway (and may be exponential) */
        return;
    if (!t) {
        put(b, "?");
        return;
    }
    switch (t->kind) {
    case TY_ERROR: put(b, "<error>"); break;
    case TY_I64: put(b, "i64"); break;
    case TY_F64: put(b, "f64"); break;
    case TY_BOOL: put(b, "bool"); break;
    case TY_STR: put(b, "str"); break;
    case TY_UNIT: put(b, "()"); break;
    case TY_INFER: put(b, "_"); break;
    case TY_NAMED: put(b, t->name); break;
    case TY_RECORD:
    case TY_VARIANT: put(b, t->decl->name); break;
    case TY_ARRAY:
        put(b, "[");
        put_type(b, t->elem);
        put(b, "]");
        break;
    case TY_TUPLE:
    case TY_FN:
        put(b, t->kind == TY_FN ? "fn(" : "(");
        for (int i = 0; i < t->n; i++) {
            if (i)
                put(b, ", ");
            put_type(b, t->items[i]);
        }
        put(b, ")");
        if (t->kind == TY_FN) {
            put(b, " -> ");
            put_type(b, t->ret);
        }
        break;
    }
}

char *type_str(const Type *t, char *buf, size_t size)
{
    Buf b = { buf, size, 0 };
    if (size)
        buf[0] = 0;
    put_type(&b, t);
    return buf;
}

Type *type_as_written(Arena *a, const Type *t)
{
    if (!t)
        return NULL;
    Type *c = type_new(a, t->kind);
    *c = *t;
    switch (t->kind) {
    case TY_RECORD:
    case TY_VARIANT:
        c->kind = TY_NAMED;
        c->name = t->decl->name;
        c->decl = NULL;
        c->n = 0;
        c->items = NULL;
        return c;
    case TY_ARRAY:
        c->elem = type_as_written(a, t->elem);
        return c;
    case TY_TUPLE:
    case TY_FN:
        c->items = ARENA_ARRAY(a, Type *, t->n + 1);
        for (int i = 0; i < t->n; i++)
            c->items[i] = type_as_written(a, t->items[i]);
        c->ret = type_as_written(a, t->ret);
        return c;
    default:
        return c;
    }
}

/* ---- traversal ------------------------------------------------------------ */

void ast_visit_children(Expr *e, void (*visit)(Expr *child, void *ctx), void *ctx) {
    if (!e) return;
    switch (e->kind) {
    case E_MEMBER: visit(e->u.member.base, ctx); return;
    case E_FIELD: visit(e->u.field.base, ctx); return;
    case E_UNARY: visit(e->u.unary.operand, ctx); return;
    case E_BINARY: visit(e->u.binary.lhs, ctx); visit(e->u.binary.rhs, ctx); return;
    case E_RANGE: visit(e->u.range.lo, ctx); visit(e->u.range.hi, ctx); return;
    case E_CALL:
        visit(e->u.call.callee, ctx);
        for (int i = 0; i < e->u.call.nargs; i++) visit(e->u.call.args[i], ctx);
        return;
    case E_INDEX: visit(e->u.index.base, ctx); visit(e->u.index.index, ctx); return;
    case E_TUPLE: case E_ARRAY:
        for (int i = 0; i < e->u.list.n; i++) visit(e->u.list.items[i], ctx);
        return;
    case E_IF:
        visit(e->u.if_.cond, ctx);
        visit(e->u.if_.then_, ctx);
        if (e->u.if_.else_) visit(e->u.if_.else_, ctx);
        return;
    case E_BLOCK:
        for (int i = 0; i < e->u.block.n; i++) visit(e->u.block.stmts[i]->expr, ctx);
        return;
    case E_LAMBDA: visit(e->u.lambda.body, ctx); return;
    case E_FOR: visit(e->u.for_.iter, ctx); visit(e->u.for_.body, ctx); return;
    case E_RECORD:
        for (int i = 0; i < e->u.record.n; i++) visit(e->u.record.inits[i]->value, ctx);
        if (e->u.record.base) visit(e->u.record.base, ctx);
        return;
    case E_MATCH:
        visit(e->u.match_.scrutinee, ctx);
        for (int i = 0; i < e->u.match_.n; i++) {
            if (e->u.match_.arms[i]->guard) visit(e->u.match_.arms[i]->guard, ctx);
            visit(e->u.match_.arms[i]->body, ctx);
        }
        return;
    default: return;
    }
}
