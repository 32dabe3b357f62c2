/*
 * fast.c - one gradient-descent step for training, with the matrix products
 * done by BLAS (OpenBLAS, one thread).  The same formulas as the engine's
 * readable stages, batched: for each layer
 *   forward   Z_l = A_(l-1) W_l + b_l,  A_l = f(Z_l)
 *   backward  D_l = dE/dA_l * f'(Z_l);  dW_l = A_(l-1)^T D_l / n;  db_l = mean of D_l
 *             dE/dA_(l-1) = D_l W_l^T   (with W_l before the update)
 * The sums run in another order than the engine's, so the results agree to
 * about 1e-15 relative, not to the bit; tests/unit/test_train.c checks that.
 * Tracing never goes through here: every traced value comes from the engine.
 *
 * OpenBLAS is opened here, when a training context is made, not linked: a
 * run that only traces never loads it, nor what it brings (libgfortran,
 * libquadmath, whose printf hooks put every later printf on glibc's slow
 * path, and OpenBLAS's thread start-up): make bench measures the
 * difference.  The Makefile names the library pkg-config found
 * (TN_BLAS_PATH, its SONAME in pkg-config's libdir).
 */
#include "train.h"

#include <cblas.h>
#include <dlfcn.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef TN_BLAS_PATH
#define TN_BLAS_PATH "libopenblas.so.0"
#endif

/* The functions taken from OpenBLAS (cblas.h's prototypes). */
typedef void tn_dgemm_fn(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE ta, enum CBLAS_TRANSPOSE tb, blasint m,
                         blasint n, blasint k, double alpha, const double *a, blasint lda, const double *b,
                         blasint ldb, double beta, double *c, blasint ldc);
typedef void tn_dgemv_fn(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE ta, blasint m, blasint n, double alpha,
                         const double *a, blasint lda, const double *x, blasint incx, double beta, double *y,
                         blasint incy);
typedef void tn_dger_fn(enum CBLAS_ORDER order, blasint m, blasint n, double alpha, const double *x,
                        blasint incx, const double *y, blasint incy, double *a, blasint lda);
typedef void tn_threads_fn(int n);
typedef char *tn_corename_fn(void);

struct tn_fast {
    nn_net shape;                       /* the network it serves (w unused) */
    int max_batch;                      /* largest batch */
    double *z[NN_MAX_LAYERS + 1];       /* net inputs of layer l, (n, size[l]) */
    double *a[NN_MAX_LAYERS + 1];       /* activations of layer l */
    double *d[NN_MAX_LAYERS + 1];       /* dE_total/dnet of layer l (term 1 * term 2) */
    double *dw;                         /* dE_final/dw, all weights */
    void *blas;                         /* OpenBLAS, opened (dlopen) */
    tn_dgemm_fn *dgemm;                 /* its cblas_dgemm */
    tn_dgemv_fn *dgemv;                 /* its cblas_dgemv */
    tn_dger_fn *dger;                   /* its cblas_dger */
    int vectors;                        /* a batch of 1 as dgemv and dger, not dgemm (tn_fast_form) */
    char core[64];                      /* the kernel it runs on (openblas_get_corename) */
    const double *bound_w;              /* the weights the last step updated in place, or NULL */
    double bound;                       /* a bound on their |w| (tn_fast_step) */
};

/* Symbol name of the library at handle, or NULL (a function pointer from dlsym's object pointer). */
static void *blas_symbol(void *handle, const char *name, void *fn, size_t fn_size)
{
    void *sym = dlsym(handle, name);
    if (sym)
        memcpy(fn, &sym, fn_size);
    return sym;
}

