/* Register stack engine. The physical stacked file is a ring of
 * IA64_NPHYS_STACKED registers: stacked[bof] is r32 of the current frame and
 * the ndirty registers below it belong to callers and are not yet written to
 * the backing store at ar.bspstore. Spills happen only when a new frame does
 * not fit (alloc) or on flushrs; fills only when a return needs registers
 * that were spilled (lazy, like the hardware's enforced-lazy mode). Every
 * 64th backing-store slot (address bits 8:3 all ones) holds the NaT
 * collection, ar.rnat. */
#include "internal.h"

#define NPHYS IA64_NPHYS_STACKED

static unsigned slot_num(uint64_t a)
{
    return (a >> 3) & 0x3f;
}

/* Same arithmetic as Linux's ia64_rse_skip_regs. */
uint64_t ia64_rse_skip(uint64_t addr, long n)
{
    long delta = (long)slot_num(addr) + n;
    if (n < 0)
        delta -= 0x3e;
    return addr + (uint64_t)((n + delta / 0x3f) * 8);
}

/* Number of registers in [lo, hi). */
static long rse_count(uint64_t lo, uint64_t hi)
{
    return (long)((hi - lo) >> 3) - (long)((hi >> 9) - (lo >> 9));
}

static bool spill_one(struct ia64_cpu *cpu)
{
    unsigned p = (cpu->bof + NPHYS - cpu->ndirty) % NPHYS;
    uint64_t a = cpu->ar[IA64_AR_BSPSTORE];
    if (!ia64_vwrite(cpu, a, 8, cpu->stacked[p], true))
        return false;
    uint64_t bit = 1ULL << slot_num(a);
    if (cpu->stacked_nat[p])
        cpu->ar[IA64_AR_RNAT] |= bit;
    else
        cpu->ar[IA64_AR_RNAT] &= ~bit;
    a += 8;
    if (slot_num(a) == 63) {
        if (!ia64_vwrite(cpu, a, 8, cpu->ar[IA64_AR_RNAT], true))
            return false;
        a += 8;
    }
    cpu->ar[IA64_AR_BSPSTORE] = a;
    cpu->ndirty--;
    return true;
}

bool ia64_rse_flushrs(struct ia64_cpu *cpu)
{
    while (cpu->ndirty > 0)
        if (!spill_one(cpu))
            return false;
    return true;
}

/* Loads the registers whose backing addresses are [lo, bspstore) into the
 * physical file as dirty registers, then moves bspstore down to lo. */
static bool fill_down(struct ia64_cpu *cpu, uint64_t lo)
{
    uint64_t bsp = cpu->ar[IA64_AR_BSP];
    uint64_t store = cpu->ar[IA64_AR_BSPSTORE];
    uint64_t rnat = cpu->ar[IA64_AR_RNAT];
    uint64_t a = store;
    while (a > lo) {
        a -= 8;
        if (slot_num(a) == 63) {
            if (!ia64_vread(cpu, a, 8, &rnat, true))
                return false;
            continue;
        }
        uint64_t v;
        if (!ia64_vread(cpu, a, 8, &v, true))
            return false;
        long back = rse_count(a, bsp); /* r32 of the frame at bsp is 0 back */
        unsigned p = (unsigned)((cpu->bof + NPHYS * 2 - back) % NPHYS);
        cpu->stacked[p] = v;
        cpu->stacked_nat[p] = (rnat >> slot_num(a)) & 1;
    }
    cpu->ar[IA64_AR_RNAT] = rnat;
    cpu->ar[IA64_AR_BSPSTORE] = lo;
    cpu->ndirty = (unsigned)rse_count(lo, bsp);
    return true;
}

bool ia64_rse_alloc(struct ia64_cpu *cpu, unsigned sof, unsigned sol, unsigned sor)
{
    while (cpu->ndirty + sof > NPHYS)
        if (!spill_one(cpu))
            return false;
    cpu->cfm = (cpu->cfm & ~0x3ffffULL) | sof | (uint64_t)sol << 7 | (uint64_t)sor << 14;
    return true;
}

