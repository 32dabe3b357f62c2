/*
 * writer_markdown.c - the derivation as Markdown: a title, the set-up, then
 * per step and stage a heading, the note as a quote, and one table per
 * sample (then one for the batch values) with formula, numbers and result
 * in code spans.  Readable on GitHub and through pandoc.
 */
#include "trace.h"
#include "../text/text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MD_MAX_LIST  24     /* weights and rows listed in the set-up */
#define MD_CHANGES   200    /* weights listed before and after; more: the 20 that moved most */
#define MD_PX        60.0   /* SVG pixels per cm of the figure's plan */

/* The network as inline SVG (tr_fig_plan lays it out), each line labelled
 * with its starting weight: raw HTML, which pandoc's HTML output keeps. */
/* Text escaped for Markdown, in a string of its own (tr_note_escaped). */
static char *md_escape_dup(const char *text)
{
    return tx_dup_with(tr_escape_markdown, text);
}

static int md_figure(tr_out *out)
{
    const ls_lesson *L = out->opt.lesson;
    const nn_net *sh = &L->shape;
    FILE *fp = out->opt.fp;
    tr_fig *f = malloc(sizeof *f);
    char name[32], num[TR_NUM_SIZE];
    if (!f)
        return -1;
    tr_fig_plan(sh, L->weights, tr_out_prec(out), f);
    double pad = 40, w = f->width * MD_PX + 2 * pad, h = f->height * MD_PX + pad + 30;
    /* plan (cm, y up) to SVG (px, y down) */
#define SX(x) ((x) * MD_PX + pad)
#define SY(y) (-(y) * MD_PX + pad + 10)
    fprintf(fp, "\n**The network**\n\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"13\">\n", w, h, w, h);
    for (int l = 0; l <= sh->n_layers; l++)
        fprintf(fp, "<text x=\"%.1f\" y=\"14\" text-anchor=\"middle\" font-weight=\"bold\">%s</text>\n",
                SX(l * f->col_gap), l == 0 ? "input" : l == sh->n_layers ? "output" : "hidden");
    for (int e = 0; e < f->n_edges; e++) {
        const tr_fig_node *a = &f->nodes[f->edges[e].from], *b = &f->nodes[f->edges[e].to];
        fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\"/>\n",
                SX(a->x), SY(a->y), SX(b->x), SY(b->y));
    }
    for (int e = 0; f->labels && e < f->n_edges; e++) {
        const tr_fig_edge *ed = &f->edges[e];
        const tr_fig_node *a = &f->nodes[ed->from], *b = &f->nodes[ed->to];
        double x = a->x + ed->pos * (b->x - a->x), y = a->y + ed->pos * (b->y - a->y);
        fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"10\" "
                    "stroke=\"white\" stroke-width=\"3\" paint-order=\"stroke\">w%d%s%s</text>\n",
                SX(x), SY(y) + 3, ed->weight + 1, f->label_values ? " = " : "",
                f->label_values ? tr_fmt_num_given(L->weights[ed->weight], tr_out_prec(out), num) : "");
    }
    for (int q = 0; q < f->n_nodes; q++) {
        const tr_fig_node *n = &f->nodes[q];
        if (n->unit == TR_FIG_MORE) {
            fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">&#8942; %d more</text>\n",
                    SX(n->x), SY(n->y) + 4, sh->size[n->layer] - 7);
        } else if (n->unit == TR_FIG_BIAS) {
            fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"26\" height=\"26\" fill=\"white\" stroke=\"black\" "
                        "stroke-dasharray=\"4 3\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">1</text>\n",
                    SX(n->x) - 13, SY(n->y) - 13, SX(n->x), SY(n->y) + 5);
        } else {
            nn_unit_name(sh, n->layer, n->unit, name, sizeof name);
            fprintf(fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"17\" fill=\"white\" stroke=\"black\"/>"
                        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
                    SX(n->x), SY(n->y), SX(n->x), SY(n->y) + 5, name);
        }
    }
