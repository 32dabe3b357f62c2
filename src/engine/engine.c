/*
 * engine.c - forward, loss, backward and update for a one-hidden-layer
 * network, each as plain indexed loops that map onto the walkthrough's
 * equations; then, only when a sink is attached, the tracing of each stage
 * from the values just computed.
 */
#include "engine.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NN_OPS_MAX    40    /* operands one formula may name */
#define NN_NAMES_MAX  2048  /* bytes for the operand names of one formula */
#define NN_TMPL_MAX   1024  /* bytes for one formula template */
#define NN_SUM_SHOWN  6     /* a sum of more terms shows the first 4, "...", the last */

/* What the tracer is building: one event at a time. */
typedef struct nn_builder {
    char symbol[64];                 /* the event's symbol */
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
    int n_in, n_hid, n_out;   /* the network shape the context serves */
    int n_weights;            /* weights of that shape */
    int max_batch;            /* largest batch accepted */
    const nn_sink *sink;      /* where events go; NULL when tracing is off */
    /* values of the current batch, sample-major: [s*H + j] or [s*O + k] */
    double *net_h;            /* net_hj */
    double *out_h;            /* out_hj */
    double *net_o;            /* net_ok */
    double *out_o;            /* out_ok */
    double *e_total;          /* E_total per sample */
    double e_final;           /* E_final of the batch */
    double *dout_o;           /* dE_total/dout_ok */
    double *dnet_o;           /* dout_ok/dnet_ok */
    double *dout_h;           /* dE_total/dout_hj */
    double *dnet_h;           /* dout_hj/dnet_hj */
    double *dw;               /* dE_final/dw_m */
    double *w_old;            /* the weights before the update (stage 6 operands) */
    /* event ids, parallel to the values above (tracing only) */
    long next_id;             /* id of the next event */
    long *id_net_h, *id_out_h, *id_net_o, *id_out_o, *id_e_total;
    long id_e_final;
    long *id_dout_o, *id_dnet_o, *id_dout_h, *id_dnet_h;
    long *id_dw;              /* event of dE_final/dw_m */
    long *id_w;               /* event that set w_m's current value; -1 when given */
    nn_builder b;             /* the event being built */
    int bad_stage;            /* stage of the first non-finite value, 0 if none */
    char bad_symbol[64];      /* its symbol */
};

/* ---------------------------------------------------------------- network */

long nn_net_count_weights(long n_in, long n_hid, long n_out)
{
    if (n_in < 1 || n_hid < 1 || n_out < 1 ||
        n_in > NN_MAX_UNITS || n_hid > NN_MAX_UNITS || n_out > NN_MAX_UNITS)
        return -1;
    long count = n_in * n_hid + n_hid * n_out + n_hid + n_out;
    return count > NN_MAX_WEIGHTS ? -1 : count;
}

nn_net *nn_net_new(int n_in, int n_hid, int n_out)
{
    long count = nn_net_count_weights(n_in, n_hid, n_out);
    if (count < 0)
        return NULL;
    nn_net *net = calloc(1, sizeof *net + (size_t)count * sizeof(double));
    if (!net)
        return NULL;
    net->n_in = n_in;
    net->n_hid = n_hid;
    net->n_out = n_out;
    net->n_weights = (int)count;
    net->w = (double *)(net + 1);
    return net;
}

nn_net *nn_net_copy(const nn_net *net)
{
    nn_net *copy = nn_net_new(net->n_in, net->n_hid, net->n_out);
    if (copy)
        memcpy(copy->w, net->w, (size_t)net->n_weights * sizeof(double));
    return copy;
}

void nn_net_free(nn_net *net)
{
    free(net);
}

int nn_w_ih(const nn_net *net, int i, int j) { return i * net->n_hid + j; }
int nn_w_ho(const nn_net *net, int j, int k) { return net->n_in * net->n_hid + j * net->n_out + k; }
int nn_w_bh(const nn_net *net, int j) { return net->n_in * net->n_hid + net->n_hid * net->n_out + j; }
int nn_w_bo(const nn_net *net, int k) { return nn_w_bh(net, net->n_hid) + k; }

