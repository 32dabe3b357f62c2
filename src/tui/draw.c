/*
 * draw.c - drawing helpers shared by the screens: attributes for each role
 * (colour when allowed, bold/underline/reverse always, so NO_COLOR and
 * monochrome terminals still show what is highlighted), text clipped to a
 * width, untrusted text made visible, word wrapping.
 */
#define _XOPEN_SOURCE 700
#include "tui.h"
#include "../text/text.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

typedef enum color_pair { PAIR_TITLE = 1, PAIR_DEP, PAIR_REUSED, PAIR_UPDATED, PAIR_MESSAGE, PAIR_HEADING,
       PAIR_GREY } color_pair;              /* PAIR_GREY + top * TUI_GREYS + bottom: a picture's cells */

/* The grey levels in the 256-colour palette: black (16), six of the grey
 * ramp (232-255), white (231). */
static const short grey_colors[TUI_GREYS] = { 16, 234, 237, 240, 244, 248, 252, 231 };

/* Colours per theme, for the roles that have one: title bar (foreground,
 * background), operand, reused term, updated weight, message, heading.  No
 * theme draws dark blue text; the light one has no yellow; the contrast one
 * has no colour at all (attributes only, as under NO_COLOR). */
static const short theme_colors[TUI_THEMES][7] = {
    /* title fg, title bg, operand,     reused,       updated,     message,   heading */
    { COLOR_BLACK, COLOR_CYAN, COLOR_CYAN, COLOR_YELLOW, COLOR_GREEN, COLOR_RED, COLOR_MAGENTA },
    { COLOR_WHITE, COLOR_BLUE, COLOR_BLUE, COLOR_MAGENTA, COLOR_GREEN, COLOR_RED, COLOR_BLUE },
    { 0, 0, 0, 0, 0, 0, 0 },
};

void tui_colors_init(tui_state *st)
{
    const char *no_color = getenv("NO_COLOR");
    int theme = st->look.theme >= 0 && st->look.theme < TUI_THEMES ? st->look.theme : TUI_THEME_DARK;
    st->look.color = has_colors() && !(no_color && *no_color) && theme != TUI_THEME_CONTRAST;
    st->look.greys = 0;
    if (!st->look.color)
        return;
    const short *c = theme_colors[theme];
    start_color();
    use_default_colors();
    init_pair(PAIR_TITLE, c[0], c[1]);
    init_pair(PAIR_DEP, c[2], -1);
    init_pair(PAIR_REUSED, c[3], -1);
    init_pair(PAIR_UPDATED, c[4], -1);
    init_pair(PAIR_MESSAGE, c[5], -1);
    init_pair(PAIR_HEADING, c[6], -1);
    st->look.greys = COLORS >= 256 && COLOR_PAIRS > PAIR_GREY + TUI_GREYS * TUI_GREYS; /* mutant: picture-no-greys */
    for (int t = 0; st->look.greys && t < TUI_GREYS; t++)
        for (int b = 0; b < TUI_GREYS; b++)
            init_pair((short)(PAIR_GREY + t * TUI_GREYS + b), grey_colors[t], grey_colors[b]);
}

int tui_grey(const tui_state *st, int top, int bottom)
{
    if (!st->look.greys || top < 0 || top >= TUI_GREYS || bottom < 0 || bottom >= TUI_GREYS)
        return 0;
    return COLOR_PAIR(PAIR_GREY + top * TUI_GREYS + bottom);
}

/* Every cue that carries meaning has an attribute of its own, colour or not:
 * an operand is underlined, a reused stage-4 term underlined and bold, the
 * current value in reverse video.  No label uses any of these. */
int tui_attr(const tui_state *st, tui_attr_role role)
{
    int c = st->look.color;
    switch (role) {
    case TUI_A_TITLE:   return A_REVERSE | (c ? COLOR_PAIR(PAIR_TITLE) : 0);
    case TUI_A_DEP:     return A_UNDERLINE | (c ? COLOR_PAIR(PAIR_DEP) : 0);
    case TUI_A_REUSED:  return A_UNDERLINE | A_BOLD | (c ? COLOR_PAIR(PAIR_REUSED) : 0);
    case TUI_A_CURRENT: return A_REVERSE | A_BOLD;
    case TUI_A_UPDATED: return c ? COLOR_PAIR(PAIR_UPDATED) : A_ITALIC;
    case TUI_A_DIM:     return A_DIM;
    case TUI_A_MESSAGE: return A_BOLD | (c ? COLOR_PAIR(PAIR_MESSAGE) : 0);
    case TUI_A_HEADING: return c ? COLOR_PAIR(PAIR_HEADING) : A_NORMAL;
    case TUI_A_CHANGED: return A_BOLD | A_ITALIC | (c ? COLOR_PAIR(PAIR_MESSAGE) : 0);
    case TUI_A_NORMAL:
    default:            return A_NORMAL;
    }
}

const char *tui_glyph(const tui_state *st, const char *unicode, const char *ascii)
{
    return st->look.unicode ? unicode : ascii;
}

