/*
 * screen_quiz.c - quiz mode: before chosen values are revealed the learner
 * types a number.  It counts as right when it reads as the value at the
 * precision asked (the digits shown; significant digits for a value that
 * shows as 0 there) or within the relative tolerance, and is nearer to the
 * value than to every known mistake that differs from it at that precision
 * (the old weight among them, for an update).  A
 * wrong answer is compared with what each known mistake gives for that
 * value (nn_mistakes, computed by the engine and kept with the event) and
 * with the same value of the other samples: where one matches, the quiz
 * names the mistake and the term concerned; otherwise the first wrong
 * answer shows the formula with the numbers in as a hint, a second one the
 * answer.  The questions, of the kinds chosen (--quiz=forward|loss|backward
 * |update): per stage and sample (the first two samples) the first value of
 * each kind, the first gradient of each stage, E_final, and up to three
 * updated weights that differ from the old one at the digits shown.
 */
#include "tui.h"
#include "keys.h"

#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* The significant digits a question about want is asked in: the screen's
 * when it shows significant digits, st->look.sig_digits when want shows as 0 at
 * the decimals chosen, else 0 (decimals). */
static int asked_sig(const tui_state *st, double want)
{
    char b[TR_NUM_SIZE];
    if (st->look.sig > 0)
        return st->look.sig;
    tr_fmt_fixed(want, st->look.digits, b);
    return want != 0 && strspn(b, "-0.") == strlen(b) ? st->look.sig_digits : 0; /* mutant: quiz-zero-in-decimals */
}

/* v written at the precision a question about want is asked in. */
static char *as_asked(const tui_state *st, double want, double v, char buf[TR_NUM_SIZE])
{
    int sig = asked_sig(st, want);
    return sig ? tr_fmt_sig(v, sig, buf) : tr_fmt_fixed(v, st->look.digits, buf);
}

/* v and want read the same at the precision asked. */
static int same_as_asked(const tui_state *st, double v, double want)
{
    char a[TR_NUM_SIZE], b[TR_NUM_SIZE];
    return strcmp(as_asked(st, want, v, a), as_asked(st, want, want, b)) == 0;
}

/* The answer v reads as want: at the precision asked, or within the tolerance. */
static int close_to(const tui_state *st, double v, double want)
{
    return same_as_asked(st, v, want) || fabs(v - want) <= st->quiz.tolerance * fabs(want);
}

/* The answer v to ev is right: it reads as the value, and no known mistake
 * that differs from the value at the precision asked is as near to it. */
static int is_right(const tui_state *st, const tr_event *ev, double v)
{
    if (!close_to(st, v, ev->value))
        return 0;
    for (int q = 0; q < ev->n_mistakes; q++) {
        double m = ev->mistakes[q].value;
        if (!same_as_asked(st, m, ev->value) && !(fabs(v - ev->value) < fabs(v - m))) /* mutant: quiz-old-weight-right */
            return 0;
    }
    return 1;
}

/* The one known mistake of ev that the answer v is (-1: none, or more than
 * one alike): those that differ from the value and that v reads as; of
 * several, the nearest when it is nearer than half the distance to the next. */
static int which_mistake(const tui_state *st, const tr_event *ev, double v)
{
    int best = -1;
    double d1 = INFINITY, d2 = INFINITY;
    for (int q = 0; q < ev->n_mistakes; q++) {
        const nn_mistake *m = &ev->mistakes[q];
        if (same_as_asked(st, m->value, ev->value) || !close_to(st, v, m->value) ||
            !(fabs(v - m->value) < fabs(v - ev->value)))
            continue;
        double d = fabs(v - m->value);
        if (d < d1) {
            d2 = d1;
            d1 = d;
            best = q;
        } else if (d < d2) {
            d2 = d;
        }
    }
    return best >= 0 && (d2 == INFINITY || d1 < d2 / 2) ? best : -1;
}

/* A wrong answer v to ev: the known mistake or the other sample it is, in
 * st->message; 0 when it is none of them. */
