/*
 * figure.c - the network as the handouts draw it (tr_fig_plan): columns of
 * units, input to output, a bias input under each column but the last, a
 * layer of more than TR_FIG_MAX units shown as its first 5, a "more" row
 * and its last 2; every weight between two units shown, with the place
 * along its line where its label covers least (no other label, no unit,
 * as few lines as may be).  The LaTeX writer draws it with
 * TikZ, the Markdown writer as inline SVG; both from this one plan.
 */
#include "trace.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define FIG_ROW    1.5      /* between units of a column, in the plan's units (cm) */
#define FIG_WIDE   14.0     /* the widest the columns may spread */
#define FIG_GAP    6.0      /* the widest gap between two columns */
#define FIG_CHAR   0.16     /* a label's character at \footnotesize, about (cm) */
#define FIG_LABEL_H 0.36    /* a label's height */
#define FIG_NODE_R 0.5      /* a unit's radius, and room around it */

/* Add a node; its index, or -1 when the plan is full. */
static int add_node(tr_fig *f, int layer, int unit, double x, double y)
{
    if (f->n_nodes >= TR_FIG_NODES)
        return -1;
    tr_fig_node *n = &f->nodes[f->n_nodes];
    n->layer = layer;
    n->unit = unit;
    n->x = x;
    n->y = y;
    return f->n_nodes++;
}

/* A label's box on the page. */
typedef struct fig_box {
    double x0, y0, x1, y1;    /* lower left, upper right */
} fig_box;

/* Whether the segment a-b passes through box (Liang-Barsky clipping). */
static int seg_hits_box(double ax, double ay, double bx, double by, const fig_box *r)
{
    double t0 = 0, t1 = 1, dx = bx - ax, dy = by - ay;
    double p[4] = { -dx, dx, -dy, dy }, q[4] = { ax - r->x0, r->x1 - ax, ay - r->y0, r->y1 - ay };
    for (int k = 0; k < 4; k++) {
        if (p[k] == 0) {
            if (q[k] < 0)
                return 0;
            continue;
        }
        double t = q[k] / p[k];
        if (p[k] < 0)
            t0 = t > t0 ? t : t0;
        else
            t1 = t < t1 ? t : t1;
        if (t0 > t1)
            return 0;
    }
    return 1;
}

