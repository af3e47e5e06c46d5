/* registry — the table of eviction policies: a new policy is one line here. */
#include "models/cache/cache_policy.h"

#include <string.h>

extern const cache_policy_t cache_policy_lru;

static const cache_policy_t *const policies[] = {
    &cache_policy_lru,
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
