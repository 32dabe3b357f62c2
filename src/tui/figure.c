/*
 * figure.c - the network as the article draws it: the units as boxes in
 * columns (inputs, each hidden layer with its bias input, the outputs with
 * their targets), and into every box its incoming lines, one per weight,
 * each labelled with the weight's name and value and starting from the
 * name of the unit it comes from:
 *
 *     x1 ─w1 0.1──▶┌h1 net 0.120000
 *     x2 ─w3 0.1──▶│   out 0.529964
 *     b1 ─w9 0.1──▶└
 *
 * The plan (tui_fig) is made once per terminal size from the lesson's shape
 * alone, so nothing moves while the reader walks; a layer too big for the
 * window gets a fixed window onto its units (and onto the lines into them)
 * that scrolls only to bring the current value's units into view.  What the
 * current value lights (tui_lit) comes from its typed operands.
 */
#include "tui.h"

#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- values */

int tui_known(const tui_state *st, int sample, tui_role kind, int layer, int unit, double *v)
{
    long e = tui_model_slot(&st->m, sample, kind, layer, unit);
    if (e < 0 || e > tui_visible(st))
        return 0;
    if (v)
        *v = tui_event_head(st, e)->value;
    return 1;
}

double tui_weight_now(const tui_state *st, int weight, int *updated)
{
    double v;
    *updated = tui_known(st, 0, TUI_W, 0, weight, &v);
    return *updated ? v : tr_rec_start(st->m.rec)[weight - 1];
}

void tui_hit(tui_state *st, int y, int x, int w, long event)
{
    int n = (int)(sizeof st->hits.at / sizeof st->hits.at[0]);
    if (event < 0 || st->hits.n >= n)
        return;
    st->hits.at[st->hits.n].y = y;
    st->hits.at[st->hits.n].x = x;
    st->hits.at[st->hits.n].w = w;
    st->hits.at[st->hits.n].event = event;
    st->hits.n++;
}

/* ------------------------------------------------------------- lighting */

int tui_reused(const tr_event *ev, const tr_event *src)
{
    return src && tr_reused(ev->stage, src->stage);
}

static void want(tui_lit *lit, int layer, int unit)
{
    if (lit->want[layer] < 0)
        lit->want[layer] = unit;
}

/* Weight m (0-based) lit with bits; its destination layer keeps its ends in view. */
static void lit_weight(const nn_net *sh, tui_lit *lit, int m, unsigned char bits)
{
    int fl, fu, tl, tu;
    lit->weight[m] |= bits;
    nn_w_units(sh, m, &fl, &fu, &tl, &tu);
    want(lit, tl, tu);
    if (lit->want_src[tl] < 0)
        lit->want_src[tl] = fu < 0 ? sh->size[fl] : fu;
}

