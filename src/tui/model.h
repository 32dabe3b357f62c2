/*
 * model.h - the recording of the step held, indexed (model.c): which
 * event holds which value, the stages' bounds, and moving through it.
 */
#ifndef NNTRACE_TUI_MODEL_H
#define NNTRACE_TUI_MODEL_H

#include "../lesson/lesson.h"
#include "../trace/trace.h"
#include "base.h"

/* What a value is, for the stepper, from the event's typed fields. */
typedef enum tui_role { TUI_NET, TUI_OUT, TUI_DOUT, TUI_DNET, TUI_E_TOTAL, TUI_E_FINAL, TUI_DW, TUI_W, TUI_OTHER } tui_role;

/* The recording, indexed, and where the reader is in it. */
typedef struct tui_model {
    const ls_lesson *lesson;  /* the lesson (not owned) */
    tr_recording *rec;        /* its events (owned) */
    long cur;                 /* the current event, an index into rec->events */
    long *slots;              /* event index of each value of the step, -1 if none */
    int per_sample;           /* slots per sample: 4 per neuron of layers 1..L, and E_total */
    int layer_base[NN_MAX_LAYERS + 2]; /* first slot of layer l within a sample */
    long stage_first[NN_STAGES + 1];   /* first and last event of stage s of the step held (-1: none) */
    long stage_last[NN_STAGES + 1];
    long indexed;             /* events of the step the index was built for: every step of a
                                 lesson emits the same values in the same order, so a step with
                                 as many keeps it (tui_model_goto_step) */
} tui_model;

/* model.c: the recording of lesson from start_weights (NULL: the lesson's),
 * indexed, at its first value; 0, or -1 with err set.  _free frees it all. */
int tui_model_open(tui_model *m, const ls_lesson *lesson, const double *start_weights, int mistakes, char *err,
                   size_t err_size);
int tui_model_update(tui_model *m);          /* index the step the recording holds now */
void tui_model_free(tui_model *m);
/* Navigation.  Every tr_event pointer taken before a call that changes the
 * step held (goto_step, go_stage) is invalid after it. */
const tr_event *tui_model_current(const tui_model *m);
void tui_model_go(tui_model *m, long index);  /* a value of the step held, clamped */
int tui_model_next(tui_model *m);             /* 1 moved, 0 at the step's last value */
/* Hold step `step` (0, or -1 with err set and the step before still held). */
int tui_model_goto_step(tui_model *m, int step, char *err, size_t err_size);
/* The first value of a stage of a step; stage 7 is the next step's first
 * stage, 0 the previous step's last (from step 1: its first value). */
int tui_model_go_stage(tui_model *m, int step, int stage, char *err, size_t err_size);
/* The event holding a value, by its key as events count it: the sample from
 * 1 (0 for a batch value), a TUI_* role, the layer, and the unit's number
 * from 1 (the weight's number for TUI_DW and TUI_W; 0 for the losses); -1 if
 * the step held has none. */
long tui_model_slot(const tui_model *m, int sample, tui_role kind, int layer, int unit);
const tr_event *tui_event(const tui_state *st, long index);   /* index in the step held */
/* The same without its formula (tr_rec_head: what, where, value; no symbol),
 * for a screen that walks many values; with its symbol (tr_rec_named); and
 * one by engine id (tr_recording_event, as tr_rec_head). */
const tr_event *tui_event_head(const tui_state *st, long index);
const tr_event *tui_event_named(const tui_state *st, long index);
const tr_event *tui_event_id(const tui_state *st, long id);
long tui_stage_first(const tui_model *m, int stage);  /* -1 if none */
long tui_stage_last(const tui_model *m, int stage);

#endif
