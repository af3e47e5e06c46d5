/* trace_common — the body of the six trace targets: FUZZ_FORMAT is the
 * trace format, FUZZ_ZSTD 1 compresses the input first (so the mutations
 * reach the records behind the zstd decoder, not only its frame checks).
 * The plain targets also see raw zstd frames: their seeds include them and
 * the reader detects the magic number. The trace is read twice, as a run
 * with belady reads it: annotated with next accesses, then record by record. */
#include <stdlib.h>
#include <zstd.h>

#include "models/workload/trace.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const void *in = data;
    size_t len = size;
    void *packed = NULL;
    if (FUZZ_ZSTD) {
        size_t cap = ZSTD_compressBound(size);
        packed = malloc(cap ? cap : 1);
        if (!packed) return 0;
        len = ZSTD_compress(packed, cap, data, size, 1);
        if (ZSTD_isError(len)) { free(packed); return 0; }
        in = packed;
    }
    char err[512];
    for (int pass = 0; pass < 2; pass++) {
        trace_t *t = trace_open_mem(in, len, FUZZ_FORMAT, "fuzz.trace", err, sizeof err);
        if (!t) break;
        if (pass == 0 && trace_annotate_next_access(t, err, sizeof err) != 0) { trace_close(t); continue; }
        trace_req_t r;
        while (trace_next(t, &r, err, sizeof err) == 1) {}
        trace_close(t);
    }
    free(packed);
    return 0;
}
