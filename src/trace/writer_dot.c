/*
 * writer_dot.c - a Graphviz drawing of the network with the values after a
 * chosen stage (out->dot_stage, 1..6) of the last traced step: each neuron
 * with its net and out for one sample (X1, or out->only_sample), each edge
 * with the weight the step used (and, from stage 4 on, its gradient; after
 * stage 6 the updated weight too, labelled), the stage's note under the
 * title.  Events are collected; the graph is written at the end.
 */
#include "trace.h"
#include "../text/text.h"

#include <stdlib.h>
#include <string.h>

/* What the drawing shows, gathered from the events. */
typedef struct dot_state {
    double *net, *act;          /* the sample's net and out of every neuron, layer by layer */
    char *has;                  /* 1 net known, 2 out known too */
    int first[NN_MAX_LAYERS + 1]; /* index of layer l's first neuron in the arrays */
    double *w;                  /* weights the last step used */
    double *w_new;              /* weights it left (its stage 6) */
    char *has_new;              /* updated weight known */
    double *dw;                 /* gradients */
    char *has_dw;               /* gradient known */
    double e_final;             /* the loss */
    int has_e;                  /* loss known */
} dot_state;

static void dot_cleanup(tr_out *out)
{
    dot_state *d = out->state;
    if (!d)
        return;
    free(d->net); free(d->act); free(d->has); free(d->w); free(d->dw); free(d->has_dw);
    free(d->w_new); free(d->has_new);
    free(d);
    out->state = NULL;
}

static int dot_begin(tr_out *out)
{
    const nn_net *sh = &out->lesson->shape;
    int units = 0, W = sh->n_weights;
    for (int l = 1; l <= sh->n_layers; l++)
        units += sh->size[l];
    dot_state *d = calloc(1, sizeof *d);
    out->state = d;
    if (!d)
        return -1;
    for (int l = 1, at = 0; l <= sh->n_layers; l++) {
        d->first[l] = at;
        at += sh->size[l];
    }
    d->net = calloc((size_t)units, sizeof(double));
    d->act = calloc((size_t)units, sizeof(double));
    d->has = calloc((size_t)units, 1);
    d->w = malloc((size_t)W * sizeof(double));
    d->dw = calloc((size_t)W, sizeof(double));
    d->has_dw = calloc((size_t)W, 1);
    d->w_new = calloc((size_t)W, sizeof(double));
    d->has_new = calloc((size_t)W, 1);
    if (!d->net || !d->act || !d->has || !d->w || !d->dw || !d->has_dw || !d->w_new || !d->has_new)
        return -1;
    memcpy(d->w, out->lesson->weights, (size_t)W * sizeof(double));
    return 0;
}

static int dot_event(tr_out *out, const tr_event *ev)
{
    const nn_net *sh = &out->lesson->shape;
    dot_state *d = out->state;
    int last = ev->step == out->steps;
    if (last && ev->stage > out->dot_stage)
        return 0;
    /* the engine's typed fields, checked before they index anything */
    if ((ev->kind == NN_EV_UPDATE || ev->kind == NN_EV_GRADIENT) &&
        (ev->weight < 1 || ev->weight > sh->n_weights))
        return 0;
    if ((ev->kind == NN_EV_NET || ev->kind == NN_EV_OUT) &&
        (ev->layer < 1 || ev->layer > sh->n_layers || ev->unit < 1 || ev->unit > sh->size[ev->layer]))
        return 0;
    if (ev->kind == NN_EV_UPDATE && !last) {
        d->w[ev->weight - 1] = ev->value;                /* an earlier step's: the start of the last */
        return 0;
    }
    if (!last)
        return 0;
    int sample = out->only_sample ? out->only_sample : 1;
    if (ev->kind == NN_EV_UPDATE) {
        d->w_new[ev->weight - 1] = ev->value;
        d->has_new[ev->weight - 1] = 1;
    } else if (ev->kind == NN_EV_GRADIENT) {
        d->dw[ev->weight - 1] = ev->value;
        d->has_dw[ev->weight - 1] = 1;
    } else if (ev->kind == NN_EV_LOSS_BATCH) {
        d->e_final = ev->value;
        d->has_e = 1;
    } else if (ev->sample == sample && ev->kind == NN_EV_NET) {
        d->net[d->first[ev->layer] + ev->unit - 1] = ev->value;
        d->has[d->first[ev->layer] + ev->unit - 1] = 1;
    } else if (ev->sample == sample && ev->kind == NN_EV_OUT) {
        d->act[d->first[ev->layer] + ev->unit - 1] = ev->value;
        d->has[d->first[ev->layer] + ev->unit - 1] = 2;
    }
    return 0;
}

