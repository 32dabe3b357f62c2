/*
 * test_format.c - number formatting, formula rendering and terminal-safe
 * text, against values worked out by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
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
    /* a typed number whole, not in %g's exponent form (scale = 100 read "1e+02") */
    assert_string_equal(tr_fmt_given(100, buf), "100");
    assert_string_equal(tr_fmt_given(1e-5, buf), "0.00001");
    assert_string_equal(tr_fmt_given(-1.5e6, buf), "-1500000");
    assert_string_equal(tr_fmt_given(1.2345e-5, buf), "0.000012345");
    assert_string_equal(tr_fmt_given(1e7, buf), "1e+07");          /* beyond: exponent form */
    assert_string_equal(tr_fmt_given(1e-7, buf), "1e-07");
    for (double v = 1e-6; v < 1e7; v *= 3.7) {                      /* and each reads back */
        tr_fmt_given(v, buf);
        assert_true(strtod(buf, NULL) == v);
    }
    assert_string_equal(tr_fmt_exact(0.13, buf), "0.13");
    assert_true(strtod(tr_fmt_exact(0.1 + 0.2, buf), NULL) == 0.1 + 0.2);
}

/* The numbers are written without printf (format.c): every character must
 * be printf's.  A million doubles: random bit patterns (every magnitude,
 * subnormals), random values from 1e-20 to 1e10, binary fractions (exact
 * ties, which printf rounds half to even), six-decimal values; at every
 * number of decimals 0..17 and as %.17g. */
static uint64_t fmt_rng = 88172645463325252ull;
static uint64_t fmt_rnd(void)
{
    fmt_rng ^= fmt_rng << 13;
    fmt_rng ^= fmt_rng >> 7;
    fmt_rng ^= fmt_rng << 17;
    return fmt_rng;
}

