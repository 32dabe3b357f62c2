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
 * every screen uses.  Calls run one way (tests/shell/layers.sh).
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

#define TUI_MIN_COLS 50          /* smallest window the stepper draws in */
#define TUI_MIN_ROWS 14

/* What a value is, for the stepper, from the event's typed fields. */
typedef enum tui_role { TUI_NET, TUI_OUT, TUI_DOUT, TUI_DNET, TUI_E_TOTAL, TUI_E_FINAL, TUI_DW, TUI_W, TUI_OTHER } tui_role;

/* One event's kind, layer and unit. */
typedef struct tui_info {
    unsigned char kind;   /* TUI_NET ... */
    unsigned char layer;  /* the neuron's layer, 1..L (0 for the rest) */
    int unit;             /* neuron or weight, 0-based; 0 for E_total and E_final */
} tui_info;

/* The recording, indexed, and where the reader is in it. */
typedef struct tui_model {
    const ls_lesson *lesson;  /* the lesson (not owned) */
    tr_recording *rec;        /* its events (owned) */
    long cur;                 /* the current event, an index into rec->events */
    tui_info *info;           /* per event of the step held */
    long n_info;              /* events indexed */
    long cap_info;            /* room in info */
    long *slots;              /* event index of each value of the step, -1 if none */
    int per_sample;           /* slots per sample: 4 per neuron of layers 1..L, and E_total */
    int layer_base[NN_MAX_LAYERS + 2]; /* first slot of layer l within a sample */
    long stage_first[NN_STAGES + 1];   /* first and last event of stage s of the step held (-1: none) */
    long stage_last[NN_STAGES + 1];
} tui_model;

/* The screens. */
typedef enum tui_screen_id { TUI_SCREEN_STEP, TUI_SCREEN_HELP, TUI_SCREEN_CURVE, TUI_SCREEN_MATRIX } tui_screen_id;

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

#define TUI_CURVE_EPOCHS 40       /* epochs the loss-curve view trains */

/* The loss-curve view's data: one training run of the lesson. */
typedef struct tui_curve {
    int n;                        /* epochs recorded, 0..TUI_CURVE_EPOCHS (plus epoch 0) */
    double loss[TUI_CURVE_EPOCHS + 1];      /* training loss after each epoch */
    double test_loss[TUI_CURVE_EPOCHS + 1]; /* held-out loss (NAN if none) */
    double acc[TUI_CURVE_EPOCHS + 1];       /* training accuracy (NAN without labels) */
    double test_acc[TUI_CURVE_EPOCHS + 1];  /* held-out accuracy (NAN if none) */
    double *weights;              /* the weights at the start of each epoch, (n+1) * W */
    int sel;                      /* the epoch under the cursor: the state after sel epochs */
    int zoom;                     /* the loss axis spans the losses (1), or runs from 0 (0) */
    int done;                     /* training has run */
    double polled;                /* when training last looked at the keyboard (s) */
    char error[160];              /* why it could not run */
} tui_curve;

/* What the current value lights (tui_lit): bits per unit, per weight, per bias input. */
enum {
    LIT_NET = 1,          /* the unit's net is an operand */
    LIT_OUT = 2,          /* its out is an operand */
    LIT_OTHER = 4,        /* another value of the unit (dE_total/dout, dout/dnet) is an operand */
    LIT_REUSED = 8,       /* ... one that stage 5 reuses from stage 4 */
    LIT_CUR_NET = 16,     /* the current value is the unit's net */
    LIT_CUR_OUT = 32,     /* ... its out */
    LIT_CUR_OTHER = 64,   /* ... another of its values, or the weight itself */
    LIT_TARGET = 128,     /* a target y of an output unit is an operand */
};
typedef struct tui_lit {
    unsigned char *unit[NN_MAX_LAYERS + 1];  /* per layer 0..L, per unit: LIT_* bits */
    unsigned char bias[NN_MAX_LAYERS + 1];   /* the bias input into layer l is an operand */
    unsigned char *weight;                   /* per weight: LIT_OTHER (operand), LIT_REUSED,
                                                LIT_CUR_OTHER (the current value's weight) */
    int sample;                              /* the batch sample the figure shows, from 1 */
    int want[NN_MAX_LAYERS + 1];             /* per layer, the unit to keep in view, -1: none */
    int want_src[NN_MAX_LAYERS + 1];         /* per layer, the source (unit of l-1, or the bias:
                                                size[l-1]) of a lit weight into it, -1: none */
    int layer;                               /* the layer of the current value */
} tui_lit;

/* The figure's plan for one lesson at one terminal size: where every column,
 * box and line goes.  Fixed for the whole walk; only the windows onto layers
 * too big to show whole scroll (off, src_off, first). */
