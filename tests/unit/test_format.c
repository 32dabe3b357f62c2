/*
 * test_format.c - number formatting, formula rendering and terminal-safe
 * text, against values worked out by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lesson/lesson.h"
#include "trace/trace.h"
#include "text/text.h"

static void test_fixed_rounding(void **state)
{
    (void)state;
    char buf[TR_NUM_SIZE];
    assert_string_equal(tr_fmt_fixed(7.1239177335761757e-05, 6, buf), "0.000071");
    assert_string_equal(tr_fmt_fixed(0.099992876082266424, 6, buf), "0.099993");   /* not truncated */
    assert_string_equal(tr_fmt_fixed(0.2533946523922237, 6, buf), "0.253395");
    assert_string_equal(tr_fmt_fixed(-0.44862153031039342, 6, buf), "-0.448622");
    assert_string_equal(tr_fmt_fixed(-1e-9, 6, buf), "0.000000");                 /* no "-0" */
    assert_string_equal(tr_fmt_fixed(0.12000000000000001, 3, buf), "0.120");
    assert_string_equal(tr_fmt_fixed(2.5, 0, buf), "2");                          /* to even, as printf */
    assert_string_equal(tr_fmt_short(0.56451024636593172, 6, buf), "0.56451");
    assert_string_equal(tr_fmt_short(1.0, 6, buf), "1");
    assert_string_equal(tr_fmt_given(0.1, buf), "0.1");
    assert_string_equal(tr_fmt_given(5.1, buf), "5.1");
    assert_string_equal(tr_fmt_given(0.12000000000000001, buf), "0.12000000000000001");
    assert_string_equal(tr_fmt_exact(0.13, buf), "0.13");
    assert_true(strtod(tr_fmt_exact(0.1 + 0.2, buf), NULL) == 0.1 + 0.2);
}

static void test_render(void **state)
{
    (void)state;
    tr_operand ops[3] = {
        { { .value = 0.1, .dep = -1, .kind = NN_OP_WEIGHT, .layer = 1, .weight = 1 }, "w1" },
        { { .value = 0.5, .dep = -1, .kind = NN_OP_INPUT, .unit = 1 }, "x1" },
        { { .value = -0.448621530310393, .dep = 7, .kind = NN_OP_VALUE, .of = NN_EV_DE_DOUT, .layer = 2,
            .unit = 1 }, "dE_total/dout_o1" },
    };
    char buf[256];
    tr_render("$0*$1 + $2", ops, 3, -1, buf, sizeof buf);
    assert_string_equal(buf, "w1*x1 + dE_total/dout_o1");
    tr_render("$0$*$1$+$2$+$.$/1/20", ops, 3, -1, buf, sizeof buf);   /* the operators, spelt */
    assert_string_equal(buf, "w1*x1 + dE_total/dout_o1 + ...1/20");
    tr_render("$0*$1 + $2", ops, 3, 6, buf, sizeof buf);
    assert_string_equal(buf, "0.1*0.5 + (-0.448622)");
    tr_render("$2*(1 - $2)", ops, 3, 2, buf, sizeof buf);
    assert_string_equal(buf, "(-0.45)*(1 - (-0.45))");
    tr_render("$7", ops, 3, 2, buf, sizeof buf);          /* out of range: visible, no crash */
    assert_string_equal(buf, "?");
    size_t need = tr_render("$0*$1 + $2", ops, 3, -1, buf, 8);   /* truncates, says how much */
    assert_int_equal(need, strlen("w1*x1 + dE_total/dout_o1"));
    assert_string_equal(buf, "w1*x1");                  /* cut between pieces, not inside one */
}

static void test_sanitize(void **state)
{
    (void)state;
    char buf[128];
    tx_sanitize("a\x1b[31mred\x07", buf, sizeof buf);
    assert_string_equal(buf, "a^[[31mred^G");
    tx_sanitize("tab\there\r\n", buf, sizeof buf);
    assert_string_equal(buf, "tab^Ihere^M^J");
    tx_sanitize("caf\xc3\xa9 \xe2\x86\x92 ok", buf, sizeof buf);   /* UTF-8 kept */
    assert_string_equal(buf, "caf\xc3\xa9 \xe2\x86\x92 ok");
    tx_sanitize("\xc2\x9b" "2J \xff\xfe x\x7f", buf, sizeof buf);  /* C1 CSI, bad bytes, DEL */
    assert_string_equal(buf, "\\x9B2J \\xFF\\xFE x^?");
    tx_sanitize("\xe2\x82", buf, sizeof buf);                    /* truncated sequence */
    assert_string_equal(buf, "\\xE2\\x82");
    /* bidi override and line separator made visible */
    tx_sanitize("a\xe2\x80\xae" "b\xe2\x80\xa8" "c", buf, sizeof buf);
    assert_string_equal(buf, "a<U+202E>b<U+2028>c");
    /* cut only between whole characters and escapes */
    tx_sanitize("\xc3\xa9\xc3\xa9\xc3\xa9", buf, 6);            /* three é into 5 bytes + NUL */
    assert_string_equal(buf, "\xc3\xa9\xc3\xa9");
    tr_escape_latex("\\\\", buf, 20);                          /* two backslashes, room for one */
    assert_string_equal(buf, "\\textbackslash{}");
    tr_escape_json("ab\"", buf, 4);                             /* the quote's escape does not fit */
    assert_string_equal(buf, "ab");
    tr_escape_markdown("\xc3\xa9\xc3\xa9", buf, 4);                /* é fits once, whole */
    assert_string_equal(buf, "\xc3\xa9");
}

