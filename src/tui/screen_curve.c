/*
 * screen_curve.c - the loss curve: the lesson trained for TUI_CURVE_EPOCHS
 * epochs, tracing off, when the view opens (curve_train_if_needed, called
 * by the loop before it draws: drawing never trains), its training and
 * held-out loss and accuracy plotted per epoch with labelled axes.  Left/Right pick an
 * epoch; Enter steps into it: the stepper traces one step from the weights
 * the network had at the start of that epoch.
 */
#include "tui.h"
#include "keys.h"
#include "../train/train.h"

#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Keep each epoch's numbers and starting weights. */
static int on_epoch(void *user, const tn_epoch *e, const nn_net *net)
{
    tui_curve *c = user;
    int q = e->epoch;
    if (q > TUI_CURVE_EPOCHS)
        return 1;
    c->loss[q] = e->loss;
    c->test_loss[q] = e->test_loss;
    c->acc[q] = e->train_acc;
    c->test_acc[q] = e->test_acc;
    /* the weights after epoch q are the weights at the start of epoch q + 1 */
    memcpy(c->weights + (size_t)q * net->n_weights, net->w, (size_t)net->n_weights * sizeof(double));
    c->n = q;
    return 0;
}

/* Between batches of the loss curve's training: a signal, q or Esc stops it.
 * The keyboard is read at most every 20 ms, without waiting. */
static int curve_poll(void *user)
{
    tui_state *st = user;
    static const double every = 0.02;
    struct timespec ts;
    if (st->signalled && *st->signalled)
        return 1;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double now = (double)ts.tv_sec + ts.tv_nsec / 1e9;
    if (now - st->curve.polled < every)
        return 0;
    st->curve.polled = now;
    timeout(0);
    int k = getch();
    if (k == 'q' || k == 'Q')
        st->quit = 1;
    return k == 'q' || k == 'Q' || k == 27 || k == 't';
}

/* Train the lesson once for the loss-curve view. */
static void curve_train(tui_state *st)
{
    tui_curve *c = &st->curve;
    const ls_lesson *L = st->lesson;
    char err[LS_ERR_SIZE];
    c->done = 1;
    c->weights = malloc((size_t)(TUI_CURVE_EPOCHS + 1) * (size_t)ls_n_weights(L) * sizeof(double));
    if (!c->weights) {
        snprintf(c->error, sizeof c->error, "out of memory");
        return;
    }
    tn_options opt = { TUI_CURVE_EPOCHS, 0, 0, 1, -1, curve_poll, st };   /* held out: the lesson's */
    int rc = tn_train(L, &opt, on_epoch, c, NULL, err, sizeof err);
    if (rc == TN_STOPPED) {
        st->screen = TUI_SCREEN_STEP;        /* back to the stepper; t trains again */
        c->done = 0;
        free(c->weights);
        c->weights = NULL;
        c->n = 0;
        snprintf(st->message, sizeof st->message, "Training stopped; t starts it again.");
    } else if (rc != 0) {
        snprintf(c->error, sizeof c->error, "%.150s", rc == -1 ? "out of memory" : err);
    }
    c->sel = 0;
}

void curve_train_if_needed(tui_state *st)
{
    if (st->screen != TUI_SCREEN_CURVE || st->curve.done)
        return;
    erase();
    tui_text(st, LINES / 2, 2, COLS - 4, "Training the lesson, tracing off... (Esc stops)", A_BOLD);
    refresh();
    curve_train(st);
}



void curve_free(tui_state *st)
{
    free(st->curve.weights);
    st->curve.weights = NULL;
}

/* The series the plot can show, each with its own mark (the marks tell them
 * apart without colour); where several fall in one cell, one mark says which. */
typedef enum curve_series { S_LOSS, S_TEST_LOSS, S_ACC, S_TEST_ACC, S_COUNT } curve_series;
static const char *const series_mark[S_COUNT] = { "*", "+", "o", "x" };
static const char *const series_name[S_COUNT] = { "loss", "held-out loss", "accuracy", "held-out accuracy" };
#define MARK_LOSSES "#"       /* the loss and the held-out loss in one cell */
#define MARK_ACCS   "@"       /* both accuracies in one cell */
#define MARK_MIXED  "%"       /* a loss and an accuracy in one cell */

