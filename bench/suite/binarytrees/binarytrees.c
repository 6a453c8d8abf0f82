/* binary-trees from the Computer Language Benchmarks Game, serial: the same
 * algorithm as binarytrees.pel. A node is malloc'd with two children; NULL
 * is the leaf, so a tree of depth 0 is one node with two NULL children. The
 * check of a tree is its number of nodes. Trees are freed by a recursive
 * walk when they are done with.
 * Usage: binarytrees [MAX_DEPTH]   (default 18; at least 6 is used). */
#include <stdio.h>
#include <stdlib.h>

typedef struct Node {
    struct Node *left, *right;
} Node;

#define MIN_DEPTH 4

static Node *make(long d)
{
    Node *t = malloc(sizeof *t);
    if (!t) {
        perror("malloc");
        exit(1);
    }
    if (d == 0) {
        t->left = t->right = NULL;
    } else {
        t->left = make(d - 1);
        t->right = make(d - 1);
    }
    return t;
}

static long check(const Node *t)
{
    return t ? 1 + check(t->left) + check(t->right) : 0;
}

static void drop(Node *t)
{
    if (t) {
        drop(t->left);
        drop(t->right);
        free(t);
    }
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 18;
    long max_depth = n > MIN_DEPTH + 2 ? n : MIN_DEPTH + 2;

    long stretch = max_depth + 1;
    Node *s = make(stretch);
    printf("stretch tree of depth %ld\t check: %ld\n", stretch, check(s));
    drop(s);

    Node *long_lived = make(max_depth);
    for (long d = MIN_DEPTH; d <= max_depth; d += 2) {
        long iterations = 1L << (max_depth - d + MIN_DEPTH);
        long total = 0;
        for (long i = 0; i < iterations; i++) {
            Node *t = make(d);
            total += check(t);
            drop(t);
        }
        printf("%ld\t trees of depth %ld\t check: %ld\n", iterations, d, total);
    }
    printf("long lived tree of depth %ld\t check: %ld\n", max_depth, check(long_lived));
    drop(long_lived);
    return 0;
}
