/* pelc — the ahead-of-time compiler, shaped like cc (spec 10).
 *
 * The phases up to the LLVM module are the one pipeline every tool runs
 * (driver/pipeline.c); then pelc writes what was asked for or links an
 * executable with the system cc against the runtime library. Any phase
 * that reports an error stops; the status is then 1. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pipeline.h"

#ifndef PEL_VERSION
#define PEL_VERSION "0.1.0"
#endif

static const char usage[] =
    "usage: pelc [options] file.pel [file.o ...]\n"
    "       pelc [options] file.o ... -o app        (link only)\n"
    "\n"
    "  -o FILE          write the output to FILE (default: the input's name\n"
    "                   without .pel; with -c name.o, with -S name.s or name.ll)\n"
    "  -c               compile to an object file, do not link\n"
    "  -S               write assembly (with --emit-llvm: LLVM IR text)\n"
    "  --emit-llvm      write LLVM IR text (.ll)\n"
    "  --emit-graph     write the task graph of every function as Graphviz DOT\n"
    "                   (to stdout unless -o is given)\n"
    "  -O0 -O1 -O2 -O3  optimisation level (default -O2)\n"
    "  -g               DWARF debug information: .pel lines in gdb and perf\n"
    "  -w               no warnings; -Werror: warnings are errors\n"
    "  -I DIR           add DIR to the import search path\n"
    "  --emit-header H  write the C prototypes of the file's export fns to H\n"
    "  -MD              also write a make dependency file (FILE.d for -o FILE.o)\n"
    "  -MF FILE         write the dependency file to FILE\n"
    "  -MT TARGET       the target of its rule (default: the output file)\n"
    "  -MP              add an empty rule for each imported module\n"
    "  -L DIR, -l NAME  passed to the linker (for extern fns)\n"
    "  --version        print the version\n"
    "  --help           print this help\n"
    "\n"
    "Environment: PEL_WORKERS, PEL_STATS, PEL_SEQ_DEPTH are read by the compiled\n"
    "program at run time; CC chooses the linker driver (default cc).\n";

typedef struct Options {
    const char *out;
    bool compile_only, asm_out, emit_llvm, emit_graph;
    int opt;
    const char *pel_input;
    const char **link_inputs; /* .o, .a, -l, -L in command-line order */
    int nlink;
    const char **incdirs; /* -I, in command-line order */
    int nincdirs;
    const char **c_inputs; /* .c files, also in link_inputs until compiled */
    int nc;
    const char *header; /* --emit-header */
    bool debug;         /* -g */
    bool dep_file, dep_phony; /* -MD, -MP */
    const char *dep_path, *dep_target; /* -MF, -MT */
} Options;

static int fail_usage(Diag *d, const char *fmt, const char *arg) {
    diag_plain(d, fmt, arg);
    fprintf(stderr, "hint: see 'pelc --help'\n");
    return 1;
}

