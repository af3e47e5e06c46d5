/* eventq — the pending-event set of the kernel.
 *
 * Order: by (time, sequence number); the sequence number grows with every
 * push, so events at equal times leave in the order they were scheduled, which
 * makes runs deterministic. Any time may be pushed, even one earlier than the
 * last popped (the engine refuses that, the queue does not need to).
 *
 * Structure: a ladder queue (after Tang, Goh & Thng, 2005) whose bottom is a
 * sorted array. A push files a 16-byte entry (time, sequence|slot) into an
 * unsorted bucket in O(1): the top for the far future, or the bucket of a rung
 * (an array of buckets of 2^k ns) that covers its time. Only when the bottom
 * runs dry is the next bucket taken: sorted into the bottom when it holds a
 * few dozen entries, or spread over a new, finer rung when it holds more.
 * Each entry is thus moved a small constant number of times, and the hot path
 * is a bucket append and an array read. A rung's bucket width comes from its
 * entries' mean distance to their minimum (half a dozen entries to a front bucket
 * under exponential-like delays), with at most 2n + 64 buckets; the entries
 * beyond go back to the top or into the last bucket, which a later split
 * refines. So skew costs little: a bucket whose entries share one time goes
 * straight to the bottom, and past 16 rungs a bucket is sorted as it is (at
 * worst O(log n) an event, like a heap). Pushes into the range already sorted
 * (zero delays, ties at the current time) go to a binary heap beside the
 * bottom, so a flood of equal times is O(log n) an event, never O(n).
 * Invariant: every part holds only entries that precede, by (time, seq),
 * everything in the parts after it; eventq_check verifies it.
 *
 * Why it is fast beyond the O(1): at 10^5 pending the cost is cache misses,
 * so pushes are staged and filed in batches (below 16,384 pending, where the
 * buckets are in cache, each is filed at once: no batch, fewer instructions), the due bucket's successor has
 * its records prefetched, small buckets are sorted without branches, and the
 * big arrays ask for huge pages. It assumes nothing about the delays for
 * correctness; for speed, that most pushes land past the sorted range.
 *
 * Memory: payloads live in a pool of slots recycled most-recent-first (the
 * successor an event schedules reuses the slot its parent just left, a warm
 * line); buckets are lists of 128-byte chunks from a shared free list; no
 * malloc per event once the arrays have grown to the peak pending count.
 * Cancellation is lazy but bounded: a cancelled event's slot is freed at once
 * and its entry recognised as dead by a key mismatch; when dead entries
 * outnumber live ones (and a few thousand), they are swept in one pass, so
 * memory stays proportional to the live pending events.
 *
 * Handles are the entry key: sequence number << 24 | slot. A handle of an
 * event that ran or was cancelled no longer matches its slot's key, so
 * cancelling it does nothing. 0 is never a handle. At most 2^40 events can be
 * scheduled in one queue's life (push then returns 0): 15 hours at 20 M/s. */
#ifndef CDNSIM_EVENTQ_H
#define CDNSIM_EVENTQ_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "sim/simtime.h"

typedef struct eventq eventq_t;

struct sim;
/* An event handler: the simulator, the context given at scheduling, and a
 * small argument (an index, a key) so most events need no allocation. */
typedef void (*event_fn)(struct sim *s, void *ctx, uint64_t arg);

/* What a popped event carries to its handler. */
typedef struct event_payload {
    event_fn fn;
    void *ctx;
    uint64_t arg;
} event_payload_t;

/* Identifies one scheduled event: sequence number << 24 | slot. 0 is never a
 * valid handle. */
typedef uint64_t event_handle_t;

#define EVENTQ_MAX_PENDING (1u << 24)

eventq_t *eventq_create(size_t initial_capacity);
void eventq_destroy(eventq_t *q);

/* Schedules; returns 0 when EVENTQ_MAX_PENDING events are already pending. */
event_handle_t eventq_push(eventq_t *q, simtime_t t, const event_payload_t *p);

/* Removes the earliest live event; false when none is left. */
bool eventq_pop(eventq_t *q, simtime_t *t, event_payload_t *out);

/* Removes the earliest live event if its time is <= until; false otherwise
 * (none left, or the earliest lies beyond until and stays). The run loop's
 * peek and pop in one step. */
bool eventq_pop_until(eventq_t *q, simtime_t until, simtime_t *t, event_payload_t *out);

/* Time of the earliest live event, or SIMTIME_MAX when empty. */
simtime_t eventq_peek_time(eventq_t *q);

/* Cancels a pending event; false if it already ran or was cancelled. */
bool eventq_cancel(eventq_t *q, event_handle_t h);

/* The sequence number of the event popped last (0 before the first). */
uint64_t eventq_popped_seq(const eventq_t *q);
/* Hands out the next sequence number as a push would, without an event: a
 * model that keeps a due action itself (and runs it before anything that
 * could see it) orders it among events by (time, this number), exactly as
 * the queue would have. 0 when the numbers are used up. */
uint64_t eventq_take_seq(eventq_t *q);

size_t eventq_size(const eventq_t *q);   /* live events pending */
uint64_t eventq_pushed(const eventq_t *q); /* events ever scheduled */

/* Checks the ordering invariant and the pool, chunk and count accounting;
 * O(pending + slots), for asserts and tests. */
bool eventq_check(const eventq_t *q);

#endif
