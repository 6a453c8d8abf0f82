/* modules.c — loads the modules a program imports (modules.h).
 *
 * A depth-first walk from the root: each import is looked for along the
 * search path, parsed once (a file is known by its real path, so `./m.pel`
 * and `lib/../m.pel` are one module), and walked before the importer is
 * appended to the list, so every module comes after those it imports. A
 * module still on the walk's stack when it is imported again closes a
 * cycle, which is reported with every file on it. */
#define _GNU_SOURCE /* realpath */
#include "modules.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parse.h"

enum { NEW, ON_STACK, DONE };
/* the walk is as deep as the chain of imports */
enum { MAX_DEPTH = 4096 };

typedef struct Loaded {
    Module *mod;
    const char *real; /* realpath of its file; NULL for the REPL's root */
    int state;
} Loaded;

typedef struct Loader {
    Arena *a;
    Diag *d;
    const ModulePath *mp;
    Loaded *loaded;
    int nloaded, cap;
    Module **stack; /* the walk's modules, root first */
    int depth;
    PtrList order;
} Loader;

const char *modules_dir_of(Arena *a, const char *path) {
    const char *slash = strrchr(path, '/');
    if (!slash) return ".";
    if (slash == path) return "/";
    return arena_strndup(a, path, (size_t)(slash - path));
}

static void add(Loader *L, Module *m, const char *real) {
    if (L->nloaded == L->cap) {
        int cap = L->cap ? 2 * L->cap : 16;
        Loaded *grown = ARENA_ARRAY(L->a, Loaded, cap);
        if (L->nloaded) memcpy(grown, L->loaded, sizeof(Loaded) * (size_t)L->nloaded);
        L->loaded = grown;
        L->cap = cap;
    }
    Loaded *l = &L->loaded[L->nloaded++];
    l->mod = m;
    l->real = real;
    l->state = NEW;
}

static Loaded *find_real(Loader *L, const char *real) {
    for (int i = 0; i < L->nloaded; i++)
        if (L->loaded[i].real && strcmp(L->loaded[i].real, real) == 0) return &L->loaded[i];
    return NULL;
}

/* dir/name.pel, when it is a readable file */
static char *candidate(Loader *L, const char *dir, const char *name) {
    size_t n = strlen(dir) + strlen(name) + 6;
    char *path = arena_alloc(L->a, n);
    if (strcmp(dir, ".") == 0) snprintf(path, n, "%s.pel", name);
    else snprintf(path, n, "%s/%s.pel", dir, name);
    return access(path, R_OK) == 0 ? path : NULL;
}

/* The folders an import of a module in dir searches, in order. */
static int search_dirs(const Loader *L, const char *dir, const char **dirs, int cap) {
    int n = 0;
    dirs[n++] = dir;
    for (int i = 0; i < L->mp->ndirs && n < cap; i++) dirs[n++] = L->mp->dirs[i];
    if (L->mp->stdlib && n < cap) dirs[n++] = L->mp->stdlib;
    return n;
}

static void not_found(Loader *L, const Import *im, const char **dirs, int ndirs) {
    diag_error(L->d, im->loc, "cannot find module '%s'", im->name);
    char list[1024];
    size_t len = 0;
    list[0] = 0;
    for (int i = 0; i < ndirs && len < sizeof list; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s/%s.pel", i ? ", " : "", dirs[i], im->name);
    diag_hint(L->d, "looked for %s", list);
    diag_hint(L->d, "add the folder that holds %s.pel with -I DIR", im->name);
}

/* Reports the cycle the import im of the top module closes at m. */
static void cycle(Loader *L, const Import *im, const Module *m) {
    char list[1024];
    size_t len = 0;
    int from = 0;
    while (from < L->depth && L->stack[from] != m) from++;
    for (int i = from; i < L->depth && len < sizeof list; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s -> ", L->stack[i]->file->path);
    if (len < sizeof list) snprintf(list + len, sizeof list - len, "%s", m->file->path);
    diag_error(L->d, im->loc, "import cycle: %s", list);
    diag_hint(L->d, "move what the modules share into a module that imports neither");
}

static void walk(Loader *L, int at, const char *dir);

static void load_import(Loader *L, Module *m, Import *im, const char *dir) {
    if (strcmp(im->name, "main") == 0) {
        diag_error(L->d, im->loc, "no module can be named 'main': it is the program's own file");
        diag_hint(L->d, "rename main.pel, and import it by its new name");
        return;
    }
    const char *dirs[64];
    int ndirs = search_dirs(L, dir, dirs, 64);
    char *path = NULL;
    for (int i = 0; i < ndirs && !path; i++) path = candidate(L, dirs[i], im->name);
    if (!path) {
        not_found(L, im, dirs, ndirs);
        return;
    }
    char real[PATH_MAX];
    if (!realpath(path, real)) snprintf(real, sizeof real, "%s", path);
    Loaded *l = find_real(L, real);
    if (l) {
        im->module = l->mod;
        if (l->state == ON_STACK) cycle(L, im, l->mod);
        return;
    }
    for (int i = 0; i < L->nloaded; i++) {
        const Module *other = L->loaded[i].mod;
        if (other != m && strcmp(other->name, im->name) == 0) {
            diag_error(L->d, im->loc, "two files for module '%s': %s and %s", im->name, other->file->path, path);
            diag_hint(L->d, "a program's modules need distinct names");
            return;
        }
    }
    if (L->depth == MAX_DEPTH) {
        diag_error(L->d, im->loc, "imports nested more than %d deep", MAX_DEPTH);
        return;
    }
    SrcFile *src = src_load(L->a, L->d, path);
    if (!src) return;
    int errors = L->d->errors;
    Module *mod = parse_module(L->a, L->d, src, im->name);
    if (!mod || L->d->errors > errors) return;
    im->module = mod;
    add(L, mod, arena_strndup(L->a, real, strlen(real)));
    walk(L, L->nloaded - 1, modules_dir_of(L->a, path));
}

/* at: an index, since loading imports grows L->loaded */
static void walk(Loader *L, int at, const char *dir) {
    Module *m = L->loaded[at].mod;
    L->loaded[at].state = ON_STACK;
    L->stack[L->depth++] = m;
    for (int i = 0; i < m->nimports; i++) {
        Import *im = m->imports[i];
        load_import(L, m, im, im->dir ? im->dir : dir);
    }
    L->depth--;
    L->loaded[at].state = DONE;
    ptrlist_push(L->a, &L->order, m);
}

bool modules_load(Arena *a, Diag *d, Module *root, const char *root_dir, const ModulePath *mp, ModuleSet *out) {
    static const ModulePath none = {0};
    int errors = d->errors;
    Loader L = {.a = a, .d = d, .mp = mp ? mp : &none};
    L.stack = ARENA_ARRAY(a, Module *, MAX_DEPTH + 1);
    char real[PATH_MAX];
    const char *root_real = NULL;
    if (root->file && root->file->path && realpath(root->file->path, real))
        root_real = arena_strndup(a, real, strlen(real));
    add(&L, root, root_real);
    walk(&L, 0, root_dir);
    out->mods = (Module **)L.order.items;
    out->n = L.order.len;
    return d->errors == errors;
}
