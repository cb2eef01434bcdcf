/* Translation: region registers, translation registers and the translation
 * cache. There is no hardware VHPT walker (the SDM allows that): a TC miss
 * always raises a TLB miss fault and the OS's handler inserts the entry. */
#include <string.h>

#include "internal.h"

#define ISR_X (1ULL << 32)
#define ISR_W (1ULL << 33)
#define ISR_R (1ULL << 34)
#define ISR_NA (1ULL << 35)
#define ISR_RS (1ULL << 37)

static uint32_t rr_rid(struct ia64_cpu *cpu, uint64_t va)
{
    return (uint32_t)((cpu->rr[va >> 61] >> 8) & 0xffffff);
}

static bool entry_covers(const struct ia64_tlb_entry *e, uint32_t rid, uint64_t va)
{
    if (!e->valid || e->rid != rid)
        return false;
    uint64_t mask = ~((1ULL << e->ps) - 1);
    return ((va ^ e->vaddr) & mask & ((1ULL << 61) - 1)) == 0 && (va >> 61) == (e->vaddr >> 61);
}

static bool ranges_overlap(const struct ia64_tlb_entry *e, uint32_t rid, uint64_t va, unsigned ps)
{
    if (!e->valid || e->rid != rid || (va >> 61) != (e->vaddr >> 61))
        return false;
    uint64_t a0 = e->vaddr & ((1ULL << 61) - 1), a1 = a0 + (1ULL << e->ps);
    uint64_t b0 = va & ((1ULL << 61) - 1) & ~((1ULL << ps) - 1), b1 = b0 + (1ULL << ps);
    return a0 < b1 && b0 < a1;
}

static const struct ia64_tlb_entry *lookup(struct ia64_cpu *cpu, uint64_t va, bool instr)
{
    uint32_t rid = rr_rid(cpu, va);
    struct ia64_tlb_entry *tr = instr ? cpu->itr : cpu->dtr;
    struct ia64_tlb_entry *tc = instr ? cpu->itc : cpu->dtc;
    for (int i = 0; i < IA64_NTR; i++)
        if (entry_covers(&tr[i], rid, va))
            return &tr[i];
    for (int i = 0; i < IA64_NTC; i++)
        if (entry_covers(&tc[i], rid, va))
            return &tc[i];
    return NULL;
}

/* Access-rights check (SDM vol 2 table 4-3, without the privilege-promote
 * subtleties of ar 7). */
static bool rights_ok(const struct ia64_tlb_entry *e, unsigned cpl, enum ia64_access acc)
{
    if (cpl > e->pl && e->ar != 7)
        return false;
    bool at_pl = cpl == e->pl;
    switch (acc) {
    case IA64_ACC_READ:
        return e->ar != 7 || at_pl;
    case IA64_ACC_WRITE:
        return e->ar == 2 || e->ar == 3 || e->ar == 6 || ((e->ar == 4 || e->ar == 5) && at_pl);
    case IA64_ACC_EXEC:
        return e->ar == 1 || e->ar == 3 || e->ar == 5 || e->ar == 7 || (e->ar == 6 && at_pl);
    }
    return false;
}

static uint64_t thash(struct ia64_cpu *cpu, uint64_t va)
{
    uint64_t pta = cpu->cr[IA64_CR_PTA];
    unsigned size = (pta >> 2) & 0x3f;
    unsigned ps = (cpu->rr[va >> 61] >> 2) & 0x3f;
    if (size < 15)
        size = 15;
    uint64_t mask = (size >= 61 ? (1ULL << 61) : (1ULL << size)) - 1;
    uint64_t base = pta & ~0x7fffULL & ((1ULL << 61) - 1);
    uint64_t off = ((va & ((1ULL << 61) - 1)) >> ps) << 3;
    return (va & (7ULL << 61)) | (base & ~mask) | (off & mask);
}

uint64_t ia64_thash(struct ia64_cpu *cpu, uint64_t va)
{
    return thash(cpu, va);
}

