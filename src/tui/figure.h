/*
 * figure.h - the network as the article draws it (figure.c): its plan,
 * what the current value lights, where a click jumps.
 */
#ifndef NNTRACE_TUI_FIGURE_H
#define NNTRACE_TUI_FIGURE_H

#include "model.h"

/* What the current value lights (tui_lit): bits per unit, per weight, per bias input. */
enum {
    LIT_NET = 1,          /* the unit's net is an operand */
    LIT_OUT = 2,          /* its out is an operand */
    LIT_OTHER = 4,        /* another value of the unit (dE_total/dout, dout/dnet) is an operand */
    LIT_REUSED = 8,       /* ... one that stage 5 reuses from stage 4 */
    LIT_CUR_NET = 16,     /* the current value is the unit's net */
    LIT_CUR_OUT = 32,     /* ... its out */
    LIT_CUR_OTHER = 64,   /* ... another of its values, or the weight itself */
    LIT_TARGET = 128,     /* a target y of an output unit is an operand */
};
typedef struct tui_lit {
    unsigned char *unit[NN_MAX_LAYERS + 1];  /* per layer 0..L, per unit: LIT_* bits */
    unsigned char bias[NN_MAX_LAYERS + 1];   /* the bias input into layer l is an operand */
    unsigned char *weight;                   /* per weight: LIT_OTHER (operand), LIT_REUSED,
                                                LIT_CUR_OTHER (the current value's weight) */
    int sample;                              /* the batch sample the figure shows, from 1 */
    int want[NN_MAX_LAYERS + 1];             /* per layer, the unit to keep in view, -1: none */
    int want_src[NN_MAX_LAYERS + 1];         /* per layer, the source (unit of l-1, or the bias:
                                                size[l-1]) of a lit weight into it, -1: none */
    int layer;                               /* the layer of the current value */
} tui_lit;

/* The figure's plan for one lesson at one terminal size: where every column,
 * box and line goes.  Fixed for the whole walk; only the windows onto layers
 * too big to show whole scroll (off, src_off, first). */
typedef struct tui_fig {
    int cols, rows;                   /* the terminal size it was made for (0: none yet) */
    int y, x, w, h;                   /* its area */
    int gv, wv, num;                  /* widths: given values, weights on lines (0: none), neuron values */
    int src, lab;                     /* source names on the lines; "net"/"out" labels in boxes */
    int first, n_cols;                /* layers first .. first+n_cols-1 of 1..L are drawn (scrolls) */
    int in_w, tg_w, wname_w;          /* widths: input column, target column, a weight's name */
    int src_w[NN_MAX_LAYERS + 1];     /* width of the source names of lines into layer l */
    int arrow_w[NN_MAX_LAYERS + 1];   /* width of the lines into layer l */
    int box_w[NN_MAX_LAYERS + 1];     /* width of layer l's boxes */
    int rows_per[NN_MAX_LAYERS + 1];  /* rows per unit of layer l (layer 0: 1) */
    int src_shown[NN_MAX_LAYERS + 1]; /* lines shown per unit of layer l, the bias's included */
    int shown[NN_MAX_LAYERS + 1];     /* units of layer l shown */
    int off[NN_MAX_LAYERS + 1];       /* first unit of layer l shown (scrolls) */
    int src_off[NN_MAX_LAYERS + 1];   /* first source of the lines into layer l (scrolls) */
} tui_fig;

/* Where a click jumps (figure.c fills it as it draws). */
typedef struct tui_hits {
    struct { int y, x, w; long event; } at[96];   /* a click at (y, x..x+w) jumps to event */
    int n;                    /* entries of at in use */
} tui_hits;

/* figure.c: the network as the article draws it */
int tui_lit_init(const tui_state *st, tui_lit *lit);   /* what the current value lights; -1 no memory */
void tui_lit_free(tui_lit *lit);
void tui_fig_plan(tui_state *st, int y, int x, int w, int h);   /* keeps the plan if nothing changed */
int tui_fig_rows(const tui_state *st);         /* rows the whole figure needs */
void tui_fig_draw(tui_state *st, const tui_lit *lit);
/* Value src, which ev was computed from, is a stage-4 term that stage 5
 * reuses (the article's yellow terms): the one rule for every screen. */
int tui_reused(const tr_event *ev, const tr_event *src);
/* A value by its key (tui_model_slot), once the screen may show it: 1 with *v. */
int tui_known(const tui_state *st, int sample, tui_role kind, int layer, int unit, double *v);
/* Weight number `weight` (from 1) as the walk has reached it: updated (stage 6
 * shown, *updated 1) or as the step began. */
double tui_weight_now(const tui_state *st, int weight, int *updated);
void tui_hit(tui_state *st, int y, int x, int w, long event);   /* a click there jumps to event */

#endif
