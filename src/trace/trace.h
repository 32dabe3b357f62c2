/*
 * trace.h - running a lesson through the engine and writing what it emits.
 *
 * The pipeline: the engine computes and reports typed events (nn_event,
 * engine.h); tr_layout names their operands and lays out each formula as a
 * typed template; tr_run hands the laid-out events (tr_event) to a writer,
 * or tr_record keeps one step's of them for the stepper.  Writers and
 * screens only present: they walk the template (tr_template_next) and
 * spell each piece their own way; none does math or reads template text.
 *
 * Writers (text, CSV, ...) implement struct tr_writer.  A worked call
 * sequence, for `nntrace trace -f csv seed` (2 samples, 1 step):
 *
 *   tr_out out = { .opt = { .fp = stdout, .lesson = L, .digits = 6, .steps = 1 } };
 *   tr_run(&out, &tr_writer_csv, err, sizeof err) calls, in order:
 *     begin(&out)               out->now points to tr_run's tr_now from here
 *     stage(&out, 1, 1)         out->now->step 1, ->layer 1, ->new_step 1
 *     event(&out, ev)           ev: net_h1 of X1 = 0.12, ev->formula
 *                               "$0$*$1$+$2$*$3$+$4$*$5", ev->ops[0..5] w1, x1, ...
 *     event(&out, ev)           ... each value of the stage, in the engine's order
 *     stage(&out, 1, 2) ... stage(&out, 1, 6), each followed by its events
 *     end(&out)                 out->now->e_start, ->e_end, ->w_end set
 *     cleanup(&out)             always, last, even after a failure
 *   then out->now is NULL again.
 *
 * With out->opt.only_stage or only_sample set, tr_run calls stage and event
 * for that stage's and that sample's values alone (batch values are kept).
 * Each call returns 0, or non-zero to stop (a write that failed).
 *
 * Lifetimes: an event passed to event() (its symbol, formula, ops and deps)
 * is valid during that call only; out->now during the run only; a
 * recording's events (tr_rec_at) until tr_recording_free.  A writer that
 * keeps state puts it in out->state in begin and frees it in cleanup.
 */
#ifndef TR_TRACE_H
#define TR_TRACE_H

#include <stdio.h>

#include "../engine/engine.h"
#include "../lesson/lesson.h"

#define TR_NUM_SIZE   64      /* room for one formatted number */
#define TR_FORMULA_SIZE 8192  /* room for one rendered formula in the writers */
#define TR_MAX_DIGITS 17      /* most digits after the decimal point */
#define TR_DEFAULT_DIGITS 6   /* digits after the point unless --digits says otherwise */
#define TR_EXPORT_MAX_STEPS 1000     /* most steps an export script holds (--steps or the lesson's) */
#define TR_FIXED_LIMIT 1e15   /* from this magnitude numbers print in exponent form */

/* Return codes of tr_run. */
typedef enum tr_status { TR_OK = 0, TR_EWRITE, TR_ENOMEM, TR_ENONFINITE, TR_EARG } tr_status;

/* ---------------------------------------------------------------- layout */

/* Notations a formula or a name is written in. */
typedef enum tr_notation { TR_PLAIN, TR_TEX } tr_notation;

#define TR_SUM_SHOWN     6      /* a sum of more terms shows the first 4, "...", the last */
#define TR_LAYOUT_OPS    40     /* most operands a laid-out formula shows */
#define TR_NAME_SIZE     64     /* room for one plain operand name */
#define TR_TEMPLATE_SIZE 1024   /* room for one template */

/* An operand as a formula shows it: the engine's typed operand and its name. */
typedef struct tr_operand {
    nn_operand op;            /* what it is, its value, the event that computed it */
    const char *name;         /* as written in the plain formula: "w1", "x2", "X2:out_h1" */
} tr_operand;

/* One formula laid out (src/trace/layout.c): a template over the operands
 * it shows.  Template: runs of text, "$n" for operand n, the operators
 * "$*" (times), "$+" (plus), "$." (elided terms), "$/1/n" (one n-th), and
 * the structure: functions, brackets, powers of e, reciprocals, squares
 * (TR_PIECE_* below), which tr_template_next hands out typed so each
 * notation spells them; no surface reads the template's text. */
typedef struct tr_formula {
    char text[TR_TEMPLATE_SIZE];              /* the template */
    tr_operand ops[TR_LAYOUT_OPS];            /* the operands shown */
    int n_ops;                                /* how many */
    char names[TR_LAYOUT_OPS][TR_NAME_SIZE];  /* their plain names */
} tr_formula;

