/*
 * screen_step.c - the stepper screen: where we are, the network with the
 * values known at this point of the walk, the current value's formula
 * (symbolic, substituted, result), the stage's values so far, the note.
 * It reads the recording only; every number shown is an event's value.
 */
#include "tui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TABLE_W      34     /* width of the side table on wide screens */
#define WIDE_COLS    110    /* from this width the table sits beside the rest */
#define MAX_SEGS     512    /* pieces of one rich-text formula */

static const int digit_steps[] = { 2, 3, 4, 6, 8, 10, 12 };
static const int delays[] = { 3000, 2000, 1000, 500, 250, 100 };

static const tr_event *cur_event(const tui_state *st)
{
    return tui_model_current(&st->m);
}

int step_key(tui_state *st, int key)
{
    /* copies: a key that moves to another step frees the event they come from */
    const int step = cur_event(st)->step, stage = cur_event(st)->stage;
    switch (key) {
    case KEY_RIGHT: case 'l': case 'n': case '\n': case '\r': case KEY_ENTER:
        tui_next(st);
        break;
    case KEY_LEFT: case 'h': case 'p': case KEY_BACKSPACE:
        tui_go(st, st->m.cur - 1);
        break;
    case KEY_DOWN: case 'j': case KEY_NPAGE:
        tui_go_stage(st, step, stage + 1);
        break;
    case KEY_UP: case 'k': case KEY_PPAGE:
        tui_go_stage(st, step, stage - 1);
        break;
    case '1': case '2': case '3': case '4': case '5': case '6': {
        /* the stage completed: its result, with all its values in the table */
        long e = tui_stage_last(&st->m, key - '0');
        if (e >= 0)
            tui_go(st, e);
        break;
    }
    case 'g': case KEY_HOME:
        tui_go(st, 0);
        break;
    case 'G': case KEY_END:
        tui_go(st, st->m.rec->n_events - 1);
        break;
    case ']':
        tui_go_stage(st, step + 1, stage);
        break;
    case '[':
        if (step > 1)
            tui_go_stage(st, step - 1, stage);
        break;
    case ' ':
        st->playing = !st->playing;
        snprintf(st->message, sizeof st->message, st->playing ? "Playing: %.2g s a value (+/- speed)" : "Paused",
                 st->delay_ms / 1000.0);
        break;
    case '+': case '=': case '-': {
        int n = (int)(sizeof delays / sizeof delays[0]), q = 0;
        while (q < n - 1 && delays[q] > st->delay_ms)
            q++;
        q += key == '-' ? -1 : 1;
        q = q < 0 ? 0 : q >= n ? n - 1 : q;
        st->delay_ms = delays[q];
        snprintf(st->message, sizeof st->message, "%.2g s a value", st->delay_ms / 1000.0);
        break;
    }
    case 'd': {
        int n = (int)(sizeof digit_steps / sizeof digit_steps[0]), q = 0;
        while (q < n && digit_steps[q] <= st->digits)
            q++;
        st->digits = digit_steps[q % n];
        snprintf(st->message, sizeof st->message, "%d digits after the decimal point", st->digits);
        break;
    }
    case '?':
        st->screen = TUI_SCREEN_HELP;
        break;
    case 't':
        st->screen = TUI_SCREEN_CURVE;
        st->playing = 0;
        break;
    case 'q': case 'Q':
        st->quit = 1;
        break;
    default:
        return 0;
    }
    return 1;
}

/* ------------------------------------------------------- values at cursor */

/* The value of (sample, kind, layer, unit) in the current step if shown by now. */
static int known(const tui_state *st, int sample, int kind, int layer, int unit, double *v)
{
    long e = tui_model_slot(&st->m, sample, kind, layer, unit);
    if (e < 0 || e > tui_visible(st))
        return 0;
    if (v)
        *v = tui_event(st, e)->value;
    return 1;
}

/* A weight's value at the cursor; *updated when stage 6 of this step set it. */
static double weight_now(const tui_state *st, int m, int *updated)
{
    double v;
    *updated = known(st, 0, TUI_W, 0, m, &v);
    return *updated ? v : st->m.rec->w_start[m];
}

/* What the current value involves, for highlighting: per layer and unit
 * 0 none, 1 an operand, 2 the current value. */
