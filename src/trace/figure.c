/*
 * figure.c - the network as the handouts draw it (tr_fig_plan): columns of
 * units, input to output, a bias input under each column but the last, a
 * layer of more than TR_FIG_MAX units shown as its first 5, a "more" row
 * and its last 2; every weight between two units shown, with the place
 * along its line where its label goes.  The LaTeX writer draws it with
 * TikZ, the Markdown writer as inline SVG; both from this one plan.
 */
#include "trace.h"

#include <string.h>

#define FIG_ROW    1.25     /* between units of a column, in the plan's units (cm) */
#define FIG_WIDE   14.0     /* the widest the columns may spread */

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

void tr_fig_plan(const nn_net *sh, tr_fig *f)
{
    int Ln = sh->n_layers;
    memset(f, 0, sizeof *f);
    f->col_gap = FIG_WIDE / Ln < 4.0 ? FIG_WIDE / Ln : 4.0;
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
    f->labels = f->n_edges <= TR_FIG_LABELS;
}

int tr_fig_find(const tr_fig *f, int layer, int unit)
{
    for (int q = 0; q < f->n_nodes; q++)
        if (f->nodes[q].layer == layer && f->nodes[q].unit == unit)
            return q;
    return -1;
}
