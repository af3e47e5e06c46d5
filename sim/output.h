/* output — writing result files so that no partial file is ever left behind.
 *
 * Text goes to a temporary file beside the target, is flushed and closed,
 * then renamed over the target: readers see the old file or the complete new
 * one, never a half-written one, even when the run is killed. */
#ifndef CDNSIM_OUTPUT_H
#define CDNSIM_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <cjson/cJSON.h>

/* Whether a result could be written to path (its folder exists and is
 * writable, and path is missing or a regular file: a folder, a device, a
 * named pipe or a socket is refused, since the rename at the end would
 * replace the node itself; NULL or "-" is standard output), so a long run
 * can be refused before it starts rather than fail at its end. Every
 * command that writes a file checks it first (exit 2 when it fails). */
bool output_writable(const char *path, char *err, size_t errlen);

/* Streaming form of output_write_atomic: a stream into a temporary file
 * beside path (standard output for NULL or "-"), then output_commit, which
 * flushes and closes it, checks every write went through, and renames it
 * over path (checked again to be missing or a regular file) -- or, on any
 * failure or when ok is false, removes the temporary. *tmp is owned by the
 * pair; output_commit frees it. */
FILE *output_begin(const char *path, char **tmp, char *err, size_t errlen);
int output_commit(FILE *f, char *tmp, const char *path, bool ok, char *err, size_t errlen);

/* Writes text to path atomically; path NULL or "-" writes standard output. */
int output_write_atomic(const char *path, const char *text, char *err, size_t errlen);

/* Prints json (formatted, with a trailing newline) atomically to path. */
int output_write_json(const char *path, const cJSON *json, char *err, size_t errlen);

#endif
