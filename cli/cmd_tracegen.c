/* cmd_tracegen — `cdnsim tracegen`: write a synthetic request trace (Zipf
 * popularity, fixed or lognormal sizes, Poisson arrivals) in any format the
 * trace reader takes, so tests, benchmarks and users make their own traces.
 * The file is written beside the target and renamed into place, so an
 * interrupted run never leaves a partial trace behind. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "models/workload/tracegen.h"
#include "sim/output.h"

static void usage(FILE *f)
{
    fprintf(f,
        "usage: cdnsim tracegen --objects N --requests M --alpha A\n"
        "                       [--size-dist fixed|lognormal] [--size-mean B] [--size-sigma S]\n"
        "                       [--rate R] --format csv|webcachesim|oracleGeneral [--zstd]\n"
        "                       [--seed N] --out FILE\n\n"
        "Writes M requests over N objects, object k drawn with probability\n"
        "proportional to 1/k^A (key k), arrivals a Poisson process of R requests a\n"
        "second (default 1000). Sizes are fixed at B bytes (default 1000) or\n"
        "lognormal with mean B and shape S (default 1), fixed per object.\n"
        "oracleGeneral records carry each request's next access; --zstd compresses.\n"
        "Same arguments and seed (default 1), same file.\n\n"
        "Exit status: 0 success, 1 runtime failure, 2 bad input or usage.\n");
}

static int parse_u64(const char *opt, const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
    char *e;
    unsigned long long v = strtoull(s, &e, 10);
    if (!*s || *e || s[0] == '-' || v < lo || v > hi) {
        fprintf(stderr, "cdnsim tracegen: %s: expected an integer in [%llu, %llu], got '%s'\n",
                opt, (unsigned long long)lo, (unsigned long long)hi, s);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_double(const char *opt, const char *s, double lo, double hi, double *out)
{
    char *e;
    double v = strtod(s, &e);
    if (!*s || *e || !(v >= lo && v <= hi)) {
        fprintf(stderr, "cdnsim tracegen: %s: expected a number in [%g, %g], got '%s'\n",
                opt, lo, hi, s);
        return -1;
    }
    *out = v;
    return 0;
}

int cmd_tracegen(int argc, char **argv)
{
    tracegen_config_t cfg;
    tracegen_defaults(&cfg);
    const char *out = NULL;
    bool have_objects = false, have_requests = false, have_alpha = false, have_format = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(stdout); return 0; }
        if (!strcmp(a, "--zstd")) { cfg.zstd = true; continue; }
        static const char *const opts[] = { "--objects", "--requests", "--alpha", "--size-dist",
                                            "--size-mean", "--size-sigma", "--rate", "--format",
                                            "--seed", "--out", NULL };
        int o = 0;
        while (opts[o] && strcmp(opts[o], a)) o++;
        if (!opts[o]) {
            fprintf(stderr, "cdnsim tracegen: unknown argument '%s'\n\n", a);
            usage(stderr);
            return 2;
        }
        if (i + 1 >= argc) { fprintf(stderr, "cdnsim tracegen: %s needs a value\n", a); return 2; }
        const char *v = argv[++i];
        int bad = 0;
        switch (o) {
        case 0: bad = parse_u64(a, v, 1, UINT32_MAX - 1ULL, &cfg.objects); have_objects = true; break;
        case 1: bad = parse_u64(a, v, 0, 1ULL << 40, &cfg.requests); have_requests = true; break;
        case 2: bad = parse_double(a, v, 0, 100, &cfg.alpha); have_alpha = true; break;
        case 3:
            if (!strcmp(v, "fixed")) cfg.size_dist = TRACEGEN_SIZE_FIXED;
            else if (!strcmp(v, "lognormal")) cfg.size_dist = TRACEGEN_SIZE_LOGNORMAL;
            else {
                fprintf(stderr, "cdnsim tracegen: --size-dist: expected fixed or lognormal, got '%s'\n", v);
                bad = -1;
            }
            break;
        case 4: bad = parse_double(a, v, 1, 4294967295.0, &cfg.size_mean); break;
        case 5: bad = parse_double(a, v, 0, 10, &cfg.size_sigma); break;
        case 6: bad = parse_double(a, v, 1e-9, 1e12, &cfg.rate); break;
        case 7: {
            int f = trace_format_parse(v);
            if (f < 0) {
                fprintf(stderr, "cdnsim tracegen: --format: expected csv, webcachesim or oracleGeneral, got '%s'\n", v);
                bad = -1;
            }
            cfg.format = (trace_format_t)f;
            have_format = true;
            break;
        }
        case 8: bad = parse_u64(a, v, 0, 1ULL << 53, &cfg.seed); break;
        default: out = v; break;
        }
        if (bad) return 2;
    }
    const char *missing = !have_objects ? "--objects" : !have_requests ? "--requests"
                        : !have_alpha ? "--alpha" : !have_format ? "--format" : !out ? "--out" : NULL;
    if (missing) {
        fprintf(stderr, "cdnsim tracegen: %s is required\n\n", missing);
        usage(stderr);
        return 2;
    }
    char err[1024];
    if (tracegen_validate(&cfg, err, sizeof err) != 0 || !output_writable(out, err, sizeof err)) {
        cli_error("tracegen", err);
        return 2;
    }
    char *tmp;
    FILE *f = output_begin(out, &tmp, err, sizeof err);
    if (!f) { cli_error("tracegen", err); return 1; }
    char werr[1024];
    int rc = tracegen_write(&cfg, f, werr, sizeof werr);
    if (rc != 0) snprintf(err, sizeof err, "%s: %s", out, werr);
    if (output_commit(f, tmp, out, rc == 0, werr, sizeof werr) != 0 && rc == 0) {
        snprintf(err, sizeof err, "%s", werr);
        rc = -1;
    }
    if (rc != 0) cli_error("tracegen", err);
    return rc == 0 ? 0 : 1;
}