/* Open OpenBLAS for f: 0, or -1 with err set. */
static int blas_open(tn_fast *f, char *err, size_t err_size)
{
    f->blas = dlopen(TN_BLAS_PATH, RTLD_NOW | RTLD_LOCAL);
    if (!f->blas)
        f->blas = dlopen(strrchr(TN_BLAS_PATH, '/') ? strrchr(TN_BLAS_PATH, '/') + 1 : TN_BLAS_PATH,
                         RTLD_NOW | RTLD_LOCAL);
    if (!f->blas) {
        snprintf(err, err_size, "cannot load OpenBLAS (%s): %s", TN_BLAS_PATH, dlerror());
        return -1;
    }
    tn_threads_fn *threads = NULL;
    tn_corename_fn *corename = NULL;
    if (!blas_symbol(f->blas, "cblas_dgemm", &f->dgemm, sizeof f->dgemm) ||
        !blas_symbol(f->blas, "cblas_dgemv", &f->dgemv, sizeof f->dgemv) ||
        !blas_symbol(f->blas, "cblas_dger", &f->dger, sizeof f->dger)) {
        snprintf(err, err_size, "%s has no cblas_dgemm, cblas_dgemv or cblas_dger", TN_BLAS_PATH);
        return -1;
    }
    if (blas_symbol(f->blas, "openblas_set_num_threads", &threads, sizeof threads))
        threads(1);                     /* one core, and the same sums on every run */
    if (blas_symbol(f->blas, "openblas_get_corename", &corename, sizeof corename))
        snprintf(f->core, sizeof f->core, "%s", corename());
    /* a batch of 1 (make bench's "batch 1" lines, one core, whole steps): with
     * Haswell's kernel dgemv and dger ran 784-90-10 1.32x and 784-30-10 1.05x
     * as fast as dgemm with one row; with SkylakeX's 1.02x and 0.91x.  Chosen by
     * the kernel's name, so that a machine always takes the same form and a run
     * its same sums. */
    f->vectors = strcmp(f->core, "Haswell") == 0;
    return 0;
}

void tn_fast_form(tn_fast *f, int vectors) { f->vectors = vectors; }
int tn_fast_vectors(const tn_fast *f) { return f->vectors; }

const char *tn_fast_core(const tn_fast *f)
{
    return f->core[0] ? f->core : "unknown";
}

tn_fast *tn_fast_new(const nn_net *shape, int max_batch, char *err, size_t err_size)
{
    tn_fast *f = calloc(1, sizeof *f);
    snprintf(err, err_size, "out of memory");
    if (!f)
        return NULL;
    f->shape = *shape;
    f->shape.w = NULL;
    f->max_batch = max_batch;
    int ok = (f->dw = calloc((size_t)shape->n_weights, sizeof(double))) != NULL;
    for (int l = 1; l <= shape->n_layers; l++) {
        size_t units = (size_t)max_batch * (size_t)shape->size[l];
        ok &= (f->z[l] = calloc(units, sizeof(double))) != NULL;
        ok &= (f->a[l] = calloc(units, sizeof(double))) != NULL;
        ok &= (f->d[l] = calloc(units, sizeof(double))) != NULL;
    }
    if (!ok || blas_open(f, err, err_size) != 0) {
        tn_fast_free(f);
        return NULL;
    }
    return f;
}

/* Z_l = A_(l-1) W_l for n rows of `in`, into f->z[l]: one dgemm, or for a
 * batch of 1 in the vector form (tn_fast_vectors) one dgemv, z = W_l^T a. */
static void forward_product(tn_fast *f, const nn_net *net, const double *in, int n, int l)
{
    const nn_net *sh = &f->shape;
    int NI = sh->size[l - 1], NJ = sh->size[l];
    if (n == 1 && f->vectors)
        f->dgemv(CblasRowMajor, CblasTrans, NI, NJ, 1.0, net->w + sh->w_off[l], NJ, in, 1, 0.0, f->z[l], 1);
    else
        f->dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, NJ, NI, 1.0, in, NI, net->w + sh->w_off[l], NJ,
                 0.0, f->z[l], NJ);
}

/* D_(l-1) = D_l W_l^T for n rows, into f->d[l - 1] (the vector form: d_(l-1) = W_l d_l). */
static void backward_product(tn_fast *f, const nn_net *net, int n, int l)
{
    const nn_net *sh = &f->shape;
    int NI = sh->size[l - 1], NJ = sh->size[l];
    if (n == 1 && f->vectors)
        f->dgemv(CblasRowMajor, CblasNoTrans, NI, NJ, 1.0, net->w + sh->w_off[l], NJ, f->d[l], 1, 0.0,
                 f->d[l - 1], 1);
    else
        f->dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, NI, NJ, 1.0, f->d[l], NJ, net->w + sh->w_off[l], NJ,
                 0.0, f->d[l - 1], NI);
}

