/*
 * screen_step.c - the stepper screen, laid out once per terminal size so
 * that nothing moves while the reader walks: the header, the network figure
 * (figure.c), the current value's derivation (symbolic, with the numbers,
 * the result), the stage's values so far, on wide screens what the value is
 * computed from, the stage's note, the keys.  Every operand of the current
 * value is lit wherever it appears.  It reads the recording only.
 */
#include "tui.h"
#include "keys.h"

#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIDE_W       40     /* width of the side panel on wide screens */
#define WIDE_COLS    110    /* from this width the side panel sits beside the rest */
#define MAX_SEGS     512    /* pieces of one rich-text formula */

static const int digit_steps[] = { 2, 3, 4, 6, 8, 10, 12 };
static const int delays[] = { 3000, 2000, 1000, 500, 250, 100 };

static const tr_event *cur_event(const tui_state *st)
{
    return tui_model_current(&st->m);
}

/* A number key: the first value of that stage; the same key again there: the stage completed. */
static void go_stage_key(tui_state *st, int stage)
{
    long first = tui_stage_first(&st->m, stage), last = tui_stage_last(&st->m, stage);
    if (first < 0)
        return;
    tui_go(st, st->m.cur == first ? last : first);
    if (st->m.cur == last && first != last)
        snprintf(st->message, sizeof st->message, "Stage %d completed: %d again goes to its start", stage, stage);
}

/* Up: the start of this stage, or from there the start of the previous one. */
static void go_up(tui_state *st, int step, int stage)
{
    long first = tui_stage_first(&st->m, stage);
    if (first >= 0 && st->m.cur > first)
        tui_go(st, first);
    else
        tui_go_stage(st, step, stage - 1);
}

/* The keys for how the stepper shows its values: play and its speed,
 * digits, theme.  1 when the action was one of them. */
static tui_result view_key(tui_state *st, tui_action act)
{
    switch ((int)act) {     /* some of the actions: the rest are other handlers' */
    case TUI_ACT_PLAY:
        st->play.on = !st->play.on; /* mutant: play-space-does-not-pause */
        snprintf(st->message, sizeof st->message, st->play.on ? "Playing: %.2g s a value (+/- speed)" : "Paused",
                 st->play.delay_ms / 1000.0);
        break;
    case TUI_ACT_FASTER: case TUI_ACT_SLOWER: {
        int n = (int)(sizeof delays / sizeof delays[0]), q = 0;
        while (q < n - 1 && delays[q] > st->play.delay_ms)
            q++;
        q += act == TUI_ACT_SLOWER ? -1 : 1;
        q = q < 0 ? 0 : q >= n ? n - 1 : q;
        st->play.delay_ms = delays[q];
        snprintf(st->message, sizeof st->message, "%.2g s a value", st->play.delay_ms / 1000.0);
        break;
    }
    case TUI_ACT_DIGITS_KIND:                    /* decimals <-> significant digits */
        st->look.sig = st->look.sig ? 0 : st->look.sig_digits;
        if (st->look.sig)
            snprintf(st->message, sizeof st->message, "%d significant digits", st->look.sig);
        else
            snprintf(st->message, sizeof st->message, "%d digits after the decimal point", st->look.digits);
        break;
    case TUI_ACT_MORE_DIGITS: {                  /* more digits, round to 2 */
        int n = (int)(sizeof digit_steps / sizeof digit_steps[0]), q = 0, *d = st->look.sig ? &st->look.sig : &st->look.digits;
        while (q < n && digit_steps[q] <= *d)
            q++;
        *d = digit_steps[q % n];
        if (st->look.sig)
            st->look.sig_digits = st->look.sig;
        snprintf(st->message, sizeof st->message, st->look.sig ? "%d significant digits" : "%d digits after the decimal point", *d);
        break;
    }
    case TUI_ACT_THEME:
        st->look.theme = (st->look.theme + 1) % TUI_THEMES;
        tui_colors_init(st);
        snprintf(st->message, sizeof st->message, "Theme: %s",
                 st->look.theme == TUI_THEME_LIGHT ? "light" : st->look.theme == TUI_THEME_CONTRAST ? "contrast" : "dark");
        break;
    default:
        return TUI_IGNORED;
    }
    return TUI_REDRAW;
}

