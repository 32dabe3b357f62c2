/*
 * format.c - numbers, formulas and safe text for every writer.
 */
#include "trace.h"
#include "../text/text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *tr_fmt_fixed(double v, int digits, char buf[TR_NUM_SIZE])
{
    if (digits < 0)
        digits = 0;
    if (digits > TR_MAX_DIGITS)
        digits = TR_MAX_DIGITS;
    /* at most 15 digits before the point (34 characters); larger numbers,
     * infinities and NaN in exponent form: the buffer always holds it whole */
    if (!(fabs(v) < TR_FIXED_LIMIT))
        snprintf(buf, TR_NUM_SIZE, "%.*e", digits, v);
    else
        snprintf(buf, TR_NUM_SIZE, "%.*f", digits, v);
    if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
        memmove(buf, buf + 1, strlen(buf));   /* "-0.000" reads as 0 */
    return buf;
}

char *tr_fmt_short(double v, int digits, char buf[TR_NUM_SIZE])
{
    tr_fmt_fixed(v, digits, buf);
    char *e = strchr(buf, 'e');
    size_t end = e ? (size_t)(e - buf) : strlen(buf), len = end;
    if (memchr(buf, '.', end)) {
        while (len > 0 && buf[len - 1] == '0')
            len--;
        if (len > 0 && buf[len - 1] == '.')
            len--;
        memmove(buf + len, buf + end, strlen(buf + end) + 1);   /* the exponent, if any */
    }
    return buf;
}

char *tr_fmt_fit(double v, int digits, int width, char buf[TR_NUM_SIZE])
{
    tr_fmt_fixed(v, digits, buf);
    for (int d = digits; (int)strlen(buf) > width && d >= 0; d--)
        snprintf(buf, TR_NUM_SIZE, "%.*e", d, v);
    return buf;
}

char *tr_fmt_sig(double v, int sig, char buf[TR_NUM_SIZE])
{
    if (sig < 1)
        sig = 1;
    if (sig > TR_MAX_DIGITS)
        sig = TR_MAX_DIGITS;
    if (v == 0 || !isfinite(v)) {
        snprintf(buf, TR_NUM_SIZE, v == 0 ? "0" : "%g", v);
        return buf;
    }
    int e = (int)floor(log10(fabs(v)));
    int decimals = sig - 1 - e;
    if (decimals > TR_MAX_DIGITS || !(fabs(v) < TR_FIXED_LIMIT)) {
        snprintf(buf, TR_NUM_SIZE, "%.*e", sig - 1, v);
        return buf;
    }
    return tr_fmt_fixed(v, decimals < 0 ? 0 : decimals, buf);
}

char *tr_fmt_given(double v, char buf[TR_NUM_SIZE])
{
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, TR_NUM_SIZE, "%.*g", p, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    return buf;
}

char *tr_fmt_exact(double v, char buf[TR_NUM_SIZE])
{
    snprintf(buf, TR_NUM_SIZE, "%.17g", v);
    return buf;
}

char *tr_render_operand(const tr_operand *op, int digits, int enclosed, char buf[TR_NUM_SIZE + 4])
{
    char num[TR_NUM_SIZE];
    if (digits < 0) {
        snprintf(buf, TR_NUM_SIZE + 4, "%s", op->name);
        return buf;
    }
    if (op->op.dep >= 0)
        tr_fmt_fixed(op->op.value, digits, num);   /* computed */
    else
        tr_fmt_short(op->op.value, digits, num);   /* given: no padding zeros */
    snprintf(buf, TR_NUM_SIZE + 4, num[0] == '-' && !enclosed ? "(%s)" : "%s", num);
    return buf;
}

/* Whether s starts a piece that is not text: "$n" or an operator. */
static int piece_start(const char *s)
{
    return s[0] == '$' && ((s[1] >= '0' && s[1] <= '9') || s[1] == '*' || s[1] == '+' || s[1] == '.' ||
                           s[1] == '/');
}

int tr_template_next(const char *tmpl, const char **p, int n_ops, tr_piece *piece)
{
    static const char *const plain[] = { "*", " + ", "..." };
    const char *s = *p;
    if (!*s)
        return 0;
    piece->number = 0;
    piece->enclosed = 0;
    if (s[0] == '$' && s[1] >= '0' && s[1] <= '9') {
        long q = 0;
        int open = s > tmpl && s[-1] == '(';
        for (s++; *s >= '0' && *s <= '9'; s++)
            if (q < 1000000)
                q = q * 10 + (*s - '0');
        piece->enclosed = open && *s == ')';
        piece->text = NULL;
        piece->len = 0;
        piece->op = q < n_ops ? (int)q : TR_PIECE_BAD;
    } else if (s[0] == '$' && (s[1] == '*' || s[1] == '+' || s[1] == '.')) {
        int k = s[1] == '*' ? 0 : s[1] == '+' ? 1 : 2;
        piece->text = plain[k];
        piece->len = strlen(plain[k]);
        piece->op = TR_PIECE_TIMES - k;
        s += 2;
    } else if (s[0] == '$' && s[1] == '/') {
        /* "$/1/n": its plain spelling "1/n" follows the mark */
        const char *start = s + 2;
        for (s = start; *s && *s != '$'; s++)
            if (*s >= '0' && *s <= '9' && s - start >= 2 && piece->number < 100000000)
                piece->number = piece->number * 10 + (*s - '0');
        piece->text = start;
        piece->len = (size_t)(s - start);
        piece->op = TR_PIECE_FRACTION;
    } else {
        const char *start = s;
        for (s++; *s && !piece_start(s); s++)
            ;
        piece->text = start;
        piece->len = (size_t)(s - start);
        piece->op = TR_PIECE_TEXT;
    }
    *p = s;
    return 1;
}

