/* Memory access: the physical bus (RAM, firmware traps, MMIO devices) and
 * virtual-to-physical translation through region registers, TRs and TCs.
 * Every access goes through these functions so an embedder (QEMU) can swap
 * the bus for its own address space. */
#ifndef IA64_MEM_H
#define IA64_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ia64_cpu;
struct ia64_machine;

/* A device mapped in the physical address space. Callbacks return 0 on
 * success, non-zero for a bus error (raised to the guest as a fault). off is
 * relative to the region base; size is 1, 2, 4 or 8. cpu is the CPU doing
 * the access (a SAPIC needs it to know who sends an IPI); it may be NULL for
 * accesses made by firmware on nobody's behalf. */
struct ia64_mmio_ops {
    int (*read)(void *opaque, struct ia64_cpu *cpu, uint64_t off, unsigned size, uint64_t *val);
    int (*write)(void *opaque, struct ia64_cpu *cpu, uint64_t off, unsigned size, uint64_t val);
};

/* Physical accesses, little-endian. Return 0 or -1 (nothing mapped there). */
int ia64_phys_read(struct ia64_machine *m, struct ia64_cpu *cpu, uint64_t pa, unsigned size,
                   uint64_t *val);
int ia64_phys_write(struct ia64_machine *m, struct ia64_cpu *cpu, uint64_t pa, unsigned size,
                    uint64_t val);
/* Direct pointer to RAM backing [pa, pa+len) or NULL when not all RAM. For
 * firmware building tables and for the loader. */
uint8_t *ia64_ram_ptr(struct ia64_machine *m, uint64_t pa, uint64_t len);

/* Access kinds for translation. */
enum ia64_access { IA64_ACC_READ = 1, IA64_ACC_WRITE = 2, IA64_ACC_EXEC = 4 };

/* Translate va for the given access under the current PSR (physical mode
 * when psr.dt/it is 0; register-stack accesses use psr.rt: pass rse=true).
 * On success returns 0 and *pa. On a miss or protection failure it returns
 * the IVA offset of the fault to raise (IA64_VEC_*), with cr.isr/ifa/itir/iha
 * values in *isr_code etc. filled by the caller via ia64_raise_fault(). */
uint64_t ia64_translate(struct ia64_cpu *cpu, uint64_t va, enum ia64_access acc, bool rse,
                        uint64_t *pa);

/* The same translation with no side effect on the CPU (no cr.isr/itir/iha
 * change on a miss): for debuggers, monitors and an embedder's TLB fill.
 * 0 and *pa, or the fault vector that ia64_translate would raise. */
uint64_t ia64_translate_peek(struct ia64_cpu *cpu, uint64_t va, enum ia64_access acc, bool rse,
                             uint64_t *pa);

/* Virtual accesses with translation and fault delivery: return true when
 * done, false when a fault was raised (the caller abandons the instruction). */
bool ia64_vread(struct ia64_cpu *cpu, uint64_t va, unsigned size, uint64_t *val, bool rse);
bool ia64_vwrite(struct ia64_cpu *cpu, uint64_t va, unsigned size, uint64_t val, bool rse);

/* TLB maintenance used by instructions and by firmware. */
void ia64_tlb_purge_all_tc(struct ia64_cpu *cpu);
void ia64_tlb_purge(struct ia64_cpu *cpu, uint64_t va, unsigned ps, bool itlb, bool dtlb,
                    bool trs);
void ia64_tlb_insert(struct ia64_cpu *cpu, struct ia64_tlb_entry *e, uint64_t va, uint64_t pte,
                     uint64_t itir);

#endif
