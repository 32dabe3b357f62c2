/* libFuzzer target: the lesson-file parser (and whatever the lesson names). */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"
#include "lesson/lesson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[LS_ERR_SIZE];
    const char *path = fuzz_file("fuzz.lesson", data, size);
    ls_lesson *L = ls_load(path, err, sizeof err);
    if (!L && (strlen(err) == 0 || strchr(err, '\n')))
        abort();                      /* every failure is one line */
    ls_free(L);
    return 0;
}
