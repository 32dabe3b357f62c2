/*
 * train.c - mini-batch gradient descent over many epochs, tracing off.
 */
#include "train.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EVAL_BATCH 256   /* rows evaluated at once when measuring loss and accuracy */

/* Loss and accuracy of the network over the given rows, through the BLAS
 * path (as the steps: the engine's readable loops made two fifths of a
 * whole run); -1 when opt->poll asked to stop. */
static int evaluate(const ls_lesson *L, const tn_options *opt, tn_fast *eval, const nn_net *net,
                    const int *rows, int n, double *x, double *y, double *loss, double *acc)
{
    int N = nn_n_inputs(&L->shape), O = nn_n_outputs(&L->shape), right = 0;
    double sum = 0.0;
    for (int first = 0; first < n; first += EVAL_BATCH) {
        if (opt->poll && opt->poll(opt->poll_user))
            return -1;
        int count = n - first < EVAL_BATCH ? n - first : EVAL_BATCH, next = 1;
        for (int s = 1; s < count && next; s++)
            next = rows[first + s] == rows[first] + s; /* mutant: eval-rows-assumed-in-order */
        const double *bx = L->x + (size_t)rows[first] * N, *by = L->y + (size_t)rows[first] * O;
        if (!next) {                  /* rows apart: gathered; rows in a run are read where they are */
            for (int s = 0; s < count; s++) {
                memcpy(x + (size_t)s * N, L->x + (size_t)rows[first + s] * N, (size_t)N * sizeof(double));
                memcpy(y + (size_t)s * O, L->y + (size_t)rows[first + s] * O, (size_t)O * sizeof(double));
            }
            bx = x;
            by = y;
        }
        sum += tn_fast_loss(eval, net, bx, by, count) * count;
        const double *out = tn_fast_outputs(eval);
        for (int s = 0; L->label && s < count; s++)
            right += nn_answer(out + (size_t)s * O, O) == L->label[rows[first + s]];
    }
    *loss = n ? sum / n : NAN;
    *acc = n && L->label ? (double)right / n : NAN;
    return 0;
}

/* Fisher-Yates: rows[0..n) in a random order drawn from rng. */
static void shuffle(ls_rng *rng, int *rows, int n)
{
    for (int r = n - 1; r > 0; r--) {
        int q = (int)(ls_rng_next(rng) % (unsigned long long)(r + 1));
        int t = rows[r];
        rows[r] = rows[q];
        rows[q] = t;
    }
}

static int by_row(const void *a, const void *b)
{
    int p = *(const int *)a, q = *(const int *)b;
    return (p > q) - (p < q);
}

double tn_default_test_split(const ls_lesson *L)
{
    return L->n_rows >= 50 ? 0.2 : 0.0;      /* a fifth of data sets of 50 rows or more */
}

/* Loss and accuracy on the training rows and, if any, the held-out rows,
 * into e; -1 when opt->poll asked to stop. */
static int measure(const ls_lesson *L, const tn_options *opt, tn_fast *eval, const nn_net *net,
                   const int *train, int n_train, const int *test, int n_test, double *x, double *y,
                   tn_epoch *e)
{
    if (evaluate(L, opt, eval, net, train, n_train, x, y, &e->loss, &e->train_acc) != 0)
        return -1;
    return n_test ? evaluate(L, opt, eval, net, test, n_test, x, y, &e->test_loss, &e->test_acc) : 0;
}

/* The batch size training uses (the option's, else the lesson's, cut to the
 * training rows when the lesson takes the whole data); 0, or 2 with err. */
static int batch_for(const ls_lesson *L, const tn_options *opt, int n_train, int n_test, int *B,
                     char *err, size_t err_size)
{
    *B = opt->batch_size ? opt->batch_size : L->batch_size;
    if (!opt->batch_size && *B > n_train) {
        if (L->batch_size != L->n_rows) {
            snprintf(err, err_size, "the lesson's batch_size %d is more than the %d rows left to "
                     "train on after holding out %d (--test-split %g); give --batch-size",
                     L->batch_size, n_train, n_test, opt->test_split < 0 ? tn_default_test_split(L) : opt->test_split);
            return 2;
        }
        *B = n_train;                 /* the lesson's whole data: the whole training part */
    }
    if (*B < 1 || *B > n_train) {
        snprintf(err, err_size, "--batch-size %d: it must be from 1 to %d (the training rows)", *B, n_train);
        return 2;
    }
    if ((long)*B * nn_widest(&L->shape) > NN_MAX_BATCH_UNITS) {
        snprintf(err, err_size, "--batch-size %d through a layer of %d neurons is more than %ld "
                 "values; the limit is %ld", *B, nn_widest(&L->shape), NN_MAX_BATCH_UNITS, NN_MAX_BATCH_UNITS);
        return 2;
    }
    return 0;
}

