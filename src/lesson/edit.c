/*
 * edit.c - changing a lesson's numbers as editing its files would: a
 * starting weight, the learning rate, an input or a target of the first
 * step's batch (ls_set), and a deep copy to edit (ls_copy).
 */
#include "lesson.h"
#include "../text/text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The shortest %g that reads back to v. */
static void shortest(double v, char buf[40])
{
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, 40, "%.*g", p, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

/* Join the edit "NAME = NEW (was OLD)" to the lesson's list of edits, and
 * say what it was in *done. */
static int note_edit(ls_lesson *L, const char *name, double was, double now, ls_edit *done)
{
    char one[160], a[40], b[40];
    if (done) {
        snprintf(done->name, sizeof done->name, "%s", name);
        done->was = was;
        done->now = now;
    }
    shortest(now, a);
    shortest(was, b);
    snprintf(one, sizeof one, "%s = %s (was %s)", name, a, b);
    size_t old = L->edits ? strlen(L->edits) : 0, add = strlen(one);
    char *more = realloc(L->edits, old + add + 3);
    if (!more)
        return -1;
    if (old)
        memcpy(more + old, "; ", 2), old += 2;
    memcpy(more + old, one, add + 1);
    L->edits = more;
    return 0;
}

/* A whole number 1..max at *p, moving *p past it; 0 when there is none. */
static int index_at(const char **p, int max)
{
    long v = 0;
    const char *s = *p;
    if (*s < '1' || *s > '9')
        return 0;
    while (*s >= '0' && *s <= '9' && v <= max)
        v = v * 10 + (*s++ - '0');
    *p = s;
    return v >= 1 && v <= max ? (int)v : -1;
}

int ls_set(ls_lesson *L, const char *assignment, ls_edit *done, char *err, size_t err_size)
{
    int N = nn_n_inputs(&L->shape), O = nn_n_outputs(&L->shape), W = ls_n_weights(L);
    const char *eq = strchr(assignment, '=');
    char name[64], q[LS_ERR_SIZE];
    tx_sanitize(assignment, q, sizeof q);
    if (!eq || eq == assignment || (size_t)(eq - assignment) >= sizeof name) {
        snprintf(err, err_size, "--set '%s': write NAME=VALUE, e.g. w5=0.3, eta=0.5, X1.x2=0.7 or X1.y1=1", q);
        return -1;
    }
    snprintf(name, sizeof name, "%.*s", (int)(eq - assignment), assignment);
    double v;
    int rc = ls_parse_number(eq + 1, &v);
    if (rc != 0) {
        char vq[LS_ERR_SIZE];
        tx_sanitize(eq + 1, vq, sizeof vq);
        snprintf(err, err_size, "--set '%s': '%s' %s", q, vq, ls_number_problem(eq + 1, rc));
        return -1;
    }
    const char *p = name;
    if (strcmp(name, "eta") == 0) {
        if (!(v > 0)) {
            snprintf(err, err_size, "--set '%s': the learning rate must be more than 0", q);
            return -1;
        }
        double was = L->learning_rate;
        L->learning_rate = v;
        return note_edit(L, "eta", was, v, done);
    }
    if (*p == 'w') {
        p++;
        int m = index_at(&p, W);
        if (m <= 0 || *p) {
            snprintf(err, err_size, "--set '%s': no weight %s (the network has w1..w%d)", q, name, W);
            return -1;
        }
        double was = L->weights[m - 1];
        L->weights[m - 1] = v; /* mutant: set-weight-off-by-one */
        return note_edit(L, name, was, v, done);
    }
    if (*p == 'X') {
        p++;
        int s = index_at(&p, L->batch_size);
        int input = p[0] == '.' && p[1] == 'x', target = p[0] == '.' && p[1] == 'y';
        if (s <= 0 || !(input || target)) {
            snprintf(err, err_size, "--set '%s': no %s (a sample is X1..X%d of the first step's batch, then "
                     ".x<i> or .y<k>)", q, name, L->batch_size);
            return -1;
        }
        p += 2;
        int u = index_at(&p, input ? N : O);
        if (u <= 0 || *p) {
            snprintf(err, err_size, "--set '%s': no %s (inputs x1..x%d, targets y1..y%d)", q, name, N, O);
            return -1;
        }
        int r = ls_batch_row(L, 1, s - 1);
        if (target && L->shape.act[L->shape.n_layers] == NN_ACT_SOFTMAX) {
            snprintf(err, err_size, "--set '%s': softmax targets are one-hot (one 1, the others 0), so one "
                     "alone cannot change; change the sample's label in the data", q);
            return -1;
        }
        if (target) {
            double was = L->y[(size_t)r * O + u - 1];
            L->y[(size_t)r * O + u - 1] = v;
            return note_edit(L, name, was, v, done);
        }
        /* an input: in the data as read; standardized inputs are made again from it,
         * scaled ones divided (the number as read: 15 digits give it back) */
        if (L->scale > 0) {
            char back[32];
            snprintf(back, sizeof back, "%.15g", L->x[(size_t)r * N + u - 1] * L->scale);
            L->x[(size_t)r * N + u - 1] = v / L->scale;
            return note_edit(L, name, strtod(back, NULL), v, done);
        }
        double *raw = L->x_raw ? L->x_raw : L->x;
        double was = raw[(size_t)r * N + u - 1];
        raw[(size_t)r * N + u - 1] = v;
        if (L->x_raw) {
            memcpy(L->x, L->x_raw, (size_t)L->n_rows * N * sizeof(double));
            ls_standardize(L);
        }
        return note_edit(L, name, was, v, done);
    }
    snprintf(err, err_size, "--set '%s': %s is not a weight (w5), eta, an input (X1.x2) or a target (X1.y1)",
             q, name);
    return -1;
}

static void *dup_mem(const void *src, size_t size, int *ok)
{
    if (!src)
        return NULL;
    void *p = malloc(size ? size : 1);
    if (!p)
        *ok = 0;
    else
        memcpy(p, src, size);
    return p;
}

static char *dup_str(const char *s, int *ok)
{
    return s ? dup_mem(s, strlen(s) + 1, ok) : NULL;
}

ls_lesson *ls_copy(const ls_lesson *L)
{
    int N = nn_n_inputs(&L->shape), O = nn_n_outputs(&L->shape), ok = 1;
    size_t rows = (size_t)L->n_rows;
    ls_lesson *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    *c = *L;
    c->title = dup_str(L->title, &ok);
    c->path = dup_str(L->path, &ok);
    c->x = dup_mem(L->x, rows * N * sizeof(double), &ok);
    c->x_raw = dup_mem(L->x_raw, rows * N * sizeof(double), &ok);
    c->y = dup_mem(L->y, rows * O * sizeof(double), &ok);
    c->label = dup_mem(L->label, rows * sizeof(int), &ok);
    c->weights = dup_mem(L->weights, (size_t)ls_n_weights(L) * sizeof(double), &ok);
    c->weights_from = dup_str(L->weights_from, &ok);
    c->edits = dup_str(L->edits, &ok);
    c->input_names = L->input_names ? calloc((size_t)N, sizeof(char *)) : NULL;
    if (L->input_names && !c->input_names)
        ok = 0;
    for (int i = 0; c->input_names && i < N; i++)
        c->input_names[i] = dup_str(L->input_names[i], &ok);
    for (int t = 0; t < 6; t++)
        c->notes[t] = dup_str(L->notes[t], &ok);
    c->refs = L->n_refs ? dup_mem(L->refs, (size_t)L->n_refs * sizeof *L->refs, &ok) : NULL;
    if (!ok) {
        ls_free(c);
        errno = ENOMEM;
        return NULL;
    }
    return c;
}
