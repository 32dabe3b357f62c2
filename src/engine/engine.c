/*
 * engine.c - forward, loss, backward and update for a network of one or
 * more hidden layers; then, only when a sink is attached, the tracing of
 * each stage from the values just computed.  nn_step's loops are turned for
 * speed (four samples at a time, weights read in memory order, built for
 * AVX2 and AVX-512 too); nn_step_reference, beside it, is the same step as
 * plain indexed loops that map onto the walkthrough's equations, one sample
 * and one unit at a time.  Both add every sum's terms in the same order:
 * test_engine holds them equal to the bit.
 */
#include "engine.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define L_MAX         (NN_MAX_LAYERS + 1)

/* The two hot loops are built for AVX2 and AVX-512 too, picked at load time
 * (GCC function multiversioning).  Floating-point contraction stays off
 * (-std=c11), and no sum is reordered, so every build gives the same bits. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(NN_PORTABLE)
#define NN_HOT __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define NN_HOT
#endif

/* What the tracer is building: one event at a time.  Its operands are not
 * built: nn_event_op rebuilds any of them from the context's values. */
typedef struct nn_builder {
    char symbol[NN_SYMBOL_SIZE];     /* the event's symbol */
    int kind, layer, unit, weight;   /* what the event is (nn_event's fields) */
    int form, n_terms, n_ops;        /* how its operands combine, and how many there are */
} nn_builder;

struct nn_ctx {
    nn_net shape;             /* the network shape the context serves (w unused) */
    int max_batch;            /* largest batch accepted */
    const nn_sink *sink;      /* where events go; NULL when tracing is off */
    /* values of the current batch per layer l = 1..L, sample-major [s*size[l] + j] */
    double *net[L_MAX];       /* net input */
    double *out[L_MAX];       /* activation */
    double *dout[L_MAX];      /* dE_total/dout */
    double *slope[L_MAX];     /* dout/dnet, the activation's slope (1 for a cross-entropy output: its dE/dnet is out - y) */
    double *e_total;          /* E_total per sample */
    double e_final;           /* E_final of the batch */
    double *dw;               /* dE_final/dw_m */
    double *w_old;            /* the weights before the update (stage 6 operands) */
    long *id_w_old;           /* ... and the events that had set them (id_w before the update) */
    int updated;              /* the step's update is done: weights as operands are w_old's */
    /* event ids, parallel to the values above (tracing only) */
    long next_id;             /* id of the next event */
    long *id_net[L_MAX], *id_out[L_MAX], *id_dout[L_MAX], *id_slope[L_MAX];
    long *id_e_total;
    long id_e_final;
    long *id_dw;              /* event of dE_final/dw_m */
    long *id_w;               /* event that set w_m's current value; -1 when given */
    nn_builder b;             /* the event being built */
    /* during a traced step and after it, until the next step, what its events'
       operands are read from (nn_event_op) */
    const nn_net *t_net;      /* the network, its weights as the stage at hand sees them */
    const double *t_x, *t_y;  /* the batch: inputs and targets */
    double t_lr;              /* the learning rate */
    int bad_stage;            /* stage of the first non-finite value, 0 if none */
    char bad_symbol[NN_SYMBOL_SIZE]; /* its symbol */
    int bad_sample;           /* its sample X1.. (0: a value of the batch or a weight) */
    int bad_step;             /* the step it appeared in */
    double bad_value;         /* the value: inf, -inf or nan */
};

/* ---------------------------------------------------------------- network */

static const char *const act_names[NN_ACT_COUNT] = { "sigmoid", "tanh", "relu", "linear", "softmax" };
static const char *const loss_names[NN_LOSS_COUNT] = { "quadratic", "cross_entropy" };

const char *nn_act_name(int act) { return act >= 0 && act < NN_ACT_COUNT ? act_names[act] : "?"; }
const char *nn_loss_name(int loss) { return loss >= 0 && loss < NN_LOSS_COUNT ? loss_names[loss] : "?"; }

int nn_act_parse(const char *name)
{
    for (int a = 0; a < NN_ACT_COUNT; a++)
        if (strcmp(name, act_names[a]) == 0)
            return a;
    return -1;
}

int nn_loss_parse(const char *name)
{
    for (int q = 0; q < NN_LOSS_COUNT; q++)
        if (strcmp(name, loss_names[q]) == 0)
            return q;
    return -1;
}

int nn_shape_init(nn_net *shape, int n_layers, const int *sizes, const int *acts, int loss)
{
    memset(shape, 0, sizeof *shape);
    if (n_layers < 2 || n_layers > NN_MAX_LAYERS || loss < 0 || loss >= NN_LOSS_COUNT)
        return -1;
    long count = 0;
    for (int l = 0; l <= n_layers; l++) {
        if (sizes[l] < 1 || sizes[l] > NN_MAX_UNITS)
            return -1;
        shape->size[l] = sizes[l];
        if (l > 0) {
            int a = acts ? acts[l] : NN_ACT_SIGMOID;
            if (a < 0 || a >= NN_ACT_COUNT)
                return -1;
            if (a == NN_ACT_SOFTMAX && (l != n_layers || loss != NN_LOSS_CROSS_ENTROPY))
                return -1;                      /* an output activation, for the cross-entropy */
            shape->act[l] = a;
            count += (long)sizes[l - 1] * sizes[l] + sizes[l];
        }
    }
    if (count > NN_MAX_WEIGHTS)
        return -1;
    shape->n_layers = n_layers;
    shape->loss = loss;
    shape->n_weights = (int)count;
    int m = 0;
    for (int l = 1; l <= n_layers; l++) {
        shape->w_off[l] = m;
        m += sizes[l - 1] * sizes[l];
    }
    for (int l = 1; l <= n_layers; l++) {
        shape->b_off[l] = m;
        m += sizes[l];
    }
    return 0;
}

nn_net *nn_net_new_shape(const nn_net *shape)
{
    nn_net *net = calloc(1, sizeof *net + (size_t)shape->n_weights * sizeof(double));
    if (!net)
        return NULL;
    *net = *shape;
    net->w = (double *)(net + 1);
    return net;
}

nn_net *nn_net_copy(const nn_net *net)
{
    nn_net *copy = nn_net_new_shape(net);
    if (copy)
        memcpy(copy->w, net->w, (size_t)net->n_weights * sizeof(double));
    return copy;
}

void nn_net_free(nn_net *net)
{
    free(net);
}

int nn_n_inputs(const nn_net *net) { return net->size[0]; }
int nn_n_outputs(const nn_net *net) { return net->size[net->n_layers]; }
int nn_w_index(const nn_net *net, int l, int i, int j) { return net->w_off[l] + i * net->size[l] + j; }
int nn_b_index(const nn_net *net, int l, int j) { return net->b_off[l] + j; }

/* Names are built by hand, not by snprintf: a recording names every operand
 * it keeps, and this is most of its cost. */
typedef struct nn_str {
    char *p;                  /* the buffer */
    size_t n, size;           /* bytes used, room (with the NUL) */
} nn_str;

