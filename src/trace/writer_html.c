/*
 * writer_html.c - the stepper as one self-contained web page.
 *
 * The page (src/trace/html/stepper.html, compiled in as tr_html_page) holds
 * the style and the script; this writer puts the lesson and every event in
 * at its "<!-- nntrace:data -->" mark, as JSON, compressed with zlib's gzip
 * format and written in base64 (lines of 76) in a <script type=
 * "application/octet-stream" data-encoding="gzip-base64"> element, which the
 * page inflates with the browser's own DecompressionStream: the JSON of a
 * step of 784-30-10 on MNIST is 55 MB, its page 5 MB.  The script builds the
 * figure and the panels with createElement and textContent only, so no text
 * from the lesson can become markup; in the JSON, "<", ">" and "&" are
 * written as \u003c, \u003e, \u0026 (and base64 has none of them), so no
 * text can close the element either.  The page's Content-Security-Policy
 * forbids every request: nothing is fetched.
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
 * sym, val, x}: x a string holding the JSON {f, ops}, parsed when the
 * value is shown (parsing every event's whole at once was most of opening
 * a page of 50,000 values): f the formula as pieces (a string, or [operand,
 * its number]); ops [[name, kind, layer, unit, weight, reused]...] (arrays: a
 * gradient of a batch of 20 shows 15 operands, and named fields made the
 * JSON a third larger and slower to parse).
 */
#include "trace.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

extern const char tr_html_page[];   /* generated from src/trace/html/stepper.html */

#define HTML_MARK "<!-- nntrace:data -->"

#define HTML_CHUNK 65536     /* bytes of JSON, and of compressed data, handled at a time */
#define HTML_LINE  76        /* base64 characters per line */

/* What the writer remembers between events: the JSON on its way through
 * the compressor and base64 to the file. */
typedef struct html_state {
    int n_written;              /* items written into the events array */
    FILE *fp;                   /* the page */
    z_stream z;                 /* the compressor (gzip format) */
    int z_open;                 /* z is initialised */
    int failed;                 /* the compressor failed, or memory ran out */
    unsigned char json[HTML_CHUNK];  /* JSON not yet compressed */
    size_t n_json;
    unsigned char zout[HTML_CHUNK];  /* compressed bytes not yet in base64 */
    unsigned char carry[3];     /* compressed bytes waiting for a group of three */
    int n_carry;
    int col;                    /* base64 characters on the current line */
    int aside;                  /* 1: JSON goes to `part` instead, to be written as a string */
    char *part;                 /* an event's formula and operands, as JSON (NUL-terminated) */
    size_t n_part, cap_part;
} html_state;

/* base64 of the compressed bytes in, a group of three at a time; with
 * `last`, the remaining one or two padded. */
static void b64_put(html_state *h, const unsigned char *in, size_t n, int last)
{
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t q = 0;
    while (q < n || (last && h->n_carry > 0)) {
        while (h->n_carry < 3 && q < n)
            h->carry[h->n_carry++] = in[q++];
        if (h->n_carry < 3 && !last)
            return;
        int k = h->n_carry;
        unsigned long v = (unsigned long)h->carry[0] << 16 | (unsigned long)(k > 1 ? h->carry[1] : 0) << 8 |
                          (unsigned long)(k > 2 ? h->carry[2] : 0);
        char quad[4] = { digits[v >> 18 & 63], digits[v >> 12 & 63], k > 1 ? digits[v >> 6 & 63] : '=',
                         k > 2 ? digits[v & 63] : '=' };
        fwrite(quad, 1, 4, h->fp);
        h->n_carry = 0;
        if ((h->col += 4) >= HTML_LINE) {
            fputc('\n', h->fp);
            h->col = 0;
        }
    }
}

