/*
 * engine.c - forward, loss, backward and update for a network of one or
 * more hidden layers, each as plain indexed loops that map onto the
 * walkthrough's equations; then, only when a sink is attached, the tracing
 * of each stage from the values just computed.
 */
#include "engine.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NN_OPS_MAX    40    /* operands one formula may name */
#define NN_NAMES_MAX  2560  /* bytes for the operand names of one formula */
#define NN_TMPL_MAX   1024  /* bytes for one formula template */
#define NN_SUM_SHOWN  6     /* a sum of more terms shows the first 4, "...", the last */
#define L_MAX         (NN_MAX_LAYERS + 1)

/* The two hot loops are built for AVX2 and AVX-512 too, picked at load time
 * (GCC function multiversioning).  Floating-point contraction stays off
 * (-std=c11), and no sum is reordered, so every build gives the same bits. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(NN_PORTABLE)
#define NN_HOT __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define NN_HOT
#endif

/* What the tracer is building: one event at a time. */
typedef struct nn_builder {
    char symbol[64];                 /* the event's symbol */
    int kind, layer, unit, weight;   /* what the event is (nn_event's fields) */
    char tmpl[NN_TMPL_MAX];          /* the formula template */
    size_t tmpl_len;                 /* bytes used in tmpl */
    char names[NN_NAMES_MAX];        /* operand names, NUL-separated */
    size_t names_len;                /* bytes used in names */
    nn_operand ops[NN_OPS_MAX];      /* operands named so far */
    int n_ops;                       /* operands used */
    long *deps;                      /* dependency ids (max_deps of them) */
    int n_deps;                      /* ids used */
    int max_deps;                    /* room in deps */
} nn_builder;

struct nn_ctx {
    nn_net shape;             /* the network shape the context serves (w unused) */
    int max_batch;            /* largest batch accepted */
    const nn_sink *sink;      /* where events go; NULL when tracing is off */
    /* values of the current batch per layer l = 1..L, sample-major [s*size[l] + j] */
    double *net[L_MAX];       /* net input */
    double *out[L_MAX];       /* activation */
    double *dout[L_MAX];      /* dE_total/dout */
    double *dnet[L_MAX];      /* dout/dnet */
    double *e_total;          /* E_total per sample */
    double e_final;           /* E_final of the batch */
    double *dw;               /* dE_final/dw_m */
    double *w_old;            /* the weights before the update (stage 6 operands) */
    /* event ids, parallel to the values above (tracing only) */
    long next_id;             /* id of the next event */
    long *id_net[L_MAX], *id_out[L_MAX], *id_dout[L_MAX], *id_dnet[L_MAX];
    long *id_e_total;
    long id_e_final;
    long *id_dw;              /* event of dE_final/dw_m */
    long *id_w;               /* event that set w_m's current value; -1 when given */
    nn_builder b;             /* the event being built */
    int bad_stage;            /* stage of the first non-finite value, 0 if none */
    char bad_symbol[64];      /* its symbol */
};

/* ---------------------------------------------------------------- network */

static const char *const act_names[NN_ACT_COUNT] = { "sigmoid", "tanh", "relu", "linear" };
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
            shape->act[l] = a;
            count += (long)sizes[l - 1] * sizes[l] + sizes[l];
        }
    }
    if (count > NN_MAX_WEIGHTS)
        return -1;
    shape->n_layers = n_layers;
    shape->loss = loss;
    shape->n_in = sizes[0];
    shape->n_hid = sizes[1];
    shape->n_out = sizes[n_layers];
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

int nn_w_index(const nn_net *net, int l, int i, int j) { return net->w_off[l] + i * net->size[l] + j; }
int nn_b_index(const nn_net *net, int l, int j) { return net->b_off[l] + j; }

