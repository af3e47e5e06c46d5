/* simtime — virtual time for the kernel.
 *
 * Time is a signed 64-bit count of nanoseconds: exact integer arithmetic, so
 * the same scenario gives the same schedule on every machine, and 292 years of
 * range. Conversions from seconds round to the nearest nanosecond. */
#ifndef CDNSIM_SIMTIME_H
#define CDNSIM_SIMTIME_H

#include <stdint.h>
#include <math.h>

typedef int64_t simtime_t;

#define SIMTIME_MAX INT64_MAX
#define SIM_NS_PER_US 1000LL
#define SIM_NS_PER_MS 1000000LL
#define SIM_NS_PER_S  1000000000LL

/* Beyond any run (73 years; scenario times stop at 10): conversions
 * saturate here, so a draw of a huge delay (an exponential gap at a rate of
 * 1e-12/s) stays a positive time far in the future, and adding one or two
 * such delays to a time inside a run cannot overflow. */
#define SIMTIME_FAR (1LL << 61)

static inline simtime_t simtime_from_ns_double(double ns)
{
    if (!(ns < (double)SIMTIME_FAR)) return SIMTIME_FAR; /* NaN too */
    if (ns <= -(double)SIMTIME_FAR) return -SIMTIME_FAR;
    /* llround's result (halves away from zero), inline: the libm call was
     * 40 instructions a request. Truncation and the fraction are exact here
     * (|ns| < 2^61; past 2^52 every double is an integer). */
    simtime_t i = (simtime_t)ns;
    double frac = ns - (double)i;
    return i + (frac >= 0.5) - (frac <= -0.5);
}
static inline simtime_t simtime_from_s(double s) { return simtime_from_ns_double(s * 1e9); }
static inline simtime_t simtime_from_ms(double ms) { return simtime_from_ns_double(ms * 1e6); }
static inline double simtime_to_s(simtime_t t) { return (double)t / 1e9; }
static inline double simtime_to_ms(simtime_t t) { return (double)t / 1e6; }

#endif
