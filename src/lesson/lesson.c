/*
 * lesson.c - the built-in seed lesson, freeing, batches, numbers and the
 * project's seeded PRNG.
 */
#include "lesson.h"
#include "../text/text.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char *dup_str(const char *s)
{
    size_t len = strlen(s) + 1;
    char *copy = malloc(len);
    if (copy)
        memcpy(copy, s, len);
    return copy;
}

ls_lesson *ls_seed(void)
{
    /* The walkthrough's network: w1..w12 in its numbering. */
    static const double weights[12] = {
        0.1, 0.2, 0.1, 0.1,     /* x1->h1, x1->h2, x2->h1, x2->h2 */
        0.1, 0.1, 0.1, 0.2,     /* h1->o1, h1->o2, h2->o1, h2->o2 */
        0.1, 0.1,               /* 1->h1, 1->h2 */
        0.1, 0.1,               /* 1->o1, 1->o2 */
    };
    static const double x[4] = { 0.1, 0.1, 0.1, 0.2 };
    static const int label[2] = { 0, 1 };
    static const char *const notes[6] = {
        "Each hidden neuron adds up its weighted inputs and its bias (the bias input "
        "is always 1), then squashes the sum with the sigmoid 1/(1 + e^(-z)).",
        "The output layer does the same with the hidden outputs as its inputs.",
        "The loss compares the outputs with the one-hot targets: label 0 means (1, 0), "
        "label 1 means (0, 1). E_final, here {E_final}, is the mean over the batch of "
        "E_total = 1/2 ||out - y||^2.",
        "The chain rule, from the loss back to each output weight: how the loss moves "
        "with the output, how the output moves with its net input, and how the net "
        "input moves with the weight (the hidden output it multiplies). The batch "
        "gradient is the mean over the samples.",
        "Each hidden output feeds both output neurons, so its share of the error is "
        "the sum of what flows back from each of them, through the weight that "
        "connects them. Then the same chain rule as in stage 4 reaches the hidden "
        "weights.",
        "Every weight takes a small step against its gradient: w = w - eta * dE_final/dw "
        "with eta = {eta}. (The article's table truncates its values where these are "
        "correctly rounded, so a last digit may differ by one.)",
    };
    ls_lesson *L = calloc(1, sizeof *L);
    if (!L)
        return NULL;
    static const int sizes[3] = { 2, 2, 2 };
    nn_shape_init(&L->shape, 2, sizes, NULL, NN_LOSS_QUADRATIC);
    L->learning_rate = 0.1;
    L->steps = 1;
    L->batch_size = 2;
    L->n_rows = 2;
    L->title = dup_str("Seed: the 2-2-2 network of the walkthrough");
    L->path = dup_str("(built-in)");
    L->weights_from = dup_str("the walkthrough's figure");
    L->x = malloc(sizeof x);
    L->y = calloc(4, sizeof(double));
    L->label = malloc(sizeof label);
    L->weights = malloc(sizeof weights);
    L->input_names = calloc(2, sizeof(char *));
    if (!L->title || !L->path || !L->weights_from || !L->x || !L->y || !L->label ||
        !L->weights || !L->input_names)
        goto fail;
    memcpy(L->x, x, sizeof x);
    memcpy(L->label, label, sizeof label);
    memcpy(L->weights, weights, sizeof weights);
    for (int s = 0; s < 2; s++)
        L->y[s * 2 + label[s]] = 1.0;
    L->input_names[0] = dup_str("x1");
    L->input_names[1] = dup_str("x2");
    if (!L->input_names[0] || !L->input_names[1])
        goto fail;
    for (int t = 0; t < 6; t++) {
        size_t bad_at;
        char why[LS_ERR_SIZE];
        if (!(L->notes[t] = dup_str(notes[t])) || ls_note_parse(L, t, &bad_at, why, sizeof why) != 0)
            goto fail;
    }
    return L;
fail:
    ls_free(L);
    return NULL;
}

void ls_free(ls_lesson *L)
{
    if (!L)
        return;
    free(L->title);
    free(L->path);
    free(L->x);
    free(L->x_raw);
    free(L->y);
    free(L->label);
    if (L->input_names)
        for (int i = 0; i < nn_n_inputs(&L->shape); i++)
            free(L->input_names[i]);
    free(L->input_names);
    free(L->weights);
    free(L->weights_from);
    for (int t = 0; t < 6; t++)
        free(L->notes[t]);
    free(L->refs);
    free(L->edits);
    free(L);
}

