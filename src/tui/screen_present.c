/*
 * screen_present.c - presenter mode, for a projector: less on screen, bold,
 * the stage and the current value's formula large, its result in block
 * digits drawn with full-block characters ('#' without UTF-8; no font
 * needed), the note below.
 * Keys are the stepper's.
 */
#include "tui.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#define GLYPH_ROWS 5

/* 3x5 block glyphs; '#' is a lit cell. */
static const char *glyph(char c)
{
    switch (c) {
    case '0': return "#### ## ## ####";
    case '1': return " # ##  #  # ###";
    case '2': return "###  #####  ###";
    case '3': return "###  ####  ####";
    case '4': return "# ## ####  #  #";
    case '5': return "####  ###  ####";
    case '6': return "####  #### ####";
    case '7': return "###  #  #  #  #";
    case '8': return "#### ##### ####";
    case '9': return "#### ####  ####";
    case '-': return "      ###      ";
    case '.': return "             # ";
    default:  return "###  # ##    # ";
    }
}

/* Draw text in block digits centred on row y; returns 0 if it does not fit. */
static int big(tui_state *st, int y, const char *text)
{
    const char *cellch = tui_glyph(st, "█", "#");
    int n = (int)strlen(text);
    for (int cell = 2; cell >= 1; cell--) {
        int gw = 3 * cell, width = n * (gw + cell) - cell;
        if (width > COLS - 2)
            continue;
        int x0 = (COLS - width) / 2;
        for (int q = 0; q < n; q++) {
            const char *g = glyph(text[q]);
            for (int r = 0; r < GLYPH_ROWS; r++)
                for (int c = 0; c < 3; c++)
                    if (g[r * 3 + c] == '#')
                        for (int k = 0; k < cell; k++)
                            tui_text(st, y + r, x0 + q * (gw + cell) + c * cell + k, 1, cellch, A_BOLD);
        }
        return 1;
    }
    return 0;
}

void present_draw(tui_state *st)
{
    const tr_event *ev = tui_event(st, st->m.cur);
    const ls_lesson *L = st->m.lesson;
    char line[256], buf[8192], num[TR_NUM_SIZE];
    int title = tui_attr(st, TUI_A_TITLE);
    attron(title);
    mvhline(0, 0, ' ', COLS);
    attroff(title);
    int n = tui_text(st, 0, 1, COLS - 16, "", title);
    tui_text_safe(st, 0, 1 + n, COLS - 16, L->title, title | A_BOLD);
    snprintf(line, sizeof line, "step %d ", ev->step);
    tui_text(st, 0, COLS - (int)strlen(line), (int)strlen(line), line, title);

    snprintf(line, sizeof line, "Stage %d of 6:  %s", ev->stage, nn_stage_title_net(&L->shape, ev->stage));
    tui_text(st, 2, 2, COLS - 4, line, A_BOLD | A_UNDERLINE);
    if (ev->sample > 0)
        snprintf(line, sizeof line, "sample X%d:  %s", ev->sample, ev->symbol);
    else
        snprintf(line, sizeof line, "the batch:  %s", ev->symbol);
    tui_text(st, 4, 2, COLS - 4, line, A_BOLD);

    int y = 6;
    tr_render(ev->formula, ev->ops, ev->n_ops, -1, buf, sizeof buf);
    snprintf(line, sizeof line, "%s =", ev->symbol);
    tui_text(st, y++, 4, COLS - 6, line, A_BOLD);
    y += tui_wrap(st, y, 6, COLS - 8, 3, buf, A_BOLD);
    tr_render(ev->formula, ev->ops, ev->n_ops, st->digits, buf, sizeof buf);
    tui_text(st, y, 4, 2, "=", A_BOLD);
    y += tui_wrap(st, y, 6, COLS - 8, 3, buf, 0);
    y++;
    tr_fmt_fixed(ev->value, st->digits, num);
    if (LINES - y - 5 >= GLYPH_ROWS + 1 && big(st, y, num)) {
        y += GLYPH_ROWS + 1;
    } else {
        snprintf(line, sizeof line, "= %s", num);
        tui_text(st, y, 4, COLS - 6, line, A_BOLD | A_REVERSE);
        y += 2;
    }
    const char *note = L->notes[ev->stage - 1];
    if (note && y < LINES - 2)
        tui_wrap(st, y, 2, COLS - 4, LINES - 2 - y, note, 0);
    if (st->message[0])
        tui_text(st, LINES - 1, 0, COLS, st->message, tui_attr(st, TUI_A_MESSAGE));
    else
        tui_text(st, LINES - 1, 0, COLS, "l/Right next  h/Left back  j/k stage  space play  ? help  q quit",
                 tui_attr(st, TUI_A_DIM));
}

/* Presenter mode moves as the stepper does: every key goes on to the walk's keys. */
int present_key(tui_state *st, int key)
{
    (void)st;
    (void)key;
    return 0;
}
