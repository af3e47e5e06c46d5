/* fuzz_trace_csv — the csv trace reader (trace_common.h). */
#define FUZZ_FORMAT TRACE_CSV
#define FUZZ_ZSTD 0
#include "tests/fuzz/trace_common.h"
