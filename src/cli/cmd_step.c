/*
 * cmd_step.c - nntrace [LESSON]: the interactive stepper.  Until the
 * stepper is built, prints the text derivation.
 */
#include "cli.h"

#include <stdio.h>

#include "../trace/trace.h"

int cli_step(int argc, char **argv)
{
    if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
        cli_error("unknown command or option '%s' (see nntrace --help)", argv[argc > 2 ? 2 : 1]);
        return CLI_EXIT_USAGE;
    }
    ls_lesson *L = cli_lesson(argc == 2 ? argv[1] : NULL);
    if (!L)
        return CLI_EXIT_USAGE;
    char err[LS_ERR_SIZE];
    tr_out out = { .fp = stdout, .lesson = L, .digits = 6, .steps = L->steps };
    int rc = tr_run(&out, &tr_writer_text, err, sizeof err);
    if (rc != TR_OK)
        cli_error("%s", err);
    ls_free(L);
    return rc == TR_OK ? CLI_EXIT_OK : CLI_EXIT_FAILED;
}
