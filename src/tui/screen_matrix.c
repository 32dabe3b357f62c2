/*
 * screen_matrix.c - the matrix view (m): the current stage as Part 2 of the
 * walkthrough writes it (the matrix writer's matrices, tr_mx_stage), with
 * the step's numbers up to the value at hand ("?" after it, as the stage
 * table shows them) and a cursor on one entry, named below the title as
 * the step-by-step value it is ("X2:net_h1").  The cursor starts on the
 * value at hand; arrows move it (across a matrix's edge to the next one),
 * Tab and Shift-Tab jump a matrix (the screen scrolls to keep the cursor
 * in view), m or Esc return.
 * Not in the quiz (it would show the answers) nor after the loss curve
 * (its weights are not the lesson's).
 */
#include "tui.h"
#include "keys.h"

#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void matrix_free(tui_state *st)
{
    tr_mxstep_free(st->matrix.vals);
    st->matrix.vals = NULL;
    st->matrix.lesson = NULL;
}

/* The step's numbers up to the last value shown, fed on from where they
 * were (walking back or another step starts the step again). */
static int matrix_feed(tui_state *st)
{
    tui_matrix *mx = &st->matrix;
    tr_recording *rec = st->m.rec;
    long last = tui_visible(st);
    if (mx->lesson != st->m.lesson) {
        matrix_free(st);
        if (!(mx->vals = tr_mxstep_new(st->m.lesson)))
            return -1;
        mx->lesson = st->m.lesson;
        mx->step = 0;
    }
    if (mx->step != tr_rec_step(rec) || mx->fed > last + 1) {
        tr_mxstep_start(mx->vals, tr_rec_step(rec), tr_rec_start(rec));
        mx->step = tr_rec_step(rec);
        mx->fed = 0;
    }
    for (; mx->fed <= last && mx->fed < tr_rec_count(rec); mx->fed++) /* mutant: matrix-screen-shows-future */
        tr_mxstep_event(mx->vals, tr_rec_head(rec, mx->fed));
    return 0;
}

/* The stage's matrices: those of the current event's stage and layer. */
static int matrix_list(const tui_state *st, tr_mx *list)
{
    const tr_event *ev = tui_model_current(&st->m);
    const nn_net *sh = &st->m.lesson->shape;
    int layer = ev->stage == NN_STAGE_LOSS ? sh->n_layers : ev->stage == NN_STAGE_UPDATE ? 0 : ev->layer;
    return tr_mx_stage(sh, st->m.lesson->batch_size, ev->stage, layer, list, TR_MX_MAX); /* mutant: matrix-screen-wrong-stage */
}

/* Put the cursor on the value at hand when it is an entry of the stage's
 * matrices (else on the first entry), once per value. */
static void matrix_place(tui_state *st, const tr_mx *list, int n)
{
    tui_matrix *mx = &st->matrix;
    long cur = st->m.cur;
    if (mx->placed == cur + 1 && mx->at < n)
        return;
    mx->placed = cur + 1;
    mx->at = mx->r = mx->c = 0;
    mx->top = 0;
    const tr_event *ev = tui_model_current(&st->m);
    for (int q = 0; q < n; q++)
        if (tr_mx_at(&st->m.lesson->shape, &list[q], ev, &mx->r, &mx->c)) { /* mutant: matrix-cursor-not-on-value */
            mx->at = q;
            return;
        }
}

static int matrix_shown(const tr_mx *a)
{
    return a->rows <= TR_MX_SHOWN && a->cols <= TR_MX_SHOWN && a->kind != TR_MX_E_FINAL;
}

/* Lines a matrix takes: its title, and its column names and rows when shown. */
static int matrix_lines(const tr_mx *a)
{
    return 1 + (matrix_shown(a) ? 1 + a->rows : 0) + 1;   /* and a blank line after */
}

/* An entry as the screen shows it: "?" before it is reached. */
static char *matrix_num(const tui_state *st, double v, int w, char buf[TR_NUM_SIZE])
{
    if (isnan(v)) {
        snprintf(buf, TR_NUM_SIZE, "?");
        return buf;
    }
    return tui_num(st, v, 0, w, buf);
}