void nn_w_ends(const nn_net *net, int m, char *from, size_t from_size, char *to, size_t to_size)
{
    int N = net->n_in, H = net->n_hid, O = net->n_out;
    if (m < N * H) {
        snprintf(from, from_size, "x%d", m / H + 1);
        snprintf(to, to_size, "h%d", m % H + 1);
    } else if (m < N * H + H * O) {
        m -= N * H;
        snprintf(from, from_size, "h%d", m / O + 1);
        snprintf(to, to_size, "o%d", m % O + 1);
    } else if (m < N * H + H * O + H) {
        snprintf(from, from_size, "1");
        snprintf(to, to_size, "h%d", m - N * H - H * O + 1);
    } else {
        snprintf(from, from_size, "1");
        snprintf(to, to_size, "o%d", m - N * H - H * O - H + 1);
    }
}

/* ---------------------------------------------------------------- context */

nn_ctx *nn_ctx_new(const nn_net *shape, int max_batch)
{
    if (!shape || max_batch < 1 || max_batch > NN_MAX_BATCH)
        return NULL;
    nn_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return NULL;
    size_t n = (size_t)max_batch, H = (size_t)shape->n_hid, O = (size_t)shape->n_out;
    size_t W = (size_t)shape->n_weights;
    ctx->n_in = shape->n_in;
    ctx->n_hid = shape->n_hid;
    ctx->n_out = shape->n_out;
    ctx->n_weights = shape->n_weights;
    ctx->max_batch = max_batch;
    ctx->net_h = malloc(n * H * sizeof(double));
    ctx->out_h = malloc(n * H * sizeof(double));
    ctx->net_o = malloc(n * O * sizeof(double));
    ctx->out_o = malloc(n * O * sizeof(double));
    ctx->e_total = malloc(n * sizeof(double));
    ctx->dout_o = malloc(n * O * sizeof(double));
    ctx->dnet_o = malloc(n * O * sizeof(double));
    ctx->dout_h = malloc(n * H * sizeof(double));
    ctx->dnet_h = malloc(n * H * sizeof(double));
    ctx->dw = calloc(W, sizeof(double));
    ctx->w_old = malloc(W * sizeof(double));
    ctx->id_net_h = malloc(n * H * sizeof(long));
    ctx->id_out_h = malloc(n * H * sizeof(long));
    ctx->id_net_o = malloc(n * O * sizeof(long));
    ctx->id_out_o = malloc(n * O * sizeof(long));
    ctx->id_e_total = malloc(n * sizeof(long));
    ctx->id_dout_o = malloc(n * O * sizeof(long));
    ctx->id_dnet_o = malloc(n * O * sizeof(long));
    ctx->id_dout_h = malloc(n * H * sizeof(long));
    ctx->id_dnet_h = malloc(n * H * sizeof(long));
    ctx->id_dw = malloc(W * sizeof(long));
    ctx->id_w = malloc(W * sizeof(long));
    ctx->b.max_deps = 3 * max_batch + shape->n_in + 3 * shape->n_out + 8;
    ctx->b.deps = malloc((size_t)ctx->b.max_deps * sizeof(long));
    if (!ctx->net_h || !ctx->out_h || !ctx->net_o || !ctx->out_o || !ctx->e_total ||
        !ctx->dout_o || !ctx->dnet_o || !ctx->dout_h || !ctx->dnet_h || !ctx->dw ||
        !ctx->w_old || !ctx->id_net_h || !ctx->id_out_h || !ctx->id_net_o ||
        !ctx->id_out_o || !ctx->id_e_total || !ctx->id_dout_o || !ctx->id_dnet_o ||
        !ctx->id_dout_h || !ctx->id_dnet_h || !ctx->id_dw || !ctx->id_w || !ctx->b.deps) {
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
    free(ctx->net_h); free(ctx->out_h); free(ctx->net_o); free(ctx->out_o);
    free(ctx->e_total); free(ctx->dout_o); free(ctx->dnet_o); free(ctx->dout_h);
    free(ctx->dnet_h); free(ctx->dw); free(ctx->w_old);
    free(ctx->id_net_h); free(ctx->id_out_h); free(ctx->id_net_o); free(ctx->id_out_o);
    free(ctx->id_e_total); free(ctx->id_dout_o); free(ctx->id_dnet_o);
    free(ctx->id_dout_h); free(ctx->id_dnet_h); free(ctx->id_dw); free(ctx->id_w);
    free(ctx->b.deps);
    free(ctx);
}

void nn_ctx_set_sink(nn_ctx *ctx, const nn_sink *sink)
{
    ctx->sink = sink;
    for (int m = 0; m < ctx->n_weights; m++)
        ctx->id_w[m] = -1;
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
    return net->n_in == ctx->n_in && net->n_hid == ctx->n_hid &&
           net->n_out == ctx->n_out && n >= 1 && n <= ctx->max_batch;
}

/* ------------------------------------------------------------------- math */

double nn_sigmoid(double z)
{
    if (z >= 0)
        return 1.0 / (1.0 + exp(-z));
    double e = exp(z);          /* no overflow for very negative z */
    return e / (1.0 + e);
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

/*
 * Stage 1.  x: (n, N)  ->  net_h, out_h: (n, H)
 *   net_hj = sum_i w(x_i->h_j) * x_i + w(1->h_j) * 1;   out_hj = sigmoid(net_hj)
 */
static void hidden_forward(nn_ctx *ctx, const nn_net *net, const double *x, int n)
{
    int N = net->n_in, H = net->n_hid;
    for (int s = 0; s < n; s++) {
        for (int j = 0; j < H; j++) {
            double z = 0.0;
            for (int i = 0; i < N; i++)
                z += net->w[nn_w_ih(net, i, j)] * x[s * N + i];
            z += net->w[nn_w_bh(net, j)] * 1.0;
            ctx->net_h[s * H + j] = z;
            ctx->out_h[s * H + j] = nn_sigmoid(z);
        }
    }
}

/*
 * Stage 2.  out_h: (n, H)  ->  net_o, out_o: (n, O)
 *   net_ok = sum_j w(h_j->o_k) * out_hj + w(1->o_k) * 1;   out_ok = sigmoid(net_ok)
 */
static void output_forward(nn_ctx *ctx, const nn_net *net, int n)
{
    int H = net->n_hid, O = net->n_out;
    for (int s = 0; s < n; s++) {
        for (int k = 0; k < O; k++) {
            double z = 0.0;
            for (int j = 0; j < H; j++)
                z += net->w[nn_w_ho(net, j, k)] * ctx->out_h[s * H + j];
            z += net->w[nn_w_bo(net, k)] * 1.0;
            ctx->net_o[s * O + k] = z;
            ctx->out_o[s * O + k] = nn_sigmoid(z);
        }
    }
}

/*
 * Stage 3.  out_o, y: (n, O)  ->  e_total: (n), e_final
 *   E_total = 1/2 sum_k (out_ok - y_k)^2;   E_final = 1/n sum_s E_total_s
 */
static void loss_forward(nn_ctx *ctx, const double *y, int n)
{
    int O = ctx->n_out;
    double sum = 0.0;
    for (int s = 0; s < n; s++) {
        double e = 0.0;
        for (int k = 0; k < O; k++) {
            double diff = ctx->out_o[s * O + k] - y[s * O + k];
            e += diff * diff;
        }
        ctx->e_total[s] = 0.5 * e;
        sum += ctx->e_total[s];
    }
    ctx->e_final = sum / n;
}

/*
 * Stage 4.  out_o, y: (n, O), out_h: (n, H)  ->  dout_o, dnet_o: (n, O),
 * dw for the output weights and biases.
 *   dE_total/dout_ok = out_ok - y_k                        (term 1)
 *   dout_ok/dnet_ok  = out_ok * (1 - out_ok)               (term 2)
 *   dnet_ok/dw       = out_hj, or 1 for the bias           (term 3)
 *   dE_final/dw      = 1/n sum_s term1 * term2 * term3
 */
static void output_backward(nn_ctx *ctx, const nn_net *net, const double *y, int n)
{
    int H = net->n_hid, O = net->n_out;
    for (int s = 0; s < n; s++) {
        for (int k = 0; k < O; k++) {
            double out = ctx->out_o[s * O + k];
            ctx->dout_o[s * O + k] = out - y[s * O + k];
            ctx->dnet_o[s * O + k] = out * (1.0 - out);
        }
    }
    for (int j = 0; j < H; j++) {
        for (int k = 0; k < O; k++) {
            double sum = 0.0;
            for (int s = 0; s < n; s++)
                sum += ctx->dout_o[s * O + k] * ctx->dnet_o[s * O + k] * ctx->out_h[s * H + j];
            ctx->dw[nn_w_ho(net, j, k)] = sum / n;
        }
    }
    for (int k = 0; k < O; k++) {
        double sum = 0.0;
        for (int s = 0; s < n; s++)
            sum += ctx->dout_o[s * O + k] * ctx->dnet_o[s * O + k] * 1.0;
        ctx->dw[nn_w_bo(net, k)] = sum / n;
    }
}

/*
 * Stage 5.  dout_o, dnet_o: (n, O), out_h: (n, H), x: (n, N)  ->
 * dout_h, dnet_h: (n, H), dw for the hidden weights and biases.  Uses the
 * output weights as they are before the update of stage 6.
 *   dE_total/dout_hj = sum_k dE_total/dout_ok * dout_ok/dnet_ok * w(h_j->o_k)   (term 1)
 *   dout_hj/dnet_hj  = out_hj * (1 - out_hj)                                    (term 2)
 *   dnet_hj/dw       = x_i, or 1 for the bias                                   (term 3)
 *   dE_final/dw      = 1/n sum_s term1 * term2 * term3
 */
static void hidden_backward(nn_ctx *ctx, const nn_net *net, const double *x, int n)
{
    int N = net->n_in, H = net->n_hid, O = net->n_out;
    for (int s = 0; s < n; s++) {
        for (int j = 0; j < H; j++) {
            double sum = 0.0;
            for (int k = 0; k < O; k++)
                sum += ctx->dout_o[s * O + k] * ctx->dnet_o[s * O + k] * net->w[nn_w_ho(net, j, k)];
            double out = ctx->out_h[s * H + j];
            ctx->dout_h[s * H + j] = sum;
            ctx->dnet_h[s * H + j] = out * (1.0 - out);
        }
    }
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < H; j++) {
            double sum = 0.0;
            for (int s = 0; s < n; s++)
                sum += ctx->dout_h[s * H + j] * ctx->dnet_h[s * H + j] * x[s * N + i];
            ctx->dw[nn_w_ih(net, i, j)] = sum / n;
        }
    }
    for (int j = 0; j < H; j++) {
        double sum = 0.0;
        for (int s = 0; s < n; s++)
            sum += ctx->dout_h[s * H + j] * ctx->dnet_h[s * H + j] * 1.0;
        ctx->dw[nn_w_bh(net, j)] = sum / n;
    }
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

static void ev_begin(nn_ctx *ctx, const char *fmt, int a, int b)
{
    nn_builder *eb = &ctx->b;
    snprintf(eb->symbol, sizeof eb->symbol, fmt, a, b);
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

/* Name an operand in the formula: "$n" in the template.  The name is
 * printf(fmt, a, b); sample > 0 prefixes "X<sample>:". */
static void ev_op(nn_ctx *ctx, double value, long dep, int sample, const char *fmt, int a, int b)
{
    nn_builder *eb = &ctx->b;
    if (eb->n_ops >= NN_OPS_MAX || eb->names_len + 64 > sizeof eb->names)
        return;
    char *name = eb->names + eb->names_len;
    int len = 0;
    if (sample > 0)
        len = snprintf(name, 16, "X%d:", sample);
    len += snprintf(name + len, 48, fmt, a, b);
    eb->names_len += (size_t)len + 1;
    char ref[16];
    snprintf(ref, sizeof ref, "$%d", eb->n_ops);
    ev_text(ctx, ref);
    eb->ops[eb->n_ops].name = name;
    eb->ops[eb->n_ops].value = value;
    eb->ops[eb->n_ops].dep = dep;
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
        .id = ctx->next_id++, .step = step, .stage = stage, .sample = sample,
        .symbol = eb->symbol, .value = value, .formula = eb->tmpl,
        .ops = eb->ops, .n_ops = eb->n_ops, .deps = eb->deps, .n_deps = eb->n_deps,
    };
    if (ctx->sink->event && ctx->sink->event(ctx->sink->user, &ev) != 0)
        return -1;
    return ev.id;
}

static int stage_begin(nn_ctx *ctx, int step, int stage)
{
    if (ctx->sink->stage && ctx->sink->stage(ctx->sink->user, step, stage) != 0)
        return NN_EABORTED;
    return NN_OK;
}

#define EMIT(idvar, step, stage, sample, value) \
    do { if (((idvar) = ev_emit(ctx, step, stage, sample, value)) < 0) return NN_EABORTED; } while (0)

/* Stage 1 events: net_hj = w*x1 + ... + w*bj, out_hj = 1/(1 + e^(-net_hj)). */
static int trace_hidden_forward(nn_ctx *ctx, const nn_net *net, const double *x, int n, int step)
{
    int N = net->n_in, H = net->n_hid;
    for (int s = 0; s < n; s++) {
        for (int j = 0; j < H; j++) {
            ev_begin(ctx, "net_h%d", j + 1, 0);
            for (int i = 0; i < N; i++) {
                int m = nn_w_ih(net, i, j);
                if (!term_shown(i, N)) {
                    if (term_shown(i - 1, N))
                        ev_text(ctx, " + ...");
                    ev_dep(ctx, ctx->id_w[m]);
                    continue;
                }
                if (i > 0)
                    ev_text(ctx, " + ");
                ev_op(ctx, net->w[m], ctx->id_w[m], 0, "w%d", m + 1, 0);
                ev_text(ctx, "*");
                ev_op(ctx, x[s * N + i], -1, 0, "x%d", i + 1, 0);
            }
            int m = nn_w_bh(net, j);
            ev_text(ctx, " + ");
            ev_op(ctx, net->w[m], ctx->id_w[m], 0, "w%d", m + 1, 0);
            ev_text(ctx, "*");
            ev_op(ctx, 1.0, -1, 0, "b%d", j + 1, 0);
            EMIT(ctx->id_net_h[s * H + j], step, 1, s + 1, ctx->net_h[s * H + j]);
        }
        for (int j = 0; j < H; j++) {
            ev_begin(ctx, "out_h%d", j + 1, 0);
            ev_text(ctx, "1/(1 + e^(-");
            ev_op(ctx, ctx->net_h[s * H + j], ctx->id_net_h[s * H + j], 0, "net_h%d", j + 1, 0);
            ev_text(ctx, "))");
            EMIT(ctx->id_out_h[s * H + j], step, 1, s + 1, ctx->out_h[s * H + j]);
        }
    }
    return NN_OK;
}

/* Stage 2 events: net_ok = w*out_h1 + ... + w*b(H+k), out_ok = 1/(1 + e^(-net_ok)). */
static int trace_output_forward(nn_ctx *ctx, const nn_net *net, int n, int step)
{
    int H = net->n_hid, O = net->n_out;
    for (int s = 0; s < n; s++) {
        for (int k = 0; k < O; k++) {
            ev_begin(ctx, "net_o%d", k + 1, 0);
            for (int j = 0; j < H; j++) {
                int m = nn_w_ho(net, j, k);
                if (!term_shown(j, H)) {
                    if (term_shown(j - 1, H))
                        ev_text(ctx, " + ...");
                    ev_dep(ctx, ctx->id_w[m]);
                    ev_dep(ctx, ctx->id_out_h[s * H + j]);
                    continue;
                }
                if (j > 0)
                    ev_text(ctx, " + ");
                ev_op(ctx, net->w[m], ctx->id_w[m], 0, "w%d", m + 1, 0);
                ev_text(ctx, "*");
                ev_op(ctx, ctx->out_h[s * H + j], ctx->id_out_h[s * H + j], 0, "out_h%d", j + 1, 0);
            }
            int m = nn_w_bo(net, k);
            ev_text(ctx, " + ");
            ev_op(ctx, net->w[m], ctx->id_w[m], 0, "w%d", m + 1, 0);
            ev_text(ctx, "*");
            ev_op(ctx, 1.0, -1, 0, "b%d", H + k + 1, 0);
            EMIT(ctx->id_net_o[s * O + k], step, 2, s + 1, ctx->net_o[s * O + k]);
        }
        for (int k = 0; k < O; k++) {
            ev_begin(ctx, "out_o%d", k + 1, 0);
            ev_text(ctx, "1/(1 + e^(-");
            ev_op(ctx, ctx->net_o[s * O + k], ctx->id_net_o[s * O + k], 0, "net_o%d", k + 1, 0);
            ev_text(ctx, "))");
            EMIT(ctx->id_out_o[s * O + k], step, 2, s + 1, ctx->out_o[s * O + k]);
        }
    }
    return NN_OK;
}

/* Stage 3 events: E_total = 1/2*((out_o1 - y1)^2 + ...), E_final = 1/n*(X1:E_total + ...). */
static int trace_loss(nn_ctx *ctx, const double *y, int n, int step)
{
    int O = ctx->n_out;
    for (int s = 0; s < n; s++) {
        ev_begin(ctx, "E_total", 0, 0);
        ev_text(ctx, "1/2*(");
        for (int k = 0; k < O; k++) {
            if (!term_shown(k, O)) {
                if (term_shown(k - 1, O))
                    ev_text(ctx, " + ...");
                ev_dep(ctx, ctx->id_out_o[s * O + k]);
                continue;
            }
            ev_text(ctx, k > 0 ? " + (" : "(");
            ev_op(ctx, ctx->out_o[s * O + k], ctx->id_out_o[s * O + k], 0, "out_o%d", k + 1, 0);
            ev_text(ctx, " - ");
            ev_op(ctx, y[s * O + k], -1, 0, "y%d", k + 1, 0);
            ev_text(ctx, ")^2");
        }
        ev_text(ctx, ")");
        EMIT(ctx->id_e_total[s], step, 3, s + 1, ctx->e_total[s]);
    }
    char head[32];
    ev_begin(ctx, "E_final", 0, 0);
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
        ev_op(ctx, ctx->e_total[s], ctx->id_e_total[s], s + 1, "E_total", 0, 0);
    }
    ev_text(ctx, ")");
    EMIT(ctx->id_e_final, step, 3, 0, ctx->e_final);
    return NN_OK;
}

