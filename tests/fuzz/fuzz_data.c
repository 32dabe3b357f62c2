/* libFuzzer target: the data CSV loader, for a 2-2-2 network. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"
#include "lesson/lesson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[LS_ERR_SIZE];
    const char *path = fuzz_file("fuzz.csv", data, size);
    ls_lesson *L = calloc(1, sizeof *L);
    int sizes[3] = { 2, 2, 2 };
    nn_shape_init(&L->shape, 2, sizes, NULL, NN_LOSS_QUADRATIC);
    if (ls_load_data(L, path, NULL, 0, NULL, err, sizeof err) != 0 && (strlen(err) == 0 || strchr(err, '\n')))
        abort();
    ls_free(L);
    return 0;
}
