/* provenance — what produced a result, written into it: the scenario as
 * resolved (`config`), the --set list (`overrides`), the program (`program`:
 * name, version, `git describe` of the tree it was built from, the build
 * flags that can change results) and the result format's version.
 *
 * Invariant: everything added depends only on the scenario, the overrides
 * and the build, never on the clock, the machine or the working directory
 * beyond the paths the user gave, so same scenario + seed + build still means
 * byte-identical results apart from wall-clock fields. */
#ifndef CDNSIM_PROVENANCE_H
#define CDNSIM_PROVENANCE_H

#include <cjson/cJSON.h>

#include "models/scenario/scenario.h"

/* The result format: 2 since results carry provenance (files without the
 * field are version 1). `cdnsim export` refuses to mix versions. */
#define PROVENANCE_RESULT_VERSION 2

/* Adds result_version, config, overrides, program, (when the model did not
 * write it) `operations` from the scenario's operations, and `warnings`
 * (analysis/steady.h's check among them) to res. */
void provenance_add(cJSON *res, const scenario_t *sc);

/* The program block alone ({"name", "version", "git", "build": {...}}). */
cJSON *provenance_program(void);

#endif
