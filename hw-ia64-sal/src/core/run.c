/* Entry points for an embedder that schedules the CPUs itself (QEMU runs
 * one vCPU at a time and asks for a block of bundles): run one CPU, and a
 * translation that leaves the CPU untouched. */
#include "internal.h"

enum ia64_stop ia64_cpu_run(struct ia64_cpu *cpu, uint64_t max_bundles, uint64_t *done)
{
    struct ia64_machine *m = cpu->machine;
    uint64_t n = 0;
    enum ia64_stop why = IA64_STOP_LIMIT;

    for (; n < max_bundles; n++) {
        if (m->halted) {
            why = IA64_STOP_HALT;
            break;
        }
        if (!ia64_cpu_runnable(cpu)) {
            why = cpu->state == IA64_CPU_FAULTED  ? IA64_STOP_FAULT
                  : cpu->state == IA64_CPU_HALTED ? IA64_STOP_HALT
                                                  : IA64_STOP_IDLE;
            break;
        }
        ia64_cpu_step(cpu);
        m->total_bundles++;
        if (m->hooks.after_bundle)
            m->hooks.after_bundle(m->hooks.opaque, cpu);
    }
    if (n == max_bundles && m->halted)
        why = IA64_STOP_HALT;
    *done = n;
    return why;
}

uint64_t ia64_translate_peek(struct ia64_cpu *cpu, uint64_t va, enum ia64_access acc, bool rse,
                             uint64_t *pa)
{
    /* ia64_translate writes only these on a failed translation. */
    uint64_t isr = cpu->cr[IA64_CR_ISR], itir = cpu->cr[IA64_CR_ITIR],
             iha = cpu->cr[IA64_CR_IHA];
    uint64_t vec = ia64_translate(cpu, va, acc, rse, pa);
    cpu->cr[IA64_CR_ISR] = isr;
    cpu->cr[IA64_CR_ITIR] = itir;
    cpu->cr[IA64_CR_IHA] = iha;
    return vec;
}
