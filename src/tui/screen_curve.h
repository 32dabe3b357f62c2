/*
 * screen_curve.h - the loss curve (screen_curve.c), t: loss and
 * accuracy per epoch.  Its state is tui_state.curve.
 */
#ifndef NNTRACE_TUI_SCREEN_CURVE_H
#define NNTRACE_TUI_SCREEN_CURVE_H

#include "base.h"

#define TUI_CURVE_EPOCHS 40       /* epochs the loss-curve view trains */

/* The loss-curve view's data: one training run of the lesson. */
typedef struct tui_curve {
    int n;                        /* epochs recorded, 0..TUI_CURVE_EPOCHS (plus epoch 0) */
    double loss[TUI_CURVE_EPOCHS + 1];      /* training loss after each epoch */
    double test_loss[TUI_CURVE_EPOCHS + 1]; /* held-out loss (NAN if none) */
    double acc[TUI_CURVE_EPOCHS + 1];       /* training accuracy (NAN without labels) */
    double test_acc[TUI_CURVE_EPOCHS + 1];  /* held-out accuracy (NAN if none) */
    double *weights;              /* the weights at the start of each epoch, (n+1) * W */
    int sel;                      /* the epoch under the cursor: the state after sel epochs */
    int zoom;                     /* the loss axis spans the losses (1), or runs from 0 (0) */
    int done;                     /* training has run */
    double polled;                /* when training last looked at the keyboard (s) */
    char error[160];              /* why it could not run */
} tui_curve;

/* The loss curve's training, when its view has just opened: run in the
 * loop, with a message on screen; q, Esc, t or a fatal signal stop it. */
void curve_train_if_needed(tui_state *st);
void curve_draw(tui_state *st);
tui_result curve_key(tui_state *st, int key);
void curve_free(tui_state *st);

#endif