int tn_fast_products(tn_fast *f, const nn_net *net, const double *x, int n)
{
    const nn_net *sh = &f->shape;
    int Ln = sh->n_layers;
    if (n < 1 || n > f->max_batch)
        return NN_EARG;
    int vec = n == 1 && f->vectors;             /* the form tn_fast_step takes */
    for (int l = 1; l <= Ln; l++)               /* forward: Z_l = A_(l-1) W_l */
        forward_product(f, net, l == 1 ? x : f->a[l - 1], n, l);
    for (int l = Ln; l > 1; l--)                /* backward: D_(l-1) = D_l W_l^T */
        backward_product(f, net, n, l);
    /* the gradient dW_l = A_(l-1)^T D_l / n, written (beta 0; dger adds it
     * into dw, which only the ceiling reads, never): the step adds it into W
     * instead (beta 1), which reads W as well, so this ceiling is the
     * stricter of the two */
    for (int l = 1; l <= Ln; l++) {
        int NI = sh->size[l - 1], NJ = sh->size[l];
        if (vec)
            f->dger(CblasRowMajor, NI, NJ, 1.0, l == 1 ? x : f->a[l - 1], 1, f->d[l], 1,
                    f->dw + sh->w_off[l], NJ);
        else
            f->dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, NI, NJ, n, 1.0 / n, l == 1 ? x : f->a[l - 1], NI,
                     f->d[l], NJ, 0.0, f->dw + sh->w_off[l], NJ);
    }
    return NN_OK;
}

double tn_fast_flops(const nn_net *shape, int n)
{
    double flops = 0.0;
    for (int l = 1; l <= shape->n_layers; l++) {
        double IJ = (double)shape->size[l - 1] * shape->size[l];
        flops += 2.0 * IJ + 2.0 * IJ + (l > 1 ? 2.0 * IJ : 0.0);   /* forward, dW, and D back a layer */
    }
    return flops * n;
}

void tn_fast_free(tn_fast *f)
{
    if (!f)
        return;
    for (int l = 1; l <= f->shape.n_layers; l++) {
        free(f->z[l]);
        free(f->a[l]);
        free(f->d[l]);
    }
    free(f->dw);
    if (f->blas)
        dlclose(f->blas);
    free(f);
}

/* As the engine's hot loops: built for AVX2 as well (GCC target_clones), so
 * the passes over every weight vectorise; no contraction (-std=c11), the
 * same bits on every build. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(NN_PORTABLE)
#define FAST_HOT __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define FAST_HOT
#endif

/* e^x for x <= 0, in plain arithmetic that vectorises (libm's exp is a
 * call per value): x = k ln2 + r with |r| <= ln2/2 (k by the 1.5 * 2^52
 * shifter, r by Cody and Waite's two-part ln2), e^r by its Taylor series to
 * r^13 (the next term is below 5e-18), 2^k from its bits.  Within a few
 * units in the last place of libm's exp; x below -708 is taken as -708,
 * whose e^x (3e-308) differs from the true one by less than that.  Only
 * the training path uses it: traces keep the engine's nn_sigmoid. */
