/* fuzz_repl_scan.c — the REPL's view of its input (input_shape.c): is it
 * finished, definitions or statements.
 *
 * The input is read as the REPL reads it (repl_loop.c): line by line into
 * an InputScan, until a line leaves nothing open; that input is then
 * classified whole by parse_input_shape, as session_eval does, and the next
 * line starts a new one. The oracle is the one test_input_shape.c states:
 * the shape of lines fed one at a time and the shape of their text whole
 * must agree (kind and needs_more).
 *
 * One disagreement is known and tolerated: the lexer looks past a newline
 * in a few places (else_follows: `}` then `else` on the next line is an
 * error), which a line scanned alone cannot see, so the lines may still ask
 * for more where the whole text already has a lexical error. The REPL then
 * reads on and the parser reports the error at the end: late, not wrong.
 * The other way round (the lines complete, the whole text not: the REPL
 * would cut an input in two) and a different kind are bugs.
 * PEL_FUZZ_SHAPE_ORACLE=strict tolerates nothing; =0 only looks for
 * crashes.
 */
#include "fuzz_common.h"

#include "parse.h"

#define MAX_INPUT (64u << 10)

static int oracle = 1; /* 0: none, 1: tolerant, 2: strict */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *o = getenv("PEL_FUZZ_SHAPE_ORACLE");
    if (o && strcmp(o, "0") == 0)
        oracle = 0;
    else if (o && strcmp(o, "strict") == 0)
        oracle = 2;
    return 0;
}

static const char *kind_name(InputKind k)
{
    return k == INPUT_EMPTY ? "empty" : k == INPUT_DECLS ? "decls" : k == INPUT_STMTS ? "stmts" : "?";
}

/* how many lexical errors the text has, lexed whole */
static int lex_errors(const char *text)
{
    Arena a = { 0 };
    Diag d;
    diag_init(&d, fuzz_devnull(), "pel");
    Token *toks;
    lex_all(&a, &d, src_from_string(&a, "<input>", text), &toks);
    arena_free(&a);
    return d.errors;
}

/* does the text have a closing bracket that matches no opener? */
static bool mismatched(const char *text)
{
    Arena a = { 0 };
    Diag d;
    diag_init(&d, fuzz_devnull(), "pel");
    Token *toks;
    int n = lex_all(&a, &d, src_from_string(&a, "<input>", text), &toks);
    char stack[256];
    int depth = 0;
    bool bad = false;
    for (int i = 0; i < n && !bad; i++) {
        char ch = toks[i].len == 1 ? toks[i].start[0] : 0;
        if (ch == '(' || ch == '[' || ch == '{') {
            if (depth < (int)sizeof stack)
                stack[depth] = ch;
            depth++;
        } else if (ch == ')' || ch == ']' || ch == '}') {
            char want = ch == ')' ? '(' : ch == ']' ? '[' : '{';
            bad = depth == 0 || (depth <= (int)sizeof stack && stack[depth - 1] != want);
            depth--;
        }
    }
    arena_free(&a);
    return bad;
}

/* The lines [start, end) of one input, whole, each line with its '\n' (the
 * last one too), as repl_loop.c builds the input it evaluates. */
static void check_whole(const char *start, const char *end, InputShape by_lines)
{
    size_t n = (size_t)(end - start);
    char *text = malloc(n + 2);
    if (!text)
        abort();
    memcpy(text, start, n);
    if (n == 0 || text[n - 1] != '\n')
        text[n++] = '\n';
    text[n] = 0;
    InputShape whole = parse_input_shape(text);
    bool differ = whole.kind != by_lines.kind || whole.needs_more != by_lines.needs_more;
    if (differ && oracle == 1 && whole.kind == by_lines.kind && (lex_errors(text) > 0 || mismatched(text)))
        differ = false;
    if (oracle && differ)
        FUZZ_BUG("input shape: line by line %s%s, whole %s%s, for:\n%s", kind_name(by_lines.kind),
                 by_lines.needs_more ? " (more)" : "", kind_name(whole.kind),
                 whole.needs_more ? " (more)" : "", text);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size, MAX_INPUT);
    if (!text)
        return -1;

    /* the whole text at once, as pel -e and :type see it */
    (void)parse_input_shape(text);

    /* the REPL: line by line */
    char *copy = strdup(text);
    if (!copy)
        abort();
    InputScan *s = NULL;
    const char *input = text; /* where the pending input begins in text */
    InputShape shape = { INPUT_EMPTY, false };
    char *p = copy;
    while (*p) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = 0;
        char *next = nl ? nl + 1 : p + strlen(p);
        if (!s)
            s = input_scan_new();
        if (!s)
            abort();
        shape = input_scan_line(s, p);
        if (!shape.needs_more) {
            /* finished: evaluated as one text (with this line's '\n') */
            check_whole(input, text + (next - copy), shape);
            input_scan_free(s);
            s = NULL;
            input = text + (next - copy);
        }
        p = next;
    }
    /* an unfinished input at the end is still evaluated */
    if (s) {
        check_whole(input, text + strlen(text), shape);
        input_scan_free(s);
    }
    free(copy);
    free(text);
    return 0;
}
