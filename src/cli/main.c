/*
 * main.c - nntrace: dispatch to the subcommands; the only place (with the
 * stepper) that decides to exit.
 *
 * Locale: nntrace never sets LC_NUMERIC, so numbers print and parse with
 * "." whatever the environment says; the stepper sets only LC_CTYPE.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../trace/trace.h"
#include "../text/text.h"
#include "../tui/keys.h"
#include "../tui/tui.h"

#define PORT_TEXT_(n) #n
#define PORT_TEXT(n) PORT_TEXT_(n)   /* TUI_FOLLOW_PORT as text, for the usage */

static const char usage[] =
    "usage: nntrace [LESSON]                 step through a lesson (default: the built-in seed)\n"
    "       nntrace --present [LESSON]       presenter mode: large, high contrast, for a projector\n"
    "       nntrace --play SECONDS [LESSON]  autoplay, one value every SECONDS (space pauses)\n"
    "       nntrace --at CODE [LESSON]       open the screen of a step code (top right: seed/1/5/3/MX)\n"
    "       nntrace --serve [PORT] [LESSON]  teacher: the class follows this screen (127.0.0.1:"
    PORT_TEXT(TUI_FOLLOW_PORT) ")\n"
    "       nntrace --follow HOST[:PORT] [LESSON]  student: follow the teacher; f follows again\n"
    "       nntrace --quiz[=KIND] [LESSON]   type each chosen value before it is revealed; KIND is\n"
    "                                        forward, loss, backward, update or all; --tolerance R\n"
    "           --digits N                   digits after the decimal point (default 6)\n"
    "           --sig N                      N significant digits instead (d switches)\n"
    "           --theme dark|light|contrast  colours (c switches); contrast has none\n"
    "           --no-mouse                   leave the mouse to the terminal\n"
    "           --set NAME=VALUE             change w5, eta, X1.x2 or X1.y1 first (repeatable)\n"
    "       nntrace trace [OPTIONS] [LESSON] print the full derivation\n"
    "           -f, --format FORMAT          text, csv, markdown, latex, jsonl, dot or html (default text)\n"
    "           -d, --digits N               digits after the decimal point, 0..17 (default 6)\n"
    "           --sig N                      N significant digits for every value instead\n"
    "           -s, --steps N                gradient-descent steps (default: the lesson's)\n"
    "           -o, --output FILE            write to FILE (atomically) instead of standard output\n"
    "           --set NAME=VALUE             change w5, eta, X1.x2 or X1.y1 first (repeatable)\n"
    "           -S, --stage S                stage S alone (dot: the values after stage S; default 6)\n"
    "           -K, --sample K               sample K alone, and the batch's values (dot: its neurons)\n"
    "           --view steps|matrix          matrix: each stage as Part 2's matrices (text, markdown, latex;\n"
    "                                        html: the page opens showing them)\n"
    "       nntrace train [OPTIONS] [LESSON] many epochs, tracing off: loss and accuracy per epoch\n"
    "           --epochs N (10)  --batch-size B (the lesson's)  --lr X (the lesson's)\n"
    "           --seed S (1)  --test-split F (0.2 from 50 rows)  --save-weights FILE  --verbose\n"
    "           (at most 21 epoch lines unless --verbose; up to 16 rows: every case at the end)\n"
    "       nntrace check [LESSON]           every dE_final/dw beside its central finite difference\n"
    "           --weights K  --seed S (1)    K weights drawn at random (a large network: evenly spaced)\n"
    "       nntrace worksheet [OPTIONS] [LESSON]  sheets to work by hand (LaTeX), with an answer key\n"
    "           --sheets N (1)  --seed S (1)  --blank STAGES (all; e.g. 2,4 or 1-3)  --digits N (4)\n"
    "           --sig N  -o FILE.tex\n"
    "       nntrace export [OPTIONS] [LESSON]  the traced steps as a script that checks itself\n"
    "           --format numpy|pytorch (numpy)  --steps N (the lesson's)  -o FILE.py\n"
    "           --digits N (6)  --sig N      how the script prints E_final\n"
    "       nntrace --help | --version | --lessons-dir | --keys (the stepper's keys)\n"
    "LESSON is a lesson file, or the name of an installed one (seed, xor, iris, digits, deep,\n"
    "mnist, mnist-ce, softmax),\n"
    "looked up in the installed lessons folder (--lessons-dir), then in\n"
    "../share/nntrace/lessons, lessons and ../lessons beside the binary, then in\n"
    "$NNTRACE_LESSONS or ./lessons.\n"
    "Exit status: 0 success, 1 a run that failed, 2 bad usage or bad input.\n";

