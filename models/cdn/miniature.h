/* miniature — what workload.sample changes around the request stream:
 * capacities scaled down before the run, counts scaled back after it.
 *
 * A miniature simulation (Waldspurger et al., USENIX ATC 2017) simulates
 * only the keys whose hash falls under the rate R (the workload draws them,
 * models/workload/). For the hit ratios of the miniature to estimate the full
 * run's, every cache holds the key share s of its capacity (objects and
 * bytes, every tier and PoP), and every server and flood works at the
 * request share q of its rate, so each sees the load of the full run times
 * q (and accepts waits 1/q as long: its queue is the full run's stretched
 * in time, so it refuses the same share). Invariant: with R = 1 (or no key) nothing here is called, and a run is
 * exactly what it was without sampling. */
#ifndef CDNSIM_CDN_MINIATURE_H
#define CDNSIM_CDN_MINIATURE_H

#include <cjson/cJSON.h>
#include "models/scenario/scenario.h"

/* A copy of sc with capacities times key_share (at least 1 where one was
 * set) and rates times request_share; NULL when out of memory. It shares
 * every pointer of sc but the shield levels, and is freed by
 * miniature_free. */
scenario_t *miniature_scenario(const scenario_t *sc, double key_share, double request_share);
void miniature_free(scenario_t *m);

/* The result o of a miniature scaled back to full-run estimates: request
 * counts, bytes and rates divided by request_share, what the caches hold
 * by key_share; ratios, latencies, catchments and the run's own cost
 * (events, requests_sent, memory, wall time) as simulated. Adds `sample`:
 * the rate, both shares, the factors and the miniature's own request and
 * origin counts, and `sample.adjusted`: the whole run's hit ratio, origin
 * requests, bytes and offload by SHARDS_adj. */
void miniature_results(cJSON *o, double rate, double key_share, double request_share);

#endif
