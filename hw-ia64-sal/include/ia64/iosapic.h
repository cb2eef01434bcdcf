/* A minimal I/O SAPIC: 24 redirection entries reached through IOREGSEL
 * (+0x00) and IOWIN (+0x10), 32-bit, as Linux's iosapic.c drives them.
 * RTE n: low word at register 0x10 + 2n (vector 7:0, delivery mode 10:8,
 * mask bit 16), high word at 0x11 + 2n (destination id << 24 | eid << 16).
 * A device asserts a line; an unmasked line sends its vector to the
 * destination CPU as an external interrupt. */
#ifndef IA64_IOSAPIC_H
#define IA64_IOSAPIC_H

#define IA64_IOSAPIC_BASE 0xfec00000
#define IA64_IOSAPIC_SIZE 0x1000
#define IOSAPIC_REG_SELECT 0x00
#define IOSAPIC_WINDOW 0x10
#define IOSAPIC_RTE_LOW(n) (0x10 + 2 * (n))
#define IOSAPIC_RTE_HIGH(n) (0x11 + 2 * (n))
#define IOSAPIC_MASK (1 << 16)
#define IOSAPIC_LINES 24

#ifndef __ASSEMBLY__
#include <stdint.h>

#include "ia64/machine.h"

struct ia64_iosapic {
    struct ia64_machine *m;
    uint32_t select;
    uint32_t low[IOSAPIC_LINES], high[IOSAPIC_LINES];
    uint64_t period[IOSAPIC_LINES]; /* a device on the line fires every period bundles */
    uint32_t periodic;              /* lines with a period (tick looks at these only) */
    uint64_t delivered[IOSAPIC_LINES], suppressed[IOSAPIC_LINES];
};

/* Maps it on m, every line masked (reset state). 0, or -1. */
int ia64_iosapic_init(struct ia64_iosapic *s, struct ia64_machine *m);
/* The device on line asserts it once. */
void ia64_iosapic_assert(struct ia64_iosapic *s, unsigned line);
/* A device on line fires every period bundles (0: none). */
void ia64_iosapic_set_period(struct ia64_iosapic *s, unsigned line, uint64_t period);
/* Call after each bundle: periodic devices fire. */
void ia64_iosapic_tick(struct ia64_iosapic *s, uint64_t total_bundles);
#endif

#endif
