/*
 * test_engine.c - the engine against independent references: the seed
 * walkthrough's numbers (tests/data/seed_reference.csv, computed outside
 * this project) and central finite differences on random networks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "lesson/lesson.h"
#include "trace/trace.h"
#include "trace/recording.h"   /* the recording's blocks and weights, checked */
#include "tui/model.h"         /* the stepper's index of a step, checked */

/* A one-hidden-layer network, sigmoid, quadratic, weights zero (NULL on bad sizes). */
static nn_net *test_net_new(int n_in, int n_hid, int n_out)
{
    nn_net shape;
    int sizes[3] = { n_in, n_hid, n_out };
    if (nn_shape_init(&shape, 2, sizes, NULL, NN_LOSS_QUADRATIC) != 0)
        return NULL;
    return nn_net_new_shape(&shape);
}

#ifndef TEST_DATA
#define TEST_DATA "tests/data"
#endif

/* ------------------------------------------------------------ helpers */

/* A small deterministic generator for the tests (independent of ls_rng). */
static unsigned long long test_state = 88172645463325252ULL;
static double rnd(void)   /* uniform in [-1, 1) */
{
    test_state ^= test_state << 13;
    test_state ^= test_state >> 7;
    test_state ^= test_state << 17;
    return (double)(test_state >> 11) / 9007199254740992.0 * 2.0 - 1.0;
}
static int rnd_int(int lo, int hi) { return lo + (int)((rnd() + 1.0) / 2.0 * (hi - lo + 1)) % (hi - lo + 1); }

/* dE_final/dw_m by the five-point central difference (error O(h^4)). */
static double central_difference(nn_ctx *ctx, nn_net *net, const double *x, const double *y, int n, int m)
{
    double keep = net->w[m], h = 1e-4 * fmax(1.0, fabs(keep)), f[4];
    static const double at[4] = { -2, -1, 1, 2 };
    for (int q = 0; q < 4; q++) {
        net->w[m] = keep + at[q] * h;
        f[q] = nn_loss(ctx, net, x, y, n);
    }
    net->w[m] = keep;
    return (f[0] - 8 * f[1] + 8 * f[2] - f[3]) / (12 * h);
}

/* Relative error with a floor, so that finite-difference noise (about 1e-12
 * absolute) on a near-zero gradient does not count. */
static double rel_error(double a, double b)
{
    return fabs(a - b) / fmax(fmax(fabs(a), fabs(b)), 1e-5);
}

/* Record the events of one step through a sink. */
typedef struct collected {
    int n;                     /* events seen */
    int stages[64];            /* stage callbacks, in order */
    int n_stages;
    long last_id;              /* id of the previous event */
    int bad_order;             /* an id or dependency out of order */
    int bad_operand;           /* an operand that is not what its event was computed from */
    long checked;              /* operands checked */
    char symbol[4096][32];     /* each event's symbol */
    int sample[4096];          /* each event's sample */
    int stage[4096];           /* each event's stage */
    double value[4096];        /* each event's value */
    int abort_after;           /* return non-zero after this many events (0: never) */
} collected;

static int col_stage(void *user, int step, int stage, int layer)
{
    collected *c = user;
    (void)step;
    (void)layer;
    if (c->n_stages < 64)
        c->stages[c->n_stages++] = stage;
    return 0;
}

static int col_event(void *user, const nn_event *ev)
{
    collected *c = user;
    long deps[4096];
    if (ev->id != c->last_id + 1)
        c->bad_order = 1;
    int n_deps = nn_event_deps(ev, deps, 4096);
    for (int d = 0; d < n_deps && d < 4096; d++)
        if (deps[d] < 0 || deps[d] >= ev->id)
            c->bad_order = 1;
    /* every operand that names an earlier event carries that event's value,
     * and the operands give the event's value again by its form */
    double sum = 0;
    int per = ev->n_terms > 0 ? ev->n_ops / ev->n_terms : 0;
    for (int q = 0; q < ev->n_ops; q++) {
        nn_operand op = nn_event_op(ev, q);
        if (op.kind < 0 || op.kind >= NN_OP_KINDS)
            c->bad_operand = 1;
        if (op.dep >= 0 && op.dep < 4096 && op.dep < c->n && ev->id < 4096 && c->value[op.dep] != op.value)
            c->bad_operand = 1;
    }
    for (int t = 0; t < ev->n_terms && per > 0; t++) {
        double prod = 1;
        for (int q = 0; q < per; q++)
            prod *= nn_event_op(ev, t * per + q).value;
        sum += prod;
    }
    if (ev->form == NN_FORM_WEIGHTED_SUM || ev->form == NN_FORM_SUM_PRODUCTS || ev->form == NN_FORM_MEAN) {
        double want = ev->form == NN_FORM_MEAN ? sum / ev->n_terms : sum;
        if (fabs(want - ev->value) > 1e-12 * fmax(1, fabs(ev->value)))
            c->bad_operand = 1;
    } else if (ev->form == NN_FORM_UPDATE) {
        nn_operand w = nn_event_op(ev, 0), eta = nn_event_op(ev, 1), g = nn_event_op(ev, 2);
        if (w.kind != NN_OP_WEIGHT || eta.kind != NN_OP_LEARNING_RATE || w.value - eta.value * g.value != ev->value)
            c->bad_operand = 1;
    } else if (ev->form == NN_FORM_DIFFERENCE) {
        if (nn_event_op(ev, 0).value - nn_event_op(ev, 1).value != ev->value)
            c->bad_operand = 1;
    }
    if (nn_event_op(ev, ev->n_ops).kind != NN_OP_KINDS || nn_event_op(ev, -1).kind != NN_OP_KINDS)
        c->bad_operand = 1;                       /* out of range: no operand, no crash */
    c->checked += ev->n_ops;
    c->last_id = ev->id;
    if (c->n < 4096) {
        snprintf(c->symbol[c->n], 32, "%s", ev->symbol);
        c->sample[c->n] = ev->sample;
        c->stage[c->n] = ev->stage;
        c->value[c->n] = ev->value;
    }
    c->n++;
    return c->abort_after && c->n >= c->abort_after;
}

static collected *collector(void)
{
    collected *c = calloc(1, sizeof *c);
    assert_non_null(c);
    c->last_id = -1;
    return c;
}

/* The value of the event with this symbol and sample, or NAN. */
static double find(const collected *c, const char *symbol, int sample)
{
    for (int q = 0; q < c->n && q < 4096; q++)
        if (c->sample[q] == sample && strcmp(c->symbol[q], symbol) == 0)
            return c->value[q];
    return NAN;
}

/* -------------------------------------------------------------- tests */

/* Every row of the independent reference, to 1e-12, and no row missing. */
static void test_seed_reference(void **state)
{
    (void)state;
    ls_lesson *L = ls_seed();
    assert_non_null(L);
    char err[256];
    tr_recording *rec = tr_record(L, NULL, 0, err, sizeof err);
    assert_non_null(rec);
    FILE *fp = fopen(TEST_DATA "/seed_reference.csv", "r");
    assert_non_null(fp);
    char line[256];
    assert_non_null(fgets(line, sizeof line, fp));   /* header */
    int rows = 0;
    double max_diff = 0.0;
    while (fgets(line, sizeof line, fp)) {
        int step, stage, sample = 0;
        char symbol[64], value_text[64];
        char *f[5], *p = line;
        for (int q = 0; q < 5; q++) {
            f[q] = p;
            p += strcspn(p, ",\n");
            *p++ = '\0';
        }
        step = atoi(f[0]);
        stage = atoi(f[1]);
        sample = f[2][0] ? atoi(f[2]) : 0;
        snprintf(symbol, sizeof symbol, "%s", f[3]);
        snprintf(value_text, sizeof value_text, "%s", f[4]);
        double want = strtod(value_text, NULL);
        int found = 0;
        for (long e = 0; e < tr_rec_count(rec); e++) {
            const tr_event *ev = tr_rec_at(rec, e);
            if (ev->step == step && ev->stage == stage && ev->sample == sample &&
                strcmp(ev->symbol, symbol) == 0) {
                double diff = fabs(ev->value - want);
                if (diff > max_diff)
                    max_diff = diff;
                if (diff > 1e-12)
                    fail_msg("%s (stage %d, sample %d): %.17g, reference %.17g", symbol, stage,
                             sample, ev->value, want);
                found++;
            }
        }
        if (found != 1)
            fail_msg("reference row %s (stage %d, sample %d) found %d times", symbol, stage, sample, found);
        rows++;
    }
    fclose(fp);
    assert_int_equal(rows, 59);
    assert_int_equal(tr_rec_count(rec), rows);   /* nothing more, nothing less */
    print_message("seed: %d reference rows, max |diff| %.3g\n", rows, max_diff);
    tr_recording_free(rec);
    ls_free(L);
}

