/* crashkernel= as Linux 6.1 on x86_64 reads it (kernel/crash_core.c,
 * arch/x86/kernel/setup.c): a size, size@base, ranges
 * (start-[end]:size,...[@base], matched against RAM rounded up to 128M),
 * size,high (with a 256M low part when it lands above 4G), and kdumpctl's
 * "auto" (2G-64G:256M,64G-:512M). From the guest's RAM it predicts what
 * /proc/iomem must show, and checks it. */
#ifndef DUMPLAB_CRASHKERNEL_H
#define DUMPLAB_CRASHKERNEL_H

#include <glib.h>
#include <stdbool.h>

#define DL_CRASHKERNEL_AUTO "2G-64G:256M,64G-:512M"

typedef struct {
    char *value;    /* what the kernel is given ("auto" resolved) */
    guint64 size;   /* bytes reserved; 0 = nothing */
    guint64 base;   /* fixed base (@), 0 = anywhere */
    bool high;      /* ,high: may sit above 4G */
    char *reason;   /* with size 0: why nothing is reserved */
} DlCrashkernel;

/* The kernel's value for the scenario's (auto resolved); caller frees. */
char *dl_crashkernel_kernel_value(const char *value);

/* Predicts the reservation for value with system_ram bytes of RAM. Never
 * fails: a value the kernel rejects reserves nothing, and reason says why. */
void dl_crashkernel_predict(const char *value, guint64 system_ram, DlCrashkernel *out);
void dl_crashkernel_clear(DlCrashkernel *ck);

/* Checks the reservations found in /proc/iomem (ck: DlRange array, the main
 * one and, with ,high above 4G, the low one) against the prediction, for
 * RAM ram (DlRange array). summary: one line for the report. */
bool dl_crashkernel_check(const char *value, GArray *ram, GArray *ck, char **summary,
                          GError **err);

/* The same from the agent's IOMEM messages (DlMsg *) of a run. */
bool dl_crashkernel_check_msgs(const char *value, GPtrArray *iomem_msgs, char **summary,
                               GError **err);

#endif
