/*
 * model.c - the recording, indexed: for every step, which event holds each
 * value (net_h2 of sample 3, dE_final/dw5, ...), so the screens can look
 * values up without scanning.
 */
#include "tui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tui_parse_symbol(const char *s, int *kind, int *unit)
{
    static const struct { const char *fmt; int kind; } forms[] = {
        { "net_h%d%n", TUI_NET_H }, { "out_h%d%n", TUI_OUT_H }, { "net_o%d%n", TUI_NET_O },
        { "out_o%d%n", TUI_OUT_O }, { "dE_total/dout_o%d%n", TUI_DOUT_O },
        { "dE_total/dout_h%d%n", TUI_DOUT_H }, { "dE_final/dw%d%n", TUI_DW },
        { "w%d%n", TUI_W },
    };
    int v = 0, v2 = 0, used = -1;
    *unit = 0;
    if (strcmp(s, "E_total") == 0) { *kind = TUI_E_TOTAL; return 0; }
    if (strcmp(s, "E_final") == 0) { *kind = TUI_E_FINAL; return 0; }
    if (sscanf(s, "dout_o%d/dnet_o%d%n", &v, &v2, &used) == 2 && used > 0 && s[used] == '\0') {
        *kind = TUI_DNET_O; *unit = v - 1; return 0;
    }
    used = -1;
    if (sscanf(s, "dout_h%d/dnet_h%d%n", &v, &v2, &used) == 2 && used > 0 && s[used] == '\0') {
        *kind = TUI_DNET_H; *unit = v - 1; return 0;
    }
    for (size_t q = 0; q < sizeof forms / sizeof forms[0]; q++) {
        used = -1;
        if (sscanf(s, forms[q].fmt, &v, &used) == 1 && used > 0 && s[used] == '\0' && v >= 1) {
            *kind = forms[q].kind;
            *unit = v - 1;
            return 0;
        }
    }
    *kind = TUI_OTHER;
    return -1;
}

/* Offset of a value among a step's slots. */
static long slot_offset(const tui_model *m, int sample, int kind, int unit)
{
    const ls_lesson *L = m->lesson;
    int H = L->n_hid, O = L->n_out;
    long batch = (long)L->batch_size * m->per_sample;
    if (sample >= 1) {
        long base = (long)(sample - 1) * m->per_sample;
        switch (kind) {
        case TUI_NET_H:   return base + unit;
        case TUI_OUT_H:   return base + H + unit;
        case TUI_NET_O:   return base + 2 * H + unit;
        case TUI_OUT_O:   return base + 2 * H + O + unit;
        case TUI_E_TOTAL: return base + 2 * H + 2 * O;
        case TUI_DOUT_O:  return base + 2 * H + 2 * O + 1 + unit;
        case TUI_DNET_O:  return base + 2 * H + 3 * O + 1 + unit;
        case TUI_DOUT_H:  return base + 2 * H + 4 * O + 1 + unit;
        case TUI_DNET_H:  return base + 3 * H + 4 * O + 1 + unit;
        default:          return -1;
        }
    }
    switch (kind) {
    case TUI_E_FINAL: return batch;
    case TUI_DW:      return batch + 1 + unit;
    case TUI_W:       return batch + 1 + ls_n_weights(L) + unit;
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
    m->per_sample = 4 * lesson->n_hid + 4 * lesson->n_out + 1;
    return tui_model_update(m);
}

int tui_model_update(tui_model *m)
{
    tr_recording *rec = m->rec;
    if (rec->n_events > m->n_info) {
        tui_info *info = realloc(m->info, (size_t)rec->n_events * sizeof *info);
        if (!info)
            return -1;
        m->info = info;
        for (long e = m->n_info; e < rec->n_events; e++) {
            int kind, unit;
            tui_parse_symbol(rec->events[e].symbol, &kind, &unit);
            info[e].kind = (unsigned char)kind;
            info[e].unit = unit;
        }
        m->n_info = rec->n_events;
    }
    if (rec->steps > m->n_steps) {
        long **slots = realloc(m->slots, (size_t)rec->steps * sizeof *slots);
        if (!slots)
            return -1;
        m->slots = slots;
        long count = slots_per_step(m);
        for (int s = m->n_steps; s < rec->steps; s++) {
            if (!(slots[s] = malloc((size_t)count * sizeof(long))))
                return -1;
            for (long q = 0; q < count; q++)
                slots[s][q] = -1;
            for (long e = tr_step_start(rec, s + 1); e < tr_step_start(rec, s + 2); e++) {
                long off = slot_offset(m, rec->events[e].sample, m->info[e].kind, m->info[e].unit);
                if (off >= 0 && off < count)
                    slots[s][off] = e;
            }
            m->n_steps = s + 1;
        }
    }
    return 0;
}

void tui_model_free(tui_model *m)
{
    for (int s = 0; s < m->n_steps; s++)
        free(m->slots[s]);
    free(m->slots);
    free(m->info);
    memset(m, 0, sizeof *m);
}

long tui_model_slot(const tui_model *m, int step, int sample, int kind, int unit)
{
    if (step < 1 || step > m->n_steps)
        return -1;
    long off = slot_offset(m, sample, kind, unit);
    return off < 0 || off >= slots_per_step(m) ? -1 : m->slots[step - 1][off];
}

const tr_event *tui_event(const tui_state *st, long index)
{
    return &st->m.rec->events[index];
}

long tui_stage_first(const tui_model *m, int step, int stage)
{
    const tr_recording *rec = m->rec;
    for (long e = tr_step_start(rec, step); e < tr_step_start(rec, step + 1); e++)
        if (rec->events[e].stage == stage)
            return e;
    return -1;
}

long tui_stage_last(const tui_model *m, int step, int stage)
{
    const tr_recording *rec = m->rec;
    for (long e = tr_step_start(rec, step + 1) - 1; e >= tr_step_start(rec, step); e--)
        if (rec->events[e].stage == stage)
            return e;
    return -1;
}
