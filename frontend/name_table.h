/* name_table.h — names to declarations, for the checker's scopes.
 *
 * One module's functions, types and constructors are looked up by name for
 * every use, so a lookup must not be a scan: a file of 10^5 declarations
 * checks in linear time. Open addressing in the checker's arena; the table
 * doubles when half full (the old slots stay in the arena until it is
 * freed). */
#ifndef PEL_NAME_TABLE_H
#define PEL_NAME_TABLE_H

#include <stddef.h>

#include "ast.h"

typedef struct NameSlot {
    const char *name; /* NULL: empty */
    void *item;
} NameSlot;

typedef struct NameTable {
    NameSlot *slots;
    size_t cap; /* 0 or a power of two */
    size_t len;
} NameTable;

void *names_find(const NameTable *t, const char *name); /* NULL: not there */
/* Adds name -> item unless the name is there; then returns the item it
 * has and adds nothing. NULL when added. */
void *names_add(Arena *a, NameTable *t, const char *name, void *item);

#endif
