/*
 * output.c - a command's output: standard output, or -o FILE written to a
 * temporary beside FILE and renamed over it only when all of it was
 * written.  Every command that writes a file goes through here:
 *
 *     cli_output o;
 *     if ((status = cli_output_open(&o, path, L)) != 0)   // checked, opened
 *         { ls_free(L); return status; }
 *     rc = tr_run(... o.fp ...);                           // the writer
 *     status = cli_output_close(&o, rc, err);              // renamed, or removed
 *
 * One rule for what a failure says: a write that failed names where it
 * went (FILE, or "standard output"); any other failure is the writer's own
 * one-line message.
 */
#include "cli.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The temporary file to remove on a signal: this file's own state, written only
 * outside the handler. */
static char guarded_tmp[4096];

static void remove_tmp_and_die(int sig)
{
    if (guarded_tmp[0])
        unlink(guarded_tmp);
    signal(sig, SIG_DFL);
    raise(sig);
}

void cli_guard_tmp(const char *tmp_path)
{
    /* every signal whose default is to end the program and that can be caught */
    static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM,
                                SIGPIPE, SIGVTALRM, SIGPROF, SIGXCPU };
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = tmp_path ? remove_tmp_and_die : SIG_DFL;
    if (tmp_path)
        snprintf(guarded_tmp, sizeof guarded_tmp, "%s", tmp_path);
    for (size_t q = 0; q < sizeof sigs / sizeof sigs[0]; q++)
        sigaction(sigs[q], &sa, NULL);
    if (!tmp_path)
        guarded_tmp[0] = '\0';
}

int cli_output_open(cli_output *o, const char *path, const ls_lesson *L)
{
    char err[LS_ERR_SIZE];
    memset(o, 0, sizeof *o);
    o->path = path;
    o->fp = stdout;
    if (!path)
        return CLI_EXIT_OK;
    if (tr_output_check(path, L, err, sizeof err) != 0) {     /* before any work */
        cli_error("%s", err);
        return CLI_EXIT_USAGE;
    }
    if (tr_atomic_open(&o->file, path, err, sizeof err) != 0) {
        cli_error("%s", err);
        return CLI_EXIT_FAILED;
    }
    o->fp = o->file.fp;
    if (o->file.tmp_path)
        cli_guard_tmp(o->file.tmp_path);
    return CLI_EXIT_OK;
}

void cli_output_abort(cli_output *o)
{
    if (!o->path)
        return;
    tr_atomic_abort(&o->file);
    cli_guard_tmp(NULL);
    o->path = NULL;
}

int cli_output_close(cli_output *o, int rc, const char *err)
{
    if (rc == TR_OK && !o->path && (fflush(stdout) != 0 || ferror(stdout))) {
        rc = TR_EWRITE;
        err = "write failed";
    }
    if (rc != TR_OK) {
        if (rc == TR_EWRITE) /* mutant: write-failure-unnamed */ /* mutant: output-error-names-file */
            cli_error("%s: %s", o->path ? o->path : "standard output", err);
        else
            cli_error("%s", err);
        cli_output_abort(o); /* mutant: output-failure-kept */
        return rc == TR_EARG ? CLI_EXIT_USAGE : CLI_EXIT_FAILED;
    }
    if (!o->path)
        return CLI_EXIT_OK;
    char commit_err[LS_ERR_SIZE];
    int status = CLI_EXIT_OK;
    if (tr_atomic_commit(&o->file, commit_err, sizeof commit_err) != 0) {
        cli_error("%s", commit_err);
        status = CLI_EXIT_FAILED;
    }
    cli_guard_tmp(NULL);
    o->path = NULL;
    return status;
}
