/* repl_session.c — a REPL session is its definitions, kept as source text;
 * every input is compiled as one whole program.
 *
 * Why source and not compiled code: PEL checks and schedules whole
 * programs (functions see each other regardless of order, effects
 * propagate over the call graph), so the simplest faithful REPL is one
 * that rebuilds the program for every input. Parsing and checking a
 * session is a fraction of a millisecond; only the code generation is
 * slow, and it runs in the child (repl_eval.c).
 *
 * The program for an input is:
 *   - every function defined so far (a later `fn f` replaces an earlier f;
 *     functions loaded with :load keep their file's name in messages);
 *   - a function __pel_it() -> T whose body is the session's `let`
 *     statements that the input needs, then the input's own statements;
 *     its value is the input's last expression;
 *   - `fn main() {}` unless the session defined its own main.
 * The input is parsed from its own text (path "<repl>"), so messages point
 * into what the user typed and never show the wrapper, which has no text.
 * The type T is known only after checking, so an input is checked twice:
 * once as a statement list of type (), then with `-> T` and the last
 * expression as the value.
 *
 * A session `let` is a pure definition: later inputs re-evaluate it (only
 * the ones they use, found by name). Its value cannot change, since PEL is
 * deterministic and the let must be pure: an effectful `let` at the top of
 * the session is refused (docs/repl.md). A let is kept only once its input
 * has run without a runtime error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "repl.h"

#define IT_NAME "__pel_it"

/* One accepted input or loaded file. */
typedef struct Chunk {
    char *path;
    char *text;
    bool decls;   /* function and type definitions (else: let statements) */
    char **names; /* decls: the functions it defines and its types as
                   * "type NAME", NULL once replaced */
    int nnames;
    int live;     /* decls: how many are not replaced yet */
} Chunk;

struct Session {
    PelOptions opt;
    int argc;
    char **argv;
    Chunk *chunks;
    int n, cap;
    int ninputs; /* inputs so far: a kept one is named "<repl N>" */
};

Session *session_new(const PelOptions *o, int argc, char **argv) {
    Session *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->opt = *o;
    s->argc = argc;
    s->argv = argv;
    return s;
}

static void chunk_free(Chunk *c) {
    for (int j = 0; j < c->nnames; j++) free(c->names[j]);
    free(c->names);
    free(c->path);
    free(c->text);
}

void session_free(Session *s) {
    if (!s) return;
    for (int i = 0; i < s->n; i++) chunk_free(&s->chunks[i]);
    free(s->chunks);
    free(s);
}

static Chunk *keep_chunk(Session *s, const char *path, const char *text, bool decls) {
    if (s->n == s->cap) {
        int cap = s->cap ? s->cap * 2 : 16;
        Chunk *c = realloc(s->chunks, sizeof(Chunk) * (size_t)cap);
        if (!c) {
            fputs("pel: error: out of memory, the definition is not kept\n", stderr);
            return NULL;
        }
        s->chunks = c;
        s->cap = cap;
    }
    Chunk *c = &s->chunks[s->n++];
    *c = (Chunk){.path = strdup(path), .text = strdup(text), .decls = decls};
    return c;
}

/* ---- sets of names (small: linear search is plenty) ---------------------------- */

typedef struct Names {
    const char **v;
    int n, cap;
} Names;

static bool names_has(const Names *ns, const char *name) {
    for (int i = 0; i < ns->n; i++)
        if (strcmp(ns->v[i], name) == 0) return true;
    return false;
}

static void names_add(Arena *a, Names *ns, const char *name) {
    if (names_has(ns, name)) return;
    if (ns->n == ns->cap) {
        int cap = ns->cap ? ns->cap * 2 : 16;
        const char **v = ARENA_ARRAY(a, const char *, cap);
        if (ns->n) memcpy(v, ns->v, sizeof(char *) * (size_t)ns->n);
        ns->v = v;
        ns->cap = cap;
    }
    ns->v[ns->n++] = name;
}

static void names_remove(Names *ns, const char *name) {
    for (int i = 0; i < ns->n; i++)
        if (strcmp(ns->v[i], name) == 0) {
            ns->v[i] = ns->v[--ns->n];
            return;
        }
}

