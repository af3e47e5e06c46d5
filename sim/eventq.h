/* eventq — the pending-event set of the kernel.
 *
 * A 4-ary min-heap of 16-byte entries ordered by (time, sequence number): the
 * sequence number grows with every push, so events at equal times leave in the
 * order they were scheduled, which makes runs deterministic.
 *
 * Event records (handler, context, argument) live in a pool indexed by slot and
 * are recycled through a free list: no malloc per event once the pool has
 * grown to the peak number of pending events. A heap entry packs the sequence
 * number (high 40 bits) with the slot (low 24 bits), so comparing the packed
 * word orders by sequence and the slot rides along for free.
 *
 * Cancellation is lazy: a cancelled record is marked and skipped when it
 * reaches the top. Handles carry a generation so cancelling an event that has
 * already run (and whose slot was reused) is detected and does nothing.
 *
 * The pop/push fusion: popping leaves a hole at the root instead of moving the
 * last entry up at once. If the handler then pushes (the common case: an event
 * schedules its successor), the new entry fills the hole with a single sift
 * down, halving the heap work per event. */
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

/* Identifies one scheduled event: slot in the low 32 bits, generation above.
 * 0 is never a valid handle. */
typedef uint64_t event_handle_t;

#define EVENTQ_MAX_PENDING (1u << 24)

eventq_t *eventq_create(size_t initial_capacity);
void eventq_destroy(eventq_t *q);

/* Schedules; returns 0 when EVENTQ_MAX_PENDING events are already pending. */
event_handle_t eventq_push(eventq_t *q, simtime_t t, const event_payload_t *p);

/* Removes the earliest live event; false when none is left. */
bool eventq_pop(eventq_t *q, simtime_t *t, event_payload_t *out);

/* Time of the earliest live event, or SIMTIME_MAX when empty. */
simtime_t eventq_peek_time(eventq_t *q);

/* Cancels a pending event; false if it already ran or was cancelled. */
bool eventq_cancel(eventq_t *q, event_handle_t h);

size_t eventq_size(const eventq_t *q);   /* live events pending */
uint64_t eventq_pushed(const eventq_t *q); /* events ever scheduled */

/* Checks the heap property and pool accounting; for asserts and tests. */
bool eventq_check(const eventq_t *q);

#endif