/* Lay out an event's formula from its form and operands. */
void tr_layout(const nn_net *shape, const nn_event *ev, tr_formula *f);
/* A value's symbol (kind NN_EV_*, unit and weight from 1) in a notation:
 * plain "dE_final/dw5" (nn_symbol), TeX "\frac{\partial E_{...}}{\partial w_{5}}". */
void tr_symbol(const nn_net *shape, nn_ev_kind kind, int layer, int unit, int weight, tr_notation notation,
               char *buf, size_t size);
/* An operand's name in a notation: "X2:out_h1", "\left.\mathit{out}_{h1}\right|_{X_{2}}". */
void tr_operand_name(const nn_net *shape, const nn_operand *op, int notation, char *buf, size_t size);

/* An operand's plain name by its parts, for a notation that sets names its
 * own way or measures them: "X2:dE_total/dout_h1" is sample 2, a ratio of
 * part[0] {"dE", "total"} over part[1] {"dout", "h1"}; "w5" is part[0]
 * {"w5", no subscript}.  tr_operand_name's plain name is these parts joined
 * ("X<sample>:", base, "_" and sub when has_sub, "/" between parts). */
typedef struct tr_name_part {
    char base[TR_NAME_SIZE];  /* "dE", "net", "w5", "eta" */
    char sub[TR_NAME_SIZE];   /* "total", "h1", "h2_1" (a unit of a deeper layer), or "" */
    int has_sub;              /* written with "_" and sub */
} tr_name_part;
typedef struct tr_name {
    int sample;               /* > 0: a batch value's term, of sample X<sample> */
    int ratio;                /* 1: a derivative, part[0] over part[1]; 0: part[0] alone */
    tr_name_part part[2];
} tr_name;
void tr_operand_parts(const nn_net *shape, const nn_operand *op, tr_name *out);

/* One event as writers and screens see it: the engine's typed event with
 * its formula laid out.  Streamed to a writer (valid during the call) or
 * recorded (owned by the recording). */
typedef struct tr_event {   /* the counts beside the other ints: no padding (a recording holds 151,141) */
    long id;                  /* the engine's id (see tr_recording_event) */
    int kind, layer, unit, weight;  /* what the value is (nn_event's fields) */
    int step, stage, sample;  /* where (sample 0: a batch value) */
    int n_ops;                /* how many operands it shows (ops) */
    int n_deps;               /* ... and deps */
    int n_mistakes;           /* ... and mistakes */
    double value;             /* the value */
    const char *symbol;       /* the spec's symbol */
    const char *formula;      /* the laid-out template */
    const tr_operand *ops;    /* the operands it shows */
    const long *deps;         /* ids of every event it was computed from (streamed to a writer
                                 that asks, tr_writer.deps; recorded: none, see tr_rec_deps) */
    const nn_mistake *mistakes;  /* a quiz's recorded events: what known mistakes give (nn_mistakes) */
} tr_event;

/* The tr_event of an engine event laid out in f (which it points into; f
 * NULL: not laid out, formula and ops NULL); its deps are left empty
 * (nn_event_deps gathers them, for whoever needs them). */
void tr_event_view(const nn_event *ev, const tr_formula *f, tr_event *out);
/* ev's dependency ids (nn_event_deps) into *deps, which holds *room and is
 * grown as needed (the caller frees it): one pass unless it grows.  The
 * count, or -1 out of memory. */
int tr_event_deps(const nn_event *ev, long **deps, int *room);

/* How a trace rounds a computed value (the one rule, tr_fmt_num): `digits`
 * decimals, but never fewer than min(TR_MIN_SIG, digits) significant digits
 * for a value that is not zero ("0.0000143", not "0.000014", at 6); or with
 * sig > 0, sig significant digits whatever the size (tr_fmt_sig). */
typedef struct tr_prec {
    int digits;                 /* decimals (TR_DEFAULT_DIGITS unless --digits) */
    int sig;                    /* > 0: that many significant digits instead (--sig) */
} tr_prec;
#define TR_MIN_SIG 3            /* significant digits a value keeps at `digits` decimals */

/* What a writer is given. */
/* What the caller asks a trace for. */
typedef struct tr_opts {
    FILE *fp;                   /* where to write */
    const ls_lesson *lesson;    /* the lesson being traced */
    int digits;                 /* digits after the decimal point in text formats */
    int sig;                    /* > 0: significant digits instead (--sig; tr_out_prec) */
    int steps;                  /* steps being traced */
    int only_stage;             /* 1..6: write that stage alone (0: all; dot uses dot.stage) */
    int only_sample;            /* 1..batch: that sample's values and the batch's (0: all) */
} tr_opts;

