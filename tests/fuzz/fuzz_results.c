/* fuzz_results — a result file (a run's result JSON or a sweep summary)
 * through what `report` and `compare` read of it. */
#include "analysis/compare.h"
#include "analysis/report.h"
#include "analysis/strbuf.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, "result.json");
    char err[1024];
    strbuf_t out = { 0 };
    report_text(path, &out, err, sizeof err);
    strbuf_free(&out);
    compare_opts_t o = { 0 };
    compare_outcome_t c = { 0 };
    compare_files(path, path, &o, &c, err, sizeof err);
    compare_outcome_free(&c);
    return 0;
}
