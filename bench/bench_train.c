/*
 * bench_train.c - training throughput on the walkthrough's Part 2
 * configuration: 784-H-10, sigmoid, batch 20 unless asked otherwise,
 * synthetic data from a fixed seed, tracing off, one core.
 *   bench_train MODE SECONDS [BATCH [HIDDEN [LOSS]]]
 * MODE fast: the BLAS path that nntrace train uses; ceiling: the same matrix
 * products alone (what the BLAS path could reach); ratio: the two taken in
 * turns, a tenth of a second each, so that a shared machine's slow and fast
 * moments fall on both alike; nosink/sink: the engine's readable loops
 * without / with a do-nothing event sink.  HIDDEN defaults to 90, LOSS to
 * quadratic (or cross_entropy).
 * prints: samples per second and GFLOP/s in CPU time, the FLOPs those of
 * the products actually computed (tn_fast_flops), and OpenBLAS's kernel;
 * ratio prints both rates and the step's share of the ceiling.
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

/* The benchmark's state: one network, its batches, both paths. */
typedef struct bench {
    nn_net *net;              /* the weights being trained */
    nn_ctx *ctx;              /* the engine */
    tn_fast *fast;            /* the BLAS path */
    double *x, *y;            /* ROWS samples */
    int batch;                /* samples per step */
    int step;                 /* steps taken, for the batch rotation */
} bench;

enum { MODE_FAST, MODE_CEILING, MODE_ENGINE };

/* Steps of one kind for at least `seconds` of CPU: the samples taken and
 * the CPU time into *samples and *spent (added). */
static void run_for(bench *b, int mode, double seconds, long *samples, double *spent)
{
    double t0 = now(), t;
    do {
        for (int k = 0; k < 10; k++) {
            int first = (b->step * b->batch) % ROWS;
            const double *x = b->x + (size_t)first * 784, *y = b->y + (size_t)first * 10;
            if (mode == MODE_CEILING)
                tn_fast_products(b->fast, b->net, x, b->batch);
            else if (mode == MODE_FAST)
                tn_fast_step(b->fast, b->net, x, y, b->batch, 0.1);
            else
                nn_step(b->ctx, b->net, x, y, b->batch, 0.1, b->step + 1, NULL);
            b->step++;
            *samples += b->batch;
        }
        t = now() - t0;
    } while (t < seconds);
    *spent += t;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "fast";
    int with_sink = strcmp(mode, "sink") == 0, ratio = strcmp(mode, "ratio") == 0;
    int forms = strcmp(mode, "forms") == 0;   /* a batch of 1 both ways, in turns */
    int kind = strcmp(mode, "fast") == 0 ? MODE_FAST : strcmp(mode, "ceiling") == 0 ? MODE_CEILING : MODE_ENGINE;
    double seconds = argc > 2 ? atof(argv[2]) : 3.0;
    int BATCH = argc > 3 ? atoi(argv[3]) : 20, H = argc > 4 ? atoi(argv[4]) : 90;
    int loss = argc > 5 ? nn_loss_parse(argv[5]) : NN_LOSS_QUADRATIC;
    if (BATCH < 1 || BATCH > ROWS || H < 1 || H > 4096 || loss < 0) {
        fprintf(stderr, "bench_train: BATCH is 1 to %d, HIDDEN 1 to 4096, LOSS quadratic or cross_entropy\n", ROWS);
        return 2;
    }
    int sizes[3] = { 784, H, 10 };
    nn_net shape;
    nn_shape_init(&shape, 2, sizes, NULL, loss);
    bench b = { nn_net_new_shape(&shape), NULL, NULL, malloc(sizeof(double) * ROWS * 784),
                calloc(ROWS * 10, sizeof(double)), BATCH, 0 };
    b.ctx = nn_ctx_new(b.net, BATCH);
    char why[160];
    b.fast = tn_fast_new(b.net, BATCH, why, sizeof why);
    if (!b.fast && (kind != MODE_ENGINE || ratio || forms)) {
        fprintf(stderr, "bench_train: %s\n", why);
        return 1;
    }
    ls_rng rng;
    ls_rng_seed(&rng, 42);
    for (int m = 0; m < b.net->n_weights; m++)
        b.net->w[m] = ls_rng_normal(&rng) * 0.05;
    for (int q = 0; q < ROWS * 784; q++)
        b.x[q] = ls_rng_uniform(&rng);
    for (int r = 0; r < ROWS; r++)
        b.y[r * 10 + (int)(ls_rng_next(&rng) % 10)] = 1.0;
    nn_sink sink = { NULL, NULL, do_nothing, 0 };
    if (with_sink)
        nn_ctx_set_sink(b.ctx, &sink);
    double flops = tn_fast_flops(b.net, 1);       /* per sample */
    const char *core = b.fast ? tn_fast_core(b.fast) : "none";
    if (forms) {
        long n[2] = { 0, 0 };
        double t[2] = { 0, 0 };
        int chosen = tn_fast_vectors(b.fast);
        while (t[0] + t[1] < seconds)
            for (int v = 0; v < 2; v++) {
                tn_fast_form(b.fast, v);
                run_for(&b, MODE_FAST, 0.1, &n[v], &t[v]);
            }
        printf("dgemm %.0f samples/s, dgemv and dger %.0f: %.2fx; the kernel %s takes %s\n", n[0] / t[0],
               n[1] / t[1], (n[1] / t[1]) / (n[0] / t[0]), core, chosen ? "dgemv and dger" : "dgemm");
    } else if (ratio) {
        long n_fast = 0, n_top = 0;
        double t_fast = 0, t_top = 0;
        while (t_fast + t_top < seconds) {
            run_for(&b, MODE_FAST, 0.1, &n_fast, &t_fast);
            run_for(&b, MODE_CEILING, 0.1, &n_top, &t_top);
        }
        double r_fast = n_fast / t_fast, r_top = n_top / t_top;
        printf("%.1f samples/s, products alone %.1f samples/s: %.1f%% (%.3f and %.3f GFLOP/s; OpenBLAS kernel %s)\n",
               r_fast, r_top, 100.0 * r_fast / r_top, r_fast * flops / 1e9, r_top * flops / 1e9, core);
    } else {
        long samples = 0;
        double t = 0;
        run_for(&b, kind, seconds, &samples, &t);
        double rate = samples / t;
        printf("%.1f samples/s %.3f GFLOP/s (%ld samples in %.2f s of CPU; OpenBLAS kernel %s)\n", rate,
               rate * flops / 1e9, samples, t, core);
    }
    free(b.x);
    free(b.y);
    nn_ctx_free(b.ctx);
    tn_fast_free(b.fast);
    nn_net_free(b.net);
    return 0;
}
