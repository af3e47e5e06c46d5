/* steady — is the run's hit ratio still moving at its end? A warning, not
 * an error: a run too short for its caches to fill reports a hit ratio
 * below the one the system settles at, and nothing else would say so.
 *
 * The rule (docs/experiments.md): take the time series' intervals that lie
 * wholly in the last third of the measured period (after warm-up); fit the
 * hit ratio against time by least squares (each interval one point); the
 * projected change over that window is slope x window length. Warn when it
 * exceeds STEADY_K standard errors of itself (the slope's standard error x
 * the window) and is larger than STEADY_MIN_CHANGE, compare's default
 * hit-ratio tolerance. With fewer than 4 such intervals nothing is judged. */
#ifndef CDNSIM_STEADY_H
#define CDNSIM_STEADY_H

#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>

#define STEADY_K 3.0
#define STEADY_MIN_CHANGE 0.005
#define STEADY_MIN_POINTS 4

typedef struct steady_fit {
    int n;               /* intervals in the window */
    double from_s, to_s; /* the window */
    double slope;        /* hit ratio per second */
    double se;           /* the slope's standard error */
    double change;       /* slope x window length */
} steady_fit_t;

/* Fits the last third of res's measured period; false when the result has
 * too few intervals there (or no time series). */
bool steady_fit(const cJSON *res, steady_fit_t *out);

/* Adds the steady-state warning (if any) to res's "warnings" array, which it
 * creates when absent; returns that array. */
cJSON *steady_check(cJSON *res);

#endif
