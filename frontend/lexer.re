/* lexer.re — PEL tokens from source bytes (re2c).
 *
 * The source text is NUL-terminated and src_load rejects NUL bytes, so the
 * NUL at `lim` is a sentinel and the scanner never needs to refill.
 *
 * Newlines follow Go's rule, with one deviation (docs/syntax.md): a newline
 * becomes a NEWLINE token when the previous token can end an expression, but
 * never while the innermost open bracket is '(' or '['. Inside '{' the rule
 * applies again. The bracket stack kept for this also gives the parser the
 * "to close '{' at line N" part of its messages, and lets the lexer notice a
 * declaration keyword at the start of a line while brackets are still open:
 * it then reports the unclosed bracket and invents the closing tokens, so the
 * parser goes on with the next declaration instead of drowning in follow-up
 * errors.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lex_support.h"

bool lexer_ends_stmt(int kind)
{
    switch (kind) {
    case T_IDENT: case T_INT: case T_FLOAT: case T_STRING:
    case T_KW_TRUE: case T_KW_FALSE:
    case T_RPAREN: case T_RBRACK: case T_RBRACE:
        return true;
    default:
        return false;
    }
}

void lexer_init(Lexer *L, Arena *a, Diag *d, const SrcFile *f)
{
    memset(L, 0, sizeof *L);
    L->arena = a;
    L->diag = d;
    L->file = f;
    L->cur = (const unsigned char *)f->text;
    L->lim = L->cur + f->len;
    L->line_start = L->cur;
    L->line = 1;
    L->last = L->prev = -1;
    L->skip_depth = -1;
    L->stack = ARENA_ARRAY(a, Bracket, PEL_MAX_NESTING);
    L->norec = ARENA_ARRAY(a, int, PEL_MAX_NESTING + 1);
}

static Loc loc_at(const Lexer *L, const unsigned char *p)
{
    return (Loc){ L->file, L->line, (int)(p - L->line_start) + 1 };
}

static char closer_of(char open)
{
    return open == '(' ? ')' : open == '[' ? ']' : '}';
}

static int closer_kind(char open)
{
    return open == '(' ? T_RPAREN : open == '[' ? T_RBRACK : T_RBRACE;
}

static bool too_many_errors(const Lexer *L)
{
    return L->diag->max_errors > 0 && L->diag->errors > L->diag->max_errors;
}

/* Describes one source character for a message: printable ASCII as itself,
 * a valid UTF-8 sequence as itself plus its code point, anything else as
 * \xHH. Returns how many bytes it covers. */
static int describe_char(const unsigned char *p, const unsigned char *lim,
                         char *buf, size_t size)
{
    unsigned c = p[0];
    if (c >= 0x20 && c < 0x7f) {
        snprintf(buf, size, "'%c'", (int)c);
        return 1;
    }
    int n = c >= 0xf0 && c < 0xf5 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
    if (c >= 0xf5)
        n = 0;
    if (n > 1 && p + n <= lim) {
        uint32_t cp = c & (0x7f >> n);
        bool ok = true;
        for (int i = 1; i < n; i++) {
            if ((p[i] & 0xc0) != 0x80)
                ok = false;
            cp = (cp << 6) | (p[i] & 0x3f);
        }
        /* reject overlong forms, surrogates and values past U+10FFFF */
        if (ok && !(n == 3 && cp < 0x800) && !(n == 4 && (cp < 0x10000 || cp > 0x10ffff))
            && !(cp >= 0xd800 && cp <= 0xdfff)) {
            snprintf(buf, size, "'%.*s' (U+%04" PRIX32 ")", n, (const char *)p, cp);
            return n;
        }
    }
    snprintf(buf, size, "'\\x%02X'", c);
    return 1;
}

/* ---- numbers and strings ------------------------------------------------ */

