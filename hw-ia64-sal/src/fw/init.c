/* INIT: PALE_INIT, SAL's monarch choice, the OS_INIT handoff, and the
 * return to SAL (firmware.h).
 *
 * PALE_INIT does not cover the interrupted register frame: the OS_INIT
 * handler starts on it, as after any interruption, and covers it itself
 * (Linux's ia64_state_save does so first). The return to SAL pops it as
 * rfi with ifs.v = 1 does, from the saved IFS. */
#include "ia64/exec.h"
#include "ia64/firmware.h"
#include "ia64/mem.h"

#include <string.h>

#define PSP_VALID_BITS                                                                             \
    ((1ULL << 24) | (1ULL << 25) | (1ULL << 26) | (1ULL << 27) | (1ULL << 30) | (1ULL << 31))

static void put(uint8_t *ms, unsigned off, uint64_t v)
{
    memcpy(ms + off, &v, 8);
}

static uint64_t get(const uint8_t *ms, unsigned off)
{
    uint64_t v;
    memcpy(&v, ms + off, 8);
    return v;
}

static uint8_t *minstate(struct ia64_fw *fw, struct ia64_cpu *c)
{
    return ia64_ram_ptr(fw->m, IA64_FW_MINSTATE + (uint64_t)c->index * IA64_FW_MINSTATE_SIZE, 1024);
}

/* The min-state area is 512-byte aligned, so a register saved at offset
 * off has its NaT bit at bit (off >> 3) & 63, as ar.unat after st8.spill. */
static unsigned nat_bit(unsigned off)
{
    return (off >> 3) & 63;
}

/* PALE_INIT: the interrupted state into the min-state area. */
static void pale_init_save(struct ia64_cpu *c, uint8_t *ms)
{
    uint64_t nat = 0;
    for (unsigned r = 1; r < 16; r++) {
        uint64_t v;
        bool n;
        ia64_gr_get(c, r, &v, &n);
        put(ms, MINSTATE_GR1 + (r - 1) * 8, v);
        nat |= (uint64_t)n << nat_bit(MINSTATE_GR1 + (r - 1) * 8);
    }
    bool bn = (c->psr >> IA64_PSR_BN) & 1;
    for (unsigned i = 0; i < 16; i++) {
        /* gr[] holds the current bank, bank[] the other one. */
        put(ms, MINSTATE_BANK0 + i * 8, bn ? c->bank[i] : c->gr[16 + i]);
        put(ms, MINSTATE_BANK1 + i * 8, bn ? c->gr[16 + i] : c->bank[i]);
        /* NaT bit = the st8.spill slot of the saved register (what Linux's
         * copy_reg reads): bank 0 at bits 16-31, bank 1 at 32-47. */
        bool n0 = bn ? c->bank_nat[i] : c->nat[16 + i];
        bool n1 = bn ? c->nat[16 + i] : c->bank_nat[i];
        nat |= (uint64_t)n0 << nat_bit(MINSTATE_BANK0 + i * 8);
        nat |= (uint64_t)n1 << nat_bit(MINSTATE_BANK1 + i * 8);
    }
    put(ms, MINSTATE_NAT, nat);
    put(ms, MINSTATE_PR, c->pr);
    put(ms, MINSTATE_BR0, c->br[0]);
    put(ms, MINSTATE_RSC, c->ar[IA64_AR_RSC]);
    put(ms, MINSTATE_IIP, c->ip);
    uint64_t ipsr = (c->psr & ~(3ULL << IA64_PSR_RI)) | ((uint64_t)(c->slot & 3) << IA64_PSR_RI);
    put(ms, MINSTATE_IPSR, ipsr);
    put(ms, MINSTATE_IFS, (1ULL << 63) | (c->cfm & ((1ULL << 38) - 1)));
    /* The interruption registers as they were (an INIT during a handler's
     * collection window must not lose them), and b1. */
    put(ms, MINSTATE_XIP, c->cr[IA64_CR_IIP]);
    put(ms, MINSTATE_XPSR, c->cr[IA64_CR_IPSR]);
    put(ms, MINSTATE_XFS, c->cr[IA64_CR_IFS]);
    put(ms, MINSTATE_BR1, c->br[1]);
}

int ia64_fw_deliver_init(struct ia64_fw *fw, struct ia64_cpu *c)
{
    if (!fw->init_monarch)
        return -1; /* no OS_INIT handler: the CPU stops, as on a bare machine */
    uint8_t *ms = minstate(fw, c);
    if (!ms)
        return -1;
    pale_init_save(c, ms);
    fw->inits++;
    if (fw->narrivals < IA64_MAX_CPUS)
        fw->arrivals[fw->narrivals++] = c->index;
    /* SAL: the first CPU to arrive is the monarch, the rest are slaves. */
    bool monarch = fw->monarch < 0;
    if (monarch) {
        fw->monarch = (int)c->index;
        fw->monarchs++;
        fw->monarch_mask |= 1ULL << c->index;
    } else {
        fw->slaves++;
    }
    fw->in_init++;
    /* OS_INIT runs in physical mode, interrupts and collection off, with
     * PSR.mc set so that another INIT waits until it is done. */
    ia64_cpu_set_bank(c, 1);
    c->psr = IA64_PSR_BIT(IA64_PSR_BN) | IA64_PSR_BIT(IA64_PSR_MC);
    /* The RSE in enforced-lazy mode (RSC.mode = 0): the handler may move
     * ar.bspstore at once; the interrupted ar.rsc is in the min-state. */
    c->ar[IA64_AR_RSC] &= ~3ULL;
    ia64_set_gr(c, 1, monarch ? fw->init_monarch_gp : fw->init_slave_gp);
    ia64_set_gr(c, 8, IA64_FW_PAL_PROC);
    ia64_set_gr(c, 9, IA64_FW_SAL_PROC);
    ia64_set_gr(c, 10, IA64_FW_SAL_GP);
    ia64_set_gr(c, 11, 0); /* a genuine INIT, not a machine-check rendezvous */
    ia64_set_gr(c, 12, IA64_FW_SAL_RETURN);
    ia64_set_gr(c, 17, IA64_FW_MINSTATE + (uint64_t)c->index * IA64_FW_MINSTATE_SIZE);
    ia64_set_gr(c, 18, PSP_VALID_BITS | (1ULL << PSP_INIT_BIT));
    ia64_set_gr(c, 19, monarch); /* as Linux's stubs set it */
    c->ip = (monarch ? fw->init_monarch : fw->init_slave) & ~15ULL;
    c->slot = 0;
    return 0;
}

