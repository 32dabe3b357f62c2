/*
 * code.c - step codes: a short text naming the lesson, the step, the stage,
 * the value and any edits of a screen, "seed/1/5/3/MX", so that a student
 * can open exactly the screen the teacher shows (nntrace --at CODE).
 *
 * Body LESSON/STEP/STAGE/VALUE[/EDIT,EDIT...] then two check letters: a
 * polynomial hash mod 673 (a prime) of the body and of a print of the
 * lesson's numbers (its shape, learning rate, weights, inputs and targets,
 * before edits).  Any one mistyped character and any two swapped neighbours
 * are always refused (each changes the hash by a multiple of a power of 31
 * that 673 does not divide); a lesson of the same name with other numbers
 * is refused but for one chance in 673.
 */
#include "tui.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CODE_MOD 673

/* FNV-1a over the lesson's numbers: what the screen's values follow from. */
/* h mixed with n bytes at p: eight at a time (a multiply and a shift per
 * word: the data of a large lesson is tens of MB, and a byte at a time took
 * 62 ms of it), the last few a byte at a time. */
static uint64_t mix(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    size_t q = 0;
    for (; q + 8 <= n; q += 8) {
        uint64_t w;
        memcpy(&w, b + q, 8);
        h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
        h ^= h >> 29;
    }
    for (; q < n; q++)
        h = (h ^ b[q]) * 1099511628211ULL;
    return h;
}

unsigned long long tui_lesson_print(const ls_lesson *L)
{
    uint64_t h = 1469598103934665603ULL;
    const nn_net *sh = &L->shape;
    int N = nn_n_inputs(sh), O = nn_n_outputs(sh);
#define MIX(ptr, bytes) (h = mix(h, (ptr), (bytes)))
    MIX(sh->size, sizeof sh->size);
    MIX(sh->act, sizeof sh->act);
    MIX(&sh->loss, sizeof sh->loss);
    MIX(&L->learning_rate, sizeof L->learning_rate);
    MIX(&L->batch_size, sizeof L->batch_size);
    MIX(L->weights, (size_t)sh->n_weights * sizeof(double));
    MIX(L->x, (size_t)L->n_rows * N * sizeof(double));
    MIX(L->y, (size_t)L->n_rows * O * sizeof(double));
#undef MIX
    return h;
}

/* The two check letters of a body for a lesson. */
static void check_letters(const char *body, unsigned long long print, char out[3])
{
    unsigned h = 0;
    for (const char *c = body; *c; c++)
        h = (h * 31 + (unsigned char)*c) % CODE_MOD;
    for (int q = 0; q < 8; q++) /* mutant: code-ignores-lesson */
        h = (h * 31 + (unsigned)(print >> (8 * q) & 0xff)) % CODE_MOD;
    out[0] = (char)('A' + h / 26);
    out[1] = (char)('A' + h % 26);
    out[2] = '\0';
}

/* The lesson's name in a code: its file name without ".lesson", "seed" built in. */
static void lesson_name(const ls_lesson *L, char *buf, size_t size)
{
    const char *path = L->path && L->path[0] && L->path[0] != '(' ? L->path : "seed";   /* "(built-in)" */
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);
    if (len > 7 && strcmp(base + len - 7, ".lesson") == 0)
        len -= 7;
    snprintf(buf, size, "%.*s", (int)len, base);
    for (char *c = buf; *c; c++)                /* a name that would break the code */
        if (*c == '/' || (unsigned char)*c < 0x21 || (unsigned char)*c > 0x7e)
            *c = '_';
}

unsigned long long tui_state_print(tui_state *st)
{
    if (st->print.of != st->lesson) {            /* once per lesson, not per screen: it reads all the data */
        st->print.value = tui_lesson_print(st->lesson);
        st->print.of = st->lesson;
    }
    return st->print.value;
}

void tui_code_sign(const char *body, const ls_lesson *L, char *buf, size_t size)
{
    char letters[3];
    check_letters(body, tui_lesson_print(L), letters);
    snprintf(buf, size, "%s/%s", body, letters);
}

void tui_code_make(tui_state *st, char *buf, size_t size)
{
    const tr_event *ev = tui_model_current(&st->m);
    long first = tui_stage_first(&st->m, ev->stage);
    char body[TUI_CODE_SIZE], name[TUI_CODE_SIZE], letters[3];   /* a longer name: no code, never a cut one */ /* mutant: code-name-cut */
    lesson_name(st->lesson, name, sizeof name);
    int n = snprintf(body, sizeof body, "%s/%d/%d/%ld", name, ev->step, ev->stage, st->m.cur - first + 1);
    for (int q = 0; q < st->edit.n && n > 0 && (size_t)n < sizeof body; q++)
        n += snprintf(body + n, sizeof body - (size_t)n, "%s%s", q ? "," : "/", st->edit.list[q]);
    if (n <= 0 || (size_t)n >= sizeof body) {   /* edits too long for a code: none, never a cut one */ /* mutant: code-cut-short */
        if (size > 0)
            buf[0] = '\0';
        return;
    }
    check_letters(body, tui_state_print(st), letters);
    snprintf(buf, size, "%s/%s", body, letters);
}