static bool ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Returns -1 when the arguments are good, else the exit status. */
static int parse_args(int argc, char **argv, Options *o, Diag *d) {
    o->opt = 2;
    o->link_inputs = calloc((size_t)argc * 2 + 1, sizeof(char *));
    o->incdirs = calloc((size_t)argc + 1, sizeof(char *));
    o->c_inputs = calloc((size_t)argc + 1, sizeof(char *));
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (strcmp(a, "--version") == 0) {
            printf("pelc %s (LLVM 19)\n", PEL_VERSION);
            return 0;
        } else if (strcmp(a, "-o") == 0) {
            if (++i >= argc) return fail_usage(d, "'%s' needs a file name", a);
            o->out = argv[i];
        } else if (strcmp(a, "-c") == 0) {
            o->compile_only = true;
        } else if (strcmp(a, "-S") == 0) {
            o->asm_out = true;
        } else if (strcmp(a, "--emit-llvm") == 0) {
            o->emit_llvm = true;
        } else if (strcmp(a, "--emit-graph") == 0) {
            o->emit_graph = true;
        } else if (a[0] == '-' && a[1] == 'O' && a[2] >= '0' && a[2] <= '3' && a[3] == 0) {
            o->opt = a[2] - '0';
        } else if (strcmp(a, "-I") == 0 || strcmp(a, "-L") == 0 || strcmp(a, "-l") == 0) {
            if (++i >= argc) return fail_usage(d, "'%s' needs an argument", a);
            if (a[1] != 'I') {
                o->link_inputs[o->nlink++] = a;
                o->link_inputs[o->nlink++] = argv[i];
            } else {
                o->incdirs[o->nincdirs++] = argv[i];
            }
        } else if ((strncmp(a, "-L", 2) == 0 || strncmp(a, "-l", 2) == 0) && a[2]) {
            o->link_inputs[o->nlink++] = a;
        } else if (strncmp(a, "-I", 2) == 0 && a[2]) {
            o->incdirs[o->nincdirs++] = a + 2;
        } else if (strcmp(a, "-MD") == 0) {
            o->dep_file = true;
        } else if (strcmp(a, "-MP") == 0) {
            o->dep_phony = true;
        } else if (strcmp(a, "-MF") == 0 || strcmp(a, "-MT") == 0) {
            if (++i >= argc) return fail_usage(d, "'%s' needs a file name", a);
            if (a[2] == 'F') o->dep_path = argv[i];
            else o->dep_target = argv[i];
        } else if (strcmp(a, "--emit-header") == 0) {
            if (++i >= argc) return fail_usage(d, "'%s' needs a file name", a);
            o->header = argv[i];
        } else if (strcmp(a, "-g") == 0) {
            o->debug = true;
        } else if (strcmp(a, "-w") == 0) {
            d->no_warnings = true;
        } else if (strcmp(a, "-Werror") == 0) {
            d->werror = true;
        } else if (strcmp(a, "-Wall") == 0) {
            /* every warning is on already; accepted as cc accepts it */
        } else if (a[0] == '-' && a[1] != 0) {
            return fail_usage(d, "unknown option '%s'", a);
        } else if (ends_with(a, ".pel")) {
            if (o->pel_input) return fail_usage(d, "only one .pel file per command (got also '%s')", a);
            o->pel_input = a;
        } else if (ends_with(a, ".o") || ends_with(a, ".a") || ends_with(a, ".so")) {
            o->link_inputs[o->nlink++] = a;
        } else if (ends_with(a, ".c")) {
            /* C for the program's extern fns: compiled with cc, then linked */
            o->c_inputs[o->nc++] = a;
            o->link_inputs[o->nlink++] = a;
        } else {
            return fail_usage(d, "'%s' is not a .pel, .c, .o or .a file", a);
        }
    }
    if (!o->pel_input && o->nlink == 0) return fail_usage(d, "no input files%s", "");
    if (o->nc && (o->compile_only || o->asm_out || o->emit_llvm || o->emit_graph))
        return fail_usage(d, "a .c file is compiled only to link a program, not with -c, -S, --emit-llvm or --emit-graph%s", "");
    if (o->header && !o->pel_input) return fail_usage(d, "--emit-header needs a .pel file%s", "");
    if (!o->pel_input && (o->compile_only || o->asm_out || o->emit_llvm || o->emit_graph))
        return fail_usage(d, "-c, -S, --emit-llvm and --emit-graph need a .pel file%s", "");
    return -1;
}

/* "dir/prog.pel" -> "prog" + ext */
static char *default_output(const char *input, const char *ext) {
    const char *base = strrchr(input, '/');
    base = base ? base + 1 : input;
    size_t n = strlen(base);
    if (ends_with(base, ".pel")) n -= 4;
    char *s = malloc(n + strlen(ext) + 1);
    memcpy(s, base, n);
    strcpy(s + n, ext);
    return s;
}

