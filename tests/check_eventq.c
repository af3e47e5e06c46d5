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
    tcase_add_test(tc, random_operations_match_sorted_reference);
    tcase_add_test(tc, engine_runs_chains_and_stops_at_until);
    tcase_add_test(tc, engine_refuses_the_past);
    tcase_add_test(tc, engine_cancel);
    suite_add_tcase(su, tc);
    SRunner *sr = srunner_create(su);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
