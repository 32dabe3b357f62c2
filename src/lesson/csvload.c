/*
 * csvload.c - data and weights CSV files, parsed by libcsv.
 *
 * The file is read whole (after its size is checked), then fed to libcsv one
 * byte at a time so that every field's line and column are known for error
 * messages.  Fields are collected into rows; each row is checked as it ends.
 */
#define _DEFAULT_SOURCE               /* madvise */
#include "lesson.h"

#include "../engine/engine.h"

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define CSV_MAX_FIELDS 4096   /* Ask for a large buffer's memory at once, in large pages where the
 * system gives them, instead of one page fault per 4 KiB as rows arrive
 * (a fifth of loading MNIST's 63 MB was page faults).  Advice only: the
 * loader works the same when the system declines. */
static void prefault(void *p, size_t bytes)
{
#if defined(MADV_HUGEPAGE) && defined(MADV_POPULATE_WRITE)
    long page = sysconf(_SC_PAGESIZE);
    if (page <= 0 || bytes < (size_t)(4 << 20))
        return;
    uintptr_t start = ((uintptr_t)p + (uintptr_t)page - 1) & ~(uintptr_t)(page - 1);
    uintptr_t end = ((uintptr_t)p + bytes) & ~(uintptr_t)(page - 1);
    if (end <= start)
        return;
    (void)madvise((void *)start, end - start, MADV_HUGEPAGE);
    (void)madvise((void *)start, end - start, MADV_POPULATE_WRITE);
#else
    (void)p;
    (void)bytes;
#endif
}

/* most columns in a row */

int ls_read_file(const char *path, char **text, size_t *len, char *err, size_t err_size)
{
    struct stat st;
    *text = NULL;
    *len = 0;
    if (stat(path, &st) != 0) {
        snprintf(err, err_size, "%s:1:1: cannot open: %s", path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        snprintf(err, err_size, "%s:1:1: is a folder, not a file", path);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, err_size, "%s:1:1: not a regular file", path);
        return -1;
    }
    if (st.st_size > LS_MAX_FILE_BYTES) {
        snprintf(err, err_size, "%s:1:1: file is %lld bytes; the limit is %ld MiB",
                 path, (long long)st.st_size, LS_MAX_FILE_BYTES / (1024 * 1024));
        return -1;
    }
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(err, err_size, "%s:1:1: cannot open: %s", path, strerror(errno));
        return -1;
    }
    size_t cap = (size_t)st.st_size + 1, used = 0;
    char *buf = malloc(cap);
    int rc = -1;
    if (!buf) {
        snprintf(err, err_size, "%s:1:1: out of memory", path);
        goto done;
    }
    prefault(buf, cap);                   /* a large file's text: its pages at once */
    /* read to the end, whatever stat said: procfs and sysfs files say 0 */
    for (;;) {
        if (used + 1 == cap) {
            int c = getc(fp);            /* full as stat said: grow only if there is more */
            if (c == EOF)
                break;
            if (used >= (size_t)LS_MAX_FILE_BYTES) {      /* larger than it said */
                snprintf(err, err_size, "%s:1:1: file is larger than the limit of %ld MiB",
                         path, LS_MAX_FILE_BYTES / (1024 * 1024));
                goto done;
            }
            size_t more_cap = cap < 4096 ? 4096 : cap * 2;
            char *more = realloc(buf, more_cap);
            if (!more) {
                snprintf(err, err_size, "%s:1:1: out of memory", path);
                goto done;
            }
            buf = more;
            cap = more_cap;
            buf[used++] = (char)c;
        }
        size_t got = fread(buf + used, 1, cap - used - 1, fp);
        used += got;
        if (got == 0)
            break;
    }
    if (ferror(fp)) {
        snprintf(err, err_size, "%s:1:1: cannot read: %s", path, strerror(errno));
        goto done;
    }
    buf[used] = '\0';
    const char *nul = memchr(buf, '\0', used);
    if (nul) {
        long line = 1, col = 1;
        for (const char *p = buf; p < nul; p++) {
            if (*p == '\n') { line++; col = 1; } else col++;
        }
        ls_error(err, err_size, path, line, col, "binary file (a NUL byte), not text");
        goto done;
    }
    *text = buf;
    *len = used;
    buf = NULL;
    rc = 0;
done:
    free(buf);
    fclose(fp);
    return rc;
}

/* -------------------------------------------------------- CSV reading */

/* A field of the current row, with where it started. */
typedef struct csv_field {
    char *text;       /* NUL-terminated copy (fast mode: in csv_reader.row_buf) */
    long line, col;   /* where it starts (fast mode: not known, 0) */
} csv_field;

