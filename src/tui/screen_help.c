/*
 * screen_help.c - the keys, and what the colours mean.
 */
#include "tui.h"

#include <curses.h>

void help_draw(tui_state *st)
{
    static const char *const lines[][2] = {
        { "Right  l  n  Enter", "next value" },
        { "Left   h  p", "previous value" },
        { "Down   j  PgDn", "start of the next stage" },
        { "Up     k  PgUp", "start of the previous stage" },
        { "1 .. 6", "that stage of this step, completed: its result" },
        { "Home  g", "first value of this step" },
        { "End   G", "last value of this step" },
        { "]  [", "next / previous gradient-descent step" },
        { "space", "play or pause; + and - change the speed" },
        { "d", "change the digits shown after the decimal point" },
        { "t", "train the lesson: loss and accuracy per epoch; step into an epoch" },
        { "?", "this help; any key returns" },
        { "q", "quit" },
    };
    int title = tui_attr(st, TUI_A_TITLE);
    attron(title);
    mvhline(0, 0, ' ', COLS);
    attroff(title);
    tui_text(st, 0, 1, COLS - 2, "nntrace: keys", title | A_BOLD);
    int y = 2;
    for (size_t q = 0; q < sizeof lines / sizeof lines[0] && y < LINES - 1; q++, y++) {
        tui_text(st, y, 2, 20, lines[q][0], A_BOLD);
        tui_text(st, y, 24, COLS - 25, lines[q][1], 0);
    }
    y++;
    if (y < LINES - 1) {
        int c = tui_text(st, y, 2, COLS - 3, "highlighted", tui_attr(st, TUI_A_DEP));
        tui_text(st, y++, 2 + c, COLS - 3 - c, ": what the current value is computed from", 0);
    }
    if (y < LINES - 1) {
        int c = tui_text(st, y, 2, COLS - 3, "reused", tui_attr(st, TUI_A_REUSED));
        tui_text(st, y++, 2 + c, COLS - 3 - c, ": stage-4 terms used again in stage 5", 0);
    }
    if (y < LINES - 1) {
        int c = tui_text(st, y, 2, COLS - 3, "updated", tui_attr(st, TUI_A_UPDATED));
        tui_text(st, y++, 2 + c, COLS - 3 - c, ": a weight already changed by stage 6", 0);
    }
    if (y < LINES - 1)
        tui_text(st, y, 2, COLS - 3, "?  a value not computed yet at this point of the walk", 0);
    tui_text(st, LINES - 1, 0, COLS, "press any key to return", tui_attr(st, TUI_A_DIM));
}

int help_key(tui_state *st, int key)
{
    (void)key;
    st->screen = TUI_SCREEN_STEP;
    return 1;
}