int tui_lit_init(const tui_state *st, tui_lit *lit)
{
    const nn_net *sh = &st->m.lesson->shape;
    const tr_event *ev = tui_model_current(&st->m);
    int L = sh->n_layers;
    memset(lit, 0, sizeof *lit);
    for (int l = 0; l <= L; l++) {
        lit->want[l] = lit->want_src[l] = -1;
        if (!(lit->unit[l] = calloc((size_t)sh->size[l], 1)))
            return -1;
    }
    if (!(lit->weight = calloc((size_t)sh->n_weights, 1)))
        return -1;
    lit->sample = ev->sample > 0 ? ev->sample : st->m.lesson->batch_size;
    lit->layer = ev->layer >= 1 && ev->layer <= L ? ev->layer : L;
    /* the value being computed */
    int u = ev->unit - 1;
    switch (ev->kind) {
    case NN_EV_NET: lit->unit[ev->layer][u] |= LIT_CUR_NET; want(lit, ev->layer, u); break;
    case NN_EV_OUT: lit->unit[ev->layer][u] |= LIT_CUR_OUT; want(lit, ev->layer, u); break;
    case NN_EV_DE_DOUT: case NN_EV_DOUT_DNET: case NN_EV_DE_DNET:
        lit->unit[ev->layer][u] |= LIT_CUR_OTHER;
        want(lit, ev->layer, u);
        break;
    case NN_EV_GRADIENT: case NN_EV_UPDATE:
        lit_weight(sh, lit, ev->weight - 1, LIT_CUR_OTHER);
        break;
    default:
        break;
    }
    /* its operands, as the formula shows them */
    for (int q = 0; q < ev->n_ops; q++) {
        const nn_operand *op = &ev->ops[q].op;
        int j = op->unit - 1;
        switch (op->kind) {
        case NN_OP_INPUT:  lit->unit[0][j] |= LIT_OUT; want(lit, 0, j); break;
        case NN_OP_TARGET: lit->unit[L][j] |= LIT_TARGET; want(lit, L, j); break;
        case NN_OP_BIAS_INPUT:
            lit->bias[op->layer] = 1;
            if (lit->want_src[op->layer] < 0)
                lit->want_src[op->layer] = sh->size[op->layer - 1];
            break;
        case NN_OP_WEIGHT: lit_weight(sh, lit, op->weight - 1, LIT_OTHER); break; /* mutant: figure-weights-unlit */
        case NN_OP_VALUE:
            if (op->of == NN_EV_GRADIENT) {
                lit_weight(sh, lit, op->weight - 1, LIT_OTHER);
            } else if (op->unit >= 1) {
                unsigned char bits = op->of == NN_EV_NET ? LIT_NET : op->of == NN_EV_OUT ? LIT_OUT : LIT_OTHER;
                if (tui_reused(ev, tui_event_id(st, op->dep))) /* mutant: figure-reused-unmarked */
                    bits |= LIT_REUSED;
                lit->unit[op->layer][j] |= bits;
                want(lit, op->layer, j);
            }
            break;
        case NN_OP_LEARNING_RATE: case NN_OP_KINDS:
        default:
            break;
        }
    }
    return 0;
}

void tui_lit_free(tui_lit *lit)
{
    for (int l = 0; l <= NN_MAX_LAYERS; l++)
        free(lit->unit[l]);
    free(lit->weight);
}

/* ----------------------------------------------------------------- plan */

/* Widths, from the widest to the narrowest: given values, weights on the
 * lines (0: none), neuron values, source names on the lines, net/out labels. */
static const int degrade[][5] = {
    { 7, 9, 10, 1, 1 }, { 6, 7, 9, 1, 1 }, { 5, 6, 8, 1, 1 }, { 4, 5, 8, 1, 1 }, { 4, 5, 7, 1, 1 },
    { 4, 0, 8, 1, 1 }, { 4, 0, 7, 1, 0 }, { 4, 0, 7, 0, 0 }, { 4, 0, 6, 0, 0 },
};
#define N_DEGRADE ((int)(sizeof degrade / sizeof degrade[0]))

static int digits_of(int n)
{
    int d = 1;
    while (n >= 10) {
        n /= 10;
        d++;
    }
    return d;
}

static int unit_name_w(const nn_net *sh, int l)
{
    char buf[32];
    nn_unit_name(sh, l, sh->size[l] - 1, buf, sizeof buf);
    return (int)strlen(buf);
}

/* The widths of every column for degrade step k; returns the width of the
 * figure drawing layers first .. first+n-1. */
