/*
 * record.c - the events of one step kept in memory, for the stepper: what
 * each value is, where, its value and its form as the engine emitted it
 * (tr_item, 40 bytes).  The tr_event a screen reads is made when first asked
 * for (tr_rec_head), named then (tr_rec_named), its formula laid out then
 * (tr_rec_at), its dependencies only for the value asked about
 * (tr_rec_deps), all from the engine's context, which still holds the step;
 * strings and arrays go into arena blocks owned by the recording.  A screen
 * shows a few hundred of a step's values, and laying out all of a 784-90-10
 * step (151,141 values, about 100 MB) cost nine tenths of a `]`.
 * Only one step is held at a time; other steps are recomputed from saved
 * starting weights (a ring of recent steps and sparse checkpoints), so
 * memory does not grow with the number of steps.
 */
#include "recording.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* bytes per arena block: small, as layouts come a few at a time.  The first
 * touch of fresh memory cost this machine 0.5 ms per MB in 4 KiB pages and
 * 1.7 ms per MB in huge pages (3.4 ms at once), so a block adds about
 * 0.13 ms to the one key that needs it */
#define ARENA_BLOCK   (256u << 10)
#define RING_MAX      16               /* recent steps whose weights are kept */
#define CK_MAX        32               /* checkpoints kept (at least 2) */
#define SAVED_BYTES   (64u << 20)      /* at most this much for saved weights */

/* A new block of cap bytes after the others; 0, or -1 out of memory. */
static int arena_grow(tr_recording *rec, size_t cap)
{
    if (rec->n_blocks == rec->cap_blocks) {
        int more = rec->cap_blocks ? rec->cap_blocks * 2 : 16;
        void **blocks = realloc(rec->blocks, (size_t)more * sizeof *blocks);
        if (blocks)
            rec->blocks = blocks;
        size_t *caps = blocks ? realloc(rec->block_caps, (size_t)more * sizeof *caps) : NULL;
        if (!caps)
            return -1;
        rec->block_caps = caps;
        rec->cap_blocks = more;
    }
    void *mem = malloc(cap);
    if (!mem)
        return -1;
    rec->blocks[rec->n_blocks] = mem;
    rec->block_caps[rec->n_blocks++] = cap;
    return 0;
}

/* Room for size bytes, aligned for doubles and pointers; NULL if out of
 * memory.  The blocks of earlier steps are used again first: freeing and
 * faulting them anew cost the kernel more than recording the step. */
static void *arena_alloc(tr_recording *rec, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    while (rec->cur_block < 0 || rec->arena_used + size > rec->arena_cap) {
        int next = rec->cur_block + 1;
        if (next == rec->n_blocks && arena_grow(rec, size > ARENA_BLOCK ? size : ARENA_BLOCK) != 0)
            return NULL;
        rec->cur_block = next;
        rec->arena = rec->blocks[next];
        rec->arena_used = 0;
        rec->arena_cap = rec->block_caps[next];
    }
    void *p = rec->arena + rec->arena_used;
    rec->arena_used += size;
    return p;
}

/* Every block free for the next step again (kept: see arena_alloc). */
static void arena_rewind(tr_recording *rec)
{
    rec->cur_block = -1; /* mutant: arena-not-reused */
    rec->arena = NULL;
    rec->arena_used = rec->arena_cap = 0;
}

static void arena_free(tr_recording *rec)
{
    for (int b = 0; b < rec->n_blocks; b++)
        free(rec->blocks[b]);
    free(rec->blocks);
    free(rec->block_caps);
    rec->blocks = NULL;
    rec->block_caps = NULL;
    rec->n_blocks = rec->cap_blocks = 0;
    arena_rewind(rec);
}

static const char *arena_str(tr_recording *rec, const char *s)
{
    size_t len = strlen(s) + 1;
    char *copy = arena_alloc(rec, len);
    if (copy)
        memcpy(copy, s, len);
    return copy;
}

/* dE_final/dw_m of the step being recorded, if recorded yet (nn_mistakes). */
static double grad_of(void *user, int m)
{
    const tr_recording *rec = user;
    if (m < 1 || m > rec->n_weights || rec->grad_at[m - 1] < 0)
        return NAN;
    return rec->items[rec->grad_at[m - 1]].value;
}

