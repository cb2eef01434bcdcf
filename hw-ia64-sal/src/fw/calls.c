/* SAL and PAL procedures. SAL is called with br.call (in0 = function id,
 * results in r8..r11); PAL static calls (index < 256 in r28, args r29..r31)
 * are entered with a branch and return to b0, stacked ones (256..511) with
 * br.call. Unknown calls return -1 in r8, as the architecture requires. */
#include "ia64/exec.h"
#include "ia64/firmware.h"
#include "ia64/mem.h"

#include <stdio.h>
#include <string.h>

static void ret4(struct ia64_cpu *c, int64_t r8, uint64_t r9, uint64_t r10, uint64_t r11)
{
    ia64_set_gr(c, 8, (uint64_t)r8);
    ia64_set_gr(c, 9, r9);
    ia64_set_gr(c, 10, r10);
    ia64_set_gr(c, 11, r11);
}

static int sal_proc(void *opaque, struct ia64_cpu *c, uint64_t pa)
{
    struct ia64_fw *fw = opaque;
    uint64_t id = ia64_fw_arg(c, 0);
    switch (id) {
    case SAL_SET_VECTORS: {
        uint64_t type = ia64_fw_arg(c, 1);
        uint64_t a1 = ia64_fw_arg(c, 2), gp1 = ia64_fw_arg(c, 3);
        uint64_t a2 = ia64_fw_arg(c, 5), gp2 = ia64_fw_arg(c, 6);
        if (type == SAL_VECTOR_OS_INIT) {
            /* Handler 1 is the monarch's, handler 2 the slaves'. */
            fw->init_monarch = a1;
            fw->init_monarch_gp = gp1;
            fw->init_slave = a2 ? a2 : a1;
            fw->init_slave_gp = a2 ? gp2 : gp1;
        } else if (type == SAL_VECTOR_OS_MCA) {
            fw->mca_entry = a1;
            fw->mca_gp = gp1;
        } else if (type == SAL_VECTOR_OS_BOOT_RENDEZ) {
            fw->rendez_entry = a1;
            fw->rendez_gp = gp1;
        } else {
            ret4(c, -2, 0, 0, 0); /* invalid argument */
            break;
        }
        ret4(c, 0, 0, 0, 0);
        break;
    }
    case SAL_GET_STATE_INFO_SIZE:
    case SAL_GET_STATE_INFO:
    case SAL_CLEAR_STATE_INFO:
        if (ia64_fw_arg(c, 1) > SAL_INFO_TYPE_CPE)
            ret4(c, -2, 0, 0, 0); /* MCA, INIT, CMC, CPE only */
        else if (id == SAL_GET_STATE_INFO_SIZE)
            ret4(c, 0, 4096, 0, 0);
        else if (id == SAL_GET_STATE_INFO)
            ret4(c, -5, 0, 0, 0); /* no record logged (what KVM and Ski answer) */
        else
            ret4(c, 0, 0, 0, 0);
        break;
    case SAL_MC_RENDEZ:
        /* Spin in SAL until the monarch's wakeup interrupt: the CPU keeps
         * fetching the spin entry, which returns from this call once the
         * vector is pending (PSR.i does not matter: SAL polls the IRR). */
        c->ip = IA64_FW_SAL_RENDEZ_SPIN;
        c->slot = 0;
        return 0;
    case SAL_MC_SET_PARAMS: {
        uint64_t type = ia64_fw_arg(c, 1), mech = ia64_fw_arg(c, 2), val = ia64_fw_arg(c, 3);
        if (type < SAL_MC_PARAM_RENDEZ_INT || type > SAL_MC_PARAM_CPE_INT ||
            (mech != SAL_MC_PARAM_MECHANISM_INT && mech != SAL_MC_PARAM_MECHANISM_MEM) ||
            (mech == SAL_MC_PARAM_MECHANISM_INT && (val < 16 || val > 255))) {
            ret4(c, -2, 0, 0, 0);
            break;
        }
        if (type == SAL_MC_PARAM_RENDEZ_WAKEUP && mech == SAL_MC_PARAM_MECHANISM_INT)
            fw->wakeup_vector = (unsigned)val;
        ret4(c, 0, 0, 0, 0);
        break;
    }
    case SAL_CACHE_FLUSH: /* nothing is cached; pending interrupts stay pending */
    case SAL_CACHE_INIT:
        ret4(c, 0, 0, 0, 0);
        break;
    case SAL_PCI_CONFIG_READ: {
        /* No PCI device answers: a master abort reads all ones. */
        uint64_t size = ia64_fw_arg(c, 2);
        if (size != 1 && size != 2 && size != 4)
            ret4(c, -2, 0, 0, 0);
        else
            ret4(c, 0, (1ULL << (8 * size)) - 1, 0, 0);
        break;
    }
    case SAL_PCI_CONFIG_WRITE: /* goes nowhere */
        ret4(c, ia64_fw_arg(c, 2) == 1 || ia64_fw_arg(c, 2) == 2 || ia64_fw_arg(c, 2) == 4 ? 0 : -2,
             0, 0, 0);
        break;
    case SAL_PHYSICAL_ID_INFO: /* one socket per CPU: its index */
        ret4(c, 0, c->index, 0, 0);
        break;
    case SAL_FREQ_BASE: {
        static const uint64_t hz[] = {200000000, 700000000, 1};
        uint64_t which = ia64_fw_arg(c, 1);
        if (which < 3)
            ret4(c, 0, hz[which], 0, 0);
        else
            ret4(c, -2, 0, 0, 0);
        break;
    }
    default:
        ret4(c, -1, 0, 0, 0);
        break;
    }
    ia64_fw_return_stacked(c);
    return 0;
}