/* Where the run is, set by tr_run as it goes; writers only read it. */
typedef struct tr_now {
    int step;                   /* the current step */
    int layer;                  /* the layer the current stage computes */
    int new_step;               /* this stage is the first written of its step */
    int stage_again;            /* the same stage again, for another layer */
    const double *note_vals;    /* for each step: the notes' live values (tr_note) */
    long s4_first, s4_last;     /* engine ids of the step's stage-4 values (tr_op_reused) */
    int s4_step;                /* ... the step they belong to */
    double e_start, e_end;      /* before end: E_final of step 1's batch at the starting
                                   weights and at the weights the last step left */
    const double *w_end;        /* before end: the weights the last step left */
    const double *w_change;     /* before end: w_end less the lesson's weights (nn_weight_changes) */
} tr_now;

/* The worksheet's options of the LaTeX writer (tr_worksheets). */
typedef struct tr_sheet_opts {
    int sheet;                  /* 0 a handout; k >= 1 worksheet k */
    int last_sheet;             /* the last sheet */
    int answers;                /* this is its part of the answer key */
    unsigned blank;             /* stages left blank: bit s-1 for stage s */
} tr_sheet_opts;

/* What a writer is given: the caller's options, the run's place, each
 * writer's own options, and the writer's state. */
typedef struct tr_out {
    tr_opts opt;                /* the caller's */
    const tr_now *now;          /* tr_run's (writers only read it) */
    struct { int stage; } dot;  /* dot: draw the values after this stage (1..6) */
    tr_sheet_opts ws;           /* latex: a worksheet rather than a handout */
    struct { int matrix_page; } html;  /* html: the page opens in its matrix view (--view matrix) */
    int last_sample;            /* writers' memory: sample of the previous event */
    void *state;                /* the writer's own state, if it needs any */
} tr_out;

/* The precision out's numbers are written at. */
tr_prec tr_out_prec(const tr_out *out);

typedef struct tr_writer {
    const char *name;                                  /* "text", "csv", ... */
    int (*begin)(tr_out *out);                         /* header */
    int (*stage)(tr_out *out, int step, int stage);    /* a stage begins */
    int (*event)(tr_out *out, const tr_event *ev);     /* one value, laid out */
    int (*end)(tr_out *out);                           /* footer */
    void (*cleanup)(tr_out *out);                      /* free out->state */
    int deps;                                          /* 1: events come with their deps (tr_event);
                                                          0: n_deps is 0, none are gathered */
} tr_writer;

extern const tr_writer tr_writer_text;
extern const tr_writer tr_writer_csv;
extern const tr_writer tr_writer_markdown;
extern const tr_writer tr_writer_latex;
extern const tr_writer tr_writer_jsonl;
extern const tr_writer tr_writer_dot;
extern const tr_writer tr_writer_html;
/* nntrace export (src/trace/export.c): a numpy or PyTorch script that runs
 * the traced steps and checks them against this trace; not trace formats. */
extern const tr_writer tr_export_numpy;
extern const tr_writer tr_export_pytorch;
/* The matrix view (src/trace/matrix.c): each stage as Part 2's matrices. */
extern const tr_writer tr_matrix_text;
extern const tr_writer tr_matrix_markdown;
extern const tr_writer tr_matrix_latex;

/* ------------------------------------------------------- the matrix view */

/*
 * The matrix view (src/trace/matrix.c): each stage as Part 2 of the
 * walkthrough writes it.  A tr_mx says what one matrix is (its name,
 * formula, shape, and which step-by-step values its entries are); a
 * tr_mxstep holds one step's numbers as events arrive, for the matrix
 * writers and the stepper's matrix screen alike.  No arithmetic: every
 * number is an event's, an input, a target or a weight.
 */
typedef enum tr_mx_kind { TR_MX_INPUT = 100,     /* X: the batch's inputs */
       TR_MX_TARGET,          /* Y: the batch's targets */
       TR_MX_WEIGHT,          /* W_l: the weights the step starts from */
       TR_MX_BIAS,            /* b_l: ... the biases */
       TR_MX_GRAD,            /* dE_final/dW_l */
       TR_MX_GRAD_BIAS,       /* dE_final/db_l */
       TR_MX_NEW,             /* W_l updated */
       TR_MX_NEW_BIAS,        /* b_l updated */
       TR_MX_E_TOTAL,         /* E_total of each sample: n x 1 */
       TR_MX_E_FINAL } tr_mx_kind;       /* E_final: 1 x 1 */