#undef SX
#undef SY
    fputs("</svg>\n", fp);
    if (!f->labels)
        fputs("\nThe lines are too many to label; the table below gives the weights.\n", fp);
    free(f);
    return ferror(fp) ? -1 : 0;
}

/* A code span that is safe in a table cell. */
static void put_code(FILE *fp, const char *text)
{
    fputc('`', fp);
    for (const char *p = text; *p; p++) {
        if (*p == '|')
            fputs("\\|", fp);
        else if (*p != '`')
            fputc(*p, fp);
    }
    fputc('`', fp);
}

/* What the writer keeps for an image lesson's pictures: each sample's
 * largest output so far in the step (the network's answer). */
typedef struct md_state {
    int *answer;              /* per sample: the output unit (from 0) with the largest out, -1 none */
    double *best;             /* ... its out */
    int seen;                 /* outputs seen this step */
} md_state;

static int md_begin(tr_out *out)
{
    const ls_lesson *L = out->opt.lesson;
    int N = nn_n_inputs(&L->shape), O = nn_n_outputs(&L->shape);   /* inputs, outputs */
    FILE *fp = out->opt.fp;
    char a[TR_NUM_SIZE], b[TR_NUM_SIZE], *title = tx_dup_with(tr_escape_markdown, L->title);   /* never cut */ /* mutant: markdown-title-cut */
    if (!title)
        return -1;
    fprintf(fp, "# Backpropagation, step by step: %s\n\n", title);
    free(title);
    tr_setup su;
    tr_setup_make(out, TR_PLAIN, &su);
    for (int q = 0; q < su.n; q++)
        fprintf(fp, "- **%s:** %s\n", su.line[q].label, su.line[q].text);
    if (md_figure(out) != 0) /* mutant: markdown-no-figure */
        return -1;
    if (L->image_w) {                             /* pictures of the batch after stage 2 */
        md_state *m = calloc(1, sizeof *m);
        if (!m)
            return -1;
        out->state = m;
        m->answer = malloc((size_t)L->batch_size * sizeof(int));
        m->best = malloc((size_t)L->batch_size * sizeof(double));
        if (!m->answer || !m->best)
            return -1;
    }
    char *source = tx_dup_with(tr_escape_markdown, L->weights_from);
    fprintf(fp, "\n**Weights before step 1** (%s)\n\n| weight | from | to | value |\n|:--|:--|:--|--:|\n",
            source ? source : "?");
    free(source);
    int W = ls_n_weights(L);
    const nn_net *shape = &L->shape;
    for (int m = 0; m < W && m < MD_MAX_LIST; m++) {
        char from[16], to[16];
        nn_w_ends(shape, m, from, sizeof from, to, sizeof to);
        fprintf(fp, "| w%d | %s | %s | %s |\n", m + 1, from, to, tr_fmt_num_given(L->weights[m], tr_out_prec(out), a));
    }
    if (W > MD_MAX_LIST)
        fprintf(fp, "\n... and %d more (the CSV and JSON Lines formats list every value).\n", W - MD_MAX_LIST);
    fprintf(fp, "\n**Data** (%d row%s)\n\n| row |", L->n_rows, L->n_rows == 1 ? "" : "s");
    for (int i = 0; i < N && i < 8; i++) {
        char *name = tx_dup_with(tr_escape_markdown, L->input_names[i]);
        fprintf(fp, " %s |", name ? name : "?");
        free(name);
    }
    fprintf(fp, "%s target |\n|--:|", N > 8 ? " ... |" : "");
    for (int i = 0; i < N && i < 8; i++)
        fprintf(fp, "--:|");
    fprintf(fp, "%s:--|\n", N > 8 ? ":-:|" : "");
    for (int r = 0; r < L->n_rows && r < MD_MAX_LIST; r++) {
        fprintf(fp, "| %d |", r + 1);
        for (int i = 0; i < N && i < 8; i++)
            fprintf(fp, " %s |", tr_fmt_num_given(L->x[(size_t)r * N + i], tr_out_prec(out), a));
        fprintf(fp, "%s (", N > 8 ? " ... |" : "");
        for (int k = 0; k < O; k++)
            fprintf(fp, "%s%s", k ? ", " : "", tr_fmt_num_given(L->y[(size_t)r * O + k], tr_out_prec(out), b));
        if (L->label)
            fprintf(fp, "), label %d |\n", L->label[r]);
        else
            fprintf(fp, ") |\n");
    }
    if (L->n_rows > MD_MAX_LIST)
        fprintf(fp, "\n... and %d more rows.\n", L->n_rows - MD_MAX_LIST);
    return ferror(fp) ? -1 : 0;
}