/* Whether a series has any value. */
static int present(const double *v, int n)
{
    for (int q = 0; q <= n; q++)
        if (!isnan(v[q]))
            return 1;
    return 0;
}

/* One series into the plot's cells (bit s of each cell it marks). */
static void plot(unsigned char *cells, const double *v, int n, double lo, double hi, int h, int w, int s)
{
    for (int q = 0; q <= n; q++) {
        if (isnan(v[q]))
            continue;
        int x = n ? q * (w - 1) / n : 0;
        double f = hi > lo ? (v[q] - lo) / (hi - lo) : 0.5;
        int y = h - 1 - (int)lround(f * (h - 1));
        if (y >= 0 && y < h)
            cells[(size_t)y * (size_t)w + (size_t)x] |= (unsigned char)(1u << s);
    }
}

/* The mark of a cell that holds the series in bits; *used collects which marks were drawn. */
static const char *cell_mark(unsigned bits, int *attr, const int attrs[S_COUNT], unsigned *used)
{
    unsigned losses = bits & 3u, accs = bits & 12u;
    const char *mark;
    if (losses && accs) {
        mark = MARK_MIXED;
        *used |= 1u << 6;
        *attr = (int)A_BOLD;
    } else if (losses == 3u || accs == 12u) { /* mutant: curve-mark-hides-mark */
        mark = losses ? MARK_LOSSES : MARK_ACCS;
        *used |= losses ? 1u << 4 : 1u << 5;
        *attr = attrs[losses ? S_TEST_LOSS : S_TEST_ACC] | (int)A_BOLD;
    } else {
        int s = 0;
        while (!(bits & (1u << s)))
            s++;
        mark = series_mark[s];
        *used |= 1u << s;
        *attr = attrs[s];
    }
    return mark;
}

/* Below the plot: the legend (the series this lesson has, has[], and the
 * shared marks used drew), then the selected epoch's numbers. */
static void curve_legend(tui_state *st, const int has[S_COUNT], unsigned used)
{
    const tui_curve *c = &st->curve;
    char line[256];
    int y = LINES - 4, lx = 2;
    for (int s = 0; s < S_COUNT; s++) {
        if (!has[s])
            continue;
        snprintf(line, sizeof line, "%s %s   ", series_mark[s], series_name[s]);
        lx += tui_text(st, y, lx, COLS - 2 - lx, line, tui_attr(st, TUI_A_DIM));
    }
    static const char *const shared[3] = { MARK_LOSSES " both losses   ", MARK_ACCS " both accuracies   ",
                                           MARK_MIXED " a loss and an accuracy" };
    for (int k = 0; k < 3; k++)
        if (used & (1u << (4 + k)))
            lx += tui_text(st, y, lx, COLS - 2 - lx, shared[k], tui_attr(st, TUI_A_DIM));
    /* the selected epoch's numbers: the state after that many epochs */
    int k = c->sel, m;
    if (k == 0)
        m = snprintf(line, sizeof line, "before training (epoch 0): loss %.6f", c->loss[k]);
    else
        m = snprintf(line, sizeof line, "after epoch %d: loss %.6f", k, c->loss[k]);
    if (has[S_TEST_LOSS] && !isnan(c->test_loss[k]))
        m += snprintf(line + m, sizeof line - (size_t)m, ", held-out %.6f", c->test_loss[k]);
    if (has[S_ACC] && !isnan(c->acc[k]))
        m += snprintf(line + m, sizeof line - (size_t)m, ", accuracy %.1f%%", 100 * c->acc[k]);
    if (has[S_TEST_ACC] && !isnan(c->test_acc[k]))
        snprintf(line + m, sizeof line - (size_t)m, ", held-out %.1f%%", 100 * c->test_acc[k]);
    tui_text(st, y + 1, 2, COLS - 4, line, A_BOLD);
}

