/*
 * model.c - the recording of the step held, indexed: which event holds each
 * value (net_h2 of sample 3, dE_final/dw5, ...), so the screens can look
 * values up without scanning.
 */
#include "tui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tui_parse_symbol(const nn_net *net, const char *s, int *kind, int *layer, int *unit)
{
    static const struct { const char *prefix; int kind; } forms[] = {
        { "net_", TUI_NET }, { "out_", TUI_OUT }, { "dE_total/dout_", TUI_DOUT },
        { "dE_total/dnet_", TUI_DOUT },   /* cross-entropy outputs: term 1 * term 2 in one */
    };
    int v = 0, used = -1;
    *unit = 0;
    *layer = 0;
    *kind = TUI_OTHER;
    if (strcmp(s, "E_total") == 0) { *kind = TUI_E_TOTAL; return 0; }
    if (strcmp(s, "E_final") == 0) { *kind = TUI_E_FINAL; return 0; }
    if (sscanf(s, "dE_final/dw%d%n", &v, &used) == 1 && used > 0 && !s[used] && v >= 1) {
        *kind = TUI_DW; *unit = v - 1; return 0;
    }
    used = -1;
    if (s[0] == 'w' && sscanf(s, "w%d%n", &v, &used) == 1 && used > 0 && !s[used] && v >= 1) {
        *kind = TUI_W; *unit = v - 1; return 0;
    }
    if (strncmp(s, "dout_", 5) == 0) {            /* dout_U/dnet_U */
        char u[32];
        const char *slash = strchr(s, '/');
        if (!slash || slash - s - 5 >= (long)sizeof u)
            return -1;
        snprintf(u, sizeof u, "%.*s", (int)(slash - s - 5), s + 5);
        if (nn_unit_parse(net, u, layer, unit) != 0 || *layer == 0)
            return -1;
        *kind = TUI_DNET;
        return 0;
    }
    for (size_t q = 0; q < sizeof forms / sizeof forms[0]; q++) {
        size_t n = strlen(forms[q].prefix);
        if (strncmp(s, forms[q].prefix, n) == 0 && nn_unit_parse(net, s + n, layer, unit) == 0 &&
            *layer > 0) {
            *kind = forms[q].kind;
            return 0;
        }
    }
    return -1;
}

/* Offset of a value among a step's slots. */
static long slot_offset(const tui_model *m, int sample, int kind, int layer, int unit)
{
    const ls_lesson *L = m->lesson;
    long batch = (long)L->batch_size * m->per_sample;
    int W = ls_n_weights(L);
    if (sample >= 1) {
        long base = (long)(sample - 1) * m->per_sample;
        int size = layer >= 1 && layer <= L->shape.n_layers ? L->shape.size[layer] : 0;
        if (kind == TUI_E_TOTAL)
            return base + m->per_sample - 1;
        if (kind > TUI_DNET || layer < 1 || layer > L->shape.n_layers || unit >= size)
            return -1;
        return base + m->layer_base[layer] + (long)kind * size + unit;
    }
    switch (kind) {
    case TUI_E_FINAL: return batch;
    case TUI_DW:      return unit < W ? batch + 1 + unit : -1;
    case TUI_W:       return unit < W ? batch + 1 + W + unit : -1;
    default:          return -1;
    }
}

static long slots_per_step(const tui_model *m)
{
    return (long)m->lesson->batch_size * m->per_sample + 1 + 2L * ls_n_weights(m->lesson);
}

int tui_model_init(tui_model *m, const ls_lesson *lesson, tr_recording *rec)
{
    memset(m, 0, sizeof *m);
    m->lesson = lesson;
    m->rec = rec;
    int base = 0;
    for (int l = 1; l <= lesson->shape.n_layers; l++) {
        m->layer_base[l] = base;
        base += 4 * lesson->shape.size[l];
    }
    m->per_sample = base + 1;
    if (!(m->slots = malloc((size_t)slots_per_step(m) * sizeof(long))))
        return -1;
    return tui_model_update(m);
}

int tui_model_update(tui_model *m)
{
    tr_recording *rec = m->rec;
    if (rec->n_events > m->cap_info) {
        tui_info *info = realloc(m->info, (size_t)rec->n_events * sizeof *info);
        if (!info)
            return -1;
        m->info = info;
        m->cap_info = rec->n_events;
    }
    long count = slots_per_step(m);
    for (long q = 0; q < count; q++)
        m->slots[q] = -1;
    for (long e = 0; e < rec->n_events; e++) {
        int kind, layer, unit;
        tui_parse_symbol(&m->lesson->shape, rec->events[e].symbol, &kind, &layer, &unit);
        m->info[e].kind = (unsigned char)kind;
        m->info[e].layer = (unsigned char)layer;
        m->info[e].unit = unit;
        long off = slot_offset(m, rec->events[e].sample, kind, layer, unit);
        if (off >= 0 && off < count)
            m->slots[off] = e;
    }
    m->n_info = rec->n_events;
    m->step = rec->step;
    return 0;
}

void tui_model_free(tui_model *m)
{
    free(m->slots);
    free(m->info);
    memset(m, 0, sizeof *m);
}

long tui_model_slot(const tui_model *m, int sample, int kind, int layer, int unit)
{
    long off = slot_offset(m, sample, kind, layer, unit);
    return off < 0 || off >= slots_per_step(m) ? -1 : m->slots[off];
}

const tr_event *tui_event(const tui_state *st, long index)
{
    return &st->m.rec->events[index];
}

const tr_event *tui_event_id(const tui_state *st, long id)
{
    return tr_recording_event(st->m.rec, id);
}

long tui_stage_first(const tui_model *m, int stage)
{
    const tr_recording *rec = m->rec;
    for (long e = 0; e < rec->n_events; e++)
        if (rec->events[e].stage == stage)
            return e;
    return -1;
}

long tui_stage_last(const tui_model *m, int stage)
{
    const tr_recording *rec = m->rec;
    for (long e = rec->n_events - 1; e >= 0; e--)
        if (rec->events[e].stage == stage)
            return e;
    return -1;
}