/* Room for twice as many values; 0, or -1 out of memory. */
static int grow(tr_recording *rec)
{
    long more = rec->cap ? rec->cap * 2 : 1024;
    tr_item *items = realloc(rec->items, (size_t)more * sizeof *items);
    if (items)
        rec->items = items;
    tr_event *events = items ? realloc(rec->events, (size_t)more * sizeof *events) : NULL;
    if (events)
        rec->events = events;
    unsigned *made = events ? realloc(rec->made, (size_t)more * sizeof *made) : NULL;
    if (made)
        rec->made = made;
    tr_rec_mistakes *mist = made && rec->mistakes ? realloc(rec->mist, (size_t)more * sizeof *mist) : NULL;
    if (mist)
        rec->mist = mist;
    if (!items || !events || !made || (rec->mistakes && !mist))
        return -1;
    memset(rec->made + rec->cap, 0, (size_t)(more - rec->cap) * sizeof *made);   /* made for no step */
    rec->cap = more;
    return 0;
}

static int rec_event(void *user, const nn_event *ev)
{
    tr_recording *rec = user;
    if (rec->n_events == rec->cap && grow(rec) != 0)
        return -1;
    if (rec->n_events == 0) {
        rec->first_id = ev->id;
        for (int m = 0; m < rec->n_weights; m++)
            rec->grad_at[m] = -1;
        for (int r = 0; r < rec->lesson->n_refs; r++) {
            rec->note_vals[r] = NAN;
            rec->note_at[r] = -1;
        }
    }
    for (int r = 0; r < rec->lesson->n_refs; r++)          /* a value a note names */
        if (tr_note_match(&rec->lesson->refs[r], ev->kind, ev->layer, ev->unit, ev->weight, ev->sample)) {
            rec->note_vals[r] = ev->value;
            rec->note_at[r] = rec->n_events;
        }
    /* what the value is; its tr_event made, named and laid out when asked for (tr_rec_at) */
    rec->items[rec->n_events] = (tr_item){
        .id = ev->id, .value = ev->value, .unit = ev->unit, .weight = ev->weight, .sample = ev->sample,
        .n_terms = ev->n_terms, .n_ops = ev->n_ops, .kind = (unsigned char)ev->kind,
        .layer = (unsigned char)ev->layer, .stage = (unsigned char)ev->stage, .form = (unsigned char)ev->form };
    if (rec->mistakes) {                         /* what the known mistakes give, for the quiz */
        nn_mistake found[NN_MISTAKES];
        tr_rec_mistakes *mk = &rec->mist[rec->n_events];
        mk->n = nn_mistakes(ev, rec->lesson->learning_rate, grad_of, rec, found, NN_MISTAKES);
        mk->m = NULL;
        if (mk->n > 0) {
            nn_mistake *m = arena_alloc(rec, (size_t)mk->n * sizeof *m);
            if (!m)
                return -1;
            memcpy(m, found, (size_t)mk->n * sizeof *m);
            mk->m = m;
        }
    }
    if (ev->kind == NN_EV_GRADIENT && ev->weight >= 1 && ev->weight <= rec->n_weights)
        rec->grad_at[ev->weight - 1] = rec->n_events;
    rec->n_events++;
    return 0;
}

/* The engine's error as one line. */
static void step_error(tr_recording *rec, int e, int step, char *err, size_t err_size)
{
    if (e == NN_ENONFINITE) {
        char what[160];
        nn_ctx_nonfinite_text(rec->ctx, what, sizeof what);
        snprintf(err, err_size, "step %d, %s", step, what);
    } else {
        snprintf(err, err_size, e == NN_EABORTED || e == NN_ENOMEM ? "out of memory"
                                                                   : "the engine refused the batch");
    }
}