static int diagnose(tui_state *st, const tr_event *ev, double v)
{
    const nn_net *sh = &st->lesson->shape;
    char name[TR_NAME_SIZE], num[TR_NUM_SIZE], got[TR_NUM_SIZE];
    tr_fmt_fixed(v, st->look.digits, got);
    for (int q = which_mistake(st, ev, v); q >= 0; q = -1) {
        const nn_mistake *m = &ev->mistakes[q];
        st->quiz.report.mistakes[m->kind]++;
        name[0] = '\0';
        if (m->term.kind != NN_OP_KINDS)
            tr_operand_name(sh, &m->term, TR_PLAIN, name, sizeof name);
        tui_num(st, m->term.value, m->term.dep < 0, TR_NUM_SIZE - 1, num);
        switch (m->kind) {
        case NN_MISTAKE_NO_SLOPE:
            snprintf(st->message, sizeof st->message, "%.30s: you left out %.30s = %.30s (the %.30s's slope).", got, name,
                     num, nn_act_name(sh->act[m->term.layer >= 1 && m->term.layer <= sh->n_layers ? m->term.layer : 1]));
            break;
        case NN_MISTAKE_SLOPE_AT_OUT:
            snprintf(st->message, sizeof st->message, "%.30s: that is the slope at the wrong point, "
                     "s(out)*(1 - s(out)); the slope is out*(1 - out) with %.30s = %.30s.", got, name, num);
            break;
        case NN_MISTAKE_OTHER_SLOPE:
            snprintf(st->message, sizeof st->message, "%.30s: that is the other activation's slope; this layer is %.30s.",
                     got, nn_act_name(sh->act[m->term.layer >= 1 && m->term.layer <= sh->n_layers ? m->term.layer : 1]));
            break;
        case NN_MISTAKE_SIGN:
            snprintf(st->message, sizeof st->message, "%.30s: the sign is flipped; the error is out - target, "
                     "not target - out.", got);
            break;
        case NN_MISTAKE_UPDATED_WEIGHTS:
            snprintf(st->message, sizeof st->message, "%.30s: you used the updated output weights; stage 5 uses "
                     "them as they were (%.30s = %.30s).", got, name, num);
            break;
        case NN_MISTAKE_SUM:
            snprintf(st->message, sizeof st->message, "%.30s: that is the sum over the batch; take the mean "
                     "(divide by %d).", got, st->lesson->batch_size);
            break;
        case NN_MISTAKE_NO_BIAS:
            snprintf(st->message, sizeof st->message, "%.30s: you forgot the bias, + %.30s*1 with %.30s = %.30s.", got, name,
                     name, num);
            break;
        case NN_MISTAKE_NO_ETA:
            snprintf(st->message, sizeof st->message, "%.30s: you left out the learning rate, eta = %.30s.", got, num);
            break;
        case NN_MISTAKE_ETA_TWICE:
            snprintf(st->message, sizeof st->message, "%.30s: you applied the learning rate twice (eta*eta); "
                     "eta = %.30s once.", got, num);
            break;
        case NN_MISTAKE_NO_HALF:
            snprintf(st->message, sizeof st->message, "%.30s: you left out the 1/2 of the quadratic loss.", got);
            break;
        case NN_MISTAKE_NO_UPDATE:
            snprintf(st->message, sizeof st->message, "%.30s: that is the weight as it was; the update "
                     "subtracts eta*dE_final/dw from it.", got);
            break;
        case NN_MISTAKE_UPDATE_SIGN:
            snprintf(st->message, sizeof st->message, "%.30s: the update's sign is flipped; gradient descent "
                     "goes against the gradient: w - eta*dE_final/dw.", got);
            break;
        case NN_MISTAKE_ONE_MINUS:
            snprintf(st->message, sizeof st->message, "%.30s: that is 1 - out; the slope is out*(1 - out) "
                     "with %.30s = %.30s.", got, name, num);
            break;
        case NN_MISTAKE_NO_ACTIVATION:
            snprintf(st->message, sizeof st->message, "%.30s: that is the net input %.30s; out applies the "
                     "activation to it.", got, name);
            break;
        case NN_MISTAKES:
        default:
            continue;
        }
        return 1;
    }
    /* the same value of another sample */
    for (long e = 0; ev->sample > 0 && e < tr_rec_count(st->m.rec); e++) {
        const tr_event *o = tui_event_named(st, e);
        if (o->sample > 0 && o->sample != ev->sample && o->kind == ev->kind && o->layer == ev->layer &&
            o->unit == ev->unit && !close_to(st, o->value, ev->value) && close_to(st, v, o->value)) {
            st->quiz.report.other_sample++;
            snprintf(st->message, sizeof st->message, "%.30s: that is X%d's %.30s; this question is X%d's.", got,
                     o->sample, o->symbol, ev->sample);
            return 1;
        }
    }
    return 0;
}

