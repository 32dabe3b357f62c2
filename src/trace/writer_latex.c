/*
 * writer_latex.c - a standalone LaTeX document (article, amsmath): one
 * section per stage, each value an align* with its formula, the formula
 * with the numbers in, and the result.  Untrusted text is escaped.
 */
#include "trace.h"
#include "../text/text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEX_SIZE   32768   /* room for one formula in TeX */
#define TEX_NOTE_GROWTH 24 /* bytes of TeX one byte of a note may become ("~" is \\textasciitilde{}) */

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

/* An operand in TeX: its name (p NULL) or its number at *p. */
static void tex_operand(const nn_net *sh, const tr_operand *op, const tr_prec *p, int enclosed,
                        char *out, size_t size)
{
    char num[TR_NUM_SIZE + 4];
    if (!p)
        tr_operand_name(sh, &op->op, TR_TEX, out, size);
    else
        snprintf(out, size, "%s", tr_render_operand(op, p, enclosed, num));
}

/*
 * Widths, to break a long formula before it passes the margin: estimated
 * in units of one digit's width (5pt in 10pt Latin Modern), per piece.  A
 * line of the right-hand side gets TEX_LINE units; a continued line starts
 * with \quad.
 */
#define TEX_LINE  60.0    /* the text width (470pt) less the widest left-hand side and "=" */ /* mutant: latex-lines-unbroken */
#define TEX_LIST  48      /* weights listed in full on page 1; more: the first 24 */
#define TEX_CHANGES 200   /* weights listed before and after; more: the 20 that moved most */

/* The width of a name as TeX sets it: subscripts smaller (an "_" inside a
 * unit's name, "h2_1", sets nothing), a derivative as a fraction (its
 * wider part), "X2:" as a bar. */
static double name_width(const tr_name *nm)
{
    double widest = 0;
    for (int k = 0; k <= nm->ratio; k++) {
        const tr_name_part *pt = &nm->part[k];
        double w = (double)strlen(pt->base);
        for (const char *c = pt->sub; *c; c++)
            w += *c == '_' ? 0 : 0.7;
        widest = w > widest ? w : widest;
    }
    return (nm->sample ? 1.5 : 0) + widest + (nm->ratio ? 1.0 : 0);
}

/* A piece's width; *tall set when it is an operand's name set as a
 * fraction (a derivative). */
static double piece_width(const nn_net *sh, const tr_event *ev, const tr_piece *pc, const tr_prec *p, int *tall)
{
    char num[TR_NUM_SIZE + 4];
    double w = 0;
    switch (pc->op) {
    case TR_PIECE_BAD:      return 0;
    case TR_PIECE_TIMES:    return 1.6;
    case TR_PIECE_PLUS:     return 2.8;
    case TR_PIECE_ELLIPSIS: return 2.5;
    case TR_PIECE_FRACTION: return 1.5;
    default:
        if (pc->op >= 0 && p)
            return (double)strlen(tr_render_operand(&ev->ops[pc->op], p, pc->enclosed, num));
        if (pc->op >= 0) {
            tr_name nm;
            tr_operand_parts(sh, &ev->ops[pc->op].op, &nm);
            *tall |= nm.ratio;
            return name_width(&nm);
        }
        for (size_t q = 0; q < pc->len; q++)       /* text and structure: as plain text spells it */
            w += pc->text[q] == ' ' || pc->text[q] == '^' ? 0 : pc->text[q] == '-' ? 1.6 : 1.0;
        return w;
    }
}

/* Groups of the template open in TeX: a bracket of an outermost level in
 * a formula with fractions is \Bigl( ... \Bigr), others plain; a power of
 * e and a reciprocal are braces, inside which no line breaks. */
typedef struct tex_brackets {
    char open[64];     /* what each open group is: 'S' power, 'R' reciprocal, 'B' big, 'P' plain */
    int depth;         /* groups open */
    int sup;           /* of them braces (no line break inside one) */
} tex_brackets;

static void tex_open(tex_buf *b, tex_brackets *br, char kind)
{
    tb_put(b, kind == 'S' ? "e^{" : kind == 'R' ? "\\frac{1}{" : kind == 'B' ? "\\Bigl(" : "("); /* mutant: latex-reciprocal-plain */ /* mutant: latex-power-plain */
    if (br->depth < (int)sizeof br->open)
        br->open[br->depth] = kind;
    br->depth++;
    br->sup += kind == 'S' || kind == 'R';
}

/* The innermost group closed, as it was opened. */
static void tex_close(tex_buf *b, tex_brackets *br)
{
    char kind = br->depth > 0 && br->depth <= (int)sizeof br->open ? br->open[br->depth - 1] : 'P';
    if (br->depth > 0)
        br->depth--;
    br->sup -= kind == 'S' || kind == 'R';
    tb_put(b, kind == 'S' || kind == 'R' ? "}" : kind == 'B' ? "\\Bigr)" : ")");
}

