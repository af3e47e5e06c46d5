/* registry — the table of eviction policies: a new policy is one line here. */
#include "models/cache/cache_policy.h"

#include <string.h>

extern const cache_policy_t cache_policy_lru;
extern const cache_policy_t cache_policy_fifo;
extern const cache_policy_t cache_policy_lfu;
extern const cache_policy_t cache_policy_sieve;
extern const cache_policy_t cache_policy_s3fifo;
extern const cache_policy_t cache_policy_arc;
extern const cache_policy_t cache_policy_clock;
extern const cache_policy_t cache_policy_random;
extern const cache_policy_t cache_policy_belady;
extern const cache_policy_t cache_policy_lfuda;
extern const cache_policy_t cache_policy_gdsf;
extern const cache_policy_t cache_policy_twoq;
extern const cache_policy_t cache_policy_tinylfu;

static const cache_policy_t *const policies[] = {
    &cache_policy_lru,
    &cache_policy_fifo,
    &cache_policy_lfu,
    &cache_policy_sieve,
    &cache_policy_s3fifo,
    &cache_policy_arc,
    &cache_policy_clock,
    &cache_policy_random,
    &cache_policy_belady,
    &cache_policy_lfuda,
    &cache_policy_gdsf,
    &cache_policy_twoq,
    &cache_policy_tinylfu,
    NULL,
};

const cache_policy_t *cache_policy_find(const char *name)
{
    for (int i = 0; policies[i]; i++)
        if (strcmp(policies[i]->name, name) == 0) return policies[i];
    return NULL;
}

const char *const *cache_policy_names(void)
{
    static const char *names[sizeof policies / sizeof policies[0]];
    for (int i = 0; policies[i]; i++) names[i] = policies[i]->name;
    return names;
}
