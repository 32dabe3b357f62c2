/*
 * writer_dot.c - a Graphviz drawing of the network with the values after a
 * chosen stage (out->dot_stage, 1..6) of the last traced step: each neuron
 * with its net and out for sample X1, each edge with its weight (and, from
 * stage 4 on, its gradient).  Events are collected; the graph is written at
 * the end.
 */
#include "trace.h"

#include <stdlib.h>
#include <string.h>

/* What the drawing shows, gathered from the events. */
typedef struct dot_state {
    double *net_h, *out_h, *net_o, *out_o;  /* X1's values */
    char *has_h, *has_o;                    /* 1 net known, 2 out known too */
    double *w;                              /* weights */
    double *dw;                             /* gradients */
    char *has_dw;                           /* gradient known */
    double e_final;                         /* the loss */
    int has_e;                              /* loss known */
} dot_state;

static void dot_cleanup(tr_out *out)
{
    dot_state *d = out->state;
    if (!d)
        return;
    free(d->net_h); free(d->out_h); free(d->net_o); free(d->out_o);
    free(d->has_h); free(d->has_o); free(d->w); free(d->dw); free(d->has_dw);
    free(d);
    out->state = NULL;
}

static int dot_begin(tr_out *out)
{
    const ls_lesson *L = out->lesson;
    int H = L->n_hid, O = L->n_out, W = ls_n_weights(L);
    dot_state *d = calloc(1, sizeof *d);
    out->state = d;
    if (!d)
        return -1;
    d->net_h = calloc((size_t)H, sizeof(double));
    d->out_h = calloc((size_t)H, sizeof(double));
    d->net_o = calloc((size_t)O, sizeof(double));
    d->out_o = calloc((size_t)O, sizeof(double));
    d->has_h = calloc((size_t)H, 1);
    d->has_o = calloc((size_t)O, 1);
    d->w = malloc((size_t)W * sizeof(double));
    d->dw = calloc((size_t)W, sizeof(double));
    d->has_dw = calloc((size_t)W, 1);
    if (!d->net_h || !d->out_h || !d->net_o || !d->out_o || !d->has_h || !d->has_o || !d->w ||
        !d->dw || !d->has_dw)
        return -1;
    memcpy(d->w, L->weights, (size_t)W * sizeof(double));
    return 0;
}

static int dot_event(tr_out *out, const nn_event *ev)
{
    dot_state *d = out->state;
    int v = 0, last = ev->step == out->steps;
    if (last && ev->stage > out->dot_stage)
        return 0;
    if (ev->stage == NN_STAGE_UPDATE && sscanf(ev->symbol, "w%d", &v) == 1) {
        d->w[v - 1] = ev->value;
        return 0;
    }
    if (!last)
        return 0;
    if (sscanf(ev->symbol, "dE_final/dw%d", &v) == 1) {
        d->dw[v - 1] = ev->value;
        d->has_dw[v - 1] = 1;
    } else if (strcmp(ev->symbol, "E_final") == 0) {
        d->e_final = ev->value;
        d->has_e = 1;
    } else if (ev->sample == 1) {
        if (sscanf(ev->symbol, "net_h%d", &v) == 1) { d->net_h[v - 1] = ev->value; d->has_h[v - 1] = 1; }
        else if (sscanf(ev->symbol, "out_h%d", &v) == 1) { d->out_h[v - 1] = ev->value; d->has_h[v - 1] = 2; }
        else if (sscanf(ev->symbol, "net_o%d", &v) == 1) { d->net_o[v - 1] = ev->value; d->has_o[v - 1] = 1; }
        else if (sscanf(ev->symbol, "out_o%d", &v) == 1) { d->out_o[v - 1] = ev->value; d->has_o[v - 1] = 2; }
    }
    return 0;
}

