/* hugealloc — large blocks for memory read at random (a cache's slab and
 * dense index, key numbers): aligned to 2 MiB and offered to the kernel
 * for transparent huge pages, so their reads miss the TLB far less and
 * their first touches fault 512 times less often. Invariant: what it
 * returns is released with free(), like malloc's. */
#ifndef CDNSIM_HUGEALLOC_H
#define CDNSIM_HUGEALLOC_H

#include <stddef.h>

/* n bytes, or NULL; blocks under 4 MiB are only aligned to a cache line
 * (64 bytes), so records of 32 or 64 bytes each sit in one line. */
void *huge_alloc(size_t n);

#endif
