/* sim — engine run loop; see sim.h. */
#include "sim/sim.h"
#include "sim/wallclock.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct sim {
    struct sim_head h;    /* first: sim.h's inline functions read it */
    uint64_t events;
    bool stopped;
    bool failed;
    char err[512];
    sim_progress_fn progress;
    void *progress_ctx;
    double progress_interval_s;
};

/* How many events run between looks at the wall clock: cheap enough to be
 * invisible, frequent enough for a smooth progress line. */
#define PROGRESS_STRIDE 65536

sim_t *sim_create(void)
{
    sim_t *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->h.q = eventq_create(1024);
    if (!s->h.q) { free(s); return NULL; }
    return s;
}

void sim_destroy(sim_t *s)
{
    if (!s) return;
    eventq_destroy(s->h.q);
    free(s);
}

/* sim_at_loc's slow path: a time in the past, or a full queue. */
event_handle_t sim_at_refused(sim_t *s, simtime_t t, const char *file, int line)
{
    if (t < s->h.now)
        sim_fail(s, "%s:%d: cannot schedule an event into the past (%lld ns < now %lld ns)",
                 file, line, (long long)t, (long long)s->h.now);
    else
        sim_fail(s, "%s:%d: event queue full (%u pending events)", file, line, EVENTQ_MAX_PENDING);
    return 0;
}

bool sim_cancel(sim_t *s, event_handle_t h) { return eventq_cancel(s->h.q, h); }

uint64_t sim_event_seq(const sim_t *s) { return eventq_popped_seq(s->h.q); }

uint64_t sim_take_seq(sim_t *s)
{
    uint64_t seq = eventq_take_seq(s->h.q);
    if (!seq) sim_fail(s, "event sequence numbers used up");
    return seq;
}

int sim_run(sim_t *s, simtime_t until)
{
    s->stopped = false;
    double next_report = s->progress ? wallclock_s() + s->progress_interval_s : 0;
    uint64_t stride = 0;
    simtime_t t;
    event_payload_t p;
    /* SIMTIME_MAX means "never": an event there does not run */
    simtime_t last = until < SIMTIME_MAX ? until : SIMTIME_MAX - 1;
    while (!s->stopped) {
        if (!eventq_pop_until(s->h.q, last, &t, &p)) {
            if (until != SIMTIME_MAX && until > s->h.now) s->h.now = until;
            break;
        }
        s->h.now = t;
        s->events++;
        p.fn(s, p.ctx, p.arg);
        if (s->progress && ++stride == PROGRESS_STRIDE) {
            stride = 0;
            double w = wallclock_s();
            if (w >= next_report) {
                s->progress(s, s->progress_ctx);
                next_report = w + s->progress_interval_s;
            }
        }
    }
    return s->failed ? -1 : 0;
}

void sim_stop(sim_t *s) { s->stopped = true; }

void sim_fail(sim_t *s, const char *fmt, ...)
{
    if (!s->failed) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(s->err, sizeof s->err, fmt, ap);
        va_end(ap);
        s->failed = true;
    }
    s->stopped = true;
}

const char *sim_error(const sim_t *s) { return s->err; }

void sim_set_progress(sim_t *s, sim_progress_fn fn, void *ctx, double interval_s)
{
    s->progress = fn;
    s->progress_ctx = ctx;
    s->progress_interval_s = interval_s;
}

uint64_t sim_events(const sim_t *s) { return s->events; }
