/*
 * nav.h - moving through the walk for the keys (nav.c).
 */
#ifndef NNTRACE_TUI_NAV_H
#define NNTRACE_TUI_NAV_H

#include "code.h"

/* nav.c: go to a code's step, stage and value (its edits are the caller's); 0, or -1 with err. */
int tui_goto_code(tui_state *st, const tui_code *code, char *err, size_t err_size);

/* nav.c: the model's navigation for the keys, with the message it leaves and
 * the quiz's questions kept up to date when the step changes.  The screens
 * and follow.c call these; nav.c calls no screen (quiz.c and edit.c's state
 * only), so no call runs back up from a screen's service to the screen. */
void tui_go(tui_state *st, long index);      /* a value of the step held */
void tui_go_stage(tui_state *st, int step, int stage);  /* see tui_model_go_stage */
int tui_next(tui_state *st);                 /* 0 at the end, with a message */
/* Record the lesson again from new starting weights (NULL: the lesson's). */
int tui_restart(tui_state *st, const double *weights, int epoch);
/* The note of a stage (1..6) with its live values as the screen shows
 * values: st->look.digits decimals or st->look.sig significant digits, "(not computed yet)" for one
 * not yet visible; in a string of its own (malloc'd, the caller frees; NULL
 * when out of memory). */
char *tui_note_dup(const tui_state *st, int stage);

#endif