/* The batch sum 1/n*(X1:a*X1:b*X1:c + ...) of a dE_final/dw_m; the third
 * factor is the unit feeding w_m (per sample), or the bias input b. */
static void trace_batch_sum(nn_ctx *ctx, int n, const char *fa, const char *fb, int unit,
                            const double *a, const long *id_a, const double *b, const long *id_b,
                            int stride_ab, const char *fc, int c_unit,
                            const double *c, const long *id_c, int stride_c)
{
    char head[32];
    snprintf(head, sizeof head, "1/%d*(", n);
    ev_text(ctx, head);
    for (int s = 0; s < n; s++) {
        int iab = s * stride_ab + unit, ic = s * stride_c + c_unit;
        long dep_c = c && id_c ? id_c[ic] : -1;
        if (!term_shown(s, n)) {
            if (term_shown(s - 1, n))
                ev_text(ctx, " + ...");
            ev_dep(ctx, id_a[iab]);
            ev_dep(ctx, id_b[iab]);
            ev_dep(ctx, dep_c);
            continue;
        }
        if (s > 0)
            ev_text(ctx, " + ");
        ev_op(ctx, a[iab], id_a[iab], s + 1, fa, unit + 1, unit + 1);
        ev_text(ctx, "*");
        ev_op(ctx, b[iab], id_b[iab], s + 1, fb, unit + 1, unit + 1);
        ev_text(ctx, "*");
        if (c)
            ev_op(ctx, c[ic], dep_c, s + 1, fc, c_unit + 1, 0);
        else
            ev_op(ctx, 1.0, -1, 0, fc, c_unit + 1, 0);
    }
    ev_text(ctx, ")");
}

