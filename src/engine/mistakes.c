/*
 * mistakes.c - the values a learner gets who makes a known mistake
 * (nn_mistakes).  Each is computed from the event's own operands, term by
 * term, in the form the engine computed the right value.
 */
#include "engine.h"

#include <math.h>

static const nn_operand no_term = { .kind = NN_OP_KINDS, .dep = -1 };

static int add(nn_mistake *out, int n, int max, int kind, double value, nn_operand term)
{
    if (n < max && isfinite(value))
        out[n++] = (nn_mistake){ kind, value, term };
    return n;
}

/* 1/n*sum over terms of the product of their operands, leaving out the
 * operand at position skip within each term (-1: none). */
static double mean_of_products(const nn_event *ev, int per, int skip)
{
    double sum = 0;
    for (int t = 0; t < ev->n_terms; t++) {
        double prod = 1;
        for (int q = 0; q < per; q++)
            if (q != skip)
                prod *= nn_event_op(ev, t * per + q).value;
        sum += prod;
    }
    return sum / ev->n_terms;
}

#define OP(q) nn_event_op(ev, (q))   /* operand q of the event at hand */

int nn_mistakes(const nn_event *ev, double eta, double (*gradient)(void *user, int weight), void *user,
                nn_mistake *out, int max)
{
    int n = 0, T = ev->n_terms, per = T > 0 ? ev->n_ops / T : 0;
    if (T <= 0 || per * T != ev->n_ops)
        return 0;
    switch (ev->form) {
    case NN_FORM_WEIGHTED_SUM:                            /* terms (w, in), the last the bias's */
        if (per == 2 && T >= 2)
            n = add(out, n, max, NN_MISTAKE_NO_BIAS, ev->value - OP(2 * (T - 1)).value * OP(2 * (T - 1) + 1).value,
                    OP(2 * (T - 1)));
        break;
    case NN_FORM_SIGMOID: case NN_FORM_TANH: case NN_FORM_RELU: case NN_FORM_SOFTMAX:
        n = add(out, n, max, NN_MISTAKE_NO_ACTIVATION, OP(0).value, OP(0));
        break;
    case NN_FORM_SQUARED_ERROR:
        n = add(out, n, max, NN_MISTAKE_NO_HALF, 2 * ev->value, no_term);
        break;
    case NN_FORM_MEAN:
        n = add(out, n, max, NN_MISTAKE_SUM, T * ev->value, no_term);
        if (ev->kind == NN_EV_GRADIENT) {
            /* terms (dE/dout, dout/dnet, in), or (dE/dnet, in) for a cross-entropy output */
            if (per == 3)
                n = add(out, n, max, NN_MISTAKE_NO_SLOPE, mean_of_products(ev, 3, 1), OP(1)); /* mutant: mistake-slope-kept */
            n = add(out, n, max, NN_MISTAKE_SIGN, -ev->value, OP(0));
        }
        break;
    case NN_FORM_DIFFERENCE:                              /* out - y */
        n = add(out, n, max, NN_MISTAKE_SIGN, -ev->value, OP(0));
        break;
    case NN_FORM_SUM_PRODUCTS: {                          /* terms (dE/dout, dout/dnet, w) or (dE/dnet, w) */
        double no_slope = 0, updated = 0;
        int known = gradient != NULL;
        for (int t = 0; t < T; t++) {
            nn_operand w = OP(t * per + per - 1);
            double a = OP(t * per).value, b = per == 3 ? OP(t * per + 1).value : 1;
            double g = gradient ? gradient(user, w.weight) : NAN;
            no_slope += a * w.value;
            if (!isfinite(g))
                known = 0;
            updated += a * b * (w.value - eta * g);
        }
        if (per == 3)
            n = add(out, n, max, NN_MISTAKE_NO_SLOPE, no_slope, OP(1));
        if (known)
            n = add(out, n, max, NN_MISTAKE_UPDATED_WEIGHTS, updated, OP(per - 1));
        n = add(out, n, max, NN_MISTAKE_SIGN, -ev->value, OP(0));
        break;
    }
    case NN_FORM_SIGMOID_SLOPE: {                         /* out*(1 - out) */
        double o = OP(0).value, s = 1 / (1 + exp(-o));
        n = add(out, n, max, NN_MISTAKE_SLOPE_AT_OUT, s * (1 - s), OP(0));
        n = add(out, n, max, NN_MISTAKE_OTHER_SLOPE, 1 - o * o, OP(0));
        n = add(out, n, max, NN_MISTAKE_ONE_MINUS, 1 - o, OP(0)); /* mutant: mistake-no-one-minus */
        break;
    }
    case NN_FORM_TANH_SLOPE: {                            /* 1 - out^2 */
        double o = OP(0).value;
        n = add(out, n, max, NN_MISTAKE_OTHER_SLOPE, o * (1 - o), OP(0));
        break;
    }
    case NN_FORM_UPDATE: {                                /* w - eta*g: (w, eta, g) */
        double w = OP(0).value, e = OP(1).value, g = OP(2).value;
        n = add(out, n, max, NN_MISTAKE_NO_ETA, w - g, OP(1));
        n = add(out, n, max, NN_MISTAKE_ETA_TWICE, w - e * e * g, OP(1));
        n = add(out, n, max, NN_MISTAKE_UPDATE_SIGN, w + e * g, OP(2)); /* mutant: mistake-update-sign-as-error */
        n = add(out, n, max, NN_MISTAKE_NO_UPDATE, w, OP(0));
        break;
    }
    case NN_FORM_LINEAR: case NN_FORM_CROSS_ENTROPY: case NN_FORM_RELU_SLOPE: case NN_FORM_LINEAR_SLOPE: case NN_FORM_CATEGORICAL_CE: case NN_FORMS:
    default:
        break;
    }
    return n;
}