/* Check the typed answer against the current value. */
static void answer(tui_state *st)
{
    const tr_event *ev = tui_event(st, st->m.cur);
    char want[TR_NUM_SIZE], got[TR_NUM_SIZE];
    double v;
    if (st->quiz.answer[0] == '\0') {
        snprintf(st->message, sizeof st->message, "Type a number first, then Enter.");
        return;
    }
    /* a decimal comma reads as a point: "0,13" is 0.13 (one comma, and no point beside it) */
    char typed[sizeof st->quiz.answer];
    snprintf(typed, sizeof typed, "%s", st->quiz.answer);
    char *comma = strchr(typed, ',');
    if (comma && !strchr(comma + 1, ',') && !strchr(typed, '.'))
        *comma = '.'; /* mutant: quiz-comma-unread */
    if (ls_parse_number(typed, &v) != 0) {
        snprintf(st->message, sizeof st->message, "'%.30s' is not a number: try again.", st->quiz.answer);
        st->quiz.answer[0] = '\0';
        return;
    }
    int kind = quiz_kind(ev->kind), first = st->quiz.asked[st->m.cur] == QUIZ_PENDING;
    as_asked(st, ev->value, ev->value, want);
    as_asked(st, ev->value, v, got);
    st->quiz.answer[0] = '\0';
    if (is_right(st, ev, v)) { /* mutant: quiz-accepts-anything */
        st->quiz.asked[st->m.cur] = first ? QUIZ_RIGHT : QUIZ_RETRIED;
        st->quiz.report.asked[kind]++;
        if (first) {                             /* the score counts first tries; retries apart */
            st->quiz.right++;
            st->quiz.report.right[kind]++;
        } else {
            st->quiz.retried++;
            st->quiz.report.retried[kind]++; /* mutant: quiz-retry-scored */
        }
        snprintf(st->message, sizeof st->message, first ? "Right: %s. Enter for the next value."
                 : "Right at the second try: %s. Enter for the next value.", want);
        return;
    }
    char why[sizeof st->message] = "";
    if (diagnose(st, ev, v)) /* mutant: quiz-undiagnosed */
        snprintf(why, sizeof why, "%s", st->message);
    if (first) {
        st->quiz.asked[st->m.cur] = QUIZ_HINTED;
        if (why[0])
            snprintf(st->message, sizeof st->message, "%.200s Try again.", why);
        else
            snprintf(st->message, sizeof st->message, "Not %s. Hint: the numbers are in; try again.", got);
    } else {
        st->quiz.asked[st->m.cur] = QUIZ_WRONG;
        st->quiz.wrong++;
        st->quiz.report.asked[kind]++;
        if (why[0])
            snprintf(st->message, sizeof st->message, "%.200s The answer: %.30s.", why, want);
        else
            snprintf(st->message, sizeof st->message, "Not %s: the answer is %s.", got, want);
    }
}

/* While a value is hidden: the answer's keys, and the few moves allowed
 * (back, quit, help), left to the walk's keys; after: only the moves. */
tui_result quiz_key(tui_state *st, int key)
{
    tui_action act = tui_key_action(key, 0, NULL);
    if (quiz_hidden(st)) {
        size_t len = strlen(st->quiz.answer);
        if ((key >= '0' && key <= '9') || key == '.' || key == ',' || key == '-' || key == '+' || key == 'e' ||
            key == 'E') {
            if (len + 1 < sizeof st->quiz.answer) {
                st->quiz.answer[len] = (char)key;
                st->quiz.answer[len + 1] = '\0';
            }
        } else if (key == KEY_BACKSPACE || key == 127 || key == 8) {
            if (len > 0)
                st->quiz.answer[len - 1] = '\0';
        } else if (key == '\n' || key == '\r' || key == KEY_ENTER) {
            answer(st);
        } else if (tui_action_flags(act) & TUI_KEY_ANSWERING) { /* mutant: quiz-typing-takes-next */
            st->quiz.answer[0] = '\0';               /* a move: the answer typed so far is dropped */
            return TUI_IGNORED;
        }
        return TUI_REDRAW; /* mutant: quiz-typing-not-redrawn */
    }
    /* stages and steps go to their first question; digits as in the stepper */
    return (tui_action_flags(act) & TUI_KEY_QUIZ) ? TUI_IGNORED : TUI_HANDLED;
}
