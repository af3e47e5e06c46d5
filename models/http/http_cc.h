/* http_cc — the Cache-Control response header as a shared cache (a CDN)
 * reads it (RFC 9111 section 5.2 and RFC 8246, RFC 5861).
 *
 * The header is a comma-separated list of directives, each a token with an
 * optional `=value` (a token or a quoted string); names are case-insensitive,
 * whitespace around elements is ignored, empty elements are allowed, unknown
 * directives (with or without values) are ignored as the RFC requires.
 * Numbers are delta-seconds: digits only, values beyond 2^31 read as 2^31.
 * The qualified forms `private="field"` and `no-cache="field"` only restrict
 * the named header fields, so they neither forbid storing nor force a
 * revalidation of the body; they are recorded but do not count as the bare
 * directives. A directive given twice keeps its first value.
 *
 * Malformed input (a bad number, an unterminated quote, junk after a value)
 * is reported with -1 and a message naming the directive; the struct is still
 * filled with a conservative reading: a bad max-age or s-maxage reads as 0
 * (stale, as RFC 9111 4.2.1 asks), a bad stale-* as absent. */
#ifndef CDNSIM_HTTP_CC_H
#define CDNSIM_HTTP_CC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_CC_ABSENT (-1)
#define HTTP_CC_DELTA_MAX 2147483648LL   /* 2^31: "infinity" for delta-seconds */

typedef struct http_cc {
    int64_t max_age;                 /* seconds; HTTP_CC_ABSENT */
    int64_t s_maxage;                /* seconds; HTTP_CC_ABSENT */
    int64_t stale_while_revalidate;  /* seconds; HTTP_CC_ABSENT */
    int64_t stale_if_error;          /* seconds; HTTP_CC_ABSENT */
    bool immutable;
    bool no_cache;                   /* bare: revalidate before every reuse */
    bool no_store;
    bool private_;                   /* bare: not for shared caches */
    bool public_;
    bool must_revalidate;            /* also set by proxy-revalidate (shared caches) */
    bool no_cache_fields, private_fields;   /* the qualified forms were present */
} http_cc_t;

/* Parses header (NULL or "" gives an empty set). 0 ok; -1 malformed, with
 * the reason in err and the conservative reading in *cc. */
int http_cc_parse(const char *header, http_cc_t *cc, char *err, size_t errlen);

/* Whether a shared cache may store the response: not no-store, not private. */
bool http_cc_storable(const http_cc_t *cc);

/* The freshness lifetime at a shared cache, in seconds: s-maxage wins over
 * max-age; bare no-cache gives 0 (stored, revalidated on every request);
 * neither present gives default_ttl_s (the scenario's content.ttl_s, or
 * HTTP_CC_ABSENT for "never expires"). -1 HTTP_CC_ABSENT when not storable
 * and no default. Not meaningful when !http_cc_storable. */
int64_t http_cc_cdn_ttl(const http_cc_t *cc, int64_t default_ttl_s);

/* Whether a stale copy may be served after expiry: while revalidating (within
 * stale-while-revalidate) or when the origin fails (within stale-if-error).
 * must-revalidate forbids both (RFC 9111 5.2.2.2), as does no-cache. */
bool http_cc_may_serve_stale(const http_cc_t *cc, int64_t stale_for_s, bool origin_failed);

/* The same, with the choice RFC 9111 5.2.2.10 leaves to deployments made
 * explicit: s-maxage "incorporates the semantics of proxy-revalidate", so a
 * shared cache that follows the letter (s_maxage_revalidates) serves no
 * stale copy of a response carrying s-maxage; CDN practice (false) honours
 * stale-while-revalidate and stale-if-error beside it. */
bool http_cc_shared_may_serve_stale(const http_cc_t *cc, int64_t stale_for_s, bool origin_failed,
                                    bool s_maxage_revalidates);

/* The date fields of a response besides Cache-Control, as differences from
 * its Date (the sim has one clock, so no skew): Expires - Date, and
 * Date - Last-Modified, each only when the field is present. */
typedef struct http_dates {
    bool has_expires;
    double expires_after_date_s;      /* <= 0: already expired (also an invalid Expires) */
    bool has_last_modified;
    double last_modified_age_s;       /* Date - Last-Modified, >= 0 */
    double heuristic_fraction;        /* of last_modified_age_s; RFC 9111 4.2.2 suggests 10% */
} http_dates_t;

/* The freshness lifetime at a shared cache in seconds, RFC 9111 4.2.1 in its
 * order: bare no-cache 0; s-maxage; max-age; Expires - Date (0 when not
 * after Date); else, with no explicit expiration at all, the heuristic
 * fraction x (Date - Last-Modified) of 4.2.2 (a 200 is heuristically
 * cacheable); else -1: no lifetime, the caller's default applies. */
double http_freshness_lifetime(const http_cc_t *cc, const http_dates_t *d);

/* RFC 9111 4.2.3's age calculation, in any one unit of time:
 *   apparent_age          = max(0, response_time - date_value)
 *   response_delay        = response_time - request_time
 *   corrected_age_value   = age_value + response_delay
 *   corrected_initial_age = max(apparent_age, corrected_age_value)
 * age_value is the response's Age header (0 from the origin); a date_value
 * not known (HTTP_NO_DATE) gives an apparent_age of 0. */
#define HTTP_NO_DATE INT64_MAX
int64_t http_initial_age(int64_t age_value, int64_t date_value, int64_t request_time,
                         int64_t response_time);

/* When a copy stops being fresh: current_age = initial_age + (now -
 * response_time) reaches the lifetime at response_time + lifetime -
 * initial_age. A lifetime of INT64_MAX never ends. */
static inline int64_t http_fresh_until(int64_t lifetime, int64_t initial_age, int64_t response_time)
{
    return lifetime == INT64_MAX ? INT64_MAX : response_time + lifetime - initial_age;
}

#endif