/* State of one CSV read. */
typedef struct csv_reader {
    const char *path;                 /* for messages */
    long line, col;                   /* position of the next byte */
    long field_line, field_col;       /* start of the field being read */
    int want_start;                   /* the next non-newline byte starts a field */
    csv_field fields[CSV_MAX_FIELDS]; /* the current row */
    int n_fields;                     /* fields in it */
    int too_many;                     /* the row has more than CSV_MAX_FIELDS */
    long row_line;                    /* line the row started on */
    int failed;                       /* an error was set; ignore the rest */
    int oom;                          /* out of memory */
    int fast;                         /* libcsv given the text whole, no positions kept: a
                                         failure is read again exactly (csv_read) */
    char *row_buf;                    /* fast mode: the row's fields, each NUL-terminated */
    size_t row_used, row_cap;         /* ... bytes used, room */
    size_t offset[CSV_MAX_FIELDS];    /* ... where each field starts in row_buf */
    int (*row)(struct csv_reader *r, void *user);  /* called for each row */
    /* fast mode, optional: field f of the current row (NUL-terminated text)
     * handed over as it is read; 1 taken (not kept as text), 0 keep it, -1 failed */
    int (*cell)(struct csv_reader *r, int f, const char *text, void *user);
    void *user;
    char *err;
    size_t err_size;
} csv_reader;

static void clear_row(csv_reader *r)
{
    for (int f = 0; f < r->n_fields && !r->fast; f++)
        free(r->fields[f].text);
    r->n_fields = 0;
    r->too_many = 0;
    r->row_used = 0;
}

/* Fast mode: the field appended to the row's buffer (no allocation per field). */
static void fast_field(csv_reader *r, const void *data, size_t len)
{
    if (r->row_used + len + 1 > r->row_cap) {
        size_t cap = (r->row_cap ? r->row_cap * 2 : 65536) + len;
        char *grown = realloc(r->row_buf, cap);
        if (!grown) {
            r->oom = r->failed = 1;
            return;
        }
        r->row_buf = grown;
        r->row_cap = cap;
    }
    if (len)
        memcpy(r->row_buf + r->row_used, data, len);
    r->row_buf[r->row_used + len] = '\0';
    r->offset[r->n_fields] = r->row_used;
    r->fields[r->n_fields].line = r->fields[r->n_fields].col = 0;
    r->row_used += len + 1;
    r->n_fields++;
}

static void on_field(void *data, size_t len, void *user)
{
    csv_reader *r = user;
    if (r->failed)
        return;
    if (r->n_fields >= CSV_MAX_FIELDS) {
        r->too_many = 1;
        return;
    }
    if (r->fast && r->cell) {
        int taken = r->cell(r, r->n_fields, data ? data : "", r->user);
        if (taken < 0) {
            r->failed = 1;
            return;
        }
        if (taken) {                     /* counted, not kept */
            r->fields[r->n_fields].text = NULL;
            r->offset[r->n_fields] = (size_t)-1;
            r->n_fields++;
            return;
        }
    }
    if (r->fast) {
        fast_field(r, data, len);
        return;
    }
    char *copy = malloc(len + 1);
    if (!copy) {
        r->oom = r->failed = 1;
        return;
    }
    if (len)
        memcpy(copy, data, len);
    copy[len] = '\0';
    if (r->n_fields == 0)
        r->row_line = r->field_line;
    r->fields[r->n_fields].text = copy;
    r->fields[r->n_fields].line = r->field_line;
    r->fields[r->n_fields].col = r->field_col;
    r->n_fields++;
    r->want_start = 1;
}

static void on_row(int c, void *user)
{
    csv_reader *r = user;
    (void)c;
    if (r->fast)                          /* the fields' places, now the buffer has stopped moving */
        for (int f = 0; f < r->n_fields; f++)
            r->fields[f].text = r->offset[f] == (size_t)-1 ? NULL : r->row_buf + r->offset[f];
    if (!r->failed) {
        if (r->too_many) {
            ls_error(r->err, r->err_size, r->path, r->row_line, 1,
                    "more than %d columns", CSV_MAX_FIELDS);
            r->failed = 1;
        } else if (r->row(r, r->user) != 0) {
            r->failed = 1;
        }
    }
    clear_row(r);
    r->want_start = 1;
}

/* Parse text (len bytes) as CSV, calling row() for each row: fast (libcsv
 * given the text whole, no positions kept), or exactly (byte by byte, with
 * the line and column of every field, for the error messages).  0, -1 with
 * err set, or CSV_RETRY: the fast read failed and must be done exactly. */
