/* Interruption delivery (IVA vectors, collection, rfi) and the CPU-local
 * external interrupt controller (IRR, IVR, TPR, EOI). */
#include "internal.h"

#define PSR_KEEP                                                                                   \
    (IA64_PSR_BIT(IA64_PSR_UP) | IA64_PSR_BIT(IA64_PSR_MFL) | IA64_PSR_BIT(IA64_PSR_MFH) |         \
     IA64_PSR_BIT(IA64_PSR_PK) | IA64_PSR_BIT(IA64_PSR_DT) | IA64_PSR_BIT(IA64_PSR_RT) |           \
     IA64_PSR_BIT(IA64_PSR_MC) | IA64_PSR_BIT(IA64_PSR_IT) | IA64_PSR_BIT(IA64_PSR_AC))

const char *ia64_vector_name(uint64_t v)
{
    switch (v) {
    case IA64_VEC_VHPT:
        return "VHPT Translation";
    case IA64_VEC_ITLB:
        return "Instruction TLB";
    case IA64_VEC_DTLB:
        return "Data TLB";
    case IA64_VEC_ALT_ITLB:
        return "Alternate Instruction TLB";
    case IA64_VEC_ALT_DTLB:
        return "Alternate Data TLB";
    case IA64_VEC_NESTED_DTLB:
        return "Data Nested TLB";
    case IA64_VEC_IKEY_MISS:
        return "Instruction Key Miss";
    case IA64_VEC_DKEY_MISS:
        return "Data Key Miss";
    case IA64_VEC_DIRTY:
        return "Dirty-Bit";
    case IA64_VEC_IACCESS_BIT:
        return "Instruction Access-Bit";
    case IA64_VEC_DACCESS_BIT:
        return "Data Access-Bit";
    case IA64_VEC_BREAK:
        return "Break Instruction";
    case IA64_VEC_EXTINT:
        return "External Interrupt";
    case IA64_VEC_PAGE_NOT_PRESENT:
        return "Page Not Present";
    case IA64_VEC_KEY_PERM:
        return "Key Permission";
    case IA64_VEC_IACCESS_RIGHTS:
        return "Instruction Access Rights";
    case IA64_VEC_DACCESS_RIGHTS:
        return "Data Access Rights";
    case IA64_VEC_GENERAL:
        return "General Exception";
    case IA64_VEC_DISABLED_FP:
        return "Disabled FP-Register";
    case IA64_VEC_NAT:
        return "NaT Consumption";
    case IA64_VEC_SPECULATION:
        return "Speculation";
    case IA64_VEC_DEBUG:
        return "Debug";
    case IA64_VEC_UNALIGNED:
        return "Unaligned Reference";
    case IA64_VEC_INIT:
        return "INIT (no platform handler)";
    case IA64_VEC_BUS:
        return "Bus error (nothing mapped)";
    case IA64_VEC_FW:
        return "Firmware call failed";
    }
    return "unknown";
}

static bool vector_sets_ifa(uint64_t v)
{
    return v <= IA64_VEC_DACCESS_BIT || v == IA64_VEC_PAGE_NOT_PRESENT || v == IA64_VEC_KEY_PERM ||
           v == IA64_VEC_IACCESS_RIGHTS || v == IA64_VEC_DACCESS_RIGHTS || v == IA64_VEC_UNALIGNED;
}

void ia64_raise(struct ia64_cpu *cpu, uint64_t vector, uint64_t isr, uint64_t ifa, uint64_t iim)
{
    isr = (isr & ~(3ULL << 41)) | (uint64_t)(cpu->slot & 3) << 41;
    if (cpu->cr[IA64_CR_IVA] == 0) {
        /* No handlers installed: stop so the runner can report the fault. */
        cpu->state = IA64_CPU_FAULTED;
        cpu->fault_vector = vector;
        cpu->fault_ip = cpu->ip;
        cpu->cr[IA64_CR_ISR] = isr;
        if (vector_sets_ifa(vector))
            cpu->cr[IA64_CR_IFA] = ifa;
        if (!cpu->machine->faulted)
            cpu->machine->faulted = cpu;
        return;
    }
    if (PSR_GET(cpu, IA64_PSR_IC)) {
        cpu->cr[IA64_CR_IPSR] = (cpu->psr & ~(3ULL << IA64_PSR_RI)) | (uint64_t)cpu->slot
                                                                          << IA64_PSR_RI;
        cpu->cr[IA64_CR_IIP] = cpu->ip;
        cpu->cr[IA64_CR_IIPA] = cpu->ip;
        cpu->cr[IA64_CR_IFS] = 0; /* ifs.v = 0: the frame was not covered */
        if (vector_sets_ifa(vector))
            cpu->cr[IA64_CR_IFA] = ifa;
        if (vector == IA64_VEC_BREAK)
            cpu->cr[IA64_CR_IIM] = iim;
    }
    /* Data Nested TLB (PSR.ic = 0): every interruption register keeps
     * what the fault being handled put there (SDM vol 2). */
    if (vector != IA64_VEC_NESTED_DTLB)
        cpu->cr[IA64_CR_ISR] = isr;
    uint64_t dcr = cpu->cr[IA64_CR_DCR];
    uint64_t psr = cpu->psr & PSR_KEEP;
    psr |= (dcr & 1) << IA64_PSR_PP; /* dcr.pp */
    psr |= ((dcr >> 1) & 1) << IA64_PSR_BE;
    ia64_cpu_set_bank(cpu, 0);
    cpu->psr = psr; /* bn = 0, ic = i = 0, cpl = 0, ri = 0 */
    cpu->ip = cpu->cr[IA64_CR_IVA] + vector;
    cpu->slot = 0;
}