void matrix_draw(tui_state *st)
{
    const tr_event *ev = tui_model_current(&st->m);
    const nn_net *sh = &st->m.lesson->shape;
    tui_matrix *mx = &st->matrix;
    char line[1024], name[96], rn[32], cn[32], num[TR_NUM_SIZE];
    int title = tui_attr(st, TUI_A_TITLE);
    attron(title);
    mvhline(0, 0, ' ', COLS);
    attroff(title);
    snprintf(line, sizeof line, " nntrace %s the matrix view: step %d, stage %d (m or Esc: back) ",
             tui_glyph(st, "│", "|"), ev->step, ev->stage);
    tui_text(st, 0, 0, COLS, line, title | A_BOLD);
    tr_mx list[TR_MX_MAX];
    int n = matrix_list(st, list);
    if (matrix_feed(st) != 0 || n == 0) {
        tui_text(st, 2, 2, COLS - 4, n ? "The matrix view could not be made (out of memory)."
                                       : "(no matrices for this stage)", 0);
        return;
    }
    matrix_place(st, list, n);
    /* the value at hand, and the entry under the cursor */
    const tr_mx *a = &list[mx->at];
    char sym[NN_SYMBOL_SIZE];
    nn_symbol(sh, ev->kind, ev->layer, ev->unit, ev->weight, sym, sizeof sym);
    if (ev->sample > 0)
        snprintf(line, sizeof line, "The value at hand is X%d:%s.", ev->sample, sym);
    else
        snprintf(line, sizeof line, "The value at hand is %s.", sym);
    tui_text(st, 1, 1, COLS - 2, line, 0);
    tr_mx_entry(sh, a, mx->r, mx->c, name, sizeof name);
    tr_mx_row(sh, a, mx->r, rn, sizeof rn);
    tr_mx_col(sh, a, mx->c, cn, sizeof cn);
    double v = tr_mx_get(mx->vals, a, mx->r, mx->c);
    snprintf(line, sizeof line, "Cursor: %.47s, row %s, column %s: %s = %s%s", a->name, rn[0] ? rn : "1", cn, name,
             matrix_num(st, v, 24, num), isnan(v) ? " (not reached yet)" : "");
    tui_text(st, 2, 1, COLS - 2, line, A_BOLD);
    /* scroll so that the cursor's line (and, when it fits, its matrix's title) is in view */
    int y0 = 4, rows = LINES - 1 - y0, title_line = 0;
    for (int q = 0; q < mx->at; q++)
        title_line += matrix_lines(&list[q]);
    int at_line = title_line + (matrix_shown(a) ? 2 + mx->r : 0);
    if (at_line < mx->top || (at_line - title_line < rows && title_line < mx->top))
        mx->top = at_line - title_line < rows ? title_line : at_line;
    if (at_line >= mx->top + rows)
        mx->top = at_line - rows + 1;
    int width = (st->look.sig ? st->look.sig + 6 : st->look.digits + 5);
    int line_no = 0;
#define MX_ROW(y_) ((y_) - mx->top + y0)
#define MX_IN(y_) ((y_) >= mx->top && (y_) < mx->top + rows)
    for (int q = 0; q < n; q++) {
        const tr_mx *b = &list[q];
        if (MX_IN(line_no)) {
            if (b->kind == TR_MX_E_FINAL)
                snprintf(line, sizeof line, "E_final = %s = %s", b->formula,
                         matrix_num(st, tr_mx_get(mx->vals, b, 0, 0), 24, num));
            else
                snprintf(line, sizeof line, "%s%s%s (%d x %d)%s", b->name, b->formula[0] ? " = " : "", b->formula,
                         b->rows, b->cols, matrix_shown(b) ? "" : ": too large to print; move the cursor in it");
            tui_text(st, MX_ROW(line_no), 1, COLS - 2, line,
                     (q == mx->at ? A_BOLD : 0) | (b->kind == TR_MX_E_FINAL && q == mx->at ?
                                                   tui_attr(st, TUI_A_CURRENT) : 0));
        }
        line_no++;
        if (matrix_shown(b)) {
            if (MX_IN(line_no))
                for (int c = 0; c < b->cols; c++) {
                    tr_mx_col(sh, b, c, cn, sizeof cn);
                    snprintf(line, sizeof line, "%*s", width, cn);
                    tui_text(st, MX_ROW(line_no), 9 + c * (width + 1), width, line, tui_attr(st, TUI_A_HEADING));
                }
            line_no++;
            for (int r = 0; r < b->rows; r++, line_no++) {
                if (!MX_IN(line_no))
                    continue;
                tr_mx_row(sh, b, r, rn, sizeof rn);
                tui_text(st, MX_ROW(line_no), 1, 8, rn, tui_attr(st, TUI_A_HEADING));
                for (int c = 0; c < b->cols; c++) {
                    snprintf(line, sizeof line, "%*s", width,
                             matrix_num(st, tr_mx_get(mx->vals, b, r, c), width, num));
                    int here = q == mx->at && r == mx->r && c == mx->c;
                    tui_text(st, MX_ROW(line_no), 9 + c * (width + 1), width, line,
                             here ? tui_attr(st, TUI_A_CURRENT) | A_REVERSE : 0);
                }
            }
        }
        line_no++;                                  /* the blank line */
    }
#undef MX_ROW
#undef MX_IN
    tui_text(st, LINES - 1, 0, COLS, tui_view_hint(TUI_VIEW_MATRIX, 0, line, sizeof line), tui_attr(st, TUI_A_DIM));
}

