/* http_cc — Cache-Control parsing; see http_cc.h.
 *
 * A single left-to-right scan: skip whitespace and commas, read a token,
 * optionally "=" and a token or quoted string, then require a comma or the
 * end. Invariant of the scan: `p` is always at the start of an element or at
 * a separator, never inside a value, so one bad element cannot hide the rest
 * (parsing continues after it and the first error is the one reported). */
#include "models/http/http_cc.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* RFC 9110 tchar */
static bool is_tchar(int c)
{
    return isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static bool is_ows(int c) { return c == ' ' || c == '\t'; }

/* Keeps the first problem: "Cache-Control: <directive>: <what>". */
static void note(char *err, size_t errlen, bool *failed, const char *what, const char *name,
                 size_t namelen)
{
    if (*failed) return;
    *failed = true;
    if (err && errlen) snprintf(err, errlen, "Cache-Control: %.*s: %s", (int)namelen, name, what);
}

/* delta-seconds from the value text; false when not 1*DIGIT. */
static bool parse_delta(const char *v, size_t n, int64_t *out)
{
    if (n == 0) return false;
    int64_t x = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)v[i])) return false;
        if (x < HTTP_CC_DELTA_MAX) x = x * 10 + (v[i] - '0');
    }
    *out = x > HTTP_CC_DELTA_MAX ? HTTP_CC_DELTA_MAX : x;
    return true;
}

static bool named(const char *s, size_t n, const char *name)
{
    return strlen(name) == n && strncasecmp(s, name, n) == 0;
}

int http_cc_parse(const char *header, http_cc_t *cc, char *err, size_t errlen)
{
    *cc = (http_cc_t){ .max_age = HTTP_CC_ABSENT, .s_maxage = HTTP_CC_ABSENT,
                       .stale_while_revalidate = HTTP_CC_ABSENT,
                       .stale_if_error = HTTP_CC_ABSENT };
    bool failed = false;
    if (err && errlen) err[0] = '\0';
    const char *p = header ? header : "";
    char value[64];
    for (;;) {
        while (is_ows(*p) || *p == ',') p++;
        if (!*p) break;
        const char *name = p;
        while (is_tchar((unsigned char)*p)) p++;
        size_t nlen = (size_t)(p - name);
        if (nlen == 0) {
            note(err, errlen, &failed, "not a directive name", p, strcspn(p, ","));
            p += strcspn(p, ",");
            continue;
        }
        while (is_ows(*p)) p++;
        bool has_value = false, quoted = false, bad = false;
        size_t vlen = 0;
        if (*p == '=') {
            has_value = true;
            p++;
            while (is_ows(*p)) p++;
            if (*p == '"') {
                quoted = true;
                p++;
                while (*p && *p != '"') {
                    if (*p == '\\' && p[1]) p++;
                    if (vlen < sizeof value - 1) value[vlen++] = *p;
                    p++;
                }
                if (*p != '"') {
                    note(err, errlen, &failed, "unterminated quoted string", name, nlen);
                    break;
                }
                p++;
            } else {
                while (is_tchar((unsigned char)*p)) {
                    if (vlen < sizeof value - 1) value[vlen++] = *p;
                    p++;
                }
            }
            while (is_ows(*p)) p++;
        }
        if (*p && *p != ',') {
            note(err, errlen, &failed, "unexpected text after the directive", name, nlen);
            p += strcspn(p, ",");
            bad = true;
        }
        value[vlen] = '\0';
        int64_t *delta = named(name, nlen, "max-age") ? &cc->max_age
                       : named(name, nlen, "s-maxage") ? &cc->s_maxage
                       : named(name, nlen, "stale-while-revalidate") ? &cc->stale_while_revalidate
                       : named(name, nlen, "stale-if-error") ? &cc->stale_if_error : NULL;
        if (delta) {
            int64_t v;
            bool freshness = delta == &cc->max_age || delta == &cc->s_maxage;
            if (!bad && has_value && parse_delta(value, vlen, &v)) {
                if (*delta == HTTP_CC_ABSENT) *delta = v;
            } else {
                if (!bad)
                    note(err, errlen, &failed, "expected a number of seconds", name, nlen);
                if (freshness && *delta == HTTP_CC_ABSENT) *delta = 0; /* invalid: stale */
            }
        } else if (named(name, nlen, "no-cache")) {
            if (has_value && (quoted || vlen)) cc->no_cache_fields = true;
            else cc->no_cache = true;
        } else if (named(name, nlen, "private")) {
            if (has_value && (quoted || vlen)) cc->private_fields = true;
            else cc->private_ = true;
        } else if (named(name, nlen, "no-store")) {
            cc->no_store = true;
        } else if (named(name, nlen, "public")) {
            cc->public_ = true;
        } else if (named(name, nlen, "immutable")) {
            cc->immutable = true;
        } else if (named(name, nlen, "must-revalidate") || named(name, nlen, "proxy-revalidate")) {
            cc->must_revalidate = true;
        }
        /* anything else: an extension directive, ignored */
    }
    return failed ? -1 : 0;
}

bool http_cc_storable(const http_cc_t *cc)
{
    return !cc->no_store && !cc->private_;
}

int64_t http_cc_cdn_ttl(const http_cc_t *cc, int64_t default_ttl_s)
{
    if (cc->no_cache) return 0;
    if (cc->s_maxage != HTTP_CC_ABSENT) return cc->s_maxage;
    if (cc->max_age != HTTP_CC_ABSENT) return cc->max_age;
    return default_ttl_s;
}

bool http_cc_shared_may_serve_stale(const http_cc_t *cc, int64_t stale_for_s, bool origin_failed,
                                    bool s_maxage_revalidates)
{
    if (s_maxage_revalidates && cc->s_maxage != HTTP_CC_ABSENT) return false;
    return http_cc_may_serve_stale(cc, stale_for_s, origin_failed);
}

double http_freshness_lifetime(const http_cc_t *cc, const http_dates_t *d)
{
    if (cc->no_cache) return 0;
    if (cc->s_maxage != HTTP_CC_ABSENT) return (double)cc->s_maxage;
    if (cc->max_age != HTTP_CC_ABSENT) return (double)cc->max_age;
    if (d && d->has_expires) return d->expires_after_date_s > 0 ? d->expires_after_date_s : 0;
    if (d && d->has_last_modified)
        return d->heuristic_fraction * (d->last_modified_age_s > 0 ? d->last_modified_age_s : 0);
    return -1;
}

bool http_cc_may_serve_stale(const http_cc_t *cc, int64_t stale_for_s, bool origin_failed)
{
    /* RFC 9111 5.2.2.10 lets s-maxage imply proxy-revalidate; CDNs do honour
     * stale-while-revalidate next to s-maxage, and so does this: only an
     * explicit must-revalidate or proxy-revalidate forbids stale copies */
    if (cc->must_revalidate || cc->no_cache) return false;
    if (cc->stale_while_revalidate != HTTP_CC_ABSENT && stale_for_s <= cc->stale_while_revalidate)
        return true;
    return origin_failed && cc->stale_if_error != HTTP_CC_ABSENT && stale_for_s <= cc->stale_if_error;
}

int64_t http_initial_age(int64_t age_value, int64_t date_value, int64_t request_time,
                         int64_t response_time)
{
    int64_t apparent = date_value == HTTP_NO_DATE || response_time <= date_value ? 0
                                                                             : response_time - date_value;
    int64_t corrected = age_value + (response_time - request_time);
    return apparent > corrected ? apparent : corrected;
}
