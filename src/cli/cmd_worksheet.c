/*
 * cmd_worksheet.c - nntrace worksheet: sheets for working backpropagation by
 * hand, with an answer key (tr_worksheets draws them).
 */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../trace/trace.h"

/* "2,4" or "1-3,6" or "all": a stage mask (bit s-1 for stage s); 0 on success. */
static int parse_stages(const char *text, unsigned *mask)
{
    *mask = 0;
    if (strcmp(text, "all") == 0) {
        *mask = (1u << NN_STAGES) - 1;
        return 0;
    }
    if (strcmp(text, "none") == 0)
        return 0;
    const char *p = text;
    while (*p) {
        if (*p < '1' || *p > '6')
            return -1;
        int lo = *p++ - '0', hi = lo;
        if (*p == '-') {
            p++;
            if (*p < '1' || *p > '6' || *p - '0' < lo)
                return -1;
            hi = *p++ - '0';
        }
        for (int s = lo; s <= hi; s++)
            *mask |= 1u << (s - 1);
        if (*p == ',')
            p++;
        else if (*p)
            return -1;
    }
    return *mask ? 0 : -1;
}

int cli_worksheet(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "sheets", required_argument, NULL, 'n' },
        { "seed", required_argument, NULL, 'r' },
        { "blank", required_argument, NULL, 'b' },
        { "digits", required_argument, NULL, 'd' },
        { "sig", required_argument, NULL, 'g' },
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *output = NULL;
    int sheets = 1, seed = 1, opt;
    tr_prec prec = { TR_SHEET_DIGITS, 0 };
    unsigned blank = (1u << NN_STAGES) - 1;
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, ":n:r:b:d:g:o:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'n':
            if (cli_int(optarg, 1, TR_SHEETS_MAX, &sheets) != 0) {
                cli_error("--sheets takes a whole number from 1 to %d, not '%s'", TR_SHEETS_MAX, optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case 'r':
            if (cli_int(optarg, 0, 2000000000, &seed) != 0) {
                cli_error("--seed takes a whole number from 0, not '%s'", optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case 'b':
            if (parse_stages(optarg, &blank) != 0) {
                cli_error("--blank takes stages 1 to 6 as '2,4', '1-3' or 'all', not '%s'", optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case 'd': case 'g':                     /* --digits, --sig */
            if (cli_prec_option(opt, optarg, &prec) < 0)
                return CLI_EXIT_USAGE;
            break;
        case 'o': output = optarg; break;
        case 'h':
            printf("usage: nntrace worksheet [--sheets N] [--seed S] [--blank STAGES] [--digits N]\n"
                   "                         [--sig N] [-o FILE.tex] [LESSON]\n");
            return CLI_EXIT_OK;
        default:
            return cli_bad_option(opt, argv);
        }
    }
    if (argc - optind > 1) {
        cli_error("worksheet takes one lesson, not '%s' as well (see nntrace --help)", argv[optind + 1]);
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
    char err[LS_ERR_SIZE] = "";
    cli_output o;
    int status = cli_output_open(&o, output, L);
    if (status == CLI_EXIT_OK) {
        int rc = tr_worksheets(o.fp, L, sheets, (unsigned long long)seed, blank, prec, err, sizeof err);
        status = cli_output_close(&o, rc, err);
    }
    ls_free(L);
    return status;
}