typedef struct tr_mx {
    char name[48];            /* "NET_H", "W1", "dE_final/dW2" */
    char formula[160];        /* "X W1 + b1 (b1 added to every row)", or "" */
    int rows, cols;           /* its shape */
    int by_sample;            /* rows are the batch's samples X1..Xn */
    int row_layer;            /* else: rows are units of this layer and the bias input 1; -1: one row */
    int col_layer;            /* columns are units of this layer (-1: the one column, E_total) */
    int kind;                 /* NN_EV_* of layer `layer`'s values, or TR_MX_* */
    int layer;                /* the layer of the values (weights: the layer they feed) */
} tr_mx;

#define TR_MX_MAX (2 * NN_MAX_LAYERS + 4)   /* matrices of one stage, at most */
#define TR_MX_SHOWN 8         /* a matrix of more rows or columns is given by its shape */

/* The matrices of stage 1..6 for layer `layer` (stages 1, 2, 4 and 5 are per
 * layer; 3 and 6 take any), into list; returns how many. */
int tr_mx_stage(const nn_net *shape, int batch, int stage, int layer, tr_mx *list, int max);
/* Names: of entry (r, c) in the step-by-step view ("X2:net_h1", "w5"), of
 * row r ("X2", "h1", "1") and of column c ("o1", "E_total"). */
void tr_mx_entry(const nn_net *shape, const tr_mx *a, int r, int c, char *buf, size_t size);
void tr_mx_row(const nn_net *shape, const tr_mx *a, int r, char *buf, size_t size);
void tr_mx_col(const nn_net *shape, const tr_mx *a, int c, char *buf, size_t size);
/* 1 if ev is entry (*r, *c) of a, else 0. */
int tr_mx_at(const nn_net *shape, const tr_mx *a, const tr_event *ev, int *r, int *c);

typedef struct tr_mxstep tr_mxstep;
tr_mxstep *tr_mxstep_new(const ls_lesson *lesson);         /* NULL if out of memory */
/* Begin step `step` from weights w_start (W): its batch and weights known,
 * every computed value not reached yet. */
void tr_mxstep_start(tr_mxstep *m, int step, const double *w_start);
void tr_mxstep_event(tr_mxstep *m, const tr_event *ev);  /* one value reached */
int tr_mxstep_step(const tr_mxstep *m);                  /* the step held (0: none) */
/* Entry (r, c) of a: NAN while not reached (every traced value is finite). */
double tr_mx_get(const tr_mxstep *m, const tr_mx *a, int r, int c);
void tr_mxstep_free(tr_mxstep *m);

/* "5. Backpropagation of a hidden layer", with "(hidden layer l)" when a
 * deeper network repeats the stage per layer (layer).  Returns buf. */
char *tr_stage_heading(const tr_out *out, int stage, int layer, char *buf, size_t size);

/* What stage 5 of hidden layer out->layer reuses, one sentence (notation
 * TR_PLAIN, or TR_TEX: the terms as math, for a writer that marks them with
 * its \reused box): stage 4's
 * terms for the hidden layer just below the output, the layer above's for
 * the others.  The one source of this sentence for every writer. */
const char *tr_stage5_reuse(const tr_out *out, int notation);
/* The data rows step STEP's batch takes (1-based, never a held-out row), as a
 * phrase: "data rows 3..4", "data rows 5..6 and 1..2 (wrapping round to row 1)". */
char *tr_batch_rows(const ls_lesson *lesson, int step, char *buf, size_t size);

/* The set-up facts every derivation opens with (network, training, numbers,
 * inputs), as labelled lines in a notation; each writer adds its markup. */
typedef struct tr_setup {
    struct {
        const char *label;    /* "Network", "Training", "Numbers", "Edited", "Inputs", "Shown" */
        const char *text;     /* the line: buf, or text the lesson holds (its edits, whole) */
        char buf[256];        /* "learning rate eta = 0.5; batch of 2 samples; 1 step" */
    } line[6];
    int n;                    /* lines used */
} tr_setup;
void tr_setup_make(const tr_out *out, int notation, tr_setup *setup);

/* Whether an operand of a value of stage `stage`, computed in stage
 * src_stage, is one of the terms stage 5 reuses from stage 4 (the
 * walkthrough's yellow): the one rule for every writer and screen. */
int tr_reused(int stage, int src_stage);
/* Whether operand q of ev (an event tr_run is writing into out) is such a
 * reused term. */
int tr_op_reused(const tr_out *out, const tr_event *ev, int q);

/* -------------------------------------------------------------- figure */

/* The network as the handouts draw it (src/trace/figure.c): positions in
 * cm, x to the right, y up (0 at the top, going negative). */