#define CSV_RETRY (-3)
static int csv_parse_text(const char *path, const char *text, size_t len, int fast,
                          int (*row)(csv_reader *, void *), int (*cell)(csv_reader *, int, const char *, void *),
                          void *user, char *err, size_t err_size)
{
    struct csv_parser p;
    csv_reader *r = calloc(1, sizeof *r);
    if (!r || csv_init(&p, CSV_STRICT | CSV_APPEND_NULL | CSV_STRICT_FINI) != 0) {
        free(r);
        snprintf(err, err_size, "%s:1:1: out of memory", path);
        return -1;
    }
    r->path = path;
    r->line = 1;
    r->col = 1;
    r->want_start = 1;
    r->row = row;
    r->cell = cell;
    r->user = user;
    r->err = err;
    r->err_size = err_size;
    r->fast = fast;
    size_t start = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        start = 3;                       /* UTF-8 byte-order mark */
    if (fast) {
        if (csv_parse(&p, text + start, len - start, on_field, on_row, r) != len - start)
            r->failed = 1;
        if (!r->failed && csv_fini(&p, on_field, on_row, r) != 0)
            r->failed = 1;
        int rc = r->oom ? -1 : r->failed ? CSV_RETRY : 0;
        if (r->oom)
            snprintf(err, err_size, "%s:1:1: out of memory", path);
        clear_row(r);
        free(r->row_buf);
        csv_free(&p);
        free(r);
        return rc;
    }
    for (size_t q = start; q < len && !r->failed; q++) {
        unsigned char c = (unsigned char)text[q];
        if (r->want_start && c != '\r' && c != '\n') {
            r->field_line = r->line;
            r->field_col = r->col;
            r->want_start = 0;
        }
        if (csv_parse(&p, text + q, 1, on_field, on_row, r) != 1) {
            ls_error(err, err_size, path, r->line, r->col, "malformed CSV: a quote inside an "
                    "unquoted field, or text after a closing quote");
            r->failed = 1;
        }
        if (c == '\n') {
            r->line++;
            r->col = 1;
        } else if ((c & 0xC0) != 0x80) {
            r->col++;                    /* count characters, not UTF-8 continuation bytes */
        }
    }
    if (!r->failed && csv_fini(&p, on_field, on_row, r) != 0) {
        ls_error(err, err_size, path, r->field_line, r->field_col,
                "malformed CSV: a quoted field is never closed");
        r->failed = 1;
    }
    if (r->oom)
        snprintf(err, err_size, "%s:%ld:%ld: out of memory", path, r->line, r->col);
    int rc = r->failed ? -1 : 0;
    clear_row(r);
    csv_free(&p);
    free(r);
    return rc;
}

/* Parse text as CSV: fast (with cell(), if given, taking fields as they
 * come); when that fails, reset(user) and again exactly, every field kept
 * with its place, which finds the same failure and says where it is. */
static int csv_read(const char *path, const char *text, size_t len, int (*row)(csv_reader *, void *),
                    int (*cell)(csv_reader *, int, const char *, void *), void (*reset)(void *user),
                    void *user, char *err, size_t err_size)
{
    int rc = csv_parse_text(path, text, len, 1, row, cell, user, err, err_size);
    if (rc != CSV_RETRY)
        return rc;
    reset(user);
    err[0] = '\0';
    return csv_parse_text(path, text, len, 0, row, NULL, user, err, err_size);
}

/* ----------------------------------------------------------- data CSV */

/* What the data loader knows while rows arrive. */
typedef struct data_state {
    ls_lesson *L;            /* filled in */
    int n_cols;              /* columns in the header */
    int *in_col;             /* header column of each input (N) */
    int *y_col;              /* header column of each target yk (O), or NULL */
    int label_col;           /* header column of the label, or -1 */
    char *const *inputs;     /* names asked for by the lesson, or NULL */
    int n_inputs;
    const char *label_name;  /* label column asked for, or NULL */
    long cap;                /* rows allocated */
    int header_done;
    int *role;               /* per header column: input i (0..N-1), target N+k, DATA_LABEL,
                                DATA_UNUSED; NULL when a column has two roles (cells kept as text) */
    int row_taken;           /* the current row's cells were taken as read (data_cell) */
    int N, O;                /* the network's inputs and outputs */
    double small[256];       /* k / scale for k = 0..255, the same bits as dividing as read */
} data_state;
typedef enum data_column { DATA_UNUSED = -1, DATA_LABEL = -2 } data_column;

/* Column index of name in the header row, or -1. */
static int find_col(const csv_reader *r, const char *name)
{
    for (int f = 0; f < r->n_fields; f++)
        if (strcmp(r->fields[f].text, name) == 0)
            return f;
    return -1;
}

/* A cell as a finite number, or an error at its place. */
static int cell_number(csv_reader *r, int f, double *v)
{
    const csv_field *fd = &r->fields[f];
    const char *t = fd->text;
    int rc = ls_parse_number(t, v);
    if (rc == 0)
        return 0;
    if (*t == '\0')
        ls_error(r->err, r->err_size, r->path, fd->line, fd->col, "empty cell where a number is needed");
    else
        ls_error(r->err, r->err_size, r->path, fd->line, fd->col, "'%.40s' %s", t,
                ls_number_problem(t, rc));
    return -1;
}

/* The input columns: named by the lesson, else x1..xN, else every column
 * that is not a target; their names kept for the outputs.  0, or -1 with
 * the error set (none set when out of memory). */
