/*
 * code.h - step codes (code.c): "seed/1/5/3/MX", a screen to open with
 * --at or to send to a class.
 */
#ifndef NNTRACE_TUI_CODE_H
#define NNTRACE_TUI_CODE_H

#include "../lesson/lesson.h"
#include "edit.h"

/* Step codes (code.c): "seed/1/5/3/MX", a screen to open with --at. */
#define TUI_CODE_SIZE 512
typedef struct tui_code {
    char body[TUI_CODE_SIZE];                   /* everything before the check letters */
    char letters[3];                            /* the check letters, upper case */
    char lesson[128];                           /* the lesson's name */
    int step, stage;
    long value;                                 /* the value's place in its stage, from 1 */
    char edits[TUI_MAX_EDITS][TUI_EDIT_SIZE];   /* NAME=VALUE, as --set takes them */
    int n_edits;
} tui_code;
/* The current screen's code into buf; "" when its edits make it longer than
 * a code holds (TUI_CODE_SIZE - 1 bytes before the check letters): never a
 * code cut short, which would name other edits. */
void tui_code_make(tui_state *st, char *buf, size_t size);
/* What the check letters cover of a lesson: a hash of its numbers. */
unsigned long long tui_lesson_print(const ls_lesson *L);
unsigned long long tui_state_print(tui_state *st);   /* of st->lesson, hashed once */
/* Read a code; 0, or -1 with a one-line err. */
/* BODY ("seed/3/5/2") with its check letters for lesson L, into buf. */
void tui_code_sign(const char *body, const ls_lesson *L, char *buf, size_t size);
int tui_code_parse(const char *code, tui_code *out, char *err, size_t err_size);
/* The check letters against the lesson (before its edits); 0, or -1 with err. */
int tui_code_check(const tui_code *code, unsigned long long print, char *err, size_t err_size);

#endif
