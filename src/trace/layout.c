/*
 * layout.c - the one formatter between the engine and everything that shows
 * its events: names every operand and lays out every formula from the
 * engine's typed event (its form and operands), in plain text or in TeX.
 * Long sums are elided here, and operators are spelled here.
 *
 * A laid-out formula is a template: runs of text, "$n" for shown operand n,
 * and marks that each notation spells its own way: "$*" (times), "$+"
 * (plus; TeX may break the line there), "$." (the elided terms of a sum),
 * "$/1/n" (one n-th), and the structure (trace.h's TR_PIECE_*): "$ft" a
 * function, "$(" "$)" brackets, "$e" "$]" e to a power, "$r" "$R" one over,
 * "$s" squared.  Brackets and functions are never written as text, so a
 * notation needs no list of names.  tr_template_next walks it.
 */
#include "trace.h"
#include "../text/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The formula being laid out. */
typedef struct lay {
    const nn_net *shape;      /* the network, for names */
    const nn_event *ev;       /* the engine's event */
    tr_formula *f;            /* where it goes */
    size_t len;               /* bytes used in f->text */
} lay;

static void text(lay *b, const char *t)
{
    size_t n = strlen(t);
    if (b->len + n < sizeof b->f->text) {
        memcpy(b->f->text + b->len, t, n + 1);
        b->len += n;
    }
}

/* "$q" for shown operand q, already added. */
static void ref(lay *b, int q)
{
    char r[16] = "$";
    r[1 + tx_digits(r + 1, (unsigned)q)] = '\0';
    text(b, r);
}

/* Show operand at of the event: add it, named, and refer to it. */
static void op(lay *b, int at)
{
    tr_formula *f = b->f;
    if (at >= b->ev->n_ops || f->n_ops >= TR_LAYOUT_OPS)
        return;
    tr_operand *o = &f->ops[f->n_ops];
    o->op = nn_event_op(b->ev, at);
    tr_operand_name(b->shape, &o->op, TR_PLAIN, f->names[f->n_ops], TR_NAME_SIZE);
    o->name = f->names[f->n_ops];
    ref(b, f->n_ops++);
}

/* Whether term t of a sum of T terms is written out; the others stand as "...". */
static int term_shown(int t, int T)
{
    return T <= TR_SUM_SHOWN || t < 4 || t == T - 1; /* mutant: layout-elides-wrong-terms */
}

/* How one term of a sum is written, from its first operand at, per operands. */
typedef void term_fn(lay *b, int at, int per);

static void product(lay *b, int at, int per)
{
    for (int q = 0; q < per; q++) {
        if (q > 0)
            text(b, "$*");
        op(b, at + q);
    }
}

static void squared_error(lay *b, int at, int per)
{
    (void)per;
    text(b, "$(");
    op(b, at);
    text(b, " - ");
    op(b, at + 1);
    text(b, "$)$s");
}

/* y*ln(1 + e^(-net)) + (1 - y)*ln(1 + e^(net)): what the engine computes */
static void cross_entropy(lay *b, int at, int per)
{
    (void)per;
    int y = b->f->n_ops;
    op(b, at);
    text(b, "$*$fl$(1$+$e-");
    op(b, at + 1);
    text(b, "$]$)$+$(1 - ");
    ref(b, y);
    text(b, "$)$*$fl$(1$+$e");
    ref(b, y + 1); /* mutant: layout-cross-entropy-operand */
    text(b, "$]$)");
}

/* e^(net): one term of softmax's denominator */
static void exp_term(lay *b, int at, int per)
{
    (void)per;
    text(b, "$e");
    op(b, at);
    text(b, "$]");
}

/* y*ln(out): one term of the categorical cross-entropy */
static void categorical_term(lay *b, int at, int per)
{
    (void)per;
    op(b, at);
    text(b, "$*$fl$(");
    op(b, at + 1);
    text(b, "$)");
}

/* Terms first .. first+count-1 of the event's sum, "+" between them, long
 * sums elided: the first four, "...", the last. */
static void sum(lay *b, int first, int count, term_fn *term)
{
    int per = b->ev->n_terms > 0 ? b->ev->n_ops / b->ev->n_terms : 0;
    for (int t = 0; t < count; t++) {
        if (!term_shown(t, count)) {
            if (term_shown(t - 1, count))
                text(b, "$+$.");
            continue;
        }
        if (t > 0)
            text(b, "$+");
        term(b, (first + t) * per, per);
    }
}

