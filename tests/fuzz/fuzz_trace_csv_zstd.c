/* fuzz_trace_csv_zstd — the csv trace reader, input zstd-compressed first (trace_common.h). */
#define FUZZ_FORMAT TRACE_CSV
#define FUZZ_ZSTD 1
#include "tests/fuzz/trace_common.h"
