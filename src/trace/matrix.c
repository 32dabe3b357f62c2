/*
 * matrix.c - the matrix view (nntrace trace --view matrix): each stage as
 * Part 2 of the walkthrough writes it, the batch as a matrix X (n x N),
 * each weight matrix (from x to) and bias vector with its shape, each
 * stage's result as a matrix (its numbers when it is at most 8 x 8, its
 * shape alone when larger), and which values of the step-by-step view its
 * entries are ("entry (X2, h1) is X2:net_h1").
 *
 * A tr_writer for text and Markdown: it keeps the values of one step as
 * they stream (no arithmetic: every number shown is an event's, an input,
 * a target or a weight) and writes the step when the next begins or the
 * trace ends.
 */
#include "trace.h"
#include "../text/text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef enum mx_format { MX_TEXT, MX_MD, MX_TEX } mx_format;

/* ------------------------------------------------------- one step's values */

/* One step's numbers, by what they are. */
struct tr_mxstep {
    const ls_lesson *lesson;  /* the lesson traced (not owned) */
    int step;                 /* the step held (0: none yet) */
    double *val[NN_EV_KINDS][NN_MAX_LAYERS + 1];  /* per kind and layer: n x size[l] values */
    double *e_total;          /* n */
    double e_final;
    double *dw, *w_new;       /* W each: the gradients, the updated weights */
    double *w_old;            /* W: the weights the step starts from */
    double *x, *y;            /* the step's batch */
};

/* The kinds a layer has values of, one per sample and unit. */
static int mx_unit_kind(int k)
{
    return k == NN_EV_NET || k == NN_EV_OUT || k == NN_EV_DE_DOUT || k == NN_EV_DOUT_DNET || k == NN_EV_DE_DNET;
}

tr_mxstep *tr_mxstep_new(const ls_lesson *L)
{
    const nn_net *sh = &L->shape;
    tr_mxstep *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->lesson = L;
    size_t n = (size_t)L->batch_size, W = (size_t)sh->n_weights;
    for (int k = 0; k < NN_EV_KINDS; k++)
        for (int l = 1; l <= sh->n_layers && mx_unit_kind(k); l++)
            if (!(m->val[k][l] = malloc(n * (size_t)sh->size[l] * sizeof(double))))
                goto fail;
    m->e_total = malloc(n * sizeof(double));
    m->dw = malloc(W * sizeof(double));
    m->w_new = malloc(W * sizeof(double));
    m->w_old = malloc(W * sizeof(double));
    m->x = malloc(n * (size_t)sh->size[0] * sizeof(double));
    m->y = malloc(n * (size_t)sh->size[sh->n_layers] * sizeof(double));
    if (!m->e_total || !m->dw || !m->w_new || !m->w_old || !m->x || !m->y)
        goto fail;
    return m;
fail:
    tr_mxstep_free(m);
    return NULL;
}

void tr_mxstep_free(tr_mxstep *m)
{
    if (!m)
        return;
    for (int k = 0; k < NN_EV_KINDS; k++)
        for (int l = 0; l <= NN_MAX_LAYERS; l++)
            free(m->val[k][l]);
    free(m->e_total);
    free(m->dw);
    free(m->w_new);
    free(m->w_old);
    free(m->x);
    free(m->y);
    free(m);
}

static void mx_unknown(double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        v[i] = NAN;
}

void tr_mxstep_start(tr_mxstep *m, int step, const double *w_start)
{
    const ls_lesson *L = m->lesson;
    const nn_net *sh = &L->shape;
    size_t n = (size_t)L->batch_size, W = (size_t)sh->n_weights;
    m->step = step;
    ls_batch(L, step, m->x, m->y);
    memcpy(m->w_old, w_start, W * sizeof(double));
    for (int k = 0; k < NN_EV_KINDS; k++)
        for (int l = 1; l <= sh->n_layers; l++)
            if (m->val[k][l])
                mx_unknown(m->val[k][l], n * (size_t)sh->size[l]);
    mx_unknown(m->e_total, n);
    mx_unknown(m->dw, W);
    mx_unknown(m->w_new, W);
    m->e_final = NAN;
}

int tr_mxstep_step(const tr_mxstep *m)
{
    return m->step;
}

