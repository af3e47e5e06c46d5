/* trace — streaming readers of request traces (csv, webcachesim, oracleGeneral
 * plain or zstd-compressed).
 *
 * A reader yields one request at a time through a fixed-size buffer, so memory
 * does not grow with the trace's length. Times are converted to virtual
 * nanoseconds relative to the trace's first request. Errors name the file and
 * the line (text formats) or record number (binary) at fault.
 *
 * Any format may be zstd-compressed: the reader looks at the first bytes
 * (the zstd frame magic) and decompresses as it streams, whatever the name.
 * Text keys that are not decimal numbers are hashed to 64 bits (FNV-1a then
 * a 64-bit finaliser): deterministic on every machine. The id 2^64 - 1 is
 * reserved (the simulator's maps mark empty cells with it): a record that
 * carries it is an error, and no text key hashes to it.
 *
 * next_access is an ordering key, not a time: the 1-based request number of
 * the key's next request, the convention of the oracleGeneral files (whose
 * field is passed through as it is). Belady only compares these numbers, and
 * request numbers never tie, where one-second timestamps would. Text formats
 * carry no such field: trace_annotate_next_access computes it with one extra
 * pass over the file. */
#ifndef CDNSIM_TRACE_H
#define CDNSIM_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "sim/simtime.h"

typedef struct trace trace_t;

typedef enum trace_format {
    TRACE_CSV,
    TRACE_WEBCACHESIM,
    TRACE_ORACLE_GENERAL,
} trace_format_t;

typedef struct trace_req {
    simtime_t time;        /* since the trace's first request */
    uint64_t key;
    uint32_t size;         /* bytes; 0 in the file is read as 1 */
    int64_t next_access;   /* virtual time of the key's next request, -1 none/unknown */
} trace_req_t;

/* Names as the scenario spells them ("csv", "webcachesim", "oracleGeneral");
 * -1 when unknown. */
int trace_format_parse(const char *name);
/* The object id a text trace gives key text s[0..n): a decimal key is
 * itself, any other text a 64-bit hash (what operations naming objects use). */
uint64_t trace_key(const char *s, size_t n);
extern const char *const trace_format_names[];

trace_t *trace_open(const char *path, trace_format_t fmt, char *err, size_t errlen);
/* Reads a trace held in memory (len bytes at buf, which must outlive the
 * reader); name stands for the file in messages. */
trace_t *trace_open_mem(const void *buf, size_t len, trace_format_t fmt, const char *name,
                        char *err, size_t errlen);
/* Before the first trace_next: reads the whole trace once to learn every
 * request's next access, then rewinds. Costs 8 bytes per request for the
 * reader's life, plus 32 bytes per distinct key during the pass; the source
 * must be a regular file or memory (not a pipe). -1 on malformed input. */
int trace_annotate_next_access(trace_t *t, char *err, size_t errlen);
/* 1: a request in *r; 0: end of trace; -1: malformed input (message in err). */
int trace_next(trace_t *t, trace_req_t *r, char *err, size_t errlen);
/* Up to max requests into r[0..): their number, 0 at the end of the trace,
 * -1 on malformed input; the same requests and messages as trace_next one
 * at a time, decoded in one loop where the format allows (oracleGeneral). */
int64_t trace_next_many(trace_t *t, trace_req_t *r, size_t max, char *err, size_t errlen);
/* trace_next_many without the requests: checks up to max of them (the same
 * checks, the same messages) and raises *max_key to the largest key seen;
 * for a caller that reads the records in place (a mapped oracleGeneral
 * file). */
int64_t trace_check_many(trace_t *t, size_t max, uint64_t *max_key, char *err, size_t errlen);
void trace_close(trace_t *t);
/* Requests read so far. */
uint64_t trace_count(const trace_t *t);
/* Time of the last request read, from the first: the span so far. */
simtime_t trace_span(const trace_t *t);

#endif
