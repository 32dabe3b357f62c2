/*
 * nav.c - moving through the walk: to a value, a stage, the next value, a
 * step code's screen, or a fresh recording from other weights.  Each move
 * keeps what depends on the step held in step: the quiz's questions, the
 * prediction marks, the walk before the last edit.  The screens call these;
 * they call nothing of the screens' (quiz.c and edit.c's state only).
 */
#include "tui.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ navigation */

void tui_go(tui_state *st, long index)
{
    tui_model_go(&st->m, index);
    st->message[0] = '\0';
}

/* After the model moved to another step: the quiz's questions for it. */
static int step_changed(tui_state *st, int before)
{
    char err[LS_ERR_SIZE];
    if (tr_rec_step(st->m.rec) == before)
        return 0;
    tui_marks_clear(st);                        /* a prediction holds for the step it was made in */
    if (st->edit.before.rec && tui_model_goto_step(&st->edit.before, tr_rec_step(st->m.rec), err, sizeof err) != 0)
        tui_model_free(&st->edit.before);           /* the changes can no longer be shown */
    if (quiz_update(st) == 0)
        return 0;
    snprintf(st->message, sizeof st->message, "Out of memory");
    return -1;
}

void tui_go_stage(tui_state *st, int step, int stage)
{
    char err[LS_ERR_SIZE];
    int before = tr_rec_step(st->m.rec);
    if (tui_model_go_stage(&st->m, step, stage, err, sizeof err) != 0) {
        snprintf(st->message, sizeof st->message, "Cannot compute the step: %.100s", err);
        return;
    }
    st->message[0] = '\0';
    step_changed(st, before);
}

int tui_next(tui_state *st)
{
    if (tui_model_next(&st->m)) {
        st->message[0] = '\0';
        return 1;
    }
    int step = tui_model_current(&st->m)->step;
    if (st->mode == TUI_MODE_QUIZ)
        snprintf(st->message, sizeof st->message, "Quiz over: %d of %d right. q quits.", st->quiz.right,
                 quiz_questions(st));
    else
        snprintf(st->message, sizeof st->message, "End of step %d. Press ] for step %d.", step, step + 1);
    return 0;
}

char *tui_note_dup(const tui_state *st, int stage)
{
    const ls_lesson *L = st->m.lesson;
    const tr_recording *rec = st->m.rec;
    double vals[LS_MAX_REFS];
    long shown = tui_visible(st);
    for (int r = 0; r < L->n_refs && r < LS_MAX_REFS; r++) {
        long at;
        double v = tr_rec_note(rec, r, &at);
        vals[r] = at <= shown ? v : NAN;                 /* not yet computed: "?" */ /* mutant: note-shows-future */
    }
    return tr_note_dup(L, stage - 1, vals, st->look.digits, st->look.sig);
}

int tui_restart(tui_state *st, const double *weights, int epoch)
{
    char err[LS_ERR_SIZE];
    tui_model fresh;
    if (tui_model_open(&fresh, st->lesson, weights, quiz_on(st), err, sizeof err) != 0) {
        snprintf(st->message, sizeof st->message, "Cannot trace from those weights: %.100s", err);
        return -1;
    }
    tui_model_free(&st->m);
    tui_edit_free(st);                 /* an epoch's weights start from the lesson as given */
    st->edit.n = 0;
    st->m = fresh;
    st->at_epoch = weights ? epoch : -1;
    if (quiz_update(st) != 0) {
        snprintf(st->message, sizeof st->message, "Out of memory");
        return -1;
    }
    return 0;
}

int tui_goto_code(tui_state *st, const tui_code *at, char *err, size_t err_size)
{
    if (tui_model_goto_step(&st->m, at->step, err, err_size) != 0)
        return -1;
    long first = tui_stage_first(&st->m, at->stage), last = tui_stage_last(&st->m, at->stage);
    if (first < 0 || at->value > last - first + 1) {      /* never first + value: it can overflow */ /* mutant: code-value-overflows */
        snprintf(err, err_size, "--at: stage %d of step %d has no value %ld", at->stage, at->step, at->value);
        return -1;
    }
    tui_model_go(&st->m, first + at->value - 1);
    st->present.board = 0;
    st->message[0] = '\0';
    return quiz_update(st) == 0 ? 0 : -1;
}