typedef struct tui_fig {
    int cols, rows;                   /* the terminal size it was made for (0: none yet) */
    int y, x, w, h;                   /* its area */
    int gv, wv, num;                  /* widths: given values, weights on lines (0: none), neuron values */
    int src, lab;                     /* source names on the lines; "net"/"out" labels in boxes */
    int first, n_cols;                /* layers first .. first+n_cols-1 of 1..L are drawn (scrolls) */
    int in_w, tg_w, wname_w;          /* widths: input column, target column, a weight's name */
    int src_w[NN_MAX_LAYERS + 1];     /* width of the source names of lines into layer l */
    int arrow_w[NN_MAX_LAYERS + 1];   /* width of the lines into layer l */
    int box_w[NN_MAX_LAYERS + 1];     /* width of layer l's boxes */
    int rows_per[NN_MAX_LAYERS + 1];  /* rows per unit of layer l (layer 0: 1) */
    int src_shown[NN_MAX_LAYERS + 1]; /* lines shown per unit of layer l, the bias's included */
    int shown[NN_MAX_LAYERS + 1];     /* units of layer l shown */
    int off[NN_MAX_LAYERS + 1];       /* first unit of layer l shown (scrolls) */
    int src_off[NN_MAX_LAYERS + 1];   /* first source of the lines into layer l (scrolls) */
} tui_fig;

/* How the stepper runs. */
typedef enum tui_theme { TUI_THEME_DARK, TUI_THEME_LIGHT, TUI_THEME_CONTRAST, TUI_THEMES } tui_theme;
typedef enum tui_mode { TUI_MODE_STEP, TUI_MODE_PRESENT, TUI_MODE_QUIZ } tui_mode;

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

#define TUI_MAX_EDITS 32          /* edits the stepper keeps (u undoes them one by one) */
#define TUI_EDIT_SIZE 48          /* room for one NAME=VALUE */

/* Step codes (code.c): "seed/1/5/3/MX", a screen to open with --at. */
#define TUI_CODE_SIZE 512
typedef struct tui_code {
    char body[TUI_CODE_SIZE];                   /* everything before the check letters */
    char letters[3];                            /* the check letters, upper case */
    char lesson[128];                           /* the lesson's name */
    int step, stage;
    long value;                                 /* the value's place in its stage, from 1 */
    char edits[TUI_MAX_EDITS][TUI_EDIT_SIZE];   /* NAME=VALUE, as --set takes them */
    int n_edits;
} tui_code;
/* Follow mode (follow.c): the teacher serves, the class follows. */
#define TUI_FOLLOW_PORT 7341      /* the default port */
#define TUI_PLAY_MS 1000          /* autoplay's interval until + or - changes it */
#define TUI_SIG_DIGITS 3          /* significant digits d switches to without --sig */
#define TUI_FOLLOW_LINE 600       /* most bytes in one protocol line, with its newline */
#define TUI_FOLLOWERS   128       /* followers a teacher holds at once */
typedef struct tui_follow {
    int serving;                  /* the teacher's side */
    int listen_fd;                /* serving: the listening socket, or -1 */
    int followers[TUI_FOLLOWERS]; /* serving: connected followers, -1 free */
    int n_followers;              /* serving: how many */
    size_t said[TUI_FOLLOWERS];   /* serving: bytes each follower sent (discarded) */
    unsigned char quiet[TUI_FOLLOWERS];   /* serving: the follower closed its sending side (it still reads) */
    double probe_at;              /* serving: when the quiet ones are sent the screen again (ms) */
    char sent[512];               /* serving: the code sent last */
    char host[256], port[16];     /* following: where the teacher is (host empty: not following) */
    int fd;                       /* following: the connection, or -1 */
    int connected;                /* following: data has come on it */
    int ever;                     /* following: the teacher was reached once */
    int following;                /* following: moving with the teacher (0: broken away) */
    double next_try, since;       /* following: when to try again; when the attempt began (ms) */
    char buf[TUI_FOLLOW_LINE];    /* following: bytes of the line being read */
    size_t len;
    int have;                     /* following: a screen has come */
    char status[160];             /* the connection's state, shown ("" when all is well) */
    char where[300];              /* HOST:PORT, as shown */
    tui_code last;                /* following: the teacher's screen last sent */
    int catching;                 /* following: still computing steps towards last's step */
    int chunk;                    /* following: steps computed in one slice (adapts to CATCH_UP_MS) */
    struct tui_lookup *lookup;    /* following: HOST being looked up in a thread of its own, or NULL */
} tui_follow;

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