int ls_n_weights(const ls_lesson *L)
{
    return L->shape.n_weights;
}

nn_net *ls_net(const ls_lesson *L)
{
    nn_net *net = nn_net_new_shape(&L->shape);
    if (net)
        memcpy(net->w, L->weights, (size_t)net->n_weights * sizeof(double));
    return net;
}

void ls_describe(const ls_lesson *L, char *buf, size_t size)
{
    const nn_net *sh = &L->shape;
    int n = 0, same = 1;
    for (int l = 2; l <= sh->n_layers; l++)
        same &= sh->act[l] == sh->act[1];
    if (sh->n_layers == 2)
        n = snprintf(buf, size, "%d input%s, %d hidden neuron%s, %d output%s; ", sh->size[0],
                     sh->size[0] == 1 ? "" : "s", sh->size[1], sh->size[1] == 1 ? "" : "s",
                     sh->size[2], sh->size[2] == 1 ? "" : "s");
    else {
        n = snprintf(buf, size, "%d input%s, %d hidden layers (", sh->size[0], sh->size[0] == 1 ? "" : "s",
                     sh->n_layers - 1);
        for (int l = 1; l < sh->n_layers && n < (int)size; l++)
            n += snprintf(buf + n, size - (size_t)n, "%s%d", l > 1 ? ", " : "", sh->size[l]);
        n += snprintf(buf + n, size > (size_t)n ? size - (size_t)n : 0, " neurons), %d output%s; ",
                      sh->size[sh->n_layers], sh->size[sh->n_layers] == 1 ? "" : "s");
    }
    if (same)
        n += snprintf(buf + n, size > (size_t)n ? size - (size_t)n : 0, "%s activations; ", nn_act_name(sh->act[1]));
    else
        for (int l = 1; l <= sh->n_layers; l++)
            n += snprintf(buf + n, size > (size_t)n ? size - (size_t)n : 0, "%s%s%s", l > 1 ? ", " : "activations ",
                          nn_act_name(sh->act[l]), l == sh->n_layers ? "; " : "");
    snprintf(buf + n, size > (size_t)n ? size - (size_t)n : 0, "%s loss",
             sh->loss != NN_LOSS_CROSS_ENTROPY ? "quadratic"
             : sh->act[sh->n_layers] == NN_ACT_SOFTMAX ? "categorical cross-entropy" : "cross-entropy");
}

const double *ls_image_row(const ls_lesson *L, int row, double *lo, double *hi)
{
    int N = nn_n_inputs(&L->shape);
    const double *px = (L->x_raw ? L->x_raw : L->x) + (size_t)row * (size_t)N;
    *lo = *hi = px[0];
    for (int i = 1; i < N; i++) {
        *lo = px[i] < *lo ? px[i] : *lo;
        *hi = px[i] > *hi ? px[i] : *hi; /* mutant: image-range-wrong */
    }
    return px;
}

void ls_note_read(ls_lesson *L, const char *path)
{
    struct stat st;
    if (L->n_read < LS_MAX_READ && stat(path, &st) == 0)
        L->read[L->n_read++] = (ls_file_id){ (unsigned long long)st.st_dev, (unsigned long long)st.st_ino };
}

int ls_was_read(const ls_lesson *L, unsigned long long dev, unsigned long long ino)
{
    for (int q = 0; q < L->n_read; q++)
        if (L->read[q].dev == dev && L->read[q].ino == ino)
            return 1;
    return 0;
}

int ls_batch_row(const ls_lesson *L, int step, int s)
{
    long first = (long)(step - 1) * L->batch_size;
    return (int)((first + s) % (L->n_rows - L->test_rows));   /* never a held-out row */
}

void ls_batch(const ls_lesson *L, int step, double *x, double *y)
{
    int N = nn_n_inputs(&L->shape), O = nn_n_outputs(&L->shape);   /* inputs, outputs */
    for (int s = 0; s < L->batch_size; s++) {
        int r = ls_batch_row(L, step, s);
        memcpy(x + (size_t)s * N, L->x + (size_t)r * N, (size_t)N * sizeof(double));
        memcpy(y + (size_t)s * O, L->y + (size_t)r * O, (size_t)O * sizeof(double));
    }
}

