/*
 * keys.c - the one table of the stepper's keys (keys.h says who reads it).
 */
#include "keys.h"

#include <curses.h>

#define MOVE  TUI_KEY_MOVES
#define CROSS (TUI_KEY_MOVES | TUI_KEY_CROSSES)
#define QUIZ  TUI_KEY_QUIZ
#define TYPING (TUI_KEY_QUIZ | TUI_KEY_ANSWERING)   /* in a quiz, even while an answer is typed */
#define NO_HINT NULL, NULL, NULL, NULL, NULL   /* on neither bottom line */

static const tui_keydef table[] = {
    { TUI_ACT_NEXT, { KEY_RIGHT, 'l', 'n', '\n', '\r', KEY_ENTER }, "Right", "l, n, Enter",
      "next value", "next value", MOVE | QUIZ,
      "next", "→/l", "l", "reveal, next", "l/Right" },
    { TUI_ACT_PREV, { KEY_LEFT, 'h', KEY_BACKSPACE }, "Left", "h",
      "previous value", "previous value", MOVE | TYPING,
      "back", "←/h", "h", "back", "h/Left" }, /* mutant: hint-line-wrong-word */
    { TUI_ACT_NEXT_STAGE, { KEY_DOWN, 'j', KEY_NPAGE }, "Down", "j, PgDn",
      "next stage", "start of the next stage", CROSS | TYPING,
      "stage", "↓/↑", "j/k", "stage", "j/k" },
    { TUI_ACT_STAGE_UP, { KEY_UP, 'k', KEY_PPAGE }, "Up", "k, PgUp",
      "stage start, previous", "start of this stage, then of the previous one", CROSS | TYPING, NO_HINT },
    { TUI_ACT_STAGE, { '1', '2', '3', '4', '5', '6' }, "1 .. 6", NULL,
      "stage; again: its end", "first value of that stage; the same key again: the stage completed",
      CROSS | QUIZ,
      "", "1-6", "1-6", NULL, NULL },
    { TUI_ACT_FIRST, { KEY_HOME, 'g' }, "Home", "g",
      "first value of step", "first value of this step", MOVE, NO_HINT },
    { TUI_ACT_LAST, { KEY_END, 'G' }, "End", "G",
      "last value of step", "last value of this step", MOVE, NO_HINT },
    { TUI_ACT_NEXT_STEP, { ']' }, "]", NULL,
      "next step", "next gradient-descent step, from its first value", CROSS | TYPING,
      "step", "[ ]", "[ ]", NULL, NULL },
    { TUI_ACT_PREV_STEP, { '[' }, "[", NULL,
      "previous step", "previous gradient-descent step, from its first value", CROSS | TYPING, NO_HINT },
    { TUI_ACT_PLAY, { ' ' }, "space", NULL,
      "play or pause", "play or pause: the next value every few seconds", MOVE,
      NULL, NULL, NULL, "play", "space" },
    { TUI_ACT_FASTER, { '+', '=' }, "+", "=",
      "play faster", "play faster: a shorter wait between values", 0, NO_HINT },
    { TUI_ACT_SLOWER, { '-' }, "-", NULL,
      "play slower", "play slower: a longer wait between values", 0, NO_HINT },
    { TUI_ACT_DIGITS_KIND, { 'd' }, "d", NULL,
      "decimals / significant", "decimals or significant digits", TYPING,
      "digits", "d", "d", NULL, NULL },
    { TUI_ACT_MORE_DIGITS, { 'D' }, "D", NULL,
      "more digits", "more digits (2, 3, 4, 6, 8, 10, 12)", TYPING, NO_HINT },
    { TUI_ACT_WHOLE, { 'f', 'F' }, "f", "F",
      "whole derivation", "the whole derivation of a value longer than its panel; with --follow, f "
      "follows the teacher again", 0, NO_HINT },
    { TUI_ACT_NOTE_PAGE, { 'v' }, "v", NULL,
      "note's next page", "the next page of a note longer than its box", 0,
      "note", "v", "v", NULL, NULL },
    { TUI_ACT_EDIT, { 'e' }, "e", NULL,
      "edit a number (w5=0.3)", "edit a number as NAME=VALUE (as --set takes); everything recomputes, "
      "changed values show what they were", 0, NO_HINT },
    { TUI_ACT_PREDICT, { 'p' }, "p", NULL,
      "predict, then edit", "predict: type an edit (the prompt opens empty, Tab takes its hint), mark "
      "with m the values you think will change, Enter applies it and counts hits and misses per stage "
      "reached, false alarms, and the changes still to come", 0, NO_HINT },
    { TUI_ACT_MARK, { 'm' }, "m", NULL,
      "predicting: mark value", "while predicting: mark the current value as one that will change "
      "(again: unmark)", TUI_KEY_PREDICTING, NO_HINT },
    { TUI_ACT_UNDO, { 'u' }, "u", NULL,
      "undo the last edit", "undo the last edit", 0, NO_HINT },
    { TUI_ACT_UNDO_ALL, { 'U' }, "U", NULL,
      "undo every edit", "undo every edit: the lesson's values", 0, NO_HINT },
    { TUI_ACT_THEME, { 'c' }, "c", NULL,
      "colour theme", "the next colour theme: dark, light, contrast", 0, NO_HINT },
    { TUI_ACT_BOARD, { 'b' }, "b", NULL,
      "presenter's board", "presenter mode: the board (the network, its weights and the batch)", 0,
      NULL, NULL, NULL, "board", "b" },
    { TUI_ACT_CLICK, { KEY_MOUSE }, "click", NULL,
      "jump to what is there", "a unit, a weight or a value so far: jump to it", MOVE, NO_HINT },
    { TUI_ACT_IMAGE, { 'i' }, "i", NULL,
      "image of the sample", "an image lesson's sample as a picture, with its label and the network's "
      "answer (on at the start; i hides it)", 0, NO_HINT },
    { TUI_ACT_MATRIX, { 'm' }, "m", NULL,
      "matrix view", "the matrix view: this stage as Part 2's matrices, the value at hand named as its "
      "entry (not in a quiz)", 0, NO_HINT },
    { TUI_ACT_TRAIN, { 't' }, "t", NULL,
      "train: the loss curve", "train the lesson: the loss curve (axis from 0; z zooms, marked); Enter "
      "steps from the weights after the chosen epoch, Esc stops training", 0, NO_HINT },
    { TUI_ACT_HELP, { '?' }, "?", NULL,
      "this help", "help", TYPING,
      "help", "?", "?", "help", "?" },
    { TUI_ACT_QUIT, { 'q', 'Q' }, "q", NULL,
      "quit", "quit", TYPING,
      "quit", "q", "q", "quit", "q" },
};