/* Keep w as the start weights of `step` (ring always; a checkpoint when due). */
static void save_start(tr_recording *rec, int step, const double *w)
{
    size_t W = (size_t)rec->n_weights;
    int slot = step % rec->n_ring;
    memcpy(rec->ring + (size_t)slot * W, w, W * sizeof(double));
    rec->ring_step[slot] = step;
    if ((step - 1) % rec->ck_stride != 0 || (step - 1) / rec->ck_stride != rec->n_ck)
        return;                                  /* not the next checkpoint in line */
    if (rec->n_ck == rec->n_ck_max) {            /* full: keep every other one */
        for (int k = 0; 2 * k < rec->n_ck_max; k++)
            memcpy(rec->ck + (size_t)k * W, rec->ck + (size_t)(2 * k) * W, W * sizeof(double));
        rec->n_ck = (rec->n_ck_max + 1) / 2;
        rec->ck_stride *= 2;
        if ((step - 1) % rec->ck_stride != 0 || (step - 1) / rec->ck_stride != rec->n_ck)
            return;
    }
    memcpy(rec->ck + (size_t)rec->n_ck * W, w, W * sizeof(double));
    rec->n_ck++;
}

/* The saved start weights nearest below or at `step`: copies them into
 * net->w and returns their step. */
static int nearest_start(tr_recording *rec, int step)
{
    size_t W = (size_t)rec->n_weights;
    int best = 1;
    const double *from = rec->ck;                /* checkpoint 0 is step 1 */
    int k = (step - 1) / rec->ck_stride;
    if (k >= rec->n_ck)
        k = rec->n_ck - 1;
    if (k > 0) {
        best = 1 + k * rec->ck_stride;
        from = rec->ck + (size_t)k * W;
    }
    for (int r = 0; r < rec->n_ring; r++)
        if (rec->ring_step[r] > best && rec->ring_step[r] <= step) { /* mutant: recording-ring-off-by-one */
            best = rec->ring_step[r];
            from = rec->ring + (size_t)r * W;
        }
    memcpy(rec->net->w, from, W * sizeof(double));
    return best;
}

/* Record step `step` from the weights in rec->net->w. */
static int record_step(tr_recording *rec, int step, char *err, size_t err_size)
{
    const ls_lesson *L = rec->lesson;
    rec->n_events = 0;
    rec->deps_of = -1;                           /* the engine's context moves on */
    rec->held++;                                 /* a new number: every event made before is old */ /* mutant: made-events-kept */
    if (rec->held == 0) {                        /* wrapped round: forget them all */
        memset(rec->made, 0, (size_t)rec->cap * sizeof *rec->made);
        rec->held = 1;
    }
    arena_rewind(rec);
    memcpy(rec->w_start, rec->net->w, (size_t)rec->n_weights * sizeof(double));
    if (step <= rec->reached + 1)
        save_start(rec, step, rec->w_start);
    ls_batch(L, step, rec->x, rec->y);
    nn_ctx_set_sink(rec->ctx, &rec->sink);       /* the step's weights count as given */
    int e = nn_step(rec->ctx, rec->net, rec->x, rec->y, L->batch_size, L->learning_rate, step, NULL);
    if (e != NN_OK) {
        step_error(rec, e, step, err, err_size);
        return -1;
    }
    rec->step = step;
    if (step > rec->reached)
        rec->reached = step;
    return 0;
}

