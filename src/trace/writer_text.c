/*
 * writer_text.c - the full derivation as plain text, laid out like the
 * walkthrough: six stages under their titles, each value as its formula,
 * the formula with the numbers put in, and the result.
 */
#include "trace.h"
#include "../text/text.h"

#include <stdlib.h>

#include <string.h>

#define TEXT_WIDTH     78     /* wrap notes at this column */
#define TEXT_COLS      80     /* no derivation or data line is wider */ /* mutant: text-lines-unwrapped */
#define TEXT_MAX_LIST  24     /* weights and samples listed in the header */

/* Print untrusted text, made safe, wrapped at TEXT_WIDTH after indent spaces. */
static void put_wrapped(FILE *fp, const char *text, int indent)
{
    char *safe = tx_sanitize_dup(text);          /* as long as it needs: never cut */
    if (!safe)
        return;
    int col = 0;
    for (char *word = strtok(safe, " "); word; word = strtok(NULL, " ")) {
        int len = (int)strlen(word);
        if (col > 0 && col + 1 + len > TEXT_WIDTH) {
            fputc('\n', fp);
            col = 0;
        }
        if (col == 0)
            col = fprintf(fp, "%*s%s", indent, "", word);
        else
            col += fprintf(fp, " %s", word);
    }
    if (col > 0)
        fputc('\n', fp);
    free(safe);
}

/* A place where a long line may break: the line ends at `end`, the next
 * starts at `next`.  Before " + " (the next line starts "+ "), after ", "
 * or "; ", before "*"; rank says which is preferred (higher). */
typedef struct text_break {
    size_t end, next;         /* where this line ends, where the next begins */
    int rank;                 /* 3 " + ", 2 ", " or "; ", 1 "*", 0 no break here */
} text_break;

static text_break break_at(const char *s, size_t j)
{
    text_break b = { 0, 0, 0 };
    if (s[j] == ' ' && s[j + 1] == '+' && s[j + 2] == ' ')
        b = (text_break){ j, j + 1, 3 };
    else if ((s[j] == ',' || s[j] == ';') && s[j + 1] == ' ')
        b = (text_break){ j + 1, j + 2, 2 };
    else if (s[j] == '*')
        b = (text_break){ j, j, 1 };
    return b;
}

/* Write s from column col so that no line passes TEXT_COLS: at the most
 * preferred break that fits, the last of its kind; continued lines start at
 * column indent.  A piece with no break that fits runs on to its first. */
static void put_broken(FILE *fp, const char *s, int col, int indent)
{
    size_t len = strlen(s);
    while (col + (int)len > TEXT_COLS) {
        size_t avail = col < TEXT_COLS ? (size_t)(TEXT_COLS - col) : 0;
        text_break best = { 0, 0, 0 };
        for (size_t j = 1; j < len; j++) {
            text_break b = break_at(s, j);
            if (!b.rank)
                continue;
            if (b.end > avail) {
                if (!best.rank)
                    best = b;                            /* nothing fits: the first */
                break;
            }
            if (b.rank >= best.rank)
                best = b;
        }
        if (!best.rank || best.next >= len)
            break;
        fwrite(s, 1, best.end, fp);
        fprintf(fp, "\n%*s", indent, "");
        s += best.next;
        len -= best.next;
        col = indent;
    }
    fputs(s, fp);
}

/* "prefix = part = part ...": on one line if it fits in TEXT_COLS, else each
 * part on its own line under the first "=", broken by put_broken. */
static void put_derivation(FILE *fp, const char *prefix, const char *const parts[], int n)
{
    size_t total = strlen(prefix);
    for (int q = 0; q < n; q++)
        total += 3 + strlen(parts[q]);
    if (total <= TEXT_COLS) {
        fputs(prefix, fp);
        for (int q = 0; q < n; q++)
            fprintf(fp, " = %s", parts[q]);
        fputc('\n', fp);
        return;
    }
    int eq = (int)strlen(prefix) + 1;                    /* the column of the first "=" */
    for (int q = 0; q < n; q++) {
        if (q == 0)
            fprintf(fp, "%s = ", prefix);
        else
            fprintf(fp, "%*s= ", eq, "");
        put_broken(fp, parts[q], eq + 2, eq + 4);
        fputc('\n', fp);
    }
}

