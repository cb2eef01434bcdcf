/* IA-64 processor architectural state. Everything a CPU owns lives in struct
 * ia64_cpu so several machines (and several CPUs) can coexist in one process;
 * there is no global state. ia64_cpu_reset() gives the power-on state. */
#ifndef IA64_CPU_H
#define IA64_CPU_H

#include <stdbool.h>
#include <stdint.h>

struct ia64_machine;

/* PSR bit positions (SDM vol 2, kregs.h). */
enum {
    IA64_PSR_BE = 1,
    IA64_PSR_UP = 2,
    IA64_PSR_AC = 3,
    IA64_PSR_MFL = 4,
    IA64_PSR_MFH = 5,
    IA64_PSR_IC = 13,
    IA64_PSR_I = 14,
    IA64_PSR_PK = 15,
    IA64_PSR_DT = 17,
    IA64_PSR_DFL = 18,
    IA64_PSR_DFH = 19,
    IA64_PSR_SP = 20,
    IA64_PSR_PP = 21,
    IA64_PSR_DI = 22,
    IA64_PSR_SI = 23,
    IA64_PSR_DB = 24,
    IA64_PSR_LP = 25,
    IA64_PSR_TB = 26,
    IA64_PSR_RT = 27,
    IA64_PSR_CPL = 32, /* 2 bits */
    IA64_PSR_IS = 34,
    IA64_PSR_MC = 35,
    IA64_PSR_IT = 36,
    IA64_PSR_ID = 37,
    IA64_PSR_DA = 38,
    IA64_PSR_DD = 39,
    IA64_PSR_SS = 40,
    IA64_PSR_RI = 41, /* 2 bits */
    IA64_PSR_ED = 43,
    IA64_PSR_BN = 44,
    IA64_PSR_IA = 45,
};
#define IA64_PSR_BIT(b) (1ULL << (b))

/* Application register numbers. */
enum {
    IA64_AR_K0 = 0, /* k0..k7 = 0..7 */
    IA64_AR_RSC = 16,
    IA64_AR_BSP = 17,
    IA64_AR_BSPSTORE = 18,
    IA64_AR_RNAT = 19,
    IA64_AR_FCR = 21,
    IA64_AR_EFLAG = 24,
    IA64_AR_CSD = 25,
    IA64_AR_SSD = 26,
    IA64_AR_CFLG = 27,
    IA64_AR_FSR = 28,
    IA64_AR_FIR = 29,
    IA64_AR_FDR = 30,
    IA64_AR_CCV = 32,
    IA64_AR_UNAT = 36,
    IA64_AR_FPSR = 40,
    IA64_AR_ITC = 44,
    IA64_AR_PFS = 64,
    IA64_AR_LC = 65,
    IA64_AR_EC = 66,
};

/* Control register numbers. */
enum {
    IA64_CR_DCR = 0,
    IA64_CR_ITM = 1,
    IA64_CR_IVA = 2,
    IA64_CR_PTA = 8,
    IA64_CR_IPSR = 16,
    IA64_CR_ISR = 17,
    IA64_CR_IIP = 19,
    IA64_CR_IFA = 20,
    IA64_CR_ITIR = 21,
    IA64_CR_IIPA = 22,
    IA64_CR_IFS = 23,
    IA64_CR_IIM = 24,
    IA64_CR_IHA = 25,
    IA64_CR_LID = 64,
    IA64_CR_IVR = 65,
    IA64_CR_TPR = 66,
    IA64_CR_EOI = 67,
    IA64_CR_IRR0 = 68, /* irr0..irr3 = 68..71 */
    IA64_CR_ITV = 72,
    IA64_CR_PMV = 73,
    IA64_CR_CMCV = 74,
    IA64_CR_LRR0 = 80,
    IA64_CR_LRR1 = 81,
};

/* One translation (TR or TC entry). */
struct ia64_tlb_entry {
    bool valid;
    uint64_t vaddr; /* virtual page base (offset bits clear, region bits kept) */
    uint64_t ppn;   /* physical page base address */
    unsigned ps;    /* log2 page size */
    uint32_t rid;   /* region id */
    uint32_t key;   /* protection key */
    uint8_t ar, pl; /* access rights, privilege level */
    uint8_t ma;     /* memory attribute */
    bool a, d, ed;
};

#define IA64_NTR 16
#define IA64_NTC 128
/* Physical stacked registers. 96 is the architected minimum; having exactly
 * that many makes deep call chains spill to the backing store, as they do on
 * real hardware. */
