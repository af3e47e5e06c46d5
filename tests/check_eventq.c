/* check_eventq — the kernel's event queue and engine.
 *
 * Against a reference: random push/pop/cancel sequences run on the queue and
 * on a plain array sorted by (time, sequence); both must yield the same
 * events in the same order, and the heap invariant must hold throughout. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "sim/eventq.h"
#include "sim/sim.h"
#include "tests/testutil.h"

static void noop(struct sim *s, void *ctx, uint64_t arg) { (void)s; (void)ctx; (void)arg; }

START_TEST(equal_times_leave_in_scheduling_order)
{
    eventq_t *q = eventq_create(4);
    for (uint64_t i = 0; i < 100; i++) {
        event_payload_t p = { noop, NULL, i };
        ck_assert(eventq_push(q, (simtime_t)(i % 3), &p) != 0);
    }
    simtime_t t, last_t = -1;
    uint64_t last_arg[3] = { 0 };
    bool seen[3] = { false };
    event_payload_t out;
    int n = 0;
    while (eventq_pop(q, &t, &out)) {
        ck_assert_int_ge(t, last_t);
        if (seen[t]) ck_assert_uint_gt(out.arg, last_arg[t]); /* FIFO among equal times */
        seen[t] = true;
        last_arg[t] = out.arg;
        last_t = t;
        n++;
    }
    ck_assert_int_eq(n, 100);
    eventq_destroy(q);
}
END_TEST

/* A sequence number taken without an event is the one a push would have
 * had: the pushes after it are numbered as if it had been pushed, and a pop
 * reports its event's number. Worked: pushes 1 and 2, a taken 3, push 4. */
START_TEST(taken_sequence_numbers_are_a_pushes)
{
    eventq_t *q = eventq_create(4);
    event_payload_t p = { noop, NULL, 0 };
    ck_assert_uint_eq(eventq_popped_seq(q), 0);
    ck_assert(eventq_push(q, 5, &p) != 0);
    ck_assert(eventq_push(q, 5, &p) != 0);
    ck_assert_uint_eq(eventq_take_seq(q), 3);
    p.arg = 4;
    ck_assert(eventq_push(q, 5, &p) != 0);
    ck_assert_uint_eq(eventq_pushed(q), 4);
    simtime_t t;
    event_payload_t out;
    uint64_t want[] = { 1, 2, 4 };
    for (int i = 0; i < 3; i++) {
        ck_assert(eventq_pop(q, &t, &out));
        ck_assert_uint_eq(eventq_popped_seq(q), want[i]);
    }
    ck_assert_uint_eq(out.arg, 4);
    eventq_destroy(q);
}
END_TEST

typedef struct ref { simtime_t t; uint64_t seq; event_handle_t h; bool live; } ref_t;

START_TEST(random_operations_match_sorted_reference)
{
    srand(12345);
    eventq_t *q = eventq_create(2);
    enum { N = 20000 };
    ref_t *ref = calloc(N, sizeof *ref);
    uint64_t nref = 0;
    for (int step = 0; step < N; step++) {
        int op = rand() % 10;
        if (op < 5 || nref == 0) {                       /* push, many equal times */
            simtime_t t = rand() % 500;
            event_payload_t p = { noop, NULL, nref };
            event_handle_t h = eventq_push(q, t, &p);
            ck_assert(h != 0);
            ref[nref] = (ref_t){ t, nref, h, true };
            nref++;
        } else if (op < 8) {                             /* pop: must be the min live */
            int64_t best = -1;
            for (uint64_t i = 0; i < nref; i++)
                if (ref[i].live && (best < 0 || ref[i].t < ref[best].t)) best = (int64_t)i;
            simtime_t t;
            event_payload_t out;
            bool got = eventq_pop(q, &t, &out);
            ck_assert(got == (best >= 0));
            if (got) {
                ck_assert_uint_eq(out.arg, (uint64_t)best);
                ck_assert_int_eq(t, ref[best].t);
                ref[best].live = false;
                /* reuse of the freed slot must not revive the old handle */
                ck_assert(!eventq_cancel(q, ref[best].h));
            }
        } else {                                         /* cancel a random one */
            uint64_t i = (uint64_t)rand() % nref;
            ck_assert(eventq_cancel(q, ref[i].h) == ref[i].live);
            ref[i].live = false;
        }
        ck_assert(eventq_check(q));
        size_t live = 0;
        for (uint64_t i = 0; i < nref; i++) live += ref[i].live;
        if (step % 97 == 0) ck_assert_uint_eq(eventq_size(q), live);
    }
    free(ref);
    eventq_destroy(q);
}
END_TEST

