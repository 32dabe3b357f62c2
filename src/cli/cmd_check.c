/*
 * cmd_check.c - nntrace check: every analytic dE_final/dw of the lesson's
 * first batch beside its central finite difference (nn_check_weight does
 * the math; this prints it).
 */
#include "cli.h"

#include <float.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../engine/engine.h"
#include "../trace/trace.h"

#define CHECK_BUDGET 1e10  /* most multiply-adds (nn_loss_around_products; about 5 s here): past it, a sample */

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return x < y ? -1 : x > y;
}

/* Read check's options: -1 to go on, else the exit status (reported, or 0 after --help). */
static int check_options(int argc, char **argv, int *want, int *seed)
{
    static const struct option longopts[] = {
        { "weights", required_argument, NULL, 'k' },
        { "seed", required_argument, NULL, 'S' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int opt;
    *want = 0;
    *seed = 1;
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, ":k:S:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'k':
            if (cli_int(optarg, 1, 100000000, want) != 0) {
                cli_error("--weights takes a whole number of weights to check, not '%s'", optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case 'S':
            if (cli_int(optarg, 0, 2147483647, seed) != 0) {
                cli_error("--seed takes a whole number, not '%s'", optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case 'h':
            printf("usage: nntrace check [--weights K [--seed S]] [LESSON]\n");
            return CLI_EXIT_OK;
        default:
            return cli_bad_option(opt, argv);
        }
    }
    if (argc - optind > 1) {
        cli_error("check takes one lesson, not '%s' as well (see nntrace --help)", argv[optind + 1]);
        return CLI_EXIT_USAGE;
    }
    return -1;
}

/* want of the W weights' indices drawn at random with seed, in order
 * (malloc'd, the caller frees); NULL when out of memory. */
static int *draw_weights(int W, int want, int seed)
{
    int *pick = malloc((size_t)W * sizeof(int));
    if (!pick)
        return NULL;
    ls_rng rng;
    ls_rng_seed(&rng, (unsigned long long)seed);
    for (int m = 0; m < W; m++)
        pick[m] = m;
    for (int q = 0; q < want; q++) {            /* the first want of a shuffle */
        int r = q + (int)(ls_rng_next(&rng) % (unsigned long long)(W - q)), t = pick[q]; /* mutant: check-weights-not-drawn */
        pick[q] = pick[r];
        pick[r] = t;
    }
    qsort(pick, (size_t)want, sizeof *pick, cmp_int);
    return pick;
}

/* The weight the q-th check is of: pick[q] (--weights), every weight in
 * order, or the q-th of `count` evenly spaced. */
static int weight_of(const int *pick, int q, int count, int W)
{
    return pick ? pick[q] : count == W ? q : (int)((long long)q * W / count);
}

/* Each check judged at the estimated noise and printed, one row a weight
 * (m: pick[q], or every weight, or an evenly spaced sample); the failures
 * counted, the kinks into *kinks, the largest relative error of the rest
 * into *worst. */
static int judge_and_print(const nn_net *net, nn_check *checks, const int *pick, int count, double noise,
                           int *kinks, double *worst)
{
    int W = net->n_weights, failed = 0;
    printf("%-8s %-12s %24s %24s %12s\n", "weight", "edge", "analytic", "finite difference", "rel. error");
    for (int q = 0; q < count; q++) {
        int m = weight_of(pick, q, count, W);
        nn_check *c = &checks[q];
        nn_check_judge(net, noise, c);
        if (c->kink) {
            (*kinks)++;
        } else {
            if (c->rel > *worst || isnan(c->rel))
                *worst = isnan(c->rel) ? INFINITY : c->rel;
            failed += !c->ok;
        }
        char from[16], to[16], edge[40], name[24];
        nn_w_ends(net, m, from, sizeof from, to, sizeof to);
        snprintf(edge, sizeof edge, "%s->%s", from, to);
        snprintf(name, sizeof name, "w%d", m + 1);
        printf("%-8s %-12s %24.17g %24.17g %12.3e%s\n", name, edge, c->analytic, c->numeric, c->rel,
               c->kink ? "  KINK" : c->ok ? "" : "  FAIL");
    }
    return failed;
}

int cli_check(int argc, char **argv)
{
    int want, seed, status = check_options(argc, argv, &want, &seed);
    if (status >= 0)
        return status;
    int load_status;
    ls_lesson *L = cli_lesson(optind < argc ? argv[optind] : NULL, &load_status);
    if (!L)
        return load_status;
    int N = nn_n_inputs(&L->shape), O = nn_n_outputs(&L->shape);   /* inputs, outputs */
    int n = L->batch_size;
    status = CLI_EXIT_OK;
    nn_check *checks = NULL;                    /* one per weight checked, in order */
    int *pick = NULL;                           /* --weights K: K weights drawn at random, in order */
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
    /* each weight checked costs four losses, of which only what the weight
     * feeds is recomputed (nn_loss_around); past the budget an evenly
     * spaced sample of weights, every layer's */
    double total = 0.0;
    for (int m = 0; m < W; m++)
        total += nn_loss_around_products(net, m, n, 4);
    double per_weight = total / W;
    int count = total <= CHECK_BUDGET ? W : (int)fmax(16.0, fmin(W, CHECK_BUDGET / per_weight));
    if (want > 0 && want < W) {                 /* pick: K weights drawn at random, in order */
        if (!(pick = draw_weights(W, want, seed))) {
            cli_error("out of memory");
            status = CLI_EXIT_FAILED;
            goto done;
        }
        count = want;
    } else if (want >= W) {
        count = W;
    }
    double e0 = nn_loss(ctx, net, x, y, n);
    if (!(checks = malloc((size_t)count * sizeof *checks))) {
        cli_error("out of memory");
        status = CLI_EXIT_FAILED;
        goto done;
    }
    /* every difference first: the noise is estimated from all of them */
    for (int q = 0; q < count; q++) {
        int m = weight_of(pick, q, count, W);
        nn_check_weight(ctx, net, x, y, n, dw, m, e0, &checks[q]);
    }
    double noise = nn_check_noise(checks, count);
    if (isnan(noise)) {
        cli_error("out of memory");
        status = CLI_EXIT_FAILED;
        goto done;
    }
    double worst = 0.0;
    int kinks = 0, failed = judge_and_print(net, checks, pick, count, noise, &kinks, &worst);
    if (pick)
        printf("checked %d of %d weights, drawn at random (--seed %d)\n", count, W, seed);
    else if (count < W)
        printf("checked %d of %d weights, evenly spaced (the whole network would take %.0f products)\n",
               count, W, total);
    if (kinks)
        printf("%d weight%s at a relu kink (a net input reaches 0 within the difference's steps: no derivative to compare), not compared\n",
               kinks, kinks == 1 ? "" : "s");
    printf("max relative error %.3e over %d weights (limit %.0e, plus what the loss's rounding "
           "noise, estimated at %.1e, explains): %s\n", worst, count - kinks, NN_CHECK_LIMIT, noise, failed ? "FAILED" : "ok");
    if (failed)
        status = CLI_EXIT_FAILED;
done:
    free(pick);
    free(checks);
    free(x);
    free(y);
    free(dw);
    nn_ctx_free(ctx);
    nn_net_free(net);
    ls_free(L);
    return status;
}