typedef struct RefCtx {
    Arena *a;
    Names *names;
} RefCtx;

/* every name an expression mentions (lambda parameters too: a superset
 * only makes a let be kept that was not needed) */
static void refs_visit(Expr *e, void *ctx) {
    RefCtx *r = ctx;
    if (e->kind == E_NAME) names_add(r->a, r->names, e->u.name.name);
    ast_visit_children(e, refs_visit, ctx);
}

static void refs_of(Arena *a, Expr *e, Names *out) {
    RefCtx r = {a, out};
    refs_visit(e, &r);
}

static void pattern_names(Arena *a, const Pattern *p, Names *out) {
    if (!p->is_tuple) {
        if (strcmp(p->name, "_") != 0) names_add(a, out, p->name);
        return;
    }
    for (int i = 0; i < p->n; i++) pattern_names(a, p->items[i], out);
}

static bool pattern_binds_any(const Pattern *p, const Names *ns) {
    if (!p->is_tuple) return names_has(ns, p->name);
    for (int i = 0; i < p->n; i++)
        if (pattern_binds_any(p->items[i], ns)) return true;
    return false;
}

static void pattern_unneed(const Pattern *p, Names *ns) {
    if (!p->is_tuple) {
        names_remove(ns, p->name);
        return;
    }
    for (int i = 0; i < p->n; i++) pattern_unneed(p->items[i], ns);
}

/* ---- building the program of one input ------------------------------------------ */

typedef enum InputUse {
    USE_NONE,  /* no input: the session alone (:graph) */
    USE_DECLS, /* definitions to add */
    USE_STMTS, /* statements to evaluate */
} InputUse;

typedef struct Build {
    Arena *arena;
    Diag *d;
    const char *text, *path; /* the input */
    InputUse use;
    Type *ret;               /* second check: the input's value type, else NULL */
    /* results */
    SrcFile *src;
    Module *input_decls;
    Block *input;            /* USE_STMTS: the input's own statements */
    FnDecl *it;
    Program *prog;
    PelCompile job;          /* the pipeline's input and how far it ran */
    PelCompiled res;
    bool checked;            /* parsed, so the errors came from the checker */
    Names let_names;         /* every name a kept let binds */
} Build;

static Expr *block_of(Arena *a, Loc loc, Stmt **stmts, int n, bool value_is_last) {
    Expr *e = ARENA_NEW(a, Expr);
    e->kind = E_BLOCK;
    e->loc = loc;
    e->u.block.stmts = stmts;
    e->u.block.n = n;
    e->u.block.value_is_last = value_is_last;
    e->u.block.close = loc;
    return e;
}

static FnDecl *synthetic_fn(Arena *a, const char *name, Loc loc, Type *ret, Expr *body) {
    FnDecl *f = ARENA_NEW(a, FnDecl);
    f->name = name;
    f->loc = loc;
    f->ret = ret;
    f->body = body;
    return f;
}

/* Parses a kept chunk; errors here would be a bug (it was checked when it
 * was kept), so they are reported as such. */
static bool parse_chunk(Build *b, const Chunk *c, Module **decls, Expr **stmts) {
    SrcFile *f = src_from_string(b->arena, c->path, c->text);
    int errors = b->d->errors;
    if (c->decls) *decls = parse_module(b->arena, b->d, f, "main");
    else *stmts = parse_stmts(b->arena, b->d, f);
    /* a loaded file's imports are looked for beside it first */
    if (c->decls && *decls && c->path[0] != '<')
        for (int k = 0; k < (*decls)->nimports; k++) (*decls)->imports[k]->dir = modules_dir_of(b->arena, c->path);
    if (b->d->errors != errors || (!c->decls && !*stmts)) {
        diag_plain(b->d, "internal error: a definition of the session no longer parses");
        return false;
    }
    return true;
}

