/*
 * tui.c - the stepper's loop: terminal set-up and tear-down, signals,
 * redraw, and dispatch of each key to the current screen.
 *
 * The one piece of global state is the number of a signal received, which a
 * signal handler can only pass on through a global; the loop polls it.
 */
#define _XOPEN_SOURCE 700
#include "tui.h"
#include "keys.h"


#include <curses.h>
#include <math.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#define POLL_MS 200   /* how often the loop looks for a signal while idle */
#define FOLLOW_POLL_MS 50   /* ... and at the sockets, when serving or following */

static volatile sig_atomic_t got_signal;   /* a fatal signal received (tui_run's list) */

static void on_signal(int sig)
{
    got_signal = sig;
}

static void draw_too_small(tui_state *st)
{
    char line[64];
    int y = LINES / 2 - 1 > 0 ? LINES / 2 - 1 : 0;
    snprintf(line, sizeof line, "Please enlarge the window");
    tui_text(st, y, 0, COLS, line, A_BOLD);
    snprintf(line, sizeof line, "to %dx%d (now %dx%d)", TUI_MIN_COLS, TUI_MIN_ROWS, COLS, LINES);
    tui_text(st, y + 1, 0, COLS, line, 0);
    tui_text(st, y + 2, 0, COLS, "q quits", tui_attr(st, TUI_A_DIM));
}

/* Every screen as its operations; the loop dispatches through these. */
static const tui_screen screen_step = { step_draw, step_key };
static const tui_screen screen_present = { present_draw, present_key };
static const tui_screen screen_quiz = { step_draw, quiz_key };   /* the value held back */
static const tui_screen screen_help = { help_draw, help_key };
static const tui_screen screen_curve = { curve_draw, curve_key };
static const tui_screen screen_matrix = { matrix_draw, matrix_key };

/* The screen shown now: the help or the loss curve when open, else the mode's. */
static const tui_screen *current(const tui_state *st)
{
    switch (st->screen) {
    case TUI_SCREEN_HELP:   return &screen_help;
    case TUI_SCREEN_CURVE:  return &screen_curve;
    case TUI_SCREEN_MATRIX: return &screen_matrix;
    case TUI_SCREEN_STEP:   break;
    }
    switch (st->mode) {
    case TUI_MODE_PRESENT: return &screen_present;
    case TUI_MODE_QUIZ:    return &screen_quiz;
    case TUI_MODE_STEP:    break;
    }
    return &screen_step;
}

static void draw(tui_state *st)
{
    erase();
    if (COLS < TUI_MIN_COLS || LINES < TUI_MIN_ROWS)
        draw_too_small(st);
    else
        current(st)->draw(st);
    tui_edit_draw(st);
    wnoutrefresh(stdscr);
    doupdate();
}

/* A click: jump to the value under it (a unit's net, a weight's gradient, a value so far). */
static void click(tui_state *st)
{
    MEVENT me;
    if (getmouse(&me) != OK || !(me.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED)))
        return;
    for (int q = 0; q < st->hits.n; q++)
        if (me.y == st->hits.at[q].y && me.x >= st->hits.at[q].x && me.x < st->hits.at[q].x + st->hits.at[q].w) {
            st->present.board = 0;
            st->present.reveal = 0;
            tui_go(st, st->hits.at[q].event);
            return;
        }
}

/* One key to the screen shown, then the walk's keys; what it did (the loop
 * redraws unless TUI_HANDLED; a key that moved or changed the screen is
 * TUI_REDRAW whatever its handler said). */
static tui_result key(tui_state *st, int k)
{
    if (COLS < TUI_MIN_COLS || LINES < TUI_MIN_ROWS) {
        if (k == 'q' || k == 'Q')
            st->quit = 1;
        return TUI_HANDLED;                      /* the "enlarge" screen stays as it is */
    }
    if (k == KEY_MOUSE) {
        if (st->screen == TUI_SCREEN_STEP)
            click(st);
        return TUI_REDRAW;
    }
    tui_action act = tui_key_action(k, st->edit.predict == 1, NULL);
    if (st->follow.host[0]) {                    /* following: f snaps back, moving breaks away */
        if (k == 'f') {
            tui_follow_snap(st);
            return TUI_REDRAW;
        }
        if (tui_action_flags(act) & TUI_KEY_MOVES)
            st->follow.following = 0; /* mutant: follow-never-breaks-away */
    }
    if (st->screen == TUI_SCREEN_STEP && st->mode == TUI_MODE_STEP && tui_edit_key(st, k) != TUI_IGNORED)
        return TUI_REDRAW;
    int step = tr_rec_step(st->m.rec);
    tui_screen_id screen = st->screen;
    long from = st->m.cur;
    tui_result r = current(st)->key(st, k);
    if (r == TUI_IGNORED) {
        r = step_key(st, k);
        if (tui_action_flags(act) & TUI_KEY_CROSSES) /* mutant: quiz-crosses-ignored */
            quiz_moved(st, step, from);
    }
    if (st->screen != screen)
        r = TUI_REDRAW;
    curve_train_if_needed(st);
    return st->m.cur != from || tr_rec_step(st->m.rec) != step ? TUI_REDRAW : r;
}

