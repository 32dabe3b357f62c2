/*
 * cmd_step.c - nntrace [--present | --quiz[=KINDS] | --play SECONDS]
 * [--tolerance X] [--at CODE] [--serve [ADDRESS:]PORT | --follow HOST[:PORT]]
 * [--digits N] [--sig N] [--theme dark|light|contrast] [--no-mouse]
 * [--set NAME=VALUE]... [LESSON]: the interactive stepper and its classroom
 * modes (docs/interface.tsv lists each option).
 */
#include "cli.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "../trace/trace.h"
#include "../tui/tui.h"

/* A word that is --serve's [ADDRESS:]PORT rather than a lesson: digits, or
 * anything without a '/' ending in ':' and digits. */
static int is_port_word(const char *w)
{
    size_t n = strlen(w), digits = 0;
    while (digits < n && w[n - 1 - digits] >= '0' && w[n - 1 - digits] <= '9')
        digits++;
    if (digits == 0)
        return 0;
    return digits == n || (w[n - 1 - digits] == ':' && !strchr(w, '/')); /* mutant: serve-port-then-lesson */
}

/* --quiz=KIND as the quiz's set of kinds; 0 for a word that is none. */
static unsigned quiz_kinds_of(const char *word)
{
    static const char *const kinds[QUIZ_KINDS] = { "forward", "loss", "backward", "update" };
    for (int k = 0; k < QUIZ_KINDS; k++)
        if (strcmp(word, kinds[k]) == 0)
            return 1u << k;
    return strcmp(word, "all") == 0 ? QUIZ_ALL : 0;
}

/* --theme NAME as a TUI_THEME_*; -1 for a word that is none. */
static int theme_of(const char *word)
{
    return strcmp(word, "dark") == 0 ? TUI_THEME_DARK : strcmp(word, "light") == 0 ? TUI_THEME_LIGHT
           : strcmp(word, "contrast") == 0 ? TUI_THEME_CONTRAST : -1;
}

/* What the command line asks of the stepper. */
typedef struct step_args {
    tui_options opt;          /* the stepper's options (report: the caller's) */
    cli_sets sets;            /* the --set edits, in order */
    const char *at_text;      /* --at CODE as given, or NULL */
} step_args;

/* Read the stepper's options into *a: -1 to go on, else the exit status
 * with the error reported. */
