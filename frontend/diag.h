/* diag.h — the one place compile-time messages are written.
 *
 * Every message has the form
 *     file:line:col: error: message
 *       12 |     let x = y + 1
 *          |             ^
 *     hint: ...
 * and goes to the Diag's stream (stderr in the tools). Errors are counted so
 * that the driver can stop after a phase that reported any.
 */
#ifndef PEL_DIAG_H
#define PEL_DIAG_H

#include <stdio.h>
#include "ast.h"

typedef struct Diag {
    FILE *out;
    const char *tool; /* "pelc" or "pel": begins the messages without a location */
    int errors;
    int warnings;
    int max_errors; /* stop printing after this many (0 = no limit) */
    bool color;     /* ANSI colours (only when out is a terminal) */
    bool muted;     /* the last error was past max_errors: drop its notes */
    /* -w: warnings are not shown (nor counted); -Werror: each is an
     * error. The REPL sets no_warnings: its session's lets are unused by
     * most inputs. */
    bool no_warnings;
    bool werror;
    /* checking a file that has syntax errors (pipeline.c): an error that a
     * dropped declaration may cause (diag_unknown) is counted, not shown */
    bool recovering;
} Diag;

/* max_errors = 50; colour when out is a terminal and NO_COLOR is unset or
 * empty. Past max_errors, one "too many errors, stopping" line is printed
 * and the rest is counted but not shown; the parser stops at that point. */
void diag_init(Diag *d, FILE *out, const char *tool);

/* error at loc; `fmt` is printf-style. A NULL loc.file prints no source. */
void diag_error(Diag *d, Loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* An error about a name that is not declared ("unknown function 'f'"):
 * like diag_error, but when recovering its declaration may be one the
 * parser dropped at a syntax error, so it is counted and not shown (with
 * its notes and hints). */
void diag_unknown(Diag *d, Loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* a warning at loc: printed like an error, counted apart (it does not stop
 * the compilation) */
void diag_warning(Diag *d, Loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* a "note:" attached to the previous error, e.g. where a '{' was opened */
void diag_note(Diag *d, Loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* a "hint:" line (no location) attached to the previous error */
void diag_hint(Diag *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* An error that has no source location (bad file, bad flag):
 * "TOOL: error: message", TOOL as given to diag_init. */
void diag_plain(Diag *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The candidate closest to name by edit distance, if close enough to be a
 * likely typo ("did you mean"), else NULL. NULL entries are skipped. */
const char *diag_closest(const char *name, const char *const *cands, int n);

#endif
