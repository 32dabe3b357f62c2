/*
 * edit.c - edit and replay in the stepper: e opens a prompt (NAME=VALUE, as
 * --set takes), Enter recomputes everything through the engine from the
 * lesson with the edits applied and stays on the same value; u undoes the
 * last edit, U all of them.  The walk as it was before the last change is
 * kept beside it (st->edit.before), so every value that changed can show what
 * it was.
 */
#include "tui.h"
#include "keys.h"

#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Recompute from the lesson with edits[0..n-1]; the walk stays where it is
 * and the walk until now becomes st->edit.before.  0, or -1 with st->message set. */
static int rebuild(tui_state *st, char (*edits)[TUI_EDIT_SIZE], int n, ls_edit *last)
{
    char err[LS_ERR_SIZE];
    ls_lesson *L = ls_copy(st->lesson);
    if (!L) {
        snprintf(st->message, sizeof st->message, "Out of memory");
        return -1;
    }
    /* after training (the loss curve's Enter): the edits apply to the weights of that epoch */
    if (st->at_epoch > 0 && st->curve.weights && st->at_epoch <= st->curve.n)
        memcpy(L->weights, st->curve.weights + (size_t)st->at_epoch * (size_t)ls_n_weights(L),
               (size_t)ls_n_weights(L) * sizeof(double));
    for (int q = 0; q < n; q++)
        if (ls_set(L, edits[q], q == n - 1 ? last : NULL, err, sizeof err) != 0) {
            snprintf(st->message, sizeof st->message, "%.150s", err);
            ls_free(L);
            return -1;
        }
    tui_model m;
    if (tui_model_open(&m, L, NULL, quiz_on(st), err, sizeof err) != 0 ||
        tui_model_goto_step(&m, tr_rec_step(st->m.rec), err, sizeof err) != 0) {
        snprintf(st->message, sizeof st->message, "Cannot compute it: %.120s", err);
        if (m.rec)
            tui_model_free(&m);
        ls_free(L);
        return -1;
    }
    tui_model_go(&m, st->m.cur);
    tui_model_free(&st->edit.before);
    ls_free(st->edit.before_lesson);
    st->edit.before = st->m;                       /* what the screen showed until now */
    st->edit.before_lesson = st->edit.lesson;
    st->m = m;
    st->edit.lesson = L;
    if (edits != st->edit.list)
        memmove(st->edit.list, edits, (size_t)n * sizeof st->edit.list[0]);
    st->edit.n = n;
    return quiz_update(st);
}

int tui_was(const tui_state *st, long index, double *was)
{
    const tr_recording *b = st->edit.before.rec;
    if (!b || tr_rec_step(b) != tr_rec_step(st->m.rec) || index < 0 || index >= tr_rec_count(b) || index >= tr_rec_count(st->m.rec))
        return 0;
    double now = tr_rec_item(st->m.rec, index)->value, old = tr_rec_item(b, index)->value;
    if (old == now || (isnan(old) && isnan(now))) /* mutant: edit-changes-unmarked */
        return 0;
    *was = old;
    return 1;
}

/* "w5 0.1 → 0.3: 23 values changed, E_final 0.253395 → 0.251234" */
static void summary(tui_state *st, const char *what)
{
    long changed = 0;
    double was;
    for (long e = 0; e < tr_rec_count(st->m.rec); e++)
        changed += tui_was(st, e, &was);
    long ef = tui_model_slot(&st->m, 0, TUI_E_FINAL, 0, 0);
    char a[TR_NUM_SIZE], b[TR_NUM_SIZE];
    int n = snprintf(st->message, sizeof st->message, "%s: %ld value%s changed", what, changed,
                     changed == 1 ? "" : "s");
    if (ef >= 0 && tui_was(st, ef, &was) && n > 0 && (size_t)n < sizeof st->message)
        snprintf(st->message + n, sizeof st->message - (size_t)n, ", E_final %s %s %s",
                 tui_num(st, was, 0, 20, a), tui_glyph(st, "→", "->"),
                 tui_num(st, tr_rec_at(st->m.rec, ef)->value, 0, 20, b));
}

