/* fasta from the Computer Language Benchmarks Game, the input generator of
 * the knucleotide benchmark: three DNA sequences in FASTA format, 60
 * nucleotides a line.
 *   >ONE Homo sapiens alu        2n nucleotides: the 287-letter ALU
 *                                sequence repeated
 *   >TWO IUB ambiguity codes     3n letters drawn at random with the IUB
 *                                frequencies (acgt and 11 ambiguity codes)
 *   >THREE Homo sapiens frequency  5n letters drawn with the frequencies of
 *                                acgt in the human genome
 * The random letters come from the Benchmarks Game's linear congruential
 * generator: last = (last * 3877 + 29573) % 139968 from last = 42, giving
 * r = last / 139968.0; the letter drawn is the first whose cumulative
 * probability (summed in double, in table order) exceeds r. TWO and THREE
 * share one generator, so THREE depends on TWO.
 *
 *   clang-19 -std=c11 -O2 fasta.c -o fasta
 *   ./fasta 25000 > input.txt      (or ./fasta 25000 input.txt)
 *
 * n is the first argument (default 1000); the output goes to the file named
 * by the second argument, or to stdout when there is none (bench/run
 * redirects stdout into the input file). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE 60
#define IM 139968
#define IA 3877
#define IC 29573

static const char alu[] =
    "GGCCGGGCGCGGTGGCTCACGCCTGTAATCCCAGCACTTTGG"
    "GAGGCCGAGGCGGGCGGATCACCTGAGGTCAGGAGTTCGAGA"
    "CCAGCCTGGCCAACATGGTGAAACCCCGTCTCTACTAAAAAT"
    "ACAAAAATTAGCCGGGCGTGGTGGCGCGCGCCTGTAATCCCA"
    "GCTACTCGGGAGGCTGAGGCAGGAGAATCGCTTGAACCCGGG"
    "AGGCGGAGGTTGCAGTGAGCCGAGATCGCGCCACTGCACTCC"
    "AGCCTGGGCGACAGAGCGAGACTCCGTCTCAAAAA";

struct freq {
    char c;
    double p;
};

static struct freq iub[] = {
    {'a', 0.27}, {'c', 0.12}, {'g', 0.12}, {'t', 0.27},
    {'B', 0.02}, {'D', 0.02}, {'H', 0.02}, {'K', 0.02},
    {'M', 0.02}, {'N', 0.02}, {'R', 0.02}, {'S', 0.02},
    {'V', 0.02}, {'W', 0.02}, {'Y', 0.02},
};

static struct freq homosapiens[] = {
    {'a', 0.3029549426680},
    {'c', 0.1979883004921},
    {'g', 0.1975473066391},
    {'t', 0.3015094502008},
};

static long last = 42;

static double random_unit(void)
{
    last = (last * IA + IC) % IM;
    return (double)last / IM;
}

/* the probabilities become cumulative */
static void cumulative(struct freq *f, int count)
{
    double p = 0.0;
    for (int i = 0; i < count; i++) {
        p += f[i].p;
        f[i].p = p;
    }
}

static char pick(const struct freq *f, int count)
{
    double r = random_unit();
    for (int i = 0; i < count - 1; i++)
        if (r < f[i].p)
            return f[i].c;
    return f[count - 1].c;
}

static void repeat_fasta(FILE *out, const char *id, const char *desc, const char *s, long n)
{
    long len = (long)strlen(s), k = 0;
    char line[LINE + 1];
    fprintf(out, ">%s %s\n", id, desc);
    for (long todo = n; todo > 0; todo -= LINE) {
        long m = todo < LINE ? todo : LINE;
        for (long i = 0; i < m; i++) {
            line[i] = s[k];
            k = k + 1 == len ? 0 : k + 1;
        }
        line[m] = '\n';
        fwrite(line, 1, (size_t)m + 1, out);
    }
}

static void random_fasta(FILE *out, const char *id, const char *desc, struct freq *f, int count, long n)
{
    char line[LINE + 1];
    cumulative(f, count);
    fprintf(out, ">%s %s\n", id, desc);
    for (long todo = n; todo > 0; todo -= LINE) {
        long m = todo < LINE ? todo : LINE;
        for (long i = 0; i < m; i++)
            line[i] = pick(f, count);
        line[m] = '\n';
        fwrite(line, 1, (size_t)m + 1, out);
    }
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000;
    FILE *out = stdout;
    if (argc > 2 && !(out = fopen(argv[2], "w"))) {
        perror(argv[2]);
        return 1;
    }
    repeat_fasta(out, "ONE", "Homo sapiens alu", alu, 2 * n);
    random_fasta(out, "TWO", "IUB ambiguity codes", iub, (int)(sizeof iub / sizeof iub[0]), 3 * n);
    random_fasta(out, "THREE", "Homo sapiens frequency", homosapiens,
                 (int)(sizeof homosapiens / sizeof homosapiens[0]), 5 * n);
    if (fclose(out) != 0) {
        perror("fasta");
        return 1;
    }
    return 0;
}