/* Central finite differences of E_final against every analytic dE_final/dw,
 * on random networks of sizes 1..8 and batches 1..6. */
static void test_finite_differences(void **state)
{
    (void)state;
    double worst = 0.0;
    int checked = 0;
    for (int trial = 0; trial < 40; trial++) {
        int N = rnd_int(1, 8), H = rnd_int(1, 8), O = rnd_int(1, 8), n = rnd_int(1, 6);
        nn_net *net = test_net_new(N, H, O);
        assert_non_null(net);
        nn_ctx *ctx = nn_ctx_new(net, n);
        assert_non_null(ctx);
        double x[6 * 8], y[6 * 8], dw[8 * 8 * 2 + 16];
        for (int m = 0; m < net->n_weights; m++)
            net->w[m] = rnd();
        for (int q = 0; q < n * N; q++)
            x[q] = rnd() * 2.0;
        for (int q = 0; q < n * O; q++)
            y[q] = (rnd() + 1.0) / 2.0;
        assert_int_equal(nn_gradient(ctx, net, x, y, n, dw), NN_OK);
        double largest = 0.0;
        for (int m = 0; m < net->n_weights; m++) {
            double fd = central_difference(ctx, net, x, y, n, m);
            double rel = rel_error(dw[m], fd);
            if (rel > worst)
                worst = rel;
            if (!(rel < 1e-6))
                fail_msg("%d-%d-%d batch %d: dw%d analytic %.17g, finite difference %.17g, rel %.3g",
                         N, H, O, n, m + 1, dw[m], fd, rel);
            if (fabs(fd) > largest)
                largest = fabs(fd);
            checked++;
        }
        /* guard: a network whose gradient is all but zero proves nothing */
        assert_true(largest > 1e-4);
        nn_ctx_free(ctx);
        nn_net_free(net);
    }
    print_message("finite differences: %d gradients on 40 networks, max relative error %.3g\n",
                  checked, worst);
}

/* Every loss, every activation, depths 1 to 3: central finite differences
 * against the analytic gradient, and the traced step against nn_gradient. */
/* A random shape of depth hidden layers, each 1..widest units: the hidden
 * layers use act (tanh under a softmax output); the output is act too,
 * sigmoid under cross-entropy, or softmax (2..5 outputs: one is always 1). */
static void random_shape(int depth, int act, int loss, int widest, nn_net *shape)
{
    int sizes[NN_MAX_LAYERS + 1], acts[NN_MAX_LAYERS + 1], L = depth + 1;
    int softmax = act == NN_ACT_SOFTMAX;
    for (int l = 0; l <= L; l++)
        sizes[l] = rnd_int(1, widest);
    if (softmax)
        sizes[L] = rnd_int(2, 5);
    for (int l = 1; l < L; l++)
        acts[l] = softmax ? NN_ACT_TANH : act;
    acts[L] = softmax ? NN_ACT_SOFTMAX : loss == NN_LOSS_CROSS_ENTROPY ? NN_ACT_SIGMOID : act;
    assert_int_equal(nn_shape_init(shape, L, sizes, acts, loss), 0);
}

/* nn_step's fast loops (samples four at a time, weights in memory order)
 * give the reference's plain loops to the bit: new weights and E_final, on
 * random networks of every depth, activation and loss, batches 1 to 9 (both
 * the blocks of four and the rest). */
static void test_step_matches_reference(void **state)
{
    (void)state;
    int nets = 0;
    for (int depth = 1; depth <= 3; depth++)
    for (int act = 0; act < NN_ACT_COUNT; act++)
    for (int loss = 0; loss < NN_LOSS_COUNT; loss++)
    for (int n = 1; n <= 9; n++) {
        int softmax = act == NN_ACT_SOFTMAX, L = depth + 1;
        if (softmax && loss != NN_LOSS_CROSS_ENTROPY)
            continue;
        nn_net shape;
        random_shape(depth, act, loss, 7, &shape);
        const int *sizes = shape.size;
        nn_net *net = nn_net_new_shape(&shape);
        nn_ctx *ctx = nn_ctx_new(net, n);
        assert_non_null(ctx);
        double x[9 * 7], y[9 * 7] = { 0 }, e_ref = 0, e_fast = 0;
        double *w_ref = malloc((size_t)net->n_weights * sizeof(double));
        assert_non_null(w_ref);
        for (int m = 0; m < net->n_weights; m++)
            net->w[m] = rnd();
        for (int q = 0; q < n * sizes[0]; q++)
            x[q] = rnd() * 2.0;
        for (int q = 0; q < n * sizes[L]; q++)
            y[q] = softmax ? 0.0 : loss == NN_LOSS_CROSS_ENTROPY ? (rnd() > 0 ? 1.0 : 0.0) : rnd();
        for (int s = 0; softmax && s < n; s++)
            y[s * sizes[L] + rnd_int(1, sizes[L]) - 1] = 1.0;
        assert_int_equal(nn_step_reference(net, x, y, n, 0.5, w_ref, &e_ref), NN_OK);
        assert_int_equal(nn_step(ctx, net, x, y, n, 0.5, 1, &e_fast), NN_OK);
        if (memcmp(&e_ref, &e_fast, sizeof e_ref) != 0)
            fail_msg("E_final %.17g (reference) against %.17g (nn_step), depth %d act %d loss %d n %d",
                     e_ref, e_fast, depth, act, loss, n);
        for (int m = 0; m < net->n_weights; m++)
            if (memcmp(&w_ref[m], &net->w[m], sizeof(double)) != 0)
                fail_msg("w%d: %.17g (reference) against %.17g (nn_step), depth %d act %d loss %d n %d",
                         m + 1, w_ref[m], net->w[m], depth, act, loss, n);
        nets++;
        free(w_ref);
        nn_ctx_free(ctx);
        nn_net_free(net);
    }
    print_message("nn_step equals the reference to the bit on %d networks\n", nets);
    assert_true(nets > 200);
}