/* A neuron's label: name, then net and out when known. */
static void neuron(FILE *fp, int digits, char layer, int unit, int has, double net, double outv)
{
    char a[TR_NUM_SIZE], b[TR_NUM_SIZE];
    fprintf(fp, "    %c%d [label=\"%c%d", layer, unit + 1, layer, unit + 1);
    if (has >= 1)
        fprintf(fp, "\\nnet %s", tr_fmt_fixed(net, digits, a));
    if (has >= 2)
        fprintf(fp, "\\nout %s", tr_fmt_fixed(outv, digits, b));
    fputs("\"];\n", fp);
}

static int dot_end(tr_out *out)
{
    const ls_lesson *L = out->lesson;
    dot_state *d = out->state;
    FILE *fp = out->fp;
    int N = L->n_in, H = L->n_hid, O = L->n_out, W = ls_n_weights(L), S = out->dot_stage;
    char title[4096], a[TR_NUM_SIZE], b[TR_NUM_SIZE];
    tr_escape_json(L->title, title, sizeof title);      /* a DOT string escapes like JSON */
    int row = ls_batch_row(L, out->steps, 0);
    fprintf(fp, "digraph nntrace {\n"
                "  graph [rankdir=LR, labelloc=t, fontname=\"Helvetica\", nodesep=0.35, ranksep=1.8,\n"
                "         label=\"%s\\nstep %d, after stage %d: %s\\nneurons show sample X1 (data row %d)",
            title, out->steps, S, nn_stage_title_net(&L->shape, S), row + 1);
    if (d->has_e)
        fprintf(fp, "; E_final = %s", tr_fmt_fixed(d->e_final, out->digits, a));
    fputs("\"];\n  node [shape=circle, fontname=\"Helvetica\", fontsize=10];\n"
          "  edge [fontname=\"Helvetica\", fontsize=8, arrowsize=0.6];\n", fp);
    fputs("  subgraph cluster_input {\n    label=\"input\"; color=gray;\n", fp);
    for (int i = 0; i < N; i++) {
        char name[4096];
        tr_escape_json(L->input_names[i], name, sizeof name);
        fprintf(fp, "    x%d [label=\"x%d\\n%s\\n%s\", shape=box];\n", i + 1, i + 1, name,
                tr_fmt_short(L->x[(size_t)row * N + i], out->digits, a));
    }
    fputs("    bh [label=\"1\", shape=box, style=dashed];\n  }\n", fp);
    fputs("  subgraph cluster_hidden {\n    label=\"hidden (sigmoid)\"; color=gray;\n", fp);
    for (int j = 0; j < H; j++)
        neuron(fp, out->digits, 'h', j, d->has_h[j], d->net_h[j], d->out_h[j]);
    fputs("    bo [label=\"1\", shape=box, style=dashed];\n  }\n", fp);
    fputs("  subgraph cluster_output {\n    label=\"output (sigmoid)\"; color=gray;\n", fp);
    for (int k = 0; k < O; k++)
        neuron(fp, out->digits, 'o', k, d->has_o[k], d->net_o[k], d->out_o[k]);
    fputs("  }\n", fp);
    const nn_net *shape = &L->shape;
    for (int m = 0; m < W; m++) {
        char from[16], to[16];
        nn_w_ends(shape, m, from, sizeof from, to, sizeof to);
        if (from[0] == '1')
            snprintf(from, sizeof from, "%s", to[0] == 'h' ? "bh" : "bo");
        fprintf(fp, "  %s -> %s [label=\"w%d = %s", from, to, m + 1, tr_fmt_fixed(d->w[m], out->digits, a));
        if (d->has_dw[m])
            fprintf(fp, "\\ndE/dw = %s", tr_fmt_fixed(d->dw[m], out->digits, b));
        fputs("\"];\n", fp);
    }
    fputs("}\n", fp);
    return ferror(fp) ? -1 : 0;
}

const tr_writer tr_writer_dot = { "dot", dot_begin, NULL, dot_event, dot_end, dot_cleanup };
