/*
 * notes.c - the live values a lesson's notes name: "{X1:out_o1}" is output
 * o1 of sample X1 of the batch shown, "{E_final}" the batch's loss,
 * "{dE_final/dw5}" a gradient, "{w5}" a weight as the step leaves it (the
 * trace's symbols), "{eta}" the learning rate.  Checked here, when the
 * lesson is loaded, against the network and batch; the trace fills them in.
 */
#include "lesson.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether the engine emits values of this kind for layer l of the shape:
 * a cross-entropy output has dE_total/dnet in place of the other two. */
static int emitted(const nn_net *sh, int kind, int l)
{
    int ce_output = l == sh->n_layers && sh->loss == NN_LOSS_CROSS_ENTROPY;
    if (kind == NN_EV_DE_DNET)
        return ce_output;
    if (kind == NN_EV_DE_DOUT || kind == NN_EV_DOUT_DNET)
        return !ce_output;
    return 1;
}

/* A whole number from 1 at s (len bytes, all digits), or 0. */
static long number_at(const char *s, size_t len)
{
    long v = 0;
    if (len == 0 || len > 9 || s[0] == '0')
        return 0;
    for (size_t q = 0; q < len; q++) {
        if (s[q] < '0' || s[q] > '9')
            return 0;
        v = v * 10 + (s[q] - '0');
    }
    return v;
}

/* The value named by sym (len bytes, no sample part) into r's kind, layer,
 * unit, weight; 0, or -1 when the trace has no such value. */
static int find_symbol(const nn_net *sh, const char *sym, size_t len, ls_ref *r)
{
    static const char grad[] = "dE_final/dw";
    char buf[96];
    long m;
    r->layer = r->unit = r->weight = 0;
    if (len > sizeof grad - 1 && memcmp(sym, grad, sizeof grad - 1) == 0 &&
        (m = number_at(sym + sizeof grad - 1, len - (sizeof grad - 1))) >= 1 && m <= sh->n_weights) {
        r->kind = NN_EV_GRADIENT;
        r->weight = (int)m;
        r->layer = nn_w_layer(sh, (int)m - 1);
        return 0;
    }
    if (len > 1 && sym[0] == 'w' && (m = number_at(sym + 1, len - 1)) >= 1 && m <= sh->n_weights) {
        r->kind = NN_EV_UPDATE;
        r->weight = (int)m;
        r->layer = nn_w_layer(sh, (int)m - 1);
        return 0;
    }
    static const int batch_kinds[] = { NN_EV_LOSS, NN_EV_LOSS_BATCH };
    for (size_t q = 0; q < sizeof batch_kinds / sizeof batch_kinds[0]; q++) {
        nn_symbol(sh, batch_kinds[q], sh->n_layers, 0, 0, buf, sizeof buf);
        if (strlen(buf) == len && memcmp(buf, sym, len) == 0) {
            r->kind = batch_kinds[q];
            r->layer = sh->n_layers;
            return 0;
        }
    }
    static const int unit_kinds[] = { NN_EV_NET, NN_EV_OUT, NN_EV_DE_DOUT, NN_EV_DOUT_DNET, NN_EV_DE_DNET };
    for (size_t q = 0; q < sizeof unit_kinds / sizeof unit_kinds[0]; q++)
        for (int l = 1; l <= sh->n_layers; l++) {
            if (!emitted(sh, unit_kinds[q], l))
                continue;
            for (int j = 1; j <= sh->size[l]; j++) {
                nn_symbol(sh, unit_kinds[q], l, j, 0, buf, sizeof buf);
                if (strlen(buf) == len && memcmp(buf, sym, len) == 0) {
                    r->kind = unit_kinds[q];
                    r->layer = l;
                    r->unit = j;
                    return 0;
                }
            }
        }
    return -1;
}

/* Whether values of this kind belong to each sample (else to the batch). */
static int per_sample(int kind)
{
    return kind != NN_EV_LOSS_BATCH && kind != NN_EV_GRADIENT && kind != NN_EV_UPDATE && kind != LS_REF_ETA;
}

int ls_note_parse(ls_lesson *L, int t, size_t *bad_at, char *why, size_t why_size)
{
    const char *note = L->notes[t];
    for (const char *p = note ? strchr(note, '{') : NULL; p; p = strchr(p, '{')) {
        if (p[1] == '{') {                       /* "{{": a brace itself */
            p += 2;
            continue;
        }
        *bad_at = (size_t)(p - note);
        const char *end = strchr(p, '}');
        if (!end) {
            snprintf(why, why_size, "note.%d: '{' without its '}' (a brace itself is written {{)", t + 1);
            return -1;
        }
        const char *name = p + 1;
        size_t len = (size_t)(end - name);
        int shown = len > 40 ? 40 : (int)len;
        ls_ref r = { .note = t, .at = (size_t)(p - note), .len = (size_t)(end + 1 - p) };
        const char *colon = memchr(name, ':', len);
        const char *sym = colon ? colon + 1 : name;
        size_t sym_len = len - (size_t)(sym - name);
        if (colon) {
            long s = name[0] == 'X' ? number_at(name + 1, (size_t)(colon - name - 1)) : 0;
            if (s < 1) {
                snprintf(why, why_size, "note.%d: {%.*s}: a sample is written X1, X2, ... before the ':'",
                         t + 1, shown, name);
                return -1;
            }
            if (s > L->batch_size) { /* mutant: note-sample-unchecked */
                snprintf(why, why_size, "note.%d: {%.*s}: the batch has %d sample%s", t + 1, shown, name,
                         L->batch_size, L->batch_size == 1 ? "" : "s");
                return -1;
            }
            r.sample = (int)s;
        }
        if (sym_len == 3 && memcmp(sym, "eta", 3) == 0) {
            r.kind = LS_REF_ETA;
        } else if (find_symbol(&L->shape, sym, sym_len, &r) != 0) {
            snprintf(why, why_size, "note.%d: {%.*s} is no value of this lesson's trace: name one as "
                     "the trace's CSV does, e.g. {X1:out_o1}, {E_final}, {dE_final/dw1}, {eta}",
                     t + 1, shown, name);
            return -1;
        }
        if (per_sample(r.kind) && !r.sample) {
            snprintf(why, why_size, "note.%d: {%.*s} has a value for each sample: name one, as in {X1:%.*s}",
                     t + 1, shown, name, shown, name);
            return -1;
        }
        if (!per_sample(r.kind) && r.sample) {
            snprintf(why, why_size, "note.%d: {%.*s}: %.*s is one value for the whole batch: "
                     "write {%.*s}", t + 1, shown, name, (int)sym_len, sym, (int)sym_len, sym);
            return -1;
        }
        if (L->n_refs >= LS_MAX_REFS) {
            snprintf(why, why_size, "note.%d: more than %d live values in the notes", t + 1, LS_MAX_REFS);
            return -1;
        }
        ls_ref *grown = realloc(L->refs, (size_t)(L->n_refs + 1) * sizeof *grown);
        if (!grown) {
            snprintf(why, why_size, "out of memory");
            return -1;
        }
        L->refs = grown;
        L->refs[L->n_refs++] = r;
        p = end + 1;
    }
    return 0;
}
