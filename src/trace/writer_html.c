/*
 * writer_html.c - the stepper as one self-contained web page.
 *
 * The page (src/trace/html/stepper.html, compiled in as tr_html_page) holds
 * the style and the script; this writer puts the lesson and every event in
 * at its "<!-- nntrace:data -->" mark, as JSON in a
 * <script type="application/json"> element.  The script builds the figure
 * and the panels with createElement and textContent only, so no text from
 * the lesson can become markup; in the JSON, "<", ">" and "&" are written as
 * \u003c, \u003e, \u0026, so no text can close the element either.  The
 * page's Content-Security-Policy forbids every request: nothing is fetched.
 *
 * Data (one object): title, setup [[label, text]...], digits, steps, matrix
 * (1: open in the matrix view, trace --view matrix),
 * layers [{title, act, units [names], cols [data column names, inputs only]}],
 * weights [{from [layer, unit or -1 for the bias input], to [layer, unit], v}],
 * image [width, height] ([0, 0]: the inputs are no image), batch [per step
 * [per sample {row, x [...], y [...], and for an image px [each pixel 0..1,
 * scaled to the picture's own range] and label}]],
 * events: a stage heading {head, step, stage, reuse, note [runs of text, and
 * each live value {kind, layer, unit, weight, sample, v}]} before each stage's
 * values, and each value {id, step, stage, sample, kind, layer, unit, weight,
 * sym, val, f, ops}: f the formula as pieces (a string, or [operand, its
 * number]); ops [{name, kind, layer, unit, weight, reused}].
 */
#include "trace.h"

#include <stdlib.h>
#include <string.h>

extern const char tr_html_page[];   /* generated from src/trace/html/stepper.html */

#define HTML_MARK "<!-- nntrace:data -->"

/* What the writer remembers between events. */
typedef struct html_state {
    int n_written;              /* items written into the events array */
} html_state;

/* A JSON string that is safe inside a <script> element. */
static void put_json(FILE *fp, const char *text)
{
    size_t size = strlen(text) * 6 + 16;
    char *buf = malloc(size);
    if (!buf) {
        fputs("\"\"", fp);
        return;
    }
    tr_escape_json(text, buf, size);
    fputc('"', fp);
    for (const char *p = buf; *p; p++) {
        if (*p == '<') /* mutant: html-lt-unescaped */
            fputs("\\u003c", fp);
        else if (*p == '>')
            fputs("\\u003e", fp);
        else if (*p == '&')
            fputs("\\u0026", fp);
        else
            fputc(*p, fp);
    }
    fputc('"', fp);
    free(buf);
}

static void html_cleanup(tr_out *out)
{
    free(out->state);
    out->state = NULL;
}

