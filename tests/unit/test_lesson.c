/*
 * test_lesson.c - lesson files, data and weights CSV, the PRNG.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson/lesson.h"

#define GOOD "tests/good"

/* CRLF, a byte-order mark, quoted fields, no final newline, "2, 2, 2" and
 * 1e-1: the same lesson as the built-in seed. */
static void test_awkward_files_read_as_seed(void **state)
{
    (void)state;
    char err[LS_ERR_SIZE];
    ls_lesson *L = ls_load(GOOD "/seed-crlf.lesson", err, sizeof err);
    if (!L)
        fail_msg("%s", err);
    ls_lesson *S = ls_seed();
    assert_int_equal(nn_n_inputs(&L->shape), 2);
    assert_int_equal(L->shape.size[1], 2);
    assert_int_equal(nn_n_outputs(&L->shape), 2);
    assert_int_equal(L->n_rows, 2);
    assert_int_equal(L->batch_size, 2);
    assert_true(L->learning_rate == 0.1);
    assert_memory_equal(L->x, S->x, 4 * sizeof(double));
    assert_memory_equal(L->y, S->y, 4 * sizeof(double));
    assert_memory_equal(L->weights, S->weights, 12 * sizeof(double));
    assert_string_equal(L->title, "Seed, from awkward files");
    assert_string_equal(L->notes[2], "Notes may hold # and = signs: E = 1/2 (out - y)^2");
    assert_null(L->notes[0]);
    ls_free(L);
    ls_free(S);
}

/* Columns in any order, a quoted field with a comma and a newline, y1 targets,
 * random Kaiming weights, standardized inputs. */
static void test_columns_random_standardize(void **state)
{
    (void)state;
    char err[LS_ERR_SIZE];
    ls_lesson *L = ls_load(GOOD "/reorder.lesson", err, sizeof err);
    if (!L)
        fail_msg("%s", err);
    assert_int_equal(L->n_rows, 2);
    assert_null(L->label);
    assert_string_equal(L->input_names[0], "x1");
    assert_string_equal(L->input_names[1], "x2");
    /* x1 column is 3, 6 -> standardized -1, 1; x2 is 2, 5 -> -1, 1 */
    assert_true(L->x[0] == -1.0 && L->x[1] == -1.0 && L->x[2] == 1.0 && L->x[3] == 1.0);
    assert_true(L->y[0] == 1.0 && L->y[1] == 0.0);
    assert_true(L->standardized);
    /* Kaiming: first weight feeds the hidden layer, fan-in 2 */
    ls_rng rng;
    ls_rng_seed(&rng, 42);
    double first = ls_rng_normal(&rng) * sqrt(2.0 / 2.0);
    assert_true(L->weights[0] == first);
    ls_free(L);
}

/* The PRNG gives the same numbers on every machine: values from an
 * independent Python implementation of splitmix64 + xoshiro256** and the
 * same Box-Muller transform. */
static void test_prng_known_values(void **state)
{
    (void)state;
    ls_rng rng;
    ls_rng_seed(&rng, 42);
    assert_true(ls_rng_next(&rng) == 0x15780b2e0c2ec716ULL);
    assert_true(ls_rng_next(&rng) == 0x6104d9866d113a7eULL);
    assert_true(ls_rng_next(&rng) == 0xae17533239e499a1ULL);
    ls_rng_seed(&rng, 1);
    assert_true(ls_rng_normal(&rng) == -0.8327414344656707);
    assert_true(ls_rng_normal(&rng) == -0.8173209811151115);
    assert_true(ls_rng_normal(&rng) == 0.5265847839360696);
    /* mean and spread of many draws */
    double sum = 0, sq = 0;
    for (int q = 0; q < 100000; q++) {
        double v = ls_rng_normal(&rng);
        sum += v;
        sq += v * v;
    }
    assert_true(fabs(sum / 100000) < 0.02);
    assert_true(fabs(sq / 100000 - 1.0) < 0.02);
}

