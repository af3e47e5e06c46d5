/* bench_kernel — the classic hold model on the event queue and engine.
 *
 * N events are pending; each, when it runs, schedules one successor after a
 * delay drawn with GSL (MT19937 stream "hold"), so the queue stays at N.
 * Delay shapes:
 *   exp    exponential, mean 1 s (the target: N = 10^3, 10^5, 10^6);
 *   skew   half 1 ns, half exponential with mean 1 hour: a queue keyed on
 *          an average spacing degrades here;
 *   zero   every successor at the current time: one endless tie, FIFO.
 * The draw is made in every shape, so the costs compare. Reports events per
 * second of wall time and of process CPU time (the latter is what a loaded
 * shared machine cannot steal). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <gsl/gsl_randist.h>

#include "sim/rng.h"
#include "sim/sim.h"

typedef enum shape { EXP, SKEW, ZERO } shape_t;

typedef struct hold {
    gsl_rng *r;
    shape_t shape;
    uint64_t left; /* events still to run before sim_stop */
} hold_t;

static simtime_t delay(hold_t *h)
{
    double x = gsl_ran_exponential(h->r, 1.0);
    switch (h->shape) {
    case EXP:  return (simtime_t)(x * 1e9);
    case SKEW: return x < 0.6931471805599453 ? 1 : (simtime_t)(x * 3600e9);
    default:   return 0 * (simtime_t)x;
    }
}

static void on_event(sim_t *s, void *ctx, uint64_t arg)
{
    hold_t *h = ctx;
    sim_after(s, delay(h), on_event, ctx, arg);
    if (--h->left == 0) sim_stop(s);
}

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void run(const char *name, shape_t shape, long pending, uint64_t events)
{
    sim_t *s = sim_create();
    hold_t h = { rng_stream_create(1, "hold"), shape, 0 };
    if (!s || !h.r) { fprintf(stderr, "bench_kernel: out of memory\n"); exit(1); }
    for (long i = 0; i < pending; i++)
        sim_at(s, delay(&h), on_event, &h, 0);
    /* warm: twice through the queue so the pools and caches settle */
    h.left = 2 * (uint64_t)pending;
    sim_run(s, SIMTIME_MAX);
    uint64_t e0 = sim_events(s);
    double w0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    h.left = events;
    sim_run(s, SIMTIME_MAX);
    double w = clock_s(CLOCK_MONOTONIC) - w0, c = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
    uint64_t n = sim_events(s) - e0;
    printf("hold %-4s pending=%-8ld events=%llu  %6.2f M events/s  (%6.2f M/s of CPU time)\n",
           name, pending, (unsigned long long)n, n / w / 1e6, n / c / 1e6);
    fflush(stdout);
    gsl_rng_free(h.r);
    sim_destroy(s);
}

int main(int argc, char **argv)
{
    uint64_t events = argc > 1 ? strtoull(argv[1], NULL, 10) : 20000000;
    if (events == 0) { fprintf(stderr, "usage: bench_kernel [events]\n"); return 2; }
    run("exp", EXP, 1000, events);
    run("exp", EXP, 100000, events);
    run("exp", EXP, 1000000, events);
    run("skew", SKEW, 100000, events);
    run("zero", ZERO, 100000, events);
    return 0;
}
