/* libFuzzer target: --set NAME=VALUE (ls_set), as the stepper's e prompt,
 * a code's edits and trace --set take it: each line of the input is one
 * assignment, applied in order to a copy of the seed lesson.  A refusal
 * must say why on one line; an accepted edit must leave every weight,
 * input, target and the learning rate finite. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lesson/lesson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ls_lesson *seed;
    if (!seed && !(seed = ls_seed()))
        abort();
    ls_lesson *L = ls_copy(seed);
    if (!L)
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    for (char *line = text, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        char err[LS_ERR_SIZE];
        err[0] = '\0';
        if (ls_set(L, line, NULL, err, sizeof err) != 0) {
            if (!err[0] || strchr(err, '\n'))
                abort();                         /* every refusal says why, on one line */
            continue;
        }
        int N = nn_n_inputs(&L->shape), O = nn_n_outputs(&L->shape);
        for (int m = 0; m < L->shape.n_weights; m++)
            if (!isfinite(L->weights[m]))
                abort();
        for (int q = 0; q < L->n_rows * N; q++)
            if (!isfinite(L->x[q]))
                abort();
        for (int q = 0; q < L->n_rows * O; q++)
            if (!isfinite(L->y[q]))
                abort();
        if (!(L->learning_rate > 0) || !isfinite(L->learning_rate))
            abort();
    }
    free(text);
    ls_free(L);
    return 0;
}