/* After stage 2 of an image lesson: each sample of the batch as a picture
 * (inline SVG, a grey square per inked pixel, scaled to the picture's own
 * range) with its label and the network's answer. */
static void md_pictures(tr_out *out, int step)
{
    const ls_lesson *L = out->opt.lesson;
    md_state *m = out->state;
    FILE *fp = out->opt.fp;
    int W = L->image_w, H = L->image_h, N = nn_n_inputs(&L->shape);
    int cell = 112 / W < 1 ? 1 : 112 / W > 14 ? 14 : 112 / W;   /* about 112 pixels across */
    if (!m || m->seen < L->batch_size * nn_n_outputs(&L->shape))
        return;                                   /* stage 2 not written whole */
    fprintf(fp, "\n**The batch as pictures** (each sample's label, and the network's answer: its largest "
                "output)\n\n");
    for (int s = 0; s < L->batch_size; s++) {
        int r = ls_batch_row(L, step, s);
        double lo, hi;
        const double *px = ls_image_row(L, r, &lo, &hi);
        fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\"><title>X%d", W * cell,
                H * cell + 14, s + 1);
        if (L->label)
            fprintf(fp, ": label %d", L->label[r]);
        fprintf(fp, ", answer %d</title><rect width=\"%d\" height=\"%d\" fill=\"#fff\" stroke=\"#999\"/>",
                m->answer[s], W * cell, H * cell);
        for (int i = 0; i < N; i++) {
            double f = hi > lo ? (px[i] - lo) / (hi - lo) : 0;
            int g = (int)(255 * (1 - f) + 0.5);
            if (g < 255)
                fprintf(fp, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"rgb(%d,%d,%d)\"/>",
                        i % W * cell, i / W * cell, cell, cell, g, g, g);
        }
        fprintf(fp, "<text x=\"2\" y=\"%d\" font-size=\"11\" font-family=\"sans-serif\">X%d", H * cell + 12, s + 1);
        if (L->label)
            fprintf(fp, ": %d, answer %d</text></svg>\n", L->label[r], m->answer[s]);
        else
            fprintf(fp, ": answer %d</text></svg>\n", m->answer[s]);
    }
}

static int md_stage(tr_out *out, int step, int stage)
{
    const ls_lesson *L = out->opt.lesson;
    FILE *fp = out->opt.fp;
    md_state *m = out->state;
    if (m && out->now->new_step) {
        for (int s = 0; s < L->batch_size; s++)
            m->answer[s] = -1;
        m->seen = 0;
    }
    if (m && stage == NN_STAGE_LOSS)
        md_pictures(out, step);
    if (out->now->new_step) {
        char rows[160];
        fprintf(fp, "\n## Step %d\n\nBatch: X1..X%d are %s.\n", step, L->batch_size,
                tr_batch_rows(L, step, rows, sizeof rows));
    }
    char heading[160];
    fprintf(fp, "\n### %s\n", tr_stage_heading(out, stage, out->now->layer, heading, sizeof heading));
    if (L->notes[stage - 1] && !out->now->stage_again) {
        char *esc = tr_note_escaped(out, stage, md_escape_dup);
        if (!esc)
            return -1;
        fprintf(fp, "\n> %s\n", esc);
        free(esc);
    }
    if (stage == NN_STAGE_HIDDEN_BACKWARD)
        fprintf(fp, "\n*%s*\n", tr_stage5_reuse(out, TR_PLAIN));
    out->last_sample = -1;
    return ferror(fp) ? -1 : 0;
}