static int step_options(int argc, char **argv, step_args *a)
{
    static const struct option longopts[] = {
        { "present", no_argument, NULL, 'P' },
        { "quiz", optional_argument, NULL, 'Q' },
        { "tolerance", required_argument, NULL, 't' },
        { "at", required_argument, NULL, 'A' },
        { "serve", optional_argument, NULL, 'S' },
        { "follow", required_argument, NULL, 'F' },
        { "play", required_argument, NULL, 'y' },
        { "digits", required_argument, NULL, 'd' },
        { "sig", required_argument, NULL, 's' },
        { "theme", required_argument, NULL, 'T' },
        { "no-mouse", no_argument, NULL, 'M' },
        { "set", required_argument, NULL, 'E' },
        { NULL, 0, NULL, 0 },
    };
    tui_options *opt = &a->opt;
    cli_sets *sets = &a->sets;
    int c, present = 0, quiz = 0;
    double seconds;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":d:", longopts, NULL)) != -1) {
        switch (c) {
        case 'P': present = 1; break;
        case 'Q':
            quiz = 1;
            if (optarg && !(opt->quiz_kinds = quiz_kinds_of(optarg))) {
                cli_error("--quiz= takes forward, loss, backward, update or all, not '%s'", optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case 't':
            if (ls_parse_number(optarg, &opt->tolerance) != 0 || !(opt->tolerance > 0 && opt->tolerance < 1)) {
                cli_error("--tolerance takes a relative error between 0 and 1 (0.005: 3 significant "
                          "figures), not '%s'", optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case 'y':
            if (ls_parse_number(optarg, &seconds) != 0 || seconds < 0.05 || seconds > 3600) {
                cli_error("--play takes seconds between 0.05 and 3600, not '%s'", optarg);
                return CLI_EXIT_USAGE;
            }
            opt->play_ms = (int)(seconds * 1000 + 0.5);
            break;
        case 'd':
            if (cli_digits(optarg, &opt->digits) != 0)
                return CLI_EXIT_USAGE;
            break;
        case 's':
            if (cli_sig(optarg, &opt->sig) != 0)
                return CLI_EXIT_USAGE;
            break;
        case 'T':
            if ((opt->theme = theme_of(optarg)) < 0) {
                cli_error("--theme is dark, light or contrast, not '%s'", optarg);
                return CLI_EXIT_USAGE;
            }
            break;
        case 'M': opt->no_mouse = 1; break;
        case 'A': a->at_text = optarg; break;
        case 'S': opt->serve = optarg ? optarg : ""; break;
        case 'F': opt->follow = optarg; break;
        case 'E':
            if (cli_sets_add(sets, optarg) != 0)
                return CLI_EXIT_USAGE;
            break;
        default:
            return cli_bad_option(c, argv);
        }
    }
    /* --serve [ADDRESS:]PORT: the port as the next word (getopt binds an optional value only
     * after "="), before the lesson: "7341", "0.0.0.0:7341", "localhost:7341" */
    if (opt->serve && !opt->serve[0] && optind < argc && is_port_word(argv[optind]))
        opt->serve = argv[optind++];
    if (argc - optind > 1) {
        cli_error("unknown command '%s' (see nntrace --help)", argv[optind]);
        return CLI_EXIT_USAGE;
    }
    if (opt->serve && opt->follow) {
        cli_error("--serve and --follow do not go together: the teacher serves, the class follows");
        return CLI_EXIT_USAGE;
    }
    /* --quiz with --present: the presenter asks the quiz's questions of the room */
    opt->mode = present ? TUI_MODE_PRESENT : quiz ? TUI_MODE_QUIZ : TUI_MODE_STEP;
    opt->quiz_present = present && quiz;
    if (quiz && opt->play_ms) {
        cli_error("--quiz and --play do not go together");
        return CLI_EXIT_USAGE;
    }
    return -1;
}

int cli_step(int argc, char **argv)
{
    tui_quiz_report report;
    memset(&report, 0, sizeof report);
    step_args a = { .opt = { TR_DEFAULT_DIGITS, 0, TUI_MODE_STEP, 0, TUI_THEME_DARK, 0, QUIZ_ALL,
                             QUIZ_TOLERANCE, &report, 0, NULL, NULL, NULL } };
    int status = step_options(argc, argv, &a);
    if (status >= 0)
        return status;
    tui_options opt = a.opt;
    cli_sets sets = a.sets;
    const char *at_text = a.at_text;
    static tui_code at;
    char err[LS_ERR_SIZE] = "";
    if (at_text && tui_code_parse(at_text, &at, err, sizeof err) != 0) {
        cli_error("%s", err);
        return CLI_EXIT_USAGE;
    }
    /* the lesson named on the command line, else the code's (the built-in seed: "seed") */
    const char *name = optind < argc ? argv[optind] : at_text && strcmp(at.lesson, "seed") != 0 ? at.lesson : NULL;
    int load_status;
    ls_lesson *L = cli_lesson(name, &load_status);
    if (!L)
        return load_status;
    if (at_text) {
        if (tui_code_check(&at, tui_lesson_print(L), err, sizeof err) != 0) {
            cli_error("%s", err);
            ls_free(L);
            return CLI_EXIT_USAGE;
        }
        opt.at = &at;
    }
    if (cli_sets_apply(L, &sets) != 0) {
        ls_free(L);
        return CLI_EXIT_USAGE;
    }
    int right = 0, asked = 0;
    status = tui_run(L, &opt, err, sizeof err, &right, &asked);
    if (err[0])
        cli_error("%s", err);
    else if (opt.mode == TUI_MODE_QUIZ && status == 0) {
        printf("nntrace quiz: %d of %d answered right at the first try\n", right, asked);
        for (int k = 0; k < QUIZ_KINDS; k++) {
            if (!report.asked[k] && !report.skipped[k])
                continue;
            printf("  %-9s %d of %d", quiz_kind_name(k), report.right[k], report.asked[k]);
            if (report.retried[k])
                printf(", %d more at the second try", report.retried[k]);
            if (report.skipped[k])
                printf(", %d skipped", report.skipped[k]);
            printf("\n");
        }
        for (int m = 0; m < NN_MISTAKES; m++)
            if (report.mistakes[m])
                printf("  mistake: %s (%d)\n", quiz_mistake_name(m), report.mistakes[m]);
        if (report.other_sample)
            printf("  mistake: a value of another sample (%d)\n", report.other_sample);
    }
    ls_free(L);
    if (status > 128) {             /* stopped by a signal: die of it, as the shell expects */
        signal(status - 128, SIG_DFL);
        raise(status - 128);
    }
    return status;
}