static int widths(const nn_net *sh, tui_fig *f, int k, int first, int n)
{
    int L = sh->n_layers, biases = sh->n_weights - sh->b_off[1];
    f->gv = degrade[k][0];
    f->wv = degrade[k][1];
    f->num = degrade[k][2];
    f->src = degrade[k][3];
    f->lab = degrade[k][4];
    f->wname_w = 1 + digits_of(sh->n_weights);
    f->in_w = unit_name_w(sh, 0) + 1 + f->gv;
    if (f->in_w < 6)
        f->in_w = 6;                              /* "bias 1" */
    f->tg_w = 1 + digits_of(sh->size[L]) + 1 + f->gv;
    int total = f->in_w;
    for (int l = 1; l <= L; l++) {
        int sw = unit_name_w(sh, l - 1), bw = 1 + digits_of(biases);
        f->src_w[l] = f->src ? (sw > bw ? sw : bw) : 0;
        f->arrow_w[l] = f->src_w[l] + (f->src ? 1 : 0) + 1 + f->wname_w + (f->wv ? 1 + f->wv : 0) + 2;
        f->box_w[l] = 1 + unit_name_w(sh, l) + 1 + (f->lab ? 4 : 0) + f->num;
        if (f->box_w[l] < 7)
            f->box_w[l] = 7;                      /* "bias 1" under a hidden layer */
    }
    if (n < L) {          /* a window onto the layers: every layer as wide, so nothing moves as it scrolls */
        int sw = 0, bxw = 0, rest = f->arrow_w[1] - f->src_w[1];   /* the line after its source name */
        for (int l = 1; l <= L; l++) {
            sw = f->src_w[l] > sw ? f->src_w[l] : sw;
            bxw = f->box_w[l] > bxw ? f->box_w[l] : bxw;
        }
        for (int l = 1; l <= L; l++) {
            f->src_w[l] = sw;
            f->arrow_w[l] = sw + rest;
            f->box_w[l] = bxw;
        }
    }
    for (int l = first; l < first + n && l <= L; l++)
        total += 1 + f->arrow_w[l] + f->box_w[l];
    if (first + n - 1 == L)
        total += 1 + f->tg_w;
    return total;
}

/* Every window of n layers fits in w at degrade step k (the window scrolls). */
static int fits(const nn_net *sh, tui_fig *f, int k, int n, int w)
{
    for (int first = 1; first + n - 1 <= sh->n_layers; first++)
        if (widths(sh, f, k, first, n) > w)
            return 0;
    return 1;
}

/* Rows of layer l's column for rows_per and shown (hidden layers: their bias below). */
static int column_rows(const nn_net *sh, const tui_fig *f, int l)
{
    if (l == 0)
        return f->shown[0] + 1;
    return f->shown[l] * f->rows_per[l] + (l < sh->n_layers ? 1 : 0);
}

/* Heights for a body of `body` rows (body < 0: as many as the network needs). */
static void heights(const nn_net *sh, tui_fig *f, int body)
{
    int L = sh->n_layers;
    f->rows_per[0] = 1;
    f->shown[0] = sh->size[0];
    if (body >= 0 && f->shown[0] > body - 1)
        f->shown[0] = body - 1 > 1 ? body - 1 : 1;
    for (int l = 1; l <= L; l++) {
        int I = sh->size[l - 1], J = sh->size[l], extra = l < L ? 1 : 0;
        f->src_shown[l] = I + 1;
        f->rows_per[l] = I + 1 > 2 ? I + 1 : 2;
        f->shown[l] = J;
        if (body < 0 || J * f->rows_per[l] + extra <= body)
            continue;
        /* too tall: fewer lines per box so that two boxes show, then as many boxes as fit */
        int room = body - extra, cap = room / (J < 2 ? 1 : 2);
        if (cap < 2)
            cap = 2;
        f->src_shown[l] = I + 1 < cap ? I + 1 : cap;
        f->rows_per[l] = f->src_shown[l] > 2 ? f->src_shown[l] : 2;
        f->shown[l] = room / f->rows_per[l];
        if (f->shown[l] < 1)
            f->shown[l] = 1;
        if (f->shown[l] > J)
            f->shown[l] = J;
    }
}

int tui_fig_rows(const tui_state *st)
{
    const nn_net *sh = &st->m.lesson->shape;
    tui_fig f;
    memset(&f, 0, sizeof f);
    heights(sh, &f, -1);
    int rows = 0;
    for (int l = 0; l <= sh->n_layers; l++)
        if (column_rows(sh, &f, l) > rows)
            rows = column_rows(sh, &f, l);
    return 1 + rows;
}