/* What one training run works with. */
typedef struct tn_run {
    const ls_lesson *L;       /* the lesson */
    const tn_options *opt;    /* its options */
    nn_net *net;              /* the weights being trained */
    nn_ctx *ctx;              /* the engine, to say where a value stopped being finite */
    tn_fast *fast;            /* the BLAS path every step takes */
    double *x, *y;            /* one batch */
    int B;                    /* samples per batch */
    double lr;                /* eta */
} tn_run;

/* One epoch over the training rows train[0..n_train-1], in batches of B:
 * 0, TN_STOPPED when the poll says stop, 1 with err after a failed step. */
static int train_epoch(tn_run *r, int epoch, const int *train, int n_train, tn_epoch *e,
                       char *err, size_t err_size)
{
    const ls_lesson *L = r->L;
    int N = nn_n_inputs(&L->shape), O = nn_n_outputs(&L->shape);
    for (int first = 0; first < n_train; first += r->B) {
        int count = n_train - first < r->B ? n_train - first : r->B;
        if (r->opt->poll && r->opt->poll(r->opt->poll_user))
            return TN_STOPPED;
        for (int s = 0; s < count; s++) {
            memcpy(r->x + (size_t)s * N, L->x + (size_t)train[first + s] * N, (size_t)N * sizeof(double));
            memcpy(r->y + (size_t)s * O, L->y + (size_t)train[first + s] * O, (size_t)O * sizeof(double));
        }
        e->steps++;
        /* the BLAS path; when a value is not finite, the engine redoes the step to say where */
        int step_rc = tn_fast_step(r->fast, r->net, r->x, r->y, count, r->lr);
        if (step_rc == NN_ENONFINITE)
            step_rc = nn_step(r->ctx, r->net, r->x, r->y, count, r->lr, (int)(e->steps % 2000000000), NULL);
        if (step_rc == NN_ENONFINITE) {
            char what[160];
            nn_ctx_nonfinite_text(r->ctx, what, sizeof what);
            snprintf(err, err_size, "epoch %d, step %ld, %s", epoch, e->steps, what);
            return 1;
        }
        if (step_rc != NN_OK) {
            snprintf(err, err_size, "the engine refused a batch (code %d)", step_rc);
            return 1;
        }
    }
    return 0;
}

/* A drawn split standardizes by its own training rows (the lesson's scale is that of
 * all its rows but its test_rows): *own is then a copy of the lesson so scaled, else NULL. */
static int split_scale(const ls_lesson *L, int last_rows, const int *train, int n_train, ls_lesson **own)
{
    *own = NULL;
    if (last_rows || !L->standardized || !L->x_raw)
        return 0;
    if (!(*own = ls_copy(L)))
        return -1;
    ls_standardize_rows(*own, train, n_train);
    return 0;
}

/* Whether epoch e's loss (or, with held-out rows, their loss) overflowed: then
 * err says so, in one line. */
static int loss_not_finite(const tn_epoch *e, int n_test, char *err, size_t err_size)
{
    if (isfinite(e->loss) && (!n_test || isfinite(e->test_loss))) /* mutant: train-loss-nonfinite-unchecked */
        return 0;
    char num[32];
    double bad = isfinite(e->loss) ? e->test_loss : e->loss;
    snprintf(num, sizeof num, "%s", isnan(bad) ? "nan" : bad > 0 ? "inf" : "-inf");
    snprintf(err, err_size, "epoch %d: the %sloss is %s, not a finite number (try a smaller "
             "learning rate)", e->epoch, isfinite(e->loss) ? "held-out " : "", num);
    return 1;
}