void tr_mxstep_event(tr_mxstep *m, const tr_event *ev)
{
    const nn_net *sh = &m->lesson->shape;
    switch (ev->kind) {
    case NN_EV_LOSS:       m->e_total[ev->sample - 1] = ev->value; break;
    case NN_EV_LOSS_BATCH: m->e_final = ev->value; break;
    case NN_EV_GRADIENT:   m->dw[ev->weight - 1] = ev->value; break;
    case NN_EV_UPDATE:     m->w_new[ev->weight - 1] = ev->value; break;
    default:
        if (mx_unit_kind(ev->kind) && ev->sample >= 1 && ev->layer >= 1 && ev->layer <= sh->n_layers &&
            ev->unit >= 1)
            m->val[ev->kind][ev->layer][(size_t)(ev->sample - 1) * sh->size[ev->layer] + ev->unit - 1] = ev->value;
    }
}

double tr_mx_get(const tr_mxstep *m, const tr_mx *a, int r, int c)
{
    const nn_net *sh = &m->lesson->shape;
    int l = a->layer, N = sh->size[0], O = sh->size[sh->n_layers];
    switch (a->kind) {
    case TR_MX_INPUT:     return m->x[(size_t)r * N + c];
    case TR_MX_TARGET:    return m->y[(size_t)r * O + c];
    case TR_MX_WEIGHT:    return m->w_old[nn_w_index(sh, l, r, c)];
    case TR_MX_BIAS:      return m->w_old[nn_b_index(sh, l, c)];
    case TR_MX_GRAD:      return m->dw[nn_w_index(sh, l, r, c)]; /* mutant: matrix-gradient-transposed */
    case TR_MX_GRAD_BIAS: return m->dw[nn_b_index(sh, l, c)];
    case TR_MX_NEW:       return m->w_new[nn_w_index(sh, l, r, c)];
    case TR_MX_NEW_BIAS:  return m->w_new[nn_b_index(sh, l, c)];
    case TR_MX_E_TOTAL:   return m->e_total[r];
    case TR_MX_E_FINAL:   return m->e_final;
    default:              return m->val[a->kind][l][(size_t)r * sh->size[l] + c];
    }
}

/* -------------------------------------------------------------- the names */

void tr_mx_entry(const nn_net *sh, const tr_mx *a, int r, int c, char *buf, size_t size)
{
    char sym[NN_SYMBOL_SIZE];
    int l = a->layer;
    switch (a->kind) {
    case TR_MX_INPUT:     snprintf(buf, size, "X%d:x%d", r + 1, c + 1); return;
    case TR_MX_TARGET:    snprintf(buf, size, "X%d:y%d", r + 1, c + 1); return;
    case TR_MX_WEIGHT:    snprintf(buf, size, "w%d (before)", nn_w_index(sh, l, r, c) + 1); return;
    case TR_MX_BIAS:      snprintf(buf, size, "w%d (before)", nn_b_index(sh, l, c) + 1); return;
    case TR_MX_GRAD:      snprintf(buf, size, "dE_final/dw%d", nn_w_index(sh, l, r, c) + 1); return;
    case TR_MX_GRAD_BIAS: snprintf(buf, size, "dE_final/dw%d", nn_b_index(sh, l, c) + 1); return;
    case TR_MX_NEW:       snprintf(buf, size, "w%d", nn_w_index(sh, l, r, c) + 1); return; /* mutant: matrix-cursor-names-wrong-entry */
    case TR_MX_NEW_BIAS:  snprintf(buf, size, "w%d", nn_b_index(sh, l, c) + 1); return;
    case TR_MX_E_TOTAL:   snprintf(buf, size, "X%d:E_total", r + 1); return;
    case TR_MX_E_FINAL:   snprintf(buf, size, "E_final"); return;
    default:
        nn_symbol(sh, a->kind, l, c + 1, 0, sym, sizeof sym);
        snprintf(buf, size, "X%d:%s", r + 1, sym);
    }
}

static void mx_unit(const nn_net *sh, int l, int u, char *buf, size_t size)
{
    if (l < 0)
        snprintf(buf, size, "E_total");        /* the one column of E_total */
    else if (u >= sh->size[l])
        snprintf(buf, size, "1");              /* the bias input */
    else
        nn_unit_name(sh, l, u, buf, size);
}

