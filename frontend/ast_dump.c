/* ast_dump.c — the syntax tree as S-expressions.
 *
 *   literals     42  1.5  "a\n"  true  ()      names   x
 *   operators    (+ a b) (and a b) (neg x) (not x) (.. lo hi)
 *   postfix      (call f a b) (pipe f x a) (index a i) (. t 0) (. m f)
 *   aggregates   (tuple a b) (array a b)
 *   control      (if c (block ...) (block ...)) (for x xs body)
 *   lambda       (fn (x: i64 y) -> i64 body)
 *   records      (record P (x 1.0) (.. p))
 *   match        (match s (C(r) r) ((a, _) if (> a 0) a)); patterns as written
 *   statements   (let x e) (let (a b) : (i64, i64) e); an expression
 *                statement is the expression itself
 *   module       (import m) / (fn f (x: i64) -> i64 body), with "extern "
 *                or "export " in front of fn when marked
 *
 * A pipe call prints as (pipe ...) so the tests see the desugaring.
 */
#include <inttypes.h>

#include "ast_dump.h"

static const char *const binop_names[] = {
    /* grep ORDER BINOP */
    "+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>", ">>>", "==", "!=", "<", "<=", ">", ">=", "and", "or",
};

static void dump_str(FILE *out, const char *s, size_t n)
{
    fputc('"', out);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '\n': fputs("\\n", out); break;
        case '\t': fputs("\\t", out); break;
        case '\r': fputs("\\r", out); break;
        case '\\': fputs("\\\\", out); break;
        case '"': fputs("\\\"", out); break;
        case '\0': fputs("\\0", out); break;
        default:
            if (c < 0x20 || c == 0x7f)
                fprintf(out, "\\x%02X", c);
            else
                fputc(c, out);
        }
    }
    fputc('"', out);
}

static void dump_type(FILE *out, const Type *t)
{
    char buf[256];
    fputs(type_str(t, buf, sizeof buf), out);
}

static void dump_pattern(FILE *out, const Pattern *p)
{
    if (!p->is_tuple) {
        fputs(p->name, out);
        return;
    }
    fputc('(', out);
    for (int i = 0; i < p->n; i++) {
        if (i)
            fputc(' ', out);
        dump_pattern(out, p->items[i]);
    }
    fputc(')', out);
}

static void dump_pat(FILE *out, const Pat *p)
{
    switch (p->kind) {
    case PAT_WILD: fputc('_', out); return;
    case PAT_BIND: fputs(p->name, out); return;
    case PAT_INT: fprintf(out, "%" PRId64, p->ival); return;
    case PAT_BOOL: fputs(p->bval ? "true" : "false", out); return;
    case PAT_STR: dump_str(out, p->str.bytes, p->str.len); return;
    case PAT_TUPLE: case PAT_CTOR:
        if (p->kind == PAT_CTOR) {
            fputs(p->name, out);
            if (p->n == 0 && !p->items) return;
        }
        fputc('(', out);
        for (int i = 0; i < p->n; i++) {
            if (i)
                fputs(", ", out);
            dump_pat(out, p->items[i]);
        }
        fputc(')', out);
        return;
    case PAT_RECORD:
        fprintf(out, "%s {", p->name);
        for (int i = 0; i < p->n; i++) {
            fprintf(out, "%s %s: ", i ? "," : "", p->fields[i]);
            dump_pat(out, p->items[i]);
        }
        fputs(p->rest ? (p->n ? ", .. }" : " .. }") : " }", out);
        return;
    }
}

static void dump_params(FILE *out, Param *const *ps, int n)
{
    fputc('(', out);
    for (int i = 0; i < n; i++) {
        if (i)
            fputc(' ', out);
        fputs(ps[i]->name, out);
        if (ps[i]->type && ps[i]->type->kind != TY_INFER) {
            fputs(": ", out);
            dump_type(out, ps[i]->type);
        }
    }
    fputc(')', out);
}

static void dump_list(FILE *out, const char *head, Expr *const *items, int n)
{
    fprintf(out, "(%s", head);
    for (int i = 0; i < n; i++) {
        fputc(' ', out);
        ast_dump_expr(out, items[i]);
    }
    fputc(')', out);
}

static void dump_stmt(FILE *out, const Stmt *s)
{
    if (s->kind == S_EXPR) {
        ast_dump_expr(out, s->expr);
        return;
    }
    fputs("(let ", out);
    dump_pattern(out, s->pat);
    if (s->annot) {
        fputs(" : ", out);
        dump_type(out, s->annot);
    }
    fputc(' ', out);
    ast_dump_expr(out, s->expr);
    fputc(')', out);
}

