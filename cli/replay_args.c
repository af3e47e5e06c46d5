/* replay_args — parsing `replay` and `mrc` options; see replay_args.h. */
#include "cli/replay_args.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "models/cache/cache.h"
#include "models/workload/trace.h"
#include "sim/output.h"

static bool known_policy(const char *p)
{
    for (const char *const *n = cache_policy_names(); *n; n++)
        if (!strcmp(*n, p)) return true;
    return false;
}

static int fail(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(const char *cmd, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cli_error(cmd, msg);
    return 2;
}

/* Splits a comma-separated list into fresh strings; an empty element is an error. */
static int split(const char *cmd, const char *opt, const char *v, char ***out, int *n)
{
    if (!*v) return fail(cmd, "%s: an empty list%s", opt, "");
    int k = 1;
    for (const char *p = v; *p; p++) k += *p == ',';
    char **items = calloc((size_t)k, sizeof *items);
    if (!items) return fail(cmd, "%s%s: out of memory", opt, "");
    int st = 0, got = 0;
    for (const char *p = v;;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == 0) { st = fail(cmd, "%s: an empty element in the list '%s'", opt, v); break; }
        items[got] = strndup(p, len);
        if (!items[got]) { st = fail(cmd, "%s%s: out of memory", opt, ""); break; }
        got++;
        if (!e) break;
        p = e + 1;
    }
    if (st) { /* nothing half-made is handed back */
        for (int i = 0; i < got; i++) free(items[i]);
        free(items);
        return st;
    }
    *out = items;
    *n = got;
    return 0;
}

int replay_args_parse(replay_args_t *a, const char *cmd, const char *help, int argc, char **argv,
                      bool want_sizes)
{
    memset(a, 0, sizeof *a);
    a->format = TRACE_ORACLE_GENERAL;
    a->sample = 1;
    a->threads = 1;
    const char *policy = NULL, *size = NULL;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) { fputs(help, stdout); a->help = true; return 0; }
        if (!strcmp(o, "--bytes")) { a->bytes = true; continue; }
        if (o[0] != '-' || !o[1]) {
            if (a->trace) return fail(cmd, "%s: one trace only, got a second '%s'", "TRACE", o);
            a->trace = o;
            continue;
        }
        static const char *const opts[] = { "--format", "--policy", "--size", "--sample",
                                            "--threads", "--out", "--csv", "--plot",
                                            "--rate", "--points", NULL };
        int k = 0;
        while (opts[k] && strcmp(opts[k], o)) k++;
        if (!opts[k]) return fail(cmd, "%s '%s' (see --help)", "unknown argument", o);
        if (i + 1 >= argc) return fail(cmd, "%s needs a value%s", o, "");
        const char *v = argv[++i];
        char *e;
        switch (k) {
        case 0:
            a->format = trace_format_parse(v);
            if (a->format < 0) return fail(cmd, "%s: expected csv, webcachesim or oracleGeneral, got '%s'", o, v);
            break;
        case 1: policy = v; break;
        case 2: size = v; break;
        case 8:   /* mrc's name for --sample */
        case 3:
            a->sample = strtod(v, &e);
            if (!*v || *e || !(a->sample > 0 && a->sample <= 1))
                return fail(cmd, "%s: expected a sampling rate in (0, 1], got '%s'", o, v);
            a->have_sample = true;
            break;
        case 4: {
            long t = strtol(v, &e, 10);
            if (!*v || *e || t < 1 || t > 1024) return fail(cmd, "%s: expected 1 to 1024 threads, got '%s'", o, v);
            a->threads = (int)t;
            break;
        }
        case 5: a->out = v; break;
        case 6: a->csv = v; break;
        case 7: a->plot = v; break;
        case 9: {
            if (want_sizes) return fail(cmd, "%s: not an option of this command (use --size)%s", o, "");
            long pts = strtol(v, &e, 10);
            if (!*v || *e || pts < 1 || pts > 100000) return fail(cmd, "%s: expected 1 to 100000 points, got '%s'", o, v);
            a->points = (int)pts;
            break;
        }
        }
    }
    if (!a->trace) return fail(cmd, "%s%s: no trace given (see --help)", "TRACE", "");
    if (!policy) return fail(cmd, "%s%s: no policy given", "--policy", "");
    if (split(cmd, "--policy", policy, &a->policies, &a->npolicies) != 0) return 2;
    for (int i = 0; i < a->npolicies; i++)
        if (!known_policy(a->policies[i])) return fail(cmd, "%s: unknown cache policy '%s'", "--policy", a->policies[i]);
    if (want_sizes && !size) return fail(cmd, "%s%s: no size given", "--size", "");
    if (size) {
        char **items;
        int n;
        if (split(cmd, "--size", size, &items, &n) != 0) return 2;
        a->sizes = calloc((size_t)n, sizeof *a->sizes);
        int bad = !a->sizes;
        for (int i = 0; i < n; i++) {
            char *e;
            unsigned long long v = strtoull(items[i], &e, 10);
            if (!bad && (*e || items[i][0] == '-' || v == 0 || v > (1ULL << 62))) {
                fail(cmd, "%s: expected a positive integer size, got '%s'", "--size", items[i]);
                bad = 1;
            }
            if (!bad) a->sizes[i] = v;
            free(items[i]);
        }
        free(items);
        if (bad) return 2;
        a->nsizes = n;
    }
    char err[512];
    const char *outs[] = { a->out, a->csv, a->plot };
    for (int i = 0; i < 3; i++)
        if (outs[i] && !output_writable(outs[i], err, sizeof err)) {
            cli_error(cmd, err);
            return 2;
        }
    return 0;
}

void replay_args_free(replay_args_t *a)
{
    for (int i = 0; i < a->npolicies; i++) free(a->policies[i]);
    free(a->policies);
    free(a->sizes);
    memset(a, 0, sizeof *a);
}
