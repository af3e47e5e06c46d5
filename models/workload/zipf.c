/* zipf — rejection-inversion sampler; see zipf.h.
 *
 * With h(x) = x^-alpha and H(x) its antiderivative normalised so that the
 * formulas stay accurate as alpha -> 1 (where H becomes log x), a uniform u in
 * [H(n+0.5), H(1.5)-1] mapped through H^-1 gives x whose nearest integer k is
 * a candidate; the candidate is kept when u lies under the step of height
 * h(k), i.e. u >= H(k+0.5) - h(k). */
#include "models/workload/zipf.h"

#include <math.h>

#include "sim/rng.h"

/* log1p(x)/x and expm1(x)/x, continuous at 0. */
static double log1p_over(double x) { return fabs(x) > 1e-8 ? log1p(x) / x : 1 - x / 2 + x * x / 3; }
static double expm1_over(double x) { return fabs(x) > 1e-8 ? expm1(x) / x : 1 + x / 2 + x * x / 6; }

/* H(x) = (x^(1-a) - 1) / (1 - a), written to stay exact near a = 1. */
static double big_h(double a, double x)
{
    double lx = log(x);
    return expm1_over((1 - a) * lx) * lx;
}

static double big_h_inv(double a, double y)
{
    double t = y * (1 - a);
    if (t < -1) t = -1; /* guards rounding at the domain edge */
    return exp(log1p_over(t) * y);
}

static double small_h(double a, double x) { return exp(-a * log(x)); }

void zipf_init(zipf_t *z, uint64_t n, double alpha) { zipf_init_range(z, 1, n, alpha); }

void zipf_init_range(zipf_t *z, uint64_t lo, uint64_t n, double alpha)
{
    z->lo = lo;
    z->n = n;
    z->alpha = alpha;
    /* the hat's left end: H(lo + 0.5) - h(lo), so that rank lo is drawn
     * with exactly its weight (for lo = 1: H(1.5) - 1, as in the paper) */
    z->h_x1 = big_h(alpha, (double)lo + 0.5) - small_h(alpha, (double)lo);
    z->h_n = big_h(alpha, (double)n + 0.5);
    /* the squeeze is worked for ranks from 1; from any other rank the exact
     * test alone decides (a squeeze below every k - x never accepts early) */
    z->squeeze = lo == 1 ? 2 - big_h_inv(alpha, big_h(alpha, 2.5) - small_h(alpha, 2)) : -INFINITY;
}

uint64_t zipf_draw(const zipf_t *z, gsl_rng *r)
{
    if (z->n <= z->lo) return z->lo;
    for (;;) {
        double u = z->h_n + rng_uniform(r) * (z->h_x1 - z->h_n);
        double x = big_h_inv(z->alpha, u);
        double kd = floor(x + 0.5);
        if (kd < (double)z->lo) kd = (double)z->lo;
        if (kd > (double)z->n) kd = (double)z->n;
        if (kd - x <= z->squeeze || u >= big_h(z->alpha, kd + 0.5) - small_h(z->alpha, kd))
            return (uint64_t)kd;
    }
}

double zipf_pmf(uint64_t n, double alpha, uint64_t k)
{
    double norm = 0;
    for (uint64_t i = n; i >= 1; i--) norm += pow((double)i, -alpha); /* small terms first */
    return pow((double)k, -alpha) / norm;
}