tr_recording *tr_record(const ls_lesson *L, const double *start, int mistakes, char *err, size_t err_size)
{
    int N = nn_n_inputs(&L->shape), O = nn_n_outputs(&L->shape);   /* inputs, outputs */
    tr_recording *rec = calloc(1, sizeof *rec);
    if (!rec) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    arena_rewind(rec);
    rec->lesson = L;
    rec->mistakes = mistakes; /* mutant: mistakes-never-recorded */
    rec->n_weights = ls_n_weights(L);
    size_t W = (size_t)rec->n_weights;
    size_t fit = SAVED_BYTES / (W * sizeof(double) + 1);
    rec->n_ring = fit / 3 > RING_MAX ? RING_MAX : fit / 3 > 1 ? (int)(fit / 3) : 1;
    size_t left = fit > (size_t)rec->n_ring ? fit - (size_t)rec->n_ring : 0;
    rec->n_ck_max = left > CK_MAX ? CK_MAX : left > 2 ? (int)left : 2;
    rec->ck_stride = 1;
    rec->net = nn_net_new_shape(&L->shape);
    rec->ctx = rec->net ? nn_ctx_new(rec->net, L->batch_size) : NULL;
    rec->x = malloc((size_t)L->batch_size * (size_t)N * sizeof(double));
    rec->y = malloc((size_t)L->batch_size * (size_t)O * sizeof(double));
    rec->w_start = malloc(W * sizeof(double));
    rec->ring = malloc((size_t)rec->n_ring * W * sizeof(double));
    rec->ring_step = calloc((size_t)rec->n_ring, sizeof(int));
    rec->ck = malloc((size_t)rec->n_ck_max * W * sizeof(double));
    rec->f = malloc(sizeof *rec->f);
    rec->grad_at = malloc(W * sizeof(long));
    rec->note_vals = malloc(((size_t)L->n_refs + 1) * sizeof(double));
    rec->note_at = malloc(((size_t)L->n_refs + 1) * sizeof(long));
    if (!rec->net || !rec->ctx || !rec->x || !rec->y || !rec->w_start || !rec->ring ||
        !rec->ring_step || !rec->ck || !rec->f || !rec->grad_at || !rec->note_vals || !rec->note_at) {
        snprintf(err, err_size, "out of memory");
        tr_recording_free(rec);
        return NULL;
    }
    rec->sink.user = rec;
    rec->sink.event = rec_event;
    rec->sink.unnamed = 1;
    memcpy(rec->net->w, start ? start : L->weights, W * sizeof(double));
    if (record_step(rec, 1, err, err_size) != 0) {
        tr_recording_free(rec);
        return NULL;
    }
    return rec;
}

int tr_record_goto(tr_recording *rec, int step, char *err, size_t err_size)
{
    const ls_lesson *L = rec->lesson;
    int held = rec->step;
    if (step < 1 || step > LS_MAX_STEPS) {
        snprintf(err, err_size, "step %d is out of range (1 to %d)", step, LS_MAX_STEPS);
        return -1;
    }
    if (step == held)
        return 0;
    int from = step == held + 1 ? step : nearest_start(rec, step);   /* net->w: after `held` */
    for (int t = from; t < step; t++) {          /* up to the step, without tracing */
        if (t <= rec->reached + 1)
            save_start(rec, t, rec->net->w);
        ls_batch(L, t, rec->x, rec->y);
        nn_ctx_set_sink(rec->ctx, NULL);
        int e = nn_step(rec->ctx, rec->net, rec->x, rec->y, L->batch_size, L->learning_rate, t, NULL);
        if (e != NN_OK) {
            step_error(rec, e, t, err, err_size);
            goto restore;
        }
        if (t > rec->reached)
            rec->reached = t;
    }
    if (record_step(rec, step, err, err_size) == 0)
        return 0;
restore:   /* hold the step held before again */
    {
        char ignored[8];
        int ok = 1;
        for (int t = nearest_start(rec, held); ok && t < held; t++) {
            ls_batch(L, t, rec->x, rec->y);
            nn_ctx_set_sink(rec->ctx, NULL);
            ok = nn_step(rec->ctx, rec->net, rec->x, rec->y, L->batch_size, L->learning_rate, t, NULL) == NN_OK;
        }
        if (ok)
            record_step(rec, held, ignored, sizeof ignored);
    }
    return -1;
}

/* Recorded event i as the engine's event again, its operands given by the
 * engine's context, which still holds the step (engine.h). */
static nn_event engine_event(const tr_recording *rec, long i)
{
    const tr_item *t = &rec->items[i];
    return (nn_event){ .id = t->id, .kind = (nn_ev_kind)t->kind, .layer = t->layer, .unit = t->unit,
                       .weight = t->weight, .step = rec->step, .stage = t->stage, .sample = t->sample,
                       .value = t->value, .form = (nn_form)t->form, .n_terms = t->n_terms,
                       .n_ops = t->n_ops, .src = rec->ctx };
}

/* Event i as a tr_event, made now if it was not yet for this step. */
static tr_event *made(tr_recording *rec, long i)
{
    tr_event *e = &rec->events[i];
    if (rec->made[i] == rec->held)
        return e;
    rec->made[i] = rec->held;
    nn_event ev = engine_event(rec, i);
    tr_event_view(&ev, NULL, e);                 /* no name, no formula yet */
    if (rec->mistakes) {
        e->mistakes = rec->mist[i].m;
        e->n_mistakes = rec->mist[i].n;
    }
    return e;
}