/* Check's ck_assert records every passing call (a write each); the loops
 * below make millions of checks, so they report only failures. */
#define REQUIRE(c) do { if (!(c)) ck_abort_msg("%s:%d: %s", __FILE__, __LINE__, #c); } while (0)

/* A small deterministic generator, so the tests do not depend on rand(). */
static uint64_t rng_next(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* Delays for the monotone tests: each class stresses one part of the ladder. */
enum { D_EXP, D_SKEW, D_ZERO, D_WIDE, D_CLASSES };

static simtime_t draw_delay(int cls, uint64_t *x)
{
    uint64_t r = rng_next(x);
    switch (cls) {
    case D_EXP:  return (simtime_t)(r % 2000000000u) * (simtime_t)(r % 3 + 1) / 4;
    case D_SKEW: return r % 2 ? 1 : 3600 * SIM_NS_PER_S;  /* 1 ns or 1 hour */
    case D_ZERO: return r % 4 ? 0 : (simtime_t)(r >> 40) % 7; /* mostly ties at now */
    default:     return (simtime_t)(r >> (r % 60 + 4));  /* every magnitude, 0 .. 2^60 */
    }
}

/* Monotone use, as the engine does: pushes at now + delay, pops advance now,
 * cancels at random. Every pop must be the least (time, seq) live event:
 * popped keys strictly increase (new pushes always exceed the last popped
 * key), each live event comes out exactly once, no cancelled one does. */
static void run_monotone(int cls, int n_pending, int steps, bool check_each)
{
    uint64_t x = 0x9e3779b97f4a7c15ull + (uint64_t)cls;
    eventq_t *q = eventq_create(16);
    size_t cap = (size_t)n_pending + (size_t)steps + 1;
    event_handle_t *h = calloc(cap, sizeof *h);
    simtime_t *at = calloc(cap, sizeof *at);
    unsigned char *state = calloc(cap, 1); /* 0 pending, 1 popped, 2 cancelled */
    uint64_t n = 0, popped = 0, cancelled = 0;
    simtime_t now = 0, last_t = -1;
    uint64_t last_seq = 0;
    for (int i = 0; i < n_pending; i++) {
        at[n] = draw_delay(cls, &x);
        event_payload_t p = { noop, NULL, n };
        h[n] = eventq_push(q, at[n], &p);
        REQUIRE(h[n] != 0);
        n++;
    }
    for (int step = 0; step < steps; step++) {
        uint64_t r = rng_next(&x) % 16;
        if (r == 0 && n > 0) {                       /* cancel something */
            uint64_t i = rng_next(&x) % n;
            bool ok = eventq_cancel(q, h[i]);
            REQUIRE(ok == (state[i] == 0));
            if (ok) { state[i] = 2; cancelled++; }
        }
        simtime_t t;
        event_payload_t out;
        if (!eventq_pop(q, &t, &out)) break;
        uint64_t i = out.arg;
        REQUIRE((i) < (n));
        REQUIRE((state[i]) == (0));
        REQUIRE((t) == (at[i]));
        REQUIRE(t > last_t || (t == last_t && i > last_seq));
        REQUIRE(!eventq_cancel(q, h[i]));
        state[i] = 1;
        popped++;
        last_t = now = t;
        last_seq = i;
        at[n] = now + draw_delay(cls, &x);            /* its successor */
        event_payload_t p = { noop, NULL, n };
        h[n] = eventq_push(q, at[n], &p);
        REQUIRE(h[n] != 0);
        n++;
        if (check_each || step % 4096 == 0) REQUIRE(eventq_check(q));
    }
    REQUIRE((eventq_size(q)) == (n - popped - cancelled));
    /* drain: the rest must come out in order too */
    simtime_t t;
    event_payload_t out;
    while (eventq_pop(q, &t, &out)) {
        uint64_t i = out.arg;
        REQUIRE((state[i]) == (0));
        REQUIRE(t > last_t || (t == last_t && i > last_seq));
        state[i] = 1;
        last_t = t;
        last_seq = i;
    }
    for (uint64_t i = 0; i < n; i++) REQUIRE((state[i]) != (0));
    REQUIRE(eventq_check(q));
    free(h);
    free(at);
    free(state);
    eventq_destroy(q);
}

START_TEST(monotone_small_checked_every_step)
{
    run_monotone(_i, 300, 20000, true);
}
END_TEST

START_TEST(monotone_large)
{
    run_monotone(_i, 50000, 400000, false);
}
END_TEST

/* Arbitrary (non-monotone) times over a wide range against the sorted
 * reference, so rungs, the top and the side heap all see traffic. */
START_TEST(wide_random_operations_match_sorted_reference)
{
    uint64_t x = 777;
    eventq_t *q = eventq_create(2);
    enum { N = 12000 };
    ref_t *ref = calloc(N, sizeof *ref);
    uint64_t nref = 0;
    for (int step = 0; step < N; step++) {
        uint64_t op = rng_next(&x) % 10;
        if (op < 6 || nref == 0) {
            uint64_t r = rng_next(&x);
            simtime_t t = (simtime_t)((r >> (r % 64)) >> 1) - (r % 5 == 0 ? INT64_MAX / 2 : 0);
            if (r % 7 == 0) t = 42;                      /* a pile of ties */
            event_payload_t p = { noop, NULL, nref };
            event_handle_t h = eventq_push(q, t, &p);
            REQUIRE(h != 0);
            ref[nref] = (ref_t){ t, nref, h, true };
            nref++;
        } else if (op < 9) {
            int64_t best = -1;
            for (uint64_t i = 0; i < nref; i++)
                if (ref[i].live && (best < 0 || ref[i].t < ref[best].t)) best = (int64_t)i;
            REQUIRE((eventq_peek_time(q)) == (best < 0 ? SIMTIME_MAX : ref[best].t));
            simtime_t t;
            event_payload_t out;
            bool got = eventq_pop(q, &t, &out);
            REQUIRE(got == (best >= 0));
            if (got) {
                REQUIRE((out.arg) == ((uint64_t)best));
                ref[best].live = false;
            }
        } else {
            uint64_t i = rng_next(&x) % nref;
            REQUIRE(eventq_cancel(q, ref[i].h) == ref[i].live);
            ref[i].live = false;
        }
        REQUIRE(eventq_check(q));
    }
    free(ref);
    eventq_destroy(q);
}
END_TEST

/* 10^5 events at one time, more pushed at that time while they drain: FIFO
 * throughout, and no quadratic behaviour (the test has a time limit). */
START_TEST(a_flood_of_equal_times_is_fifo)
{
    eventq_t *q = eventq_create(16);
    enum { N = 100000 };
    uint64_t next_arg = 0, expect = 0;
    for (int i = 0; i < N; i++) {
        event_payload_t p = { noop, NULL, next_arg++ };
        REQUIRE(eventq_push(q, 1000, &p) != 0);
    }
    simtime_t t;
    event_payload_t out;
    for (int i = 0; i < 3 * N; i++) {
        REQUIRE(eventq_pop(q, &t, &out));
        REQUIRE((t) == (1000));
        REQUIRE((out.arg) == (expect++));
        event_payload_t p = { noop, NULL, next_arg++ };
        REQUIRE(eventq_push(q, 1000, &p) != 0);
        if (i % 50000 == 0) REQUIRE(eventq_check(q));
    }
    REQUIRE((eventq_size(q)) == (N));
    eventq_destroy(q);
}
END_TEST

/* Cancelling most of what is scheduled sweeps the dead entries (memory stays
 * proportional to live events) without disturbing the order of the rest. */
START_TEST(mass_cancellation_keeps_order)
{
    eventq_t *q = eventq_create(16);
    enum { N = 60000 };
    event_handle_t *h = calloc(N, sizeof *h);
    uint64_t x = 99;
    simtime_t *at = calloc(N, sizeof *at);
    for (int i = 0; i < N; i++) {
        at[i] = (simtime_t)(rng_next(&x) % 1000000);
        event_payload_t p = { noop, NULL, (uint64_t)i };
        h[i] = eventq_push(q, at[i], &p);
    }
    simtime_t t;
    event_payload_t out;
    REQUIRE(eventq_pop(q, &t, &out));              /* builds the ladder */
    bool *gone = calloc(N, sizeof *gone);
    gone[out.arg] = true;
    uint64_t first = out.arg;
    for (int i = 0; i < N; i++)
        if (i % 10 != 0 && !gone[i]) { REQUIRE(eventq_cancel(q, h[i])); gone[i] = true; }
    REQUIRE(eventq_check(q));
    REQUIRE((eventq_size(q)) == ((size_t)(N / 10 - (first % 10 == 0))));
    simtime_t last_t = t;
    uint64_t last = out.arg, n = 0;
    while (eventq_pop(q, &t, &out)) {
        REQUIRE((out.arg % 10) == (0));
        REQUIRE(t > last_t || (t == last_t && out.arg > last));
        REQUIRE((t) == (at[out.arg]));
        last_t = t;
        last = out.arg;
        n++;
    }
    REQUIRE((n) == ((uint64_t)(N / 10 - (first % 10 == 0))));
    free(gone);
    free(h);
    free(at);
    eventq_destroy(q);
}
END_TEST

/* The ends of the int64 range, where bucket arithmetic could overflow. */
START_TEST(extreme_times_keep_order)
{
    static const simtime_t at[] = { SIMTIME_MAX, INT64_MIN, 0, -1, 1, SIMTIME_MAX - 1,
                                    INT64_MIN + 1, SIMTIME_MAX, 0, INT64_MIN };
    enum { K = sizeof at / sizeof at[0], ROUNDS = 40 };
    eventq_t *q = eventq_create(4);
    ref_t ref[K * ROUNDS];
    uint64_t n = 0;
    for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < K; i++) {
            event_payload_t p = { noop, NULL, n };
            ref[n] = (ref_t){ at[(i + round) % K], n, eventq_push(q, at[(i + round) % K], &p), true };
            REQUIRE(ref[n].h != 0);
            n++;
        }
        for (int k = 0; k < K / 2; k++) {               /* pop half of them each round */
            int64_t best = -1;
            for (uint64_t i = 0; i < n; i++)
                if (ref[i].live && (best < 0 || ref[i].t < ref[best].t)) best = (int64_t)i;
            simtime_t t;
            event_payload_t out;
            REQUIRE(eventq_pop(q, &t, &out));
            REQUIRE(out.arg == (uint64_t)best);
            REQUIRE(t == ref[best].t);
            ref[best].live = false;
        }
        REQUIRE(eventq_check(q));
    }
    simtime_t t, last = INT64_MIN;
    event_payload_t out;
    while (eventq_pop(q, &t, &out)) {
        REQUIRE(ref[out.arg].live && t >= last);
        ref[out.arg].live = false;
        last = t;
    }
    for (uint64_t i = 0; i < n; i++) REQUIRE(!ref[i].live);
    eventq_destroy(q);
}
END_TEST