static int html_begin(tr_out *out)
{
    const ls_lesson *L = out->opt.lesson;
    const nn_net *sh = &L->shape;
    FILE *fp = out->opt.fp;
    int N = nn_n_inputs(sh), O = nn_n_outputs(sh), Ln = sh->n_layers;
    char num[TR_NUM_SIZE], name[32];
    html_state *h = calloc(1, sizeof *h);
    out->state = h;
    if (!h)
        return -1;
    const char *mark = strstr(tr_html_page, HTML_MARK);
    if (!mark)
        return -1;
    fwrite(tr_html_page, 1, (size_t)(mark - tr_html_page), fp);
    fputs("<script type=\"application/json\" id=\"nntrace-data\">\n{\"version\":1,\"title\":", fp);
    put_json(fp, L->title);
    fputs(",\"setup\":[", fp);
    tr_setup su;
    tr_setup_make(out, TR_PLAIN, &su);
    for (int q = 0; q < su.n; q++) {
        fputs(q ? ",[" : "[", fp);
        put_json(fp, su.line[q].label);
        fputc(',', fp);
        put_json(fp, su.line[q].text);
        fputc(']', fp);
    }
    fprintf(fp, "],\"digits\":%d,\"steps\":%d,\"matrix\":%d,\"image\":[%d,%d],\n\"layers\":[", out->opt.digits,
            out->opt.steps, out->html.matrix_page,
            L->image_w, L->image_h);
    for (int l = 0; l <= Ln; l++) {
        char title[32];
        if (l == 0)
            snprintf(title, sizeof title, "input");
        else if (l == Ln)
            snprintf(title, sizeof title, "output");
        else if (Ln > 2)
            snprintf(title, sizeof title, "hidden %d", l);
        else
            snprintf(title, sizeof title, "hidden");
        fprintf(fp, "%s{\"title\":\"%s\",\"act\":\"%s\",\"units\":[", l ? ",\n" : "", title,
                l ? nn_act_name(sh->act[l]) : "");
        for (int j = 0; j < sh->size[l]; j++) {
            nn_unit_name(sh, l, j, name, sizeof name);
            fprintf(fp, "%s\"%s\"", j ? "," : "", name);
        }
        fputc(']', fp);
        if (l == 0) {
            fputs(",\"cols\":[", fp);
            for (int i = 0; i < N; i++) {
                if (i)
                    fputc(',', fp);
                put_json(fp, L->input_names[i]);
            }
            fputc(']', fp);
        }
        fputc('}', fp);
    }
    fputs("],\n\"weights\":[", fp);
    for (int m = 0; m < sh->n_weights; m++) {
        int fl, fu, tl, tu;
        nn_w_units(sh, m, &fl, &fu, &tl, &tu);
        fprintf(fp, "%s{\"from\":[%d,%d],\"to\":[%d,%d],\"v\":\"%s\"}", m ? (m % 8 ? "," : ",\n") : "",
                fl, fu, tl, tu, tr_fmt_num_given(L->weights[m], tr_out_prec(out), num));
    }
    fputs("],\n\"batch\":[", fp);
    for (int step = 1; step <= out->opt.steps; step++) {
        fputs(step > 1 ? ",\n[" : "[", fp);
        for (int s = 0; s < L->batch_size; s++) {
            int r = ls_batch_row(L, step, s);
            fprintf(fp, "%s{\"row\":%d,\"x\":[", s ? "," : "", r + 1);
            for (int i = 0; i < N; i++)
                fprintf(fp, "%s\"%s\"", i ? "," : "", tr_fmt_num_given(L->x[(size_t)r * N + i], tr_out_prec(out), num)); /* mutant: html-input-misdrawn */
            fputs("],\"y\":[", fp);
            for (int k = 0; k < O; k++)
                fprintf(fp, "%s\"%s\"", k ? "," : "", tr_fmt_num_given(L->y[(size_t)r * O + k], tr_out_prec(out), num));
            fputc(']', fp);
            if (L->image_w) {                 /* the picture: the pixels as the data has them, 0..1 */
                double lo, hi;
                const double *px = ls_image_row(L, r, &lo, &hi);
                fputs(",\"px\":[", fp);
                for (int i = 0; i < N; i++)
                    fprintf(fp, "%s%.2f", i ? "," : "", hi > lo ? (px[i] - lo) / (hi - lo) : 0.0);
                fputc(']', fp);
                if (L->label)
                    fprintf(fp, ",\"label\":%d", L->label[r]);
            }
            fputc('}', fp);
        }
        fputc(']', fp);
    }
    fputs("],\n\"events\":[\n", fp);
    return ferror(fp) ? -1 : 0;
}

/* A stage's note as pieces: runs of text, and each live value as the event
 * it is (kind, layer, unit, weight, sample) with its value, which the page
 * shows once it has reached that event ("?" before, as the terminal does). */
static void put_note(tr_out *out, int stage)
{
    const ls_lesson *L = out->opt.lesson;
    size_t at = 0;
    tr_note_piece pc;
    char num[TR_NUM_SIZE];
    for (int n = 0; tr_note_next(L, stage - 1, &at, &pc); n++) {
        if (n)
            fputc(',', out->opt.fp);
        if (pc.ref < 0) {                            /* a run of text, as long as it is */
            char *text = malloc(pc.len + 1);
            if (!text) {
                fputs("\"\"", out->opt.fp);
                continue;
            }
            memcpy(text, pc.text, pc.len);
            text[pc.len] = '\0'; /* mutant: html-note-run-cut */
            put_json(out->opt.fp, text);
            free(text);
            continue;
        }
        const ls_ref *r = &L->refs[pc.ref];
        if (r->kind == LS_REF_ETA) {
            put_json(out->opt.fp, tr_fmt_given(L->learning_rate, num));
            continue;
        }
        fprintf(out->opt.fp, "{\"kind\":\"%s\",\"layer\":%d,\"unit\":%d,\"weight\":%d,\"sample\":%d,\"v\":\"%s\"}",
                nn_event_kind_name(r->kind), r->layer, r->unit, r->weight, r->sample,
                out->now->note_vals ? tr_fmt_num(out->now->note_vals[pc.ref], tr_out_prec(out), num) : "?");
    }
}

