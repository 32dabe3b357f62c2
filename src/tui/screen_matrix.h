/*
 * screen_matrix.h - the matrix view (screen_matrix.c), m: the stage as
 * Part 2's matrices.  Its state is tui_state.matrix.
 */
#ifndef NNTRACE_TUI_SCREEN_MATRIX_H
#define NNTRACE_TUI_SCREEN_MATRIX_H

#include "../lesson/lesson.h"
#include "../trace/trace.h"
#include "base.h"

/* The matrix view (screen_matrix.c): the step's numbers up to the value at
 * hand, and a cursor on one entry of the stage's matrices. */
typedef struct tui_matrix {
    tr_mxstep *vals;              /* the step's numbers, events 0..fed-1 of it (NULL: none yet) */
    const ls_lesson *lesson;      /* for which lesson (a stepper edit makes another) */
    int step;                     /* ... and which step */
    long fed;                     /* events of the step put into vals */
    long placed;                  /* 1 + the event the cursor was last placed for (0: none) */
    int at, r, c;                 /* the cursor: matrix of the stage's list, its row and column */
    int top;                      /* lines scrolled */
} tui_matrix;

void matrix_draw(tui_state *st);
tui_result matrix_key(tui_state *st, int key);
void matrix_free(tui_state *st);

#endif
