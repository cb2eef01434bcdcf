/* System instructions: moves to and from AR/CR/PSR/RR/PKR/BR/PR, PSR mask
 * ops, serialisation, RSE control, TLB management, alloc, break, cover,
 * rfi, bsw, speculation checks. */
#include "internal.h"

#define GET(r, v, n)                                                                               \
    do {                                                                                           \
        if (!ia64_gr_get(cpu, (r), &(v), &(n)))                                                    \
            return ia64_illegal(cpu);                                                              \
    } while (0)

#define PRIV()                                                                                     \
    do {                                                                                           \
        if (CPL(cpu) != 0)                                                                         \
            return ia64_priv_op(cpu);                                                              \
    } while (0)

static enum ia64_xres put(struct ia64_cpu *cpu, unsigned r, uint64_t v)
{
    if (!ia64_gr_set(cpu, r, v, false))
        return ia64_illegal(cpu);
    return IA64_X_NEXT;
}

static enum ia64_xres jump(struct ia64_cpu *cpu, int64_t off)
{
    cpu->ip += (uint64_t)off;
    cpu->slot = 0;
    return IA64_X_BRANCH;
}

static uint64_t read_ar(struct ia64_cpu *cpu, unsigned ar)
{
    if (ar == IA64_AR_ITC)
        return cpu->ar[IA64_AR_ITC];
    return cpu->ar[ar];
}

static enum ia64_xres write_ar(struct ia64_cpu *cpu, unsigned ar, uint64_t v)
{
    switch (ar) {
    case IA64_AR_BSP:
        return ia64_illegal(cpu); /* read-only */
    case IA64_AR_BSPSTORE:
        if (cpu->ar[IA64_AR_RSC] & 3)
            return ia64_illegal(cpu); /* only in enforced-lazy mode */
        ia64_rse_set_bspstore(cpu, v);
        return IA64_X_NEXT;
    case IA64_AR_RNAT:
        if (cpu->ar[IA64_AR_RSC] & 3)
            return ia64_illegal(cpu);
        cpu->ar[ar] = v & ~(1ULL << 63); /* bit 63 is reserved, reads 0 */
        return IA64_X_NEXT;
    case IA64_AR_RSC:
        cpu->ar[ar] = v & 0x3fff001fULL;
        return IA64_X_NEXT;
    case IA64_AR_EC:
        cpu->ar[ar] = v & 0x3f;
        return IA64_X_NEXT;
    case IA64_AR_PFS:
        cpu->ar[ar] = v & (0x3fffffffffULL | 0x3fULL << 52 | 3ULL << 62);
        return IA64_X_NEXT;
    default:
        if (ar < 8 && CPL(cpu) != 0)
            return ia64_priv_op(cpu); /* kernel registers */
        cpu->ar[ar] = v;
        return IA64_X_NEXT;
    }
}

static enum ia64_xres write_cr(struct ia64_cpu *cpu, unsigned cr, uint64_t v)
{
    switch (cr) {
    case IA64_CR_IVR:
    case IA64_CR_IRR0:
    case IA64_CR_IRR0 + 1:
    case IA64_CR_IRR0 + 2:
    case IA64_CR_IRR0 + 3:
        return ia64_illegal(cpu); /* read-only */
    case IA64_CR_EOI:
        ia64_write_eoi(cpu);
        return IA64_X_NEXT;
    case IA64_CR_IVA:
        cpu->cr[cr] = v & ~0x7fffULL;
        return IA64_X_NEXT;
    default:
        if ((cr > IA64_CR_PTA && cr < IA64_CR_IPSR) || cr == 18 ||
            (cr > IA64_CR_IHA && cr < IA64_CR_LID) || (cr > IA64_CR_CMCV && cr < IA64_CR_LRR0) ||
            cr > IA64_CR_LRR1 || (cr > IA64_CR_IVA && cr < IA64_CR_PTA))
            return ia64_reserved_reg(cpu);
        cpu->cr[cr] = v;
        return IA64_X_NEXT;
    }
}

static uint64_t cpuid(unsigned i)
{
    switch (i) {
    case 0:
        return 0x49656e69756e6547ULL; /* "GenuineI" */
    case 1:
        return 0x6c65746eULL; /* "ntel" */
    case 3:
        return 0x1f000004ULL; /* family 0x1f (Itanium 2), 5 cpuid regs */
    default:
        return 0;
    }
}

static uint64_t ttag(struct ia64_cpu *cpu, uint64_t va)
{
    uint64_t rr = cpu->rr[va >> 61];
    unsigned ps = (rr >> 2) & 0x3f;
    return (((rr >> 8) & 0xffffff) << 39 ^ ((va & ((1ULL << 61) - 1)) >> ps)) & ~(1ULL << 63);
}

