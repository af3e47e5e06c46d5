/* compare — regression comparison of two results for CI gates.
 *
 * Each input is a single run's result or a sweep's summary.json (told apart by
 * shape; a sweep output folder stands for its summary.json). Summaries are
 * compared point by point, points matched by their parameter values; both
 * must hold the same set of points. A watched metric regresses when the
 * candidate is worse than the baseline by more than its tolerance AND the
 * difference lies outside the two confidence intervals put together
 * (|delta| > ci95_baseline + ci95_candidate, i.e. the intervals do not
 * overlap); single runs have no intervals (0).
 *
 * Watched by default (CONTRACT.md): hit_ratio, a drop of more than 0.005
 * absolute; latency_ms.p99 and origin.requests, a rise of more than 5% of the
 * baseline. A tolerance names a metric (any flattened result field) and a
 * limit: "0.01" absolute in the metric's units, "5%" relative to the
 * baseline. Metrics whose name ends in hit_ratio or offload are better when
 * higher; every other metric is better when lower.
 *
 * Counts (requests, hits, bytes, errors, refused, statuses, tier bytes) are
 * compared as rates per second of measured time (duration_s - warmup_s;
 * events and requests_sent per second of the whole run) when both files say
 * how long they ran, so a 1500 s run and a 900 s run of the same system
 * agree; an absolute tolerance on a count is then per second. Differing
 * durations, workloads, configs (named key by key) and scenario names are
 * warned about, in the table and in the verdict, never judged. */
#ifndef CDNSIM_COMPARE_H
#define CDNSIM_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>

typedef struct compare_tol {
    char metric[128];
    double limit;        /* >= 0 */
    bool relative;       /* limit is a fraction of the baseline value */
} compare_tol_t;

typedef struct compare_opts {
    const compare_tol_t *tols;   /* overrides and additions to the defaults */
    int ntols;
    bool all;                    /* also list metrics that are not watched */
} compare_opts_t;

typedef struct compare_outcome {
    char *table;         /* the readable table of differences, owned */
    int compared;        /* watched metric comparisons made */
    int regressions;     /* worse beyond tolerance, outside the noise */
    int improvements;    /* better beyond tolerance, outside the noise */
    int noise;           /* worse beyond tolerance but inside the intervals */
    int nwarnings;       /* durations, workloads, configs or scenarios differ */
    cJSON *verdict;      /* {"verdict": "pass"|"fail", counts, "warnings": [..],
                            "comparisons": [{point, metric, unit, baseline,
                            candidate, *_ci95, delta, tolerance, verdict}]}, owned */
} compare_outcome_t;

/* Parses "METRIC=VALUE" (VALUE a non-negative number, or a percentage with %).
 * 0, or -1 with a message. */
int compare_parse_tolerance(const char *arg, compare_tol_t *out, char *err, size_t errlen);

/* Compares two result files. 0 and *out filled (regressions counted there);
 * -2 bad input (unreadable, not a result, unrelated files, a watched metric
 * missing): the message names the file and the JSON path; -1 out of memory. */
int compare_files(const char *baseline, const char *candidate, const compare_opts_t *o,
                  compare_outcome_t *out, char *err, size_t errlen);
void compare_outcome_free(compare_outcome_t *out);

/* The outcome as JUnit XML: one testsuite, one testcase per watched metric
 * and point (classname the point's parameters, or "run"), a <failure> for
 * each regression. Owned by the caller; NULL when out of memory. */
char *compare_junit(const compare_outcome_t *out);

#endif