static int header_inputs(csv_reader *r, data_state *d)
{
    ls_lesson *L = d->L;
    int N = nn_n_inputs(&L->shape), O = nn_n_outputs(&L->shape);   /* inputs, outputs */
    char name[32];
    d->in_col = malloc((size_t)N * sizeof(int));
    L->input_names = calloc((size_t)N, sizeof(char *));
    if (!d->in_col || !L->input_names)
        return -1;
    int n_found = 0;
    if (d->inputs) {
        for (int i = 0; i < d->n_inputs; i++) {
            if ((d->in_col[i] = find_col(r, d->inputs[i])) < 0) {
                ls_error(r->err, r->err_size, r->path, 1, 1, "no column '%.40s' (an input the lesson names)",
                        d->inputs[i]);
                return -1;
            }
        }
        n_found = d->n_inputs;
    } else if (find_col(r, "x1") >= 0) {
        for (;; n_found++) {
            snprintf(name, sizeof name, "x%d", n_found + 1);
            int c = find_col(r, name);
            if (c < 0)
                break;
            if (n_found < N)
                d->in_col[n_found] = c;
        }
    } else {
        for (int f = 0; f < r->n_fields; f++) {
            int is_target = f == d->label_col;
            for (int k = 0; d->y_col && k < O; k++)
                is_target |= f == d->y_col[k];
            if (is_target)
                continue;
            if (n_found < N)
                d->in_col[n_found] = f;
            n_found++;
        }
    }
    if (n_found != N) {
        ls_error(r->err, r->err_size, r->path, 1, 1, "the data has %d input column%s but layers "
                "gives %d inputs", n_found, n_found == 1 ? "" : "s", N);
        return -1;
    }
    for (int i = 0; i < N; i++)
        if (!(L->input_names[i] = strdup(r->fields[d->in_col[i]].text)))
            return -1;
    return 0;
}

/* Each column's role, for the fast read (data_cell); none when a column has two. */
static void header_roles(data_state *d)
{
    int N = nn_n_inputs(&d->L->shape), O = nn_n_outputs(&d->L->shape);
    if ((d->role = malloc((size_t)d->n_cols * sizeof(int))) != NULL) {
        int twice = 0;
        for (int f = 0; f < d->n_cols; f++)
            d->role[f] = DATA_UNUSED;
        for (int i = 0; i < N; i++)
            twice |= d->role[d->in_col[i]] != DATA_UNUSED, d->role[d->in_col[i]] = i;
        for (int k = 0; d->y_col && k < O; k++)
            twice |= d->role[d->y_col[k]] != DATA_UNUSED, d->role[d->y_col[k]] = N + k; /* mutant: data-fast-targets-reversed */
        if (d->label_col >= 0)
            twice |= d->role[d->label_col] != DATA_UNUSED, d->role[d->label_col] = DATA_LABEL;
        if (twice) {
            free(d->role);
            d->role = NULL;
        }
    }
}

static int data_header(csv_reader *r, data_state *d)
{
    ls_lesson *L = d->L;
    int O = nn_n_outputs(&L->shape);                                /* outputs */
    d->n_cols = r->n_fields;
    for (int f = 0; f < r->n_fields; f++) {
        if (r->fields[f].text[0] == '\0') {
            ls_error(r->err, r->err_size, r->path, r->fields[f].line, r->fields[f].col,
                    "empty column name in the header");
            return -1;
        }
        for (int g = 0; g < f; g++)
            if (strcmp(r->fields[f].text, r->fields[g].text) == 0) {
                ls_error(r->err, r->err_size, r->path, r->fields[f].line, r->fields[f].col,
                        "column '%.40s' appears twice in the header", r->fields[f].text);
                return -1;
            }
    }
    /* targets: the label column, or y1..yO */
    d->label_col = find_col(r, d->label_name ? d->label_name : "label");
    if (d->label_name && d->label_col < 0) {
        ls_error(r->err, r->err_size, r->path, 1, 1, "no column '%.40s' (the lesson's label)", d->label_name);
        return -1;
    }
    int n_y = 0;
    char name[32];
    for (;; n_y++) {
        snprintf(name, sizeof name, "y%d", n_y + 1);
        if (find_col(r, name) < 0)
            break;
    }
    if (d->label_col < 0) {
        if (n_y == 0) {
            ls_error(r->err, r->err_size, r->path, 1, 1,
                    "no targets: the header needs a 'label' column or columns y1..y%d", O);
            return -1;
        }
        if (n_y != O) {
            ls_error(r->err, r->err_size, r->path, 1, 1,
                    "the data has targets y1..y%d but layers gives %d output%s", n_y, O,
                    O == 1 ? "" : "s");
            return -1;
        }
        d->y_col = malloc((size_t)O * sizeof(int));
        if (!d->y_col)
            return -1;
        for (int k = 0; k < O; k++) {
            snprintf(name, sizeof name, "y%d", k + 1);
            d->y_col[k] = find_col(r, name);
        }
    }
    if (header_inputs(r, d) != 0)
        return -1;
    header_roles(d);
    return 0;
}