static int dot_end(tr_out *out)
{
    const ls_lesson *L = out->lesson;
    const nn_net *sh = &L->shape;
    dot_state *d = out->state;
    FILE *fp = out->fp;
    int N = nn_n_inputs(sh), Ln = sh->n_layers, S = out->dot_stage;
    char title[4096], a[TR_NUM_SIZE], b[TR_NUM_SIZE], name[32];
    tr_escape_dot(L->title, title, sizeof title);
    int sample = out->only_sample ? out->only_sample : 1;
    int row = ls_batch_row(L, out->steps, sample - 1);
    if (L->edits) {
        char edits[1024];
        tx_sanitize(L->edits, edits, sizeof edits);
        fprintf(fp, "// edited: %s\n", edits);
    }
    fprintf(fp, "digraph nntrace {\n"
                "  graph [rankdir=LR, labelloc=t, fontname=\"Helvetica\", nodesep=0.35, ranksep=1.8,\n"
                "         label=\"%s\\nstep %d, after stage %d: %s\\nneurons show sample X%d (data row %d)",
            title, out->steps, S, nn_stage_title_net(sh, S), sample, row + 1);
    if (d->has_e)
        fprintf(fp, "; E_final = %s", tr_fmt_fixed(d->e_final, out->digits, a));
    if (S == NN_STAGES)
        fputs("\\nw: the weight the step computed with; updated: the weight it leaves", fp);
    if (L->notes[S - 1]) {
        char note[4096];
        tr_escape_dot(L->notes[S - 1], note, sizeof note);
        fprintf(fp, "\\n\\n%s", note);
    }
    fputs("\"];\n  node [shape=circle, fontname=\"Helvetica\", fontsize=10];\n"
          "  edge [fontname=\"Helvetica\", fontsize=8, arrowsize=0.6];\n", fp);
    /* the inputs, with their data column's name when it is not x<i> */
    fputs("  subgraph cluster_l0 {\n    label=\"input\"; color=gray;\n", fp);
    for (int i = 0; i < N; i++) {
        char col[4096];
        nn_unit_name(sh, 0, i, name, sizeof name);
        tr_escape_dot(L->input_names[i], col, sizeof col);
        fprintf(fp, "    %s [label=\"%s\\n%s%s%s\", shape=box];\n", name, name,
                strcmp(col, name) ? col : "", strcmp(col, name) ? "\\n" : "",
                tr_fmt_short(L->x[(size_t)row * N + i], out->digits, a));
    }
    fputs("    b1 [label=\"1\", shape=box, style=dashed];\n  }\n", fp);
    /* every layer after the input, with the bias input that feeds the next */
    for (int l = 1; l <= Ln; l++) {
        char what[32];
        if (l == Ln)
            snprintf(what, sizeof what, "output");
        else if (Ln > 2)
            snprintf(what, sizeof what, "hidden %d", l);
        else
            snprintf(what, sizeof what, "hidden");
        fprintf(fp, "  subgraph cluster_l%d {\n    label=\"%s (%s)\"; color=gray;\n", l, what,
                nn_act_name(sh->act[l]));
        for (int j = 0; j < sh->size[l]; j++) {
            int q = d->first[l] + j;
            nn_unit_name(sh, l, j, name, sizeof name);
            fprintf(fp, "    %s [label=\"%s", name, name);
            if (d->has[q] >= 1)
                fprintf(fp, "\\nnet %s", tr_fmt_fixed(d->net[q], out->digits, a));
            if (d->has[q] >= 2)
                fprintf(fp, "\\nout %s", tr_fmt_fixed(d->act[q], out->digits, b));
            fputs("\"];\n", fp);
        }
        if (l < Ln)
            fprintf(fp, "    b%d [label=\"1\", shape=box, style=dashed];\n", l + 1);
        fputs("  }\n", fp);
    }
    for (int m = 0; m < sh->n_weights; m++) {
        char from[32], to[32];
        nn_w_ends(sh, m, from, sizeof from, to, sizeof to);
        if (from[0] == '1')
            snprintf(from, sizeof from, "b%d", nn_w_layer(sh, m));
        fprintf(fp, "  %s -> %s [label=\"w%d = %s", from, to, m + 1, tr_fmt_fixed(d->w[m], out->digits, a));
        if (d->has_dw[m])
            fprintf(fp, "\\ndE/dw = %s", tr_fmt_fixed(d->dw[m], out->digits, b));
        if (d->has_new[m])
            fprintf(fp, "\\nupdated w%d = %s", m + 1, tr_fmt_fixed(d->w_new[m], out->digits, b));
        fputs("\"];\n", fp);
    }
    fputs("}\n", fp);
    return ferror(fp) ? -1 : 0;
}

const tr_writer tr_writer_dot = { "dot", dot_begin, NULL, dot_event, dot_end, dot_cleanup };