static void test_finite_differences_all_shapes(void **state)
{
    (void)state;
    double worst = 0.0;
    int checked = 0, nets = 0, around = 0;
    for (int depth = 1; depth <= 3; depth++)
    for (int act = 0; act < NN_ACT_COUNT; act++)
    for (int loss = 0; loss < NN_LOSS_COUNT; loss++)
    for (int rep = 0; rep < 2; rep++) {
        int L = depth + 1, n = rnd_int(1, 5);
        int softmax = act == NN_ACT_SOFTMAX;
        if (softmax && loss != NN_LOSS_CROSS_ENTROPY)
            continue;                       /* softmax: the categorical cross-entropy alone */
        nn_net shape;
        random_shape(depth, act, loss, 5, &shape);
        const int *sizes = shape.size;
        nn_net *net = nn_net_new_shape(&shape);
        nn_ctx *ctx = nn_ctx_new(net, n);
        assert_non_null(ctx);
        double x[5 * 5], y[5 * 5], *dw = malloc((size_t)net->n_weights * sizeof(double));
        double *traced = malloc((size_t)net->n_weights * sizeof(double));
        /* draw until no relu input sits within 1e-3 of its kink (finite differences
         * across a kink measure nothing) */
        for (int tries = 0; tries < 100; tries++) {
            for (int m = 0; m < net->n_weights; m++)
                net->w[m] = rnd();
            for (int q = 0; q < n * sizes[0]; q++)
                x[q] = rnd() * 2.0;
            for (int q = 0; q < n * sizes[L]; q++)
                y[q] = loss == NN_LOSS_CROSS_ENTROPY && !softmax ? (rnd() > 0 ? 1.0 : 0.0) : softmax ? 0.0 : rnd();
            for (int s = 0; softmax && s < n; s++)      /* one-hot targets */
                y[s * sizes[L] + rnd_int(1, sizes[L]) - 1] = 1.0;
            if (act != NN_ACT_RELU)
                break;
            /* forward by hand to find the smallest |net| */
            double small = 1e9;
            const double *in = x;
            double buf[2][5 * 5];
            for (int l = 1; l <= L; l++) {
                for (int s = 0; s < n; s++)
                    for (int j = 0; j < sizes[l]; j++) {
                        double z = net->w[nn_b_index(net, l, j)];
                        for (int i = 0; i < sizes[l - 1]; i++)
                            z += net->w[nn_w_index(net, l, i, j)] * in[s * sizes[l - 1] + i];
                        if (fabs(z) < small) small = fabs(z);
                        buf[l % 2][s * sizes[l] + j] = z > 0 ? z : 0;
                    }
                in = buf[l % 2];
            }
            if (small > 1e-3)
                break;
        }
        assert_int_equal(nn_gradient(ctx, net, x, y, n, dw), NN_OK);
        double largest = 0.0;
        for (int m = 0; m < net->n_weights; m++) {
            double fd = central_difference(ctx, net, x, y, n, m);
            double rel = rel_error(dw[m], fd);
            if (rel > worst)
                worst = rel;
            if (!(rel < 1e-6))
                fail_msg("depth %d %s %s: dw%d analytic %.17g, finite difference %.17g, rel %.3g",
                         depth, nn_act_name(act), nn_loss_name(loss), m + 1, dw[m], fd, rel);
            if (fabs(fd) > largest)
                largest = fabs(fd);
            checked++;
        }
        /* guard: an all-zero gradient proves nothing (relu can kill a small net) */
        if (act != NN_ACT_RELU)
            assert_true(largest > 1e-6);
        /* nntrace check's losses (nn_loss_around: only what a weight feeds,
         * recomputed) equal the whole forward pass's to the bit */
        for (int m = 0; m < net->n_weights; m++) {
            double keep = net->w[m], values[4] = { keep - 2e-3, keep - 1e-3, keep + 1e-3, keep + 0.5 }, got[4];
            nn_loss(ctx, net, x, y, n);                 /* ctx holds the forward pass at net's weights */
            assert_int_equal(nn_loss_around(ctx, net, x, y, n, m, values, 4, got), 0);
            assert_true(net->w[m] == keep);
            for (int v = 0; v < 4; v++) {
                net->w[m] = values[v];
                double want = nn_loss(ctx, net, x, y, n);
                net->w[m] = keep;
                if (memcmp(&want, &got[v], sizeof want) != 0)
                    fail_msg("depth %d %s %s: w%d = %.17g: E_final %.17g, recomputing what it feeds %.17g",
                             depth, nn_act_name(act), nn_loss_name(loss), m + 1, values[v], want, got[v]);
                around++;
            }
        }
        /* the traced step computes the same gradient */
        collected *c = collector();
        nn_sink sink = { c, NULL, col_event, 0 };
        nn_net *copy = nn_net_copy(net);
        nn_ctx_set_sink(ctx, &sink);
        assert_int_equal(nn_step(ctx, copy, x, y, n, 0.1, 1, NULL), NN_OK);
        assert_false(c->bad_order);
        assert_false(c->bad_operand);             /* the operands given on demand are the right ones */
        assert_true(c->checked > c->n);
        for (int m = 0; m < net->n_weights; m++) {
            char sym[32];
            snprintf(sym, sizeof sym, "dE_final/dw%d", m + 1);
            traced[m] = find(c, sym, 0);
            assert_true(traced[m] == dw[m]);
        }
        free(c);
        nn_net_free(copy);
        free(dw);
        free(traced);
        nn_ctx_free(ctx);
        nn_net_free(net);
        nets++;
    }
    print_message("all shapes: %d gradients on %d networks (depth 1-3, 5 activations, softmax with the categorical cross-entropy), "
                  "max relative error %.3g; %d losses with one weight changed, recomputed in part, equal to the bit\n",
                  checked, nets, worst, around);
}

/* Softmax outputs and the categorical cross-entropy, against the textbook
 * formulas written out here: out_k = e^(net_k) / sum_j e^(net_j) (they add
 * up to 1), E_total = -ln(out of the right class), and dE_total/dnet_k =
 * out_k - y_k; also for nets large enough that e^net overflows a double. */
static void test_softmax(void **state)
{
    (void)state;
    for (int trial = 0; trial < 30; trial++) {
        int sizes[3] = { rnd_int(1, 4), rnd_int(1, 4), rnd_int(2, 6) }, acts[3] = { 0, NN_ACT_SIGMOID, NN_ACT_SOFTMAX };
        int O = sizes[2], n = rnd_int(1, 4), big = trial >= 25;     /* the last trials: huge nets */
        nn_net shape;
        assert_int_equal(nn_shape_init(&shape, 2, sizes, acts, NN_LOSS_CROSS_ENTROPY), 0);
        nn_net *net = nn_net_new_shape(&shape);
        nn_ctx *ctx = nn_ctx_new(net, n);
        assert_non_null(ctx);
        double x[4 * 4], y[4 * 6] = { 0 };
        int label[4];
        for (int m = 0; m < net->n_weights; m++)
            net->w[m] = rnd() * (big ? 400.0 : 2.0);
        for (int q = 0; q < n * sizes[0]; q++)
            x[q] = rnd();
        for (int s = 0; s < n; s++) {
            label[s] = rnd_int(1, O) - 1;
            y[s * O + label[s]] = 1.0;
        }
        collected *c = collector();
        nn_sink sink = { c, NULL, col_event, 0 };
        nn_ctx_set_sink(ctx, &sink);
        assert_int_equal(nn_step(ctx, net, x, y, n, 0.1, 1, NULL), NN_OK);
        for (int s = 1; s <= n; s++) {
            double nets[6], top = -INFINITY, sum = 0, outs = 0;
            char sym[32];
            for (int k = 0; k < O; k++) {
                snprintf(sym, sizeof sym, "net_o%d", k + 1);
                nets[k] = find(c, sym, s);
                top = fmax(top, nets[k]);
            }
            for (int k = 0; k < O; k++)
                sum += exp(nets[k] - top);
            for (int k = 0; k < O; k++) {
                snprintf(sym, sizeof sym, "out_o%d", k + 1);
                double out = find(c, sym, s), want = exp(nets[k] - top) / sum;
                assert_true(fabs(out - want) <= 1e-15);
                outs += out;
                snprintf(sym, sizeof sym, "dE_total/dnet_o%d", k + 1);
                assert_true(find(c, sym, s) == out - (k == label[s - 1] ? 1.0 : 0.0));
            }
            assert_true(fabs(outs - 1.0) <= 1e-14);
            double e = find(c, "E_total", s), want = -(nets[label[s - 1]] - top - log(sum));
            assert_true(isfinite(e));
            if (!(fabs(e - want) <= 1e-12 * fmax(1.0, fabs(want))))
                fail_msg("E_total %.17g, -ln(out) %.17g", e, want);
        }
        free(c);
        nn_ctx_free(ctx);
        nn_net_free(net);
    }
    /* softmax is refused where it is not an output with the cross-entropy */
    nn_net shape;
    int sizes[4] = { 2, 2, 2, 2 }, hid[4] = { 0, NN_ACT_SOFTMAX, NN_ACT_SOFTMAX, NN_ACT_SOFTMAX };
    int out[4] = { 0, NN_ACT_SIGMOID, NN_ACT_SIGMOID, NN_ACT_SOFTMAX };
    assert_int_equal(nn_shape_init(&shape, 3, sizes, hid, NN_LOSS_CROSS_ENTROPY), -1);
    assert_int_equal(nn_shape_init(&shape, 3, sizes, out, NN_LOSS_QUADRATIC), -1);
    assert_int_equal(nn_shape_init(&shape, 3, sizes, out, NN_LOSS_CROSS_ENTROPY), 0);
}

/* The categorical loss keeps its digits when it is small: -ln(out_top) = ln(1 + sum e^(net_j - net_top)),
 * checked against long double for losses from about 0.3 down to 1e-300 (issue 29). */
