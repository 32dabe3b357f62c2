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
    int cols = atoi(argv[2]), press_d = 0, steps = 2;
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