int tn_train(const ls_lesson *L, const tn_options *opt, tn_epoch_fn fn, void *user,
             nn_net **trained, char *err, size_t err_size)
{
    int last_rows = opt->test_split < 0 && L->test_rows > 0;   /* the lesson's held-out rows */ /* mutant: test-rows-ignored */
    double split = opt->test_split < 0 ? tn_default_test_split(L) : opt->test_split;
    int n_test = last_rows ? L->test_rows : (int)floor(L->n_rows * split);
    int n_train = L->n_rows - n_test, B;
    if (n_train < 1) {
        snprintf(err, err_size, "--test-split %g leaves no rows to train on", opt->test_split);
        return 2;
    }
    if (batch_for(L, opt, n_train, n_test, &B, err, err_size) != 0)
        return 2;
    int rc = -1, N = nn_n_inputs(&L->shape), O = nn_n_outputs(&L->shape);
    ls_lesson *own = NULL;                  /* the lesson scaled by a drawn split's training rows */
    int eval_n = EVAL_BATCH, max_b = B > eval_n ? B : eval_n;
    tn_run r = { L, opt, ls_net(L), NULL, NULL, NULL, NULL, B, opt->lr > 0 ? opt->lr : L->learning_rate };
    r.ctx = r.net ? nn_ctx_new(r.net, B) : NULL;
    char why[160] = "out of memory";
    r.fast = r.net ? tn_fast_new(r.net, B, why, sizeof why) : NULL;
    tn_fast *eval = r.fast ? tn_fast_new(r.net, eval_n, why, sizeof why) : NULL;
    int *order = malloc((size_t)L->n_rows * sizeof(int)), *sorted = malloc((size_t)L->n_rows * sizeof(int));
    double *good = r.net ? malloc((size_t)r.net->n_weights * sizeof(double)) : NULL;   /* last finite */
    r.x = malloc((size_t)max_b * (size_t)N * sizeof(double));
    r.y = malloc((size_t)max_b * (size_t)O * sizeof(double));
    if (!r.net || !r.ctx || !r.fast || !eval || !order || !sorted || !good || !r.x || !r.y) {
        snprintf(err, err_size, "%s", r.net && (!r.fast || !eval) ? why : "out of memory");
        goto done;
    }
    ls_rng rng;
    ls_rng_seed(&rng, opt->seed);
    /* split: shuffle all rows once, the last n_test held out (or the lesson's last rows) */
    for (int q = 0; q < L->n_rows; q++)
        order[q] = q;
    if (!last_rows)
        shuffle(&rng, order, L->n_rows);
    int *train = order, *test = order + n_train;
    if (split_scale(L, last_rows, train, n_train, &own) != 0) {
        snprintf(err, err_size, "out of memory");
        goto done;
    }
    if (own)
        L = r.L = own;
    /* the training rows measured in row order, so that runs of rows are read
     * in place (the held-out rows are a run when they are the lesson's last) */
    memcpy(sorted, train, (size_t)n_train * sizeof(int));
    qsort(sorted, (size_t)n_train, sizeof(int), by_row);
    tn_epoch e = { 0, 0, 0, NAN, NAN, NAN };
    if (measure(L, opt, eval, r.net, sorted, n_train, test, n_test, r.x, r.y, &e) != 0) {
        rc = TN_STOPPED;
        goto done;
    }
    if (fn && fn(user, &e, r.net) != 0) {
        rc = 0;
        goto done;
    }
    rc = 0;
    int good_epoch = 0;                          /* the last epoch whose losses were finite */
    for (int epoch = 1; epoch <= opt->epochs && rc == 0; epoch++) {
        memcpy(good, r.net->w, (size_t)r.net->n_weights * sizeof(double));
        shuffle(&rng, train, n_train);          /* the training rows, every epoch */
        if ((rc = train_epoch(&r, epoch, train, n_train, &e, err, err_size)) != 0)
            break;
        e.epoch = epoch;
        if (measure(L, opt, eval, r.net, sorted, n_train, test, n_test, r.x, r.y, &e) != 0) {
            rc = TN_STOPPED;
            goto done;
        }
        if (loss_not_finite(&e, n_test, err, err_size)) {
            rc = 1;
            break;
        }
        good_epoch = epoch;
        if (fn && fn(user, &e, r.net) != 0)
            break;
    }
    if (rc == 1) {                               /* training stopped: the last finite weights */
        memcpy(r.net->w, good, (size_t)r.net->n_weights * sizeof(double)); /* mutant: train-last-finite-not-kept */
        size_t len = strlen(err);
        snprintf(err + len, err_size - len, "; the weights are epoch %d's, the last whose loss was finite",
                 good_epoch);
    } else if (rc != 0) {
        goto done;
    }
    if (trained) {
        *trained = r.net;
        r.net = NULL;
    }
done:
    free(good);
    free(order);
    free(sorted);
    free(r.x);
    free(r.y);
    nn_ctx_free(r.ctx);
    tn_fast_free(r.fast);
    tn_fast_free(eval);
    nn_net_free(r.net);
    ls_free(own);
    return rc;
}

int tn_write_weights(const nn_net *net, void *out)
{
    FILE *fp = out;
    char from[32], to[32];
    fputs("from,to,value\n", fp);
    for (int m = 0; m < net->n_weights; m++) {
        nn_w_ends(net, m, from, sizeof from, to, sizeof to);
        fprintf(fp, "%s,%s,%.17g\n", from, to, net->w[m]);
    }
    return ferror(fp) ? -1 : 0;
}