tui_result step_key(tui_state *st, int key)
{
    /* copies: a key that moves to another step frees the event they come from */
    const int step = cur_event(st)->step, stage = cur_event(st)->stage;
    int stage_key;
    tui_action act = tui_key_action(key, st->edit.predict == 1, &stage_key);
    switch ((int)act) {     /* some of the actions: the rest are other handlers' */
    case TUI_ACT_NEXT:
        tui_next(st);
        break;
    case TUI_ACT_PREV:
        tui_go(st, st->m.cur - 1);
        break;
    case TUI_ACT_NEXT_STAGE:
        tui_go_stage(st, step, stage + 1);
        break;
    case TUI_ACT_STAGE_UP:
        go_up(st, step, stage);
        break;
    case TUI_ACT_STAGE:
        go_stage_key(st, stage_key);
        break;
    case TUI_ACT_FIRST:
        tui_go(st, 0);
        break;
    case TUI_ACT_LAST:
        tui_go(st, tr_rec_count(st->m.rec) - 1);
        break;
    case TUI_ACT_NEXT_STEP:                      /* the next step, from its first value */
        tui_go_stage(st, step + 1, 1); /* mutant: next-step-lands-on-same-stage */
        break;
    case TUI_ACT_PREV_STEP:
        if (step > 1)
            tui_go_stage(st, step - 1, 1);
        break;
    case TUI_ACT_NOTE_PAGE:                      /* more of the note */
        st->stepper.note_off += 1;
        break;
    case TUI_ACT_IMAGE:                                  /* an image lesson's sample as a picture */
        if (st->m.lesson->image_w)
            st->stepper.show_image = !st->stepper.show_image;
        else
            snprintf(st->message, sizeof st->message, "This lesson's inputs are no image (image = WxH)");
        break;
    case TUI_ACT_WHOLE:                                  /* the whole derivation, over the figure */
        st->stepper.full_formula = !st->stepper.full_formula;
        break;
    case TUI_ACT_HELP:
        st->screen = TUI_SCREEN_HELP;
        break;
    case TUI_ACT_TRAIN:
        st->screen = TUI_SCREEN_CURVE;
        st->play.on = 0;
        break;
    case TUI_ACT_MATRIX:                                 /* the matrix view of this stage */
        if (st->mode == TUI_MODE_QUIZ || st->quiz.present)
            snprintf(st->message, sizeof st->message, "No matrix view in a quiz: it shows every value");
        else if (st->at_epoch >= 0)
            snprintf(st->message, sizeof st->message, "The matrix view is of the lesson's own weights");
        else {
            st->screen = TUI_SCREEN_MATRIX;
            st->play.on = 0;
        }
        break;
    case TUI_ACT_QUIT:
        st->quit = 1;
        break;
    default:                                     /* how values show, another screen's, or none */
        return view_key(st, act);
    }
    return TUI_REDRAW;
}

/* ---------------------------------------------------------------- header */

static void draw_header(tui_state *st)
{
    const tr_event *ev = cur_event(st);
    const ls_lesson *L = st->m.lesson;
    char right[TUI_CODE_SIZE + 160], line[160], code[TUI_CODE_SIZE];
    /* the lesson's steps, or as far as the walk has gone (the step shown is never past it) */
    int title = tui_attr(st, TUI_A_TITLE), steps = L->steps > tr_rec_reached(st->m.rec) ? L->steps : tr_rec_reached(st->m.rec);
    attron(title);
    mvhline(0, 0, ' ', COLS);
    attroff(title);
    char sets[96] = "";
    size_t used = 0;
    for (int q = 0; q < st->edit.n; q++) {     /* the command line that shows this screen */
        int n = snprintf(sets + used, sizeof sets - used, "--set %s ", st->edit.list[q]);
        if (n < 0 || used + (size_t)n >= sizeof sets || (int)(used + (size_t)n) > COLS / 3) {
            snprintf(sets, sizeof sets, "%d edits (U undoes them) ", st->edit.n);
            break;
        }
        used += (size_t)n;
    }
    /* the step code (nntrace --at opens this screen), when it fits beside half the width */
    tui_code_make(st, code, sizeof code);
    if ((int)strlen(code) > COLS / 2 - 16)
        code[0] = '\0';
    size_t sl = strlen(sets);
    if (sl > 0 && sets[sl - 1] == ' ')
        sets[sl - 1] = '\0';
    if (st->at_epoch > 0)        /* the edits apply to that epoch's weights */
        snprintf(right, sizeof right, " weights after epoch %d%s%s: step %d of %d ", st->at_epoch,
                 sets[0] ? ", " : "", sets, ev->step, steps);
    else if (st->at_epoch == 0)
        snprintf(right, sizeof right, " weights before training%s%s: step %d of %d ", sets[0] ? ", " : "", sets,
                 ev->step, steps);
    else
        snprintf(right, sizeof right, " %s%sstep %d of %d%s%s ", sets, sets[0] ? " " : "", ev->step, steps,
                 code[0] ? tui_glyph(st, " · ", " - ") : "", code);
    int rw = (int)strlen(right);
    int n = tui_text(st, 0, 0, COLS - rw, " nntrace ", title | A_BOLD);
    n += tui_text(st, 0, n, 2, tui_glyph(st, "│ ", "| "), title);
    tui_text_safe(st, 0, n, COLS - rw - n - 1, L->title, title);
    tui_text(st, 0, COLS - rw, rw, right, title);

    long first = tui_stage_first(&st->m, ev->stage);
    long last = tui_stage_last(&st->m, ev->stage);
    snprintf(line, sizeof line, "Stage %d/6 ", ev->stage);
    n = tui_text(st, 1, 0, COLS, line, tui_attr(st, TUI_A_HEADING));
    n += tui_text(st, 1, n, COLS - n, nn_stage_title_net(&L->shape, ev->stage), tui_attr(st, TUI_A_HEADING));
    if (ev->sample > 0)
        snprintf(right, sizeof right, "  sample X%d (row %d)  value %ld/%ld", ev->sample,
                 ls_batch_row(L, ev->step, ev->sample - 1) + 1, st->m.cur - first + 1, last - first + 1);
    else
        snprintf(right, sizeof right, "  batch of %d  value %ld/%ld", L->batch_size,
                 st->m.cur - first + 1, last - first + 1);
    rw = (int)strlen(right);
    if (n + rw <= COLS)
        tui_text(st, 1, COLS - rw, rw, right, 0);
}

/* ------------------------------------------------------------ derivation */

