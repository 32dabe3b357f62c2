/*
 * quiz.c - the quiz's questions, chosen per step (which values are asked),
 * and what is hidden from the learner: the value asked, or in the presenter
 * what the class computes first.  No drawing and no keys: screen_quiz.c
 * asks and judges, the navigation (nav.c) keeps the questions in step.
 */
#include "tui.h"

#include <stdlib.h>
#include <string.h>

#define QUIZ_SAMPLES 2            /* per-sample values are asked of the first two samples */
#define QUIZ_UPDATES 3            /* updated weights asked at most */

int quiz_kind(nn_ev_kind ev_kind)
{
    switch (ev_kind) {
    case NN_EV_NET: case NN_EV_OUT: return QUIZ_FORWARD;
    case NN_EV_LOSS: case NN_EV_LOSS_BATCH: return QUIZ_LOSS;
    case NN_EV_UPDATE: return QUIZ_UPDATE;
    case NN_EV_DE_DOUT: case NN_EV_DOUT_DNET: case NN_EV_DE_DNET: case NN_EV_GRADIENT: case NN_EV_KINDS:
    default: return QUIZ_BACKWARD;
    }
}

const char *quiz_kind_name(int kind)
{
    static const char *const names[QUIZ_KINDS] = { "forward", "loss", "backward", "update" };
    return kind >= 0 && kind < QUIZ_KINDS ? names[kind] : "?";
}

const char *quiz_mistake_name(int mistake)
{
    static const char *const names[NN_MISTAKES] = {
        "the activation's slope left out", "the slope taken at the wrong point",
        "the other activation's slope", "the sign of (out - target) flipped",
        "the updated output weights used in stage 5", "the sum over the batch instead of the mean",
        "the bias forgotten", "the learning rate not applied", "the learning rate applied twice",
        "the 1/2 of the quadratic loss left out", "the activation not applied",
        "no update (the old weight)", "the update's sign flipped", "1 - out for the sigmoid's slope",
    };
    return mistake >= 0 && mistake < NN_MISTAKES ? names[mistake] : "?";
}

/* Mark the questions among events [from, to). */
static void choose(tui_state *st, long from, long to)
{
    int updates = 0;
    const tr_recording *rec = st->m.rec;
    for (long e = from; e < to; e++) {
        const tr_item *ev = tr_rec_item(rec, e);
        int question = 0;
        if (ev->kind == NN_EV_UPDATE) {
            const tr_event *u = tui_event(st, e);   /* its old weight: an operand */
            /* only where the answer differs from the old weight at the digits shown */
            char was[TR_NUM_SIZE], now[TR_NUM_SIZE];
            question = u->n_ops > 0 && updates < QUIZ_UPDATES &&
                       strcmp(tr_fmt_fixed(u->ops[0].op.value, st->look.digits, was),
                              tr_fmt_fixed(u->value, st->look.digits, now)) != 0;
            updates += question;
        } else if (ev->kind == NN_EV_LOSS_BATCH) {
            question = 1;
        } else if (ev->kind == NN_EV_GRADIENT) {
            const tr_item *prev = e > from ? tr_rec_item(rec, e - 1) : NULL;
            question = !prev || prev->kind != NN_EV_GRADIENT;
        } else if (ev->sample > 0 && ev->sample <= QUIZ_SAMPLES) {
            /* the first of its kind in this stage and sample (and layer) */
            question = 1;
            for (long p = e - 1; p >= from && question; p--) {
                const tr_item *q = tr_rec_item(rec, p);
                if (q->stage != ev->stage)
                    break;
                if (q->sample == ev->sample && q->kind == ev->kind && q->layer == ev->layer)
                    question = 0;
            }
        }
        if (!(st->quiz.kinds >> quiz_kind((nn_ev_kind)ev->kind) & 1u))
            question = 0;
        st->quiz.asked[e] = question ? QUIZ_PENDING : QUIZ_NONE;
    }
}

int quiz_asks(tui_mode mode, int quiz_present)
{
    return mode == TUI_MODE_QUIZ || (mode == TUI_MODE_PRESENT && quiz_present);
}

int quiz_on(const tui_state *st)
{
    return quiz_asks(st->mode, st->quiz.present);
}

int quiz_init(tui_state *st)
{
    st->quiz.asked = NULL;
    st->quiz.step = 0;
    return quiz_update(st);
}

int quiz_update(tui_state *st)
{
    if (st->mode != TUI_MODE_QUIZ && !st->quiz.present)
        return 0;
    long n = tr_rec_count(st->m.rec);
    unsigned char *more = realloc(st->quiz.asked, (size_t)n);
    if (!more)
        return -1;
    st->quiz.asked = more;
    /* a step is asked the first time it is reached; one seen before is shown revealed */
    if (tr_rec_step(st->m.rec) > st->quiz.step) {
        choose(st, 0, n);
        st->quiz.step = tr_rec_step(st->m.rec);
    } else {
        memset(st->quiz.asked, QUIZ_NONE, (size_t)n);
    }
    return 0;
}

int quiz_hidden(const tui_state *st)
{
    return st->quiz.asked && st->mode == TUI_MODE_QUIZ && (st->quiz.asked[st->m.cur] == QUIZ_PENDING || st->quiz.asked[st->m.cur] == QUIZ_HINTED);
}

void quiz_moved(tui_state *st, int step, long from)
{
    if (st->mode != TUI_MODE_QUIZ || !st->quiz.asked)
        return;
    long n = tr_rec_count(st->m.rec), cur = st->m.cur;
    if (tr_rec_step(st->m.rec) == step)
        for (long e = from + 1; e < cur && e < n; e++)
            if (st->quiz.asked[e] == QUIZ_PENDING || st->quiz.asked[e] == QUIZ_HINTED) {
                st->quiz.report.skipped[quiz_kind((nn_ev_kind)tr_rec_item(st->m.rec, e)->kind)]++;
                st->quiz.asked[e] = QUIZ_SKIPPED;
            }
    for (long e = cur; e < n; e++)
        if (st->quiz.asked[e] == QUIZ_PENDING || st->quiz.asked[e] == QUIZ_HINTED) {
            tui_model_go(&st->m, e);        /* as tui_go, which is nav.c's (above this file) */ /* mutant: quiz-calls-nav */
            st->message[0] = '\0';
            return;
        }
}

int quiz_questions(const tui_state *st)
{
    int n = 0;
    for (long e = 0; st->quiz.asked && e < tr_rec_count(st->m.rec); e++)
        n += st->quiz.asked[e] != QUIZ_NONE;
    return n;
}

long tui_visible(const tui_state *st)
{
    if (st->mode == TUI_MODE_PRESENT && st->present.board)
        return -1;                               /* the board: before anything is computed */
    if (st->mode == TUI_MODE_PRESENT && st->present.reveal < 2)
        return st->m.cur - 1;                    /* the class computes it first */
    return quiz_hidden(st) ? st->m.cur - 1 : st->m.cur;
}

void quiz_free(tui_state *st)
{
    free(st->quiz.asked);
    st->quiz.asked = NULL;
}
