/* bgp — best routes to one anycast prefix over an AS graph, under the
 * Gao-Rexford business policy.
 *
 * Every AS ranks the routes its neighbours offer: one learned from a customer
 * over one from a peer over one from a provider; then the shorter AS path
 * (prepends counted); then the lower next-hop ASN. It exports its own and its
 * customers' routes to everyone, and peer and provider routes to its
 * customers only (valley-free). Under these rules BGP converges to a unique
 * stable state, computed here without simulating messages, in three passes
 * of O(V+E): customer routes climb the provider->customer DAG from the
 * origins in path-length order; peer routes take one peer hop from there;
 * provider routes descend to customers in path-length order. A route's next
 * hop is the neighbour it came from, and its path is the AS followed by that
 * neighbour's path, so no AS ever needs to store a path (bgp_path walks the
 * next hops). Loop prevention never has to reject anything: a route through
 * an AS would have given that AS a better class of route itself, which the
 * pass order already accounts for (proof sketch in bgp.c).
 *
 * Two kinds of origin announce the prefix:
 *   - ASes of the graph (bgp_announce), as `cdnsim routes --announce` does;
 *   - a CDN outside the graph: one ASN with many sites (PoPs), each site
 *     connected to chosen ASes of the graph as their customer (the CDN buys
 *     transit), peer (IXP) or provider. Each site can prepend its own
 *     announcements and can be withdrawn and announced again.
 * Where an AS hears equally good routes, the tie-break is the lowest next-hop
 * ASN (BGP_TIE_ASN, the contract's rule); BGP_TIE_HOT_POTATO instead prefers
 * the route whose site is nearest the AS's location (an AS picks the exit
 * its IGP finds closest), falling back to the lowest ASN. Several sessions
 * to the CDN from one AS always tie-break by distance to the site, as the
 * neighbour's IGP would.
 *
 * Invariant after bgp_compute: for every AS x with a route, either x is an
 * origin (next hop BGP_NONE, a path of one AS, len 1 + its prepends), or x
 * learned it over a CDN session (next hop BGP_CDN, len 2 + the site's
 * prepends), or x's next hop y has a route that y exports to x (valley-free),
 * len(x) = len(y) + 1, and x's class is what y is to x (customer, peer,
 * provider); and no offer x hears ranks above its route. bgp_check()
 * verifies this; tests call it. */
#ifndef CDNSIM_BGP_H
#define CDNSIM_BGP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/net/asgraph.h"
#include "models/net/geo.h"

typedef struct bgp bgp_t;

/* Where an AS learned its best route, best class first. */
typedef enum bgp_rel {
    BGP_REL_ORIGIN = 0,
    BGP_REL_CUSTOMER = 1,
    BGP_REL_PEER = 2,
    BGP_REL_PROVIDER = 3,
    BGP_REL_NONE = 4,     /* unreachable */
} bgp_rel_t;

typedef enum bgp_tie {
    BGP_TIE_ASN,          /* lowest next-hop ASN, then nearest site */
    BGP_TIE_HOT_POTATO,   /* nearest site, then lowest next-hop ASN */
} bgp_tie_t;

/* Next-hop and origin values that are not graph nodes. */
#define BGP_NONE (-1)     /* no next hop (an origin), no route */
#define BGP_CDN  (-2)     /* the CDN AS outside the graph */

typedef struct bgp_route {
    bgp_rel_t rel;
    int len;              /* AS-path length as BGP compares it, prepends counted */
    int next_hop;         /* node index, BGP_CDN, or BGP_NONE for an origin */
    int origin;           /* node index of the originating AS, or BGP_CDN */
    int site;             /* CDN site the route leads to, or -1 */
} bgp_route_t;

/* A calculator over g, which must outlive it. NULL when out of memory. */
bgp_t *bgp_create(const asg_t *g);
void bgp_free(bgp_t *b);

void bgp_set_tiebreak(bgp_t *b, bgp_tie_t tie);
/* An AS's location for hot-potato choices (default: the graph's coordinates). */
void bgp_set_point(bgp_t *b, int node, geo_point_t p);

/* Graph ASes originating the prefix. prepend >= 0 extra copies of the ASN on
 * what the origin announces. Announcing again changes the prepend. */
int bgp_announce(bgp_t *b, int node, int prepend, char *err, size_t errlen);
int bgp_withdraw(bgp_t *b, int node);
/* Withdraws every graph origin and every CDN site. */
void bgp_withdraw_all(bgp_t *b);

/* ---- the anycast CDN --------------------------------------------------- */

/* The CDN's ASN; it must not be a node of the graph. */
int bgp_cdn_asn(bgp_t *b, uint32_t asn, char *err, size_t errlen);
/* A new site (announced, no prepend); returns its id (0, 1, ...) or -1. */
int bgp_site_add(bgp_t *b, const char *name, geo_point_t where, char *err, size_t errlen);
/* Connects a site to graph AS `node`; `node_is` is what that AS is to the
 * CDN: BGP_REL_PROVIDER (transit the CDN buys), BGP_REL_PEER (IXP peering)
 * or BGP_REL_CUSTOMER. */
int bgp_site_connect(bgp_t *b, int site, int node, bgp_rel_t node_is, char *err, size_t errlen);
int bgp_site_prepend(bgp_t *b, int site, int prepend, char *err, size_t errlen);
int bgp_site_announce(bgp_t *b, int site, bool announced, char *err, size_t errlen);
int bgp_site_count(const bgp_t *b);
const char *bgp_site_name(const bgp_t *b, int site);

/* Where a client in AS `node` lands and what anycast costs it: the site its
 * BGP route leads to, the announced site nearest the AS's location (what
 * ideal geo mapping would pick), and the one-way fiber latency to each.
 * Needs bgp_compute first and a location for the AS; -1 when the AS has none
 * or no site is announced. anycast_site is -1 when the AS's route does not
 * lead to the CDN (unreachable, or a graph origin's route). */
typedef struct bgp_catchment {
    int anycast_site, nearest_site;
    simtime_t anycast_ns, nearest_ns;
} bgp_catchment_t;
int bgp_catchment(const bgp_t *b, int node, const geo_fiber_t *f, bgp_catchment_t *out);
geo_point_t bgp_site_point(const bgp_t *b, int site);

/* ---- computing and reading --------------------------------------------- */

/* Recomputes every AS's best route from the current origins. 0, or -1 when
 * out of memory (message in err). */
int bgp_compute(bgp_t *b, char *err, size_t errlen);

/* The best route of node v (rel BGP_REL_NONE when unreachable). */
bgp_route_t bgp_route(const bgp_t *b, int v);

/* The AS path of v's route as ASNs, v first, the origin last, without
 * prepends: writes up to max entries, returns the full length (0 when
 * unreachable). */
int bgp_path(const bgp_t *b, int v, uint32_t *out, int max);

/* The AS path of v's route as BGP compares it: bgp_path with the origin's
 * ASN (or the CDN's, for a site's route) repeated once per prepend, so the
 * length is the route's len. Writes up to max entries, returns the full
 * length (0 when unreachable). */
int bgp_as_path(const bgp_t *b, int v, uint32_t *out, int max);

/* The ASN of a next hop or origin value (BGP_CDN gives the CDN's ASN). */
uint32_t bgp_asn_of(const bgp_t *b, int node);

const char *bgp_rel_name(bgp_rel_t rel);

/* Checks the invariant above against the graph; 0 or -1 with a message. */
int bgp_check(const bgp_t *b, char *err, size_t errlen);

#endif
