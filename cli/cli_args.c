/* cli_args — option parsing for run and validate; see cli_args.h. */
#include "cli/cli_args.h"
#include "cli/commands.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage_error(const char *cmd, const char *msg, const char *arg)
{
    fprintf(stderr, "cdnsim %s: %s%s%s\n(see 'cdnsim %s --help')\n", cmd, msg, arg ? ": " : "",
            arg ? arg : "", cmd);
    return 2;
}

int run_args_parse(run_args_t *a, int argc, char **argv, bool allow_output)
{
    memset(a, 0, sizeof *a);
    const char *cmd = argv[0];
    a->sets = calloc((size_t)argc, sizeof *a->sets);
    if (!a->sets) return 2;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        bool has_value = i + 1 < argc;
        if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
            a->help = true;
        } else if (!strcmp(arg, "--seed")) {
            if (!has_value) return usage_error(cmd, "--seed needs a value", NULL);
            char *end;
            errno = 0;
            unsigned long long v = strtoull(argv[++i], &end, 10);
            if (errno || *end || !*argv[i] || argv[i][0] == '-' || v > (1ULL << 53))
                return usage_error(cmd, "--seed expects an integer from 0 to 2^53", argv[i]);
            a->seed = v;
            a->have_seed = true;
        } else if (!strcmp(arg, "--set")) {
            if (!has_value) return usage_error(cmd, "--set needs PATH=VALUE", NULL);
            a->sets[a->nsets++] = argv[++i];
        } else if (allow_output && (!strcmp(arg, "--out") || !strcmp(arg, "-o"))) {
            if (!has_value) return usage_error(cmd, "--out needs a file name", NULL);
            a->out = argv[++i];
        } else if (allow_output && !strcmp(arg, "--threads")) {
            if (!has_value) return usage_error(cmd, "--threads needs a value", NULL);
            char *end;
            errno = 0;
            unsigned long v = strtoul(argv[++i], &end, 10);
            if (errno || *end || !*argv[i] || argv[i][0] == '-' || v < 1 || v > RUN_THREADS_MAX)
                return usage_error(cmd, "--threads expects an integer from 1 to 1024", argv[i]);
            a->threads = (unsigned)v;
        } else if (allow_output && (!strcmp(arg, "--quiet") || !strcmp(arg, "-q"))) {
            a->quiet = true;
        } else if (arg[0] == '-' && arg[1]) {
            static const char *const with_out[] = { "--seed", "--set", "--out", "--quiet", "--threads",
                                                    "--help", NULL };
            static const char *const without[] = { "--seed", "--set", "--help", NULL };
            return cli_bad_option(cmd, arg, allow_output ? with_out : without);
        } else if (!a->scenario) {
            a->scenario = arg;
        } else {
            return usage_error(cmd, "more than one scenario given", arg);
        }
    }
    if (!a->help && !a->scenario) return usage_error(cmd, "no scenario file given", NULL);
    return 0;
}

void run_args_free(run_args_t *a) { free(a->sets); a->sets = NULL; }
