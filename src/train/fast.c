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
    char core[64];                      /* the kernel it runs on (openblas_get_corename) */
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
    if (!blas_symbol(f->blas, "cblas_dgemm", &f->dgemm, sizeof f->dgemm)) {
        snprintf(err, err_size, "%s has no cblas_dgemm", TN_BLAS_PATH);
        return -1;
    }
    if (blas_symbol(f->blas, "openblas_set_num_threads", &threads, sizeof threads))
        threads(1);                     /* one core, and the same sums on every run */
    if (blas_symbol(f->blas, "openblas_get_corename", &corename, sizeof corename))
        snprintf(f->core, sizeof f->core, "%s", corename());
    return 0;
}

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
    int ok = (f->dw = malloc((size_t)shape->n_weights * sizeof(double))) != NULL;
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

int tn_fast_products(tn_fast *f, const nn_net *net, const double *x, int n)
{
    const nn_net *sh = &f->shape;
    int Ln = sh->n_layers;
    if (n < 1 || n > f->max_batch)
        return NN_EARG;
    for (int l = 1; l <= Ln; l++) {             /* forward: Z_l = A_(l-1) W_l */
        int NI = sh->size[l - 1], NJ = sh->size[l];
        f->dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, NJ, NI, 1.0, l == 1 ? x : f->a[l - 1], NI,
                 net->w + sh->w_off[l], NJ, 0.0, f->z[l], NJ);
    }
    for (int l = Ln; l >= 1; l--) {             /* backward: dW_l = A_(l-1)^T D_l / n, D_(l-1) = D_l W_l^T */
        int NI = sh->size[l - 1], NJ = sh->size[l];
        f->dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, NI, NJ, n, 1.0 / n, l == 1 ? x : f->a[l - 1], NI,
                 f->d[l], NJ, 0.0, f->dw + sh->w_off[l], NJ);
        if (l > 1)
            f->dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, NI, NJ, 1.0, f->d[l], NJ,
                     net->w + sh->w_off[l], NJ, 0.0, f->d[l - 1], NI);
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

/* Forward, every layer: Z_l = A_(l-1) W_l + b_l, A_l = f(Z_l) (n rows). */
static void fast_forward(tn_fast *f, const nn_net *net, const double *x, int n)
{
    const nn_net *sh = &f->shape;
    int Ln = sh->n_layers;
    for (int l = 1; l <= Ln; l++) {
        int NI = sh->size[l - 1], NJ = sh->size[l];
        const double *in = l == 1 ? x : f->a[l - 1];
        f->dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, NJ, NI, 1.0, in, NI,
                    net->w + sh->w_off[l], NJ, 0.0, f->z[l], NJ);
        const double *b = net->w + sh->b_off[l];
        for (int s = 0; s < n; s++) {
            for (int j = 0; j < NJ; j++) {
                double z = f->z[l][s * NJ + j] + b[j];
                f->z[l][s * NJ + j] = z;
                f->a[l][s * NJ + j] = nn_activate(sh->act[l], z);
            }
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
        sum += sh->loss == NN_LOSS_CROSS_ENTROPY ? e : 0.5 * e;
    }
    return sum / n;
}

const double *tn_fast_outputs(const tn_fast *f)
{
    return f->a[f->shape.n_layers];
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
    /* backward, every layer before any weight changes */
    for (int l = Ln; l >= 1; l--) {
        int NI = sh->size[l - 1], NJ = sh->size[l];
        const double *in = l == 1 ? x : f->a[l - 1];
        f->dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, NI, NJ, n, 1.0 / n, in, NI,
                    f->d[l], NJ, 0.0, f->dw + sh->w_off[l], NJ);
        double *db = f->dw + sh->b_off[l];
        for (int j = 0; j < NJ; j++) {
            double sum = 0.0;
            for (int s = 0; s < n; s++)
                sum += f->d[l][s * NJ + j];
            db[j] = sum / n;
        }
        if (l > 1) {
            f->dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, NI, NJ, 1.0, f->d[l], NJ,
                        net->w + sh->w_off[l], NJ, 0.0, f->d[l - 1], NI);
            for (int q = 0; q < n * NI; q++)
                f->d[l - 1][q] *= nn_activate_slope(sh->act[l - 1], f->z[l - 1][q], f->a[l - 1][q]);
        }
    }
    /* nothing is changed when a value is not finite: the caller traces it.
     * The updated weights go into dw (no longer needed) in one pass that
     * vectorises (at batch 1 the passes over every weight cost more than the
     * products; AVX-512 and AVX2 clones, FAST_HOT): no sum is reordered, and an
     * updated weight is finite only if its gradient is. */
    int inf_or_nan = 0;
    for (int m = 0; m < sh->n_weights; m++) {
        double t = net->w[m] - lr * f->dw[m];
        inf_or_nan |= !(t - t == 0.0);          /* t - t is 0 for a finite t, NaN otherwise */
        f->dw[m] = t;
    }
    if (inf_or_nan)
        return NN_ENONFINITE;
    for (int q = 0; q < n * O; q++)
        if (!isfinite(f->a[Ln][q]))
            return NN_ENONFINITE;
    memcpy(net->w, f->dw, (size_t)sh->n_weights * sizeof(double));   /* the updated weights */
    return NN_OK;
}