static bool build(Session *s, Build *b) {
    Arena *a = b->arena;
    b->src = src_from_string(a, b->path, b->text ? b->text : "");
    Loc at = {b->src, 1, 1};

    if (b->use == USE_DECLS) {
        b->input_decls = parse_module(a, b->d, b->src, "main");
        if (b->d->errors) return false;
        if (b->path[0] != '<') /* :load: the file's imports are looked for beside it */
            for (int k = 0; k < b->input_decls->nimports; k++)
                b->input_decls->imports[k]->dir = modules_dir_of(a, b->path);
        /* the wrapper's name cannot be taken by the user */
        for (int k = 0; k < b->input_decls->nfns; k++) {
            FnDecl *f = b->input_decls->fns[k];
            if (strncmp(f->name, "__pel_", 6) == 0) {
                diag_error(b->d, f->loc, "names starting with '__pel_' are reserved for the REPL");
                return false;
            }
        }
    } else if (b->use == USE_STMTS) {
        Expr *e = parse_stmts(a, b->d, b->src);
        if (!e) return false;
        b->input = &e->u.block;
    }

    Module **mods = ARENA_ARRAY(a, Module *, s->n + 1);
    Expr **lets = ARENA_ARRAY(a, Expr *, s->n + 1);
    for (int i = 0; i < s->n; i++)
        if (!parse_chunk(b, &s->chunks[i], &mods[i], &lets[i])) return false;

    /* Functions: the input's, then the kept ones from the newest back, each
     * unless a newer chunk defines its name. */
    PtrList fns = {0}, imports = {0}, types = {0};
    Names defined = {0}, tdefined = {0};
    if (b->input_decls) {
        for (int k = 0; k < b->input_decls->nfns; k++) ptrlist_push(a, &fns, b->input_decls->fns[k]);
        for (int k = 0; k < b->input_decls->nimports; k++)
            ptrlist_push(a, &imports, b->input_decls->imports[k]);
        for (int k = 0; k < b->input_decls->nfns; k++) names_add(a, &defined, b->input_decls->fns[k]->name);
        for (int k = 0; k < b->input_decls->ntypes; k++) {
            ptrlist_push(a, &types, b->input_decls->types[k]);
            names_add(a, &tdefined, b->input_decls->types[k]->name);
        }
    }
    /* types like functions: the newest definition of a name wins */
    for (int i = s->n - 1; i >= 0; i--) {
        Module *m = s->chunks[i].decls ? mods[i] : NULL;
        if (!m) continue;
        for (int k = 0; k < m->nfns; k++)
            if (!names_has(&defined, m->fns[k]->name)) ptrlist_push(a, &fns, m->fns[k]);
        for (int k = 0; k < m->nimports; k++) ptrlist_push(a, &imports, m->imports[k]);
        for (int k = 0; k < m->nfns; k++) names_add(a, &defined, m->fns[k]->name);
        for (int k = 0; k < m->ntypes; k++)
            if (!names_has(&tdefined, m->types[k]->name)) ptrlist_push(a, &types, m->types[k]);
        for (int k = 0; k < m->ntypes; k++) names_add(a, &tdefined, m->types[k]->name);
    }

    /* The kept lets the input needs: walking back from the input, a let is
     * needed when it binds a name mentioned later and not bound again in
     * between. Without statements to run, every visible let is checked
     * (new definitions must not break them). */
    PtrList all_lets = {0};
    for (int i = 0; i < s->n; i++) {
        if (s->chunks[i].decls) continue;
        Block *blk = &lets[i]->u.block;
        for (int k = 0; k < blk->n; k++)
            if (blk->stmts[k]->kind == S_LET) ptrlist_push(a, &all_lets, blk->stmts[k]);
    }
    for (int k = 0; k < all_lets.len; k++) pattern_names(a, ((Stmt *)all_lets.items[k])->pat, &b->let_names);
    Names needed = {0};
    if (b->input) {
        for (int k = 0; k < b->input->n; k++) refs_of(a, b->input->stmts[k]->expr, &needed);
    } else {
        for (int k = 0; k < all_lets.len; k++) pattern_names(a, ((Stmt *)all_lets.items[k])->pat, &needed);
    }
    bool *use = ARENA_ARRAY(a, bool, all_lets.len + 1);
    for (int k = all_lets.len - 1; k >= 0; k--) {
        Stmt *st = all_lets.items[k];
        if (!pattern_binds_any(st->pat, &needed)) continue;
        use[k] = true;
        pattern_unneed(st->pat, &needed);
        refs_of(a, st->expr, &needed);
    }

    int nin = b->input ? b->input->n : 0;
    Stmt **body = ARENA_ARRAY(a, Stmt *, all_lets.len + nin + 1);
    int nbody = 0;
    for (int k = 0; k < all_lets.len; k++)
        if (use[k]) body[nbody++] = all_lets.items[k];
    for (int k = 0; k < nin; k++) body[nbody++] = b->input->stmts[k];
    bool has_value = b->ret && nin > 0 && b->input->stmts[nin - 1]->kind == S_EXPR;
    Type *ret = has_value ? b->ret : type_new(a, TY_UNIT);
    b->it = synthetic_fn(a, IT_NAME, at, ret, block_of(a, at, body, nbody, has_value));
    ptrlist_push(a, &fns, b->it);
    if (!names_has(&defined, "main"))
        ptrlist_push(a, &fns, synthetic_fn(a, "main", at, type_new(a, TY_UNIT), block_of(a, at, NULL, 0, false)));

    Module *root = ARENA_NEW(a, Module);
    root->name = "main";
    root->file = b->src;
    root->fns = (FnDecl **)fns.items;
    root->nfns = fns.len;
    root->imports = (Import **)imports.items;
    root->nimports = imports.len;
    root->types = (TypeDecl **)types.items;
    root->ntypes = types.len;
    b->checked = true;
    b->job = (PelCompile){.root = root, .stop = PEL_STOP_CHECK, .keep = b->it,
                          .mpath = {.dirs = s->opt.incdirs, .ndirs = s->opt.nincdirs, .stdlib = pel_stdlib_dir()}};
    if (!pel_compile(a, &b->job, b->d, &b->res)) return false;
    b->prog = b->res.prog;
    return true;
}

