/* bench_cache — replay speed and memory of every cache policy.
 *
 * Generates a Zipf(0.8) trace over 10^6 objects with lognormal sizes (mean
 * 4 KiB, sigma 1) as oracleGeneral records in memory (5*10^6 requests), then
 * for each policy replays it through the trace reader into a cache of 10^5
 * objects: find, then touch on a hit or put on a miss, as the request path
 * does. Prints one line per policy:
 *
 *   policy=lru reqs_per_s=... hit_ratio=... byte_hit_ratio=... meta_B_per_obj=... peak_B_per_obj=...
 *
 * meta_B_per_obj is cache_memory() over the capacity (slab, index, policy
 * state: ghosts, heaps, sketches); peak_B_per_obj is the growth of the peak
 * resident set while the policy ran (Linux: VmHWM after resetting it through
 * /proc/self/clear_refs), minus the trace reader's buffers, over the capacity.
 * Each policy runs in its own child process so one policy's freed memory
 * does not hide the next one's peak.
 * Options: --requests N --objects N --capacity N --policy NAME --bytes B
 * (a byte capacity instead of an object one). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <malloc.h>
#include <sys/wait.h>
#include <unistd.h>

#include "models/cache/cache.h"
#include "models/workload/trace.h"
#include "models/workload/tracegen.h"
#include "sim/wallclock.h"

#define READER_BUFFERS (1u << 20) /* the reader's decoded window (trace.c) */

/* A "VmRSS:" or "VmHWM:" line of /proc/self/status, in bytes; 0 if absent. */
static long long status_bytes(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return 0;
    char line[256];
    long long kb = 0;
    size_t n = strlen(field);
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, field, n)) { kb = atoll(line + n); break; }
    fclose(f);
    return kb * 1024;
}

static void reset_peak(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (!f) return;
    fputs("5", f);
    fclose(f);
}

static int run_policy(const char *policy, const void *buf, size_t len, uint64_t cap_objs,
                      uint64_t cap_bytes)
{
    char err[512];
    reset_peak();
    long long base = status_bytes("VmRSS:");
    cache_config_t cfg = { .policy = policy, .capacity_objects = cap_objs,
                           .capacity_bytes = cap_bytes, .seed = 1, .stream = "bench.cache" };
    cache_t *c = cache_create(&cfg, err, sizeof err);
    trace_t *t = c ? trace_open_mem(buf, len, TRACE_ORACLE_GENERAL, "bench-trace", err, sizeof err)
                   : NULL;
    if (!t) {
        fprintf(stderr, "bench_cache: %s: %s\n", policy, err);
        cache_destroy(c);
        return 1;
    }
    uint64_t reqs = 0, hits = 0, bytes = 0, hit_bytes = 0;
    trace_req_t tr;
    int rc;
    double t0 = wallclock_s();
    while ((rc = trace_next(t, &tr, err, sizeof err)) == 1) {
        cache_req_t r = { .key = tr.key, .size = tr.size, .now = tr.time,
                          .next_access = tr.next_access };
        reqs++;
        bytes += tr.size;
        cache_entry_t *e = cache_find(c, r.key);
        if (e) {
            hits++;
            hit_bytes += tr.size;
            cache_touch(c, e, &r);
        } else {
            cache_put(c, &r, SIMTIME_MAX, 0);
        }
    }
    double dt = wallclock_s() - t0;
    if (rc < 0) {
        fprintf(stderr, "bench_cache: %s\n", err);
        return 1;
    }
    long long peak = status_bytes("VmHWM:") - base - READER_BUFFERS;
    if (getenv("BENCH_DEBUG")) fprintf(stderr, "base %lld hwm %lld rss %lld\n", base, status_bytes("VmHWM:"), status_bytes("VmRSS:"));
    uint64_t units = cap_objs ? cap_objs : cache_objects(c);
    printf("policy=%s reqs_per_s=%.0f hit_ratio=%.6f byte_hit_ratio=%.6f objects=%llu "
           "meta_B_per_obj=%.1f peak_B_per_obj=%.1f\n",
           policy, reqs / dt, (double)hits / reqs, (double)hit_bytes / bytes,
           (unsigned long long)cache_objects(c), (double)cache_memory(c) / units,
           peak > 0 ? (double)peak / units : 0.0);
    fflush(stdout);
    trace_close(t);
    cache_destroy(c);
    return 0;
}

int main(int argc, char **argv)
{
    tracegen_config_t cfg;
    tracegen_defaults(&cfg);
    cfg.objects = 1000000;
    cfg.requests = 5000000;
    cfg.alpha = 0.8;
    cfg.size_dist = TRACEGEN_SIZE_LOGNORMAL;
    cfg.size_mean = 4096;
    cfg.size_sigma = 1;
    cfg.format = TRACE_ORACLE_GENERAL;
    uint64_t cap = 100000, cap_bytes = 0;
    const char *only = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--requests")) cfg.requests = strtoull(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--objects")) cfg.objects = strtoull(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--capacity")) cap = strtoull(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--bytes")) cap_bytes = strtoull(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--policy")) only = argv[i + 1];
        else { fprintf(stderr, "bench_cache: unknown option %s\n", argv[i]); return 2; }
    }
    if (cap_bytes) cap = 0;
    char err[512];
    void *buf;
    size_t len;
    double t0 = wallclock_s();
    if (tracegen_write_mem(&cfg, &buf, &len, err, sizeof err) != 0) {
        fprintf(stderr, "bench_cache: %s\n", err);
        return 1;
    }
    printf("# trace: %llu requests, %llu objects, Zipf %.2f, oracleGeneral in memory (%zu B, "
           "generated in %.1f s); capacity %llu %s\n",
           (unsigned long long)cfg.requests, (unsigned long long)cfg.objects, cfg.alpha, len,
           wallclock_s() - t0, (unsigned long long)(cap_bytes ? cap_bytes : cap),
           cap_bytes ? "bytes" : "objects");
    fflush(stdout);
    /* hand the generator's freed memory back, so that a child's allocations
     * fault in fresh pages its peak RSS can see */
    malloc_trim(0);
    int failed = 0;
    for (const char *const *p = cache_policy_names(); *p; p++) {
        if (only && strcmp(only, *p)) continue;
        pid_t pid = fork();
        if (pid == 0) _exit(run_policy(*p, buf, len, cap, cap_bytes));
        int st = 1;
        if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) failed = 1;
    }
    free(buf);
    return failed;
}
