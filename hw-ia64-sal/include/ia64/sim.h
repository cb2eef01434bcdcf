/* What the ia64sim runner hands to the platform (engineer B's code) when it
 * is linked in. The platform then installs firmware, tables, SAPIC, the
 * scheduler and INIT injection on the machine. */
#ifndef IA64_SIM_H
#define IA64_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ia64/machine.h"

struct ia64_sim_config {
    unsigned ncpus;
    uint64_t mem_size;
    uint64_t seed;
    bool seed_set;
    uint64_t init_at; /* raise a platform INIT after this many bundles */
    bool init_at_set;
    unsigned init_order[IA64_MAX_CPUS]; /* CPUs take a pending INIT in this order */
    unsigned init_order_len;            /* 0: as the scheduler picks */
    uint64_t entry;   /* ELF entry point (physical) */
    const void *image; /* the ELF file, for symbol lookups */
    size_t image_len;
    const char *cmdline; /* --append: the kernel command line (NULL: default) */
    const void *initrd;  /* --initrd: placed below the per-CPU areas */
    size_t initrd_len;
    bool os_devices; /* map the I/O SAPIC and the I/O port space (an OS probes them) */
};

/* Implemented by the platform (hw-ia64-sal/src/platform). ia64sim has weak
 * fallbacks: setup returns 1 ("no platform"), teardown does nothing.
 * setup returns 0 on success, 1 when there is no platform, -1 on error with
 * a message in err. It runs after the core defaults are in place (every CPU
 * at the entry, per-CPU stack and backing store) and may change them. */
int ia64_platform_setup(struct ia64_machine *m, const struct ia64_sim_config *cfg, char *err,
                        size_t errlen);
void ia64_platform_teardown(struct ia64_machine *m);

#endif
