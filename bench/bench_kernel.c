/* bench_kernel — the classic hold model on the event queue and engine.
 *
 * N events are pending; each, when it runs, schedules one successor after a
 * delay drawn with GSL (the named stream "hold"), so the queue stays at N.
 * Delay shapes:
 *   exp    exponential, mean 1 s (the target: N = 10^3, 10^5, 10^6);
 *   skew   half 1 ns, half exponential with mean 1 hour: a queue keyed on
 *          an average spacing degrades here;
 *   zero   all N start at time 0 and every successor is scheduled at the
 *          current time: one endless tie, served FIFO.
 * The draw is made in every shape, so the costs compare. Reports events per
 * second of wall time and of process CPU time (the latter is what a loaded
 * shared machine cannot steal). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <gsl/gsl_randist.h>

#include "sim/rng.h"
#include "sim/sim.h"

typedef struct hold {
    gsl_rng *r;
    uint64_t left; /* zero shape: events still to run before sim_stop */
} hold_t;

/* One handler a shape, so the target line runs exactly the original model. */
static void on_exp(sim_t *s, void *ctx, uint64_t arg)
{
    hold_t *h = ctx;
    sim_after(s, (simtime_t)(gsl_ran_exponential(h->r, 1.0) * 1e9), on_exp, ctx, arg);
}

static void on_skew(sim_t *s, void *ctx, uint64_t arg)
{
    hold_t *h = ctx;
    double x = gsl_ran_exponential(h->r, 1.0);
    simtime_t d = x < 0.6931471805599453 ? 1 : (simtime_t)(x * 3600e9); /* half 1 ns */
    sim_after(s, d, on_skew, ctx, arg);
}

/* Every successor at the current time: the clock never moves, so the run is
 * bounded by a count instead of by time. */
static void on_zero(sim_t *s, void *ctx, uint64_t arg)
{
    hold_t *h = ctx;
    sim_after(s, 0 * (simtime_t)gsl_ran_exponential(h->r, 1.0), on_zero, ctx, arg);
    if (--h->left == 0) sim_stop(s);
}

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Runs until `events` more have run: by time steps of about 10^6 events
 * (as the original bench did), or by count for the zero shape. */
static void run_events(sim_t *s, hold_t *h, bool by_count, simtime_t step, uint64_t events)
{
    uint64_t e0 = sim_events(s);
    if (by_count) {
        h->left = events;
        sim_run(s, SIMTIME_MAX);
        return;
    }
    while (sim_events(s) - e0 < events) sim_run(s, sim_now(s) + step);
}

static void run(const char *name, event_fn fn, simtime_t mean, long pending, uint64_t events)
{
    sim_t *s = sim_create();
    hold_t h = { rng_stream_create(1, "hold"), 0 };
    if (!s || !h.r) { fprintf(stderr, "bench_kernel: out of memory\n"); exit(1); }
    for (long i = 0; i < pending; i++)
        sim_at(s, (simtime_t)(gsl_ran_exponential(h.r, 1.0) * (double)mean), fn, &h, 0);
    bool by_count = fn == on_zero;
    simtime_t step = (simtime_t)((double)mean * 1e6 / (double)pending);
    /* warm: twice through the queue so the pools and caches settle */
    run_events(s, &h, by_count, step, 2 * (uint64_t)pending);
    uint64_t e0 = sim_events(s);
    double w0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    run_events(s, &h, by_count, step, events);
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
    run("exp", on_exp, SIM_NS_PER_S, 1000, events);
    run("exp", on_exp, SIM_NS_PER_S, 100000, events);
    run("exp", on_exp, SIM_NS_PER_S, 1000000, events);
    run("skew", on_skew, 1800 * SIM_NS_PER_S, 100000, events);
    run("zero", on_zero, 0, 100000, events); /* all 10^5 at time 0 */
    return 0;
}