static int lex_int(Lexer *L, YYSTYPE *val)
{
    const unsigned char *p = L->tok;
    bool hex = p[0] == '0' && (p[1] == 'x' || p[1] == 'X');
    unsigned base = hex ? 16 : 10;
    uint64_t v = 0;
    bool overflow = false;
    for (p += hex ? 2 : 0; p < L->cur; p++) {
        if (*p == '_')
            continue;
        unsigned digit = *p <= '9' ? *p - '0' : (*p | 0x20) - 'a' + 10;
        if (v > (UINT64_MAX - digit) / base)
            overflow = true;
        else
            v = v * base + digit;
    }
    /* 9223372036854775808 is only valid right after a unary minus: -2^63 is
     * INT64_MIN. The minus is unary when the token before it cannot end an
     * expression. */
    bool after_unary_minus = L->last == T_MINUS && !lexer_ends_stmt(L->prev);
    if (overflow || v > (uint64_t)INT64_MAX + (after_unary_minus ? 1 : 0)) {
        diag_error(L->diag, loc_at(L, L->tok), "integer literal out of range");
        diag_hint(L->diag, "i64 holds -9223372036854775808 to 9223372036854775807");
        v = 0;
    }
    val->tok.u = v;
    return T_INT;
}

static int lex_float(Lexer *L, YYSTYPE *val)
{
    size_t n = (size_t)(L->cur - L->tok);
    char small[64];
    char *buf = n < sizeof small ? small : malloc(n + 1);
    if (!buf)
        abort();
    size_t k = 0;
    for (const unsigned char *p = L->tok; p < L->cur; p++)
        if (*p != '_')
            buf[k++] = (char)*p;
    buf[k] = 0;
    errno = 0;
    double f = strtod(buf, NULL);
    if (buf != small)
        free(buf);
    if (isinf(f)) {
        diag_error(L->diag, loc_at(L, L->tok), "float literal out of range");
        f = 0;
    }
    val->tok.f = f;
    return T_FLOAT;
}

/* After '.', a digit run is a field index: t.0.1 is t . 0 . 1. */
static int lex_field_index(Lexer *L, YYSTYPE *val)
{
    const unsigned char *p = L->tok;
    uint64_t v = 0;
    while (*p >= '0' && *p <= '9') {
        if (v < 1000000000)
            v = v * 10 + (*p - '0');
        p++;
    }
    L->cur = p;
    val->tok.u = v;
    return T_INT;
}

static int hexval(unsigned c)
{
    if (c >= '0' && c <= '9')
        return (int)(c - '0');
    c |= 0x20;
    if (c >= 'a' && c <= 'f')
        return (int)(c - 'a' + 10);
    return -1;
}

/* Decodes the string token [tok, cur) whose escapes the scanner has only
 * delimited; reports each bad escape at its own column. */
