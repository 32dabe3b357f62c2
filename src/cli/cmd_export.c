/*
 * cmd_export.c - nntrace export: the lesson's traced steps as a numpy or
 * PyTorch script that checks itself against this trace (src/trace/export.c).
 */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../trace/trace.h"

int cli_export(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "format", required_argument, NULL, 'f' },
        { "steps", required_argument, NULL, 's' },
        { "digits", required_argument, NULL, 'd' },
        { "sig", required_argument, NULL, 'g' },
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *output = NULL;
    const tr_writer *w = &tr_export_numpy;
    int steps = 0, opt;
    tr_prec prec = { TR_DEFAULT_DIGITS, 0 };
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, ":f:s:d:g:o:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'f':
            if (strcmp(optarg, "numpy") == 0) {
                w = &tr_export_numpy;
            } else if (strcmp(optarg, "pytorch") == 0) {
                w = &tr_export_pytorch;
            } else {
                cli_error("export --format is numpy or pytorch, not '%s'", optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case 's':
            if (cli_int(optarg, 1, TR_EXPORT_MAX_STEPS, &steps) != 0) {
                cli_error("--steps takes a whole number from 1 to %d, not '%s'", TR_EXPORT_MAX_STEPS, optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case 'd': case 'g':                     /* --digits, --sig */
            if (cli_prec_option(opt, optarg, &prec) < 0)
                return CLI_EXIT_USAGE;
            break;
        case 'o': output = optarg; break;
        case 'h':
            printf("usage: nntrace export [--format numpy|pytorch] [--steps N] [--digits N] [--sig N]\n"
                   "                      [-o FILE.py] [LESSON]\n");
            return CLI_EXIT_OK;
        default:
            return cli_bad_option(opt, argv);
        }
    }
    if (argc - optind > 1) {
        cli_error("export takes one lesson, not '%s' as well (see nntrace --help)", argv[optind + 1]);
        return CLI_EXIT_USAGE;
    }
    if (output && !output[0]) {
        cli_error("-o needs a file name, not an empty one");
        return CLI_EXIT_USAGE;
    }
    int load_status;
    ls_lesson *L = cli_lesson(optind < argc ? argv[optind] : NULL, &load_status);
    if (!L)
        return load_status;
    if (!steps && L->steps > TR_EXPORT_MAX_STEPS) {   /* one limit, wherever the number comes from */ /* mutant: export-lesson-steps-unlimited */
        cli_error("%s: steps = %d, and an export script holds 1 to %d steps: give --steps N", L->path,
                  L->steps, TR_EXPORT_MAX_STEPS);
        ls_free(L);
        return CLI_EXIT_USAGE;
    }
    char err[LS_ERR_SIZE] = "";
    tr_out out = { .opt = { .fp = stdout, .lesson = L, .digits = prec.digits, .sig = prec.sig,
                             .steps = steps ? steps : L->steps } };
    cli_output o;
    int status = cli_output_open(&o, output, L);
    if (status == CLI_EXIT_OK) {
        out.opt.fp = o.fp;
        int rc = tr_run(&out, w, err, sizeof err);
        status = cli_output_close(&o, rc, err);
    }
    ls_free(L);
    return status;
}
