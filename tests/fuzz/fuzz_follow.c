/* libFuzzer target: follow mode's protocol lines (tui_follow_line) and the
 * step codes they carry (tui_code_parse, tui_code_check), as a follower
 * reads them from the network: split at newlines, each line parsed. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tui/tui.h"

/* code.c's tui_code_make needs the model; the parser does not: stand-ins. */
const tr_event *tui_model_current(const tui_model *m) { (void)m; return NULL; }
long tui_stage_first(const tui_model *m, int stage) { (void)m; (void)stage; return -1; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ls_lesson *seed;
    if (!seed && !(seed = ls_seed()))
        abort();
    const char *p = (const char *)data, *end = p + size;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = (size_t)((nl ? nl : end) - p);
        tui_code code;
        char err[256];
        err[0] = '\0';
        if (tui_follow_line(p, len, &code, err, sizeof err) == 0) {
            if (code.step < 1 || code.stage < 1 || code.stage > 6 || code.value < 1 || code.n_edits > TUI_MAX_EDITS)
                abort();
            tui_code_check(&code, tui_lesson_print(seed), err, sizeof err);
        } else if (!err[0] || strchr(err, '\n')) {
            abort();                               /* every refusal says why, on one line */
        }
        /* the same bytes as --at takes a code, outside the protocol */
        char *at = malloc(len + 1);
        if (!at)
            abort();
        memcpy(at, p, len);
        at[len] = '\0';
        err[0] = '\0';
        if (!memchr(p, '\0', len) && tui_code_parse(at, &code, err, sizeof err) == 0) {
            if (code.step < 1 || code.step > LS_MAX_STEPS || code.stage < 1 || code.stage > 6 ||
                code.value < 1 || code.n_edits > TUI_MAX_EDITS)
                abort();
        } else if (!memchr(p, '\0', len) && (!err[0] || strchr(err, '\n'))) {
            abort();
        }
        free(at);
        p += len + 1;
    }
    return 0;
}
