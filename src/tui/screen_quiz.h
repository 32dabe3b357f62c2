/*
 * screen_quiz.h - the quiz's keys while a value is hidden (screen_quiz.c).
 */
#ifndef NNTRACE_TUI_SCREEN_QUIZ_H
#define NNTRACE_TUI_SCREEN_QUIZ_H

#include "base.h"

tui_result quiz_key(tui_state *st, int key);

#endif
