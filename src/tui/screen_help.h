/*
 * screen_help.h - the key help (screen_help.c), drawn from keys.c's table.
 */
#ifndef NNTRACE_TUI_SCREEN_HELP_H
#define NNTRACE_TUI_SCREEN_HELP_H

#include "base.h"

void help_draw(tui_state *st);
tui_result help_key(tui_state *st, int key);

#endif
