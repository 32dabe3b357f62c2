/*
 * writer_jsonl.c - one JSON object per event, one event per line, with every
 * field the engine emits.  Numbers are %.17g (they read back to the same
 * double); strings are escaped by tr_escape_json.
 */
#include "trace.h"


static void put_string(FILE *fp, const char *text)
{
    char buf[TR_FORMULA_SIZE * 2];
    tr_escape_json(text, buf, sizeof buf);
    fprintf(fp, "\"%s\"", buf);
}

static int jsonl_event(tr_out *out, const tr_event *ev)
{
    FILE *fp = out->fp;
    char num[TR_NUM_SIZE], formula[TR_FORMULA_SIZE];
    fprintf(fp, "{\"id\":%ld,\"step\":%d,\"stage\":%d,\"sample\":", ev->id, ev->step, ev->stage);
    if (ev->sample > 0)
        fprintf(fp, "%d", ev->sample);
    else
        fputs("null", fp);
    fprintf(fp, ",\"kind\":\"%s\",\"layer\":%d,\"unit\":", nn_event_kind_name(ev->kind), ev->layer);
    if (ev->unit > 0)
        fprintf(fp, "%d", ev->unit);
    else
        fputs("null", fp);
    fputs(",\"weight\":", fp);
    if (ev->weight > 0)
        fprintf(fp, "%d", ev->weight);
    else
        fputs("null", fp);
    fputs(",\"symbol\":", fp);
    put_string(fp, ev->symbol);
    fprintf(fp, ",\"value\":%s,\"formula\":", tr_fmt_exact(ev->value, num));
    tr_prec prec = tr_out_prec(out);
    tr_render(ev->formula, ev->ops, ev->n_ops, NULL, formula, sizeof formula);
    put_string(fp, formula);
    fputs(",\"substituted\":", fp);
    tr_render(ev->formula, ev->ops, ev->n_ops, &prec, formula, sizeof formula);
    put_string(fp, formula);
    fputs(",\"operands\":[", fp);
    for (int q = 0; q < ev->n_ops; q++) {
        const nn_operand *op = &ev->ops[q].op;
        fputs(q ? ",{\"name\":" : "{\"name\":", fp);
        put_string(fp, ev->ops[q].name);
        fprintf(fp, ",\"kind\":\"%s\"", nn_operand_kind_name(op->kind));
        if (op->kind == NN_OP_WEIGHT)
            fprintf(fp, ",\"weight\":%d", op->weight);
        fprintf(fp, ",\"value\":%s,\"event\":", tr_fmt_exact(op->value, num));
        if (op->dep >= 0)
            fprintf(fp, "%ld}", op->dep);
        else
            fputs("null}", fp);
    }
    fputs("],\"depends_on\":[", fp);
    for (int d = 0; d < ev->n_deps; d++)
        fprintf(fp, d ? ",%ld" : "%ld", ev->deps[d]);
    fputs("]}\n", fp);
    return ferror(fp) ? -1 : 0;
}

const tr_writer tr_writer_jsonl = { "jsonl", NULL, NULL, jsonl_event, NULL, NULL, 1 };