/* The runtime and standard libraries sit in ../lib beside bin/ (or the
 * install's libdir, e.g. Debian's lib/x86_64-linux-gnu) both in the build
 * tree and after installation, so a prefix copied elsewhere still works;
 * PEL_RUNTIME_LIB overrides the runtime's path. */
static char *find_beside(const char *name) {
    const char *prefix = pel_prefix_dir();
    if (!prefix) return NULL;
    static const char *const dirs[] = {"lib", PEL_LIBDIR, PEL_MULTIARCH_LIBDIR, "lib/pel"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        char path[PATH_MAX + 128];
        snprintf(path, sizeof path, "%s/%s/%s", prefix, dirs[i], name);
        if (access(path, R_OK) == 0) return strdup(path);
    }
    return NULL;
}

static char *find_runtime(Diag *d) {
    const char *env = getenv("PEL_RUNTIME_LIB");
    if (env && *env) return strdup(env);
    char *p = find_beside("libpelrt.a");
    if (p) return p;
    diag_plain(d, "cannot find the PEL runtime library libpelrt.a next to pelc");
    fprintf(stderr, "hint: set PEL_RUNTIME_LIB to its path\n");
    return NULL;
}

static int link_executable(const Options *o, const char *obj, const char *out, Diag *d);

static int run(char **argv) {
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        execvp(argv[0], argv);
        fprintf(stderr, "pelc: error: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Objects compiled alone: the entry object cg_link_entry writes, if any, is
 * linked in front of them. */
static int link_objects(const Options *o, const char *out, Diag *d) {
    char entry[] = "/tmp/pelc-entry-XXXXXX.o";
    int fd = mkstemps(entry, 2);
    if (fd < 0) {
        diag_plain(d, "cannot create a temporary file: %s", strerror(errno));
        return 1;
    }
    close(fd);
    bool written = false;
    int st = cg_link_entry(o->link_inputs, o->nlink, entry, &written, d) ? link_executable(o, written ? entry : NULL, out, d)
                                                                        : 1;
    unlink(entry);
    return st;
}

/* Each .c input compiled by cc -O2 into a temporary object, which takes
 * its place among the link inputs; unlink_c removes them. */
static char **c_objects;

static void unlink_c(const Options *o) {
    for (int i = 0; c_objects && i < o->nc; i++)
        if (c_objects[i]) {
            unlink(c_objects[i]);
            free(c_objects[i]);
        }
    free(c_objects);
    c_objects = NULL;
}

static bool compile_c(Options *o, Diag *d) {
    if (!o->nc) return true;
    c_objects = calloc((size_t)o->nc, sizeof(char *));
    const char *cc = getenv("CC");
    if (!cc || !*cc) cc = "cc";
    for (int i = 0; i < o->nc; i++) {
        char tmpl[] = "/tmp/pelc-c-XXXXXX.o";
        int fd = mkstemps(tmpl, 2);
        if (fd < 0) {
            diag_plain(d, "cannot create a temporary file: %s", strerror(errno));
            return false;
        }
        close(fd);
        c_objects[i] = strdup(tmpl);
        char *argv[] = {(char *)cc, "-O2", "-c", (char *)o->c_inputs[i], "-o", c_objects[i], NULL};
        int st = run(argv);
        if (st != 0) {
            diag_plain(d, "compiling %s failed (%s exited with status %d)", o->c_inputs[i], cc, st);
            return false;
        }
        for (int k = 0; k < o->nlink; k++)
            if (o->link_inputs[k] == o->c_inputs[i]) o->link_inputs[k] = c_objects[i];
    }
    return true;
}

static int link_executable(const Options *o, const char *obj, const char *out, Diag *d) {
    char *rt = find_runtime(d);
    if (!rt) return 1;
    const char *cc = getenv("CC");
    if (!cc || !*cc) cc = "cc";
    char **argv = calloc((size_t)o->nlink + 16, sizeof(char *));
    int n = 0;
    argv[n++] = (char *)cc;
    argv[n++] = "-o";
    argv[n++] = (char *)out;
    if (obj) argv[n++] = (char *)obj;
    for (int i = 0; i < o->nlink; i++) argv[n++] = (char *)o->link_inputs[i];
    /* the standard library's objects, for objects compiled alone that call it */
    char *std = find_beside("libpelstd.a");
    if (std) argv[n++] = std;
    argv[n++] = rt;
#ifdef PEL_LINK_FLAGS
    argv[n++] = PEL_LINK_FLAGS;
#endif
    argv[n++] = "-lpthread";
    argv[n++] = "-lm";
    argv[n] = NULL;
    int st = run(argv);
    free(argv);
    free(rt);
    free(std);
    if (st != 0) {
        diag_plain(d, "linking %s failed (%s exited with status %d)", out, cc, st);
        return 1;
    }
    return 0;
}

/* A make rule's file name: spaces and '#' escaped with '\\', '$' doubled,
 * as gcc writes them. */
static void put_dep_name(FILE *f, const char *s) {
    for (; *s; s++) {
        if (*s == ' ' || *s == '#') fputc('\\', f);
        if (*s == '$') fputc('$', f);
        fputc(*s, f);
    }
}

/* -MD: "target: main.pel every.pel imported.pel", the paths as they were
 * found, and with -MP an empty rule for each module, so that make does not
 * fail when one is deleted. */
static bool write_depfile(const Options *o, const Program *prog, const char *out, Diag *d) {
    char *path = NULL;
    if (o->dep_path) {
        path = strdup(o->dep_path);
    } else {
        const char *dot = strrchr(out, '.'), *slash = strrchr(out, '/');
        size_t n = dot && (!slash || dot > slash) ? (size_t)(dot - out) : strlen(out);
        path = malloc(n + 3);
        memcpy(path, out, n);
        strcpy(path + n, ".d");
    }
    bool ok = false;
    FILE *f = fopen(path, "w");
    if (!f) {
        diag_plain(d, "cannot write %s: %s", path, strerror(errno));
    } else {
        put_dep_name(f, o->dep_target ? o->dep_target : out);
        fputc(':', f);
        /* the root first, as gcc lists the source first */
        const Module *root = prog->root;
        fputc(' ', f);
        put_dep_name(f, root->file->path);
        for (int i = 0; i < prog->nmodules; i++) {
            if (prog->modules[i] == root) continue;
            fputs(" \\\n ", f);
            put_dep_name(f, prog->modules[i]->file->path);
        }
        fputc('\n', f);
        for (int i = 0; o->dep_phony && i < prog->nmodules; i++) {
            if (prog->modules[i] == root) continue;
            fputc('\n', f);
            put_dep_name(f, prog->modules[i]->file->path);
            fputs(":\n", f);
        }
        ok = fclose(f) == 0;
        if (!ok) diag_plain(d, "cannot write %s: %s", path, strerror(errno));
    }
    free(path);
    return ok;
}

static const char *c_type_name(const Type *t, bool result) {
    switch (t->kind) {
    case TY_I64: return "int64_t";
    case TY_F64: return "double";
    case TY_BOOL: return "bool";
    case TY_UNIT: return "void";
    case TY_ARRAY:
        return t->elem->kind == TY_I64 ? "pel_array_i64" : t->elem->kind == TY_F64 ? "pel_array_f64"
               : t->elem->kind == TY_BOOL ? "pel_array_bool" : "pel_array_str";
    default: return result ? "char *" : "const char *";
    }
}

/* --emit-header: the prototypes of the root module's export fns, with an
 * include guard, for C and C++ (pel.h says how strings are owned). */
static bool write_header(const Program *prog, const char *path, Diag *d) {
    FILE *f = fopen(path, "w");
    if (!f) {
        diag_plain(d, "cannot write %s: %s", path, strerror(errno));
        return false;
    }
    char guard[256];
    size_t n = 0;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    for (const char *p = "PEL_"; *p; p++) guard[n++] = *p;
    for (const char *p = base; *p && n < sizeof guard - 3; p++)
        guard[n++] = (*p >= 'a' && *p <= 'z') ? (char)(*p - 32) : ((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')) ? *p : '_';
    guard[n] = 0;
    const Module *m = prog->root;
    fprintf(f, "/* %s: the C prototypes of the export fns of %s, written by pelc\n", base, m->file->path);
    fprintf(f, " * --emit-header. A string result is malloc'd: free() it (pel.h). */\n");
    fprintf(f, "#ifndef %s\n#define %s\n\n#include <pel.h>\n\n", guard, guard);
    fprintf(f, "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n");
    for (int i = 0; i < m->nfns; i++) {
        const FnDecl *fn = m->fns[i];
        if (!fn->is_export) continue;
        fprintf(f, "%s%s%s(", c_type_name(fn->ret, true), fn->ret->kind == TY_STR ? "" : " ", fn->name);
        if (fn->nparams == 0) fputs("void", f);
        for (int k = 0; k < fn->nparams; k++) {
            const char *t = c_type_name(fn->params[k]->type, false);
            size_t tl = strlen(t);
            fprintf(f, "%s%s%s%s", k ? ", " : "", t, t[tl - 1] == '*' ? "" : " ", fn->params[k]->name);
        }
        fputs(");\n", f);
    }
    fprintf(f, "\n#ifdef __cplusplus\n}\n#endif\n\n#endif\n");
    if (fclose(f) != 0) {
        diag_plain(d, "cannot write %s: %s", path, strerror(errno));
        return false;
    }
    return true;
}

/* Would writing out replace one of the inputs: the .pel file, a module it
 * imports, or a file given to the linker? Then it is refused (reported). */
static bool overwrites_input(const Options *o, const Program *prog, const char *out, Diag *d) {
    struct stat so;
    if (!out || strcmp(out, "-") == 0 || stat(out, &so) != 0) return false;
    const char *hit = NULL;
    for (int i = 0; prog && i < prog->nmodules && !hit; i++) {
        struct stat si;
        const char *p = prog->modules[i]->file->path;
        if (stat(p, &si) == 0 && si.st_dev == so.st_dev && si.st_ino == so.st_ino) hit = p;
    }
    struct stat si;
    if (!hit && o->pel_input && stat(o->pel_input, &si) == 0 && si.st_dev == so.st_dev && si.st_ino == so.st_ino)
        hit = o->pel_input;
    for (int i = 0; i < o->nlink && !hit; i++)
        if (o->link_inputs[i][0] != '-' && stat(o->link_inputs[i], &si) == 0 && si.st_dev == so.st_dev &&
            si.st_ino == so.st_ino)
            hit = o->link_inputs[i];
    for (int i = 0; i < o->nc && !hit; i++)
        if (stat(o->c_inputs[i], &si) == 0 && si.st_dev == so.st_dev && si.st_ino == so.st_ino) hit = o->c_inputs[i];
    if (!hit) return false;
    diag_plain(d, "the output %s is the input %s: it would be overwritten", out, hit);
    fprintf(stderr, "hint: name another output with -o\n");
    return true;
}

/* --emit-graph: the file is opened only once the program has checked, so a
 * broken program leaves what -o names as it was */
typedef struct GraphOut {
    const char *path; /* NULL or "-": stdout */
    const Options *o;
    Diag *d;
    bool failed;
} GraphOut;

static void write_graph(const IrProgram *ir, void *ctx) {
    GraphOut *g = ctx;
    if (overwrites_input(g->o, ir->prog, g->path, g->d)) {
        g->failed = true;
        return;
    }
    FILE *f = g->path && strcmp(g->path, "-") != 0 ? fopen(g->path, "w") : stdout;
    if (!f) {
        diag_plain(g->d, "cannot write %s: %s", g->path, strerror(errno));
        g->failed = true;
        return;
    }
    ir_dump_dot(f, ir);
    if (f != stdout) fclose(f);
    else fflush(stdout);
}

static int compile(const Options *o, Diag *d) {
    Arena arena = {0};
    int status = 1;
    char *out = NULL;
    char tmp_obj[] = "/tmp/pelc-XXXXXX.o";
    bool have_tmp = false;
    PelCompiled res = {0};
    PelCompile c = {.path = o->pel_input, .stop = PEL_STOP_CODE,
                    .mpath = {.dirs = o->incdirs, .ndirs = o->nincdirs, .stdlib = pel_stdlib_dir()},
                    .separate = o->compile_only,
                    .cg = {.opt_level = o->opt, .emit_c_main = true, .separate = o->compile_only, .debug = o->debug ? CG_DEBUG_FULL : CG_DEBUG_NONE}};
    if (o->emit_graph) {
        GraphOut g = {o->out, o, d, false};
        c.stop = PEL_STOP_GRAPH;
        c.dump_graph = write_graph;
        c.dump_ctx = &g;
        status = pel_compile(&arena, &c, d, &res) && !g.failed ? 0 : 1;
        goto done;
    }
    if (o->header && !o->compile_only && !o->asm_out && !o->emit_llvm && o->out == NULL) {
        /* the prototypes alone: a checked program is all it needs, and a
         * module of exports needs no main */
        c.stop = PEL_STOP_CHECK;
        c.separate = true;
        status = pel_compile(&arena, &c, d, &res) && !overwrites_input(o, res.prog, o->header, d) &&
                         write_header(res.prog, o->header, d)
                     ? 0
                     : 1;
        goto done;
    }
    if (!pel_compile(&arena, &c, d, &res)) goto done;
    /* with an object, assembly or program as well: from the same compile */
    if (o->header && (overwrites_input(o, res.prog, o->header, d) || !write_header(res.prog, o->header, d))) goto done;
    CgModule *m = res.module;

    bool ll = o->emit_llvm;
    out = o->out                          ? strdup(o->out)
          : o->emit_llvm || o->asm_out ? default_output(o->pel_input, ll ? ".ll" : ".s")
          : o->compile_only             ? default_output(o->pel_input, ".o")
                                        : default_output(o->pel_input, "");
    if (overwrites_input(o, res.prog, out, d)) goto done;
    if (o->dep_path && overwrites_input(o, res.prog, o->dep_path, d)) goto done;
    if (o->emit_llvm || o->asm_out) {
        status = cg_write(m, ll ? CG_LLVM_IR : CG_ASM, out, d) ? 0 : 1;
    } else if (o->compile_only) {
        status = cg_write(m, CG_OBJECT, out, d) ? 0 : 1;
    } else {
        int fd = mkstemps(tmp_obj, 2);
        if (fd < 0) {
            diag_plain(d, "cannot create a temporary file: %s", strerror(errno));
            goto done;
        }
        close(fd);
        have_tmp = true;
        if (!cg_write(m, CG_OBJECT, tmp_obj, d)) goto done;
        status = link_executable(o, tmp_obj, out, d);
    }
    if (status == 0 && (o->dep_file || o->dep_path) && !write_depfile(o, res.prog, out, d)) status = 1;
done:
    if (have_tmp) unlink(tmp_obj);
    cg_free(res.module);
    free(out);
    arena_free(&arena);
    return status;
}

int main(int argc, char **argv) {
    Diag d;
    diag_init(&d, stderr, "pelc");
    Options o = {0};
    int st = parse_args(argc, argv, &o, &d);
    if (st < 0 && !compile_c(&o, &d)) st = 1;
    if (st < 0) {
        if (o.pel_input) st = compile(&o, &d);
        else st = overwrites_input(&o, NULL, o.out ? o.out : "a.out", &d) ? 1 : link_objects(&o, o.out ? o.out : "a.out", &d);
    }
    unlink_c(&o);
    free(o.link_inputs);
    free(o.incdirs);
    free(o.c_inputs);
    return st;
}
