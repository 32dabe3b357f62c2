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

#include <stdlib.h>
#include <string.h>

#define MX_SHOWN 8            /* a matrix of more rows or columns is given by its shape */
enum { MX_TEXT, MX_MD, MX_TEX };

/* One step's values, by what they are. */
typedef struct mx_state {
    int format;               /* MX_TEXT, MX_MD, MX_TEX */
    int step;                 /* the step held (0: none yet) */
    double *val[NN_EV_KINDS][NN_MAX_LAYERS + 1];  /* per kind and layer: n x size[l] values */
    double *e_total;          /* n */
    double e_final;
    double *dw, *w_new;       /* W each: the gradients, the updated weights */
    double *w_old;            /* W: the weights the step starts from */
    double *x, *y;            /* the step's batch */
    int wrote_head;           /* the set-up lines are out */
} mx_state;

static int mx_alloc(tr_out *out, int format)
{
    const ls_lesson *L = out->lesson;
    const nn_net *sh = &L->shape;
    mx_state *m = calloc(1, sizeof *m);
    if (!m)
        return -1;
    out->state = m;
    m->format = format;
    size_t n = (size_t)L->batch_size, W = (size_t)sh->n_weights;
    for (int k = 0; k < NN_EV_KINDS; k++)
        for (int l = 1; l <= sh->n_layers; l++)
            if (!(m->val[k][l] = calloc(n * (size_t)sh->size[l], sizeof(double))))
                return -1;
    m->e_total = calloc(n, sizeof(double));
    m->dw = calloc(W, sizeof(double));
    m->w_new = calloc(W, sizeof(double));
    m->w_old = malloc(W * sizeof(double));
    m->x = malloc(n * (size_t)sh->size[0] * sizeof(double));
    m->y = malloc(n * (size_t)sh->size[sh->n_layers] * sizeof(double));
    if (!m->e_total || !m->dw || !m->w_new || !m->w_old || !m->x || !m->y)
        return -1;
    memcpy(m->w_old, L->weights, W * sizeof(double));
    return 0;
}

/* --------------------------------------------------------------- printing */

/* A heading (level 1: the step, 2: a stage), in the format's markup. */
static void mx_heading(tr_out *out, int level, const char *text)
{
    const mx_state *m = out->state;
    char esc[512];
    if (m->format == MX_MD) {
        fprintf(out->fp, "\n%s %s\n", level == 1 ? "##" : "###", text);
    } else if (m->format == MX_TEX) {
        tr_escape_latex(text, esc, sizeof esc);
        fprintf(out->fp, "\n\\%s*{%s}\n", level == 1 ? "section" : "subsection", esc);
    } else {
        fprintf(out->fp, "\n%s\n", text);
        if (level == 1)
            fputs("======\n", out->fp);
    }
}

/* A matrix's line: bold in Markdown and LaTeX. */
static void mx_line(tr_out *out, const char *text)
{
    const mx_state *m = out->state;
    char esc[1024];
    if (m->format == MX_MD) {
        tr_escape_markdown(text, esc, sizeof esc);
        fprintf(out->fp, "\n**%s**\n", esc);
    } else if (m->format == MX_TEX) {
        tr_escape_latex(text, esc, sizeof esc);
        fprintf(out->fp, "\n\\par\\noindent %s\n", esc);
    } else {
        fprintf(out->fp, "\n%s\n", text);
    }
}

/* What a matrix shows: rows x cols entries, each a number got by get(). */
typedef struct mx_matrix {
    const char *name;         /* "NET_h" */
    const char *formula;      /* "X W1 + b1", or "" */
    int rows, cols;
    const char *row_kind;     /* "X" (samples), "" (units of a layer: row_layer) */
    int row_layer;            /* rows are units of this layer (row_kind ""), -1 for one row */
    int col_layer;            /* columns are units of this layer */
    const char *entry;        /* how an entry is named: "net_%c" (unit), or "" for weights */
    int kind;                 /* what the entries are: NN_EV_* of a layer, or a MX_* below */
    int layer;                /* the layer of the values */
} mx_matrix;

enum { MX_INPUT = 100, MX_TARGET, MX_WEIGHT, MX_BIAS, MX_GRAD, MX_GRAD_BIAS, MX_NEW, MX_NEW_BIAS,
       MX_E_TOTAL };