/* A piece of rich text. */
typedef struct seg {
    char text[TR_NUM_SIZE + 48];   /* its text */
    int attr;                      /* how it is drawn */
} seg;

/* Lay segments out from column `indent` in width w, breaking at spaces;
 * draw them unless dry.  Returns lines used (at most max_lines). */
static int rich(tui_state *st, const seg *s, int n, int y, int x, int w, int first_col, int indent,
                int max_lines, int dry)
{
    int line = 0, col = first_col;
    for (int q = 0; q < n; q++) {
        const char *p = s[q].text;
        while (*p) {
            size_t len = strcspn(p + 1, " ") + 1;   /* a word, with its leading space if any */
            char word[TR_NUM_SIZE + 48];
            snprintf(word, sizeof word, "%.*s", (int)len, p);
            int ww = (int)strlen(word);
            if (col + ww > w && col > indent) {
                line++;
                if (line >= max_lines)
                    return line;
                col = indent;
                if (word[0] == ' ') {
                    memmove(word, word + 1, strlen(word));
                    ww--;
                }
            }
            if (!dry)
                tui_text(st, y + line, x + col, w - col, word, s[q].attr);
            col += ww;
            p += len;
        }
    }
    return line + 1;
}

/* Operand op of ev is a stage-4 term that stage 5 reuses. */
static int reused_term(const tui_state *st, const tr_event *ev, const nn_operand *op)
{
    return tui_reused(ev, tui_event_id(st, op->dep));
}

/* The formula as segments: names (numbers = 0) or numbers, operands lit;
 * numbers = 2 writes each number as wide as it could be at another step
 * (negative, all its digits), for measuring the rows a derivation needs. */
static int formula_segs(tui_state *st, const tr_event *ev, int numbers, seg *out, int max)
{
    int n = 0;
    const char *p = ev->formula;
    tr_piece pc;
    char run[TR_PLAIN_RUN_SIZE];
    while (n < max && tr_template_plain_next(ev->formula, &p, ev->n_ops, &pc, run, sizeof run)) {
        if (pc.op >= 0) {
            const tr_operand *op = &ev->ops[pc.op];
            char num[TR_NUM_SIZE];
            if (!numbers) {
                snprintf(out[n].text, sizeof out[n].text, "%s", op->name);
            } else {
                double v = numbers == 2 ? -fabs(op->op.value) : op->op.value;
                tui_num(st, v, op->op.dep < 0 && numbers != 2, TR_NUM_SIZE - 1, num);
                snprintf(out[n].text, sizeof out[n].text, num[0] == '-' && !pc.enclosed ? "(%s)" : "%s", num);
            }
            out[n].attr = tui_attr(st, reused_term(st, ev, &op->op) ? TUI_A_REUSED : TUI_A_DEP);
            n++;
        } else if (pc.op != TR_PIECE_BAD) {
            /* a run of text or an operator, in segments that fit a seg */
            for (size_t at = 0; at < pc.len && n < max; ) {
                size_t len = pc.len - at;
                if (len > sizeof out[n].text - 1)
                    len = sizeof out[n].text - 1;
                memcpy(out[n].text, pc.text + at, len);
                out[n].text[len] = '\0';
                out[n].attr = 0;
                at += len;
                n++;
            }
        }
    }
    return n;
}

static int any_reused(const tui_state *st, const tr_event *ev)
{
    for (int q = 0; q < ev->n_ops; q++)
        if (reused_term(st, ev, &ev->ops[q].op))
            return 1;
    return 0;
}

/* Lines the derivation of ev needs in width w (dry run: numbers as wide as
 * they could be), or draws it in h lines.  When the formula and its numbers
 * need more than h - 1 lines they are cut, marked "…" at the end of the last
 * line drawn, so the result keeps its line. */
