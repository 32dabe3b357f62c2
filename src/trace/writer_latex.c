/*
 * writer_latex.c - a standalone LaTeX document (article, amsmath): one
 * section per stage, each value an align* with its formula, the formula
 * with the numbers in, and the result.  Untrusted text is escaped.
 */
#include "trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEX_SIZE   32768   /* room for one formula in TeX */

/* Append to a TeX buffer. */
typedef struct tex_buf {
    char *s;           /* text */
    size_t len, cap;   /* used, room */
    size_t line;       /* characters since the last line break */
} tex_buf;

static void tb_putn(tex_buf *b, const char *text, size_t n)
{
    if (b->len + n + 1 > b->cap)
        n = b->cap > b->len + 1 ? b->cap - b->len - 1 : 0;
    memcpy(b->s + b->len, text, n);
    b->len += n;
    b->s[b->len] = '\0';
    b->line += n;
}

static void tb_put(tex_buf *b, const char *text)
{
    tb_putn(b, text, strlen(text));
}

/* An operand in TeX: its name (digits < 0) or its number. */
static void tex_operand(const nn_net *sh, const tr_operand *op, int digits, int enclosed,
                        char *out, size_t size)
{
    char num[TR_NUM_SIZE + 4];
    if (digits < 0)
        tr_operand_name(sh, &op->op, TR_TEX, out, size);
    else
        snprintf(out, size, "%s", tr_render_operand(op, digits, enclosed, num));
}

/*
 * Widths, to break a long formula before it passes the margin: estimated
 * in units of one digit's width (5pt in 10pt Latin Modern), per piece.  A
 * line of the right-hand side gets TEX_LINE units; a continued line starts
 * with \quad.
 */
#define TEX_LINE  44.0    /* the text width (345pt) less the widest left-hand side and "=" */

/* The width of a plain name as TeX sets it: subscripts smaller, a
 * derivative "dE/dout_o1" as a fraction (its wider part), "X2:" as a bar. */
static double name_width(const char *name)
{
    double w = 0, part = 0, widest = 0;
    int sub = 0;
    const char *colon = strchr(name, ':');
    if (colon) {
        w += 1.5;
        name = colon + 1;
    }
    for (const char *c = name; *c; c++) {
        if (*c == '/') {
            widest = part > widest ? part : widest;
            part = 0;
            sub = 0;
        } else if (*c == '_') {
            sub = 1;
        } else {
            part += sub ? 0.7 : 1.0;
        }
    }
    widest = part > widest ? part : widest;
    return w + widest + (strchr(name, '/') ? 1.0 : 0);
}

static double piece_width(const tr_event *ev, const tr_piece *pc, int digits)
{
    char num[TR_NUM_SIZE + 4];
    double w = 0;
    switch (pc->op) {
    case TR_PIECE_BAD:      return 0;
    case TR_PIECE_TIMES:    return 1.6;
    case TR_PIECE_PLUS:     return 2.8;
    case TR_PIECE_ELLIPSIS: return 2.5;
    case TR_PIECE_FRACTION: return 1.5;
    case TR_PIECE_TEXT:
        for (size_t q = 0; q < pc->len; q++)
            w += pc->text[q] == ' ' || pc->text[q] == '^' ? 0 : pc->text[q] == '-' ? 1.6 : 1.0;
        return w;
    default:
        if (digits < 0)
            return name_width(ev->ops[pc->op].name);
        return (double)strlen(tr_render_operand(&ev->ops[pc->op], digits, pc->enclosed, num));
    }
}

/* Brackets of the template as TeX sets them: "^(" a superscript group, an
 * outermost "(" in a formula with fractions \Bigl( ... \Bigr), others as they are. */
typedef struct tex_brackets {
    char open[64];     /* what each open bracket became: 'S' superscript, 'B' big, 'P' plain */
    int depth;         /* brackets open */
    int sup;           /* of them superscripts (no line break inside one) */
} tex_brackets;