const tui_keydef *tui_keys(int *n)
{
    *n = (int)(sizeof table / sizeof table[0]);
    return table;
}

/* Row r has key. */
static int row_has(const tui_keydef *r, int key)
{
    for (int q = 0; q < 8 && r->keys[q]; q++)
        if (r->keys[q] == key)
            return 1;
    return 0;
}

tui_action tui_key_action(int key, int predicting, int *arg)
{
    const tui_keydef *found = NULL;
    for (size_t r = 0; r < sizeof table / sizeof table[0]; r++) {
        const tui_keydef *d = &table[r];
        if (!row_has(d, key) || ((d->flags & TUI_KEY_PREDICTING) && !predicting)) /* mutant: predicting-row-always */
            continue;
        if (!found || (d->flags & TUI_KEY_PREDICTING))
            found = d;
    }
    if (!found)
        return TUI_ACT_NONE;
    if (arg)
        *arg = found->action == TUI_ACT_STAGE ? key - '0' : 0;
    return found->action;
}

unsigned tui_action_flags(tui_action a)
{
    for (size_t r = 0; r < sizeof table / sizeof table[0]; r++)
        if (table[r].action == a)
            return table[r].flags;
    return 0;
}

/* Append "KEY WORD" (WORD may be "") to the line in buf, two spaces before
 * it unless first; 0, and nothing appended, when it does not fit whole. */
static int hint_append(char *buf, size_t size, size_t *len, const char *key, const char *word)
{
    int n = snprintf(buf + *len, size - *len, "%s%s%s%s", *len ? "  " : "", key, word[0] ? " " : "", word);
    if (n < 0 || (size_t)n >= size - *len) {
        buf[*len] = '\0';
        return 0;
    }
    *len += (size_t)n;
    return 1;
}

char *tui_keys_hint(tui_hint_line line, int unicode, char *buf, size_t size)
{
    size_t len = 0;
    int present = line == TUI_HINT_PRESENT;
    unsigned need = line == TUI_HINT_QUIZ ? TUI_KEY_QUIZ : line == TUI_HINT_ANSWERING ? TUI_KEY_ANSWERING : 0;
    if (!size)
        return buf;
    buf[0] = '\0';
    for (size_t r = 0; r < sizeof table / sizeof table[0]; r++) {
        const tui_keydef *d = &table[r];
        const char *word = present ? d->present : d->hint;
        const char *key = present ? d->present_key : unicode ? d->hint_key : d->hint_ascii;
        if (!word || !key || (d->flags & need) != need)
            continue;
        if (!hint_append(buf, size, &len, key, word))   /* no room for the whole item: end before it */
            break;
    }
    return buf;
}