static int derivation(tui_state *st, const tr_event *ev, long index, int y, int x, int w, int h, int dry,
                      int result)
{
    static seg segs[MAX_SEGS];
    char prefix[96], num[TR_NUM_SIZE];
    if (ev->sample > 0)
        snprintf(prefix, sizeof prefix, "X%d: %s = ", ev->sample, ev->symbol);
    else
        snprintf(prefix, sizeof prefix, "%s = ", ev->symbol);
    int indent = (int)strlen(prefix) - 2;
    if (indent > w / 3)
        indent = 4;
    int line = 0;
    int hidden = !dry && tui_visible(st) < index;
    int show_numbers = !hidden || (st->quiz.asked && st->quiz.asked[index] == QUIZ_HINTED);
    if (st->mode == TUI_MODE_PRESENT && !dry)
        show_numbers = st->present.reveal >= 1;          /* the presenter reveals the numbers, then the result */ /* mutant: presenter-numbers-hidden */
    int show_result = result && !(st->mode == TUI_MODE_PRESENT && !dry && st->present.reveal < 2);
    int budget = h, cut = 0, reserve = show_result ? 1 : 0;
    if (!dry && h > reserve) {
        int n_sym = formula_segs(st, ev, 0, segs, MAX_SEGS);
        int need = rich(st, segs, n_sym, 0, x, w, (int)strlen(prefix), indent + 2, 1000, 1);
        if (show_numbers) {
            int n_num = formula_segs(st, ev, 1, segs, MAX_SEGS);
            need += rich(st, segs, n_num, 0, x, w, indent + 2, indent + 2, 1000, 1);
        }
        if (need > h - reserve) {
            budget = h - reserve; /* mutant: derivation-result-dropped */
            cut = 1;
        }
    }
    if (!dry)
        tui_text(st, y, x, w, prefix, tui_attr(st, TUI_A_CURRENT));
    int n = formula_segs(st, ev, 0, segs, MAX_SEGS);
    line += rich(st, segs, n, y + line, x, w, (int)strlen(prefix), indent + 2, budget - line, dry);
    if (line < budget && show_numbers) {
        if (!dry)
            tui_text(st, y + line, x + indent, 2, "=", 0);
        n = formula_segs(st, ev, dry ? 2 : 1, segs, MAX_SEGS);
        line += rich(st, segs, n, y + line, x, w, indent + 2, indent + 2, budget - line, dry);
    }
    if (cut) {
        line = budget;
        mvhline(y + line - 1, x + w - 2, ' ', 2);
        tui_text(st, y + line - 1, x + w - 1, 1, tui_glyph(st, "…", "~"), tui_attr(st, TUI_A_MESSAGE));
    }
    if (line < h && show_result) {
        if (!dry) {
            tui_text(st, y + line, x + indent, 2, "=", 0);
            if (hidden) {
                char prompt[96];
                snprintf(prompt, sizeof prompt, "? your answer: %s_", st->quiz.answer);
                tui_text(st, y + line, x + indent + 2, w - indent - 2, prompt, tui_attr(st, TUI_A_CURRENT));
            } else {
                double was;
                int changed = !dry && tui_was(st, index, &was);
                int c = tui_text(st, y + line, x + indent + 2, w - indent - 2,
                                 tui_num(st, ev->value, 0, w - indent - 2, num), tui_attr(st, TUI_A_CURRENT));
                if (changed) {
                    char old[TR_NUM_SIZE + 16];
                    snprintf(old, sizeof old, " (was %s)", tui_num(st, was, 0, TR_NUM_SIZE - 1, num));
                    c += tui_text(st, y + line, x + indent + 2 + c, w - indent - 2 - c, old,
                                  tui_attr(st, TUI_A_CHANGED));
                }
                if (st->quiz.asked && st->quiz.asked[index] >= QUIZ_RIGHT && st->quiz.asked[index] != QUIZ_SKIPPED) {
                    int q = st->quiz.asked[index];
                    tui_text(st, y + line, x + indent + 3 + c, w - indent - 3 - c,
                             q == QUIZ_RIGHT ? "right" : q == QUIZ_RETRIED ? "right at the second try" : "the answer",
                             tui_attr(st, q == QUIZ_WRONG ? TUI_A_MESSAGE : TUI_A_UPDATED));
                }
            }
        }
        line++;
    }
    return line;
}

int tui_derivation(tui_state *st, int y, int x, int w, int h, int result)
{
    return derivation(st, cur_event(st), st->m.cur, y, x, w, h, 0, result);
}

/* Rows the derivation panel keeps for the whole walk: the most any value of
 * the step needs (the first few of each kind and layer are measured). */
static int derivation_rows(tui_state *st, int w)
{
    tr_recording *rec = st->m.rec;
    int most = 3, seen[NN_EV_KINDS][NN_MAX_LAYERS + 1];
    memset(seen, 0, sizeof seen);
    for (long e = 0; e < tr_rec_count(rec); e++) {
        const tr_item *it = tr_rec_item(rec, e);
        if (it->kind >= NN_EV_KINDS || it->layer > NN_MAX_LAYERS || seen[it->kind][it->layer]++ >= 3)
            continue;
        const tr_event *ev = tr_rec_at(rec, e);  /* laid out: the few measured */
        int n = derivation(st, ev, e, 0, 0, w, 100, 1, 1);
        if (n > most)
            most = n;
    }
    return most;
}

/* ------------------------------------------------------- computed from */

/* Each operand of the current value: its value and where it came from. */
static void draw_sources(tui_state *st, int y, int x, int w, int h)
{
    const tr_event *ev = cur_event(st);
    char line[160], num[TR_NUM_SIZE];
    tui_hline(st, y, x, w, "Computed from");
    int name_w = 4, vw = st->look.sig ? st->look.sig + 8 : st->look.digits + 4;
    for (int q = 0; q < ev->n_ops; q++)
        if ((int)strlen(ev->ops[q].name) > name_w)
            name_w = (int)strlen(ev->ops[q].name);
    if (name_w > w / 2)
        name_w = w / 2;
    for (int q = 0; q < ev->n_ops && q < h - 1; q++) {
        const nn_operand *op = &ev->ops[q].op;
        int yy = y + 1 + q;
        if (q == h - 2 && ev->n_ops > h - 1) {
            snprintf(line, sizeof line, "  ... and %d more", ev->n_ops - q);
            tui_text(st, yy, x, w, line, tui_attr(st, TUI_A_DIM));
            break;
        }
        const tr_event *src = tui_event_id(st, op->dep);
        int reused = reused_term(st, ev, op);
        if (!src) {
            if (op->kind == NN_OP_WEIGHT && ev->step > 1)
                snprintf(line, sizeof line, "after step %d", ev->step - 1);
            else
                snprintf(line, sizeof line, "%s", op->kind == NN_OP_WEIGHT ? "given weight" :
                         op->kind == NN_OP_BIAS_INPUT ? "bias input" :
                         op->kind == NN_OP_LEARNING_RATE ? "learning rate" :
                         op->kind == NN_OP_TARGET ? "target" : "input");
        } else {
            int n = snprintf(line, sizeof line, "stage %d", src->stage);
            if (reused)
                snprintf(line + n, sizeof line - (size_t)n, ", reused");
        }
        int attr = tui_attr(st, reused ? TUI_A_REUSED : TUI_A_DEP);
        tui_text(st, yy, x + 1, name_w, ev->ops[q].name, attr);
        tui_num(st, op->value, op->dep < 0, vw, num);
        tui_text(st, yy, x + 2 + name_w + vw - tui_cols(num), tui_cols(num), num, 0);
        tui_text(st, yy, x + 4 + name_w + vw, w - (4 + name_w + vw), line, tui_attr(st, TUI_A_DIM));
    }
}