static void str_n(nn_str *b, const char *s, size_t n)
{
    if (b->size == 0)
        return;
    if (n > b->size - 1 - b->n)
        n = b->size - 1 - b->n;
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void str_s(nn_str *b, const char *s)
{
    str_n(b, s, strlen(s));
}

static void str_i(nn_str *b, int v)
{
    char t[16];
    int k = 16;
    unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
    do
        t[--k] = (char)('0' + u % 10);
    while ((u /= 10) && k > 1);
    if (v < 0)
        t[--k] = '-';
    str_n(b, t + k, (size_t)(16 - k));
}

static void str_unit(nn_str *b, const nn_net *net, int l, int j)
{
    if (l == 0) {
        str_s(b, "x");
    } else if (l == net->n_layers) {
        str_s(b, "o");
    } else if (net->n_layers == 2) {
        str_s(b, "h");
    } else {
        str_s(b, "h");
        str_i(b, l % 100);
        str_s(b, "_");
    }
    str_i(b, j + 1);
}

void nn_unit_name(const nn_net *net, int l, int j, char *buf, size_t size)
{
    nn_str b = { buf, 0, size };
    str_unit(&b, net, l, j);
}

int nn_unit_parse(const nn_net *net, const char *name, int *layer, int *unit)
{
    int l = 0, j = 0, used = -1;
    if (name[0] == 'x' && sscanf(name, "x%d%n", &j, &used) == 1 && used > 0 && !name[used])
        l = 0;
    else if (name[0] == 'o' && sscanf(name, "o%d%n", &j, &used) == 1 && used > 0 && !name[used])
        l = net->n_layers;
    else if (net->n_layers == 2 && sscanf(name, "h%d%n", &j, &used) == 1 && used > 0 && !name[used])
        l = 1;
    else if (sscanf(name, "h%d_%d%n", &l, &j, &used) == 2 && used > 0 && !name[used] &&
             l >= 1 && l < net->n_layers)
        ;
    else
        return -1;
    if (j < 1 || j > net->size[l])
        return -1;
    *layer = l;
    *unit = j - 1;
    return 0;
}

int nn_w_layer(const nn_net *net, int m)
{
    for (int l = net->n_layers; l >= 1; l--)
        if (m >= net->b_off[l] && m < net->b_off[l] + net->size[l])
            return l;
    for (int l = net->n_layers; l >= 1; l--)
        if (m >= net->w_off[l])
            return l;
    return 1;
}

void nn_w_units(const nn_net *net, int m, int *from_layer, int *from_unit, int *to_layer, int *to_unit)
{
    int l = nn_w_layer(net, m);
    *to_layer = l;
    *from_layer = l - 1;
    if (m >= net->b_off[1]) {
        *from_unit = -1;                       /* the bias input */
        *to_unit = m - net->b_off[l];
    } else {
        int r = m - net->w_off[l];
        *from_unit = r / net->size[l];
        *to_unit = r % net->size[l];
    }
}

void nn_w_ends(const nn_net *net, int m, char *from, size_t from_size, char *to, size_t to_size)
{
    int fl, fu, tl, tu;
    nn_w_units(net, m, &fl, &fu, &tl, &tu);
    if (fu < 0)
        snprintf(from, from_size, "1");
    else
        nn_unit_name(net, fl, fu, from, from_size);
    nn_unit_name(net, tl, tu, to, to_size);
}

/* ---------------------------------------------------------------- context */

int nn_widest(const nn_net *shape)
{
    int widest = 0;
    for (int l = 0; l <= shape->n_layers; l++)
        if (shape->size[l] > widest)
            widest = shape->size[l];
    return widest;
}

nn_ctx *nn_ctx_new(const nn_net *shape, int max_batch)
{
    if (!shape || max_batch < 1 || max_batch > NN_MAX_BATCH)
        return NULL;
    nn_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return NULL;
    ctx->shape = *shape;
    ctx->shape.w = NULL;
    ctx->max_batch = max_batch;
    size_t n = (size_t)max_batch, W = (size_t)shape->n_weights;
    int ok = 1;
    if ((long)max_batch * nn_widest(shape) > NN_MAX_BATCH_UNITS) {
        free(ctx);
        return NULL;              /* s*J + j must fit in an int */
    }
    for (int l = 1; l <= shape->n_layers; l++) {
        size_t units = n * (size_t)shape->size[l];
        ok &= (ctx->net[l] = malloc(units * sizeof(double))) != NULL;
        ok &= (ctx->out[l] = malloc(units * sizeof(double))) != NULL;
        ok &= (ctx->dout[l] = malloc(units * sizeof(double))) != NULL;
        ok &= (ctx->slope[l] = malloc(units * sizeof(double))) != NULL;
        ok &= (ctx->id_net[l] = malloc(units * sizeof(long))) != NULL;
        ok &= (ctx->id_out[l] = malloc(units * sizeof(long))) != NULL;
        ok &= (ctx->id_dout[l] = malloc(units * sizeof(long))) != NULL;
        ok &= (ctx->id_slope[l] = malloc(units * sizeof(long))) != NULL;
    }
    ctx->e_total = malloc(n * sizeof(double));
    ctx->id_e_total = malloc(n * sizeof(long));
    ctx->dw = calloc(W, sizeof(double));
    ctx->w_old = malloc(W * sizeof(double));
    ctx->id_dw = malloc(W * sizeof(long));
    ctx->id_w = malloc(W * sizeof(long));
    ctx->id_w_old = malloc(W * sizeof(long));
    if (!ok || !ctx->e_total || !ctx->id_e_total || !ctx->dw || !ctx->w_old || !ctx->id_dw ||
        !ctx->id_w || !ctx->id_w_old) {
        nn_ctx_free(ctx);
        return NULL;
    }
    for (size_t m = 0; m < W; m++)
        ctx->id_w[m] = -1;
    return ctx;
}

void nn_ctx_free(nn_ctx *ctx)
{
    if (!ctx)
        return;
    for (int l = 1; l <= ctx->shape.n_layers; l++) {
        free(ctx->net[l]); free(ctx->out[l]); free(ctx->dout[l]); free(ctx->slope[l]);
        free(ctx->id_net[l]); free(ctx->id_out[l]); free(ctx->id_dout[l]); free(ctx->id_slope[l]);
    }
    free(ctx->e_total); free(ctx->id_e_total); free(ctx->dw); free(ctx->w_old);
    free(ctx->id_dw); free(ctx->id_w); free(ctx->id_w_old);
    free(ctx);
}

void nn_ctx_set_sink(nn_ctx *ctx, const nn_sink *sink)
{
    ctx->sink = sink;
    for (int m = 0; m < ctx->shape.n_weights; m++)
        ctx->id_w[m] = -1;
}

double nn_ctx_value(const nn_ctx *ctx, const nn_net *net, nn_ev_kind kind, int layer, int unit, int weight, int sample)
{
    int L = net->n_layers, ce_out = layer == L && net->loss == NN_LOSS_CROSS_ENTROPY;
    int per_unit = layer >= 1 && layer <= L && unit >= 1 && unit <= net->size[layer] && weight == 0 &&
                   sample >= 1 && sample <= ctx->max_batch;
    size_t at = per_unit ? (size_t)(sample - 1) * (size_t)net->size[layer] + (size_t)(unit - 1) : 0;
    int w_ok = unit == 0 && sample == 0 && weight >= 1 && weight <= net->n_weights;
    switch (kind) {
    case NN_EV_NET:       return per_unit ? ctx->net[layer][at] : NAN;
    case NN_EV_OUT:       return per_unit ? ctx->out[layer][at] : NAN; /* mutant: note-probe-wrong-value */
    case NN_EV_DE_DOUT:   return per_unit && !ce_out ? ctx->dout[layer][at] : NAN;
    case NN_EV_DE_DNET:   return per_unit && ce_out ? ctx->dout[layer][at] : NAN;   /* out - y, in dout */
    case NN_EV_DOUT_DNET: return per_unit && !ce_out ? ctx->slope[layer][at] : NAN;
    case NN_EV_LOSS:      return unit == 0 && weight == 0 && sample >= 1 && sample <= ctx->max_batch
                                 ? ctx->e_total[sample - 1] : NAN;
    case NN_EV_LOSS_BATCH: return unit == 0 && weight == 0 && sample == 0 ? ctx->e_final : NAN;
    case NN_EV_GRADIENT:  return w_ok ? ctx->dw[weight - 1] : NAN;
    case NN_EV_UPDATE:    return w_ok ? net->w[weight - 1] : NAN;
    case NN_EV_KINDS:
    default:              return NAN;
    }
}

void nn_ctx_nonfinite_text(const nn_ctx *ctx, char *buf, size_t size)
{
    char who[16] = "";
    if (ctx->bad_sample > 0)
        snprintf(who, sizeof who, "X%d's ", ctx->bad_sample);
    /* before the first update the learning rate has not acted: the numbers given are too large */
    const char *hint = ctx->bad_step <= 1 && ctx->bad_stage <= 3 ? "an input, target or weight is too large"
                                                                 : "try a smaller learning rate";
    snprintf(buf, size, "stage %d: %s%s = %s is not a finite number (%s)", ctx->bad_stage, who,
             ctx->bad_symbol, isnan(ctx->bad_value) ? "nan" : ctx->bad_value > 0 ? "inf" : "-inf", hint);
}

int nn_ctx_nonfinite(const nn_ctx *ctx, int *stage, const char **symbol)
{
    if (stage)
        *stage = ctx->bad_stage;
    if (symbol)
        *symbol = ctx->bad_symbol;
    return ctx->bad_stage != 0;
}

static int fits(const nn_ctx *ctx, const nn_net *net, int n)
{
    if (net->n_layers != ctx->shape.n_layers || net->loss != ctx->shape.loss || n < 1 ||
        n > ctx->max_batch)
        return 0;
    for (int l = 0; l <= net->n_layers; l++)
        if (net->size[l] != ctx->shape.size[l] || (l > 0 && net->act[l] != ctx->shape.act[l]))
            return 0;
    return 1;
}

/* ------------------------------------------------------------------- math */

double nn_sigmoid(double z)
{
    if (z >= 0)
        return 1.0 / (1.0 + exp(-z));
    double e = exp(z);          /* no overflow for very negative z */
    return e / (1.0 + e);
}

/* out = f(net) for an activation. */
double nn_activate(nn_act act, double z)
{
    switch (act) {
    case NN_ACT_TANH:   return tanh(z);
    case NN_ACT_RELU:   return z > 0 ? z : 0.0;
    case NN_ACT_LINEAR: return z;
    case NN_ACT_SIGMOID: case NN_ACT_SOFTMAX: case NN_ACT_COUNT:
    default:            return nn_sigmoid(z);
    }
}

/* dout/dnet, from net and out. */
double nn_activate_slope(nn_act act, double z, double out)
{
    switch (act) {
    case NN_ACT_TANH:   return 1.0 - out * out;
    case NN_ACT_RELU:   return z > 0 ? 1.0 : 0.0;
    case NN_ACT_LINEAR: return 1.0;
    case NN_ACT_SIGMOID: case NN_ACT_SOFTMAX: case NN_ACT_COUNT:
    default:            return out * (1.0 - out);
    }
}

void nn_check_weight(nn_ctx *ctx, nn_net *net, const double *x, const double *y, int n,
                     const double *dw, int m, double e0, nn_check *out)
{
    static const double at[4] = { -2, -1, 1, 2 };
    double keep = net->w[m], h = 1e-4 * fmax(1.0, fabs(keep)), f[4], values[4];
    for (int k = 0; k < 4; k++)
        values[k] = keep + at[k] * h;
    if (nn_loss_around(ctx, net, x, y, n, m, values, 4, f) != 0)
        for (int k = 0; k < 4; k++)
            f[k] = NAN;
    out->analytic = dw[m];
    /* five-point central difference: error O(h^4) */
    out->numeric = (f[0] - 8 * f[1] + 8 * f[2] - f[3]) / (12 * h);
    out->h = h;
    /* the fourth difference of the five losses: h^4 E (about 1e-16 E),
     * so what it holds is the losses' rounding noise; sigma of independent
     * noises: its size over sqrt(1 + 16 + 36 + 16 + 1) */
    out->wobble = fabs(f[0] - 4 * f[1] + 6 * e0 - 4 * f[2] + f[3]) / sqrt(70.0);
    out->left = (e0 - f[1]) / h;
    out->right = (f[2] - e0) / h;
}

static int cmp_double(const void *a, const void *b)
{
    double u = *(const double *)a, v = *(const double *)b;
    return (u > v) - (u < v);
}

double nn_check_noise(const nn_check *c, int count)
{
    /* from the wobbles of the weights whose losses moved at all (a weight
     * that feeds nothing has five equal losses and says nothing about the
     * noise): a first sigma from their median (over 0.6745, the median of
     * |N(0, 1)|); the wobbles past NN_CHECK_SIGMAS of it are bends (relu
     * kinks, curvature), not noise, and are left out; sigma is the 90th
     * percentile of the rest over 1.645, its place in |N(0, 1)|: the noise
     * differs from weight to weight and a median is too low for some */
    double *w = malloc((size_t)(count > 0 ? count : 1) * sizeof(double));
    int k = 0;
    if (!w)
        return NAN;                               /* out of memory: no estimate, nothing passes */
    for (int q = 0; q < count; q++)
        if (c[q].wobble > 0 && isfinite(c[q].wobble))
            w[k++] = c[q].wobble;
    double sigma = 0.0;
    if (k > 0) {
        qsort(w, (size_t)k, sizeof(double), cmp_double);
        double first = (k % 2 ? w[k / 2] : 0.5 * (w[k / 2 - 1] + w[k / 2])) / 0.6745;
        while (k > 1 && w[k - 1] > NN_CHECK_SIGMAS * first) /* mutant: check-noise-from-kinks */
            k--;
        sigma = w[(int)(0.9 * (k - 1))] / 1.645;
    }
    free(w);
    return sigma; /* mutant: check-noise-bounded */
}

void nn_check_judge(const nn_net *net, double noise, nn_check *c)
{
    static const double floor_ = 1e-5;     /* smallest denominator of the relative error */
    /* relative error, with a floor under which finite-difference noise would
     * dominate; it may exceed the limit by NN_CHECK_SIGMAS times the
     * difference's own noise: a five-point difference of losses with
     * independent noise sigma has sigma sqrt(130) / (12 h) */
    double scale = fmax(fmax(fabs(c->analytic), fabs(c->numeric)), floor_);
    double per_sigma = NN_CHECK_SIGMAS * sqrt(130.0) / (12.0 * c->h) / scale;
    c->rel = fabs(c->analytic - c->numeric) / scale;
    c->tol = NN_CHECK_LIMIT + per_sigma * noise;
    /* a relu kink: the loss bends inside [w - 2h, w + 2h] (in a batch, one
     * sample's net input crosses 0 there), so the fourth difference is far
     * more than noise or the two one-sided slopes disagree; the derivative
     * does not exist there and no difference can check it: reported, not failed */
    int has_relu = 0;
    for (int l = 1; l <= net->n_layers; l++)
        has_relu |= net->act[l] == NN_ACT_RELU;
    int bent = c->wobble > NN_CHECK_SIGMAS * noise || /* mutant: check-kinks-by-slopes-only */
               fabs(c->left - c->right) > 1e-2 * fmax(fmax(fabs(c->left), fabs(c->right)), floor_);
    c->kink = has_relu && !(c->rel <= c->tol) && bent; /* mutant: check-no-kinks */
    /* otherwise this weight's own sample of the noise counts too, when larger
     * (a curvature the fourth difference shows is an inaccuracy of the difference) */
    if (!c->kink)
        c->tol = NN_CHECK_LIMIT + per_sigma * fmax(noise, c->wobble); /* mutant: check-ignores-noise */
    c->ok = c->kink || c->rel <= c->tol;
}

/* ln(1 + e^z), without overflow for large z or loss of precision for very negative z. */
static double softplus(double z)
{
    return z > 0 ? z + log1p(exp(-z)) : log1p(exp(z));
}

double nn_ce_loss(double net, double y)
{
    /* -(y ln(out) + (1 - y) ln(1 - out)) with out = sigmoid(net):
     * ln(out) = -ln(1 + e^(-net)), ln(1 - out) = -ln(1 + e^(net)) */
    return y * softplus(-net) + (1.0 - y) * softplus(net); /* mutant: cross-entropy-clamped */
}

void nn_softmax(const double *net, double *out, int n)
{
    double top = net[0], sum = 0.0;
    for (int k = 1; k < n; k++)
        top = net[k] > top ? net[k] : top;
    for (int k = 0; k < n; k++) {
        out[k] = exp(net[k] - top);             /* e^(net_k) / e^top: at most 1 */
        sum += out[k];
    }
    for (int k = 0; k < n; k++)
        out[k] /= sum;
}

double nn_softmax_ce_loss(const double *net, const double *y, int n)
{
    /* -sum_k y_k ln(out_k), with ln(out_k) = net_k - ln(sum_j e^(net_j)).  Around the largest
     * net (net_top): -ln(out_k) = (net_top - net_k) + ln(1 + rest), rest = sum_(j != top)
     * e^(net_j - net_top), so a loss near 0 (out_top near 1) keeps its digits through log1p
     * instead of cancelling in ln(sum) - net_k (exact for losses down to 1e-300). */
    int top = 0;
    double rest = 0.0, e = 0.0;
    for (int k = 1; k < n; k++)
        top = net[k] > net[top] ? k : top;
    for (int k = 0; k < n; k++)
        rest += k == top ? 0.0 : exp(net[k] - net[top]);
    double lse = log1p(rest);                   /* ln(sum_j e^(net_j)) - net_top */ /* mutant: softmax-loss-cancels */
    for (int k = 0; k < n; k++)
        e += y[k] * ((net[top] - net[k]) + lse);
    return e;
}

double nn_ce_delta(double out, double y)
{
    /* dE/dnet = dE/dout * dout/dnet = (out - y)/(out(1 - out)) * out(1 - out) */
    return out - y; /* mutant: cross-entropy-quotient */
}

const char *nn_stage_title(int stage)
{
    static const char *const titles[NN_STAGES] = {
        "Forward function for a hidden layer",
        "Forward function for an output layer",
        "Quadratic loss function",
        "Backpropagation of an output layer",
        "Backpropagation of a hidden layer",
        "Adjustment of weights and biases - gradient descent",
    };
    return stage >= 1 && stage <= NN_STAGES ? titles[stage - 1] : "";
}

const char *nn_stage_title_net(const nn_net *net, int stage)
{
    if (stage == NN_STAGE_LOSS && net->loss == NN_LOSS_CROSS_ENTROPY)
        return net->act[net->n_layers] == NN_ACT_SOFTMAX ? "Categorical cross-entropy loss function"
                                                         : "Cross-entropy loss function";
    return nn_stage_title(stage);
}

/* The input of layer l for sample s: x, or the outputs of layer l-1. */
static const double *layer_input(const nn_ctx *ctx, const double *x, int l, int s)
{
    return l == 1 ? x + (size_t)s * ctx->shape.size[0]
                  : ctx->out[l - 1] + (size_t)s * ctx->shape.size[l - 1];
}

/*
 * Stages 1 and 2, layer l.  in: (n, size[l-1])  ->  net, out: (n, size[l])
 *   net_j = sum_i w(i->j) * in_i + w(1->j) * 1;   out_j = f(net_j)
 * The loop runs over i outside j so that the weights are read in memory
 * order; each net_j still adds its terms in the formula's order (i = 1, 2,
 * ..., then the bias), so the result is the same to the bit.
 */
NN_HOT static void layer_forward(nn_ctx *ctx, const nn_net *net, const double *x, int n, int l)
{
    int I = net->size[l - 1], J = net->size[l];
    const double *restrict w = net->w + net->w_off[l];
    const double *restrict bias = net->w + net->b_off[l];
    for (int s = 0; s < n; s++)
        for (int j = 0; j < J; j++)
            ctx->net[l][(size_t)s * J + j] = 0.0;
    /* four samples at a time share each row of weights read from memory */
    int s = 0;
    for (; s + 4 <= n; s += 4) {
        const double *restrict in0 = layer_input(ctx, x, l, s), *restrict in1 = layer_input(ctx, x, l, s + 1);
        const double *restrict in2 = layer_input(ctx, x, l, s + 2), *restrict in3 = layer_input(ctx, x, l, s + 3);
        double *restrict z0 = ctx->net[l] + (size_t)s * J, *restrict z1 = z0 + J;
        double *restrict z2 = z1 + J, *restrict z3 = z2 + J;
        for (int i = 0; i < I; i++) {
            const double *restrict row = w + (size_t)i * J;    /* w(i->j) for every j */
            double a0 = in0[i], a1 = in1[i], a2 = in2[i], a3 = in3[i];
            for (int j = 0; j < J; j++) {
                z0[j] += row[j] * a0;
                z1[j] += row[j] * a1;
                z2[j] += row[j] * a2;
                z3[j] += row[j] * a3;
            }
        }
    }
    for (; s < n; s++) {
        const double *restrict in = layer_input(ctx, x, l, s);
        double *restrict z = ctx->net[l] + (size_t)s * J;
        for (int i = 0; i < I; i++) {
            const double *restrict row = w + (size_t)i * J;
            double a = in[i];
            for (int j = 0; j < J; j++)
                z[j] += row[j] * a;
        }
    }
    for (s = 0; s < n; s++) {
        double *restrict z = ctx->net[l] + (size_t)s * J, *restrict out = ctx->out[l] + (size_t)s * J;
        for (int j = 0; j < J; j++) {
            z[j] += bias[j] * 1.0;
            out[j] = nn_activate(net->act[l], z[j]);
        }
        if (net->act[l] == NN_ACT_SOFTMAX)      /* out_j = e^(net_j) / sum_k e^(net_k): the whole layer */ /* mutant: softmax-as-sigmoid */
            nn_softmax(z, out, J);
    }
}

/*
 * Stage 3.  out_L, y: (n, O)  ->  e_total: (n), e_final
 *   quadratic:     E_total = 1/2 sum_k (out_k - y_k)^2
 *   cross-entropy: E_total = -sum_k (y_k ln(out_k) + (1 - y_k) ln(1 - out_k)),
 *                  computed from net_k as sum_k (y_k ln(1 + e^(-net_k)) + (1 - y_k) ln(1 + e^(net_k)))
 *                  (the sigmoid outputs it needs), exact for any net: no clamp
 *   softmax outputs (categorical cross-entropy): E_total = -sum_k y_k ln(out_k),
 *                  computed from the nets as sum_k y_k (ln(sum_j e^(net_j)) - net_k)
 *   E_final = 1/n sum_s E_total_s
 */
/* E_total of one sample from its output layer's nets and outputs (O each). */
static double sample_loss(const nn_net *shape, const double *net, const double *out, const double *y)
{
    int L = shape->n_layers, O = shape->size[L];
    double e = 0.0;
    if (shape->act[L] == NN_ACT_SOFTMAX)         /* categorical: -sum_k y_k ln(out_k), from the nets */
        return nn_softmax_ce_loss(net, y, O);
    for (int k = 0; k < O; k++) {
        if (shape->loss == NN_LOSS_CROSS_ENTROPY)
            e += nn_ce_loss(net[k], y[k]);
        else
            e += (out[k] - y[k]) * (out[k] - y[k]);
    }
    return shape->loss == NN_LOSS_CROSS_ENTROPY ? e : 0.5 * e;
}

static void loss_forward(nn_ctx *ctx, const double *y, int n)
{
    int L = ctx->shape.n_layers, O = ctx->shape.size[L];
    double sum = 0.0;
    for (int s = 0; s < n; s++) {
        ctx->e_total[s] = sample_loss(&ctx->shape, ctx->net[L] + (size_t)s * O, ctx->out[L] + (size_t)s * O,
                                      y + (size_t)s * O);
        sum += ctx->e_total[s];
    }
    ctx->e_final = sum / n;
}

/*
 * Stages 4 and 5, layer l (output first, then each hidden layer back to the
 * first).  Uses the weights as they are before the update of stage 6.
 *   dE_total/dout_j = loss'(out_j, y_j) for the output layer,
 *                   = sum_k dE_total/dout_k * dout_k/dnet_k * w(j->k) otherwise  (term 1)
 *   dout_j/dnet_j   = f'(net_j)                                                  (term 2)
 *   dnet_j/dw       = in_i, or 1 for the bias                                    (term 3)
 *   dE_final/dw     = 1/n sum_s term1 * term2 * term3
 * With cross-entropy (sigmoid outputs) the output layer's term 1 * term 2 is
 * computed as one, dE_total/dnet = out - y: (out - y)/(out(1 - out)) would
 * divide by zero once out rounds to 1.
 */
NN_HOT static void layer_backward(nn_ctx *ctx, const nn_net *net, const double *x, const double *y,
                                  int n, int l)
{
    int L = net->n_layers, I = net->size[l - 1], J = net->size[l];
    for (int s = 0; s < n; s++) {
        for (int j = 0; j < J; j++) {
            double d, out = ctx->out[l][s * J + j];
            if (l == L && net->loss == NN_LOSS_CROSS_ENTROPY) {
                /* term 1 * term 2 in one: dE_total/dnet = out - y; stored as
                 * term 1 with term 2 = 1, so every product below is unchanged */
                ctx->dout[l][s * J + j] = nn_ce_delta(out, y[s * J + j]);
                ctx->slope[l][s * J + j] = 1.0;
                continue;
            }
            if (l == L) {
                d = out - y[s * J + j];
            } else {
                int K = net->size[l + 1];
                d = 0.0;
                for (int k = 0; k < K; k++)
                    d += ctx->dout[l + 1][s * K + k] * ctx->slope[l + 1][s * K + k] *
                         net->w[nn_w_index(net, l + 1, j, k)];
            }
            ctx->dout[l][s * J + j] = d;
            ctx->slope[l][s * J + j] = nn_activate_slope(net->act[l], ctx->net[l][s * J + j], out);
        }
    }
    /* dE_final/dw: the sum over samples runs outermost so that dw is written
     * in memory order; every sum still adds its samples in order 1, 2, ..., n */
    double *restrict dw = ctx->dw + net->w_off[l];
    double *restrict db = ctx->dw + net->b_off[l];
    for (int q = 0; q < I * J; q++)
        dw[q] = 0.0;
    for (int j = 0; j < J; j++)
        db[j] = 0.0;
    /* products d1*d2 first (term 1 * term 2), then four samples at a time
     * added to each row of dw in sample order */
    int s = 0;
    for (; s + 4 <= n; s += 4) {
        const double *restrict in0 = layer_input(ctx, x, l, s), *restrict in1 = layer_input(ctx, x, l, s + 1);
        const double *restrict in2 = layer_input(ctx, x, l, s + 2), *restrict in3 = layer_input(ctx, x, l, s + 3);
        const double *restrict a0 = ctx->dout[l] + (size_t)s * J, *restrict b0 = ctx->slope[l] + (size_t)s * J;
        const double *restrict a1 = a0 + J, *restrict b1 = b0 + J, *restrict a2 = a1 + J, *restrict b2 = b1 + J;
        const double *restrict a3 = a2 + J, *restrict b3 = b2 + J;
        for (int i = 0; i < I; i++) {
            double *restrict row = dw + (size_t)i * J;
            double c0 = in0[i], c1 = in1[i], c2 = in2[i], c3 = in3[i];
            for (int j = 0; j < J; j++) {
                double r = row[j];
                r += a0[j] * b0[j] * c0;
                r += a1[j] * b1[j] * c1;
                r += a2[j] * b2[j] * c2;
                r += a3[j] * b3[j] * c3; /* mutant: engine-fast-reassociated */
                row[j] = r;
            }
        }
        for (int j = 0; j < J; j++) {
            double r = db[j];
            r += a0[j] * b0[j] * 1.0;
            r += a1[j] * b1[j] * 1.0;
            r += a2[j] * b2[j] * 1.0;
            r += a3[j] * b3[j] * 1.0;
            db[j] = r;
        }
    }
    for (; s < n; s++) {
        const double *restrict in = layer_input(ctx, x, l, s);
        const double *restrict d1 = ctx->dout[l] + (size_t)s * J;   /* term 1 */
        const double *restrict d2 = ctx->slope[l] + (size_t)s * J;   /* term 2 */
        for (int i = 0; i < I; i++) {
            double a = in[i];                                         /* term 3 */
            double *restrict row = dw + (size_t)i * J;
            for (int j = 0; j < J; j++)
                row[j] += d1[j] * d2[j] * a;
        }
        for (int j = 0; j < J; j++)
            db[j] += d1[j] * d2[j] * 1.0;
    }
    for (int q = 0; q < I * J; q++)
        dw[q] = dw[q] / n;
    for (int j = 0; j < J; j++)
        db[j] = db[j] / n; /* mutant: bias-gradient-summed */
}

/* Stage 6.  w_m = w_m - eta * dE_final/dw_m, keeping the old weights. */
static void update(nn_ctx *ctx, nn_net *net, double lr)
{
    for (int m = 0; m < net->n_weights; m++) {
        ctx->w_old[m] = net->w[m];
        net->w[m] = net->w[m] - lr * ctx->dw[m];
    }
}

/* ---------------------------------------------------------------- tracing */

const char *nn_event_kind_name(nn_ev_kind kind)
{
    static const char *const names[NN_EV_KINDS] = {
        "net", "out", "loss", "loss_batch", "dE_dout", "dout_dnet", "dE_dnet", "gradient", "update",
    };
    return kind >= 0 && kind < NN_EV_KINDS ? names[kind] : "";
}

const char *nn_operand_kind_name(nn_op_kind kind)
{
    static const char *const names[NN_OP_KINDS] = {
        "value", "input", "target", "weight", "bias_input", "learning_rate",
    };
    return kind >= 0 && kind < NN_OP_KINDS ? names[kind] : "";
}

void nn_symbol(const nn_net *net, nn_ev_kind kind, int layer, int unit, int weight, char *buf, size_t size)
{
    nn_str b = { buf, 0, size };
    int has_unit = unit >= 1 && layer >= 0 && layer <= net->n_layers;
    if (size)
        buf[0] = '\0';
    switch (kind) {
    case NN_EV_NET:        str_s(&b, "net_"); break;
    case NN_EV_OUT:        str_s(&b, "out_"); break;
    case NN_EV_LOSS:       str_s(&b, "E_total"); return;
    case NN_EV_LOSS_BATCH: str_s(&b, "E_final"); return;
    case NN_EV_DE_DOUT:    str_s(&b, "dE_total/dout_"); break;
    case NN_EV_DE_DNET:    str_s(&b, "dE_total/dnet_"); break;
    case NN_EV_DOUT_DNET:
        str_s(&b, "dout_");
        if (has_unit)
            str_unit(&b, net, layer, unit - 1);
        str_s(&b, "/dnet_");
        break;
    case NN_EV_GRADIENT:   str_s(&b, "dE_final/dw"); str_i(&b, weight); return;
    case NN_EV_UPDATE: case NN_EV_KINDS:
    default:               str_s(&b, "w"); str_i(&b, weight); return;
    }
    if (has_unit)
        str_unit(&b, net, layer, unit - 1);
}

/* Start an event: what it is (unit and weight from 1, 0 for none) and its
 * form with the number of its terms and operands. */
static void ev_begin(nn_ctx *ctx, int kind, int layer, int unit, int weight, int form, int n_terms, int n_ops)
{
    nn_builder *eb = &ctx->b;
    eb->kind = kind;
    eb->layer = layer;
    eb->unit = unit;
    eb->weight = weight;
    eb->form = form;
    eb->n_terms = n_terms;
    eb->n_ops = n_ops;
    if (!ctx->sink->unnamed)
        nn_symbol(&ctx->shape, kind, layer, unit, weight, eb->symbol, sizeof eb->symbol);
}

/* Send the event begun; returns its id, or -1 when the sink said stop. */
static long ev_emit(nn_ctx *ctx, int step, int stage, int sample, double value)
{
    nn_builder *eb = &ctx->b;
    nn_event ev = {
        .id = ctx->next_id++, .kind = eb->kind, .layer = eb->layer, .unit = eb->unit,
        .weight = eb->weight, .step = step, .stage = stage, .sample = sample,
        .symbol = ctx->sink->unnamed ? NULL : eb->symbol, .value = value, .form = eb->form, .n_terms = eb->n_terms,
        .n_ops = eb->n_ops, .ops = NULL, .src = ctx,
    };
    if (ctx->sink->event && ctx->sink->event(ctx->sink->user, &ev) != 0)
        return -1;
    return ev.id;
}

static int stage_begin(nn_ctx *ctx, int step, int stage, int layer)
{
    if (ctx->sink->stage && ctx->sink->stage(ctx->sink->user, step, stage, layer) != 0)
        return NN_EABORTED;
    return NN_OK;
}

#define EMIT(idvar, step, stage, sample, value) \
    do { if (((idvar) = ev_emit(ctx, step, stage, sample, value)) < 0) return NN_EABORTED; } while (0)

/* Operands.  A neuron's value: event kind `of` of unit j (0-based) of layer
 * l, from batch sample `sample` (0: the event's own). */
static nn_operand value_op(double value, long dep, int of, int l, int j, int sample)
{
    return (nn_operand){ .value = value, .dep = dep, .kind = NN_OP_VALUE, .of = of, .layer = l,
                         .unit = j + 1, .sample = sample };
}

/* Weight m (0-based) as the step's stages 1-5 and its update read it: the
 * value it had before the update, and the event that had set that value
 * (from the update on, w_old and id_w_old keep both; before, they are net's). */
static nn_operand weight_op(const nn_ctx *ctx, const nn_net *net, int m)
{
    return (nn_operand){ .value = ctx->updated ? ctx->w_old[m] : net->w[m],
                         .dep = ctx->updated ? ctx->id_w_old[m] : ctx->id_w[m], /* mutant: weight-dep-after-update */
                         .kind = NN_OP_WEIGHT,
                         .layer = nn_w_layer(net, m), .weight = m + 1 };
}

/* The value feeding unit i of layer l-1 into layer l for sample s: input x_i,
 * or the out of the layer below. */
static nn_operand input_op(const nn_ctx *ctx, const nn_net *net, const double *x, int l, int s, int i,
                           int sample)
{
    if (l == 1)
        return (nn_operand){ .value = x[(size_t)s * net->size[0] + i], .dep = -1,
                             .kind = NN_OP_INPUT, .unit = i + 1, .sample = sample };
    int I = net->size[l - 1];
    return value_op(ctx->out[l - 1][s * I + i], ctx->id_out[l - 1][s * I + i], NN_EV_OUT, l - 1, i, sample);
}

/* The bias input of unit j of layer l: always 1. */
static nn_operand bias_op(int l, int j)
{
    return (nn_operand){ .value = 1.0, .dep = -1, .kind = NN_OP_BIAS_INPUT, .layer = l, .unit = j + 1 }; /* mutant: operand-kind-wrong */
}

/* Target y_k (0-based) of sample s at the output layer L. */
static nn_operand target_op(const nn_ctx *ctx, int L, int s, int k)
{
    return (nn_operand){ .value = ctx->t_y[s * ctx->shape.size[L] + k], .dep = -1, .kind = NN_OP_TARGET,
                         .layer = L, .unit = k + 1 };
}

/* Operand q of an event of the step being traced, from the values it was
 * computed from, term by term as its form lists them (engine.h's NN_FORM_*).
 * Each case mirrors the loop of the stage that computes the value. */
static nn_operand event_op(const nn_ctx *ctx, const nn_event *ev, int q)
{
    const nn_net *net = ctx->t_net;
    int L = net->n_layers, l = ev->layer, j = ev->unit - 1, s = ev->sample - 1;
    switch (ev->kind) {
    case NN_EV_NET: {                 /* terms (w_m, in_i) for i = 1..I, then (w_bias, b) */
        int I = net->size[l - 1], i = q / 2;
        int m = i < I ? nn_w_index(net, l, i, j) : nn_b_index(net, l, j);
        if (q % 2 == 0)
            return weight_op(ctx, net, m);
        return i < I ? input_op(ctx, net, ctx->t_x, l, s, i, 0) : bias_op(l, j); /* mutant: operand-net-input-sample */
    }
    case NN_EV_OUT: {                 /* (net_j); for softmax then every net of the layer */
        int J = net->size[l], k = q == 0 ? j : q - 1;
        return value_op(ctx->net[l][s * J + k], ctx->id_net[l][s * J + k], NN_EV_NET, l, k, 0);
    }
    case NN_EV_LOSS: {                /* per output k: (out, y), (y, net) or (y, out) */
        int O = net->size[L], k = q / 2, sk = s * O + k, first = q % 2 == 0;
        if (net->act[L] == NN_ACT_SOFTMAX)      /* -(y*ln(out) + ...) */
            return first ? target_op(ctx, L, s, k)
                         : value_op(ctx->out[L][sk], ctx->id_out[L][sk], NN_EV_OUT, L, k, 0);
        if (net->loss == NN_LOSS_CROSS_ENTROPY) /* y*ln(1 + e^(-net)) + (1 - y)*ln(1 + e^(net)) */
            return first ? target_op(ctx, L, s, k)
                         : value_op(ctx->net[L][sk], ctx->id_net[L][sk], NN_EV_NET, L, k, 0);
        return first ? value_op(ctx->out[L][sk], ctx->id_out[L][sk], NN_EV_OUT, L, k, 0)
                     : target_op(ctx, L, s, k);
    }
    case NN_EV_LOSS_BATCH:            /* 1/n*(X1:E_total + ...) */
        return (nn_operand){ .value = ctx->e_total[q], .dep = ctx->id_e_total[q], .kind = NN_OP_VALUE,
                             .of = NN_EV_LOSS, .layer = L, .sample = q + 1 };
    case NN_EV_DE_DOUT: case NN_EV_DE_DNET: {
        int J = net->size[l], sj = s * J + j;
        if (l == L)                   /* out - y */
            return q == 0 ? value_op(ctx->out[l][sj], ctx->id_out[l][sj], NN_EV_OUT, l, j, 0)
                          : target_op(ctx, L, s, j);
        /* per unit k of the layer above: (dE/dout_k, dout_k/dnet_k, w) or (dE/dnet_k, w) */
        int K = net->size[l + 1], above_ce = net->loss == NN_LOSS_CROSS_ENTROPY && l + 1 == L;
        int per = above_ce ? 2 : 3, k = q / per, r = q % per, sk = s * K + k;
        if (r == 0)
            return value_op(ctx->dout[l + 1][sk], ctx->id_dout[l + 1][sk],
                            above_ce ? NN_EV_DE_DNET : NN_EV_DE_DOUT, l + 1, k, 0);
        if (r == 1 && !above_ce)
            return value_op(ctx->slope[l + 1][sk], ctx->id_slope[l + 1][sk], NN_EV_DOUT_DNET, l + 1, k, 0);
        int m = nn_w_index(net, l + 1, j, k);
        return weight_op(ctx, net, m);
    }
    case NN_EV_DOUT_DNET: {           /* (out), or (net) for relu */
        int J = net->size[l], sj = s * J + j;
        if (net->act[l] == NN_ACT_RELU)
            return value_op(ctx->net[l][sj], ctx->id_net[l][sj], NN_EV_NET, l, j, 0);
        return value_op(ctx->out[l][sj], ctx->id_out[l][sj], NN_EV_OUT, l, j, 0);
    }
    case NN_EV_GRADIENT: {            /* per sample: (dE/dout_j, dout_j/dnet_j, in_i) or (dE/dnet_j, in_i) */
        int m = ev->weight - 1, fl, fi, tl, tj;
        nn_w_units(net, m, &fl, &fi, &tl, &tj);
        int J = net->size[l], ce_out = l == L && net->loss == NN_LOSS_CROSS_ENTROPY;
        int per = ce_out ? 2 : 3, t = q / per, r = q % per, sj = t * J + tj;
        if (r == 0)                                                            /* term 1 */
            return value_op(ctx->dout[l][sj], ctx->id_dout[l][sj], ce_out ? NN_EV_DE_DNET : NN_EV_DE_DOUT,
                            l, tj, t + 1);
        if (r == 1 && !ce_out)                                                 /* term 2 */ /* mutant: operand-gradient-slope-for-ce */
            return value_op(ctx->slope[l][sj], ctx->id_slope[l][sj], NN_EV_DOUT_DNET, l, tj, t + 1);
        return fi >= 0 ? input_op(ctx, net, ctx->t_x, l, t, fi, t + 1) : bias_op(l, tj);   /* term 3 */
    }
    case NN_EV_UPDATE: {              /* (w, eta, dE_final/dw) */
        int m = ev->weight - 1;
        if (q == 0)
            return weight_op(ctx, net, m);
        if (q == 1)
            return (nn_operand){ .value = ctx->t_lr, .dep = -1, .kind = NN_OP_LEARNING_RATE };
        return (nn_operand){ .value = ctx->dw[m], .dep = ctx->id_dw[m], .kind = NN_OP_VALUE,
                             .of = NN_EV_GRADIENT, .layer = l, .weight = m + 1 };
    }
    case NN_EV_KINDS:
    default:
        return (nn_operand){ .kind = NN_OP_KINDS, .dep = -1 };
    }
}

nn_operand nn_event_op(const nn_event *ev, int q)
{
    if (q < 0 || q >= ev->n_ops || (!ev->ops && !ev->src))
        return (nn_operand){ .kind = NN_OP_KINDS, .dep = -1 };
    return ev->ops ? ev->ops[q] : event_op(ev->src, ev, q);
}

int nn_event_deps(const nn_event *ev, long *deps, int max)
{
    int n = 0;
    for (int q = 0; q < ev->n_ops; q++) {
        long d = nn_event_op(ev, q).dep;
        if (d >= 0) {
            if (n < max)
                deps[n] = d;
            n++;
        }
    }
    return n;
}

/* Stages 1 and 2 events for layer l: net_j = w*in_1 + ... + w*b, out_j = f(net_j). */
static int trace_forward(nn_ctx *ctx, const nn_net *net, int n, int step, int l)
{
    static const int act_form[NN_ACT_COUNT] = { NN_FORM_SIGMOID, NN_FORM_TANH, NN_FORM_RELU, NN_FORM_LINEAR,
                                                NN_FORM_SOFTMAX };
    int I = net->size[l - 1], J = net->size[l], stage = l == net->n_layers ? 2 : 1;
    int softmax = net->act[l] == NN_ACT_SOFTMAX, n_out = softmax ? J + 1 : 1;   /* softmax: every net */
    for (int s = 0; s < n; s++) {
        for (int j = 0; j < J; j++) {
            ev_begin(ctx, NN_EV_NET, l, j + 1, 0, NN_FORM_WEIGHTED_SUM, I + 1, 2 * (I + 1));
            EMIT(ctx->id_net[l][s * J + j], step, stage, s + 1, ctx->net[l][s * J + j]);
        }
        for (int j = 0; j < J; j++) {
            ev_begin(ctx, NN_EV_OUT, l, j + 1, 0, act_form[net->act[l]], n_out, n_out);
            EMIT(ctx->id_out[l][s * J + j], step, stage, s + 1, ctx->out[l][s * J + j]);
        }
    }
    return NN_OK;
}

/* Stage 3 events: E_total per sample, E_final = 1/n*(X1:E_total + ...). */
static int trace_loss(nn_ctx *ctx, int n, int step)
{
    const nn_net *net = &ctx->shape;
    int L = net->n_layers, O = net->size[L], ce = net->loss == NN_LOSS_CROSS_ENTROPY;
    int categorical = net->act[L] == NN_ACT_SOFTMAX;
    for (int s = 0; s < n; s++) {
        ev_begin(ctx, NN_EV_LOSS, L, 0, 0,
                 categorical ? NN_FORM_CATEGORICAL_CE : ce ? NN_FORM_CROSS_ENTROPY : NN_FORM_SQUARED_ERROR,
                 O, 2 * O);
        EMIT(ctx->id_e_total[s], step, 3, s + 1, ctx->e_total[s]);
    }
    ev_begin(ctx, NN_EV_LOSS_BATCH, L, 0, 0, NN_FORM_MEAN, n, n);
    EMIT(ctx->id_e_final, step, 3, 0, ctx->e_final);
    return NN_OK;
}

/* Stages 4 and 5, per sample: dE_total/dout_j of layer l (for a
 * cross-entropy output dE_total/dnet_j), then dout_j/dnet_j. */
static int trace_unit_backward(nn_ctx *ctx, const nn_net *net, int s, int step, int l)
{
    static const int slope_form[NN_ACT_COUNT] = {   /* softmax: an output with the cross-entropy, no slope */
        NN_FORM_SIGMOID_SLOPE, NN_FORM_TANH_SLOPE, NN_FORM_RELU_SLOPE, NN_FORM_LINEAR_SLOPE, NN_FORM_LINEAR_SLOPE,
    };
    int L = net->n_layers, J = net->size[l], stage = l == L ? 4 : 5;
    int ce_out = l == L && net->loss == NN_LOSS_CROSS_ENTROPY;  /* dE_total/dnet in one */
    for (int j = 0; j < J; j++) {
        int sj = s * J + j;
        if (l == L) {
            /* quadratic: dE_total/dout = out - y; cross-entropy: dE_total/dnet = out - y */
            ev_begin(ctx, ce_out ? NN_EV_DE_DNET : NN_EV_DE_DOUT, l, j + 1, 0, NN_FORM_DIFFERENCE, 1, 2);
        } else {
            /* the layer above's terms, through the weights from unit j */
            int K = net->size[l + 1], above_ce = net->loss == NN_LOSS_CROSS_ENTROPY && l + 1 == L;
            ev_begin(ctx, NN_EV_DE_DOUT, l, j + 1, 0, NN_FORM_SUM_PRODUCTS, K, K * (above_ce ? 2 : 3));
        }
        EMIT(ctx->id_dout[l][sj], step, stage, s + 1, ctx->dout[l][sj]);
        if (ce_out)
            ctx->id_slope[l][sj] = ctx->id_dout[l][sj];
    }
    for (int j = 0; j < J && !ce_out; j++) {
        int sj = s * J + j, act = net->act[l];
        ev_begin(ctx, NN_EV_DOUT_DNET, l, j + 1, 0, slope_form[act], 1, act == NN_ACT_LINEAR ? 0 : 1); /* mutant: event-kind-wrong */
        EMIT(ctx->id_slope[l][sj], step, stage, s + 1, ctx->slope[l][sj]);
    }
    return NN_OK;
}

/* Stages 4 and 5 events for layer l: per sample dE_total/dout and dout/dnet,
 * then the batch's dE_final/dw for the weights and biases into layer l:
 * dE_final/dw = 1/n*(X1:dE_total/dout_j*X1:dout_j/dnet_j*X1:in_i + ...). */
static int trace_backward(nn_ctx *ctx, const nn_net *net, int n, int step, int l)
{
    int L = net->n_layers, I = net->size[l - 1], J = net->size[l], stage = l == L ? 4 : 5;
    int per = l == L && net->loss == NN_LOSS_CROSS_ENTROPY ? 2 : 3;
    for (int s = 0; s < n; s++) {
        int rc = trace_unit_backward(ctx, net, s, step, l);
        if (rc != NN_OK)
            return rc;
    }
    /* the weights into layer l (i = 0..I-1), then their biases (i = I) */
    for (int i = 0; i <= I; i++) {
        for (int j = 0; j < J; j++) {
            int m = i < I ? nn_w_index(net, l, i, j) : nn_b_index(net, l, j);
            ev_begin(ctx, NN_EV_GRADIENT, l, 0, m + 1, NN_FORM_MEAN, n, n * per);
            EMIT(ctx->id_dw[m], step, stage, 0, ctx->dw[m]);
        }
    }
    return NN_OK;
}

/* Stage 6 events: w_m = w_m - eta*dE_final/dw_m. */
static int trace_update(nn_ctx *ctx, const nn_net *net, int step)
{
    for (int m = 0; m < net->n_weights; m++) {
        ev_begin(ctx, NN_EV_UPDATE, nn_w_layer(net, m), 0, m + 1, NN_FORM_UPDATE, 1, 3);
        EMIT(ctx->id_w[m], step, 6, 0, net->w[m]);
    }
    return NN_OK;
}

/* ------------------------------------------------------ non-finite checks */

/* Record where the first non-finite value appeared: stage, symbol, sample, value. */
static int bad(nn_ctx *ctx, int stage, int kind, int layer, int unit, int weight, int sample, double value)
{
    ctx->bad_stage = stage;
    ctx->bad_sample = sample;
    ctx->bad_value = value;
    nn_symbol(&ctx->shape, kind, layer, unit, weight, ctx->bad_symbol, sizeof ctx->bad_symbol);
    return 1;
}

/* The first non-finite value among a layer's per-sample values of one kind. */
static int check_layer(nn_ctx *ctx, int stage, const double *values, int n, int l, int kind)
{
    int J = ctx->shape.size[l];
    for (int q = 0; q < n * J; q++)
        if (!isfinite(values[q]))
            return bad(ctx, stage, kind, l, q % J + 1, 0, q / J + 1, values[q]);
    return 0;
}

/* The first non-finite value of values[from .. from+count), weights of one kind. */
static int check_weights(nn_ctx *ctx, int stage, const double *values, int from, int count, int kind)
{
    for (int m = from; m < from + count; m++)
        if (!isfinite(values[m]))
            return bad(ctx, stage, kind, 0, 0, m + 1, 0, values[m]);
    return 0;
}

static int check_loss(nn_ctx *ctx, int n)
{
    for (int s = 0; s < n; s++)
        if (!isfinite(ctx->e_total[s]))
            return bad(ctx, 3, NN_EV_LOSS, 0, 0, 0, s + 1, ctx->e_total[s]);
    if (!isfinite(ctx->e_final))
        return bad(ctx, 3, NN_EV_LOSS_BATCH, 0, 0, 0, 0, ctx->e_final);
    return 0;
}

/* ------------------------------------------------------------------ steps */

int nn_step(nn_ctx *ctx, nn_net *net, const double *x, const double *y, int n,
            double lr, int step, double *loss)
{
    if (!fits(ctx, net, n))
        return NN_EARG;
#ifdef NN_NO_TRACE
    int L = net->n_layers, tracing = 0, rc;      /* benchmark build: no instrumentation at all */
#else
    int L = net->n_layers, tracing = ctx->sink != NULL, rc;
#endif
    ctx->bad_stage = 0; /* mutant: no-sink-step-does-nothing */
    ctx->bad_symbol[0] = '\0';
    ctx->bad_step = step;
    ctx->t_net = net;
    ctx->t_x = x;
    ctx->t_y = y;
    ctx->t_lr = lr;
    ctx->updated = 0;

    /* stages 1 and 2: each layer forward */
    for (int l = 1; l <= L; l++) {
        int stage = l == L ? 2 : 1;
        layer_forward(ctx, net, x, n, l);
        if (tracing && ((rc = stage_begin(ctx, step, stage, l)) != NN_OK ||
                        (rc = trace_forward(ctx, net, n, step, l)) != NN_OK))
            return rc;
        if (check_layer(ctx, stage, ctx->net[l], n, l, NN_EV_NET) ||
            check_layer(ctx, stage, ctx->out[l], n, l, NN_EV_OUT))
            return NN_ENONFINITE;
    }
    /* stage 3: the loss */
    loss_forward(ctx, y, n);
    if (tracing && ((rc = stage_begin(ctx, step, 3, L)) != NN_OK ||
                    (rc = trace_loss(ctx, n, step)) != NN_OK))
        return rc;
    if (loss)
        *loss = ctx->e_final;
    if (check_loss(ctx, n))
        return NN_ENONFINITE;
    /* stages 4 and 5: each layer backward, output first */
    for (int l = L; l >= 1; l--) {
        int stage = l == L ? 4 : 5;
        layer_backward(ctx, net, x, y, n, l);
        if (tracing && ((rc = stage_begin(ctx, step, stage, l)) != NN_OK ||
                        (rc = trace_backward(ctx, net, n, step, l)) != NN_OK))
            return rc;
        if (check_layer(ctx, stage, ctx->dout[l], n, l, NN_EV_DE_DOUT) || /* mutant: stage5-updated-output-weights */
            check_weights(ctx, stage, ctx->dw, net->w_off[l], net->size[l - 1] * net->size[l], NN_EV_GRADIENT) ||
            check_weights(ctx, stage, ctx->dw, net->b_off[l], net->size[l], NN_EV_GRADIENT))
            return NN_ENONFINITE;
    }
    /* stage 6: the update */
    if (tracing)                                 /* who had set each weight, for its operands */
        memcpy(ctx->id_w_old, ctx->id_w, (size_t)net->n_weights * sizeof(long));
    update(ctx, net, lr);
    ctx->updated = 1;
    if (tracing && ((rc = stage_begin(ctx, step, 6, 0)) != NN_OK ||
                    (rc = trace_update(ctx, net, step)) != NN_OK))
        return rc;
    if (check_weights(ctx, 6, net->w, 0, net->n_weights, NN_EV_UPDATE))
        return NN_ENONFINITE;
    if (!tracing)
        for (int m = 0; m < net->n_weights; m++)
            ctx->id_w[m] = -1;
    return NN_OK;
}

/*
 * The reference step: the walkthrough's equations as plain indexed loops,
 * one sample and one unit at a time, nothing unrolled, reordered or traced.
 * nn_step above computes the same with its loops turned for speed (samples
 * four at a time, weights read in memory order); each sum still adds its
 * terms in the same order, so test_engine holds the two equal to the bit.
 * Sizes: x (n, inputs), y (n, outputs), w_new (n_weights); *e_final set.
 */
int nn_step_reference(const nn_net *net, const double *x, const double *y, int n, double lr,
                      double *w_new, double *e_final)
{
    int L = net->n_layers, W = net->n_weights, widest = nn_widest(net);
    if (n < 1)
        return NN_EARG;
    /* one sample's values per layer (net, out, dE/dout, dout/dnet), and the sum over samples of dE/dw */
    double *z = malloc((size_t)(L + 1) * (size_t)widest * 4 * sizeof(double) + (size_t)W * sizeof(double));
    if (!z)
        return NN_EARG;
    double *o = z + (size_t)(L + 1) * widest, *d1 = o + (size_t)(L + 1) * widest;
    double *d2 = d1 + (size_t)(L + 1) * widest, *sum = d2 + (size_t)(L + 1) * widest;
    double e = 0.0;
    for (int m = 0; m < W; m++)
        sum[m] = 0.0;
    for (int s = 0; s < n; s++) {
        for (int i = 0; i < net->size[0]; i++)                      /* layer 0: the inputs */
            o[i] = x[(size_t)s * net->size[0] + i];
        for (int l = 1; l <= L; l++) {                              /* stages 1, 2 */
            double *zl = z + (size_t)l * widest, *ol = o + (size_t)l * widest, *in = o + (size_t)(l - 1) * widest;
            for (int j = 0; j < net->size[l]; j++) {
                double t = 0.0;                                     /* net_j = sum_i w(i->j) in_i + w(1->j) 1 */
                for (int i = 0; i < net->size[l - 1]; i++)
                    t += net->w[nn_w_index(net, l, i, j)] * in[i];
                zl[j] = t + net->w[nn_b_index(net, l, j)] * 1.0;
                ol[j] = nn_activate(net->act[l], zl[j]);
            }
            if (net->act[l] == NN_ACT_SOFTMAX)
                nn_softmax(zl, ol, net->size[l]);
        }
        const double *ys = y + (size_t)s * net->size[L], *out = o + (size_t)L * widest;
        e += sample_loss(net, z + (size_t)L * widest, out, ys);     /* stage 3 */
        for (int l = L; l >= 1; l--) {                              /* stages 4, 5 */
            double *a = d1 + (size_t)l * widest, *b = d2 + (size_t)l * widest, *ol = o + (size_t)l * widest;
            for (int j = 0; j < net->size[l]; j++) {
                if (l == L && net->loss == NN_LOSS_CROSS_ENTROPY) {
                    a[j] = nn_ce_delta(ol[j], ys[j]);               /* dE/dnet = out - y, as one */
                    b[j] = 1.0;
                    continue;
                }
                double t = 0.0;                                     /* dE/dout_j */
                if (l == L)
                    t = ol[j] - ys[j];
                else
                    for (int k = 0; k < net->size[l + 1]; k++)
                        t += d1[(size_t)(l + 1) * widest + k] * d2[(size_t)(l + 1) * widest + k] *
                             net->w[nn_w_index(net, l + 1, j, k)];
                a[j] = t;
                b[j] = nn_activate_slope(net->act[l], z[(size_t)l * widest + j], ol[j]);
            }
            for (int j = 0; j < net->size[l]; j++) {                /* dE_total/dw, summed over samples */
                for (int i = 0; i < net->size[l - 1]; i++)
                    sum[nn_w_index(net, l, i, j)] += a[j] * b[j] * o[(size_t)(l - 1) * widest + i];
                sum[nn_b_index(net, l, j)] += a[j] * b[j] * 1.0;
            }
        }
    }
    for (int m = 0; m < W; m++)                                     /* stage 6 */
        w_new[m] = net->w[m] - lr * (sum[m] / n);
    *e_final = e / n;
    free(z);
    return NN_OK;
}

void nn_weight_changes(const double *before, const double *after, int n, double *change)
{
    for (int m = 0; m < n; m++)
        change[m] = after[m] - before[m]; /* mutant: change-sign-flipped */
}

double nn_loss(nn_ctx *ctx, const nn_net *net, const double *x, const double *y, int n)
{
    if (!fits(ctx, net, n))
        return NAN;
    for (int l = 1; l <= net->n_layers; l++)
        layer_forward(ctx, net, x, n, l);
    loss_forward(ctx, y, n);
    return ctx->e_final;
}

/* Layer l of one sample: in (size[l-1]) -> z, out (size[l]); the same sums
 * in the same order as layer_forward, so the same bits. */
static void forward_one(const nn_net *net, int l, const double *in, double *z, double *out)
{
    int I = net->size[l - 1], J = net->size[l];
    const double *w = net->w + net->w_off[l], *bias = net->w + net->b_off[l];
    for (int j = 0; j < J; j++)
        z[j] = 0.0;
    for (int i = 0; i < I; i++) {
        const double *row = w + (size_t)i * J;
        double a = in[i];
        for (int j = 0; j < J; j++)
            z[j] += row[j] * a;
    }
    for (int j = 0; j < J; j++) {
        z[j] += bias[j] * 1.0;
        out[j] = nn_activate(net->act[l], z[j]);
    }
    if (net->act[l] == NN_ACT_SOFTMAX)
        nn_softmax(z, out, J);
}

double nn_loss_around_products(const nn_net *net, int m, int n, int nv)
{
    int fl, fu, l, j;
    nn_w_units(net, m, &fl, &fu, &l, &j);
    double per = net->size[l - 1];              /* the unit's terms */
    for (int k = l + 1; k <= net->n_layers; k++)
        per += (double)net->size[k - 1] * net->size[k];
    return (double)nv * n * per;
}

int nn_loss_around(const nn_ctx *ctx, const nn_net *net, const double *x, const double *y, int n, int m,
                   const double *values, int nv, double *losses)
{
    int fl, fu, l, j;
    if (!fits(ctx, net, n) || m < 0 || m >= net->n_weights || nv < 1 || nv > 4)
        return -1;
    nn_w_units(net, m, &fl, &fu, &l, &j);       /* unit fu of layer l-1 (-1: the bias) -> unit j of layer l */
    int L = net->n_layers, I = net->size[l - 1], J = net->size[l], O = net->size[L];
    size_t per = 0;                             /* one sample's rows of layers l..L */
    for (int k = l; k <= L; k++)
        per += (size_t)net->size[k];
    double *buf = malloc((2 * (size_t)nv * per + (size_t)I) * sizeof(double));
    if (!buf)
        return -1;
    double *col = buf + 2 * (size_t)nv * per;   /* w(i->j) for every i: the column, read once */
    for (int i = 0; i < I; i++)
        col[i] = net->w[net->w_off[l] + (size_t)i * J + j];
    double bias = net->w[net->b_off[l] + j], sum[4] = { 0.0, 0.0, 0.0, 0.0 };
    int split = fu >= 0 ? fu : I;               /* the perturbed term, or none before the bias */
    for (int s = 0; s < n; s++) {
        const double *in = layer_input(ctx, x, l, s);
        double z[4];
        /* term by term as layer_forward adds them: the nv values side by side */
        for (int v = 0; v < nv; v++)
            z[v] = 0.0;
        for (int i = 0; i < split; i++)
            for (int v = 0; v < nv; v++)
                z[v] += col[i] * in[i];
        if (fu >= 0) {
            for (int v = 0; v < nv; v++)
                z[v] += values[v] * in[fu]; /* mutant: check-around-term-unchanged */
            for (int i = fu + 1; i < I; i++)
                for (int v = 0; v < nv; v++)
                    z[v] += col[i] * in[i];
        }
        for (int v = 0; v < nv; v++)
            z[v] += (fu < 0 ? values[v] : bias) * 1.0;
        for (int v = 0; v < nv; v++) {
            double *zr = buf + 2 * (size_t)v * per, *orow = zr + per;   /* layer l's row, then the next ones */
            memcpy(zr, ctx->net[l] + (size_t)s * J, (size_t)J * sizeof(double));
            memcpy(orow, ctx->out[l] + (size_t)s * J, (size_t)J * sizeof(double));
            zr[j] = z[v];
            orow[j] = nn_activate(net->act[l], z[v]);
            if (net->act[l] == NN_ACT_SOFTMAX)
                nn_softmax(zr, orow, J);
            for (int k = l + 1; k <= L; k++) {  /* the layers after: whole */ /* mutant: check-around-later-layer-skipped */
                forward_one(net, k, orow, zr + net->size[k - 1], orow + net->size[k - 1]);
                zr += net->size[k - 1];
                orow += net->size[k - 1];
            }
            sum[v] += sample_loss(net, zr, orow, y + (size_t)s * O);
        }
    }
    for (int v = 0; v < nv; v++)
        losses[v] = sum[v] / n;
    free(buf);
    return 0;
}

int nn_answer(const double *out, int O)
{
    int best = 0;
    for (int k = 1; k < O; k++)
        if (out[k] > out[best])
            best = k;
    return best;
}

const double *nn_ctx_outputs(const nn_ctx *ctx)
{
    return ctx->out[ctx->shape.n_layers];
}

int nn_gradient(nn_ctx *ctx, const nn_net *net, const double *x, const double *y, int n,
                double *dw)
{
    if (!fits(ctx, net, n))
        return NN_EARG;
    for (int l = 1; l <= net->n_layers; l++)
        layer_forward(ctx, net, x, n, l);
    loss_forward(ctx, y, n);
    for (int l = net->n_layers; l >= 1; l--)
        layer_backward(ctx, net, x, y, n, l);
    memcpy(dw, ctx->dw, (size_t)net->n_weights * sizeof(double));
    return NN_OK;
}