static void test_softmax_small_loss(void **state)
{
    (void)state;
    double worst = 0.0;
    for (int trial = 0; trial < 400; trial++) {
        int n = rnd_int(2, 5), top = rnd_int(1, n) - 1;
        double gap = 1.0 + (trial / 400.0) * 689.0, base = rnd() * 50.0, net[5], y[5] = { 0 };
        long double rest = 0.0L;
        for (int k = 0; k < n; k++) {
            double d = k == top ? 0.0 : gap + fabs(rnd()) * 5.0;
            net[k] = base - d;
            if (k != top)
                rest += expl(-(long double)(base - net[k]));   /* the gap as stored, not as drawn */
        }
        y[top] = 1.0;
        double want = (double)log1pl(rest), got = nn_softmax_ce_loss(net, y, n);
        if (!(fabs(got - want) <= 1e-12 * want))
            fail_msg("gap %g: E_total %.17g, ln(1 + rest) %.17g", gap, got, want);
        worst = fmax(worst, fabs(got - want) / want);
    }
    print_message("softmax small losses: worst relative difference %.3g\n", worst);
}

/* The traced step emits the same gradients as nn_gradient, and applies them. */
static void test_traced_step_matches_gradient(void **state)
{
    (void)state;
    for (int trial = 0; trial < 20; trial++) {
        int N = rnd_int(1, 5), H = rnd_int(1, 5), O = rnd_int(1, 5), n = rnd_int(1, 6);
        nn_net *net = test_net_new(N, H, O), *copy;
        nn_ctx *ctx = nn_ctx_new(net, n);
        double x[6 * 5], y[6 * 5], dw[5 * 5 * 2 + 10], lr = 0.5;
        for (int m = 0; m < net->n_weights; m++)
            net->w[m] = rnd();
        for (int q = 0; q < n * N; q++)
            x[q] = rnd();
        for (int q = 0; q < n * O; q++)
            y[q] = (rnd() + 1.0) / 2.0;
        copy = nn_net_copy(net);
        nn_gradient(ctx, net, x, y, n, dw);
        collected *c = collector();
        nn_sink sink = { c, col_stage, col_event, 0 };
        nn_ctx_set_sink(ctx, &sink);
        assert_int_equal(nn_step(ctx, net, x, y, n, lr, 1, NULL), NN_OK);
        assert_false(c->bad_order);
        assert_false(c->bad_operand);
        assert_int_equal(c->n_stages, 6);
        for (int t = 0; t < 6; t++)
            assert_int_equal(c->stages[t], t + 1);
        for (int m = 0; m < net->n_weights; m++) {
            char sym[32];
            snprintf(sym, sizeof sym, "dE_final/dw%d", m + 1);
            assert_true(find(c, sym, 0) == dw[m]);
            snprintf(sym, sizeof sym, "w%d", m + 1);
            assert_true(find(c, sym, 0) == copy->w[m] - lr * dw[m]);
            assert_true(net->w[m] == copy->w[m] - lr * dw[m]);
        }
        free(c);
        nn_net_free(copy);
        nn_ctx_free(ctx);
        nn_net_free(net);
    }
}

/* Stage 5 must use the output weights from before stage 6's update.  With a
 * large learning rate the two differ a lot; the hidden gradients traced
 * must equal the finite differences at the original weights and must not
 * equal what the updated output weights would give. */
static void test_stage5_uses_weights_before_update(void **state)
{
    (void)state;
    ls_lesson *L = ls_seed();
    nn_net *net = test_net_new(2, 2, 2);
    nn_ctx *ctx = nn_ctx_new(net, 2);
    double lr = 50.0;
    memcpy(net->w, L->weights, sizeof(double) * 12);
    nn_net *before = nn_net_copy(net);
    collected *c = collector();
    nn_sink sink = { c, NULL, col_event, 0 };
    nn_ctx_set_sink(ctx, &sink);
    assert_int_equal(nn_step(ctx, net, L->x, L->y, 2, lr, 1, NULL), NN_OK);
    nn_ctx_set_sink(ctx, NULL);
    /* gradient at the original weights: finite differences */
    for (int m = 0; m < 4; m++) {            /* w1..w4: input->hidden */
        double keep = before->w[m], h = 1e-5;
        before->w[m] = keep + h;
        double up = nn_loss(ctx, before, L->x, L->y, 2);
        before->w[m] = keep - h;
        double down = nn_loss(ctx, before, L->x, L->y, 2);
        before->w[m] = keep;
        double fd = (up - down) / (2 * h);
        char sym[32];
        snprintf(sym, sizeof sym, "dE_final/dw%d", m + 1);
        double traced = find(c, sym, 0);
        if (!(fabs(traced - fd) <= 1e-6 * fabs(fd)))
            fail_msg("dw%d traced %.17g, finite difference %.17g", m + 1, traced, fd);
    }
    /* what the trap would give: output weights already updated */
    nn_net *leaked = nn_net_copy(before);
    for (int m = 4; m < 8; m++)
        leaked->w[m] = net->w[m];            /* updated h->o weights */
    double out_h1 = find(c, "out_h1", 1);
    double d1 = find(c, "dE_total/dout_o1", 1) * find(c, "dout_o1/dnet_o1", 1);
    double d2 = find(c, "dE_total/dout_o2", 1) * find(c, "dout_o2/dnet_o2", 1);
    double trap = d1 * leaked->w[4] + d2 * leaked->w[5];
    double right = d1 * before->w[4] + d2 * before->w[5];
    assert_true(fabs(trap - right) > 1e-3);  /* the test can tell them apart */
    assert_true(find(c, "dE_total/dout_h1", 1) == right);
    (void)out_h1;
    free(c);
    nn_net_free(leaked);
    nn_net_free(before);
    nn_ctx_free(ctx);
    nn_net_free(net);
    ls_free(L);
}

/* With no sink the numbers are the same, to the bit. */
static void test_no_sink_same_bits(void **state)
{
    (void)state;
    ls_lesson *L = ls_seed();
    nn_net *a = test_net_new(2, 2, 2), *b = test_net_new(2, 2, 2);
    nn_ctx *ctx = nn_ctx_new(a, 2);
    memcpy(a->w, L->weights, sizeof(double) * 12);
    memcpy(b->w, L->weights, sizeof(double) * 12);
    collected *c = collector();
    nn_sink sink = { c, NULL, col_event, 0 };
    double la, lb;
    for (int step = 1; step <= 5; step++) {
        nn_ctx_set_sink(ctx, NULL);
        assert_int_equal(nn_step(ctx, a, L->x, L->y, 2, 0.1, step, &la), NN_OK);
        nn_ctx_set_sink(ctx, &sink);
        assert_int_equal(nn_step(ctx, b, L->x, L->y, 2, 0.1, step, &lb), NN_OK);
        assert_memory_equal(&la, &lb, sizeof la);
    }
    assert_memory_equal(a->w, b->w, sizeof(double) * 12);
    free(c);
    nn_ctx_free(ctx);
    nn_net_free(a);
    nn_net_free(b);
    ls_free(L);
}

/* A sink that says stop stops the step. */
static void test_sink_abort(void **state)
{
    (void)state;
    ls_lesson *L = ls_seed();
    nn_net *net = test_net_new(2, 2, 2);
    nn_ctx *ctx = nn_ctx_new(net, 2);
    memcpy(net->w, L->weights, sizeof(double) * 12);
    collected *c = collector();
    c->abort_after = 3;
    nn_sink sink = { c, NULL, col_event, 0 };
    nn_ctx_set_sink(ctx, &sink);
    assert_int_equal(nn_step(ctx, net, L->x, L->y, 2, 0.1, 1, NULL), NN_EABORTED);
    assert_int_equal(c->n, 3);
    free(c);
    nn_ctx_free(ctx);
    nn_net_free(net);
    ls_free(L);
}

/* Non-finite values are caught and named; the sigmoid never overflows. */
static void test_nonfinite_and_sigmoid(void **state)
{
    (void)state;
    assert_true(nn_sigmoid(1e300) == 1.0);
    assert_true(nn_sigmoid(-1e300) == 0.0);
    assert_true(nn_sigmoid(0.0) == 0.5);
    assert_true(fabs(nn_sigmoid(-30.0) - 9.357622968839299e-14) < 1e-26);
    nn_net *net = test_net_new(1, 1, 1);
    nn_ctx *ctx = nn_ctx_new(net, 1);
    double x[1] = { 1e300 }, y[1] = { 0.0 };
    net->w[0] = 1e300;                    /* x1 -> h1: net_h1 = 1e600 = inf */
    assert_int_equal(nn_step(ctx, net, x, y, 1, 0.1, 1, NULL), NN_ENONFINITE);
    int stage;
    const char *symbol;
    assert_true(nn_ctx_nonfinite(ctx, &stage, &symbol));
    assert_int_equal(stage, 1);
    assert_string_equal(symbol, "net_h1");
    nn_ctx_free(ctx);
    nn_net_free(net);
}

