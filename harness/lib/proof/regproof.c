/* The register proof: each CPU stopped where the fault says it was. The
 * panicking CPU's saved rip is in the panic path (crash_setup_regs in
 * __crash_kexec for panic(); the faulting instruction, in the crash module,
 * when die() hands over exception registers). A CPU the module left
 * spinning with interrupts off was stopped by the NMI inside its spin loop. */
#include "dumplab/proof.h"

#include <string.h>

static const char *const panic_path[] = {"__crash_kexec", "crash_kexec", "panic", "nmi_panic",
                                         NULL};

static const DlCpuRegs *regs_of(const DlCheckResult *r, int cpu)
{
    for (guint i = 0; i < r->cpus->len; i++) {
        const DlCpuRegs *c = &g_array_index(r->cpus, DlCpuRegs, i);
        if (c->cpu == cpu)
            return c;
    }
    return NULL;
}

/* Where rip is, as "name+0xoff" or the bare address. */
static char *where(const DlManifest *m, guint64 rip)
{
    const DlSymRange *s = dl_sym_find(m->ksyms, rip);
    if (!s)
        s = dl_sym_find(m->msyms, rip);
    return s ? g_strdup_printf("%s+0x%" G_GINT64_MODIFIER "x", s->name, rip - s->start)
             : g_strdup_printf("0x%" G_GINT64_MODIFIER "x", rip);
}

static bool in_panic_path(const DlManifest *m, guint64 rip)
{
    const DlSymRange *s = dl_sym_find(m->ksyms, rip);
    if (s && g_strv_contains(panic_path, s->name))
        return true;
    /* Exception registers: the module's own faulting function. */
    s = dl_sym_find(m->msyms, rip);
    return s && !strstr(s->name, "spin");
}

static DlCpuRole role(const DlManifest *m, guint cpu)
{
    return cpu < m->roles->len ? g_array_index(m->roles, DlCpuRole, cpu) : DL_ROLE_NONE;
}

bool dl_proof_registers(const DlManifest *m, DlCheckResult *r)
{
    guint before = r->defects;
    if (!m->ksyms->len) {
        dl_check_add(r, DL_SEV_WARNING, -1, "regs.no-symbols",
                     "no kernel symbol ranges: the panic path cannot be recognised");
        return true;
    }
    /* The panicking CPU: the kernel's own panic (or oops) report names it;
     * the module's role lines only when the log has no report. They can
     * differ: a hung task is reported by khungtaskd, on another CPU. */
    int pcpu = m->panic_cpu;
    for (guint c = 0; pcpu < 0 && c < m->roles->len; c++)
        if (role(m, c) == DL_ROLE_PANIC || role(m, c) == DL_ROLE_FAULT)
            pcpu = (int)c;
    if (pcpu >= 0) {
        const DlCpuRegs *c = regs_of(r, pcpu);
        if (!c) {
            dl_check_add(r, DL_SEV_DEFECT, -1, "regs.panic-cpu",
                         "the panicking CPU %d has no register note", pcpu);
        } else {
            g_autofree char *w = where(m, c->rip);
            if (!in_panic_path(m, c->rip))
                dl_check_add(r, DL_SEV_DEFECT, (gint64)c->offset, "regs.panic-cpu",
                             "CPU %d panicked but its saved rip %s is not in the panic path", pcpu,
                             w);
            else
                dl_check_add(r, DL_SEV_NOTE, (gint64)c->offset, "regs.panic-cpu",
                             "CPU %d (panicking) stopped at %s", pcpu, w);
        }
    } else {
        bool any = false;
        for (guint i = 0; i < r->cpus->len; i++) {
            const DlCpuRegs *c = &g_array_index(r->cpus, DlCpuRegs, i);
            if (!any && in_panic_path(m, c->rip)) {
                g_autofree char *w = where(m, c->rip);
                dl_check_add(r, DL_SEV_NOTE, (gint64)c->offset, "regs.panic-cpu",
                             "the log does not name the panicking CPU; CPU %d stopped in the "
                             "panic path at %s",
                             c->cpu, w);
                any = true;
            }
        }
        if (!any)
            dl_check_add(r, DL_SEV_DEFECT, -1, "regs.panic-cpu",
                         "no CPU's saved rip is in the panic path");
    }
    for (guint cpu = 0; cpu < m->roles->len; cpu++) {
        /* A spinner that panicked itself (a soft lockup, or the CPU that took
         * the hypervisor's NMI first) was judged as the panicking CPU. */
        if (role(m, cpu) != DL_ROLE_SPIN || (int)cpu == pcpu)
            continue;
        const DlCpuRegs *c = regs_of(r, (int)cpu);
        if (!c) {
            dl_check_add(r, DL_SEV_DEFECT, -1, "regs.spinner",
                         "CPU %u was spinning with interrupts off but has no register note", cpu);
            continue;
        }
        const DlSymRange *s = dl_sym_find(m->msyms, c->rip);
        g_autofree char *w = where(m, c->rip);
        if (!s || !strstr(s->name, "spin"))
            dl_check_add(r, DL_SEV_DEFECT, (gint64)c->offset, "regs.spinner",
                         "CPU %u was spinning with interrupts off, but its saved rip %s is not "
                         "in a spin loop",
                         cpu, w);
        else
            dl_check_add(r, DL_SEV_NOTE, (gint64)c->offset, "regs.spinner",
                         "CPU %u (spinning, interrupts off) stopped at %s", cpu, w);
    }
    return r->defects == before;
}