/* The step screen's own state (screen_step.c). */
typedef struct tui_stepper {
    struct {
        int cols, rows;           /* the terminal size the panels were planned for */
        const ls_lesson *lesson;  /* ... and the lesson */
        int fig_h, deriv_h, note_h;   /* rows of the figure, the derivation, the note (with its rule) */
        int pic_w, pic_bw;            /* i: the width the picture is given (-1: not measured yet) and the
                                         columns it takes for any sample (the figure starts after them) */
    } lay;                    /* the panels, fixed for the walk */
    int full_formula;         /* f: the whole derivation shown over the figure */
    int show_image;           /* i: an image lesson's current sample as a picture, over the figure */
    int note_off;             /* the page of the note shown */
    int note_stage;           /* the stage whose note that is */
} tui_stepper;

/* The presenter's state (screen_present.c). */
typedef struct tui_present {
    int reveal;               /* 0 formula, 1 numbers, 2 result */
    int board;                /* the opening board before stage 1 */
} tui_present;

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

/* Where a click jumps (figure.c fills it as it draws). */
typedef struct tui_hits {
    struct { int y, x, w; long event; } at[96];   /* a click at (y, x..x+w) jumps to event */
    int n;                    /* entries of at in use */
} tui_hits;

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

/* What a key handler did (htop's HandlerResult): the loop draws the screen
 * again only after a key that changed what is shown. */
typedef enum tui_result {
    TUI_IGNORED,              /* not this handler's key: on to the next (the walk's, step_key) */
    TUI_HANDLED,              /* taken, and nothing shown changed */
    TUI_REDRAW,               /* taken: the screen is drawn again */
} tui_result;


/* Options of a stepper run. */
/* The current screen's code into buf; "" when its edits make it longer than
 * a code holds (TUI_CODE_SIZE - 1 bytes before the check letters): never a
 * code cut short, which would name other edits. */
void tui_code_make(tui_state *st, char *buf, size_t size);
/* What the check letters cover of a lesson: a hash of its numbers. */
unsigned long long tui_lesson_print(const ls_lesson *L);
unsigned long long tui_state_print(tui_state *st);   /* of st->lesson, hashed once */
/* Read a code; 0, or -1 with a one-line err. */
/* BODY ("seed/3/5/2") with its check letters for lesson L, into buf. */
void tui_code_sign(const char *body, const ls_lesson *L, char *buf, size_t size);
int tui_code_parse(const char *code, tui_code *out, char *err, size_t err_size);
/* The check letters against the lesson (before its edits); 0, or -1 with err. */
int tui_code_check(const tui_code *code, unsigned long long print, char *err, size_t err_size);
/* nav.c: go to a code's step, stage and value (its edits are the caller's); 0, or -1 with err. */
int tui_goto_code(tui_state *st, const tui_code *code, char *err, size_t err_size);

/* Follow mode (follow.c). */
int tui_serve_open(tui_follow *f, const char *address, char *err, size_t err_size);
int tui_follow_open(tui_follow *f, const char *address, char *err, size_t err_size);
/* One protocol line (without its newline) into a code; 0, or -1 with err. */
int tui_follow_line(const char *line, size_t len, tui_code *code, char *err, size_t err_size);
void tui_follow_poll(tui_state *st);     /* serve or follow: whatever the sockets have */
void tui_follow_snap(tui_state *st);     /* f: back to the teacher's screen */
void tui_follow_close(tui_follow *f);

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

/* model.c: the recording of lesson from start_weights (NULL: the lesson's),
 * indexed, at its first value; 0, or -1 with err set.  _free frees it all. */
int tui_model_open(tui_model *m, const ls_lesson *lesson, const double *start_weights, char *err,
                   size_t err_size);
int tui_model_update(tui_model *m);          /* index the step the recording holds now */
void tui_model_free(tui_model *m);
/* Navigation.  Every tr_event pointer taken before a call that changes the
 * step held (goto_step, go_stage) is invalid after it. */
const tr_event *tui_model_current(const tui_model *m);
void tui_model_go(tui_model *m, long index);  /* a value of the step held, clamped */
int tui_model_next(tui_model *m);             /* 1 moved, 0 at the step's last value */
/* Hold step `step` (0, or -1 with err set and the step before still held). */
int tui_model_goto_step(tui_model *m, int step, char *err, size_t err_size);
/* The first value of a stage of a step; stage 7 is the next step's first
 * stage, 0 the previous step's last (from step 1: its first value). */
int tui_model_go_stage(tui_model *m, int step, int stage, char *err, size_t err_size);
long tui_model_slot(const tui_model *m, int sample, int kind, int layer, int unit);
const tr_event *tui_event(const tui_state *st, long index);   /* index in the step held */
const tr_event *tui_event_id(const tui_state *st, long id);   /* by engine id (tr_recording_event) */
long tui_stage_first(const tui_model *m, int stage);  /* -1 if none */
long tui_stage_last(const tui_model *m, int stage);

