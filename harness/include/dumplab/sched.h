/* Many runs at once: worker processes (one `dumplab run --worker` per
 * scenario), admitted onto hosts by the guests' sizes, their progress
 * gathered into one line per run. A worker is its own process, so runs
 * share no domain (names carry the worker's pid), no work folder (made by
 * the worker) and no disk (each run's dump disk is in its own folder). */
#ifndef DUMPLAB_SCHED_H
#define DUMPLAB_SCHED_H

#include <glib.h>
#include <stdbool.h>
#include <stdio.h>

/* Under TCG a vCPU thread is busy only part of a run (the guest waits on
 * its disk and the harness); two vCPUs per core measured no slower per run
 * than one here, more did. */
#define DL_SCHED_VCPUS_PER_CORE 2
/* QEMU's own memory beside the guest's RAM (TCG translation cache, device
 * models, libvirt's bookkeeping), as RSS was measured minus guest RAM. */
#define DL_SCHED_QEMU_OVERHEAD_MIB 256
/* Left to the host and the harness itself. */
#define DL_SCHED_HOST_RESERVE_MIB 1024

typedef struct {
    char *uri;       /* libvirt URI the host's workers use; NULL = the local default */
    char *label;     /* short name in progress lines: "local", "host2" */
    bool remote;     /* reached through --connect: images and dumps travel as volumes */
    unsigned cores;  /* the host's CPUs */
    guint64 mem_mib; /* RAM available for guests when the batch started */
    unsigned slots;  /* at most this many runs at once (-j) */
    /* what runs there now */
    unsigned run_count, run_vcpus;
    guint64 run_mem_mib;
    /* figures for the summary */
    unsigned done;
    gint64 busy_ms;
} DlSchedHost;

typedef struct {
    unsigned vcpus, memory_mib;
} DlSchedNeed;

/* The host a run needing `need` may start on now, or -1 (wait). A host
 * takes it when it has a free slot, its vCPUs stay within
 * cores * DL_SCHED_VCPUS_PER_CORE and its guests' RAM plus QEMU's overhead
 * within mem_mib. A run too large for any host's budget still starts,
 * alone, on an idle host (it then fails or passes on its own; waiting
 * would never end). Among hosts that fit, the least loaded one. */
int dl_sched_pick(DlSchedHost *hosts, guint nhosts, const DlSchedNeed *need);
/* Books or releases a run on a host. */
void dl_sched_book(DlSchedHost *h, const DlSchedNeed *need, int sign);

/* The local host: its CPUs and /proc/meminfo's MemAvailable less the
 * reserve. */
bool dl_sched_local_host(DlSchedHost *h, unsigned slots, GError **err);
void dl_sched_host_clear(DlSchedHost *h);

typedef struct {
    char *name; /* the scenario's name */
    DlSchedNeed need;
    char **argv; /* the worker's command; the host's URI goes in its environment */
    /* filled as it runs */
    int host; /* index into hosts, -1 before it started */
    int pid;
    int status;       /* wait status */
    char *workdir;    /* from the worker's "DUMPLAB-WORKDIR path" line */
    char *last;       /* its latest progress text */
    gint64 t0_us, ms; /* start, and wall time */
    gint64 spawn_ms;  /* from fork to the worker's first line: the dispatch cost */
    bool started, finished, first_line;
} DlSchedJob;

/* Runs every job to its end, at most the hosts' slots at once, admitting by
 * dl_sched_pick in order. Progress: one line per run, redrawn in place when
 * out is a terminal, else each worker line as it comes. A signal caught by
 * sigguard is passed to every worker (each then destroys its own domain)
 * and no further job starts. False with err only when a worker cannot be
 * started at all. */
bool dl_sched_run(GPtrArray *jobs /* DlSchedJob * */, DlSchedHost *hosts, guint nhosts, FILE *out,
                  GError **err);
void dl_sched_job_free(DlSchedJob *j);

/* The line a worker prints last: its work folder. */
#define DL_SCHED_WORKDIR_TAG "DUMPLAB-WORKDIR "

#endif
