/*
 * lesson.h - lessons: the network, data, initial weights and notes of one
 * traced run.  Loads lesson files ("key = value"), data CSV and weights CSV
 * (through libcsv), and holds the built-in seed lesson of the walkthrough.
 */
#ifndef LS_LESSON_H
#define LS_LESSON_H

#include <stddef.h>

#include "../engine/engine.h"

#define LS_MAX_FILE_BYTES  (64L * 1024 * 1024)  /* largest lesson, data or weights file */
#define LS_MAX_LINE        65536                /* longest line of a lesson file */
#define LS_MAX_ROWS        1000000              /* most data rows */
#define LS_MAX_DATA_VALUES (64L * 1024 * 1024)  /* most numbers in the data: rows x (inputs + targets) */
#define LS_MAX_STEPS       1000000              /* most steps to trace */
#define LS_ERR_SIZE        512                  /* room for one error message */

/* A live value a note names, "{X1:out_o1}", "{E_final}", "{dE_final/dw5}",
 * "{eta}": found when the lesson is loaded (ls_note_parse), filled in from
 * the trace's events wherever the note is shown (src/trace/notes.c).  In a
 * note "{{" is a brace itself; every other "{" opens a name. */
typedef struct ls_ref {
    int note;               /* the note it stands in, 0..5 */
    size_t at, len;         /* where "{...}" stands in that note: byte offset and length */
    int kind;               /* NN_EV_* of the value, or LS_REF_ETA */
    int layer, unit, weight;  /* as the event's fields (unit, weight from 1; 0 for none) */
    int sample;             /* 1..batch_size for a value of each sample; 0 for a batch value */
} ls_ref;
#define LS_REF_ETA (-1)     /* ls_ref.kind of the learning rate */
#define LS_MAX_REFS 256     /* most live values in a lesson's notes */

/* A file a lesson was read from, by identity: the same through any link. */
typedef struct ls_file_id {
    unsigned long long dev, ino;   /* st_dev, st_ino */
} ls_file_id;
#define LS_MAX_READ 3       /* the lesson file, its data, its weights */

/* One lesson, owned: free with ls_free. */
typedef struct ls_lesson {
    char *title;            /* free text, untrusted: sanitise before display */
    char *path;             /* the lesson file, or "(built-in)" */
    nn_net shape;           /* layers, activations, loss (shape.w unused); N = size[0], O = size[L] */
    double learning_rate;   /* eta, > 0 */
    int steps;              /* gradient-descent steps to trace */
    int batch_size;         /* samples per step (<= n_rows) */
    int n_rows;             /* samples in the data */
    double *x;              /* n_rows * N inputs, sample-major */
    double *x_raw;          /* the inputs as read, when standardized (else NULL) */
    double *y;              /* n_rows * O targets */
    int *label;             /* n_rows class indexes, or NULL when targets were given */
    char **input_names;     /* N data column names ("x1" or "sepal_length") */
    double *weights;        /* initial weights in the walkthrough's numbering */
    char *weights_from;     /* where the weights came from, for the trace header */
    int standardized;       /* inputs scaled to mean 0, standard deviation 1 */
    double scale;           /* inputs divided by this as read (pixels 0..255: 255); 0 when not */
    int image_w, image_h;   /* the inputs are an image of these sizes, row-major (0: not an image) */
    int test_rows;          /* the last test_rows rows are held out: training tests on them and
                               the traced steps never use them (0: none set) */
    char *notes[6];         /* note.1 .. note.6, or NULL; untrusted */
    ls_ref *refs;           /* the live values the notes name, note by note, in order */
    int n_refs;
    char *edits;            /* the --set edits, "w5 = 0.3 (was 0.1); eta = 0.5 (was 0.1)", or NULL */
    ls_file_id read[LS_MAX_READ];  /* the files it was read from: no output may replace one */
    int n_read;             /* how many of read[] are set (0: the built-in lesson) */
} ls_lesson;

/* The built-in seed lesson: the walkthrough's 2-2-2 network. NULL if out of memory. */
ls_lesson *ls_seed(void);

/*
 * Load a lesson file.  On failure returns NULL and writes one line to err:
 * "FILE:LINE:COLUMN: what is wrong".
 */
ls_lesson *ls_load(const char *path, char *err, size_t err_size);

/*
 * Find a lesson by path or by name: an existing path is used as it is;
 * otherwise NAME is looked up as NAME.lesson in each folder of dirs (a
 * NULL-terminated list).  "seed" with no file found gives the built-in one.
 * After a failure for want of memory errno is ENOMEM (a failed allocation
 * sets it; nothing else in the loader does).
 */
ls_lesson *ls_open(const char *name, const char *const *dirs, char *err, size_t err_size);

void ls_free(ls_lesson *lesson);

/* Change one number as editing the lesson's files would: "w5=0.3" (a
 * starting weight), "eta=0.5", "X1.x2=0.7" (input 2 of sample 1 of the first
 * step's batch, as in the data file: standardized inputs are scaled again),
 * "X1.y1=1" (its target 1).  The edit is added to L->edits and, when done
 * is not NULL, reported there.  0, or -1 with one line naming the argument
 * in err. */