int tui_keys_print(FILE *out)
{
    int rc = 0;
    for (size_t r = 0; r < sizeof table / sizeof table[0] && rc >= 0; r++) {
        const tui_keydef *d = &table[r];
        if (d->also)
            rc = fprintf(out, "%s\t%s (also %s)\n", d->name, d->doc, d->also);
        else
            rc = fprintf(out, "%s\t%s\n", d->name, d->doc);
    }
    return rc;
}

/* The views' keys: a row is a view, its action, its keys, and its part of
 * the bottom line (NULL: none; a hint may name the keys of several rows). */
typedef struct view_keydef {
    tui_view view;
    tui_view_action action;
    int keys[6];              /* key codes, 0 after the last */
    const char *hint_key;     /* "Left/Right" */
    const char *hint;         /* "pick an epoch" */
} view_keydef;

static const view_keydef view_table[] = {
    { TUI_VIEW_CURVE, TUI_VA_LEFT, { KEY_LEFT, 'h' }, "Left/Right", "pick an epoch" },
    { TUI_VIEW_CURVE, TUI_VA_RIGHT, { KEY_RIGHT, 'l' }, NULL, NULL },
    { TUI_VIEW_CURVE, TUI_VA_FIRST, { KEY_HOME, 'g' }, NULL, NULL },
    { TUI_VIEW_CURVE, TUI_VA_LAST, { KEY_END, 'G' }, NULL, NULL },
    { TUI_VIEW_CURVE, TUI_VA_CHOOSE, { '\n', '\r', KEY_ENTER }, "Enter", "step from its weights" },
    { TUI_VIEW_CURVE, TUI_VA_ZOOM, { 'z', 'Z' }, "z", "zoom" },
    { TUI_VIEW_CURVE, TUI_VA_BACK, { 't', 27 }, "t/Esc", "back" }, /* mutant: curve-esc-not-back */
    { TUI_VIEW_CURVE, TUI_VA_QUIT, { 'q', 'Q' }, "q", "quit" },
    { TUI_VIEW_MATRIX, TUI_VA_RIGHT, { KEY_RIGHT, 'l' }, "Arrows", "move the cursor" },
    { TUI_VIEW_MATRIX, TUI_VA_LEFT, { KEY_LEFT, 'h' }, NULL, NULL },
    { TUI_VIEW_MATRIX, TUI_VA_DOWN, { KEY_DOWN, 'j' }, NULL, NULL },
    { TUI_VIEW_MATRIX, TUI_VA_UP, { KEY_UP, 'k' }, NULL, NULL },
    { TUI_VIEW_MATRIX, TUI_VA_NEXT_MATRIX, { '\t' }, "Tab", "next matrix" }, /* mutant: matrix-line-short */
    { TUI_VIEW_MATRIX, TUI_VA_PREV_MATRIX, { KEY_BTAB }, NULL, NULL },
    { TUI_VIEW_MATRIX, TUI_VA_BACK, { 'm', 27 }, "m or Esc", "back" },
    { TUI_VIEW_MATRIX, TUI_VA_QUIT, { 'q', 'Q' }, "q", "quit" },
};

tui_view_action tui_view_key(tui_view view, int key)
{
    for (size_t r = 0; r < sizeof view_table / sizeof view_table[0]; r++) {
        const view_keydef *d = &view_table[r];
        for (int q = 0; d->view == view && q < 6 && d->keys[q]; q++)
            if (d->keys[q] == key)
                return d->action;
    }
    return TUI_VA_NONE;
}

char *tui_view_hint(tui_view view, int leaving_only, char *buf, size_t size)
{
    size_t len = 0;
    if (!size)
        return buf;
    buf[0] = '\0';
    for (size_t r = 0; r < sizeof view_table / sizeof view_table[0]; r++) {
        const view_keydef *d = &view_table[r];
        if (d->view != view || !d->hint ||
            (leaving_only && d->action != TUI_VA_BACK && d->action != TUI_VA_QUIT))
            continue;
        if (!hint_append(buf, size, &len, d->hint_key, d->hint))
            break;
    }
    return buf;
}
