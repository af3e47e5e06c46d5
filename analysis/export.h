/* export — results as tidy tables: a SQLite database or long-format CSV
 * files, for SQL, pandas or R instead of one wide summary.csv.
 *
 * The input is one run's result, or a folder: a sweep's output (its runs/
 * files) or any folder of result files (every *.json in it, by name). Every
 * file must be a cdnsim run result of one result_version; anything else is
 * bad input naming the file. Tables (docs/experiments.md has the schema):
 *   runs        one row a run: run id, file, scenario, seed, sweep point and
 *               replication, durations, program version, config and
 *               overrides (JSON text), and a column per sweep parameter
 *   metrics     (run, metric, value): every numeric result field, flattened
 *   pops        (run, pop, metric, value): every numeric field of each PoP
 *   timeseries  (run, t, pop, metric, value): pop 'all' or a PoP's id
 *   catchments  (run, at_s, kind, pop, metric, value): shares after each
 *               operation ('start', 'withdraw', ...) and the end state
 *   operations  (run, at_s, kind, target)
 *
 * Invariant: the database appears complete or not at all (written to a
 * temporary file beside it, renamed when committed); the rows of a run
 * follow its file's document order, runs the order of their file names, so
 * the same inputs give the same rows. */
#ifndef CDNSIM_EXPORT_H
#define CDNSIM_EXPORT_H

#include <stddef.h>

typedef struct export_set export_set_t;

/* Reads the results at path. 0 and *out; -2 bad input ("file: $: message");
 * -1 out of memory. */
int export_load(const char *path, export_set_t **out, char *err, size_t errlen);
void export_free(export_set_t *x);
size_t export_runs(const export_set_t *x);

/* Writes the tables into a new SQLite database at file (replacing one that
 * is there). 0; -2 when file cannot be written there (named); -1 failure. */
int export_sqlite(export_set_t *x, const char *file, char *err, size_t errlen);
/* Writes DIR/runs.csv, metrics.csv, pops.csv, timeseries.csv,
 * catchments.csv and operations.csv (DIR is created if missing; each file
 * atomically). 0, -2 or -1 as above. */
int export_csv(export_set_t *x, const char *dir, char *err, size_t errlen);

#endif
