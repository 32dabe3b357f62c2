/*
 * screen_quiz.c - quiz mode: before chosen values are revealed the learner
 * types a number.  It counts as right when it rounds to the same digits as
 * the value; a first wrong answer shows the formula with the numbers in as a
 * hint, a second one reveals the answer.  The questions: for stages 1 to 5
 * the first value of each sample, the batch loss E_final, and every updated
 * weight.  Drawing is the stepper's, with the hidden value held back.
 */
#include "tui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Mark the questions among events [from, to). */
static void choose(tui_state *st, long from, long to)
{
    for (long e = from; e < to; e++) {
        const tr_event *ev = tui_event(st, e);
        int question = 0;
        if (ev->kind == NN_EV_UPDATE || ev->kind == NN_EV_LOSS_BATCH)
            question = 1;
        else if (ev->sample > 0)
            question = e == from || tui_event(st, e - 1)->stage != ev->stage ||
                       tui_event(st, e - 1)->sample != ev->sample;
        st->quiz[e] = question ? QUIZ_PENDING : QUIZ_NONE;
    }
}

int quiz_init(tui_state *st)
{
    st->quiz = NULL;
    st->quiz_step = 0;
    return quiz_update(st);
}

int quiz_update(tui_state *st)
{
    if (st->mode != TUI_MODE_QUIZ)
        return 0;
    long n = st->m.rec->n_events;
    unsigned char *more = realloc(st->quiz, (size_t)n);
    if (!more)
        return -1;
    st->quiz = more;
    /* a step is asked the first time it is reached; one seen before is shown revealed */
    if (st->m.rec->step > st->quiz_step) {
        choose(st, 0, n);
        st->quiz_step = st->m.rec->step;
    } else {
        memset(st->quiz, QUIZ_NONE, (size_t)n);
    }
    return 0;
}

int quiz_hidden(const tui_state *st)
{
    return st->quiz && (st->quiz[st->m.cur] == QUIZ_PENDING || st->quiz[st->m.cur] == QUIZ_HINTED);
}

int quiz_questions(const tui_state *st)
{
    int n = 0;
    for (long e = 0; st->quiz && e < st->m.rec->n_events; e++)
        n += st->quiz[e] != QUIZ_NONE;
    return n;
}

/* Check the typed answer against the current value. */
static void answer(tui_state *st)
{
    const tr_event *ev = tui_event(st, st->m.cur);
    char want[TR_NUM_SIZE], got[TR_NUM_SIZE];
    double v;
    if (st->answer[0] == '\0') {
        snprintf(st->message, sizeof st->message, "Type a number first, then Enter.");
        return;
    }
    /* a decimal comma reads as a point: "0,13" is 0.13 (one comma, and no point beside it) */
    char typed[sizeof st->answer];
    snprintf(typed, sizeof typed, "%s", st->answer);
    char *comma = strchr(typed, ',');
    if (comma && !strchr(comma + 1, ',') && !strchr(typed, '.'))
        *comma = '.';
    if (ls_parse_number(typed, &v) != 0) {
        snprintf(st->message, sizeof st->message, "'%.30s' is not a number: try again.", st->answer);
        st->answer[0] = '\0';
        return;
    }
    tr_fmt_fixed(ev->value, st->digits, want);
    tr_fmt_fixed(v, st->digits, got);
    st->answer[0] = '\0';
    if (strcmp(want, got) == 0) {
        st->quiz[st->m.cur] = QUIZ_RIGHT;
        st->right++;
        snprintf(st->message, sizeof st->message, "Right: %s. Enter for the next value.", want);
    } else if (st->quiz[st->m.cur] == QUIZ_PENDING) {
        st->quiz[st->m.cur] = QUIZ_HINTED;
        snprintf(st->message, sizeof st->message, "Not %s. Hint: the numbers are in; try again.", got);
    } else {
        st->quiz[st->m.cur] = QUIZ_WRONG;
        st->wrong++;
        snprintf(st->message, sizeof st->message, "Not %s: the answer is %s.", got, want);
    }
}

/* While a value is hidden: the answer's keys, and the few moves allowed
 * (back, quit, help), left to the walk's keys; after: only the moves. */
int quiz_key(tui_state *st, int key)
{
    if (quiz_hidden(st)) {
        size_t len = strlen(st->answer);
        if ((key >= '0' && key <= '9') || key == '.' || key == ',' || key == '-' || key == '+' || key == 'e' ||
            key == 'E') {
            if (len + 1 < sizeof st->answer) {
                st->answer[len] = (char)key;
                st->answer[len + 1] = '\0';
            }
        } else if (key == KEY_BACKSPACE || key == 127 || key == 8) {
            if (len > 0)
                st->answer[len - 1] = '\0';
        } else if (key == '\n' || key == '\r' || key == KEY_ENTER) {
            answer(st);
        } else if (key == KEY_LEFT || key == 'h' || key == 'q' || key == 'Q' || key == '?') {
            st->answer[0] = '\0';
            return 0;
        }
        return 1;
    }
    switch (key) {
    case KEY_RIGHT: case 'l': case 'n': case '\n': case '\r': case KEY_ENTER:
    case KEY_LEFT: case 'h': case 'p': case 'q': case 'Q': case '?':
        return 0;
    default:
        return 1;
    }
}
