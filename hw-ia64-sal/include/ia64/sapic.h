/* The processor interrupt block (IPIs), see src/platform/sapic.c. */
#ifndef IA64_SAPIC_H
#define IA64_SAPIC_H

#define IA64_SAPIC_BASE 0xfee00000
#define IA64_SAPIC_SIZE 0x200000     /* IPI area and the XTP byte at +0x1e0008 */
#define IA64_SAPIC_IPI_SIZE 0x100000 /* phys_id << 4 for 16-bit ids */

#ifndef __ASSEMBLY__
#include "ia64/machine.h"
/* Maps the block on m. 0, or -1 when the address space is taken. */
int ia64_sapic_init(struct ia64_machine *m);
#endif

#endif
