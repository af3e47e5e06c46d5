/* direct — a single-PoP trace run without the event queue.
 *
 * When one PoP with one client group replays a trace and nothing in the
 * scenario can make the order of events depend on anything but the trace
 * (direct_eligible says exactly what), every request reaches the PoP a fixed
 * one-way latency after it was sent, and every fetch comes back a fixed delay
 * after it started: fills complete in the order they were started. A FIFO of
 * pending fills merged with the trace by time then stands in for the event
 * queue and the edge's completion heap, and the run is the same request by
 * request: the same cache calls in the same order, the same tallies and
 * series (state_complete, state_count_origin), the same `events` count.
 *
 * Invariant: for an eligible scenario, cdn_results after direct_run is
 * byte-identical to cdn_results after the event-driven run (tests/
 * cli_direct.sh compares the two over every policy). */
#ifndef CDNSIM_DIRECT_H
#define CDNSIM_DIRECT_H

#include <stddef.h>
#include "models/cdn/state.h"

/* Whether c (built, not yet run) can run directly; when not, *why names the
 * first condition that fails (for messages), else NULL. */
bool direct_eligible(const cdn_t *c, const char **why);

/* Runs an eligible c to its end. 0 ok; -1 runtime failure; -2 a malformed
 * trace record (message in err), as cdn_run. */
int direct_run(cdn_t *c, char *err, size_t errlen);

#endif