/* Template text in TeX: brackets as above, function names upright (\ln). */
static void tex_text(tex_buf *b, tex_brackets *br, const char *text, size_t len, int tall)
{
    static const char *const functions[] = { "tanh", "ln", "max", "exp" };
    for (size_t q = 0; q < len; q++) {
        char c = text[q];
        if (c >= 'a' && c <= 'z') {
            size_t run = q;
            while (run < len && text[run] >= 'a' && text[run] <= 'z')
                run++;
            int fn = 0;
            for (size_t f = 0; f < sizeof functions / sizeof functions[0]; f++)
                if (strlen(functions[f]) == run - q && strncmp(text + q, functions[f], run - q) == 0)
                    fn = 1;
            if (fn)
                tb_put(b, "\\");
            tb_putn(b, text + q, run - q);
            q = run - 1;
        } else if (c == '(') {
            char kind = q > 0 && text[q - 1] == '^' ? 'S' : tall && br->depth == 0 ? 'B' : 'P';
            tb_put(b, kind == 'S' ? "{" : kind == 'B' ? "\\Bigl(" : "(");
            if (br->depth < (int)sizeof br->open)
                br->open[br->depth] = kind;
            br->depth++;
            br->sup += kind == 'S';
        } else if (c == ')') {
            char kind = br->depth > 0 && br->depth <= (int)sizeof br->open ? br->open[br->depth - 1] : 'P';
            if (br->depth > 0)
                br->depth--;
            br->sup -= kind == 'S';
            tb_put(b, kind == 'S' ? "}" : kind == 'B' ? "\\Bigr)" : ")");
        } else {
            tb_putn(b, &c, 1);
        }
    }
}

/* The laid-out formula in TeX, with names (digits < 0) or numbers: each
 * operator of the template spelt in TeX, brackets sized to what they hold,
 * a line too long for the page broken before a "+". */
static void tex_formula(const nn_net *sh, const tr_event *ev, int digits, char *out, size_t size)
{
    tex_buf b = { out, 0, size, 0 };
    char piece[512];
    const char *p = ev->formula;
    out[0] = '\0';
    /* a sigmoid neuron's out: typeset as a fraction of its one operand, net */
    if (ev->kind == NN_EV_OUT && ev->layer >= 1 && ev->layer <= sh->n_layers &&
        sh->act[ev->layer] == NN_ACT_SIGMOID && ev->n_ops == 1) {
        tex_operand(sh, &ev->ops[0], digits, 0, piece, sizeof piece);
        tb_put(&b, "\\frac{1}{1 + e^{-");
        tb_put(&b, piece);
        tb_put(&b, "}}");
        return;
    }
    /* pass 1: what is tall, and where the lines break (before which "+") */
    tr_piece pc;
    int tall = 0, n = 0, breaks[TR_LAYOUT_OPS * 2] = { 0 }, n_breaks = 0;
    double width[TR_LAYOUT_OPS * 4];
    int plus[TR_LAYOUT_OPS * 4];
    for (p = ev->formula; n < TR_LAYOUT_OPS * 4 && tr_template_next(ev->formula, &p, ev->n_ops, &pc); n++) {
        width[n] = piece_width(ev, &pc, digits);
        plus[n] = pc.op == TR_PIECE_PLUS;
        if (pc.op == TR_PIECE_FRACTION || (digits < 0 && pc.op >= 0 && strchr(ev->ops[pc.op].name, '/')))
            tall = 1;
    }
    double line = 0;
    for (int q = 0; q < n; q++) {
        if (plus[q] && q > 0) {
            double term = width[q];
            for (int r = q + 1; r < n && !plus[r]; r++)
                term += width[r];
            if (line + term > TEX_LINE && n_breaks < (int)(sizeof breaks / sizeof breaks[0])) {
                breaks[n_breaks++] = q;
                line = 2.0 + width[q];                    /* \quad + */
                continue;
            }
        }
        line += width[q];
    }
    /* pass 2: the TeX */
    tex_brackets br = { { 0 }, 0, 0 };
    int q = 0, next_break = 0;
    for (p = ev->formula; tr_template_next(ev->formula, &p, ev->n_ops, &pc); q++) {
        switch (pc.op) {
        case TR_PIECE_BAD:
            break;
        case TR_PIECE_TIMES:
            tb_put(&b, " \\cdot ");
            break;
        case TR_PIECE_PLUS:
            if (next_break < n_breaks && breaks[next_break] == q && br.sup == 0) {
                tb_put(&b, " \\\\\n  &\\quad + ");
                next_break++;
            } else {
                tb_put(&b, " + ");
            }
            break;
        case TR_PIECE_ELLIPSIS:
            tb_put(&b, "\\dots{}");
            break;
        case TR_PIECE_FRACTION:
            snprintf(piece, sizeof piece, "\\frac{1}{%d}", pc.number);
            tb_put(&b, piece);
            break;
        case TR_PIECE_TEXT:
            tex_text(&b, &br, pc.text, pc.len, tall);
            break;
        default:
            tex_operand(sh, &ev->ops[pc.op], digits, pc.enclosed, piece, sizeof piece);
            tb_put(&b, piece);
            break;
        }
    }
    for (; br.depth > 0; br.depth--)                      /* never an unclosed group */
        if (br.depth <= (int)sizeof br.open && br.open[br.depth - 1] == 'S')
            tb_put(&b, "}");
}

