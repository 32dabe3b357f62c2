/*
 * bench_load.c - loading a lesson's data: the CSV read through libcsv and
 * every number parsed.  Prints the CPU time of the best of R loads, and
 * the rate in numbers per second.  Usage: bench_load LESSON [R]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "lesson/lesson.h"

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
    char err[LS_ERR_SIZE];
    int reps = argc > 2 ? atoi(argv[2]) : 5;
    double best = 1e30;
    long values = 0;
    if (argc < 2) {
        fprintf(stderr, "usage: bench_load LESSON [REPEATS]\n");
        return 2;
    }
    for (int r = 0; r < reps; r++) {
        double t0 = cpu_now();
        ls_lesson *L = ls_load(argv[1], err, sizeof err);
        double t = cpu_now() - t0;
        if (!L) {
            fprintf(stderr, "bench_load: %s\n", err);
            return 1;
        }
        values = (long)L->n_rows * (nn_n_inputs(&L->shape) + 1);
        ls_free(L);
        if (t < best)
            best = t;
    }
    printf("load %s: %.3f s CPU (best of %d), %.1f million numbers/s\n", argv[1], best, reps,
           (double)values / best / 1e6);
    return 0;
}
