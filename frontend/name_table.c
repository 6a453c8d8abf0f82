/* name_table.c — see name_table.h. */
#include "name_table.h"

#include <stdint.h>
#include <string.h>

static uint64_t name_hash(const char *s)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static NameSlot *slot_of(NameSlot *slots, size_t cap, const char *name)
{
    size_t i = name_hash(name) & (cap - 1);
    while (slots[i].name && strcmp(slots[i].name, name) != 0)
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

void *names_find(const NameTable *t, const char *name)
{
    if (!t->cap)
        return NULL;
    return slot_of(t->slots, t->cap, name)->item;
}

void *names_add(Arena *a, NameTable *t, const char *name, void *item)
{
    if (2 * (t->len + 1) > t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 16;
        NameSlot *slots = ARENA_ARRAY(a, NameSlot, cap);
        for (size_t i = 0; i < t->cap; i++)
            if (t->slots[i].name)
                *slot_of(slots, cap, t->slots[i].name) = t->slots[i];
        t->slots = slots;
        t->cap = cap;
    }
    NameSlot *s = slot_of(t->slots, t->cap, name);
    if (s->name)
        return s->item;
    s->name = name;
    s->item = item;
    t->len++;
    return NULL;
}
