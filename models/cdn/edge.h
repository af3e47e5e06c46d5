/* edge — the tiered request path: a request at its PoP (HIT, MISS,
 * EXPIRED, COLLAPSED...), the fetch from a shield or the origin, and the
 * answer back to every waiter. See edge.c for the rules.
 * Uses only state.h below it; cdn.c drives it. */
#ifndef CDNSIM_CDN_EDGE_H
#define CDNSIM_CDN_EDGE_H

#include "models/cdn/state.h"

/* a client request (pool id) reaches its PoP now. */
void edge_arrival(cdn_t *c, uint32_t rid);
/* the same from a request's fields (r->next and r->kind unused); a
 * fresh hit needs no record. */
void edge_arrival_fields(cdn_t *c, const request_t *r);
/* in origin mode, a client request reaches the origin now. */
void edge_origin_direct(cdn_t *c, uint32_t rid);
/* After the build: which PoPs keep their fetches' completions instead of
 * scheduling them (pop_t.keeps_done). */
void edge_prepare(cdn_t *c);
/* After the run: every completion still kept runs (at its own time). */
void edge_settle_all(cdn_t *c);
/* The parallel world (domain.c): the origin's domain takes a fetch that
 * arrived now from another domain (false: refused; else *ready is when its
 * answer leaves), and the fetch's domain takes the answer when it arrives. */
bool edge_origin_take(cdn_t *c, simtime_t now, simtime_t *ready);
void edge_origin_reply(cdn_t *c, uint32_t fid, bool served);
/* Over a cut fill link: the shield's domain adopts another domain's fetch
 * f into its pool (NO_ID and the run fails when out of memory), meets it at
 * the shield on arrival (an event, arg the adopted fetch), and releases it
 * once answered (cdn_t.shield_reply); the fetch's own domain completes it
 * when the answer, its fields copied onto the fetch, arrives. */
uint32_t edge_fetch_adopt(cdn_t *c, const fetch_t *f);
void edge_shield_arrival(sim_t *s, void *ctx, uint64_t fid);
void edge_fetch_release(cdn_t *c, uint32_t fid);
void edge_shield_done(cdn_t *c, uint32_t fid);
uint32_t request_new(cdn_t *c);
void request_free(cdn_t *c, uint32_t id);

#endif
