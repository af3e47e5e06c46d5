/* status — what a CDN says happened to a request, in CDN vocabulary.
 *
 * Hits are the requests answered from a cached copy without moving the body
 * from upstream: HIT, STALE (served past freshness while refreshing),
 * REVALIDATED (upstream said 304), and COLLAPSED (found the object's entry
 * while its fetch was in flight, a busy object in Varnish's terms, and got
 * its body when the fetch completed). */
#ifndef CDNSIM_STATUS_H
#define CDNSIM_STATUS_H

#include <stdbool.h>

typedef enum req_status {
    ST_HIT,
    ST_MISS,         /* not cached: fetched from upstream */
    ST_EXPIRED,      /* cached but stale, no validator: fetched again */
    ST_REVALIDATED,  /* stale, conditional request answered 304 */
    ST_STALE,        /* served stale (stale-while-revalidate / stale-if-error) */
    ST_BYPASS,       /* not cacheable (no-store, private, dynamic) */
    ST_COLLAPSED,    /* found the object busy: joined its in-flight fetch */
    ST_ERROR,        /* failed: overload (503) or upstream failure */
    ST_DENIED,       /* a signed URL whose signature failed: 403 at the edge */
    ST_COMPUTED,     /* answered by code at the edge (edge_compute), not a cached copy */
    ST_COUNT
} req_status_t;

extern const char *const status_names[ST_COUNT];

static inline bool status_is_hit(req_status_t s)
{
    return s == ST_HIT || s == ST_STALE || s == ST_REVALIDATED || s == ST_COLLAPSED;
}

#endif