void tr_mx_col(const nn_net *sh, const tr_mx *a, int c, char *buf, size_t size)
{
    mx_unit(sh, a->col_layer, c, buf, size);
}

void tr_mx_row(const nn_net *sh, const tr_mx *a, int r, char *buf, size_t size)
{
    if (a->by_sample)
        snprintf(buf, size, "X%d", r + 1);
    else if (a->row_layer >= 0)
        mx_unit(sh, a->row_layer, r, buf, size);
    else
        buf[0] = '\0';
}

int tr_mx_at(const nn_net *sh, const tr_mx *a, const tr_event *ev, int *r, int *c)
{
    int fl, fu, tl, tu;
    switch (a->kind) {
    case TR_MX_INPUT: case TR_MX_TARGET: case TR_MX_WEIGHT: case TR_MX_BIAS:
        return 0;                              /* given, not events */
    case TR_MX_GRAD: case TR_MX_GRAD_BIAS: case TR_MX_NEW: case TR_MX_NEW_BIAS:
        if (ev->weight < 1 || ev->kind != (a->kind == TR_MX_GRAD || a->kind == TR_MX_GRAD_BIAS ? NN_EV_GRADIENT
                                                                                                : NN_EV_UPDATE))
            return 0;
        nn_w_units(sh, ev->weight - 1, &fl, &fu, &tl, &tu);
        if (tl != a->layer || (fu < 0) != (a->kind == TR_MX_GRAD_BIAS || a->kind == TR_MX_NEW_BIAS))
            return 0;
        *r = fu < 0 ? 0 : fu;
        *c = tu;
        return 1;
    case TR_MX_E_TOTAL:
        if (ev->kind != NN_EV_LOSS)
            return 0;
        *r = ev->sample - 1;
        *c = 0;
        return 1;
    case TR_MX_E_FINAL:
        if (ev->kind != NN_EV_LOSS_BATCH)
            return 0;
        *r = *c = 0;
        return 1;
    default:
        if (ev->kind != a->kind || ev->layer != a->layer || ev->sample < 1 || ev->unit < 1)
            return 0;
        *r = ev->sample - 1;
        *c = ev->unit - 1;
        return 1;
    }
}

/* Capital names of a layer's matrices: "X" (inputs), "H" (hidden), "H2" (hidden 2), "O". */
static void mx_layer_name(const nn_net *sh, int l, char *buf, size_t size)
{
    if (l == 0)
        snprintf(buf, size, "X");
    else if (l == sh->n_layers)
        snprintf(buf, size, "O");
    else if (sh->n_layers > 2)
        snprintf(buf, size, "H%d", l);
    else
        snprintf(buf, size, "H");
}

/* Append a matrix to a stage's list. */
static void mx_add(tr_mx *list, int *n, int max, const char *name, const char *formula, int rows, int cols,
                   int by_sample, int row_layer, int col_layer, int kind, int layer)
{
    if (*n >= max)
        return;
    tr_mx *a = &list[(*n)++];
    snprintf(a->name, sizeof a->name, "%s", name);
    snprintf(a->formula, sizeof a->formula, "%s", formula);
    a->rows = rows;
    a->cols = cols;
    a->by_sample = by_sample;
    a->row_layer = row_layer;
    a->col_layer = col_layer;
    a->kind = kind;
    a->layer = layer;
}