static double mx_get(const tr_out *out, const mx_matrix *a, int r, int c)
{
    const mx_state *m = out->state;
    const nn_net *sh = &out->lesson->shape;
    int l = a->layer, N = sh->size[0], O = sh->size[sh->n_layers];
    switch (a->kind) {
    case MX_INPUT:     return m->x[(size_t)r * N + c];
    case MX_TARGET:    return m->y[(size_t)r * O + c];
    case MX_WEIGHT:    return m->w_old[nn_w_index(sh, l, r, c)];
    case MX_BIAS:      return m->w_old[nn_b_index(sh, l, c)];
    case MX_GRAD:      return m->dw[nn_w_index(sh, l, r, c)];
    case MX_GRAD_BIAS: return m->dw[nn_b_index(sh, l, c)];
    case MX_NEW:       return m->w_new[nn_w_index(sh, l, r, c)];
    case MX_NEW_BIAS:  return m->w_new[nn_b_index(sh, l, c)];
    case MX_E_TOTAL:   return m->e_total[r];
    default:           return m->val[a->kind][l][(size_t)r * sh->size[l] + c];
    }
}

/* The name of entry (r, c) in the step-by-step view. */
static void mx_entry_name(const tr_out *out, const mx_matrix *a, int r, int c, char *buf, size_t size)
{
    const nn_net *sh = &out->lesson->shape;
    char sym[64];
    int l = a->layer;
    switch (a->kind) {
    case MX_INPUT:     snprintf(buf, size, "X%d:x%d", r + 1, c + 1); return;
    case MX_TARGET:    snprintf(buf, size, "X%d:y%d", r + 1, c + 1); return;
    case MX_WEIGHT:    snprintf(buf, size, "w%d (before)", nn_w_index(sh, l, r, c) + 1); return;
    case MX_BIAS:      snprintf(buf, size, "w%d (before)", nn_b_index(sh, l, c) + 1); return;
    case MX_GRAD:      snprintf(buf, size, "dE_final/dw%d", nn_w_index(sh, l, r, c) + 1); return;
    case MX_GRAD_BIAS: snprintf(buf, size, "dE_final/dw%d", nn_b_index(sh, l, c) + 1); return;
    case MX_NEW:       snprintf(buf, size, "w%d", nn_w_index(sh, l, r, c) + 1); return;
    case MX_NEW_BIAS:  snprintf(buf, size, "w%d", nn_b_index(sh, l, c) + 1); return;
    case MX_E_TOTAL:   snprintf(buf, size, "X%d:E_total", r + 1); return;
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

/* Row r's label: a sample (X1), a unit the weights come from (h2, or 1 for the bias), or none. */
static void mx_row_name(const nn_net *sh, const mx_matrix *a, int r, char *buf, size_t size)
{
    if (a->row_layer >= 0 && a->row_kind[0] == '\0')
        mx_unit(sh, a->row_layer, r, buf, size);
    else if (a->row_layer < 0)
        buf[0] = '\0';
    else
        snprintf(buf, size, "%s%d", a->row_kind, r + 1);
}

static void mx_put(tr_out *out, const mx_matrix *a)
{
    const nn_net *sh = &out->lesson->shape;
    FILE *fp = out->fp;
    mx_state *m = out->state;
    char num[TR_NUM_SIZE], name[64], first[96], last[96];
    int shown = a->rows <= MX_SHOWN && a->cols <= MX_SHOWN;
    mx_entry_name(out, a, 0, 0, first, sizeof first);
    mx_entry_name(out, a, a->rows - 1, a->cols - 1, last, sizeof last);
    char head[1024];
    if (a->rows == 1 && a->cols == 1) {
        snprintf(head, sizeof head, "%s%s%s (1 x 1): %s (%s)", a->name, a->formula[0] ? " = " : "", a->formula,
                 tr_fmt_fixed(mx_get(out, a, 0, 0), out->digits, num), first);
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
            mx_unit(sh, a->col_layer, c, name, sizeof name);
            tr_escape_latex(name, esc, sizeof esc);
            fprintf(fp, " & %s", esc);
        }
        fputs(" \\\\ \\hline\n", fp);
        for (int r = 0; r < a->rows; r++) {
            mx_row_name(sh, a, r, name, sizeof name);
            fputs(name, fp);
            for (int c = 0; c < a->cols; c++)
                fprintf(fp, " & $%s$", tr_fmt_fixed(mx_get(out, a, r, c), out->digits, num));
            fputs(" \\\\\n", fp);
        }
        fputs("\\end{tabular}\n", fp);
        return;
    }
    if (m->format == MX_MD)
        fputs("\n```\n", fp);
    int width = out->digits + 5;
    fprintf(fp, "%8s", "");
    for (int c = 0; c < a->cols; c++) {
        mx_unit(sh, a->col_layer, c, name, sizeof name);
        fprintf(fp, " %*s", width, name);
    }
    fputc('\n', fp);
    for (int r = 0; r < a->rows; r++) {
        mx_row_name(sh, a, r, name, sizeof name);
        fprintf(fp, "%-8s", name);
        for (int c = 0; c < a->cols; c++)
            fprintf(fp, " %*s", width, tr_fmt_fixed(mx_get(out, a, r, c), out->digits, num));
        fputc('\n', fp);
    }
    if (m->format == MX_MD)
        fputs("```\n", fp);
}

/* Capital names of a layer's matrices: "H" (hidden), "H2" (hidden 2), "O". */
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

/* The step held, stage by stage. */
static void mx_write_step(tr_out *out)
{
    const ls_lesson *L = out->lesson;
    const nn_net *sh = &L->shape;
    mx_state *m = out->state;
    int n = L->batch_size, Ln = sh->n_layers, O = sh->size[Ln];
    int ce = sh->loss == NN_LOSS_CROSS_ENTROPY;
    char a[16], b[16], nm[64], f[160], heading[160];
    char stepname[32];
    snprintf(stepname, sizeof stepname, "Step %d", m->step);
    mx_heading(out, 1, stepname);
    /* stages 1 and 2, layer by layer */
    for (int l = 1; l <= Ln; l++) {
        int S = l == Ln ? 2 : 1;
        if (out->only_stage && out->only_stage != S)
            continue;
        out->layer = l;
        tr_stage_heading(out, S, heading, sizeof heading);
        mx_heading(out, 2, heading);
        mx_layer_name(sh, l - 1, a, sizeof a);
        mx_layer_name(sh, l, b, sizeof b);
        if (l == 1) {
            mx_matrix X = { "X", "the batch, one row per sample", n, sh->size[0], "X", 1, 0, "", MX_INPUT, 0 };
            mx_put(out, &X);
        }
        snprintf(nm, sizeof nm, "W%d", l);
        snprintf(f, sizeof f, "weights from the %s units (rows) to the %s units (columns)",
                 l == 1 ? "input" : "hidden", l == Ln ? "output" : "hidden");
        mx_matrix Wm = { nm, f, sh->size[l - 1], sh->size[l], "", l - 1, l, "", MX_WEIGHT, l };
        mx_put(out, &Wm);
        char bn[16];
        snprintf(bn, sizeof bn, "b%d", l);
        mx_matrix B = { bn, "the biases (the weights from the bias input 1)", 1, sh->size[l], "", -1, l, "",
                        MX_BIAS, l };
        mx_put(out, &B);
        char netn[24], outn[24];
        snprintf(netn, sizeof netn, "NET_%s", b);
        snprintf(outn, sizeof outn, "OUT_%s", b);
        snprintf(f, sizeof f, "%s%s W%d + b%d (b%d added to every row)", l == 1 ? "" : "OUT_", l == 1 ? "X" : a,
                 l, l, l);
        mx_matrix NET = { netn, f, n, sh->size[l], "X", 1, l, "", NN_EV_NET, l };
        mx_put(out, &NET);
        snprintf(f, sizeof f, "%s(NET_%s)%s", nn_act_name(sh->act[l]), b,
                 sh->act[l] == NN_ACT_SOFTMAX ? ", each row" : ", each entry");
        mx_matrix OUT = { outn, f, n, sh->size[l], "X", 1, l, "", NN_EV_OUT, l };
        mx_put(out, &OUT);
    }
    /* stage 3 */
    if (!out->only_stage || out->only_stage == 3) {
        tr_stage_heading(out, 3, heading, sizeof heading);
        mx_heading(out, 2, heading);
        mx_matrix Y = { "Y", "the targets, one row per sample", n, O, "X", 1, Ln, "", MX_TARGET, 0 };
        mx_put(out, &Y);
        mx_matrix E = { "E_total", ce ? (sh->act[Ln] == NN_ACT_SOFTMAX ? "-sum of Y * ln(OUT_O) over each row"
                                                                      : "the cross-entropy of each row")
                                      : "1/2 sum of (OUT_O - Y)^2 over each row",
                        n, 1, "X", 1, -1, "", MX_E_TOTAL, Ln };
        mx_put(out, &E);
        char num[TR_NUM_SIZE];
        char ef[128];
        snprintf(ef, sizeof ef, "E_final = the mean of E_total = %s", tr_fmt_fixed(m->e_final, out->digits, num));
        mx_line(out, ef);
    }
    /* stages 4 and 5: from the output back */
    for (int l = Ln; l >= 1; l--) {
        int S = l == Ln ? 4 : 5;
        if (out->only_stage && out->only_stage != S)
            continue;
        out->layer = l;
        tr_stage_heading(out, S, heading, sizeof heading);
        mx_heading(out, 2, heading);
        mx_layer_name(sh, l, b, sizeof b);
        mx_layer_name(sh, l - 1, a, sizeof a);
        char d1[48], d2[48], delta[128];
        if (l == Ln && ce) {
            snprintf(d1, sizeof d1, "dE_total/dNET_O");
            mx_matrix D = { d1, "OUT_O - Y (the slope cancels)", n, O, "X", 1, l, "", NN_EV_DE_DNET, l };
            mx_put(out, &D);
            snprintf(delta, sizeof delta, "dE_total/dNET_O");
        } else {
            char up[16];
            mx_layer_name(sh, l + 1 <= Ln ? l + 1 : Ln, up, sizeof up);
            snprintf(d1, sizeof d1, "dE_total/dOUT_%s", b);
            if (l == Ln)
                snprintf(f, sizeof f, "OUT_O - Y");
            else
                snprintf(f, sizeof f, "(the layer above's delta) W%d^T", l + 1);
            mx_matrix D = { d1, f, n, sh->size[l], "X", 1, l, "", NN_EV_DE_DOUT, l };
            mx_put(out, &D);
            snprintf(d2, sizeof d2, "dOUT_%s/dNET_%s", b, b);
            static const char *const slope[NN_ACT_COUNT] = { "OUT * (1 - OUT)", "1 - OUT^2", "1 where NET > 0, else 0",
                                                            "1", "1" };
            mx_matrix D2 = { d2, slope[sh->act[l]], n, sh->size[l], "X", 1, l, "", NN_EV_DOUT_DNET, l };
            mx_put(out, &D2);
            snprintf(delta, sizeof delta, "(%s * %s, entry by entry)", d1, d2);
        }
        snprintf(nm, sizeof nm, "dE_final/dW%d", l);
        snprintf(f, sizeof f, "1/%d %s^T %s", n, l == 1 ? "X" : a, delta);
        if (l > 1) {
            char t[160];
            snprintf(t, sizeof t, "1/%d OUT_%s^T %s", n, a, delta);
            snprintf(f, sizeof f, "%s", t);
        }
        mx_matrix G = { nm, f, sh->size[l - 1], sh->size[l], "", l - 1, l, "", MX_GRAD, l };
        mx_put(out, &G);
        char gb[24];
        snprintf(gb, sizeof gb, "dE_final/db%d", l);
        mx_matrix GB = { gb, "the mean of the delta's rows", 1, sh->size[l], "", -1, l, "", MX_GRAD_BIAS, l };
        mx_put(out, &GB);
    }
    /* stage 6 */
    if (!out->only_stage || out->only_stage == 6) {
        out->layer = 0;
        tr_stage_heading(out, 6, heading, sizeof heading);
        mx_heading(out, 2, heading);
        for (int l = 1; l <= Ln; l++) {
            char wn[16], bn[16];
            snprintf(wn, sizeof wn, "W%d", l);
            snprintf(f, sizeof f, "W%d - eta dE_final/dW%d (the updated weights)", l, l);
            mx_matrix Wm = { wn, f, sh->size[l - 1], sh->size[l], "", l - 1, l, "", MX_NEW, l };
            mx_put(out, &Wm);
            snprintf(bn, sizeof bn, "b%d", l);
            snprintf(f, sizeof f, "b%d - eta dE_final/db%d", l, l);
            mx_matrix Bm = { bn, f, 1, sh->size[l], "", -1, l, "", MX_NEW_BIAS, l };
            mx_put(out, &Bm);
        }
    }
    memcpy(m->w_old, m->w_new, (size_t)sh->n_weights * sizeof(double));   /* the next step's start */
}

/* ----------------------------------------------------------------- writer */

static int mx_begin(tr_out *out, int format)
{
    const ls_lesson *L = out->lesson;
    FILE *fp = out->fp;
    if (mx_alloc(out, format) != 0)
        return -1;
    char title[1024], text[1024];
    tr_setup su;
    tr_setup_make(out, TR_PLAIN, &su);
    if (format == MX_MD) {
        tr_escape_markdown(L->title, title, sizeof title);
        fprintf(fp, "# The matrix view: %s\n\n", title);
        for (int q = 0; q < su.n; q++)
            fprintf(fp, "- **%s:** %s\n", su.line[q].label, su.line[q].text);
    } else if (format == MX_TEX) {
        tr_escape_latex(L->title, title, sizeof title);
        fprintf(fp, "\\documentclass[10pt]{article}\n\\usepackage[T1]{fontenc}\n\\usepackage{lmodern}\n"
                    "\\usepackage[margin=2cm]{geometry}\n\\setlength{\\parskip}{0.5ex}\n\\sloppy\n\\begin{document}\n"
                    "\\section*{The matrix view: %s}\n", title);
        for (int q = 0; q < su.n; q++) {
            tr_escape_latex(su.line[q].text, text, sizeof text);
            fprintf(fp, "\\noindent\\textbf{%s:} %s\\\\\n", su.line[q].label, text);
        }
    } else {
        tx_sanitize(L->title, title, sizeof title);
        fprintf(fp, "The matrix view: %s\n\n", title);
        for (int q = 0; q < su.n; q++)
            fprintf(fp, "%s: %s\n", su.line[q].label, su.line[q].text);
    }
    snprintf(text, sizeof text, "Each stage as Part 2 of the walkthrough writes it: one row per sample of the "
             "batch, one column per unit; a matrix of more than %d rows or columns is given by its shape.",
             MX_SHOWN);
    mx_line(out, text);
    return ferror(fp) ? -1 : 0;
}
static int mx_begin_text(tr_out *out) { return mx_begin(out, MX_TEXT); }
static int mx_begin_markdown(tr_out *out) { return mx_begin(out, MX_MD); }
static int mx_begin_latex(tr_out *out) { return mx_begin(out, MX_TEX); }

static int mx_stage(tr_out *out, int step, int stage)
{
    mx_state *m = out->state;
    (void)stage;
    if (m->step != step) {
        if (m->step)
            mx_write_step(out);
        m->step = step;
        ls_batch(out->lesson, step, m->x, m->y);
    }
    return ferror(out->fp) ? -1 : 0;
}

static int mx_event(tr_out *out, const tr_event *ev)
{
    mx_state *m = out->state;
    const nn_net *sh = &out->lesson->shape;
    switch (ev->kind) {
    case NN_EV_LOSS:       m->e_total[ev->sample - 1] = ev->value; break;
    case NN_EV_LOSS_BATCH: m->e_final = ev->value; break;
    case NN_EV_GRADIENT:   m->dw[ev->weight - 1] = ev->value; break;
    case NN_EV_UPDATE:     m->w_new[ev->weight - 1] = ev->value; break;
    default:
        if (ev->sample >= 1 && ev->layer >= 1 && ev->layer <= sh->n_layers && ev->unit >= 1)
            m->val[ev->kind][ev->layer][(size_t)(ev->sample - 1) * sh->size[ev->layer] + ev->unit - 1] = ev->value;
    }
    return 0;
}

static int mx_end(tr_out *out)
{
    mx_state *m = out->state;
    if (m->step)
        mx_write_step(out);
    if (m->format == MX_TEX)
        fputs("\n\\end{document}\n", out->fp);
    return ferror(out->fp) ? -1 : 0;
}

static void mx_cleanup(tr_out *out)
{
    mx_state *m = out->state;
    if (m) {
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
    out->state = NULL;
}

const tr_writer tr_matrix_text = { "text", mx_begin_text, mx_stage, mx_event, mx_end, mx_cleanup };
const tr_writer tr_matrix_markdown = { "markdown", mx_begin_markdown, mx_stage, mx_event, mx_end, mx_cleanup };
const tr_writer tr_matrix_latex = { "latex", mx_begin_latex, mx_stage, mx_event, mx_end, mx_cleanup };
