/*
 * screen_curve.c - the loss curve: the training run that tui.c made (the
 * lesson trained for TUI_CURVE_EPOCHS epochs, tracing off), its training and
 * held-out loss and accuracy plotted per epoch with labelled axes.  Left/Right pick an
 * epoch; Enter steps into it: the stepper traces one step from the weights
 * the network had at the start of that epoch.
 */
#include "tui.h"

#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


void curve_free(tui_state *st)
{
    free(st->curve.weights);
    st->curve.weights = NULL;
}

/* One series as marks in the plot area. */
static void plot(tui_state *st, const double *v, int n, double lo, double hi, int y0, int x0, int h, int w,
                 const char *mark, int attr)
{
    for (int q = 0; q <= n; q++) {
        if (isnan(v[q]))
            continue;
        int x = x0 + (n ? q * (w - 1) / n : 0);
        double f = hi > lo ? (v[q] - lo) / (hi - lo) : 0.5;
        int y = y0 + h - 1 - (int)lround(f * (h - 1));
        tui_text(st, y, x, 1, mark, attr);
    }
}

void curve_draw(tui_state *st)
{
    tui_curve *c = &st->curve;
    const ls_lesson *L = st->lesson;
    char line[160], num[TR_NUM_SIZE];
    int title = tui_attr(st, TUI_A_TITLE);
    attron(title);
    mvhline(0, 0, ' ', COLS);
    attroff(title);
    snprintf(line, sizeof line, " nntrace %s training: %d epochs, tracing off ", tui_glyph(st, "│", "|"),
             TUI_CURVE_EPOCHS);
    tui_text(st, 0, 0, COLS, line, title | A_BOLD);
    if (c->error[0]) {
        tui_text_safe(st, 2, 2, COLS - 4, c->error, tui_attr(st, TUI_A_MESSAGE));
        tui_text(st, LINES - 1, 0, COLS, "t or Esc back to the stepper  q quit", tui_attr(st, TUI_A_DIM));
        return;
    }
    int n = c->n, labels = L->label != NULL;
    double lo = INFINITY, hi = -INFINITY;
    for (int q = 0; q <= n; q++) {
        lo = fmin(lo, fmin(c->loss[q], isnan(c->test_loss[q]) ? c->loss[q] : c->test_loss[q]));
        hi = fmax(hi, fmax(c->loss[q], isnan(c->test_loss[q]) ? c->loss[q] : c->test_loss[q]));
    }
    if (!(hi > lo))
        hi = lo + 1e-9;
    int ax = 12, ay = 3, aw = COLS - ax - 8, ah = LINES - 9;
    if (aw < 10 || ah < 4)
        return;
    /* axes, with labels */
    snprintf(line, sizeof line, "%s", nn_stage_title_net(&L->shape, 3));
    tui_text(st, 1, 2, COLS - 4, line, A_BOLD);
    for (int r = 0; r < ah; r++)
        tui_text(st, ay + r, ax - 1, 1, tui_glyph(st, "│", "|"), tui_attr(st, TUI_A_DIM));
    for (int q = 0; q < aw; q++)
        tui_text(st, ay + ah, ax + q, 1, tui_glyph(st, "─", "-"), tui_attr(st, TUI_A_DIM));
    tui_text(st, ay, 0, ax - 2, tr_fmt_fixed(hi, 4, num), 0);
    tui_text(st, ay + ah - 1, 0, ax - 2, tr_fmt_fixed(lo, 4, num), 0);
    tui_text(st, ay + ah / 2, 0, ax - 2, "loss", tui_attr(st, TUI_A_DIM));
    if (labels) {
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
    plot(st, c->loss, n, lo, hi, ay, ax, ah, aw, "*", tui_attr(st, TUI_A_DEP));
    plot(st, c->test_loss, n, lo, hi, ay, ax, ah, aw, "+", tui_attr(st, TUI_A_REUSED));
    if (labels) {
        plot(st, c->acc, n, 0, 1, ay, ax, ah, aw, "o", tui_attr(st, TUI_A_UPDATED));
        plot(st, c->test_acc, n, 0, 1, ay, ax, ah, aw, "x", tui_attr(st, TUI_A_MESSAGE));
    }
    /* legend and the selected epoch's numbers */
    int y = LINES - 4;
    snprintf(line, sizeof line, "* loss   + held-out loss%s", labels ? "   o accuracy   x held-out accuracy" : "");
    tui_text(st, y, 2, COLS - 4, line, tui_attr(st, TUI_A_DIM));
    int k = c->sel;
    int m = snprintf(line, sizeof line, "epoch %d: loss %.6f", k, c->loss[k]);
    if (!isnan(c->test_loss[k]))
        m += snprintf(line + m, sizeof line - (size_t)m, ", held-out %.6f", c->test_loss[k]);
    if (!isnan(c->acc[k]))
        m += snprintf(line + m, sizeof line - (size_t)m, ", accuracy %.1f%%", 100 * c->acc[k]);
    if (!isnan(c->test_acc[k]))
        snprintf(line + m, sizeof line - (size_t)m, ", held-out %.1f%%", 100 * c->test_acc[k]);
    tui_text(st, y + 1, 2, COLS - 4, line, A_BOLD);
    tui_text(st, LINES - 1, 0, COLS,
             "Left/Right pick an epoch  Enter step into it  t/Esc back  q quit", tui_attr(st, TUI_A_DIM));
}

int curve_key(tui_state *st, int key)
{
    tui_curve *c = &st->curve;
    switch (key) {
    case KEY_LEFT: case 'h':
        if (c->sel > 0) c->sel--;
        break;
    case KEY_RIGHT: case 'l':
        if (c->sel < c->n) c->sel++;
        break;
    case KEY_HOME: case 'g':
        c->sel = 0;
        break;
    case KEY_END: case 'G':
        c->sel = c->n;
        break;
    case '\n': case '\r': case KEY_ENTER:
        if (c->weights && !c->error[0]) {
            /* the start of epoch sel + 1 is the state after epoch sel */
            if (tui_restart(st, c->weights + (size_t)c->sel * ls_n_weights(st->lesson), c->sel + 1) == 0) {
                st->screen = TUI_SCREEN_STEP;
                snprintf(st->message, sizeof st->message, "One step from the weights at the start of epoch %d",
                         c->sel + 1);
            }
        }
        break;
    case 't': case 27:
        st->screen = TUI_SCREEN_STEP;
        break;
    case 'q': case 'Q':
        st->quit = 1;
        break;
    default:
        break;
    }
    return 1;
}