void tr_layout(const nn_net *shape, const nn_event *ev, tr_formula *f)
{
    lay b = { shape, ev, f, 0 };
    char head[32];
    f->text[0] = '\0';
    f->n_ops = 0;
    switch (ev->form) {
    case NN_FORM_WEIGHTED_SUM:       /* the inputs' terms, then always the bias's */
        sum(&b, 0, ev->n_terms - 1, product);
        text(&b, "$+");
        product(&b, 2 * (ev->n_terms - 1), 2);
        break;
    case NN_FORM_SIGMOID:       text(&b, "$r1$+$e-"); op(&b, 0); text(&b, "$]$R"); break;
    case NN_FORM_TANH:          text(&b, "$ft$("); op(&b, 0); text(&b, "$)"); break; /* mutant: template-brackets-as-text */
    case NN_FORM_RELU:          text(&b, "$fm$(0, "); op(&b, 0); text(&b, "$)"); break;
    case NN_FORM_LINEAR:        op(&b, 0); break;
    case NN_FORM_SQUARED_ERROR:
        text(&b, "$/1/2$*$(");
        sum(&b, 0, ev->n_terms, squared_error);
        text(&b, "$)");
        break;
    case NN_FORM_CROSS_ENTROPY: sum(&b, 0, ev->n_terms, cross_entropy); break;
    case NN_FORM_MEAN:
        snprintf(head, sizeof head, "$/1/%d$*$(", ev->n_terms);
        text(&b, head);
        sum(&b, 0, ev->n_terms, product);
        text(&b, "$)");
        break;
    case NN_FORM_DIFFERENCE:    op(&b, 0); text(&b, " - "); op(&b, 1); break;
    case NN_FORM_SUM_PRODUCTS:  sum(&b, 0, ev->n_terms, product); break;
    case NN_FORM_SIGMOID_SLOPE: op(&b, 0); text(&b, "$*$(1 - "); ref(&b, 0); text(&b, "$)"); break;
    case NN_FORM_TANH_SLOPE:    text(&b, "1 - "); op(&b, 0); text(&b, "$s"); break;
    case NN_FORM_RELU_SLOPE:    text(&b, "$(1 if "); op(&b, 0); text(&b, " > 0, else 0$)"); break;
    case NN_FORM_LINEAR_SLOPE:  text(&b, "1"); break;
    case NN_FORM_UPDATE:        op(&b, 0); text(&b, " - "); op(&b, 1); text(&b, "$*"); op(&b, 2); break;
    case NN_FORM_SOFTMAX:       /* e^(net_k)/(e^(net_1) + ... + e^(net_K)) */
        text(&b, "$e");
        op(&b, 0);
        text(&b, "$]/$(");
        sum(&b, 1, ev->n_terms - 1, exp_term);
        text(&b, "$)");
        break;
    case NN_FORM_CATEGORICAL_CE:
        text(&b, "-$(");
        sum(&b, 0, ev->n_terms, categorical_term);
        text(&b, "$)");
        break;
    case NN_FORMS:
    default:                    text(&b, "?"); break;
    }
}

void tr_symbol(const nn_net *shape, nn_ev_kind kind, int layer, int unit, int weight, tr_notation notation,
               char *buf, size_t size)
{
    if (notation != TR_TEX) {
        nn_symbol(shape, kind, layer, unit, weight, buf, size);
        return;
    }
    char u[24] = "";
    if (unit >= 1 && layer >= 0 && layer <= shape->n_layers)
        nn_unit_name(shape, layer, unit - 1, u, sizeof u);
    switch (kind) {
    case NN_EV_NET:        snprintf(buf, size, "\\mathit{net}_{%s}", u); break;
    case NN_EV_OUT:        snprintf(buf, size, "\\mathit{out}_{%s}", u); break;
    case NN_EV_LOSS:       snprintf(buf, size, "E_{\\mathrm{total}}"); break;
    case NN_EV_LOSS_BATCH: snprintf(buf, size, "E_{\\mathrm{final}}"); break;
    case NN_EV_DE_DOUT:
        snprintf(buf, size, "\\frac{\\partial E_{\\mathrm{total}}}{\\partial \\mathit{out}_{%s}}", u);
        break;
    case NN_EV_DOUT_DNET:
        snprintf(buf, size, "\\frac{\\partial \\mathit{out}_{%s}}{\\partial \\mathit{net}_{%s}}", u, u);
        break;
    case NN_EV_DE_DNET:
        snprintf(buf, size, "\\frac{\\partial E_{\\mathrm{total}}}{\\partial \\mathit{net}_{%s}}", u);
        break;
    case NN_EV_GRADIENT:
        snprintf(buf, size, "\\frac{\\partial E_{\\mathrm{final}}}{\\partial w_{%d}}", weight);
        break;
    case NN_EV_UPDATE: case NN_EV_KINDS:
    default:               snprintf(buf, size, "w_{%d}", weight); break;
    }
}

