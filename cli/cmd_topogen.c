/* cmd_topogen — `cdnsim topogen`: write a generated Internet-like AS graph.
 *
 * The graph goes out in the as-rel format `cdnsim routes` reads; --geo-out
 * adds each AS's tier, metro and coordinates as JSON, which is how client
 * metros and PoP sites are tied to ASes (docs/routes.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "models/net/topogen.h"
#include "sim/output.h"

static void usage(FILE *f)
{
    fprintf(f,
        "usage: cdnsim topogen --ases N [--links M] [--seed S] [--metros FILE]\n"
        "                      [--out FILE] [--geo-out FILE]\n\n"
        "Generates an Internet-like AS graph: a tier-1 clique, transit and regional\n"
        "providers, stubs, IXP peering, attachment that prefers the same continent,\n"
        "heavy-tailed degrees. No provider-customer cycles; same seed, same graph.\n\n"
        "  --ases N        number of ASes (4 .. 2000000; the Internet has about 78000)\n"
        "  --links M       target number of links (default about 6.4 per AS)\n"
        "  --seed S        random seed (default 1)\n"
        "  --metros FILE   metro list CSV (name,country,continent,lat,lon,weight),\n"
        "                  e.g. topologies/metros.csv; default a built-in list of hubs\n"
        "  --out FILE      as-rel output (default standard output)\n"
        "  --geo-out FILE  each AS's tier, metro and coordinates as JSON\n\n"
        "Exit status: 0 success, 1 runtime failure, 2 bad input or usage.\n");
}

/* Parses a whole non-negative decimal number into *out. */
static int parse_count(const char *opt, const char *s, long long lo, long long hi, long long *out)
{
    char *e;
    long long v = strtoll(s, &e, 10);
    if (!*s || *e || v < lo || v > hi) {
        fprintf(stderr, "cdnsim topogen: %s: expected an integer in [%lld, %lld], got '%s'\n",
                opt, lo, hi, s);
        return -1;
    }
    *out = v;
    return 0;
}

int cmd_topogen(int argc, char **argv)
{
    const char *out = NULL, *geo = NULL, *metros_path = NULL;
    long long ases = -1, links = 0, seed = 1;
    int rc = 2;
    topogen_metro_t *metros = NULL;
    topogen_t *t = NULL;
    char *text = NULL, err[1024];

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(stdout); return 0; }
        static const char *const opts[] = { "--ases", "--links", "--seed", "--metros", "--out",
                                            "--geo-out", NULL };
        int o = 0;
        while (opts[o] && strcmp(opts[o], a)) o++;
        if (!opts[o]) {
            fprintf(stderr, "cdnsim topogen: unknown argument '%s'\n\n", a);
            usage(stderr);
            goto done;
        }
        if (i + 1 >= argc) { fprintf(stderr, "cdnsim topogen: %s needs a value\n", a); goto done; }
        const char *v = argv[++i];
        switch (o) {
        case 0: if (parse_count(a, v, 4, 2000000, &ases)) goto done; break;
        case 1: if (parse_count(a, v, 1, 100000000, &links)) goto done; break;
        case 2: if (parse_count(a, v, 0, (1LL << 53), &seed)) goto done; break;
        case 3: metros_path = v; break;
        case 4: out = v; break;
        default: geo = v; break;
        }
    }
    if (ases < 0) {
        fprintf(stderr, "cdnsim topogen: --ases N is required\n\n");
        usage(stderr);
        goto done;
    }
    if (!output_writable(out, err, sizeof err) || !output_writable(geo, err, sizeof err)) {
        cli_error("topogen", err);
        goto done;
    }
    topogen_params_t p = { (int)ases, (long)links, (uint64_t)seed, NULL, 0 };
    if (metros_path) {
        int nm = topogen_load_metros(metros_path, &metros, err, sizeof err);
        if (nm < 0) { cli_error("topogen", err); goto done; }
        p.metros = metros;
        p.nmetros = nm;
    }
    t = topogen_generate(&p, err, sizeof err);
    if (!t) { cli_error("topogen", err); goto done; }
    rc = 1;
    text = topogen_asrel(t);
    if (!text) { fprintf(stderr, "cdnsim topogen: out of memory\n"); goto done; }
    if (output_write_atomic(out, text, err, sizeof err) != 0) {
        cli_error("topogen", err);
        goto done;
    }
    if (geo) {
        free(text);
        text = topogen_geo_json(t);
        if (!text) { fprintf(stderr, "cdnsim topogen: out of memory\n"); goto done; }
        if (output_write_atomic(geo, text, err, sizeof err) != 0) {
            cli_error("topogen", err);
            if (out && strcmp(out, "-") != 0) unlink(out); /* no half of a pair */
            goto done;
        }
    }
    rc = 0;
done:
    free(text);
    topogen_free(t);
    free(metros);
    return rc;
}
