/* repl.h — the REPL of `pel` (docs/repl.md has the design).
 *
 *   repl_session.c  the session (definitions kept as source) and the whole
 *                   program each input is compiled as
 *   repl_eval.c     running one compiled input in a forked child
 *   repl_loop.c     reading inputs (script or terminal) and the :commands
 *   repl_term.c     the terminal: libedit line editing and history
 */
#ifndef PEL_REPL_H
#define PEL_REPL_H

#include <signal.h>
#include <stdbool.h>

#include "pel_tool.h"
#include "pipeline.h"

/* ---- repl_session.c ---- */
typedef struct Session Session;

typedef enum ReplShow {
    SHOW_TYPED, /* the REPL: "value : type" */
    SHOW_VALUE, /* pel -e: the value only, nothing for () */
} ReplShow;

/* argv: what args() sees (argv[0] is not part of it) */
Session *session_new(const PelOptions *o, int argc, char **argv);
void session_free(Session *s);
/* One complete input: definitions are kept, statements are evaluated and
 * their value printed. Errors are printed; returns false after one. */
bool session_eval(Session *s, const char *text, ReplShow show, bool timed);
bool session_type(Session *s, const char *text); /* :type */
bool session_graph(Session *s, const char *name); /* :graph */
bool session_load(Session *s, const char *path); /* :load */

/* ---- repl_eval.c ---- */
typedef struct ReplJob {
    /* the input's program, checked and with its task graph: the child runs
     * the rest of the pipeline (codegen) on it */
    Arena *arena;
    PelCompile *compile;
    PelCompiled *done;
    int argc;
    char **argv;
    bool timed; /* :time: print the wall time and the worker count */
} ReplJob;
/* Compiles and runs the job in a child process; true if it ran to the end.
 * A runtime error (printed by the child), a crash or an interrupt is false. */
bool repl_run(const ReplJob *job);
/* SIGINT handling for the whole session: Ctrl-C interrupts an evaluation
 * (repl_run) or, at the prompt, the line being typed (repl_term.c). */
void repl_signals_init(void);
extern volatile sig_atomic_t repl_interrupted; /* set by SIGINT, cleared by readers */

/* ---- repl_loop.c ---- */
/* The REPL on stdin: a terminal gets prompts and line editing, anything
 * else is read as a script. Returns the exit status. */
int repl_main(const PelOptions *o);
/* pel -e: one input, its value printed without the type. */
int repl_eval_one(const PelOptions *o, const char *text, int argc, char **argv);

/* ---- repl_term.c ---- */
/* Reads one line with libedit (prompt shown); NULL at end of input.
 * *interrupted is set when Ctrl-C abandoned the line (the result is then
 * an empty line). The line is malloc'ed. */
char *term_read_line(const char *prompt, bool *interrupted);
void term_init(void);
void term_add_history(const char *input);
void term_fini(void);

#endif