typedef struct focus {
    int sample;                       /* sample whose values the network shows (1-based) */
    char *mark[NN_MAX_LAYERS + 1];    /* per layer 0..L, per unit */
    int want[NN_MAX_LAYERS + 1];      /* per layer, a unit to keep in view, -1 if none */
    int bias[NN_MAX_LAYERS + 1];      /* the bias input into layer l is used */
    char *w;                          /* per weight */
} focus;

static void mark(focus *f, int layer, int unit, char how)
{
    if (f->mark[layer][unit] < how)
        f->mark[layer][unit] = how;
    if (f->want[layer] < 0 || how == 2)
        f->want[layer] = unit;
}

/* The ends of weight m marked as operands. */
static void mark_weight(const nn_net *sh, focus *f, int m, char how)
{
    int fl, fu, tl, tu;
    if (f->w[m] < how)
        f->w[m] = how;
    nn_w_units(sh, m, &fl, &fu, &tl, &tu);
    mark(f, tl, tu, 1);
    if (fu < 0)
        f->bias[tl] = 1;
    else
        mark(f, fl, fu, 1);
}

/* An operand of the current value marked, from its typed fields. */
static void mark_operand(const tui_state *st, focus *f, const nn_operand *op)
{
    const nn_net *sh = &st->m.lesson->shape;
    switch (op->kind) {
    case NN_OP_INPUT:
        mark(f, 0, op->unit - 1, 1);
        break;
    case NN_OP_TARGET:
        mark(f, sh->n_layers, op->unit - 1, 1);
        break;
    case NN_OP_BIAS_INPUT:
        f->bias[op->layer] = 1;
        break;
    case NN_OP_WEIGHT:
        mark_weight(sh, f, op->weight - 1, 1);
        break;
    case NN_OP_VALUE:
        if (op->weight > 0)
            mark_weight(sh, f, op->weight - 1, 1);      /* a gradient */
        else if (op->unit > 0)
            mark(f, op->layer, op->unit - 1, 1);        /* a neuron's value */
        break;
    default:
        break;
    }
}

static void focus_free(focus *f)
{
    for (int l = 0; l <= NN_MAX_LAYERS; l++)
        free(f->mark[l]);
    free(f->w);
}

static int focus_init(const tui_state *st, focus *f)
{
    const ls_lesson *L = st->m.lesson;
    const nn_net *sh = &L->shape;
    const tr_event *ev = cur_event(st);
    memset(f, 0, sizeof *f);
    for (int l = 0; l <= sh->n_layers; l++) {
        f->want[l] = -1;
        if (!(f->mark[l] = calloc((size_t)sh->size[l], 1)))
            return -1;
    }
    if (!(f->w = calloc((size_t)sh->n_weights, 1)))
        return -1;
    f->sample = ev->sample > 0 ? ev->sample : L->batch_size;
    const tui_info *info = &st->m.info[st->m.cur];
    if (info->kind <= TUI_DNET && info->layer >= 1)
        mark(f, info->layer, info->unit, 2);
    else if (info->kind == TUI_E_TOTAL || info->kind == TUI_E_FINAL)
        for (int k = 0; k < nn_n_outputs(sh); k++)
            mark(f, sh->n_layers, k, 2);
    else if ((info->kind == TUI_DW || info->kind == TUI_W) && info->unit < sh->n_weights)
        mark_weight(sh, f, info->unit, 2);
    for (int q = 0; q < ev->n_ops; q++)
        mark_operand(st, f, &ev->ops[q].op);
    return 0;
}

/* ---------------------------------------------------------------- header */

