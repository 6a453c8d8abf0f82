/* test_support.h — helpers shared by the compiler's unit tests: compile a
 * source string through the frontend with diagnostics captured in memory. */
#ifndef PEL_TEST_SUPPORT_H
#define PEL_TEST_SUPPORT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "parse.h"

typedef struct Compiled {
    Arena arena;
    Diag diag;
    char *messages; /* everything the diagnostics printed */
    size_t messages_len;
    FILE *stream;
    Module *mod;
    Program *prog;
} Compiled;

/* Parses and checks `text` as file "t.pel"; c->prog is NULL on errors. */
static inline void compile_text(Compiled *c, const char *text) {
    memset(c, 0, sizeof *c);
    c->stream = open_memstream(&c->messages, &c->messages_len);
    diag_init(&c->diag, c->stream, "pelc");
    SrcFile *f = src_from_string(&c->arena, "t.pel", text);
    c->mod = parse_module(&c->arena, &c->diag, f, "main");
    if (c->diag.errors == 0) c->prog = check_program(&c->arena, &c->diag, c->mod, true);
    fflush(c->stream);
}

static inline void compiled_free(Compiled *c) {
    fclose(c->stream);
    free(c->messages);
    arena_free(&c->arena);
}

static inline FnDecl *find_fn(const Compiled *c, const char *name) {
    for (int i = 0; i < c->mod->nfns; i++)
        if (strcmp(c->mod->fns[i]->name, name) == 0) return c->mod->fns[i];
    return NULL;
}

#endif