/* The recording and its index, for a lesson. */
static int state_init(tui_state *st, const ls_lesson *L, int digits, int quiz, char *err, size_t err_size)
{
    memset(st, 0, sizeof *st);
    if (tui_model_open(&st->m, L, NULL, quiz, err, err_size) != 0)
        return -1;
    st->look.digits = digits >= 0 ? digits : TR_DEFAULT_DIGITS;
    st->play.delay_ms = TUI_PLAY_MS;
    st->lesson = L;
    st->at_epoch = -1;
    st->stepper.show_image = L->image_w > 0;
    return 0;
}

static void state_free(tui_state *st)
{
    curve_free(st);
    matrix_free(st);
    quiz_free(st);
    tui_model_free(&st->m);
    tui_edit_free(st);
}

/* Open at a step code's screen: its edits made, its step, stage and value. */
static int open_at(tui_state *st, const tui_code *at, char *err, size_t err_size)
{
    for (int q = 0; q < at->n_edits; q++)
        if (tui_edit(st, at->edits[q]) != 0) {
            snprintf(err, err_size, "--at: the edit '%.48s' does not apply to this lesson", at->edits[q]);
            return -1;
        }
    return tui_goto_code(st, at, err, err_size);
}

/* The stepper's state for a lesson as the options ask (tui_run and the
 * off-screen probe share it): 0, 1 out of memory, 2 a bad --at. */
static int state_setup(tui_state *st, const ls_lesson *L, const tui_options *opt, char *err, size_t err_size)
{
    int quiz = opt && quiz_asks(opt->mode, opt->quiz_present);
    if (state_init(st, L, opt ? opt->digits : TR_DEFAULT_DIGITS, quiz, err, err_size) != 0)
        return 1;
    st->look.unicode = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
    st->mode = opt ? opt->mode : TUI_MODE_STEP;
    st->look.sig_digits = opt && opt->sig > 0 ? opt->sig : TUI_SIG_DIGITS;
    st->look.sig = opt ? opt->sig : 0;
    st->look.theme = opt ? opt->theme : TUI_THEME_DARK;
    st->look.mouse = !(opt && opt->no_mouse);
    st->present.board = st->mode == TUI_MODE_PRESENT; /* mutant: presenter-no-board */
    st->quiz.kinds = opt && opt->quiz_kinds ? opt->quiz_kinds : QUIZ_ALL;
    st->quiz.tolerance = opt && opt->tolerance > 0 ? opt->tolerance : QUIZ_TOLERANCE;
    st->quiz.present = opt && opt->quiz_present && st->mode == TUI_MODE_PRESENT;
    if (quiz_on(st) && quiz_init(st) != 0) {
        snprintf(err, err_size, "out of memory");
        state_free(st);
        return 1;
    }
    if (opt && opt->at && open_at(st, opt->at, err, err_size) != 0) {
        state_free(st);
        return 2;
    }
    quiz_moved(st, tr_rec_step(st->m.rec), st->m.cur);     /* the quiz opens on its first question */ /* mutant: quiz-opens-on-first-value */
    return 0;
}

/* Whether the stepper can run here: standard input and output a terminal
 * that can move the cursor; if not, err says why. */
static int terminal_usable(const char *term, char *err, size_t err_size)
{
    if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO)) {
        snprintf(err, err_size, "the stepper needs a terminal; for a printed derivation use "
                 "'nntrace trace'");
        return 0;
    }
    if (!term || !*term || strcmp(term, "dumb") == 0) {
        snprintf(err, err_size, "the stepper needs a terminal that can move the cursor (TERM is %s); "
                 "for a printed derivation use 'nntrace trace'", term && *term ? "dumb" : "not set");
        return 0;
    }
    return 1;
}

