/* wallclock — real elapsed time, for progress lines, wall_s and benchmarks.
 * Never for anything a result depends on: results are functions of virtual
 * time only. */
#ifndef CDNSIM_WALLCLOCK_H
#define CDNSIM_WALLCLOCK_H

#include <time.h>

/* Seconds on a monotonic clock (an arbitrary origin: take differences). */
static inline double wallclock_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