/* One item of a list with its punctuation ("0.5,"): after a space, or on a
 * new line at column indent when it would pass TEXT_COLS. */
static void put_item(FILE *fp, int *col, int indent, const char *item)
{
    int len = (int)strlen(item);
    if (*col >= indent && *col + 1 + len > TEXT_COLS) {
        fprintf(fp, "\n%*s", indent, "");
        *col = indent;
    } else if (*col >= indent - 1) {
        *col += fprintf(fp, " ");
    }
    *col += fprintf(fp, "%s", item);
}

static void put_title(FILE *fp, const char *title, char underline)
{
    int len = fprintf(fp, "%s\n", title) - 1;
    for (int q = 0; q < len; q++)
        fputc(underline, fp);
    fputc('\n', fp);
}

/* "Backpropagation, step by step: TITLE" within TEXT_COLS: a longer title
 * goes on under its first word, wrapped between words (tx_wrap_next). */
static void put_headline(FILE *fp, const char *title)
{
    static const char head[] = "Backpropagation, step by step: ";
    int indent = (int)sizeof head - 1;
    size_t at = 0, end;
    fputs(head, fp);
    for (int line = 0; tx_wrap_next(title, &at, TEXT_COLS - indent, &end); line++, at = end) /* mutant: title-not-wrapped */
        fprintf(fp, "%*s%.*s\n", line ? indent : 0, "", (int)(end - at), title + at);
    fputc('\n', fp);
}

static int text_begin(tr_out *out)
{
    const ls_lesson *L = out->opt.lesson;
    int N = nn_n_inputs(&L->shape), O = nn_n_outputs(&L->shape);   /* inputs, outputs */
    FILE *fp = out->opt.fp;
    char a[TR_NUM_SIZE], b[TR_NUM_SIZE], *title = tx_sanitize_dup(L->title);   /* never cut */
    if (!title)
        return -1;
    put_headline(fp, title);
    free(title);
    tr_setup su;
    tr_setup_make(out, TR_PLAIN, &su);
    for (int q = 0; q < su.n; q++) {
        char label[16];
        snprintf(label, sizeof label, "%s:", su.line[q].label);
        fprintf(fp, "%-10s", label);
        put_broken(fp, su.line[q].text, 10, 10);
        fputc('\n', fp);
    }

    int W = ls_n_weights(L);
    const nn_net *shape = &L->shape;
    char *from_file = tx_sanitize_dup(L->weights_from);
    if (!from_file)
        return -1;
    fprintf(fp, "\nWeights before step 1 (%s):\n", from_file);
    free(from_file);
    for (int m = 0; m < W && m < TEXT_MAX_LIST; m++) {
        char from[16], to[16], edge[48];
        nn_w_ends(shape, m, from, sizeof from, to, sizeof to);
        snprintf(edge, sizeof edge, "w%d (%s -> %s)", m + 1, from, to);
        fprintf(fp, "  %-18s = %s\n", edge, tr_fmt_num_given(L->weights[m], tr_out_prec(out), a));
    }
    if (W > TEXT_MAX_LIST)
        fprintf(fp, "  ... and %d more (nntrace trace --format csv lists every value)\n", W - TEXT_MAX_LIST);

    fprintf(fp, "\nData (%d sample%s):\n", L->n_rows, L->n_rows == 1 ? "" : "s");
    for (int r = 0; r < L->n_rows && r < TEXT_MAX_LIST; r++) {
        /* "row 1: x = (0.1, 0.1), target y = (1, 0), label 0", items wrapped under "x" */
        char item[TR_NUM_SIZE + 32];
        int col = fprintf(fp, "  row %d:", r + 1), indent = col + 1;
        for (int i = 0; i < N; i++) {
            snprintf(item, sizeof item, "%s%s%s", i == 0 ? "x = (" : "",
                     tr_fmt_num_given(L->x[(size_t)r * N + i], tr_out_prec(out), a), i + 1 < N ? "," : "),");
            put_item(fp, &col, indent, item);
        }
        for (int k = 0; k < O; k++) {
            snprintf(item, sizeof item, "%s%s%s", k == 0 ? "target y = (" : "",
                     tr_fmt_num_given(L->y[(size_t)r * O + k], tr_out_prec(out), b),
                     k + 1 < O ? "," : L->label ? ")," : ")");
            put_item(fp, &col, indent, item);
        }
        if (L->label) {
            snprintf(item, sizeof item, "label %d", L->label[r]);
            put_item(fp, &col, indent, item);
        }
        fputc('\n', fp);
    }
    if (L->n_rows > TEXT_MAX_LIST)
        fprintf(fp, "  ... and %d more rows\n", L->n_rows - TEXT_MAX_LIST);
    return ferror(fp) ? -1 : 0;
}

