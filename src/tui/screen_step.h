/*
 * screen_step.h - the stepper's screen (screen_step.c): header,
 * network, derivation, stage table, note.  Its state is tui_state.stepper.
 */
#ifndef NNTRACE_TUI_SCREEN_STEP_H
#define NNTRACE_TUI_SCREEN_STEP_H

#include "../lesson/lesson.h"
#include "base.h"

/* The step screen's own state (screen_step.c). */
typedef struct tui_stepper {
    struct {
        int cols, rows;           /* the terminal size the panels were planned for */
        const ls_lesson *lesson;  /* ... and the lesson */
        int fig_h, deriv_h, note_h;   /* rows of the figure, the derivation, the note (with its rule) */
        int pic_w, pic_bw;            /* i: the width the picture is given (-1: not measured yet) and the
                                         columns it takes for any sample (the figure starts after them) */
    } lay;                    /* the panels, fixed for the walk */
    int full_formula;         /* f: the whole derivation shown over the figure */
    int show_image;           /* i: an image lesson's current sample as a picture, over the figure */
    int note_off;             /* the page of the note shown */
    int note_stage;           /* the stage whose note that is */
} tui_stepper;

/* The current value's derivation as every screen writes it (screen_step.c):
 * the formula, its numbers (once the reveal or the quiz allows), the result
 * line when `result`; each operand lit, stage 4's reused terms marked; cut
 * with a mark at h lines, the result line kept.  Returns the lines used. */
int tui_derivation(tui_state *st, int y, int x, int w, int h, int result);

void step_draw(tui_state *st);
tui_result step_key(tui_state *st, int key);        /* the walk's keys: every screen's fallback */

#endif
