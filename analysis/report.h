/* report — a readable text summary of a run's result or a sweep's summary,
 * for terminals and logs (`cdnsim report`, and `make run` after a run).
 *
 * A run: requests, hit and byte hit ratios, statuses, origin load, latency
 * percentiles, and the busiest PoPs (at most 10) in a table sorted by
 * requests. A sweep: one line per point with the watched metrics and their
 * 95% half-widths. Only fields present are shown, so results of richer
 * models report without change here. */
#ifndef CDNSIM_REPORT_H
#define CDNSIM_REPORT_H

#include <stddef.h>

#include "analysis/strbuf.h"

#define REPORT_TOP_POPS 10

/* Appends the report of the result at path (a file, or a sweep folder) to
 * out. 0; -2 bad input (file and path named in err); -1 out of memory. */
int report_text(const char *path, strbuf_t *out, char *err, size_t errlen);

#endif