void ast_dump_expr(FILE *out, const Expr *e)
{
    if (!e) {
        fputs("<null>", out);
        return;
    }
    switch (e->kind) {
    case E_INT: fprintf(out, "%" PRId64, e->u.ival); break;
    case E_FLOAT: fprintf(out, "%.17g", e->u.fval); break;
    case E_STR: dump_str(out, e->u.str.bytes, e->u.str.len); break;
    case E_BOOL: fputs(e->u.bval ? "true" : "false", out); break;
    case E_UNIT: fputs("()", out); break;
    case E_NAME: fputs(e->u.name.name, out); break;
    case E_MEMBER:
        fputs("(. ", out);
        ast_dump_expr(out, e->u.member.base);
        fprintf(out, " %s)", e->u.member.name);
        break;
    case E_FIELD:
        fputs("(. ", out);
        ast_dump_expr(out, e->u.field.base);
        fprintf(out, " %d)", e->u.field.index);
        break;
    case E_UNARY:
        fputs(e->u.unary.op == OP_NEG ? "(neg " : e->u.unary.op == OP_BNOT ? "(bnot " : "(not ", out);
        ast_dump_expr(out, e->u.unary.operand);
        fputc(')', out);
        break;
    case E_BINARY:
        fprintf(out, "(%s ", binop_names[e->u.binary.op]);
        ast_dump_expr(out, e->u.binary.lhs);
        fputc(' ', out);
        ast_dump_expr(out, e->u.binary.rhs);
        fputc(')', out);
        break;
    case E_RANGE:
        fputs("(.. ", out);
        ast_dump_expr(out, e->u.range.lo);
        fputc(' ', out);
        ast_dump_expr(out, e->u.range.hi);
        fputc(')', out);
        break;
    case E_CALL:
        fputs(e->u.call.piped ? "(pipe " : "(call ", out);
        ast_dump_expr(out, e->u.call.callee);
        for (int i = 0; i < e->u.call.nargs; i++) {
            fputc(' ', out);
            ast_dump_expr(out, e->u.call.args[i]);
        }
        fputc(')', out);
        break;
    case E_INDEX:
        fputs("(index ", out);
        ast_dump_expr(out, e->u.index.base);
        fputc(' ', out);
        ast_dump_expr(out, e->u.index.index);
        fputc(')', out);
        break;
    case E_TUPLE: dump_list(out, "tuple", e->u.list.items, e->u.list.n); break;
    case E_ARRAY: dump_list(out, "array", e->u.list.items, e->u.list.n); break;
    case E_IF:
        fputs("(if ", out);
        ast_dump_expr(out, e->u.if_.cond);
        fputc(' ', out);
        ast_dump_expr(out, e->u.if_.then_);
        if (e->u.if_.else_) {
            fputc(' ', out);
            ast_dump_expr(out, e->u.if_.else_);
        }
        fputc(')', out);
        break;
    case E_BLOCK:
        fputs("(block", out);
        for (int i = 0; i < e->u.block.n; i++) {
            fputc(' ', out);
            dump_stmt(out, e->u.block.stmts[i]);
        }
        fputc(')', out);
        break;
    case E_LAMBDA:
        fputs("(fn ", out);
        dump_params(out, e->u.lambda.params, e->u.lambda.nparams);
        if (e->u.lambda.ret) {
            fputs(" -> ", out);
            dump_type(out, e->u.lambda.ret);
        }
        fputc(' ', out);
        ast_dump_expr(out, e->u.lambda.body);
        fputc(')', out);
        break;
    case E_FOR:
        fprintf(out, "(for %s ", e->u.for_.var);
        ast_dump_expr(out, e->u.for_.iter);
        fputc(' ', out);
        ast_dump_expr(out, e->u.for_.body);
        fputc(')', out);
        break;
    case E_RECORD:
        fprintf(out, "(record %s", e->u.record.name);
        for (int i = 0; i < e->u.record.n; i++) {
            fprintf(out, " (%s ", e->u.record.inits[i]->name);
            ast_dump_expr(out, e->u.record.inits[i]->value);
            fputc(')', out);
        }
        if (e->u.record.base) {
            fputs(" (.. ", out);
            ast_dump_expr(out, e->u.record.base);
            fputc(')', out);
        }
        fputc(')', out);
        break;
    case E_MATCH:
        fputs("(match ", out);
        ast_dump_expr(out, e->u.match_.scrutinee);
        for (int i = 0; i < e->u.match_.n; i++) {
            const MatchArm *a = e->u.match_.arms[i];
            fputs(" (", out);
            dump_pat(out, a->pat);
            if (a->guard) {
                fputs(" if ", out);
                ast_dump_expr(out, a->guard);
            }
            fputc(' ', out);
            ast_dump_expr(out, a->body);
            fputc(')', out);
        }
        fputc(')', out);
        break;
    }
}

void ast_dump_module(FILE *out, const Module *m)
{
    for (int i = 0; i < m->nimports; i++)
        fprintf(out, "(import %s)\n", m->imports[i]->name);
    for (int i = 0; i < m->ntypes; i++) {
        const TypeDecl *t = m->types[i];
        fprintf(out, "(type %s", t->name);
        if (t->kind == TD_RECORD)
            for (int k = 0; k < t->nfields; k++) {
                fprintf(out, " (%s ", t->fields[k]->name);
                dump_type(out, t->fields[k]->type);
                fputc(')', out);
            }
        if (t->kind == TD_VARIANT)
            for (int k = 0; k < t->nctors; k++) {
                fprintf(out, " (%s", t->ctors[k]->name);
                for (int j = 0; j < t->ctors[k]->nfields; j++) {
                    fputc(' ', out);
                    dump_type(out, t->ctors[k]->fields[j]);
                }
                fputc(')', out);
            }
        if (t->kind == TD_ALIAS) {
            fputs(t->alias_or_ctor ? " = " : " alias ", out);
            dump_type(out, t->alias);
        }
        fputs(")\n", out);
    }
    for (int i = 0; i < m->nfns; i++) {
        const FnDecl *f = m->fns[i];
        fputc('(', out);
        if (f->is_extern)
            fputs("extern ", out);
        if (f->is_export)
            fputs("export ", out);
        fprintf(out, "fn %s ", f->name);
        dump_params(out, f->params, f->nparams);
        fputs(" -> ", out);
        dump_type(out, f->ret);
        if (f->body) {
            fputc(' ', out);
            ast_dump_expr(out, f->body);
        }
        fputs(")\n", out);
    }
}
