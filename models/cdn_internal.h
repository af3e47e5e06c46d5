/* cdn_internal — the CDN model's state, shared by its implementation files
 * (cdn.c builds and drives it, edge.c is a PoP's request path). Not for other
 * modules: they use cdn.h. */
#ifndef CDNSIM_CDN_INTERNAL_H
#define CDNSIM_CDN_INTERNAL_H

#include "models/cache/cache.h"
#include "models/cdn.h"
#include "models/metrics.h"
#include "models/workload.h"
#include "sim/u64map.h"

#define NO_ID UINT32_MAX

/* A client request in flight: only requests that must wait get one. */
typedef struct request {
    simtime_t sent;        /* at the client */
    uint64_t key;
    uint32_t size;
    uint32_t next;         /* next waiter on the same fetch, or free-list link */
    uint8_t status;        /* req_status_t */
    uint32_t pop;
} request_t;

/* An upstream fetch of one object by one PoP; the requests that wait on it. */
typedef struct fetch {
    uint64_t key;
    uint32_t size;
    uint32_t pop;
    uint32_t first, last;  /* waiting requests, in arrival order */
    uint32_t next_free;
} fetch_t;

typedef struct pop {
    char id[32];
    cache_t *cache;
    u64map_t inflight;     /* key -> fetch id */
    simtime_t client_half1, client_half2; /* client->PoP and PoP->client one-way */
    simtime_t upstream_rtt;
    tally_t tally;
} pop_t;

struct cdn {
    const scenario_t *sc;
    sim_t *sim;
    workload_t *workload;
    pop_t *pops;
    uint32_t npops;
    request_t *requests;   /* pool */
    uint32_t nrequests, requests_cap, requests_free;
    fetch_t *fetches;      /* pool */
    uint32_t nfetches, fetches_cap, fetches_free;
    request_spec_t next;   /* the next arrival, read ahead */
    bool have_next;
    uint64_t sent;         /* requests generated */
    simtime_t last_sent;
    simtime_t end;         /* no request is sent at or after this time */
    tally_t total;
    uint64_t origin_requests, origin_bytes;
    series_t series;
    int input_error;       /* a trace went bad mid-run */
    char err[512];
};

/* edge.c: a request reaches PoP p (now = its arrival at the PoP). */
void edge_request(cdn_t *c, uint32_t p, simtime_t sent, uint64_t key, uint32_t size,
                  int64_t next_access);

/* cdn.c: a request's first byte reaches the client at time `at`. */
void cdn_complete(cdn_t *c, uint32_t p, simtime_t sent, uint32_t size, req_status_t st,
                  simtime_t at);
void cdn_count_origin(cdn_t *c, simtime_t sent, uint32_t size);

#endif
