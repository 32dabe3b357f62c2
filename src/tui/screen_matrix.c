/*
 * screen_matrix.c - the matrix view (m): the current stage as Part 2 of the
 * walkthrough writes it, the same text as nntrace trace --view matrix (the
 * matrix writer, run into memory for the step held), with the current
 * value named as an entry of its matrix.  Up/Down scroll, m or Esc return.
 * Not in the quiz (it would show the answers) nor after the loss curve
 * (its weights are not the lesson's).
 */
#include "tui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void matrix_free(tui_state *st)
{
    free(st->matrix.text);
    st->matrix.text = NULL;
}

/* The step's matrix text, made once per lesson and step. */
static int matrix_make(tui_state *st, int step)
{
    tui_matrix *mx = &st->matrix;
    if (mx->text && mx->lesson == st->m.lesson && mx->step == step)
        return 0;
    matrix_free(st);
    size_t len = 0;
    FILE *fp = open_memstream(&mx->text, &len);
    if (!fp)
        return -1;
    char err[LS_ERR_SIZE];
    tr_out out = { .fp = fp, .lesson = st->m.lesson, .digits = st->digits, .steps = step };
    int rc = tr_run(&out, &tr_matrix_text, err, sizeof err);
    if (fclose(fp) != 0 || rc != TR_OK) {
        matrix_free(st);
        return -1;
    }
    mx->lesson = st->m.lesson;
    mx->step = step;
    mx->top = 0;
    return 0;
}

/* Where stage S of the step begins in the text: its heading "S. ", after "Step k". */
static const char *stage_at(const char *text, int step, int stage)
{
    char head[32];
    snprintf(head, sizeof head, "\nStep %d\n", step);
    const char *p = strstr(text, head);
    snprintf(head, sizeof head, "\n%d. ", stage);
    return p ? strstr(p, head) : NULL;
}

void matrix_draw(tui_state *st)
{
    const tr_event *ev = tui_model_current(&st->m);
    const nn_net *sh = &st->m.lesson->shape;
    tui_matrix *mx = &st->matrix;
    char line[512], sym[64], unit[24];
    int title = tui_attr(st, TUI_A_TITLE);
    attron(title);
    mvhline(0, 0, ' ', COLS);
    attroff(title);
    snprintf(line, sizeof line, " nntrace %s the matrix view: step %d, stage %d (m or Esc: back) ",
             tui_glyph(st, "│", "|"), ev->step, ev->stage);
    tui_text(st, 0, 0, COLS, line, title | A_BOLD);
    /* the current value as an entry */
    nn_symbol(sh, ev->kind, ev->layer, ev->unit, ev->weight, sym, sizeof sym);
    if (ev->sample > 0 && ev->unit > 0) {
        nn_unit_name(sh, ev->layer, ev->unit - 1, unit, sizeof unit);
        snprintf(line, sizeof line, "The value at hand, X%d:%s, is the entry in row X%d, column %s.", ev->sample,
                 sym, ev->sample, unit);
    } else if (ev->sample > 0) {
        snprintf(line, sizeof line, "The value at hand, X%d:%s, is row X%d.", ev->sample, sym, ev->sample);
    } else if (ev->weight > 0) {
        char from[16], to[16];
        nn_w_ends(sh, ev->weight - 1, from, sizeof from, to, sizeof to);
        snprintf(line, sizeof line, "The value at hand, %s, is the entry in row %s, column %s.", sym, from, to);
    } else {
        snprintf(line, sizeof line, "The value at hand is %s.", sym);
    }
    tui_text(st, 1, 1, COLS - 2, line, A_BOLD);
    if (matrix_make(st, ev->step) != 0) {
        tui_text(st, 3, 2, COLS - 4, "The matrix view could not be made (out of memory).", 0);
        return;
    }
    const char *p = stage_at(mx->text, ev->step, ev->stage), *end = NULL;
    if (p) {
        p++;
        for (int s = ev->stage + 1; s <= NN_STAGES; s++) {
            char head[16];
            snprintf(head, sizeof head, "\n%d. ", s);
            const char *q = strstr(p, head);
            if (q && (!end || q < end))
                end = q;
        }
        const char *next = strstr(p, "\nStep ");
        if (next && (!end || next < end))
            end = next;
    }
    if (!p) {
        tui_text(st, 3, 2, COLS - 4, "(no matrices for this stage)", 0);
        return;
    }
    int y = 3, row = 0;
    while (p && *p && (!end || p < end) && y < LINES - 1) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (row++ >= mx->top) {
            snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line - 1 ? n : sizeof line - 1), p);
            tui_text(st, y++, 1, COLS - 2, line, 0);
        }
        p = nl ? nl + 1 : p + n;
    }
    tui_text(st, LINES - 1, 0, COLS, "Up/Down scroll  m or Esc back  q quit", tui_attr(st, TUI_A_DIM));
}

int matrix_key(tui_state *st, int key)
{
    switch (key) {
    case KEY_DOWN: case 'j':
        st->matrix.top++;
        return 1;
    case KEY_UP: case 'k':
        if (st->matrix.top > 0)
            st->matrix.top--;
        return 1;
    case 'm': case 27:
        st->screen = TUI_SCREEN_STEP;
        return 1;
    case 'q': case 'Q':
        st->quit = 1;
        return 1;
    default:
        return 1;
    }
}
