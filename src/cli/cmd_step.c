/*
 * cmd_step.c - nntrace [LESSON]: the interactive stepper.
 */
#include "cli.h"

#include <signal.h>

#include "../tui/tui.h"

int cli_step(int argc, char **argv)
{
    if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
        cli_error("unknown command or option '%s' (see nntrace --help)", argv[argc > 2 ? 2 : 1]);
        return CLI_EXIT_USAGE;
    }
    ls_lesson *L = cli_lesson(argc == 2 ? argv[1] : NULL);
    if (!L)
        return CLI_EXIT_USAGE;
    char err[LS_ERR_SIZE] = "";
    tui_options opt = { 6, 0 };
    int status = tui_run(L, &opt, err, sizeof err);
    if (err[0])
        cli_error("%s", err);
    ls_free(L);
    if (status > 128) {             /* stopped by a signal: die of it, as the shell expects */
        signal(status - 128, SIG_DFL);
        raise(status - 128);
    }
    return status;
}
