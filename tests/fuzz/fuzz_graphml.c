/* fuzz_graphml — a GraphML topology through igraph's reader and ours. */
#include "models/net/asgraph.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    asg_free(asg_load_graphml(fuzz_file(data, size, "topology.graphml"), err, sizeof err));
    return 0;
}