/*
 * A note's math typeset.  Notes are plain text ("w = w - eta * dE_final/dw",
 * "1/(1 + e^(-z))"); a run of words that reads as math is set in $...$:
 * a run holds at least one word with "_", "^", "/", "*" or "|" or an "="
 * sign, and goes on over operators (= + - *), numbers, short names and
 * words with brackets.  Only such a run whose brackets balance and whose
 * characters are all letters, digits, spaces and the marks listed in
 * note_math is converted; all else is escaped text, so a note always compiles.
 */
enum { NOTE_TEXT, NOTE_WEAK, NOTE_OP, NOTE_STRONG };

static int note_word_kind(const char *w, size_t n)
{
    int letters = 0, digits = 0, brackets = 0, strong = 0;
    if (n == 1 && strchr("=+-*", w[0]))
        return w[0] == '=' ? NOTE_STRONG : NOTE_OP;
    for (size_t q = 0; q < n; q++) {
        char c = w[q];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            letters++;
        else if (c >= '0' && c <= '9')
            digits++;
        else if (c == '(' || c == ')')
            brackets++;
        else if (strchr("_^/*|", c))
            strong++;
        else if (!strchr(".,=+-", c))
            return NOTE_TEXT;
    }
    if (strong && (letters || digits))
        return NOTE_STRONG;
    static const char *const names[] = { "out", "net", "eta", "tanh", "ln", "exp", "max", "sqrt" };
    if (brackets || digits || letters == 1)
        return NOTE_WEAK;
    for (size_t q = 0; q < sizeof names / sizeof names[0]; q++)
        if (strlen(names[q]) == n && strncmp(w, names[q], n) == 0)
            return NOTE_WEAK;
    return NOTE_TEXT;
}

/* The math of one run, or -1 if it cannot be set safely. */
static int note_math(const char *w, size_t n, tex_buf *b)
{
    static const char *const functions[] = { "tanh", "ln", "max", "exp", "eta", "sqrt" };
    int depth = 0, sup[32] = { 0 };
    for (size_t q = 0; q < n; q++) {
        char c = w[q];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              strchr("_^/*|()=+-., ", c)))
            return -1;
        depth += c == '(' ? 1 : c == ')' ? -1 : 0;
        if (depth < 0 || depth >= 32)
            return -1;
    }
    if (depth != 0)
        return -1;
    tb_put(b, "$");
    for (size_t q = 0; q < n; q++) {
        char c = w[q];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            size_t run = q;
            while (run < n && ((w[run] >= 'a' && w[run] <= 'z') || (w[run] >= 'A' && w[run] <= 'Z')))
                run++;
            int fn = 0;
            for (size_t f = 0; f < sizeof functions / sizeof functions[0]; f++)
                if (strlen(functions[f]) == run - q && strncmp(w + q, functions[f], run - q) == 0)
                    fn = 1;
            if (fn) {
                tb_put(b, "\\");
                tb_putn(b, w + q, run - q);
            } else if (run - q > 1) {
                tb_put(b, "\\mathit{");
                tb_putn(b, w + q, run - q);
                tb_put(b, "}");
            } else {
                tb_putn(b, w + q, 1);
            }
            q = run - 1;
        } else if (c == '_') {                            /* a subscript: letters and digits after it */
            size_t run = q + 1;
            while (run < n && ((w[run] >= 'a' && w[run] <= 'z') || (w[run] >= 'A' && w[run] <= 'Z') ||
                               (w[run] >= '0' && w[run] <= '9')))
                run++;
            tb_put(b, "_{\\mathrm{");
            tb_putn(b, w + q + 1, run - q - 1);
            tb_put(b, "}}");
            q = run - 1;
        } else if (c == '^' && q + 1 < n && w[q + 1] == '(') {
            tb_put(b, "^{");
            sup[depth + 1] = 1;
            depth++;
            q++;
        } else if (c == '^' && q + 1 < n) {
            tb_put(b, "^{");
            tb_putn(b, w + q + 1, 1);
            tb_put(b, "}");
            q++;
        } else if (c == '(') {
            depth++;
            sup[depth] = 0;
            tb_put(b, "(");
        } else if (c == ')') {
            tb_put(b, sup[depth] ? "}" : ")");
            depth--;
        } else if (c == '*') {
            tb_put(b, " \\cdot ");
        } else if (c == '|' && q + 1 < n && w[q + 1] == '|') {
            tb_put(b, "\\|");
            q++;
        } else if (c == '^') {
            tb_put(b, "\\^{}");
        } else {
            tb_putn(b, &c, 1);
        }
    }
    tb_put(b, "$");
    return 0;
}

