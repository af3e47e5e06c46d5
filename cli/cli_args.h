/* cli_args — the options `run` and `validate` share, parsed once. */
#ifndef CDNSIM_CLI_ARGS_H
#define CDNSIM_CLI_ARGS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct run_args {
    const char *scenario;
    const char *out;        /* NULL: standard output */
    char **sets;            /* --set PATH=VALUE, in order */
    int nsets;
    bool have_seed, quiet, help;
    uint64_t seed;
    unsigned threads;       /* --threads N; 0: not given (the machine's cores) */
} run_args_t;

#define RUN_THREADS_MAX 1024

/* Parses argv (argv[0] is the subcommand). 0 ok; 2 usage error (printed). */
int run_args_parse(run_args_t *a, int argc, char **argv, bool allow_output);
void run_args_free(run_args_t *a);

#endif
