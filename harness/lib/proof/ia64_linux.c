/* Linux/ia64's own record of where INIT stopped each CPU. Linux's INIT
 * handler entry (mca_asm.S, ia64_os_init_dispatch) builds a partial struct
 * pt_regs of the interrupted context on the CPU's INIT stack, in the CPU's
 * struct ia64_mca_cpu (physical address in __per_cpu_mca[cpu]); cr.ipsr is
 * there, cr.iip is not. ia64_init_handler then stacks a finished copy on
 * the interrupted task's own kernel stack, right below its r12
 * (ia64_mca_modify_original_stack: old_regs = r12 - sizeof(pt_regs)), with
 * cr.iip from PAL's min-state area, which is firmware memory and not in the
 * vmcore. So: the INIT stack says whether INIT stopped the CPU (a CPU that
 * never took INIT has only zeros there, the area is allocated zeroed) and with
 * which PSR; the task's stack (the 64 KiB block holding the partial
 * pt_regs' ar.bspstore) holds the one pt_regs whose r12 points just past
 * itself with that PSR, and its cr.iip is where the CPU was. */
#include "dumplab/error.h"
#include "dumplab/proof.h"

#include <elf.h>
#include <string.h>

/* Linux/ia64 6.1 as guest-kernel/ia64/linux builds it (64 KiB pages, so
 * KERNEL_STACK_SIZE is 64 KiB): struct ia64_mca_cpu is { mca_stack[64 KiB],
 * init_stack[64 KiB] }; mca_asm.h puts the pt_regs at MCA_PT_REGS_OFFSET =
 * ALIGN16(KERNEL_STACK_SIZE - sizeof(struct pt_regs) = 448) into the stack.
 * 64 KiB + 65088 = 130624 is the "addl out0=130624,r2" the built
 * ia64_os_init_dispatch passes to ia64_init_handler. Offsets in pt_regs are
 * uapi/asm/ptrace.h's (b6, b7, ar_csd, ar_ssd, r8-r11, cr_ipsr, cr_iip, ...,
 * ar_bspstore 15th, r12 21st). */
#define KSTACK 0x10000ULL
#define INIT_PT_REGS 130624
#define PT_REGS_SIZE 448
#define PT_CR_IPSR 64
#define PT_CR_IIP 72
#define PT_AR_BSPSTORE 120
#define PT_R12 160
#define REGION7 0xe000000000000000ULL
#define PSR_I (1ULL << 14)
#define PSR_IT (1ULL << 36)
#define SPIN_FUNCTION "lkdtm_HARDLOCKUP"

/* The physical address of kernel virtual address va: the region-5 kernel
 * segment maps the kernel's whole granule linearly. */
static bool kernel_pa(DlDump *d, guint64 va, guint64 *pa)
{
    for (guint i = 0; i < dl_dump_phnum(d); i++) {
        const DlPhdr *p = dl_dump_phdr(d, i);
        if (p->type == PT_LOAD && (p->vaddr >> 61) == 5 && va >= p->vaddr) {
            *pa = va - p->vaddr + p->paddr;
            return true;
        }
    }
    return false;
}

bool dl_ia64_linux_stops(DlDump *d, const DlKsyms *k, guint ncpus, DlIa64Stop *out, GError **err)
{
    const DlKsym *mca = k->by_name ? g_hash_table_lookup(k->by_name, "__per_cpu_mca") : NULL;
    if (!mca) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "the vmlinux has no __per_cpu_mca symbol");
        return false;
    }
    if (mca->size && ncpus > mca->size / 8) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                    "%u CPUs, but __per_cpu_mca has room for %" G_GUINT64_FORMAT, ncpus,
                    mca->size / 8);
        return false;
    }
    guint64 table;
    if (!kernel_pa(d, mca->addr, &table)) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                    "the vmcore has no region-5 kernel segment to find __per_cpu_mca by");
        return false;
    }
    for (guint c = 0; c < ncpus; c++) {
        guint64 area = 0;
        GError *e = NULL;
        if (!dl_dump_read_phys(d, table + 8 * c, &area, 8, &e)) {
            g_propagate_prefixed_error(err, e, "__per_cpu_mca[%u]: ", c);
            return false;
        }
        area = GUINT64_FROM_LE(area);
        if (!area) {
            g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                        "__per_cpu_mca[%u] is 0: CPU %u never set up its MCA/INIT area", c, c);
            return false;
        }
        guint64 regs[PT_REGS_SIZE / 8];
        if (!dl_dump_read_phys(d, area + INIT_PT_REGS, regs, sizeof(regs), &e)) {
            g_propagate_prefixed_error(
                err, e, "CPU %u's INIT stack at 0x%" G_GINT64_MODIFIER "x: ", c, area);
            return false;
        }
        out[c].ipsr = GUINT64_FROM_LE(regs[PT_CR_IPSR / 8]);
        /* Any word: a CPU that was in PAL in physical mode may have had PSR 0. */
        out[c].init = false;
        for (guint i = 0; i < G_N_ELEMENTS(regs); i++)
            out[c].init |= regs[i] != 0;
        out[c].iip = 0;
        guint64 bsp = GUINT64_FROM_LE(regs[PT_AR_BSPSTORE / 8]);
        if (!out[c].init || (bsp >> 61) != 7)
            continue; /* no INIT, or it came in user or physical mode: nothing stacked */
        guint64 task = bsp & ~(KSTACK - 1);
        g_autofree guint64 *blk = g_malloc(KSTACK);
        if (!dl_dump_read_phys(d, task - REGION7, blk, KSTACK, &e)) {
            g_propagate_prefixed_error(
                err, e, "CPU %u's interrupted task stack at 0x%" G_GINT64_MODIFIER "x: ", c, task);
            return false;
        }
        /* The deepest match is the newest: stacks grow down. */
        for (guint64 off = 0; off + PT_REGS_SIZE <= KSTACK; off += 16) {
            const guint64 *w = blk + off / 8;
            if (GUINT64_FROM_LE(w[PT_R12 / 8]) == task + off + PT_REGS_SIZE &&
                GUINT64_FROM_LE(w[PT_CR_IPSR / 8]) == out[c].ipsr) {
                out[c].iip = GUINT64_FROM_LE(w[PT_CR_IIP / 8]);
                break;
            }
        }
    }
    return true;
}

