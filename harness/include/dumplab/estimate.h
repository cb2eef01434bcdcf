/* What kdumpctl estimate would say for a guest image, and the sizes it is
 * made of (lib/kdump/estimate.c); dumplab estimate (cmd/cmd_estimate.c)
 * prints it beside the size found by real crashes. */
#ifndef DUMPLAB_ESTIMATE_H
#define DUMPLAB_ESTIMATE_H

#include <glib.h>
#include <stdbool.h>

typedef struct {
    guint64 kernel;       /* the bzImage's init_size: memory the kernel runs in */
    guint64 modules;      /* .ko files the crash kernel loads */
    guint64 initrd;       /* the crash initramfs (with the kdump extras, when used) */
    guint64 arch_default; /* kdumpctl's x86_64 default for this RAM (auto's table) */
    guint64 formula;      /* max(arch_default, kernel + modules + 3 x initrd + 16M + 20M) */
} DlKdumpctlEstimate;

/* Reads the image folder's vmlinuz and initrd.img (uncompressed newc). */
bool dl_kdumpctl_estimate(const char *kernel, const char *initrd, guint64 ram_bytes,
                          bool kdump_extras, DlKdumpctlEstimate *e, GError **err);
guint64 dl_kdumpctl_formula(guint64 kernel, guint64 modules, guint64 initrd,
                            guint64 arch_default);

#endif