#define IA64_NPHYS_STACKED 96

/* Why the CPU stopped stepping. */
enum ia64_cpu_state {
    IA64_CPU_RUNNING = 0,
    IA64_CPU_HALTED,   /* halt device written: stopped for good */
    IA64_CPU_FAULTED,  /* an interruption with no usable IVA (iva == 0) */
    IA64_CPU_WAITING,  /* PAL_HALT_LIGHT: until INIT or an interrupt the TPR lets
                          through (PSR.i = 0 only keeps it pending) */
    IA64_CPU_SLEEPING, /* PAL_HALT: until INIT */
};

struct ia64_fpreg {
    uint64_t sig;  /* significand */
    uint32_t exp;  /* 17-bit exponent */
    uint8_t sign;
};

struct ia64_cpu {
    struct ia64_machine *machine;
    unsigned index; /* position in the machine, 0 = boot CPU */

    /* Static registers r0..r31 at gr[0..31]; the current frame r32.. is
     * mapped onto stacked[] by the RSE (see rse.c); access through
     * ia64_gr_get/ia64_gr_set. bank0/bank1 hold r16..r31 of the inactive bank. */
    uint64_t gr[32];
    bool nat[32];
    uint64_t bank[16]; /* the other bank of r16..r31 (not the one in gr[]) */
    bool bank_nat[16];
    uint64_t stacked[IA64_NPHYS_STACKED];
    bool stacked_nat[IA64_NPHYS_STACKED];

    /* RSE bookkeeping: stacked[bof] is r32 of the current frame; ndirty
     * registers below bof are not yet on the backing store. */
    unsigned bof;
    unsigned ndirty;

    uint64_t pr; /* bit n = pn; bit 0 always 1 */
    uint64_t br[8];
    uint64_t ar[128];
    uint64_t cr[128];
    uint64_t psr;
    uint64_t cfm; /* sof 6:0, sol 13:7, sor 17:14, rrb.gr 24:18, rrb.fr 31:25, rrb.pr 37:32 */
    uint64_t ip;  /* bundle address */
    unsigned slot; /* slot to resume at (psr.ri mirrors it) */
    uint64_t rr[8];
    uint64_t pkr[16];
    uint64_t dbr[8], ibr[8];
    struct ia64_fpreg fr[128];

    struct ia64_tlb_entry itr[IA64_NTR], dtr[IA64_NTR];
    struct ia64_tlb_entry itc[IA64_NTC], dtc[IA64_NTC];
    unsigned itc_next, dtc_next; /* round-robin TC replacement */

    /* Interrupt controller state local to the CPU (irr in cr[68..71]). */
    uint64_t isr_inservice[4]; /* in-service vectors, popped by EOI */
    bool pend_init;            /* INIT pending (held off by psr.mc) */
    bool pend_nmi;
    bool pend_pmi;

    enum ia64_cpu_state state;
    uint64_t fault_vector; /* IVA offset of the fault that stopped us */
    uint64_t fault_ip;
    uint64_t bundles;      /* bundles executed (the deterministic clock) */
    int halt_code;
    void *user;            /* for the embedder */
};

void ia64_cpu_reset(struct ia64_cpu *cpu, struct ia64_machine *m, unsigned index);

/* Register access honouring banking, register rotation and the stacked
 * frame. Returns false for an out-of-frame stacked register. */
bool ia64_gr_get(struct ia64_cpu *cpu, unsigned r, uint64_t *val, bool *nat);
bool ia64_gr_set(struct ia64_cpu *cpu, unsigned r, uint64_t val, bool nat);
/* Value-only shortcuts (r0 reads 0; out-of-frame reads 0). */
uint64_t ia64_gr(struct ia64_cpu *cpu, unsigned r);
void ia64_set_gr(struct ia64_cpu *cpu, unsigned r, uint64_t val);
bool ia64_pr(struct ia64_cpu *cpu, unsigned p);
void ia64_set_pr(struct ia64_cpu *cpu, unsigned p, bool v);

/* psr.bn switch: swap r16..r31 with the other bank. */
void ia64_cpu_set_bank(struct ia64_cpu *cpu, unsigned bn);

/* CFM field helpers. */
static inline unsigned ia64_cfm_sof(uint64_t cfm)
{
    return cfm & 0x7f;
}
static inline unsigned ia64_cfm_sol(uint64_t cfm)
{
    return (cfm >> 7) & 0x7f;
}
static inline unsigned ia64_cfm_sor(uint64_t cfm)
{
    return (cfm >> 14) & 0xf;
}

#endif
