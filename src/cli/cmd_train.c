/*
 * cmd_train.c - nntrace train: many epochs with tracing off; a progress bar
 * on standard error when it is a terminal, one line per epoch on standard
 * output; --save-weights writes a from,to,value CSV a lesson can load.
 */
#include "cli.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../trace/trace.h"
#include "../text/text.h"
#include "../train/train.h"

/* What the epoch callback needs. */
typedef struct train_view {
    int epochs;          /* epochs asked for */
    int bar;             /* standard error is a terminal */
    int labels;          /* the data has labels: show accuracy */
    int test;            /* rows are held out */
    int stride;          /* print every stride-th epoch (and the first and the last) */
} train_view;

#define TRAIN_LINES    20   /* epoch lines printed at most, unless --verbose */
#define TRAIN_CASES    16   /* data sets up to this many rows end with a table of every case */

/* A readable stride: 1, 2, 5, 10, 20, 50, ... giving at most TRAIN_LINES lines. */
static int epoch_stride(int epochs)
{
    static const int steps[3] = { 1, 2, 5 };
    for (long base = 1; base <= TN_MAX_EPOCHS; base *= 10)
        for (int k = 0; k < 3; k++)
            if (epochs / (base * steps[k]) <= TRAIN_LINES)
                return (int)(base * steps[k]);
    return epochs;
}

#define TRAIN_LOSS_DIGITS 6    /* a loss's decimals in the epoch lines */
#define TRAIN_LOSS_WIDTH  9    /* ... and its widest: "12.345678"; past that, exponent form */

static void percent(char *buf, size_t size, double v)
{
    if (isnan(v))
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%.1f%%", 100.0 * v);
}

static int on_epoch(void *user, const tn_epoch *e, const nn_net *net)
{
    train_view *v = user;
    char tr[16], te[16], line[200], loss[TR_NUM_SIZE], test_loss[TR_NUM_SIZE];
    (void)net;
    percent(tr, sizeof tr, e->train_acc);
    percent(te, sizeof te, e->test_acc);
    /* a loss as wide as 0.500000 at most: a huge one in exponent form (the line stays within 80 columns) */
    tr_fmt_fit(e->loss, TRAIN_LOSS_DIGITS, TRAIN_LOSS_WIDTH, loss); /* mutant: train-loss-fixed-width */
    tr_fmt_fit(e->test_loss, TRAIN_LOSS_DIGITS, TRAIN_LOSS_WIDTH, test_loss);
    int n = snprintf(line, sizeof line, "epoch %5d  steps %8ld  loss %s", e->epoch, e->steps, loss);
    if (v->test && !isnan(e->test_loss))
        n += snprintf(line + n, sizeof line - (size_t)n, "  held-out loss %s", test_loss);
    if (v->labels)
        n += snprintf(line + n, sizeof line - (size_t)n, "  train acc %6s", tr);
    if (v->labels && v->test && !isnan(e->test_acc))
        snprintf(line + n, sizeof line - (size_t)n, "  held-out acc %6s", te);
    if (v->bar) {
        int width = 30, done = v->epochs ? (int)((long)width * e->epoch / v->epochs) : width;
        fprintf(stderr, "\r[");
        for (int q = 0; q < width; q++)
            fputc(q < done ? '#' : '.', stderr);
        fprintf(stderr, "] %d/%d  loss %s ", e->epoch, v->epochs, loss);
        if (e->epoch == v->epochs)
            fputc('\n', stderr);
        fflush(stderr);
    }
    if (e->epoch % v->stride == 0 || e->epoch == v->epochs) /* mutant: train-every-epoch */
        printf("%s\n", line);
    if (!v->bar)
        fflush(stdout);
    return ferror(stdout) ? 1 : 0;
}

/* A small data set: every case with its inputs, target, the trained
 * network's output (the engine's) and whether it is right (the largest output
 * is the label; a single output within 0.5 of its target).  0, or -1. */
static int print_cases(const ls_lesson *L, const nn_net *net)
{
    int N = nn_n_inputs(&L->shape), O = nn_n_outputs(&L->shape), n = L->n_rows, right = 0;
    nn_ctx *ctx = nn_ctx_new(net, n);
    if (!ctx)
        return -1;
    nn_loss(ctx, net, L->x, L->y, n);
    const double *out = nn_ctx_outputs(ctx);
    printf("\nEvery case after training (%d rows):\n", n);
    for (int r = 0; r < n; r++) {
        char safe[64];
        int ok = 1;
        printf("  row %2d:", r + 1);
        for (int i = 0; i < N && i < 8; i++) {
            tx_sanitize(L->input_names[i], safe, sizeof safe);
            printf(" %s=%g", safe, L->x[(size_t)r * N + i]);
        }
        if (N > 8)
            printf(" ...");
        if (L->label) {
            int best = nn_answer(out + (size_t)r * O, O);
            ok = best == L->label[r];
            printf("  label %d  output picks %d", L->label[r], best);
        } else {
            printf("  target");
            for (int k = 0; k < O; k++)
                printf(" %g", L->y[(size_t)r * O + k]);
            printf("  output");
            for (int k = 0; k < O; k++) {
                printf(" %.4f", out[(size_t)r * O + k]);
                ok &= fabs(out[(size_t)r * O + k] - L->y[(size_t)r * O + k]) < 0.5;
            }
        }
        printf("  %s\n", ok ? "right" : "WRONG");
        right += ok;
    }
    printf("%d of %d right\n", right, n);
    nn_ctx_free(ctx);
    return 0;
}