int tr_mx_stage(const nn_net *sh, int n, int stage, int l, tr_mx *list, int max)
{
    int k = 0, Ln = sh->n_layers, O = sh->size[Ln];
    int ce = sh->loss == NN_LOSS_CROSS_ENTROPY;
    char a[16], b[16], nm[48], f[160];
    if (stage == NN_STAGE_HIDDEN_FORWARD || stage == NN_STAGE_OUTPUT_FORWARD) {            /* the forward pass of layer l */
        mx_layer_name(sh, l - 1, a, sizeof a);
        mx_layer_name(sh, l, b, sizeof b);
        if (l == 1)
            mx_add(list, &k, max, "X", "the batch, one row per sample", n, sh->size[0], 1, -1, 0, TR_MX_INPUT, 0);
        snprintf(nm, sizeof nm, "W%d", l);
        snprintf(f, sizeof f, "weights from the %s units (rows) to the %s units (columns)",
                 l == 1 ? "input" : "hidden", l == Ln ? "output" : "hidden");
        mx_add(list, &k, max, nm, f, sh->size[l - 1], sh->size[l], 0, l - 1, l, TR_MX_WEIGHT, l);
        snprintf(nm, sizeof nm, "b%d", l);
        mx_add(list, &k, max, nm, "the biases (the weights from the bias input 1)", 1, sh->size[l], 0, -1, l,
               TR_MX_BIAS, l);
        snprintf(nm, sizeof nm, "NET_%s", b);
        snprintf(f, sizeof f, "%s%s W%d + b%d (b%d added to every row)", l == 1 ? "" : "OUT_", l == 1 ? "X" : a,
                 l, l, l);
        mx_add(list, &k, max, nm, f, n, sh->size[l], 1, -1, l, NN_EV_NET, l);
        snprintf(nm, sizeof nm, "OUT_%s", b);
        snprintf(f, sizeof f, "%s(NET_%s)%s", nn_act_name(sh->act[l]), b,
                 sh->act[l] == NN_ACT_SOFTMAX ? ", each row" : ", each entry");
        mx_add(list, &k, max, nm, f, n, sh->size[l], 1, -1, l, NN_EV_OUT, l);
    } else if (stage == NN_STAGE_LOSS) {                   /* the loss */
        mx_add(list, &k, max, "Y", "the targets, one row per sample", n, O, 1, -1, Ln, TR_MX_TARGET, 0);
        mx_add(list, &k, max, "E_total",
               ce ? (sh->act[Ln] == NN_ACT_SOFTMAX ? "-sum of Y * ln(OUT_O) over each row"
                                                   : "the cross-entropy of each row")
                  : "1/2 sum of (OUT_O - Y)^2 over each row",
               n, 1, 1, -1, -1, TR_MX_E_TOTAL, Ln);
        mx_add(list, &k, max, "E_final", "the mean of E_total", 1, 1, 0, -1, -1, TR_MX_E_FINAL, Ln);
    } else if (stage == NN_STAGE_OUTPUT_BACKWARD || stage == NN_STAGE_HIDDEN_BACKWARD) {     /* the backward pass of layer l */
        char d1[48], d2[48], delta[128];
        mx_layer_name(sh, l, b, sizeof b);
        mx_layer_name(sh, l - 1, a, sizeof a);
        if (l == Ln && ce) {
            snprintf(d1, sizeof d1, "dE_total/dNET_O");
            mx_add(list, &k, max, d1, "OUT_O - Y (the slope cancels)", n, O, 1, -1, l, NN_EV_DE_DNET, l);
            snprintf(delta, sizeof delta, "dE_total/dNET_O");
        } else {
            static const char *const slope[NN_ACT_COUNT] = { "OUT * (1 - OUT)", "1 - OUT^2",
                                                            "1 where NET > 0, else 0", "1", "1" };
            snprintf(d1, sizeof d1, "dE_total/dOUT_%s", b);
            if (l == Ln)
                snprintf(f, sizeof f, "OUT_O - Y");
            else
                snprintf(f, sizeof f, "(the layer above's delta) W%d^T", l + 1);
            mx_add(list, &k, max, d1, f, n, sh->size[l], 1, -1, l, NN_EV_DE_DOUT, l);
            snprintf(d2, sizeof d2, "dOUT_%s/dNET_%s", b, b);
            mx_add(list, &k, max, d2, slope[sh->act[l]], n, sh->size[l], 1, -1, l, NN_EV_DOUT_DNET, l);
            snprintf(delta, sizeof delta, "(%s * %s, entry by entry)", d1, d2);
        }
        snprintf(nm, sizeof nm, "dE_final/dW%d", l);
        snprintf(f, sizeof f, "1/%d %s%s^T %s", n, l == 1 ? "" : "OUT_", l == 1 ? "X" : a, delta);
        mx_add(list, &k, max, nm, f, sh->size[l - 1], sh->size[l], 0, l - 1, l, TR_MX_GRAD, l);
        snprintf(nm, sizeof nm, "dE_final/db%d", l);
        mx_add(list, &k, max, nm, "the mean of the delta's rows", 1, sh->size[l], 0, -1, l, TR_MX_GRAD_BIAS, l);
    } else if (stage == NN_STAGE_UPDATE) {                   /* the update, every layer */
        for (int q = 1; q <= Ln; q++) {
            snprintf(nm, sizeof nm, "W%d", q);
            snprintf(f, sizeof f, "W%d - eta dE_final/dW%d (the updated weights)", q, q);
            mx_add(list, &k, max, nm, f, sh->size[q - 1], sh->size[q], 0, q - 1, q, TR_MX_NEW, q);
            snprintf(nm, sizeof nm, "b%d", q);
            snprintf(f, sizeof f, "b%d - eta dE_final/db%d", q, q);
            mx_add(list, &k, max, nm, f, 1, sh->size[q], 0, -1, q, TR_MX_NEW_BIAS, q);
        }
    }
    return k;
}