static int is_command(const char *word)
{
    return strcmp(word, "trace") == 0 || strcmp(word, "train") == 0 || strcmp(word, "check") == 0 ||
           strcmp(word, "worksheet") == 0 || strcmp(word, "export") == 0;
}

static int dispatch(int argc, char **argv)
{
    /* options before the subcommand ("nntrace --digits 3 trace") are its
     * options: the subcommand moves to the front */
    if (argc >= 3 && argv[1][0] == '-') { /* mutant: options-before-command-ignored */
        int at = 0;
        for (int q = 2; q < argc && !at; q++)
            if (is_command(argv[q]) && argv[q - 1][0] == '-')
                at = q;                       /* after an option, or an option's value before it */
        for (int q = 2; q < argc && !at; q++)
            if (is_command(argv[q]) && q >= 3 && argv[q - 2][0] == '-')
                at = q;
        if (at) {
            char *cmd = argv[at];
            memmove(argv + 2, argv + 1, (size_t)(at - 1) * sizeof *argv);
            argv[1] = cmd;
        }
    }
    if (argc >= 2) {
        const char *cmd = argv[1];
        if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
            fputs(usage, stdout);
            return CLI_EXIT_OK;
        }
        if (strcmp(cmd, "--version") == 0) {
            printf("nntrace %s\n", NNTRACE_VERSION);
            return CLI_EXIT_OK;
        }
        if (strcmp(cmd, "--keys") == 0) {       /* the stepper's keys, from its one table */
            tui_keys_print(stdout);
            return CLI_EXIT_OK;
        }
        if (strcmp(cmd, "--lessons-dir") == 0) {
            printf("%s\n", NNTRACE_LESSONS_DIR);
            return CLI_EXIT_OK;
        }
        if (strcmp(cmd, "trace") == 0)
            return cli_trace(argc - 1, argv + 1);
        if (strcmp(cmd, "train") == 0)
            return cli_train(argc - 1, argv + 1);
        if (strcmp(cmd, "check") == 0)
            return cli_check(argc - 1, argv + 1);
        if (strcmp(cmd, "worksheet") == 0)
            return cli_worksheet(argc - 1, argv + 1);
        if (strcmp(cmd, "export") == 0)
            return cli_export(argc - 1, argv + 1);
    }
    return cli_step(argc, argv);
}

int main(int argc, char **argv)
{
    /* past a file-size limit a write fails (EFBIG) and is reported, instead
     * of the signal ending the program with no word */
    signal(SIGXFSZ, SIG_IGN);
    /* OpenBLAS starts its worker threads as it loads (one per core unless
     * this says otherwise), and they spin waiting for work the training path
     * never gives them (it runs on one thread): a sixth of a short train
     * run's CPU time.  A user's own setting is kept. */
    setenv("OPENBLAS_NUM_THREADS", "1", 0);
    int status = dispatch(argc, argv);
    /* every command: what it printed must have reached standard output */
    errno = 0;
    int failed = fflush(stdout) != 0 || ferror(stdout);
    int saved = errno;
    if (fclose(stdout) != 0 && !failed) {
        failed = 1;
        saved = errno;
    }
    if (failed && status == CLI_EXIT_OK) {   /* not when an error was reported already */
        cli_error("standard output: write failed: %s", strerror(saved ? saved : EIO));
        status = CLI_EXIT_FAILED;
    }
    return status;
}