uint64_t ia64_translate(struct ia64_cpu *cpu, uint64_t va, enum ia64_access acc, bool rse,
                        uint64_t *pa)
{
    bool instr = acc == IA64_ACC_EXEC;
    bool virt = instr ? PSR_GET(cpu, IA64_PSR_IT)
                      : (rse ? PSR_GET(cpu, IA64_PSR_RT) : PSR_GET(cpu, IA64_PSR_DT));
    if (!virt) {
        *pa = va & ~(1ULL << 63); /* bit 63 selects uncached, not an address bit */
        return 0;
    }
    const struct ia64_tlb_entry *e = lookup(cpu, va, instr);
    uint64_t rr = cpu->rr[va >> 61];
    uint64_t vec = 0, itir;
    if (!e) {
        bool walker = (rr & 1) && (cpu->cr[IA64_CR_PTA] & 1);
        itir = (rr & 0xfc) | (rr & 0xffffff00);
        if (instr)
            vec = walker ? IA64_VEC_ITLB : IA64_VEC_ALT_ITLB;
        else if (!PSR_GET(cpu, IA64_PSR_IC))
            vec = IA64_VEC_NESTED_DTLB;
        else
            vec = walker ? IA64_VEC_DTLB : IA64_VEC_ALT_DTLB;
    } else {
        itir = (uint64_t)e->ps << 2 | (uint64_t)e->key << 8;
        if (!rights_ok(e, (cpu->psr >> IA64_PSR_CPL) & 3, acc))
            vec = instr ? IA64_VEC_IACCESS_RIGHTS : IA64_VEC_DACCESS_RIGHTS;
        else if (!e->a)
            vec = instr ? IA64_VEC_IACCESS_BIT : IA64_VEC_DACCESS_BIT;
        else if (acc == IA64_ACC_WRITE && !e->d)
            vec = IA64_VEC_DIRTY;
    }
    if (!vec) {
        *pa = e->ppn | (va & ((1ULL << e->ps) - 1));
        return 0;
    }
    /* Control registers change only when an interruption is taken (and
     * ITIR/IHA only with collection on): a translation that succeeds must
     * not disturb a handler's cr.itir set up for the next itc. */
    if (vec == IA64_VEC_NESTED_DTLB)
        return vec; /* leaves ISR, IFA, ITIR, IHA as the first fault set them */
    cpu->cr[IA64_CR_ISR] = (instr                   ? ISR_X
                            : acc == IA64_ACC_WRITE ? ISR_W
                                                    : ISR_R) |
                           (rse ? ISR_RS : 0);
    if (PSR_GET(cpu, IA64_PSR_IC)) {
        cpu->cr[IA64_CR_ITIR] = itir;
        cpu->cr[IA64_CR_IHA] = thash(cpu, va);
    }
    return vec;
}

static struct ia64_tlb_entry make_entry(struct ia64_cpu *cpu, uint64_t va, uint64_t pte,
                                        uint64_t itir)
{
    struct ia64_tlb_entry e;
    memset(&e, 0, sizeof(e));
    e.ps = (itir >> 2) & 0x3f;
    e.key = (uint32_t)((itir >> 8) & 0xffffff);
    e.valid = true;
    e.rid = rr_rid(cpu, va);
    e.vaddr = va & ~((1ULL << e.ps) - 1);
    e.ppn = pte & 0x3fffffffff000ULL & ~((1ULL << e.ps) - 1);
    e.ma = (pte >> 2) & 7;
    e.a = (pte >> 5) & 1;
    e.d = (pte >> 6) & 1;
    e.pl = (pte >> 7) & 3;
    e.ar = (pte >> 9) & 7;
    e.ed = (pte >> 52) & 1;
    return e;
}

void ia64_tlb_insert(struct ia64_cpu *cpu, struct ia64_tlb_entry *slot, uint64_t va, uint64_t pte,
                     uint64_t itir)
{
    *slot = make_entry(cpu, va, pte, itir);
    /* A not-present PTE makes an entry that faults: model it as invalid so the
     * access raises a miss; the OS then sees the PTE with p=0 in its handler. */
    if (!(pte & 1))
        slot->valid = false;
}

