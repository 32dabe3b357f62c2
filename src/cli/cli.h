/*
 * cli.h - the nntrace command line: main dispatches to one function per
 * subcommand; each returns the exit status (0 ok, 1 run failed, 2 bad usage
 * or input).
 */
#ifndef CLI_H
#define CLI_H

#include "../lesson/lesson.h"

#define CLI_EXIT_OK      0
#define CLI_EXIT_FAILED  1
#define CLI_EXIT_USAGE   2

int cli_trace(int argc, char **argv);
int cli_check(int argc, char **argv);
int cli_train(int argc, char **argv);
int cli_step(int argc, char **argv);
int cli_worksheet(int argc, char **argv);
int cli_export(int argc, char **argv);

/* One-line error on standard error: "nntrace: ..." (text made safe). */
void cli_error(const char *fmt, ...);

/* After getopt_long returned ':' or '?': say what was wrong; returns 2. */
int cli_bad_option(int opt, char **argv);

/* Parse a whole number in [lo, hi]; 0 on success. */
int cli_int(const char *text, int lo, int hi, int *out);

/* While a temporary output file exists, SIGINT, SIGTERM and SIGHUP remove it
 * before the program dies of the signal: the target keeps its old content.
 * NULL stops guarding. */
void cli_guard_tmp(const char *tmp_path);

/* The lesson named on the command line (NULL: the built-in seed). NULL on
 * error, already reported, with the exit status in *status: 2 for bad
 * input, 1 when memory ran out. */
ls_lesson *cli_lesson(const char *name, int *status);
/* 0 when OUTPUT (NULL: none) may be written for lesson L; else the reason is
 * reported (tr_output_check), L freed, and -1 returned: exit with status 2. */
int cli_output_ok(const char *output, ls_lesson *L);

/* The --set NAME=VALUE options of a command, in order. */
#define CLI_MAX_SETS 64
typedef struct cli_sets {
    const char *arg[CLI_MAX_SETS];   /* each NAME=VALUE as given */
    int n;                           /* how many */
} cli_sets;
/* Keep one --set; 0, or CLI_EXIT_USAGE (reported) past CLI_MAX_SETS. */
int cli_sets_add(cli_sets *sets, const char *arg);
/* Apply them to L (ls_set); 0, or CLI_EXIT_USAGE with the one-line error reported. */
int cli_sets_apply(ls_lesson *L, const cli_sets *sets);

#endif
