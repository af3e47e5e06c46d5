/* fuzz — what the fuzz targets share (tests/fuzz/README.md).
 *
 * Each fuzz_<target>.c defines LLVMFuzzerTestOneInput over one parser of
 * the program's inputs, and is built twice: with libFuzzer (clang, `make
 * fuzz`) to search for crashing inputs, and with replay.c (any compiler,
 * `make test`) to feed it the kept regression inputs and seed corpus. The
 * invariant every target checks: any bytes give a result or an error
 * message, never a crash, a sanitizer report, a leak or a hang. */
#ifndef CDNSIM_FUZZ_H
#define CDNSIM_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Writes data to the file `name` in this process's scratch folder (made on
 * first use, removed at exit) and returns its path: for the parsers that
 * read a file by name. The same name is rewritten by each call. */
const char *fuzz_file(const uint8_t *data, size_t size, const char *name);

/* data as a NUL-terminated string (owned by the caller). */
char *fuzz_text(const uint8_t *data, size_t size);

#endif
