/*
 * cli.h - the nntrace command line: main dispatches to one function per
 * subcommand; each returns the exit status (0 ok, 1 run failed, 2 bad usage
 * or input).
 */
#ifndef CLI_H
#define CLI_H

#include <stdio.h>

#include "../lesson/lesson.h"
#include "../trace/trace.h"

#ifndef NNTRACE_VERSION
#define NNTRACE_VERSION "0.1.0"
#endif
#ifndef NNTRACE_LESSONS_DIR                   /* build/config.h sets the installed one */
#define NNTRACE_LESSONS_DIR "/usr/local/share/nntrace/lessons"
#endif

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
/* --digits N (0..TR_MAX_DIGITS) and --sig N (1..TR_MAX_DIGITS) for every
 * command that has them: 0, or -1 with the error said. */
int cli_digits(const char *text, int *digits);
int cli_sig(const char *text, int *sig);
/* getopt's 'd' (--digits) or 'g' (--sig) into *p: 1 taken, 0 another
 * option, -1 a bad value (said). */
int cli_prec_option(int opt, const char *arg, tr_prec *p);

/* While a temporary output file exists, SIGINT, SIGTERM and SIGHUP remove it
 * before the program dies of the signal: the target keeps its old content.
 * NULL stops guarding. */
void cli_guard_tmp(const char *tmp_path);

/* The lesson named on the command line (NULL: the built-in seed). NULL on
 * error, already reported, with the exit status in *status: 2 for bad
 * input, 1 when memory ran out. */
ls_lesson *cli_lesson(const char *name, int *status);

/* A command's output (output.c): standard output, or FILE written whole or
 * not at all. */
typedef struct cli_output {
    const char *path;       /* -o FILE as given; NULL: standard output */
    tr_atomic file;         /* FILE's temporary while it is written */
    FILE *fp;               /* where the command writes: the temporary, or stdout */
} cli_output;
/* Check PATH (NULL: standard output) may be written for lesson L (never
 * one of its inputs), then open its temporary and guard it against signals.
 * 0, or the exit status with the reason reported (L is the caller's to free). */
int cli_output_open(cli_output *o, const char *path, const ls_lesson *L);
/* After the writer returned RC (a TR_ code) with message ERR: the file
 * renamed into place, or on failure removed and the failure reported (a
 * write failure names the file).  Returns the exit status. */
int cli_output_close(cli_output *o, int rc, const char *err);
/* Remove the temporary, saying nothing: the failure was reported already. */
void cli_output_abort(cli_output *o);

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
