/* hugealloc — see hugealloc.h. */
#include "sim/hugealloc.h"

#include <stdlib.h>
#include <sys/mman.h>

#define HUGE_PAGE ((size_t)2 << 20)

void *huge_alloc(size_t n)
{
    if (n < 2 * HUGE_PAGE) return malloc(n);
    size_t rounded = (n + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    void *p = aligned_alloc(HUGE_PAGE, rounded);
#ifdef MADV_HUGEPAGE
    if (p) madvise(p, rounded, MADV_HUGEPAGE); /* advice only: ignore its failure */
#endif
    return p;
}