static int lex_string(Lexer *L, YYSTYPE *val)
{
    const unsigned char *end = L->cur;
    bool closed = end - L->tok >= 2 && end[-1] == '"';
    if (closed) {
        /* a final quote preceded by an odd run of backslashes is escaped */
        int bs = 0;
        for (const unsigned char *q = end - 2; q > L->tok && *q == '\\'; q--)
            bs++;
        closed = bs % 2 == 0;
    }
    if (!closed) {
        diag_error(L->diag, loc_at(L, L->tok), "unterminated string literal");
        diag_hint(L->diag, "a string must end on the line it starts; write \\n for a line break");
    } else {
        end--;
    }
    char *out = arena_alloc(L->arena, (size_t)(end - L->tok) + 1);
    size_t n = 0;
    for (const unsigned char *p = L->tok + 1; p < end; p++) {
        if (*p != '\\') {
            out[n++] = (char)*p;
            continue;
        }
        const unsigned char *esc = p;
        if (p + 1 >= end) /* a lone backslash at an unterminated end */
            break;
        switch (*++p) {
        case 'n': out[n++] = '\n'; break;
        case 't': out[n++] = '\t'; break;
        case 'r': out[n++] = '\r'; break;
        case '\\': out[n++] = '\\'; break;
        case '"': out[n++] = '"'; break;
        case '0': out[n++] = '\0'; break;
        case 'x': {
            int hi = p + 1 < end ? hexval(p[1]) : -1;
            int lo = hi >= 0 && p + 2 < end ? hexval(p[2]) : -1;
            if (hi < 0 || lo < 0) {
                diag_error(L->diag, loc_at(L, esc), "invalid escape: \\x needs two hex digits");
                break;
            }
            out[n++] = (char)(hi * 16 + lo);
            p += 2;
            break;
        }
        default: {
            char what[32];
            int len = describe_char(p, end, what, sizeof what);
            if (*p >= 0x20 && *p < 0x7f)
                diag_error(L->diag, loc_at(L, esc), "invalid escape sequence '\\%c'", *p);
            else
                diag_error(L->diag, loc_at(L, esc), "invalid escape sequence: '\\' before %s", what);
            diag_hint(L->diag, "valid escapes are \\n \\t \\r \\\\ \\\" \\0 \\xHH");
            p += len - 1;
            break;
        }
        }
    }
    out[n] = 0;
    val->tok.s = out;
    val->tok.len = n;
    return T_STRING;
}

/* ---- brackets ------------------------------------------------------------ */

static bool in_parens(const Lexer *L)
{
    return L->depth > 0 && (L->stack[L->depth - 1].ch != '{' || L->stack[L->depth - 1].record);
}

static int open_bracket(Lexer *L, char ch, int kind)
{
    if (L->depth == PEL_MAX_NESTING) {
        diag_error(L->diag, loc_at(L, L->tok), "expression nested too deeply");
        diag_hint(L->diag, "at most %d brackets may be open at once", PEL_MAX_NESTING);
        L->stop = true;
        return 0;
    }
    L->stack[L->depth++] = (Bracket){ ch, kind == T_LBRACE_REC, loc_at(L, L->tok) };
    return kind;
}

/* Ends the `if` condition or `match` scrutinee open at this depth (its
 * block starts, or a guard's `=>` comes) and any a closer left behind. */
static void end_norec(Lexer *L, bool here)
{
    while (L->nnorec > 0 && (L->norec[L->nnorec - 1] > L->depth
                             || (here && L->norec[L->nnorec - 1] == L->depth)))
        L->nnorec--;
}

/* After `Name {` where records are not allowed: does the text look like a
 * record literal anyway (`{ field:` or `{ ..`)? */
static bool looks_like_record(const Lexer *L)
{
    const unsigned char *p = L->cur;
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        p++;
    if (p[0] == '.' && p[1] == '.')
        return true;
    if (!((*p >= 'a' && *p <= 'z') || *p == '_'))
        return false;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_')
        p++;
    while (*p == ' ' || *p == '\t')
        p++;
    return p[0] == ':' && p[1] != ':';
}

/* '{': a record's brace after a type or constructor name (not a return
 * type's `-> Name {`, not right after an `if` condition or a `match`
 * scrutinee: spec 3.1 wants parentheses there, as Rust does), and every
 * brace of a `type` declaration. */
static int lex_lbrace(Lexer *L)
{
    bool cond = L->nnorec > 0 && L->norec[L->nnorec - 1] == L->depth;
    bool record = L->in_type || (L->last == T_IDENT && L->last_upper && L->prev != T_ARROW);
    if (record && cond && !L->in_type) {
        if (looks_like_record(L)) {
            diag_error(L->diag, loc_at(L, L->tok), "a record literal cannot stand here without parentheses");
            diag_hint(L->diag, "in an 'if' condition or a 'match' scrutinee, write it in parentheses: (%.*s { ... })",
                      (int)L->tok_len, L->tok_start);
        } else {
            record = false;
        }
    }
    if (!record) {
        end_norec(L, true);
        return open_bracket(L, '{', T_LBRACE);
    }
    return open_bracket(L, '{', T_LBRACE_REC);
}

