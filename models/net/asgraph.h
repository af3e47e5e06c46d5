/* asgraph — an Autonomous System graph with business relationships.
 *
 * Nodes are ASes (or, for Topology Zoo files, the PoPs of one network); links
 * are provider-customer or peer, the two relationships of the public
 * AS-relationship data sets. A graph is built through an asg_builder_t (the
 * loaders and the generator all use one), which checks it whole before
 * handing it out: no self links, no duplicate or contradictory links, no
 * provider-customer cycle. A graph is immutable once built.
 *
 * Invariants everything downstream relies on:
 *   - node indices 0..n-1 are in ascending ASN order, so comparing indices is
 *     comparing ASNs (BGP's lowest-next-hop tie-break is an integer compare);
 *   - adjacency is compact (CSR): each node's providers, customers and peers
 *     are three consecutive runs of one array, each run in ascending index;
 *   - the provider->customer relation is acyclic (checked at build time).
 * asg_check() verifies all of them; tests call it.
 *
 * Formats read:
 *   as-rel   `a|b|-1` (a is a provider of b), `a|b|0` (peers), `#` comments,
 *            blank lines; fields after the third are ignored.
 *   GraphML  Topology Zoo style, read through igraph: node attributes
 *            `label`, `Latitude`, `Longitude` (optional), optional integer
 *            `asn` (else nodes are numbered 1..n in file order); edges are
 *            peer links unless they carry `relationship` = "provider-customer"
 *            (source is the provider), "customer-provider" or "peer"; an
 *            optional numeric `latency_ms` states a link's own latency.
 *            Parallel edges with the same relationship are merged.
 *   JSON     the project's own format, documented in docs/routes.md:
 *            {"nodes": [{"asn", "name", "lat", "lon"}],
 *             "links": [{"a", "b", "rel": "provider-customer"|"peer",
 *                        "latency_ms"}]}
 * Every loader returns NULL with a message naming the file and the line (or
 * edge, or JSON path) at fault in the caller's buffer; none prints or exits. */
#ifndef CDNSIM_ASGRAPH_H
#define CDNSIM_ASGRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <igraph.h>

#include "models/net/geo.h"
#include "sim/simtime.h"

typedef struct asg asg_t;
typedef struct asg_builder asg_builder_t;

/* Link relationships, numbered as in the as-rel format. */
enum { ASG_P2C = -1, ASG_P2P = 0 };

/* How the builder names the place of a link in its messages. */
typedef enum {
    ASG_LOC_LINE,    /* "file:12: ..." (as-rel) */
    ASG_LOC_EDGE,    /* "file: edge 12: ..." (GraphML, counted from 0) */
    ASG_LOC_JSON,    /* "file: $.links[12]: ..." */
} asg_loc_t;

/* ---- building ---------------------------------------------------------- */

/* name is the file named in messages; merge_duplicates turns identical
 * repeated links into one instead of an error. NULL when out of memory. */
asg_builder_t *asg_builder_create(const char *name, asg_loc_t loc, bool merge_duplicates);
void asg_builder_free(asg_builder_t *b);

/* Declares a node (links declare their endpoints implicitly). name may be
 * NULL; lat/lon NAN when unknown. Declaring an ASN twice is an error. */
int asg_builder_node(asg_builder_t *b, uint32_t asn, const char *name, double lat, double lon,
                     int where, char *err, size_t errlen);

/* Adds a link: rel ASG_P2C (a is the provider of b) or ASG_P2P. latency_ns
 * is the link's own one-way latency, or -1 to derive it from geography.
 * `where` is the line (edge, element) named in messages. A self link is
 * refused here; duplicates and cycles are found by asg_builder_finish. */
int asg_builder_link(asg_builder_t *b, uint32_t a, uint32_t bb, int rel, simtime_t latency_ns,
                     int where, char *err, size_t errlen);

/* When set, links may name only ASes declared with asg_builder_node. */
void asg_builder_require_nodes(asg_builder_t *b, bool on);

/* Checks and freezes the graph; the builder is freed either way. */
asg_t *asg_builder_finish(asg_builder_t *b, char *err, size_t errlen);

/* ---- loading ----------------------------------------------------------- */

asg_t *asg_load_asrel(const char *path, char *err, size_t errlen);
/* The same from text in memory; name is used in messages. */
asg_t *asg_parse_asrel(const char *text, size_t len, const char *name, char *err, size_t errlen);
asg_t *asg_load_graphml(const char *path, char *err, size_t errlen);
asg_t *asg_load_json(const char *path, char *err, size_t errlen);
/* Picks the loader by extension: .graphml, .json, anything else as-rel. */
asg_t *asg_load(const char *path, char *err, size_t errlen);

void asg_free(asg_t *g);

/* ---- reading ----------------------------------------------------------- */

int asg_node_count(const asg_t *g);
int asg_link_count(const asg_t *g);
uint32_t asg_asn(const asg_t *g, int v);
/* Index of an ASN, or -1 when absent (binary search). */
int asg_index(const asg_t *g, uint32_t asn);
/* The node's name, or NULL. */
const char *asg_name(const asg_t *g, int v);
/* The node's coordinates; false when the file gave none. */
bool asg_point(const asg_t *g, int v, geo_point_t *out);

/* Neighbour runs: *out points at `count` node indices, ascending. */
int asg_providers(const asg_t *g, int v, const int **out);
int asg_customers(const asg_t *g, int v, const int **out);
int asg_peers(const asg_t *g, int v, const int **out);

/* Link i (0..links-1) as given: a, b, rel, own latency (-1 if none). */
void asg_link(const asg_t *g, int i, int *a, int *b, int *rel, simtime_t *latency_ns);

/* The graph as an undirected igraph graph for igraph's algorithms
 * (components, degrees, paths): vertex i is node i, edge i is link i, and
 * rel_out (initialised by the caller, may be NULL) receives each edge's
 * relationship. 0, or -1 with igraph's reason in err. Free with
 * igraph_destroy. */
int asg_to_igraph(const asg_t *g, igraph_t *out, igraph_vector_int_t *rel_out, char *err,
                  size_t errlen);

/* Verifies the invariants above; 0 when they hold, else -1 with a message. */
int asg_check(const asg_t *g, char *err, size_t errlen);

#endif
