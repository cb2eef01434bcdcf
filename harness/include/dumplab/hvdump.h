/* The hypervisor's reference dump of a running crash kernel, and how long
 * the guest was stopped for it, measured twice: on the host (pause to
 * resume) and by the guest's own clock (which stands still while the vCPUs
 * do). */
#ifndef DUMPLAB_HVDUMP_H
#define DUMPLAB_HVDUMP_H

#include "dumplab/guest.h"
#include "dumplab/subproc.h"

#include <glib.h>
#include <stdbool.h>

typedef enum {
    DL_HVDUMP_BACKGROUND,       /* QEMU's background snapshot (bgsnap.h) */
    DL_HVDUMP_SNAPSHOT,         /* pause, copy resident RAM, resume (ramsnap.h) */
    DL_HVDUMP_DUMP_GUEST_MEMORY /* paused for the whole dump */
} DlHvDumpMethod;

typedef struct {
    DlHvDumpMethod method;
    double pause_ms;      /* host: the guest paused .. running again */
    double guest_lost_ms; /* guest clock vs host clock across the dump; <0 unknown */
    double clock_err_ms;  /* +- of guest_lost_ms (round trips of the clock queries) */
    guint64 resident;     /* copy: bytes copied inside the pause; background: stream bytes */
    double total_ms;      /* the whole dump, guest running or not */
    double pagemap_ms, copy_ms, resume_ms; /* copy: where its pause went */
    char *fallback;                        /* why the method asked for gave way to another */
} DlHvDumpTiming;

/* The method: $DUMPLAB_HV_DUMP_METHOD (background | copy |
 * dump-guest-memory); a $DUMPLAB_HV_DUMP_FORMAT other than elf asks for
 * QEMU's own formats, which only dump-guest-memory writes. Default: the
 * copy, which gives way to dump-guest-memory where QEMU is not on this
 * host (a remote or namespaced libvirtd); the timing says so. */
DlHvDumpMethod dl_hvdump_method(void);
const char *dl_hvdump_method_name(DlHvDumpMethod m);

/* Takes the dump into path with the method, timing the guest's downtime.
 * The crash kernel's agent must be waiting for CAPTURE (it answers CLOCK). */
bool dl_hvdump_take(DlGuest *g, DlHvDumpMethod method, const char *path, int timeout_s,
                    DlProgressFn progress, void *progress_data, DlHvDumpTiming *t, GError **err);

/* The same, overlapped with the guest's work: a background snapshot
 * returns once its instant is taken and the guest runs again (t then has
 * the downtime); the stream and the ELF finish in a thread. The copy
 * returns once its instant is in memory; its ELF is written in a thread.
 * dump-guest-memory finishes before start returns. Before the domain goes, wait_released (QEMU
 * has written the stream); finish joins and fills t->total_ms. */
typedef struct DlHvDumpJob DlHvDumpJob;
/* The copy method's preparation (QEMU's memory map, its buffer populated:
 * 0.15 s for 1 GiB), begun in a thread while the crash kernel boots, so it
 * is not paid between the crash kernel's HELLO and the instant. */
typedef struct DlHvDumpPrep DlHvDumpPrep;
DlHvDumpPrep *dl_hvdump_prepare_async(DlGuest *g);
void dl_hvdump_prep_free(DlHvDumpPrep *p); /* joins its thread; NULL is fine */
/* prep: NULL, or from prepare_async for this guest (consumed by the copy). */
DlHvDumpJob *dl_hvdump_start(DlGuest *g, DlHvDumpMethod method, DlHvDumpPrep *prep,
                             const char *path, int timeout_s, DlProgressFn progress,
                             void *progress_data, DlHvDumpTiming *t, GError **err);
bool dl_hvdump_wait_released(DlHvDumpJob *j, int timeout_s, GError **err);
bool dl_hvdump_finish(DlHvDumpJob *j, DlHvDumpTiming *t, GError **err);
void dl_hvdump_job_free(DlHvDumpJob *j);

/* "snapshot: guest stopped 0.21 s (its clock lost 0.22 +- 0.01 s), 300 MiB copied" */
char *dl_hvdump_describe(const DlHvDumpTiming *t);
void dl_hvdump_timing_clear(DlHvDumpTiming *t);

/* Writes WORKDIR/hv-dump.json: the method's timing, and a second method's
 * (may be NULL) taken in the same run. Best effort: figures, not results. */
void dl_hvdump_write_json(const char *workdir, const DlHvDumpTiming *t, const DlHvDumpTiming *t2);

#endif
