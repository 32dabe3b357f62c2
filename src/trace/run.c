/*
 * run.c - drive the engine through a lesson's steps, feeding a writer.
 */
#include "trace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int tr_most_changed(const double *change, int W, int *top, int max) /* mutant: writers-listed-in-run */
{
    int n = 0;
    for (int m = 0; m < W && max > 0; m++) {
        double d = fabs(change[m]);
        if (n == max && d <= fabs(change[top[max - 1]]))
            continue;
        int at = n < max ? n++ : max - 1;              /* the last place, then up */
        while (at > 0 && fabs(change[top[at - 1]]) < d) {
            top[at] = top[at - 1];
            at--;
        }
        top[at] = m;
    }
    return n;
}

int tr_reused(int stage, int src_stage)
{
    return stage == NN_STAGE_HIDDEN_BACKWARD && src_stage == NN_STAGE_OUTPUT_BACKWARD; /* mutant: reused-terms-unmarked */
}

int tr_op_reused(const tr_out *out, const tr_event *ev, int q)
{
    long dep = ev->ops[q].op.dep;
    int src_stage = dep >= out->now->s4_first && dep <= out->now->s4_last && out->now->s4_step == ev->step
                    ? NN_STAGE_OUTPUT_BACKWARD : 0;
    return dep >= 0 && tr_reused(ev->stage, src_stage);
}

char *tr_stage_heading(const tr_out *out, int stage, int layer, char *buf, size_t size)
{
    const nn_net *sh = &out->opt.lesson->shape;
    int n = snprintf(buf, size, "%d. %s", stage, nn_stage_title_net(sh, stage));
    if (sh->n_layers > 2 && (stage == NN_STAGE_HIDDEN_FORWARD || stage == NN_STAGE_HIDDEN_BACKWARD) &&
        n >= 0 && (size_t)n < size)
        snprintf(buf + n, size - (size_t)n, " (hidden layer %d)", layer);
    return buf;
}

void tr_setup_make(const tr_out *out, int notation, tr_setup *setup)
{
    const ls_lesson *L = out->opt.lesson;
    int tex = notation == TR_TEX, n = 0;
    char eta[TR_NUM_SIZE];
    for (int q = 0; q < 6; q++)
        setup->line[q].text = setup->line[q].buf;
    setup->line[n].label = "Network";
    ls_describe(L, setup->line[n++].buf, sizeof setup->line[0].buf);
    setup->line[n].label = "Training";
    snprintf(setup->line[n++].buf, sizeof setup->line[0].buf,
             tex ? "learning rate $\\eta = %s$; batch of %d sample%s; %d step%s"
                 : "learning rate eta = %s; batch of %d sample%s; %d step%s",
             tr_fmt_given(L->learning_rate, eta), L->batch_size, L->batch_size == 1 ? "" : "s", out->opt.steps,
             out->opt.steps == 1 ? "" : "s");
    setup->line[n].label = "Numbers";
    char rule[96];
    snprintf(setup->line[n++].buf, sizeof setup->line[0].buf, "%s; every bias input %s is 1",
             tr_prec_words(tr_out_prec(out), rule, sizeof rule), tex ? "$b$" : "b");
    if (L->edits) {
        setup->line[n].label = "Edited";
        setup->line[n++].text = L->edits;                 /* whole, however many edits */
    }
    if (L->standardized) {
        setup->line[n].label = "Inputs";
        snprintf(setup->line[n++].buf, sizeof setup->line[0].buf,
                 "standardized: each column scaled to mean 0, standard deviation 1");
    } else if (L->scale > 0) {
        setup->line[n].label = "Inputs";
        snprintf(setup->line[n++].buf, sizeof setup->line[0].buf, "the data's numbers divided by %s",
                 tr_fmt_given(L->scale, eta));
    }
    if (out->opt.only_stage || out->opt.only_sample) {
        char stage[64] = "", sample[96] = "";
        if (out->opt.only_stage)
            snprintf(stage, sizeof stage, "stage %d alone", out->opt.only_stage);
        if (out->opt.only_sample)
            snprintf(sample, sizeof sample, "sample X%d%s (and the batch's values, which use every sample)",
                     out->opt.only_sample, out->opt.only_stage ? "" : " alone");
        setup->line[n].label = "Shown";
        snprintf(setup->line[n++].buf, sizeof setup->line[0].buf, "%s%s%s", stage,
                 out->opt.only_stage && out->opt.only_sample ? "; " : "", sample);
    }
    setup->n = n;
}

