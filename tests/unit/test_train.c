/*
 * test_train.c - the training path: the BLAS step agrees with the engine's
 * readable step on random networks of every shape, and training is
 * reproducible.
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
#include "train/train.h"

static unsigned long long state_ = 0x2545F4914F6CDD1DULL;
static double rnd(void)
{
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    return (double)(state_ >> 11) / 9007199254740992.0 * 2.0 - 1.0;
}

/* Three steps on each path from the same weights: the weights agree to 1e-12.
 * A batch of 7, and of 1 in each of the BLAS path's forms (dgemm; dgemv and dger). */
static void test_fast_step_matches_engine(void **state)
{
    (void)state;
    double worst = 0.0, worst_loss = 0.0;
    int nets = 0, vector_steps = 0;
    for (int form = 0; form < 3; form++)
    for (int depth = 1; depth <= 3; depth++)
    for (int act = 0; act < NN_ACT_COUNT; act++)
    for (int loss = 0; loss < NN_LOSS_COUNT; loss++) {
        int sizes[NN_MAX_LAYERS + 1], acts[NN_MAX_LAYERS + 1], L = depth + 1, n = form == 0 ? 7 : 1;
        int softmax = act == NN_ACT_SOFTMAX;     /* an output, with the cross-entropy alone */
        if (softmax && loss != NN_LOSS_CROSS_ENTROPY)
            continue;
        for (int l = 0; l <= L; l++)
            sizes[l] = 3 + (int)((rnd() + 1) * 4);
        for (int l = 1; l <= L; l++)
            acts[l] = softmax ? NN_ACT_TANH : act;
        if (loss == NN_LOSS_CROSS_ENTROPY)
            acts[L] = softmax ? NN_ACT_SOFTMAX : NN_ACT_SIGMOID;
        nn_net shape;
        assert_int_equal(nn_shape_init(&shape, L, sizes, acts, loss), 0);
        nn_net *a = nn_net_new_shape(&shape), *b;
        for (int m = 0; m < a->n_weights; m++)
            a->w[m] = rnd() * 0.5;
        b = nn_net_copy(a);
        double x[7 * 16], y[7 * 16];
        for (int q = 0; q < n * sizes[0]; q++)
            x[q] = rnd();
        for (int q = 0; q < n * sizes[L]; q++)
            y[q] = softmax ? 0.0 : rnd() > 0 ? 1.0 : 0.0;
        for (int s = 0; softmax && s < n; s++)       /* one-hot targets */
            y[s * sizes[L] + (int)((rnd() + 1) / 2 * sizes[L]) % sizes[L]] = 1.0;
        nn_ctx *ctx = nn_ctx_new(a, n);
        char why[160];
        tn_fast *fast = tn_fast_new(b, n, why, sizeof why);
        assert_non_null(fast);
        tn_fast_form(fast, form == 2);
        vector_steps += tn_fast_vectors(fast) * (n == 1);
        for (int step = 1; step <= 3; step++) {
            assert_int_equal(nn_step(ctx, a, x, y, n, 0.3, step, NULL), NN_OK);
            assert_int_equal(tn_fast_step(fast, b, x, y, n, 0.3), NN_OK);
        }
        for (int m = 0; m < a->n_weights; m++) {
            double diff = fabs(a->w[m] - b->w[m]) / fmax(1.0, fabs(a->w[m]));
            if (diff > worst)
                worst = diff;
            if (!(diff < 1e-12))
                fail_msg("depth %d %s %s: w%d engine %.17g, BLAS %.17g", depth, nn_act_name(act),
                         nn_loss_name(loss), m + 1, a->w[m], b->w[m]);
        }
        /* the loss and outputs an epoch is measured by (BLAS path) are the engine's */
        double e_engine = nn_loss(ctx, a, x, y, n), e_blas = tn_fast_loss(fast, a, x, y, n);
        double lrel = fabs(e_engine - e_blas) / fmax(1e-300, fabs(e_engine));
        if (lrel > worst_loss)
            worst_loss = lrel;
        if (!(lrel < 1e-12))
            fail_msg("depth %d %s %s: E_final engine %.17g, BLAS %.17g", depth, nn_act_name(act),
                     nn_loss_name(loss), e_engine, e_blas);
        for (int q = 0; q < n * sizes[L]; q++)
            if (!(fabs(nn_ctx_outputs(ctx)[q] - tn_fast_outputs(fast)[q]) <
                  1e-12 * fmax(1.0, fabs(nn_ctx_outputs(ctx)[q]))))     /* relative, as the weights */
                fail_msg("depth %d: output %d engine %.17g, BLAS %.17g", depth, q, nn_ctx_outputs(ctx)[q],
                         tn_fast_outputs(fast)[q]);
        /* guard: the step moved the weights at all */
        double moved = 0.0;
        nn_net *c = nn_net_copy(a);
        tn_fast_step(fast, c, x, y, n, 0.3);
        for (int m = 0; m < a->n_weights; m++)
            moved = fmax(moved, fabs(c->w[m] - a->w[m]));
        if (act != NN_ACT_RELU)
            assert_true(moved > 1e-9);
        nn_net_free(c);
        tn_fast_free(fast);
        nn_ctx_free(ctx);
        nn_net_free(a);
        nn_net_free(b);
        nets++;
    }
    assert_true(vector_steps > 0);
    print_message("BLAS step vs engine: %d networks, 3 steps each (%d of them a batch of 1 as dgemv and dger), "
                  "max weight difference %.3g, max relative E_final difference %.3g\n", nets, vector_steps,
                  worst, worst_loss);
}

