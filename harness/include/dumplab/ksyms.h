/* Kernel function extents for the register proof, from the image's
 * System.map moved by the KASLR offset the vmcore's VMCOREINFO records
 * (KERNELOFFSET). Reading /proc/kallsyms in the guest would give the same
 * answer but takes minutes under TCG. */
#ifndef DUMPLAB_KSYMS_H
#define DUMPLAB_KSYMS_H

#include <glib.h>

/* The kernel functions the proof looks for: the panic path, the NMI
 * shootdown, idle loops. NULL-terminated. */
extern const char *const dl_ksyms_wanted[];

/* Manifest lines "ksym name=N start=0x.. end=0x.." (end = the next text
 * symbol) for each wanted name found in system_map, at link address +
 * kaslr_offset. */
GPtrArray *dl_ksyms_manifest(const char *system_map, guint64 kaslr_offset, GError **err);

#endif
