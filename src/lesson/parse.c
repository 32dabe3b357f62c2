/*
 * parse.c - lesson files: "key = value" lines, checked key by key, then the
 * data and weights they name.  Every error names the file, line and column.
 */
#include "lesson.h"
#include "../text/text.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>

#include "../engine/engine.h"

/* The keys a lesson may give. */
typedef enum ls_key {
    K_TITLE, K_LAYERS, K_ACTIVATION, K_LOSS, K_LEARNING_RATE, K_STEPS, K_BATCH_SIZE,
    K_DATA, K_WEIGHTS, K_INIT, K_STANDARDIZE, K_INPUTS, K_LABEL, K_SCALE, K_TEST_ROWS, K_IMAGE,
    K_NOTE1, K_NOTE2, K_NOTE3, K_NOTE4, K_NOTE5, K_NOTE6, K_COUNT
} ls_key;
static const char *const key_names[K_COUNT] = {
    "title", "layers", "activation", "loss", "learning_rate", "steps", "batch_size",
    "data", "weights", "init", "standardize", "inputs", "label", "scale", "test_rows", "image",
    "note.1", "note.2", "note.3", "note.4", "note.5", "note.6",
};

/* A value as given: text and where it starts. */
typedef struct ls_value {
    char *text;      /* trimmed value, owned; NULL when the key was not given */
    long line;       /* line of the key */
    long key_col;    /* column of the key */
    long col;        /* column of the value */
} ls_value;

/* Everything parse_lesson gathers, freed by free_values. */
typedef struct ls_file {
    const char *path;        /* the lesson file */
    ls_value v[K_COUNT];     /* one per key */
    long end_line;           /* the line after the last */
} ls_file;


/* Column (in characters, from 1) of byte offset `at` in a line starting at `line`. */
static long col_of(const char *line, const char *at)
{
    long col = 1;
    for (const char *p = line; p < at; p++)
        if (((unsigned char)*p & 0xC0) != 0x80)
            col++;
    return col;
}

static void free_values(ls_file *f)
{
    for (int k = 0; k < K_COUNT; k++)
        free(f->v[k].text);
}

/* Split the text into lines and collect key = value pairs. */
static int parse_lines(ls_file *f, char *text, size_t len, char *err, size_t err_size)
{
    const char *path = f->path;
    long line_no = 0;
    char *p = text;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    while (*p) {
        char *line = p, *nl = strchr(p, '\n');
        char *end = nl ? nl : p + strlen(p);
        p = nl ? nl + 1 : end;
        line_no++;
        if (end > line && end[-1] == '\r')
            end--;
        if (end - line > LS_MAX_LINE) {
            ls_error(err, err_size, path, line_no, LS_MAX_LINE + 1,
                    "line longer than %d bytes", LS_MAX_LINE);
            return -1;
        }
        *end = '\0';
        for (const unsigned char *u = (const unsigned char *)line; *u; ) {
            int n = tx_utf8_len(u);
            if (!n) {
                ls_error(err, err_size, path, line_no, col_of(line, (const char *)u),
                        "not UTF-8 text (byte 0x%02X)", *u);
                return -1;
            }
            u += n;
        }
        char *s = line;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '\0' || *s == '#')
            continue;
        char *key = s;
        while (isalnum((unsigned char)*s) || *s == '_' || *s == '.')
            s++;
        char *key_end = s;
        while (*s == ' ' || *s == '\t')
            s++;
        if (key_end == key || *s != '=') {
            ls_error(err, err_size, path, line_no, col_of(line, key_end == key ? key : s),
                    "expected 'key = value'");
            return -1;
        }
        *key_end = '\0';
        s++;
        while (*s == ' ' || *s == '\t')
            s++;
        char *value = s, *vend = s + strlen(s);
        while (vend > value && (vend[-1] == ' ' || vend[-1] == '\t'))
            *--vend = '\0';
        int k;
        for (k = 0; k < K_COUNT; k++)
            if (strcmp(key_names[k], key) == 0)
                break;
        if (k == K_COUNT) {
            char safe[48];
            snprintf(safe, sizeof safe, "%.40s", key);
            ls_error(err, err_size, path, line_no, col_of(line, key), "unknown key '%s'%s", safe,
                    strncmp(key, "note", 4) == 0 ? " (notes are note.1 to note.6)"
                                                 : " (see docs/formats.md for the keys)");
            return -1;
        }
        if (f->v[k].text) {
            ls_error(err, err_size, path, line_no, col_of(line, key),
                    "'%s' given twice (first on line %ld)", key, f->v[k].line);
            return -1;
        }
        if (*value == '\0') {
            ls_error(err, err_size, path, line_no, col_of(line, value), "no value for '%s'", key);
            return -1;
        }
        if (!(f->v[k].text = strdup(value))) {
            ls_error(err, err_size, path, line_no, 1, "out of memory");
            return -1;
        }
        f->v[k].line = line_no;
        f->v[k].key_col = col_of(line, key);
        f->v[k].col = col_of(line, value);
    }
    f->end_line = line_no + 1;
    return 0;
}