static void test_numbers_as_printf(void **state)
{
    (void)state;
    char want[512], got[TR_NUM_SIZE];
    long bad = 0, compared = 0, ties = 0;
    for (long i = 0; i < 1000000; i++) {
        double v;
        uint64_t r = fmt_rnd();
        switch (i % 4) {
        case 0: memcpy(&v, &r, sizeof v); break;
        case 1: v = ((double)(r >> 11) / 9007199254740992.0 - 0.5) * pow(10, (int)(fmt_rnd() % 30) - 20); break;
        case 2: v = (double)((int64_t)(r % 2000001) - 1000000) / 1024.0; break;
        default: v = (double)((int64_t)(r % 200001) - 100000) / 1e6; break;
        }
        if (!isfinite(v))
            continue;
        snprintf(want, sizeof want, "%.17g", v);
        tr_fmt_exact(v, got);
        compared++;
        if (strcmp(want, got) != 0 && bad++ < 5)
            print_error("%%.17g of %a: printf %s, nntrace %s\n", v, want, got);
        if (!(fabs(v) < TR_FIXED_LIMIT))
            continue;
        for (int d = (int)(i % 3); d <= TR_MAX_DIGITS; d += 3) {
            snprintf(want, sizeof want, "%.*f", d, v);
            if (want[0] == '-' && strspn(want + 1, "0.") == strlen(want + 1))
                memmove(want, want + 1, strlen(want));   /* tr_fmt_fixed's "-0.000" is 0.000 */
            tr_fmt_fixed(v, d, got);
            compared++;
            if (i % 4 == 2 && d <= 10) {
                double scaled = v * pow(10, d);
                ties += scaled - floor(scaled) == 0.5;
            }
            if (strcmp(want, got) != 0 && bad++ < 5)
                print_error("%%.%df of %a: printf %s, nntrace %s\n", d, v, want, got);
        }
    }
    print_message("numbers as printf writes them: %ld compared, %ld exact ties, %ld differ\n", compared, ties, bad);
    assert_true(ties > 1000);                 /* the half-to-even cases were exercised */
    assert_int_equal(bad, 0);
    /* ties by hand: printf rounds the exact binary value half to even */
    assert_string_equal(tr_fmt_fixed(0.125, 2, got), "0.12");
    assert_string_equal(tr_fmt_fixed(0.375, 2, got), "0.38");
    assert_string_equal(tr_fmt_fixed(2.5, 0, got), "2");
    assert_string_equal(tr_fmt_exact(0.1, got), "0.10000000000000001");
    assert_string_equal(tr_fmt_exact(-0.0, got), "-0");
    assert_string_equal(tr_fmt_exact(1e-5, got), "1.0000000000000001e-05");
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
    tr_render("$0*$1 + $2", ops, 3, NULL, buf, sizeof buf);
    assert_string_equal(buf, "w1*x1 + dE_total/dout_o1");
    tr_render("$0$*$1$+$2$+$.$/1/20", ops, 3, NULL, buf, sizeof buf);   /* the operators, spelt */
    assert_string_equal(buf, "w1*x1 + dE_total/dout_o1 + ...1/20");
    tr_render("$0*$1 + $2", ops, 3, &(tr_prec){ 6, 0 }, buf, sizeof buf);
    assert_string_equal(buf, "0.1*0.5 + (-0.448622)");
    tr_render("$2*(1 - $2)", ops, 3, &(tr_prec){ 2, 0 }, buf, sizeof buf);
    assert_string_equal(buf, "(-0.45)*(1 - (-0.45))");
    tr_render("$7", ops, 3, &(tr_prec){ 2, 0 }, buf, sizeof buf);          /* out of range: visible, no crash */
    assert_string_equal(buf, "?");
    size_t need = tr_render("$0*$1 + $2", ops, 3, NULL, buf, 8);   /* truncates, says how much */
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
    /* every Default_Ignorable code point, of 2, 3 and 4 bytes (U+061C was written raw) */
    tx_sanitize("\xd8\x9c|\xc2\xad|\xe2\x80\x8b|\xef\xbb\xbf|\xef\xb8\x8f|\xf3\xa0\x80\x81|\xf0\x9d\x85\xb3",
                buf, sizeof buf);
    assert_string_equal(buf, "<U+061C>|<U+00AD>|<U+200B>|<U+FEFF>|<U+FE0F>|<U+E0001>|<U+1D173>");
    tx_sanitize("\xc3\xa9\xe2\x86\x92\xf0\x9f\x98\x80", buf, sizeof buf);    /* visible ones kept */
    assert_string_equal(buf, "\xc3\xa9\xe2\x86\x92\xf0\x9f\x98\x80");
    assert_true(tx_invisible(0x2066) && tx_invisible(0x200E) && !tx_invisible(0x200A) && !tx_invisible(0xE1000));
    tr_escape_json("a\xd8\x9c\xf3\xa0\x80\x81", buf, sizeof buf);   /* past the BMP: a surrogate pair */
    assert_string_equal(buf, "a\\u061c\\udb40\\udc01");
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
    tr_render(f.text, f.ops, f.n_ops, NULL, buf, sizeof buf);
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
    tr_render(f.text, f.ops, f.n_ops, NULL, buf, sizeof buf);
    assert_string_equal(buf, "1/2*(X1:dE_total/dout_o1*X1:dout_o1/dnet_o1*X1:out_h2"
                             " + X2:dE_total/dout_o1*X2:dout_o1/dnet_o1*X2:out_h2)");
    tr_render(f.text, f.ops, f.n_ops, &(tr_prec){ 1, 0 }, buf, sizeof buf);
    assert_string_equal(buf, "1/2*(0.1*0.2*0.3 + 0.4*0.5*0.6)");
    tr_operand_name(&shape, &g[4], TR_TEX, buf, sizeof buf);
    assert_string_equal(buf, "\\left.\\frac{\\partial \\mathit{out}_{o1}}{\\partial \\mathit{net}_{o1}}\\right|_{X_{2}}");
    tr_symbol(&shape, NN_EV_GRADIENT, 2, 0, 20, TR_TEX, buf, sizeof buf);
    assert_string_equal(buf, "\\frac{\\partial E_{\\mathrm{final}}}{\\partial w_{20}}");
}

/* The plain name joined from its parts, as trace.h says tr_operand_parts' parts join. */
static void join_parts(const tr_name *nm, char *buf, size_t size)
{
    size_t n = 0;
    if (nm->sample > 0)
        n += (size_t)snprintf(buf + n, size - n, "X%d:", nm->sample);
    for (int k = 0; k <= nm->ratio && n < size; k++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s%s%s", k ? "/" : "", nm->part[k].base,
                              nm->part[k].has_sub ? "_" : "", nm->part[k].sub);
}