static inline double exp_nonpositive(double x)
{
    const double shifter = 0x1.8p52, inv_ln2 = 1.44269504088896338700e+00;
    const double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
    x = x < -708.0 ? -708.0 : x;
    double t = x * inv_ln2 + shifter, k = t - shifter;
    double r = (x - k * ln2_hi) - k * ln2_lo;
    double p = 1.0 / 6227020800.0;                            /* 1/13! */
    p = p * r + 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0; /* mutant: fast-exp-term */
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    uint64_t bits;                                            /* 2^k: k sits in t's low bits */
    memcpy(&bits, &t, sizeof bits);
    bits = (bits + 1023) << 52; /* mutant: fast-exp-scale */
    double scale;
    memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

/* The sigmoid of n net inputs z into a, as nn_sigmoid computes it (e^-|z|,
 * then 1/(1 + e) or e/(1 + e)), with the exp above: one loop that vectorises. */
FAST_HOT static void sigmoid_rows(const double *z, double *a, size_t n)
{
    for (size_t q = 0; q < n; q++) {
        double e = exp_nonpositive(-fabs(z[q])), d = 1.0 + e;
        a[q] = z[q] >= 0 ? 1.0 / d : e / d;
    }
}

/* Forward, every layer: Z_l = A_(l-1) W_l + b_l, A_l = f(Z_l) (n rows). */
static void fast_forward(tn_fast *f, const nn_net *net, const double *x, int n)
{
    const nn_net *sh = &f->shape;
    int Ln = sh->n_layers;
    for (int l = 1; l <= Ln; l++) {
        int NJ = sh->size[l];
        forward_product(f, net, l == 1 ? x : f->a[l - 1], n, l);
        const double *b = net->w + sh->b_off[l];
        for (int s = 0; s < n; s++)
            for (int j = 0; j < NJ; j++)
                f->z[l][s * NJ + j] += b[j];
        if (sh->act[l] == NN_ACT_SIGMOID) {
            sigmoid_rows(f->z[l], f->a[l], (size_t)n * (size_t)NJ);
            continue;
        }
        for (int s = 0; s < n; s++) {
            for (int j = 0; j < NJ; j++)
                f->a[l][s * NJ + j] = nn_activate(sh->act[l], f->z[l][s * NJ + j]);
            if (sh->act[l] == NN_ACT_SOFTMAX)       /* the whole layer, as the engine */
                nn_softmax(f->z[l] + (size_t)s * NJ, f->a[l] + (size_t)s * NJ, NJ);
        }
    }
}

double tn_fast_loss(tn_fast *f, const nn_net *net, const double *x, const double *y, int n)
{
    const nn_net *sh = &f->shape;
    int Ln = sh->n_layers, O = sh->size[Ln];
    if (n < 1 || n > f->max_batch)
        return NAN;
    fast_forward(f, net, x, n);
    double sum = 0.0;                           /* E_total of each sample, as the engine's stage 3 */
    for (int s = 0; s < n; s++) {
        const double *z = f->z[Ln] + (size_t)s * O, *a = f->a[Ln] + (size_t)s * O, *t = y + (size_t)s * O;
        double e = 0.0;
        if (sh->act[Ln] == NN_ACT_SOFTMAX) {
            sum += nn_softmax_ce_loss(z, t, O);
            continue;
        }
        for (int k = 0; k < O; k++)
            e += sh->loss == NN_LOSS_CROSS_ENTROPY ? nn_ce_loss(z[k], t[k]) : (a[k] - t[k]) * (a[k] - t[k]);
        sum += sh->loss == NN_LOSS_CROSS_ENTROPY ? e : 0.5 * e; /* mutant: blas-eval-loss-unhalved */
    }
    return sum / n;
}

const double *tn_fast_outputs(const tn_fast *f)
{
    return f->a[f->shape.n_layers];
}

/* The largest |v| of n values, as a double; NaN or infinity when one is
 * not finite.  Taken on the bits: for |v| the integer order of the bits is
 * the order of the values (infinity and NaN above every finite one), and an
 * integer maximum vectorises where a floating one may not. */
FAST_HOT static double largest(const double *v, size_t n)
{
    uint64_t top = 0;
    for (size_t q = 0; q < n; q++) {
        uint64_t b;
        memcpy(&b, &v[q], sizeof b);
        b &= ~(UINT64_C(1) << 63);
        top = b > top ? b : top;
    }
    double r;
    memcpy(&r, &top, sizeof r);
    return r;
}

/* Whether every updated weight w - lr/n * sum_s a_si d_sj is certainly
 * finite: the weights, the layers' inputs and deltas finite, and a bound on
 * the update far below the largest double.  When it is, the update can go
 * into the weights in place (dgemm's beta = 1): nothing can overflow.
 * *after: a bound on |w| after the update.  The bound on |w| before is the
 * one kept from the last step when it updated these same weights; else they
 * are read (and again when the kept bound has grown too large). */
static int update_is_safe(tn_fast *f, const nn_net *net, const double *x, int n, double lr, double *after)
{
    const nn_net *sh = &f->shape;
    const double room = 1e300;
    double change = 0.0;                        /* the most any weight can move */
    for (int l = 1; l <= sh->n_layers; l++) {
        double top_a = largest(l == 1 ? x : f->a[l - 1], (size_t)n * (size_t)sh->size[l - 1]);
        double top_d = largest(f->d[l], (size_t)n * (size_t)sh->size[l]);
        /* |lr/n sum_s a d| <= |lr| top_a top_d; with each factor below 1e100 no
         * partial sum of the product can overflow either */
        if (!(top_a < 1e100 && top_d < 1e100 && fabs(lr) < 1e100))
            return 0;
        double c = fabs(lr) * (top_a > 1.0 ? top_a : 1.0) * (top_d > 1.0 ? top_d : 1.0) * n;
        change = c > change ? c : change;
    }
    double top_w = f->bound_w == net->w ? f->bound : INFINITY;
    if (!(top_w + change < room))
        top_w = largest(net->w, (size_t)sh->n_weights);
    *after = top_w + change;
    return top_w + change < room;
}

FAST_HOT int tn_fast_step(tn_fast *f, nn_net *net, const double *x, const double *y, int n, double lr)
{
    const nn_net *sh = &f->shape;
    int Ln = sh->n_layers;
    if (n < 1 || n > f->max_batch)
        return NN_EARG;
    fast_forward(f, net, x, n);
    /* output: term 1 (the loss's derivative) times term 2 */
    int O = sh->size[Ln];
    for (int q = 0; q < n * O; q++) {
        double out = f->a[Ln][q], t = y[q];
        if (sh->loss == NN_LOSS_CROSS_ENTROPY)
            f->d[Ln][q] = nn_ce_delta(out, t);          /* term 1 * term 2 in one, as the engine */
        else
            f->d[Ln][q] = (out - t) * nn_activate_slope(sh->act[Ln], f->z[Ln][q], out);
    }
    for (int q = 0; q < n * O; q++)
        if (!isfinite(f->a[Ln][q]))
            return NN_ENONFINITE;
    /* backward: every layer's deltas before any weight changes */
    for (int l = Ln; l > 1; l--) {
        int NI = sh->size[l - 1];
        backward_product(f, net, n, l);
        if (sh->act[l - 1] == NN_ACT_SIGMOID)          /* out*(1 - out), as nn_activate_slope */
            for (int q = 0; q < n * NI; q++)
                f->d[l - 1][q] *= f->a[l - 1][q] * (1.0 - f->a[l - 1][q]);
        else
            for (int q = 0; q < n * NI; q++)
                f->d[l - 1][q] *= nn_activate_slope(sh->act[l - 1], f->z[l - 1][q], f->a[l - 1][q]);
    }
    /* dE_final/db_l = the mean of D_l, as the engine sums it */
    for (int l = 1; l <= Ln; l++) {
        int NJ = sh->size[l];
        double *db = f->dw + sh->b_off[l];
        for (int j = 0; j < NJ; j++) {
            double sum = 0.0;
            for (int s = 0; s < n; s++)
                sum += f->d[l][s * NJ + j];
            db[j] = sum / n;
        }
    }
    double after;
    if (update_is_safe(f, net, x, n, lr, &after)) { /* mutant: fused-update-unchecked */
        /* W_l = W_l - lr/n A_(l-1)^T D_l inside the product (no gradient stored,
         * no pass over the weights of its own); the biases after */
        for (int l = 1; l <= Ln; l++) {
            int NI = sh->size[l - 1], NJ = sh->size[l];
            if (n == 1 && f->vectors)            /* W_l = W_l - lr a d^T, a rank-1 update */
                f->dger(CblasRowMajor, NI, NJ, -lr, l == 1 ? x : f->a[l - 1], 1, f->d[l], 1, /* mutant: vectors-update-sign */
                        net->w + sh->w_off[l], NJ);
            else
                f->dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, NI, NJ, n, -lr / n, l == 1 ? x : f->a[l - 1],
                         NI, f->d[l], NJ, 1.0, net->w + sh->w_off[l], NJ);
        }
        for (int m = sh->b_off[1]; m < sh->n_weights; m++)
            net->w[m] = net->w[m] - lr * f->dw[m];
        f->bound_w = net->w;
        f->bound = after;
        return NN_OK;
    }
    f->bound_w = NULL;
    /* near the largest double (or not finite): the gradient first, then the
     * updated weights into dw, checked, and copied only when all are finite,
     * so nothing is changed when a value is not: the caller traces it */
    for (int l = 1; l <= Ln; l++) {
        int NI = sh->size[l - 1], NJ = sh->size[l];
        f->dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, NI, NJ, n, 1.0 / n, l == 1 ? x : f->a[l - 1], NI,
                    f->d[l], NJ, 0.0, f->dw + sh->w_off[l], NJ);
    }
    int inf_or_nan = 0;
    for (int m = 0; m < sh->n_weights; m++) {
        double t = net->w[m] - lr * f->dw[m];
        inf_or_nan |= !(t - t == 0.0);          /* t - t is 0 for a finite t, NaN otherwise */ /* mutant: blas-nonfinite-unchecked */
        f->dw[m] = t;
    }
    if (inf_or_nan)
        return NN_ENONFINITE;
    memcpy(net->w, f->dw, (size_t)sh->n_weights * sizeof(double));   /* the updated weights */
    return NN_OK;
}