/* Error at a key's value. */
#define VERR(k, ...) ls_error(err, err_size, f->path, f->v[k].line, f->v[k].col, __VA_ARGS__)

/* A whole number in [lo, hi] from a value's text. */
static int whole(const char *t, long lo, long hi, long *out)
{
    char *end;
    if (!isdigit((unsigned char)*t) && *t != '-' && *t != '+')
        return -1;
    errno = 0;
    long v = strtol(t, &end, 10);
    if (*end != '\0' || errno != 0 || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* "WIDTHxHEIGHT", digits only on either side (no sign, no space), whose product is N. */
static int image_size(const char *t, int N, long *w, long *h)
{
    const char *x = strchr(t, 'x');
    char wide[24];
    size_t n = x ? (size_t)(x - t) : 0;
    if (!x || n == 0 || n >= sizeof wide || strspn(t, "0123456789") != n ||
        strspn(x + 1, "0123456789") != strlen(x + 1))
        return -1;
    memcpy(wide, t, n);
    wide[n] = '\0';
    if (whole(wide, 1, N, w) != 0 || whole(x + 1, 1, N, h) != 0) /* mutant: image-size-wraps */
        return -1;
    return *w * *h == N ? 0 : -1;
}

/* The layers key: sizes[0..*count-1], inputs first; 0 or -1 with err set. */
static int parse_sizes(ls_file *f, long sizes[NN_MAX_LAYERS + 1], int *count, char *err, size_t err_size)
{
    const ls_value *v = &f->v[K_LAYERS];
    const char *p = v->text;
    *count = 0;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (!*p)
            break;
        const char *tok = p;
        while (*p && *p != ' ' && *p != '\t' && *p != ',')
            p++;
        char word[64];
        snprintf(word, sizeof word, "%.*s", (int)(p - tok), tok);
        long col = v->col + col_of(v->text, tok) - 1;
        long size;
        if (whole(word, -2147483647L, 2147483647L, &size) != 0) {
            ls_error(err, err_size, f->path, v->line, col, "layer size '%.20s' is not a whole number", word);
            return -1;
        }
        if (size < 1) {
            ls_error(err, err_size, f->path, v->line, col, "layer size %ld: sizes must be 1 or more", size);
            return -1;
        }
        if (size > NN_MAX_UNITS) {
            ls_error(err, err_size, f->path, v->line, col,
                    "layer size %ld is over the limit of %d neurons", size, NN_MAX_UNITS);
            return -1;
        }
        if (*count == NN_MAX_LAYERS + 1) {
            ls_error(err, err_size, f->path, v->line, col, "more than %d hidden layers", NN_MAX_LAYERS - 1);
            return -1;
        }
        sizes[(*count)++] = size;
    }
    if (*count < 3) {
        VERR(K_LAYERS, "layers needs at least three sizes, inputs hidden outputs (e.g. 2 2 2), not %d",
             *count);
        return -1;
    }
    long W = 0;
    for (int l = 1; l < *count; l++)
        W += sizes[l - 1] * sizes[l] + sizes[l];
    if (W > NN_MAX_WEIGHTS) {
        VERR(K_LAYERS, "a %ld-%ld-%ld%s network has %ld weights, over the limit of %ld",
             sizes[0], sizes[1], sizes[2], *count > 3 ? "-..." : "", W, NN_MAX_WEIGHTS);
        return -1;
    }
    return 0;
}

/* The activation key for count layers: one for every layer after the input,
 * or one per layer; acts[1..count-1]. */
static int parse_activations(ls_file *f, int count, int acts[NN_MAX_LAYERS + 1], char *err, size_t err_size)
{
    int n_acts = 0;
    for (int l = 0; l <= NN_MAX_LAYERS; l++)
        acts[l] = NN_ACT_SIGMOID;
    if (!f->v[K_ACTIVATION].text)
        return 0;
    const ls_value *a = &f->v[K_ACTIVATION];
    char copy[LS_MAX_LINE + 1];
    snprintf(copy, sizeof copy, "%s", a->text);
    for (char *tok = strtok(copy, " \t,"); tok; tok = strtok(NULL, " \t,")) {
        long tcol = a->col + col_of(copy, tok) - 1;
        int act = nn_act_parse(tok);
        if (act < 0) {
            ls_error(err, err_size, f->path, a->line, tcol,
                    "activation '%.40s' is not one of sigmoid, tanh, relu, linear, softmax", tok);
            return -1;
        }
        if (n_acts + 1 >= count) {
            ls_error(err, err_size, f->path, a->line, tcol, "more activations than layers after "
                    "the input (%d)", count - 1);
            return -1;
        }
        acts[++n_acts] = act;
    }
    if (n_acts == 1)
        for (int l = 2; l < count; l++)
            acts[l] = acts[1];
    else if (n_acts != count - 1) {
        VERR(K_ACTIVATION, "give one activation, or one for each of the %d layers after the "
             "input, not %d", count - 1, n_acts);
        return -1;
    }
    for (int l = 1; l < count - 1; l++)
        if (acts[l] == NN_ACT_SOFTMAX) {
            VERR(K_ACTIVATION, "softmax is for the output layer alone: give one activation for each "
                 "layer, as in activation = sigmoid softmax");
            return -1;
        }
    return 0;
}

/* The loss key, checked against the output activation; *loss. */
static int parse_loss(ls_file *f, int out_act, int *loss, char *err, size_t err_size)
{
    *loss = NN_LOSS_QUADRATIC;
    if (!f->v[K_LOSS].text && out_act == NN_ACT_SOFTMAX) {
        VERR(K_ACTIVATION, "softmax outputs need loss = cross_entropy (the categorical cross-entropy)");
        return -1;
    }
    if (!f->v[K_LOSS].text)
        return 0;
    *loss = nn_loss_parse(f->v[K_LOSS].text);
    if (*loss < 0) {
        VERR(K_LOSS, "loss '%.40s' is not quadratic or cross_entropy", f->v[K_LOSS].text);
        return -1;
    }
    if (*loss == NN_LOSS_CROSS_ENTROPY && out_act != NN_ACT_SIGMOID && out_act != NN_ACT_SOFTMAX) {
        VERR(K_LOSS, "cross_entropy needs sigmoid or softmax outputs (between 0 and 1), not %s",
             nn_act_name(out_act));
        return -1;
    }
    if (*loss != NN_LOSS_CROSS_ENTROPY && out_act == NN_ACT_SOFTMAX) {
        VERR(K_LOSS, "softmax outputs need loss = cross_entropy (the categorical cross-entropy), not %s",
             nn_loss_name(*loss));
        return -1;
    }
    return 0;
}

/* The network's shape from the layers, activation and loss keys. */
static int parse_layers(ls_file *f, ls_lesson *L, char *err, size_t err_size)
{
    long sizes[NN_MAX_LAYERS + 1];
    int count, acts[NN_MAX_LAYERS + 1], isizes[NN_MAX_LAYERS + 1], loss;
    if (parse_sizes(f, sizes, &count, err, err_size) != 0 ||
        parse_activations(f, count, acts, err, err_size) != 0 ||
        parse_loss(f, acts[count - 1], &loss, err, err_size) != 0)
        return -1;
    for (int l = 0; l < count; l++)
        isizes[l] = (int)sizes[l];
    if (nn_shape_init(&L->shape, count - 1, isizes, acts, loss) != 0) {
        VERR(K_LAYERS, "layer sizes out of range");
        return -1;
    }
    return 0;
}

/* "dir of lesson" + rel, unless rel is absolute. */
static char *resolve(const char *lesson_path, const char *rel)
{
    const char *slash = strrchr(lesson_path, '/');
    size_t dir = rel[0] == '/' || !slash ? 0 : (size_t)(slash - lesson_path) + 1;
    size_t len = dir + strlen(rel) + 1;
    char *out = malloc(len);
    if (out)
        snprintf(out, len, "%.*s%s", (int)dir, lesson_path, rel);
    return out;
}

/* The file a path value names: must exist, be a regular file, not the lesson itself. */
static char *named_file(ls_file *f, int k, const struct stat *self, char *err, size_t err_size)
{
    char *path = resolve(f->path, f->v[k].text);
    struct stat st;
    if (!path) {
        VERR(k, "out of memory");
        return NULL;
    }
    if (stat(path, &st) != 0) {
        VERR(k, "cannot open %s file '%.200s': %s", key_names[k], path, strerror(errno));
    } else if (S_ISDIR(st.st_mode)) {
        VERR(k, "'%.200s' is a folder; %s needs a CSV file", path, key_names[k]);
    } else if (!S_ISREG(st.st_mode)) {
        VERR(k, "'%.200s' is not a regular file", path);
    } else if (st.st_dev == self->st_dev && st.st_ino == self->st_ino) {
        VERR(k, "'%.200s' is this lesson file itself; %s needs a CSV file", path, key_names[k]);
    } else {
        return path;
    }
    free(path);
    return NULL;
}

/* Split a list of column names, expanding "p0..p63" ranges. */
static char **split_names(ls_file *f, int k, int *count, char *err, size_t err_size)
{
    char **names = NULL;
    int n = 0, cap = 0;
    char *copy = strdup(f->v[k].text);
    if (!copy)
        goto oom;
    for (char *tok = strtok(copy, " \t,"); tok; tok = strtok(NULL, " \t,")) {
        char prefix[64];
        long a, b;
        char *dots = strstr(tok, "..");
        int first = n;
        if (dots) {
            /* NAMEa..NAMEb or NAMEa..b */
            char *num = dots;
            while (num > tok && isdigit((unsigned char)num[-1]))
                num--;
            const char *rhs = dots + 2;
            size_t plen = (size_t)(num - tok);
            if (strncmp(rhs, tok, plen) == 0 && isdigit((unsigned char)rhs[plen]))
                rhs += plen;
            if (num == dots || plen >= sizeof prefix || whole(rhs, 0, 1000000, &b) != 0) {
                VERR(k, "'%.40s': a range is written like p0..p63", tok);
                goto fail;
            }
            *dots = '\0';
            if (whole(num, 0, 1000000, &a) != 0 || b < a || b - a >= NN_MAX_UNITS) {
                VERR(k, "'%.40s..': the range is empty or too long", tok);
                goto fail;
            }
            snprintf(prefix, sizeof prefix, "%.*s", (int)plen, tok);
        } else {
            a = b = -1;
        }
        for (long q = a; q <= b; q++) {
            if (n == cap) {
                cap = cap ? cap * 2 : 16;
                char **more = realloc(names, (size_t)cap * sizeof *names);
                if (!more)
                    goto oom;
                names = more;
            }
            char buf[96];
            if (q >= 0)
                snprintf(buf, sizeof buf, "%s%ld", prefix, q);
            else
                snprintf(buf, sizeof buf, "%s", tok);
            if (!(names[n] = strdup(buf)))
                goto oom;
            n++;
            if (n > NN_MAX_UNITS) {
                VERR(k, "more than %d names", NN_MAX_UNITS);
                goto fail;
            }
        }
        (void)first;
    }
    free(copy);
    *count = n;
    return names;
oom:
    VERR(k, "out of memory");
fail:
    for (int q = 0; q < n; q++)
        free(names[q]);
    free(names);
    free(copy);
    return NULL;
}

/* The training keys: learning_rate, steps, standardize (into *standardize). */
static int parse_training(ls_file *f, ls_lesson *L, int *standardize, char *err, size_t err_size)
{
    int rc = ls_parse_number(f->v[K_LEARNING_RATE].text, &L->learning_rate);
    if (rc != 0) {
        VERR(K_LEARNING_RATE, "learning_rate '%.40s' %s", f->v[K_LEARNING_RATE].text,
             ls_number_problem(f->v[K_LEARNING_RATE].text, rc));
        return -1;
    }
    if (!(L->learning_rate > 0)) {
        VERR(K_LEARNING_RATE, "learning_rate %.40s: it must be more than 0", f->v[K_LEARNING_RATE].text);
        return -1;
    }
    long v;
    L->steps = 1;
    if (f->v[K_STEPS].text) {
        if (whole(f->v[K_STEPS].text, 1, LS_MAX_STEPS, &v) != 0) {
            VERR(K_STEPS, "steps '%.40s' must be a whole number from 1 to %d", f->v[K_STEPS].text,
                 LS_MAX_STEPS);
            return -1;
        }
        L->steps = (int)v;
    }
    *standardize = 0;
    if (f->v[K_STANDARDIZE].text) {
        const char *t = f->v[K_STANDARDIZE].text;
        if (strcmp(t, "yes") != 0 && strcmp(t, "no") != 0) {
            VERR(K_STANDARDIZE, "standardize is yes or no, not '%.40s'", t);
            return -1;
        }
        *standardize = strcmp(t, "yes") == 0;
    }
    if (f->v[K_IMAGE].text) {
        int N = nn_n_inputs(&L->shape);
        long w = 0, h = 0;
        if (image_size(f->v[K_IMAGE].text, N, &w, &h) != 0) {
            VERR(K_IMAGE, "image '%.40s' must be WIDTHxHEIGHT with width times height the %d inputs "
                 "(as in image = 28x28 for 784)", f->v[K_IMAGE].text, N);
            return -1;
        }
        L->image_w = (int)w;
        L->image_h = (int)h;
    }
    if (f->v[K_SCALE].text) {
        rc = ls_parse_number(f->v[K_SCALE].text, &L->scale);
        if (rc != 0 || !(L->scale > 0) || !isnormal(L->scale)) { /* mutant: scale-subnormal-accepted */
            VERR(K_SCALE, "scale '%.40s' must be a number more than 0, at least %g (the inputs are "
                 "divided by it)", f->v[K_SCALE].text, DBL_MIN);
            return -1;
        }
        if (*standardize) {
            VERR(K_SCALE, "scale and standardize = yes both rescale the inputs: give one of them");
            return -1;
        }
    }
    return 0;
}

/* Where the weights come from: "weights = random SEED" (with init) or a file. */
typedef struct weight_source {
    int random;                   /* random weights, not a file */
    unsigned long long seed;      /* their seed */
    int kaiming;                  /* init = kaiming */
} weight_source;

static int parse_weight_source(ls_file *f, weight_source *ws, char *err, size_t err_size)
{
    const char *wt = f->v[K_WEIGHTS].text;
    ws->random = strncmp(wt, "random", 6) == 0 && (wt[6] == '\0' || wt[6] == ' ' || wt[6] == '\t');
    ws->seed = 0;
    ws->kaiming = 0;
    if (ws->random) {
        const char *s = wt + 6;
        while (*s == ' ' || *s == '\t')
            s++;
        char *end;
        errno = 0;
        ws->seed = strtoull(s, &end, 10);
        if (!isdigit((unsigned char)*s) || *end != '\0' || errno != 0) {
            VERR(K_WEIGHTS, "write 'random SEED' with a whole number SEED, e.g. 'random 42'");
            return -1;
        }
    }
    if (f->v[K_INIT].text) {
        const char *t = f->v[K_INIT].text;
        if (strcmp(t, "normal") != 0 && strcmp(t, "kaiming") != 0) {
            VERR(K_INIT, "init is normal or kaiming, not '%.40s'", t);
            return -1;
        }
        if (!ws->random) {
            VERR(K_INIT, "init applies to 'weights = random SEED' only");
            return -1;
        }
        ws->kaiming = strcmp(t, "kaiming") == 0;
    }
    return 0;
}

static void free_names(char **names, int n)
{
    for (int q = 0; q < n; q++)
        free(names[q]);
    free(names);
}

/* The data file with the inputs and label keys, then the batch size. */
static int load_lesson_data(ls_file *f, ls_lesson *L, const struct stat *self, char *err, size_t err_size)
{
    char *data_path = named_file(f, K_DATA, self, err, err_size);
    if (!data_path)
        return -1;
    char **inputs = NULL;
    int n_inputs = 0, N = nn_n_inputs(&L->shape);
    if (f->v[K_INPUTS].text && !(inputs = split_names(f, K_INPUTS, &n_inputs, err, err_size))) {
        free(data_path);
        return -1;
    }
    if (inputs && n_inputs != N) {
        VERR(K_INPUTS, "inputs names %d column%s but layers gives %d inputs", n_inputs,
             n_inputs == 1 ? "" : "s", N);
        free_names(inputs, n_inputs);
        free(data_path);
        return -1;
    }
    /* the loader's own errors name the data file; a mismatch with the lesson is both */
    int rc = ls_load_data(L, data_path, inputs, n_inputs, f->v[K_LABEL].text, err, err_size);
    free_names(inputs, n_inputs);
    free(data_path);
    if (rc != 0)
        return -1;
    long v;
    L->batch_size = L->n_rows;
    if (f->v[K_BATCH_SIZE].text) {
        if (whole(f->v[K_BATCH_SIZE].text, 1, L->n_rows, &v) != 0) {
            VERR(K_BATCH_SIZE, "batch_size '%.40s' must be a whole number from 1 to %d (the data's rows)",
                 f->v[K_BATCH_SIZE].text, L->n_rows);
            return -1;
        }
        L->batch_size = (int)v;
    }
    if (L->shape.act[L->shape.n_layers] == NN_ACT_SOFTMAX && !L->label) {
        int O = nn_n_outputs(&L->shape);                /* dE/dnet = out - y needs targets summing to 1 */
        for (int r = 0; r < L->n_rows; r++) {
            int ones = 0, others = 0;
            for (int k = 0; k < O; k++) {
                double t = L->y[(size_t)r * O + k];
                ones += t == 1.0;
                others += t != 0.0 && t != 1.0;
            }
            if (ones != 1 || others) { /* mutant: softmax-any-targets */
                VERR(K_DATA, "softmax outputs need one-hot targets, and data row %d is not (one target "
                     "1, the others 0): use a label column", r + 1);
                return -1;
            }
        }
    }
    if (f->v[K_TEST_ROWS].text) {
        int most = L->n_rows - L->batch_size;            /* leave a batch to train on */
        if (most < 1) {
            VERR(K_TEST_ROWS, "test_rows: the data's %d rows leave none to hold out beside a batch of %d "
                 "(set a smaller batch_size)", L->n_rows, L->batch_size);
            return -1;
        }
        if (whole(f->v[K_TEST_ROWS].text, 1, most, &v) != 0) {
            VERR(K_TEST_ROWS, "test_rows '%.40s' must be a whole number from 1 to %d (the data's %d rows "
                 "less a batch of %d)", f->v[K_TEST_ROWS].text, most, L->n_rows, L->batch_size);
            return -1;
        }
        L->test_rows = (int)v;
    }
    if ((long)L->batch_size * nn_widest(&L->shape) > NN_MAX_BATCH_UNITS) { /* mutant: batch-units-unchecked */
        int at = f->v[K_BATCH_SIZE].text ? K_BATCH_SIZE : K_LAYERS;
        VERR(at, "a batch of %d samples through a layer of %d neurons is more than %ld values; "
             "the limit is %ld (set a smaller batch_size)", L->batch_size, nn_widest(&L->shape),
             NN_MAX_BATCH_UNITS, NN_MAX_BATCH_UNITS);
        return -1;
    }
    return 0;
}

/* The starting weights, random or from their file, and how to name where they came from. */
static int load_lesson_weights(ls_file *f, ls_lesson *L, const weight_source *ws, const struct stat *self,
                               char *err, size_t err_size)
{
    char desc[96];
    if (ws->random) {
        if (ls_random_weights(L, ws->seed, ws->kaiming) != 0) {
            VERR(K_WEIGHTS, "out of memory");
            return -1;
        }
        snprintf(desc, sizeof desc, "random, seed %llu, %s", ws->seed,
                 ws->kaiming ? "Kaiming: normal times sqrt(2/fan_in)" : "normal: mean 0, std 1");
    } else {
        char *wpath = named_file(f, K_WEIGHTS, self, err, err_size);
        if (!wpath)
            return -1;
        int rc = ls_load_weights(L, wpath, err, err_size);
        if (rc == LS_EWEIGHT_COUNT) {            /* the layers that need more: their place */
            char what[256];
            snprintf(what, sizeof what, "%s", err);
            VERR(K_LAYERS, "%s where layers = %s needs %d", what, f->v[K_LAYERS].text, ls_n_weights(L));
        }
        const char *base = strrchr(wpath, '/');
        snprintf(desc, sizeof desc, "from %.80s", base ? base + 1 : wpath);
        free(wpath);
        if (rc != 0)
            return -1;
    }
    L->weights_from = strdup(desc);
    return 0;
}

/* The lesson from its parsed keys, in the order the errors are reported. */
static int build(ls_file *f, ls_lesson *L, const struct stat *self, char *err, size_t err_size)
{
    static const int required[] = { K_LAYERS, K_LEARNING_RATE, K_DATA, K_WEIGHTS };
    for (size_t q = 0; q < sizeof required / sizeof required[0]; q++) {
        if (!f->v[required[q]].text) {
            ls_error(err, err_size, f->path, f->end_line, 1, "missing required key '%s'",
                    key_names[required[q]]);
            return -1;
        }
    }
    int standardize;
    weight_source ws;
    if (parse_layers(f, L, err, err_size) != 0 || parse_training(f, L, &standardize, err, err_size) != 0 ||
        parse_weight_source(f, &ws, err, err_size) != 0 || load_lesson_data(f, L, self, err, err_size) != 0)
        return -1;
    if (standardize) {
        size_t n = (size_t)L->n_rows * nn_n_inputs(&L->shape);
        if (!(L->x_raw = malloc(n * sizeof(double)))) {      /* kept for edits (ls_set) */
            ls_error(err, err_size, f->path, 1, 1, "out of memory");
            return -1;
        }
        memcpy(L->x_raw, L->x, n * sizeof(double));
        ls_standardize(L);
    }
    if (load_lesson_weights(f, L, &ws, self, err, err_size) != 0)
        return -1;
    /* title and notes */
    if (f->v[K_TITLE].text) {
        L->title = strdup(f->v[K_TITLE].text);
    } else {
        const char *base = strrchr(f->path, '/');
        L->title = strdup(base ? base + 1 : f->path);
    }
    for (int t = 0; t < 6; t++) {
        const ls_value *v = &f->v[K_NOTE1 + t];
        size_t bad_at;
        char why[LS_ERR_SIZE - 64];
        if (v->text && !(L->notes[t] = strdup(v->text)))
            return -1;
        if (ls_note_parse(L, t, &bad_at, why, sizeof why) != 0) {   /* column of the bad '{' */
            ls_error(err, err_size, f->path, v->line, v->col + col_of(v->text, v->text + bad_at) - 1,
                     "%s", why);
            return -1;
        }
    }
    L->path = strdup(f->path);
    if (!L->weights_from || !L->title || !L->path) {
        ls_error(err, err_size, f->path, 1, 1, "out of memory");
        return -1;
    }
    return 0;
}

ls_lesson *ls_load(const char *path, char *err, size_t err_size)
{
    char *text;
    size_t len;
    struct stat self;
    err[0] = '\0';
    if (ls_read_file(path, &text, &len, err, err_size) != 0)
        return NULL;
    if (stat(path, &self) != 0) {
        snprintf(err, err_size, "%s:1:1: %s", path, strerror(errno));
        free(text);
        return NULL;
    }
    ls_file f = { .path = path };
    ls_lesson *L = calloc(1, sizeof *L);
    if (!L) {
        snprintf(err, err_size, "%s:1:1: out of memory", path);
        free(text);
        return NULL;
    }
    if (len == 0 || strspn(text, " \t\r\n") == len) {
        ls_error(err, err_size, path, 1, 1, "empty lesson file: it needs at least layers, "
                "learning_rate, data and weights");
        goto fail;
    }
    ls_note_read(L, path);
    if (parse_lines(&f, text, len, err, err_size) != 0 || build(&f, L, &self, err, err_size) != 0)
        goto fail;
    free_values(&f);
    free(text);
    return L;
fail:
    if (err[0] == '\0')
        snprintf(err, err_size, "%s:1:1: out of memory", path);
    free_values(&f);
    free(text);
    ls_free(L);
    return NULL;
}

/* Edit distance between two short names (insertions, deletions, changes). */
static int distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    int row[65];
    if (n > 64 || m > 64)
        return 99;
    for (size_t j = 0; j <= m; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= n; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= m; j++) {
            int up = row[j];
            int change = diag + (a[i - 1] != b[j - 1]);
            int v = up + 1 < row[j - 1] + 1 ? up + 1 : row[j - 1] + 1;
            row[j] = v < change ? v : change;
            diag = up;
        }
    }
    return row[m];
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of the lessons in dirs (and the built-in seed), sorted, comma
 * separated, into names; the one nearest to `want` (closer than *best_d)
 * into best. */
