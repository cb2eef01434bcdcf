/* Declarations shared by the core's source files (not public). */
#ifndef IA64_CORE_INTERNAL_H
#define IA64_CORE_INTERNAL_H

#include "ia64/cpu.h"
#include "ia64/decode.h"
#include "ia64/exec.h"
#include "ia64/machine.h"
#include "ia64/mem.h"

/* What executing one instruction did. */
enum ia64_xres {
    IA64_X_NEXT = 0, /* fall through to the next slot */
    IA64_X_BRANCH,   /* cpu->ip / cpu->slot were set */
    IA64_X_FAULT,    /* an interruption was raised (ip/slot set by ia64_raise) */
};

#define PSR_GET(cpu, b) (((cpu)->psr >> (b)) & 1)
#define CPL(cpu) (((cpu)->psr >> IA64_PSR_CPL) & 3)

/* Raise helpers: the ISR "ei" field (the slot) is filled from cpu->slot. */
enum ia64_xres ia64_illegal(struct ia64_cpu *cpu);
enum ia64_xres ia64_priv_op(struct ia64_cpu *cpu);
enum ia64_xres ia64_reserved_reg(struct ia64_cpu *cpu);
enum ia64_xres ia64_nat_fault(struct ia64_cpu *cpu);
/* NaT consumption by a memory access: ISR.r/ISR.w say which. */
enum ia64_xres ia64_nat_fault_mem(struct ia64_cpu *cpu, bool read, bool write);

/* Executors by instruction class; each returns an ia64_xres. */
enum ia64_xres ia64_exec_alu(struct ia64_cpu *cpu, const struct ia64_insn *in);
enum ia64_xres ia64_exec_mem(struct ia64_cpu *cpu, const struct ia64_insn *in);
enum ia64_xres ia64_exec_sys(struct ia64_cpu *cpu, const struct ia64_insn *in);
enum ia64_xres ia64_exec_branch(struct ia64_cpu *cpu, const struct ia64_insn *in, bool qp);
enum ia64_xres ia64_exec_compare(struct ia64_cpu *cpu, const struct ia64_insn *in, bool qp_true);
enum ia64_xres ia64_exec_mm(struct ia64_cpu *cpu, const struct ia64_insn *in);
enum ia64_xres ia64_exec_fp(struct ia64_cpu *cpu, const struct ia64_insn *in);
enum ia64_xres ia64_exec_fp_compare(struct ia64_cpu *cpu, const struct ia64_insn *in, bool qp);
enum ia64_xres ia64_exec_nonaccess(struct ia64_cpu *cpu, const struct ia64_insn *in);
enum ia64_xres ia64_exec_fpmove(struct ia64_cpu *cpu, const struct ia64_insn *in);

/* Register stack engine (rse.c). Each returns false when a backing-store
 * access faulted (the fault is already raised, state unchanged). */
uint64_t ia64_rse_skip(uint64_t addr, long n);
bool ia64_rse_alloc(struct ia64_cpu *cpu, unsigned sof, unsigned sol, unsigned sor);
void ia64_rse_call(struct ia64_cpu *cpu);
bool ia64_rse_return(struct ia64_cpu *cpu, uint64_t pfm);
bool ia64_rse_flushrs(struct ia64_cpu *cpu);
bool ia64_rse_loadrs(struct ia64_cpu *cpu);
void ia64_rse_set_bspstore(struct ia64_cpu *cpu, uint64_t v);

/* Translation helpers (tlb.c). */
uint64_t ia64_thash(struct ia64_cpu *cpu, uint64_t va);
/* ia64_tlb_purge with the region id given (ptc.g: the issuing CPU's). */
void ia64_tlb_purge_rid(struct ia64_cpu *cpu, uint32_t rid, uint64_t va, unsigned ps, bool itlb,
                        bool dtlb, bool trs);
/* ISR{3:0} codes of non-access instructions (SDM vol 2 ISR). */
enum { IA64_NA_PROBE = 2, IA64_NA_LFETCH = 4, IA64_NA_PROBE_FAULT = 5 };
uint64_t ia64_nonaccess_check(struct ia64_cpu *cpu, uint64_t va, unsigned acc_mask, unsigned pl,
                              bool fault_form, unsigned code, bool *allowed);
void ia64_tc_insert(struct ia64_cpu *cpu, bool instr, uint64_t va, uint64_t pte, uint64_t itir);

/* Interrupt controller (interrupt.c). */
int ia64_pending_vector(struct ia64_cpu *cpu);  /* highest deliverable, or -1 */
int ia64_unmasked_vector(struct ia64_cpu *cpu); /* same, ignoring PSR.i */
uint64_t ia64_read_ivr(struct ia64_cpu *cpu);
void ia64_write_eoi(struct ia64_cpu *cpu);
void ia64_rfi(struct ia64_cpu *cpu);

/* Machine-side device dispatch (machine/bus.c). */
int ia64_bus_fetch(struct ia64_machine *m, uint64_t pa, uint8_t out[16]);
/* RAM backing [pa, pa+len) or NULL, without telling the embedder it may be
 * written (ia64_ram_ptr does): for reads and fetches. */
const uint8_t *ia64_bus_ram(struct ia64_machine *m, uint64_t pa, uint64_t len);
/* The decoded bundle at pa from cpu's bcache (m->bcache set), decoding on a
 * miss; *bytes = its raw bytes. NULL when pa is not RAM. */
struct ia64_bundle;
const struct ia64_bundle *ia64_bcache_fetch(struct ia64_cpu *cpu, uint64_t pa,
                                            const uint8_t **bytes);

#endif
