/* trace — streaming readers of request traces (csv, webcachesim, oracleGeneral
 * plain or zstd-compressed).
 *
 * A reader yields one request at a time through a fixed-size buffer, so memory
 * does not grow with the trace's length. Times are converted to virtual
 * nanoseconds relative to the trace's first request. Errors name the file and
 * the line (text formats) or record number (binary) at fault. */
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
extern const char *const trace_format_names[];

trace_t *trace_open(const char *path, trace_format_t fmt, char *err, size_t errlen);
/* 1: a request in *r; 0: end of trace; -1: malformed input (message in err). */
int trace_next(trace_t *t, trace_req_t *r, char *err, size_t errlen);
void trace_close(trace_t *t);
/* Requests read so far. */
uint64_t trace_count(const trace_t *t);

#endif
