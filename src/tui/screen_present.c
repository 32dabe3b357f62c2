/*
 * screen_present.c - presenter mode, for a projector: less on screen, bold,
 * the stage and the current value's formula large, its result in block
 * digits drawn with full-block characters ('#' without UTF-8; no font
 * needed), the note below.
 * Keys are the stepper's.
 */
#include "tui.h"
#include "keys.h"

#include <curses.h>
#include <stdlib.h>
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

/* Draw text in block digits centred on row y, as large as fits in h rows
 * (each glyph cell scaled to cell x cell characters); returns 0 if it does not fit. */
static int big(tui_state *st, int y, int h, const char *text)
{
    const char *cellch = tui_glyph(st, "█", "#");
    int n = (int)strlen(text);
    for (int cell = 4; cell >= 1; cell--) {
        int gw = 3 * cell, width = n * (gw + cell) - cell;
        if (width > COLS - 2 || GLYPH_ROWS * cell > h)
            continue;
        int x0 = (COLS - width) / 2;
        for (int q = 0; q < n; q++) {
            const char *g = glyph(text[q]);
            for (int r = 0; r < GLYPH_ROWS * cell; r++)
                for (int c = 0; c < 3; c++)
                    if (g[(r / cell) * 3 + c] == '#')
                        for (int k = 0; k < cell; k++)
                            tui_text(st, y + r, x0 + q * (gw + cell) + c * cell + k, 1, cellch, A_BOLD);
        }
        return GLYPH_ROWS * cell;
    }
    return 0;
}

/* The opening board: every sample of the batch with its inputs and targets. */
static int draw_data(tui_state *st, int y, int h)
{
    const ls_lesson *L = st->m.lesson;
    int N = nn_n_inputs(&L->shape), O = nn_n_outputs(&L->shape), used = 0;
    char line[512], num[TR_NUM_SIZE];
    tui_hline(st, y, 0, COLS, "The batch: inputs x and targets y");
    for (int s = 0; s < L->batch_size && used < h - 1; s++, used++) {
        int n = snprintf(line, sizeof line, "X%d:  x = (", s + 1);
        for (int i = 0; i < N && n < 400; i++)
            n += snprintf(line + n, sizeof line - (size_t)n, "%s%s", i ? ", " : "",
                          tui_num(st, tr_rec_inputs(st->m.rec)[(size_t)s * N + i], 1, 12, num));
        n += snprintf(line + n, sizeof line - (size_t)n, ")   target y = (");
        for (int k = 0; k < O && n < 480; k++)
            n += snprintf(line + n, sizeof line - (size_t)n, "%s%s", k ? ", " : "",
                          tui_num(st, tr_rec_targets(st->m.rec)[(size_t)s * O + k], 1, 12, num));
        snprintf(line + n, sizeof line - (size_t)n, ")");
        tui_text(st, y + 1 + used, 2, COLS - 4, line, A_BOLD);
    }
    return used + 1;
}