/* "lkdtm_HARDLOCKUP+0x10", or the address when no symbol holds it (PAL or
 * SAL code runs in physical mode). */
static char *where(const DlKsyms *k, const DlIa64Stop *st)
{
    guint64 ip = st->iip;
    /* psr.it = 0: PAL or SAL code (PAL_HALT_LIGHT in the idle loop);
     * Linux stacks no context for an INIT that came in physical mode. */
    if (!ip && !(st->ipsr & PSR_IT))
        return g_strdup("firmware (physical mode)");
    if (!ip)
        return g_strdup("an unknown place (Linux stacked no interrupted context)");
    guint64 off = 0;
    const DlKsym *s = (ip >> 61) == 5 ? dl_ksyms_lookup(k, ip, &off) : NULL;
    if (s && (!s->size || off < s->size))
        return g_strdup_printf("%s+0x%" G_GINT64_MODIFIER "x", s->name, off);
    return g_strdup_printf("0x%" G_GINT64_MODIFIER "x%s", ip,
                           (ip >> 61) == 5 ? "" : " (firmware, physical mode)");
}

bool dl_proof_ia64_linux_stops(DlDump *d, const DlKsyms *k, guint ncpus, guint64 irqoff_mask,
                               int fault_cpu, DlCheckResult *r)
{
    g_autofree DlIa64Stop *st = g_new0(DlIa64Stop, ncpus ? ncpus : 1);
    g_autoptr(GError) e = NULL;
    if (!dl_ia64_linux_stops(d, k, ncpus, st, &e)) {
        dl_check_add(r, DL_SEV_DEFECT, -1, "ia64.init-frame", "%s", e->message);
        return false;
    }
    bool init_fault = fault_cpu < 0;
    bool ok = true;
    g_autoptr(GString) sum = g_string_new(NULL);
    for (guint c = 0; c < ncpus; c++) {
        bool spin = (irqoff_mask >> c) & 1;
        g_autofree char *at = st[c].init ? where(k, &st[c]) : NULL;
        guint64 off = 0;
        const DlKsym *s =
            st[c].init && (st[c].iip >> 61) == 5 ? dl_ksyms_lookup(k, st[c].iip, &off) : NULL;
        g_string_append_printf(sum, "%scpu%u: %s", c ? "; " : "", c,
                               st[c].init            ? at
                               : (int)c == fault_cpu ? "no INIT (crashed the kernel)"
                               : init_fault          ? "no INIT"
                                                     : "no INIT (the stop IPI froze it)");
        if (st[c].init)
            g_string_append_printf(sum, " psr.i=%d", (st[c].ipsr & PSR_I) != 0);
        if (spin && !st[c].init) {
            dl_check_add(r, DL_SEV_DEFECT, -1, "ia64.spinner-init",
                         "CPU %u spun with interrupts off but took no INIT: nothing else can stop "
                         "it, yet its INIT stack is empty",
                         c);
            ok = false;
        } else if (spin && (!s || strcmp(s->name, SPIN_FUNCTION) || (st[c].ipsr & PSR_I))) {
            dl_check_add(r, DL_SEV_DEFECT, -1, "ia64.spinner-init",
                         "CPU %u spun with interrupts off in " SPIN_FUNCTION
                         ", but INIT stopped it at %s with PSR.i=%d",
                         c, at, (st[c].ipsr & PSR_I) != 0);
            ok = false;
        } else if (init_fault && !st[c].init) {
            dl_check_add(r, DL_SEV_DEFECT, -1, "ia64.init-all",
                         "the platform INIT went to every CPU, but CPU %u's INIT stack is empty",
                         c);
            ok = false;
        } else if (!init_fault && (int)c == fault_cpu && st[c].init) {
            dl_check_add(r, DL_SEV_DEFECT, -1, "ia64.panic-cpu-init",
                         "CPU %u crashed the kernel and ran machine_crash_shutdown, yet took INIT "
                         "at %s",
                         c, at);
            ok = false;
        }
    }
    dl_check_add(r, DL_SEV_NOTE, -1, "ia64.stops", "where INIT found each CPU: %s", sum->str);
    return ok;
}