/* The names a chunk of definitions defines: its functions', and its
 * types' as "type NAME" (a type and a function may share a name). */
static int decl_names(const Module *m, char **out) {
    int n = 0;
    for (int k = 0; k < m->nfns; k++)
        if (out) out[n++] = strdup(m->fns[k]->name);
        else n++;
    for (int k = 0; k < m->ntypes; k++) {
        if (out) {
            size_t len = strlen(m->types[k]->name) + 6;
            out[n] = malloc(len);
            if (out[n]) snprintf(out[n], len, "type %s", m->types[k]->name);
        }
        n++;
    }
    return n;
}

/* The newest definition of a name replaces the older ones; a chunk whose
 * definitions were all replaced is dropped. */
static void replace_older(Session *s, const Module *m) {
    int nn = decl_names(m, NULL);
    char **names = calloc((size_t)nn + 1, sizeof(char *));
    if (names) decl_names(m, names);
    for (int k = 0; names && k < nn; k++)
        for (int i = 0; i < s->n; i++) {
            Chunk *c = &s->chunks[i];
            for (int j = 0; j < c->nnames; j++)
                if (c->names[j] && names[k] && strcmp(c->names[j], names[k]) == 0) {
                    free(c->names[j]);
                    c->names[j] = NULL;
                    c->live--;
                }
        }
    for (int k = 0; names && k < nn; k++) free(names[k]);
    free(names);
    int w = 0;
    for (int i = 0; i < s->n; i++) {
        if (s->chunks[i].decls && s->chunks[i].live <= 0) chunk_free(&s->chunks[i]);
        else s->chunks[w++] = s->chunks[i];
    }
    s->n = w;
}

typedef struct HintCtx {
    const Names *lets;
    const char *found;
} HintCtx;

static void unresolved_let(Expr *e, void *ctx) {
    HintCtx *h = ctx;
    if (h->found) return;
    if (e->kind == E_NAME && e->u.name.kind == NAME_UNRESOLVED && names_has(h->lets, e->u.name.name))
        h->found = e->u.name.name;
    ast_visit_children(e, unresolved_let, ctx);
}

