/*
 * writer_markdown.c - the derivation as Markdown: a title, the set-up, then
 * per step and stage a heading, the note as a quote, and one table per
 * sample (then one for the batch values) with formula, numbers and result
 * in code spans.  Readable on GitHub and through pandoc.
 */
#include "trace.h"

#include <string.h>

#define MD_MAX_LIST  24     /* weights and rows listed in the set-up */

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

static int md_begin(tr_out *out)
{
    const ls_lesson *L = out->lesson;
    int N = nn_n_inputs(&L->shape), O = nn_n_outputs(&L->shape);   /* inputs, outputs */
    FILE *fp = out->fp;
    char text[4096], a[TR_NUM_SIZE], b[TR_NUM_SIZE];
    tr_escape_markdown(L->title, text, sizeof text);
    fprintf(fp, "# Backpropagation, step by step: %s\n\n", text);
    tr_setup su;
    tr_setup_make(out, TR_PLAIN, &su);
    for (int q = 0; q < su.n; q++)
        fprintf(fp, "- **%s:** %s\n", su.line[q].label, su.line[q].text);
    tr_escape_markdown(L->weights_from, text, sizeof text);
    fprintf(fp, "\n**Weights before step 1** (%s)\n\n| weight | from | to | value |\n|:--|:--|:--|--:|\n", text);
    int W = ls_n_weights(L);
    const nn_net *shape = &L->shape;
    for (int m = 0; m < W && m < MD_MAX_LIST; m++) {
        char from[16], to[16];
        nn_w_ends(shape, m, from, sizeof from, to, sizeof to);
        fprintf(fp, "| w%d | %s | %s | %s |\n", m + 1, from, to, tr_fmt_short(L->weights[m], out->digits, a));
    }
    if (W > MD_MAX_LIST)
        fprintf(fp, "\n... and %d more (the CSV and JSON Lines formats list every value).\n", W - MD_MAX_LIST);
    fprintf(fp, "\n**Data** (%d row%s)\n\n| row |", L->n_rows, L->n_rows == 1 ? "" : "s");
    for (int i = 0; i < N && i < 8; i++) {
        tr_escape_markdown(L->input_names[i], text, sizeof text);
        fprintf(fp, " %s |", text);
    }
    fprintf(fp, "%s target |\n|--:|", N > 8 ? " ... |" : "");
    for (int i = 0; i < N && i < 8; i++)
        fprintf(fp, "--:|");
    fprintf(fp, "%s:--|\n", N > 8 ? ":-:|" : "");
    for (int r = 0; r < L->n_rows && r < MD_MAX_LIST; r++) {
        fprintf(fp, "| %d |", r + 1);
        for (int i = 0; i < N && i < 8; i++)
            fprintf(fp, " %s |", tr_fmt_short(L->x[(size_t)r * N + i], out->digits, a));
        fprintf(fp, "%s (", N > 8 ? " ... |" : "");
        for (int k = 0; k < O; k++)
            fprintf(fp, "%s%s", k ? ", " : "", tr_fmt_short(L->y[(size_t)r * O + k], out->digits, b));
        if (L->label)
            fprintf(fp, "), label %d |\n", L->label[r]);
        else
            fprintf(fp, ") |\n");
    }
    if (L->n_rows > MD_MAX_LIST)
        fprintf(fp, "\n... and %d more rows.\n", L->n_rows - MD_MAX_LIST);
    return ferror(fp) ? -1 : 0;
}

static int md_stage(tr_out *out, int step, int stage)
{
    const ls_lesson *L = out->lesson;
    FILE *fp = out->fp;
    char text[4096];
    if (out->new_step) {
        int first = ls_batch_row(L, step, 0) + 1;
        fprintf(fp, "\n## Step %d\n\nBatch: X1..X%d are data rows %d..%d%s.\n", step, L->batch_size,
                first, first + L->batch_size - 1,
                first + L->batch_size - 1 > L->n_rows ? " (wrapping round to row 1)" : "");
    }
    char heading[160];
    fprintf(fp, "\n### %s\n", tr_stage_heading(out, stage, heading, sizeof heading));
    if (L->notes[stage - 1] && !out->stage_again) {
        tr_escape_markdown(L->notes[stage - 1], text, sizeof text);
        fprintf(fp, "\n> %s\n", text);
    }
    if (stage == NN_STAGE_HIDDEN_BACKWARD)
        fprintf(fp, "\n*%s*\n", tr_stage5_reuse(out));
    out->last_sample = -1;
    return ferror(fp) ? -1 : 0;
}

static int md_event(tr_out *out, const tr_event *ev)
{
    FILE *fp = out->fp;
    char formula[TR_FORMULA_SIZE], numbers[TR_FORMULA_SIZE], result[TR_NUM_SIZE];
    if (ev->sample != out->last_sample) {
        if (ev->sample > 0)
            fprintf(fp, "\n**X%d**\n\n", ev->sample);
        else
            fprintf(fp, "\n**Batch**\n\n");
        fprintf(fp, "| value | formula | with numbers | result |\n|:--|:--|:--|--:|\n");
        out->last_sample = ev->sample;
    }
    tr_render(ev->formula, ev->ops, ev->n_ops, -1, formula, sizeof formula);
    tr_render(ev->formula, ev->ops, ev->n_ops, out->digits, numbers, sizeof numbers);
    fputs("| ", fp);
    put_code(fp, ev->symbol);
    fputs(" | ", fp);
    put_code(fp, formula);
    fputs(" | ", fp);
    put_code(fp, numbers);
    fprintf(fp, " | %s |\n", tr_fmt_fixed(ev->value, out->digits, result));
    return ferror(fp) ? -1 : 0;
}

static int md_end(tr_out *out)
{
    fputc('\n', out->fp);
    return ferror(out->fp) ? -1 : 0;
}

const tr_writer tr_writer_markdown = { "markdown", md_begin, md_stage, md_event, md_end, NULL };