/* A 1-1-1 network with the cross-entropy loss and weights w1..w4, for one sample. */
static nn_net *ce_net(const double w[4], nn_ctx **ctx)
{
    int sizes[3] = { 1, 1, 1 };
    nn_net shape;
    assert_int_equal(nn_shape_init(&shape, 2, sizes, NULL, NN_LOSS_CROSS_ENTROPY), 0);
    nn_net *net = nn_net_new_shape(&shape);
    assert_non_null(net);
    memcpy(net->w, w, 4 * sizeof(double));
    *ctx = nn_ctx_new(net, 1);
    assert_non_null(*ctx);
    return net;
}

/* Cross-entropy at saturation: an output of exactly 1 against a target of 0
 * gives the exact loss ln(1 + e^net) and the gradient out - y, no clamp. */
static void test_cross_entropy_saturated(void **state)
{
    (void)state;
    nn_ctx *ctx;
    /* x1 -> h1 1, h1 -> o1 100 (out_o1 rounds to exactly 1), biases 0 and 100 */
    nn_net *net = ce_net((const double[4]){ 1.0, 100.0, 0.0, 100.0 }, &ctx);
    double x[1] = { 1.0 }, y[1] = { 0.0 }, dw[4];
    double loss = nn_loss(ctx, net, x, y, 1);
    assert_true(nn_ctx_outputs(ctx)[0] == 1.0);
    /* no clamp: E = ln(1 + e^net_o1) with net_o1 = 100*sigmoid(1) + 100, computed here */
    double h = 1.0 / (1.0 + exp(-1.0)), z = 100.0 * h + 100.0;
    assert_true(fabs(loss - (z + log1p(exp(-z)))) <= 1e-13 * z);
    assert_int_equal(nn_gradient(ctx, net, x, y, 1, dw), NN_OK);
    /* dE/dnet_o1 = out - y = 1: dE/dw(h1->o1) = out_h1, dE/db_o1 = 1 (they were 1e12 with the clamp) */
    assert_true(fabs(dw[1] - h) < 1e-15);
    assert_true(fabs(dw[3] - 1.0) < 1e-15);
    assert_int_equal(nn_step(ctx, net, x, y, 1, 0.1, 1, NULL), NN_OK);
    nn_ctx_free(ctx);
    nn_net_free(net);
}

/* Cross-entropy within 1e-12 of saturation: the gradients equal the central
 * differences of the exact loss (the case: x = 1, a weight of 30
 * into a sigmoid output, target 0). */
static void test_cross_entropy_near_saturation(void **state)
{
    (void)state;
    nn_ctx *ctx;
    /* net_o1 = 30*0.731 + 12 = 33.9: out within 2e-15 of 1 */
    nn_net *net = ce_net((const double[4]){ 1.0, 30.0, 0.0, 12.0 }, &ctx);
    double x[1] = { 1.0 }, y[1] = { 0.0 }, dw[4];
    assert_int_equal(nn_gradient(ctx, net, x, y, 1, dw), NN_OK);
    for (int m = 0; m < 4; m++) {
        double hstep = 1e-6, keep = net->w[m];
        net->w[m] = keep + hstep;
        double up = nn_loss(ctx, net, x, y, 1);
        net->w[m] = keep - hstep;
        double down = nn_loss(ctx, net, x, y, 1);
        net->w[m] = keep;
        double fd = (up - down) / (2 * hstep);
        assert_true(fabs(dw[m]) < 10.0);          /* not 1e12 */
        if (fabs(dw[m] - fd) > 1e-6 * fmax(1.0, fabs(fd)))
            fail_msg("w%d: gradient %.17g, central difference %.17g", m + 1, dw[m], fd);
    }
    nn_ctx_free(ctx);
    nn_net_free(net);
}

/* The walkthrough's numbering: w1 x1->h1, w2 x1->h2, w3 x2->h1, w5 h1->o1, w7 h2->o1 ... */
static void test_weight_numbering(void **state)
{
    (void)state;
    nn_net *net = test_net_new(2, 2, 2);
    assert_int_equal(net->n_weights, 12);
    assert_int_equal(nn_w_index(net, 1, 0, 0), 0);
    assert_int_equal(nn_w_index(net, 1, 0, 1), 1);
    assert_int_equal(nn_w_index(net, 1, 1, 0), 2);
    assert_int_equal(nn_w_index(net, 1, 1, 1), 3);
    assert_int_equal(nn_w_index(net, 2, 0, 0), 4);
    assert_int_equal(nn_w_index(net, 2, 0, 1), 5);
    assert_int_equal(nn_w_index(net, 2, 1, 0), 6);
    assert_int_equal(nn_w_index(net, 2, 1, 1), 7);
    assert_int_equal(nn_b_index(net, 1, 0), 8);
    assert_int_equal(nn_b_index(net, 1, 1), 9);
    assert_int_equal(nn_b_index(net, 2, 0), 10);
    assert_int_equal(nn_b_index(net, 2, 1), 11);
    char from[8], to[8];
    nn_w_ends(net, 6, from, sizeof from, to, sizeof to);
    assert_string_equal(from, "h2");
    assert_string_equal(to, "o1");
    nn_w_ends(net, 11, from, sizeof from, to, sizeof to);
    assert_string_equal(from, "1");
    assert_string_equal(to, "o2");
    nn_net_free(net);
    assert_null(test_net_new(0, 2, 2));
    assert_null(test_net_new(2, NN_MAX_UNITS + 1, 2));
    nn_net shape;
    assert_int_equal(nn_shape_init(&shape, 2, (const int[3]){ 2, 100000000, 2 }, NULL, NN_LOSS_QUADRATIC), -1);
}

/* Weights after `steps` traced steps of data (x, y), through a recording
 * (the sink attached: the traced path, independent of the untraced one). */
static void traced_weights(const ls_lesson *L, int steps, double *w)
{
    char err[256];
    tr_recording *rec = tr_record(L, NULL, 0, err, sizeof err);
    assert_non_null(rec);
    assert_int_equal(tr_record_goto(rec, steps, err, sizeof err), 0);
    memcpy(w, rec->net->w, sizeof(double) * (size_t)rec->n_weights);
    tr_recording_free(rec);
}

/* Every event of the step a context computed last still gives, after the
 * step, the operands it gave during its sink call: values and deps, the
 * weights as they were before the update (the recording reads deps then).
 * Random shapes, two traced steps so the weights' deps name step 1's updates. */
typedef struct kept_ops {
    nn_event ev[2048];         /* copies of the events of the step (symbol dropped) */
    nn_operand op[2048][64];   /* their operands as the sink call saw them (up to 64) */
    int n;                     /* events kept */
    int with_dep;              /* weight operands that named an earlier event */
} kept_ops;

static int keep_event(void *user, const nn_event *ev)
{
    kept_ops *k = user;
    if (k->n == 2048)
        return 0;
    k->ev[k->n] = *ev;
    k->ev[k->n].symbol = NULL;
    for (int q = 0; q < ev->n_ops && q < 64; q++) {
        k->op[k->n][q] = nn_event_op(ev, q);
        k->with_dep += k->op[k->n][q].kind == NN_OP_WEIGHT && k->op[k->n][q].dep >= 0;
    }
    k->n++;
    return 0;
}