/* Stage 4 events: per sample dE_total/dout_ok, dout_ok/dnet_ok; batch dE_final/dw_m. */
static int trace_output_backward(nn_ctx *ctx, const nn_net *net, const double *y, int n, int step)
{
    int H = net->n_hid, O = net->n_out;
    for (int s = 0; s < n; s++) {
        for (int k = 0; k < O; k++) {
            ev_begin(ctx, "dE_total/dout_o%d", k + 1, 0);
            ev_op(ctx, ctx->out_o[s * O + k], ctx->id_out_o[s * O + k], 0, "out_o%d", k + 1, 0);
            ev_text(ctx, " - ");
            ev_op(ctx, y[s * O + k], -1, 0, "y%d", k + 1, 0);
            EMIT(ctx->id_dout_o[s * O + k], step, 4, s + 1, ctx->dout_o[s * O + k]);
        }
        for (int k = 0; k < O; k++) {
            ev_begin(ctx, "dout_o%d/dnet_o%d", k + 1, k + 1);
            ev_op(ctx, ctx->out_o[s * O + k], ctx->id_out_o[s * O + k], 0, "out_o%d", k + 1, 0);
            ev_text(ctx, "*(1 - $0)");
            EMIT(ctx->id_dnet_o[s * O + k], step, 4, s + 1, ctx->dnet_o[s * O + k]);
        }
    }
    int first = nn_w_ho(net, 0, 0), last = nn_w_bo(net, O - 1);
    for (int m = first; m <= last; m++) {
        int in_bias = m >= nn_w_bh(net, 0) && m < nn_w_bo(net, 0);
        if (in_bias)
            continue;   /* hidden biases belong to stage 5 */
        ev_begin(ctx, "dE_final/dw%d", m + 1, 0);
        if (m < nn_w_bh(net, 0)) {
            int j = (m - first) / O, k = (m - first) % O;
            trace_batch_sum(ctx, n, "dE_total/dout_o%d", "dout_o%d/dnet_o%d", k,
                            ctx->dout_o, ctx->id_dout_o, ctx->dnet_o, ctx->id_dnet_o, O,
                            "out_h%d", j, ctx->out_h, ctx->id_out_h, H);
        } else {
            int k = m - nn_w_bo(net, 0);
            trace_batch_sum(ctx, n, "dE_total/dout_o%d", "dout_o%d/dnet_o%d", k,
                            ctx->dout_o, ctx->id_dout_o, ctx->dnet_o, ctx->id_dnet_o, O,
                            "b%d", H + k, NULL, NULL, 0);
        }
        EMIT(ctx->id_dw[m], step, 4, 0, ctx->dw[m]);
    }
    return NN_OK;
}

