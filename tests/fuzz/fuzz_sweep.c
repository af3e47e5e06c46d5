/* fuzz_sweep — a sweep file through sweep_load, with a valid base scenario
 * "base.json" beside it (the seeds name it); every point is checked. */
#include <string.h>

#include "analysis/sweep.h"
#include "tests/fuzz/fuzz.h"

static const char base[] =
    "{\"name\":\"b\",\"seed\":1,\"duration_s\":10,\"workload\":{\"type\":\"zipf\",\"objects\":100,"
    "\"alpha\":0.8,\"rate_rps\":10,\"size_bytes\":100},\"cache\":{\"policy\":\"lru\","
    "\"capacity_objects\":10},\"content\":{\"ttl_s\":60}}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_file((const uint8_t *)base, strlen(base), "base.json");
    const char *path = fuzz_file(data, size, "sweep.json");
    char err[2048];
    sweep_t *sw = NULL;
    if (sweep_load(path, &sw, err, sizeof err) == 0) sweep_free(sw);
    return 0;
}