/* Room for row L->n_rows, within the limits: 0, or -1 with the error set. */
static int data_room(csv_reader *r, data_state *d)
{
    ls_lesson *L = d->L;
    int N = nn_n_inputs(&L->shape), O = nn_n_outputs(&L->shape);   /* inputs, outputs */
    if (L->n_rows >= LS_MAX_ROWS) {
        ls_error(r->err, r->err_size, r->path, r->row_line, 1, "more than %d data rows", LS_MAX_ROWS);
        return -1;
    }
    /* every matrix's size from the counts, against the limit, before allocating */
    long per_row = (long)N + O;
    if ((long)(L->n_rows + 1) * per_row > LS_MAX_DATA_VALUES) {
        ls_error(r->err, r->err_size, r->path, r->row_line, 1,
                 "the data would hold more than %ld numbers (rows x (inputs + targets) = %ld x %ld); "
                 "the limit is %ld", LS_MAX_DATA_VALUES, (long)L->n_rows + 1, per_row, LS_MAX_DATA_VALUES);
        return -1;
    }
    if (L->n_rows == d->cap) {
        long cap = d->cap ? d->cap * 2 : 64;
        if (cap * per_row > LS_MAX_DATA_VALUES)
            cap = LS_MAX_DATA_VALUES / per_row;
        double *x = realloc(L->x, (size_t)cap * (size_t)N * sizeof(double));
        if (x) L->x = x;
        double *y = realloc(L->y, (size_t)cap * (size_t)O * sizeof(double));
        if (y) L->y = y;
        int *label = realloc(L->label, (size_t)cap * sizeof(int));
        if (label) L->label = label;
        if (!x || !y || !label) {
            ls_error(r->err, r->err_size, r->path, r->row_line, 1, "out of memory");
            return -1;
        }
        d->cap = cap;
    }
    return 0;
}

/* A label as the class it names: 0..O-1, or -1. */
static int data_class(double v, int O)
{
    return v != floor(v) || v < 0 || v > O - 1 ? -1 : (int)v;
}

/* The fast read: cell f of a data row stored as it is read, by its column's
 * role (data_header), the row's room made at its first cell.  Any problem
 * fails the fast read: the exact one finds it again and says where. */
static int data_cell(csv_reader *r, int f, const char *text, void *user)
{
    data_state *d = user;
    ls_lesson *L = d->L;
    if (!d->header_done || !d->role)
        return 0;                                /* the header, or cells kept as text */
    if (f == 0 && data_room(r, d) != 0)
        return -1;
    if (f >= d->n_cols)
        return -1;
    d->row_taken = 1;
    int role = d->role[f], N = d->N, O = d->O;
    size_t row = (size_t)L->n_rows;
    double v;
    if (role == DATA_UNUSED)
        return 1;
    /* the usual pixel: an integer of one to three digits, scaled from a table */
    unsigned k = (unsigned char)text[0] - '0';
    if (k <= 9 && role >= 0 && role < N && L->scale > 0) {
        int n = 1;
        while (n < 4 && (unsigned)((unsigned char)text[n] - '0') <= 9)
            k = k * 10 + (unsigned)((unsigned char)text[n++] - '0');
        if (text[n] == '\0' && k < 256) {
            L->x[row * N + role] = d->small[k];
            return 1;
        }
    }
    if (ls_parse_number(text, &v) != 0)
        return -1;
    if (role == DATA_LABEL) {
        int c = data_class(v, O);
        if (c < 0)
            return -1;
        L->label[row] = c;
        for (int q = 0; q < O; q++)
            L->y[row * O + q] = q == c ? 1.0 : 0.0;
    } else if (role < N) {
        L->x[row * N + role] = L->scale > 0 ? v / L->scale : v;   /* the lesson's scale key */ /* mutant: scale-not-applied */
    } else {
        L->y[row * O + role - N] = v;
    }
    return 1;
}