START_TEST(pop_until_leaves_later_events)
{
    eventq_t *q = eventq_create(4);
    event_payload_t p = { noop, NULL, 7 };
    eventq_push(q, 100, &p);
    simtime_t t;
    event_payload_t out;
    REQUIRE(!eventq_pop_until(q, 99, &t, &out));
    REQUIRE((eventq_size(q)) == (1));
    REQUIRE(eventq_pop_until(q, 100, &t, &out));
    REQUIRE((t) == (100));
    REQUIRE((out.arg) == (7));
    REQUIRE(!eventq_pop_until(q, SIMTIME_MAX, &t, &out));
    eventq_destroy(q);
}
END_TEST

/* Engine: handlers run in time order, the clock follows, past is refused. */
typedef struct trace { simtime_t at[16]; int n; } trace_t;

static void record(sim_t *s, void *ctx, uint64_t arg)
{
    trace_t *tr = ctx;
    tr->at[tr->n++] = sim_now(s);
    if (arg > 0) sim_after(s, 10, record, ctx, arg - 1); /* a chain of successors */
}

START_TEST(engine_runs_chains_and_stops_at_until)
{
    sim_t *s = sim_create();
    trace_t tr = { .n = 0 };
    sim_at(s, 5, record, &tr, 3);       /* 5, 15, 25, 35 */
    ck_assert_int_eq(sim_run(s, 20), 0);
    ck_assert_int_eq(tr.n, 2);
    ck_assert_int_eq(sim_now(s), 20);   /* the clock ends at until */
    ck_assert_int_eq(sim_run(s, SIMTIME_MAX), 0);
    ck_assert_int_eq(tr.n, 4);
    ck_assert_int_eq(tr.at[3], 35);
    ck_assert_uint_eq(sim_events(s), 4);
    sim_destroy(s);
}
END_TEST

