/* pel.h — calling PEL from C (spec 9).
 *
 * A PEL module's `export fn` functions are C functions of the same name;
 * `pelc --emit-header out.h module.pel` writes their prototypes, which
 * include this file. Link the module's object (`pelc -c module.pel`) with
 * the PEL libraries: `cc prog.c module.o $(pkg-config --cflags --libs pel)`.
 *
 * Types: PEL's i64 is int64_t, f64 double, bool bool, str a
 * NUL-terminated `const char *` (UTF-8 bytes, passed through).
 *  - A string argument is copied when the call starts: C keeps its own.
 *  - A string result is a new malloc'd copy: free() it.
 *
 * The runtime starts itself on the first call of an exported function,
 * from any thread (PEL_WORKERS, PEL_STATS, ... are read then), runs the
 * function on its workers and returns when it is done, with its output
 * written (PEL's stdout buffer is flushed, and C's stdout before the call).
 * Calls from several C threads take turns. The workers stop, and what is
 * left of the output is written, at exit(). A runtime error inside a call
 * (an index out of bounds, a failed assert, ...) prints its located
 * message to stderr and exits the process with status 1, as a PEL program
 * would. */
#ifndef PEL_H
#define PEL_H

#include <stdbool.h>
#include <stdint.h>

#define PEL_VERSION_MAJOR 0
#define PEL_VERSION_MINOR 1

#endif