static int data_row(csv_reader *r, void *user)
{
    data_state *d = user;
    ls_lesson *L = d->L;
    int N = nn_n_inputs(&L->shape), O = nn_n_outputs(&L->shape);   /* inputs, outputs */
    if (!d->header_done) {
        d->header_done = 1;
        if (data_header(r, d) != 0) {
            if (r->err[0] == '\0')
                snprintf(r->err, r->err_size, "%s:1:1: out of memory", r->path);
            return -1;
        }
        return 0;
    }
    if (d->row_taken) {                         /* its cells were stored as read (data_cell) */
        d->row_taken = 0;
        if (r->n_fields != d->n_cols)
            return -1;                          /* the exact read says where */
        L->n_rows++;
        return 0;
    }
    if (r->n_fields != d->n_cols) {
        const csv_field *last = &r->fields[r->n_fields - 1];
        ls_error(r->err, r->err_size, r->path, r->row_line,
                r->n_fields < d->n_cols ? last->col : r->fields[d->n_cols].col,
                "row has %d field%s, the header has %d", r->n_fields, r->n_fields == 1 ? "" : "s",
                d->n_cols);
        return -1;
    }
    if (data_room(r, d) != 0)
        return -1;
    size_t row = (size_t)L->n_rows;
    double scale = L->scale;                     /* the lesson's scale key: each input divided, as read */
    for (int i = 0; i < N; i++) {
        if (cell_number(r, d->in_col[i], &L->x[row * N + i]) != 0)
            return -1;
        if (scale > 0)
            L->x[row * N + i] /= scale;
    }
    if (d->label_col >= 0) {
        double v;
        const csv_field *fd = &r->fields[d->label_col];
        if (cell_number(r, d->label_col, &v) != 0)
            return -1;
        if (data_class(v, O) < 0) {
            ls_error(r->err, r->err_size, r->path, fd->line, fd->col,
                    "label '%.40s' is not a class from 0 to %d", fd->text, O - 1);
            return -1;
        }
        L->label[row] = data_class(v, O);
        for (int k = 0; k < O; k++)
            L->y[row * O + k] = k == (int)v ? 1.0 : 0.0;
    } else {
        for (int k = 0; k < O; k++)
            if (cell_number(r, d->y_col[k], &L->y[row * O + k]) != 0)
                return -1;
    }
    L->n_rows++;
    return 0;
}


/* Room for as many rows as the text has lines (at least the rows: a quoted
 * field may hold a line break), so that no row moves the matrices: growing
 * them as rows came copied each number about twice (63 MB for 10,000
 * MNIST rows).  Left to growing when that would pass the data limit. */
static void presize(ls_lesson *L, data_state *d, const char *text, size_t len)
{
    long lines = 1, N = nn_n_inputs(&L->shape), O = nn_n_outputs(&L->shape);
    for (const char *p = text; (p = memchr(p, '\n', len - (size_t)(p - text))) != NULL; p++)
        lines++;
    if (lines > LS_MAX_ROWS || lines * (N + O) > LS_MAX_DATA_VALUES)
        return;
    L->x = malloc((size_t)lines * (size_t)N * sizeof(double));
    L->y = malloc((size_t)lines * (size_t)O * sizeof(double));
    L->label = malloc((size_t)lines * sizeof(int));
    if (!L->x || !L->y || !L->label) {
        free(L->x);
        free(L->y);
        free(L->label);
        L->x = L->y = NULL;
        L->label = NULL;
        return;
    }
    prefault(L->x, (size_t)lines * (size_t)N * sizeof(double));
    d->cap = lines;
}

/* Back to before the first row, for an exact read after a failed fast one. */
static void data_reset(void *user)
{
    data_state *d = user;
    ls_lesson *L = d->L;
    if (L->input_names)
        for (int i = 0; i < nn_n_inputs(&L->shape); i++)
            free(L->input_names[i]);
    free(L->input_names);
    free(L->x);
    free(L->y);
    free(L->label);
    free(d->in_col);
    free(d->y_col);
    free(d->role);
    d->role = NULL;
    d->row_taken = 0;
    L->input_names = NULL;
    L->x = L->y = NULL;
    L->label = NULL;
    L->n_rows = 0;
    d->in_col = d->y_col = NULL;
    d->label_col = -1;
    d->n_cols = 0;
    d->cap = 0;
    d->header_done = 0;
}

int ls_load_data(ls_lesson *L, const char *path, char *const *inputs, int n_inputs,
                 const char *label_col, char *err, size_t err_size)
{
    char *text;
    size_t len;
    err[0] = '\0';
    if (ls_read_file(path, &text, &len, err, err_size) != 0)
        return -1;
    ls_note_read(L, path);
    data_state d = { .L = L, .inputs = inputs, .n_inputs = n_inputs, .label_name = label_col,
                     .label_col = -1 };
    d.N = nn_n_inputs(&L->shape);
    d.O = nn_n_outputs(&L->shape);
    for (int k = 0; k < 256; k++)
        d.small[k] = L->scale > 0 ? (double)k / L->scale : (double)k; /* mutant: pixel-table-unscaled */
    presize(L, &d, text, len);
    int rc = csv_read(path, text, len, data_row, data_cell, data_reset, &d, err, err_size);
    if (rc == 0 && !d.header_done) {
        ls_error(err, err_size, path, 1, 1, "empty file: a data CSV needs a header row and data rows");
        rc = -1;
    } else if (rc == 0 && L->n_rows == 0) {
        ls_error(err, err_size, path, 2, 1, "no data rows after the header");
        rc = -1;
    }
    if (d.label_col < 0) {                 /* targets given as they are: no labels */
        free(L->label);
        L->label = NULL;
    }
    free(d.in_col);
    free(d.y_col);
    free(d.role);
    free(text);
    return rc;
}

/* -------------------------------------------------------- weights CSV */

typedef struct weights_state {
    ls_lesson *L;        /* sizes; weights filled in */
    long *line_of;       /* line each weight was given on, 0 if not yet */
    int header_done;
} weights_state;