static int html_stage(tr_out *out, int step, int stage)
{
    html_state *h = out->state;
    FILE *fp = out->opt.fp;
    char heading[160];
    tr_stage_heading(out, stage, out->now->layer, heading, sizeof heading);
    fprintf(fp, "%s{\"head\":", h->n_written++ ? ",\n" : "");
    put_json(fp, heading);
    fprintf(fp, ",\"step\":%d,\"stage\":%d,\"reuse\":", step, stage);
    put_json(fp, stage == NN_STAGE_HIDDEN_BACKWARD ? tr_stage5_reuse(out, TR_PLAIN) : "");
    fputs(",\"note\":[", fp);
    put_note(out, stage);
    fputs("]}", fp);
    return ferror(fp) ? -1 : 0;
}

static int html_event(tr_out *out, const tr_event *ev)
{
    html_state *h = out->state;
    FILE *fp = out->opt.fp;
    char num[TR_NUM_SIZE + 4];
    fprintf(fp, "%s{\"id\":%ld,\"step\":%d,\"stage\":%d,\"sample\":%d,\"kind\":\"%s\",\"layer\":%d,"
                "\"unit\":%d,\"weight\":%d,\"sym\":", h->n_written++ ? ",\n" : "", ev->id, ev->step,
            ev->stage, ev->sample, nn_event_kind_name(ev->kind), ev->layer, ev->unit, ev->weight);
    put_json(fp, ev->symbol);
    fprintf(fp, ",\"val\":\"%s\",\"f\":[", tr_fmt_num(ev->value, tr_out_prec(out), num));
    tr_piece pc;
    tr_prec prec = tr_out_prec(out);
    int n = 0;
    char run[TR_PLAIN_RUN_SIZE];
    for (const char *p = ev->formula; tr_template_plain_next(ev->formula, &p, ev->n_ops, &pc, run, sizeof run);
         n++) {
        if (n)
            fputc(',', fp);
        if (pc.op >= 0) {
            fprintf(fp, "[%d,\"%s\"]", pc.op, tr_render_operand(&ev->ops[pc.op], &prec, pc.enclosed, num));
        } else if (pc.op == TR_PIECE_BAD) {
            fputs("\"?\"", fp);
        } else {
            if (pc.text != run) {                     /* an operator's spelling, or 1/n */
                size_t len = pc.len < sizeof run - 1 ? pc.len : sizeof run - 1;
                memcpy(run, pc.text, len);
                run[len] = '\0';
            }
            put_json(fp, run);
        }
    }
    fputs("],\"ops\":[", fp);
    for (int q = 0; q < ev->n_ops; q++) {
        const nn_operand *op = &ev->ops[q].op;
        fputs(q ? ",{\"name\":" : "{\"name\":", fp);
        put_json(fp, ev->ops[q].name);
        fprintf(fp, ",\"kind\":\"%s\",\"layer\":%d,\"unit\":%d,\"weight\":%d,\"reused\":%d}",
                nn_operand_kind_name(op->kind), op->layer, op->unit, op->weight,
                tr_op_reused(out, ev, q)); /* mutant: html-reused-unmarked */
    }
    fputs("]}", fp);
    return ferror(fp) ? -1 : 0;
}

static int html_end(tr_out *out)
{
    FILE *fp = out->opt.fp;
    const char *mark = strstr(tr_html_page, HTML_MARK);
    fputs("\n]}\n</script>", fp);
    fputs(mark + strlen(HTML_MARK), fp);
    return ferror(fp) ? -1 : 0;
}

const tr_writer tr_writer_html = { "html", html_begin, html_stage, html_event, html_end, html_cleanup, 0 };