static void test_operands_after_step(void **state)
{
    (void)state;
    static kept_ops k;
    long checked = 0, weights_changed = 0;
    for (int depth = 1; depth <= 3; depth++)
    for (int act = 0; act < NN_ACT_COUNT; act++)
    for (int loss = 0; loss < NN_LOSS_COUNT; loss++) {
        if (act == NN_ACT_SOFTMAX && loss != NN_LOSS_CROSS_ENTROPY)
            continue;
        nn_net shape;
        random_shape(depth, act, loss, 4, &shape);
        nn_net *net = nn_net_new_shape(&shape);
        int n = rnd_int(1, 3), L = shape.n_layers;
        nn_ctx *ctx = nn_ctx_new(net, n);
        assert_non_null(ctx);
        double x[3 * 4], y[3 * 4];
        for (int m = 0; m < net->n_weights; m++)
            net->w[m] = rnd();
        for (int q = 0; q < n * shape.size[0]; q++)
            x[q] = rnd();
        for (int q = 0; q < n * shape.size[L]; q++)
            y[q] = act == NN_ACT_SOFTMAX ? (q % shape.size[L] == 0) : loss == NN_LOSS_CROSS_ENTROPY ? (rnd() > 0) : rnd();
        nn_sink sink = { .user = &k, .event = keep_event };
        nn_ctx_set_sink(ctx, &sink);
        for (int step = 1; step <= 2; step++) {
            k.n = 0;
            k.with_dep = 0;
            assert_int_equal(nn_step(ctx, net, x, y, n, 0.5, step, NULL), NN_OK);
            assert_true(k.n < 2048);
            for (int e = 0; e < k.n; e++)
                for (int q = 0; q < k.ev[e].n_ops && q < 64; q++) {
                    nn_operand now = nn_event_op(&k.ev[e], q), then = k.op[e][q];
                    assert_true(now.value == then.value);
                    assert_int_equal(now.dep, then.dep);
                    assert_int_equal(now.kind, then.kind);
                    assert_int_equal(now.weight, then.weight);
                    weights_changed += now.kind == NN_OP_WEIGHT && now.value != net->w[now.weight - 1];
                    checked++;
                }
            if (step == 2)
                assert_true(k.with_dep > 0);   /* step 2's weights come from step 1's updates */
        }
        nn_ctx_free(ctx);
        nn_net_free(net);
    }
    assert_true(checked > 1000);
    assert_true(weights_changed > 100);        /* the weights did move: the test could fail */
}

/* Two contexts in one process, on different data, interleaved, give what
 * each gives alone (the traced path), and the weights do move. */
static void test_two_contexts(void **state)
{
    (void)state;
    ls_lesson *A = ls_seed(), *B = ls_seed();
    B->x[0] = 0.7; B->x[3] = -0.4; B->y[1] = 0.9;    /* other data for the second */
    nn_net *a = test_net_new(2, 2, 2), *b = test_net_new(2, 2, 2);
    nn_ctx *ca = nn_ctx_new(a, 2), *cb = nn_ctx_new(b, 2);
    memcpy(a->w, A->weights, sizeof(double) * 12);
    memcpy(b->w, B->weights, sizeof(double) * 12);
    for (int step = 1; step <= 3; step++) {
        assert_int_equal(nn_step(ca, a, A->x, A->y, 2, A->learning_rate, step, NULL), NN_OK);
        assert_int_equal(nn_step(cb, b, B->x, B->y, 2, B->learning_rate, step, NULL), NN_OK);
    }
    double wa[12], wb[12];
    traced_weights(A, 3, wa);
    traced_weights(B, 3, wb);
    double moved = 0, apart = 0;
    for (int m = 0; m < 12; m++) {
        assert_true(a->w[m] == wa[m]);
        assert_true(b->w[m] == wb[m]);
        moved += fabs(a->w[m] - A->weights[m]);
        apart += fabs(a->w[m] - b->w[m]);
    }
    assert_true(moved > 1e-6);   /* a step that does nothing cannot pass */
    assert_true(apart > 1e-6);   /* the two runs are really different */
    nn_ctx_free(ca);
    nn_ctx_free(cb);
    nn_net_free(a);
    nn_net_free(b);
    ls_free(A);
    ls_free(B);
}

/* The recording holds one step at a time; any step reached in any order has
 * the same weights and values as walking there one step at a time. */
static void test_recording_goto(void **state)
{
    (void)state;
    enum { STEPS = 1200 };
    ls_lesson *L = ls_seed();
    L->learning_rate = 0.5;
    char err[256];
    static double w[STEPS + 1][12];    /* w[s]: weights at the start of step s */
    nn_net *net = test_net_new(2, 2, 2);
    nn_ctx *ctx = nn_ctx_new(net, 2);
    memcpy(net->w, L->weights, sizeof w[1]);
    for (int s = 1; s <= STEPS; s++) {
        memcpy(w[s], net->w, sizeof w[s]);
        double x[4], y[4];
        ls_batch(L, s, x, y);
        assert_int_equal(nn_step(ctx, net, x, y, 2, L->learning_rate, s, NULL), NN_OK);
    }
    tr_recording *rec = tr_record(L, NULL, 0, err, sizeof err);
    assert_non_null(rec);
    long events = tr_rec_count(rec);
    for (long e = 0; e < events; e++)           /* every value named and laid out */
        tr_rec_at(rec, e);
    int blocks = rec->n_blocks;                 /* the arena of one step, used again by every other */
    assert_true(blocks > 0);
    static const int walk[] = { 2, 3, 1, 40, 39, 38, 700, 2, 1200, 1199, 5, 600, 601, 1 };
    for (size_t q = 0; q < sizeof walk / sizeof walk[0]; q++) {
        int s = walk[q];
        assert_int_equal(tr_record_goto(rec, s, err, sizeof err), 0);
        assert_int_equal(tr_rec_step(rec), s);
        assert_int_equal(tr_rec_count(rec), events);
        assert_memory_equal(tr_rec_start(rec), w[s], sizeof w[s]);
        if (s < STEPS)
            assert_memory_equal(rec->net->w, w[s + 1], sizeof w[s]);
        for (long e = 0; e < tr_rec_count(rec); e++) {
            assert_int_equal(tr_rec_at(rec, e)->step, s);
            assert_ptr_equal(tr_recording_event(rec, tr_rec_at(rec, e)->id), tr_rec_at(rec, e));
        }
        assert_int_equal(rec->n_blocks, blocks);
    }
    /* out of range: refused, the step held stays */
    assert_int_equal(tr_record_goto(rec, 0, err, sizeof err), -1);
    assert_int_equal(tr_rec_step(rec), 1);
    assert_int_equal(tr_record_goto(rec, LS_MAX_STEPS + 1, err, sizeof err), -1);
    assert_int_equal(tr_rec_step(rec), 1);
    tr_recording_free(rec);
    nn_ctx_free(ctx);
    nn_net_free(net);
    ls_free(L);
}

/* A recording lays each formula out when it is first asked for, after the
 * step: every event, visited in a scrambled order, has the formula and the
 * operands (names, values, kinds, deps) it had when laid out during the
 * sink call, and the deps the engine gave then.  Shipped lessons of every
 * shape, steps 1 and 3. */
typedef struct streamed {
    char formula[512][TR_TEMPLATE_SIZE];     /* each event's template, laid out at its sink call */
    tr_operand ops[512][16];                 /* its shown operands (names point into names) */
    char names[512][16][TR_NAME_SIZE];
    int n_ops[512];
    long deps[512][64];
    int n_deps[512];
    int n, step;                             /* events kept; the step to keep */
    long first;                              /* id of the step's first event */
    const nn_net *shape;
} streamed;

static int stream_event(void *user, const nn_event *ev)
{
    streamed *k = user;
    static tr_formula f;
    if (ev->step != k->step || k->n == 512)
        return 0;
    if (k->n == 0)
        k->first = ev->id;
    tr_layout(k->shape, ev, &f);
    snprintf(k->formula[k->n], TR_TEMPLATE_SIZE, "%s", f.text);
    k->n_ops[k->n] = f.n_ops;
    for (int q = 0; q < f.n_ops && q < 16; q++) {
        k->ops[k->n][q] = f.ops[q];
        snprintf(k->names[k->n][q], TR_NAME_SIZE, "%s", f.ops[q].name);
    }
    k->n_deps[k->n] = nn_event_deps(ev, k->deps[k->n], 64);
    k->n++;
    return 0;
}

