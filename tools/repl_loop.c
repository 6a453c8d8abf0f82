/* repl_loop.c — reading REPL inputs and running the :commands.
 *
 * An input is one or more lines: it goes on while the lexer says it is
 * unfinished (a bracket open, a last token that cannot end a statement;
 * parse_input_shape). A line that starts with ':' when no input is pending
 * is a command. With a terminal on stdin the lines come from libedit with
 * the prompts "pel> " and "...> "; otherwise stdin is a script read line
 * by line, without prompts, and the exit status says whether every input
 * succeeded. Only :quit and the end of input (Ctrl-D) end the session.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parse.h"
#include "repl.h"

#ifndef PEL_VERSION
#define PEL_VERSION "0.1.0"
#endif

static const char help[] =
    "Type an expression to see its value and type, or a definition to keep it:\n"
    "  fn f(x: i64) -> i64 = x * 2    functions (a new f replaces the old one)\n"
    "  let xs = 0..10                 values, for the inputs that follow\n"
    "  f(21)                          prints 42 : i64\n"
    "An input goes on over several lines while a bracket is open or a line\n"
    "ends in an operator or ','. Commands:\n"
    "  :type EXPR     the type of EXPR, without running it\n"
    "  :time EXPR     evaluate EXPR, then the wall time and the worker count\n"
    "  :graph NAME    the task graph of function NAME (Graphviz DOT)\n"
    "  :load FILE     add the definitions of a .pel file\n"
    "  :help          this text\n"
    "  :quit          end the session (so does Ctrl-D)\n"
    "Ctrl-C abandons the line being typed, or interrupts an evaluation.\n";

typedef struct Text {
    char *s;
    size_t len, cap;
} Text;

static bool text_append(Text *t, const char *s, size_t n) {
    if (t->len + n + 2 > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (t->len + n + 2 > cap) cap *= 2;
        char *p = realloc(t->s, cap);
        if (!p) return false;
        t->s = p;
        t->cap = cap;
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = 0;
    return true;
}

static char *trim(char *s) {
    while (isspace((unsigned char)*s)) s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1])) s[--n] = 0;
    return s;
}

typedef enum CmdResult { CMD_OK, CMD_FAILED, CMD_QUIT } CmdResult;

/* `line` starts with ':' */
static CmdResult command(Session *s, char *line) {
    char *p = line + 1;
    char *name = p;
    while (*p && !isspace((unsigned char)*p)) p++;
    if (*p) *p++ = 0;
    char *arg = trim(p);
    bool need_arg = false;
    bool ok = true;
    if (strcmp(name, "quit") == 0 || strcmp(name, "q") == 0) {
        return CMD_QUIT;
    } else if (strcmp(name, "help") == 0 || strcmp(name, "h") == 0 || strcmp(name, "?") == 0) {
        fputs(help, stdout);
        fflush(stdout);
    } else if (strcmp(name, "type") == 0 || strcmp(name, "t") == 0) {
        if (!(need_arg = !*arg)) ok = session_type(s, arg);
    } else if (strcmp(name, "time") == 0) {
        if (!(need_arg = !*arg)) ok = session_eval(s, arg, SHOW_TYPED, true);
    } else if (strcmp(name, "graph") == 0) {
        if (!(need_arg = !*arg)) ok = session_graph(s, arg);
    } else if (strcmp(name, "load") == 0 || strcmp(name, "l") == 0) {
        if (!(need_arg = !*arg)) ok = session_load(s, arg);
    } else {
        fprintf(stderr, "pel: error: unknown command ':%s'\nhint: :help lists the commands\n", name);
        return CMD_FAILED;
    }
    if (need_arg) {
        fprintf(stderr, "pel: error: :%s needs an argument\nhint: :help lists the commands\n", name);
        return CMD_FAILED;
    }
    return ok ? CMD_OK : CMD_FAILED;
}

static bool is_command(const char *line) {
    while (*line == ' ' || *line == '\t') line++;
    return *line == ':';
}

/* One line without its newline, malloc'ed; NULL at the end of input. */
static char *next_line(bool tty, bool continued, bool *interrupted, bool *bad) {
    *interrupted = *bad = false;
    repl_interrupted = 0; /* a Ctrl-C from before this input is spent */
    if (tty) return term_read_line(continued ? "...> " : "pel> ", interrupted);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (n < 0) {
        free(line);
        return NULL;
    }
    if (n > 0 && line[n - 1] == '\n') line[--n] = 0;
    if (memchr(line, 0, (size_t)n)) *bad = true; /* the lexer needs NUL-free text */
    return line;
}

int repl_main(const PelOptions *o) {
    bool tty = isatty(0);
    static char *no_args[] = {"pel", NULL};
    Session *s = session_new(o, 1, no_args);
    if (!s) {
        fputs("pel: error: out of memory\n", stderr);
        return 1;
    }
    repl_signals_init();
    if (tty) {
        term_init();
        printf("PEL %s  (:help for help, Ctrl-D to quit)\n", PEL_VERSION);
        fflush(stdout);
    }
    Text input = {0};
    InputScan *scan = NULL; /* the shape of the pending input, line by line */
    int failures = 0;
    bool quit = false;
    for (;;) {
        bool interrupted, bad;
        char *line = next_line(tty, input.len > 0, &interrupted, &bad);
        if (!line) break;
        if (interrupted || bad) {
            if (bad) {
                fputs("pel: error: <repl>: the line contains a NUL byte; the input is dropped\n", stderr);
                failures++;
            }
            input.len = 0;
            input_scan_free(scan);
            scan = NULL;
            free(line);
            continue;
        }
        if (input.len == 0 && is_command(line)) {
            if (tty) term_add_history(line);
            CmdResult r = command(s, trim(line));
            free(line);
            if (r == CMD_QUIT) {
                quit = true;
                break;
            }
            failures += r == CMD_FAILED;
            continue;
        }
        if (!scan) scan = input_scan_new();
        bool fits = scan && input.len + strlen(line) < PEL_MAX_SOURCE &&
                    text_append(&input, line, strlen(line)) && text_append(&input, "\n", 1);
        bool more = fits && input_scan_line(scan, line).needs_more;
        free(line);
        if (!fits) {
            fputs("pel: error: <repl>: the input is too long; it is dropped\n", stderr);
            failures++;
        } else if (more) {
            continue;
        } else {
            if (tty) term_add_history(input.s);
            failures += !session_eval(s, input.s, SHOW_TYPED, false);
        }
        input.len = 0;
        input_scan_free(scan);
        scan = NULL;
    }
    input_scan_free(scan);
    /* an unfinished input at the end is still evaluated: its error says
     * what was missing */
    if (input.len > 0) failures += !session_eval(s, input.s, SHOW_TYPED, false);
    if (tty) {
        if (!quit) fputs("\n", stdout); /* Ctrl-D left the cursor on the prompt line */
        term_fini();
    }
    free(input.s);
    session_free(s);
    return !tty && failures > 0 ? 1 : 0;
}

int repl_eval_one(const PelOptions *o, const char *text, int argc, char **argv) {
    Session *s = session_new(o, argc, argv);
    if (!s) {
        fputs("pel: error: out of memory\n", stderr);
        return 1;
    }
    repl_signals_init();
    bool ok = session_eval(s, text, SHOW_VALUE, false);
    session_free(s);
    return ok ? 0 : 1;
}
