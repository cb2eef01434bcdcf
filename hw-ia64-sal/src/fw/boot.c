/* Application processors at boot, as SAL holds them: every CPU but the
 * bootstrap one waits in SAL until it receives the AP_WAKEUP interrupt
 * (vector 0xf0, as the SAL system table's AP_WAKEUP entry says), then
 * enters the OS's BOOT_RENDEZ entry (SAL_SET_VECTORS type 2) with its gp
 * in r1, in physical mode. Linux's smpboot wakes its APs this way. */
#include "ia64/exec.h"
#include "ia64/firmware.h"

/* One poll per fetch: the CPU keeps fetching this entry until woken. */
static int ap_spin(void *opaque, struct ia64_cpu *c, uint64_t pa)
{
    struct ia64_fw *fw = opaque;
    unsigned v = IA64_FW_AP_WAKEUP_VECTOR;
    uint64_t *irr = &c->cr[IA64_CR_IRR0 + v / 64];
    /* A wakeup before the OS registered BOOT_RENDEZ stays pending: there
     * is nowhere to go yet. */
    if (!fw->rendez_entry || !((*irr >> (v % 64)) & 1)) {
        /* Wait instead of spinning, so that the booting CPU gets the
         * machine: any interrupt makes this CPU fetch here again. SAL's
         * own TPR opens every class (the OS sets its own in cpu_init). */
        c->cr[IA64_CR_TPR] = 0;
        c->state = IA64_CPU_WAITING;
        return 0;
    }
    *irr &= ~(1ULL << (v % 64));
    ia64_set_gr(c, 1, fw->rendez_gp);
    c->ip = fw->rendez_entry & ~15ULL;
    c->slot = 0;
    fw->ap_wakeups++;
    return 0;
}

int ia64_fw_hold_aps(struct ia64_fw *fw)
{
    struct ia64_machine *m = fw->m;
    if (!fw->ap_spin_installed) {
        if (ia64_machine_add_fw_entry(m, IA64_FW_SAL_AP_SPIN, ap_spin, fw) != 0)
            return -1;
        fw->ap_spin_installed = true;
    }
    for (unsigned i = 1; i < m->ncpus; i++) {
        m->cpus[i].ip = IA64_FW_SAL_AP_SPIN;
        m->cpus[i].slot = 0;
    }
    return 0;
}
