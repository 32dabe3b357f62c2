/*
 * screens.c - the reader's check, first half: walk a lesson in the stepper
 * drawn off-screen and print every screen as a reader would see it, for
 * tests/reader/read.py to read back against the trace.
 *
 * usage: screens LESSON COLS ROWS MODE [--digits N] [--sig N] [--d] [--steps N] [--cap N]
 *   MODE   step, present (each reveal of each value) or quiz (each question
 *          answered with the exact value, then shown revealed)
 *   --d    press d first (significant digits, as a reader would)
 *   --cap  values visited per stage at most (default 400): a longer stage is
 *          visited at its first and last value and evenly between
 *   --keys instead of the walk, type every printable key, Enter and Backspace
 *          (three rounds) and check that a key whose handler says nothing
 *          shown changed (TUI_HANDLED: the loop does not redraw) left every
 *          row as it was; prints the counts, exits 1 on a row changed
 * Each screen is a line "@@ step S stage T value K visible V reveal R" (R: the
 * presenter's reveal, 0 formula, 1 numbers, 2 result; 2 elsewhere) and its rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <curses.h>

#include "lesson/lesson.h"
#include "tui/tui.h"

static int rows_n;

static void dump(tui_probe *p)
{
    static char row[8192];
    int step, stage, visible;
    long value;
    tui_probe_where(p, &step, &stage, &value, &visible);
    printf("@@ step %d stage %d value %ld visible %d reveal %d\n", step, stage, value, visible,
           tui_probe_state(p)->mode == TUI_MODE_PRESENT ? tui_probe_state(p)->present.reveal : 2);
    for (int y = 0; y < rows_n; y++) {
        tui_probe_row(p, y, row, sizeof row);
        printf("%s\n", row);
    }
}

/* One value, as the mode shows it. */
static void visit(tui_probe *p, int mode)
{
    tui_state *st = tui_probe_state(p);
    if (mode == TUI_MODE_PRESENT) {
        st->present.board = 0;
        for (int r = 0; r < 3; r++) {
            st->present.reveal = r;
            tui_probe_go(p, st->m.cur);
            dump(p);
        }
        return;
    }
    dump(p);
    if (mode == TUI_MODE_QUIZ && quiz_hidden(st)) {
        char num[64];
        snprintf(num, sizeof num, "%.17g", tui_model_current(&st->m)->value);
        for (char *c = num; *c; c++)
            tui_probe_key(p, *c);
        tui_probe_key(p, '\n');
        dump(p);
    }
}

/* A copy of every row as drawn, into buf (rows_n * 8192 bytes). */
static void snap(const tui_probe *p, char *buf)
{
    for (int y = 0; y < rows_n; y++)
        tui_probe_row(p, y, buf + (size_t)y * 8192, 8192);
}

