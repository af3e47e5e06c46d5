/* zipf — exact Zipf sampling in O(1) expected time and O(1) memory.
 *
 * Draws k in 1..n with probability proportional to 1/k^alpha (alpha >= 0) by
 * rejection-inversion (Hörmann & Derflinger, 1996): invert the integral of
 * the continuous hat x^-alpha, round to the nearest integer and accept with a
 * test that makes the result exact. The expected number of uniform draws per
 * sample is below 1.3 for every alpha and n, so catalogs of 10^8 or 10^12
 * objects cost the same as 10^3, with no table in memory. */
#ifndef CDNSIM_ZIPF_H
#define CDNSIM_ZIPF_H

#include <stdint.h>
#include <gsl/gsl_rng.h>

typedef struct zipf {
    uint64_t lo, n;         /* ranks lo..n */
    double alpha;
    double h_x1;    /* H(lo + 0.5) - h(lo): the hat's integral bound at the left end */
    double h_n;     /* H(n + 0.5) */
    double squeeze; /* accept at once when k - x <= squeeze */
} zipf_t;

void zipf_init(zipf_t *z, uint64_t n, double alpha);
/* Ranks lo..n only (lo >= 1), each with probability proportional to
 * 1/k^alpha: the tail of a catalog whose head is drawn otherwise. */
void zipf_init_range(zipf_t *z, uint64_t lo, uint64_t n, double alpha);
uint64_t zipf_draw(const zipf_t *z, gsl_rng *r);

/* The probability of rank k, from the exact generalised harmonic number
 * (O(n); for tests and analytic models). */
double zipf_pmf(uint64_t n, double alpha, uint64_t k);

#endif
