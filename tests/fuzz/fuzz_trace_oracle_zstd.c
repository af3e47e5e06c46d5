/* fuzz_trace_oracle_zstd — the oracle trace reader, input zstd-compressed first (trace_common.h). */
#define FUZZ_FORMAT TRACE_ORACLE_GENERAL
#define FUZZ_ZSTD 1
#include "tests/fuzz/trace_common.h"
