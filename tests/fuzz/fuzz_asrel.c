/* fuzz_asrel — an AS-relationship file (a|b|-1, a|b|0) through the parser
 * `routes --as-rel` and the world use, then BGP over what it accepted. */
#include <stdlib.h>

#include "models/net/asgraph.h"
#include "models/net/bgp.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size), err[512];
    asg_t *g = asg_parse_asrel(text, size, "fuzz.txt", err, sizeof err);
    free(text);
    if (!g) return 0;
    bgp_t *b = asg_node_count(g) > 0 ? bgp_create(g) : NULL;
    if (b && bgp_announce(b, 0, 1, err, sizeof err) == 0 && bgp_compute(b, err, sizeof err) == 0) {
        uint32_t path[64];
        for (int v = 0; v < asg_node_count(g); v++) bgp_as_path(b, v, path, 64);
    }
    bgp_free(b);
    asg_free(g);
    return 0;
}