int tui_run(const ls_lesson *L, const tui_options *opt, char *err, size_t err_size,
            int *right, int *asked)
{
    setlocale(LC_CTYPE, "");                 /* LC_NUMERIC stays "C": numbers keep their "." */
    tui_state st;
    int rc = state_setup(&st, L, opt, err, err_size);   /* a bad --at is refused first, */
    if (rc != 0)
        return rc;
    const char *term = getenv("TERM");                  /* ... terminal or not */
    if (!terminal_usable(term, err, err_size)) {
        state_free(&st);
        return 2;
    }
    st.follow.listen_fd = st.follow.fd = -1;
    for (int q = 0; q < TUI_FOLLOWERS; q++)
        st.follow.followers[q] = -1;
    if ((opt && opt->serve && tui_serve_open(&st.follow, opt->serve, err, err_size) != 0) ||
        (opt && opt->follow && tui_follow_open(&st.follow, opt->follow, err, err_size) != 0)) {
        tui_follow_close(&st.follow);
        state_free(&st);
        return 2;
    }
    SCREEN *scr = newterm(NULL, stdout, stdin);
    if (!scr) {
        snprintf(err, err_size, "cannot use the terminal '%s'; for a printed derivation use "
                 "'nntrace trace'", term);
        state_free(&st);
        return 2;
    }
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    curs_set(0);
    set_escdelay(25);
    tui_colors_init(&st);
    if (st.look.mouse) {
        mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED, NULL);
        mouseinterval(0);
    }
    if (opt && opt->play_ms > 0) {
        st.play.on = 1;
        st.play.delay_ms = opt->play_ms;
    }

    /* every signal whose default ends the program and that can be caught
     * ends the loop instead: the terminal is restored, then the program dies
     * of it (cmd_step.c).  SIGQUIT (Ctrl-\) left the terminal raw. */
    static const int fatal[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, /* mutant: quit-leaves-terminal-raw */
                                 SIGVTALRM, SIGPROF, SIGXCPU };
    enum { N_FATAL = sizeof fatal / sizeof fatal[0] };
    struct sigaction sa, old_sa[N_FATAL];
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    got_signal = 0;
    st.signalled = &got_signal;                  /* long work (the loss curve's training) stops on it */
    for (int q = 0; q < N_FATAL; q++)
        sigaction(fatal[q], &sa, &old_sa[q]);

    int networked = st.follow.serving || st.follow.host[0];
    int dirty = 1;                               /* the screen must be drawn again */
    while (!st.quit && !got_signal) {
        if (networked) {
            tui_follow_poll(&st);
            dirty = 1;                           /* the teacher may have moved */
        }
        if (dirty)
            draw(&st);
        dirty = 0;
        timeout(st.follow.catching ? 0 : st.play.on ? st.play.delay_ms : networked ? FOLLOW_POLL_MS : POLL_MS);
        int k = getch();
        if (got_signal)
            break;
        if (k == ERR) {
            dirty = st.play.on;                  /* a value played on (or the end's message) */
            /* presenter mode plays through its reveals, as the Right key would */
            if (st.play.on && st.screen == TUI_SCREEN_STEP && st.mode == TUI_MODE_PRESENT)
                key(&st, KEY_RIGHT);
            else if (st.play.on && st.screen == TUI_SCREEN_STEP && tui_visible(&st) == st.m.cur && !tui_next(&st))
                st.play.on = 0;
            continue;
        }
        dirty = k == KEY_RESIZE || key(&st, k) != TUI_HANDLED; /* mutant: loop-no-redraw-after-key */
    }
    tui_follow_close(&st.follow);
    endwin();
    delscreen(scr);
    for (int q = 0; q < N_FATAL; q++)
        sigaction(fatal[q], &old_sa[q], NULL);
    if (opt && opt->report)
        *opt->report = st.quiz.report;
    if (right)
        *right = st.quiz.right;
    if (asked)
        *asked = st.quiz.right + st.quiz.wrong + st.quiz.retried;
    state_free(&st);
    return got_signal ? 128 + got_signal : 0;
}