typedef struct ls_edit {
    char name[48];          /* "w5", "eta", "X1.x2" */
    double was, now;        /* the number before and after */
} ls_edit;
int ls_set(ls_lesson *L, const char *assignment, ls_edit *done, char *err, size_t err_size);

/* A deep copy of a lesson (for the stepper's edits); NULL if out of memory. */
ls_lesson *ls_copy(const ls_lesson *L);

/* Total weights of the lesson's network. */
int ls_n_weights(const ls_lesson *lesson);

/* A network of the lesson's shape with its initial weights; NULL if out of memory. */
nn_net *ls_net(const ls_lesson *lesson);

/* "2 inputs, 2 hidden neurons, 2 outputs; sigmoid activations; quadratic loss" */
void ls_describe(const ls_lesson *lesson, char *buf, size_t size);

/* Row index in the data of sample s (0-based) of step (from 1). */
int ls_batch_row(const ls_lesson *lesson, int step, int s);

/* The pixels of data row `row` of an image lesson (image_w x image_h of
 * them) as the data gives them (before standardizing; scale only divides),
 * with their smallest and largest value: what every picture is drawn from. */
const double *ls_image_row(const ls_lesson *lesson, int row, double *lo, double *hi);

/* Copy the batch of a step into x (batch_size * N) and y (batch_size * O). */
void ls_batch(const ls_lesson *lesson, int step, double *x, double *y);

/*
 * The pieces of the loader, public for the tests.  Each returns 0, or -1
 * with one line "FILE:LINE:COLUMN: what is wrong" in err.
 */
/* Read a whole regular file (at most LS_MAX_FILE_BYTES, no NUL byte). */
int ls_read_file(const char *path, char **text, size_t *len, char *err, size_t err_size);
/* Load L->x, L->y, L->label, L->n_rows, L->input_names from a data CSV, for
 * the inputs N and outputs O of its shape.  inputs (n_inputs names, or NULL) and label_col (or
 * NULL) name the columns; see docs/formats.md for the defaults. */
int ls_load_data(ls_lesson *L, const char *path, char *const *inputs, int n_inputs,
                 const char *label_col, char *err, size_t err_size);
/* Load L->weights from a from,to,value CSV, for L's sizes. */
int ls_load_weights(ls_lesson *L, const char *path, char *err, size_t err_size);
/* ls_load_weights found fewer weights than the network has (more than one
 * short): err holds "FILE has N weights", for the caller to place. */
#define LS_EWEIGHT_COUNT (-2)
/* Random initial weights: "normal" (mean 0, std 1) or "kaiming" (times sqrt(2/fan_in)). */
int ls_random_weights(ls_lesson *L, unsigned long long seed, int kaiming);
/* Note that L was read from PATH (its identity, as stat gives it), and ask
 * whether a file of that identity is one L was read from. */
void ls_note_read(ls_lesson *L, const char *path);
int ls_was_read(const ls_lesson *L, unsigned long long dev, unsigned long long ino);
/* Scale each input column to mean 0, standard deviation 1 over the training
 * rows (all but the last test_rows), every row by that same scale. */
void ls_standardize(ls_lesson *L);
/* The same over the N rows listed (NULL: rows 0..N-1), from the inputs as
 * read (x_raw) when the lesson keeps them. */
void ls_standardize_rows(ls_lesson *L, const int *rows, int n);


/* Find the live values named in note t (0..5) of L, whose network, batch
 * size and notes are set, and append them to L->refs.  0, or -1 with the
 * byte offset of the bad "{" in *bad_at and what is wrong in why. */
int ls_note_parse(ls_lesson *L, int t, size_t *bad_at, char *why, size_t why_size);

/* Parse a whole decimal number the same way in every locale ("." only);
 * returns 0 on success, -1 when text is not a number, -2 when it overflows. */
int ls_parse_number(const char *text, double *out);

/* Write "path:line:col: message" to err, on one line whatever the message
 * quotes: made safe as tx_sanitize does (control characters shown as ^X). */
void ls_error(char *err, size_t size, const char *path, long line, long col, const char *fmt, ...);

/* Why text is not an acceptable number: "is not a number", "is out of
 * range for a double", "NaN and infinity are not allowed" (rc from
 * ls_parse_number). */
const char *ls_number_problem(const char *text, int rc);

/* The project's PRNG (xoshiro256**-style, seeded by splitmix64): same
 * numbers on every machine. */
typedef struct ls_rng {
    unsigned long long s[4];  /* state */
} ls_rng;
void ls_rng_seed(ls_rng *rng, unsigned long long seed);
unsigned long long ls_rng_next(ls_rng *rng);
double ls_rng_uniform(ls_rng *rng);   /* [0, 1) */
double ls_rng_normal(ls_rng *rng);    /* mean 0, standard deviation 1 */

#endif