/* A unit named in a weights CSV: its layer and 0-based index, or layer -1
 * for the bias input "1".  0, or -1 when the name is not of the network. */
static int parse_unit(const nn_net *sh, const char *t, int *layer, int *index)
{
    char name[32];
    if (strcmp(t, "1") == 0) {
        *layer = -1;
        *index = 0;
        return 0;
    }
    if (strlen(t) > 20 || nn_unit_parse(sh, t, layer, index) != 0)
        return -1;
    /* only the name as the network writes it ("x1", not "x01" or "x+1") */
    nn_unit_name(sh, *layer, *index, name, sizeof name);
    return strcmp(name, t) == 0 ? 0 : -1;
}

/* The range of names a layer has, for messages: "h1..h2", "h2_1..h2_3". */
static void layer_range(const nn_net *sh, int l, char *buf, size_t size)
{
    char a[32], b[32];
    nn_unit_name(sh, l, 0, a, sizeof a);
    nn_unit_name(sh, l, sh->size[l] - 1, b, sizeof b);
    snprintf(buf, size, "%s..%s", a, b);
}

/* A name that has the form of a unit but not in this network: which layer it meant. */
static int unit_form(const char *t)
{
    if (t[0] != 'x' && t[0] != 'h' && t[0] != 'o')
        return -1;
    if (!t[1] || strspn(t + 1, "0123456789_") != strlen(t + 1))
        return -1;
    return t[0];
}

static int weights_row(csv_reader *r, void *user)
{
    weights_state *w = user;
    ls_lesson *L = w->L;
    if (!w->header_done) {
        w->header_done = 1;
        if (r->n_fields != 3 || strcmp(r->fields[0].text, "from") != 0 ||
            strcmp(r->fields[1].text, "to") != 0 || strcmp(r->fields[2].text, "value") != 0) {
            ls_error(r->err, r->err_size, r->path, r->row_line, 1,
                    "the header must be 'from,to,value'");
            return -1;
        }
        return 0;
    }
    if (r->n_fields != 3) {
        ls_error(r->err, r->err_size, r->path, r->row_line, r->fields[r->n_fields - 1].col,
                "row has %d field%s, the header has 3", r->n_fields, r->n_fields == 1 ? "" : "s");
        return -1;
    }
    const nn_net *sh = &L->shape;
    const csv_field *ff = &r->fields[0], *tf = &r->fields[1];
    int fl, fi, tl, ti;
    char range[80];
    if (parse_unit(sh, ff->text, &fl, &fi) != 0 || fl == sh->n_layers) {
        int form = unit_form(ff->text);
        if (form == 'x' || (form == 'h' && sh->n_layers == 2)) {
            layer_range(sh, form == 'x' ? 0 : 1, range, sizeof range);
            ls_error(r->err, r->err_size, r->path, ff->line, ff->col, "no neuron '%.40s' (the network "
                    "has %s)", ff->text, range);
        } else if (form == 'h') {
            layer_range(sh, 1, range, sizeof range);
            ls_error(r->err, r->err_size, r->path, ff->line, ff->col, "no neuron '%.40s': with %d "
                    "hidden layers they are named h<layer>_<j> (%s, ...)", ff->text, sh->n_layers - 1,
                    range);
        } else {
            ls_error(r->err, r->err_size, r->path, ff->line, ff->col,
                    "'from' must be an input x<i>, a hidden neuron or 1 (the bias), not '%.40s'", ff->text);
        }
        return -1;
    }
    if (parse_unit(sh, tf->text, &tl, &ti) != 0 || tl <= 0) {
        int form = unit_form(tf->text);
        if (form == 'o' || (form == 'h' && sh->n_layers == 2)) {
            layer_range(sh, form == 'o' ? sh->n_layers : 1, range, sizeof range);
            ls_error(r->err, r->err_size, r->path, tf->line, tf->col, "no neuron '%.40s' (the network "
                    "has %s)", tf->text, range);
        } else if (form == 'h') {
            layer_range(sh, 1, range, sizeof range);
            ls_error(r->err, r->err_size, r->path, tf->line, tf->col, "no neuron '%.40s': with %d "
                    "hidden layers they are named h<layer>_<j> (%s, ...)", tf->text, sh->n_layers - 1,
                    range);
        } else {
            ls_error(r->err, r->err_size, r->path, tf->line, tf->col,
                    "'to' must be a hidden neuron or an output o<k>, not '%.40s'", tf->text);
        }
        return -1;
    }
    int m;
    if (fl == -1)
        m = nn_b_index(sh, tl, ti);
    else if (tl == fl + 1)
        m = nn_w_index(sh, tl, fi, ti);
    else {
        ls_error(r->err, r->err_size, r->path, ff->line, ff->col,
                "no weight from '%.40s' to '%.40s': weights join neighbouring layers, or come from 1",
                ff->text, tf->text);
        return -1;
    }
    if (w->line_of[m]) {
        ls_error(r->err, r->err_size, r->path, ff->line, ff->col,
                "weight %s->%s (w%d) given twice; first on line %ld", ff->text, tf->text, m + 1,
                w->line_of[m]);
        return -1;
    }
    if (cell_number(r, 2, &L->weights[m]) != 0)
        return -1;
    w->line_of[m] = ff->line;
    return 0;
}