/* The options of nntrace train into opt and *save.  Returns -1 to go on, or
 * the status to exit with: CLI_EXIT_OK after --help, CLI_EXIT_USAGE after a
 * bad option (with its message). */
static int train_options(int argc, char **argv, tn_options *opt, const char **save, int *verbose)
{
    static const struct option longopts[] = {
        { "epochs", required_argument, NULL, 'e' },
        { "batch-size", required_argument, NULL, 'b' },
        { "lr", required_argument, NULL, 'r' },
        { "seed", required_argument, NULL, 's' }, /* mutant: option-not-documented */
        { "test-split", required_argument, NULL, 't' },
        { "save-weights", required_argument, NULL, 'w' },
        { "verbose", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c, v;
    double d;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (c) {
        case 'e':
            if (cli_int(optarg, 1, TN_MAX_EPOCHS, &opt->epochs) != 0) {
                cli_error("--epochs takes a whole number from 1 to %d, not '%s'", TN_MAX_EPOCHS, optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case 'b':
            if (cli_int(optarg, 1, LS_MAX_ROWS, &opt->batch_size) != 0) {
                cli_error("--batch-size takes a whole number from 1, not '%s'", optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case 'r':
            if (ls_parse_number(optarg, &d) != 0 || !(d > 0)) {
                cli_error("--lr takes a number above 0, not '%s'", optarg);
                return CLI_EXIT_USAGE;
            }
            opt->lr = d;
            break;
        case 's':
            if (cli_int(optarg, 0, 2147483647, &v) != 0) {
                cli_error("--seed takes a whole number from 0, not '%s'", optarg);
                return CLI_EXIT_USAGE;
            }
            opt->seed = (unsigned long long)v;
            break;
        case 't':
            if (ls_parse_number(optarg, &d) != 0 || d < 0 || d > 0.9) {
                cli_error("--test-split takes a fraction from 0 to 0.9, not '%s'", optarg);
                return CLI_EXIT_USAGE;
            }
            opt->test_split = d;
            break;
        case 'w':
            if (!optarg[0]) {
                cli_error("--save-weights needs a file name, not an empty one");
                return CLI_EXIT_USAGE;
            }
            *save = optarg;
            break;
        case 'v':
            *verbose = 1;
            break;
        case 'h':
            printf("usage: nntrace train [--epochs N] [--batch-size B] [--lr X] [--seed S]\n"
                   "                     [--test-split F] [--save-weights FILE] [--verbose] [LESSON]\n");
            return CLI_EXIT_OK;
        default:
            return cli_bad_option(c, argv);
        }
    }
    if (argc - optind > 1) {
        cli_error("train takes one lesson, not '%s' as well", argv[optind + 1]);
        return CLI_EXIT_USAGE;
    }
    return -1;
}

/* The trained weights into the file opened for them, then renamed into place. */
int cli_train(int argc, char **argv)
{
    tn_options opt = { 10, 0, 0, 1, -1, NULL, NULL };
    const char *save = NULL;
    int verbose = 0;
    int status = train_options(argc, argv, &opt, &save, &verbose);
    if (status >= 0)
        return status;
    int load_status;
    ls_lesson *L = cli_lesson(optind < argc ? argv[optind] : NULL, &load_status);
    if (!L)
        return load_status;
    if (opt.test_split < 0 && !L->test_rows)   /* default: the lesson's test_rows, else a fifth */
        opt.test_split = tn_default_test_split(L);
    char err[LS_ERR_SIZE] = "";
    cli_output file;
    status = cli_output_open(&file, save, L);     /* before any work */
    if (status != CLI_EXIT_OK) {
        ls_free(L);
        return status;
    }
    train_view view = { opt.epochs, isatty(STDERR_FILENO), L->label != NULL, opt.test_split != 0,
                        verbose ? 1 : epoch_stride(opt.epochs) };
    nn_net *net = NULL;
    int rc = tn_train(L, &opt, on_epoch, &view, &net, err, sizeof err);
    if (rc == 1 && net && save) {       /* stopped at a non-finite loss: the last finite weights kept */
        int saved = tn_write_weights(net, file.fp) != 0 ? TR_EWRITE : TR_OK;
        if (cli_output_close(&file, saved, "write failed") == CLI_EXIT_OK)
            cli_error("%s (saved to %s)", err, save);
        else                                 /* the write's failure said, and why training stopped */
            cli_error("%s", err); /* mutant: train-blowup-reason-lost-on-save */
        nn_net_free(net);
        ls_free(L);
        return CLI_EXIT_FAILED;
    }
    if (rc != 0) {
        cli_error("%s", err[0] ? err : "out of memory");
        status = rc == 2 ? CLI_EXIT_USAGE : CLI_EXIT_FAILED;
    } else if (L->n_rows <= TRAIN_CASES && print_cases(L, net) != 0) {
        cli_error("out of memory");
        status = CLI_EXIT_FAILED;
    } else if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("standard output: write failed");
        status = CLI_EXIT_FAILED;
    }
    if (save && status == CLI_EXIT_OK) {                /* the weights, once training went well */
        rc = tn_write_weights(net, file.fp) != 0 ? TR_EWRITE : TR_OK;
        status = cli_output_close(&file, rc, "write failed");
    } else {
        cli_output_abort(&file);
    }
    nn_net_free(net);
    ls_free(L);
    return status;
}