/* Decimal syntax only: [+-] digits [. digits] [e [+-] digits], with at least
 * one digit before the exponent.  No hex, inf, nan, or spaces. */
static int is_decimal(const char *t)
{
    int digits = 0;
    if (*t == '+' || *t == '-')
        t++;
    while (isdigit((unsigned char)*t)) { t++; digits++; }
    if (*t == '.') {
        t++;
        while (isdigit((unsigned char)*t)) { t++; digits++; }
    }
    if (!digits)
        return 0;
    if (*t == 'e' || *t == 'E') {
        t++;
        if (*t == '+' || *t == '-')
            t++;
        if (!isdigit((unsigned char)*t))
            return 0;
        while (isdigit((unsigned char)*t))
            t++;
    }
    return *t == '\0';
}

/* The common case, read without strtod and exactly as it reads it: up to 15
 * digits with an optional point and no exponent is an integer m < 2^53 over
 * 10^k with k <= 22, both exact doubles, so the one division is correctly
 * rounded (Clinger's fast path).  1 when done, 0 when strtod must read it. */
static int simple_decimal(const char *t, double *out)
{
    static const double pow10[23] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                      1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };
    int neg = *t == '-', digits = 0, after = -1;
    long long m = 0;
    if (*t == '-' || *t == '+')
        t++;
    for (;; t++) {
        if (*t >= '0' && *t <= '9') {
            if (++digits > 15)
                return 0;
            m = m * 10 + (*t - '0');
            if (after >= 0)
                after++;
        } else if (*t == '.' && after < 0) {
            after = 0;
        } else {
            break;
        }
    }
    if (*t != '\0' || digits == 0)
        return 0;
    double v = (double)m / pow10[after > 0 ? after : 0]; /* mutant: fast-number-inexact */
    *out = neg ? -v : v;
    return 1;
}

int ls_parse_number(const char *text, double *out)
{
    if (simple_decimal(text, out))
        return 0;
    if (!is_decimal(text))
        return -1;
    /* The program keeps LC_NUMERIC at "C" (see cli/main.c), so strtod reads "." */
    errno = 0;
    char *end = NULL;
    double v = strtod(text, &end);
    if (*end != '\0')
        return -1;
    if (!isfinite(v))
        return -2;
    *out = v;
    return 0;
}

void ls_error(char *err, size_t size, const char *path, long line, long col, const char *fmt, ...)
{
    char msg[LS_ERR_SIZE], safe[LS_ERR_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* one line, always: text quoted from a file may hold line breaks */
    snprintf(err, size, "%s:%ld:%ld: %s", path, line, col, (tx_sanitize(msg, safe, sizeof safe), safe));
}

const char *ls_number_problem(const char *text, int rc)
{
    if (*text == '\0')
        return "is empty where a number is needed";
    if (rc == -2)
        return "is out of range for a double";
    static const char *const words[] = { "nan", "inf" };
    for (int w = 0; w < 2; w++)
        for (const char *p = text; *p; p++)
            if (tolower((unsigned char)p[0]) == words[w][0] && tolower((unsigned char)p[1]) == words[w][1] &&
                tolower((unsigned char)p[2]) == words[w][2])
                return "is not allowed: NaN and infinity are not numbers a lesson can use";
    return "is not a number";
}

/* ------------------------------------------------------------------ PRNG */

static unsigned long long splitmix64(unsigned long long *x)
{
    unsigned long long z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static unsigned long long rotl(unsigned long long v, int k)
{
    return (v << k) | (v >> (64 - k));
}

void ls_rng_seed(ls_rng *rng, unsigned long long seed)
{
    for (int q = 0; q < 4; q++)
        rng->s[q] = splitmix64(&seed);
}

unsigned long long ls_rng_next(ls_rng *rng)
{
    unsigned long long *s = rng->s;
    unsigned long long result = rotl(s[1] * 5, 7) * 9;
    unsigned long long t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double ls_rng_uniform(ls_rng *rng)
{
    return (double)(ls_rng_next(rng) >> 11) * (1.0 / 9007199254740992.0);
}

double ls_rng_normal(ls_rng *rng)
{
    /* Box-Muller; one of the pair, so the stream is simple to reproduce. */
    double u1 = ls_rng_uniform(rng), u2 = ls_rng_uniform(rng);
    if (u1 < 1e-300)
        u1 = 1e-300;
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}