size_t tr_render(const char *tmpl, const tr_operand *ops, int n_ops, int digits,
                 char *buf, size_t size)
{
    size_t len = 0;
    char piece[TR_NUM_SIZE + 4];
    tr_piece pc;
    if (size > 0)
        buf[0] = '\0';
    for (const char *p = tmpl; tr_template_next(tmpl, &p, n_ops, &pc); ) {
        if (pc.op == TR_PIECE_BAD) {
            tx_put(buf, size, &len, "?");
        } else if (pc.op >= 0) {
            tx_put(buf, size, &len, digits < 0 ? ops[pc.op].name : tr_render_operand(&ops[pc.op], digits, pc.enclosed, piece));
        } else {
            char chunk[128];
            for (size_t at = 0; at < pc.len; ) {          /* in pieces of at most 127 bytes */
                size_t take = pc.len - at < sizeof chunk - 1 ? pc.len - at : sizeof chunk - 1;
                memcpy(chunk, pc.text + at, take);
                chunk[take] = '\0';
                tx_put(buf, size, &len, chunk);
                at += take;
            }
        }
    }
    return len;
}

size_t tr_escape_markdown(const char *text, char *buf, size_t size)
{
    char safe[8192], one[3] = { '\\', 0, 0 };
    size_t len = 0;
    tx_sanitize(text, safe, sizeof safe);
    if (size > 0)
        buf[0] = '\0';
    for (const char *p = safe; *p; ) {
        if (strchr("\\`*_{}[]()#+-.!|<>~&$", *p)) {
            one[1] = *p;
            tx_put(buf, size, &len, one);
            p++;
        } else {
            int n = tx_utf8_len((const unsigned char *)p);   /* safe is valid UTF-8 */
            char c[5] = { 0 };
            memcpy(c, p, (size_t)(n ? n : 1));
            tx_put(buf, size, &len, c);
            p += n ? n : 1;
        }
    }
    return len;
}

size_t tr_escape_latex(const char *text, char *buf, size_t size)
{
    char safe[8192];
    size_t len = 0;
    tx_sanitize(text, safe, sizeof safe);
    if (size > 0)
        buf[0] = '\0';
    for (const unsigned char *p = (const unsigned char *)safe; *p; ) {
        int n = tx_utf8_len(p);
        const char *rep = NULL;
        char c[8] = { 0 };
        switch (*p) {
        case '\\': rep = "\\textbackslash{}"; break;
        case '{': rep = "\\{"; break;
        case '}': rep = "\\}"; break;
        case '$': rep = "\\$"; break;
        case '&': rep = "\\&"; break;
        case '#': rep = "\\#"; break;
        case '^': rep = "\\textasciicircum{}"; break;
        case '_': rep = "\\_"; break;
        case '%': rep = "\\%"; break;
        case '~': rep = "\\textasciitilde{}"; break;
        case '<': rep = "\\textless{}"; break;
        case '>': rep = "\\textgreater{}"; break;
        case '|': rep = "\\textbar{}"; break;
        case '"': rep = "\\textquotedbl{}"; break;
        default: break;
        }
        if (rep) {
            tx_put(buf, size, &len, rep);
            p++;
            continue;
        }
        if (n <= 1) {
            c[0] = (char)*p;
            tx_put(buf, size, &len, c);
            p++;
            continue;
        }
        /* U+00A0..U+017F: Latin-1 and Latin Extended-A, which T1 fonts have */
        unsigned cp = tx_utf8_code(p, n);
        if (cp >= 0xA0 && cp <= 0x17F) {
            memcpy(c, p, (size_t)n);
            tx_put(buf, size, &len, c);
        } else {
            tx_put(buf, size, &len, "?");
        }
        p += n;
    }
    return len;
}

size_t tr_escape_dot(const char *text, char *buf, size_t size)
{
    char safe[8192];
    tx_sanitize(text, safe, sizeof safe);
    return tr_escape_json(safe, buf, size);
}

size_t tr_escape_json(const char *text, char *buf, size_t size)
{
    size_t len = 0;
    char piece[8];
    if (size > 0)
        buf[0] = '\0';
    for (const unsigned char *p = (const unsigned char *)text; *p; ) {
        int n = tx_utf8_len(p);
        if (n == 0) {
            tx_put(buf, size, &len, "\\ufffd");   /* not UTF-8 */
            p++;
            continue;
        }
        if (*p == '"' || *p == '\\') {
            snprintf(piece, sizeof piece, "\\%c", *p);
        } else if (*p < 0x20 || *p == 0x7F) {
            snprintf(piece, sizeof piece, "\\u%04x", *p);
        } else if ((n == 2 && p[0] == 0xC2 && p[1] < 0xA0) || (n == 3 && tx_invisible(tx_utf8_code(p, n)))) {
            snprintf(piece, sizeof piece, "\\u%04x", tx_utf8_code(p, n));   /* C1, bidi: as escapes */
        } else {
            memcpy(piece, p, (size_t)n);
            piece[n] = '\0';
        }
        tx_put(buf, size, &len, piece);
        p += n;
    }
    return len;
}

const char *tr_stage5_reuse(const tr_out *out)
{
    int L = out->lesson->shape.n_layers;
    if (out->layer >= L - 1)      /* the hidden layer just below the output */
        return out->lesson->shape.loss == NN_LOSS_CROSS_ENTROPY
                   ? "Reused from stage 4: dE_total/dnet_ok. "
                     "Output weights: their values before the update of stage 6."
                   : "Reused from stage 4: dE_total/dout_ok and dout_ok/dnet_ok. "
                     "Output weights: their values before the update of stage 6.";
    return "Reused from the layer above: its dE_total/dout and dout/dnet, passed back "
           "through the weights as they were before the update of stage 6.";
}
