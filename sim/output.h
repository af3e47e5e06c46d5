/* output — writing result files so that no partial file is ever left behind.
 *
 * Text goes to a temporary file beside the target, is flushed and closed,
 * then renamed over the target: readers see the old file or the complete new
 * one, never a half-written one, even when the run is killed. */
#ifndef CDNSIM_OUTPUT_H
#define CDNSIM_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>

/* Whether a result could be written to path (its folder exists and is
 * writable, and path is not itself a folder; NULL or "-" is standard
 * output), so a long run can be refused before it starts rather than fail
 * at its end. Every command that writes a file checks it first. */
bool output_writable(const char *path, char *err, size_t errlen);

/* Writes text to path atomically; path NULL or "-" writes standard output. */
int output_write_atomic(const char *path, const char *text, char *err, size_t errlen);

/* Prints json (formatted, with a trailing newline) atomically to path. */
int output_write_json(const char *path, const cJSON *json, char *err, size_t errlen);

#endif