/* ---------------------------------------------------------------- so far */

/* Whether engine id `id` is among deps (the current value's, tr_rec_deps). */
static int is_dep(const long *deps, int n_deps, long id)
{
    for (int d = 0; d < n_deps; d++)
        if (deps[d] == id)
            return 1;
    return 0;
}

/* The stage's values up to the current one, in cells that never move: a
 * page of them at a time, the page holding the current value. */
static void draw_so_far(tui_state *st, int y, int x, int w, int h)
{
    const tr_event *ev = cur_event(st);
    const nn_net *sh = &st->m.lesson->shape;
    char title[64], label[96], num[TR_NUM_SIZE];
    snprintf(title, sizeof title, "Stage %d so far", ev->stage);
    tui_hline(st, y, x, w, title);
    if (h < 2)
        return;
    /* cell: "X1 dE_total/dout_h1_3 0.123456", sized for the longest symbol of the network */
    int lw = 0, vw = st->look.sig ? st->look.sig + 8 : st->look.digits + 4;
    for (int l = 1; l <= sh->n_layers; l++)
        for (int k = 0; k < NN_EV_KINDS; k++) {
            char sym[NN_SYMBOL_SIZE];
            nn_symbol(sh, k, l, sh->size[l], sh->n_weights, sym, sizeof sym);
            if ((int)strlen(sym) > lw)
                lw = (int)strlen(sym);
        }
    lw += 2 + (st->m.lesson->batch_size >= 10 ? 2 : 1);      /* "X1 " */
    if (vw < 9)
        vw = 9;
    int cw = 1 + lw + 1 + vw, per_row = (w + 1) / (cw + 1);
    if (per_row < 1)
        per_row = 1;
    if (cw > w)
        cw = w;
    int n_deps;
    const long *deps = tr_rec_deps(st->m.rec, st->m.cur, &n_deps);   /* none lit when out of memory */
    long first = tui_stage_first(&st->m, ev->stage), cap = (long)per_row * (h - 1);
    long page = (st->m.cur - first) / cap, from = first + page * cap;
    if (page > 0)
        tui_text(st, y, x + w - 14, 13, tui_glyph(st, " ↑ more above", " ^ more above"), tui_attr(st, TUI_A_DIM));
    for (long e = from; e <= st->m.cur && e < from + cap; e++) {
        const tr_event *t = tui_event_named(st, e);
        long q = e - from;
        int ey = y + 1 + (int)(q / per_row), ex = x + (int)(q % per_row) * (cw + 1);
        if (t->sample > 0)
            snprintf(label, sizeof label, "X%d %s", t->sample, t->symbol);
        else
            snprintf(label, sizeof label, "%s", t->symbol);
        int attr = e == st->m.cur ? tui_attr(st, TUI_A_CURRENT) : 0;
        if (e != st->m.cur && is_dep(deps, n_deps, t->id))
            attr = tui_attr(st, tui_reused(ev, t) ? TUI_A_REUSED : TUI_A_DEP);
        double was;
        int changed = tui_was(st, e, &was);
        const char *mark = e == st->m.cur ? tui_glyph(st, "▸", ">") : changed ? tui_glyph(st, "≠", "*") : " ";
        unsigned char mk = st->edit.marks && e < st->edit.n_marks ? st->edit.marks[e] : 0;
        if (st->edit.predict == 1 && (mk & TUI_MARK_PREDICTED))
            mark = "?";                                         /* marked: will change */
        else if (st->edit.predict == 2 && (mk & TUI_MARK_PREDICTED))
            mark = mk & TUI_MARK_CHANGED ? tui_glyph(st, "✓", "+") : tui_glyph(st, "✗", "x");  /* hit, false alarm */
        else if (st->edit.predict == 2 && (mk & TUI_MARK_CHANGED))
            mark = "!";                                         /* missed */
        tui_text(st, ey, ex, 1, mark, changed && e != st->m.cur ? tui_attr(st, TUI_A_CHANGED) : attr);
        tui_text(st, ey, ex + 1, lw, label, attr);
        tui_hit(st, ey, ex + 1, lw, e);
        if (e <= tui_visible(st))
            tui_num(st, t->value, 0, vw, num);
        else
            snprintf(num, sizeof num, "?");
        tui_text(st, ey, ex + cw - tui_cols(num), tui_cols(num), num,
                 changed && !attr ? tui_attr(st, TUI_A_CHANGED) : attr);
    }
}

/* ------------------------------------------------------------------ note */

#define NOTE_PAGES 32   /* pages a note is cut into at most */

/* Where each page of a note starts (byte offsets into note), pages of at most
 * rows lines of width w broken between sentences (". "), a sentence longer
 * than a page between lines; the number of pages. */
