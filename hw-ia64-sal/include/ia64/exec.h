/* Instruction execution and interruption delivery. */
#ifndef IA64_EXEC_H
#define IA64_EXEC_H

#include <stdbool.h>
#include <stdint.h>

#include "ia64/cpu.h"

/* IVA offsets of the interruption vectors (SDM vol 2, table 5-6). */
#define IA64_VEC_VHPT 0x0000
#define IA64_VEC_ITLB 0x0400
#define IA64_VEC_DTLB 0x0800
#define IA64_VEC_ALT_ITLB 0x0c00
#define IA64_VEC_ALT_DTLB 0x1000
#define IA64_VEC_NESTED_DTLB 0x1400
#define IA64_VEC_IKEY_MISS 0x1800
#define IA64_VEC_DKEY_MISS 0x1c00
#define IA64_VEC_DIRTY 0x2000
#define IA64_VEC_IACCESS_BIT 0x2400
#define IA64_VEC_DACCESS_BIT 0x2800
#define IA64_VEC_BREAK 0x2c00
#define IA64_VEC_EXTINT 0x3000
#define IA64_VEC_PAGE_NOT_PRESENT 0x5000
#define IA64_VEC_KEY_PERM 0x5100
#define IA64_VEC_IACCESS_RIGHTS 0x5200
#define IA64_VEC_DACCESS_RIGHTS 0x5300
#define IA64_VEC_GENERAL 0x5400
#define IA64_VEC_DISABLED_FP 0x5500
#define IA64_VEC_NAT 0x5600
#define IA64_VEC_SPECULATION 0x5700
#define IA64_VEC_DEBUG 0x5900
#define IA64_VEC_UNALIGNED 0x5a00
/* Not IVA vectors: reasons a CPU can stop without an IVA handler. */
#define IA64_VEC_INIT 0x10000 /* INIT with no platform deliver_init hook */
#define IA64_VEC_BUS 0x10001  /* nothing mapped at a physical address */
#define IA64_VEC_FW 0x10002   /* a firmware entry handler failed */

/* General Exception ISR.code values (bits 7:4). */
#define IA64_GE_ILLEGAL_OP 0x00
#define IA64_GE_PRIV_OP 0x10
#define IA64_GE_PRIV_REG 0x20
#define IA64_GE_RESERVED_REG 0x30

/* Raises an interruption: collects state when psr.ic=1, switches PSR and
 * jumps to iva+vector. When cr.iva is 0 the CPU stops as FAULTED instead
 * (a bare test program has no handlers). ifa/iim are written when the vector
 * defines them; pass 0 otherwise. */
void ia64_raise(struct ia64_cpu *cpu, uint64_t vector, uint64_t isr, uint64_t ifa, uint64_t iim);

/* Name of a vector for messages ("Data TLB", "General Exception", ...). */
const char *ia64_vector_name(uint64_t vector);

/* Return helpers for firmware entry handlers. Static convention (PAL static
 * calls entered with br.cond, return address in b0): continue at b0.
 * Stacked convention (br.call into SAL or stacked PAL): do what br.ret b0
 * does (restore the caller's frame from ar.pfs) and continue at b0. */
void ia64_fw_return_static(struct ia64_cpu *cpu);
void ia64_fw_return_stacked(struct ia64_cpu *cpu);
/* Stacked-call argument n (in0 = 0): the current frame's r32+n. */
uint64_t ia64_fw_arg(struct ia64_cpu *cpu, unsigned n);

/* RSE operations also used by firmware (e.g. PALE_INIT saving state). */
void ia64_rse_cover(struct ia64_cpu *cpu);
void ia64_rse_flush(struct ia64_cpu *cpu); /* flushrs */
/* The frame restore of rfi with ifs.v = 1: pops ifs.sof registers (filling
 * from the backing store if needed) and sets CFM from ifs. false when a
 * backing-store access faulted. */
bool ia64_rse_restore(struct ia64_cpu *cpu, uint64_t ifs);

#endif
