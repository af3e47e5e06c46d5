/* sweep_mpi — scheduling a sweep's runs over MPI ranks; see sweep_mpi.h.
 *
 * Protocol (all messages point to point with rank 0):
 *   worker -> 0  TAG_ASK  long[2] {status of its last run, that run's index
 *                         or -1 for the first ask}; a failed run's message
 *                         follows as TAG_MSG (chars)
 *   0 -> worker  TAG_RUN  long: the next run's index (point * R + r), or -1:
 *                         no more work, leave
 * then one broadcast of rank 0's final status, so every rank exits alike. */
#include "analysis/sweep_mpi.h"

#include <stdlib.h>

#ifdef CDNSIM_MPI

#include <mpi.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

enum { TAG_ASK = 1, TAG_MSG = 2, TAG_RUN = 3 };

bool sweep_mpi_launched(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") || getenv("PMIX_RANK");
}

int sweep_mpi_rank(void)
{
    const char *r = getenv("OMPI_COMM_WORLD_RANK");
    if (!r) r = getenv("PMI_RANK");
    if (!r) r = getenv("PMIX_RANK");
    return r ? atoi(r) : 0;
}

static void nap(void)
{
    struct timespec ts = { 0, 1000000 }; /* 1 ms: rank 0 has nothing else to do */
    nanosleep(&ts, NULL);
}

static void worker(const sweep_t *sw, const char *dir)
{
    long ask[2] = { 0, -1 }, run;
    unsigned reps = sweep_replications(sw);
    for (;;) {
        MPI_Send(ask, 2, MPI_LONG, 0, TAG_ASK, MPI_COMM_WORLD);
        MPI_Recv(&run, 1, MPI_LONG, 0, TAG_RUN, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (run < 0) return;
        char msg[1024] = "";
        int st = sweep_run_single(sw, dir, (size_t)run / reps, (unsigned)((size_t)run % reps), msg, sizeof msg);
        ask[0] = st;
        ask[1] = run;
        if (st != 0) {
            MPI_Send(ask, 2, MPI_LONG, 0, TAG_ASK, MPI_COMM_WORLD);
            MPI_Send(msg, (int)strlen(msg) + 1, MPI_CHAR, 0, TAG_MSG, MPI_COMM_WORLD);
            /* a failure stops the sweep: rank 0 answers it with -1 */
            MPI_Recv(&run, 1, MPI_LONG, 0, TAG_RUN, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            return;
        }
    }
}

static int master(sweep_t *sw, const char *dir, int size, sweep_progress_fn progress, void *ctx,
                  sweep_tally_t *t, char *err, size_t errlen)
{
    unsigned reps = sweep_replications(sw);
    size_t total = sweep_points(sw) * reps, ntodo = 0, next = 0;
    *t = (sweep_tally_t){ .total = total, .points = sweep_points(sw) };
    long *todo = malloc((total ? total : 1) * sizeof *todo);
    unsigned *reps_done = calloc(sweep_points(sw) + 1, sizeof *reps_done);
    int rc = todo && reps_done ? sweep_prepare_dir(dir, err, errlen) : -1;
    if (!todo || !reps_done) snprintf(err, errlen, "out of memory");
    for (size_t i = 0; rc == 0 && i < total; i++) {
        if (sweep_run_finished(sw, dir, i / reps, (unsigned)(i % reps))) {
            t->reused++;
            if (++reps_done[i / reps] == reps) t->points_done++;
        } else {
            todo[ntodo++] = (long)i;
        }
    }
    t->done = t->reused;
    if (progress && rc == 0) progress(t, ctx);
    bool stop = rc != 0;

    if (size == 1) {
        /* no other rank: compute here, in order */
        for (; !stop && next < ntodo; next++) {
            size_t i = (size_t)todo[next];
            rc = sweep_run_single(sw, dir, i / reps, (unsigned)(i % reps), err, errlen);
            if (rc != 0) { stop = true; break; }
            t->ran++;
            t->done++;
            if (++reps_done[i / reps] == reps) t->points_done++;
            if (progress) progress(t, ctx);
        }
    }
    int active = size - 1;
    while (active > 0) {
        long ask[2], run = -1;
        MPI_Request req;
        MPI_Status status;
        int flag = 0;
        MPI_Irecv(ask, 2, MPI_LONG, MPI_ANY_SOURCE, TAG_ASK, MPI_COMM_WORLD, &req);
        for (MPI_Test(&req, &flag, &status); !flag; MPI_Test(&req, &flag, &status)) nap();
        int from = status.MPI_SOURCE;
        if (ask[0] != 0) {
            char msg[1024];
            MPI_Recv(msg, sizeof msg, MPI_CHAR, from, TAG_MSG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            msg[sizeof msg - 1] = 0;
            if (rc == 0) {
                snprintf(err, errlen, "rank %d: %s", from, msg);
                rc = ask[0] == -2 ? -2 : -1;
            }
            stop = true;
        } else if (ask[1] >= 0) {
            size_t i = (size_t)ask[1];
            t->ran++;
            t->done++;
            if (++reps_done[i / reps] == reps) t->points_done++;
            if (progress) progress(t, ctx);
        }
        if (!stop && next < ntodo) run = todo[next++];
        else active--;
        MPI_Send(&run, 1, MPI_LONG, from, TAG_RUN, MPI_COMM_WORLD);
    }
    free(todo);
    free(reps_done);
    if (rc == 0) rc = sweep_summarize(sw, dir, err, errlen);
    return rc;
}

int sweep_mpi_run(sweep_t *sw, const char *dir, sweep_progress_fn progress, void *ctx,
                  sweep_tally_t *tally, char *err, size_t errlen)
{
    int inited = 0, rank = 0, size = 1, rc = 0;
    MPI_Initialized(&inited);
    if (!inited && MPI_Init(NULL, NULL) != MPI_SUCCESS) {
        snprintf(err, errlen, "MPI_Init failed");
        return -1;
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    sweep_tally_t t = { 0 };
    if (rank == 0) rc = master(sw, dir, size, progress, ctx, &t, err, errlen);
    else worker(sw, dir);
    /* Every rank stays until rank 0 is done (summary written). A blocking
     * broadcast would spin: finished workers would take CPU from the last
     * running ones, so they wait with naps like rank 0 does. */
    MPI_Request req;
    int flag = 0;
    MPI_Ibcast(&rc, 1, MPI_INT, 0, MPI_COMM_WORLD, &req);
    for (MPI_Test(&req, &flag, MPI_STATUS_IGNORE); !flag; MPI_Test(&req, &flag, MPI_STATUS_IGNORE)) nap();
    if (tally) *tally = t;
    MPI_Finalize();
    /* mpirun aborts the job when the first rank exits non-zero: only rank 0
     * does, after printing its message, so its status is the job's */
    return rank == 0 ? rc : 0;
}

#else /* !CDNSIM_MPI: the local build, where mpirun never starts a sweep */

#include <stdio.h>

bool sweep_mpi_launched(void) { return false; }
int sweep_mpi_rank(void) { return 0; }

int sweep_mpi_run(sweep_t *sw, const char *dir, sweep_progress_fn progress, void *ctx,
                  sweep_tally_t *tally, char *err, size_t errlen)
{
    (void)sw; (void)dir; (void)progress; (void)ctx; (void)tally;
    snprintf(err, errlen, "this cdnsim was built without MPI (make MPI=1)");
    return -1;
}

#endif