static int note_pages(tui_state *st, const char *note, int w, int rows, size_t *start)
{
    size_t len = strlen(note), at = 0;
    int n = 0;
    char *page = malloc(len + 1);                /* a page is at most the whole note */
    if (!page)
        return 1;
    while (at < len && n < NOTE_PAGES) {
        start[n++] = at;
        size_t end = at, fit = at;
        while (end < len) {                      /* add sentences while they fit */
            const char *dot = strstr(note + end, ". ");
            size_t next = dot ? (size_t)(dot - note) + 2 : len;
            snprintf(page, len + 1, "%.*s", (int)(next - at), note + at);
            if (tui_wrap_from(st, 0, 0, w, 0, 0, page, 0) > rows)
                break;
            fit = end = next;
        }
        if (fit == at) {                         /* one sentence longer than a page: its lines */
            snprintf(page, len + 1, "%s", note + at);
            size_t cut = at;
            for (const char *sp = strchr(note + at, ' '); sp; sp = strchr(sp + 1, ' ')) {
                snprintf(page, len + 1, "%.*s", (int)((size_t)(sp - note) - at), note + at);
                if (tui_wrap_from(st, 0, 0, w, 0, 0, page, 0) > rows)
                    break;
                cut = (size_t)(sp - note) + 1;
            }
            fit = cut > at ? cut : len;
        }
        at = fit;
        while (at < len && note[at] == ' ')
            at++;
    }
    free(page);
    return n > 0 ? n : 1;
}

/* The stage's note in h - 1 lines under its rule, whole sentences to a page; v shows the next page. */
static void draw_note(tui_state *st, int y, int x, int w, int h)
{
    char title[64];
    size_t start[NOTE_PAGES] = { 0 };
    char *note = st->m.lesson->notes[cur_event(st)->stage - 1] ? tui_note_dup(st, cur_event(st)->stage) : NULL;
    if (!note) {                                 /* none (or no memory for it) */
        tui_hline(st, y, x, w, "Note");
        return;
    }
    int rows = h - 1 > 0 ? h - 1 : 1;
    if (st->stepper.note_stage != cur_event(st)->stage) {
        st->stepper.note_stage = cur_event(st)->stage;
        st->stepper.note_off = 0;
    }
    int pages = note_pages(st, note, w, rows, start);
    if (st->stepper.note_off >= pages)
        st->stepper.note_off = 0;
    if (pages > 1 && st->stepper.note_off + 1 < pages)
        snprintf(title, sizeof title, "Note %d/%d (v: more)", st->stepper.note_off + 1, pages);
    else if (pages > 1)
        snprintf(title, sizeof title, "Note %d/%d (v: from the start)", pages, pages);
    else
        snprintf(title, sizeof title, "Note");
    tui_hline(st, y, x, w, title);
    size_t from = start[st->stepper.note_off], to = st->stepper.note_off + 1 < pages ? start[st->stepper.note_off + 1] : strlen(note);
    note[to] = '\0';                            /* the page: from .. to */
    tui_wrap_from(st, y + 1, x, w, rows, 0, note + from, 0);
    free(note);
}

/* ------------------------------------------------------------------ keys */

static void draw_keys(tui_state *st)
{
    int y = LINES - 1, n = 0;
    char net[400] = "";
    const tui_follow *f = &st->follow;
    if (f->serving)
        snprintf(net, sizeof net, "serving %.100s: %d following", f->where, f->n_followers);
    else if (f->host[0] && f->status[0])
        snprintf(net, sizeof net, "%.150s", f->status);
    else if (f->host[0])
        snprintf(net, sizeof net, f->following ? "following %.100s" : "on your own (f follows %.100s again)",
                 f->where);
    if (net[0])
        n = tui_text(st, y, 0, COLS, net, tui_attr(st, TUI_A_MESSAGE) | A_BOLD) + 2;
    if (st->message[0] && n < COLS)
        n += tui_text(st, y, n, COLS - n, st->message, tui_attr(st, TUI_A_MESSAGE)) + 2;
    char hint[256], keys[320];                   /* from the key table */
    if (st->mode != TUI_MODE_QUIZ)
        tui_keys_hint(TUI_HINT_STEP, st->look.unicode, keys, sizeof keys);
    else if (tui_visible(st) < st->m.cur)       /* typing: Enter answers, the keys that still move */
        snprintf(keys, sizeof keys, "type a number, Enter to answer  Backspace erase  %s",
                 tui_keys_hint(TUI_HINT_ANSWERING, st->look.unicode, hint, sizeof hint)); /* mutant: quiz-typing-line-literal */
    else
        tui_keys_hint(TUI_HINT_QUIZ, st->look.unicode, keys, sizeof keys);
    if (n < COLS)
        tui_text(st, y, n, COLS - n, keys, tui_attr(st, TUI_A_DIM));
}

/* ---------------------------------------------------------------- layout */

/* The panels' rows, fixed for a lesson at a terminal size (recomputed when
 * either changes): the figure first, then the derivation (at least 3 rows;
 * f shows a longer one whole), the note, and what is left for the values so far. */
