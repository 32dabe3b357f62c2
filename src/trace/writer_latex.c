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
#define TEX_BREAK  70      /* break a long line at the next " + " after this many characters */

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

/* The laid-out formula in TeX, with names (digits < 0) or numbers: each
 * operator of the template spelt in TeX, a long line broken at a "+". */
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
    tr_piece pc;
    while (tr_template_next(ev->formula, &p, ev->n_ops, &pc)) {
        switch (pc.op) {
        case TR_PIECE_BAD:
            break;
        case TR_PIECE_TIMES:
            tb_put(&b, " \\cdot ");
            break;
        case TR_PIECE_PLUS:
            if (b.line > TEX_BREAK) {
                tb_put(&b, " \\\\\n  &\\quad + ");
                b.line = 0;
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
            tb_putn(&b, pc.text, pc.len);
            break;
        default:
            tex_operand(sh, &ev->ops[pc.op], digits, pc.enclosed, piece, sizeof piece);
            tb_put(&b, piece);
            break;
        }
    }
}

static int tex_begin(tr_out *out)
{
    const ls_lesson *L = out->lesson;
    FILE *fp = out->fp;
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
    char text[8192];
    char heading[160];
    tr_stage_heading(out, stage, heading, sizeof heading);
    if (out->steps > 1)
        fprintf(fp, "\n\\section*{Step %d, %s}\n", step, heading);
    else
        fprintf(fp, "\n\\section*{%s}\n", heading);
    if (L->notes[stage - 1] && !out->stage_again) {
        tr_escape_latex(L->notes[stage - 1], text, sizeof text);
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
    fputs("\\begin{align*}\n", fp);
    if (ev->sample > 0)
        fprintf(fp, "X_{%d}\\colon\\ ", ev->sample);
    fprintf(fp, "%s &= %s \\\\\n  &= %s \\\\\n  &= %s\n\\end{align*}\n", sym, symbolic, numbers,
            tr_fmt_fixed(ev->value, out->digits, num));
    free(symbolic);
    free(numbers);
    return ferror(fp) ? -1 : 0;
}

static int tex_end(tr_out *out)
{
    fputs("\n\\end{document}\n", out->fp);
    return ferror(out->fp) ? -1 : 0;
}

const tr_writer tr_writer_latex = { "latex", tex_begin, tex_stage, tex_event, tex_end, NULL };
