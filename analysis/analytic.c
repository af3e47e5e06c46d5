/* analytic — IRM hit-ratio models; see analytic.h.
 *
 * Che's fixed point is solved in x = lambda T (the expected requests a cache
 * sees in one characteristic time), where the equation does not depend on
 * the rate; T = x / lambda afterwards. g(x) = sum (1 - e^{-p_i x}) - C rises
 * from -C at 0 towards N - C, so for C < N a sign change is found by doubling
 * and Brent's method converges on it. */
#include "analysis/analytic.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>

struct analytic_zipf {
    size_t n;
    double *p;      /* p[i] of object i+1; sums to 1 */
};

analytic_zipf_t *analytic_zipf_create(uint64_t objects, double alpha, char *err, size_t errlen)
{
    if (objects == 0 || objects > ANALYTIC_MAX_OBJECTS || !(alpha >= 0)) {
        snprintf(err, errlen, "analytic model needs 1 to %llu objects and alpha >= 0",
                 (unsigned long long)ANALYTIC_MAX_OBJECTS);
        return NULL;
    }
    analytic_zipf_t *z = malloc(sizeof *z);
    double *p = z ? malloc(objects * sizeof *p) : NULL;
    if (!p) { free(z); snprintf(err, errlen, "out of memory"); return NULL; }
    double h = 0;
    /* summed from the smallest term up, for accuracy over millions of terms */
    for (size_t i = objects; i-- > 0;) h += (p[i] = pow((double)(i + 1), -alpha));
    for (size_t i = 0; i < objects; i++) p[i] /= h;
    z->n = objects;
    z->p = p;
    return z;
}

void analytic_zipf_free(analytic_zipf_t *z)
{
    if (!z) return;
    free(z->p);
    free(z);
}

double analytic_ttl_hit_ratio(const analytic_zipf_t *z, double rate_rps, double ttl_s)
{
    if (!(ttl_s > 0) || !(rate_rps > 0)) return 0;
    if (isinf(ttl_s)) return 1;
    double h = 0;
    for (size_t i = z->n; i-- > 0;) {
        double m = rate_rps * z->p[i] * ttl_s;
        h += z->p[i] * m / (1 + m);
    }
    return h;
}

typedef struct che_ctx {
    const analytic_zipf_t *z;
    double c;
} che_ctx_t;

static double che_g(double x, void *arg)
{
    const che_ctx_t *k = arg;
    double s = 0;
    for (size_t i = k->z->n; i-- > 0;) s += -expm1(-k->z->p[i] * x);
    return s - k->c;
}

int analytic_che_lru(const analytic_zipf_t *z, double rate_rps, double capacity,
                     double *hit_ratio, double *tc_s, char *err, size_t errlen)
{
    if (!(rate_rps > 0) || !(capacity >= 0)) {
        snprintf(err, errlen, "Che's approximation needs a positive rate and capacity");
        return -1;
    }
    if (capacity >= (double)z->n) { *hit_ratio = 1; *tc_s = INFINITY; return 0; }
    if (capacity == 0) { *hit_ratio = 0; *tc_s = 0; return 0; }
    che_ctx_t k = { z, capacity };
    double lo = 0, hi = capacity;
    while (che_g(hi, &k) < 0) {
        lo = hi;
        hi *= 2;
        if (!isfinite(hi)) { snprintf(err, errlen, "Che's approximation: no root"); return -1; }
    }
    gsl_function f = { che_g, &k };
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s) { snprintf(err, errlen, "out of memory"); return -1; }
    /* GSL's default handler aborts; errors come back as status codes here */
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    int st = gsl_root_fsolver_set(s, &f, lo, hi);
    double x = lo;
    for (int it = 0; st == GSL_SUCCESS && it < 200; it++) {
        st = gsl_root_fsolver_iterate(s);
        x = gsl_root_fsolver_root(s);
        double a = gsl_root_fsolver_x_lower(s), b = gsl_root_fsolver_x_upper(s);
        if (gsl_root_test_interval(a, b, 0, 1e-12) == GSL_SUCCESS) break;
    }
    gsl_set_error_handler(old);
    gsl_root_fsolver_free(s);
    if (st != GSL_SUCCESS) {
        snprintf(err, errlen, "Che's approximation: %s", gsl_strerror(st));
        return -1;
    }
    double h = 0;
    for (size_t i = z->n; i-- > 0;) h += z->p[i] * -expm1(-z->p[i] * x);
    *hit_ratio = h;
    *tc_s = x / rate_rps;
    return 0;
}
