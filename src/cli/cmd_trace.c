/*
 * cmd_trace.c - nntrace trace: the full derivation in a chosen format.
 */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../trace/trace.h"

/* What the command line asks of trace. */
typedef struct trace_args {
    const char *format;       /* --format, "text" by default */
    const char *output;       /* -o FILE, NULL: standard output */
    const char *view;         /* --view: "steps" or "matrix" */
    tr_prec prec;             /* --digits, --sig */
    int steps;                /* --steps, 0: the lesson's */
    int stage, sample;        /* --stage, --sample, 0: all */
    cli_sets sets;            /* the --set edits, in order */
} trace_args;

/* Read trace's options into *a: -1 to go on, else the exit status (an
 * error already reported, or 0 after --help). */
static int trace_options(int argc, char **argv, trace_args *a)
{
    static const struct option longopts[] = {
        { "format", required_argument, NULL, 'f' },
        { "digits", required_argument, NULL, 'd' },
        { "sig", required_argument, NULL, 'g' },
        { "steps", required_argument, NULL, 's' },
        { "output", required_argument, NULL, 'o' },
        { "stage", required_argument, NULL, 'S' },
        { "sample", required_argument, NULL, 'K' },
        { "help", no_argument, NULL, 'h' },
        { "set", required_argument, NULL, 'E' },
        { "view", required_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    *a = (trace_args){ .format = "text", .view = "steps", .prec = { TR_DEFAULT_DIGITS, 0 } };
    int opt;
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, ":f:d:s:o:S:K:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'f': a->format = optarg; break;
        case 'o': a->output = optarg; break;
        case 'd': case 'g':                     /* --digits, --sig */
            if (cli_prec_option(opt, optarg, &a->prec) < 0)
                return CLI_EXIT_USAGE;
            break;
        case 's':
            if (cli_int(optarg, 1, LS_MAX_STEPS, &a->steps) != 0) {
                cli_error("--steps takes a whole number from 1 to %d, not '%s'", LS_MAX_STEPS, optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case 'S':
            if (cli_int(optarg, 1, NN_STAGES, &a->stage) != 0) {
                cli_error("--stage takes a stage from 1 to 6, not '%s'", optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case 'K':
            if (cli_int(optarg, 1, NN_MAX_BATCH, &a->sample) != 0) {
                cli_error("--sample takes a sample of the batch from 1, not '%s'", optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case 'h':
            printf("usage: nntrace trace [--format text|csv|markdown|latex|jsonl|dot|html] [--digits N]\n"
                   "                     [--sig N] [--steps N] [--stage S] [--sample K] [--set NAME=VALUE]... [-o FILE]\n"
                   "                     [--view steps|matrix] [LESSON]\n");
            return CLI_EXIT_OK;
        case 'V':
            if (strcmp(optarg, "steps") != 0 && strcmp(optarg, "matrix") != 0) {
                cli_error("--view is steps or matrix, not '%s'", optarg);
                return CLI_EXIT_USAGE;
            }
            a->view = optarg;
            break;
        case 'E':
            if (cli_sets_add(&a->sets, optarg) != 0)
                return CLI_EXIT_USAGE;
            break;
        default:
            return cli_bad_option(opt, argv);
        }
    }
    if (argc - optind > 1) {
        cli_error("trace takes one lesson, not '%s' as well (see nntrace --help)", argv[optind + 1]);
        return CLI_EXIT_USAGE;
    }
    if (a->output && !a->output[0]) {
        cli_error("-o needs a file name, not an empty one");
        return CLI_EXIT_USAGE;
    }
    return -1;
}

/* The writer the options name (the matrix view's for --view matrix, with
 * *matrix_page set for the web page's), or NULL with the error reported. */
static const tr_writer *trace_writer(const trace_args *a, int *matrix_page)
{
    const tr_writer *w = tr_writer_find(a->format);
    *matrix_page = 0;
    if (!w) {
        cli_error("unknown format '%s' (text, csv, markdown, latex, jsonl, dot or html)", a->format);
        return NULL;
    }
    if (strcmp(a->view, "matrix") != 0)
        return w;
    if (w == &tr_writer_html) {                 /* the web page, opened in its matrix view */
        *matrix_page = 1;
        return w;
    }
    if (w != &tr_writer_text && w != &tr_writer_markdown && w != &tr_writer_latex) {
        cli_error("--view matrix is written as text, markdown, latex or html, not %s", a->format);
        return NULL;
    }
    if (a->sample) {
        cli_error("--view matrix shows the whole batch: --sample does not apply");
        return NULL;
    }
    return w == &tr_writer_text ? &tr_matrix_text : w == &tr_writer_markdown ? &tr_matrix_markdown
                                                                             : &tr_matrix_latex;
}

int cli_trace(int argc, char **argv)
{
    trace_args a;
    int status = trace_options(argc, argv, &a), matrix_page;
    if (status >= 0)
        return status;
    const tr_writer *w = trace_writer(&a, &matrix_page);
    if (!w)
        return CLI_EXIT_USAGE;
    int load_status;
    ls_lesson *L = cli_lesson(optind < argc ? argv[optind] : NULL, &load_status);
    if (!L)
        return load_status;
    if (cli_sets_apply(L, &a.sets) != 0) {
        ls_free(L);
        return CLI_EXIT_USAGE;
    }
    if (a.sample > L->batch_size) {
        cli_error("--sample %d: the batch has %d sample%s (X1..X%d)", a.sample, L->batch_size,
                  L->batch_size == 1 ? "" : "s", L->batch_size);
        ls_free(L);
        return CLI_EXIT_USAGE;
    }

    char err[LS_ERR_SIZE] = "";
    tr_out out = { .opt = { .fp = stdout, .lesson = L, .digits = a.prec.digits, .sig = a.prec.sig, /* mutant: trace-sig-ignored */
                            .steps = a.steps ? a.steps : L->steps,
                            .only_stage = w == &tr_writer_dot ? 0 : a.stage, .only_sample = a.sample },
                   .dot = { .stage = a.stage ? a.stage : NN_STAGES },
                   .html = { .matrix_page = matrix_page } };
    cli_output o;
    status = cli_output_open(&o, a.output, L);
    if (status == CLI_EXIT_OK) {
        out.opt.fp = o.fp;
        int rc = tr_run(&out, w, err, sizeof err);
        status = cli_output_close(&o, rc, err);
    }
    ls_free(L);
    return status;
}