/* The OS_INIT handler is done (SAL spec; Linux's ia64_os_init_dispatch
 * end): r8 = 0 resumes from the min-state area r22 points at (physical,
 * bit 63 = uncached; the OS may have edited it or handed a copy), r8 != 0
 * warm-boots the CPU at the boot entry. r9 must be SAL's gp and r10 the
 * context (0 same, -1 new: both resume from r22's area); anything else is
 * a firmware failure (the CPU stops, vector IA64_VEC_FW), as a real SAL
 * entered with a wrong gp would not come back either. */
int ia64_fw_sal_return(void *opaque, struct ia64_cpu *c, uint64_t pa)
{
    struct ia64_fw *fw = opaque;
    int64_t status = (int64_t)ia64_gr(c, 8);
    if (ia64_gr(c, 9) != IA64_FW_SAL_GP)
        return -1;
    uint8_t *ms = NULL;
    if (status == 0) {
        int64_t context = (int64_t)ia64_gr(c, 10);
        uint64_t ms_pa = ia64_gr(c, 22) & ~(1ULL << 63);
        if ((context != 0 && context != -1) || (ms_pa & 511))
            return -1;
        ms = ia64_ram_ptr(fw->m, ms_pa, 1024);
        if (!ms)
            return -1;
    }
    if (fw->in_init && --fw->in_init == 0)
        fw->monarch = -1;
    if (status != 0) {
        fw->warm_boots++;
        /* Back to the state the CPU booted with: memory survives. */
        ia64_cpu_reset(c, fw->m, c->index);
        c->ip = fw->boot_entry;
        c->gr[12] = fw->boot_sp[c->index];
        c->gr[28] = IA64_FW_BOOT_PARAM;
        c->ar[IA64_AR_BSPSTORE] = c->ar[IA64_AR_BSP] = fw->boot_bspstore[c->index];
        return 0;
    }
    fw->resumes++;
    uint64_t ipsr = get(ms, MINSTATE_IPSR);
    ia64_cpu_set_bank(c, 1);
    uint64_t nat = get(ms, MINSTATE_NAT);
    for (unsigned r = 1; r < 16; r++) {
        unsigned off = MINSTATE_GR1 + (r - 1) * 8;
        ia64_gr_set(c, r, get(ms, off), (nat >> nat_bit(off)) & 1);
    }
    for (unsigned i = 0; i < 16; i++) {
        unsigned off0 = MINSTATE_BANK0 + i * 8, off1 = MINSTATE_BANK1 + i * 8;
        c->gr[16 + i] = get(ms, off1);
        c->nat[16 + i] = (nat >> nat_bit(off1)) & 1;
        c->bank[i] = get(ms, off0);
        c->bank_nat[i] = (nat >> nat_bit(off0)) & 1;
    }
    c->pr = get(ms, MINSTATE_PR) | 1;
    c->br[0] = get(ms, MINSTATE_BR0);
    c->br[1] = get(ms, MINSTATE_BR1);
    /* The interruption registers as PALE_INIT found them: a handler hit in
     * its PSR.ic = 0 window reads them after the resume, whatever rfi the
     * OS_INIT handler did in between. */
    c->cr[IA64_CR_IIP] = get(ms, MINSTATE_XIP);
    c->cr[IA64_CR_IPSR] = get(ms, MINSTATE_XPSR);
    c->cr[IA64_CR_IFS] = get(ms, MINSTATE_XFS);
    c->ar[IA64_AR_RSC] = get(ms, MINSTATE_RSC);
    /* Now in bank 1 with both banks loaded: switch to the saved one. */
    ia64_cpu_set_bank(c, (ipsr >> IA64_PSR_BN) & 1);
    c->psr = ipsr & ~(3ULL << IA64_PSR_RI);
    /* rfi with the saved IFS: a valid one pops the frame the handler
     * covered (bsp and r32.. as they were), under the interrupted PSR. */
    uint64_t ifs = get(ms, MINSTATE_IFS);
    if ((ifs >> 63) & 1) {
        if (!ia64_rse_restore(c, ifs))
            return -1;
    }
    c->ip = get(ms, MINSTATE_IIP) & ~15ULL;
    c->slot = (unsigned)((ipsr >> IA64_PSR_RI) & 3);
    return 0;
}
