/* The raw dump disk the crash-kernel agent writes (vm-images/agent/PROTOCOL.md). */
#ifndef DUMPLAB_DUMPDISK_H
#define DUMPLAB_DUMPDISK_H

#include <glib.h>
#include <stdbool.h>

typedef struct {
    guint64 vmcore_offset, vmcore_size;
    guint64 dmesg_offset, dmesg_size;
} DlDumpHeader;

/* Creates a sparse file of size bytes for the guest to write into. */
bool dl_dumpdisk_create(const char *path, guint64 size, GError **err);

/* Reads and validates the header: the capture must have completed and the
 * ranges must lie inside the disk. */
bool dl_dumpdisk_read_header(const char *disk, DlDumpHeader *h, GError **err);

/* Copies the vmcore (mode 0600) and the dmesg out of the disk. On failure
 * (a full disk, say) the partial output files are removed. */
bool dl_dumpdisk_extract(const char *disk, const DlDumpHeader *h, const char *vmcore_path,
                         const char *dmesg_path, GError **err);

/* Copies len bytes at offset of fd_in into a new file path with mode. */
bool dl_copy_range_to_file(int fd_in, guint64 offset, guint64 len, const char *path, int mode,
                           GError **err);

#endif