/* Numbers of any size are whole: exponent form from 1e15 on. */
static void test_huge_numbers(void **state)
{
    (void)state;
    char buf[TR_NUM_SIZE];
    assert_string_equal(tr_fmt_fixed(1e300, 17, buf), "1.00000000000000005e+300");
    assert_string_equal(tr_fmt_fixed(-1e100, 6, buf), "-1.000000e+100");
    assert_string_equal(tr_fmt_fixed(999999999999999.0, 2, buf), "999999999999999.00");
    assert_string_equal(tr_fmt_fixed(1e15, 2, buf), "1.00e+15");
    assert_string_equal(tr_fmt_short(1.5e300, 6, buf), "1.5e+300");
    assert_string_equal(tr_fmt_fit(-1e300, 6, 10, buf), "-1.00e+300");
    assert_string_equal(tr_fmt_fit(0.25, 6, 10, buf), "0.250000");
    assert_string_equal(tr_fmt_fixed(-1e-300, 17, buf), "0.00000000000000000");
}

/* The layout names operands from their types and elides long sums: a net
 * of 8 inputs shows the first four, "...", the last, then the bias; the
 * gradient of a batch of 2 prefixes each term's operands with its sample;
 * TeX spells the same operands its own way. */
static void test_layout(void **state)
{
    (void)state;
    int sizes[3] = { 8, 2, 1 };
    nn_net shape;
    assert_int_equal(nn_shape_init(&shape, 2, sizes, NULL, NN_LOSS_QUADRATIC), 0);
    nn_operand ops[18];
    for (int i = 0; i < 8; i++) {
        ops[2 * i] = (nn_operand){ .value = 0.5, .dep = -1, .kind = NN_OP_WEIGHT, .layer = 1,
                                   .weight = nn_w_index(&shape, 1, i, 0) + 1 };
        ops[2 * i + 1] = (nn_operand){ .value = i, .dep = -1, .kind = NN_OP_INPUT, .unit = i + 1 };
    }
    ops[16] = (nn_operand){ .value = 0.5, .dep = -1, .kind = NN_OP_WEIGHT, .layer = 1,
                            .weight = nn_b_index(&shape, 1, 0) + 1 };
    ops[17] = (nn_operand){ .value = 1, .dep = -1, .kind = NN_OP_BIAS_INPUT, .layer = 1, .unit = 1 };
    nn_event ev = { .kind = NN_EV_NET, .layer = 1, .unit = 1, .symbol = "net_h1",
                    .form = NN_FORM_WEIGHTED_SUM, .n_terms = 9, .ops = ops, .n_ops = 18 };
    static tr_formula f;
    char buf[512];
    tr_layout(&shape, &ev, &f);
    tr_render(f.text, f.ops, f.n_ops, -1, buf, sizeof buf);
    assert_string_equal(buf, "w1*x1 + w3*x2 + w5*x3 + w7*x4 + ... + w15*x8 + w19*b1");
    assert_int_equal(f.n_ops, 12);

    nn_operand g[6] = {
        { .value = 0.1, .dep = 5, .kind = NN_OP_VALUE, .of = NN_EV_DE_DOUT, .layer = 2, .unit = 1, .sample = 1 },
        { .value = 0.2, .dep = 6, .kind = NN_OP_VALUE, .of = NN_EV_DOUT_DNET, .layer = 2, .unit = 1, .sample = 1 },
        { .value = 0.3, .dep = 2, .kind = NN_OP_VALUE, .of = NN_EV_OUT, .layer = 1, .unit = 2, .sample = 1 },
        { .value = 0.4, .dep = 9, .kind = NN_OP_VALUE, .of = NN_EV_DE_DOUT, .layer = 2, .unit = 1, .sample = 2 },
        { .value = 0.5, .dep = 10, .kind = NN_OP_VALUE, .of = NN_EV_DOUT_DNET, .layer = 2, .unit = 1, .sample = 2 },
        { .value = 0.6, .dep = 8, .kind = NN_OP_VALUE, .of = NN_EV_OUT, .layer = 1, .unit = 2, .sample = 2 },
    };
    nn_event grad = { .kind = NN_EV_GRADIENT, .layer = 2, .weight = 20, .symbol = "dE_final/dw20",
                      .form = NN_FORM_MEAN, .n_terms = 2, .ops = g, .n_ops = 6 };
    tr_layout(&shape, &grad, &f);
    tr_render(f.text, f.ops, f.n_ops, -1, buf, sizeof buf);
    assert_string_equal(buf, "1/2*(X1:dE_total/dout_o1*X1:dout_o1/dnet_o1*X1:out_h2"
                             " + X2:dE_total/dout_o1*X2:dout_o1/dnet_o1*X2:out_h2)");
    tr_render(f.text, f.ops, f.n_ops, 1, buf, sizeof buf);
    assert_string_equal(buf, "1/2*(0.1*0.2*0.3 + 0.4*0.5*0.6)");
    tr_operand_name(&shape, &g[4], TR_TEX, buf, sizeof buf);
    assert_string_equal(buf, "\\left.\\frac{\\partial \\mathit{out}_{o1}}{\\partial \\mathit{net}_{o1}}\\right|_{X_{2}}");
    tr_symbol(&shape, NN_EV_GRADIENT, 2, 0, 20, TR_TEX, buf, sizeof buf);
    assert_string_equal(buf, "\\frac{\\partial E_{\\mathrm{final}}}{\\partial w_{20}}");
}

