/*
 * cmd_check.c - nntrace check: every analytic dE_final/dw of the lesson's
 * first batch beside its central finite difference (nn_check_weight does
 * the math; this prints it).
 */
#include "cli.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../engine/engine.h"
#include "../trace/trace.h"

#define CHECK_BUDGET 4e9   /* most weight x sample x weight products: past it, a sample of weights */

int cli_check(int argc, char **argv)
{
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("usage: nntrace check [LESSON]\n");
        return CLI_EXIT_OK;
    }
    if (argc > 2 || (argc == 2 && argv[1][0] == '-' && argv[1][1] != '\0')) {
        cli_error("usage: nntrace check [LESSON]");
        return CLI_EXIT_USAGE;
    }
    int load_status;
    ls_lesson *L = cli_lesson(argc == 2 ? argv[1] : NULL, &load_status);
    if (!L)
        return load_status;
    int N = nn_n_inputs(&L->shape), O = nn_n_outputs(&L->shape);   /* inputs, outputs */
    int status = CLI_EXIT_OK, n = L->batch_size;
    nn_net *net = ls_net(L);
    nn_ctx *ctx = net ? nn_ctx_new(net, n) : NULL;
    double *x = malloc((size_t)n * (size_t)N * sizeof(double));
    double *y = malloc((size_t)n * (size_t)O * sizeof(double));
    double *dw = net ? malloc((size_t)net->n_weights * sizeof(double)) : NULL;
    if (!net || !ctx || !x || !y || !dw) {
        cli_error("out of memory");
        status = CLI_EXIT_FAILED;
        goto done;
    }
    ls_batch(L, 1, x, y);
    nn_gradient(ctx, net, x, y, n, dw);
    int W = net->n_weights;
    /* each weight checked costs four losses of n samples through W weights;
     * past the budget an evenly spaced sample of weights, every layer's */
    double per_weight = 4.0 * n * (double)W;
    int count = per_weight * W <= CHECK_BUDGET ? W : (int)fmax(16.0, fmin(W, CHECK_BUDGET / per_weight));
    double e0 = nn_loss(ctx, net, x, y, n);
    double noise = nn_check_noise(net, n, e0);
    double worst = 0.0;
    int failed = 0, kinks = 0;
    printf("%-8s %-12s %24s %24s %12s\n", "weight", "edge", "analytic", "finite difference", "rel. error");
    for (int q = 0; q < count; q++) {
        int m = count == W ? q : (int)((long long)q * W / count);
        nn_check c;
        nn_check_weight(ctx, net, x, y, n, dw, m, e0, noise, &c);
        if (c.kink) {
            kinks++;
        } else {
            if (c.rel > worst || isnan(c.rel))
                worst = isnan(c.rel) ? INFINITY : c.rel;
            failed += !c.ok;
        }
        char from[16], to[16], edge[40], name[24];
        nn_w_ends(net, m, from, sizeof from, to, sizeof to);
        snprintf(edge, sizeof edge, "%s->%s", from, to);
        snprintf(name, sizeof name, "w%d", m + 1);
        printf("%-8s %-12s %24.17g %24.17g %12.3e%s\n", name, edge, c.analytic, c.numeric, c.rel,
               c.kink ? "  KINK" : c.ok ? "" : "  FAIL");
    }
    if (count < W)
        printf("checked %d of %d weights, evenly spaced (the whole network would take %.0f products)\n",
               count, W, per_weight * W);
    if (kinks)
        printf("%d weight%s at a relu kink (a net input at 0: not differentiable there), not compared\n",
               kinks, kinks == 1 ? "" : "s");
    printf("max relative error %.3e over %d weights (limit %.0e, plus what the loss's rounding "
           "noise of %.1e explains): %s\n", worst, count - kinks, NN_CHECK_LIMIT, noise, failed ? "FAILED" : "ok");
    if (failed)
        status = CLI_EXIT_FAILED;
done:
    free(x);
    free(y);
    free(dw);
    nn_ctx_free(ctx);
    nn_net_free(net);
    ls_free(L);
    return status;
}