/* Every template of four lessons (sigmoid, tanh, relu, softmax, both losses)
 * holds its structure as typed pieces: no run of text carries a bracket, a
 * power or a function's name, and every operand's name is its parts joined. */
static void test_typed_template(void **state)
{
    (void)state;
    char err[LS_ERR_SIZE], joined[256];
    const char *dirs[] = { "lessons", NULL };
    const char *const lessons[] = { "seed", "deep", "softmax", "xor" };
    int functions = 0, brackets = 0, powers = 0, reciprocals = 0, squares = 0;
    for (size_t q = 0; q < sizeof lessons / sizeof lessons[0]; q++) {
        ls_lesson *L = ls_open(lessons[q], dirs, err, sizeof err);
        if (!L)
            fail_msg("%s", err);
        tr_recording *rec = tr_record(L, NULL, 0, err, sizeof err);
        assert_non_null(rec);
        for (long e = 0; e < tr_rec_count(rec); e++) {
            const tr_event *ev = tr_rec_at(rec, e);
            tr_piece pc;
            for (const char *p = ev->formula; tr_template_next(ev->formula, &p, ev->n_ops, &pc); ) {
                if (pc.op == TR_PIECE_TEXT)
                    for (size_t k = 0; k < pc.len; k++)
                        if (strchr("()^", pc.text[k]) || (k + 1 < pc.len && pc.text[k] == 'l' && pc.text[k + 1] == 'n'))
                            fail_msg("%s: structure as text in \"%s\"", lessons[q], ev->formula);
                assert_int_not_equal(pc.op, TR_PIECE_BAD);
                functions += pc.op == TR_PIECE_FUNCTION;
                brackets += pc.op == TR_PIECE_OPEN;
                powers += pc.op == TR_PIECE_EXP;
                reciprocals += pc.op == TR_PIECE_RECIPROCAL;
                squares += pc.op == TR_PIECE_SQUARE;
            }
            for (int k = 0; k < ev->n_ops; k++) {
                tr_name nm;
                tr_operand_parts(&L->shape, &ev->ops[k].op, &nm);
                join_parts(&nm, joined, sizeof joined);
                assert_string_equal(joined, ev->ops[k].name);
            }
        }
        tr_recording_free(rec);
        ls_free(L);
    }
    assert_true(functions > 0 && brackets > 0 && powers > 0 && reciprocals > 0 && squares > 0);

    /* tanh(net): the function, its bracket, the operand enclosed, the close */
    int sizes[3] = { 1, 1, 1 };
    int acts[3] = { NN_ACT_LINEAR, NN_ACT_TANH, NN_ACT_SIGMOID };
    nn_net shape;
    assert_int_equal(nn_shape_init(&shape, 2, sizes, acts, NN_LOSS_QUADRATIC), 0);
    nn_operand net = { .value = -0.5, .dep = 0, .kind = NN_OP_VALUE, .of = NN_EV_NET, .layer = 1, .unit = 1 };
    nn_event ev = { .kind = NN_EV_OUT, .layer = 1, .unit = 1, .symbol = "out_h1", .form = NN_FORM_TANH,
                    .ops = &net, .n_ops = 1 };
    static tr_formula f;
    tr_layout(&shape, &ev, &f);
    const int want[] = { TR_PIECE_FUNCTION, TR_PIECE_OPEN, 0, TR_PIECE_CLOSE };
    tr_piece pc;
    const char *p = f.text;
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        assert_true(tr_template_next(f.text, &p, f.n_ops, &pc));
        assert_int_equal(pc.op, want[k]);
        if (k == 0)
            assert_int_equal(pc.number, TR_FN_TANH);
        if (k == 2)
            assert_true(pc.enclosed);
    }
    assert_false(tr_template_next(f.text, &p, f.n_ops, &pc));
    char buf[64], run[TR_PLAIN_RUN_SIZE];
    tr_render(f.text, f.ops, f.n_ops, &(tr_prec){ 2, 0 }, buf, sizeof buf);
    assert_string_equal(buf, "tanh(-0.50)");                   /* enclosed: no brackets of its own */
    p = f.text;                                                 /* by runs: "tanh(", net_h1, ")" */
    assert_true(tr_template_plain_next(f.text, &p, f.n_ops, &pc, run, sizeof run));
    assert_int_equal(pc.op, TR_PIECE_TEXT);
    assert_int_equal(pc.len, 5);
    assert_memory_equal(pc.text, "tanh(", 5);
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
        tr_out out = { .opt = { .fp = fp, .lesson = L, .digits = 6, .steps = 1 }, .now = &(tr_now){ .step = 1 } };
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
            tr_out out = { .opt = { .fp = fp, .lesson = L, .digits = 6, .steps = 1 }, .dot = { .stage = 2 },
                           .now = &(tr_now){ .step = 1, .layer = 2 } };
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