/* --------------------------------------------------------------- printing */

/* The writer's state: the step's numbers and its format. */
typedef struct mx_state {
    int format;               /* MX_TEXT, MX_MD, MX_TEX */
    tr_mxstep *vals;          /* the step held */
    double *w_next;           /* W: where the next step starts (the step's updated weights) */
} mx_state;

/* A heading (level 1: the step, 2: a stage), in the format's markup. */
static void mx_heading(tr_out *out, int level, const char *text)
{
    const mx_state *m = out->state;
    char esc[512];
    if (m->format == MX_MD) {
        fprintf(out->opt.fp, "\n%s %s\n", level == 1 ? "##" : "###", text);
    } else if (m->format == MX_TEX) {
        tr_escape_latex(text, esc, sizeof esc);
        fprintf(out->opt.fp, "\n\\%s*{%s}\n", level == 1 ? "section" : "subsection", esc);
    } else {
        fprintf(out->opt.fp, "\n%s\n", text);
        if (level == 1)
            fputs("======\n", out->opt.fp);
    }
}

/* A matrix's line: bold in Markdown and LaTeX. */
static void mx_line(tr_out *out, const char *text)
{
    const mx_state *m = out->state;
    char *esc = m->format == MX_MD ? tx_dup_with(tr_escape_markdown, text)
              : m->format == MX_TEX ? tx_dup_with(tr_escape_latex, text) : NULL;   /* never cut */
    if (m->format == MX_MD) {
        fprintf(out->opt.fp, "\n**%s**\n", esc ? esc : "?");
    } else if (m->format == MX_TEX) {
        fprintf(out->opt.fp, "\n\\par\\noindent %s\n", esc ? esc : "?");
    } else {
        fprintf(out->opt.fp, "\n%s\n", text);
    }
    free(esc);
}