/* Shipped lessons load, by path and by name; inputs = p0..p63 expands. */
static void test_shipped_lessons(void **state)
{
    (void)state;
    char err[LS_ERR_SIZE];
    const char *dirs[] = { "/nonexistent", "lessons", NULL };
    static const struct { const char *name; int n, h, o, rows; } want[] = {
        { "seed", 2, 2, 2, 2 }, { "xor", 2, 2, 1, 4 }, { "iris", 4, 5, 3, 150 },
        { "digits", 64, 30, 10, 1797 }, { "deep", 2, 3, 1, 4 },
    };
    for (size_t q = 0; q < sizeof want / sizeof want[0]; q++) {
        ls_lesson *L = ls_open(want[q].name, dirs, err, sizeof err);
        if (!L)
            fail_msg("%s: %s", want[q].name, err);
        assert_int_equal(nn_n_inputs(&L->shape), want[q].n);
        assert_int_equal(L->shape.size[1], want[q].h);
        assert_int_equal(nn_n_outputs(&L->shape), want[q].o);
        assert_int_equal(L->n_rows, want[q].rows);
        for (int t = 0; t < 6; t++)
            assert_non_null(L->notes[t]);       /* a note for every stage */
        if (want[q].n == 64) {
            /* Kaiming (init = kaiming, weights = random 1) with fan-in 64 into the
             * hidden layer and 30 into the output: scales 0.177 and 0.258, not 1 */
            ls_rng rng;
            ls_rng_seed(&rng, 1);
            int first_out = L->shape.w_off[2];
            for (int m = 0; m < L->shape.n_weights; m++) {
                double z = ls_rng_normal(&rng);
                int l = nn_w_layer(&L->shape, m);
                double want_w = z * sqrt(2.0 / (l == 1 ? 64.0 : 30.0));
                if (L->weights[m] != want_w)
                    fail_msg("digits w%d = %.17g, want %.17g (Kaiming, fan-in %d)", m + 1,
                             L->weights[m], want_w, l == 1 ? 64 : 30);
            }
            assert_true(first_out > 0);
            assert_string_equal(L->input_names[0], "p0");
            assert_string_equal(L->input_names[63], "p63");
            assert_non_null(L->label);
            assert_int_equal(L->label[0], 0);
        }
        ls_free(L);
    }
    assert_null(ls_open("nonesuch", dirs, err, sizeof err));
    assert_non_null(strstr(err, "nonesuch"));
}

/* Batches walk through the data and wrap round. */
static void test_batches(void **state)
{
    (void)state;
    ls_lesson *L = ls_seed();
    L->batch_size = 1;
    assert_int_equal(ls_batch_row(L, 1, 0), 0);
    assert_int_equal(ls_batch_row(L, 2, 0), 1);
    assert_int_equal(ls_batch_row(L, 3, 0), 0);
    double x[2], y[2];
    ls_batch(L, 2, x, y);
    assert_true(x[0] == 0.1 && x[1] == 0.2 && y[0] == 0.0 && y[1] == 1.0);
    ls_free(L);
}

/* Numbers parse the same in any locale and refuse what is not decimal. */
static void test_numbers(void **state)
{
    (void)state;
    double v;
    assert_int_equal(ls_parse_number("0.1", &v), 0);
    assert_true(v == 0.1);
    assert_int_equal(ls_parse_number("-1e-3", &v), 0);
    assert_true(v == -0.001);
    assert_int_equal(ls_parse_number(".5", &v), 0);
    assert_int_equal(ls_parse_number("5.", &v), 0);
    const char *bad[] = { "", "0.1.2", "abc", "0x10", "nan", "inf", "1e", "1,5", " 1", "1 ", "+", "." };
    for (size_t q = 0; q < sizeof bad / sizeof bad[0]; q++)
        if (ls_parse_number(bad[q], &v) != -1)
            fail_msg("'%s' parsed", bad[q]);
    assert_int_equal(ls_parse_number("1e999", &v), -2);
    /* the fast path reads every decimal as strtod does, to the bit: random
     * strings of 1 to 18 digits, a point anywhere or none, either sign */
    ls_rng rng;
    ls_rng_seed(&rng, 7);
    for (int q = 0; q < 200000; q++) {
        char text[32];
        int n = 1 + (int)(ls_rng_next(&rng) % 18), point = (int)(ls_rng_next(&rng) % (unsigned)(n + 2)) - 1, k = 0;
        unsigned long long sign = ls_rng_next(&rng) % 3;
        if (sign)
            text[k++] = sign == 1 ? '-' : '+';
        for (int d = 0; d < n; d++) {
            if (d == point)
                text[k++] = '.';
            text[k++] = (char)('0' + ls_rng_next(&rng) % 10);
        }
        if (point == n)
            text[k++] = '.';
        text[k] = '\0';
        double want = strtod(text, NULL);
        if (ls_parse_number(text, &v) != 0 || memcmp(&v, &want, sizeof v) != 0)
            fail_msg("'%s' read as %.17g, strtod reads %.17g", text, v, want);
    }
    assert_int_equal(ls_parse_number("-0", &v), 0);
    assert_true(v == 0 && signbit(v));
}

