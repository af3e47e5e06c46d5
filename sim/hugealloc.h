/* hugealloc — large blocks for memory read at random (a cache's slab and
 * dense index, a decoded trace): aligned to 2 MiB and offered to the kernel
 * for transparent huge pages, so their reads miss the TLB far less and
 * their first touches fault 512 times less often. Invariant: what it
 * returns is released with free(), like malloc's. */
#ifndef CDNSIM_HUGEALLOC_H
#define CDNSIM_HUGEALLOC_H

#include <stddef.h>

/* n bytes, or NULL; blocks under 4 MiB come from malloc as they are. */
void *huge_alloc(size_t n);

#endif