/* Draw trusted UTF-8 text at (y, x), at most maxw columns; returns the
 * columns used.  Without a UTF-8 terminal, non-ASCII characters show as '?'.
 * Text that does not fit is never cut silently: its last column shows "…"
 * ("~" without UTF-8), the one cut mark of every screen. */
int tui_text(const tui_state *st, int y, int x, int maxw, const char *s, int attr)
{
    int used = 0;
    mbstate_t ps;
    memset(&ps, 0, sizeof ps);
    if (maxw <= 0 || y < 0 || y >= LINES || x >= COLS)
        return 0;
    if (x + maxw > COLS)
        maxw = COLS - x;
    attron(attr);
    move(y, x);
    while (*s && used < maxw) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x80) {
            addch(c >= 0x20 && c != 0x7F ? c : '?');
            s++;
            used++;
            continue;
        }
        wchar_t wc;
        size_t n = st->look.unicode ? mbrtowc(&wc, s, strlen(s), &ps) : (size_t)-1;
        if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
            memset(&ps, 0, sizeof ps);
            addch('?');
            do s++; while ((*s & 0xC0) == 0x80);
            used++;
            continue;
        }
        int w = wcwidth(wc);
        if (w < 0)
            w = 1;
        if (used + w > maxw)
            break;
        addnstr(s, (int)n);
        s += n;
        used += w;
    }
    if (*s && used > 0) {                        /* cut: mark it */ /* mutant: cut-without-mark */
        move(y, x + used - 1);
        if (st->look.unicode)
            addstr("…");
        else
            addch('~');
    }
    attroff(attr);
    return used;
}

int tui_cols(const char *s)
{
    int n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += (*p & 0xC0) != 0x80;
    return n;
}

int tui_text_safe(const tui_state *st, int y, int x, int maxw, const char *untrusted, int attr)
{
    char safe[4096];
    tx_sanitize(untrusted, safe, sizeof safe);
    return tui_text(st, y, x, maxw, safe, attr);
}

int tui_wrap(const tui_state *st, int y, int x, int w, int max_lines, const char *untrusted, int attr)
{
    char safe[4096];
    tx_sanitize(untrusted, safe, sizeof safe);
    int line = 0, col = 0;
    const char *ell = tui_glyph(st, "…", "...");
    for (char *word = strtok(safe, " "); word && line < max_lines; word = strtok(NULL, " ")) {
        int len = (int)mbstowcs(NULL, word, 0);
        if (len < 0)
            len = (int)strlen(word);
        if (col > 0 && col + 1 + len > w) {
            if (line + 1 == max_lines) {          /* no room for the rest: mark the cut */
                int ew = st->look.unicode ? 1 : 3;
                tui_text(st, y + line, x + (col + 1 + ew <= w ? col + 1 : w - ew), ew, ell, attr);
                line++;
                col = 0;
                break;
            }
            line++;
            col = 0;
        }
        if (col > 0)
            col += tui_text(st, y + line, x + col, w - col, " ", attr);
        col += tui_text(st, y + line, x + col, w - col, word, attr);
    }
    return col > 0 ? line + 1 : line;
}

/* Columns a UTF-8 word takes. */
static int word_width(const tui_state *st, const char *word)
{
    return st->look.unicode ? tui_cols(word) : (int)strlen(word);
}

int tui_wrap_from(const tui_state *st, int y, int x, int w, int max_lines, int skip, const char *untrusted,
                  int attr)
{
    char safe[4096];
    tx_sanitize(untrusted, safe, sizeof safe);
    int line = 0, col = 0;
    for (char *word = strtok(safe, " "); word; word = strtok(NULL, " ")) {
        int len = word_width(st, word);
        if (col > 0 && col + 1 + len > w) {
            line++;
            col = 0;
        }
        int shown = line >= skip && line < skip + max_lines;
        if (col > 0) {
            if (shown)
                tui_text(st, y + line - skip, x + col, 1, " ", attr);
            col++;
        }
        if (shown)
            tui_text(st, y + line - skip, x + col, w - col, word, attr);
        col += len < w ? len : w;
    }
    return col > 0 ? line + 1 : line;
}

void tui_hline(const tui_state *st, int y, int x, int w, const char *title)
{
    const char *h = tui_glyph(st, "─", "-");
    for (int q = 0; q < w; q++)
        tui_text(st, y, x + q, 1, h, tui_attr(st, TUI_A_DIM));
    if (title && *title) {
        tui_text(st, y, x + 1, 1, " ", 0);
        int n = tui_text(st, y, x + 2, w - 4, title, tui_attr(st, TUI_A_HEADING));
        tui_text(st, y, x + 2 + n, 1, " ", 0);
    }
}

char *tui_num(const tui_state *st, double v, int given, int w, char buf[TR_NUM_SIZE])
{
    if (tr_fmt_col(v, st->look.digits, st->look.sig, given, w, buf) < 0)
        snprintf(buf, TR_NUM_SIZE, "%s", tui_glyph(st, "…", "~"));   /* not even 1e+300 fits: marked */
    return buf;
}
