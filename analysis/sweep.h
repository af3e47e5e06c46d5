/* sweep — a sweep file expanded into points and replications, run in
 * parallel worker processes, and summarised with confidence intervals.
 *
 * A sweep file names a base scenario (a path relative to the sweep file, or an
 * inline object), "parameters" mapping --set paths to lists of values, and
 * "replications" R (default 1). Every combination of values is a point; point
 * numbers count like nested loops over the parameters in file order, the last
 * parameter varying fastest. Replication r of a point runs with seed
 * rng_replication_seed(s, r), s being the point's scenario seed after its
 * overrides (r = 0 runs with s itself).
 *
 * Invariant everything relies on: a run's result depends only on (base
 * scenario, point, replication), never on --jobs or on which worker ran it or
 * when; each run's file is written atomically and carries a fingerprint of
 * what produced it (the program's build, the base scenario, the point's
 * values, the seed), so a file that exists with the right fingerprint is a
 * finished run and resuming an interrupted sweep reruns only what is missing.
 * The summary is computed from the run files in point and replication order,
 * so it is byte-identical however the runs were scheduled.
 *
 * Layout of the output folder DIR:
 *   DIR/runs/pNNNN-rR.json  one run's result (NNNN the point, at least 4 digits)
 *   DIR/summary.json        per point: parameters, seeds, mean and ci95 per field
 *   DIR/summary.csv         the same, one row per point */
#ifndef CDNSIM_SWEEP_H
#define CDNSIM_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sweep sweep_t;

/* Reads the sweep file and checks every point's scenario before anything
 * runs. 0 and *out set; -2 bad input ("file: $.path: message" in err, naming
 * the parameter at fault); -1 runtime failure (out of memory, temp file). */
int sweep_load(const char *file, sweep_t **out, char *err, size_t errlen);
/* sweep_load in two halves, for `sweep --list`, which prints each point as
 * soon as it is checked: sweep_open reads the file (the points' count is
 * known, none is checked, their seeds are not yet set); sweep_check_point
 * checks point p and sets its seeds (0, -2 bad input, -1 out of memory),
 * and must have passed for every point before a run. */
int sweep_open(const char *file, sweep_t **out, char *err, size_t errlen);
int sweep_check_point(sweep_t *sw, size_t p, char *err, size_t errlen);
void sweep_free(sweep_t *sw);

size_t sweep_points(const sweep_t *sw);
unsigned sweep_replications(const sweep_t *sw);
/* The seed replication r of point p runs with. */
uint64_t sweep_run_seed(const sweep_t *sw, size_t p, unsigned r);
/* DIR/runs/pNNNN-rR.json into buf. */
void sweep_run_path(const char *dir, size_t p, unsigned r, char *buf, size_t len);
/* "content.ttl_s=10 cache.policy=\"lru\"" into buf, for messages and tables. */
void sweep_point_label(const sweep_t *sw, size_t p, char *buf, size_t len);

typedef struct sweep_tally {
    size_t total;    /* points x replications */
    size_t done;     /* finished so far, reused ones included */
    size_t reused;   /* found finished on disk and not rerun */
    size_t ran;      /* computed by this call */
    size_t points;       /* points in the sweep */
    size_t points_done;  /* points whose every replication is finished */
} sweep_tally_t;

/* Called after each finished run (and once before the first). */
typedef void (*sweep_progress_fn)(const sweep_tally_t *t, void *ctx);

/* Runs every unfinished run of the sweep into dir, at most `jobs` worker
 * processes at a time (each run is one forked worker, handed out as workers
 * free up). On a failed run no new runs start, the running ones finish, and
 * the first failure is reported. 0 ok; -1 runtime failure; -2 bad input met
 * while running (a malformed trace record). */
int sweep_run(sweep_t *sw, const char *dir, int jobs, sweep_progress_fn progress, void *ctx,
              sweep_tally_t *tally, char *err, size_t errlen);

/* The pieces sweep_run is made of, for other schedulers (MPI ranks): the
 * output folder made ready (-2 when its name is taken by something that is
 * not a folder), whether a run is finished on disk (resume), and
 * one run computed in the calling process and written atomically (0, -1 or
 * -2 with the point and replication named in err). */
int sweep_prepare_dir(const char *dir, char *err, size_t errlen);
bool sweep_run_finished(const sweep_t *sw, const char *dir, size_t p, unsigned r);
int sweep_run_single(const sweep_t *sw, const char *dir, size_t p, unsigned r, char *err, size_t errlen);

/* Writes DIR/summary.json and DIR/summary.csv from the run files. 0 or -1. */
int sweep_summarize(const sweep_t *sw, const char *dir, char *err, size_t errlen);

/* Mean and 95% confidence half-width of x[0..n-1]: Student t quantile
 * t(0.975, n-1) times the sample standard deviation over sqrt(n); the
 * half-width is 0 for n < 2. */
void sweep_mean_ci95(const double *x, size_t n, double *mean, double *half);

#endif