START_TEST(engine_refuses_the_past)
{
    sim_t *s = sim_create();
    trace_t tr = { .n = 0 };
    sim_at(s, 100, record, &tr, 0);
    sim_run(s, SIMTIME_MAX);
    ck_assert_uint_eq(sim_at(s, 50, record, &tr, 0), 0);
    ck_assert_int_eq(sim_run(s, SIMTIME_MAX), -1);
    ck_assert_ptr_nonnull(strstr(sim_error(s), "into the past"));
    ck_assert_ptr_nonnull(strstr(sim_error(s), "check_eventq.c"));
    sim_destroy(s);
}
END_TEST

START_TEST(engine_cancel)
{
    sim_t *s = sim_create();
    trace_t tr = { .n = 0 };
    event_handle_t h = sim_at(s, 10, record, &tr, 0);
    sim_at(s, 20, record, &tr, 0);
    ck_assert(sim_cancel(s, h));
    ck_assert(!sim_cancel(s, h));
    sim_run(s, SIMTIME_MAX);
    ck_assert_int_eq(tr.n, 1);
    ck_assert_int_eq(tr.at[0], 20);
    sim_destroy(s);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("eventq");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, equal_times_leave_in_scheduling_order);
    tcase_add_test(tc, taken_sequence_numbers_are_a_pushes);
    tcase_add_test(tc, random_operations_match_sorted_reference);
    tcase_add_loop_test(tc, monotone_small_checked_every_step, 0, D_CLASSES);
    tcase_add_loop_test(tc, monotone_large, 0, D_CLASSES);
    tcase_add_test(tc, wide_random_operations_match_sorted_reference);
    tcase_add_test(tc, a_flood_of_equal_times_is_fifo);
    tcase_add_test(tc, mass_cancellation_keeps_order);
    tcase_add_test(tc, extreme_times_keep_order);
    tcase_add_test(tc, pop_until_leaves_later_events);
    tcase_add_test(tc, engine_runs_chains_and_stops_at_until);
    tcase_add_test(tc, engine_refuses_the_past);
    tcase_add_test(tc, engine_cancel);
    suite_add_tcase(su, tc);
    return test_main(su);
}