/* PAL_HALT_INFO's buffer (8 power states) is addressed under the caller's
 * PSR; a firmware write must not leave fault state in the CRs. */
static bool pal_write_buf(struct ia64_cpu *c, uint64_t va, const uint64_t *v, unsigned n)
{
    static const unsigned saved[] = {IA64_CR_ISR, IA64_CR_IFA, IA64_CR_ITIR, IA64_CR_IHA};
    uint64_t keep[4];
    for (unsigned i = 0; i < 4; i++)
        keep[i] = c->cr[saved[i]];
    bool ok = true;
    for (unsigned i = 0; i < n && ok; i++) {
        uint64_t pa;
        ok = ia64_translate(c, va + i * 8, IA64_ACC_WRITE, false, &pa) == 0 &&
             ia64_phys_write(c->machine, c, pa, 8, v[i]) == 0;
    }
    for (unsigned i = 0; i < 4; i++)
        c->cr[saved[i]] = keep[i];
    return ok;
}

static int pal_proc(void *opaque, struct ia64_cpu *c, uint64_t pa)
{
    uint64_t idx = ia64_gr(c, 28);
    bool stacked = idx >= 256 && idx < 512;
    /* Static calls take arguments in r29..r31, stacked ones in in1..in3. */
    uint64_t arg1 = stacked ? ia64_fw_arg(c, 1) : ia64_gr(c, 29);
    switch (idx) {
    case PAL_CACHE_FLUSH: /* nothing is cached: done, no progress to report */
    case PAL_CACHE_INIT:
    case PAL_PROC_SET_FEATURES:
    case PAL_MC_DRAIN:
    case PAL_MC_CLEAR_LOG: /* v0 = 0: no MCA or INIT log pending */
        ret4(c, 0, 0, 0, 0);
        break;
    case PAL_CACHE_SUMMARY: /* one cache level, one unified cache */
        ret4(c, 0, 1, 1, 0);
        break;
    case PAL_CACHE_INFO: {
        /* (level, type): type 2 is "data or unified", type 1
         * "instruction". Level 0 is one unified cache, so only type 2
         * answers: Linux's cache_add_dev counts the (level, type) pairs
         * that answer into an array of PAL_CACHE_SUMMARY's unique_caches
         * entries, and a second answer overruns it. config_info_1:
         * unified, write-back (at 0), 4-way, line and stride 2^7,
         * latency 1; config_info_2: size, alias boundary and tag bits of
         * 50-bit physical addresses. */
        uint64_t level = arg1, type = ia64_gr(c, 30);
        if (level != 0 || type != 2) {
            ret4(c, -2, 0, 0, 0);
            break;
        }
        uint64_t info1 = 1 | (4ULL << 8) | ((uint64_t)IA64_FW_CACHE_LINE_SHIFT << 16) |
                         ((uint64_t)IA64_FW_CACHE_LINE_SHIFT << 24) | (1ULL << 32) | (1ULL << 40);
        uint64_t info2 =
            (uint64_t)IA64_FW_CACHE_SIZE | (12ULL << 32) | (18ULL << 40) | (49ULL << 48);
        ret4(c, 0, info1, info2, 0);
        break;
    }
    case PAL_LOGICAL_TO_PHYSICAL: {
        /* One core with one thread per processor package: overview
         * num_log 1, tpc 1, cpp 1, ppid = the CPU's index; thread and core
         * ids 0; the logical address is cr.lid's id/eid. arg1 is the
         * logical processor number within the package (0) or -1 (this). */
        if (arg1 != 0 && arg1 != ~0ULL) {
            ret4(c, -2, 0, 0, 0);
            break;
        }
        uint64_t overview = 1 | (1ULL << 16) | (1ULL << 32) | ((uint64_t)(c->index & 0xff) << 48);
        ret4(c, 0, overview, 0, (c->cr[IA64_CR_LID] >> 16) & 0xffff);
        break;
    }
    case PAL_BRAND_INFO: {
        /* info_request 0: the brand string, NUL-terminated, into a 128-byte buffer. */
        static const char brand[] = "dumplab IA-64 model";
        uint64_t words[16] = {0};
        memcpy(words, brand, sizeof(brand));
        if (arg1 != 0)
            ret4(c, -2, 0, 0, 0);
        else if (pal_write_buf(c, ia64_fw_arg(c, 2), words, 16))
            ret4(c, 0, 0, 0, 0);
        else
            ret4(c, -2, 0, 0, 0);
        break;
    }
    case PAL_PTCE_INFO: /* one purge of the whole TC: base 0, 1 x 1, no stride */
        ret4(c, 0, 0, (1ULL << 32) | 1, 0);
        break;
    case PAL_VM_SUMMARY:
        /* What the core implements (pal.h pal_vm_info_1/2).
         * vm_info_1: no VHPT walker (vw 0), 50 physical address bits (the
         * PTE ppn field), 24-bit keys, 16 PKRs, hash_tag_id 0, IA64_NTR TRs
         * of each kind, one TC level with two TCs (I, D).
         * vm_info_2: all 61 offset bits implemented (the core faults on
         * none), 24-bit region ids, max_purges 0xffff: ptc.g completes on
         * every CPU at once, no limit on outstanding purges. */
        ret4(c, 0,
             (1ULL << 56) | (2ULL << 48) | ((uint64_t)(IA64_NTR - 1) << 40) |
                 ((uint64_t)(IA64_NTR - 1) << 32) | (15ULL << 16) | (24ULL << 8) | (50ULL << 1),
             (0xffffULL << 16) | (24ULL << 8) | 60, 0);
        break;
    case PAL_VM_PAGE_SIZE: {
        /* 4K 8K 16K 64K 256K 1M 4M 16M 64M 256M, insertable and purgeable */
        uint64_t sizes = 0;
        static const unsigned ps[] = {12, 13, 14, 16, 18, 20, 22, 24, 26, 28};
        for (unsigned i = 0; i < sizeof(ps) / sizeof(ps[0]); i++)
            sizes |= 1ULL << ps[i];
        ret4(c, 0, sizes, sizes, 0);
        break;
    }
    case PAL_FIXED_ADDR: /* unique per processor: its index */
        ret4(c, 0, c->index, 0, 0);
        break;
    case PAL_FREQ_BASE:
        ret4(c, 0, 100000000, 0, 0);
        break;
    case PAL_FREQ_RATIOS: /* processor 7/2, bus 1/1, ITC 7/2 of the base */
        ret4(c, 0, (7ULL << 32) | 2, (1ULL << 32) | 1, (7ULL << 32) | 2);
        break;
    case PAL_PROC_GET_FEATURES: /* none implemented, none controllable */
        ret4(c, 0, 0, 0, 0);
        break;
    case PAL_RSE_INFO: /* 96 physical stacked registers, no load/store hints */
        ret4(c, 0, 96, 0, 0);
        break;
    case PAL_VERSION: /* min and current PAL_B/PAL_A: 1.0 */
        ret4(c, 0, 0x0100000001000000ULL, 0x0100000001000000ULL, 0);
        break;
    case PAL_MC_EXPECTED: /* no MCA expected before; arg1 is the new setting */
        ret4(c, 0, 0, 0, 0);
        break;
    case PAL_HALT:
        /* halt_state 0 is the only one PAL_HALT_INFO reports implemented.
         * The call returns (status 0) when INIT wakes the CPU: a halted CPU
         * still answers kdump's INIT, and its min-state IIP is b0. */
        if (arg1 != 0) {
            ret4(c, -2, 0, 0, 0);
            break;
        }
        ret4(c, 0, 0, 0, 0);
        c->state = IA64_CPU_SLEEPING;
        break;
    case PAL_HALT_LIGHT:
        /* Until INIT or an interrupt the TPR lets through; PSR.i = 0 (Linux's
         * idle loop) only leaves it pending. Then the call returns 0. */
        ret4(c, 0, 0, 0, 0);
        c->state = IA64_CPU_WAITING;
        break;
    case PAL_HALT_INFO: {
        /* State 0 (HALT_LIGHT) implemented and coherent; the rest absent.
         * Layout: exit latency 0:15, entry 16:31, power 32:59, im 60, co 61. */
        uint64_t info[8] = {(1ULL << 61) | (1ULL << 60) | (10ULL << 16) | 10};
        if (pal_write_buf(c, arg1, info, 8))
            ret4(c, 0, 0, 0, 0);
        else
            ret4(c, -2, 0, 0, 0);
        break;
    }
    default:
        ret4(c, -1, 0, 0, 0);
        break;
    }
    if (stacked)
        ia64_fw_return_stacked(c);
    else
        ia64_fw_return_static(c);
    return 0;
}