static int text_stage(tr_out *out, int step, int stage)
{
    const ls_lesson *L = out->opt.lesson;
    FILE *fp = out->opt.fp;
    char line[160];
    if (out->now->new_step) {
        char rows[160];
        snprintf(line, sizeof line, "Step %d", step);
        fprintf(fp, "\n\n");
        put_title(fp, line, '=');
        fprintf(fp, "Batch: X1..X%d are %s.\n", L->batch_size, tr_batch_rows(L, step, rows, sizeof rows));
    }
    tr_stage_heading(out, stage, out->now->layer, line, sizeof line);
    fprintf(fp, "\n");
    put_title(fp, line, '-');
    if (L->notes[stage - 1] && !out->now->stage_again) {   /* once per stage, not per layer */
        char *live = tr_note_out(out, stage);
        if (!live)
            return -1;
        put_wrapped(fp, live, 0);
        free(live);
    }
    if (stage == NN_STAGE_HIDDEN_BACKWARD) {
        char reuse[512];
        snprintf(reuse, sizeof reuse, "(%s)", tr_stage5_reuse(out, TR_PLAIN));
        put_wrapped(fp, reuse, 0);
    }
    out->last_sample = -1;
    return ferror(fp) ? -1 : 0;
}

static int text_event(tr_out *out, const tr_event *ev)
{
    FILE *fp = out->opt.fp;
    char symbolic[TR_FORMULA_SIZE], numbers[TR_FORMULA_SIZE], result[TR_NUM_SIZE];
    if (ev->sample != out->last_sample)
        fputc('\n', fp);
    out->last_sample = ev->sample;
    size_t symbolic_len, numbers_len;
    tr_render_both(ev->formula, ev->ops, ev->n_ops, tr_out_prec(out), symbolic, sizeof symbolic, &symbolic_len,
                   numbers, sizeof numbers, &numbers_len);
    tr_fmt_num(ev->value, tr_out_prec(out), result);
    char prefix[TR_NAME_SIZE + 16];
    if (ev->sample > 0)
        snprintf(prefix, sizeof prefix, "X%d: %s", ev->sample, ev->symbol);
    else
        snprintf(prefix, sizeof prefix, "%s", ev->symbol);
    const char *const parts[3] = { symbolic, numbers, result };
    put_derivation(fp, prefix, parts, 3);
    return ferror(fp) ? -1 : 0;
}

static int text_end(tr_out *out)
{
    fprintf(out->opt.fp, "\n");
    return ferror(out->opt.fp) ? -1 : 0;
}

const tr_writer tr_writer_text = { "text", text_begin, text_stage, text_event, text_end, NULL, 0 };
