/*
 * writer_jsonl.c - one JSON object per event, one event per line, with every
 * field the engine emits.  Numbers are %.17g (they read back to the same
 * double); strings are escaped by tr_escape_json.  Each line is built in one
 * buffer and written with one fwrite.
 */
#include "trace.h"

#include <stdlib.h>
#include <string.h>

/* The line being built. */
typedef struct jl_line {
    char *s;                  /* its bytes (not NUL-terminated until written) */
    size_t len, cap;          /* used, allocated */
    int failed;               /* out of memory: the event is not written */
} jl_line;

/* Room for n more bytes. */
static int jl_room(jl_line *b, size_t n)
{
    if (b->failed)
        return -1;
    if (b->len + n + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + n + 1)
        cap *= 2;
    char *s = realloc(b->s, cap);
    if (!s) {
        b->failed = 1;
        return -1;
    }
    b->s = s;
    b->cap = cap;
    return 0;
}

static void jl_put(jl_line *b, const char *text)
{
    size_t n = strlen(text);
    if (jl_room(b, n) == 0) {
        memcpy(b->s + b->len, text, n);
        b->len += n;
    }
}

/* A JSON string, quoted and escaped (tr_escape_json writes at most six bytes a byte). */
static void jl_string(jl_line *b, const char *text)
{
    size_t n = strlen(text);
    if (jl_room(b, 6 * n + 3) != 0)
        return;
    b->s[b->len++] = '"';
    b->len += tr_escape_json(text, b->s + b->len, b->cap - b->len);
    b->s[b->len++] = '"';
}

/* A whole number, or null when it is not positive (a sample, unit or weight not there). */
static void jl_count(jl_line *b, long v, int null_unless_positive)
{
    char t[24];
    if (null_unless_positive && v <= 0) { /* mutant: jsonl-zero-not-null */
        jl_put(b, "null");
        return;
    }
    int n = 0;
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    do
        t[sizeof t - 1 - n++] = (char)('0' + u % 10);
    while ((u /= 10) != 0 && n < 22);
    if (v < 0)
        t[sizeof t - 1 - n++] = '-';
    if (jl_room(b, (size_t)n) == 0) {
        memcpy(b->s + b->len, t + sizeof t - n, (size_t)n);
        b->len += (size_t)n;
    }
}

static int jsonl_begin(tr_out *out)
{
    return (out->state = calloc(1, sizeof(jl_line))) ? 0 : -1;
}

static void jsonl_cleanup(tr_out *out)
{
    jl_line *b = out->state;
    if (b)
        free(b->s);
    free(b);
    out->state = NULL;
}

static int jsonl_event(tr_out *out, const tr_event *ev)
{
    jl_line *b = out->state;
    char num[TR_NUM_SIZE], formula[TR_FORMULA_SIZE];
    tr_prec prec = tr_out_prec(out);
    b->len = 0;
    jl_put(b, "{\"id\":");
    jl_count(b, ev->id, 0);
    jl_put(b, ",\"step\":");
    jl_count(b, ev->step, 0);
    jl_put(b, ",\"stage\":");
    jl_count(b, ev->stage, 0);
    jl_put(b, ",\"sample\":");
    jl_count(b, ev->sample, 1);
    jl_put(b, ",\"kind\":\"");
    jl_put(b, nn_event_kind_name(ev->kind));
    jl_put(b, "\",\"layer\":");
    jl_count(b, ev->layer, 0);
    jl_put(b, ",\"unit\":");
    jl_count(b, ev->unit, 1);
    jl_put(b, ",\"weight\":");
    jl_count(b, ev->weight, 1);
    jl_put(b, ",\"symbol\":");
    jl_string(b, ev->symbol);
    jl_put(b, ",\"value\":");
    jl_put(b, tr_fmt_exact(ev->value, num));
    jl_put(b, ",\"formula\":");
    tr_render(ev->formula, ev->ops, ev->n_ops, NULL, formula, sizeof formula);
    jl_string(b, formula);
    jl_put(b, ",\"substituted\":");
    tr_render(ev->formula, ev->ops, ev->n_ops, &prec, formula, sizeof formula);
    jl_string(b, formula);
    jl_put(b, ",\"operands\":[");
    for (int q = 0; q < ev->n_ops; q++) {
        const nn_operand *op = &ev->ops[q].op;
        jl_put(b, q ? ",{\"name\":" : "{\"name\":");
        jl_string(b, ev->ops[q].name);
        jl_put(b, ",\"kind\":\"");
        jl_put(b, nn_operand_kind_name(op->kind));
        jl_put(b, "\"");
        if (op->kind == NN_OP_WEIGHT) {
            jl_put(b, ",\"weight\":");
            jl_count(b, op->weight, 0);
        }
        jl_put(b, ",\"value\":");
        jl_put(b, tr_fmt_exact(op->value, num));
        jl_put(b, ",\"event\":");
        if (op->dep >= 0)
            jl_count(b, op->dep, 0);
        else
            jl_put(b, "null");
        jl_put(b, "}");
    }
    jl_put(b, "],\"depends_on\":[");
    for (int d = 0; d < ev->n_deps; d++) {
        if (d)
            jl_put(b, ",");
        jl_count(b, ev->deps[d], 0);
    }
    jl_put(b, "]}\n");
    if (b->failed)
        return -1;
    return fwrite(b->s, 1, b->len, out->opt.fp) == b->len && !ferror(out->opt.fp) ? 0 : -1;
}

const tr_writer tr_writer_jsonl = { "jsonl", jsonl_begin, NULL, jsonl_event, NULL, jsonl_cleanup, 1 };
