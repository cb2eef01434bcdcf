/* The faults dumplab can provoke, in one table (harness/lib/fault/fault.c):
 * each fault's name, who delivers it and how, what the first kernel needs
 * (sysctls) to end it in a panic, how many vCPUs it needs, and whether the
 * harness must send an NMI to a guest that stays silent. Adding a fault is an
 * enum line here and a row there (plus its guest side: the crash module or
 * the agent). */
#ifndef DUMPLAB_FAULT_H
#define DUMPLAB_FAULT_H

#include <glib.h>
#include <libvirt/libvirt.h>
#include <stdbool.h>

/* Where a fault comes from decides who delivers it: the agent (through
 * /proc/sysrq-trigger or the crash module) or the harness (libvirt). */
typedef enum { DL_ORIGIN_GUEST, DL_ORIGIN_MODULE, DL_ORIGIN_HYPERVISOR } DlFaultOrigin;

typedef enum {
    DL_FAULT_SYSRQ_C, /* echo c > /proc/sysrq-trigger            */
    DL_FAULT_NMI,     /* virDomainInjectNMI, unknown_nmi_panic=1 */
    DL_FAULT_MCE,     /* QEMU monitor "mce"                      */
    DL_FAULT_SILENT,  /* module: every CPU spins irq-off, no panic;
                         the harness sends an NMI after a deadline */
    DL_FAULT_PANIC,   /* module faults from here on              */
    DL_FAULT_BUG,
    DL_FAULT_OOPS,
    DL_FAULT_EXCEPTION,
    DL_FAULT_PANIC_IN_HARDIRQ,
    DL_FAULT_HARDLOCKUP,
    DL_FAULT_STOP_IRQOFF,
    DL_FAULT_SOFTLOCKUP,
    DL_FAULT_HUNG_TASK,
    DL_FAULT_EXHAUST_STACK,
    DL_FAULT_CORRUPT_STACK,
    DL_FAULT_MARKERS, /* markers only, then panic */
    DL_FAULT_TEXT_PATCH, /* kernel text changes that do not crash, for  */
    DL_FAULT_KPROBE,     /* the text watch (monitor = text)             */
    DL_FAULT_STATIC_KEY,
    DL_FAULT_FTRACE,
    DL_FAULT_COUNT
} DlFault;

typedef struct {
    DlFault id;
    const char *name; /* the scenario's "fault =" word, the agent's FAULT kind= */
    DlFaultOrigin origin;
    /* Hypervisor faults: how the harness delivers one aimed at vCPU cpu.
     * NULL: the agent is sent "FAULT kind=NAME cpu=N". */
    bool (*deliver)(virDomainPtr dom, int cpu, GError **err);
    /* sysctls (NULL-terminated) without which the fault does not end in a
     * panic, or not in time; the catalog test holds every scenario to it. */
    const char *const *sysctls;
    unsigned min_vcpus; /* hardlockup needs a second CPU to see the first stuck */
    int nmi_after_s;    /* >0: the guest stays silent; send an NMI after this long */
} DlFaultInfo;

const DlFaultInfo *dl_fault_info(DlFault f); /* NULL when out of range */
const char *dl_fault_name(DlFault f);        /* "sysrq-c", "nmi", "panic", ... */
bool dl_fault_from_name(const char *name, DlFault *out);
DlFaultOrigin dl_fault_origin(DlFault f);
/* Changes kernel text and the guest runs on: only for monitor = text
 * scenarios, which expect a text_change instead of a dump. */
bool dl_fault_changes_text(DlFault f);

#endif
