/* QEMU's dump-guest-memory numbers its NT_PRSTATUS notes by vCPU: pr_pid is
 * the vCPU index plus one, and every vCPU gets a note (see
 * hypervisor-dump-facts.md). This is the one definition of that rule: the
 * checker, the CPU map and the core generator all use it. */
#ifndef DUMPLAB_QEMUNOTE_H
#define DUMPLAB_QEMUNOTE_H

#include <glib.h>

/* The vCPU a QEMU note's pr_pid names, or -1 when it names none. */
static inline int dl_qemu_note_cpu(gint32 pr_pid)
{
    return pr_pid > 0 ? (int)pr_pid - 1 : -1;
}

/* The pr_pid QEMU writes for vCPU index cpu. */
static inline gint32 dl_qemu_note_pid(guint cpu)
{
    return (gint32)cpu + 1;
}

#endif
