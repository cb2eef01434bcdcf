/* The hypervisor's reference dump without the long pause, through QEMU's
 * background-snapshot migration: QEMU stops the vCPUs only to save device
 * state and write-protect guest RAM (userfaultfd), resumes them, then
 * streams every page as it was at that instant (a page the guest writes is
 * copied out before the write proceeds). The stream goes to a file passed
 * to QEMU through libvirt (getfd + migrate fd:); its RAM is then written as
 * an ELF core laid out like QEMU's own dump (one PT_LOAD per RAM range of
 * the guest-physical map). */
#ifndef DUMPLAB_BGSNAP_H
#define DUMPLAB_BGSNAP_H

#include "dumplab/subproc.h"

#include <glib.h>
#include <libvirt/libvirt.h>
#include <stdbool.h>

typedef struct {
    double total_ms;      /* QEMU's total-time of the snapshot */
    double downtime_ms;   /* QEMU's own downtime figure, <0 when it gives none */
    guint64 stream_bytes; /* size of the migration stream */
    guint64 pages, zero_pages;
    bool refused_before_start; /* QEMU refused the capability: the guest was never touched */
} DlBgSnapStats;

/* Takes the snapshot of dom into an ELF core at path (0600). The stream
 * file is made next to it and removed. Refused with a clear error when
 * QEMU cannot (no userfaultfd write protection, another migration). */
bool dl_bgsnap_take(virDomainPtr dom, const char *path, int timeout_s, DlProgressFn progress,
                    void *progress_data, DlBgSnapStats *st, GError **err);

/* The same in steps, for overlapping the stream with the guest's work:
 * start returns once the instant is taken (QEMU streams pages only after
 * it stopped the vCPUs, saved them and write-protected RAM); refused says
 * QEMU refused the capability before touching the guest. finish_async
 * waits for the stream and writes the ELF in a thread; stream_done says
 * QEMU no longer needs to run; join returns the result. */
typedef struct DlBgSnap DlBgSnap;
DlBgSnap *dl_bgsnap_start(virDomainPtr dom, const char *path, int timeout_s, bool *refused,
                          GError **err);
bool dl_bgsnap_wait_stream(DlBgSnap *s, DlProgressFn progress, void *progress_data,
                           GError **err);
bool dl_bgsnap_write(DlBgSnap *s, DlBgSnapStats *st, GError **err);
void dl_bgsnap_finish_async(DlBgSnap *s);
bool dl_bgsnap_stream_done(DlBgSnap *s);
bool dl_bgsnap_join(DlBgSnap *s, DlBgSnapStats *st, GError **err);
void dl_bgsnap_free(DlBgSnap *s); /* joins first */

/* Writes the RAM pages of a QEMU migration stream (file stream_fd) as an
 * ELF core at out_fd for the given ranges (DlRamRange, ramsnap.h): every
 * page of every range must be in the stream exactly as data or zero. */
bool dl_bgsnap_stream_to_elf(int stream_fd, GArray *ranges, int out_fd, DlBgSnapStats *st,
                             GError **err);

#endif
