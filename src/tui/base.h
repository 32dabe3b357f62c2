/*
 * base.h - what every header of the stepper names: the state (tui.h
 * defines it), its mode, and what a key handler returns.
 */
#ifndef NNTRACE_TUI_BASE_H
#define NNTRACE_TUI_BASE_H

typedef struct tui_state tui_state;   /* tui.h */

/* How the stepper runs: the walk, the presenter (--present), the quiz (--quiz). */
typedef enum tui_mode { TUI_MODE_STEP, TUI_MODE_PRESENT, TUI_MODE_QUIZ } tui_mode;

/* What a key handler did (htop's HandlerResult): the loop draws the screen
 * again only after a key that changed what is shown. */
typedef enum tui_result {
    TUI_IGNORED,              /* not this handler's key: on to the next (the walk's, step_key) */
    TUI_HANDLED,              /* taken, and nothing shown changed */
    TUI_REDRAW,               /* taken: the screen is drawn again */
} tui_result;

#endif
