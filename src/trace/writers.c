/*
 * writers.c - the trace formats by name: the one list of the writers that
 * `trace -f NAME` can choose (run.c drives whichever is chosen).
 */
#include "trace.h"

#include <string.h>

static const tr_writer *const writers[] = {
    &tr_writer_text, &tr_writer_csv, &tr_writer_markdown, &tr_writer_latex, &tr_writer_jsonl,
    &tr_writer_dot, &tr_writer_html,
};

const tr_writer *tr_writer_find(const char *name)
{
    for (size_t q = 0; q < sizeof writers / sizeof writers[0]; q++)
        if (strcmp(writers[q]->name, name) == 0)
            return writers[q];
    return NULL;
}
