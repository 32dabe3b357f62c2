/*
 * bench_stepper.c - the stepper's redraw cost: a full walk of a lesson
 * (every value forward, then back) drawn into an off-screen terminal; and
 * the step keys: ] then [ pressed in turns, each step recorded and drawn.
 * usage: bench_stepper LESSON-NAME... (seed is the built-in lesson)
 *        bench_stepper --first LESSON-NAME (a fresh process's first screen)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "engine/engine.h"
#include "lesson/lesson.h"
#include "tui/tui.h"

static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* CPU ms per ] or [ (a step recorded and drawn), the mean of `presses` in
 * turns after a first ] (the second step's first recording); -1 if the
 * stepper would not open. */
static double step_keys(const ls_lesson *L, int presses)
{
    char err[256];
    tui_options opt;
    memset(&opt, 0, sizeof opt);
    opt.digits = 6;
    tui_probe *p = tui_probe_open(L, &opt, 120, 40, err, sizeof err);
    if (!p)
        return -1;
    tui_probe_key(p, ']');
    double t = cpu_ms();
    for (int k = 0; k < presses; k++)
        tui_probe_key(p, k % 2 ? ']' : '[');
    t = (cpu_ms() - t) / presses;
    tui_probe_close(p);
    return t;
}

/* CPU ms of one untraced engine step of the lesson (nn_step, no sink: what a
 * recording runs to reach a step), the mean of steps 1..n; -1 without memory. */
static double engine_step(const ls_lesson *L, int n)
{
    nn_net *net = nn_net_new_shape(&L->shape);
    nn_ctx *ctx = net ? nn_ctx_new(net, L->batch_size) : NULL;
    size_t N = (size_t)L->shape.size[0], O = (size_t)L->shape.size[L->shape.n_layers];
    double *x = malloc((size_t)L->batch_size * N * sizeof(double));
    double *y = malloc((size_t)L->batch_size * O * sizeof(double));
    double t = -1;
    if (ctx && x && y) {
        memcpy(net->w, L->weights, (size_t)net->n_weights * sizeof(double));
        t = cpu_ms();
        for (int step = 1; step <= n; step++) {
            ls_batch(L, step, x, y);
            nn_step(ctx, net, x, y, L->batch_size, L->learning_rate, step, NULL);
        }
        t = (cpu_ms() - t) / n;
    }
    free(x);
    free(y);
    nn_ctx_free(ctx);
    nn_net_free(net);
    return t;
}

/* --first LESSON: in a fresh process, CPU ms to load it, then to its first
 * screen (recorded, indexed, drawn at 120x40), and the peak memory. */
static int first_screen(const char *name)
{
    char err[LS_ERR_SIZE];
    const char *dirs[] = { "lessons", NULL };
    double t = cpu_ms();
    ls_lesson *L = ls_open(name, dirs, err, sizeof err);
    if (!L) {
        fprintf(stderr, "bench_stepper: %s\n", err);
        return 1;
    }
    double loaded = cpu_ms() - t;
    tui_options opt;
    memset(&opt, 0, sizeof opt);
    opt.digits = 6;
    t = cpu_ms();
    tui_probe *p = tui_probe_open(L, &opt, 120, 40, err, sizeof err);
    double first = cpu_ms() - t;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    if (p)
        printf("loading %.0f ms, then the first screen %.0f ms of CPU; peak memory %.0f MB\n", loaded, first,
               ru.ru_maxrss / 1024.0);
    tui_probe_close(p);
    ls_free(L);
    return p ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--first") == 0)
        return first_screen(argv[2]);
    static const int sizes[][2] = { { 80, 24 }, { 120, 40 } };
    const char *dirs[] = { "lessons", NULL };
    printf("CPU time of the process, milliseconds\n");
    printf("%-8s %-7s %8s %10s %10s %16s %11s %10s\n", "lesson", "size", "redraws", "mean", "99%",
           "worst (stage)", "first", "edit");
    for (int a = 1; a < argc; a++) {
        char err[LS_ERR_SIZE];
        ls_lesson *L = strcmp(argv[a], "seed") == 0 ? ls_seed() : ls_open(argv[a], dirs, err, sizeof err);
        if (!L) {
            fprintf(stderr, "bench_stepper: %s\n", err);
            return 1;
        }
        for (size_t q = 0; q < sizeof sizes / sizeof sizes[0]; q++) {
            tui_bench_result r;
            char size[16];
            if (tui_bench(L, sizes[q][0], sizes[q][1], &r) != 0) {
                fprintf(stderr, "bench_stepper: %s: no off-screen terminal\n", argv[a]);
                ls_free(L);
                return 1;
            }
            snprintf(size, sizeof size, "%dx%d", sizes[q][0], sizes[q][1]);
            const char *name = strrchr(argv[a], '/') ? strrchr(argv[a], '/') + 1 : argv[a];
            printf("%-8.8s %-7s %8ld %10.3f %10.3f %12.3f (%d) %11.3f %10.3f\n", name, size, r.redraws,
                   r.mean_us / 1000, r.p99_us / 1000, r.worst_us / 1000, r.worst_stage, r.first_us / 1000,
                   r.edit_us / 1000);
        }
        double keys = step_keys(L, 20), step = engine_step(L, 20);
        printf("%-8.8s ] and [ in turns: %.1f ms of CPU each (a step recorded, indexed and drawn);"
               " one untraced engine step %.2f ms: %.1fx (target 5)\n",
               strrchr(argv[a], '/') ? strrchr(argv[a], '/') + 1 : argv[a], keys, step, keys / step);
        ls_free(L);
    }
    return 0;
}
