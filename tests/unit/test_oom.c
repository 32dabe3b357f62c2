/*
 * test_oom.c - a trace that runs out of memory says so, and a write that
 * fails says that: the two are told apart (issue 31: out of memory while
 * gathering an event's dependencies was reported as "write failed").
 *
 * Linked with -Wl,--wrap=realloc (Makefile), so every realloc of the
 * library's objects comes here and can be made to fail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lesson/lesson.h"
#include "trace/trace.h"

void *__real_realloc(void *p, size_t n);
void *__wrap_realloc(void *p, size_t n);

static size_t fail_below;     /* a realloc of fewer bytes than this fails (0: none fails) */
static int failed;            /* reallocs made to fail */

void *__wrap_realloc(void *p, size_t n)
{
    if (n < fail_below) {
        failed++;
        return NULL;
    }
    return __real_realloc(p, n);
}

/* The seed traced as JSON Lines into fp, with reallocs under `below` bytes failing. */
static int trace_seed(FILE *fp, size_t below, char *err, size_t err_size)
{
    ls_lesson *L = ls_seed();
    assert_non_null(L);
    tr_out out = { .opt = { .fp = fp, .lesson = L, .digits = TR_DEFAULT_DIGITS, .steps = L->steps } };
    const tr_writer *w = tr_writer_find("jsonl");
    assert_non_null(w);
    assert_true(w->deps);                       /* the writer that gathers deps */
    fail_below = below;
    failed = 0;
    int rc = tr_run(&out, w, err, err_size);
    fail_below = 0;
    ls_free(L);
    return rc;
}

/* The seed traced with reallocs under `below` bytes failing: out of memory, said so. */
static void expect_out_of_memory(size_t below)
{
    char err[256] = "";
    FILE *fp = tmpfile();
    assert_non_null(fp);
    int rc = trace_seed(fp, below, err, sizeof err);
    assert_true(failed > 0);
    assert_int_equal(rc, TR_ENOMEM);
    assert_non_null(strstr(err, "out of memory"));
    fclose(fp);
}

/* Only the deps' small arrays fail (out_h1 uses net_h1: one id, 8 bytes). */
static void test_deps_out_of_memory(void **state)
{
    (void)state;
    expect_out_of_memory(64);
}

/* Every realloc fails: the writer's own buffer too. */
static void test_writer_out_of_memory(void **state)
{
    (void)state;
    expect_out_of_memory((size_t)-1);
}

/* A write that fails is still a write that failed, with memory to spare. */
static void test_write_failed(void **state)
{
    (void)state;
    char err[256] = "";
    FILE *fp = fopen("/dev/full", "w");
    assert_non_null(fp);
    setvbuf(fp, NULL, _IONBF, 0);               /* the first write fails, not a late flush */
    int rc = trace_seed(fp, 0, err, sizeof err);
    assert_int_equal(failed, 0);
    assert_int_equal(rc, TR_EWRITE);
    assert_string_equal(err, "write failed");
    fclose(fp);
}

/* Nothing fails: the whole trace, one line per event. */
static void test_no_failure(void **state)
{
    (void)state;
    char err[256] = "";
    FILE *fp = tmpfile();
    assert_non_null(fp);
    assert_int_equal(trace_seed(fp, 0, err, sizeof err), TR_OK);
    rewind(fp);
    int lines = 0, c;
    while ((c = getc(fp)) != EOF)              /* newlines, however long a line is */
        lines += c == '\n';
    assert_int_equal(lines, 59);               /* the reference's 59 values */
    fclose(fp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deps_out_of_memory),
        cmocka_unit_test(test_writer_out_of_memory),
        cmocka_unit_test(test_write_failed),
        cmocka_unit_test(test_no_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