/* The decimal digits of v >= 0 at t; their count. */
/* "X<sample>:" at t when sample > 0 (a batch value's term), else nothing; its length. */
static size_t sample_prefix(char *t, int sample)
{
    size_t n = 0;
    if (sample > 0) {
        t[n++] = 'X';
        n += tx_digits(t + n, (unsigned)sample);
        t[n++] = ':';
    }
    return n;
}

/* A plain name: "X<sample>:" when a batch value's term, then letters and a
 * number (none if < 0); cut to size - 1 bytes. */
static void plain_name(const nn_operand *o, const char *letters, int number, char *buf, size_t size)
{
    char t[320];
    size_t n = sample_prefix(t, o->sample), k = strlen(letters);
    if (size == 0)
        return;
    if (k > 256)
        k = 256;
    memcpy(t + n, letters, k);
    n += k;
    if (number >= 0)
        n += tx_digits(t + n, (unsigned)number);
    if (n > size - 1)
        n = size - 1;
    memcpy(buf, t, n);
    buf[n] = '\0';
}

void tr_operand_name(const nn_net *shape, const nn_operand *o, int notation, char *buf, size_t size)
{
    int tex = notation == TR_TEX;
    char name[256];
    int bias = o->kind == NN_OP_BIAS_INPUT && o->layer >= 1 && o->layer <= shape->n_layers
                   ? nn_b_index(shape, o->layer, o->unit - 1) - shape->b_off[1] + 1 : 0;
    if (!tex) {                                   /* the common case, by hand: it is hot */
        switch (o->kind) {
        case NN_OP_VALUE:
            if (size >= 64) {                     /* "X<sample>:" and the symbol, written in place */
                size_t n = sample_prefix(buf, o->sample);
                nn_symbol(shape, o->of, o->layer, o->unit, o->weight, buf + n, size - n);
                return;
            }
            tr_symbol(shape, o->of, o->layer, o->unit, o->weight, TR_PLAIN, name, sizeof name);
            plain_name(o, name, -1, buf, size);
            return;
        case NN_OP_INPUT:         plain_name(o, "x", o->unit, buf, size); return;
        case NN_OP_TARGET:        plain_name(o, "y", o->unit, buf, size); return;
        case NN_OP_WEIGHT:        plain_name(o, "w", o->weight, buf, size); return;
        case NN_OP_BIAS_INPUT:    plain_name(o, "b", bias, buf, size); return;
        case NN_OP_LEARNING_RATE: plain_name(o, "eta", -1, buf, size); return;
        case NN_OP_KINDS:
        default:                  plain_name(o, "?", -1, buf, size); return;
        }
    }
    switch (o->kind) {
    case NN_OP_VALUE:
        tr_symbol(shape, o->of, o->layer, o->unit, o->weight, notation, name, sizeof name);
        break;
    case NN_OP_INPUT:         snprintf(name, sizeof name, "x_{%d}", o->unit); break;
    case NN_OP_TARGET:        snprintf(name, sizeof name, "y_{%d}", o->unit); break;
    case NN_OP_WEIGHT:        snprintf(name, sizeof name, "w_{%d}", o->weight); break;
    case NN_OP_BIAS_INPUT:    snprintf(name, sizeof name, "b_{%d}", bias); break;   /* numbered among all biases */
    case NN_OP_LEARNING_RATE: snprintf(name, sizeof name, "\\eta"); break;
    case NN_OP_KINDS:
    default:                  snprintf(name, sizeof name, "?"); break;
    }
    if (o->sample <= 0)
        snprintf(buf, size, "%s", name);
    else
        snprintf(buf, size, "\\left.%s\\right|_{X_{%d}}", name, o->sample);
}

