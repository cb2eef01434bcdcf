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

/* Writes the RAM pages of a QEMU migration stream (file stream_fd) as an
 * ELF core at out_fd for the given ranges (DlRamRange, ramsnap.h): every
 * page of every range must be in the stream exactly as data or zero. */
bool dl_bgsnap_stream_to_elf(int stream_fd, GArray *ranges, int out_fd, DlBgSnapStats *st,
                             GError **err);

#endif
