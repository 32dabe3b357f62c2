/*
 * model.c - the recording of the step held, indexed: which event holds each
 * value (net_h2 of sample 3, dE_final/dw5, ...), so the screens can look
 * values up without scanning.
 */
#include "tui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The stepper's kind, layer and unit of a recorded event, from its typed
 * fields: the unit's number, from 1 (the weight's number for gradients and
 * updates; 0 for the losses), as events count. */
static void event_info(const tr_item *e, int *kind, int *layer, int *unit)
{
    *layer = 0;
    *unit = 0;
    switch ((nn_ev_kind)e->kind) {
    case NN_EV_NET:        *kind = TUI_NET; break;
    case NN_EV_OUT:        *kind = TUI_OUT; break;
    case NN_EV_DE_DOUT:    *kind = TUI_DOUT; break;
    case NN_EV_DE_DNET:    *kind = TUI_DOUT; break;   /* cross-entropy: term 1 * term 2 in one */
    case NN_EV_DOUT_DNET:  *kind = TUI_DNET; break;
    case NN_EV_LOSS:       *kind = TUI_E_TOTAL; return;
    case NN_EV_LOSS_BATCH: *kind = TUI_E_FINAL; return;
    case NN_EV_GRADIENT:   *kind = TUI_DW; *unit = e->weight; return;
    case NN_EV_UPDATE:     *kind = TUI_W; *unit = e->weight; return;
    case NN_EV_KINDS:
    default:               *kind = TUI_OTHER; return;
    }
    *layer = e->layer;
    *unit = e->unit;
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
        if (kind > TUI_DNET || layer < 1 || layer > L->shape.n_layers || unit < 1 || unit > size)
            return -1;
        return base + m->layer_base[layer] + (long)kind * size + unit - 1;
    }
    switch (kind) {
    case TUI_E_FINAL: return batch;
    case TUI_DW:      return unit >= 1 && unit <= W ? batch + unit : -1;
    case TUI_W:       return unit >= 1 && unit <= W ? batch + W + unit : -1;
    default:          return -1;
    }
}

static long slots_per_step(const tui_model *m)
{
    return (long)m->lesson->batch_size * m->per_sample + 1 + 2L * ls_n_weights(m->lesson);
}

int tui_model_open(tui_model *m, const ls_lesson *lesson, const double *start_weights, int mistakes, char *err,
                   size_t err_size)
{
    memset(m, 0, sizeof *m);
    m->lesson = lesson;
    if (!(m->rec = tr_record(lesson, start_weights, mistakes, err, err_size)))
        return -1;
    int base = 0;
    for (int l = 1; l <= lesson->shape.n_layers; l++) {
        m->layer_base[l] = base;
        base += 4 * lesson->shape.size[l];
    }
    m->per_sample = base + 1;
    if (!(m->slots = malloc((size_t)slots_per_step(m) * sizeof(long))) || tui_model_update(m) != 0) {
        snprintf(err, err_size, "out of memory");
        tui_model_free(m);
        return -1;
    }
    return 0;
}

int tui_model_update(tui_model *m)
{
    tr_recording *rec = m->rec;
    long count = slots_per_step(m);
    for (long q = 0; q < count; q++)
        m->slots[q] = -1;
    for (int s = 0; s <= NN_STAGES; s++)
        m->stage_first[s] = m->stage_last[s] = -1;
    for (long e = 0, n = tr_rec_count(rec); e < n; e++) { /* mutant: index-misses-last */
        const tr_item *ev = tr_rec_item(rec, e);
        int kind, layer, unit, stage = ev->stage;
        if (stage >= 1 && stage <= NN_STAGES) {
            if (m->stage_first[stage] < 0)
                m->stage_first[stage] = e;
            m->stage_last[stage] = e; /* mutant: stage-bounds-first-only */
        }
        event_info(ev, &kind, &layer, &unit);
        long off = slot_offset(m, ev->sample, kind, layer, unit);
        if (off >= 0 && off < count)
            m->slots[off] = e;
    }
    m->indexed = tr_rec_count(rec);
    return 0;
}

void tui_model_free(tui_model *m)
{
    tr_recording_free(m->rec);
    free(m->slots);
    memset(m, 0, sizeof *m);
}

long tui_model_slot(const tui_model *m, int sample, tui_role kind, int layer, int unit)
{
    long off = slot_offset(m, sample, kind, layer, unit);
    return off < 0 || off >= slots_per_step(m) ? -1 : m->slots[off];
}

const tr_event *tui_event(const tui_state *st, long index)
{
    return tr_rec_at(st->m.rec, index);
}

const tr_event *tui_event_head(const tui_state *st, long index)
{
    return tr_rec_head(st->m.rec, index);
}

const tr_event *tui_event_named(const tui_state *st, long index)
{
    return tr_rec_named(st->m.rec, index);
}

const tr_event *tui_event_id(const tui_state *st, long id)
{
    return tr_recording_event(st->m.rec, id);
}

long tui_stage_first(const tui_model *m, int stage)
{
    return stage >= 1 && stage <= NN_STAGES ? m->stage_first[stage] : -1;
}

long tui_stage_last(const tui_model *m, int stage)
{
    return stage >= 1 && stage <= NN_STAGES ? m->stage_last[stage] : -1;
}

/* ------------------------------------------------------------ navigation */

const tr_event *tui_model_current(const tui_model *m)
{
    return tr_rec_at(m->rec, m->cur);
}

void tui_model_go(tui_model *m, long index)
{
    long n = tr_rec_count(m->rec);
    m->cur = index < 0 ? 0 : index > n - 1 ? n - 1 : index;
}

int tui_model_next(tui_model *m)
{
    if (m->cur + 1 >= tr_rec_count(m->rec))
        return 0;
    m->cur++;
    return 1;
}

int tui_model_goto_step(tui_model *m, int step, char *err, size_t err_size)
{
    if (step == tr_rec_step(m->rec))
        return 0;
    if (tr_record_goto(m->rec, step, err, err_size) != 0)
        return -1;
    if (tr_rec_count(m->rec) != m->indexed && tui_model_update(m) != 0) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    if (m->cur >= tr_rec_count(m->rec))
        m->cur = tr_rec_count(m->rec) - 1;
    return 0;
}

int tui_model_go_stage(tui_model *m, int step, int stage, char *err, size_t err_size)
{
    if (stage > NN_STAGES) {
        step++;
        stage = 1;
    } else if (stage < 1) {
        if (step == 1) {
            tui_model_go(m, 0);
            return 0;
        }
        step--;
        stage = NN_STAGES;
    }
    if (tui_model_goto_step(m, step, err, err_size) != 0)
        return -1;
    long e = tui_stage_first(m, stage);
    if (e >= 0)
        tui_model_go(m, e);
    return 0;
}