/* One part: base, then a number (none if < 0), then the subscript if any. */
static void part(tr_name_part *pt, const char *base, int number, const char *sub)
{
    if (number >= 0)
        snprintf(pt->base, sizeof pt->base, "%s%d", base, number);
    else
        snprintf(pt->base, sizeof pt->base, "%s", base);
    pt->has_sub = sub != NULL;
    snprintf(pt->sub, sizeof pt->sub, "%s", sub ? sub : "");
}

void tr_operand_parts(const nn_net *shape, const nn_operand *o, tr_name *out)
{
    char u[TR_NAME_SIZE] = "";
    int bias = o->kind == NN_OP_BIAS_INPUT && o->layer >= 1 && o->layer <= shape->n_layers
                   ? nn_b_index(shape, o->layer, o->unit - 1) - shape->b_off[1] + 1 : 0;
    if (o->unit >= 1 && o->layer >= 0 && o->layer <= shape->n_layers)
        nn_unit_name(shape, o->layer, o->unit - 1, u, sizeof u);
    memset(out, 0, sizeof *out);
    out->sample = o->sample > 0 ? o->sample : 0;
    tr_name_part *a = &out->part[0], *b = &out->part[1];
    switch (o->kind) {
    case NN_OP_INPUT:         part(a, "x", o->unit, NULL); return;
    case NN_OP_TARGET:        part(a, "y", o->unit, NULL); return;
    case NN_OP_WEIGHT:        part(a, "w", o->weight, NULL); return;
    case NN_OP_BIAS_INPUT:    part(a, "b", bias, NULL); return;
    case NN_OP_LEARNING_RATE: part(a, "eta", -1, NULL); return;
    case NN_OP_VALUE:         break;
    case NN_OP_KINDS:
    default:                  part(a, "?", -1, NULL); return;
    }
    out->ratio = 1;
    switch (o->of) {
    case NN_EV_NET:        out->ratio = 0; part(a, "net", -1, u); break;
    case NN_EV_OUT:        out->ratio = 0; part(a, "out", -1, u); break;
    case NN_EV_LOSS:       out->ratio = 0; part(a, "E", -1, "total"); break;
    case NN_EV_LOSS_BATCH: out->ratio = 0; part(a, "E", -1, "final"); break;
    case NN_EV_DE_DOUT:    part(a, "dE", -1, "total"); part(b, "dout", -1, u); break;
    case NN_EV_DE_DNET:    part(a, "dE", -1, "total"); part(b, "dnet", -1, u); break; /* mutant: name-parts-wrong */
    case NN_EV_DOUT_DNET:  part(a, "dout", -1, u); part(b, "dnet", -1, u); break;
    case NN_EV_GRADIENT:   part(a, "dE", -1, "final"); part(b, "dw", o->weight, NULL); break;
    case NN_EV_UPDATE: case NN_EV_KINDS:
    default:               out->ratio = 0; part(a, "w", o->weight, NULL); break;
    }
}

void tr_event_view(const nn_event *ev, const tr_formula *f, tr_event *out)
{
    *out = (tr_event){
        .id = ev->id, .kind = ev->kind, .layer = ev->layer, .unit = ev->unit, .weight = ev->weight,
        .step = ev->step, .stage = ev->stage, .sample = ev->sample, .value = ev->value,
        .symbol = ev->symbol, .formula = f ? f->text : NULL, .ops = f ? f->ops : NULL,
        .n_ops = f ? f->n_ops : 0,
        .deps = NULL, .n_deps = 0,
    };
}

int tr_event_deps(const nn_event *ev, long **deps, int *room)
{
    int n = nn_event_deps(ev, *deps, *room);
    if (n <= *room)
        return n;
    long *grown = realloc(*deps, (size_t)n * sizeof(long));
    if (!grown)
        return -1;
    *deps = grown;
    *room = n;
    return nn_event_deps(ev, *deps, *room);
}
