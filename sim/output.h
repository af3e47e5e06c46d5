/* output — writing result files so that no partial file is ever left behind.
 *
 * Text goes to a temporary file beside the target, is flushed and closed,
 * then renamed over the target: readers see the old file or the complete new
 * one, never a half-written one, even when the run is killed. */
#ifndef CDNSIM_OUTPUT_H
#define CDNSIM_OUTPUT_H

#include <stddef.h>
#include <cjson/cJSON.h>

/* Writes text to path atomically; path NULL or "-" writes standard output. */
int output_write_atomic(const char *path, const char *text, char *err, size_t errlen);

/* Prints json (formatted, with a trailing newline) atomically to path. */
int output_write_json(const char *path, const cJSON *json, char *err, size_t errlen);

#endif
