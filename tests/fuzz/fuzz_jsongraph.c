/* fuzz_jsongraph — a JSON topology ({"nodes", "links"}) through asg_load_json. */
#include "models/net/asgraph.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    asg_free(asg_load_json(fuzz_file(data, size, "topology.json"), err, sizeof err));
    return 0;
}
