/* fuzz_trace_oracle — the oracle trace reader (trace_common.h). */
#define FUZZ_FORMAT TRACE_ORACLE_GENERAL
#define FUZZ_ZSTD 0
#include "tests/fuzz/trace_common.h"