static void mx_put(tr_out *out, const tr_mx *a)
{
    const nn_net *sh = &out->opt.lesson->shape;
    FILE *fp = out->opt.fp;
    mx_state *m = out->state;
    char num[TR_NUM_SIZE], name[64], first[96], last[96], head[1024];
    int shown = a->rows <= TR_MX_SHOWN && a->cols <= TR_MX_SHOWN;
    if (a->kind == TR_MX_E_FINAL) {
        snprintf(head, sizeof head, "E_final = %s = %s", a->formula,
                 tr_fmt_num(tr_mx_get(m->vals, a, 0, 0), tr_out_prec(out), num));
        mx_line(out, head);
        return;
    }
    tr_mx_entry(sh, a, 0, 0, first, sizeof first);
    tr_mx_entry(sh, a, a->rows - 1, a->cols - 1, last, sizeof last);
    if (a->rows == 1 && a->cols == 1) {
        snprintf(head, sizeof head, "%s%s%s (1 x 1): %s (%s)", a->name, a->formula[0] ? " = " : "", a->formula,
                 tr_fmt_num(tr_mx_get(m->vals, a, 0, 0), tr_out_prec(out), num), first);
        mx_line(out, head);
        return;
    }
    snprintf(head, sizeof head, "%s%s%s (%d x %d): entries %s .. %s%s", a->name, a->formula[0] ? " = " : "",
             a->formula, a->rows, a->cols, first, last,
             shown ? "" : "; too large to print, the step-by-step view has every value");
    mx_line(out, head);
    if (!shown)
        return;
    if (m->format == MX_TEX) {                   /* a table: units across, rows down */
        fprintf(fp, "\n\\begin{tabular}{l|%.*s}\n", a->cols, "rrrrrrrr");
        for (int c = 0; c < a->cols; c++) {
            char esc[128];
            tr_mx_col(sh, a, c, name, sizeof name);
            tr_escape_latex(name, esc, sizeof esc);
            fprintf(fp, " & %s", esc);
        }
        fputs(" \\\\ \\hline\n", fp);
        for (int r = 0; r < a->rows; r++) {
            tr_mx_row(sh, a, r, name, sizeof name);
            fputs(name, fp);
            for (int c = 0; c < a->cols; c++)
                fprintf(fp, " & $%s$", tr_fmt_num(tr_mx_get(m->vals, a, r, c), tr_out_prec(out), num));
            fputs(" \\\\\n", fp);
        }
        fputs("\\end{tabular}\n", fp);
        return;
    }
    if (m->format == MX_MD)
        fputs("\n```\n", fp);
    int width = 0;                               /* the widest number, or name, of the matrix */
    for (int r = 0; r < a->rows; r++)
        for (int c = 0; c < a->cols; c++) {
            int w = (int)strlen(tr_fmt_num(tr_mx_get(m->vals, a, r, c), tr_out_prec(out), num));
            width = w > width ? w : width;
        }
    for (int c = 0; c < a->cols; c++) {
        tr_mx_col(sh, a, c, name, sizeof name);
        width = (int)strlen(name) > width ? (int)strlen(name) : width;
    }
    fprintf(fp, "%8s", "");
    for (int c = 0; c < a->cols; c++) {
        tr_mx_col(sh, a, c, name, sizeof name);
        fprintf(fp, " %*s", width, name);
    }
    fputc('\n', fp);
    for (int r = 0; r < a->rows; r++) {
        tr_mx_row(sh, a, r, name, sizeof name);
        fprintf(fp, "%-8s", name);
        for (int c = 0; c < a->cols; c++)
            fprintf(fp, " %*s", width, tr_fmt_num(tr_mx_get(m->vals, a, r, c), tr_out_prec(out), num));
        fputc('\n', fp);
    }
    if (m->format == MX_MD)
        fputs("```\n", fp);
}

/* Stage S of layer l (0: every layer of stage 6), under its heading. */
static void mx_put_stage(tr_out *out, int S, int l)
{
    tr_mx list[TR_MX_MAX];
    char heading[160];
    if (out->opt.only_stage && out->opt.only_stage != S)
        return;
    tr_stage_heading(out, S, l, heading, sizeof heading);
    mx_heading(out, 2, heading);
    int k = tr_mx_stage(&out->opt.lesson->shape, out->opt.lesson->batch_size, S, l, list, TR_MX_MAX);
    for (int q = 0; q < k; q++)
        mx_put(out, &list[q]);
}

/* The step held, stage by stage. */
static void mx_write_step(tr_out *out)
{
    const nn_net *sh = &out->opt.lesson->shape;
    mx_state *m = out->state;
    int Ln = sh->n_layers;
    char stepname[32];
    snprintf(stepname, sizeof stepname, "Step %d", tr_mxstep_step(m->vals));
    mx_heading(out, 1, stepname);
    for (int l = 1; l <= Ln; l++)              /* stages 1 and 2, layer by layer */
        mx_put_stage(out, l == Ln ? 2 : 1, l);
    mx_put_stage(out, 3, Ln);
    for (int l = Ln; l >= 1; l--)              /* stages 4 and 5: from the output back */
        mx_put_stage(out, l == Ln ? 4 : 5, l);
    mx_put_stage(out, 6, 0);
    memcpy(m->w_next, m->vals->w_new, (size_t)sh->n_weights * sizeof(double));  /* the next step's start */
}

/* ----------------------------------------------------------------- writer */