/* Set note t of L to text and find its live values: 0, or -1 with why. */
static int set_note(ls_lesson *L, int t, const char *text, size_t *bad_at, char *why, size_t why_size)
{
    free(L->notes[t]);
    L->notes[t] = strdup(text);
    assert_non_null(L->notes[t]);
    return ls_note_parse(L, t, bad_at, why, why_size);
}

/* Live values in notes: every value a trace records can be named, by the
 * CSV's symbol (with "Xi:" for a sample's value), and the recording holds
 * exactly that event's value for it; names the trace lacks are refused with
 * the offset of their "{"; the note is written with values, "?" and "{{". */
static void test_notes(void **state)
{
    (void)state;
    char err[LS_ERR_SIZE], why[LS_ERR_SIZE], buf[512];
    size_t bad_at = 0;
    const char *dirs[] = { "lessons", NULL };
    const char *const lessons[] = { "seed", "deep" };        /* quadratic and cross-entropy */
    for (size_t q = 0; q < 2; q++) {
        ls_lesson *L = ls_open(lessons[q], dirs, err, sizeof err);
        if (!L)
            fail_msg("%s", err);
        tr_recording *rec = tr_record(L, NULL, 0, err, sizeof err);
        assert_non_null(rec);
        long n = tr_rec_count(rec);
        tr_recording_free(rec);
        for (long e = 0; e < n; e++) {
            rec = tr_record(L, NULL, 0, err, sizeof err);       /* this event's symbol, named in a note */
            assert_non_null(rec);
            const tr_event *ev = tr_rec_at(rec, e);
            char note[128];
            if (ev->sample)
                snprintf(note, sizeof note, "is {X%d:%s}.", ev->sample, ev->symbol);
            else
                snprintf(note, sizeof note, "is {%s}.", ev->symbol);
            double want = ev->value;
            tr_recording_free(rec);
            free(L->refs);
            L->refs = NULL;
            L->n_refs = 0;
            if (set_note(L, 0, note, &bad_at, why, sizeof why) != 0)
                fail_msg("%s: %s refused: %s", lessons[q], note, why);
            assert_int_equal(L->n_refs, 1);
            rec = tr_record(L, NULL, 0, err, sizeof err);
            assert_non_null(rec);
            long at;
            double held = tr_rec_note(rec, 0, &at);
            if (!(held == want))                              /* the same double */
                fail_msg("%s: %s holds %.17g, the event %.17g", lessons[q], note, held, want);
            assert_int_equal(at, e);
            tr_recording_free(rec);
        }
        free(L->refs);
        L->refs = NULL;
        L->n_refs = 0;
        /* names the trace does not have */
        const char *const refused[] = {
            q == 0 ? "{X1:dE_total/dnet_o1}" : "{X1:dE_total/dout_o1}",   /* the other loss's */
            "{X1:out_o9}", "{X9:out_o1}", "{X0:out_o1}", "{out_o1}", "{X1:E_final}", "{X1:w1}",
            "{dE_final/dw0}", "{w999}", "{w01}", "{E_final", "{}", "{X1:}", "{Eta}", "{ E_final}",
        };
        for (size_t r = 0; r < sizeof refused / sizeof refused[0]; r++) {
            char note[64];
            snprintf(note, sizeof note, "ab %s cd", refused[r]);
            if (set_note(L, 1, note, &bad_at, why, sizeof why) == 0)
                fail_msg("%s: %s accepted", lessons[q], note);
            assert_int_equal(bad_at, 3);
            assert_int_equal(L->n_refs, 0);
        }
        ls_free(L);
    }
    /* the note as shown: values rounded, "?" for NAN, eta as given, braces */
    ls_lesson *L = ls_seed();
    assert_non_null(L);
    free(L->refs);
    L->refs = NULL;
    L->n_refs = 0;
    assert_int_equal(set_note(L, 2, "{{x}} {E_final} and {X2:out_o1}, eta {eta}", &bad_at, why, sizeof why), 0);
    assert_int_equal(L->n_refs, 3);
    double vals[3] = { 0.25339465, -0.0000004, 0 };
    /* at 6 decimals a small value keeps 3 significant digits (tr_fmt_num) */
    assert_int_equal(tr_note(L, 2, vals, 6, 0, buf, sizeof buf), strlen("{x}} 0.253395 and -0.000000400, eta 0.1"));
    assert_string_equal(buf, "{x}} 0.253395 and -0.000000400, eta 0.1");
    tr_note(L, 2, vals, 6, 3, buf, sizeof buf);
    assert_string_equal(buf, "{x}} 0.253 and -0.000000400, eta 0.1");
    vals[0] = NAN;
    tr_note(L, 2, vals, 3, 0, buf, 29);                   /* cut to the buffer, NUL-terminated */
    assert_string_equal(buf, "{x}} (not computed yet) and ");   /* not yet reached: prose, no "?" */
    assert_int_equal(tr_note(L, 0, vals, 3, 0, buf, sizeof buf), strlen(L->notes[0]));   /* no values */
    assert_string_equal(buf, L->notes[0]);
    ls_free(L);
}