static int md_event(tr_out *out, const tr_event *ev)
{
    FILE *fp = out->opt.fp;
    md_state *m = out->state;
    if (m && ev->kind == NN_EV_OUT && ev->layer == out->opt.lesson->shape.n_layers && ev->sample >= 1 &&
        ev->sample <= out->opt.lesson->batch_size) {      /* the network's answer so far */
        int s = ev->sample - 1;
        if (m->answer[s] < 0 || ev->value > m->best[s]) { /* mutant: pictures-answer-smallest */
            m->answer[s] = ev->unit - 1;
            m->best[s] = ev->value;
        }
        m->seen++;
    }
    char formula[TR_FORMULA_SIZE], numbers[TR_FORMULA_SIZE], result[TR_NUM_SIZE];
    if (ev->sample != out->last_sample) {
        if (ev->sample > 0)
            fprintf(fp, "\n**X%d**\n\n", ev->sample);
        else
            fprintf(fp, "\n**Batch**\n\n");
        fprintf(fp, "| value | formula | with numbers | result |\n|:--|:--|:--|--:|\n");
        out->last_sample = ev->sample;
    }
    size_t formula_len, numbers_len;
    tr_render_both(ev->formula, ev->ops, ev->n_ops, tr_out_prec(out), formula, sizeof formula, &formula_len,
                   numbers, sizeof numbers, &numbers_len);
    fputs("| ", fp);
    put_code(fp, ev->symbol);
    fputs(" | ", fp);
    put_code(fp, formula);
    fputs(" | ", fp);
    put_code(fp, numbers);
    fprintf(fp, " | %s |\n", tr_fmt_num(ev->value, tr_out_prec(out), result));
    return ferror(fp) ? -1 : 0;
}

/* The end: every weight before step 1 and after the last step (more than
 * MD_CHANGES: the 20 that moved most), and E_final before and after. */
static int md_end(tr_out *out)
{
    const ls_lesson *L = out->opt.lesson;
    const nn_net *sh = &L->shape;
    FILE *fp = out->opt.fp;
    int W = sh->n_weights, top[20], n_top = 0;
    char a[TR_NUM_SIZE], b[TR_NUM_SIZE], c[TR_NUM_SIZE], from[16], to[16];
    if (!out->now->w_end)
        return 0;
    fprintf(fp, "\n## Before and after\n\nE_final of the batch of step 1: %s with the starting weights, "
                "%s with the weights after step %d.\n\n",
            tr_fmt_num(out->now->e_start, tr_out_prec(out), a), tr_fmt_num(out->now->e_end, tr_out_prec(out), b), out->opt.steps);
    if (W > MD_CHANGES) {
        n_top = tr_most_changed(out->now->w_change, W, top, 20);
        fprintf(fp, "The 20 of the %d weights that moved most (the CSV lists every one):\n\n", W);
    }
    fputs("| weight | from | to | before | after | change |\n|:--|:--|:--|--:|--:|--:|\n", fp);
    for (int q = 0; q < (W > MD_CHANGES ? n_top : W); q++) {
        int m = W > MD_CHANGES ? top[q] : q;
        nn_w_ends(sh, m, from, sizeof from, to, sizeof to);
        fprintf(fp, "| w%d | %s | %s | %s | %s | %s |\n", m + 1, from, to, tr_fmt_num_given(L->weights[m], tr_out_prec(out), a),
                tr_fmt_num(out->now->w_end[m], tr_out_prec(out), b), tr_fmt_num(out->now->w_change[m], tr_out_prec(out), c));
    }
    fputc('\n', fp);
    return ferror(fp) ? -1 : 0;
}

static void md_cleanup(tr_out *out)
{
    md_state *m = out->state;
    if (m) {
        free(m->answer);
        free(m->best);
        free(m);
    }
    out->state = NULL;
}

const tr_writer tr_writer_markdown = { "markdown", md_begin, md_stage, md_event, md_end, md_cleanup, 0 };