static void plan(tui_state *st, int main_w)
{
    if (st->stepper.lay.cols == COLS && st->stepper.lay.rows == LINES && st->stepper.lay.lesson == st->m.lesson)
        return;
    int any_note = 0;
    for (int t = 0; t < 6; t++)
        any_note |= st->m.lesson->notes[t] != NULL;
    int avail = LINES - 3;                       /* rows 2 .. LINES-2 */
    st->stepper.lay.cols = COLS;
    st->stepper.lay.rows = LINES;
    st->stepper.lay.lesson = st->m.lesson;
    st->stepper.lay.pic_w = -1;                          /* the picture's width: measured at the next draw */
    st->stepper.lay.note_h = any_note ? (LINES >= 36 ? 5 : LINES >= 28 ? 4 : 3) : 0;
    int room = avail - st->stepper.lay.note_h - 1;       /* the figure, the derivation (its rule apart), so far */
    int need = tui_fig_rows(st), deriv = derivation_rows(st, main_w);
    st->stepper.lay.fig_h = need < room - 3 ? need : room - 3;
    if (st->stepper.lay.fig_h < 3)
        st->stepper.lay.fig_h = 3;
    st->stepper.lay.deriv_h = deriv < room - st->stepper.lay.fig_h ? deriv : room - st->stepper.lay.fig_h;
    if (st->stepper.lay.deriv_h < 3)
        st->stepper.lay.deriv_h = 3;
}

/* i: the current sample of an image lesson as a picture in a box at the
 * figure's left (where its inputs are), with its label and the network's
 * answer (the largest output, once the stepper has reached the outputs).
 * Each cell is one pixel wide and two high, or two cells a pixel for a
 * small image, or more pixels a cell when it does not fit.  Where the
 * terminal has 256 colours the cell is an upper half block in two greys
 * (its upper pixels' and its lower pixels'); elsewhere a shade character
 * gives the mean of both.  Greys and shades run from black (blank) to
 * white (full), scaled to the picture's own range. */
static int draw_image(tui_state *st, int sample, int y, int x, int w, int h, int dry)
{
    const ls_lesson *L = st->m.lesson;
    const tr_event *ev = cur_event(st);
    int W = L->image_w, H = L->image_h, O = nn_n_outputs(&L->shape);
    int s = sample >= 1 && sample <= L->batch_size ? sample : 1;   /* the figure's sample */
    int row = ls_batch_row(L, ev->step, s - 1);
    double lo, hi;
    const double *px = ls_image_row(L, row, &lo, &hi);   /* as the data has them */
    int fy = 2, fx = 1;                      /* pixels per cell, down and across */
    if (W <= 16 && H <= h - 2) {
        fy = 1;
        fx = 0;                              /* two cells a pixel */
    }
    while (fy > 0 && (H + fy - 1) / fy > h - 2) {
        fy *= 2;
        fx *= 2;
    }
    while (fx > 0 && (W + fx - 1) / fx + 2 > w) {   /* and to the width it is given */
        fy *= 2;
        fx *= 2;
    }
    int cols = fx ? (W + fx - 1) / fx : 2 * W, rows = (H + fy - 1) / fy;
    char title[96], answer[32] = "?";
    long best = -1;
    double top = 0;
    for (int k = 0; k < O; k++) {
        long at = tui_model_slot(&st->m, s, TUI_OUT, L->shape.n_layers, k + 1);
        if (at < 0 || at > tui_visible(st))
            break;
        double v = tui_event_head(st, at)->value;
        if (best < 0 || v > top) { /* mutant: image-answer-smallest */
            best = k;
            top = v;
        }
        if (k == O - 1)
            snprintf(answer, sizeof answer, "%ld", best);
    }
    /* measuring (dry): the widest title any sample gives, so that the figure beside it never moves */
    int ts = dry ? L->batch_size : s, tl = L->label ? (dry ? (O > 1 ? O - 1 : 0) : L->label[row]) : 0; /* mutant: picture-width-per-sample */
    if (dry)
        snprintf(answer, sizeof answer, "%d", O > 1 ? O - 1 : 0);
    if (L->label)
        snprintf(title, sizeof title, "X%d: label %d, answer %s", ts, tl, answer);
    else
        snprintf(title, sizeof title, "X%d (row %d)", ts, dry ? L->n_rows : row + 1);
    if ((int)strlen(title) + 4 > w && L->label)          /* narrow: the same, shorter */
        snprintf(title, sizeof title, "X%d label %d: %s", ts, tl, answer);
    int bw = cols + 2 > (int)strlen(title) + 4 ? cols + 2 : (int)strlen(title) + 4;
    if (bw > w || rows + 1 > h)
        return 0;
    if (dry)
        return bw;
    static const char *const shade_u[5] = { " ", "░", "▒", "▓", "█" };
    int grey = st->look.unicode && st->look.greys;
    static const char *const shade_a[10] = { " ", ".", ":", "-", "=", "+", "*", "#", "%", "@" };
    int levels = st->look.unicode ? 5 : 10;
    for (int r = 0; r <= rows; r++)
        mvhline(y + r, x, ' ', bw);
    tui_hline(st, y, x, bw, title);
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++) {
            int x0 = fx ? c * fx : c / 2, x1 = fx ? x0 + fx : x0 + 1, y0 = r * fy;
            int ymid = fy > 1 ? y0 + fy / 2 : y0 + 1;          /* the cell's upper pixels: y0 .. ymid-1 */
            double half[2] = { 0, 0 };                          /* the upper and lower pixels' sums */
            int n[2] = { 0, 0 };
            for (int py = y0; py < y0 + fy && py < H; py++)
                for (int qx = x0; qx < x1 && qx < W; qx++) {
                    int lower = fy > 1 && py >= ymid;
                    half[lower] += px[py * W + qx];
                    n[lower]++;
                }
            if (fy == 1) {                                      /* one pixel row: both halves */
                half[1] = half[0];
                n[1] = n[0];
            }
            double f[2];
            for (int q = 0; q < 2; q++)
                f[q] = n[q] && hi > lo ? (half[q] / n[q] - lo) / (hi - lo) : 0;
            if (grey) {
                int t = (int)(f[0] * (TUI_GREYS - 1) + 0.5), b = (int)(f[1] * (TUI_GREYS - 1) + 0.5);
                tui_text(st, y + 1 + r, x + 1 + c, 1, "▀", tui_grey(st, t, b)); /* mutant: picture-grey-halves-swapped */
                continue;
            }
            double mean = n[0] + n[1] ? (f[0] * n[0] + f[1] * n[1]) / (n[0] + n[1]) : 0;
            int lv = (int)(mean * (levels - 1) + 0.5);
            tui_text(st, y + 1 + r, x + 1 + c, 1, st->look.unicode ? shade_u[lv] : shade_a[lv], 0);
        }
    return bw;
}