/* tx_wrap_next: lines of at most width characters, words whole, every word once */
static void wrap_lines(const char *text, int width, char out[][64], int *n)
{
    size_t at = 0, end;
    *n = 0;
    while (tx_wrap_next(text, &at, width, &end)) {
        assert_true(*n < 8);
        snprintf(out[*n], 64, "%.*s", (int)(end - at), text + at);
        (*n)++;
        at = end;
    }
}

/* Significant digits a fixed-form number shows: from its first non-zero digit to its end. */
static int sig_shown(const char *b)
{
    int n = 0, started = 0;
    for (const char *c = b; *c && *c != 'e'; c++)
        if (*c >= '0' && *c <= '9') {
            started |= *c != '0';
            n += started;
        }
    return n;
}

/* The trace's rule for a value (issue 29): digits decimals, at least
 * min(3, digits) significant digits; --sig N: N significant digits.  Each
 * against printf's %.*f and %.*e of the same double. */
static void test_precision_rule(void **state)
{
    (void)state;
    char buf[TR_NUM_SIZE], want[128];
    /* the walkthrough's stage-5 gradients at six decimals (its own 0.0000143, 0.0000712) */
    assert_string_equal(tr_fmt_num(1.4301e-05, (tr_prec){ 6, 0 }, buf), "0.0000143");
    assert_string_equal(tr_fmt_num(7.1224e-05, (tr_prec){ 6, 0 }, buf), "0.0000712");
    assert_string_equal(tr_fmt_num(0.000143, (tr_prec){ 6, 0 }, buf), "0.000143");
    assert_string_equal(tr_fmt_num(0.529964, (tr_prec){ 2, 0 }, buf), "0.53");   /* --digits 2 means 2 */
    assert_string_equal(tr_fmt_num(0.0004, (tr_prec){ 2, 0 }, buf), "0.00040");
    assert_string_equal(tr_fmt_num(0.0004, (tr_prec){ 0, 0 }, buf), "0");
    assert_string_equal(tr_fmt_num(0, (tr_prec){ 6, 0 }, buf), "0.000000");
    assert_string_equal(tr_fmt_num(0.529964, (tr_prec){ 6, 2 }, buf), "0.53");
    assert_string_equal(tr_fmt_num_given(0.1, (tr_prec){ 6, 0 }, buf), "0.1");
    assert_string_equal(tr_fmt_num_given(0.0000143, (tr_prec){ 6, 0 }, buf), "0.0000143");
    assert_string_equal(tr_fmt_num_given(0.15, (tr_prec){ 6, 4 }, buf), "0.15");
    assert_string_equal(tr_prec_words((tr_prec){ 6, 0 }, want, sizeof want),
                        "rounded to 6 decimals (at least 3 significant digits)");
    assert_string_equal(tr_prec_words((tr_prec){ 6, 4 }, want, sizeof want), "rounded to 4 significant digits");
    int n = 0;
    for (int d = 0; d <= 9; d++)
    for (int e = -14; e <= 3; e++)
    for (int k = 0; k < 20; k++, n++) {
        double v = (k % 2 ? -1 : 1) * (1.0 + 8.99 * k / 19.0) * pow(10.0, e) * (1.0 + 1e-9 * k);
        int least = d < 3 ? d : 3, lead = (int)floor(log10(fabs(v)));
        tr_fmt_num(v, (tr_prec){ d, 0 }, buf);
        if (least == 0 || fabs(v) >= 1 || d + lead + 1 >= least) {
            snprintf(want, sizeof want, "%.*f", d, v);
            if (strspn(want, "-0.") == strlen(want) && want[0] == '-')
                memmove(want, want + 1, strlen(want));
            if (strcmp(buf, want) != 0)
                fail_msg("%.17g at %d decimals: '%s', printf '%s'", v, d, buf, want);
        } else {
            snprintf(want, sizeof want, "%.*e", least - 1, v);
            if (strtod(buf, NULL) != strtod(want, NULL) || (!strchr(buf, 'e') && sig_shown(buf) < least))
                fail_msg("%.17g at %d decimals: '%s', not %d significant digits (%s)", v, d, buf, least, want);
        }
        for (int sig = 1; sig <= 5; sig += 2) {
            tr_fmt_num(v, (tr_prec){ d, sig }, buf);
            if (lead >= sig)                          /* the whole part is kept whole: 15, not 1e+01 */
                snprintf(want, sizeof want, "%.0f", v);
            else
                snprintf(want, sizeof want, "%.*e", sig - 1, v);
            if (strtod(buf, NULL) != strtod(want, NULL) || (!strchr(buf, 'e') && sig_shown(buf) < sig))
                fail_msg("%.17g at --sig %d: '%s', printf '%s'", v, sig, buf, want);
        }
    }
    print_message("precision rule: %d values at 0-9 decimals and 1, 3, 5 significant digits, as printf rounds\n", n);
}