static enum ia64_xres tlb_op(struct ia64_cpu *cpu, const struct ia64_insn *in)
{
    uint64_t a = 0, b = 0;
    bool na, nb;
    PRIV();
    GET(in->r3, a, na);
    GET(in->r2, b, nb);
    if (na || nb)
        return ia64_nat_fault(cpu);
    unsigned ps = (b >> 2) & 0x3f;
    switch (in->op) {
    case IA64_OP_PTC_L:
        ia64_tlb_purge(cpu, a, ps, true, true, false);
        break;
    case IA64_OP_PTC_G:
    case IA64_OP_PTC_GA: {
        /* Global purge: every CPU's TCs, matched against the region id
         * the issuing CPU's region register gives (SDM vol 2 ptc.g). */
        struct ia64_machine *m = cpu->machine;
        uint32_t rid = (uint32_t)((cpu->rr[a >> 61] >> 8) & 0xffffff);
        for (unsigned i = 0; i < m->ncpus; i++)
            ia64_tlb_purge_rid(&m->cpus[i], rid, a, ps, true, true, false);
        break;
    }
    case IA64_OP_PTC_E:
        ia64_tlb_purge_all_tc(cpu);
        break;
    case IA64_OP_PTR_D:
    case IA64_OP_PTR_I:
        ia64_tlb_purge(cpu, a, ps, in->op == IA64_OP_PTR_I, in->op == IA64_OP_PTR_D, true);
        break;
    case IA64_OP_ITR_D:
    case IA64_OP_ITR_I: {
        bool instr = in->op == IA64_OP_ITR_I;
        unsigned slot = a & 0xff;
        if (PSR_GET(cpu, IA64_PSR_IC))
            return ia64_illegal(cpu);
        if (slot >= IA64_NTR)
            return ia64_reserved_reg(cpu);
        uint64_t va = cpu->cr[IA64_CR_IFA], itir = cpu->cr[IA64_CR_ITIR];
        ia64_tlb_purge(cpu, va, (itir >> 2) & 0x3f, instr, !instr, false);
        ia64_tlb_insert(cpu, instr ? &cpu->itr[slot] : &cpu->dtr[slot], va, b, itir);
        break;
    }
    case IA64_OP_ITC_D:
    case IA64_OP_ITC_I:
        if (PSR_GET(cpu, IA64_PSR_IC))
            return ia64_illegal(cpu);
        ia64_tc_insert(cpu, in->op == IA64_OP_ITC_I, cpu->cr[IA64_CR_IFA], b,
                       cpu->cr[IA64_CR_ITIR]);
        break;
    default:
        return ia64_illegal(cpu);
    }
    return IA64_X_NEXT;
}

/* mov =pr, mov pr = and mov pr.rot = see the predicate file as if CFM.rrb.pr
 * were 0 (SDM vol 3, mov pr): bit i is physical PR[i], whatever br.ctop did.
 * Linux saves pr before a pipelined loop and restores it after; reading
 * through the rotation would scramble the restored predicates. */
static uint64_t pr_read(struct ia64_cpu *cpu)
{
    return cpu->pr | 1;
}

enum ia64_xres ia64_exec_sys(struct ia64_cpu *cpu, const struct ia64_insn *in)
{
    uint64_t v = 0, a = 0;
    bool n = false, na = false;