tui_result matrix_key(tui_state *st, int key)
{
    tui_matrix *mx = &st->matrix;
    tr_mx list[TR_MX_MAX];
    int n = matrix_list(st, list);
    if (n > 0 && mx->at >= n)
        mx->at = mx->r = mx->c = 0;
    const tr_mx *a = n > 0 ? &list[mx->at] : NULL;
    switch (tui_view_key(TUI_VIEW_MATRIX, key)) {
    case TUI_VA_RIGHT:
        if (a && mx->c + 1 < a->cols)
            mx->c++;
        else if (a && mx->at + 1 < n)
            mx->at++, mx->r = mx->c = 0;
        return TUI_REDRAW;
    case TUI_VA_LEFT:
        if (a && mx->c > 0)
            mx->c--;
        else if (a && mx->at > 0)
            mx->at--, mx->r = list[mx->at].rows - 1, mx->c = list[mx->at].cols - 1;
        return TUI_REDRAW;
    case TUI_VA_DOWN:
        if (a && mx->r + 1 < a->rows)
            mx->r++;
        else if (a && mx->at + 1 < n)
            mx->at++, mx->r = 0, mx->c = mx->c < list[mx->at].cols ? mx->c : list[mx->at].cols - 1;
        return TUI_REDRAW;
    case TUI_VA_UP:
        if (a && mx->r > 0)
            mx->r--;
        else if (a && mx->at > 0)
            mx->at--, mx->r = list[mx->at].rows - 1,
            mx->c = mx->c < list[mx->at].cols ? mx->c : list[mx->at].cols - 1;
        return TUI_REDRAW;
    case TUI_VA_NEXT_MATRIX:
        if (n > 0)
            mx->at = (mx->at + 1) % n, mx->r = mx->c = 0;
        return TUI_REDRAW;
    case TUI_VA_PREV_MATRIX:
        if (n > 0)
            mx->at = (mx->at + n - 1) % n, mx->r = mx->c = 0;
        return TUI_REDRAW;
    case TUI_VA_BACK:
        st->screen = TUI_SCREEN_STEP;
        return TUI_REDRAW;
    case TUI_VA_QUIT:
        st->quit = 1;
        return TUI_REDRAW;
    case TUI_VA_FIRST: case TUI_VA_LAST: case TUI_VA_CHOOSE: case TUI_VA_ZOOM: case TUI_VA_NONE:
        return TUI_REDRAW;
    }
    return TUI_REDRAW;
}