/* The handouts' figure (issue 29: labels tiny and crossed by lines): each
 * weight's label, a box of 0.16 cm a character and 0.36 cm high around its
 * place on its line, covers no other label and no unit; on the shipped
 * small shapes no other line passes through it either (each line sampled
 * at 200 points). */
static void test_figure_labels(void **state)
{
    (void)state;
    static const int shapes[][5] = { { 2, 2, 2, 2 }, { 2, 2, 2, 1 }, { 3, 2, 3, 3, 1 }, { 2, 4, 5, 3 } };
    for (int k = 0; k < 4; k++) {
        int L = shapes[k][0], sizes[NN_MAX_LAYERS + 1];
        for (int l = 0; l <= L; l++)
            sizes[l] = shapes[k][l + 1];
        nn_net sh;
        assert_int_equal(nn_shape_init(&sh, L, sizes, NULL, NN_LOSS_QUADRATIC), 0);
        double w[64];
        for (int m = 0; m < sh.n_weights; m++)
            w[m] = (m % 3 ? 1 : -1) * 0.1 * (1 + m % 9);
        tr_fig *f = malloc(sizeof *f);
        assert_non_null(f);
        tr_fig_plan(&sh, w, (tr_prec){ 6, 0 }, f);
        assert_true(f->labels);
        assert_true(k >= 2 || f->label_values);     /* the seed and xor: "w5 = 0.1" on each line */
        double bx[TR_FIG_EDGES][4];
        int crossed = 0;
        for (int e = 0; e < f->n_edges; e++) {
            const tr_fig_node *a = &f->nodes[f->edges[e].from], *b = &f->nodes[f->edges[e].to];
            char num[TR_NUM_SIZE], text[64];
            snprintf(text, sizeof text, f->label_values ? "w%d = %s" : "w%d", f->edges[e].weight + 1,
                     tr_fmt_num_given(w[f->edges[e].weight], (tr_prec){ 6, 0 }, num));
            double p = f->edges[e].pos, cx = a->x + p * (b->x - a->x), cy = a->y + p * (b->y - a->y);
            double hw = 0.08 * (double)strlen(text);
            double *r = bx[e];
            r[0] = cx - hw; r[1] = cy - 0.18; r[2] = cx + hw; r[3] = cy + 0.18;
            assert_true(p >= 0.15 - 1e-9 && p <= 0.85 + 1e-9);
            for (int o = 0; o < e; o++)
                if (r[0] < bx[o][2] && bx[o][0] < r[2] && r[1] < bx[o][3] && bx[o][1] < r[3])
                    fail_msg("shape %d: the labels of w%d and w%d overlap", k, f->edges[e].weight + 1, f->edges[o].weight + 1);
            for (int q = 0; q < f->n_nodes; q++) {
                double dx = fmax(r[0], fmin(f->nodes[q].x, r[2])) - f->nodes[q].x;
                double dy = fmax(r[1], fmin(f->nodes[q].y, r[3])) - f->nodes[q].y;
                if (dx * dx + dy * dy < 0.4 * 0.4)
                    fail_msg("shape %d: the label of w%d covers a unit", k, f->edges[e].weight + 1);
            }
            for (int o = 0; o < f->n_edges; o++) {
                const tr_fig_node *c = &f->nodes[f->edges[o].from], *d = &f->nodes[f->edges[o].to];
                for (int t = 0; o != e && t <= 200; t++) {
                    double x = c->x + t / 200.0 * (d->x - c->x), y = c->y + t / 200.0 * (d->y - c->y);
                    if (x > r[0] && x < r[2] && y > r[1] && y < r[3]) {
                        crossed++;
                        if (k < 3)
                            fail_msg("shape %d: the line of w%d runs through the label of w%d", k,
                                     f->edges[o].weight + 1, f->edges[e].weight + 1);
                        break;
                    }
                }
            }
        }
        print_message("figure %d: %d labels%s, none on another or on a unit; %d crossed by a line\n", k, f->n_edges,
                      f->label_values ? " with values" : " (names)", crossed);
        free(f);
    }
}

