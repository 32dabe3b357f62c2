/*
 * bench_train.c - training throughput of the engine on the walkthrough's
 * Part 2 configuration: 784-90-10, sigmoid, quadratic loss, batch 20,
 * synthetic data from a fixed seed, tracing off, one core.
 *   bench_train [fast|ceiling|nosink|sink] SECONDS [BATCH]
 * fast: the BLAS path that nntrace train uses; ceiling: the same matrix
 * products alone (what the BLAS path could reach); nosink/sink: the
 * engine's readable loops without / with a do-nothing event sink.
 * prints: samples per second and GFLOP/s in CPU time, the FLOPs those of
 * the products actually computed (tn_fast_flops), and OpenBLAS's kernel.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/engine.h"
#include "lesson/lesson.h"
#include "train/train.h"

#define ROWS  2000

static int do_nothing(void *user, const nn_event *ev)
{
    (void)user;
    (void)ev;
    return 0;
}

/* CPU time of the process: the machines are shared, wall time is not ours. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    int with_sink = argc > 1 && strcmp(argv[1], "sink") == 0;
    int fast_path = argc > 1 && strcmp(argv[1], "fast") == 0;
    int products = argc > 1 && strcmp(argv[1], "ceiling") == 0;
    double seconds = argc > 2 ? atof(argv[2]) : 3.0;
    int BATCH = argc > 3 ? atoi(argv[3]) : 20;
    if (BATCH < 1 || BATCH > ROWS) {
        fprintf(stderr, "bench_train: BATCH is 1 to %d\n", ROWS);
        return 2;
    }
    int sizes[3] = { 784, 90, 10 };
    nn_net shape;
    nn_shape_init(&shape, 2, sizes, NULL, NN_LOSS_QUADRATIC);
    nn_net *net = nn_net_new_shape(&shape);
    nn_ctx *ctx = nn_ctx_new(net, BATCH);
    char why[160];
    tn_fast *fast = tn_fast_new(net, BATCH, why, sizeof why);
    if (!fast && (fast_path || products)) {
        fprintf(stderr, "bench_train: %s\n", why);
        return 1;
    }
    double *x = malloc(sizeof(double) * ROWS * 784), *y = calloc(ROWS * 10, sizeof(double));
    ls_rng rng;
    ls_rng_seed(&rng, 42);
    for (int m = 0; m < net->n_weights; m++)
        net->w[m] = ls_rng_normal(&rng) * 0.05;
    for (int q = 0; q < ROWS * 784; q++)
        x[q] = ls_rng_uniform(&rng);
    for (int r = 0; r < ROWS; r++)
        y[r * 10 + (int)(ls_rng_next(&rng) % 10)] = 1.0;
    nn_sink sink = { NULL, NULL, do_nothing };
    if (with_sink)
        nn_ctx_set_sink(ctx, &sink);
    long samples = 0;
    int step = 0;
    double t0 = now(), t;
    do {
        for (int k = 0; k < 10; k++) {
            int first = (step * BATCH) % ROWS;
            if (products)
                tn_fast_products(fast, net, x + (size_t)first * 784, BATCH);
            else if (fast_path)
                tn_fast_step(fast, net, x + (size_t)first * 784, y + (size_t)first * 10, BATCH, 0.1);
            else
                nn_step(ctx, net, x + (size_t)first * 784, y + (size_t)first * 10, BATCH, 0.1, step, NULL);
            step++;
            samples += BATCH;
        }
        t = now() - t0;
    } while (t < seconds);
    double rate = samples / t;
    double flops = tn_fast_flops(net, 1);        /* per sample */
    printf("%.1f samples/s %.3f GFLOP/s (%ld samples in %.2f s of CPU; OpenBLAS kernel %s)\n", rate,
           rate * flops / 1e9, samples, t, fast ? tn_fast_core(fast) : "none");
    free(x);
    free(y);
    nn_ctx_free(ctx);
    tn_fast_free(fast);
    nn_net_free(net);
    return 0;
}