static int boxes_meet(const fig_box *a, const fig_box *b)
{
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

/* What a label at pos along edge e would cover or cross: other labels
 * already placed (100 each), units (100), other lines (10), and how far it
 * is from the place its target's row suggests (so labels into one unit
 * stand apart when nothing else decides). */
static double label_cost(const tr_fig *f, int e, double pos, double width, const fig_box *placed,
                         fig_box *box, int *covers)
{
    const tr_fig_edge *ed = &f->edges[e];
    const tr_fig_node *a = &f->nodes[ed->from], *b = &f->nodes[ed->to];
    double cx = a->x + pos * (b->x - a->x), cy = a->y + pos * (b->y - a->y), cost = fabs(pos - ed->pos);
    *box = (fig_box){ cx - width / 2, cy - FIG_LABEL_H / 2, cx + width / 2, cy + FIG_LABEL_H / 2 };
    *covers = 0;                                   /* labels and units covered */
    for (int o = 0; o < e; o++)
        *covers += boxes_meet(box, &placed[o]);
    for (int q = 0; q < f->n_nodes; q++) {
        const tr_fig_node *n = &f->nodes[q];
        double nx = fmax(box->x0, fmin(n->x, box->x1)) - n->x, ny = fmax(box->y0, fmin(n->y, box->y1)) - n->y;
        *covers += nx * nx + ny * ny < FIG_NODE_R * FIG_NODE_R;
    }
    cost += 100.0 * *covers;
    for (int o = 0; o < f->n_edges; o++) {
        const tr_fig_node *c = &f->nodes[f->edges[o].from], *d = &f->nodes[f->edges[o].to];
        cost += o != e && seg_hits_box(c->x, c->y, d->x, d->y, box) ? 10 : 0;
    }
    return cost;
}

/* Each label where it covers least (label_cost), in the order of the
 * weights: positions 0.15 .. 0.85 along its line.  1 when no label
 * covers another or a unit, else 0. */
static int place_labels(tr_fig *f, const double *weights, tr_prec prec, int values)
{
    fig_box placed[TR_FIG_EDGES];
    double pref[TR_FIG_EDGES];
    int clear = 1;
    for (int e = 0; e < f->n_edges; e++)
        pref[e] = f->edges[e].pos;
    for (int e = 0; e < f->n_edges; e++) {
        char num[TR_NUM_SIZE], text[TR_NUM_SIZE + 16];
        snprintf(text, sizeof text, values ? "w%d = %s" : "w%d", f->edges[e].weight + 1,
                 weights ? tr_fmt_num_given(weights[f->edges[e].weight], prec, num) : "0.1");
        f->edges[e].pos = pref[e];
        double width = FIG_CHAR * (double)strlen(text), best = INFINITY, at = f->edges[e].pos;
        int best_covers = 1;
        for (int k = 0; k <= 28; k++) {
            fig_box box;
            int covers;
            double pos = 0.15 + 0.025 * k, cost = label_cost(f, e, pos, width, placed, &box, &covers);
            if (cost < best) {
                best = cost;
                best_covers = covers;
                at = pos;
                placed[e] = box;
            }
        }
        f->edges[e].pos = at; /* mutant: figure-labels-unplaced */
        clear &= best_covers == 0;
    }
    if (!clear)
        for (int e = 0; e < f->n_edges; e++)
            f->edges[e].pos = pref[e];
    return clear;
}

void tr_fig_plan(const nn_net *sh, const double *weights, tr_prec prec, tr_fig *f)
{
    int Ln = sh->n_layers;
    memset(f, 0, sizeof *f);
    f->col_gap = FIG_WIDE / Ln < FIG_GAP ? FIG_WIDE / Ln : FIG_GAP;
    double height = 0;
    for (int l = 0; l <= Ln; l++) {                       /* the tallest column */
        int rows = sh->size[l] > TR_FIG_MAX ? 8 : sh->size[l];
        double h = (rows + (l < Ln)) * FIG_ROW;
        height = h > height ? h : height;
    }
    f->height = height;
    f->width = Ln * f->col_gap;
    for (int l = 0; l <= Ln; l++) {
        int size = sh->size[l], rows = (size > TR_FIG_MAX ? 8 : size) + (l < Ln);
        double x = l * f->col_gap, y = -(height - rows * FIG_ROW) / 2;   /* centred */
        for (int j = 0; j < size; j++) {
            if (size > TR_FIG_MAX && j == 5) {
                add_node(f, l, TR_FIG_MORE, x, y);
                y -= FIG_ROW;
                j = size - 3;                               /* then the last 2 */
                continue;
            }
            add_node(f, l, j, x, y);
            y -= FIG_ROW;
        }
        if (l < Ln)
            add_node(f, l, TR_FIG_BIAS, x, y);
    }
    /* the weights between shown units, each label placed by its target's row */
    for (int m = 0; m < sh->n_weights && f->n_edges < TR_FIG_EDGES; m++) {
        int fl, fu, tl, tu;
        nn_w_units(sh, m, &fl, &fu, &tl, &tu);
        int a = tr_fig_find(f, fl, fu < 0 ? TR_FIG_BIAS : fu), b = tr_fig_find(f, tl, tu);
        if (a < 0 || b < 0)
            continue;
        int row = 0, rows = 0;                              /* the target's row among its column's units */
        for (int q = 0; q < f->n_nodes; q++)
            if (f->nodes[q].layer == tl && f->nodes[q].unit >= 0) {
                if (q == b)
                    row = rows;
                rows++;
            }
        tr_fig_edge *e = &f->edges[f->n_edges++];
        e->weight = m;
        e->from = a;
        e->to = b;
        e->pos = 0.3 + 0.45 * (rows > 1 ? (double)row / (rows - 1) : 0.5);
    }
    /* each line labelled "w5 = 0.1" where that fits, else "w5" (the table
     * beside gives the values), else not at all */
    f->labels = f->n_edges <= TR_FIG_LABELS;
    f->label_values = f->labels && place_labels(f, weights, prec, 1);
    if (f->labels && !f->label_values)
        f->labels = place_labels(f, weights, prec, 0);
}

int tr_fig_find(const tr_fig *f, int layer, int unit)
{
    for (int q = 0; q < f->n_nodes; q++)
        if (f->nodes[q].layer == layer && f->nodes[q].unit == unit)
            return q;
    return -1;
}
