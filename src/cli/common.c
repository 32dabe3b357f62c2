/*
 * common.c - what every subcommand shares: the one-line error, option
 * values, --set, and finding the lesson named on the command line.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../text/text.h"

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *raw = len >= 0 ? malloc((size_t)len + 1) : NULL;
    char *safe = NULL;
    if (raw) {
        va_start(ap, fmt);
        vsnprintf(raw, (size_t)len + 1, fmt, ap);
        va_end(ap);
        safe = tx_sanitize_dup(raw);          /* the whole message, made safe */
    }
    /* out of memory: the format alone, which is the program's own text */
    fprintf(stderr, "nntrace: %s\n", safe ? safe : fmt);
    free(safe);
    free(raw);
}

int cli_bad_option(int opt, char **argv)
{
    if (opt == ':')
        cli_error("option '%s' needs a value (see nntrace --help)", argv[optind - 1]);
    else
        cli_error("unknown option '%s' (see nntrace --help)", argv[optind - 1]);
    return CLI_EXIT_USAGE;
}

int cli_int(const char *text, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (end == text || *end != '\0' || errno != 0 || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

int cli_digits(const char *text, int *digits)
{
    if (cli_int(text, 0, TR_MAX_DIGITS, digits) == 0)
        return 0;
    cli_error("--digits takes a whole number from 0 to %d, not '%s'", TR_MAX_DIGITS, text);
    return -1;
}

int cli_sig(const char *text, int *sig)
{
    if (cli_int(text, 1, TR_MAX_DIGITS, sig) == 0)
        return 0;
    cli_error("--sig takes a whole number from 1 to %d, not '%s'", TR_MAX_DIGITS, text);
    return -1;
}

int cli_prec_option(int opt, const char *arg, tr_prec *p)
{
    if (opt == 'd')
        return cli_digits(arg, &p->digits) == 0 ? 1 : -1;
    if (opt == 'g')
        return cli_sig(arg, &p->sig) == 0 ? 1 : -1;
    return 0;
}

int cli_sets_add(cli_sets *sets, const char *arg)
{
    if (sets->n == CLI_MAX_SETS) {
        cli_error("--set: at most %d of them", CLI_MAX_SETS);
        return CLI_EXIT_USAGE;
    }
    sets->arg[sets->n++] = arg;
    return 0;
}

int cli_sets_apply(ls_lesson *L, const cli_sets *sets)
{
    char err[LS_ERR_SIZE];
    for (int q = 0; q < sets->n; q++)
        if (ls_set(L, sets->arg[q], NULL, err, sizeof err) != 0) {
            cli_error("%s", err);
            return CLI_EXIT_USAGE;
        }
    return 0;
}

ls_lesson *cli_lesson(const char *name, int *status)
{
    char err[LS_ERR_SIZE];
    *status = CLI_EXIT_FAILED;
    if (!name) {
        ls_lesson *L = ls_seed();
        if (!L)
            cli_error("out of memory");
        return L;
    }
    /* the compiled-in folder, the one beside the binary (an install under
     * DESTDIR or moved elsewhere), then $NNTRACE_LESSONS or ./lessons */
    char exe[4096] = "", beside[4096] = "", next_to[4096] = "", above[4096] = "";
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash = len > 0 ? strrchr(exe, '/') : NULL;
    if (slash) {
        *slash = '\0';                                                     /* the binary's folder */
        snprintf(beside, sizeof beside, "%s/../share/nntrace/lessons", exe);  /* an install */
        snprintf(next_to, sizeof next_to, "%s/lessons", exe);   /* a build: ./nntrace beside ./lessons */
        snprintf(above, sizeof above, "%s/../lessons", exe);    /* a build folder: build-san/nntrace */
    }
    const char *env = getenv("NNTRACE_LESSONS");
    const char *dirs[] = { NNTRACE_LESSONS_DIR, beside[0] ? beside : "lessons",
                           next_to[0] ? next_to : "lessons", above[0] ? above : "lessons",
                           env && *env ? env : "lessons", NULL };
    errno = 0;
    ls_lesson *L = ls_open(name, dirs, err, sizeof err);
    if (!L) {
        cli_error("%s", err);
        /* bad input is 2; a machine without the memory for good input is 1 */
        *status = errno == ENOMEM ? CLI_EXIT_FAILED : CLI_EXIT_USAGE;
    }
    return L;
}
