// SPDX-License-Identifier: GPL-2.0
/* The spin loops. Kept in their own file and noinline so that the CPU's
 * instruction pointer, as the NMI or the hypervisor sees it, lies inside a
 * symbol the checker can look up in the manifest. */
#include <linux/irqflags.h>
#include <linux/preempt.h>
#include <asm/processor.h>

#include "dl_internal.h"

/* Interrupts off: no timer, IPI or reschedule can take this CPU away; only an
 * NMI (the crash shootdown, or one injected by the hypervisor) stops it. */
noinline void dl_spin_irqoff(void)
{
    local_irq_disable();
    for (;;)
        cpu_relax();
}

/* Preemption off, interrupts on: the watchdog's hrtimer still fires here and
 * sees that its per-CPU stopper thread never ran, which is a soft lockup. */
noinline void dl_spin_preemptoff(void)
{
    preempt_disable();
    for (;;)
        cpu_relax();
}