/* Compress the JSON held (flush: Z_NO_FLUSH, or Z_FINISH at the end). */
static void z_run(html_state *h, int flush)
{
    if (h->failed)
        return;
    h->z.next_in = h->json;
    h->z.avail_in = (uInt)h->n_json;
    do {
        h->z.next_out = h->zout;
        h->z.avail_out = sizeof h->zout;
        int rc = deflate(&h->z, flush);
        if (rc == Z_STREAM_ERROR) {
            h->failed = 1;
            return;
        }
        b64_put(h, h->zout, sizeof h->zout - h->z.avail_out, 0);
    } while (h->z.avail_out == 0 || (flush == Z_FINISH && h->z.avail_in > 0));
    h->n_json = 0;
}

/* n bytes of JSON. */
static void hw(html_state *h, const char *s, size_t n)
{
    if (h->aside) {
        if (h->n_part + n + 1 > h->cap_part) {
            size_t cap = (h->n_part + n + 1) * 2;
            char *grown = realloc(h->part, cap);
            if (!grown) {
                h->failed = 1;
                return;
            }
            h->part = grown;
            h->cap_part = cap;
        }
        memcpy(h->part + h->n_part, s, n);
        h->n_part += n;
        h->part[h->n_part] = '\0';
        return;
    }
    while (n > 0) {
        size_t room = sizeof h->json - h->n_json, take = n < room ? n : room;
        memcpy(h->json + h->n_json, s, take);
        h->n_json += take;
        s += take;
        n -= take;
        if (h->n_json == sizeof h->json)
            z_run(h, Z_NO_FLUSH);
    }
}

static void hs(html_state *h, const char *s) { hw(h, s, strlen(s)); }
static void hc(html_state *h, char c) { hw(h, &c, 1); }

/* printf into the JSON: short fields (numbers, names of kinds), measured
 * first so nothing is cut. */
