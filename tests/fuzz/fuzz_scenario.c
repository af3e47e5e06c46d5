/* fuzz_scenario — a scenario file through scenario_load (sim/cfg and
 * models/scenario: JSON, types, ranges, unknown keys, --set paths). */
#include "models/scenario/scenario.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, "scenario.json");
    char err[1024];
    char *sets[] = { "cache.policy=lru" };
    scenario_free(scenario_load(path, NULL, 0, false, 0, err, sizeof err));
    /* the same with an override applied to the tree first */
    scenario_free(scenario_load(path, sets, 1, true, 7, err, sizeof err));
    return 0;
}
