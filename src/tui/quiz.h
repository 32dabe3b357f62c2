/*
 * quiz.h - the quiz's questions and what is hidden (quiz.c; no drawing,
 * no keys, calls no screen).  Its state is tui_state.quiz.
 */
#ifndef NNTRACE_TUI_QUIZ_H
#define NNTRACE_TUI_QUIZ_H

#include "../trace/trace.h"
#include "base.h"

/* A quiz question's state, per event. */
typedef enum tui_quiz_status { QUIZ_NONE, QUIZ_PENDING, QUIZ_HINTED, QUIZ_RIGHT, QUIZ_WRONG, QUIZ_RETRIED, QUIZ_SKIPPED } tui_quiz_status;

/* Kinds of value the quiz asks (--quiz=forward|loss|backward|update|all): bits. */
typedef enum tui_quiz_kind { QUIZ_FORWARD, QUIZ_LOSS, QUIZ_BACKWARD, QUIZ_UPDATE, QUIZ_KINDS } tui_quiz_kind;
#define QUIZ_ALL ((1u << QUIZ_KINDS) - 1)
#define QUIZ_TOLERANCE 0.005      /* default relative error accepted: 3 significant figures */

/* What a quiz ends with: right and asked per kind, the mistakes named. */
typedef struct tui_quiz_report {
    int asked[QUIZ_KINDS];        /* questions answered, per kind */
    int right[QUIZ_KINDS];        /* ... right at the first try */
    int retried[QUIZ_KINDS];      /* ... right at the second try, after the hint (not in right) */
    int skipped[QUIZ_KINDS];      /* questions passed over by a stage or step key */
    int mistakes[NN_MISTAKES];    /* wrong answers that were this known mistake */
    int other_sample;             /* ... that were another sample's value */
} tui_quiz_report;

/* The quiz's state (quiz.c owns it: quiz_init, quiz_free; screen_quiz.c asks). */
typedef struct tui_quiz {
    unsigned char *asked;     /* QUIZ_* per event of the step held, or NULL (no quiz) */
    int step;                 /* the furthest step asked */
    char answer[40];          /* the number being typed */
    int right, wrong;         /* answers right at the first try, and wrong twice */
    int retried;              /* answers right at the second try */
    unsigned kinds;           /* QUIZ_* bits of the kinds asked */
    double tolerance;         /* relative error accepted */
    tui_quiz_report report;   /* the score so far */
    int present;              /* presenter mode with the quiz's questions (tui_options) */
} tui_quiz;

/* quiz.c: the questions and what is hidden (no drawing, no keys; calls no screen) */
/* The quiz asks questions: in quiz mode, or the presenter's with --quiz (the one rule). */
int quiz_asks(tui_mode mode, int quiz_present);
int quiz_on(const tui_state *st);           /* quiz_asks of the state */
int quiz_init(tui_state *st);                /* choose the questions; -1 out of memory */
void quiz_free(tui_state *st);
int quiz_update(tui_state *st);              /* questions for the step held now */
int quiz_hidden(const tui_state *st);        /* the current value is not revealed yet */
/* After a move by a stage or step key (from value `from` of step `step`):
 * the questions passed over counted as skipped, and on to the first question
 * at or after the value reached. */
void quiz_moved(tui_state *st, int step, long from);
int quiz_questions(const tui_state *st);     /* questions in the step held */
int quiz_kind(nn_ev_kind ev_kind);                  /* QUIZ_* of a value's NN_EV_* kind */
const char *quiz_kind_name(int kind);        /* "forward", "loss", "backward", "update" */
const char *quiz_mistake_name(int mistake);  /* "the slope left out", ... */
long tui_visible(const tui_state *st);       /* last event whose value may be shown */

#endif
