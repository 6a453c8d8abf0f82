/* repl_term.c — the terminal side of the REPL: libedit (Debian's BSD
 * editline) for line editing, and the history file.
 *
 * libedit's readline() returns NULL both at end of input (Ctrl-D) and when
 * a signal interrupts its read; SIGINT is installed without SA_RESTART
 * (repl_eval.c) so Ctrl-C does the latter, and repl_interrupted tells the
 * two apart. The history holds one entry per input (a multi-line function
 * stays one entry) and is saved after every input, so a session that is
 * killed keeps what was typed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <editline/readline.h>

#include "repl.h"

#define HISTORY_MAX 1000

static char *history_path;

void term_init(void) {
    using_history();
    stifle_history(HISTORY_MAX);
    const char *env = getenv("PEL_HISTORY");
    if (env && *env) {
        history_path = strdup(env);
    } else {
        const char *home = getenv("HOME");
        if (home && *home) {
            size_t n = strlen(home) + sizeof "/.pel_history";
            history_path = malloc(n);
            if (history_path) snprintf(history_path, n, "%s/.pel_history", home);
        }
    }
    /* a missing or unreadable file is an empty history, not an error */
    if (history_path) read_history(history_path);
}

char *term_read_line(const char *prompt, bool *interrupted) {
    repl_interrupted = 0;
    char *line = readline(prompt);
    *interrupted = false;
    if (!line && repl_interrupted) {
        /* the cursor is still after what was typed: start a fresh line */
        fputs("\n", stdout);
        fflush(stdout);
        *interrupted = true;
        return strdup("");
    }
    return line;
}

void term_add_history(const char *input) {
    size_t n = strlen(input);
    while (n > 0 && input[n - 1] == '\n') n--;
    if (n == 0) return;
    char *entry = strndup(input, n);
    if (!entry) return;
    add_history(entry);
    free(entry);
    if (history_path) write_history(history_path);
}

void term_fini(void) {
    free(history_path);
    history_path = NULL;
}
