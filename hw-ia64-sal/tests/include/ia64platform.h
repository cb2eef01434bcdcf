/* Helpers for the platform test programs (firmware calls). */
#ifndef IA64PLATFORM_H
#define IA64PLATFORM_H

#include "ia64/firmware.h"

/* SAL_SET_VECTORS(OS_INIT, monarch, gp 0, 0, slave, gp 0, 0) through SAL's
 * stacked convention; allocates a frame with 8 outputs (r40 = ar.pfs) and
 * leaves SAL's status in r8. Clobbers r9, b0, b6. */
#define SET_INIT_VECTORS(monarch, slave)                                       \
	alloc r40 = ar.pfs, 0, 1, 8, 0;                                        \
	movl r9 = IA64_FW_SAL_PROC;;                                           \
	mov b6 = r9;                                                           \
	movl out0 = SAL_SET_VECTORS;                                           \
	mov out1 = SAL_VECTOR_OS_INIT;                                         \
	movl out2 = monarch;                                                   \
	mov out3 = r0;                                                         \
	mov out4 = r0;                                                         \
	movl out5 = slave;                                                     \
	mov out6 = r0;                                                         \
	mov out7 = r0;;                                                        \
	br.call.sptk.many b0 = b6;;

#endif
