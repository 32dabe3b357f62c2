/*
 * tui.h - the interactive stepper.
 *
 * The screens read a recording of the engine's events (tr_recording) and
 * never compute the math.  One file per screen, each with a *_draw and a
 * *_key function (a tui_screen), dispatched by the loop in tui.c:
 *   screen_step.c     the stepper: header, network, derivation, stage table, note
 *   screen_help.c     the key help, drawn from the key table (keys.c)
 *   screen_present.c  presenter mode (--present): large block digits
 *   screen_quiz.c     quiz mode (--quiz): the keys while a value is hidden
 *   screen_curve.c    the loss curve (t): loss and accuracy per epoch
 *   screen_matrix.c   the matrix view (m): the stage as Part 2's matrices
 * Below the screens: nav.c moves (and keeps the quiz's questions for a new
 * step), quiz.c says what is asked and hidden, edit.c edits and replays,
 * figure.c lays out the network, follow.c serves and follows a class,
 * code.c makes and reads step codes; model.c indexes the recording of the
 * step held (which event holds which value), draw.c has the drawing helpers
 * every screen uses.  Calls run one way (tests/shell/layers.sh).  Each of
 * these files has a small header of its own (model.h, draw.h, figure.h,
 * quiz.h, edit.h, code.h, follow.h, nav.h, screen_*.h; keys.h the key
 * table) with its state's type beside its functions; base.h names the state
 * and tui_result for them.  This header holds what every screen shares:
 * tui_state, made of those types, the screen operations, and the entry
 * points (tui_run, the bench, the reader's probe); it includes them all.
 *
 * A run, `nntrace --quiz seed`, as tui_run makes it:
 *   tui_model_open(&st.m, L, NULL)     record step 1 (tr_record), index it
 *   quiz_init(&st)                     choose which values of step 1 are asked
 *   quiz_moved(&st, 1, 0)              on to the first question
 *   loop, until q or a fatal signal:
 *     screen->draw(&st)                only when the last key changed something
 *     k = getch()                      Right, say
 *     key(&st, k)                      tui.c: the screen shown first, then the walk
 *       quiz_key(&st, k)               TUI_IGNORED: the question was answered
 *       step_key(&st, k)               tui_key_action(k) gives TUI_ACT_NEXT:
 *         tui_next(&st)                nav.c: tui_model_next, the message
 *       quiz_moved(&st, step, from)    only for a key that crosses a stage
 *       returns TUI_REDRAW             (TUI_HANDLED: nothing shown changed)
 *     `]`: step_key -> tui_go_stage(&st, step + 1, 1) -> tui_model_go_stage
 *          records step 2 in place of step 1, then quiz_update asks it
 *   state_free: curve_free, matrix_free, quiz_free, tui_model_free, tui_edit_free
 *
 * Lifetimes: a tr_event (from tui_event, tui_model_current) lives until the
 * step held changes: a key handler copies the step and stage it needs
 * before it moves.  st->lesson is the caller's and outlives the run; every
 * other pointer in tui_state is owned by it and freed by state_free.
 */
#ifndef TUI_H
#define TUI_H

#include <signal.h>
#include <stddef.h>

#include "../lesson/lesson.h"
#include "../trace/trace.h"
#include "base.h"
#include "model.h"
#include "draw.h"
#include "figure.h"
#include "quiz.h"
#include "edit.h"
#include "code.h"
#include "follow.h"
#include "nav.h"
#include "screen_step.h"
#include "screen_present.h"
#include "screen_help.h"
#include "screen_quiz.h"
#include "screen_curve.h"
#include "screen_matrix.h"

#define TUI_MIN_COLS 50          /* smallest window the stepper draws in */
#define TUI_MIN_ROWS 14
#define TUI_PLAY_MS 1000          /* autoplay's interval until + or - changes it */
#define TUI_SIG_DIGITS 3          /* significant digits d switches to without --sig */

/* The screens. */
typedef enum tui_screen_id { TUI_SCREEN_STEP, TUI_SCREEN_HELP, TUI_SCREEN_CURVE, TUI_SCREEN_MATRIX } tui_screen_id;

/* Its colours (c switches). */
typedef enum tui_theme { TUI_THEME_DARK, TUI_THEME_LIGHT, TUI_THEME_CONTRAST, TUI_THEMES } tui_theme;

/* Everything the stepper shows, apart from the recording. */
/* How numbers and lines are drawn: the options and what the terminal can do. */
typedef struct tui_look {
    int digits;               /* digits after the decimal point */
    int sig;                  /* numbers: 0 = digits decimals, else this many significant digits */
    int sig_digits;           /* significant digits when d switches to them (--sig, else TUI_SIG_DIGITS) */
    tui_theme theme;          /* TUI_THEME_* */
    int unicode;              /* UTF-8 terminal: box lines and arrows */
    int color;                /* colours in use (not NO_COLOR, not monochrome) */
    int greys;                /* TUI_GREYS grey levels as colour pairs (256 colours), else 0 */
    int mouse;                /* mouse clicks jump (not --no-mouse) */
} tui_look;