static void list_lessons(const char *const *dirs, const char *want, char *names, size_t size,
                         char *best, size_t best_size, int *best_d)
{
    char *found[64];
    int n = 0;
    found[n++] = strdup("seed");
    for (int d = 0; dirs && dirs[d]; d++) {
        DIR *dir = opendir(dirs[d]);
        struct dirent *e;
        while (dir && (e = readdir(dir)) != NULL && n < 64) {
            size_t len = strlen(e->d_name);
            if (len <= 7 || len > 40 || strcmp(e->d_name + len - 7, ".lesson") != 0)
                continue;
            char stem[48];
            snprintf(stem, sizeof stem, "%.*s", (int)(len - 7), e->d_name);
            int dup = 0;
            for (int q = 0; q < n; q++)
                dup |= found[q] && strcmp(found[q], stem) == 0;
            if (!dup)
                found[n++] = strdup(stem);
        }
        if (dir)
            closedir(dir);
    }
    qsort(found, (size_t)n, sizeof found[0], by_name);
    size_t used = 0;
    for (int q = 0; q < n; q++) {
        if (!found[q])
            continue;
        int dq = distance(want, found[q]);
        if (dq < *best_d) {
            *best_d = dq;
            snprintf(best, best_size, "%s", found[q]);
        }
        if (used < size)
            used += (size_t)snprintf(names + used, size - used, "%s%s", used ? ", " : "", found[q]);
        free(found[q]);
    }
}