static enum ia64_xres ge(struct ia64_cpu *cpu, uint64_t code)
{
    ia64_raise(cpu, IA64_VEC_GENERAL, code, 0, 0);
    return IA64_X_FAULT;
}

enum ia64_xres ia64_illegal(struct ia64_cpu *cpu)
{
    return ge(cpu, IA64_GE_ILLEGAL_OP);
}

enum ia64_xres ia64_priv_op(struct ia64_cpu *cpu)
{
    return ge(cpu, IA64_GE_PRIV_OP);
}

enum ia64_xres ia64_reserved_reg(struct ia64_cpu *cpu)
{
    return ge(cpu, IA64_GE_RESERVED_REG);
}

enum ia64_xres ia64_nat_fault_mem(struct ia64_cpu *cpu, bool read, bool write)
{
    uint64_t isr = 1ULL << 4 | (uint64_t)read << 34 | (uint64_t)write << 33;
    ia64_raise(cpu, IA64_VEC_NAT, isr, 0, 0);
    return IA64_X_FAULT;
}

enum ia64_xres ia64_nat_fault(struct ia64_cpu *cpu)
{
    ia64_raise(cpu, IA64_VEC_NAT, 1ULL << 4 /* NaT register consumption */, 0, 0);
    return IA64_X_FAULT;
}

void ia64_rfi(struct ia64_cpu *cpu)
{
    uint64_t ipsr = cpu->cr[IA64_CR_IPSR];
    ia64_cpu_set_bank(cpu, (ipsr >> IA64_PSR_BN) & 1);
    cpu->psr = ipsr & ~(3ULL << IA64_PSR_RI);
    cpu->ip = cpu->cr[IA64_CR_IIP] & ~15ULL;
    cpu->slot = (ipsr >> IA64_PSR_RI) & 3;
    if (cpu->slot == 3)
        cpu->slot = 0;
}

/* --- external interrupts ---------------------------------------------- */

static bool irr_test(struct ia64_cpu *cpu, unsigned v)
{
    return (cpu->cr[IA64_CR_IRR0 + v / 64] >> (v % 64)) & 1;
}

/* The highest bit set in a 256-bit vector set (cr.irr0-3 or the in-service
 * set), or -1. */
static int highest(const uint64_t w[4])
{
    for (int i = 3; i >= 0; i--) {
        uint64_t x = w[i];
        if (x)
            return i * 64 + 63 - __builtin_clzll(x);
    }
    return -1;
}

/* Highest pending vector that the TPR and in-service state let through (PSR.i
 * is the caller's business), or -1. NMI (vector 2) ignores the TPR. */
int ia64_unmasked_vector(struct ia64_cpu *cpu)
{
    int v = highest(&cpu->cr[IA64_CR_IRR0]);
    if (v < 0)
        return -1;
    int ins = highest(cpu->isr_inservice);
    if (v == 2)
        return ins == 2 ? -1 : 2;
    if (ins >= 0 && (v >> 4) <= (ins >> 4))
        return -1;
    uint64_t tpr = cpu->cr[IA64_CR_TPR];
    if ((tpr >> 16) & 1)
        return -1;
    if ((unsigned)(v >> 4) <= ((tpr >> 4) & 0xf))
        return -1;
    return v;
}

int ia64_pending_vector(struct ia64_cpu *cpu)
{
    if (!PSR_GET(cpu, IA64_PSR_I))
        return -1;
    return ia64_unmasked_vector(cpu);
}

uint64_t ia64_read_ivr(struct ia64_cpu *cpu)
{
    int v = ia64_unmasked_vector(cpu);
    if (v < 0)
        return 15; /* spurious */
    cpu->cr[IA64_CR_IRR0 + v / 64] &= ~(1ULL << (v % 64));
    cpu->isr_inservice[v / 64] |= 1ULL << (v % 64);
    return (uint64_t)v;
}

void ia64_write_eoi(struct ia64_cpu *cpu)
{
    int v = highest(cpu->isr_inservice);
    if (v >= 0)
        cpu->isr_inservice[v / 64] &= ~(1ULL << (v % 64));
}

void ia64_cpu_raise_extint(struct ia64_cpu *cpu, unsigned vector)
{
    vector &= 0xff;
    if (vector < 16 && vector != 2)
        return; /* reserved vectors are dropped */
    if (!irr_test(cpu, vector))
        cpu->cr[IA64_CR_IRR0 + vector / 64] |= 1ULL << (vector % 64);
}

void ia64_cpu_raise_nmi(struct ia64_cpu *cpu)
{
    ia64_cpu_raise_extint(cpu, 2);
}

void ia64_cpu_raise_init(struct ia64_cpu *cpu)
{
    cpu->pend_init = true;
}