void nn_unit_name(const nn_net *net, int l, int j, char *buf, size_t size)
{
    if (l == 0)
        snprintf(buf, size, "x%d", j + 1);
    else if (l == net->n_layers)
        snprintf(buf, size, "o%d", j + 1);
    else if (net->n_layers == 2)
        snprintf(buf, size, "h%d", j + 1);
    else
        snprintf(buf, size, "h%d_%d", l % 100, j + 1);
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

void nn_w_ends(const nn_net *net, int m, char *from, size_t from_size, char *to, size_t to_size)
{
    int l = nn_w_layer(net, m);
    if (m >= net->b_off[1]) {
        snprintf(from, from_size, "1");
        nn_unit_name(net, l, m - net->b_off[l], to, to_size);
    } else {
        int r = m - net->w_off[l];
        nn_unit_name(net, l - 1, r / net->size[l], from, from_size);
        nn_unit_name(net, l, r % net->size[l], to, to_size);
    }
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
    int ok = 1, widest = 0;
    if ((long)max_batch * nn_widest(shape) > NN_MAX_BATCH_UNITS) {
        free(ctx);
        return NULL;              /* s*J + j must fit in an int */
    }
    for (int l = 1; l <= shape->n_layers; l++) {
        size_t units = n * (size_t)shape->size[l];
        ok &= (ctx->net[l] = malloc(units * sizeof(double))) != NULL;
        ok &= (ctx->out[l] = malloc(units * sizeof(double))) != NULL;
        ok &= (ctx->dout[l] = malloc(units * sizeof(double))) != NULL;
        ok &= (ctx->dnet[l] = malloc(units * sizeof(double))) != NULL;
        ok &= (ctx->id_net[l] = malloc(units * sizeof(long))) != NULL;
        ok &= (ctx->id_out[l] = malloc(units * sizeof(long))) != NULL;
        ok &= (ctx->id_dout[l] = malloc(units * sizeof(long))) != NULL;
        ok &= (ctx->id_dnet[l] = malloc(units * sizeof(long))) != NULL;
        if (shape->size[l] > widest)
            widest = shape->size[l];
    }
    ctx->e_total = malloc(n * sizeof(double));
    ctx->id_e_total = malloc(n * sizeof(long));
    ctx->dw = calloc(W, sizeof(double));
    ctx->w_old = malloc(W * sizeof(double));
    ctx->id_dw = malloc(W * sizeof(long));
    ctx->id_w = malloc(W * sizeof(long));
    if (shape->size[0] > widest)
        widest = shape->size[0];
    ctx->b.max_deps = 3 * max_batch + 3 * widest + 8;
    ctx->b.deps = malloc((size_t)ctx->b.max_deps * sizeof(long));
    if (!ok || !ctx->e_total || !ctx->id_e_total || !ctx->dw || !ctx->w_old || !ctx->id_dw ||
        !ctx->id_w || !ctx->b.deps) {
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
        free(ctx->net[l]); free(ctx->out[l]); free(ctx->dout[l]); free(ctx->dnet[l]);
        free(ctx->id_net[l]); free(ctx->id_out[l]); free(ctx->id_dout[l]); free(ctx->id_dnet[l]);
    }
    free(ctx->e_total); free(ctx->id_e_total); free(ctx->dw); free(ctx->w_old);
    free(ctx->id_dw); free(ctx->id_w); free(ctx->b.deps);
    free(ctx);
}

void nn_ctx_set_sink(nn_ctx *ctx, const nn_sink *sink)
{
    ctx->sink = sink;
    for (int m = 0; m < ctx->shape.n_weights; m++)
        ctx->id_w[m] = -1;
}

void nn_ctx_nonfinite_text(const nn_ctx *ctx, char *buf, size_t size)
{
    snprintf(buf, size, "stage %d: %s is not a finite number (try a smaller learning rate)",
             ctx->bad_stage, ctx->bad_symbol);
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
double nn_activate(int act, double z)
{
    switch (act) {
    case NN_ACT_TANH:   return tanh(z);
    case NN_ACT_RELU:   return z > 0 ? z : 0.0;
    case NN_ACT_LINEAR: return z;
    default:            return nn_sigmoid(z);
    }
}

/* dout/dnet, from net and out. */
double nn_activate_slope(int act, double z, double out)
{
    switch (act) {
    case NN_ACT_TANH:   return 1.0 - out * out;
    case NN_ACT_RELU:   return z > 0 ? 1.0 : 0.0;
    case NN_ACT_LINEAR: return 1.0;
    default:            return out * (1.0 - out);
    }
}

double nn_check_noise(const nn_net *net, int n, double e0)
{
    /* a mean of n samples' sums of O terms can be off by about eps * n * O * E
     * (a bound, not an estimate of the typical error) */
    return DBL_EPSILON * (double)n * (double)net->size[net->n_layers] * fabs(e0);
}

void nn_check_weight(nn_ctx *ctx, nn_net *net, const double *x, const double *y, int n,
                     const double *dw, int m, double e0, double noise, nn_check *out)
{
    static const double floor_ = 1e-5;     /* smallest denominator of the relative error */
    static const double at[4] = { -2, -1, 1, 2 };
    double keep = net->w[m], h = 1e-4 * fmax(1.0, fabs(keep)), f[4];
    for (int k = 0; k < 4; k++) {
        net->w[m] = keep + at[k] * h;
        f[k] = nn_loss(ctx, net, x, y, n);
    }
    net->w[m] = keep;
    /* five-point central difference: error O(h^4) */
    double fd = (f[0] - 8 * f[1] + 8 * f[2] - f[3]) / (12 * h);
    /* relative error, with a floor under which finite-difference noise would
     * dominate; it may exceed the limit by what the loss's noise explains
     * (tenfold): a five-point difference turns a noise d into up to 1.5 d / h */
    double scale = fmax(fmax(fabs(dw[m]), fabs(fd)), floor_);
    double rel = fabs(dw[m] - fd) / scale;
    double tol = NN_CHECK_LIMIT + 10.0 * 1.5 * noise / h / scale;
    /* a relu kink: the loss bends inside [w - 2h, w + 2h], the two one-sided
     * slopes disagree and the derivative does not exist there; no difference
     * can check it, so it is reported, not failed */
    int has_relu = 0;
    for (int l = 1; l <= net->n_layers; l++)
        has_relu |= net->act[l] == NN_ACT_RELU;
    double left = (e0 - f[1]) / h, right = (f[2] - e0) / h;
    out->analytic = dw[m];
    out->numeric = fd;
    out->rel = rel;
    out->tol = tol;
    out->kink = has_relu && !(rel <= tol) &&
                fabs(left - right) > 1e-2 * fmax(fmax(fabs(left), fabs(right)), floor_);
    out->ok = out->kink || rel <= tol;
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
    return y * softplus(-net) + (1.0 - y) * softplus(net);
}

double nn_ce_delta(double out, double y)
{
    /* dE/dnet = dE/dout * dout/dnet = (out - y)/(out(1 - out)) * out(1 - out) */
    return out - y;
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
        return "Cross-entropy loss function";
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
    }
}

/*
 * Stage 3.  out_L, y: (n, O)  ->  e_total: (n), e_final
 *   quadratic:     E_total = 1/2 sum_k (out_k - y_k)^2
 *   cross-entropy: E_total = -sum_k (y_k ln(out_k) + (1 - y_k) ln(1 - out_k)),
 *                  computed from net_k as sum_k (y_k ln(1 + e^(-net_k)) + (1 - y_k) ln(1 + e^(net_k)))
 *                  (the sigmoid outputs it needs), exact for any net: no clamp
 *   E_final = 1/n sum_s E_total_s
 */
static void loss_forward(nn_ctx *ctx, const double *y, int n)
{
    int L = ctx->shape.n_layers, O = ctx->shape.size[L];
    double sum = 0.0;
    for (int s = 0; s < n; s++) {
        double e = 0.0;
        for (int k = 0; k < O; k++) {
            double out = ctx->out[L][s * O + k], t = y[s * O + k];
            if (ctx->shape.loss == NN_LOSS_CROSS_ENTROPY) {
                e += nn_ce_loss(ctx->net[L][s * O + k], t);
            } else {
                e += (out - t) * (out - t);
            }
        }
        ctx->e_total[s] = ctx->shape.loss == NN_LOSS_CROSS_ENTROPY ? e : 0.5 * e;
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
                ctx->dnet[l][s * J + j] = 1.0;
                continue;
            }
            if (l == L) {
                d = out - y[s * J + j];
            } else {
                int K = net->size[l + 1];
                d = 0.0;
                for (int k = 0; k < K; k++)
                    d += ctx->dout[l + 1][s * K + k] * ctx->dnet[l + 1][s * K + k] *
                         net->w[nn_w_index(net, l + 1, j, k)];
            }
            ctx->dout[l][s * J + j] = d;
            ctx->dnet[l][s * J + j] = nn_activate_slope(net->act[l], ctx->net[l][s * J + j], out);
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
        const double *restrict a0 = ctx->dout[l] + (size_t)s * J, *restrict b0 = ctx->dnet[l] + (size_t)s * J;
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
                r += a3[j] * b3[j] * c3;
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
        const double *restrict d2 = ctx->dnet[l] + (size_t)s * J;   /* term 2 */
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
        db[j] = db[j] / n;
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

/* What an operand is: kind, layer, unit (from 1), weight (from 1). */
typedef struct op_what {
    int kind, layer, unit, weight;
} op_what;

static op_what as_value(int l, int j) { return (op_what){ NN_OP_VALUE, l, j + 1, 0 }; }
static op_what as_batch_value(int l) { return (op_what){ NN_OP_VALUE, l, 0, 0 }; }
static op_what as_target(int L, int k) { return (op_what){ NN_OP_TARGET, L, k + 1, 0 }; }
static op_what as_bias_input(int l) { return (op_what){ NN_OP_BIAS_INPUT, l, 0, 0 }; }
static op_what as_eta(void) { return (op_what){ NN_OP_LEARNING_RATE, 0, 0, 0 }; }
static op_what as_weight(const nn_net *net, int m)
{
    return (op_what){ NN_OP_WEIGHT, nn_w_layer(net, m), 0, m + 1 };
}

const char *nn_event_kind_name(int kind)
{
    static const char *const names[NN_EV_KINDS] = {
        "net", "out", "loss", "loss_batch", "dE_dout", "dout_dnet", "dE_dnet", "gradient", "update",
    };
    return kind >= 0 && kind < NN_EV_KINDS ? names[kind] : "";
}

const char *nn_operand_kind_name(int kind)
{
    static const char *const names[NN_OP_KINDS] = {
        "value", "input", "target", "weight", "bias_input", "learning_rate",
    };
    return kind >= 0 && kind < NN_OP_KINDS ? names[kind] : "";
}

/* Start an event: its symbol and what it is (unit and weight from 1, 0 for none). */
static void ev_begin(nn_ctx *ctx, const char *symbol, int kind, int layer, int unit, int weight)
{
    nn_builder *eb = &ctx->b;
    eb->kind = kind;
    eb->layer = layer;
    eb->unit = unit;
    eb->weight = weight;
    snprintf(eb->symbol, sizeof eb->symbol, "%s", symbol);
    eb->tmpl[0] = '\0';
    eb->tmpl_len = 0;
    eb->names_len = 0;
    eb->n_ops = 0;
    eb->n_deps = 0;
}

static void ev_text(nn_ctx *ctx, const char *text)
{
    nn_builder *eb = &ctx->b;
    size_t len = strlen(text);
    if (eb->tmpl_len + len < sizeof eb->tmpl) {
        memcpy(eb->tmpl + eb->tmpl_len, text, len + 1);
        eb->tmpl_len += len;
    }
}

static void ev_dep(nn_ctx *ctx, long dep)
{
    nn_builder *eb = &ctx->b;
    if (dep >= 0 && eb->n_deps < eb->max_deps)
        eb->deps[eb->n_deps++] = dep;
}

/* Name an operand in the formula ("$n" in the template); sample > 0
 * prefixes "X<sample>:" to its name. */
static void ev_op(nn_ctx *ctx, double value, long dep, int sample, const char *name, op_what what)
{
    nn_builder *eb = &ctx->b;
    if (eb->n_ops >= NN_OPS_MAX || eb->names_len + 64 > sizeof eb->names)
        return;
    char *slot = eb->names + eb->names_len;
    int len = sample > 0 ? snprintf(slot, 64, "X%d:%s", sample, name) : snprintf(slot, 64, "%s", name);
    eb->names_len += (size_t)(len < 63 ? len : 63) + 1;
    char ref[16];
    snprintf(ref, sizeof ref, "$%d", eb->n_ops);
    ev_text(ctx, ref);
    eb->ops[eb->n_ops].name = slot;
    eb->ops[eb->n_ops].value = value;
    eb->ops[eb->n_ops].dep = dep;
    eb->ops[eb->n_ops].kind = what.kind;
    eb->ops[eb->n_ops].layer = what.layer;
    eb->ops[eb->n_ops].unit = what.unit;
    eb->ops[eb->n_ops].weight = what.weight;
    eb->n_ops++;
    ev_dep(ctx, dep);
}

/* Whether term t of a sum of T terms is written out; at the first hidden
 * one the caller writes " + ...". */
static int term_shown(int t, int T)
{
    return T <= NN_SUM_SHOWN || t < 4 || t == T - 1;
}

/* Send the built event; returns its id, or -1 when the sink said stop. */
static long ev_emit(nn_ctx *ctx, int step, int stage, int sample, double value)
{
    nn_builder *eb = &ctx->b;
    nn_event ev = {
        .id = ctx->next_id++, .kind = eb->kind, .layer = eb->layer, .unit = eb->unit,
        .weight = eb->weight, .step = step, .stage = stage, .sample = sample,
        .symbol = eb->symbol, .value = value, .formula = eb->tmpl,
        .ops = eb->ops, .n_ops = eb->n_ops, .deps = eb->deps, .n_deps = eb->n_deps,
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

/* Names used in formulas. */
static void unit(const nn_net *net, int l, int j, char *buf) { nn_unit_name(net, l, j, buf, 24); }

/* The value feeding a layer: "x3" or "out_h2", with its value and event. */
static op_what input_name(const nn_ctx *ctx, const nn_net *net, const double *x, int l, int s, int i,
                          char name[40], double *value, long *dep)
{
    char u[24];
    unit(net, l - 1, i, u);
    if (l == 1) {
        snprintf(name, 40, "%s", u);
        *value = x[(size_t)s * net->size[0] + i];
        *dep = -1;
        return (op_what){ NN_OP_INPUT, 0, i + 1, 0 };
    }
    snprintf(name, 40, "out_%s", u);
    *value = ctx->out[l - 1][s * net->size[l - 1] + i];
    *dep = ctx->id_out[l - 1][s * net->size[l - 1] + i];
    return as_value(l - 1, i);
}

/* The bias input's name: b<index among all biases>, as the walkthrough numbers them. */
static void bias_name(const nn_net *net, int l, int j, char name[24])
{
    snprintf(name, 24, "b%d", nn_b_index(net, l, j) - net->b_off[1] + 1);
}

/* Activation template, operand $0 = net (relu) or the net input as named. */
static void act_formula(nn_ctx *ctx, int act, double net_value, long net_id, const char *net_name,
                        op_what what)
{
    switch (act) {
    case NN_ACT_TANH:   ev_text(ctx, "tanh("); ev_op(ctx, net_value, net_id, 0, net_name, what); ev_text(ctx, ")"); break;
    case NN_ACT_RELU:   ev_text(ctx, "max(0, "); ev_op(ctx, net_value, net_id, 0, net_name, what); ev_text(ctx, ")"); break;
    case NN_ACT_LINEAR: ev_op(ctx, net_value, net_id, 0, net_name, what); break;
    default:            ev_text(ctx, "1/(1 + e^(-"); ev_op(ctx, net_value, net_id, 0, net_name, what); ev_text(ctx, "))"); break;
    }
}

/* Stages 1 and 2 events for layer l: net_j = w*in_1 + ... + w*b, out_j = f(net_j). */
static int trace_forward(nn_ctx *ctx, const nn_net *net, const double *x, int n, int step, int l)
{
    int I = net->size[l - 1], J = net->size[l], stage = l == net->n_layers ? 2 : 1;
    char u[24], sym[64], name[40], bname[24];
    for (int s = 0; s < n; s++) {
        for (int j = 0; j < J; j++) {
            unit(net, l, j, u);
            snprintf(sym, sizeof sym, "net_%s", u);
            ev_begin(ctx, sym, NN_EV_NET, l, j + 1, 0);
            for (int i = 0; i < I; i++) {
                int m = nn_w_index(net, l, i, j);
                double v;
                long dep;
                op_what in_what = input_name(ctx, net, x, l, s, i, name, &v, &dep);
                if (!term_shown(i, I)) {
                    if (term_shown(i - 1, I))
                        ev_text(ctx, " + ...");
                    ev_dep(ctx, ctx->id_w[m]);
                    ev_dep(ctx, dep);
                    continue;
                }
                if (i > 0)
                    ev_text(ctx, " + ");
                snprintf(sym, sizeof sym, "w%d", m + 1);
                ev_op(ctx, net->w[m], ctx->id_w[m], 0, sym, as_weight(net, m));
                ev_text(ctx, "*");
                ev_op(ctx, v, dep, 0, name, in_what);
            }
            int m = nn_b_index(net, l, j);
            ev_text(ctx, " + ");
            snprintf(sym, sizeof sym, "w%d", m + 1);
            ev_op(ctx, net->w[m], ctx->id_w[m], 0, sym, as_weight(net, m));
            ev_text(ctx, "*");
            bias_name(net, l, j, bname);
            ev_op(ctx, 1.0, -1, 0, bname, as_bias_input(l));
            EMIT(ctx->id_net[l][s * J + j], step, stage, s + 1, ctx->net[l][s * J + j]);
        }
        for (int j = 0; j < J; j++) {
            unit(net, l, j, u);
            snprintf(sym, sizeof sym, "out_%s", u);
            ev_begin(ctx, sym, NN_EV_OUT, l, j + 1, 0);
            snprintf(name, sizeof name, "net_%s", u);
            act_formula(ctx, net->act[l], ctx->net[l][s * J + j], ctx->id_net[l][s * J + j], name,
                        as_value(l, j));
            EMIT(ctx->id_out[l][s * J + j], step, stage, s + 1, ctx->out[l][s * J + j]);
        }
    }
    return NN_OK;
}

/* Stage 3 events: E_total per sample, E_final = 1/n*(X1:E_total + ...). */
static int trace_loss(nn_ctx *ctx, const double *y, int n, int step)
{
    const nn_net *net = &ctx->shape;
    int L = net->n_layers, O = net->size[L], ce = net->loss == NN_LOSS_CROSS_ENTROPY;
    char u[24], name[40], yname[24];
    for (int s = 0; s < n; s++) {
        ev_begin(ctx, "E_total", NN_EV_LOSS, L, 0, 0);
        if (!ce)
            ev_text(ctx, "1/2*(");
        for (int k = 0; k < O; k++) {
            long dep = ctx->id_out[L][s * O + k];
            if (!term_shown(k, O)) {
                if (term_shown(k - 1, O))
                    ev_text(ctx, " + ...");
                ev_dep(ctx, ce ? ctx->id_net[L][s * O + k] : dep);
                continue;
            }
            unit(net, L, k, u);
            snprintf(name, sizeof name, "out_%s", u);
            snprintf(yname, sizeof yname, "y%d", k + 1);
            int first = ctx->b.n_ops;
            if (ce) {
                /* y*ln(1 + e^(-net)) + (1 - y)*ln(1 + e^(net)): what is computed */
                char ref[64];
                snprintf(name, sizeof name, "net_%s", u);
                ev_text(ctx, k > 0 ? " + " : "");
                ev_op(ctx, y[s * O + k], -1, 0, yname, as_target(L, k));
                ev_text(ctx, "*ln(1 + e^(-");
                ev_op(ctx, ctx->net[L][s * O + k], ctx->id_net[L][s * O + k], 0, name, as_value(L, k));
                snprintf(ref, sizeof ref, ")) + (1 - $%d)*ln(1 + e^($%d))", first, first + 1);
                ev_text(ctx, ref);
            } else {
                ev_text(ctx, k > 0 ? " + (" : "(");
                ev_op(ctx, ctx->out[L][s * O + k], dep, 0, name, as_value(L, k));
                ev_text(ctx, " - ");
                ev_op(ctx, y[s * O + k], -1, 0, yname, as_target(L, k));
                ev_text(ctx, ")^2");
            }
        }
        if (!ce)
            ev_text(ctx, ")");
        EMIT(ctx->id_e_total[s], step, 3, s + 1, ctx->e_total[s]);
    }
    char head[32];
    ev_begin(ctx, "E_final", NN_EV_LOSS_BATCH, L, 0, 0);
    snprintf(head, sizeof head, "1/%d*(", n);
    ev_text(ctx, head);
    for (int s = 0; s < n; s++) {
        if (!term_shown(s, n)) {
            if (term_shown(s - 1, n))
                ev_text(ctx, " + ...");
            ev_dep(ctx, ctx->id_e_total[s]);
            continue;
        }
        if (s > 0)
            ev_text(ctx, " + ");
        ev_op(ctx, ctx->e_total[s], ctx->id_e_total[s], s + 1, "E_total", as_batch_value(L));
    }
    ev_text(ctx, ")");
    EMIT(ctx->id_e_final, step, 3, 0, ctx->e_final);
    return NN_OK;
}

/* dout/dnet template for an activation; $0 is out (or net for relu). */
static void dact_formula(nn_ctx *ctx, const nn_net *net, int l, int s, int j)
{
    int J = net->size[l];
    char u[24], name[40];
    unit(net, l, j, u);
    switch (net->act[l]) {
    case NN_ACT_TANH:
        snprintf(name, sizeof name, "out_%s", u);
        ev_text(ctx, "1 - ");
        ev_op(ctx, ctx->out[l][s * J + j], ctx->id_out[l][s * J + j], 0, name, as_value(l, j));
        ev_text(ctx, "^2");
        break;
    case NN_ACT_RELU:
        snprintf(name, sizeof name, "net_%s", u);
        ev_text(ctx, "(1 if ");
        ev_op(ctx, ctx->net[l][s * J + j], ctx->id_net[l][s * J + j], 0, name, as_value(l, j));
        ev_text(ctx, " > 0, else 0)");
        break;
    case NN_ACT_LINEAR:
        ev_text(ctx, "1");
        break;
    default:
        snprintf(name, sizeof name, "out_%s", u);
        ev_op(ctx, ctx->out[l][s * J + j], ctx->id_out[l][s * J + j], 0, name, as_value(l, j));
        ev_text(ctx, "*(1 - $0)");
        break;
    }
}

/* Stages 4 and 5 events for layer l: per sample dE_total/dout and dout/dnet,
 * then the batch's dE_final/dw for the weights and biases into layer l. */
static int trace_backward(nn_ctx *ctx, const nn_net *net, const double *x, const double *y,
                          int n, int step, int l)
{
    int L = net->n_layers, I = net->size[l - 1], J = net->size[l], stage = l == L ? 4 : 5;
    int ce = net->loss == NN_LOSS_CROSS_ENTROPY;   /* the output layer's dE_total/dnet in one */
    char u[24], uk[24], sym[64], name[64], name2[64];
    for (int s = 0; s < n; s++) {
        for (int j = 0; j < J; j++) {
            unit(net, l, j, u);
            snprintf(sym, sizeof sym, l == L && ce ? "dE_total/dnet_%s" : "dE_total/dout_%s", u);
            ev_begin(ctx, sym, l == L && ce ? NN_EV_DE_DNET : NN_EV_DE_DOUT, l, j + 1, 0);
            if (l == L) {
                /* quadratic: dE_total/dout = out - y; cross-entropy: dE_total/dnet = out - y */
                snprintf(name, sizeof name, "out_%s", u);
                snprintf(name2, sizeof name2, "y%d", j + 1);
                ev_op(ctx, ctx->out[l][s * J + j], ctx->id_out[l][s * J + j], 0, name, as_value(l, j));
                ev_text(ctx, " - ");
                ev_op(ctx, y[s * J + j], -1, 0, name2, as_target(l, j));
            } else {
                int K = net->size[l + 1], above_ce = ce && l + 1 == L;
                for (int k = 0; k < K; k++) {
                    int m = nn_w_index(net, l + 1, j, k), sk = s * K + k;
                    if (!term_shown(k, K)) {
                        if (term_shown(k - 1, K))
                            ev_text(ctx, " + ...");
                        ev_dep(ctx, ctx->id_dout[l + 1][sk]);
                        if (!above_ce)
                            ev_dep(ctx, ctx->id_dnet[l + 1][sk]);
                        ev_dep(ctx, ctx->id_w[m]);
                        continue;
                    }
                    if (k > 0)
                        ev_text(ctx, " + ");
                    unit(net, l + 1, k, uk);
                    /* cross-entropy outputs: dE_total/dnet, the two factors in one */
                    snprintf(name, sizeof name, above_ce ? "dE_total/dnet_%s" : "dE_total/dout_%s", uk);
                    ev_op(ctx, ctx->dout[l + 1][sk], ctx->id_dout[l + 1][sk], 0, name, as_value(l + 1, k));
                    if (!above_ce) {
                        ev_text(ctx, "*");
                        snprintf(name, sizeof name, "dout_%s/dnet_%s", uk, uk);
                        ev_op(ctx, ctx->dnet[l + 1][sk], ctx->id_dnet[l + 1][sk], 0, name, as_value(l + 1, k));
                    }
                    ev_text(ctx, "*");
                    snprintf(name, sizeof name, "w%d", m + 1);
                    ev_op(ctx, net->w[m], ctx->id_w[m], 0, name, as_weight(net, m));
                }
            }
            EMIT(ctx->id_dout[l][s * J + j], step, stage, s + 1, ctx->dout[l][s * J + j]);
            if (l == L && ce)
                ctx->id_dnet[l][s * J + j] = ctx->id_dout[l][s * J + j];
        }
        for (int j = 0; j < J && !(l == L && ce); j++) {
            unit(net, l, j, u);
            snprintf(sym, sizeof sym, "dout_%s/dnet_%s", u, u);
            ev_begin(ctx, sym, NN_EV_DOUT_DNET, l, j + 1, 0);
            dact_formula(ctx, net, l, s, j);
            EMIT(ctx->id_dnet[l][s * J + j], step, stage, s + 1, ctx->dnet[l][s * J + j]);
        }
    }
    /* dE_final/dw = 1/n*(X1:dE_total/dout_j*X1:dout_j/dnet_j*X1:in_i + ...) */
    for (int pass = 0; pass < 2; pass++) {
        int count = pass == 0 ? I * J : J;
        for (int q = 0; q < count; q++) {
            int i = pass == 0 ? q / J : -1, j = pass == 0 ? q % J : q;
            int m = pass == 0 ? nn_w_index(net, l, i, j) : nn_b_index(net, l, j);
            char head[32], dname[64], fname[64];
            unit(net, l, j, u);
            snprintf(sym, sizeof sym, "dE_final/dw%d", m + 1);
            int gl = l, gm = m + 1;
            snprintf(dname, sizeof dname, l == L && ce ? "dE_total/dnet_%s" : "dE_total/dout_%s", u);
            snprintf(fname, sizeof fname, "dout_%s/dnet_%s", u, u);
            ev_begin(ctx, sym, NN_EV_GRADIENT, gl, 0, gm);
            snprintf(head, sizeof head, "1/%d*(", n);
            ev_text(ctx, head);
            for (int s = 0; s < n; s++) {
                int sj = s * J + j;
                double in = 1.0;
                long in_dep = -1;
                char iname[40];
                op_what in_what = as_bias_input(l);
                if (pass == 0)
                    in_what = input_name(ctx, net, x, l, s, i, iname, &in, &in_dep);
                else
                    bias_name(net, l, j, iname);
                if (!term_shown(s, n)) {
                    if (term_shown(s - 1, n))
                        ev_text(ctx, " + ...");
                    ev_dep(ctx, ctx->id_dout[l][sj]);
                    if (!(l == L && ce))
                        ev_dep(ctx, ctx->id_dnet[l][sj]);
                    ev_dep(ctx, in_dep);
                    continue;
                }
                if (s > 0)
                    ev_text(ctx, " + ");
                ev_op(ctx, ctx->dout[l][sj], ctx->id_dout[l][sj], s + 1, dname, as_value(l, j));
                if (!(l == L && ce)) {
                    ev_text(ctx, "*");
                    ev_op(ctx, ctx->dnet[l][sj], ctx->id_dnet[l][sj], s + 1, fname, as_value(l, j));
                }
                ev_text(ctx, "*");
                ev_op(ctx, in, in_dep, pass == 0 ? s + 1 : 0, iname, in_what);
            }
            ev_text(ctx, ")");
            EMIT(ctx->id_dw[m], step, stage, 0, ctx->dw[m]);
        }
    }
    return NN_OK;
}

/* Stage 6 events: w_m = w_m - eta*dE_final/dw_m. */
static int trace_update(nn_ctx *ctx, const nn_net *net, double lr, int step)
{
    char sym[32], name[40];
    for (int m = 0; m < net->n_weights; m++) {
        snprintf(sym, sizeof sym, "w%d", m + 1);
        op_what w = as_weight(net, m), dw = { NN_OP_VALUE, w.layer, 0, m + 1 };
        ev_begin(ctx, sym, NN_EV_UPDATE, w.layer, 0, m + 1);
        ev_op(ctx, ctx->w_old[m], ctx->id_w[m], 0, sym, w);
        ev_text(ctx, " - ");
        ev_op(ctx, lr, -1, 0, "eta", as_eta());
        ev_text(ctx, "*");
        snprintf(name, sizeof name, "dE_final/dw%d", m + 1);
        ev_op(ctx, ctx->dw[m], ctx->id_dw[m], 0, name, dw);
        EMIT(ctx->id_w[m], step, 6, 0, net->w[m]);
    }
    return NN_OK;
}

/* ------------------------------------------------------ non-finite checks */

/* Record the first non-finite value among a layer's per-sample values. */
static int check_layer(nn_ctx *ctx, int stage, const double *values, int n, int l, const char *prefix)
{
    int J = ctx->shape.size[l];
    for (int q = 0; q < n * J; q++) {
        if (!isfinite(values[q])) {
            char u[24];
            unit(&ctx->shape, l, q % J, u);
            ctx->bad_stage = stage;
            snprintf(ctx->bad_symbol, sizeof ctx->bad_symbol, "%s%s", prefix, u);
            return 1;
        }
    }
    return 0;
}

/* Record the first non-finite value of values[from .. from+count) named prefix<m+1>. */
static int check_weights(nn_ctx *ctx, int stage, const double *values, int from, int count,
                         const char *prefix)
{
    for (int m = from; m < from + count; m++) {
        if (!isfinite(values[m])) {
            ctx->bad_stage = stage;
            snprintf(ctx->bad_symbol, sizeof ctx->bad_symbol, "%s%d", prefix, m + 1);
            return 1;
        }
    }
    return 0;
}

static int check_loss(nn_ctx *ctx, int n)
{
    for (int s = 0; s < n; s++)
        if (!isfinite(ctx->e_total[s])) {
            ctx->bad_stage = 3;
            snprintf(ctx->bad_symbol, sizeof ctx->bad_symbol, "E_total");
            return 1;
        }
    if (!isfinite(ctx->e_final)) {
        ctx->bad_stage = 3;
        snprintf(ctx->bad_symbol, sizeof ctx->bad_symbol, "E_final");
        return 1;
    }
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
    ctx->bad_stage = 0;
    ctx->bad_symbol[0] = '\0';

    /* stages 1 and 2: each layer forward */
    for (int l = 1; l <= L; l++) {
        int stage = l == L ? 2 : 1;
        layer_forward(ctx, net, x, n, l);
        if (tracing && ((rc = stage_begin(ctx, step, stage, l)) != NN_OK ||
                        (rc = trace_forward(ctx, net, x, n, step, l)) != NN_OK))
            return rc;
        if (check_layer(ctx, stage, ctx->net[l], n, l, "net_") ||
            check_layer(ctx, stage, ctx->out[l], n, l, "out_"))
            return NN_ENONFINITE;
    }
    /* stage 3: the loss */
    loss_forward(ctx, y, n);
    if (tracing && ((rc = stage_begin(ctx, step, 3, L)) != NN_OK ||
                    (rc = trace_loss(ctx, y, n, step)) != NN_OK))
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
                        (rc = trace_backward(ctx, net, x, y, n, step, l)) != NN_OK))
            return rc;
        if (check_layer(ctx, stage, ctx->dout[l], n, l, "dE_total/dout_") ||
            check_weights(ctx, stage, ctx->dw, net->w_off[l], net->size[l - 1] * net->size[l], "dE_final/dw") ||
            check_weights(ctx, stage, ctx->dw, net->b_off[l], net->size[l], "dE_final/dw"))
            return NN_ENONFINITE;
    }
    /* stage 6: the update */
    update(ctx, net, lr);
    if (tracing && ((rc = stage_begin(ctx, step, 6, 0)) != NN_OK ||
                    (rc = trace_update(ctx, net, lr, step)) != NN_OK))
        return rc;
    if (check_weights(ctx, 6, net->w, 0, net->n_weights, "w"))
        return NN_ENONFINITE;
    if (!tracing)
        for (int m = 0; m < net->n_weights; m++)
            ctx->id_w[m] = -1;
    return NN_OK;
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
