/*
 * train.h - many epochs of mini-batch gradient descent with tracing off:
 * the data split once into training and held-out rows, the training rows
 * shuffled by the project's seeded PRNG every epoch, the loss and (for
 * label data) the accuracies measured after each epoch.  Training itself
 * does no I/O: each epoch is reported to a callback; only tn_write_weights
 * writes, to the stream it is given.
 */
#ifndef TN_TRAIN_H
#define TN_TRAIN_H

#include <stddef.h>

#include "../engine/engine.h"
#include "../lesson/lesson.h"

#define TN_MAX_EPOCHS 1000000

/* Asked between batches whether to go on: non-zero stops the training
 * (tn_train returns TN_STOPPED).  It must not block. */
typedef int (*tn_poll_fn)(void *user);

/* How to train. */
typedef struct tn_options {
    int epochs;                 /* passes over the training rows */
    int batch_size;             /* samples per step (0: the lesson's) */
    double lr;                  /* learning rate (0: the lesson's) */
    unsigned long long seed;    /* shuffling and splitting */
    double test_split;          /* fraction of rows held out, 0 .. 0.9, drawn at random; < 0: the
                                   lesson's test_rows (its last rows), else tn_default_test_split */
    tn_poll_fn poll;            /* called after every batch and every evaluated block, or NULL */
    void *poll_user;            /* passed to poll */
} tn_options;

#define TN_STOPPED 3            /* tn_train: poll asked to stop */

/* What one epoch gave. */
typedef struct tn_epoch {
    int epoch;                  /* from 1; 0 is the state before training */
    long steps;                 /* gradient-descent steps so far */
    double loss;                /* E_final over all training rows, after the epoch */
    double test_loss;           /* the same over the held-out rows (NAN if none) */
    double train_acc;           /* fraction right on the training rows (NAN without labels) */
    double test_acc;            /* fraction right on the held-out rows (NAN if none) */
} tn_epoch;

/* Called after each epoch (and once for epoch 0) with the network as it is
 * then; return non-zero to stop. */
typedef int (*tn_epoch_fn)(void *user, const tn_epoch *e, const nn_net *net);

/*
 * Train a copy of the lesson's network.  Returns 0, 1 when a value or a
 * loss became NaN or infinite (err names the epoch, and the step, stage and
 * symbol of a value; training stops there and the epoch is not reported),
 * 2 when the options do not fit the lesson (err says why), TN_STOPPED when
 * opt->poll asked to stop (the epochs reported so far stand), or -1 out of
 * memory.
 * *trained (if not NULL) receives the final network (free with nn_net_free);
 * after 1, the weights of the last epoch whose loss was finite.
 */
int tn_train(const ls_lesson *lesson, const tn_options *opt, tn_epoch_fn fn, void *user,
             nn_net **trained, char *err, size_t err_size);

/* The BLAS path for training (fast.c): one gradient-descent step, tracing
 * off, the same formulas as the engine to about 1e-15 relative.  Returns
 * NN_OK, NN_EARG, or NN_ENONFINITE with the network unchanged. */
typedef struct tn_fast tn_fast;
/* NULL with err set when out of memory or OpenBLAS cannot be loaded. */
tn_fast *tn_fast_new(const nn_net *shape, int max_batch, char *err, size_t err_size);
const char *tn_fast_core(const tn_fast *f);   /* OpenBLAS's kernel: "Haswell", ... */
/* Whether a batch of 1 goes through dgemv and dger instead of dgemm (chosen
 * by the kernel's name, measured faster there); tn_fast_form sets it, for
 * the tests and make bench, which take both forms to the same weights. */
int tn_fast_vectors(const tn_fast *f);
void tn_fast_form(tn_fast *f, int vectors);
/* E_final of batch x (n rows, n <= max_batch) through the BLAS path, for
 * measuring an epoch (NAN if n does not fit); tn_fast_outputs: its
 * outputs, (n, O) sample-major, until the next call. */
double tn_fast_loss(tn_fast *f, const nn_net *net, const double *x, const double *y, int n);
const double *tn_fast_outputs(const tn_fast *f);
/* make bench's ceiling: the matrix products of one tn_fast_step on batch x
 * (n rows), alone (no activations, no update; the weights are unchanged). */
int tn_fast_products(tn_fast *f, const nn_net *net, const double *x, int n);
/* The floating-point operations of those products for n samples: 2 per
 * multiply-add, 4 I J per layer of I x J weights and 2 I J more for each
 * layer whose delta goes back (biases and element-wise work not counted). */
double tn_fast_flops(const nn_net *shape, int n);
void tn_fast_free(tn_fast *f);
/* The step updates the weights inside the last matrix product when no
 * value can overflow: it needs a bound on |w|, which it keeps for the
 * weights it updated last (net->w) instead of reading them all again, so
 * nothing else may change them between two steps (train.c's engine redo
 * follows a failed step, and a step that fails has forgotten the bound). */
int tn_fast_step(tn_fast *f, nn_net *net, const double *x, const double *y, int n, double lr);

/* The held-out fraction when none is asked for: 0.2 from 50 rows on, else 0. */
double tn_default_test_split(const ls_lesson *lesson);

/* Write a network's weights as a from,to,value CSV (%.17g values) to fp. */
int tn_write_weights(const nn_net *net, void *fp);

#endif
