/* SAL and PAL procedures. SAL is called with br.call (in0 = function id,
 * results in r8..r11); PAL static calls (index < 256 in r28, args r29..r31)
 * are entered with a branch and return to b0, stacked ones (256..511) with
 * br.call. Unknown calls return -1 in r8, as the architecture requires. */
#include "ia64/exec.h"
#include "ia64/firmware.h"

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
        ret4(c, 0, 4096, 0, 0);
        break;
    case SAL_GET_STATE_INFO: /* no error record pending: length 0 */
    case SAL_CLEAR_STATE_INFO:
    case SAL_MC_RENDEZ:
    case SAL_MC_SET_PARAMS:
        ret4(c, 0, 0, 0, 0);
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

static int pal_proc(void *opaque, struct ia64_cpu *c, uint64_t pa)
{
    uint64_t idx = ia64_gr(c, 28);
    bool stacked = idx >= 256 && idx < 512;
    switch (idx) {
    case PAL_PTCE_INFO: /* one purge of the whole TC: base 0, 1 x 1, no stride */
        ret4(c, 0, 0, (1ULL << 32) | 1, 0);
        break;
    case PAL_VM_SUMMARY:
        /* vm_info_1: TC and TR counts, key size; vm_info_2: 51-bit virtual
         * addresses, 24-bit region ids (what the core implements). */
        ret4(c, 0, (8ULL << 40) | (8ULL << 32) | (16ULL << 16), (24ULL << 8) | 51, 0);
        break;
    case PAL_FREQ_BASE:
        ret4(c, 0, 100000000, 0, 0);
        break;
    case PAL_FREQ_RATIOS: /* processor 7/2, bus 1/1, ITC 7/2 of the base */
        ret4(c, 0, (7ULL << 32) | 2, (1ULL << 32) | 1, (7ULL << 32) | 2);
        break;
    case PAL_MC_CLEAR_LOG:
        ret4(c, 0, 0, 0, 0);
        break;
    case PAL_HALT:
        c->state = IA64_CPU_HALTED;
        return 0;
    case PAL_HALT_LIGHT:
        /* Wait for an unmasked interrupt, then return from the call. */
        ret4(c, 0, 0, 0, 0);
        c->state = IA64_CPU_WAITING;
        break;
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

int ia64_fw_sal_return(void *opaque, struct ia64_cpu *c, uint64_t pa);

int ia64_fw_init(struct ia64_fw *fw, struct ia64_machine *m, uint64_t boot_entry, char *err,
                 size_t errlen)
{
    memset(fw, 0, sizeof(*fw));
    fw->m = m;
    fw->boot_entry = boot_entry;
    fw->monarch = -1;
    if (m->ram_size < IA64_FW_MINSTATE_END) {
        snprintf(err, errlen, "RAM too small for the firmware's min-state areas");
        return -1;
    }
    if (ia64_machine_add_fw_entry(m, IA64_FW_PAL_PROC, pal_proc, fw) ||
        ia64_machine_add_fw_entry(m, IA64_FW_SAL_PROC, sal_proc, fw) ||
        ia64_machine_add_fw_entry(m, IA64_FW_SAL_RETURN, ia64_fw_sal_return, fw)) {
        snprintf(err, errlen, "cannot register the firmware entry points");
        return -1;
    }
    if (ia64_fw_tables(m) != 0) {
        snprintf(err, errlen, "cannot write the firmware tables");
        return -1;
    }
    /* ia64_boot_param in r28 at entry, for every CPU. */
    for (unsigned i = 0; i < m->ncpus; i++)
        ia64_set_gr(&m->cpus[i], 28, IA64_FW_BOOT_PARAM);
    return 0;
}
