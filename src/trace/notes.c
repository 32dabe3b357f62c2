/*
 * notes.c - a lesson's notes with their live values filled in from the
 * trace's events ("{X1:out_o1}" -> "0.751365"), the one way every writer
 * and screen shows a note.
 */
#include "trace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int tr_note_match(const ls_ref *ref, int kind, int layer, int unit, int weight, int sample)
{
    return ref->kind == kind && ref->layer == layer && ref->unit == unit && ref->weight == weight &&
           ref->sample == sample;
}

/* Append n bytes of s to buf (size), counting what it needs in *len. */
static void put(char *buf, size_t size, size_t *len, const char *s, size_t n)
{
    if (*len < size) {
        size_t room = size - 1 - *len;
        memcpy(buf + *len, s, n < room ? n : room);
    }
    *len += n;
}

int tr_note_next(const ls_lesson *L, int t, size_t *at, tr_note_piece *piece)
{
    const char *note = L->notes[t];
    if (!note || !note[*at])
        return 0;
    int r = 0;                                   /* the first live value at or after *at */
    while (r < L->n_refs && (L->refs[r].note < t || (L->refs[r].note == t && L->refs[r].at < *at)))
        r++;
    int here = r < L->n_refs && L->refs[r].note == t;
    if (here && L->refs[r].at == *at) {
        *piece = (tr_note_piece){ NULL, 0, r };
        *at += L->refs[r].len;
        return 1;
    }
    if (note[*at] == '{' && note[*at + 1] == '{') {   /* "{{": a brace */
        *piece = (tr_note_piece){ note + *at, 1, -1 };
        *at += 2;
        return 1;
    }
    size_t end = here ? L->refs[r].at : strlen(note);   /* text up to the next value or "{{" */
    const char *brace = strstr(note + *at + 1, "{{");
    if (brace && (size_t)(brace - note) < end)
        end = (size_t)(brace - note);
    *piece = (tr_note_piece){ note + *at, end - *at, -1 };
    *at = end;
    return 1;
}

size_t tr_note(const ls_lesson *L, int t, const double *vals, int digits, int sig, char *buf, size_t size)
{
    size_t len = 0, at = 0;
    tr_note_piece pc;
    if (size)
        buf[0] = '\0';
    while (tr_note_next(L, t, &at, &pc)) {
        char num[TR_NUM_SIZE];
        if (pc.ref < 0) {
            put(buf, size, &len, pc.text, pc.len);
            continue;
        }
        if (L->refs[pc.ref].kind == LS_REF_ETA)
            tr_fmt_given(L->learning_rate, num);
        else if (!vals || isnan(vals[pc.ref]))
            strcpy(num, "(not computed yet)");   /* prose, not a "?" */ /* mutant: note-question-mark */
        else
            tr_fmt_num(vals[pc.ref], (tr_prec){ digits, sig }, num); /* mutant: note-wrong-value */
        put(buf, size, &len, num, strlen(num));
    }
    if (size)
        buf[len < size ? len : size - 1] = '\0';
    return len;
}

char *tr_note_dup(const ls_lesson *L, int t, const double *vals, int digits, int sig)
{
    char none[1];
    size_t len = tr_note(L, t, vals, digits, sig, none, 0); /* mutant: note-cut-at-4k */
    char *s = malloc(len + 1);
    if (s)
        tr_note(L, t, vals, digits, sig, s, len + 1);
    return s;
}

char *tr_note_out(const tr_out *out, int stage)
{
    return tr_note_dup(out->opt.lesson, stage - 1, out->now->note_vals, out->opt.digits, out->opt.sig);
}

char *tr_note_escaped(const tr_out *out, int stage, char *(*escape)(const char *text))
{
    char *live = tr_note_out(out, stage), *shown = live ? escape(live) : NULL;
    free(live);
    return shown;
}