static int mx_begin(tr_out *out, int format)
{
    const ls_lesson *L = out->opt.lesson;
    FILE *fp = out->opt.fp;
    mx_state *m = calloc(1, sizeof *m);
    if (!m)
        return -1;
    out->state = m;
    m->format = format;
    m->vals = tr_mxstep_new(L);
    m->w_next = malloc((size_t)L->shape.n_weights * sizeof(double));
    if (!m->vals || !m->w_next)
        return -1;
    memcpy(m->w_next, L->weights, (size_t)L->shape.n_weights * sizeof(double));
    char text[1024];
    /* the title as each format writes it, never cut */
    char *title = tx_dup_with(format == MX_MD ? tr_escape_markdown : format == MX_TEX ? tr_escape_latex : tx_sanitize,
                              L->title);
    if (!title)
        return -1;
    tr_setup su;
    tr_setup_make(out, TR_PLAIN, &su);
    if (format == MX_MD) {
        fprintf(fp, "# The matrix view: %s\n\n", title);
        for (int q = 0; q < su.n; q++)
            fprintf(fp, "- **%s:** %s\n", su.line[q].label, su.line[q].text);
    } else if (format == MX_TEX) {
        fprintf(fp, "\\documentclass[10pt]{article}\n\\usepackage[T1]{fontenc}\n\\usepackage{lmodern}\n"
                    "\\usepackage[margin=2cm]{geometry}\n\\setlength{\\parskip}{0.5ex}\n\\sloppy\n\\begin{document}\n"
                    "\\section*{The matrix view: %s}\n", title);
        for (int q = 0; q < su.n; q++) {
            char *line = tx_dup_with(tr_escape_latex, su.line[q].text);   /* the edits: whole */
            fprintf(fp, "\\noindent\\textbf{%s:} %s\\\\\n", su.line[q].label, line ? line : "?");
            free(line);
        }
    } else {
        fprintf(fp, "The matrix view: %s\n\n", title);
        for (int q = 0; q < su.n; q++)
            fprintf(fp, "%s: %s\n", su.line[q].label, su.line[q].text);
    }
    snprintf(text, sizeof text, "Each stage as Part 2 of the walkthrough writes it: one row per sample of the "
             "batch, one column per unit; a matrix of more than %d rows or columns is given by its shape.",
             TR_MX_SHOWN);
    mx_line(out, text);
    free(title);
    return ferror(fp) ? -1 : 0;
}
static int mx_begin_text(tr_out *out) { return mx_begin(out, MX_TEXT); }
static int mx_begin_markdown(tr_out *out) { return mx_begin(out, MX_MD); }
static int mx_begin_latex(tr_out *out) { return mx_begin(out, MX_TEX); }

static int mx_stage(tr_out *out, int step, int stage)
{
    mx_state *m = out->state;
    (void)stage;
    if (tr_mxstep_step(m->vals) != step) {
        if (tr_mxstep_step(m->vals))
            mx_write_step(out);
        tr_mxstep_start(m->vals, step, m->w_next);
    }
    return ferror(out->opt.fp) ? -1 : 0;
}

static int mx_event(tr_out *out, const tr_event *ev)
{
    mx_state *m = out->state;
    tr_mxstep_event(m->vals, ev);
    return 0;
}

static int mx_end(tr_out *out)
{
    mx_state *m = out->state;
    if (tr_mxstep_step(m->vals))
        mx_write_step(out);
    if (m->format == MX_TEX)
        fputs("\n\\end{document}\n", out->opt.fp);
    return ferror(out->opt.fp) ? -1 : 0;
}

static void mx_cleanup(tr_out *out)
{
    mx_state *m = out->state;
    if (m) {
        tr_mxstep_free(m->vals);
        free(m->w_next);
        free(m);
    }
    out->state = NULL;
}

const tr_writer tr_matrix_text = { "text", mx_begin_text, mx_stage, mx_event, mx_end, mx_cleanup, 0 };
const tr_writer tr_matrix_markdown = { "markdown", mx_begin_markdown, mx_stage, mx_event, mx_end, mx_cleanup, 0 };
const tr_writer tr_matrix_latex = { "latex", mx_begin_latex, mx_stage, mx_event, mx_end, mx_cleanup, 0 };