#define TR_FIG_MAX    12      /* a layer of more units shows its first 5, a "more" row, its last 2 */
#define TR_FIG_NODES  ((NN_MAX_LAYERS + 1) * 10)
#define TR_FIG_EDGES  (NN_MAX_LAYERS * 13 * 12)
#define TR_FIG_LABELS 48      /* more lines than this are drawn without their labels */
#define TR_FIG_BIAS   (-1)    /* tr_fig_node.unit of a column's bias input */
#define TR_FIG_MORE   (-2)    /* ... of the row standing for the units left out */

typedef struct tr_fig_node {
    int layer, unit;          /* the unit (from 0), or TR_FIG_BIAS, TR_FIG_MORE */
    double x, y;              /* its centre */
} tr_fig_node;

typedef struct tr_fig_edge {
    int weight;               /* the weight, from 0 */
    int from, to;             /* nodes */
    double pos;               /* where along the line its label goes (0 from, 1 to) */
} tr_fig_edge;

typedef struct tr_fig {
    tr_fig_node nodes[TR_FIG_NODES];
    int n_nodes;
    tr_fig_edge edges[TR_FIG_EDGES];
    int n_edges;
    int labels;               /* each line labelled, no label on another or on a unit */
    int label_values;         /* ... as "w5 = 0.1" (0: "w5", the weights' table gives the values) */
    double col_gap;           /* between columns */
    double width, height;     /* of the whole */
} tr_fig;

/* The plan of shape's figure; weights (NULL: none yet) at prec give the
 * labels' lengths, so that each goes where it covers least. */
void tr_fig_plan(const nn_net *shape, const double *weights, tr_prec prec, tr_fig *f);
int tr_fig_find(const tr_fig *f, int layer, int unit);   /* node index or -1 */

/* The (at most) max of W weights that moved most (change: tr_now.w_change),
 * largest |change| first, into top; their count.  The handouts' list. */
int tr_most_changed(const double *change, int W, int *top, int max);

/* The writer named name, or NULL. */
const tr_writer *tr_writer_find(const char *name);

/*
 * Trace `steps` gradient-descent steps of a lesson through writer w into
 * out (whose fp, lesson, digits are set by the caller).  Returns TR_OK or a
 * TR_E code, with one line in err.
 */
int tr_run(tr_out *out, const tr_writer *w, char *err, size_t err_size);

/* Numbers.  Locale-independent (the program keeps LC_NUMERIC at "C").
 * tr_fmt_fixed: correctly rounded to digits after the point, "-0.000" shown
 * as "0.000"; from TR_FIXED_LIMIT on (and inf, nan) in exponent form with
 * digits after the point ("1.500000e+20"), so no number is ever cut.  tr_fmt_short: the same, trailing zeros removed ("0.1", "1"),
 * and never "0" for a value that is not zero (-0.0002 at 3 digits: its first digit, "-0.0002").
 * tr_fmt_given: the shortest %g that reads back to the same double ("0.1"),
 * in fixed form when its exponent is -6 to 6 ("100", not "1e+02").
 * tr_fmt_exact: %.17g, which reads back to the same double. */
char *tr_fmt_fixed(double v, int digits, char buf[TR_NUM_SIZE]);
char *tr_fmt_short(double v, int digits, char buf[TR_NUM_SIZE]);
char *tr_fmt_given(double v, char buf[TR_NUM_SIZE]);
/* The shortest %g that reads back to v, exponent form and all: for a value
 * a program reads (the export scripts' data), not a person. */
char *tr_fmt_roundtrip(double v, char buf[TR_NUM_SIZE]);
#define TR_GIVEN_FIXED_MIN (-6)   /* tr_fmt_given: 0.000001 .. 9999999 are written in fixed form */
#define TR_GIVEN_FIXED_MAX 6
/* sig significant digits in fixed form ("0.0000143" for 1.43e-05 at 3), in
 * exponent form when that would need more than TR_MAX_DIGITS decimals. */
char *tr_fmt_sig(double v, int sig, char buf[TR_NUM_SIZE]);
char *tr_fmt_exact(double v, char buf[TR_NUM_SIZE]);
/* A computed value at precision p (see tr_prec), and a given one (an
 * input, a first weight, a target, eta: the same without padding zeros,
 * "0.1"; never "0" for a value that is not zero). */
char *tr_fmt_num(double v, tr_prec p, char buf[TR_NUM_SIZE]);
char *tr_fmt_num_given(double v, tr_prec p, char buf[TR_NUM_SIZE]);
/* v with `more` decimals beyond those tr_fmt_num shows (an answer key's
 * "rounded from": 0.0005377750 beside 0.000538). */