/* In a `type` declaration, a newline followed by `|` continues it:
 *     type Shape =
 *       | Circle(f64)
 *       | Rect(f64, f64) */
static bool bar_follows(const Lexer *L)
{
    const unsigned char *p = L->cur;
    for (;;) {
        if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
            p++;
        } else if (*p == '#') {
            while (*p && *p != '\n')
                p++;
        } else {
            break;
        }
    }
    return p[0] == '|' && p[1] != '>';
}

/* A closer pops its opener. A mismatched closer pops down to the nearest
 * matching opener (the parser reports the mismatch), or nothing if none is
 * open, so one typo does not leave the newline rule confused for the rest of
 * the file. */
static int close_bracket(Lexer *L, char open, int kind)
{
    for (int i = L->depth - 1; i >= 0; i--) {
        if (L->stack[i].ch == open) {
            L->depth = i;
            break;
        }
    }
    return kind;
}

/* A token that cannot appear inside the open brackets (a declaration keyword
 * at the start of a line, or 'let' directly inside '(' or '['): the brackets
 * above close_to were never closed. Reports that once and schedules the
 * invented closers, a newline, and then the held token. */
static int begin_recovery(Lexer *L, int kind, int close_to, const char *word)
{
    const Bracket *b = &L->stack[L->depth - 1];
    diag_error(L->diag, loc_at(L, L->tok), "expected '%c' before '%s' (to close '%c' at line %d)",
               closer_of(b->ch), word, b->ch, b->loc.line);
    diag_note(L->diag, b->loc, "'%c' opened here", b->ch);
    L->recovering = true;
    L->nl_sent = false;
    L->close_to = close_to;
    L->held_kind = kind;
    L->held_loc = loc_at(L, L->tok);
    L->held_start = L->tok;
    L->held_len = (size_t)(L->cur - L->tok);
    return -1;
}

/* `fn(` starts a lambda, never a declaration: `let f =` or `x =>` at the
 * end of a line continues it (spec 2), and the lambda may then start at
 * column 1 of the next line. */
static bool lambda_follows(const Lexer *L)
{
    const unsigned char *p = L->cur;
    while (p < L->lim && (*p == ' ' || *p == '\t'))
        p++;
    return p < L->lim && *p == '(';
}

static int keyword(Lexer *L, int kind, const char *word)
{
    bool line_start = L->tok == L->line_start;
    bool decl = kind == T_KW_FN || kind == T_KW_IMPORT || kind == T_KW_EXTERN || kind == T_KW_EXPORT
                || kind == T_KW_TYPE;
    if (kind == T_KW_FN && (L->last == T_ASSIGN || L->last == T_FATARROW) && lambda_follows(L))
        decl = false;
    if (L->depth > 0 && line_start && decl)
        return begin_recovery(L, kind, 0, word);
    /* A declaration at the start of a line after an unfinished one
     * (`fn f() = a +`): end the unfinished line there, so the parser reports
     * it at its end and still sees the next declaration whole. */
    if (L->depth == 0 && line_start && decl && L->last >= 0 && !lexer_ends_stmt(L->last)
        && L->last != T_NEWLINE && L->last != T_SEMI && L->last != T_KW_EXPORT
        && L->last != T_KW_EXTERN) {
        L->recovering = true;
        L->force_nl = true;
        L->nl_sent = false;
        L->close_to = 0;
        L->held_kind = kind;
        L->held_loc = loc_at(L, L->tok);
        L->held_start = L->tok;
        L->held_len = (size_t)(L->cur - L->tok);
        return -1;
    }
    if (kind == T_KW_LET && in_parens(L)) {
        int to = L->depth;
        while (to > 0 && L->stack[to - 1].ch != '{')
            to--;
        return begin_recovery(L, kind, to, word);
    }
    if (kind == T_KW_TYPE && L->depth == 0)
        L->in_type = true;
    else if (decl)
        L->in_type = false;
    if (kind == T_KW_IF || kind == T_KW_MATCH)
        L->norec[L->nnorec++] = L->depth;
    return kind;
}

