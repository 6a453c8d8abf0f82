/* ast_dump.h — the syntax tree as compact S-expressions, for tests and
 * debugging (the format is described in ast_dump.c). */
#ifndef PEL_AST_DUMP_H
#define PEL_AST_DUMP_H

#include <stdio.h>
#include "ast.h"

void ast_dump_expr(FILE *out, const Expr *e);
/* one line per import and function */
void ast_dump_module(FILE *out, const Module *m);

#endif
