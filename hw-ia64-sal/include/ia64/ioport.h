/* The I/O port space window (src/platform/ioport.c). */
#ifndef IA64_IOPORT_H
#define IA64_IOPORT_H

#define IA64_IOPORT_BASE 0xffffc000000ULL /* IA64_IOBASE of DIG platforms */
#define IA64_IOPORT_SIZE 0x4000000ULL      /* 64K ports, sparse: 64 MiB */

#ifndef __ASSEMBLY__
#include "ia64/machine.h"
/* Maps the window on m. 0, or -1. */
int ia64_ioport_init(struct ia64_machine *m);
#endif

#endif