/* Called at a newline that follows '}': is the next token 'else'? Then the
 * user wrote Go's classic mistake; report it and join the lines. */
static bool else_follows(Lexer *L)
{
    /* called before the newline at cur[-1] is counted */
    const unsigned char *p = L->cur, *ls = L->cur;
    int line = L->line + 1;
    for (;;) {
        if (*p == ' ' || *p == '\t' || *p == '\r') {
            p++;
        } else if (*p == '\n') {
            line++;
            ls = ++p;
        } else if (*p == '#') {
            while (*p && *p != '\n')
                p++;
        } else {
            break;
        }
    }
    if (strncmp((const char *)p, "else", 4) != 0)
        return false;
    unsigned c = p[4];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')
        return false;
    Loc at = { L->file, line, (int)(p - ls) + 1 };
    diag_error(L->diag, at, "'else' must be on the same line as the closing '}'");
    diag_hint(L->diag, "write '} else {': a newline after '}' ends the 'if'");
    return true;
}

/* ---- the scanner --------------------------------------------------------- */

static int scan(Lexer *L, YYSTYPE *val)
{
    const unsigned char *YYMARKER;
    for (;;) {
        L->tok = L->cur;
        /*!re2c
        re2c:define:YYCTYPE = "unsigned char";
        re2c:define:YYCURSOR = "L->cur";
        re2c:yyfill:enable = 0;

        dec   = [0-9] ("_"? [0-9])*;
        hexd  = [0-9a-fA-F];
        hex   = "0" [xX] hexd ("_"? hexd)*;
        exp   = [eE] [+-]? dec;
        ident = [A-Za-z_][A-Za-z0-9_]*;

        [ \t\r]+           { continue; }
        "#" [^\n\x00]*     { continue; }
        "\n" {
            bool ends = lexer_ends_stmt(L->last) && !in_parens(L) && !L->suppress_nl;
            if (ends && L->last == T_RBRACE && else_follows(L)) {
                L->suppress_nl = true;
                ends = false;
            }
            if (ends && L->in_type && L->depth == 0 && bar_follows(L))
                ends = false;
            if (ends && L->depth == 0)
                L->in_type = false;
            if (ends)
                end_norec(L, true);
            L->nl_loc = loc_at(L, L->tok); /* the end of the line it ends */
            L->line++;
            L->line_start = L->cur;
            if (ends)
                return T_NEWLINE;
            continue;
        }
        "\x00" {
            if (L->tok < L->lim) {
                diag_error(L->diag, loc_at(L, L->tok), "unexpected character '\\x00'");
                return T_ERROR;
            }
            L->cur = L->tok; /* stay at the end */
            /* like Go, the last line needs no final newline */
            if (lexer_ends_stmt(L->last) && !in_parens(L)) {
                L->nl_loc = loc_at(L, L->tok);
                return T_NEWLINE;
            }
            return 0;
        }

        "fn"      { return keyword(L, T_KW_FN, "fn"); }
        "let"     { return keyword(L, T_KW_LET, "let"); }
        "if"      { return keyword(L, T_KW_IF, "if"); }
        "match"   { return keyword(L, T_KW_MATCH, "match"); }
        "type"    { return keyword(L, T_KW_TYPE, "type"); }
        "pure"    { return T_KW_PURE; }
        "else"    { return T_KW_ELSE; }
        "for"     { return T_KW_FOR; }
        "in"      { return T_KW_IN; }
        "import"  { return keyword(L, T_KW_IMPORT, "import"); }
        "extern"  { return keyword(L, T_KW_EXTERN, "extern"); }
        "export"  { return keyword(L, T_KW_EXPORT, "export"); }
        "true"    { return T_KW_TRUE; }
        "false"   { return T_KW_FALSE; }
        "and"     { return T_KW_AND; }
        "or"      { return T_KW_OR; }
        "not"     { return T_KW_NOT; }
        ident {
            val->tok.s = arena_strndup(L->arena, (const char *)L->tok, (size_t)(L->cur - L->tok));
            val->tok.len = (size_t)(L->cur - L->tok);
            {
                const unsigned char *t = (const unsigned char *)L->tok;
                while (*t == '_') t++;
                L->last_upper = *t >= 'A' && *t <= 'Z';
            }
            return T_IDENT;
        }

        dec | hex {
            if (L->last == T_DOT)
                return lex_field_index(L, val);
            return lex_int(L, val);
        }
        dec "." dec exp? | dec exp {
            if (L->last == T_DOT)
                return lex_field_index(L, val);
            return lex_float(L, val);
        }
        dec "." / [^.0-9] {
            if (L->last == T_DOT)
                return lex_field_index(L, val);
            diag_error(L->diag, loc_at(L, L->tok), "a float literal needs a digit after '.'");
            diag_hint(L->diag, "write %.*s0", (int)(L->cur - L->tok), (const char *)L->tok);
            return lex_float(L, val);
        }
        [0-9] [0-9A-Za-z_]* | dec "." [0-9] [0-9A-Za-z_]* {
            if (L->last == T_DOT)
                return lex_field_index(L, val);
            diag_error(L->diag, loc_at(L, L->tok), "invalid number literal '%.*s'",
                       (int)(L->cur - L->tok), (const char *)L->tok);
            diag_hint(L->diag, "'_' may only separate digits; hex literals start with 0x");
            val->tok.u = 0;
            return T_INT;
        }

        ["] ([^"\\\n\x00] | "\\" [^\n\x00])* "\\"? ["]? { return lex_string(L, val); }

        "+"  { return T_PLUS; }
        "-"  { return T_MINUS; }
        "*"  { return T_STAR; }
        "/"  { return T_SLASH; }
        "%"  { return T_PERCENT; }
        "&"  { return T_AMP; }
        "|"  { return T_BAR; }
        "^"  { return T_CARET; }
        "~"  { return T_TILDE; }
        "<<" { return T_SHL; }
        ">>" { return T_SHR; }
        ">>>" { return T_USHR; }
        "==" { return T_EQEQ; }
        "!=" { return T_NE; }
        "<"  { return T_LT; }
        "<=" { return T_LE; }
        ">"  { return T_GT; }
        ">=" { return T_GE; }
        "="  { return T_ASSIGN; }
        "("  { return open_bracket(L, '(', T_LPAREN); }
        ")"  { close_bracket(L, '(', T_RPAREN); end_norec(L, false); return T_RPAREN; }
        "["  { return open_bracket(L, '[', T_LBRACK); }
        "]"  { close_bracket(L, '[', T_RBRACK); end_norec(L, false); return T_RBRACK; }
        "{"  { return lex_lbrace(L); }
        "}"  { close_bracket(L, '{', T_RBRACE); end_norec(L, false); return T_RBRACE; }
        ","  { return T_COMMA; }
        ";"  { if (L->depth == 0) L->in_type = false; end_norec(L, true); return T_SEMI; }
        ":"  { return T_COLON; }
        "."  { return T_DOT; }
        ".." { return T_DOTDOT; }
        "|>" { return T_PIPE; }
        "->" { return T_ARROW; }
        "=>" { end_norec(L, true); return T_FATARROW; }

        * {
            char what[32];
            L->cur = L->tok + describe_char(L->tok, L->lim, what, sizeof what);
            diag_error(L->diag, loc_at(L, L->tok), "unexpected character %s", what);
            return T_ERROR;
        }
        */
    }
}

