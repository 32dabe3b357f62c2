/*
 * writer_text.c - the full derivation as plain text, laid out like the
 * walkthrough: six stages under their titles, each value as its formula,
 * the formula with the numbers put in, and the result.
 */
#include "trace.h"
#include "../text/text.h"

#include <string.h>

#define TEXT_WIDTH     78     /* wrap notes at this column */
#define TEXT_MAX_LIST  24     /* weights and samples listed in the header */

/* Print untrusted text, made safe, wrapped at TEXT_WIDTH after indent spaces. */
static void put_wrapped(FILE *fp, const char *text, int indent)
{
    char safe[8192];
    tx_sanitize(text, safe, sizeof safe);
    int col = 0;
    for (char *word = strtok(safe, " "); word; word = strtok(NULL, " ")) {
        int len = (int)strlen(word);
        if (col > 0 && col + 1 + len > TEXT_WIDTH) {
            fputc('\n', fp);
            col = 0;
        }
        if (col == 0)
            col = fprintf(fp, "%*s%s", indent, "", word);
        else
            col += fprintf(fp, " %s", word);
    }
    if (col > 0)
        fputc('\n', fp);
}

static void put_title(FILE *fp, const char *title, char underline)
{
    int len = fprintf(fp, "%s\n", title) - 1;
    for (int q = 0; q < len; q++)
        fputc(underline, fp);
    fputc('\n', fp);
}

static int text_begin(tr_out *out)
{
    const ls_lesson *L = out->lesson;
    int N = nn_n_inputs(&L->shape), O = nn_n_outputs(&L->shape);   /* inputs, outputs */
    FILE *fp = out->fp;
    char title[1024], a[TR_NUM_SIZE], b[TR_NUM_SIZE];
    tx_sanitize(L->title, title, sizeof title);
    fprintf(fp, "Backpropagation, step by step: %s\n\n", title);
    tr_setup su;
    tr_setup_make(out, TR_PLAIN, &su);
    for (int q = 0; q < su.n; q++) {
        char label[16];
        snprintf(label, sizeof label, "%s:", su.line[q].label);
        fprintf(fp, "%-10s%s\n", label, su.line[q].text);
    }

    int W = ls_n_weights(L);
    const nn_net *shape = &L->shape;
    tx_sanitize(L->weights_from, title, sizeof title);
    fprintf(fp, "\nWeights before step 1 (%s):\n", title);
    for (int m = 0; m < W && m < TEXT_MAX_LIST; m++) {
        char from[16], to[16], edge[48];
        nn_w_ends(shape, m, from, sizeof from, to, sizeof to);
        snprintf(edge, sizeof edge, "w%d (%s -> %s)", m + 1, from, to);
        fprintf(fp, "  %-18s = %s\n", edge, tr_fmt_short(L->weights[m], out->digits, a));
    }
    if (W > TEXT_MAX_LIST)
        fprintf(fp, "  ... and %d more (nntrace trace --format csv lists every value)\n", W - TEXT_MAX_LIST);

    fprintf(fp, "\nData (%d sample%s):\n", L->n_rows, L->n_rows == 1 ? "" : "s");
    for (int r = 0; r < L->n_rows && r < TEXT_MAX_LIST; r++) {
        fprintf(fp, "  row %d: x = (", r + 1);
        for (int i = 0; i < N; i++)
            fprintf(fp, "%s%s", i ? ", " : "", tr_fmt_short(L->x[(size_t)r * N + i], out->digits, a));
        fprintf(fp, "), target y = (");
        for (int k = 0; k < O; k++)
            fprintf(fp, "%s%s", k ? ", " : "", tr_fmt_short(L->y[(size_t)r * O + k], out->digits, b));
        fprintf(fp, ")");
        if (L->label)
            fprintf(fp, ", label %d", L->label[r]);
        fputc('\n', fp);
    }
    if (L->n_rows > TEXT_MAX_LIST)
        fprintf(fp, "  ... and %d more rows\n", L->n_rows - TEXT_MAX_LIST);
    return ferror(fp) ? -1 : 0;
}

static int text_stage(tr_out *out, int step, int stage)
{
    const ls_lesson *L = out->lesson;
    FILE *fp = out->fp;
    char line[160];
    if (stage == 1) {
        int first = ls_batch_row(L, step, 0) + 1;
        snprintf(line, sizeof line, "Step %d", step);
        fprintf(fp, "\n\n");
        put_title(fp, line, '=');
        fprintf(fp, "Batch: X1..X%d are data rows %d..%d", L->batch_size, first,
                first + L->batch_size - 1);
        if (first + L->batch_size - 1 > L->n_rows)
            fprintf(fp, " (wrapping round to row 1)");
        fprintf(fp, ".\n");
    }
    tr_stage_heading(out, stage, line, sizeof line);
    fprintf(fp, "\n");
    put_title(fp, line, '-');
    if (L->notes[stage - 1] && !(L->shape.n_layers > 2 && (stage == 1 || stage == 5) &&
                                 out->layer != (stage == 1 ? 1 : L->shape.n_layers - 1)))
        put_wrapped(fp, L->notes[stage - 1], 0);   /* once per stage, not per layer */
    if (stage == NN_STAGE_HIDDEN_BACKWARD)
        fprintf(fp, "(%s)\n", tr_stage5_reuse(out));
    out->last_sample = -1;
    return ferror(fp) ? -1 : 0;
}

static int text_event(tr_out *out, const tr_event *ev)
{
    FILE *fp = out->fp;
    char symbolic[TR_FORMULA_SIZE], numbers[TR_FORMULA_SIZE], result[TR_NUM_SIZE];
    if (ev->sample != out->last_sample)
        fputc('\n', fp);
    out->last_sample = ev->sample;
    tr_render(ev->formula, ev->ops, ev->n_ops, -1, symbolic, sizeof symbolic);
    tr_render(ev->formula, ev->ops, ev->n_ops, out->digits, numbers, sizeof numbers);
    tr_fmt_fixed(ev->value, out->digits, result);
    if (ev->sample > 0)
        fprintf(fp, "X%d: ", ev->sample);
    fprintf(fp, "%s = %s = %s = %s\n", ev->symbol, symbolic, numbers, result);
    return ferror(fp) ? -1 : 0;
}

static int text_end(tr_out *out)
{
    fprintf(out->fp, "\n");
    return ferror(out->fp) ? -1 : 0;
}

const tr_writer tr_writer_text = { "text", text_begin, text_stage, text_event, text_end, NULL };