/* SAL_MC_RENDEZ's loop, one poll per fetch. */
static int sal_rendez_spin(void *opaque, struct ia64_cpu *c, uint64_t pa)
{
    struct ia64_fw *fw = opaque;
    unsigned v = fw->wakeup_vector;
    uint64_t *irr = &c->cr[IA64_CR_IRR0 + v / 64];
    if (!((*irr >> (v % 64)) & 1))
        return 0;                /* not yet: fetch this entry again */
    *irr &= ~(1ULL << (v % 64)); /* SAL consumes the wakeup */
    fw->rendez_wakeups++;
    ret4(c, 0, 0, 0, 0);
    ia64_fw_return_stacked(c);
    return 0;
}

int ia64_fw_sal_return(void *opaque, struct ia64_cpu *c, uint64_t pa);
int ia64_fw_efi_call(void *opaque, struct ia64_cpu *c, uint64_t pa);
int ia64_fw_efi_tables(struct ia64_machine *m);

int ia64_fw_init(struct ia64_fw *fw, struct ia64_machine *m, uint64_t boot_entry, char *err,
                 size_t errlen)
{
    memset(fw, 0, sizeof(*fw));
    fw->m = m;
    fw->boot_entry = boot_entry;
    fw->monarch = -1;
    fw->wakeup_vector = 0xf0; /* Linux's IA64_MCA_WAKEUP_VECTOR until it says */
    if (m->ram_size < IA64_FW_MINSTATE_END) {
        snprintf(err, errlen, "RAM too small for the firmware's min-state areas");
        return -1;
    }
    if (ia64_machine_add_fw_entry(m, IA64_FW_PAL_PROC, pal_proc, fw) ||
        ia64_machine_add_fw_entry(m, IA64_FW_SAL_PROC, sal_proc, fw) ||
        ia64_machine_add_fw_entry(m, IA64_FW_SAL_RETURN, ia64_fw_sal_return, fw) ||
        ia64_machine_add_fw_entry(m, IA64_FW_SAL_RENDEZ_SPIN, sal_rendez_spin, fw) ||
        ia64_machine_add_fw_entry(m, IA64_FW_EFI_CALL, ia64_fw_efi_call, fw)) {
        snprintf(err, errlen, "cannot register the firmware entry points");
        return -1;
    }
    if (ia64_fw_tables(m) != 0 || ia64_fw_efi_tables(m) != 0) {
        snprintf(err, errlen, "cannot write the firmware tables");
        return -1;
    }
    /* ia64_boot_param in r28 at entry, for every CPU. */
    for (unsigned i = 0; i < m->ncpus; i++) {
        ia64_set_gr(&m->cpus[i], 28, IA64_FW_BOOT_PARAM);
        fw->boot_sp[i] = m->cpus[i].gr[12];
        fw->boot_bspstore[i] = m->cpus[i].ar[IA64_AR_BSPSTORE];
    }
    return 0;
}
