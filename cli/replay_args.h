/* replay_args — the options `replay` and `mrc` share, parsed and checked
 * once: a bad list, size, rate or policy is a usage error (exit 2) before
 * any work, and an unwritable output is refused before the trace is read. */
#ifndef CDNSIM_REPLAY_ARGS_H
#define CDNSIM_REPLAY_ARGS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct replay_args {
    const char *trace;
    int format;              /* trace_format_t; oracleGeneral unless --format */
    char **policies;         /* --policy, split */
    int npolicies;
    uint64_t *sizes;         /* --size, split; each >= 1 */
    int nsizes;
    bool bytes, help;
    double sample;           /* --sample (or --rate), in (0, 1]; 1 when absent */
    bool have_sample;
    int threads;
    int points;              /* mrc's --points; 0 when absent */
    const char *out, *csv, *plot;
} replay_args_t;

/* want_sizes: --size is required (replay) or optional, with --points
 * allowed (mrc). 0 ok (or
 * --help printed: a->help), 2 usage error (printed). */
int replay_args_parse(replay_args_t *a, const char *cmd, const char *help, int argc, char **argv,
                      bool want_sizes);
void replay_args_free(replay_args_t *a);

#endif