    switch (in->op) {
    case IA64_OP_NOP:
    case IA64_OP_HINT:
    case IA64_OP_BRP:
    case IA64_OP_SRLZ_D:
    case IA64_OP_SRLZ_I:
    case IA64_OP_SYNC_I:
    case IA64_OP_MF:
    case IA64_OP_MF_A:
    case IA64_OP_INVALA:
    case IA64_OP_INVALA_E:
    case IA64_OP_INVALA_EF:
        return IA64_X_NEXT; /* no ALAT is modelled: nothing to invalidate */
    case IA64_OP_MOV_TO_DBR:
    case IA64_OP_MOV_TO_IBR:
    case IA64_OP_MOV_FROM_DBR:
    case IA64_OP_MOV_FROM_IBR: {
        /* 8 register pairs (dbr/ibr 0-7) hold address and mask; matching
         * them (PSR.db) is not modelled, Linux only clears them. */
        bool to = in->op == IA64_OP_MOV_TO_DBR || in->op == IA64_OP_MOV_TO_IBR;
        uint64_t *file =
            (in->op == IA64_OP_MOV_TO_DBR || in->op == IA64_OP_MOV_FROM_DBR) ? cpu->dbr : cpu->ibr;
        PRIV();
        GET(in->r3, a, na);
        if (to)
            GET(in->r2, v, n);
        if (na || n)
            return ia64_nat_fault(cpu);
        if (a >= 8)
            return ia64_reserved_reg(cpu);
        if (!to)
            return put(cpu, in->r1, file[a]);
        file[a] = v;
        return IA64_X_NEXT;
    }
    case IA64_OP_FC:
    case IA64_OP_FC_I:
        GET(in->r3, a, na);
        return na ? ia64_nat_fault(cpu) : IA64_X_NEXT;
    case IA64_OP_BREAK:
        ia64_raise(cpu, IA64_VEC_BREAK, 0, 0, (uint64_t)in->imm);
        return IA64_X_FAULT;
    case IA64_OP_MOV_FROM_IP:
        return put(cpu, in->r1, cpu->ip);
    case IA64_OP_MOV_FROM_B:
        return put(cpu, in->r1, cpu->br[in->b2]);
    case IA64_OP_MOV_TO_B:
        GET(in->r2, v, n);
        if (n)
            return ia64_nat_fault(cpu);
        cpu->br[in->b1] = v;
        return IA64_X_NEXT;
    case IA64_OP_MOV_FROM_PR:
        return put(cpu, in->r1, pr_read(cpu));
    case IA64_OP_MOV_TO_PR: {
        GET(in->r2, v, n);
        if (n)
            return ia64_nat_fault(cpu);
        uint64_t mask = (uint64_t)in->imm & ~1ULL; /* p0 stays 1 */
        cpu->pr = (cpu->pr & ~mask) | (v & mask);
        return IA64_X_NEXT;
    }
    case IA64_OP_MOV_TO_PR_ROT: {
        uint64_t mask = ~0xffffULL; /* p16-p63, physical */
        cpu->pr = (cpu->pr & ~mask) | ((uint64_t)in->imm & mask);
        return IA64_X_NEXT;
    }
    case IA64_OP_MOV_FROM_AR:
        return put(cpu, in->r1, read_ar(cpu, in->r3));
    case IA64_OP_MOV_TO_AR:
        GET(in->r2, v, n);
        if (n)
            return ia64_nat_fault(cpu);
        return write_ar(cpu, in->r3, v);
    case IA64_OP_MOV_TO_AR_IMM:
        return write_ar(cpu, in->r3, (uint64_t)in->imm);
    case IA64_OP_MOV_FROM_CR:
        PRIV();
        if (in->r3 == IA64_CR_IVR)
            return put(cpu, in->r1, ia64_read_ivr(cpu));
        return put(cpu, in->r1, cpu->cr[in->r3]);
    case IA64_OP_MOV_TO_CR:
        PRIV();
        GET(in->r2, v, n);
        if (n)
            return ia64_nat_fault(cpu);
        return write_cr(cpu, in->r3, v);
    case IA64_OP_MOV_FROM_PSR:
        PRIV();
        return put(cpu, in->r1, cpu->psr & (0xffffffffULL | 3ULL << 35));
    case IA64_OP_MOV_TO_PSRL:
        PRIV();
        GET(in->r2, v, n);
        cpu->psr = (cpu->psr & ~0xffffffffULL) | (v & 0xffffffffULL);
        return IA64_X_NEXT;
    case IA64_OP_MOV_FROM_PSRUM:
        return put(cpu, in->r1, cpu->psr & 0x3f);
    case IA64_OP_MOV_TO_PSRUM:
        GET(in->r2, v, n);
        cpu->psr = (cpu->psr & ~0x3fULL) | (v & 0x3e);
        return IA64_X_NEXT;
    case IA64_OP_SUM:
        cpu->psr |= (uint64_t)in->imm & 0x3e;
        return IA64_X_NEXT;
    case IA64_OP_RUM:
        cpu->psr &= ~((uint64_t)in->imm & 0x3e);
        return IA64_X_NEXT;
    case IA64_OP_SSM:
        PRIV();
        cpu->psr |= (uint64_t)in->imm & 0xffffff;
        return IA64_X_NEXT;
    case IA64_OP_RSM:
        PRIV();
        cpu->psr &= ~((uint64_t)in->imm & 0xffffff);
        return IA64_X_NEXT;
    case IA64_OP_MOV_TO_RR:
        PRIV();
        GET(in->r3, a, na);
        GET(in->r2, v, n);
        cpu->rr[a >> 61] = (v & 0xfffffffcULL) | (v & 1);
        return IA64_X_NEXT;
    case IA64_OP_MOV_FROM_RR:
        PRIV();
        GET(in->r3, a, na);
        return put(cpu, in->r1, cpu->rr[a >> 61]);
    case IA64_OP_MOV_TO_PKR:
        PRIV();
        GET(in->r3, a, na);
        GET(in->r2, v, n);
        cpu->pkr[a & 15] = v;
        return IA64_X_NEXT;
    case IA64_OP_MOV_FROM_PKR:
        PRIV();
        GET(in->r3, a, na);
        return put(cpu, in->r1, cpu->pkr[a & 15]);
    case IA64_OP_MOV_FROM_CPUID:
        GET(in->r3, a, na);
        return put(cpu, in->r1, cpuid((unsigned)(a & 0xff)));
    case IA64_OP_TPA: {
        PRIV();
        GET(in->r3, a, na);
        uint64_t pa, vec = ia64_translate(cpu, a, IA64_ACC_READ, false, &pa);
        if (vec) {
            ia64_raise(cpu, vec, cpu->cr[IA64_CR_ISR], a, 0);
            return IA64_X_FAULT;
        }
        return put(cpu, in->r1, pa);
    }
    case IA64_OP_THASH:
        GET(in->r3, a, na);
        return put(cpu, in->r1, ia64_thash(cpu, a));
    case IA64_OP_TTAG:
        GET(in->r3, a, na);
        return put(cpu, in->r1, ttag(cpu, a));
    case IA64_OP_PTC_L:
    case IA64_OP_PTC_G:
    case IA64_OP_PTC_GA:
    case IA64_OP_PTC_E:
    case IA64_OP_PTR_D:
    case IA64_OP_PTR_I:
    case IA64_OP_ITR_D:
    case IA64_OP_ITR_I:
    case IA64_OP_ITC_D:
    case IA64_OP_ITC_I:
        return tlb_op(cpu, in);
    case IA64_OP_ALLOC: {
        uint64_t pfs = cpu->ar[IA64_AR_PFS];
        /* sor may change only while no rename base is rotated (SDM alloc). */
        if (in->size != ia64_cfm_sor(cpu->cfm) && (cpu->cfm >> 18) & 0xfffff)
            return ia64_reserved_reg(cpu);
        if (!ia64_rse_alloc(cpu, in->len, in->pos, in->size))
            return IA64_X_FAULT;
        return put(cpu, in->r1, pfs);
    }
    case IA64_OP_FLUSHRS:
        return ia64_rse_flushrs(cpu) ? IA64_X_NEXT : IA64_X_FAULT;
    case IA64_OP_LOADRS:
        if (cpu->ar[IA64_AR_RSC] & 3)
            return ia64_illegal(cpu); /* needs enforced-lazy mode */
        return ia64_rse_loadrs(cpu) ? IA64_X_NEXT : IA64_X_FAULT;
    case IA64_OP_COVER:
        ia64_rse_cover(cpu);
        return IA64_X_NEXT;
    case IA64_OP_CLRRRB:
        cpu->cfm &= ~(0x7fULL << 18 | 0x7fULL << 25 | 0x3fULL << 32);
        return IA64_X_NEXT;
    case IA64_OP_CLRRRB_PR:
        cpu->cfm &= ~(0x3fULL << 32);
        return IA64_X_NEXT;
    case IA64_OP_RFI: {
        PRIV();
        uint64_t ifs = cpu->cr[IA64_CR_IFS];
        ia64_rfi(cpu);
        /* The restored frame's mandatory loads (the part not in the
         * physical file) are made in the target context, under the new
         * PSR.rt (SDM rfi: current frame load): Linux's VIRTUAL_MODE_ENTER
         * moves ar.bspstore to region 7 in physical mode and returns with
         * the frame ia64_state_save covered. */
        if ((ifs >> 63) & 1 && !ia64_rse_restore(cpu, ifs))
            return IA64_X_FAULT;
        return IA64_X_BRANCH;
    }
    case IA64_OP_BSW0:
    case IA64_OP_BSW1:
        PRIV();
        ia64_cpu_set_bank(cpu, in->op == IA64_OP_BSW1);
        return IA64_X_NEXT;
    case IA64_OP_CHK_S:
        GET(in->r2, v, n);
        return n ? jump(cpu, in->imm) : IA64_X_NEXT;
    case IA64_OP_CHK_A:
        /* No ALAT: every advanced load counts as invalidated. */
        return jump(cpu, in->imm);
    default:
        return ia64_illegal(cpu);
    }
}