/* A piece of the template's structure in TeX (functions upright: \ln). */
static void tex_structure(tex_buf *b, tex_brackets *br, const tr_piece *pc, int tall)
{
    switch (pc->op) {
    case TR_PIECE_FUNCTION:
        tb_put(b, "\\"); /* mutant: latex-function-slanted */
        tb_put(b, tr_function_name(pc->number));
        break;
    case TR_PIECE_OPEN:       tex_open(b, br, tall && br->depth == 0 ? 'B' : 'P'); break;
    case TR_PIECE_EXP:        tex_open(b, br, 'S'); break;
    case TR_PIECE_RECIPROCAL: tex_open(b, br, 'R'); break;
    case TR_PIECE_SQUARE:     tb_put(b, "^2"); break;
    default:                  tex_close(b, br); break;    /* CLOSE, EXP_END, RECIPROCAL_END */
    }
}

#define TEX_PIECES (TR_LAYOUT_OPS * 8)   /* pieces measured for line breaks */

/* The laid-out formula in TeX, with names (prec NULL) or numbers at *prec: each
 * piece of the template spelt in TeX, brackets sized to what they hold,
 * a line too long for the page broken before a "+". */
static void tex_formula(const tr_out *to, const tr_event *ev, const tr_prec *prec, char *out, size_t size)
{
    const nn_net *sh = &to->opt.lesson->shape;
    tex_buf b = { out, 0, size, 0 };
    char piece[512];
    const char *p = ev->formula;
    out[0] = '\0';
    /* pass 1: what is tall, and where the lines break (before which "+") */
    tr_piece pc;
    int tall = 0, n = 0, breaks[TEX_PIECES / 2] = { 0 }, n_breaks = 0;
    double width[TEX_PIECES];
    int plus[TEX_PIECES];
    for (p = ev->formula; n < TEX_PIECES && tr_template_next(ev->formula, &p, ev->n_ops, &pc); n++) {
        width[n] = piece_width(sh, ev, &pc, prec, &tall);
        plus[n] = pc.op == TR_PIECE_PLUS;
        if (pc.op == TR_PIECE_FRACTION || pc.op == TR_PIECE_RECIPROCAL)
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
            tb_put(&b, " \\cdot "); /* mutant: latex-times-as-star */
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
            snprintf(piece, sizeof piece, "\\frac{1}{%d}", pc.number); /* mutant: latex-fraction-dropped */
            tb_put(&b, piece);
            break;
        case TR_PIECE_TEXT:
            tb_putn(&b, pc.text, pc.len);
            break;
        default:
            if (pc.op < 0) {
                tex_structure(&b, &br, &pc, tall);
                break;
            }
            tex_operand(sh, &ev->ops[pc.op], prec, pc.enclosed, piece, sizeof piece);
            if (tr_op_reused(to, ev, pc.op)) {            /* marked as the stepper marks it */ /* mutant: latex-reused-unmarked */
                tb_put(&b, "\\reused{");
                tb_put(&b, piece);
                tb_put(&b, "}");
            } else {
                tb_put(&b, piece);
            }
            break;
        }
    }
    for (; br.depth > 0; br.depth--) {                    /* never an unclosed brace */
        char kind = br.depth <= (int)sizeof br.open ? br.open[br.depth - 1] : 'P';
        if (kind == 'S' || kind == 'R')
            tb_put(&b, "}");
    }
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
typedef enum note_kind { NOTE_TEXT, NOTE_WEAK, NOTE_OP, NOTE_STRONG } note_kind;

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

static int note_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The end of a subscript that starts at q: letters and digits, and an "_"
 * with more of them after it ("h2_1" of out_h2_1 is one subscript). */
static size_t note_sub_end(const char *w, size_t q, size_t n)
{
    while (q < n && (note_alnum(w[q]) || (w[q] == '_' && q + 1 < n && note_alnum(w[q + 1]) && q > 0 &&
                                          note_alnum(w[q - 1]))))
        q++;
    return q;
}

/* 0 when every "_" and "^" of the run gives TeX that compiles: each atom
 * (a name, a number, a bracket) takes at most one subscript and one
 * superscript, and each script has something in it.  x^a^b, x^^2, x_1^
 * and out_h1^2_3 are left as text. */
