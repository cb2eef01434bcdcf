/* Deterministic SMP scheduling: which CPU runs the next bundle is drawn
 * from a seeded generator, in quanta of 1..max_quantum bundles, so that one
 * program and one seed give one interleaving, bit for bit, and other seeds
 * give others. All state is in the struct: a QEMU target can hold one per
 * machine. */
#ifndef IA64_SCHED_H
#define IA64_SCHED_H

#include <stdint.h>

#include "ia64/machine.h"

struct ia64_sched {
    uint64_t state;       /* splitmix64 state */
    int cur;              /* CPU of the current quantum, -1 none */
    uint32_t left;        /* bundles left in it */
    uint32_t max_quantum; /* 1..max_quantum bundles per turn */
    uint64_t switches;    /* quanta handed out */
};

void ia64_sched_init(struct ia64_sched *s, uint64_t seed, uint32_t max_quantum);
/* Next CPU to run one bundle (a runnable one), or -1 when none can run.
 * Fits struct ia64_hooks.pick_cpu with opaque = the scheduler. */
int ia64_sched_pick(struct ia64_sched *s, struct ia64_machine *m);

#endif