static void test_recording_lays_out_later(void **state)
{
    (void)state;
    static streamed k;
    static const char *const names[] = { "seed", "xor", "deep", "softmax" };
    const char *dirs[] = { "lessons", NULL };
    long compared = 0;
    for (size_t a = 0; a < sizeof names / sizeof names[0]; a++)
    for (int step = 1; step <= 3; step += 2) {
        char err[LS_ERR_SIZE];
        ls_lesson *L = ls_open(names[a], dirs, err, sizeof err);
        assert_non_null(L);
        /* streamed: steps 1..step traced in one context, the last one kept */
        nn_net *net = nn_net_new_shape(&L->shape);
        nn_ctx *ctx = nn_ctx_new(net, L->batch_size);
        memcpy(net->w, L->weights, (size_t)net->n_weights * sizeof(double));
        k.n = 0;
        k.step = step;
        k.shape = &L->shape;
        nn_sink sink = { .user = &k, .event = stream_event };
        double *x = malloc((size_t)L->batch_size * (size_t)net->size[0] * sizeof(double));
        double *y = malloc((size_t)L->batch_size * (size_t)net->size[net->n_layers] * sizeof(double));
        for (int s = 1; s <= step; s++) {
            nn_ctx_set_sink(ctx, s == step ? &sink : NULL);   /* the step's weights count as given */
            ls_batch(L, s, x, y);
            assert_int_equal(nn_step(ctx, net, x, y, L->batch_size, L->learning_rate, s, NULL), NN_OK);
        }
        tr_recording *rec = tr_record(L, NULL, 0, err, sizeof err);
        assert_non_null(rec);
        assert_int_equal(tr_record_goto(rec, step, err, sizeof err), 0);
        long n = tr_rec_count(rec);
        assert_int_equal(n, k.n);
        assert_null(tr_rec_head(rec, n - 1)->formula);        /* not laid out until asked for */
        for (long v = 0; v < n; v++) {
            long i = (v * 7919) % n;                           /* every event once, scrambled */
            if (n % 7919 == 0)
                i = v;
            const tr_event *e = tr_rec_at(rec, i);
            assert_string_equal(e->formula, k.formula[i]);
            assert_int_equal(e->n_ops, k.n_ops[i]);
            for (int q = 0; q < e->n_ops && q < 16; q++) {
                assert_string_equal(e->ops[q].name, k.names[i][q]);
                assert_true(e->ops[q].op.value == k.ops[i][q].op.value);
                assert_int_equal(e->ops[q].op.kind, k.ops[i][q].op.kind);
                assert_int_equal(e->ops[q].op.dep < 0 ? -1 : e->ops[q].op.dep - tr_rec_at(rec, 0)->id,
                                 k.ops[i][q].op.dep < 0 ? -1 : k.ops[i][q].op.dep - k.first);
            }
            int nd;
            const long *deps = tr_rec_deps(rec, i, &nd);
            assert_int_equal(nd, k.n_deps[i]);
            for (int d = 0; d < nd && d < 64; d++)
                assert_int_equal(deps[d] - tr_rec_at(rec, 0)->id, k.deps[i][d] - k.first);
            compared++;
        }
        tr_recording_free(rec);
        free(x);
        free(y);
        nn_ctx_free(ctx);
        nn_net_free(net);
        ls_free(L);
    }
    assert_true(compared > 200);
}

/* The stepper's index of a step's values (tui_model) is built once and kept
 * for every step with as many events: after moving around, it is the index
 * built afresh for the step held, slot for slot, and every slot names the
 * value it is for. */
static void test_model_index_kept(void **state)
{
    (void)state;
    const char *dirs[] = { "lessons", NULL };
    char err[LS_ERR_SIZE];
    ls_lesson *L = ls_open("deep", dirs, err, sizeof err);
    assert_non_null(L);
    tui_model m, fresh;
    assert_int_equal(tui_model_open(&m, L, NULL, 0, err, sizeof err), 0);
    static const int walk[] = { 2, 5, 3, 1, 4 };
    long named = 0;
    for (size_t q = 0; q < sizeof walk / sizeof walk[0]; q++) {
        assert_int_equal(tui_model_goto_step(&m, walk[q], err, sizeof err), 0);
        assert_int_equal(tui_model_open(&fresh, L, NULL, 0, err, sizeof err), 0);
        assert_int_equal(tui_model_goto_step(&fresh, walk[q], err, sizeof err), 0);
        assert_int_equal(tui_model_update(&fresh), 0);           /* built for this step */
        long slots = (long)L->batch_size * m.per_sample + 1 + 2L * ls_n_weights(L);
        assert_memory_equal(m.slots, fresh.slots, (size_t)slots * sizeof(long));
        assert_memory_equal(m.stage_first, fresh.stage_first, sizeof m.stage_first);
        assert_memory_equal(m.stage_last, fresh.stage_last, sizeof m.stage_last);
        /* each value of the step held is where its slot says, by what it is */
        for (long e = 0; e < tr_rec_count(m.rec); e++) {
            const tr_event *ev = tr_rec_head(m.rec, e);
            assert_int_equal(ev->step, walk[q]);
            tui_role role = ev->kind == NN_EV_NET ? TUI_NET : ev->kind == NN_EV_OUT ? TUI_OUT :
                            ev->kind == NN_EV_DE_DOUT || ev->kind == NN_EV_DE_DNET ? TUI_DOUT :
                            ev->kind == NN_EV_DOUT_DNET ? TUI_DNET : ev->kind == NN_EV_LOSS ? TUI_E_TOTAL :
                            ev->kind == NN_EV_LOSS_BATCH ? TUI_E_FINAL : ev->kind == NN_EV_GRADIENT ? TUI_DW : TUI_W;
            int unit = role == TUI_DW || role == TUI_W ? ev->weight : ev->unit;
            assert_int_equal(tui_model_slot(&m, ev->sample, role, ev->layer, unit), e);
            named++;
        }
        tui_model_free(&fresh);
    }
    assert_true(named > 5 * 100);
    tui_model_free(&m);
    ls_free(L);
}

/* nn_mistakes on hand-made events: each mistake's value against the
 * formula written out here. */
static double find_mistake(const nn_mistake *m, int n, nn_mistake_kind kind)
{
    for (int q = 0; q < n; q++)
        if (m[q].kind == kind)
            return m[q].value;
    return NAN;
}

static double no_gradient(void *user, int weight)
{
    (void)user;
    return weight == 5 ? 0.5 : weight == 6 ? -0.25 : NAN;
}

