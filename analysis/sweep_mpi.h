/* sweep_mpi — a sweep spread over MPI ranks, for more than one machine
 * (`make MPI=1`, then `mpirun -n K cdnsim sweep SWEEP.json --out DIR`).
 *
 * Rank 0 only schedules: it finds the unfinished runs (resume works as in a
 * local sweep), hands them out one at a time to whichever rank asks next
 * (dynamic load balancing: a rank that drew a slow run simply asks later),
 * and writes the summary with the same sweep_summarize a local sweep uses.
 * Ranks 1..K-1 compute runs with sweep_run_single and write each result
 * file themselves, so DIR must be one folder every rank sees (a shared file
 * system across machines). Results are the same whichever rank ran them, so
 * the summary is byte-identical to a serial sweep's. Rank 0 waits by
 * polling with short sleeps rather than a spinning blocking receive, so it
 * costs almost no CPU: K + 1 ranks keep K cores busy.
 *
 * Built without CDNSIM_MPI, sweep_mpi_launched() is false and nothing here
 * touches MPI. */
#ifndef CDNSIM_SWEEP_MPI_H
#define CDNSIM_SWEEP_MPI_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/sweep.h"

/* True in an MPI build started by mpirun (the launcher's environment is
 * present); a plain start of an MPI build sweeps with local workers. */
bool sweep_mpi_launched(void);
/* This process's rank from the launcher's environment (0 outside MPI), so
 * that only rank 0 prints, even before MPI is initialised. */
int sweep_mpi_rank(void);

/* Runs the sweep's unfinished runs over the ranks and, on rank 0, writes the
 * summary. Rank 0 returns the status: 0, -1 runtime failure, -2 bad input met
 * while running (message in err); the other ranks return 0 once rank 0 is
 * done, so that rank 0's exit status and message are the job's. The tally
 * and progress calls happen on rank 0. */
int sweep_mpi_run(sweep_t *sw, const char *dir, sweep_progress_fn progress, void *ctx,
                  sweep_tally_t *tally, char *err, size_t errlen);

#endif