char *tr_fmt_num_longer(double v, tr_prec p, int more, char buf[TR_NUM_SIZE]);
/* The rule in words, for a header: "rounded to 6 decimals (at least 3
 * significant digits)", "rounded to 3 significant digits". */
char *tr_prec_words(tr_prec p, char *buf, size_t size);
/* tr_fmt_fixed, or when that is wider than width, exponent form with as
 * many digits as fit (never cut; wider than width only when even "1e+300" is). */
char *tr_fmt_fit(double v, int digits, int width, char buf[TR_NUM_SIZE]);
/* The one rule for a number in a column of `width` characters, for every
 * screen: at the precision asked (sig > 0 significant digits, else `digits`
 * decimals; a given value without padding zeros, "0.1"), or when that is
 * too wide, fewer decimals but never so few that its first significant
 * digit is lost (0.1 never becomes "0"), or else exponent form with as many
 * digits as fit.  Every form is the value correctly rounded.  Returns the
 * characters used, or -1 when not even the shortest exponent form fits
 * (the caller shows a cut mark instead). */
int tr_fmt_col(double v, int digits, int sig, int given, int width, char buf[TR_NUM_SIZE]);

/* A formula of an event: names put in (p NULL), or values at precision *p:
 * computed ones (dep >= 0) as tr_fmt_num, given ones (inputs, first
 * weights, targets, eta) as tr_fmt_num_given ("0.1"); negative ones in
 * parentheses.  Returns the length it needed. */
size_t tr_render(const char *tmpl, const tr_operand *ops, int n_ops, const tr_prec *p,
                 char *buf, size_t size);
/* Both at once, in one walk of the template: the names into names and the
 * values at precision p into numbers; each length as tr_render returns it
 * into *names_len and *numbers_len. */
void tr_render_both(const char *tmpl, const tr_operand *ops, int n_ops, tr_prec p,
                    char *names, size_t names_size, size_t *names_len,
                    char *numbers, size_t numbers_size, size_t *numbers_len);

/* The one walk over a laid-out template, for every writer and screen:
 * operands, runs of text, and operators, each piece typed. */
typedef struct tr_piece {
    const char *text;         /* plain spelling (not NUL-terminated): the run of text, or the
                                 operator as plain text writes it; NULL for an operand */
    size_t len;               /* its length */
    int op;                   /* the operand's index, or a TR_PIECE_* below */
    int number;               /* TR_PIECE_FRACTION: n of 1/n */
    int enclosed;             /* an operand the template already brackets, "tanh($0)": a
                                 negative number needs no brackets of its own */
} tr_piece;
#define TR_PIECE_TEXT     (-1)  /* a run of text */
#define TR_PIECE_BAD      (-2)  /* $n past n_ops */
#define TR_PIECE_TIMES    (-3)  /* "$*": "*" */
#define TR_PIECE_PLUS     (-4)  /* "$+": " + " */
#define TR_PIECE_ELLIPSIS (-5)  /* "$.": "...", terms of a long sum left out */
#define TR_PIECE_FRACTION (-6)  /* "$/1/n": "1/n" */
/* The structure of the formula, each spelt in plain text as a run of text
 * (tr_piece_is_text): */
#define TR_PIECE_FUNCTION (-7)  /* "$ft", "$fl", "$fm": "tanh", "ln", "max"; number: TR_FN_* */
#define TR_PIECE_OPEN     (-8)  /* "$(": "(", a bracket ... */
#define TR_PIECE_CLOSE    (-9)  /* "$)": ")" ... and its close */
#define TR_PIECE_EXP      (-10) /* "$e": "e^(", e raised to what follows ... */
#define TR_PIECE_EXP_END  (-11) /* "$]": ")" ... up to here */
#define TR_PIECE_RECIPROCAL (-12)     /* "$r": "1/(", one over what follows ... */
#define TR_PIECE_RECIPROCAL_END (-13) /* "$R": ")" ... up to here */
#define TR_PIECE_SQUARE   (-14) /* "$s": "^2", what stands before it squared */
typedef enum tr_fn { TR_FN_TANH, TR_FN_LN, TR_FN_MAX, TR_FN_COUNT } tr_fn;
/* A function's plain name ("tanh"); "?" for no TR_FN_*. */
const char *tr_function_name(int fn);
/* Whether a piece (its op) is spelt as text in plain notation. */
int tr_piece_is_text(int op);
/* The piece at *p (a place in template tmpl), advancing *p past it; 0 at the end. */
int tr_template_next(const char *tmpl, const char **p, int n_ops, tr_piece *piece);
/* The same walk for a surface that shows plain text by runs (the stepper,
 * the web page): text and structure pieces in a row come as one
 * TR_PIECE_TEXT in buf (size bytes; a template of tr_layout's, under
 * TR_TEMPLATE_SIZE, fits in TR_PLAIN_RUN_SIZE), other pieces as above. */