/* A function that reads a session let gets "unknown name": say why. */
static void hint_lets(const Build *b) {
    HintCtx h = {&b->let_names, NULL};
    for (int k = 0; k < b->input_decls->nfns && !h.found; k++)
        if (b->input_decls->fns[k]->body) unresolved_let(b->input_decls->fns[k]->body, &h);
    if (h.found)
        fprintf(stderr,
                "hint: '%s' is a 'let' of the session; functions see only their parameters "
                "(PEL has no global variables)\n",
                h.found);
}

/* After a rejected redefinition (it broke a caller, say): which one stays. */
static void note_kept(const Session *s, const Module *m) {
    int nn = decl_names(m, NULL);
    char **names = calloc((size_t)nn + 1, sizeof(char *));
    if (!names) return;
    decl_names(m, names);
    bool said = false;
    for (int k = 0; k < nn && !said; k++)
        for (int i = 0; i < s->n && !said; i++)
            for (int j = 0; j < s->chunks[i].nnames && !said; j++)
                if (s->chunks[i].names[j] && names[k] && strcmp(s->chunks[i].names[j], names[k]) == 0) {
                    fprintf(stderr, "note: '%s' keeps its earlier definition (%s)\n", names[k], s->chunks[i].path);
                    said = true;
                }
    for (int k = 0; k < nn; k++) free(names[k]);
    free(names);
}

static bool add_decls(Session *s, const char *text, const char *path_if_file) {
    Arena arena = {0};
    Diag d;
    diag_init(&d, stderr, "pel");
    d.no_warnings = true; /* a session's lets are unused by most inputs */
    Build b = {.arena = &arena, .d = &d, .text = text, .use = USE_DECLS};
    b.path = path_if_file ? path_if_file : "<repl>";
    bool ok = build(s, &b);
    if (!ok && b.checked) {
        hint_lets(&b);
        note_kept(s, b.input_decls);
    }
    if (ok) {
        char name[32];
        snprintf(name, sizeof name, "<repl %d>", s->ninputs);
        replace_older(s, b.input_decls);
        Chunk *c = keep_chunk(s, path_if_file ? path_if_file : name, text, true);
        if (c) {
            Module *m = b.input_decls;
            int nn = decl_names(m, NULL);
            c->names = calloc((size_t)nn + 1, sizeof(char *));
            if (c->names) c->nnames = decl_names(m, c->names);
            /* imports alone keep the chunk too: they persist in the session */
            c->live = c->nnames + (m->nimports > 0);
        }
    }
    arena_free(&arena);
    return ok;
}

/* The first of the input's own lets whose value has an effect, or NULL. */
static Stmt *effectful_let(const Block *in) {
    for (int k = 0; k < in->n; k++)
        if (in->stmts[k]->kind == S_LET && check_expr_effectful(in->stmts[k]->expr)) return in->stmts[k];
    return NULL;
}

static bool eval_stmts(Session *s, const char *text, ReplShow show, bool timed) {
    Arena arena = {0};
    Diag d;
    diag_init(&d, stderr, "pel");
    d.no_warnings = true; /* a session's lets are unused by most inputs */
    bool ok = false;
    Build b1 = {.arena = &arena, .d = &d, .text = text, .path = "<repl>", .use = USE_STMTS};
    if (!build(s, &b1)) goto done;
    Stmt *bad = effectful_let(b1.input);
    if (bad) {
        diag_error(&d, bad->loc, "a 'let' of the session must be pure: later inputs compute it again");
        diag_hint(&d, "print in an input of its own, or define a function (fn name() -> T = ...)");
        goto done;
    }
    Stmt *last = b1.input->n ? b1.input->stmts[b1.input->n - 1] : NULL;
    bool has_value = last && last->kind == S_EXPR;
    /* the second check parses everything again: a checked tree is not
     * checked twice */
    Build b2 = {.arena = &arena, .d = &d, .text = text, .path = "<repl>", .use = USE_STMTS,
                .ret = has_value ? type_as_written(&arena, last->expr->type) : NULL};
    if (!build(s, &b2)) {
        diag_plain(&d, "internal error: the input checked once but not twice");
        goto done;
    }
    b2.job.stop = PEL_STOP_GRAPH;
    if (!pel_compile(&arena, &b2.job, &d, &b2.res)) goto done;
    ReplJob job = {.arena = &arena, .compile = &b2.job, .done = &b2.res, .argc = s->argc, .argv = s->argv,
                   .timed = timed};
    b2.job.cg.opt_level = s->opt.repl_opt;
    b2.job.cg.repl_fn = b2.it;
    b2.job.cg.repl_show = !has_value ? CG_SHOW_NOTHING
                       : show == SHOW_TYPED ? CG_SHOW_VALUE_TYPE
                       : b2.ret->kind == TY_UNIT ? CG_SHOW_NOTHING
                                                 : CG_SHOW_VALUE;
    ok = repl_run(&job);
    bool has_let = false;
    for (int k = 0; k < b1.input->n; k++) has_let |= b1.input->stmts[k]->kind == S_LET;
    if (ok && has_let) {
        char name[32];
        snprintf(name, sizeof name, "<repl %d>", s->ninputs);
        keep_chunk(s, name, text, false);
    }
done:
    arena_free(&arena);
    return ok;
}

