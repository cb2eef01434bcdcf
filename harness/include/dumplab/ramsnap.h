/* The hypervisor's reference dump with a short pause: the guest is paused
 * only while its resident RAM pages are copied out of QEMU's address space
 * (process_vm_readv, pages chosen by /proc/PID/pagemap), then resumed; the
 * ELF core is written from that copy while the guest runs on. Every page is
 * of the one instant the vCPUs stopped, as with dump-guest-memory, whose
 * pause lasts the whole write. */
#ifndef DUMPLAB_RAMSNAP_H
#define DUMPLAB_RAMSNAP_H

#include <glib.h>
#include <libvirt/libvirt.h>
#include <stdbool.h>

/* A guest-physical range backed by one contiguous piece of a QEMU RAM block. */
typedef struct {
    guint64 gpa, size;
    guint64 hva;    /* QEMU's virtual address of gpa (0 until looked up) */
    guint64 offset; /* where gpa lies in the RAM block */
    char block[64];
} DlRamRange;

/* The RAM and ROM ranges of the "memory" address space in the text of the
 * HMP command "info mtree -f" (what QEMU's own dump writes as PT_LOADs),
 * adjacent ranges of one block merged. */
bool dl_ramsnap_parse_mtree(const char *text, GArray *ranges, GError **err);

typedef struct {
    double pause_ms;        /* suspend returned .. resume returned */
    guint64 ram_bytes;      /* bytes of guest-physical RAM in the dump */
    guint64 resident_bytes; /* bytes copied while paused */
    double pagemap_ms, copy_ms, resume_ms; /* where the pause went */
} DlRamSnapStats;

typedef struct DlRamSnap DlRamSnap;

/* Finds QEMU's process and RAM ranges and reserves the copy buffer; the
 * guest keeps running. Only for a local libvirt (QEMU's pid file). */
DlRamSnap *dl_ramsnap_prepare(virDomainPtr dom, GError **err);
/* Pauses the guest, copies its resident pages, resumes it. */
bool dl_ramsnap_capture(DlRamSnap *s, DlRamSnapStats *st, GError **err);
/* Writes the copy as an ELF64 core (mode 0600; pages never touched are
 * holes in the file, read back as zeros, as they are in the guest). */
bool dl_ramsnap_write_elf(DlRamSnap *s, const char *path, GError **err);
void dl_ramsnap_free(DlRamSnap *s);

/* The ELF64 core header for ranges: one PT_NOTE (a DUMPLAB note saying how
 * the dump was taken) and one PT_LOAD per range, range i's bytes at
 * *data_off plus the sizes of the ranges before it. */
guint8 *dl_ramsnap_elf_header(GArray *ranges, const char *note_text, gsize *len,
                              guint64 *data_off);

#endif