static int next_token(Lexer *L, YYSTYPE *val, Loc *loc)
{
    int kind;
    L->synthetic = false;
    L->has_open_before = L->depth > 0;
    if (L->has_open_before)
        L->open_before = L->stack[L->depth - 1];

    if (L->recovering) {
        L->synthetic = true;
        if (L->depth > L->close_to) {
            Bracket b = L->stack[--L->depth];
            kind = closer_kind(b.ch);
        } else if (L->force_nl) {
            /* a real newline token the parser reports, not an invented one */
            L->force_nl = false;
            L->nl_sent = true;
            L->synthetic = false;
            kind = T_NEWLINE;
        } else if (!L->nl_sent && lexer_ends_stmt(L->last)) {
            L->nl_sent = true;
            kind = T_NEWLINE;
        } else {
            L->recovering = false;
            L->synthetic = false;
            kind = L->held_kind;
        }
        *loc = kind == T_NEWLINE ? L->last_end : L->held_loc;
        L->tok_start = (const char *)L->held_start;
        L->tok_len = kind == L->held_kind ? L->held_len : 0;
    } else if (L->stop || too_many_errors(L)) {
        L->stop = true;
        L->cur = L->lim;
        kind = 0;
        *loc = loc_at(L, L->cur);
        L->tok_start = (const char *)L->cur;
        L->tok_len = 0;
    } else {
        kind = scan(L, val);
        *loc = kind == T_NEWLINE ? L->nl_loc : loc_at(L, L->tok);
        if (kind >= 0) {
            L->prev_start = L->tok_start;
            L->prev_len = L->tok_len;
        }
        L->tok_start = (const char *)L->tok;
        L->tok_len = (size_t)(L->cur - L->tok);
        if (kind > 0 && kind != T_NEWLINE)
            L->last_end = loc_at(L, L->cur);
        if (kind < 0) /* begin_recovery: the invented tokens come first */
            return next_token(L, val, loc);
    }
    if (kind != T_NEWLINE)
        L->suppress_nl = false;
    L->prev = L->last;
    L->last = kind;
    return kind;
}

