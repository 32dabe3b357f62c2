/*
 * writer_csv.c - the trace CSV of the spec: step,stage,sample,symbol,value,
 * then formula and substituted.  Fields that need quoting go through
 * libcsv's writer; value is %.17g, which reads back to the same double.
 */
#include "trace.h"
#include "../text/text.h"

#include <csv.h>
#include <stdio.h>
#include <string.h>


/* One field of len bytes (NUL-terminated): plain when it holds nothing CSV treats specially,
 * else quoted by libcsv. */
static int put_field_n(FILE *fp, const char *text, size_t len, int last)
{
    /* text[len] is its NUL */
    if (strpbrk(text, ",\"\r\n") || (len > 0 && (text[0] == ' ' || text[len - 1] == ' '))) {
        if (csv_fwrite(fp, text, len) != 0)
            return -1;
    } else {
        fwrite(text, 1, len, fp);
    }
    fputc(last ? '\n' : ',', fp);
    return 0;
}

static int put_field(FILE *fp, const char *text, int last)
{
    return put_field_n(fp, text, strlen(text), last);
}

/* A rendered formula of len bytes in a buffer of size (cut when it did not fit). */
static size_t fitted(const char *text, size_t len, size_t size)
{
    return len < size ? len : strlen(text); /* mutant: csv-field-length-short */
}

/* A formula field: one that a spreadsheet would take for a formula of its own
 * (starting with =, +, -, @, a tab or a carriage return) gets a leading
 * apostrophe, which spreadsheets show as text and do not display. */
static int put_formula(FILE *fp, const char *text, size_t len, int last)
{
    if (text[0] && strchr("=+-@\t\r", text[0])) { /* mutant: csv-formula-unguarded */
        char guarded[TR_FORMULA_SIZE + 2];
        snprintf(guarded, sizeof guarded, "'%s", text);
        return put_field(fp, guarded, last);
    }
    return put_field_n(fp, text, len, last);
}

static int csv_begin(tr_out *out)
{
    fputs("step,stage,sample,symbol,value,formula,substituted\n", out->opt.fp);
    return ferror(out->opt.fp) ? -1 : 0;
}

static int csv_event(tr_out *out, const tr_event *ev)
{
    FILE *fp = out->opt.fp; /* mutant: csv-drops-last-value */
    char value[TR_NUM_SIZE], formula[TR_FORMULA_SIZE], numbers[TR_FORMULA_SIZE];
    char head[48];                               /* "step,stage,sample," without printf */
    size_t at = tx_digits(head, (unsigned)ev->step);
    head[at++] = ',';
    at += tx_digits(head + at, (unsigned)ev->stage);
    head[at++] = ',';
    if (ev->sample > 0)
        at += tx_digits(head + at, (unsigned)ev->sample);
    head[at++] = ',';
    fwrite(head, 1, at, fp);
    size_t formula_len, numbers_len;
    tr_render_both(ev->formula, ev->ops, ev->n_ops, tr_out_prec(out), formula, sizeof formula, &formula_len,
                   numbers, sizeof numbers, &numbers_len);
    if (put_field(fp, ev->symbol, 0) || put_field(fp, tr_fmt_exact(ev->value, value), 0) ||
        put_formula(fp, formula, fitted(formula, formula_len, sizeof formula), 0) ||
        put_formula(fp, numbers, fitted(numbers, numbers_len, sizeof numbers), 1))
        return -1;
    return ferror(fp) ? -1 : 0;
}

const tr_writer tr_writer_csv = { "csv", csv_begin, NULL, csv_event, NULL, NULL, 0 };