void tui_fig_plan(tui_state *st, int y, int x, int w, int h)
{
    const nn_net *sh = &st->m.lesson->shape;
    tui_fig *f = &st->fig;
    int L = sh->n_layers;
    if (f->cols == COLS && f->rows == LINES && f->y == y && f->x == x && f->w == w && f->h == h)
        return;                                   /* the same plan: keep where the windows are */
    memset(f, 0, sizeof *f);
    f->cols = COLS;
    f->rows = LINES;
    f->y = y;
    f->x = x;
    f->w = w;
    f->h = h;
    /* the widest widths that fit with every layer while every line still
     * says where it comes from and carries its weight; else those widths
     * with the most layers that fit (the window scrolls to the current
     * value's layer); only when not even one layer fits, fewer labels */
    f->first = 1;
    f->n_cols = L;
    int k = 0, labelled = 0;
    while (labelled + 1 < N_DEGRADE && degrade[labelled + 1][1] > 0 && degrade[labelled + 1][3])
        labelled++;                               /* the last step with names and values on lines */
    while (k < labelled && widths(sh, f, k, 1, L) > w) /* mutant: figure-lines-unlabelled */
        k++;
    while (f->n_cols > 1 && !fits(sh, f, k, f->n_cols, w))
        f->n_cols--;
    while (k < N_DEGRADE - 1 && !fits(sh, f, k, f->n_cols, w))
        k++;
    widths(sh, f, k, 1, f->n_cols);
    heights(sh, f, h - 1);
}

/* ----------------------------------------------------------------- draw */

/* Keep unit u inside a window of n from *off over count. */
static void keep(int *off, int n, int count, int u)
{
    if (u < 0 || n <= 0)
        return;
    if (u < *off)
        *off = u;
    else if (u >= *off + n)
        *off = u - n + 1;
    if (*off > count - n)
        *off = count - n;
    if (*off < 0)
        *off = 0;
}

static void scroll_windows(tui_fig *f, const nn_net *sh, const tui_lit *lit)
{
    int L = sh->n_layers;
    if (f->n_cols < L) {
        int l = lit->layer;
        if (l < f->first)
            f->first = l;
        else if (l >= f->first + f->n_cols)
            f->first = l - f->n_cols + 1;
    }
    for (int l = 0; l <= L; l++) {
        keep(&f->off[l], f->shown[l], sh->size[l], lit->want[l]);
        if (l >= 1 && f->src_shown[l] < sh->size[l - 1] + 1 && lit->want_src[l] < sh->size[l - 1])
            keep(&f->src_off[l], f->src_shown[l] - 1, sh->size[l - 1], lit->want_src[l]);
    }
}

/* Attribute of a value with these lit bits: current, reused, operand, or plain. */
static int lit_attr(const tui_state *st, unsigned char bits, unsigned char cur, unsigned char op)
{
    if (bits & cur)
        return tui_attr(st, TUI_A_CURRENT);
    if ((bits & op) && (bits & LIT_REUSED))
        return tui_attr(st, TUI_A_REUSED);
    if (bits & op)
        return tui_attr(st, TUI_A_DEP);
    return 0;
}

/* A column heading with its window markers: "hidden ↑2 ↓25". */
static void heading(tui_state *st, int y, int x, int w, const char *title, int above, int below)
{
    char buf[96];
    int n = snprintf(buf, sizeof buf, "%s", title);
    if (above > 0)
        n += snprintf(buf + n, sizeof buf - (size_t)n, " %s%d", tui_glyph(st, "↑", "^"), above);
    if (below > 0)
        snprintf(buf + n, sizeof buf - (size_t)n, " %s%d", tui_glyph(st, "↓", "v"), below);
    tui_text(st, y, x, w, buf, tui_attr(st, TUI_A_HEADING));
}

static void draw_inputs(tui_state *st, const tui_lit *lit, int y, int x)
{
    const tui_fig *f = &st->fig;
    const nn_net *sh = &st->m.lesson->shape;
    int N = sh->size[0];
    char name[32], num[TR_NUM_SIZE];
    heading(st, y, x, f->in_w, "input", f->off[0], N - f->off[0] - f->shown[0]);
    for (int r = 0; r < f->shown[0]; r++) {
        int i = f->off[0] + r;
        int attr = lit_attr(st, lit->unit[0][i], 0, LIT_OUT);
        nn_unit_name(sh, 0, i, name, sizeof name);
        int c = tui_text(st, y + 1 + r, x, f->in_w, name, attr);
        double v = tr_rec_inputs(st->m.rec)[(size_t)(lit->sample - 1) * N + i];
        tui_num(st, v, 1, f->in_w - c - 1, num);
        tui_text(st, y + 1 + r, x + f->in_w - tui_cols(num), tui_cols(num), num, attr);
    }
    tui_text(st, y + 1 + f->shown[0], x, f->in_w, "bias 1", lit_attr(st, lit->bias[1], 0, 1));
}