/* CPU time of the process (not wall time: the machines are shared). */
static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int tui_bench(const ls_lesson *L, int cols, int rows, tui_bench_result *out)
{
    char err[LS_ERR_SIZE];
    tui_state st;
    FILE *devnull = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
    SCREEN *scr = devnull && in ? newterm("xterm-256color", devnull, in) : NULL;
    if (!scr) {
        if (devnull) fclose(devnull);
        if (in) fclose(in);
        return -1;
    }
    resizeterm(rows, cols);
    double t0 = now_us();
    if (state_init(&st, L, TR_DEFAULT_DIGITS, 0, err, sizeof err) != 0) {
        endwin();
        delscreen(scr);
        fclose(devnull);
        fclose(in);
        return -1;
    }
    st.look.unicode = 1;
    tui_colors_init(&st);
    draw(&st);
    out->first_us = now_us() - t0;
    long n = tr_rec_count(st.m.rec), count = 0;
    double total = 0, worst = 0, *each = malloc((size_t)(2 * n + 1) * sizeof(double));
    out->worst_stage = 0;
    /* a full walk: every value forward, then back, as the arrow keys would */
    for (long q = 0; q < 2 * n; q++) {
        double t1 = now_us();
        step_key(&st, q < n ? KEY_RIGHT : KEY_LEFT);
        draw(&st);
        double dt = now_us() - t1;
        total += dt;
        if (dt > worst) {
            worst = dt;
            out->worst_stage = tui_model_current(&st.m)->stage;
        }
        if (each)
            each[count] = dt;
        count++;
    }
    out->p99_us = worst;
    if (each && count > 0) {
        qsort(each, (size_t)count, sizeof *each, cmp_double);
        out->p99_us = each[(long)(0.99 * (double)(count - 1))];
    }
    free(each);
    double t2 = now_us();
    tui_edit(&st, "w1=0.5");
    draw(&st);
    out->edit_us = now_us() - t2;
    endwin();
    delscreen(scr);
    fclose(devnull);
    fclose(in);
    state_free(&st);
    out->mean_us = total / count;
    out->worst_us = worst;
    out->redraws = count;
    return 0;
}

/* ------------------------------------------------------ off-screen probe */

/* The stepper drawn into a terminal nobody sees, for the reader's check. */
struct tui_probe {
    tui_state st;             /* the stepper, set up as tui_run sets it up */
    SCREEN *scr;              /* the off-screen terminal */
    FILE *out, *in;           /* /dev/null, its output and input */
};

tui_probe *tui_probe_open(const ls_lesson *L, const tui_options *opt, int cols, int rows, char *err,
                          size_t err_size)
{
    tui_probe *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    p->out = fopen("/dev/null", "w");
    p->in = fopen("/dev/null", "r");
    p->scr = p->out && p->in ? newterm("xterm-256color", p->out, p->in) : NULL;
    if (!p->scr) {
        snprintf(err, err_size, "no off-screen terminal");
        if (p->out) fclose(p->out);
        if (p->in) fclose(p->in);
        free(p);
        return NULL;
    }
    resizeterm(rows, cols);
    if (state_setup(&p->st, L, opt, err, err_size) != 0) {
        endwin();
        delscreen(p->scr);
        fclose(p->out);
        fclose(p->in);
        free(p);
        return NULL;
    }
    tui_colors_init(&p->st);
    draw(&p->st);
    return p;
}

void tui_probe_go(tui_probe *p, long index)
{
    tui_go(&p->st, index);
    draw(&p->st);
}

tui_result tui_probe_key(tui_probe *p, int k)
{
    tui_result r = key(&p->st, k);
    draw(&p->st);                     /* always: the reader sees what a redraw would show */
    return r;
}

void tui_probe_where(const tui_probe *p, int *step, int *stage, long *value, int *visible)
{
    const tr_event *ev = tui_model_current(&p->st.m);
    long first = tui_stage_first(&p->st.m, ev->stage);
    *step = ev->step;
    *stage = ev->stage;
    *value = p->st.m.cur - (first >= 0 ? first : 0) + 1;
    *visible = tui_visible(&p->st) >= p->st.m.cur;
}

tui_state *tui_probe_state(tui_probe *p)
{
    return &p->st;
}

size_t tui_probe_row(const tui_probe *p, int y, char *buf, size_t size)
{
    size_t n = 0;
    (void)p;
    buf[0] = '\0';
    for (int x = 0; x < COLS && y >= 0 && y < LINES; x++) {
        cchar_t cc;
        wchar_t wc[CCHARW_MAX + 1];
        attr_t a;
        short pair;
        char mb[MB_LEN_MAX * (CCHARW_MAX + 1)];
        if (mvin_wch(y, x, &cc) == ERR || getcchar(&cc, wc, &a, &pair, NULL) == ERR)
            continue;
        for (int q = 0; wc[q]; q++) {
            mbstate_t ms;
            memset(&ms, 0, sizeof ms);
            size_t len = wcrtomb(mb, wc[q], &ms);
            if (len == (size_t)-1 || n + len + 1 >= size)
                continue;
            memcpy(buf + n, mb, len);
            n += len;
        }
        buf[n] = '\0';
    }
    return n;
}

void tui_probe_close(tui_probe *p)
{
    if (!p)
        return;
    endwin();
    delscreen(p->scr);
    fclose(p->out);
    fclose(p->in);
    state_free(&p->st);
    free(p);
}