static bool is_closer(int kind) { return kind == T_RPAREN || kind == T_RBRACK || kind == T_RBRACE; }

int lexer_next(Lexer *L, YYSTYPE *val, Loc *loc)
{
    int kind = next_token(L, val, loc);
    /* After a syntax error (lexer_skip_statement): the rest of the
     * mistaken statement is passed over up to its end at the depth of the
     * error, brackets it opened included, so that `while i < 3 { ... }`
     * is one error rather than one more at the '}' that closed the loop's
     * body. The parser's own recovery would stop at the first newline,
     * inside those brackets. */
    while (L->skip_depth >= 0) {
        bool end = kind == 0 || L->synthetic || L->stop
                   || ((kind == T_NEWLINE || kind == T_SEMI) && L->depth <= L->skip_depth)
                   || (is_closer(kind) && L->depth < L->skip_depth);
        if (end) {
            L->skip_depth = -1;
            break;
        }
        kind = next_token(L, val, loc);
    }
    return kind;
}

void lexer_skip_statement(Lexer *L, bool lookahead_opens)
{
    /* the depth the statement is at: before the lookahead when it opened
     * a bracket */
    L->skip_depth = lookahead_opens && L->depth > 0 ? L->depth - 1 : L->depth;
}

int lex_all(Arena *a, Diag *d, SrcFile *f, Token **out)
{
    Lexer L;
    lexer_init(&L, a, d, f);
    PtrList toks = { 0 };
    for (;;) {
        YYSTYPE val;
        Token *t = ARENA_NEW(a, Token);
        t->kind = lexer_next(&L, &val, &t->loc);
        t->start = L.tok_start;
        t->len = L.tok_len;
        ptrlist_push(a, &toks, t);
        if (t->kind == 0)
            break;
    }
    Token *arr = ARENA_ARRAY(a, Token, toks.len);
    for (int i = 0; i < toks.len; i++)
        arr[i] = *(Token *)toks.items[i];
    *out = arr;
    return toks.len;
}
