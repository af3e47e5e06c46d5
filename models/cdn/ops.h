/* ops — the scenario's operations during a run (withdrawals, announcements,
 * purges that propagate, deploys, pushes, origin outages) and the DDoS flood
 * with its scrubbing. Uses only state.h below it; cdn.c drives it. */
#ifndef CDNSIM_CDN_OPS_H
#define CDNSIM_CDN_OPS_H

#include "models/cdn/state.h"

/* resolves operations and the attack's bots (bad input: -2); then
 * schedules them; then reports where the flood went. */
int ops_prepare(cdn_t *c, char *err, size_t errlen);
void ops_schedule(cdn_t *c);
/* The flood's sends from `from` on at c->attack_rate from c->bots (a
 * domain's bots after a re-split), the pending chain dropped. */
void ops_attack_restart(cdn_t *c, simtime_t from);
void ops_attack_json(const cdn_t *c, cJSON *o);
/* the result's `operations`: each with its time, kind, target and effects */
void ops_json(const cdn_t *c, cJSON *o);
void ops_free(cdn_t *c);

#endif