bool session_eval(Session *s, const char *text, ReplShow show, bool timed) {
    s->ninputs++;
    InputShape shape = parse_input_shape(text);
    if (shape.kind == INPUT_EMPTY) return true;
    if (shape.kind == INPUT_DECLS) {
        if (timed) {
            fprintf(stderr, "pel: error: :time needs an expression, not a definition\n");
            return false;
        }
        return add_decls(s, text, NULL);
    }
    return eval_stmts(s, text, show, timed);
}

bool session_load(Session *s, const char *path) {
    s->ninputs++;
    Arena arena = {0};
    Diag d;
    diag_init(&d, stderr, "pel");
    d.no_warnings = true; /* a session's lets are unused by most inputs */
    SrcFile *f = src_load(&arena, &d, path);
    bool ok = f && add_decls(s, f->text, path);
    arena_free(&arena);
    return ok;
}

bool session_type(Session *s, const char *text) {
    InputShape shape = parse_input_shape(text);
    if (shape.kind != INPUT_STMTS) {
        fprintf(stderr, "pel: error: :type needs an expression\n");
        return false;
    }
    Arena arena = {0};
    Diag d;
    diag_init(&d, stderr, "pel");
    d.no_warnings = true; /* a session's lets are unused by most inputs */
    bool ok = false;
    Build b = {.arena = &arena, .d = &d, .text = text, .path = "<repl>", .use = USE_STMTS};
    if (build(s, &b)) {
        Stmt *last = b.input->n ? b.input->stmts[b.input->n - 1] : NULL;
        if (!last || last->kind != S_EXPR) {
            fprintf(stderr, "pel: error: :type needs an expression, not a 'let'\n");
        } else {
            char buf[512];
            printf("%s\n", type_str(last->expr->type, buf, sizeof buf));
            fflush(stdout);
            ok = true;
        }
    }
    arena_free(&arena);
    return ok;
}

bool session_graph(Session *s, const char *name) {
    Arena arena = {0};
    Diag d;
    diag_init(&d, stderr, "pel");
    d.no_warnings = true; /* a session's lets are unused by most inputs */
    bool ok = false;
    Build b = {.arena = &arena, .d = &d, .text = "", .path = "<repl>", .use = USE_NONE};
    bool built = build(s, &b);
    b.job.stop = PEL_STOP_GRAPH;
    if (built && pel_compile(&arena, &b.job, &d, &b.res)) {
        IrProgram *ir = b.res.ir;
        for (int i = 0; i < ir->n && !ok; i++) {
            FnDecl *f = ir->funcs[i]->fn;
            if (strcmp(f->name, name) != 0 || f == b.it) continue;
            /* the DOT dump of a program of just this function */
            IrProgram one = *ir;
            one.funcs = &ir->funcs[i];
            one.n = 1;
            ir_dump_dot(stdout, &one);
            fflush(stdout);
            ok = true;
        }
        if (!ok) fprintf(stderr, "pel: error: no function '%s' in this session\n", name);
    }
    arena_free(&arena);
    return ok;
}
