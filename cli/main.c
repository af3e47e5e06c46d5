/* cdnsim — composition root: picks the subcommand and hands over. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"

typedef struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} command_t;

static const command_t commands[] = {
    { "run", cmd_run, "simulate a scenario and write its result JSON" },
    { "validate", cmd_validate, "check a scenario without running it" },
    { "routes", cmd_routes, "compute every AS's BGP route to an anycast prefix" },
    { "topogen", cmd_topogen, "generate an Internet-like AS graph (as-rel format)" },
    { "tracegen", cmd_tracegen, "write a synthetic Zipf request trace in any trace format" },
    { "catchments", cmd_catchments, "each client group's anycast vs nearest PoP and the RTT it costs" },
    { "sweep", cmd_sweep, "run a parameter sweep with replications in parallel; summarise" },
    { "compare", cmd_compare, "compare two results or sweeps; exit 1 on a regression (CI gate)" },
    { "plot", cmd_plot, "plot a result or a sweep with gnuplot (png or svg)" },
    { "replay", cmd_replay, "replay a trace through caches alone: miss ratios per policy and size" },
    { "mrc", cmd_mrc, "miss-ratio curves of a trace: exact LRU in one pass, SHARDS sampling" },
    { "report", cmd_report, "print a readable summary of a result or a sweep" },
    { "export", cmd_export, "results into a SQLite database or long-format CSV files" },
    { NULL, NULL, NULL },
};

static void usage(FILE *f)
{
    fprintf(f, "usage: cdnsim COMMAND [ARGS...]\n\n"
               "A discrete-event simulator of a global content delivery network.\n\n"
               "commands:\n");
    for (const command_t *c = commands; c->name; c++)
        fprintf(f, "  %-11s %s\n", c->name, c->summary);
    fprintf(f, "\n'cdnsim COMMAND --help' describes each command.\n"
               "Exit status: 0 success, 1 runtime failure, 2 bad input or usage.\n");
}

/* What a command printed is only out once standard output has taken it: a
 * full disk or a closed pipe shows at the last flush, and a command that
 * succeeded but whose output was lost is a runtime failure (1), never a 0
 * a script would trust. One check here covers every command. */
static int flushed(const char *name, int rc)
{
    errno = 0;
    if (fflush(stdout) == 0 && !ferror(stdout)) return rc;
    char msg[256];
    snprintf(msg, sizeof msg, "standard output: %s", errno ? strerror(errno) : "write error");
    cli_error(name, msg);
    return rc ? rc : 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) { usage(stderr); return 2; }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return flushed("help", 0);
    }
    for (const command_t *c = commands; c->name; c++)
        if (strcmp(c->name, argv[1]) == 0) return flushed(c->name, c->fn(argc - 1, argv + 1));
    fprintf(stderr, "cdnsim: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return 2;
}
