/* sim — the discrete-event engine: virtual clock, scheduling, the run loop.
 *
 * The engine knows nothing of CDNs: models schedule typed handlers with a
 * context pointer and a 64-bit argument, and the loop runs them in (time,
 * scheduling order). Invariant: `now` never decreases; scheduling into the
 * past is refused loudly (it is always a model bug). */
#ifndef CDNSIM_SIM_H
#define CDNSIM_SIM_H

#include <stdbool.h>
#include <stdint.h>
#include "sim/eventq.h"
#include "sim/simtime.h"

typedef struct sim sim_t;

/* The start of struct sim, public so the clock read and the scheduling fast
 * path below inline into the models (a call each was 60 instructions a
 * request on world.json). Not for models to touch. */
struct sim_head {
    eventq_t *q;
    simtime_t now;        /* never decreases */
};

/* Called about every `interval` of wall time during sim_run; it may call
 * sim_stop. */
typedef void (*sim_progress_fn)(sim_t *s, void *ctx);

sim_t *sim_create(void);
void sim_destroy(sim_t *s);

static inline simtime_t sim_now(const sim_t *s) { return ((const struct sim_head *)s)->now; }

/* Schedules fn(s, ctx, arg) at absolute time t >= now. Returns 0 and sets the
 * engine's error (see sim_error) when t is in the past or the queue is full. */
#define sim_at(s, t, fn, ctx, arg) sim_at_loc((s), (t), (fn), (ctx), (arg), __FILE__, __LINE__)
#define sim_after(s, d, fn, ctx, arg) sim_at_loc((s), sim_now(s) + (d), (fn), (ctx), (arg), __FILE__, __LINE__)
event_handle_t sim_at_refused(sim_t *s, simtime_t t, const char *file, int line);
static inline event_handle_t sim_at_loc(sim_t *s, simtime_t t, event_fn fn, void *ctx, uint64_t arg,
                                        const char *file, int line)
{
    const struct sim_head *h = (const struct sim_head *)s;
    event_payload_t p = { fn, ctx, arg };
    event_handle_t e = t < h->now ? 0 : eventq_push(h->q, t, &p);
    return e ? e : sim_at_refused(s, t, file, line);
}

bool sim_cancel(sim_t *s, event_handle_t h);

/* Ordering without an event (see eventq_take_seq): the sequence number of
 * the event running now, and a fresh one, as sim_at would have taken for an
 * event the caller keeps itself. A kept action (t, seq) precedes the running
 * event (now, cur) iff t < now, or t == now and seq < cur. */
uint64_t sim_event_seq(const sim_t *s);
/* Events pending (the parallel world's end-of-run test). */
static inline size_t sim_pending(const sim_t *s) { return eventq_size(((const struct sim_head *)s)->q); }
uint64_t sim_take_seq(sim_t *s);

/* Runs events until the queue is empty, the next event lies beyond `until`,
 * or sim_stop is called. The clock ends at `until` unless stopped early.
 * Returns 0, or -1 when a model reported an error (sim_fail). */
int sim_run(sim_t *s, simtime_t until);
void sim_stop(sim_t *s);

/* A model's fatal runtime error: stops the run; sim_run returns -1. */
void sim_fail(sim_t *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *sim_error(const sim_t *s);

void sim_set_progress(sim_t *s, sim_progress_fn fn, void *ctx, double interval_s);

uint64_t sim_events(const sim_t *s);   /* events executed so far */

#endif