void curve_draw(tui_state *st)
{
    tui_curve *c = &st->curve;
    const ls_lesson *L = st->lesson;
    char line[256], num[TR_NUM_SIZE], num2[TR_NUM_SIZE];
    int title = tui_attr(st, TUI_A_TITLE);
    attron(title);
    mvhline(0, 0, ' ', COLS);
    attroff(title);
    snprintf(line, sizeof line, " nntrace %s training: %d epochs, tracing off ", tui_glyph(st, "│", "|"),
             TUI_CURVE_EPOCHS);
    tui_text(st, 0, 0, COLS, line, title | A_BOLD);
    if (c->error[0]) {
        tui_text_safe(st, 2, 2, COLS - 4, c->error, tui_attr(st, TUI_A_MESSAGE));
        tui_text(st, LINES - 1, 0, COLS, tui_view_hint(TUI_VIEW_CURVE, 1, line, sizeof line), tui_attr(st, TUI_A_DIM)); /* mutant: curve-error-line-full */
        return;
    }
    int n = c->n, labels = L->label != NULL;
    const double *series[S_COUNT] = { c->loss, c->test_loss, c->acc, c->test_acc };
    int has[S_COUNT];
    for (int s = 0; s < S_COUNT; s++)
        has[s] = present(series[s], n) && (s < S_ACC || labels); /* mutant: curve-legend-lists-all */
    double lo = INFINITY, hi = -INFINITY;                 /* the losses' range */
    for (int s = S_LOSS; s <= S_TEST_LOSS; s++)
        for (int q = 0; has[s] && q <= n; q++) {
            lo = fmin(lo, series[s][q]);
            hi = fmax(hi, series[s][q]);
        }
    /* the loss axis: from 0, so a change looks as big as it is; zoomed (z) it spans
     * the losses and says so, with the relative change */
    double bottom = c->zoom ? lo : 0, top = hi; /* mutant: curve-axis-not-from-0 */
    if (!(top > bottom))
        top = bottom + (bottom > 0 ? bottom * 1e-6 : 1e-9);
    double change = c->loss[0] != 0 ? 100 * (c->loss[n] - c->loss[0]) / c->loss[0] : 0;
    int ax = 12, ay = 3, aw = COLS - ax - 8, ah = LINES - 9;
    if (aw < 10 || ah < 4)
        return;
    int m = snprintf(line, sizeof line, "%s: %+.1f%% over %d epochs", nn_stage_title_net(&L->shape, 3), change, n);
    tui_text(st, 1, 2, COLS - 4, line, A_BOLD);
    if (c->zoom)
        snprintf(line, sizeof line, "ZOOMED: loss axis from %s, not 0", tr_fmt_fixed(bottom, 4, num));
    else
        snprintf(line, sizeof line, "loss axis from 0");
    if (m + 4 + (int)strlen(line) < COLS - 2)
        tui_text(st, 1, COLS - 2 - (int)strlen(line), (int)strlen(line), line,
                 c->zoom ? tui_attr(st, TUI_A_MESSAGE) | (int)A_BOLD : tui_attr(st, TUI_A_DIM));
    /* axes, with labels */
    for (int r = 0; r < ah; r++)
        tui_text(st, ay + r, ax - 1, 1, tui_glyph(st, "│", "|"), tui_attr(st, TUI_A_DIM));
    for (int q = 0; q < aw; q++)
        tui_text(st, ay + ah, ax + q, 1, tui_glyph(st, "─", "-"), tui_attr(st, TUI_A_DIM));
    if (c->zoom)                                          /* the broken axis: it does not reach 0 */
        tui_text(st, ay + ah - 1, ax - 1, 1, tui_glyph(st, "≈", "~"), tui_attr(st, TUI_A_MESSAGE) | (int)A_BOLD);
    tui_text(st, ay, 0, ax - 2, tr_fmt_fixed(top, 4, num), 0);
    tui_text(st, ay + ah - 1, 0, ax - 2, tr_fmt_fixed(bottom, 4, num2), 0);
    tui_text(st, ay + ah / 2, 0, ax - 2, "loss", tui_attr(st, TUI_A_DIM));
    if (has[S_ACC] || has[S_TEST_ACC]) {
        tui_text(st, ay, ax + aw + 1, 7, "100%", 0);
        tui_text(st, ay + ah - 1, ax + aw + 1, 7, "0%", 0);
        tui_text(st, ay + ah / 2, ax + aw + 1, 7, "acc.", tui_attr(st, TUI_A_DIM));
    }
    snprintf(line, sizeof line, "epoch 0");
    tui_text(st, ay + ah + 1, ax, 10, line, 0);
    snprintf(line, sizeof line, "%d", n);
    tui_text(st, ay + ah + 1, ax + aw - (int)strlen(line), 8, line, 0);
    /* the selected epoch */
    int sx = ax + (n ? c->sel * (aw - 1) / n : 0);
    for (int r = 0; r < ah; r++)
        tui_text(st, ay + r, sx, 1, tui_glyph(st, "┊", ":"), tui_attr(st, TUI_A_DIM));
    /* the marks, cell by cell */
    unsigned char *cells = calloc((size_t)ah * (size_t)aw, 1);
    unsigned used = 0;
    const int attrs[S_COUNT] = { tui_attr(st, TUI_A_DEP), tui_attr(st, TUI_A_REUSED),
                                 tui_attr(st, TUI_A_UPDATED), tui_attr(st, TUI_A_MESSAGE) };
    if (cells) {
        for (int s = 0; s < S_COUNT; s++)
            if (has[s])
                plot(cells, series[s], n, s < S_ACC ? bottom : 0, s < S_ACC ? top : 1, ah, aw, s);
        for (int y = 0; y < ah; y++)
            for (int x = 0; x < aw; x++) {
                unsigned bits = cells[(size_t)y * (size_t)aw + (size_t)x];
                int attr = 0;
                if (bits)
                    tui_text(st, ay + y, ax + x, 1, cell_mark(bits, &attr, attrs, &used), attr);
            }
        free(cells);
    }
    curve_legend(st, has, used);
    tui_text(st, LINES - 1, 0, COLS, tui_view_hint(TUI_VIEW_CURVE, 0, line, sizeof line), tui_attr(st, TUI_A_DIM));
}