static void note_text(tex_buf *b, const char *text, size_t n)
{
    char *plain = malloc(n + 1), *esc = malloc(n * 16 + 16);
    if (plain && esc) {
        memcpy(plain, text, n);
        plain[n] = '\0';
        tr_escape_latex(plain, esc, n * 16 + 16);
        tb_put(b, esc);
    }
    free(plain);
    free(esc);
}

/* The note in TeX, its math in $...$, into out (size bytes). */
static void tex_note(const char *note, char *out, size_t size)
{
    tex_buf b = { out, 0, size, 0 };
    size_t len = strlen(note), at = 0;
    out[0] = '\0';
    while (at < len) {
        /* the words from here: find a run with a strong word */
        size_t start = at, end = at, run_start = 0, run_end = 0;
        int strong = 0, in_run = 0;
        while (end < len) {
            size_t w = end;
            while (w < len && note[w] == ' ')
                w++;
            size_t e = w;
            while (e < len && note[e] != ' ')
                e++;
            if (w == e)
                break;
            size_t core = e;                               /* without closing punctuation */
            while (core > w && strchr(".,;:", note[core - 1]))
                core--;
            int kind = core > w ? note_word_kind(note + w, core - w) : NOTE_TEXT;
            if (kind == NOTE_TEXT || core < e) {
                if (kind != NOTE_TEXT) {                   /* a run ends with this word */
                    if (!in_run)
                        run_start = w;
                    in_run = 1;
                    strong |= kind == NOTE_STRONG;
                    run_end = core;
                }
                if (in_run && strong)
                    break;
                in_run = 0;
                strong = 0;
                end = e;
                continue;
            }
            if (!in_run)
                run_start = w;
            in_run = 1;
            strong |= kind == NOTE_STRONG;
            run_end = core;
            end = e;
        }
        if (!(in_run && strong)) {                         /* no math to the end */
            note_text(&b, note + start, len - start);
            break;
        }
        note_text(&b, note + start, run_start - start);
        size_t mark = b.len;
        if (note_math(note + run_start, run_end - run_start, &b) != 0) {
            b.len = mark;
            out[mark] = '\0';
            note_text(&b, note + run_start, run_end - run_start);
        }
        at = run_end;
    }
}

/* One align* per stage and sample, so that its values line up on "=". */
typedef struct tex_state {
    int in_align;             /* an align* is open */
    int sample;               /* the sample of its values (0: batch values) */
} tex_state;

static void close_align(tr_out *out)
{
    tex_state *t = out->state;
    if (t && t->in_align)
        fputs("\n\\end{align*}\n", out->fp);
    if (t)
        t->in_align = 0;
}

static void tex_cleanup(tr_out *out)
{
    free(out->state);
    out->state = NULL;
}