/* Lay out event i's formula into the arena (its pointers live until the step changes). */
static void lay_out(tr_recording *rec, long i)
{
    tr_event *e = made(rec, i);
    nn_event ev = engine_event(rec, i); /* mutant: layout-of-wrong-event */
    tr_formula *f = rec->f;
    tr_layout(&rec->lesson->shape, &ev, f);
    const char *formula = arena_str(rec, f->text);
    tr_operand *ops = arena_alloc(rec, (size_t)f->n_ops * sizeof(tr_operand) + 1);
    int q = 0;
    for (; formula && ops && q < f->n_ops; q++) {
        ops[q] = f->ops[q];
        if (!(ops[q].name = arena_str(rec, f->ops[q].name)))
            break;
    }
    if (!formula || !ops || q < f->n_ops) {      /* out of memory: shown with no formula */
        e->formula = "";
        e->ops = NULL;
        e->n_ops = 0;
        return;
    }
    e->formula = formula;
    e->ops = ops;
    e->n_ops = f->n_ops;
}

/* Event i made and named (its symbol into the arena). */
static tr_event *named(tr_recording *rec, long i)
{
    tr_event *e = made(rec, i);
    if (!e->symbol) { /* mutant: recorded-never-named */
        char sym[NN_SYMBOL_SIZE];
        nn_symbol(&rec->lesson->shape, e->kind, e->layer, e->unit, e->weight, sym, sizeof sym);
        e->symbol = arena_str(rec, sym);
        if (!e->symbol)
            e->symbol = "?";                     /* out of memory */
    }
    return e;
}

const tr_event *tr_rec_named(tr_recording *rec, long i) { return named(rec, i); }

const tr_event *tr_rec_at(tr_recording *rec, long i)
{
    tr_event *e = named(rec, i);
    if (!e->formula) /* mutant: recorded-formula-never-laid-out */
        lay_out(rec, i);
    return e;
}

const tr_event *tr_rec_head(tr_recording *rec, long i) { return made(rec, i); }

const tr_event *tr_recording_event(tr_recording *rec, long id)
{
    long i = id - rec->first_id;
    return id >= 0 && i >= 0 && i < rec->n_events ? tr_rec_head(rec, i) : NULL;
}

long tr_rec_count(const tr_recording *rec) { return rec->n_events; }
const tr_item *tr_rec_item(const tr_recording *rec, long i) { return &rec->items[i]; }
int tr_rec_step(const tr_recording *rec) { return rec->step; }
int tr_rec_reached(const tr_recording *rec) { return rec->reached; }
const double *tr_rec_start(const tr_recording *rec) { return rec->w_start; }
const double *tr_rec_inputs(const tr_recording *rec) { return rec->x; }
const double *tr_rec_targets(const tr_recording *rec) { return rec->y; }

const long *tr_rec_deps(tr_recording *rec, long i, int *n)
{
    if (i == rec->deps_of) {
        *n = rec->n_deps_of;
        return rec->deps;
    }
    nn_event ev = engine_event(rec, i);
    *n = tr_event_deps(&ev, &rec->deps, &rec->deps_room); /* mutant: recorded-deps-dropped */
    if (*n < 0)
        return NULL;
    rec->deps_of = i;
    rec->n_deps_of = *n;
    return rec->deps;
}

double tr_rec_note(const tr_recording *rec, int r, long *at)
{
    *at = rec->note_at[r];
    return rec->note_vals[r];
}

void tr_recording_free(tr_recording *rec)
{
    if (!rec)
        return;
    arena_free(rec);
    free(rec->items);
    free(rec->events);
    free(rec->made);
    free(rec->mist);
    free(rec->x);
    free(rec->y);
    free(rec->w_start);
    free(rec->ring);
    free(rec->ring_step);
    free(rec->ck);
    free(rec->f);
    free(rec->grad_at);
    free(rec->deps);
    free(rec->note_vals);
    free(rec->note_at);
    nn_ctx_free(rec->ctx);
    nn_net_free(rec->net);
    free(rec);
}
