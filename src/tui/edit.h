/*
 * edit.h - edit and replay, undo, predictions (edit.c).  Its state is
 * tui_state.edit.
 */
#ifndef NNTRACE_TUI_EDIT_H
#define NNTRACE_TUI_EDIT_H

#include "model.h"

#define TUI_MAX_EDITS 32          /* edits the stepper keeps (u undoes them one by one) */
#define TUI_EDIT_SIZE 48          /* room for one NAME=VALUE */

/* Edits, undo and predictions (edit.c owns it: tui_edit_free). */
typedef struct tui_edits {
    ls_lesson *lesson;        /* the lesson with the edits applied (owned; the model's), or NULL */
    char list[TUI_MAX_EDITS][TUI_EDIT_SIZE];  /* the edits applied, in order, as NAME=VALUE */
    int n;                    /* edits in list */
    tui_model before;         /* the walk before the last edit or undo (rec NULL: none) */
    ls_lesson *before_lesson; /* its lesson, when edited (owned) */
    int prompt;               /* e: the edit prompt is open (2: for a prediction, p) */
    int predict;              /* p: 1 marking the values that will change, 2 showing the result */
    char pending[TUI_EDIT_SIZE];  /* the edit predicted, applied on Enter */
    unsigned char *marks;     /* per event of the step held: TUI_MARK_* bits (NULL: none) */
    long n_marks;             /* events marks covers */
    char text[TUI_EDIT_SIZE]; /* what is typed in the prompt (it opens empty) */
    char hint[TUI_EDIT_SIZE]; /* the operand it offers, NAME=VALUE (Tab takes it) */
} tui_edits;

enum { TUI_MARK_PREDICTED = 1, TUI_MARK_CHANGED = 2 };

/* edit.c: edit and replay */
int tui_edit(tui_state *st, const char *assignment);   /* apply one more NAME=VALUE and recompute */
void tui_edit_undo(tui_state *st, int all);            /* u: the last edit; U: all */
tui_result tui_edit_key(tui_state *st, int key);              /* e, u, U and the prompt's keys */
void tui_edit_draw(tui_state *st);                     /* the prompt, on the last line */
void tui_edit_free(tui_state *st);
void tui_marks_clear(tui_state *st);                   /* drop a prediction's marks */
/* The value event `index` had before the last edit, when it changed; 1 then. */
int tui_was(const tui_state *st, long index, double *was);

#endif