/* The line into unit j of layer l from source s (s == size[l-1]: the bias). */
static void draw_line(tui_state *st, const tui_lit *lit, int y, int x, int l, int j, int s)
{
    const tui_fig *f = &st->fig;
    const nn_net *sh = &st->m.lesson->shape;
    int I = sh->size[l - 1], bias = s == I;
    int m = bias ? nn_b_index(sh, l, j) : nn_w_index(sh, l, s, j);
    char name[32], wname[16], num[TR_NUM_SIZE];
    int c = 0;
    if (f->src) {
        if (bias)
            snprintf(name, sizeof name, "b%d", nn_b_index(sh, l, j) - sh->b_off[1] + 1);
        else
            nn_unit_name(sh, l - 1, s, name, sizeof name);
        int src_attr = bias ? lit_attr(st, lit->bias[l], 0, 1) : lit_attr(st, lit->unit[l - 1][s], 0, LIT_OUT);
        int pad = f->src_w[l] - (int)strlen(name);
        c = pad + tui_text(st, y, x + pad, f->src_w[l], name, src_attr) + 1;
    }
    const char *dash = tui_glyph(st, "─", "-");
    tui_text(st, y, x + c++, 1, dash, tui_attr(st, TUI_A_DIM));
    snprintf(wname, sizeof wname, "w%d", m + 1);
    int wattr = lit_attr(st, lit->weight[m], LIT_CUR_OTHER, LIT_OTHER);
    tui_text(st, y, x + c, f->wname_w, wname, wattr);
    tui_hit(st, y, x + c, f->wname_w, tui_model_slot(&st->m, 0, TUI_DW, 0, m + 1));
    c += f->wname_w;
    if (f->wv) {
        int updated;
        double v = tui_weight_now(st, m + 1, &updated);
        tui_num(st, v, !updated && tr_rec_step(st->m.rec) == 1, f->wv, num);
        int n = tui_cols(num);
        tui_text(st, y, x + c + 1 + f->wv - n, n, num, updated ? tui_attr(st, TUI_A_UPDATED) : wattr);
        c += 1 + f->wv;
    }
    for (; c < f->arrow_w[l] - 1; c++)
        tui_text(st, y, x + c, 1, dash, tui_attr(st, TUI_A_DIM));
    tui_text(st, y, x + c, 1, tui_glyph(st, "▶", ">"), tui_attr(st, TUI_A_DIM));
}

