/* What the platform reports about INITs after a run (for ia64sim's
 * --enumerate-init-orders, and for embedders that want to check the
 * monarch election without reading guest memory). */
#ifndef IA64_PLATFORM_H
#define IA64_PLATFORM_H

#include <stdint.h>

#include "ia64/machine.h"

struct ia64_init_stats {
    uint64_t inits, monarchs, slaves, resumes, warm_boots;
    uint64_t monarch_mask;            /* bit n: CPU n was made monarch */
    unsigned arrivals[IA64_MAX_CPUS]; /* CPUs in the order they took INIT */
    unsigned narrivals;
};

/* Fills *st from the platform installed on m by ia64_platform_setup.
 * 0, or -1 when m has no platform. */
int ia64_platform_init_stats(struct ia64_machine *m, struct ia64_init_stats *st);

/* Boot as on hardware: CPUs other than CPU 0 wait in SAL for the
 * AP_WAKEUP interrupt and then enter the OS's BOOT_RENDEZ entry, instead
 * of starting at the ELF entry. Call after ia64_platform_setup. 0, or -1
 * when m has no platform. */
int ia64_platform_hold_aps(struct ia64_machine *m);

#endif
