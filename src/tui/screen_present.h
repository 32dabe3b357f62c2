/*
 * screen_present.h - presenter mode (screen_present.c), --present.
 * Its state is tui_state.present.
 */
#ifndef NNTRACE_TUI_SCREEN_PRESENT_H
#define NNTRACE_TUI_SCREEN_PRESENT_H

#include "base.h"

/* The presenter's state (screen_present.c). */
typedef struct tui_present {
    int reveal;               /* 0 formula, 1 numbers, 2 result */
    int board;                /* the opening board before stage 1 */
} tui_present;

void present_draw(tui_state *st);
tui_result present_key(tui_state *st, int key);

#endif
