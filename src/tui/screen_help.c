/*
 * screen_help.c - the keys, and what the colours mean.
 */
#include "tui.h"

#include <curses.h>

void help_draw(tui_state *st)
{
    static const char *const lines[][2] = {
        { "Right  l  n  Enter", "next value" },
        { "Left   h", "previous value" },
        { "Down   j  PgDn", "start of the next stage" },
        { "Up     k  PgUp", "start of this stage, then of the previous one" },
        { "1 .. 6", "first value of that stage; again: the stage completed" },
        { "Home g  End G", "first / last value of this step" },
        { "]  [", "next / previous step, from its first value" },
        { "space", "play or pause; + and - change the speed" },
        { "d", "decimals or significant digits (0.0000143)" },
        { "D", "more digits: 2, 3, 4, 6, 8, 10, 12" },
        { "f F  v", "the whole derivation (F when following) / a note's next page" },
        { "i", "an image lesson's sample as a picture, its label and the answer" },
        { "m", "the matrix view: this stage as Part 2's matrices" },
        { "e  p  m", "edit a number (w5=0.3); p: predict first, m marks" },
        { "u  U", "undo the last edit / all of them" },
        { "c", "colour theme: dark, light, contrast" },
        { "b", "presenter: the board, before stage 1" },
        { "click", "a unit, a weight or a value so far: jump to it" },
        { "t", "train: loss and accuracy per epoch; z zooms; Enter steps from one" },
        { "?", "this help; any key returns" },
        { "q", "quit" },
    };
    int title = tui_attr(st, TUI_A_TITLE);
    attron(title);
    mvhline(0, 0, ' ', COLS);
    attroff(title);
    tui_text(st, 0, 1, COLS - 2, "nntrace: keys", title | A_BOLD);
    int y = 1;
    for (size_t q = 0; q < sizeof lines / sizeof lines[0] && y < LINES - 1; q++, y++) {
        tui_text(st, y, 2, 20, lines[q][0], 0);
        tui_text(st, y, 22, COLS - 23, lines[q][1], 0);
    }
    if (y < LINES - 1) {
        int c = tui_text(st, y, 2, COLS - 3, "current", tui_attr(st, TUI_A_CURRENT));
        c += tui_text(st, y, 2 + c, COLS - 3 - c, ": the value computed  ", 0);
        c += tui_text(st, y, 2 + c, COLS - 3 - c, "operand", tui_attr(st, TUI_A_DEP));
        tui_text(st, y++, 2 + c, COLS - 3 - c, ": what it is computed from", 0);
    }
    if (y < LINES - 1) {
        int c = tui_text(st, y, 2, COLS - 3, "reused", tui_attr(st, TUI_A_REUSED));
        c += tui_text(st, y, 2 + c, COLS - 3 - c, ": stage 4's terms in stage 5  ", 0);
        c += tui_text(st, y, 2 + c, COLS - 3 - c, "updated", tui_attr(st, TUI_A_UPDATED));
        tui_text(st, y++, 2 + c, COLS - 3 - c, ": changed by stage 6", 0);
    }
    if (y < LINES - 1) {
        int c = tui_text(st, y, 2, COLS - 3, "·  not computed yet  ", 0);
        c += tui_text(st, y, 2 + c, COLS - 3 - c, "changed", tui_attr(st, TUI_A_CHANGED));
        tui_text(st, y, 2 + c, COLS - 3 - c, ": by an edit (was: before it)", 0);
    }
    tui_text(st, LINES - 1, 0, COLS, "press any key to return", tui_attr(st, TUI_A_DIM));
}

int help_key(tui_state *st, int key)
{
    (void)key;
    st->screen = TUI_SCREEN_STEP;
    return 1;
}