int tui_edit(tui_state *st, const char *assignment)
{
    if (st->edit.n == TUI_MAX_EDITS) {
        snprintf(st->message, sizeof st->message, "At most %d edits: U goes back to the lesson", TUI_MAX_EDITS);
        return -1;
    }
    char (*edits)[TUI_EDIT_SIZE] = malloc(sizeof st->edit.list);
    if (!edits)
        return -1;
    memcpy(edits, st->edit.list, sizeof st->edit.list);
    snprintf(edits[st->edit.n], TUI_EDIT_SIZE, "%s", assignment);
    ls_edit done;
    int rc = rebuild(st, edits, st->edit.n + 1, &done);
    free(edits);
    if (rc == 0) {
        char was[TR_NUM_SIZE], now[TR_NUM_SIZE], what[160];       /* "w5 0.1 -> 0.3" */
        snprintf(what, sizeof what, "%s %s %s %s", done.name, tr_fmt_given(done.was, was),
                 tui_glyph(st, "→", "->"), tr_fmt_given(done.now, now));
        summary(st, what);
    }
    return rc;
}

void tui_edit_undo(tui_state *st, int all)
{
    if (st->edit.n == 0) {
        snprintf(st->message, sizeof st->message, "No edit to undo");
        return;
    }
    if (rebuild(st, st->edit.list, all ? 0 : st->edit.n - 1, NULL) == 0)
        summary(st, all ? "Back to the lesson's values" : "Undone");
}

/* The given number the current value uses first, as NAME=VALUE (a weight,
 * an input, a target, eta): the prompt's hint; the prompt itself opens empty. */
static void prefill(tui_state *st)
{
    const tr_event *ev = tui_model_current(&st->m);
    const ls_lesson *L = st->m.lesson;
    char num[TR_NUM_SIZE];
    st->edit.hint[0] = '\0';
    for (int q = 0; q < ev->n_ops; q++) {
        const nn_operand *op = &ev->ops[q].op;
        int s = ev->sample > 0 ? ev->sample : op->sample;
        switch (op->kind) {
        case NN_OP_WEIGHT:
            snprintf(st->edit.hint, sizeof st->edit.hint, "w%d=%s", op->weight,
                     tr_fmt_given(L->weights[op->weight - 1], num));
            return;
        case NN_OP_LEARNING_RATE:
            snprintf(st->edit.hint, sizeof st->edit.hint, "eta=%s", tr_fmt_given(L->learning_rate, num));
            return;
        case NN_OP_INPUT: case NN_OP_TARGET:
            if (s > 0 && tr_rec_step(st->m.rec) == 1)
                snprintf(st->edit.hint, sizeof st->edit.hint, "X%d.%c%d=%s", s,
                         op->kind == NN_OP_INPUT ? 'x' : 'y', op->unit, tr_fmt_given(op->value, num));
            if (st->edit.hint[0])
                return;
            break;
        case NN_OP_VALUE: case NN_OP_BIAS_INPUT: case NN_OP_KINDS:
        default:
            break;
        }
    }
    snprintf(st->edit.hint, sizeof st->edit.hint, "eta=%s", tr_fmt_given(L->learning_rate, num));
}

/* Prediction (p): the edit typed is checked, not applied; the student marks
 * values with m, then Enter applies it and compares. */
static void predict_begin(tui_state *st)
{
    char err[LS_ERR_SIZE];
    ls_lesson *L = ls_copy(st->m.lesson);
    int ok = L && ls_set(L, st->edit.text, NULL, err, sizeof err) == 0;
    ls_free(L);
    if (!ok) {
        snprintf(st->message, sizeof st->message, "%.150s", L ? err : "Out of memory");
        return;
    }
    free(st->edit.marks);
    st->edit.n_marks = tr_rec_count(st->m.rec);
    if (!(st->edit.marks = calloc((size_t)st->edit.n_marks, 1))) {
        st->edit.n_marks = 0;
        return;
    }
    snprintf(st->edit.pending, sizeof st->edit.pending, "%s", st->edit.text);
    st->edit.predict = 1;
    snprintf(st->message, sizeof st->message, "Predict %.40s: m marks a value that will change, Enter applies",
             st->edit.pending);
}

/* Enter after marking: apply the edit, then hits, misses and false alarms
 * over the values reached, per stage; changes in values not reached yet
 * are still to come, not misses. */
