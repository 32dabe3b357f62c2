/*
 * recording.h - what a recording (record.c) holds: private to record.c and
 * to the unit tests that check its memory; every other module reads it
 * through the tr_rec_* accessors of trace.h.
 */
#ifndef NNTRACE_TRACE_RECORDING_H
#define NNTRACE_TRACE_RECORDING_H

#include "trace.h"


/* A quiz's recorded value: what the known mistakes give (nn_mistakes). */
typedef struct tr_rec_mistakes {
    const nn_mistake *m;      /* in the arena, or NULL */
    int n;
} tr_rec_mistakes;

struct tr_recording {
    tr_item *items;       /* the values of step `step`, in order */
    tr_event *events;         /* ... each as a tr_event, made when first asked for */
    unsigned *made;           /* events[i] is made for the step held when made[i] == held */
    unsigned held;            /* a number of the recording held, new at each step recorded */
    tr_rec_mistakes *mist;    /* a quiz's: each value's known mistakes (NULL otherwise) */
    long n_events;            /* how many */
    long cap;                 /* room in items, events and mist */
    int step;                 /* the step held, from 1 */
    int reached;              /* the furthest step recorded so far */
    long first_id;            /* the engine's id of events[0] */
    char *arena;              /* current block of string and array storage */
    size_t arena_used, arena_cap;
    void **blocks;            /* every arena block: kept from step to step, freed at the end */
    size_t *block_caps;       /* ... the size of each */
    int n_blocks, cap_blocks;
    int cur_block;            /* the block in use (-1: none yet since the last rewind) */
    const ls_lesson *lesson;  /* the lesson being recorded (not owned) */
    int mistakes;             /* each event gets what the known mistakes give (a quiz's) */
    int n_weights;            /* W */
    double *w_start;          /* the weights at the start of `step` (W) */
    nn_net *net;              /* the weights after `step` */
    nn_ctx *ctx;              /* the engine */
    nn_sink sink;             /* the engine's sink: rec_event into this recording */
    tr_formula *f;            /* the formula being laid out */
    double *x, *y;            /* batch buffers */
    double *ring;             /* start weights of recent steps, n_ring * W */
    int *ring_step;           /* which step each ring slot holds (0: none) */
    int n_ring;               /* ring slots */
    double *ck;               /* start weights of steps 1, 1 + ck_stride, ..., n_ck_max * W */
    long *grad_at;            /* index in events of dE_final/dw_m of the step held (W; -1 none) */
    double *note_vals;        /* the notes' live values in the step held (lesson->n_refs; NAN none) */
    long *note_at;            /* index in events of each (-1: none; the learning rate) */
    int n_ck, n_ck_max;       /* checkpoints held, room for */
    int ck_stride;            /* steps between checkpoints (doubles when full) */
    long *deps;               /* the deps of event deps_of (tr_rec_deps) */
    int deps_room;            /* room in deps */
    long deps_of;             /* the event whose deps are in deps (-1: none) */
    int n_deps_of;            /* how many */
};

#endif