/* The engine's sink, laying out each event for the writer. */
typedef struct run_state {
    tr_out *out;              /* the writer's output */
    const tr_writer *w;       /* the writer */
    tr_formula *f;            /* the formula of the event at hand */
    long *deps;               /* the event's deps, when the writer wants them (tr_writer.deps) */
    int deps_room;            /* room in deps */
    int skip;                 /* the stage under way is not written (out->opt.only_stage) */
    int last_step, last_stage;  /* the stage written last */
    tr_now now;               /* where the run is: what out->now points to */
} run_state;

tr_prec tr_out_prec(const tr_out *out)
{
    return (tr_prec){ out->opt.digits, out->opt.sig };
}

static int on_stage(void *user, int step, int stage, int layer)
{
    run_state *rs = user;
    tr_out *out = rs->out;
    rs->skip = out->opt.only_stage && stage != out->opt.only_stage;
    if (rs->skip)
        return 0;
    rs->now.layer = layer;
    rs->now.new_step = step != rs->last_step; /* mutant: step-heading-per-layer */
    rs->now.stage_again = !rs->now.new_step && stage == rs->last_stage;
    rs->last_step = step;
    rs->last_stage = stage;
    return rs->w->stage ? rs->w->stage(out, step, stage) : 0;
}

static int on_event(void *user, const nn_event *ev)
{
    run_state *rs = user;
    tr_event view;
    if (ev->stage == NN_STAGE_OUTPUT_BACKWARD) {          /* what stage 5 reuses: tr_op_reused */ /* mutant: reuse-not-tracked */
        if (rs->now.s4_step != ev->step)
            rs->now.s4_first = ev->id;
        rs->now.s4_step = ev->step;
        rs->now.s4_last = ev->id;
    }
    if (!rs->w->event || rs->skip ||
        (rs->out->opt.only_sample && ev->sample > 0 && ev->sample != rs->out->opt.only_sample)) /* mutant: sample-unfiltered */
        return 0;
    tr_layout(&rs->out->opt.lesson->shape, ev, rs->f);
    tr_event_view(ev, rs->f, &view);
    if (rs->w->deps) { /* mutant: deps-not-gathered */
        int n = tr_event_deps(ev, &rs->deps, &rs->deps_room);
        if (n < 0)
            return -1;
        view.deps = rs->deps;
        view.n_deps = n;
    }
    return rs->w->event(rs->out, &view);
}

/* The notes' live values of the step about to be traced (a note is shown
 * before its stage's values): one per ref. */
typedef struct probe_state {
    const ls_lesson *lesson;  /* whose refs */
    double *vals;             /* one per ref */
} probe_state;

/* Whether a note names a value the engine computes (not only eta). */
static int names_values(const ls_lesson *L)
{
    for (int r = 0; r < L->n_refs; r++)
        if (L->refs[r].kind != LS_REF_ETA)
            return 1;
    return 0;
}

/* The notes' values of one step: the step run untraced on a copy of its
 * weights, its values read from the engine's context after. */
static int probe_step(nn_ctx *pctx, nn_net *pnet, const nn_net *net, const double *x, const double *y,
                      const ls_lesson *L, int step, probe_state *ps)
{
    memcpy(pnet->w, net->w, (size_t)net->n_weights * sizeof(double));
    int rc = nn_step(pctx, pnet, x, y, L->batch_size, L->learning_rate, step, NULL);
    for (int r = 0; r < L->n_refs; r++) {
        const ls_ref *ref = &L->refs[r];
        ps->vals[r] = rc == NN_OK && ref->kind != LS_REF_ETA
                          ? nn_ctx_value(pctx, pnet, ref->kind, ref->layer, ref->unit, ref->weight, ref->sample)
                          : NAN;
    }
    return rc;
}

