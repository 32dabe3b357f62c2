/*
 * cmd_check.c - nntrace check: every analytic dE_final/dw of the lesson's
 * first batch beside its central finite difference.
 */
#include "cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "../engine/engine.h"
#include "../trace/trace.h"

#define CHECK_LIMIT 1e-6   /* largest relative error accepted */
#define CHECK_FLOOR 1e-5   /* smallest denominator of the relative error */

int cli_check(int argc, char **argv)
{
    if (argc > 2 || (argc == 2 && argv[1][0] == '-' && argv[1][1] != '\0')) {
        cli_error("usage: nntrace check [LESSON]");
        return CLI_EXIT_USAGE;
    }
    int load_status;
    ls_lesson *L = cli_lesson(argc == 2 ? argv[1] : NULL, &load_status);
    if (!L)
        return load_status;
    int status = CLI_EXIT_OK, n = L->batch_size;
    nn_net *net = ls_net(L);
    nn_ctx *ctx = net ? nn_ctx_new(net, n) : NULL;
    double *x = malloc((size_t)n * (size_t)L->n_in * sizeof(double));
    double *y = malloc((size_t)n * (size_t)L->n_out * sizeof(double));
    double *dw = net ? malloc((size_t)net->n_weights * sizeof(double)) : NULL;
    if (!net || !ctx || !x || !y || !dw) {
        cli_error("out of memory");
        status = CLI_EXIT_FAILED;
        goto done;
    }
    ls_batch(L, 1, x, y);
    nn_gradient(ctx, net, x, y, n, dw);
    double worst = 0.0;
    printf("%-8s %-12s %24s %24s %12s\n", "weight", "edge", "analytic", "finite difference", "rel. error");
    for (int m = 0; m < net->n_weights; m++) {
        /* five-point central difference: error O(h^4) */
        double keep = net->w[m], h = 1e-4 * fmax(1.0, fabs(keep)), f[4];
        static const double at[4] = { -2, -1, 1, 2 };
        for (int q = 0; q < 4; q++) {
            net->w[m] = keep + at[q] * h;
            f[q] = nn_loss(ctx, net, x, y, n);
        }
        net->w[m] = keep;
        double fd = (f[0] - 8 * f[1] + 8 * f[2] - f[3]) / (12 * h);
        /* relative error, with a floor of 1e-5 under which finite-difference noise
         * (about 1e-12) would dominate */
        double rel = fabs(dw[m] - fd) / fmax(fmax(fabs(dw[m]), fabs(fd)), CHECK_FLOOR);
        if (rel > worst || isnan(rel))
            worst = isnan(rel) ? INFINITY : rel;
        char from[16], to[16], edge[40], name[24];
        nn_w_ends(net, m, from, sizeof from, to, sizeof to);
        snprintf(edge, sizeof edge, "%s->%s", from, to);
        snprintf(name, sizeof name, "w%d", m + 1);
        printf("%-8s %-12s %24.17g %24.17g %12.3e%s\n", name, edge, dw[m], fd, rel,
               rel > CHECK_LIMIT ? "  FAIL" : "");
    }
    printf("max relative error %.3e over %d weights (limit %.0e): %s\n", worst, net->n_weights,
           CHECK_LIMIT, worst <= CHECK_LIMIT ? "ok" : "FAILED");
    if (worst > CHECK_LIMIT)
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