/* --keys: every key whose handler says TUI_HANDLED left the screen as it was. */
static int check_keys(tui_probe *p)
{
    char *before = calloc((size_t)rows_n, 8192), *after = calloc((size_t)rows_n, 8192);
    long typed = 0, handled = 0, changed = 0;
    if (!before || !after) {
        fprintf(stderr, "screens: out of memory\n");
        return 2;
    }
    for (int round = 0; round < 3; round++)
        for (int k = ' '; k <= '~' + 2; k++) {
            int key = k == '~' + 1 ? '\n' : k == '~' + 2 ? KEY_BACKSPACE : k;
            snap(p, before);
            tui_result r = tui_probe_key(p, key);
            typed++;
            if (r != TUI_HANDLED)
                continue;
            handled++;
            snap(p, after);
            for (int y = 0; y < rows_n; y++)          /* each row's text (a row ends at its NUL) */
                if (strcmp(before + (size_t)y * 8192, after + (size_t)y * 8192) != 0) {
                    if (changed++ == 0)
                        fprintf(stderr, "screens: key %d said nothing changed, but row %d did: '%s' -> '%s'\n",
                                key, y, before + (size_t)y * 8192, after + (size_t)y * 8192);
                    break;
                }
        }
    printf("keys: %ld typed, %ld handled without a redraw, %ld of them changed the screen\n", typed, handled,
           changed);
    free(before);
    free(after);
    return changed ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "--sign") == 0) {     /* screens --sign LESSON BODY: a step code */
        const char *sign_dirs[] = { "lessons", NULL };
        char sign_err[LS_ERR_SIZE], code[512];
        ls_lesson *SL = strcmp(argv[2], "seed") == 0 ? ls_seed() : ls_open(argv[2], sign_dirs, sign_err, sizeof sign_err);
        if (!SL) {
            fprintf(stderr, "screens: %s\n", sign_err);
            return 2;
        }
        tui_code_sign(argv[3], SL, code, sizeof code);
        printf("%s\n", code);
        ls_free(SL);
        return 0;
    }
    if (argc < 5) {
        fprintf(stderr, "usage: screens LESSON COLS ROWS MODE [options]\n");
        return 2;
    }
    setlocale(LC_ALL, "C.UTF-8");
    const char *dirs[] = { "lessons", NULL };
    char err[LS_ERR_SIZE];
    tui_options opt;
    memset(&opt, 0, sizeof opt);
    opt.digits = TR_DEFAULT_DIGITS;
    opt.no_mouse = 1;
    int cols = atoi(argv[2]), press_d = 0, steps = 2, keys = 0;
    long cap = 400;
    rows_n = atoi(argv[3]);
    opt.mode = strcmp(argv[4], "present") == 0 ? TUI_MODE_PRESENT : strcmp(argv[4], "quiz") == 0 ? TUI_MODE_QUIZ
                                                                                             : TUI_MODE_STEP;
    for (int a = 5; a < argc; a++) {
        if (strcmp(argv[a], "--digits") == 0 && a + 1 < argc)
            opt.digits = atoi(argv[++a]);
        else if (strcmp(argv[a], "--sig") == 0 && a + 1 < argc)
            opt.sig = atoi(argv[++a]);
        else if (strcmp(argv[a], "--steps") == 0 && a + 1 < argc)
            steps = atoi(argv[++a]);
        else if (strcmp(argv[a], "--cap") == 0 && a + 1 < argc)
            cap = atol(argv[++a]);
        else if (strcmp(argv[a], "--d") == 0)
            press_d = 1;
        else if (strcmp(argv[a], "--keys") == 0)
            keys = 1;
    }
    ls_lesson *L = strcmp(argv[1], "seed") == 0 ? ls_seed() : ls_open(argv[1], dirs, err, sizeof err);
    if (!L) {
        fprintf(stderr, "screens: %s\n", err);
        return 2;
    }
    tui_probe *p = tui_probe_open(L, &opt, cols, rows_n, err, sizeof err);
    if (!p) {
        fprintf(stderr, "screens: %s\n", err);
        ls_free(L);
        return 2;
    }
    if (press_d)
        tui_probe_key(p, 'd');
    if (keys) {
        int rc = check_keys(p);
        tui_probe_close(p);
        ls_free(L);
        return rc;
    }
    tui_state *st = tui_probe_state(p);
    for (int s = 1; s <= steps; s++) {
        if (s > 1)
            tui_probe_key(p, ']');
        for (int stage = 1; stage <= NN_STAGES; stage++) {
            long first = tui_stage_first(&st->m, stage), last = tui_stage_last(&st->m, stage);
            if (first < 0)
                continue;
            long n = last - first + 1, stride = n > cap ? (n + cap - 1) / cap : 1;
            for (long e = first; e <= last; e += stride) {
                tui_probe_go(p, e);
                visit(p, opt.mode);
                if (e != last && e + stride > last)
                    e = last - stride;              /* the stage's last value too */
            }
        }
    }
    tui_probe_close(p);
    ls_free(L);
    return 0;
}