static void test_wrap(void **state)
{
    (void)state;
    char lines[8][64];
    int n;
    wrap_lines("one two three four", 9, lines, &n);
    assert_int_equal(n, 3);
    assert_string_equal(lines[0], "one two");
    assert_string_equal(lines[1], "three");     /* "three four" is 10 */
    assert_string_equal(lines[2], "four");
    wrap_lines("  lead   and trail  ", 20, lines, &n);
    assert_int_equal(n, 1);
    assert_string_equal(lines[0], "lead   and trail");
    wrap_lines("a verylongwordindeed b", 5, lines, &n);   /* a long word: a line of its own, whole */
    assert_int_equal(n, 3);
    assert_string_equal(lines[1], "verylongwordindeed");
    wrap_lines("\xc3\xa9\xc3\xa9\xc3\xa9 \xc3\xa9\xc3\xa9", 6, lines, &n);   /* characters, not bytes */
    assert_int_equal(n, 1);
    wrap_lines("abc def", 7, lines, &n);               /* exactly the width: one line */
    assert_int_equal(n, 1);
    wrap_lines("   ", 7, lines, &n);
    assert_int_equal(n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixed_rounding),
        cmocka_unit_test(test_numbers_as_printf),
        cmocka_unit_test(test_render),
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_typed_template),
        cmocka_unit_test(test_csv_formula_guard),
        cmocka_unit_test(test_sanitize),
        cmocka_unit_test(test_huge_numbers),
        cmocka_unit_test(test_precision_rule),
        cmocka_unit_test(test_figure_labels),
        cmocka_unit_test(test_writers_bad_operand_index),
        cmocka_unit_test(test_notes),
        cmocka_unit_test(test_wrap),
    };
    return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