/* f: the whole derivation in a box over the figure, for a value longer than its panel. */
static void draw_full_derivation(tui_state *st, int y, int w, int h)
{
    for (int r = 0; r < h; r++)
        mvhline(y + r, 0, ' ', w);
    tui_hline(st, y, 0, w, "The whole derivation (f closes)");
    derivation(st, cur_event(st), st->m.cur, y + 1, 0, w, h - 1, 0, 1);
}

void step_draw(tui_state *st)
{
    tui_lit lit;
    st->hits.n = 0;
    int wide = COLS >= WIDE_COLS, side_w = wide ? SIDE_W : 0;
    int main_w = COLS - side_w - (wide ? 1 : 0);
    plan(st, main_w);
    draw_header(st);
    draw_keys(st);
    if (tui_lit_init(st, &lit) != 0) {
        tui_lit_free(&lit);
        return;
    }
    int y = 2, pic = 0;
    /* i: the sample as a picture at the figure's left, and the figure beside it (never over it) */
    if (st->stepper.show_image && st->m.lesson->image_w) {
        if (st->stepper.lay.pic_w < 0) {
            /* once per layout: the largest picture (half the width down to a quarter) that
             * leaves every line its labels, and the columns it takes whatever the sample */
            st->stepper.lay.pic_w = main_w / 4;
            for (int d = 2; d <= 4; d++) {
                int bw = draw_image(st, lit.sample, y, 0, main_w / d, st->stepper.lay.fig_h, 1);
                if (bw > 0) {
                    tui_fig_plan(st, y, bw + 1, main_w - bw - 1, st->stepper.lay.fig_h);
                    if (st->fig.wv > 0 && st->fig.src) {
                        st->stepper.lay.pic_w = main_w / d;
                        break;
                    }
                }
            }
            st->stepper.lay.pic_bw = draw_image(st, lit.sample, y, 0, st->stepper.lay.pic_w, st->stepper.lay.fig_h, 1);
        }
        if (draw_image(st, lit.sample, y, 0, st->stepper.lay.pic_w, st->stepper.lay.fig_h, 0) > 0)
            pic = st->stepper.lay.pic_bw; /* mutant: picture-width-per-sample */
    }
    tui_fig_plan(st, y, pic ? pic + 1 : 0, main_w - (pic ? pic + 1 : 0), st->stepper.lay.fig_h); /* mutant: picture-over-figure */
    tui_fig_draw(st, &lit);
    y += st->stepper.lay.fig_h;
    int bottom = LINES - 1 - st->stepper.lay.note_h;     /* the note's rule */
    const tr_event *ev = cur_event(st);
    tui_hline(st, y, 0, main_w, any_reused(st, ev) ? "Formula, numbers, result: stage 4's terms reused"
                                                   : "Formula, then numbers, then result");
    int lines = derivation(st, ev, st->m.cur, y + 1, 0, main_w, st->stepper.lay.deriv_h, 0, 1);
    if (lines >= st->stepper.lay.deriv_h && derivation(st, ev, st->m.cur, 0, 0, main_w, 1000, 1, 1) > st->stepper.lay.deriv_h) {
        const char *more = tui_glyph(st, " … f: all ", " ... f: all ");
        int mw = st->look.unicode ? 10 : 12;
        tui_text(st, y, main_w - mw - 1, mw, more, tui_attr(st, TUI_A_MESSAGE));
    }
    y += 1 + st->stepper.lay.deriv_h;
    if (wide && bottom - y >= 4) {               /* room under the derivation: the list there */
        draw_sources(st, 2, main_w + 1, side_w, bottom - 2);
        draw_so_far(st, y, 0, main_w, bottom - y);
    } else if (wide) {
        int src_h = (LINES - 3 - st->stepper.lay.note_h) / 3;
        draw_sources(st, 2, main_w + 1, side_w, src_h);
        draw_so_far(st, 2 + src_h, main_w + 1, side_w, bottom - 2 - src_h);
    } else if (bottom - y >= 2) {
        draw_so_far(st, y, 0, main_w, bottom - y);
    }
    if (st->stepper.lay.note_h > 0)
        draw_note(st, bottom, 0, COLS, st->stepper.lay.note_h);
    if (st->stepper.full_formula)
        draw_full_derivation(st, 2, main_w, bottom - 2);
    tui_lit_free(&lit);
}