/* ls_read_file: a file read whole, into a buffer of its own size (it once
 * grew the full buffer to twice the file to look for more, a copy of the
 * whole text: a third of loading MNIST), and a file whose size stat does not
 * give (procfs says 0) read to its end all the same. */
static void test_read_file(void **state)
{
    (void)state;
    char path[] = "/tmp/nntrace-read-XXXXXX", err[LS_ERR_SIZE], *text = NULL;
    size_t size = 1 << 20, len = 0;
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "wb");
    assert_non_null(fp);
    for (size_t q = 0; q < size; q++)
        fputc('a' + (int)(q % 26), fp);
    assert_int_equal(fclose(fp), 0);
    int rc = ls_read_file(path, &text, &len, err, sizeof err);
    remove(path);
    if (rc != 0)
        fail_msg("%s", err);
    assert_int_equal(len, size);
    assert_int_equal(text[len], '\0');
    assert_int_equal(text[size - 1], 'a' + (int)((size - 1) % 26));
    assert_true(malloc_usable_size(text) < size + size / 8);
    free(text);
    assert_int_equal(ls_read_file("/proc/self/status", &text, &len, err, sizeof err), 0);
    assert_true(len > 0 && strncmp(text, "Name:", 5) == 0 && strlen(text) == len);
    free(text);
}

/* Standardizing by listed rows (train's drawn split): those rows' mean and spread, worked
 * out here by hand, scale every row; the rows not listed take no part in them. */
static void test_standardize_listed_rows(void **state)
{
    (void)state;
    ls_lesson *seed = ls_seed();
    assert_non_null(seed);
    ls_lesson L = *seed;                /* the seed's shape (2 inputs), rows of our own */
    double x[5 * 2] = { 1, 10, 100, 20, 3, 30, -50, 40, 5, 50 };
    L.x = x;
    L.x_raw = NULL;
    L.n_rows = 5;
    int rows[3] = { 4, 0, 2 };          /* x1 of these: 5, 1, 3 (mean 3, sd sqrt(8/3)); x2: 50, 10, 30 */
    ls_standardize_rows(&L, rows, 3);
    double sd1 = sqrt(8.0 / 3.0), sd2 = sqrt(800.0 / 3.0);
    double want[5 * 2] = { (1 - 3) / sd1, (10 - 30) / sd2, (100 - 3) / sd1, (20 - 30) / sd2, 0, 0,
                           (-50 - 3) / sd1, (40 - 30) / sd2, (5 - 3) / sd1, (50 - 30) / sd2 };
    for (int q = 0; q < 10; q++)
        if (!(fabs(x[q] - want[q]) <= 1e-12 * fmax(1.0, fabs(want[q]))))
            fail_msg("x[%d] = %.17g, want %.17g", q, x[q], want[q]);
    ls_free(seed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_awkward_files_read_as_seed),
        cmocka_unit_test(test_columns_random_standardize),
        cmocka_unit_test(test_standardize_listed_rows),
        cmocka_unit_test(test_prng_known_values),
        cmocka_unit_test(test_shipped_lessons),
        cmocka_unit_test(test_batches),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_read_file),
    };
    return cmocka_run_group_tests_name("lesson", tests, NULL, NULL);
}
