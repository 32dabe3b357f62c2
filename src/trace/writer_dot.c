/*
 * writer_dot.c - a Graphviz drawing of the network with the values after a
 * chosen stage (out->dot.stage, 1..6) of the last traced step: each neuron
 * with its net and out for one sample (X1, or out->opt.only_sample), each edge
 * with the weight the step used (and, from stage 4 on, its gradient; after
 * stage 6 the updated weight too, labelled), the stage's note under the
 * title.  Events are collected; the graph is written at the end.
 */
#include "trace.h"
#include "../text/text.h"

#include <stdlib.h>
#include <string.h>

#define DOT_NOTE_WIDTH 72     /* a note's lines under the title, in characters */ /* mutant: dot-note-one-line */

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
    const nn_net *sh = &out->opt.lesson->shape;
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
    memcpy(d->w, out->opt.lesson->weights, (size_t)W * sizeof(double));
    return 0;
}

static int dot_event(tr_out *out, const tr_event *ev)
{
    const nn_net *sh = &out->opt.lesson->shape;
    dot_state *d = out->state;
    int last = ev->step == out->opt.steps;
    if (last && ev->stage > out->dot.stage)
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
    int sample = out->opt.only_sample ? out->opt.only_sample : 1;
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

/* A plan node's name in the graph: "h2", "b1" (the bias input under
 * column 0, which feeds layer 1), "more1". */
static void dot_node_name(const nn_net *sh, const tr_fig_node *n, char *buf, size_t size)
{
    if (n->unit == TR_FIG_BIAS)
        snprintf(buf, size, "b%d", n->layer + 1);
    else if (n->unit == TR_FIG_MORE)
        snprintf(buf, size, "more%d", n->layer);
    else
        nn_unit_name(sh, n->layer, n->unit, buf, size);
}


/* The stage's note under the graph's title, wrapped at DOT_NOTE_WIDTH
 * characters (dot draws a label on one line): each line escaped alone. */
static int put_note(FILE *fp, const tr_out *out, int S)
{
    char *live = tr_note_out(out, S);
    if (!live)
        return -1;
    fputs("\\n", fp);
    size_t at = 0, end;
    int rc = 0;
    while (rc == 0 && tx_wrap_next(live, &at, DOT_NOTE_WIDTH, &end)) {
        char keep = live[end];
        live[end] = '\0';
        char *line = tx_dup_with(tr_escape_dot, live + at);
        live[end] = keep;
        if (line)
            fprintf(fp, "\\n%s", line);
        else
            rc = -1;
        free(line);
        at = end;
    }
    free(live);
    return rc;
}

/* The graph's head: the lesson's edits as a comment, then the label (title,
 * step and stage, the sample, E_final, the note) and the defaults. */
static int dot_head(tr_out *out, const tr_fig *f, int sample, int row)
{
    const ls_lesson *L = out->opt.lesson;
    const nn_net *sh = &L->shape;
    const dot_state *d = out->state;
    FILE *fp = out->opt.fp;
    int S = out->dot.stage;
    char a[TR_NUM_SIZE];
    if (L->edits) {
        char *edits = tx_sanitize_dup(L->edits);         /* whole, however many edits */
        if (!edits)
            return -1;
        fprintf(fp, "// edited: %s\n", edits);
        free(edits);
    }
    char *title = tx_dup_with(tr_escape_dot, L->title);   /* whole, however long */
    if (!title)
        return -1;
    fprintf(fp, "digraph nntrace {\n"
                "  graph [rankdir=LR, labelloc=t, fontname=\"Helvetica\", nodesep=0.35, ranksep=1.8,\n"
                "         label=\"%s\\nstep %d, after stage %d: %s\\nneurons show sample X%d (data row %d)",
            title, out->opt.steps, S, nn_stage_title_net(sh, S), sample, row + 1);
    free(title);
    if (d->has_e)
        fprintf(fp, "; E_final = %s", tr_fmt_num(d->e_final, tr_out_prec(out), a));
    if (S == NN_STAGES)
        fputs("\\nw: the weight the step computed with; updated: the weight it leaves", fp);
    if (L->notes[S - 1] && put_note(fp, out, S) != 0)
        return -1;
    if (!f->labels)                                       /* unlabelled lines: closer rows */
        fputs("\", nodesep=0.12, ranksep=2.4", fp);
    else
        fputs("\"", fp);
    fputs("];\n  node [shape=circle, fontname=\"Helvetica\", fontsize=10];\n"
          "  edge [fontname=\"Helvetica\", fontsize=8, arrowsize=0.6];\n", fp);
    return 0;
}

/* Layer l's column (inputs from data row `row`): its title, its nodes in unit order with their values,
 * one rank with an invisible chain through it (clusters would let dot
 * reorder them); a layer of more than TR_FIG_MAX units as tr_fig_plan shows it. */
static int dot_layer(tr_out *out, const tr_fig *f, int l, int row)
{
    const ls_lesson *L = out->opt.lesson;
    const nn_net *sh = &L->shape;
    const dot_state *d = out->state;
    FILE *fp = out->opt.fp;
    int N = nn_n_inputs(sh), Ln = sh->n_layers;
    char a[TR_NUM_SIZE], b[TR_NUM_SIZE], name[32], what[48];
    if (l == 0)
        snprintf(what, sizeof what, "input");
    else if (l == Ln)
        snprintf(what, sizeof what, "output (%s)", nn_act_name(sh->act[l]));
    else if (Ln > 2)
        snprintf(what, sizeof what, "hidden %d (%s)", l, nn_act_name(sh->act[l]));
    else
        snprintf(what, sizeof what, "hidden (%s)", nn_act_name(sh->act[l]));
    fprintf(fp, "  title%d [shape=plaintext, fontsize=11, label=\"%s\"];\n", l, what);
    for (int q = 0; q < f->n_nodes; q++) {
        const tr_fig_node *n = &f->nodes[q];
        if (n->layer != l)
            continue;
        if (n->unit == TR_FIG_MORE) {
            fprintf(fp, "  more%d [shape=plaintext, label=\"... %d more\"];\n", l, sh->size[l] - 7);
        } else if (n->unit == TR_FIG_BIAS) {
            fprintf(fp, "  b%d [label=\"1\", shape=box, style=dashed];\n", l + 1);
        } else if (l == 0) {                            /* an input, with its column's name */
            int i = n->unit;
            char *col = tx_dup_with(tr_escape_dot, L->input_names[i]);   /* whole */
            if (!col)
                return -1;
            nn_unit_name(sh, 0, i, name, sizeof name);
            fprintf(fp, "  %s [label=\"%s\\n%s%s%s\", shape=box];\n", name, name,
                    strcmp(col, name) ? col : "", strcmp(col, name) ? "\\n" : "",
                    tr_fmt_num_given(L->x[(size_t)row * N + i], tr_out_prec(out), a));
            free(col);
        } else {
            int u = d->first[l] + n->unit;
            nn_unit_name(sh, l, n->unit, name, sizeof name);
            fprintf(fp, "  %s [label=\"%s", name, name);
            if (d->has[u] >= 1)
                fprintf(fp, "\\nnet %s", tr_fmt_num(d->net[u], tr_out_prec(out), a));
            if (d->has[u] >= 2)
                fprintf(fp, "\\nout %s", tr_fmt_num(d->act[u], tr_out_prec(out), b));
            fputs("\"];\n", fp);
        }
    }
    fprintf(fp, "  { rank=same; title%d", l);             /* the rank and its order */
    for (int q = 0; q < f->n_nodes; q++)
        if (f->nodes[q].layer == l) {
            dot_node_name(sh, &f->nodes[q], name, sizeof name);
            fprintf(fp, "; %s", name);
        }
    fprintf(fp, " }\n  title%d", l);
    for (int q = 0; q < f->n_nodes; q++)
        if (f->nodes[q].layer == l) {
            dot_node_name(sh, &f->nodes[q], name, sizeof name);
            fprintf(fp, " -> %s", name);
        }
    fputs(" [style=invis];\n", fp); /* mutant: dot-order-free */
    return 0;
}

static int dot_end(tr_out *out)
{
    const nn_net *sh = &out->opt.lesson->shape;
    const dot_state *d = out->state;
    FILE *fp = out->opt.fp;
    char a[TR_NUM_SIZE], b[TR_NUM_SIZE];
    tr_fig *f = malloc(sizeof *f);
    if (!f)
        return -1;
    tr_fig_plan(sh, NULL, tr_out_prec(out), f);
    int sample = out->opt.only_sample ? out->opt.only_sample : 1;           /* the sample the neurons show */
    int row = ls_batch_row(out->opt.lesson, out->opt.steps, sample - 1);
    int rc = dot_head(out, f, sample, row);
    for (int l = 0; l <= sh->n_layers && rc == 0; l++)
        rc = dot_layer(out, f, l, row);
    for (int e = 0; e < f->n_edges && rc == 0; e++) {
        int m = f->edges[e].weight;
        char from[32], to[32];
        dot_node_name(sh, &f->nodes[f->edges[e].from], from, sizeof from);
        dot_node_name(sh, &f->nodes[f->edges[e].to], to, sizeof to);
        fprintf(fp, "  %s -> %s", from, to);
        if (f->labels) {
            fprintf(fp, " [label=\"w%d = %s", m + 1, tr_fmt_num(d->w[m], tr_out_prec(out), a));
            if (d->has_dw[m])
                fprintf(fp, "\\ndE/dw = %s", tr_fmt_num(d->dw[m], tr_out_prec(out), b));
            if (d->has_new[m]) /* mutant: dot-updated-weight-dropped */
                fprintf(fp, "\\nupdated w%d = %s", m + 1, tr_fmt_num(d->w_new[m], tr_out_prec(out), b));
            fputs("\"]", fp);
        }
        fputs(";\n", fp);
    }
    free(f);
    if (rc != 0)
        return -1;
    fputs("}\n", fp);
    return ferror(fp) ? -1 : 0;
}

const tr_writer tr_writer_dot = { "dot", dot_begin, NULL, dot_event, dot_end, dot_cleanup, 0 };