#define TR_PLAIN_RUN_SIZE (2 * TR_TEMPLATE_SIZE)
int tr_template_plain_next(const char *tmpl, const char **p, int n_ops, tr_piece *piece,
                           char *buf, size_t size);

/* One operand as tr_render writes it (number at *p, or name when p is NULL);
 * a negative number in brackets unless the template already encloses it. */
char *tr_render_operand(const tr_operand *op, const tr_prec *p, int enclosed, char buf[TR_NUM_SIZE + 4]);

/* Untrusted text escaped for Markdown (backslash before every character
 * Markdown could read as markup), for LaTeX (specials as commands; characters
 * outside Latin-1 and Latin Extended-A as "?"), for a JSON or DOT string
 * (quotes, backslashes, control characters).  Each first makes control
 * characters visible as tx_sanitize (src/text/text.h) does. */
size_t tr_escape_markdown(const char *text, char *buf, size_t size);
size_t tr_escape_latex(const char *text, char *buf, size_t size);
size_t tr_escape_json(const char *text, char *buf, size_t size);
size_t tr_escape_dot(const char *text, char *buf, size_t size);   /* tx_sanitize, then as JSON */



/* ----------------------------------------------------------------- notes */

/* Whether an event (its kind, layer, unit, weight, sample) is the value a
 * note's live value names (the learning rate is no event). */
int tr_note_match(const ls_ref *ref, int kind, int layer, int unit, int weight, int sample);
/* Note t (0..5) of lesson L with its live values put in: vals[r] for
 * L->refs[r] rounded to digits after the point (sig > 0: to sig significant
 * digits, as tr_fmt_sig), "(not computed yet)" for one that is NAN (not known, or not to be
 * shown yet); eta as given; "{{" as "{".  Writes at most size bytes with a
 * NUL; returns the length it needed ("" and 0 for no note). */
size_t tr_note(const ls_lesson *L, int t, const double *vals, int digits, int sig, char *buf, size_t size);
/* The walk over note t that tr_note makes, for a writer that shows live
 * values its own way: from *at (start at 0), the next run of text (ref -1;
 * "{{" gives "{") or live value (ref: its index in L->refs), advancing
 * *at; 0 at the end. */
typedef struct tr_note_piece {
    const char *text;         /* the run of text (not NUL-terminated), or NULL */
    size_t len;               /* its length */
    int ref;                  /* the live value's index in L->refs, or -1 */
} tr_note_piece;
int tr_note_next(const ls_lesson *L, int t, size_t *at, tr_note_piece *piece);
/* tr_note into a string of its own as long as the note needs (malloc'd,
 * the caller frees); NULL when out of memory. */
char *tr_note_dup(const ls_lesson *L, int t, const double *vals, int digits, int sig);
/* The note of a stage as a writer shows it, with out->note_vals (as tr_note_dup). */
char *tr_note_out(const tr_out *out, int stage);
/* The same, then written in a notation by escape (a string of its own from
 * a string, as tx_sanitize_dup): the caller frees; NULL when out of memory. */
char *tr_note_escaped(const tr_out *out, int stage, char *(*escape)(const char *text));

/* ------------------------------------------------------------- recording */

/*
 * The events of one step at a time, for the stepper.  Memory is flat in the
 * number of steps: moving to another step (tr_record_goto) drops the events
 * of the step held and records the new one, starting from its weights,
 * which come from a small ring of the steps walked last or from sparse
 * checkpoints (recomputed without tracing from there).  Every pointer into
 * events[] is invalid after tr_record_goto.
 */
typedef struct tr_recording tr_recording;   /* opaque: src/trace/recording.h, for record.c and its tests */

/* What a recording holds, for the screens (they read nothing else of it). */
/* A recorded value as the engine gave it, small (a step of 784-90-10 has
 * 151,141): what it is, where, its value and its form, for walks over every
 * value (tr_rec_item); the tr_event a screen reads is made from it when
 * first asked for (tr_rec_head, tr_rec_named, tr_rec_at). */
typedef struct tr_item {
    long id;                  /* nn_event.id */
    double value;             /* nn_event.value */
    int unit, weight, sample; /* nn_event's */
    int n_terms, n_ops;       /* nn_event's: the form's terms, every operand (none elided) */
    unsigned char kind, layer, stage, form;  /* nn_event's (each below 256: NN_EV_KINDS,
                                                NN_MAX_LAYERS, NN_STAGES, the forms) */
} tr_item;
long tr_rec_count(const tr_recording *rec);                  /* events of the step held */
const tr_item *tr_rec_item(const tr_recording *rec, long i); /* its value i, small */
/* Its event i, 0 .. count - 1, its formula laid out when first asked for (out
 * of memory: an empty formula with no operands). */
