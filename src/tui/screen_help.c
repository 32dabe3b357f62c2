/*
 * screen_help.c - the keys, and what the colours mean.
 */
#include "tui.h"
#include "keys.h"

#include <curses.h>
#include <string.h>

/* A row's keys as the help screen names them: "Right l n Enter". */
static void key_label(const tui_keydef *d, char *buf, size_t size)
{
    size_t at = (size_t)snprintf(buf, size, d->also ? "%s " : "%s", d->name);
    for (const char *p = d->also; p && *p && at + 2 < size; p++) {
        if (*p == ',')
            continue;
        buf[at++] = *p;
        buf[at] = '\0';
    }
}

void help_draw(tui_state *st)
{
    int n;
    const tui_keydef *keys = tui_keys(&n);
    int title = tui_attr(st, TUI_A_TITLE);
    attron(title);
    mvhline(0, 0, ' ', COLS);
    attroff(title);
    tui_text(st, 0, 1, COLS - 2, "nntrace: keys", title | A_BOLD);
    /* one column when every row fits above the colours' three lines, else two */
    int room = LINES - 5, columns = n <= room ? 1 : 2;
    int per = (n + columns - 1) / columns, col_w = (COLS - 2) / columns, label_w = 20;
    if (columns > 1) {                           /* the keys' column as wide as its widest */
        label_w = 0;
        for (int q = 0; q < n; q++) {
            char label[64];
            key_label(&keys[q], label, sizeof label);
            if ((int)strlen(label) + 1 > label_w)
                label_w = (int)strlen(label) + 1;
        }
    }
    for (int q = 0; q < n; q++) { /* mutant: help-drops-a-key */
        int y = 1 + q % per, x = 2 + (q / per) * col_w;
        char label[64];
        if (y >= LINES - 1)
            continue;
        key_label(&keys[q], label, sizeof label);
        tui_text(st, y, x, label_w - 1, label, 0);
        tui_text(st, y, x + label_w, col_w - label_w - 1, keys[q].help, 0);
    }
    int y = 1 + per;
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

tui_result help_key(tui_state *st, int key)
{
    (void)key;
    st->screen = TUI_SCREEN_STEP;
    return TUI_REDRAW;
}