void ia64_rse_call(struct ia64_cpu *cpu)
{
    unsigned sof = ia64_cfm_sof(cpu->cfm), sol = ia64_cfm_sol(cpu->cfm);
    cpu->ar[IA64_AR_PFS] = (cpu->cfm & ((1ULL << 38) - 1)) |
                           (cpu->ar[IA64_AR_EC] & 0x3f) << 52 |
                           ((cpu->psr >> IA64_PSR_CPL) & 3) << 62;
    cpu->ar[IA64_AR_BSP] = ia64_rse_skip(cpu->ar[IA64_AR_BSP], sol);
    cpu->bof = (cpu->bof + sol) % NPHYS;
    cpu->ndirty += sol;
    cpu->cfm = sof - sol; /* sol = sor = rrb = 0 */
}

/* Pops n registers back into the frame described by pfm. */
static bool rse_pop(struct ia64_cpu *cpu, unsigned n, uint64_t pfm)
{
    uint64_t bsp = cpu->ar[IA64_AR_BSP];
    uint64_t nbsp = ia64_rse_skip(bsp, -(long)n);
    if (n > cpu->ndirty) {
        /* Fill first (it uses the current bof/bsp to place registers). */
        if (!fill_down(cpu, nbsp))
            return false;
    }
    cpu->ar[IA64_AR_BSP] = nbsp;
    cpu->bof = (cpu->bof + NPHYS - n) % NPHYS;
    cpu->ndirty -= n;
    cpu->cfm = pfm & ((1ULL << 38) - 1);
    return true;
}

bool ia64_rse_return(struct ia64_cpu *cpu, uint64_t pfs)
{
    if (!rse_pop(cpu, ia64_cfm_sol(pfs), pfs))
        return false;
    cpu->ar[IA64_AR_EC] = (pfs >> 52) & 0x3f;
    return true;
}

bool ia64_rse_restore(struct ia64_cpu *cpu, uint64_t ifs)
{
    return rse_pop(cpu, ia64_cfm_sof(ifs), ifs);
}

void ia64_rse_cover(struct ia64_cpu *cpu)
{
    unsigned sof = ia64_cfm_sof(cpu->cfm);
    if (!PSR_GET(cpu, IA64_PSR_IC))
        cpu->cr[IA64_CR_IFS] = (cpu->cfm & ((1ULL << 38) - 1)) | 1ULL << 63;
    cpu->ar[IA64_AR_BSP] = ia64_rse_skip(cpu->ar[IA64_AR_BSP], sof);
    cpu->bof = (cpu->bof + sof) % NPHYS;
    cpu->ndirty += sof;
    cpu->cfm = 0;
}

void ia64_rse_flush(struct ia64_cpu *cpu)
{
    ia64_rse_flushrs(cpu);
}

bool ia64_rse_loadrs(struct ia64_cpu *cpu)
{
    uint64_t loadrs = (cpu->ar[IA64_AR_RSC] >> 16) & 0x3fff;
    uint64_t bsp = cpu->ar[IA64_AR_BSP];
    uint64_t lo = bsp - loadrs;
    if (lo >= cpu->ar[IA64_AR_BSPSTORE]) {
        /* Fewer dirty registers wanted than we hold: forget the oldest. */
        cpu->ndirty = (unsigned)rse_count(lo, bsp);
        cpu->ar[IA64_AR_BSPSTORE] = lo;
        return true;
    }
    return fill_down(cpu, lo);
}

/* mov ar.bspstore (RSC.mode = 0, checked by the caller): the dirty
 * partition stays in the physical registers and moves with the store
 * pointer, so bsp becomes the new bspstore plus the dirty registers and the
 * NaT collection slots they cross (SDM vol 2 6.x; Linux's SAVE_MIN and
 * ia64_new_stack rely on it). ar.rnat is undefined afterwards: kept. */
void ia64_rse_set_bspstore(struct ia64_cpu *cpu, uint64_t v)
{
    v &= ~7ULL;
    cpu->ar[IA64_AR_BSPSTORE] = v;
    cpu->ar[IA64_AR_BSP] = ia64_rse_skip(v, (long)cpu->ndirty);
}