static void test_mistakes(void **state)
{
    (void)state;
    nn_mistake m[NN_MISTAKES];
    /* w - eta*g with w = 0.3, eta = 0.5, g = 0.2 */
    nn_operand up[3] = { { .value = 0.3, .dep = -1, .kind = NN_OP_WEIGHT, .weight = 1 },
                         { .value = 0.5, .dep = -1, .kind = NN_OP_LEARNING_RATE },
                         { .value = 0.2, .dep = 7, .kind = NN_OP_VALUE, .of = NN_EV_GRADIENT, .weight = 1 } };
    nn_event ev = { .kind = NN_EV_UPDATE, .form = NN_FORM_UPDATE, .n_terms = 1, .ops = up, .n_ops = 3,
                    .value = 0.2, .weight = 1 };
    int n = nn_mistakes(&ev, 0.5, NULL, NULL, m, NN_MISTAKES);
    assert_true(fabs(find_mistake(m, n, NN_MISTAKE_NO_ETA) - (0.3 - 0.2)) < 1e-15);
    assert_true(fabs(find_mistake(m, n, NN_MISTAKE_ETA_TWICE) - (0.3 - 0.25 * 0.2)) < 1e-15);
    /* the update's own sign flipped (not the error's), and no update at all: the old weight */
    assert_true(fabs(find_mistake(m, n, NN_MISTAKE_UPDATE_SIGN) - (0.3 + 0.1)) < 1e-15);
    assert_true(isnan(find_mistake(m, n, NN_MISTAKE_SIGN)));
    assert_true(find_mistake(m, n, NN_MISTAKE_NO_UPDATE) == 0.3);
    /* a weighted sum 0.1*0.5 + 0.2*0.25 + 0.4*1: without the bias 0.1 */
    nn_operand ws[6] = { { .value = 0.1 }, { .value = 0.5 }, { .value = 0.2 }, { .value = 0.25 },
                         { .value = 0.4, .kind = NN_OP_WEIGHT, .weight = 9 }, { .value = 1 } };
    ev = (nn_event){ .kind = NN_EV_NET, .form = NN_FORM_WEIGHTED_SUM, .n_terms = 3, .ops = ws, .n_ops = 6,
                     .value = 0.5 };
    n = nn_mistakes(&ev, 0.5, NULL, NULL, m, NN_MISTAKES);
    assert_true(fabs(find_mistake(m, n, NN_MISTAKE_NO_BIAS) - 0.1) < 1e-15);
    assert_int_equal(m[0].term.weight, 9);
    /* a gradient's mean over 2 samples of (dE/dout, dout/dnet, in) */
    nn_operand g[6] = { { .value = -0.4 }, { .value = 0.25 }, { .value = 0.5 },
                        { .value = 0.6 }, { .value = 0.2 }, { .value = 0.75 } };
    double right = (-0.4 * 0.25 * 0.5 + 0.6 * 0.2 * 0.75) / 2;
    ev = (nn_event){ .kind = NN_EV_GRADIENT, .form = NN_FORM_MEAN, .n_terms = 2, .ops = g, .n_ops = 6,
                     .value = right };
    n = nn_mistakes(&ev, 0.5, NULL, NULL, m, NN_MISTAKES);
    assert_true(fabs(find_mistake(m, n, NN_MISTAKE_SUM) - 2 * right) < 1e-15);
    assert_true(fabs(find_mistake(m, n, NN_MISTAKE_NO_SLOPE) - (-0.4 * 0.5 + 0.6 * 0.75) / 2) < 1e-15);
    assert_true(fabs(find_mistake(m, n, NN_MISTAKE_SIGN) + right) < 1e-15);
    /* stage 5: sum over k of (dE/dout_k, dout_k/dnet_k, w_k) with the updated w_k = w_k - eta*g_k */
    nn_operand sp[6] = { { .value = 0.3 }, { .value = 0.2 }, { .value = 0.1, .kind = NN_OP_WEIGHT, .weight = 5 },
                         { .value = -0.5 }, { .value = 0.25 }, { .value = 0.4, .kind = NN_OP_WEIGHT, .weight = 6 } };
    ev = (nn_event){ .kind = NN_EV_DE_DOUT, .form = NN_FORM_SUM_PRODUCTS, .n_terms = 2, .ops = sp, .n_ops = 6,
                     .value = 0.3 * 0.2 * 0.1 - 0.5 * 0.25 * 0.4 };
    n = nn_mistakes(&ev, 0.5, no_gradient, NULL, m, NN_MISTAKES);
    assert_true(fabs(find_mistake(m, n, NN_MISTAKE_UPDATED_WEIGHTS) -
                     (0.3 * 0.2 * (0.1 - 0.5 * 0.5) - 0.5 * 0.25 * (0.4 + 0.5 * 0.25))) < 1e-15);
    assert_true(fabs(find_mistake(m, n, NN_MISTAKE_NO_SLOPE) - (0.3 * 0.1 - 0.5 * 0.4)) < 1e-15);
    /* without the gradients, no "updated weights" mistake */
    n = nn_mistakes(&ev, 0.5, NULL, NULL, m, NN_MISTAKES);
    assert_true(isnan(find_mistake(m, n, NN_MISTAKE_UPDATED_WEIGHTS)));
    /* the sigmoid's slope at out = 0.6: s(0.6)*(1 - s(0.6)) and tanh's 1 - 0.36 */
    nn_operand o = { .value = 0.6, .layer = 1, .unit = 1 };
    ev = (nn_event){ .kind = NN_EV_DOUT_DNET, .form = NN_FORM_SIGMOID_SLOPE, .n_terms = 1, .ops = &o, .n_ops = 1,
                     .value = 0.24 };
    n = nn_mistakes(&ev, 0.5, NULL, NULL, m, NN_MISTAKES);
    double s = 1 / (1 + exp(-0.6));
    assert_true(fabs(find_mistake(m, n, NN_MISTAKE_SLOPE_AT_OUT) - s * (1 - s)) < 1e-15);
    assert_true(fabs(find_mistake(m, n, NN_MISTAKE_OTHER_SLOPE) - 0.64) < 1e-15);
    assert_true(fabs(find_mistake(m, n, NN_MISTAKE_ONE_MINUS) - 0.4) < 1e-15);   /* 1 - out */
    /* the quadratic loss without its 1/2 */
    nn_operand q[2] = { { .value = 0.7 }, { .value = 1 } };
    ev = (nn_event){ .kind = NN_EV_LOSS, .form = NN_FORM_SQUARED_ERROR, .n_terms = 1, .ops = q, .n_ops = 2,
                     .value = 0.045 };
    n = nn_mistakes(&ev, 0.5, NULL, NULL, m, NN_MISTAKES);
    assert_true(fabs(find_mistake(m, n, NN_MISTAKE_NO_HALF) - 0.09) < 1e-15);
}

/* nntrace check on a large batch (issue 29): on 1000 rows every correct
 * gradient passes, and a gradient wrong by 1e-6 relative fails wherever the
 * allowance for the finite difference's noise is small enough to tell (the
 * bound used before allowed 1.5e-5 there); the weights where it can tell
 * must be most of them. */
static void test_check_large_batch(void **state)
{
    (void)state;
    enum { N_IN = 16, N_HID = 12, N_OUT = 4, ROWS = 1000 };
    nn_net *net = test_net_new(N_IN, N_HID, N_OUT);
    assert_non_null(net);
    nn_ctx *ctx = nn_ctx_new(net, ROWS);
    double *x = malloc(sizeof(double) * ROWS * N_IN), *y = malloc(sizeof(double) * ROWS * N_OUT);
    int W = net->n_weights;
    double *dw = malloc(sizeof(double) * (size_t)W);
    nn_check *c = malloc(sizeof *c * (size_t)W);
    assert_true(ctx && x && y && dw && c);
    for (int m = 0; m < W; m++)
        net->w[m] = rnd();
    for (int q = 0; q < ROWS * N_IN; q++)
        x[q] = rnd() * 2.0;
    for (int q = 0; q < ROWS * N_OUT; q++)
        y[q] = (rnd() + 1.0) / 2.0;
    assert_int_equal(nn_gradient(ctx, net, x, y, ROWS, dw), NN_OK);
    double e0 = nn_loss(ctx, net, x, y, ROWS);
    for (int m = 0; m < W; m++)
        nn_check_weight(ctx, net, x, y, ROWS, dw, m, e0, &c[m]);
    double noise = nn_check_noise(c, W);
    assert_true(noise > 0 && noise < 1e-13);        /* measured: about 1e-16 here */
    int fails = 0, telling = 0, caught = 0, sizable = 0;
    for (int m = 0; m < W; m++) {
        nn_check judged = c[m];
        nn_check_judge(net, noise, &judged);
        if (!judged.ok)
            fail_msg("w%d: correct gradient %.17g, difference %.17g, rel %.3g over tol %.3g",
                     m + 1, dw[m], judged.numeric, judged.rel, judged.tol);
        fails += !judged.ok;
        if (fabs(dw[m]) < 1e-4)
            continue;
        sizable++;
        nn_check wrong = c[m];
        wrong.analytic = dw[m] * (1.0 + 1e-6);
        nn_check_judge(net, noise, &wrong);
        if (wrong.tol < 8e-7) {                     /* the difference can tell 1e-6 from 0 */
            telling++;
            caught += !wrong.ok;
            if (wrong.ok)
                fail_msg("w%d: a gradient wrong by 1e-6 relative passed (rel %.3g, tol %.3g)",
                         m + 1, wrong.rel, wrong.tol);
        }
    }
    assert_int_equal(fails, 0);
    assert_int_equal(caught, telling);
    assert_true(sizable > W / 2 && telling >= sizable * 9 / 10);
    print_message("check on %d rows: %d weights, noise %.2g, all correct gradients pass; "
                  "an error of 1e-6 relative caught on %d of %d weights with |dE/dw| >= 1e-4\n",
                  ROWS, W, noise, caught, sizable);
    free(c);
    free(dw);
    free(x);
    free(y);
    nn_ctx_free(ctx);
    nn_net_free(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_reference),
        cmocka_unit_test(test_finite_differences),
        cmocka_unit_test(test_finite_differences_all_shapes),
        cmocka_unit_test(test_step_matches_reference),
        cmocka_unit_test(test_softmax),
        cmocka_unit_test(test_softmax_small_loss),
        cmocka_unit_test(test_traced_step_matches_gradient),
        cmocka_unit_test(test_stage5_uses_weights_before_update),
        cmocka_unit_test(test_no_sink_same_bits),
        cmocka_unit_test(test_sink_abort),
        cmocka_unit_test(test_nonfinite_and_sigmoid),
        cmocka_unit_test(test_weight_numbering),
        cmocka_unit_test(test_cross_entropy_saturated),
        cmocka_unit_test(test_cross_entropy_near_saturation),
        cmocka_unit_test(test_two_contexts),
        cmocka_unit_test(test_operands_after_step),
        cmocka_unit_test(test_recording_goto),
        cmocka_unit_test(test_recording_lays_out_later),
        cmocka_unit_test(test_model_index_kept),
        cmocka_unit_test(test_mistakes),
        cmocka_unit_test(test_check_large_batch),
    };
    return cmocka_run_group_tests_name("engine", tests, NULL, NULL);
}
