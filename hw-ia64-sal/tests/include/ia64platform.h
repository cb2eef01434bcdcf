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

/* What Linux's OS_INIT stubs do first (mca_asm.S ia64_state_save): cover
 * the interrupted frame. The return to SAL pops it again, as rfi with
 * ifs.v = 1 does, so a handler that does not cover loses the caller's
 * r32.. . */
#define OS_INIT_ENTER cover;;

/* Back to SAL (SAL spec, Linux's ia64_os_init_dispatch end): r8 = status
 * (0 resume, -1 warm boot), r9 = SAL's gp, r10 = 0 (same context), r22 =
 * the min-state area (physical, bit 63 = uncached, as Linux passes it),
 * branch to the return address SAL gave in r12. Clobbers r22. */
#define SAL_RETURN(status, ms)                                                 \
	dep r22 = -1, ms, 63, 1;                                               \
	mov r8 = status;                                                       \
	movl r9 = IA64_FW_SAL_GP;                                              \
	mov r10 = 0;;                                                          \
	mov b0 = r12;;                                                         \
	br.cond.sptk.few b0;;

/* A static PAL procedure call: index in r28, one argument in r29, return
 * to label ret through b0 (PAL's static convention, physical mode). */
#define PAL_STATIC(idx, arg, ret)                                       \
	mov r28 = idx;                                                  \
	mov r29 = arg;                                                  \
	movl r2 = IA64_FW_PAL_PROC;;                                    \
	mov b6 = r2;                                                    \
	movl r2 = ret;;                                                 \
	mov b0 = r2;                                                    \
	br.cond.sptk.few b6;;

#endif
