/* cdn — the CDN model assembled from a scenario: clients, PoPs, origin.
 *
 * A request is born at the client, crosses half the client RTT to its PoP,
 * is looked up there (HIT, MISS, EXPIRED, COLLAPSED...), on a miss waits one
 * origin round trip for the fetch (concurrent misses for one object share one
 * fetch), and its first byte reaches the client half a client RTT after the
 * PoP answers. Time to first byte is measured from that event chain.
 *
 * Requests sent before warmup_s fill the caches but are not counted; every
 * request sent before duration_s is completed before results are taken. */
#ifndef CDNSIM_CDN_H
#define CDNSIM_CDN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>
#include "models/scenario/scenario.h"
#include "sim/sim.h"

typedef struct cdn cdn_t;

/* 0 and *out set; -1 runtime failure; -2 bad input found while building (an
 * unreadable trace). The message is in err. */
int cdn_create(const scenario_t *sc, sim_t *sim, cdn_t **out, char *err, size_t errlen);
void cdn_destroy(cdn_t *c);

/* Runs the scenario to completion. 0 ok; -1 runtime failure (message in err);
 * -2 bad input discovered while running (a malformed trace record). */
int cdn_run(cdn_t *c, char *err, size_t errlen);

/* The result document (contract fields first); NULL when out of memory. */
cJSON *cdn_results(const cdn_t *c);

/* Progress: requests sent so far and the virtual time the run ends at
 * (SIMTIME_MAX when the trace decides). */
uint64_t cdn_requests_sent(const cdn_t *c);
simtime_t cdn_end_time(const cdn_t *c);

/* A single-PoP trace scenario whose timing only the trace decides runs
 * without the event queue (direct.h), with the same results; slow = true
 * forces the event-driven run (tests compare the two). cdn_ran_direct:
 * whether cdn_run took the direct loop. */
void cdn_set_slow_path(cdn_t *c, bool slow);
bool cdn_ran_direct(const cdn_t *c);

/* The parallel world (domain.h): the domains the run executes (scenario
 * only), and how many threads execute them (1 by default). Results do not
 * depend on the thread count. */
unsigned cdn_domains(const cdn_t *c);
void cdn_set_threads(cdn_t *c, unsigned n);
/* After a parallel run: CPU seconds of its busiest thread and of all its
 * threads (wall-clock figures, for messages only; 0 after a serial run). */
void cdn_thread_cpu(const cdn_t *c, double *busiest, double *all);

#endif
