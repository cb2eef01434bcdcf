/* Fault and dump-source names, and who delivers each fault. */
#include "dumplab/scenario.h"

#include <string.h>

static const char *const fault_names[DL_FAULT_COUNT] = {
    [DL_FAULT_SYSRQ_C] = "sysrq-c",
    [DL_FAULT_NMI] = "nmi",
    [DL_FAULT_MCE] = "mce",
    [DL_FAULT_SILENT] = "silent",
    [DL_FAULT_PANIC] = "panic",
    [DL_FAULT_BUG] = "bug",
    [DL_FAULT_OOPS] = "oops",
    [DL_FAULT_EXCEPTION] = "exception",
    [DL_FAULT_PANIC_IN_HARDIRQ] = "panic-in-hardirq",
    [DL_FAULT_HARDLOCKUP] = "hardlockup",
    [DL_FAULT_STOP_IRQOFF] = "stop-irqoff",
    [DL_FAULT_SOFTLOCKUP] = "softlockup",
    [DL_FAULT_HUNG_TASK] = "hung-task",
    [DL_FAULT_EXHAUST_STACK] = "exhaust-stack",
    [DL_FAULT_CORRUPT_STACK] = "corrupt-stack",
    [DL_FAULT_MARKERS] = "markers",
};

const char *dl_fault_name(DlFault f)
{
    return (unsigned)f < DL_FAULT_COUNT ? fault_names[f] : "unknown";
}

bool dl_fault_from_name(const char *name, DlFault *out)
{
    for (int i = 0; i < DL_FAULT_COUNT; i++)
        if (!strcmp(name, fault_names[i])) {
            *out = (DlFault)i;
            return true;
        }
    return false;
}

DlFaultOrigin dl_fault_origin(DlFault f)
{
    switch (f) {
    case DL_FAULT_SYSRQ_C:
        return DL_ORIGIN_GUEST;
    case DL_FAULT_NMI:
    case DL_FAULT_MCE:
        return DL_ORIGIN_HYPERVISOR;
    default:
        /* silent included: the module silences the guest, the harness
         * then sends the NMI. */
        return DL_ORIGIN_MODULE;
    }
}

const char *dl_dump_source_name(DlDumpSource d)
{
    static const char *const names[] = {"any", "kdump", "pvpanic", "hypervisor", "none"};
    return (unsigned)d < G_N_ELEMENTS(names) ? names[d] : "any";
}
