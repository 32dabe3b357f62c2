/* libFuzzer target: the weights CSV loader, for a 2-3-3-2 network. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"
#include "lesson/lesson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[LS_ERR_SIZE];
    const char *path = fuzz_file("fuzz-weights.csv", data, size);
    ls_lesson *L = calloc(1, sizeof *L);
    int sizes[4] = { 2, 3, 3, 2 };
    nn_shape_init(&L->shape, 3, sizes, NULL, NN_LOSS_QUADRATIC);
    if (ls_load_weights(L, path, err, sizeof err) != 0 && (strlen(err) == 0 || strchr(err, '\n')))
        abort();
    ls_free(L);
    return 0;
}
