/* server — a FIFO server with a fixed service rate: a PoP's request
 * handling or the origin.
 *
 * Requests are served one after another at capacity_rps; each also takes
 * `service` before its first byte leaves. A request that would queue longer
 * than max_wait is refused at once (a 503), so overload shows as rising
 * latency and counted failures, never as silently absorbed work.
 * Invariant: busy_until is when the server finishes the work it has taken. */
#ifndef CDNSIM_SERVER_H
#define CDNSIM_SERVER_H

#include <stdbool.h>
#include "models/scenario/scenario.h"

typedef struct server {
    simtime_t gap;         /* 1 / capacity_rps; 0 when unlimited */
    simtime_t service, max_wait;
    simtime_t busy_until;
    uint64_t refused;
} server_t;

static inline void server_init(server_t *s, const server_spec_t *spec)
{
    s->gap = spec->capacity_rps > 0 ? simtime_from_s(1.0 / spec->capacity_rps) : 0;
    s->service = spec->service;
    s->max_wait = spec->max_wait;
    s->busy_until = 0;
    s->refused = 0;
}

/* True when the server never queues: it can be skipped as a pure delay. */
static inline bool server_unlimited(const server_t *s) { return s->gap == 0; }

/* Takes a request arriving at `now`: false when refused; else *ready is when
 * its first byte leaves. */
static inline bool server_take(server_t *s, simtime_t now, simtime_t *ready)
{
    simtime_t start = s->busy_until > now ? s->busy_until : now;
    if (start - now > s->max_wait) { s->refused++; return false; }
    s->busy_until = start + s->gap;
    *ready = start + s->service;
    return true;
}

#endif