int tr_run(tr_out *out, const tr_writer *w, char *err, size_t err_size)
{
    const ls_lesson *L = out->opt.lesson;
    int N = nn_n_inputs(&L->shape), O = nn_n_outputs(&L->shape);   /* inputs, outputs */
    int rc = TR_OK;
    nn_net *net = nn_net_new_shape(&L->shape);
    nn_ctx *ctx = net ? nn_ctx_new(net, L->batch_size) : NULL;
    double *x = malloc((size_t)L->batch_size * (size_t)N * sizeof(double));
    double *y = malloc((size_t)L->batch_size * (size_t)O * sizeof(double));
    run_state rs = { .out = out, .w = w, .f = malloc(sizeof(tr_formula)),
                     .now = { .s4_first = -1, .s4_last = -1 } };
    nn_sink sink = { &rs, on_stage, on_event, 0 };
    int probing = names_values(L); /* mutant: note-values-not-probed */
    double *change = NULL;          /* what each weight moved over the run (tr_now.w_change) */
    out->now = &rs.now;
    probe_state ps = { L, calloc((size_t)L->n_refs + 1, sizeof(double)) };
    nn_net *pnet = probing ? nn_net_new_shape(&L->shape) : NULL;
    nn_ctx *pctx = pnet ? nn_ctx_new(pnet, L->batch_size) : NULL;
    if (!net || !ctx || !x || !y || !rs.f || !ps.vals || (probing && !pctx)) {
        snprintf(err, err_size, "out of memory for a network of %d weights", ls_n_weights(L));
        rc = TR_ENOMEM;
        goto done;
    }
    memcpy(net->w, L->weights, (size_t)net->n_weights * sizeof(double));
    ls_batch(L, 1, x, y);
    rs.now.e_start = nn_loss(ctx, net, x, y, L->batch_size);
    nn_ctx_set_sink(ctx, &sink);
    rs.now.note_vals = ps.vals;
    if (w->begin && w->begin(out) != 0)
        goto write_failed;
    for (int step = 1; step <= out->opt.steps; step++) {
        rs.now.step = step;
        ls_batch(L, step, x, y); /* mutant: weights-reset-each-step */
        int e = pctx ? probe_step(pctx, pnet, net, x, y, L, step, &ps) : NN_OK;
        const nn_ctx *failed = pctx;   /* the context that met a non-finite value, to name it */
        if (e == NN_OK) {
            e = nn_step(ctx, net, x, y, L->batch_size, L->learning_rate, step, NULL);
            failed = ctx;
        }
        if (e == NN_EABORTED)
            goto write_failed;
        if (e == NN_ENONFINITE) {
            char what[160];
            nn_ctx_nonfinite_text(failed, what, sizeof what); /* mutant: nonfinite-named-by-wrong-engine */
            snprintf(err, err_size, "step %d, %s", step, what);
            rc = TR_ENONFINITE;
            goto done;
        }
        if (e != NN_OK) {
            snprintf(err, err_size, "the engine refused the batch (code %d)", e);
            rc = TR_EARG;
            goto done;
        }
    }
    ls_batch(L, 1, x, y);
    rs.now.e_end = nn_loss(ctx, net, x, y, L->batch_size); /* mutant: e-final-after-unchanged */
    rs.now.w_end = net->w;
    if (!(change = malloc((size_t)net->n_weights * sizeof(double)))) {
        snprintf(err, err_size, "out of memory for a network of %d weights", ls_n_weights(L));
        rc = TR_ENOMEM;
        goto done;
    }
    nn_weight_changes(L->weights, net->w, net->n_weights, change);
    rs.now.w_change = change;
    if (w->end && w->end(out) != 0)
        goto write_failed;
    goto done;
write_failed:
    /* a writer (or the gathering of an event's deps) stops on a failed write or
     * a failed allocation; only the first leaves the stream's error set */
    if (ferror(out->opt.fp)) { /* mutant: oom-said-write-failed */
        snprintf(err, err_size, "write failed");
        rc = TR_EWRITE;
    } else {
        snprintf(err, err_size, "out of memory while writing the trace");
        rc = TR_ENOMEM;
    }
done:
    if (w->cleanup)
        w->cleanup(out);
    free(x);
    free(y);
    free(rs.f);
    free(rs.deps);
    free(ps.vals);
    free(change);
    out->now = NULL;                     /* rs ends here */
    nn_ctx_free(pctx);
    nn_net_free(pnet);
    nn_ctx_free(ctx);
    nn_net_free(net);
    return rc;
}
