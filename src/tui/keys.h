/*
 * keys.h - the one table of the stepper's keys.  A key becomes an action
 * here and nowhere else: the stepper, the quiz, the presenter, the editor
 * and follow mode ask tui_key_action, the help screen draws tui_keys(), the
 * stepper's and the presenter's bottom lines are tui_keys_hint(),
 * and nntrace --keys prints it (docs/interface.tsv's key rows are that
 * output, which tests/shell/docs.sh checks).
 *
 *   tui_action a = tui_key_action(key, st->predict == 1, &stage);
 *   if (tui_action_flags(a) & TUI_KEY_MOVES) ...   // follow mode breaks away
 */
#ifndef NNTRACE_TUI_KEYS_H
#define NNTRACE_TUI_KEYS_H

#include <stdio.h>

typedef enum tui_action {
    TUI_ACT_NONE = 0,         /* a key the table does not have */
    TUI_ACT_NEXT,             /* next value */
    TUI_ACT_PREV,             /* previous value */
    TUI_ACT_NEXT_STAGE,       /* start of the next stage */
    TUI_ACT_STAGE_UP,         /* start of this stage, then of the previous one */
    TUI_ACT_STAGE,            /* 1..6: first value of that stage (the stage in *arg) */
    TUI_ACT_FIRST,            /* first value of this step */
    TUI_ACT_LAST,             /* last value of this step */
    TUI_ACT_NEXT_STEP,        /* next gradient-descent step */
    TUI_ACT_PREV_STEP,        /* previous one */
    TUI_ACT_PLAY,             /* play or pause */
    TUI_ACT_FASTER,           /* a shorter delay between values */
    TUI_ACT_SLOWER,           /* a longer one */
    TUI_ACT_DIGITS_KIND,      /* decimals or significant digits */
    TUI_ACT_MORE_DIGITS,      /* the next precision */
    TUI_ACT_WHOLE,            /* the whole derivation (following: follow again) */
    TUI_ACT_NOTE_PAGE,        /* a note's next page */
    TUI_ACT_EDIT,             /* edit a number */
    TUI_ACT_PREDICT,          /* predict, then edit */
    TUI_ACT_MARK,             /* while predicting: mark the current value */
    TUI_ACT_UNDO,             /* undo the last edit */
    TUI_ACT_UNDO_ALL,         /* undo every edit */
    TUI_ACT_THEME,            /* the next colour theme */
    TUI_ACT_BOARD,            /* the presenter's board */
    TUI_ACT_CLICK,            /* a mouse click: jump to what is under it */
    TUI_ACT_IMAGE,            /* an image lesson's picture */
    TUI_ACT_MATRIX,           /* the matrix view */
    TUI_ACT_TRAIN,            /* the loss curve */
    TUI_ACT_HELP,             /* the help screen */
    TUI_ACT_QUIT,             /* quit */
    TUI_ACTIONS               /* how many */
} tui_action;

/* What an action is, for the screens that treat kinds of keys alike. */
enum {
    TUI_KEY_MOVES = 1,        /* moves through the values: follow mode breaks away */
    TUI_KEY_CROSSES = 2,      /* may leave the stage or the step: the quiz moves to its question */
    TUI_KEY_QUIZ = 4,         /* allowed in a quiz once the value is shown */
    TUI_KEY_PREDICTING = 8,   /* the row holds while predicting only (it wins then) */
    TUI_KEY_ANSWERING = 16    /* ... and while an answer is being typed (its keys are not typed) */
};

typedef struct tui_keydef {
    tui_action action;        /* what the keys do */
    int keys[8];              /* the key codes (curses KEY_* for named keys), 0 after the last */
    const char *name;         /* the key as the table names it ("Right", "1 .. 6") */
    const char *also;         /* the other keys, "l, n, Enter", or NULL */
    const char *help;         /* what it does, in the help screen's few words */
    const char *doc;          /* what it does in full (docs/interface.tsv, nntrace --keys) */
    unsigned flags;           /* TUI_KEY_* */
    /* the bottom line's short form, per screen (NULL: not on that line) */
    const char *hint;         /* the stepper's: "next" */
    const char *hint_key;     /* ... its key, in Unicode ("→/l") */
    const char *hint_ascii;   /* ... and where there are no arrows ("l") */
    const char *present;      /* the presenter's: "reveal, next" (key: present_key) */
    const char *present_key;  /* "l/Right" */
} tui_keydef;

/* The table, in the order the help screen shows it; its length in *n. */
const tui_keydef *tui_keys(int *n);
/* The action of key (predicting: a prediction is open, so its rows win);
 * for TUI_ACT_STAGE the stage 1..6 in *arg (arg may be NULL). */
tui_action tui_key_action(int key, int predicting, int *arg);
/* The TUI_KEY_* flags of an action (0 for TUI_ACT_NONE). */
unsigned tui_action_flags(tui_action a);
/* Bottom lines built from the table's hints in its order. */
typedef enum tui_hint_line {
    TUI_HINT_STEP,            /* the stepper's: "→/l next  ←/h back  ..." */
    TUI_HINT_PRESENT,         /* the presenter's (present, present_key) */
    TUI_HINT_QUIZ,            /* a quiz's, the value shown: the stepper's of TUI_KEY_QUIZ rows */
    TUI_HINT_ANSWERING        /* a quiz's, an answer being typed: of TUI_KEY_ANSWERING rows */
} tui_hint_line;
/* That line into buf (size bytes; an item that does not fit whole ends it);
 * unicode 0 spells the keys without arrows.  Returns buf. */
char *tui_keys_hint(tui_hint_line line, int unicode, char *buf, size_t size);
/* The screens that are not the walk (the loss curve, the matrix view) have
 * keys of their own, in a second table beside the first: a key becomes a
 * view action there, and the screen's bottom line is built from it. */
typedef enum tui_view {
    TUI_VIEW_CURVE,           /* the loss curve (screen_curve.c) */
    TUI_VIEW_MATRIX           /* the matrix view (screen_matrix.c) */
} tui_view;
typedef enum tui_view_action {
    TUI_VA_NONE = 0,          /* a key the view does not have */
    TUI_VA_LEFT,              /* curve: the epoch before; matrix: the entry to the left */
    TUI_VA_RIGHT,             /* ... the epoch after; the entry to the right */
    TUI_VA_UP,                /* matrix: the entry above */
    TUI_VA_DOWN,              /* matrix: the entry below */
    TUI_VA_FIRST,             /* curve: before training */
    TUI_VA_LAST,              /* curve: the last epoch */
    TUI_VA_CHOOSE,            /* curve: one step from the chosen epoch's weights */
    TUI_VA_ZOOM,              /* curve: the loss axis zoomed or from 0 */
    TUI_VA_NEXT_MATRIX,       /* matrix: the next matrix */
    TUI_VA_PREV_MATRIX,       /* matrix: the one before */
    TUI_VA_BACK,              /* back to the stepper */
    TUI_VA_QUIT               /* quit */
} tui_view_action;
/* The action of key in view. */
tui_view_action tui_view_key(tui_view view, int key);
/* The view's bottom line into buf (size bytes; an item that does not fit
 * whole ends it): every row with a hint, or with leaving only, the rows
 * that leave the view (back, quit: for a curve that has nothing to show).
 * Returns buf. */
char *tui_view_hint(tui_view view, int leaving_only, char *buf, size_t size);

/* The table as nntrace --keys prints it: "KEY<TAB>MEANING" a line, the
 * meaning ending "(also ...)" when other keys do the same.  Returns what
 * fprintf returned last (negative on a write error). */
int tui_keys_print(FILE *out);

#endif
