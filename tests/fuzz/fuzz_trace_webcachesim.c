/* fuzz_trace_webcachesim — the webcachesim trace reader (trace_common.h). */
#define FUZZ_FORMAT TRACE_WEBCACHESIM
#define FUZZ_ZSTD 0
#include "tests/fuzz/trace_common.h"