int ls_load_weights(ls_lesson *L, const char *path, char *err, size_t err_size)
{
    char *text;
    size_t len;
    int W = ls_n_weights(L);
    if (ls_read_file(path, &text, &len, err, err_size) != 0)
        return -1;
    ls_note_read(L, path);
    weights_state w = { .L = L };
    w.line_of = calloc((size_t)W, sizeof(long));
    free(L->weights);
    L->weights = calloc((size_t)W, sizeof(double));
    if (!w.line_of || !L->weights) {
        snprintf(err, err_size, "%s:1:1: out of memory", path);
        free(w.line_of);
        free(text);
        return -1;
    }
    /* exactly, always: a weights file is small, and each weight keeps the line it came on */
    int rc = csv_parse_text(path, text, len, 0, weights_row, NULL, &w, err, err_size);
    if (rc == 0 && !w.header_done) {
        ls_error(err, err_size, path, 1, 1, "empty file: a weights CSV needs the header 'from,to,value'");
        rc = -1;
    }
    long end_line = 1;
    for (size_t q = 0; q < len; q++)
        end_line += text[q] == '\n';
    int given = 0;
    for (int m = 0; m < W; m++)
        given += w.line_of[m] != 0;
    if (rc == 0 && given > 0 && given < W - 1) { /* mutant: weights-count-unplaced */
        /* a file for another network: say so by the count, not by the first weight missing */
        const char *base = strrchr(path, '/');
        snprintf(err, err_size, "%.200s has %d weights", base ? base + 1 : path, given);
        rc = LS_EWEIGHT_COUNT;
    }
    for (int m = 0; rc == 0 && m < W; m++) {
        if (!w.line_of[m]) {
            char from[16], to[16];
            const nn_net *shape = &L->shape;
            nn_w_ends(shape, m, from, sizeof from, to, sizeof to);
            ls_error(err, err_size, path, end_line, 1, "weight %s->%s (w%d) is missing; every "
                    "weight of the network (%d) must be given", from, to, m + 1, W);
            rc = -1;
        }
    }
    free(w.line_of);
    free(text);
    return rc;
}

/* ------------------------------------------------ random and standardize */

int ls_random_weights(ls_lesson *L, unsigned long long seed, int kaiming)
{
    const nn_net *sh = &L->shape;
    int W = sh->n_weights;
    free(L->weights);
    L->weights = malloc((size_t)W * sizeof(double));
    if (!L->weights)
        return -1;
    ls_rng rng;
    ls_rng_seed(&rng, seed);
    for (int m = 0; m < W; m++) {
        /* fan-in: the size of the layer feeding the one this weight or bias goes into */
        int l = nn_w_layer(sh, m);
        double scale = kaiming ? sqrt(2.0 / sh->size[l - 1]) : 1.0; /* mutant: kaiming-off */
        L->weights[m] = ls_rng_normal(&rng) * scale;
    }
    return 0;
}

void ls_standardize_rows(ls_lesson *L, const int *rows, int n)
{
    int N = nn_n_inputs(&L->shape), R = L->n_rows;
    if (L->x_raw)                      /* again from the inputs as read */
        memcpy(L->x, L->x_raw, (size_t)R * N * sizeof(double));
#define ROW(q) (rows ? rows[q] : (q)) /* mutant: standardize-rows-list-ignored */
    for (int i = 0; i < N; i++) {
        double mean = 0.0, var = 0.0;   /* of the rows given: never the held-out ones */
        for (int q = 0; q < n; q++)
            mean += L->x[(size_t)ROW(q) * N + i];
        mean /= n;
        for (int q = 0; q < n; q++) {
            double d = L->x[(size_t)ROW(q) * N + i] - mean;
            var += d * d;
        }
        double sd = sqrt(var / n);
        /* a constant column becomes all zeros; "constant" with a relative
         * tolerance, since the mean of 0.1, 0.1, 0.1 is not exactly 0.1 */
        if (sd <= 1e-12 * fabs(mean) || sd == 0.0) { /* mutant: standardize-exact-zero-only */
            for (int r = 0; r < R; r++)
                L->x[(size_t)r * N + i] = 0.0;
            continue;
        }
        for (int r = 0; r < R; r++)     /* every row, held-out ones too, by the training rows' scale */
            L->x[(size_t)r * N + i] = (L->x[(size_t)r * N + i] - mean) / sd;
    }
#undef ROW
    L->standardized = 1;
}

void ls_standardize(ls_lesson *L)
{
    ls_standardize_rows(L, NULL, L->n_rows - L->test_rows); /* mutant: standardize-all-rows */
}