/* Stage 5 events: per sample dE_total/dout_hj, dout_hj/dnet_hj; batch dE_final/dw_m. */
static int trace_hidden_backward(nn_ctx *ctx, const nn_net *net, const double *x, int n, int step)
{
    int N = net->n_in, H = net->n_hid, O = net->n_out;
    for (int s = 0; s < n; s++) {
        for (int j = 0; j < H; j++) {
            ev_begin(ctx, "dE_total/dout_h%d", j + 1, 0);
            for (int k = 0; k < O; k++) {
                int m = nn_w_ho(net, j, k), sk = s * O + k;
                if (!term_shown(k, O)) {
                    if (term_shown(k - 1, O))
                        ev_text(ctx, " + ...");
                    ev_dep(ctx, ctx->id_dout_o[sk]);
                    ev_dep(ctx, ctx->id_dnet_o[sk]);
                    ev_dep(ctx, ctx->id_w[m]);
                    continue;
                }
                if (k > 0)
                    ev_text(ctx, " + ");
                ev_op(ctx, ctx->dout_o[sk], ctx->id_dout_o[sk], 0, "dE_total/dout_o%d", k + 1, 0);
                ev_text(ctx, "*");
                ev_op(ctx, ctx->dnet_o[sk], ctx->id_dnet_o[sk], 0, "dout_o%d/dnet_o%d", k + 1, k + 1);
                ev_text(ctx, "*");
                ev_op(ctx, net->w[m], ctx->id_w[m], 0, "w%d", m + 1, 0);
            }
            EMIT(ctx->id_dout_h[s * H + j], step, 5, s + 1, ctx->dout_h[s * H + j]);
        }
        for (int j = 0; j < H; j++) {
            ev_begin(ctx, "dout_h%d/dnet_h%d", j + 1, j + 1);
            ev_op(ctx, ctx->out_h[s * H + j], ctx->id_out_h[s * H + j], 0, "out_h%d", j + 1, 0);
            ev_text(ctx, "*(1 - $0)");
            EMIT(ctx->id_dnet_h[s * H + j], step, 5, s + 1, ctx->dnet_h[s * H + j]);
        }
    }
    for (int m = 0; m < net->n_weights; m++) {
        int is_ih = m < N * H, is_bh = m >= nn_w_bh(net, 0) && m < nn_w_bo(net, 0);
        if (!is_ih && !is_bh)
            continue;   /* output weights belong to stage 4 */
        ev_begin(ctx, "dE_final/dw%d", m + 1, 0);
        if (is_ih) {
            int i = m / H, j = m % H;
            trace_batch_sum(ctx, n, "dE_total/dout_h%d", "dout_h%d/dnet_h%d", j,
                            ctx->dout_h, ctx->id_dout_h, ctx->dnet_h, ctx->id_dnet_h, H,
                            "x%d", i, x, NULL, N);
        } else {
            int j = m - nn_w_bh(net, 0);
            trace_batch_sum(ctx, n, "dE_total/dout_h%d", "dout_h%d/dnet_h%d", j,
                            ctx->dout_h, ctx->id_dout_h, ctx->dnet_h, ctx->id_dnet_h, H,
                            "b%d", j, NULL, NULL, 0);
        }
        EMIT(ctx->id_dw[m], step, 5, 0, ctx->dw[m]);
    }
    return NN_OK;
}

