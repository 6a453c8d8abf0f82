/* Serial C reference for the tree-sum benchmark: the same recursions as
 * tree.pel.in over malloc'd nodes. Build a complete binary tree of
 * 2^depth - 1 nodes (node i holds i, children 2i and 2i + 1), sum its keys,
 * free it, print the sum.
 * Usage: tree_serial DEPTH   -- prints (2^DEPTH - 1) * 2^DEPTH / 2. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

struct node {
    struct node *left;
    int64_t value;
    struct node *right;
};

static struct node *build(int64_t depth, int64_t i)
{
    if (depth == 0)
        return NULL; /* a Leaf */
    struct node *l = build(depth - 1, 2 * i);
    struct node *r = build(depth - 1, 2 * i + 1);
    struct node *n = malloc(sizeof *n);
    if (!n) {
        fprintf(stderr, "tree_serial: out of memory\n");
        exit(1);
    }
    n->left = l;
    n->value = i;
    n->right = r;
    return n;
}

static int64_t total(const struct node *t)
{
    if (!t)
        return 0;
    return total(t->left) + t->value + total(t->right);
}

static void release(struct node *t)
{
    if (!t)
        return;
    release(t->left);
    release(t->right);
    free(t);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s DEPTH\n", argv[0]);
        return 2;
    }
    char *end;
    errno = 0;
    long depth = strtol(argv[1], &end, 10);
    /* Past 30 the tree would not fit in memory anyway. */
    if (errno || *end || depth < 0 || depth > 30) {
        fprintf(stderr, "%s: DEPTH must be an integer in 0..30\n", argv[0]);
        return 2;
    }
    struct node *t = build(depth, 1);
    printf("%" PRId64 "\n", total(t));
    release(t);
    return 0;
}