static void draw_header(tui_state *st)
{
    const tr_event *ev = cur_event(st);
    const ls_lesson *L = st->m.lesson;
    char right[96], line[160];
    /* the lesson's steps, or as far as the walk has gone (the step shown is never past it) */
    int title = tui_attr(st, TUI_A_TITLE), steps = L->steps > st->m.rec->reached ? L->steps : st->m.rec->reached;
    attron(title);
    mvhline(0, 0, ' ', COLS);
    attroff(title);
    if (st->at_epoch >= 0)
        snprintf(right, sizeof right, " from epoch %d: step %d of %d ", st->at_epoch, ev->step, steps);
    else
        snprintf(right, sizeof right, " step %d of %d ", ev->step, steps);
    int rw = (int)strlen(right);
    int n = tui_text(st, 0, 0, COLS - rw, " nntrace ", title | A_BOLD);
    n += tui_text(st, 0, n, 2, tui_glyph(st, "│ ", "| "), title);
    tui_text_safe(st, 0, n, COLS - rw - n - 1, L->title, title);
    tui_text(st, 0, COLS - rw, rw, right, title);

    long first = tui_stage_first(&st->m, ev->stage);
    long last = tui_stage_last(&st->m, ev->stage);
    snprintf(line, sizeof line, "Stage %d/6 ", ev->stage);
    n = tui_text(st, 1, 0, COLS, line, A_BOLD);
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

/* --------------------------------------------------------------- network */

/* First shown index of count items in `rows` rows so that `want` is visible. */
static int window_start(int count, int rows, int want)
{
    if (count <= rows || want < 0)
        return 0;
    int start = want - rows / 2;
    if (start < 0) start = 0;
    if (start > count - rows) start = count - rows;
    return start;
}

static int node_attr(const tui_state *st, char how)
{
    return how == 2 ? tui_attr(st, TUI_A_CURRENT) : how == 1 ? tui_attr(st, TUI_A_DEP) : (int)A_BOLD;
}

/* Width of the longest unit name of the network. */
static int name_width(const nn_net *sh)
{
    char buf[32];
    int w = 0;
    for (int l = 0; l <= sh->n_layers; l++) {
        nn_unit_name(sh, l, sh->size[l] - 1, buf, sizeof buf);
        if ((int)strlen(buf) > w)
            w = (int)strlen(buf);
    }
    return w;
}

/* Width of one weight entry "w12 h2→o2 0.099889", and of its name and ends. */
static int weight_entry(const tui_state *st, int *name_w, int *ends_w)
{
    char buf[64];
    *name_w = snprintf(buf, sizeof buf, "w%d", ls_n_weights(st->m.lesson));
    *ends_w = 2 * name_width(&st->m.lesson->shape) + (st->unicode ? 1 : 2);
    return *name_w + 1 + *ends_w + 1 + st->digits + 4;
}

/* Rows the whole network would take in width w. */
static int network_rows(const tui_state *st, int w)
{
    const nn_net *sh = &st->m.lesson->shape;
    int rows = 0, name_w, ends_w;
    for (int l = 0; l <= sh->n_layers; l++)
        if (sh->size[l] > rows)
            rows = sh->size[l];
    int per_row = (w + 2) / (weight_entry(st, &name_w, &ends_w) + 2);
    if (per_row < 1)
        per_row = 1;
    return 2 + rows + 1 + (sh->n_weights + per_row - 1) / per_row;
}

/* A given number without padding zeros, in exponent form when wider than w. */
static char *fit_short(double v, int digits, int w, char num[TR_NUM_SIZE])
{
    tr_fmt_short(v, digits, num);
    return (int)strlen(num) > w ? tr_fmt_fit(v, digits, w, num) : num;
}

/* One neuron: name, then net and out (or only out when narrow), '?' when not yet computed. */
static void draw_neuron(tui_state *st, int y, int x, int nw, int l, int j, char how, int sample, int both)
{
    char name[32], num[TR_NUM_SIZE];
    double v;
    int vw = st->digits + 4, col = x + nw + 1;
    nn_unit_name(&st->m.lesson->shape, l, j, name, sizeof name);
    tui_text(st, y, x, nw, name, node_attr(st, how));
    if (both) {
        if (known(st, sample, TUI_NET, l, j, &v))
            tui_text(st, y, col, vw, tr_fmt_fit(v, st->digits, vw, num), 0);
        else
            tui_text(st, y, col + vw - 1, 1, "?", tui_attr(st, TUI_A_DIM));
        col += vw + 1;
    }
    if (known(st, sample, TUI_OUT, l, j, &v))
        tui_text(st, y, col, vw, tr_fmt_fit(v, st->digits, vw, num), 0);
    else
        tui_text(st, y, col + vw - 1, 1, "?", tui_attr(st, TUI_A_DIM));
}

static void draw_network(tui_state *st, const focus *f, int y, int x, int w, int h)
{
    const ls_lesson *L = st->m.lesson;
    const nn_net *sh = &L->shape;
    int Ln = sh->n_layers, W = sh->n_weights;
    char title[96], buf[96], num[TR_NUM_SIZE];
    int vw = st->digits + 4, nw = name_width(sh);
    int n = snprintf(title, sizeof title, "Network ");
    for (int l = 0; l <= Ln; l++)
        n += snprintf(title + n, sizeof title - (size_t)n, l ? "-%d" : "%d", sh->size[l]);
    snprintf(title + n, sizeof title - (size_t)n, ", values of X%d", f->sample);
    tui_hline(st, y, x, w, title);
    if (h < 3)
        return;
    /* columns: the input, then every layer; net and out when they fit */
    int in_w = nw + 1 + vw, both = 1, layer_w = nw + 1 + 2 * vw + 1;
    if (in_w + Ln * (layer_w + 3) > w) {
        both = 0;
        layer_w = nw + 1 + vw;
    }
    int col_x[NN_MAX_LAYERS + 1];
    col_x[0] = x;
    for (int l = 1; l <= Ln; l++)
        col_x[l] = col_x[l - 1] + (l == 1 ? in_w : layer_w) + 3;
    int most = 0;
    for (int l = 0; l <= Ln; l++)
        if (sh->size[l] > most)
            most = sh->size[l];
    int avail = h - 2;
    int rows = most + 1 <= avail - 1 ? most : avail - 2;   /* keep a bias row and a weights row */
    if (rows < 1)
        rows = 1;
    const char *arrow = st->unicode ? " →" : "->";
    for (int l = 0; l <= Ln; l++) {
        int start = window_start(sh->size[l], rows, f->want[l]);
        int cw = l == 0 ? in_w : layer_w;
        if (col_x[l] - x + cw > w)
            break;                       /* no room for this layer */
        const char *what = l == 0 ? "input" : l == Ln ? "output" : "hidden";
        if (sh->size[l] > rows)
            snprintf(buf, sizeof buf, "%s %d-%d/%d", what, start + 1, start + rows, sh->size[l]);
        else if (l > 0 && Ln > 2 && l < Ln)
            snprintf(buf, sizeof buf, "hidden %d%s", l, both ? "  net, out" : "");
        else
            snprintf(buf, sizeof buf, "%s%s", what, l > 0 ? (both ? "  net, out" : "  out") : "");
        tui_text(st, y + 1, col_x[l], cw, buf, tui_attr(st, TUI_A_DIM));
        for (int r = 0; r < rows && start + r < sh->size[l]; r++) {
            int j = start + r, yy = y + 2 + r;
            if (l == 0) {
                nn_unit_name(sh, 0, j, buf, sizeof buf);
                tui_text(st, yy, x, nw, buf, node_attr(st, f->mark[0][j]));
                int row = ls_batch_row(L, cur_event(st)->step, f->sample - 1);
                tui_text(st, yy, x + nw + 1, vw, fit_short(L->x[(size_t)row * sh->size[0] + j], st->digits, vw, num), 0);
            } else {
                tui_text(st, yy, col_x[l] - 3, 2, arrow, tui_attr(st, TUI_A_DIM));
                draw_neuron(st, yy, col_x[l], nw, l, j, f->mark[l][j], f->sample, both);
            }
        }
    }
    int used = 2 + rows;
    if (used < h) {
        for (int l = 0; l < Ln; l++)
            if (col_x[l] - x + 6 <= w)
                tui_text(st, y + used, col_x[l], 6, "1 bias",
                         f->bias[l + 1] ? tui_attr(st, TUI_A_DEP) : tui_attr(st, TUI_A_DIM));
        used++;
    }
    /* weights: the ones in play first, then the rest in order */
    int wrows = h - used;
    if (wrows < 1)
        return;
    char from[32], to[32];
    int name_w, ends_w;
    int ew = weight_entry(st, &name_w, &ends_w);
    int per_row = (w + 2) / (ew + 2);
    if (per_row < 1)
        per_row = 1;
    int slots = wrows * per_row, shown, listed = 0;
    int *order = malloc((size_t)W * sizeof(int));
    if (!order)
        return;
    for (int pass = 2; pass >= 0; pass--)
        for (int m = 0; m < W; m++)
            if (f->w[m] == pass)
                order[listed++] = m;
    if (W > slots)
        slots--;                       /* room for "+N more" */
    const char *small_arrow = tui_glyph(st, "→", "->");
    for (shown = 0; shown < slots && shown < W; shown++) {
        int m = order[shown], updated;
        double v = weight_now(st, m, &updated);
        int ex = x + (shown % per_row) * (ew + 2), ey = y + used + shown / per_row;
        nn_w_ends(sh, m, from, sizeof from, to, sizeof to);
        int attr = f->w[m] == 2 ? tui_attr(st, TUI_A_CURRENT) : f->w[m] ? tui_attr(st, TUI_A_DEP) : (int)A_BOLD;
        snprintf(buf, sizeof buf, "w%d", m + 1);
        tui_text(st, ey, ex, name_w, buf, attr);
        snprintf(buf, sizeof buf, "%s%s%s", from, small_arrow, to);
        tui_text(st, ey, ex + name_w + 1, ends_w, buf, tui_attr(st, TUI_A_DIM));
        tui_text(st, ey, ex + name_w + 2 + ends_w, vw, tr_fmt_fit(v, st->digits, vw, num),
                 updated ? tui_attr(st, TUI_A_UPDATED) : 0);
    }
    if (shown < W) {
        snprintf(buf, sizeof buf, "+%d more weights", W - shown);
        int ex = x + (shown % per_row) * (ew + 2), ey = y + used + shown / per_row;
        tui_text(st, ey, ex, ew, buf, tui_attr(st, TUI_A_DIM));
    }
    free(order);
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

/* Operand op of ev is a stage-4 term that stage 5 reuses (the article's yellow terms). */
static int reused_term(const tui_state *st, const tr_event *ev, const nn_operand *op)
{
    const tr_event *src = ev->stage == NN_STAGE_HIDDEN_BACKWARD ? tui_event_id(st, op->dep) : NULL;
    return src && src->stage == NN_STAGE_OUTPUT_BACKWARD;
}

/* The formula as segments: names (digits < 0) or numbers, operands highlighted. */
static int formula_segs(tui_state *st, const tr_event *ev, int digits, seg *out, int max)
{
    int n = 0;
    const char *p = ev->formula;
    tr_piece pc;
    while (n < max && tr_template_next(&p, ev->n_ops, &pc)) {
        if (pc.op >= 0) {
            const tr_operand *op = &ev->ops[pc.op];
            tr_render_operand(op, digits, out[n].text);
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

/* Lines the derivation needs in width w (dry run), or draws it. */
static int derivation(tui_state *st, int y, int x, int w, int h, int dry)
{
    const tr_event *ev = cur_event(st);
    static seg segs[MAX_SEGS];
    char prefix[96], num[TR_NUM_SIZE];
    if (ev->sample > 0)
        snprintf(prefix, sizeof prefix, "X%d: %s = ", ev->sample, ev->symbol);
    else
        snprintf(prefix, sizeof prefix, "%s = ", ev->symbol);
    int indent = (int)strlen(prefix) - 2;
    if (indent > w / 3)
        indent = 4;
    int line = 1;   /* the rule with the title */
    if (!dry)
        tui_hline(st, y, x, w, "Formula, then numbers, then result");
    if (!dry)
        tui_text(st, y + line, x, w, prefix, tui_attr(st, TUI_A_CURRENT));
    int n = formula_segs(st, ev, -1, segs, MAX_SEGS);
    line += rich(st, segs, n, y + line, x, w, (int)strlen(prefix), indent + 2, h - line, dry);
    int hidden = tui_visible(st) < st->m.cur;
    int show_numbers = !hidden || st->quiz[st->m.cur] == QUIZ_HINTED;
    if (line < h && show_numbers) {
        if (!dry)
            tui_text(st, y + line, x + indent, 2, "=", 0);
        n = formula_segs(st, ev, st->digits, segs, MAX_SEGS);
        line += rich(st, segs, n, y + line, x, w, indent + 2, indent + 2, h - line, dry);
    }
    if (line < h) {
        if (!dry) {
            tui_text(st, y + line, x + indent, 2, "=", 0);
            if (hidden) {
                char prompt[96];
                snprintf(prompt, sizeof prompt, "? your answer: %s_", st->answer);
                tui_text(st, y + line, x + indent + 2, w - indent - 2, prompt, tui_attr(st, TUI_A_CURRENT));
            } else {
                int c = tui_text(st, y + line, x + indent + 2, w - indent - 2,
                                 tr_fmt_fixed(ev->value, st->digits, num), tui_attr(st, TUI_A_CURRENT));
                if (st->quiz && st->quiz[st->m.cur] >= QUIZ_RIGHT)
                    tui_text(st, y + line, x + indent + 3 + c, w - indent - 3 - c,
                             st->quiz[st->m.cur] == QUIZ_RIGHT ? "right" : "the answer",
                             tui_attr(st, st->quiz[st->m.cur] == QUIZ_RIGHT ? TUI_A_UPDATED : TUI_A_MESSAGE));
            }
        }
        line++;
    }
    if (line < h && any_reused(st, ev)) {
        if (!dry) {
            int c = tui_text(st, y + line, x, w, "reused from stage 4", tui_attr(st, TUI_A_REUSED));
            tui_text(st, y + line, x + c, w - c, "; the output weights are those before the update of stage 6", 0);
        }
        line++;
    }
    return line;
}

/* ------------------------------------------------------- computed from */

/* Each operand of the current value: its value and where it came from. */
static void draw_sources(tui_state *st, int y, int x, int w, int h)
{
    const tr_event *ev = cur_event(st);
    char line[160], num[TR_NUM_SIZE + 4];
    tui_hline(st, y, x, w, "Computed from");
    int name_w = 4;
    for (int q = 0; q < ev->n_ops; q++)
        if ((int)strlen(ev->ops[q].name) > name_w)
            name_w = (int)strlen(ev->ops[q].name);
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
                snprintf(line, sizeof line, "the weight after step %d's update", ev->step - 1);
            else
                snprintf(line, sizeof line, "given: %s", op->kind == NN_OP_WEIGHT ? "a starting weight" :
                         op->kind == NN_OP_BIAS_INPUT ? "the bias input, always 1" :
                         op->kind == NN_OP_LEARNING_RATE ? "the learning rate" :
                         op->kind == NN_OP_TARGET ? "the target" : "an input of the data");
        } else {
            int n = snprintf(line, sizeof line, "stage %d", src->stage);
            if (src->sample > 0)
                n += snprintf(line + n, sizeof line - (size_t)n, ", sample X%d", src->sample);
            if (reused)
                snprintf(line + n, sizeof line - (size_t)n, ", reused");
        }
        int c = tui_text(st, yy, x + 2, name_w, ev->ops[q].name, tui_attr(st, reused ? TUI_A_REUSED : TUI_A_DEP));
        c += 2 + name_w - c;
        c += tui_text(st, yy, x + c + 1, w - c - 1, tr_render_operand(&ev->ops[q], st->digits, num), 0) + 1;
        tui_text(st, yy, x + 3 + name_w + st->digits + 7, w - (3 + name_w + st->digits + 7), line,
                 tui_attr(st, TUI_A_DIM));
        (void)c;
    }
}

/* ------------------------------------------------------------ stage table */

static void draw_table(tui_state *st, int y, int x, int w, int h)
{
    const tr_event *ev = cur_event(st);
    char title[64], label[96], num[TR_NUM_SIZE];
    snprintf(title, sizeof title, "Stage %d so far", ev->stage);
    tui_hline(st, y, x, w, title);
    if (h < 2)
        return;
    long first = st->m.cur;
    while (first > 0 && tui_event(st, first - 1)->stage == ev->stage &&
           tui_event(st, first - 1)->step == ev->step)
        first--;
    /* entry width: the widest label of the stage so far, plus the value */
    int lw = 0;
    for (long e = first; e <= st->m.cur; e++) {
        const tr_event *t = tui_event(st, e);
        int len = t->sample > 0 ? snprintf(label, sizeof label, "X%d %s", t->sample, t->symbol)
                                : snprintf(label, sizeof label, "%s", t->symbol);
        if (len > lw)
            lw = len;
    }
    int vw = st->digits + 4, ew = 2 + lw + 1 + vw;
    int cols = (w + 1) / (ew + 1);
    if (cols < 1)
        cols = 1;
    long count = st->m.cur - first + 1;
    long rows_needed = (count + cols - 1) / cols;
    long skip_rows = rows_needed > h - 1 ? rows_needed - (h - 1) : 0;
    for (long e = first + skip_rows * cols; e <= st->m.cur; e++) {
        const tr_event *t = tui_event(st, e);
        long q = e - first - skip_rows * cols;
        int ey = y + 1 + (int)(q / cols), ex = x + (int)(q % cols) * (ew + 1);
        if (t->sample > 0)
            snprintf(label, sizeof label, "X%d %s", t->sample, t->symbol);
        else
            snprintf(label, sizeof label, "%s", t->symbol);
        int attr = e == st->m.cur ? tui_attr(st, TUI_A_CURRENT) : 0;
        tui_text(st, ey, ex, 2, e == st->m.cur ? tui_glyph(st, "▸ ", "> ") : "  ", attr);
        tui_text(st, ey, ex + 2, lw, label, attr);
        if (e == st->m.cur)
            mvhline(ey, ex + 2 + (int)strlen(label), ' ', lw - (int)strlen(label) + 1);
        if (e <= tui_visible(st))
            tui_text(st, ey, ex + 2 + lw + 1, vw, tr_fmt_fit(t->value, st->digits, vw, num), attr);
        else
            tui_text(st, ey, ex + 2 + lw + 1, vw, "?", attr);
    }
    if (skip_rows > 0)
        tui_text(st, y, x + w - 14, 13, tui_glyph(st, " ↑ more above", " ^ more above"), tui_attr(st, TUI_A_DIM));
}

/* ------------------------------------------------------------------ keys */

static void draw_keys(tui_state *st)
{
    int y = LINES - 1, n = 0;
    if (st->message[0])
        n = tui_text(st, y, 0, COLS, st->message, tui_attr(st, TUI_A_MESSAGE)) + 2;
    const char *keys = st->mode == TUI_MODE_QUIZ
        ? (tui_visible(st) < st->m.cur ? "type a number, Enter to answer  Backspace erase  q quit"
                           : "Enter/l next  h back  q quit")
        : st->unicode
        ? "→/l next  ←/h back  ↓/j ↑/k stage  1-6  [ ] step  space play  t training  ? help  q quit"
        : "l/-> next  h/<- back  j/k stage  1-6  [ ] step  space play  t training  ? help  q quit";
    if (n < COLS)
        tui_text(st, y, n, COLS - n, keys, tui_attr(st, TUI_A_DIM));
}

/* ---------------------------------------------------------------- layout */

void step_draw(tui_state *st)
{
    const tr_event *ev = cur_event(st);
    const ls_lesson *L = st->m.lesson;
    focus f;
    if (focus_init(st, &f) != 0) {
        focus_free(&f);
        return;
    }
    draw_header(st);
    draw_keys(st);
    int table_w = COLS >= WIDE_COLS ? TABLE_W : 0;
    int main_w = COLS - table_w - (table_w ? 1 : 0);
    int top = 2, bottom = LINES - 1;          /* rows top .. bottom-1 are ours */
    int avail = bottom - top;
    int deriv_h = derivation(st, 0, 0, main_w, avail / 2, 1);
    const char *note = L->notes[ev->stage - 1];
    int note_h = 0;
    int rest = avail - deriv_h;
    if (note && rest >= 10)
        note_h = rest >= 16 ? 4 : 3;
    rest -= note_h;
    int net_need = network_rows(st, main_w);
    int net_h = rest, table_h = 0;
    if (!table_w) {
        net_h = rest - 3 > net_need ? net_need : rest - 3;   /* keep 3 rows for the table */
        if (net_h < 5)
            net_h = rest;
        table_h = rest - net_h;
    } else if (net_h > net_need) {
        net_h = net_need;
    }
    draw_network(st, &f, top, 0, main_w, net_h);
    int y = top + net_h;
    if (table_h >= 2) {
        draw_table(st, y, 0, main_w, table_h);
        y += table_h;
    } else if (!table_w) {
        y += table_h;
    }
    derivation(st, y, 0, main_w, deriv_h, 0);
    y += deriv_h;
    int spare = bottom - note_h - y;
    if (spare >= 3)
        draw_sources(st, y, 0, main_w, spare < cur_event(st)->n_ops + 1 ? spare : cur_event(st)->n_ops + 1);
    if (table_w) {
        int th = bottom - top - note_h;
        draw_table(st, top, main_w + 1, table_w, th);
        y = bottom - note_h;
    } else {
        y = bottom - note_h;
    }
    if (note_h > 0) {
        tui_hline(st, y, 0, COLS, "Note");
        tui_wrap(st, y + 1, 0, COLS, note_h - 1, note, 0);
    }
    focus_free(&f);
}