/* Unit j of layer l: its lines, its bracket, its name, net and out (target beside an output). */
static void draw_unit(tui_state *st, const tui_lit *lit, int y, int x, int l, int j)
{
    const tui_fig *f = &st->fig;
    const nn_net *sh = &st->m.lesson->shape;
    int I = sh->size[l - 1], rows = f->rows_per[l], bx = x + f->arrow_w[l];
    unsigned char bits = lit->unit[l][j];
    char name[32], num[TR_NUM_SIZE];
    for (int r = 0; r < rows; r++) {
        if (r < f->src_shown[l]) {
            int s = r == f->src_shown[l] - 1 ? I : f->src_shown[l] == I + 1 ? r : f->src_off[l] + r;
            draw_line(st, lit, y + r, x, l, j, s); /* mutant: figure-lines-reorder */
        }
        const char *br = r == 0 ? tui_glyph(st, "┌", "+") : r == rows - 1 ? tui_glyph(st, "└", "+")
                                                                          : tui_glyph(st, "│", "|");
        tui_text(st, y + r, bx, 1, br, tui_attr(st, TUI_A_DIM));
    }
    int nw = unit_name_w(sh, l), vx = bx + 1 + nw + 1;
    nn_unit_name(sh, l, j, name, sizeof name);
    tui_text(st, y, bx + 1, nw, name, lit_attr(st, bits, LIT_CUR_OTHER, LIT_OTHER));
    tui_hit(st, y, bx + 1, nw, tui_model_slot(&st->m, lit->sample, TUI_NET, l, j + 1));
    static const int kinds[2] = { TUI_NET, TUI_OUT };
    static const unsigned char cur[2] = { LIT_CUR_NET, LIT_CUR_OUT }, op[2] = { LIT_NET, LIT_OUT };
    for (int k = 0; k < 2; k++) {
        double v;
        int attr = lit_attr(st, bits, cur[k], op[k]), c = 0;
        if (f->lab)
            c = tui_text(st, y + k, vx, 4, k == 0 ? "net " : "out ", attr ? attr : tui_attr(st, TUI_A_DIM));
        if (tui_known(st, lit->sample, kinds[k], l, j + 1, &v)) {
            double was;
            if (!attr && tui_was(st, tui_model_slot(&st->m, lit->sample, kinds[k], l, j + 1), &was))
                attr = tui_attr(st, TUI_A_CHANGED);          /* an edit changed it */
            tui_num(st, v, 0, f->num, num);
            tui_text(st, y + k, vx + c + f->num - tui_cols(num), tui_cols(num), num, attr);
        } else {
            tui_text(st, y + k, vx + c + f->num - 1, 1, tui_glyph(st, "·", "."), tui_attr(st, TUI_A_DIM));
        }
    }
    if (l == sh->n_layers) {
        int O = sh->size[l], tx = bx + f->box_w[l] + 1;
        int attr = bits & LIT_TARGET ? tui_attr(st, TUI_A_DEP) : 0;
        snprintf(name, sizeof name, "y%d", j + 1);
        int c = tui_text(st, y, tx, f->tg_w, name, attr);
        tui_num(st, tr_rec_targets(st->m.rec)[(size_t)(lit->sample - 1) * O + j], 1, f->tg_w - c - 1, num);
        tui_text(st, y, tx + f->tg_w - tui_cols(num), tui_cols(num), num, attr);
    }
}

void tui_fig_draw(tui_state *st, const tui_lit *lit)
{
    tui_fig *f = &st->fig;
    const nn_net *sh = &st->m.lesson->shape;
    int L = sh->n_layers, x = f->x, y = f->y;
    char title[64];
    scroll_windows(f, sh, lit);
    draw_inputs(st, lit, y, x);
    x += f->in_w + 1;
    for (int l = f->first; l < f->first + f->n_cols; l++) {
        int J = sh->size[l], I = sh->size[l - 1];
        if (l == L)
            snprintf(title, sizeof title, "output");
        else if (L == 2)
            snprintf(title, sizeof title, "hidden");
        else
            snprintf(title, sizeof title, "hidden %d", l);
        heading(st, y, x + f->arrow_w[l], f->box_w[l] + (l == L ? 1 + f->tg_w : 0), title, f->off[l],
                J - f->off[l] - f->shown[l]);
        if (f->src_shown[l] < I + 1) {             /* the window onto the lines into the boxes */
            char name_a[32], name_b[32], lines[96];
            nn_unit_name(sh, l - 1, f->src_off[l], name_a, sizeof name_a);
            nn_unit_name(sh, l - 1, f->src_off[l] + f->src_shown[l] - 2, name_b, sizeof name_b);
            snprintf(lines, sizeof lines, "%s-%s/%d", name_a, name_b, I);
            tui_text(st, y, x, f->arrow_w[l] - 1, lines, tui_attr(st, TUI_A_DIM));
        } else if (l == f->first && f->first > 1) {
            tui_text(st, y, x, f->arrow_w[l] - 1, tui_glyph(st, "◀ more layers", "< more layers"),
                     tui_attr(st, TUI_A_DIM));
        }
        for (int r = 0; r < f->shown[l]; r++)
            draw_unit(st, lit, y + 1 + r * f->rows_per[l], x, l, f->off[l] + r);
        if (l < L)
            tui_text(st, y + 1 + f->shown[l] * f->rows_per[l], x + f->arrow_w[l] + 1, f->box_w[l] - 1,
                     "bias 1", lit_attr(st, lit->bias[l + 1], 0, 1));
        x += f->arrow_w[l] + f->box_w[l] + 1;
    }
    if (f->first + f->n_cols - 1 < L)
        tui_text(st, y, x, f->x + f->w - x, tui_glyph(st, "more ▶", "more >"), tui_attr(st, TUI_A_DIM));
}