/* A CSV formula cell that a spreadsheet would read as a formula (=, +, -, @)
 * is written with a leading apostrophe; the value cell stays a number. */
static void test_csv_formula_guard(void **state)
{
    (void)state;
    ls_lesson *L = ls_seed();
    assert_non_null(L);
    tr_operand ops[1] = { { { .value = 0.1, .dep = -1, .kind = NN_OP_WEIGHT, .layer = 1, .weight = 1 }, "w1" } };
    static const char *const templates[] = { "-$0", "=$0", "+$0", "@$0", "$0" };
    static const char *const want[] = { "'-w1,'-0.1", "'=w1,'=0.1", "'+w1,'+0.1", "'@w1,'@0.1", "w1,0.1" };
    for (size_t t = 0; t < sizeof templates / sizeof templates[0]; t++) {
        char buf[256] = "";
        FILE *fp = tmpfile();
        assert_non_null(fp);
        tr_out out = { .fp = fp, .lesson = L, .digits = 6, .steps = 1, .step = 1 };
        tr_event ev = { .id = 0, .kind = NN_EV_NET, .layer = 1, .unit = 1, .step = 1, .stage = 1, .sample = 1,
                        .symbol = "net_h1", .value = -0.5, .formula = templates[t], .ops = ops, .n_ops = 1 };
        assert_int_equal(tr_writer_csv.event(&out, &ev), 0);
        rewind(fp);
        assert_non_null(fgets(buf, sizeof buf, fp));
        fclose(fp);
        buf[strcspn(buf, "\n")] = '\0';
        char line[256];
        snprintf(line, sizeof line, "1,1,1,net_h1,-0.5,%s", want[t]);
        assert_string_equal(buf, line);
    }
    ls_free(L);
}

/* Writers never index operands past n_ops, whatever a template says. */
static void test_writers_bad_operand_index(void **state)
{
    (void)state;
    ls_lesson *L = ls_seed();
    assert_non_null(L);
    tr_operand ops[1] = { { { .value = 0.5, .dep = 3, .kind = NN_OP_VALUE, .of = NN_EV_NET, .layer = 2,
                              .unit = 1 }, "net_o1" } };
    long deps[1] = { 3 };
    static const char *const templates[] = { "1/(1 + e^(-$5))", "$9*$0 + $12", "$0*(1 - $7)" };
    const tr_writer *writers[] = { &tr_writer_text, &tr_writer_csv, &tr_writer_markdown,
                                   &tr_writer_latex, &tr_writer_jsonl, &tr_writer_dot };
    for (size_t w = 0; w < sizeof writers / sizeof writers[0]; w++)
        for (size_t t = 0; t < sizeof templates / sizeof templates[0]; t++) {
            FILE *fp = tmpfile();
            assert_non_null(fp);
            tr_out out = { .fp = fp, .lesson = L, .digits = 6, .steps = 1, .step = 1,
                           .dot_stage = 2, .layer = 2 };
            tr_event ev = { .id = 4, .kind = NN_EV_OUT, .layer = 2, .unit = 1, .step = 1, .stage = 2,
                            .sample = 1, .symbol = "out_o1",
                            .value = 0.6, .formula = templates[t], .ops = ops, .n_ops = 1,
                            .deps = deps, .n_deps = 1 };
            const tr_writer *wr = writers[w];
            assert_int_equal(wr->begin ? wr->begin(&out) : 0, 0);
            assert_int_equal(wr->stage ? wr->stage(&out, 1, 2) : 0, 0);
            assert_int_equal(wr->event ? wr->event(&out, &ev) : 0, 0);
            assert_int_equal(wr->end ? wr->end(&out) : 0, 0);
            if (wr->cleanup)
                wr->cleanup(&out);
            fclose(fp);
        }
    ls_free(L);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixed_rounding),
        cmocka_unit_test(test_render),
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_csv_formula_guard),
        cmocka_unit_test(test_sanitize),
        cmocka_unit_test(test_huge_numbers),
        cmocka_unit_test(test_writers_bad_operand_index),
    };
    return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