/* Stage 6 events: w_m = w_m - eta*dE_final/dw_m. */
static int trace_update(nn_ctx *ctx, const nn_net *net, double lr, int step)
{
    for (int m = 0; m < net->n_weights; m++) {
        ev_begin(ctx, "w%d", m + 1, 0);
        ev_op(ctx, ctx->w_old[m], ctx->id_w[m], 0, "w%d", m + 1, 0);
        ev_text(ctx, " - ");
        ev_op(ctx, lr, -1, 0, "eta", 0, 0);
        ev_text(ctx, "*");
        ev_op(ctx, ctx->dw[m], ctx->id_dw[m], 0, "dE_final/dw%d", m + 1, 0);
        EMIT(ctx->id_w[m], step, 6, 0, net->w[m]);
    }
    return NN_OK;
}

/* ------------------------------------------------------ non-finite checks */

/* Record the first non-finite value of values[count] (units per sample),
 * named prefix<unit>; returns non-zero when one was found. */
static int check_finite(nn_ctx *ctx, int stage, const double *values, int count, int units,
                        const char *prefix)
{
    for (int q = 0; q < count; q++) {
        if (!isfinite(values[q])) {
            ctx->bad_stage = stage;
            if (units > 0)
                snprintf(ctx->bad_symbol, sizeof ctx->bad_symbol, "%s%d", prefix, q % units + 1);
            else
                snprintf(ctx->bad_symbol, sizeof ctx->bad_symbol, "%s", prefix);
            return 1;
        }
    }
    return 0;
}