static void predict_end(tui_state *st)
{
    long hits[NN_STAGES + 1] = { 0 }, misses[NN_STAGES + 1] = { 0 }, alarms = 0, to_come = 0;
    double was;
    st->edit.predict = 0;
    if (tui_edit(st, st->edit.pending) != 0 || !st->edit.marks || st->edit.n_marks != tr_rec_count(st->m.rec))
        return;
    long reached = tui_visible(st);
    for (long e = 0; e < st->edit.n_marks; e++) {
        if (tui_was(st, e, &was))
            st->edit.marks[e] |= TUI_MARK_CHANGED;
        int p = st->edit.marks[e] & TUI_MARK_PREDICTED, c = st->edit.marks[e] & TUI_MARK_CHANGED;
        int s = tr_rec_item(st->m.rec, e)->stage;
        if (e > reached) { /* mutant: predict-counts-unreached */
            to_come += c != 0;
            continue;
        }
        hits[s] += p && c;
        misses[s] += !p && c;
        alarms += p && !c;
    }
    st->edit.predict = 2;
    int n = snprintf(st->message, sizeof st->message, "Prediction %.40s:", st->edit.pending);
    for (int s = 1; s <= NN_STAGES && n < (int)sizeof st->message; s++)
        if (hits[s] || misses[s])
            n += snprintf(st->message + n, sizeof st->message - (size_t)n, " stage %d %ld of %ld;", s, hits[s],
                          hits[s] + misses[s]);
    if (n < (int)sizeof st->message)
        snprintf(st->message + n, sizeof st->message - (size_t)n, " %ld false alarm%s, %ld still to come",
                 alarms, alarms == 1 ? "" : "s", to_come);
}

void tui_marks_clear(tui_state *st)
{
    free(st->edit.marks);
    st->edit.marks = NULL;
    st->edit.n_marks = 0;
    st->edit.predict = 0;
}

tui_result tui_edit_key(tui_state *st, int key)
{
    if (!st->edit.prompt) {
        tui_action act = tui_key_action(key, st->edit.predict == 1, NULL);
        if (act == TUI_ACT_MARK && st->edit.marks && st->m.cur < st->edit.n_marks) {
            st->edit.marks[st->m.cur] ^= TUI_MARK_PREDICTED;
            return TUI_REDRAW;
        }
        if (st->edit.predict == 1 && (key == '\n' || key == '\r' || key == KEY_ENTER)) {
            predict_end(st);                     /* Enter applies the prediction's edit */
            return TUI_REDRAW;
        }
        if (act == TUI_ACT_EDIT || act == TUI_ACT_PREDICT) {
            tui_marks_clear(st);
            st->edit.prompt = act == TUI_ACT_PREDICT ? 2 : 1;
            st->edit.text[0] = '\0'; /* mutant: prompt-prefilled */
            prefill(st);
            return TUI_REDRAW;
        }
        if (act == TUI_ACT_UNDO || act == TUI_ACT_UNDO_ALL) {
            tui_marks_clear(st);
            tui_edit_undo(st, act == TUI_ACT_UNDO_ALL);
            return TUI_REDRAW;
        }
        return TUI_IGNORED;
    }
    size_t len = strlen(st->edit.text);
    if (key == 27) {
        st->edit.prompt = 0;
    } else if (key == '\n' || key == '\r' || key == KEY_ENTER) {
        int predicting = st->edit.prompt == 2;
        st->edit.prompt = 0;
        if (len && predicting)
            predict_begin(st);
        else if (len)
            tui_edit(st, st->edit.text);
    } else if (key == KEY_BACKSPACE || key == 127 || key == 8) {
        if (len)
            st->edit.text[len - 1] = '\0';
    } else if (key == '\t') {                /* Tab: the hint, to change */
        snprintf(st->edit.text, sizeof st->edit.text, "%s", st->edit.hint);
    } else if (key == 21) {                  /* Ctrl-U: clear */
        st->edit.text[0] = '\0';
    } else if (key >= 0x20 && key < 0x7F && len + 1 < sizeof st->edit.text) {
        st->edit.text[len] = (char)key;
        st->edit.text[len + 1] = '\0';
    }
    return TUI_REDRAW;
}

void tui_edit_draw(tui_state *st)
{
    if (!st->edit.prompt)
        return;
    char line[160];
    snprintf(line, sizeof line, st->edit.prompt == 2 ? "predict NAME=VALUE (Tab: %s; Enter, then m marks): %s_"
                                                : "edit NAME=VALUE (Tab: %s; Enter applies, Esc cancels): %s_",
             st->edit.hint, st->edit.text);
    mvhline(LINES - 1, 0, ' ', COLS);
    tui_text_safe(st, LINES - 1, 0, COLS, line, tui_attr(st, TUI_A_MESSAGE));
}

void tui_edit_free(tui_state *st)
{
    tui_marks_clear(st);
    tui_model_free(&st->edit.before);
    ls_free(st->edit.before_lesson);
    ls_free(st->edit.lesson);
    st->edit.before_lesson = st->edit.lesson = NULL;
}