void present_draw(tui_state *st)
{
    const tr_event *ev = tui_event(st, st->m.cur);
    const ls_lesson *L = st->m.lesson;
    char line[8192], num[TR_NUM_SIZE];
    tui_lit lit;
    st->hits.n = 0;
    int title = tui_attr(st, TUI_A_TITLE);
    attron(title);
    mvhline(0, 0, ' ', COLS);
    attroff(title);
    int n = tui_text(st, 0, 1, COLS - 16, "", title);
    tui_text_safe(st, 0, 1 + n, COLS - 16, L->title, title | A_BOLD);
    snprintf(line, sizeof line, "step %d ", ev->step);
    tui_text(st, 0, COLS - (int)strlen(line), (int)strlen(line), line, title);
    if (st->present.board)
        snprintf(line, sizeof line, "The network, its weights and the batch, before stage 1");
    else
        snprintf(line, sizeof line, "Stage %d of 6:  %s", ev->stage, nn_stage_title_net(&L->shape, ev->stage));
    tui_text(st, 1, 2, COLS - 4, line, A_BOLD | A_UNDERLINE);

    /* the figure, lit as in the stepper (nothing lit on the board) */
    if (tui_lit_init(st, &lit) != 0) {
        tui_lit_free(&lit);
        return;
    }
    if (st->present.board) {
        for (int l = 0; l <= L->shape.n_layers; l++)
            memset(lit.unit[l], 0, (size_t)L->shape.size[l]);
        memset(lit.weight, 0, (size_t)L->shape.n_weights);
        memset(lit.bias, 0, sizeof lit.bias);
    }
    int need = tui_fig_rows(st), room = st->present.board ? LINES - 4 - (L->batch_size < 8 ? L->batch_size : 8)
                                                         : (LINES - 3) / 2;
    int fig_h = need < room ? need : room;
    if (fig_h >= 3) {
        tui_fig_plan(st, 3, 0, COLS, fig_h);
        tui_fig_draw(st, &lit);
    }
    tui_lit_free(&lit);
    int y = 3 + (fig_h >= 3 ? fig_h : 0);
    if (st->present.board) {
        draw_data(st, y, LINES - 1 - y);
        tui_text(st, LINES - 1, 0, COLS, "Right: stage 1  q quit", tui_attr(st, TUI_A_DIM));
        return;
    }
    /* the formula and its numbers as the stepper writes them (reused terms marked); the result below, large */
    int room_f = LINES - 2 - y - 7;
    y += tui_derivation(st, y, 2, COLS - 4, room_f > 3 ? room_f : 3, 0);
    y++;
    char *note = L->notes[ev->stage - 1] ? tui_note_dup(st, ev->stage) : NULL;   /* NULL: none, or no memory */
    if (st->present.reveal >= 2) {
        tui_num(st, ev->value, 0, 40, num);
        int used = big(st, y, LINES - 2 - y, num);
        if (!used) {
            snprintf(line, sizeof line, "= %s", num);
            tui_text(st, y, 4, COLS - 6, line, A_BOLD | A_REVERSE);
            used = 2;
        }
        y += used + 1;
    } else {
        if (st->quiz.present && st->quiz.asked && st->quiz.asked[st->m.cur] != QUIZ_NONE) {
            int k = 0, asked = 0;
            for (long e = 0; e < tr_rec_count(st->m.rec); e++)
                if (st->quiz.asked[e] != QUIZ_NONE) {
                    asked++;
                    k += e <= st->m.cur;
                }
            snprintf(line, sizeof line, "Question %d of %d: what is it?", k, asked);
            tui_text(st, y, 4, COLS - 6, line, A_BOLD | A_REVERSE);
            y += 2;
        }
        tui_text(st, y, 4, COLS - 6, st->present.reveal == 0 ? "Right: the numbers" : "Right: the result",
                 tui_attr(st, TUI_A_DIM));
        y += 2;
    }
    if (note && y < LINES - 2)
        tui_wrap(st, y, 2, COLS - 4, LINES - 2 - y, note, 0);
    free(note);
    if (st->message[0])
        tui_text(st, LINES - 1, 0, COLS, st->message, tui_attr(st, TUI_A_MESSAGE));
    else {
        char hint[256];                          /* from the key table */
        tui_text(st, LINES - 1, 0, COLS, tui_keys_hint(TUI_HINT_PRESENT, st->look.unicode, hint, sizeof hint), tui_attr(st, TUI_A_DIM));
    }
}

/* Right reveals the numbers, then the result, then goes on; Left goes back
 * (to the board before the first value); b shows the board.  Every other
 * key is the walk's, and shows its value from the start. */
tui_result present_key(tui_state *st, int key)
{
    switch ((int)tui_key_action(key, 0, NULL)) {     /* some of the actions: the rest are other handlers' */
    case TUI_ACT_NEXT:
        if (st->present.board) {
            st->present.board = 0;
            st->present.reveal = 0;
        } else if (st->present.reveal < 2) {
            st->present.reveal++;
        } else if (tui_next(st)) {
            /* with the quiz's questions: only a question waits for the room */
            st->present.reveal = st->quiz.present && st->quiz.asked && st->quiz.asked[st->m.cur] == QUIZ_NONE ? 2 : 0; /* mutant: present-quiz-all-wait */
        } else {
            st->play.on = 0;                     /* the end of the step: stay on the result */
        }
        return TUI_REDRAW;
    case TUI_ACT_PREV:
        if (st->present.board)
            return TUI_REDRAW;
        if (st->m.cur == 0 && tr_rec_step(st->m.rec) == 1) {
            st->present.board = 1;
            return TUI_REDRAW;
        }
        st->present.reveal = 2;                          /* a value already seen: shown whole */
        return TUI_IGNORED;
    case TUI_ACT_BOARD:
        st->present.board = !st->present.board;
        return TUI_REDRAW;
    case TUI_ACT_QUIT: case TUI_ACT_HELP: case TUI_ACT_PLAY: case TUI_ACT_FASTER: case TUI_ACT_SLOWER:
    case TUI_ACT_DIGITS_KIND: case TUI_ACT_MORE_DIGITS: case TUI_ACT_THEME:
        return TUI_IGNORED;                                /* the walk's, the view kept */
    default:
        st->present.board = 0;
        st->present.reveal = 0;
        return TUI_IGNORED;
    }
}