int tui_code_parse(const char *code, tui_code *out, char *err, size_t err_size)
{
    memset(out, 0, sizeof *out);
    size_t len = strlen(code);
    if (len < 9 || len >= sizeof out->body + 3) {
        snprintf(err, err_size, "--at '%.40s': not a step code (it looks like seed/1/5/3/MX)", code);
        return -1;
    }
    /* the check letters, then the body */
    const char *slash = strrchr(code, '/');
    if (!slash || strlen(slash + 1) != 2 || !isalpha((unsigned char)slash[1]) || !isalpha((unsigned char)slash[2])) {
        snprintf(err, err_size, "--at '%.40s': a code ends with two check letters, as in seed/1/5/3/MX", code);
        return -1;
    }
    out->letters[0] = (char)toupper((unsigned char)slash[1]);
    out->letters[1] = (char)toupper((unsigned char)slash[2]);
    memcpy(out->body, code, (size_t)(slash - code));
    out->body[slash - code] = '\0';
    char copy[sizeof out->body];
    snprintf(copy, sizeof copy, "%s", out->body);
    char *part[5] = { NULL }, *p = copy;
    int n = 0;
    while (n < 5 && (part[n] = p) != NULL) {
        n++;
        p = n < 5 ? strchr(p, '/') : NULL;
        if (p)
            *p++ = '\0';
    }
    long step, stage, value;             /* checked as long: a cast first let 4294967297 be 1 */
    char *end;
    if (n < 4 || !part[0][0] || strlen(part[0]) >= sizeof out->lesson) {
        snprintf(err, err_size, "--at '%.40s': a code has a lesson, a step, a stage and a value", code);
        return -1;
    }
    errno = 0;
    step = strtol(part[1], &end, 10); /* mutant: code-step-cast-first */
    int bad = end == part[1] || *end || step < 1 || step > LS_MAX_STEPS;
    stage = strtol(part[2], &end, 10);
    bad |= end == part[2] || *end || stage < 1 || stage > NN_STAGES;
    value = strtol(part[3], &end, 10);
    bad |= end == part[3] || *end || value < 1 || errno == ERANGE;
    if (bad) {
        snprintf(err, err_size, "--at '%.40s': step, stage and value must be numbers (the stage 1 to 6)", code);
        return -1;
    }
    snprintf(out->lesson, sizeof out->lesson, "%.127s", part[0]);
    out->step = (int)step;
    out->stage = (int)stage;
    out->value = value;
    /* the edits, as --set takes them */
    for (char *e = part[4]; e && *e && out->n_edits < TUI_MAX_EDITS; ) {
        char *comma = strchr(e, ',');
        if (comma)
            *comma = '\0';
        if (strlen(e) >= TUI_EDIT_SIZE) {
            snprintf(err, err_size, "--at '%.40s': an edit of the code is too long", code);
            return -1;
        }
        snprintf(out->edits[out->n_edits++], TUI_EDIT_SIZE, "%.47s", e);
        e = comma ? comma + 1 : NULL;
    }
    return 0;
}

int tui_code_check(const tui_code *code, unsigned long long print, char *err, size_t err_size)
{
    char want[3];
    check_letters(code->body, print, want);
    if (strcmp(want, code->letters) != 0) {
        snprintf(err, err_size, "--at '%.60s/%s': the check letters do not match: a character is mistyped, "
                 "or the lesson '%.30s' here has other numbers than the teacher's", code->body, code->letters,
                 code->lesson);
        return -1;
    }
    return 0;
}

/* A protocol line of follow mode (follow.c): "nntrace 1 at CODE". */
int tui_follow_line(const char *line, size_t len, tui_code *code, char *err, size_t err_size)
{
    static const char prefix[] = "nntrace ";
    if (len >= TUI_FOLLOW_LINE || memchr(line, '\0', len)) {
        snprintf(err, err_size, "the teacher sent a line the protocol does not allow");
        return -1;
    }
    char text[TUI_FOLLOW_LINE];
    memcpy(text, line, len);
    text[len] = '\0';
    if (strncmp(text, prefix, sizeof prefix - 1) != 0) {
        snprintf(err, err_size, "the teacher's side is not nntrace");
        return -1;
    }
    const char *v = text + sizeof prefix - 1;
    if (strncmp(v, "1 at ", 5) != 0) {
        snprintf(err, err_size, "the teacher's nntrace speaks another version of the protocol (%.8s)", v);
        return -1;
    }
    if (strcmp(v + 5, "-") == 0) {              /* the teacher's screen has no code */
        snprintf(err, err_size, "the teacher's edits are more than a step code holds (%d bytes): "
                 "not following them", TUI_CODE_SIZE - 1);
        return -1;
    }
    return tui_code_parse(v + 5, code, err, err_size);
}
