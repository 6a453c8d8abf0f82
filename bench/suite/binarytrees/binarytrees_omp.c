/* binary-trees from the Computer Language Benchmarks Game with OpenMP: the
 * same as binarytrees.c, with the iterations of each depth (independent
 * trees) split over the threads by a parallel for with a sum reduction.
 * malloc/free are the C library's (thread-safe).
 * Usage: OMP_NUM_THREADS=T binarytrees_omp [MAX_DEPTH]   (default 18). */
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
#pragma omp parallel for schedule(static) reduction(+ : total)
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
