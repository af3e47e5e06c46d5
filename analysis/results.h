/* results — result documents as the analysis commands see them: a run's
 * result JSON or a sweep's summary.json, read from disk and viewed as a flat
 * list of numeric fields.
 *
 * Flattening walks objects depth first in document order and names each
 * number by its dotted path (latency_ms.p99, status.HIT, origin.requests).
 * Arrays (pops, time series) and fields that are not results of the model
 * (seed, wall-clock time, the sweep bookkeeping) are left out, so two runs of
 * the same scenario and seed flatten to identical lists. The order of a flat
 * list is the order of the document, which is deterministic. */
#ifndef CDNSIM_RESULTS_H
#define CDNSIM_RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>

typedef struct results_field {
    char *name;      /* dotted path, owned */
    double value;
} results_field_t;

typedef struct results_flat {
    results_field_t *f;
    size_t n, cap;
} results_flat_t;

/* Appends every numeric result field of `res` to out (which starts zeroed).
 * 0, or -1 when out of memory. */
int results_flatten(const cJSON *res, results_flat_t *out);
void results_flat_free(results_flat_t *fl);
/* The field's index, or -1. */
long results_flat_find(const results_flat_t *fl, const char *name);

/* A result key that is not a model output (wall clock, seed, bookkeeping). */
bool results_skipped_key(const char *key);

/* Shape tests: a run result has numeric "requests" and "hit_ratio"; a sweep
 * summary has an array "points" of objects with "parameters" and "metrics". */
bool results_is_run(const cJSON *j);
bool results_is_summary(const cJSON *j);
/* A `cdnsim catchments` report: "summary" with "not_nearest_share", "pops"
 * an array, and no "requests" (a run result holds catchments, not is one). */
bool results_is_catchments(const cJSON *j);

/* Reads a JSON document; a directory stands for its summary.json (a sweep's
 * output folder). *shown gets the file actually read (owned, for messages).
 * NULL with "file: message" in err when unreadable or malformed, and errno
 * ENOMEM when out of memory (a runtime failure, not bad input). */
cJSON *results_load(const char *path, char **shown, char *err, size_t errlen);

/* A number printed as the shortest of %.15g / %.16g / %.17g that reads back exactly,
 * so text outputs are deterministic and lossless. */
void results_format_number(char *buf, size_t len, double v);

#endif
