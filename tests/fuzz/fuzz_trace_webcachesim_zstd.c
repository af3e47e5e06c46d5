/* fuzz_trace_webcachesim_zstd — the webcachesim trace reader, input zstd-compressed first (trace_common.h). */
#define FUZZ_FORMAT TRACE_WEBCACHESIM
#define FUZZ_ZSTD 1
#include "tests/fuzz/trace_common.h"
