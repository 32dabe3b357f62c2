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

static void tb_put(tex_buf *b, const char *text)
{
    size_t n = strlen(text);
    if (b->len + n + 1 > b->cap)
        n = b->cap > b->len + 1 ? b->cap - b->len - 1 : 0;
    memcpy(b->s + b->len, text, n);
    b->len += n;
    b->s[b->len] = '\0';
    b->line += n;
}

/* A symbol in TeX: w12 -> w_{12}, net_h1 -> \mathit{net}_{h1}, E_total ->
 * E_{\mathrm{total}}, dE_total/dout_o1 -> \frac{\partial E_{...}}{\partial out_{o1}}. */
static void tex_symbol(const char *name, char *out, size_t size)
{
    const char *slash = strchr(name, '/');
    if (name[0] == 'd' && slash) {
        char top[64], bottom[64], a[128], b[128];
        snprintf(top, sizeof top, "%.*s", (int)(slash - name - 1), name + 1);
        snprintf(bottom, sizeof bottom, "%s", slash + 2);
        tex_symbol(top, a, sizeof a);
        tex_symbol(bottom, b, sizeof b);
        snprintf(out, size, "\\frac{\\partial %s}{\\partial %s}", a, b);
        return;
    }
    if (strcmp(name, "eta") == 0) {
        snprintf(out, size, "\\eta");
        return;
    }
    const char *us = strchr(name, '_');
    if (us) {
        if (name[0] == 'E')
            snprintf(out, size, "E_{\\mathrm{%s}}", us + 1);
        else
            snprintf(out, size, "\\mathit{%.*s}_{%s}", (int)(us - name), name, us + 1);
        return;
    }
    size_t letters = strcspn(name, "0123456789");
    if (letters > 0 && name[letters])
        snprintf(out, size, "%.*s_{%s}", (int)letters, name, name + letters);
    else
        snprintf(out, size, "%s", name);
}

/* An operand name, with its sample: X2:out_h1 -> \left.\mathit{out}_{h1}\right|_{X_2}. */
static void tex_operand(const char *name, char *out, size_t size)
{
    int sample = 0, used = 0;
    char sym[256];
    if (sscanf(name, "X%d:%n", &sample, &used) == 1 && used > 0) {
        tex_symbol(name + used, sym, sizeof sym);
        snprintf(out, size, "\\left.%s\\right|_{X_{%d}}", sym, sample);
    } else {
        tex_symbol(name, out, size);
    }
}

/* The template in TeX, with names (digits < 0) or numbers. */
static void tex_formula(const nn_net *sh, const nn_event *ev, int digits, char *out, size_t size)
{
    tex_buf b = { out, 0, size, 0 };
    char piece[512];
    const char *p = ev->formula;
    out[0] = '\0';
    /* a sigmoid neuron's out: typeset as a fraction of its one operand, net */
    if (ev->kind == NN_EV_OUT && ev->layer >= 1 && ev->layer <= sh->n_layers &&
        sh->act[ev->layer] == NN_ACT_SIGMOID && ev->n_ops == 1) {
        int q = 0;
        if (digits < 0)
            tex_operand(ev->ops[q].name, piece, sizeof piece);
        else
            tr_render_operand(&ev->ops[q], digits, piece);
        tb_put(&b, "\\frac{1}{1 + e^{-");
        tb_put(&b, piece);
        tb_put(&b, "}}");
        return;
    }
    tr_piece pc;
    while (tr_template_next(&p, ev->n_ops, &pc)) {
        if (pc.op >= 0) {
            if (digits < 0)
                tex_operand(ev->ops[pc.op].name, piece, sizeof piece);
            else
                tr_render_operand(&ev->ops[pc.op], digits, piece);
            tb_put(&b, piece);
            continue;
        }
        if (pc.op == TR_PIECE_BAD)
            continue;
        /* a run of text: its operators in TeX */
        const char *t = pc.text, *end = pc.text + pc.len;
        while (t < end) {
            if (end - t >= 3 && strncmp(t, " + ", 3) == 0 && b.line > TEX_BREAK) {
                tb_put(&b, " \\\\\n  &\\quad + ");
                b.line = 0;
                t += 3;
            } else if (*t == '*') {
                tb_put(&b, " \\cdot ");
                t++;
            } else if (end - t >= 3 && strncmp(t, "...", 3) == 0) {
                tb_put(&b, "\\dots{}");
                t += 3;
            } else if (end - t >= 3 && t[0] == '1' && t[1] == '/' && t[2] >= '0' && t[2] <= '9') {
                int n = 0;
                for (t += 2; t < end && *t >= '0' && *t <= '9'; t++)
                    n = n < 100000000 ? n * 10 + (*t - '0') : n;
                snprintf(piece, sizeof piece, "\\frac{1}{%d}", n);
                tb_put(&b, piece);
            } else {
                char c[2] = { *t++, 0 };
                tb_put(&b, c);
            }
        }
    }
}

static int tex_begin(tr_out *out)
{
    const ls_lesson *L = out->lesson;
    FILE *fp = out->fp;
    char text[8192], a[TR_NUM_SIZE];
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
    char desc[256];
    ls_describe(L, desc, sizeof desc);
    fprintf(fp, "\\begin{description}\n"
                "\\item[Network] %s.\n"
                "\\item[Training] learning rate $\\eta = %s$; batch of %d sample%s; %d step%s.\n"
                "\\item[Numbers] rounded to %d digits after the decimal point; every bias input $b$ is 1.\n",
            desc, tr_fmt_given(L->learning_rate, a), L->batch_size,
            L->batch_size == 1 ? "" : "s", out->steps, out->steps == 1 ? "" : "s", out->digits);
    if (L->standardized)
        fprintf(fp, "\\item[Inputs] standardized: each column scaled to mean 0, standard deviation 1.\n");
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
    if (L->notes[stage - 1]) {
        tr_escape_latex(L->notes[stage - 1], text, sizeof text);
        fprintf(fp, "\\emph{%s}\n\n", text);
    }
    if (stage == NN_STAGE_HIDDEN_BACKWARD) {
        tr_escape_latex(tr_stage5_reuse(out), text, sizeof text);
        fprintf(fp, "%s\n\n", text);
    }
    return ferror(fp) ? -1 : 0;
}

static int tex_event(tr_out *out, const nn_event *ev)
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
    tex_symbol(ev->symbol, sym, sizeof sym);
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