tui_result curve_key(tui_state *st, int key)
{
    tui_curve *c = &st->curve;
    switch (tui_view_key(TUI_VIEW_CURVE, key)) {
    case TUI_VA_LEFT:
        if (c->sel > 0) c->sel--;
        break;
    case TUI_VA_RIGHT:
        if (c->sel < c->n) c->sel++;
        break;
    case TUI_VA_FIRST:
        c->sel = 0;
        break;
    case TUI_VA_LAST:
        c->sel = c->n;
        break;
    case TUI_VA_CHOOSE:
        if (c->weights && !c->error[0]) {
            /* the weights after epoch sel (before training for 0): what the curve shows there */
            if (tui_restart(st, c->weights + (size_t)c->sel * ls_n_weights(st->lesson), c->sel) == 0) { /* mutant: curve-epoch-off-by-one */
                st->screen = TUI_SCREEN_STEP;
                if (c->sel)
                    snprintf(st->message, sizeof st->message, "One step from the weights after epoch %d", c->sel);
                else
                    snprintf(st->message, sizeof st->message, "One step from the weights before training");
            }
        }
        break;
    case TUI_VA_ZOOM:
        c->zoom = !c->zoom;
        break;
    case TUI_VA_BACK:
        st->screen = TUI_SCREEN_STEP;
        break;
    case TUI_VA_QUIT:
        st->quit = 1;
        break;
    case TUI_VA_UP: case TUI_VA_DOWN: case TUI_VA_NEXT_MATRIX: case TUI_VA_PREV_MATRIX: case TUI_VA_NONE:
        break;
    }
    return TUI_REDRAW;
}