/* figure.c: the network as the article draws it */
int tui_lit_init(const tui_state *st, tui_lit *lit);   /* what the current value lights; -1 no memory */
void tui_lit_free(tui_lit *lit);
void tui_fig_plan(tui_state *st, int y, int x, int w, int h);   /* keeps the plan if nothing changed */
int tui_fig_rows(const tui_state *st);         /* rows the whole figure needs */
void tui_fig_draw(tui_state *st, const tui_lit *lit);
/* Value src, which ev was computed from, is a stage-4 term that stage 5
 * reuses (the article's yellow terms): the one rule for every screen. */
int tui_reused(const tr_event *ev, const tr_event *src);
int tui_known(const tui_state *st, int sample, int kind, int layer, int unit, double *v);
double tui_weight_now(const tui_state *st, int m, int *updated);
void tui_hit(tui_state *st, int y, int x, int w, long event);   /* a click there jumps to event */

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

/* draw.c */
void tui_colors_init(tui_state *st);
typedef enum tui_attr_role { TUI_A_NORMAL, TUI_A_TITLE, TUI_A_DEP, TUI_A_REUSED, TUI_A_CURRENT, TUI_A_UPDATED,
       TUI_A_DIM, TUI_A_MESSAGE, TUI_A_HEADING, TUI_A_CHANGED } tui_attr_role;
int tui_attr(const tui_state *st, tui_attr_role role);     /* attributes for a role below */
#define TUI_GREYS 8              /* grey levels of a picture, black to white */
/* The attribute for a cell whose upper half is grey level `top` and lower
 * half `bottom` (0..TUI_GREYS-1), drawn as an upper half block; 0 when the
 * terminal has no greys (st->greys). */
int tui_grey(const tui_state *st, int top, int bottom);
int tui_text(const tui_state *st, int y, int x, int maxw, const char *utf8, int attr);
int tui_cols(const char *utf8);   /* columns of a number or a name (one a character) */
int tui_text_safe(const tui_state *st, int y, int x, int maxw, const char *untrusted, int attr);
int tui_wrap(const tui_state *st, int y, int x, int w, int max_lines, const char *untrusted, int attr);
/* Word-wrap untrusted text in width w, drawing lines skip .. skip+max_lines-1
 * of it from row y; returns how many lines the whole text takes.  Words are
 * never cut (one wider than w is cut at w). */
int tui_wrap_from(const tui_state *st, int y, int x, int w, int max_lines, int skip, const char *untrusted,
                  int attr);
const char *tui_glyph(const tui_state *st, const char *unicode, const char *ascii);
void tui_hline(const tui_state *st, int y, int x, int w, const char *title);
/* A number as the stepper shows it: --sig significant digits or st->look.digits
 * decimals (given values without padding zeros), at most w columns. */
char *tui_num(const tui_state *st, double v, int given, int w, char buf[TR_NUM_SIZE]);

/* A screen's operations (ncdu's shape): tui.c keeps a table of them and
 * dispatches every redraw and key through the one shown.  A key the screen
 * leaves (TUI_IGNORED) goes on to the walk's keys (step_key). */
typedef struct tui_screen {
    void (*draw)(tui_state *st);             /* draw the whole screen (after erase) */
    tui_result (*key)(tui_state *st, int key);   /* one key: what it did */
} tui_screen;

/* The current value's derivation as every screen writes it (screen_step.c):
 * the formula, its numbers (once the reveal or the quiz allows), the result
 * line when `result`; each operand lit, stage 4's reused terms marked; cut
 * with a mark at h lines, the result line kept.  Returns the lines used. */
int tui_derivation(tui_state *st, int y, int x, int w, int h, int result);

/* screens */
void step_draw(tui_state *st);
tui_result step_key(tui_state *st, int key);        /* the walk's keys: every screen's fallback */
void help_draw(tui_state *st);
tui_result help_key(tui_state *st, int key);
void present_draw(tui_state *st);
tui_result present_key(tui_state *st, int key);
tui_result quiz_key(tui_state *st, int key);
/* The loss curve's training, when its view has just opened: run in the
 * loop, with a message on screen; q, Esc, t or a fatal signal stop it. */
void curve_train_if_needed(tui_state *st);
void curve_draw(tui_state *st);
tui_result curve_key(tui_state *st, int key);
void curve_free(tui_state *st);
void matrix_draw(tui_state *st);
tui_result matrix_key(tui_state *st, int key);
void matrix_free(tui_state *st);

/* quiz.c: the questions and what is hidden (no drawing, no keys; calls no screen) */
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