static int note_scripts_ok(const char *w, size_t n)
{
    enum { DEEP = 33 };
    int sub[DEEP] = { 0 }, sup[DEEP] = { 0 }, in_sup[DEEP] = { 0 }, d = 0;
    size_t after_script = (size_t)-1;          /* where the last script ended */
    for (size_t q = 0; q < n; q++) {
        char c = w[q];
        if (note_alnum(c)) {
            if (q == 0 || !note_alnum(w[q - 1]) || q == after_script)
                sub[d] = sup[d] = 0;           /* a new atom */
        } else if (c == '_') {
            size_t end = note_sub_end(w, q + 1, n);
            if (end == q + 1 || sub[d])
                return -1;
            sub[d] = 1;
            q = end - 1;
            after_script = end;
        } else if (c == '^') {
            if (q + 1 >= n || sup[d] || (w[q + 1] != '(' && !note_alnum(w[q + 1])))
                return -1;
            sup[d] = 1;
            if (w[q + 1] == '(') {
                if (++d >= DEEP)
                    return -1;
                sub[d] = sup[d] = 0;
                in_sup[d] = 1;
            } else {
                after_script = q + 2;
            }
            q++;
        } else if (c == '(') {
            if (++d >= DEEP)
                return -1;
            sub[d] = sup[d] = in_sup[d] = 0;
        } else if (c == ')') {
            if (d == 0)
                return -1;
            int closes_sup = in_sup[d--];
            if (!closes_sup)
                sub[d] = sup[d] = 0;           /* (x + 1) is an atom of its own */
            after_script = closes_sup ? q + 1 : after_script;
        } else {
            sub[d] = sup[d] = 0;               /* an operator or a space: a new atom follows */
        }
    }
    return 0;
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
    if (depth != 0 || note_scripts_ok(w, n) != 0) /* mutant: note-scripts-unchecked */
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
                tb_put(b, "\\"); /* mutant: latex-function-slanted */
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
            size_t run = note_sub_end(w, q + 1, n);
            tb_put(b, "_{\\mathrm{");
            for (size_t k = q + 1; k < run; k++)
                tb_put(b, w[k] == '_' ? "\\_" : (char[2]){ w[k], '\0' });
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
static void tex_note(const char *note, char *out, size_t size);

/* tex_note into a string of its own, room for the longest a character
 * becomes (a special as a command, "\\textasciitilde{}") and the math marks:
 * never cut (malloc'd, the caller frees; NULL when out of memory). */
static char *tex_note_dup(const char *note)
{
    size_t size = TEX_NOTE_GROWTH * strlen(note) + 64;
    char *s = malloc(size);
    if (s)
        tex_note(note, s, size);
    return s;
}

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
        if (note_math(note + run_start, run_end - run_start, &b) != 0) { /* mutant: note-math-plain */
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
    int n_values;             /* values in it (TEX_ALIGN at most: TeX's memory) */
    /* the summary form of a large lesson (tex_summary): one sample in full, the rest as tables */
    int summary;              /* on */
    int worked;               /* the sample worked in full */
    int n_batch_full;         /* batch values of this stage worked in full so far */
    int n_unit_full[NN_EV_KINDS][NN_MAX_LAYERS + 1];  /* the worked sample's values in full, by kind
                                                         and layer, this stage */
    struct tex_entry {
        int kind, layer, unit, sample;
        double value;
    } *entries;               /* the other samples' values of this stage */
    int n_entries, cap_entries;
    double *dw, *w_new;       /* gradients and updated weights not worked in full (W) */
    char *has;                /* 1 gradient, 2 update too */
} tex_state;

#define TEX_SUMMARY 200       /* values per step above which the summary form is used */
#define TEX_FULL_BATCH 2      /* gradients and updates worked in full per stage in it */
#define TEX_FULL_UNITS 4      /* of each layer, the worked sample's units in full */

#define TEX_ALIGN 24          /* values in one align* at most */

static void close_align(tr_out *out)
{
    tex_state *t = out->state;
    if (t && t->in_align)
        fputs("\n\\end{align*}\n", out->opt.fp);
    if (t)
        t->in_align = 0;
}

static void tex_cleanup(tr_out *out)
{
    tex_state *t = out->state;
    if (t) {
        free(t->entries);
        free(t->dw);
        free(t->w_new);
        free(t->has);
    }
    free(out->state);
    out->state = NULL;
}

/* A unit's name in TeX: "x_{1}", "h_{2}", "h_{1,2}" (layer 1, unit 2). */
static void unit_tex(const nn_net *sh, int l, int j, char *buf, size_t size)
{
    char name[32];
    nn_unit_name(sh, l, j, name, sizeof name);
    for (char *c = name; *c; c++)
        if (*c == '_')
            *c = ',';
    snprintf(buf, size, "%c_{%s}", name[0], name + 1);
}

/* Weight m's ends in TeX: "x_{1}" (or "1", the bias input) and "h_{1}". */
static void weight_ends(const nn_net *sh, int m, char *from, char *to, size_t size)
{
    int fl, fu, tl, tu;
    nn_w_units(sh, m, &fl, &fu, &tl, &tu);
    if (fu < 0)
        snprintf(from, size, "1");
    else
        unit_tex(sh, fl, fu, from, size);
    unit_tex(sh, tl, tu, to, size);
}

/* Page 1's figure: the network in TikZ, each line labelled with its
 * starting weight (tr_fig_plan lays it out). */
static int tex_figure(tr_out *out)
{
    const ls_lesson *L = out->opt.lesson;
    const nn_net *sh = &L->shape;
    FILE *fp = out->opt.fp;
    tr_fig *f = malloc(sizeof *f);
    char name[48], num[TR_NUM_SIZE];
    if (!f)
        return -1;
    tr_fig_plan(sh, L->weights, tr_out_prec(out), f);
    fprintf(fp, "\n\\%ssection*{The network}\n\\begin{center}\n", out->ws.sheet ? "sub" : "");
    fputs("\\begin{tikzpicture}[x=1cm, y=1cm, >=stealth,\n"
          "  unit/.style={draw, circle, minimum size=8mm, inner sep=1pt, font=\\small},\n"
          "  bias/.style={draw, dashed, rectangle, minimum size=6mm, font=\\small},\n"
          "  lbl/.style={fill=white, text=black, inner sep=1pt, font=\\footnotesize}]\n", fp); /* mutant: figure-labels-tiny */
    for (int q = 0; q < f->n_nodes; q++) {
        const tr_fig_node *n = &f->nodes[q];
        if (n->unit == TR_FIG_MORE) {
            fprintf(fp, "\\node[font=\\small] (n%d) at (%.2f,%.2f) {$\\vdots$ %d more};\n", q, n->x, n->y,
                    sh->size[n->layer] - 7);
        } else if (n->unit == TR_FIG_BIAS) {
            fprintf(fp, "\\node[bias] (n%d) at (%.2f,%.2f) {$1$};\n", q, n->x, n->y);
        } else {
            unit_tex(sh, n->layer, n->unit, name, sizeof name);
            fprintf(fp, "\\node[unit] (n%d) at (%.2f,%.2f) {$%s$};\n", q, n->x, n->y, name);
        }
    }
    for (int l = 0; l <= sh->n_layers; l++) {
        const char *what = l == 0 ? "input" : l == sh->n_layers ? "output" : "hidden";
        fprintf(fp, "\\node[font=\\footnotesize\\bfseries] at (%.2f,%.2f) {%s};\n", l * f->col_gap, 0.9, what);
    }
    for (int e = 0; e < f->n_edges; e++) {
        const tr_fig_edge *ed = &f->edges[e];
        fprintf(fp, "\\draw[->, gray] (n%d) -- (n%d)", ed->from, ed->to);
        if (f->labels && f->label_values)
            fprintf(fp, " node[lbl, pos=%.2f] {$w_{%d} = %s$}", ed->pos, ed->weight + 1,
                    tr_fmt_num_given(L->weights[ed->weight], tr_out_prec(out), num));
        else if (f->labels)
            fprintf(fp, " node[lbl, pos=%.2f] {$w_{%d}$}", ed->pos, ed->weight + 1);
        fputs(";\n", fp);
    }
    fputs("\\end{tikzpicture}\n\\end{center}\n", fp);
    if (!f->labels)
        fputs("The lines are too many to label; the table below gives the weights.\n\n", fp);
    else if (!f->label_values)
        fputs("Each line is labelled with its weight's name; the table below gives their values.\n\n", fp);
    free(f);
    return 0;
}

/* Page 1's table of the starting weights, three to a row. */
static void tex_weights(tr_out *out)
{
    const ls_lesson *L = out->opt.lesson;
    const nn_net *sh = &L->shape;
    FILE *fp = out->opt.fp;
    int W = sh->n_weights, shown = W <= TEX_LIST ? W : TEX_LIST / 2;
    char from[48], to[48], num[TR_NUM_SIZE];
    int per_row = sh->n_layers > 2 || W > 99 ? 3 : 4;     /* long names: three to a row */
    fprintf(fp, "\\subsection*{Weights before step 1}\n{\\footnotesize\\begin{tabular}{lr%s}\n",
            per_row == 3 ? "@{\\qquad}lr@{\\qquad}lr" : "@{\\quad}lr@{\\quad}lr@{\\quad}lr");
    for (int m = 0; m < shown; m++) {
        weight_ends(sh, m, from, to, sizeof from);
        fprintf(fp, "$w_{%d}$ ($%s \\to %s$) & $%s$%s", m + 1, from, to, tr_fmt_num_given(L->weights[m], tr_out_prec(out), num),
                m % per_row == per_row - 1 || m + 1 == shown ? " \\\\\n" : " & ");
    }
    fputs("\\end{tabular}}\n\n", fp);
    if (shown < W)
        fprintf(fp, "\\dots{} and %d more (\\texttt{nntrace trace --format csv} lists every value).\n\n",
                W - shown);
}

/* Page 1's table of step 1's batch: each sample's inputs and targets. */
static void tex_batch(tr_out *out)
{
    const ls_lesson *L = out->opt.lesson;
    const nn_net *sh = &L->shape;
    FILE *fp = out->opt.fp;
    int N = nn_n_inputs(sh), O = nn_n_outputs(sh);
    int ni = N <= 8 ? N : 5, no = O <= 6 ? O : 4;          /* columns shown, then ... and the last */
    char num[TR_NUM_SIZE], name[48];
    char spec[64] = "ll|";
    size_t at = 3;
    for (int i = 0; i < ni; i++)
        at += (size_t)snprintf(spec + at, sizeof spec - at, ni < N && i == ni - 1 ? "cr" : "r");
    at += (size_t)snprintf(spec + at, sizeof spec - at, "|");
    for (int k = 0; k < no; k++)
        at += (size_t)snprintf(spec + at, sizeof spec - at, no < O && k == no - 1 ? "cr" : "r");
    fprintf(fp, "\\subsection*{The batch of step 1}\n{\\small\\begin{tabular}{%s}\nsample & row", spec);
    for (int i = 0; i < ni; i++) {
        int col = i < ni - 1 || ni == N ? i : N - 1;
        if (ni < N && i == ni - 1)
            fputs(" & $\\dots$", fp);
        unit_tex(sh, 0, col, name, sizeof name);
        fprintf(fp, " & $%s$", name);
    }
    for (int k = 0; k < no; k++) {
        int col = k < no - 1 || no == O ? k : O - 1;
        if (no < O && k == no - 1)
            fputs(" & $\\dots$", fp);
        fprintf(fp, " & $y_{%d}$", col + 1);
    }
    fputs(" \\\\\n\\hline\n", fp);
    for (int s = 0; s < L->batch_size; s++) {
        int r = ls_batch_row(L, 1, s);
        fprintf(fp, "$X_{%d}$ & %d", s + 1, r + 1);
        for (int i = 0; i < ni; i++) {
            int col = i < ni - 1 || ni == N ? i : N - 1;
            if (ni < N && i == ni - 1)
                fputs(" & $\\dots$", fp);
            fprintf(fp, " & $%s$", tr_fmt_num_given(L->x[(size_t)r * N + col], tr_out_prec(out), num));
        }
        for (int k = 0; k < no; k++) {
            int col = k < no - 1 || no == O ? k : O - 1;
            if (no < O && k == no - 1)
                fputs(" & $\\dots$", fp);
            fprintf(fp, " & $%s$", tr_fmt_num_given(L->y[(size_t)r * O + col], tr_out_prec(out), num));
        }
        fputs(" \\\\\n", fp);
    }
    fputs("\\end{tabular}}\n\n", fp);
}

static int tex_begin(tr_out *out)
{
    const ls_lesson *L = out->opt.lesson;
    FILE *fp = out->opt.fp;
    tex_state *t = calloc(1, sizeof(tex_state));
    out->state = t;
    if (!t)
        return -1;
    /* the values one step shows: per sample its nets, outs, loss and derivatives, then the batch's */
    const nn_net *sh = &L->shape;
    long per_sample = 1, W = sh->n_weights;
    for (int l = 1; l <= sh->n_layers; l++)
        per_sample += 4L * sh->size[l];
    t->summary = (long)L->batch_size * per_sample + 1 + 2 * W > TEX_SUMMARY && !out->opt.only_sample && !out->ws.sheet; /* mutant: latex-summary-never */
    t->worked = out->opt.only_sample ? out->opt.only_sample : 1;
    if (t->summary) {
        t->dw = calloc((size_t)W, sizeof(double));
        t->w_new = calloc((size_t)W, sizeof(double));
        t->has = calloc((size_t)W, 1);
        if (!t->dw || !t->w_new || !t->has)
            return -1;
    }
    char rule[96], *text = tx_dup_with(tr_escape_latex, L->title);   /* the title, never cut */
    if (!text)
        return -1;
    tr_prec_words(tr_out_prec(out), rule, sizeof rule);
    if (out->ws.sheet && out->ws.answers) {                     /* the answer key: values only */
        if (out->ws.sheet == 1)
            fputs("\n\\section*{Answer key}\n", fp);
        fprintf(fp, "\n\\subsection*{Sheet %d}\n", out->ws.sheet);
        free(text);
        return ferror(fp) ? -1 : 0;
    }
    if (out->ws.sheet <= 1)
        fprintf(fp, "%% Made by nntrace: %s.\n"
                    "\\documentclass[a4paper,10pt]{article}\n"
                    "\\usepackage[T1]{fontenc}\n"
                    "\\usepackage[utf8]{inputenc}\n"
                    "\\usepackage{lmodern}\n"
                    "\\usepackage{amsmath}\n"
                    "\\usepackage[margin=2.2cm]{geometry}\n"
                    "\\usepackage{tikz}\n"
                    "\\definecolor{reusedbg}{rgb}{1,0.92,0.5}\n"
                    "\\newcommand{\\reused}[1]{\\colorbox{reusedbg}{$\\displaystyle #1$}}\n"
                    "\\allowdisplaybreaks\n"
                    "\\setlength{\\parindent}{0pt}\n"
                    "\\setlength{\\emergencystretch}{3em}\n"
                    "\\setlength{\\parskip}{0.5em}\n"
                    "\\begin{document}\n",
                out->ws.sheet ? "worksheets for backpropagation by hand" : "the full derivation of one lesson");
    if (out->ws.sheet)
        fprintf(fp, "\\section*{Sheet %d}\n{\\large %s}\n\nName: \\underline{\\hspace{7cm}}\n\n"
                    "Work out every blank of the stages below from the weights and the batch, as the "
                    "worked stages show. Write each value %s, but carry your calculator's full value "
                    "into the next one. A value worked from the rounded numbers printed on this sheet "
                    "can differ from the key in its last digit: beside each answer the key gives the "
                    "value it was rounded from, four digits longer.\n\n", out->ws.sheet, text, rule);
    else
        fprintf(fp, "{\\Large\\bfseries Backpropagation, step by step: %s\\par}\n\n", text);
    free(text);
    tr_setup su;
    tr_setup_make(out, TR_TEX, &su);
    fputs("\\begin{description}\n", fp);
    for (int q = 0; q < su.n; q++)
        fprintf(fp, "\\item[%s] %s.\n", su.line[q].label, su.line[q].text);
    char *from = tx_dup_with(tr_escape_latex, L->weights_from);
    fprintf(fp, "\\item[Weights] %s.\n\\end{description}\n", from ? from : "?");
    free(from);
    if (tex_figure(out) != 0)
        return -1;
    tex_weights(out);
    tex_batch(out);
    fputs("\\clearpage\n", fp);
    return ferror(fp) ? -1 : 0;
}

/* A table in plain tabulars of at most TEX_TABLE_ROWS rows, each headed
 * again: longtable would need a second pdflatex run for its widths, and the
 * handout is documented as one run. */
typedef struct tex_table {
    FILE *fp;                 /* where it goes */
    const char *size;         /* "\\small", "\\footnotesize" */
    const char *spec;         /* the column spec, "llrrr" */
    const char *head;         /* the header row, without its "\\\\" */
    int max_rows;             /* rows a page holds at that size, a heading above */
    int rows;                 /* rows in the open tabular */
} tex_table;
#define TEX_TABLE_ROWS 52     /* rows of \\small a page holds, with a heading above */
#define TEX_TABLE_ROWS_FOOTNOTE 70   /* ... of \\footnotesize */

static void tt_open(tex_table *tt)
{
    fprintf(tt->fp, "{%s\\begin{tabular}{%s}\n%s \\\\\n\\hline\n", tt->size, tt->spec, tt->head);
    tt->rows = 0;
}

/* Before each row: a new tabular when this one is full (so none is left
 * holding its header alone). */
static void tt_row(tex_table *tt)
{
    if (tt->rows == tt->max_rows) { /* mutant: latex-table-split-early */
        fputs("\\end{tabular}}\n\n\\smallskip\n", tt->fp);
        tt_open(tt);
    }
    tt->rows++;
}

static void tt_close(tex_table *tt)
{
    fputs("\\end{tabular}}\n\n", tt->fp);
}

/* Summary form: the other samples' values of the stage just ended, as a
 * table (a row per sample, a column per value; more than 8 columns: the
 * first 5, dots, the last 2). */
static void flush_samples(tr_out *out)
{
    tex_state *t = out->state;
    const nn_net *sh = &out->opt.lesson->shape;
    FILE *fp = out->opt.fp;
    if (!t->summary || t->n_entries == 0)
        return;
    /* the columns: distinct (kind, layer, unit) in order */
    int n_cols = 0, col_at[64];
    for (int q = 0; q < t->n_entries && n_cols < 64; q++) {
        const struct tex_entry *e = &t->entries[q];
        int seen = 0;
        for (int c = 0; c < n_cols && !seen; c++) {
            const struct tex_entry *f = &t->entries[col_at[c]];
            seen = f->kind == e->kind && f->layer == e->layer && f->unit == e->unit;
        }
        if (!seen)
            col_at[n_cols++] = q;
    }
    int shown[9], n_shown = 0;
    for (int c = 0; c < n_cols; c++)
        if (n_cols <= 8 || c < 5 || c >= n_cols - 2)
            shown[n_shown++] = c;
    char spec[16], head[9 * (512 + 16)];         /* at most 9 symbols of 511 bytes, each after " & " */
    size_t at = 0;
    snprintf(spec, sizeof spec, "l%s", n_cols > 8 ? "rrrrrcrr" : "rrrrrrrr" + (8 - n_cols));
    head[0] = '\0';
    for (int c = 0; c < n_shown; c++) {
        const struct tex_entry *f = &t->entries[col_at[shown[c]]];
        char sym[512];
        tr_symbol(sh, f->kind, f->layer, f->unit, 0, TR_TEX, sym, sizeof sym);
        int w = snprintf(head + at, sizeof head - at, "%s$%s$", c == 5 && n_cols > 8 ? " & $\\dots$ & " : " & ",
                         sym);
        if (w < 0 || (size_t)w >= sizeof head - at)
            break;                                /* never: head holds 9 of the longest */
        at += (size_t)w;
    }
    fputs("Every sample, the same values:\n\n", fp);
    tex_table tt = { fp, "\\small", spec, head, TEX_TABLE_ROWS, 0 };
    tt_open(&tt);
    for (int smp = 1; smp <= out->opt.lesson->batch_size; smp++) {
        tt_row(&tt);
        fprintf(fp, "$X_{%d}$", smp);
        for (int c = 0; c < n_shown; c++) {
            const struct tex_entry *f = &t->entries[col_at[shown[c]]];
            char num[TR_NUM_SIZE];
            const char *cell = "";
            for (int q = 0; q < t->n_entries; q++) {
                const struct tex_entry *e = &t->entries[q];
                if (e->sample == smp && e->kind == f->kind && e->layer == f->layer && e->unit == f->unit)
                    cell = tr_fmt_num(e->value, tr_out_prec(out), num);
            }
            fprintf(fp, "%s$%s$", c == 5 && n_cols > 8 ? " & & " : " & ", cell);
        }
        fputs(" \\\\\n", fp);
    }
    tt_close(&tt);
    t->n_entries = 0;
}

/* Summary form: the gradients and updates not worked in full, as one table
 * (four weights to a row), after stage 6. */
static void flush_weights(tr_out *out)
{
    tex_state *t = out->state;
    FILE *fp = out->opt.fp;
    int W = out->opt.lesson->shape.n_weights, n = 0;
    if (!t->summary)
        return;
    for (int m = 0; m < W; m++)
        n += t->has[m] == 2;
    if (n == 0)
        return;
    fprintf(fp, "The other %d weights (three to a row): $\\partial E_{\\mathrm{final}}/\\partial w$ (stages 4 and 5) and the "
                "updated $w$, each $w - \\eta \\cdot \\partial E_{\\mathrm{final}}/\\partial w$:\n\n", n);
    tex_table tt = { fp, "\\footnotesize", "lrr@{\\qquad}lrr@{\\qquad}lrr",
                     "& $\\partial E/\\partial w$ & new & & $\\partial E/\\partial w$ & new & "
                     "& $\\partial E/\\partial w$ & new", TEX_TABLE_ROWS_FOOTNOTE, 0 };
    tt_open(&tt);
    int k = 0;
    for (int m = 0; m < W; m++) {
        if (t->has[m] != 2)
            continue;
        char a[TR_NUM_SIZE], b[TR_NUM_SIZE];
        if (k % 3 == 0)                          /* a row begins */
            tt_row(&tt);
        fprintf(fp, "$w_{%d}$ & $%s$ & $%s$%s", m + 1, tr_fmt_num(t->dw[m], tr_out_prec(out), a),
                tr_fmt_num(t->w_new[m], tr_out_prec(out), b), ++k % 3 == 0 || k == n ? " \\\\\n" : " & ");
        t->has[m] = 0;
    }
    tt_close(&tt);
}

/* Keep a value for the summary's tables instead of working it in full;
 * 0 if it is to be worked in full, -1 out of memory. */
static int summarise(tr_out *out, const tr_event *ev)
{
    tex_state *t = out->state;
    if (!t->summary)
        return 0;
    if (ev->sample > 0) {
        if (t->n_entries == t->cap_entries) {
            int cap = t->cap_entries ? 2 * t->cap_entries : 256;
            struct tex_entry *e = realloc(t->entries, (size_t)cap * sizeof *e);
            if (!e)
                return -1;
            t->entries = e;
            t->cap_entries = cap;
        }
        t->entries[t->n_entries++] = (struct tex_entry){ ev->kind, ev->layer, ev->unit, ev->sample, ev->value };
        if (ev->sample != t->worked || ev->kind < 0 || ev->kind >= NN_EV_KINDS || ev->layer < 0 ||
            ev->layer > NN_MAX_LAYERS)
            return 1;
        if (t->n_unit_full[ev->kind][ev->layer] >= TEX_FULL_UNITS)
            return 1;                                      /* in the table only */
        t->n_unit_full[ev->kind][ev->layer]++;
        return 0;
    }
    if ((ev->kind != NN_EV_GRADIENT && ev->kind != NN_EV_UPDATE) || ev->weight < 1 ||
        ev->weight > out->opt.lesson->shape.n_weights)
        return 0;
    if (t->n_batch_full < TEX_FULL_BATCH) {
        t->n_batch_full++;
        return 0;
    }
    if (ev->kind == NN_EV_GRADIENT) {
        t->dw[ev->weight - 1] = ev->value;
        t->has[ev->weight - 1] = 1;
    } else if (t->has[ev->weight - 1]) {
        t->w_new[ev->weight - 1] = ev->value;
        t->has[ev->weight - 1] = 2;
    }
    return 1;
}

/* The last page: every weight before step 1 and after the last step (more
 * than TEX_CHANGES: the 20 that moved most), and E_final before and after. */
static void tex_before_after(tr_out *out)
{
    const ls_lesson *L = out->opt.lesson;
    const nn_net *sh = &L->shape;
    FILE *fp = out->opt.fp;
    int W = sh->n_weights;
    char a[TR_NUM_SIZE], b[TR_NUM_SIZE], c[TR_NUM_SIZE], from[48], to[48];
    if (!out->now->w_end)
        return;
    /* kept together (a minipage) when it fits one page, so it follows stage 6
     * on its page or starts the next, never leaving a page nearly empty */
    int rows = W > TEX_CHANGES ? 20 : W, together = rows <= TEX_TABLE_ROWS;
    if (together)
        fputs("\n\\bigskip\n\\noindent\\begin{minipage}{\\linewidth}\n\\setlength{\\parskip}{0.5em}\n", fp);
    fprintf(fp, "\n\\section*{Before and after}\n"
                "$E_{\\mathrm{final}}$ of the batch of step 1: $%s$ with the starting weights, $%s$ with the "
                "weights after step %d.\n\n",
            tr_fmt_num(out->now->e_start, tr_out_prec(out), a), tr_fmt_num(out->now->e_end, tr_out_prec(out), b), out->opt.steps);
    int top[20], n_top = 0;
    if (W > TEX_CHANGES) {
        n_top = tr_most_changed(out->now->w_change, W, top, 20);
        fprintf(fp, "The 20 of the %d weights that moved most (\\texttt{nntrace trace --format csv} lists "
                    "every one):\n\n", W);
    }
    tex_table tt = { fp, "\\small", "llrrr", "weight & & before & after & change", TEX_TABLE_ROWS, 0 };
    tt_open(&tt);
    for (int q = 0; q < (W > TEX_CHANGES ? n_top : W); q++) {
        int m = W > TEX_CHANGES ? top[q] : q;
        tt_row(&tt);
        weight_ends(sh, m, from, to, sizeof from);
        fprintf(fp, "$w_{%d}$ & $%s \\to %s$ & $%s$ & $%s$ & $%s$ \\\\\n", m + 1, from, to,
                tr_fmt_num_given(L->weights[m], tr_out_prec(out), a), tr_fmt_num(out->now->w_end[m], tr_out_prec(out), b),
                tr_fmt_num(out->now->w_change[m], tr_out_prec(out), c));
    }
    tt_close(&tt);
    if (together)
        fputs("\\end{minipage}\n", fp);

}

static int tex_stage(tr_out *out, int step, int stage)
{
    const ls_lesson *L = out->opt.lesson;
    FILE *fp = out->opt.fp;
    tex_state *t = out->state;
    close_align(out);
    flush_samples(out);
    flush_weights(out);
    t->n_batch_full = 0;
    memset(t->n_unit_full, 0, sizeof t->n_unit_full);
    char heading[160];
    tr_stage_heading(out, stage, out->now->layer, heading, sizeof heading);
    const char *level = out->ws.sheet ? (out->ws.answers ? "subsub" : "sub") : "";
    if (out->opt.steps > 1)
        fprintf(fp, "\n\\%ssection*{Step %d, %s}\n", level, step, heading);
    else
        fprintf(fp, "\n\\%ssection*{%s}\n", level, heading);
    if (out->ws.answers)
        return ferror(fp) ? -1 : 0;
    if (L->notes[stage - 1] && !out->now->stage_again) {
        char *tex = tr_note_escaped(out, stage, tex_note_dup);
        if (!tex)
            return -1;
        fprintf(fp, "\\emph{%s}\n\n", tex);
        free(tex);
    }
    if (stage == NN_STAGE_HIDDEN_BACKWARD) {
        fprintf(fp, "%s\n\n", tr_stage5_reuse(out, TR_TEX));     /* our own TeX, not the lesson's */
    }
    if (t->summary && !out->now->stage_again && stage <= NN_STAGE_HIDDEN_BACKWARD)
        fprintf(fp, "Sample $X_{%d}$ worked in full (the first %d units of each layer); every "
                    "sample's values in a table at the end of the stage.\n\n", t->worked,
                TEX_FULL_UNITS);
    return ferror(fp) ? -1 : 0;
}

static int tex_event(tr_out *out, const tr_event *ev)
{
    FILE *fp = out->opt.fp;
    int kept = summarise(out, ev);
    if (kept != 0)
        return kept < 0 ? -1 : 0;
    char *symbolic = malloc(TEX_SIZE), *numbers = malloc(TEX_SIZE), sym[512], num[TR_NUM_SIZE];
    if (!symbolic || !numbers) {
        free(symbolic);
        free(numbers);
        return -1;
    }
    tr_prec prec = tr_out_prec(out);
    tex_formula(out, ev, NULL, symbolic, TEX_SIZE);
    tex_formula(out, ev, &prec, numbers, TEX_SIZE);
    tr_symbol(&out->opt.lesson->shape, ev->kind, ev->layer, ev->unit, ev->weight, TR_TEX, sym, sizeof sym);
    tex_state *t = out->state;
    if (t->in_align && (t->sample != ev->sample || t->n_values >= TEX_ALIGN))
        close_align(out);
    if (!t->in_align) {
        fputs("\\begin{align*}\n", fp);
        t->n_values = 0;
    }
    else
        fputs(" \\\\[6pt]\n", fp);
    t->in_align = 1;
    t->sample = ev->sample;
    t->n_values++;
    if (ev->sample > 0)
        fprintf(fp, "X_{%d}\\colon\\ ", ev->sample);
    if (out->ws.sheet && !out->ws.answers && (out->ws.blank >> (ev->stage - 1) & 1u)) /* mutant: worksheet-nothing-blank */
        fprintf(fp, "%s &= %s \\\\\n  &= \\underline{\\hspace{6cm}}", sym, symbolic);   /* a blank */
    else
        fprintf(fp, "%s &= %s \\\\\n  &= %s \\\\\n  &= %s", sym, symbolic, numbers,
                tr_fmt_num(ev->value, tr_out_prec(out), num));
    if (out->ws.sheet && out->ws.answers)                   /* the key: and what it rounds from */ /* mutant: worksheet-key-no-source */
        fprintf(fp, " \\qquad\\text{\\footnotesize (rounded from %s)}", tr_fmt_num_longer(ev->value, tr_out_prec(out), 4, num));
    free(symbolic);
    free(numbers);
    return ferror(fp) ? -1 : 0;
}

static int tex_end(tr_out *out)
{
    close_align(out);
    flush_samples(out);
    flush_weights(out);
    if (out->ws.sheet) {                                     /* a sheet: no "before and after" */
        if (!out->ws.answers)
            fputs("\n\\clearpage\n", out->opt.fp);
        if (out->ws.answers && out->ws.sheet == out->ws.last_sheet)
            fputs("\n\\end{document}\n", out->opt.fp);
        return ferror(out->opt.fp) ? -1 : 0;
    }
    tex_before_after(out);
    fputs("\n\\end{document}\n", out->opt.fp);
    return ferror(out->opt.fp) ? -1 : 0;
}

const tr_writer tr_writer_latex = { "latex", tex_begin, tex_stage, tex_event, tex_end, tex_cleanup, 0 };