/* Record the first non-finite dE_final/dw_m or w_m for m in [from, from+count). */
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

/* ------------------------------------------------------------------ steps */

int nn_step(nn_ctx *ctx, nn_net *net, const double *x, const double *y, int n,
            double lr, int step, double *loss)
{
    if (!fits(ctx, net, n))
        return NN_EARG;
    int N = net->n_in, H = net->n_hid, O = net->n_out, W = net->n_weights;
    int tracing = ctx->sink != NULL;
    int rc;
    ctx->bad_stage = 0;
    ctx->bad_symbol[0] = '\0';

#define STAGE(num, compute, trace, check)                                    \
    do {                                                                     \
        compute;                                                             \
        if (tracing) {                                                       \
            if ((rc = stage_begin(ctx, step, num)) != NN_OK) return rc;      \
            if ((rc = trace) != NN_OK) return rc;                            \
        }                                                                    \
        if (check) return NN_ENONFINITE;                                     \
    } while (0)

    STAGE(1, hidden_forward(ctx, net, x, n),
          trace_hidden_forward(ctx, net, x, n, step),
          check_finite(ctx, 1, ctx->net_h, n * H, H, "net_h") ||
          check_finite(ctx, 1, ctx->out_h, n * H, H, "out_h"));
    STAGE(2, output_forward(ctx, net, n),
          trace_output_forward(ctx, net, n, step),
          check_finite(ctx, 2, ctx->net_o, n * O, O, "net_o") ||
          check_finite(ctx, 2, ctx->out_o, n * O, O, "out_o"));
    STAGE(3, loss_forward(ctx, y, n),
          trace_loss(ctx, y, n, step),
          check_finite(ctx, 3, ctx->e_total, n, 0, "E_total") ||
          check_finite(ctx, 3, &ctx->e_final, 1, 0, "E_final"));
    if (loss)
        *loss = ctx->e_final;
    STAGE(4, output_backward(ctx, net, y, n),
          trace_output_backward(ctx, net, y, n, step),
          check_finite(ctx, 4, ctx->dout_o, n * O, O, "dE_total/dout_o") ||
          check_weights(ctx, 4, ctx->dw, N * H, H * O, "dE_final/dw") ||
          check_weights(ctx, 4, ctx->dw, nn_w_bo(net, 0), O, "dE_final/dw"));
    STAGE(5, hidden_backward(ctx, net, x, n),
          trace_hidden_backward(ctx, net, x, n, step),
          check_finite(ctx, 5, ctx->dout_h, n * H, H, "dE_total/dout_h") ||
          check_weights(ctx, 5, ctx->dw, 0, N * H, "dE_final/dw") ||
          check_weights(ctx, 5, ctx->dw, nn_w_bh(net, 0), H, "dE_final/dw"));
    STAGE(6, update(ctx, net, lr),
          trace_update(ctx, net, lr, step),
          check_weights(ctx, 6, net->w, 0, W, "w"));
#undef STAGE

    if (!tracing)
        for (int m = 0; m < W; m++)
            ctx->id_w[m] = -1;
    return NN_OK;
}

double nn_loss(nn_ctx *ctx, const nn_net *net, const double *x, const double *y, int n)
{
    if (!fits(ctx, net, n))
        return NAN;
    hidden_forward(ctx, net, x, n);
    output_forward(ctx, net, n);
    loss_forward(ctx, y, n);
    return ctx->e_final;
}

int nn_gradient(nn_ctx *ctx, const nn_net *net, const double *x, const double *y, int n,
                double *dw)
{
    if (!fits(ctx, net, n))
        return NN_EARG;
    hidden_forward(ctx, net, x, n);
    output_forward(ctx, net, n);
    loss_forward(ctx, y, n);
    output_backward(ctx, net, y, n);
    hidden_backward(ctx, net, x, n);
    memcpy(dw, ctx->dw, (size_t)net->n_weights * sizeof(double));
    return NN_OK;
}
