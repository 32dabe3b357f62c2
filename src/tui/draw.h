/*
 * draw.h - the drawing helpers every screen uses (draw.c): attributes,
 * text cut with a mark, word wrap, numbers as the stepper shows them.
 */
#ifndef NNTRACE_TUI_DRAW_H
#define NNTRACE_TUI_DRAW_H

#include "../trace/trace.h"
#include "base.h"

/* draw.c */
void tui_colors_init(tui_state *st);
typedef enum tui_attr_role { TUI_A_NORMAL, TUI_A_TITLE, TUI_A_DEP, TUI_A_REUSED, TUI_A_CURRENT, TUI_A_UPDATED,
       TUI_A_DIM, TUI_A_MESSAGE, TUI_A_HEADING, TUI_A_CHANGED } tui_attr_role;
int tui_attr(const tui_state *st, tui_attr_role role);     /* attributes for a role below */
#define TUI_GREYS 8              /* grey levels of a picture, black to white */
/* The attribute for a cell whose upper half is grey level `top` and lower
 * half `bottom` (0..TUI_GREYS-1), drawn as an upper half block; 0 when the
 * terminal has no greys (st->greys). */
int tui_grey(const tui_state *st, int top, int bottom);
int tui_text(const tui_state *st, int y, int x, int maxw, const char *utf8, int attr);
int tui_cols(const char *utf8);   /* columns of a number or a name (one a character) */
int tui_text_safe(const tui_state *st, int y, int x, int maxw, const char *untrusted, int attr);
int tui_wrap(const tui_state *st, int y, int x, int w, int max_lines, const char *untrusted, int attr);
/* Word-wrap untrusted text in width w, drawing lines skip .. skip+max_lines-1
 * of it from row y; returns how many lines the whole text takes.  Words are
 * never cut (one wider than w is cut at w). */
int tui_wrap_from(const tui_state *st, int y, int x, int w, int max_lines, int skip, const char *untrusted,
                  int attr);
const char *tui_glyph(const tui_state *st, const char *unicode, const char *ascii);
void tui_hline(const tui_state *st, int y, int x, int w, const char *title);
/* A number as the stepper shows it: --sig significant digits or st->look.digits
 * decimals (given values without padding zeros), at most w columns. */
char *tui_num(const tui_state *st, double v, int given, int w, char buf[TR_NUM_SIZE]);

#endif