/* What every screen shares; each screen's own state is one field. */
typedef struct tui_state {
    tui_model m;              /* the indexed recording and the current event */
    const ls_lesson *lesson;  /* the lesson as given */
    tui_look look;            /* how numbers and lines are drawn */
    tui_mode mode;            /* TUI_MODE_STEP, _PRESENT or _QUIZ */
    tui_screen_id screen;     /* TUI_SCREEN_STEP, _HELP, _CURVE or _MATRIX: the screen shown */
    int quit;                 /* leave the loop */
    char message[256];        /* one-line message, cleared on the next move */
    struct { int on, delay_ms; } play;   /* autoplay: on, and its interval */
    int at_epoch;             /* the recording starts from the weights after at_epoch epochs of the
                                 loss curve's training (0: before it), -1: the lesson's */
    const volatile sig_atomic_t *signalled;  /* tui_run's flag: a fatal signal came (long work stops) */
    struct {
        const ls_lesson *of;      /* the lesson value is of (NULL: none yet) */
        unsigned long long value; /* tui_lesson_print of it, for step codes */
    } print;
    tui_stepper stepper;      /* the step screen */
    tui_present present;      /* the presenter */
    tui_quiz quiz;            /* the quiz */
    tui_curve curve;          /* t: the loss-curve view */
    tui_matrix matrix;        /* m: the matrix view */
    tui_fig fig;              /* the network figure's plan */
    tui_hits hits;            /* where a click jumps */
    tui_edits edit;           /* e, u, p: edits, undo, predictions */
    tui_follow follow;        /* serving the class, or following the teacher */
} tui_state;

/* A screen's operations (ncdu's shape): tui.c has one per screen, picks the
 * one shown (the help, curve or matrix view when open, else the mode's
 * screen) and dispatches every redraw and key through it.  A key the screen
 * leaves (TUI_IGNORED) goes on to the walk's keys (step_key). */
typedef struct tui_screen {
    void (*draw)(tui_state *st);             /* draw the whole screen (after erase) */
    tui_result (*key)(tui_state *st, int key);   /* one key: what it did */
} tui_screen;

/* Options of a stepper run. */
typedef struct tui_options {
    int digits;               /* digits after the decimal point (default 6) */
    int play_ms;              /* start playing at this interval, 0 = paused */
    tui_mode mode;            /* TUI_MODE_STEP, _PRESENT or _QUIZ */
    int sig;                  /* significant digits instead of decimals (0: decimals) */
    tui_theme theme;          /* TUI_THEME_* */
    int no_mouse;             /* leave the mouse to the terminal */
    unsigned quiz_kinds;      /* quiz: QUIZ_* bits (0: all) */
    double tolerance;         /* quiz: relative error accepted (0: QUIZ_TOLERANCE) */
    tui_quiz_report *report;  /* quiz: filled at the end, if not NULL */
    int quiz_present;         /* presenter mode asking the quiz's questions: the room answers, the
                                 teacher reveals; other values are shown whole */
    const tui_code *at;       /* open at this code's screen (its edits already made), or NULL */
    const char *serve;        /* --serve: PORT or ADDRESS:PORT to listen on ("" the default), or NULL */
    const char *follow;       /* --follow: HOST[:PORT] of the teacher, or NULL */
} tui_options;

/* Run the stepper on a lesson until the user quits.  Returns the exit
 * status: 0, 2 when there is no usable terminal (err says why), or 128+N
 * after signal N.  After a quiz, *right and *asked (if not NULL) hold the
 * score. */
int tui_run(const ls_lesson *lesson, const tui_options *opt, char *err, size_t err_size,
            int *right, int *asked);

/* What tui_bench measured, in microseconds. */
typedef struct tui_bench_result {
    /* CPU time of the process, in microseconds */
    double first_us;          /* recording, indexing and the first drawn screen */
    double mean_us;           /* mean time per redraw */
    double worst_us;          /* slowest redraw */
    int worst_stage;          /* ... the stage it drew */
    double p99_us;            /* 99% of redraws take at most this */
    long redraws;             /* screens drawn */
    double edit_us;           /* an edit (w1 = 0.5) recomputed and drawn */
} tui_bench_result;

/* Benchmark: draw every screen of a full walk (forward to the end and back)
 * into an off-screen terminal of cols x rows.  0 on success. */
int tui_bench(const ls_lesson *lesson, int cols, int rows, tui_bench_result *out);

/* The stepper as tui_run opens it (the same options), drawn into an
 * off-screen terminal of cols x rows, for the reader's check: keys go in as
 * typed, rows come back as UTF-8 text.  NULL with err on failure. */
typedef struct tui_probe tui_probe;
tui_probe *tui_probe_open(const ls_lesson *lesson, const tui_options *opt, int cols, int rows, char *err,
                          size_t err_size);
tui_result tui_probe_key(tui_probe *p, int key);   /* one key, then the screen redrawn; what it did */
void tui_probe_go(tui_probe *p, long index);    /* to a value of the step held, then redrawn */
/* Where the walk is: step, stage, the value's place in its stage (from 1),
 * whether its value may be shown yet (not a quiz question or a reveal to come). */
void tui_probe_where(const tui_probe *p, int *step, int *stage, long *value, int *visible);
tui_state *tui_probe_state(tui_probe *p);
size_t tui_probe_row(const tui_probe *p, int y, char *buf, size_t size);  /* row y, as drawn */
void tui_probe_close(tui_probe *p);

#endif