static int tex_begin(tr_out *out)
{
    const ls_lesson *L = out->lesson;
    FILE *fp = out->fp;
    out->state = calloc(1, sizeof(tex_state));
    if (!out->state)
        return -1;
    char text[8192];
    tr_escape_latex(L->title, text, sizeof text);
    fprintf(fp, "%% Made by nntrace: the full derivation of one lesson.\n"
                "\\documentclass[a4paper,10pt]{article}\n"
                "\\usepackage[T1]{fontenc}\n"
                "\\usepackage[utf8]{inputenc}\n"
                "\\usepackage{lmodern}\n"
                "\\usepackage{amsmath}\n"
                "\\allowdisplaybreaks\n"
                "\\setlength{\\parindent}{0pt}\n"
                "\\setlength{\\emergencystretch}{3em}\n"
                "\\setlength{\\parskip}{0.5em}\n"
                "\\title{Backpropagation, step by step:\\\\ %s}\n"
                "\\date{}\n"
                "\\begin{document}\n"
                "\\maketitle\n\n", text);
    tr_setup su;
    tr_setup_make(out, TR_TEX, &su);
    fputs("\\begin{description}\n", fp);
    for (int q = 0; q < su.n; q++)
        fprintf(fp, "\\item[%s] %s.\n", su.line[q].label, su.line[q].text);
    tr_escape_latex(L->weights_from, text, sizeof text);
    fprintf(fp, "\\item[Weights] %s.\n\\end{description}\n", text);
    return ferror(fp) ? -1 : 0;
}

static int tex_stage(tr_out *out, int step, int stage)
{
    const ls_lesson *L = out->lesson;
    FILE *fp = out->fp;
    close_align(out);
    char text[8192];
    char heading[160];
    tr_stage_heading(out, stage, heading, sizeof heading);
    if (out->steps > 1)
        fprintf(fp, "\n\\section*{Step %d, %s}\n", step, heading);
    else
        fprintf(fp, "\n\\section*{%s}\n", heading);
    if (L->notes[stage - 1] && !out->stage_again) {
        tex_note(L->notes[stage - 1], text, sizeof text);
        fprintf(fp, "\\emph{%s}\n\n", text);
    }
    if (stage == NN_STAGE_HIDDEN_BACKWARD) {
        tr_escape_latex(tr_stage5_reuse(out), text, sizeof text);
        fprintf(fp, "%s\n\n", text);
    }
    return ferror(fp) ? -1 : 0;
}

static int tex_event(tr_out *out, const tr_event *ev)
{
    FILE *fp = out->fp;
    char *symbolic = malloc(TEX_SIZE), *numbers = malloc(TEX_SIZE), sym[512], num[TR_NUM_SIZE];
    if (!symbolic || !numbers) {
        free(symbolic);
        free(numbers);
        return -1;
    }
    tex_formula(&out->lesson->shape, ev, -1, symbolic, TEX_SIZE);
    tex_formula(&out->lesson->shape, ev, out->digits, numbers, TEX_SIZE);
    tr_symbol(&out->lesson->shape, ev->kind, ev->layer, ev->unit, ev->weight, TR_TEX, sym, sizeof sym);
    tex_state *t = out->state;
    if (t->in_align && t->sample != ev->sample)
        close_align(out);
    if (!t->in_align)
        fputs("\\begin{align*}\n", fp);
    else
        fputs(" \\\\[6pt]\n", fp);
    t->in_align = 1;
    t->sample = ev->sample;
    if (ev->sample > 0)
        fprintf(fp, "X_{%d}\\colon\\ ", ev->sample);
    fprintf(fp, "%s &= %s \\\\\n  &= %s \\\\\n  &= %s", sym, symbolic, numbers,
            tr_fmt_fixed(ev->value, out->digits, num));
    free(symbolic);
    free(numbers);
    return ferror(fp) ? -1 : 0;
}

static int tex_end(tr_out *out)
{
    close_align(out);
    fputs("\n\\end{document}\n", out->fp);
    return ferror(out->fp) ? -1 : 0;
}

const tr_writer tr_writer_latex = { "latex", tex_begin, tex_stage, tex_event, tex_end, tex_cleanup };
