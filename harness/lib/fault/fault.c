/* The fault table (dumplab/fault.h): every fault's facts in one row. */
#include "dumplab/fault.h"
#include "dumplab/scenario.h"
#include "dumplab/virt.h"
#include "dumplab/error.h"

#include <string.h>

static bool deliver_nmi(virDomainPtr dom, int cpu, GError **err)
{
    /* virDomainInjectNMI reaches every vCPU; cpu is not a choice here. */
    return dl_virt_inject_nmi(dom, err);
}

static bool deliver_mce(virDomainPtr dom, int cpu, GError **err)
{
    /* An uncorrected error that corrupted the processor context
     * (MCi_STATUS VAL|UC|EN|PCC), MCIP set and no RIPV: Linux can only
     * panic ("Fatal machine check"). Broadcast, as hardware does. */
    g_autofree char *cmd =
        g_strdup_printf("mce -b %d 1 0xb200000000000000 0x4 0x0 0x0", cpu >= 0 ? cpu : 0);
    g_autofree char *reply = NULL;
    if (!dl_virt_hmp(dom, cmd, &reply, err))
        return false;
    if (reply && *g_strstrip(reply)) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "QEMU refused '%s': %s", cmd, reply);
        return false;
    }
    return true;
}

#define SYSCTLS(...) ((const char *const[]){__VA_ARGS__, NULL})

static const DlFaultInfo faults[DL_FAULT_COUNT] = {
    {DL_FAULT_SYSRQ_C, "sysrq-c", DL_ORIGIN_GUEST, NULL, NULL, 1, 0},
    {DL_FAULT_NMI, "nmi", DL_ORIGIN_HYPERVISOR, deliver_nmi, SYSCTLS("kernel.unknown_nmi_panic"), 1,
     0},
    {DL_FAULT_MCE, "mce", DL_ORIGIN_HYPERVISOR, deliver_mce, NULL, 1, 0},
    /* The module silences every CPU; the harness then sends the NMI an
     * operator would. */
    {DL_FAULT_SILENT, "silent", DL_ORIGIN_MODULE, NULL, SYSCTLS("kernel.unknown_nmi_panic"), 1, 15},
    {DL_FAULT_PANIC, "panic", DL_ORIGIN_MODULE, NULL, NULL, 1, 0},
    {DL_FAULT_BUG, "bug", DL_ORIGIN_MODULE, NULL, SYSCTLS("kernel.panic_on_oops"), 1, 0},
    {DL_FAULT_OOPS, "oops", DL_ORIGIN_MODULE, NULL, SYSCTLS("kernel.panic_on_oops"), 1, 0},
    {DL_FAULT_EXCEPTION, "exception", DL_ORIGIN_MODULE, NULL, SYSCTLS("kernel.panic_on_oops"), 1,
     0},
    {DL_FAULT_PANIC_IN_HARDIRQ, "panic-in-hardirq", DL_ORIGIN_MODULE, NULL, NULL, 1, 0},
    {DL_FAULT_HARDLOCKUP, "hardlockup", DL_ORIGIN_MODULE, NULL, SYSCTLS("kernel.hardlockup_panic"),
     2, 0},
    {DL_FAULT_STOP_IRQOFF, "stop-irqoff", DL_ORIGIN_MODULE, NULL, NULL, 1, 0},
    {DL_FAULT_SOFTLOCKUP, "softlockup", DL_ORIGIN_MODULE, NULL,
     SYSCTLS("kernel.softlockup_panic", "kernel.watchdog_thresh"), 1, 0},
    {DL_FAULT_HUNG_TASK, "hung-task", DL_ORIGIN_MODULE, NULL,
     SYSCTLS("kernel.hung_task_panic", "kernel.hung_task_timeout_secs"), 1, 0},
    {DL_FAULT_EXHAUST_STACK, "exhaust-stack", DL_ORIGIN_MODULE, NULL, NULL, 1, 0},
    {DL_FAULT_CORRUPT_STACK, "corrupt-stack", DL_ORIGIN_MODULE, NULL, NULL, 1, 0},
    {DL_FAULT_MARKERS, "markers", DL_ORIGIN_MODULE, NULL, NULL, 1, 0},
    /* guest-kernel/dl_text.c: the text watch's faults; none panics. */
    {DL_FAULT_TEXT_PATCH, "text-patch", DL_ORIGIN_MODULE, NULL, NULL, 1, 0},
    {DL_FAULT_KPROBE, "kprobe", DL_ORIGIN_MODULE, NULL, NULL, 1, 0},
    {DL_FAULT_STATIC_KEY, "static-key", DL_ORIGIN_MODULE, NULL, NULL, 1, 0},
    {DL_FAULT_FTRACE, "ftrace", DL_ORIGIN_MODULE, NULL, NULL, 1, 0},
};

const DlFaultInfo *dl_fault_info(DlFault f)
{
    return (unsigned)f < DL_FAULT_COUNT ? &faults[f] : NULL;
}

const char *dl_fault_name(DlFault f)
{
    return (unsigned)f < DL_FAULT_COUNT ? faults[f].name : "unknown";
}

bool dl_fault_from_name(const char *name, DlFault *out)
{
    for (int i = 0; i < DL_FAULT_COUNT; i++)
        if (!strcmp(name, faults[i].name)) {
            *out = (DlFault)i;
            return true;
        }
    return false;
}

DlFaultOrigin dl_fault_origin(DlFault f)
{
    return (unsigned)f < DL_FAULT_COUNT ? faults[f].origin : DL_ORIGIN_MODULE;
}

bool dl_fault_changes_text(DlFault f)
{
    static const DlFault text[] = {DL_FAULT_TEXT_PATCH, DL_FAULT_KPROBE, DL_FAULT_STATIC_KEY,
                                   DL_FAULT_FTRACE};
    for (size_t i = 0; i < G_N_ELEMENTS(text); i++)
        if (text[i] == f)
            return true;
    return false;
}

const char *dl_dump_source_name(DlDumpSource d)
{
    static const char *const names[] = {"any", "kdump", "pvpanic", "hypervisor", "none"};
    return (unsigned)d < G_N_ELEMENTS(names) ? names[d] : "any";
}
