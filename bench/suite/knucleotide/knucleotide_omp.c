/* The k-nucleotide benchmark of the Computer Language Benchmarks Game with
 * OpenMP: the same algorithm as knucleotide.pel and knucleotide.c. Reads
 * the FASTA file named by the first argument (written by fasta.c), takes
 * the sequence after the header >THREE and counts its overlapping k-mers
 * for k = 1, 2, 3, 4, 6, 12 and 18: every k-mer encoded in 2 bits a
 * nucleotide (A 0, C 1, T 2, G 3), the codes sorted by a stable top-down
 * merge sort, each run of equal codes one entry (code, count), counts
 * looked up by binary search. The seven tables are independent: a
 * `parallel for` over the k (dynamic schedule, one k at a time), each table
 * built serially. Prints the tables of k = 1 and 2 by count descending then
 * name, as percentages with 3 decimals, then the counts of GGT, GGTA,
 * GGTATT, GGTATTTTAATT and GGTATTTTAATTTATAGT.
 * Usage: OMP_NUM_THREADS=T knucleotide_omp FILE */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NK 7
static const int64_t ks[NK] = {1, 2, 3, 4, 6, 12, 18};

struct count {
    int64_t key, count;
};

static void *alloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "knucleotide: out of memory\n");
        exit(1);
    }
    return p;
}

/* merge the sorted runs src[lo, mid) and src[mid, hi) into dst[lo, hi) */
static void merge(const int64_t *src, int64_t *dst, int64_t lo, int64_t mid, int64_t hi)
{
    int64_t i = lo, j = mid, k = lo;
    while (i < mid && j < hi)
        dst[k++] = src[j] < src[i] ? src[j++] : src[i++];
    while (i < mid)
        dst[k++] = src[i++];
    while (j < hi)
        dst[k++] = src[j++];
}

/* sort a[lo, hi) using tmp[lo, hi) as scratch */
static void merge_sort(int64_t *a, int64_t *tmp, int64_t lo, int64_t hi)
{
    if (hi - lo <= 16) {
        for (int64_t i = lo + 1; i < hi; i++) {
            int64_t v = a[i], j = i;
            for (; j > lo && a[j - 1] > v; j--)
                a[j] = a[j - 1];
            a[j] = v;
        }
        return;
    }
    int64_t mid = lo + (hi - lo) / 2;
    merge_sort(a, tmp, lo, mid);
    merge_sort(a, tmp, mid, hi);
    merge(a, tmp, lo, mid, hi);
    memcpy(a + lo, tmp + lo, (size_t)(hi - lo) * sizeof *a);
}

/* the table of every k-mer of codes[0, n) with its count, ascending by key;
 * its length goes to *len */
static struct count *frequencies(const int64_t *codes, int64_t n, int64_t k, int64_t *len)
{
    int64_t m = n - k + 1 > 0 ? n - k + 1 : 0;
    int64_t *keys = alloc((size_t)m * sizeof *keys);
    int64_t *tmp = alloc((size_t)m * sizeof *tmp);
    for (int64_t i = 0; i < m; i++) {
        int64_t key = 0;
        for (int64_t j = 0; j < k; j++)
            key = key * 4 + codes[i + j];
        keys[i] = key;
    }
    merge_sort(keys, tmp, 0, m);
    free(tmp);
    int64_t runs = 0;
    for (int64_t i = 0; i < m; i++)
        runs += i == 0 || keys[i] != keys[i - 1];
    struct count *t = alloc((size_t)runs * sizeof *t);
    int64_t r = 0;
    for (int64_t i = 0; i < m; i++) {
        if (i == 0 || keys[i] != keys[i - 1])
            t[r++] = (struct count){keys[i], 0};
        t[r - 1].count++;
    }
    free(keys);
    *len = runs;
    return t;
}

/* the count of key in table t (0 when absent), by binary search */
static int64_t count_of(const struct count *t, int64_t len, int64_t key)
{
    int64_t lo = 0, hi = len;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (t[mid].key == key)
            return t[mid].count;
        if (t[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static int64_t encode(const char *s)
{
    int64_t key = 0;
    for (; *s; s++)
        key = key * 4 + ((*s >> 1) & 3);
    return key;
}

static void name(int64_t key, int64_t k, char *out)
{
    for (int64_t p = 0; p < k; p++)
        out[p] = "ACTG"[(key >> (2 * (k - 1 - p))) & 3];
    out[k] = '\0';
}

struct entry {
    char name[4];
    int64_t count;
};

/* count descending, then name ascending */
static int by_frequency(const void *x, const void *y)
{
    const struct entry *a = x, *b = y;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return strcmp(a->name, b->name);
}

static void print_table(const struct count *t, int64_t len, int64_t k)
{
    struct entry e[16];
    int64_t total = 0;
    for (int64_t i = 0; i < len; i++) {
        name(t[i].key, k, e[i].name);
        e[i].count = t[i].count;
        total += t[i].count;
    }
    qsort(e, (size_t)len, sizeof e[0], by_frequency);
    for (int64_t i = 0; i < len; i++)
        printf("%s %.3f\n", e[i].name, 100.0 * (double)e[i].count / (double)total);
    printf("\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: knucleotide FILE\n");
        return 1;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = alloc((size_t)size + 1);
    if (fread(text, 1, (size_t)size, f) != (size_t)size) {
        perror(argv[1]);
        return 1;
    }
    fclose(f);
    text[size] = '\0';

    /* the lines after the header >THREE, up to the next header */
    char *p = strstr(text, ">THREE");
    if (!p) {
        fprintf(stderr, "knucleotide: no sequence THREE in %s\n", argv[1]);
        return 1;
    }
    p = strchr(p, '\n');
    p = p ? p + 1 : text + size;
    int64_t *codes = alloc((size_t)(text + size - p) * sizeof *codes);
    int64_t n = 0;
    for (; *p && *p != '>'; p++)
        if (*p != '\n')
            codes[n++] = (*p >> 1) & 3;
    free(text);

    struct count *tables[NK];
    int64_t lens[NK];
#pragma omp parallel for schedule(dynamic, 1)
    for (int i = 0; i < NK; i++)
        tables[i] = frequencies(codes, n, ks[i], &lens[i]);

    print_table(tables[0], lens[0], 1);
    print_table(tables[1], lens[1], 2);
    static const char *wanted[] = {"GGT", "GGTA", "GGTATT", "GGTATTTTAATT", "GGTATTTTAATTTATAGT"};
    for (int i = 0; i < 5; i++)
        printf("%ld\t%s\n", (long)count_of(tables[i + 2], lens[i + 2], encode(wanted[i])), wanted[i]);
    for (int i = 0; i < NK; i++)
        free(tables[i]);
    free(codes);
    return 0;
}
