/* hugealloc — see hugealloc.h. */
#include "sim/hugealloc.h"

#include <stdlib.h>
#include <sys/mman.h>

#define HUGE_PAGE ((size_t)2 << 20)
#define LINE 64

void *huge_alloc(size_t n)
{
    /* malloc's large blocks start 16 bytes into a page: a 32-byte slot
     * there would straddle two cache lines every other slot */
    if (n < 2 * HUGE_PAGE) return aligned_alloc(LINE, (n + LINE - 1) & ~(size_t)(LINE - 1));
    size_t rounded = (n + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    void *p = aligned_alloc(HUGE_PAGE, rounded);
#ifdef MADV_HUGEPAGE
    if (p) madvise(p, rounded, MADV_HUGEPAGE); /* advice only: ignore its failure */
#endif
    return p;
}