ls_lesson *ls_open(const char *name, const char *const *dirs, char *err, size_t err_size)
{
    struct stat st;
    int looks_like_path = strchr(name, '/') != NULL ||
                          (strlen(name) > 7 && strcmp(name + strlen(name) - 7, ".lesson") == 0);
    if (looks_like_path || (stat(name, &st) == 0 && S_ISREG(st.st_mode)))
        return ls_load(name, err, err_size);
    char tried[LS_ERR_SIZE / 2] = "";
    for (int d = 0; dirs && dirs[d]; d++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.lesson", dirs[d], name);
        if (stat(path, &st) == 0)
            return ls_load(path, err, err_size);
        size_t used = strlen(tried);
        snprintf(tried + used, sizeof tried - used, "%s%s", used ? ", " : "", dirs[d]);
    }
    if (strcmp(name, "seed") == 0)
        return ls_seed();
    /* the lessons there are, sorted, and the nearest name to a typo */
    char names[LS_ERR_SIZE / 4] = "", best[64] = "";
    int best_d = 3;
    list_lessons(dirs, name, names, sizeof names, best, sizeof best, &best_d);
    if (best[0])
        snprintf(err, err_size, "%s: no such lesson; did you mean %s? (lessons: %s)", name, best, names);
    else
        snprintf(err, err_size, "%s: no such lesson file, and no lesson of that name in %s%s%s%s", name,
                 tried[0] ? tried : "the lessons folders", names[0] ? " (lessons: " : "", names,
                 names[0] ? ")" : "");
    return NULL;
}