static void hf(html_state *h, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        hw(h, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        h->failed = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    hw(h, big, (size_t)n);
    free(big);
}

/* A JSON string that is safe inside a <script> element. */
static void put_json(html_state *h, const char *text)
{
    size_t size = strlen(text) * 6 + 16;
    char *buf = malloc(size);
    if (!buf) {
        h->failed = 1;
        return;
    }
    tr_escape_json(text, buf, size);
    hc(h, '"');
    for (const char *p = buf; *p; p++) {
        if (*p == '<') /* mutant: html-lt-unescaped */
            hs(h, "\\u003c");
        else if (*p == '>')
            hs(h, "\\u003e");
        else if (*p == '&')
            hs(h, "\\u0026");
        else
            hc(h, *p);
    }
    hc(h, '"');
    free(buf);
}

static void html_cleanup(tr_out *out)
{
    html_state *h = out->state;
    if (h && h->z_open)
        deflateEnd(&h->z);
    if (h)
        free(h->part);
    free(h);
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
    h->fp = fp;
    if (deflateInit2(&h->z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) /* mutant: html-data-stored */
        return -1;                               /* 15 + 16: a 32 KB window, the gzip format */
    h->z_open = 1;
    fwrite(tr_html_page, 1, (size_t)(mark - tr_html_page), fp);
    fputs("<script type=\"application/octet-stream\" id=\"nntrace-data\" data-encoding=\"gzip-base64\">\n", fp);
    hs(h, "{\"version\":1,\"title\":");
    put_json(h, L->title);
    hs(h, ",\"setup\":[");
    tr_setup su;
    tr_setup_make(out, TR_PLAIN, &su);
    for (int q = 0; q < su.n; q++) {
        hs(h, q ? ",[" : "[");
        put_json(h, su.line[q].label);
        hc(h, ',');
        put_json(h, su.line[q].text);
        hc(h, ']');
    }
    hf(h, "],\"digits\":%d,\"steps\":%d,\"matrix\":%d,\"image\":[%d,%d],\n\"layers\":[", out->opt.digits,
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
        hf(h, "%s{\"title\":\"%s\",\"act\":\"%s\",\"units\":[", l ? ",\n" : "", title,
                l ? nn_act_name(sh->act[l]) : "");
        for (int j = 0; j < sh->size[l]; j++) {
            nn_unit_name(sh, l, j, name, sizeof name);
            hf(h, "%s\"%s\"", j ? "," : "", name);
        }
        hc(h, ']');
        if (l == 0) {
            hs(h, ",\"cols\":[");
            for (int i = 0; i < N; i++) {
                if (i)
                    hc(h, ',');
                put_json(h, L->input_names[i]);
            }
            hc(h, ']');
        }
        hc(h, '}');
    }
    hs(h, "],\n\"weights\":[");
    for (int m = 0; m < sh->n_weights; m++) {
        int fl, fu, tl, tu;
        nn_w_units(sh, m, &fl, &fu, &tl, &tu);
        hf(h, "%s{\"from\":[%d,%d],\"to\":[%d,%d],\"v\":\"%s\"}", m ? (m % 8 ? "," : ",\n") : "",
                fl, fu, tl, tu, tr_fmt_num_given(L->weights[m], tr_out_prec(out), num));
    }
    hs(h, "],\n\"batch\":[");
    for (int step = 1; step <= out->opt.steps; step++) {
        hs(h, step > 1 ? ",\n[" : "[");
        for (int s = 0; s < L->batch_size; s++) {
            int r = ls_batch_row(L, step, s);
            hf(h, "%s{\"row\":%d,\"x\":[", s ? "," : "", r + 1);
            for (int i = 0; i < N; i++)
                hf(h, "%s\"%s\"", i ? "," : "", tr_fmt_num_given(L->x[(size_t)r * N + i], tr_out_prec(out), num)); /* mutant: html-input-misdrawn */
            hs(h, "],\"y\":[");
            for (int k = 0; k < O; k++)
                hf(h, "%s\"%s\"", k ? "," : "", tr_fmt_num_given(L->y[(size_t)r * O + k], tr_out_prec(out), num));
            hc(h, ']');
            if (L->image_w) {                 /* the picture: the pixels as the data has them, 0..1 */
                double lo, hi;
                const double *px = ls_image_row(L, r, &lo, &hi);
                hs(h, ",\"px\":[");
                for (int i = 0; i < N; i++)
                    hf(h, "%s%.2f", i ? "," : "", hi > lo ? (px[i] - lo) / (hi - lo) : 0.0);
                hc(h, ']');
                if (L->label)
                    hf(h, ",\"label\":%d", L->label[r]);
            }
            hc(h, '}');
        }
        hc(h, ']');
    }
    hs(h, "],\n\"events\":[\n");
    return ferror(fp) || h->failed ? -1 : 0;
}

/* A stage's note as pieces: runs of text, and each live value as the event
 * it is (kind, layer, unit, weight, sample) with its value, which the page
 * shows once it has reached that event ("?" before, as the terminal does). */
static void put_note(tr_out *out, int stage)
{
    const ls_lesson *L = out->opt.lesson;
    html_state *h = out->state;
    size_t at = 0;
    tr_note_piece pc;
    char num[TR_NUM_SIZE];
    for (int n = 0; tr_note_next(L, stage - 1, &at, &pc); n++) {
        if (n)
            hc(h, ',');
        if (pc.ref < 0) {                            /* a run of text, as long as it is */
            char *text = malloc(pc.len + 1);
            if (!text) {
                h->failed = 1;
                continue;
            }
            memcpy(text, pc.text, pc.len);
            text[pc.len] = '\0'; /* mutant: html-note-run-cut */
            put_json(h, text);
            free(text);
            continue;
        }
        const ls_ref *r = &L->refs[pc.ref];
        if (r->kind == LS_REF_ETA) {
            put_json(h, tr_fmt_given(L->learning_rate, num));
            continue;
        }
        hf(h, "{\"kind\":\"%s\",\"layer\":%d,\"unit\":%d,\"weight\":%d,\"sample\":%d,\"v\":\"%s\"}",
                nn_event_kind_name(r->kind), r->layer, r->unit, r->weight, r->sample,
                out->now->note_vals ? tr_fmt_num(out->now->note_vals[pc.ref], tr_out_prec(out), num) : "?");
    }
}

static int html_stage(tr_out *out, int step, int stage)
{
    html_state *h = out->state;
    char heading[160];
    tr_stage_heading(out, stage, out->now->layer, heading, sizeof heading);
    hf(h, "%s{\"head\":", h->n_written++ ? ",\n" : "");
    put_json(h, heading);
    hf(h, ",\"step\":%d,\"stage\":%d,\"reuse\":", step, stage);
    put_json(h, stage == NN_STAGE_HIDDEN_BACKWARD ? tr_stage5_reuse(out, TR_PLAIN) : "");
    hs(h, ",\"note\":[");
    put_note(out, stage);
    hs(h, "]}");
    return h->failed ? -1 : 0;
}

static int html_event(tr_out *out, const tr_event *ev)
{
    html_state *h = out->state;
    char num[TR_NUM_SIZE + 4];
    hf(h, "%s{\"id\":%ld,\"step\":%d,\"stage\":%d,\"sample\":%d,\"kind\":\"%s\",\"layer\":%d,"
                "\"unit\":%d,\"weight\":%d,\"sym\":", h->n_written++ ? ",\n" : "", ev->id, ev->step,
            ev->stage, ev->sample, nn_event_kind_name(ev->kind), ev->layer, ev->unit, ev->weight);
    put_json(h, ev->symbol);
    hf(h, ",\"val\":\"%s\",\"x\":", tr_fmt_num(ev->value, tr_out_prec(out), num));
    /* the formula and operands, JSON inside a string: the page parses them
     * when it shows the value, not all of them as it opens */
    h->aside = 1;
    h->n_part = 0;
    hs(h, "{\"f\":[");
    tr_piece pc;
    tr_prec prec = tr_out_prec(out);
    int n = 0;
    char run[TR_PLAIN_RUN_SIZE];
    for (const char *p = ev->formula; tr_template_plain_next(ev->formula, &p, ev->n_ops, &pc, run, sizeof run);
         n++) {
        if (n)
            hc(h, ',');
        if (pc.op >= 0) {
            hf(h, "[%d,\"%s\"]", pc.op, tr_render_operand(&ev->ops[pc.op], &prec, pc.enclosed, num));
        } else if (pc.op == TR_PIECE_BAD) {
            hs(h, "\"?\"");
        } else {
            if (pc.text != run) {                     /* an operator's spelling, or 1/n */
                size_t len = pc.len < sizeof run - 1 ? pc.len : sizeof run - 1;
                memcpy(run, pc.text, len);
                run[len] = '\0';
            }
            put_json(h, run);
        }
    }
    hs(h, "],\"ops\":[");
    for (int q = 0; q < ev->n_ops; q++) {
        const nn_operand *op = &ev->ops[q].op;
        hs(h, q ? ",[" : "[");                   /* [name, kind, layer, unit, weight, reused] */
        put_json(h, ev->ops[q].name);
        hf(h, ",\"%s\",%d,%d,%d,%d]",
                nn_operand_kind_name(op->kind), op->layer, op->unit, op->weight,
                tr_op_reused(out, ev, q)); /* mutant: html-reused-unmarked */
    }
    hs(h, "]}");
    h->aside = 0;
    put_json(h, h->part ? h->part : "{}");
    hc(h, '}');
    return h->failed ? -1 : 0;
}

static int html_end(tr_out *out)
{
    html_state *h = out->state;
    FILE *fp = out->opt.fp;
    const char *mark = strstr(tr_html_page, HTML_MARK);
    hs(h, "\n]}\n");
    z_run(h, Z_FINISH); /* mutant: html-data-not-finished */
    b64_put(h, NULL, 0, 1); /* mutant: html-last-base64-group-dropped */
    fputs(h->col ? "\n</script>" : "</script>", fp);
    fputs(mark + strlen(HTML_MARK), fp);
    return ferror(fp) || h->failed ? -1 : 0;
}

const tr_writer tr_writer_html = { "html", html_begin, html_stage, html_event, html_end, html_cleanup, 0 };
