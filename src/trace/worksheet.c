/*
 * worksheet.c - worksheets for working backpropagation by hand: the
 * lesson's network with new starting weights and inputs per sheet, chosen
 * with one decimal so that the sums can be done on paper, the chosen
 * stages' values left blank, and an answer key.  The LaTeX writer draws
 * each sheet (tr_out.sheet); this file picks the numbers and runs them.
 */
#include "trace.h"

#include <stdlib.h>
#include <string.h>

/* One decimal in [lo, hi] tenths, never 0: e.g. -9..9 gives -0.9 .. 0.9. */
static double tenths(ls_rng *rng, int lo, int hi)
{
    int span = hi - lo + 1, v;
    do
        v = lo + (int)(ls_rng_next(rng) % (unsigned long long)span);
    while (v == 0);
    return v / 10.0;
}

/* Sheet k's lesson: a copy of L with its own weights and batch inputs. */
static ls_lesson *sheet_lesson(const ls_lesson *L, unsigned long long seed, int k)
{
    ls_lesson *S = ls_copy(L);
    if (!S)
        return NULL;
    ls_rng rng;
    ls_rng_seed(&rng, seed * 1000003ULL + (unsigned long long)k); /* mutant: worksheet-same-numbers */
    int N = nn_n_inputs(&S->shape);
    for (int m = 0; m < S->shape.n_weights; m++)
        S->weights[m] = tenths(&rng, -9, 9);
    for (int s = 0; s < S->batch_size; s++) {
        int r = ls_batch_row(S, 1, s);
        for (int i = 0; i < N; i++)
            S->x[(size_t)r * N + i] = tenths(&rng, 1, 9);
    }
    S->standardized = 0;          /* the numbers on the sheet are the inputs */
    S->scale = 0;
    char from[96];
    snprintf(from, sizeof from, "chosen for sheet %d (seed %llu), one decimal each", k, seed);
    free(S->weights_from);
    S->weights_from = strdup(from);
    if (!S->weights_from) {
        ls_free(S);
        return NULL;
    }
    S->steps = 1;
    return S;
}

int tr_worksheets(FILE *fp, const ls_lesson *L, int n_sheets, unsigned long long seed, unsigned blank,
                  tr_prec prec, char *err, size_t err_size)
{
    if (L->shape.n_weights > TR_SHEET_WEIGHTS) {
        snprintf(err, err_size, "worksheets are for networks of at most %d weights, done by hand; this one has %d",
                 TR_SHEET_WEIGHTS, L->shape.n_weights);
        return TR_EARG;
    }
    if (n_sheets < 1 || n_sheets > TR_SHEETS_MAX) {
        snprintf(err, err_size, "from 1 to %d sheets, not %d", TR_SHEETS_MAX, n_sheets);
        return TR_EARG;
    }
    ls_lesson **sheets = calloc((size_t)n_sheets, sizeof *sheets);
    int rc = TR_OK;
    if (!sheets) {
        snprintf(err, err_size, "out of memory for %d sheets", n_sheets);
        return TR_ENOMEM;
    }
    for (int k = 0; k < n_sheets && rc == TR_OK; k++)
        if (!(sheets[k] = sheet_lesson(L, seed, k + 1))) {
            snprintf(err, err_size, "out of memory for %d sheets", n_sheets);
            rc = TR_ENOMEM;
        }
    /* the sheets, then the answer key: the same runs with nothing blank */
    for (int answers = 0; answers <= 1 && rc == TR_OK; answers++)
        for (int k = 0; k < n_sheets && rc == TR_OK; k++) {
            tr_out out = { .opt = { .fp = fp, .lesson = sheets[k], .digits = prec.digits, .sig = prec.sig,
                                    .steps = 1 },
                           .dot = { .stage = NN_STAGES },
                           .ws = { .sheet = k + 1, .last_sheet = n_sheets, .answers = answers, .blank = blank } };
            rc = tr_run(&out, &tr_writer_latex, err, err_size);
        }
    for (int k = 0; k < n_sheets; k++)
        ls_free(sheets[k]);
    free(sheets);
    return rc;
}