/* A step that would produce a non-finite value changes nothing. */
static void test_fast_step_nonfinite(void **state)
{
    (void)state;
    int sizes[3] = { 1, 1, 1 }, acts[3] = { 0, NN_ACT_LINEAR, NN_ACT_LINEAR };
    nn_net shape;
    nn_shape_init(&shape, 2, sizes, acts, NN_LOSS_QUADRATIC);
    nn_net *net = nn_net_new_shape(&shape);
    char why[160];
    tn_fast *fast = tn_fast_new(net, 1, why, sizeof why);
    double x[1] = { 1e200 }, y[1] = { 0 };
    net->w[0] = 1e200;
    net->w[1] = 1.0;
    nn_net *before = nn_net_copy(net);
    assert_int_equal(tn_fast_step(fast, net, x, y, 1, 0.1), NN_ENONFINITE);
    assert_memory_equal(net->w, before->w, sizeof(double) * (size_t)net->n_weights);
    /* every value of the step finite, but the update overflows: the output's
     * bias near the largest double, a learning rate of 3 (b - 3 b = -inf) */
    x[0] = 1.0;
    net->w[0] = 1.0;
    net->w[1] = 1e-10;
    net->w[2] = 0.0;
    net->w[3] = 1.7e308;
    memcpy(before->w, net->w, sizeof(double) * (size_t)net->n_weights);
    assert_int_equal(tn_fast_step(fast, net, x, y, 1, 3.0), NN_ENONFINITE);
    assert_memory_equal(net->w, before->w, sizeof(double) * (size_t)net->n_weights);
    /* the same with the weights large but safe: the step goes through */
    net->w[3] = 1e290;
    assert_int_equal(tn_fast_step(fast, net, x, y, 1, 0.5), NN_OK);
    assert_true(net->w[3] < 1e290 && isfinite(net->w[3]));
    nn_net_free(before);
    tn_fast_free(fast);
    nn_net_free(net);
}

/* The BLAS path's sigmoid (its own exp, which vectorises) against the
 * engine's nn_sigmoid, over every magnitude: within 4 units in the last
 * place, or 1e-300 where the true value is that small. */
static void test_fast_sigmoid(void **state)
{
    (void)state;
    enum { K = 4000 };
    int sizes[3] = { 1, 1, 1 }, acts[3] = { 0, NN_ACT_LINEAR, NN_ACT_SIGMOID };
    nn_net shape;
    nn_shape_init(&shape, 2, sizes, acts, NN_LOSS_QUADRATIC);
    nn_net *net = nn_net_new_shape(&shape);
    char why[160];
    tn_fast *fast = tn_fast_new(net, K, why, sizeof why);
    assert_non_null(fast);
    static double x[K], y[K];
    static const double special[] = { 0.0, -0.0, 1e-300, -1e-300, 1e-17, -1e-17, 36.7, -36.7, 40, -40,
                                      700, -700, 708, -708, 709, -709, 745, -745, 746, -746, 1e6, -1e6 };
    int n_special = (int)(sizeof special / sizeof special[0]);
    for (int q = 0; q < K; q++)
        x[q] = q < n_special ? special[q] : rnd() * (q % 3 == 0 ? 800.0 : q % 3 == 1 ? 30.0 : 1.0);
    net->w[0] = 1.0;    /* x -> h: h = x */
    net->w[1] = 1.0;    /* h -> o: net_o = x */
    net->w[2] = net->w[3] = 0.0;
    tn_fast_loss(fast, net, x, y, K);
    const double *out = tn_fast_outputs(fast);
    double worst_ulps = 0.0;
    for (int q = 0; q < K; q++) {
        double want = nn_sigmoid(x[q]), diff = fabs(out[q] - want);
        double ulps = want > 0 ? diff / (nextafter(want, INFINITY) - want) : 0.0;
        if (!(diff <= 1e-300 || ulps <= 4.0))
            fail_msg("sigmoid(%.17g): engine %.17g, BLAS path %.17g (%.1f ulps)", x[q], want, out[q], ulps);
        if (diff > 1e-300 && ulps > worst_ulps)
            worst_ulps = ulps;
    }
    assert_true(out[0] == 0.5 && out[12] == nn_sigmoid(700));   /* guard: the values really came through */
    print_message("BLAS sigmoid vs engine: %d values, worst %.1f ulps\n", K, worst_ulps);
    tn_fast_free(fast);
    nn_net_free(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fast_step_matches_engine),
        cmocka_unit_test(test_fast_step_nonfinite),
        cmocka_unit_test(test_fast_sigmoid),
    };
    return cmocka_run_group_tests_name("train", tests, NULL, NULL);
}