const tr_event *tr_rec_at(tr_recording *rec, long i);
/* The same event without the cost of its name and formula, for walks over
 * every value: what it is, where, its value (symbol, formula and ops NULL
 * unless asked for already); tr_rec_named gives it with its symbol. */
const tr_event *tr_rec_head(tr_recording *rec, long i);
const tr_event *tr_rec_named(tr_recording *rec, long i);
int tr_rec_step(const tr_recording *rec);                    /* the step held, from 1 */
int tr_rec_reached(const tr_recording *rec);                 /* the furthest step recorded */
const double *tr_rec_start(const tr_recording *rec);         /* its starting weights (W) */
const double *tr_rec_inputs(const tr_recording *rec);        /* its batch's inputs (batch x N) */
const double *tr_rec_targets(const tr_recording *rec);       /* ... and targets (batch x O) */
/* Note reference r's live value in the step held (NAN: none), and in *at
 * the index of the event that computed it (-1: none, or the learning rate). */
double tr_rec_note(const tr_recording *rec, int r, long *at);
/* The ids of every event that event i of the step held was computed from
 * (nn_event_deps; a recorded tr_event carries none), *n of them: asked of
 * the engine, whose context still holds the step.  Valid until the next
 * call or tr_record_goto; NULL with *n = -1 when out of memory. */
const long *tr_rec_deps(tr_recording *rec, long i, int *n);

/* Record step 1 of a lesson, from start_weights (W of them; NULL: the
 * lesson's); with `mistakes`, each event also gets what the known mistakes
 * give (tr_event.mistakes, for the quiz: nn_mistakes needs the engine's
 * operands, so it runs as the event is recorded).  NULL on failure, with
 * err set. */
tr_recording *tr_record(const ls_lesson *lesson, const double *start_weights, int mistakes, char *err,
                        size_t err_size);
/* Hold step `step` (1..LS_MAX_STEPS) instead.  0, or -1 with err set and
 * the step held before still held. */
int tr_record_goto(tr_recording *rec, int step, char *err, size_t err_size);
/* The event with engine id `id` among the step held, as tr_rec_head gives
 * it, or NULL (a given value, id -1).  Every step is recorded with its
 * weights as given, so no operand refers to an earlier step. */
const tr_event *tr_recording_event(tr_recording *rec, long id);
void tr_recording_free(tr_recording *rec);

/* ------------------------------------------------------------ worksheets */

#define TR_SHEETS_MAX   100   /* sheets in one file */
#define TR_SHEET_DIGITS 4     /* a worksheet's decimals unless --digits says otherwise */
#define TR_SHEET_WEIGHTS 50   /* a network for hand calculation has at most this many weights */

/* Write n_sheets worksheets as one LaTeX document (src/trace/worksheet.c):
 * each sheet the lesson's network with its own starting weights (one
 * decimal, from -0.9 to 0.9, never 0) and batch inputs (one decimal, 0.1 to
 * 0.9; a standardized lesson's as well, shown as they are), drawn from
 * seed; each value of a stage in `blank` (bit s-1 for stage s) left blank;
 * then "Answer key" with every sheet's values.  TR_OK or a TR_E code with
 * err set (TR_EARG: a network too large to do by hand). */
int tr_worksheets(FILE *fp, const ls_lesson *L, int n_sheets, unsigned long long seed, unsigned blank,
                  tr_prec prec, char *err, size_t err_size);

/* -------------------------------------------------------- atomic output */

/* A file written in full or not at all: a temporary file beside the target,
 * renamed over it by tr_atomic_commit. */
typedef struct tr_atomic {
    FILE *fp;                 /* write here */
    char *path;               /* the target */
    char *tmp_path;           /* the temporary file */
} tr_atomic;

/* 0 when PATH may be written, else -1 with one line in err: PATH is standard
 * input, a file the lesson L was read from (through links; L may be NULL),
 * or a loop of symbolic links.  Before any work, and before tr_atomic_open. */
int tr_output_check(const char *path, const ls_lesson *L, char *err, size_t err_size);
int tr_atomic_open(tr_atomic *a, const char *path, char *err, size_t err_size);
int tr_atomic_commit(tr_atomic *a, char *err, size_t err_size);   /* 0 or -1 */
void tr_atomic_abort(tr_atomic *a);                                /* removes the temporary */

#endif
