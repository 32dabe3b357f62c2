/*
 * record.c - every event of a run kept in memory, for the stepper: the
 * engine's strings and arrays copied into arena blocks owned by the
 * recording.
 */
#include "trace.h"

#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK (1u << 20)   /* bytes per arena block */

/* Room for size bytes, aligned for doubles and pointers; NULL if out of memory. */
static void *arena_alloc(tr_recording *rec, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    if (rec->arena_used + size > rec->arena_cap) {
        size_t cap = size > ARENA_BLOCK ? size : ARENA_BLOCK;
        if (rec->n_blocks == rec->cap_blocks) {
            int more = rec->cap_blocks ? rec->cap_blocks * 2 : 16;
            void **blocks = realloc(rec->blocks, (size_t)more * sizeof *blocks);
            if (!blocks)
                return NULL;
            rec->blocks = blocks;
            rec->cap_blocks = more;
        }
        char *block = malloc(cap);
        if (!block)
            return NULL;
        rec->blocks[rec->n_blocks++] = block;
        rec->arena = block;
        rec->arena_used = 0;
        rec->arena_cap = cap;
    }
    void *p = rec->arena + rec->arena_used;
    rec->arena_used += size;
    return p;
}

static const char *arena_str(tr_recording *rec, const char *s)
{
    size_t len = strlen(s) + 1;
    char *copy = arena_alloc(rec, len);
    if (copy)
        memcpy(copy, s, len);
    return copy;
}

static int rec_event(void *user, const nn_event *ev)
{
    tr_recording *rec = user;
    if (rec->n_events == rec->cap) {
        long more = rec->cap ? rec->cap * 2 : 1024;
        tr_event *events = realloc(rec->events, (size_t)more * sizeof *events);
        if (!events)
            return -1;
        rec->events = events;
        rec->cap = more;
    }
    tr_event *e = &rec->events[rec->n_events];
    e->id = ev->id;
    e->step = ev->step;
    e->stage = ev->stage;
    e->sample = ev->sample;
    e->value = ev->value;
    e->symbol = arena_str(rec, ev->symbol);
    e->formula = arena_str(rec, ev->formula);
    e->n_ops = ev->n_ops;
    e->ops = arena_alloc(rec, (size_t)ev->n_ops * sizeof(nn_operand) + 1);
    e->n_deps = ev->n_deps;
    e->deps = arena_alloc(rec, (size_t)ev->n_deps * sizeof(long) + 1);
    if (!e->symbol || !e->formula || !e->ops || !e->deps)
        return -1;
    for (int q = 0; q < ev->n_ops; q++) {
        e->ops[q] = ev->ops[q];
        if (!(e->ops[q].name = arena_str(rec, ev->ops[q].name)))
            return -1;
    }
    memcpy(e->deps, ev->deps, (size_t)ev->n_deps * sizeof(long));
    rec->n_events++;
    return 0;
}

tr_recording *tr_record(const ls_lesson *L, int steps, char *err, size_t err_size)
{
    tr_recording *rec = calloc(1, sizeof *rec);
    if (!rec) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    rec->lesson = L;
    rec->net = nn_net_new_shape(&L->shape);
    rec->ctx = rec->net ? nn_ctx_new(rec->net, L->batch_size) : NULL;
    rec->x = malloc((size_t)L->batch_size * (size_t)L->n_in * sizeof(double));
    rec->y = malloc((size_t)L->batch_size * (size_t)L->n_out * sizeof(double));
    rec->step_start = malloc(sizeof(long));
    if (!rec->net || !rec->ctx || !rec->x || !rec->y || !rec->step_start) {
        snprintf(err, err_size, "out of memory");
        tr_recording_free(rec);
        return NULL;
    }
    rec->step_start[0] = 0;
    rec->sink.user = rec;
    rec->sink.event = rec_event;
    nn_ctx_set_sink(rec->ctx, &rec->sink);   /* once: event ids run on across steps */
    memcpy(rec->net->w, L->weights, (size_t)rec->net->n_weights * sizeof(double));
    if (tr_record_more(rec, steps, err, err_size) != 0) {
        tr_recording_free(rec);
        return NULL;
    }
    return rec;
}

int tr_record_more(tr_recording *rec, int steps, char *err, size_t err_size)
{
    const ls_lesson *L = rec->lesson;
    if (steps <= rec->steps)
        return 0;
    long *starts = realloc(rec->step_start, (size_t)(steps + 1) * sizeof(long));
    if (!starts) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    rec->step_start = starts;
    for (int step = rec->steps + 1; step <= steps; step++) {
        ls_batch(L, step, rec->x, rec->y);
        long before = rec->n_events;
        int e = nn_step(rec->ctx, rec->net, rec->x, rec->y, L->batch_size, L->learning_rate, step, NULL);
        if (e == NN_ENONFINITE) {
            int stage;
            const char *symbol;
            nn_ctx_nonfinite(rec->ctx, &stage, &symbol);
            snprintf(err, err_size, "step %d, stage %d: %s is not a finite number", step, stage, symbol);
        } else if (e != NN_OK) {
            snprintf(err, err_size, e == NN_EABORTED ? "out of memory" : "the engine refused the batch");
        }
        if (e != NN_OK) {
            rec->n_events = before;
            return -1;
        }
        rec->steps = step;
        rec->step_start[step] = rec->n_events;
    }
    return 0;
}

long tr_step_start(const tr_recording *rec, int step)
{
    if (step < 1)
        step = 1;
    if (step > rec->steps + 1)
        step = rec->steps + 1;
    return rec->step_start[step - 1];
}

void tr_recording_free(tr_recording *rec)
{
    if (!rec)
        return;
    for (int b = 0; b < rec->n_blocks; b++)
        free(rec->blocks[b]);
    free(rec->blocks);
    free(rec->events);
    free(rec->step_start);
    free(rec->x);
    free(rec->y);
    nn_ctx_free(rec->ctx);
    nn_net_free(rec->net);
    free(rec);
}