/* itc.i/itc.d: purge overlapping TC entries, then insert round-robin. */
void ia64_tc_insert(struct ia64_cpu *cpu, bool instr, uint64_t va, uint64_t pte, uint64_t itir)
{
    unsigned ps = (itir >> 2) & 0x3f;
    uint32_t rid = rr_rid(cpu, va);
    struct ia64_tlb_entry *tc = instr ? cpu->itc : cpu->dtc;
    unsigned *next = instr ? &cpu->itc_next : &cpu->dtc_next;
    for (int i = 0; i < IA64_NTC; i++)
        if (ranges_overlap(&tc[i], rid, va, ps))
            tc[i].valid = false;
    ia64_tlb_insert(cpu, &tc[*next], va, pte, itir);
    *next = (*next + 1) % IA64_NTC;
}

void ia64_tlb_purge_all_tc(struct ia64_cpu *cpu)
{
    for (int i = 0; i < IA64_NTC; i++)
        cpu->itc[i].valid = cpu->dtc[i].valid = false;
}

void ia64_tlb_purge(struct ia64_cpu *cpu, uint64_t va, unsigned ps, bool itlb, bool dtlb, bool trs)
{
    ia64_tlb_purge_rid(cpu, rr_rid(cpu, va), va, ps, itlb, dtlb, trs);
}

void ia64_tlb_purge_rid(struct ia64_cpu *cpu, uint32_t rid, uint64_t va, unsigned ps, bool itlb,
                        bool dtlb, bool trs)
{
    for (int i = 0; i < IA64_NTC; i++) {
        if (itlb && ranges_overlap(&cpu->itc[i], rid, va, ps))
            cpu->itc[i].valid = false;
        if (dtlb && ranges_overlap(&cpu->dtc[i], rid, va, ps))
            cpu->dtc[i].valid = false;
    }
    if (!trs)
        return;
    for (int i = 0; i < IA64_NTR; i++) {
        if (itlb && ranges_overlap(&cpu->itr[i], rid, va, ps))
            cpu->itr[i].valid = false;
        if (dtlb && ranges_overlap(&cpu->dtr[i], rid, va, ps))
            cpu->dtr[i].valid = false;
    }
}

static bool access(struct ia64_cpu *cpu, uint64_t va, unsigned size, uint64_t *val, bool rse,
                   bool write)
{
    if (va & (size - 1)) {
        cpu->cr[IA64_CR_ISR] = write ? ISR_W : ISR_R;
        ia64_raise(cpu, IA64_VEC_UNALIGNED, cpu->cr[IA64_CR_ISR], va, 0);
        return false;
    }
    uint64_t pa;
    uint64_t vec = ia64_translate(cpu, va, write ? IA64_ACC_WRITE : IA64_ACC_READ, rse, &pa);
    if (vec) {
        ia64_raise(cpu, vec, cpu->cr[IA64_CR_ISR], va, 0);
        return false;
    }
    int rc = write ? ia64_phys_write(cpu->machine, cpu, pa, size, *val)
                   : ia64_phys_read(cpu->machine, cpu, pa, size, val);
    if (rc) {
        cpu->state = IA64_CPU_FAULTED;
        cpu->fault_vector = IA64_VEC_BUS;
        cpu->fault_ip = cpu->ip;
        cpu->cr[IA64_CR_IFA] = pa;
        if (!cpu->machine->faulted)
            cpu->machine->faulted = cpu;
        return false;
    }
    return true;
}

bool ia64_vread(struct ia64_cpu *cpu, uint64_t va, unsigned size, uint64_t *val, bool rse)
{
    return access(cpu, va, size, val, rse, false);
}

bool ia64_vwrite(struct ia64_cpu *cpu, uint64_t va, unsigned size, uint64_t val, bool rse)
{
    return access(cpu, va, size, &val, rse, true);
}
