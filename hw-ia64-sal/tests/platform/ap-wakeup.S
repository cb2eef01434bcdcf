// Booting as on hardware (ia64sim --ap-wakeup): only CPU 0 starts at the
// entry; CPU 1 waits in SAL, stays there while no BOOT_RENDEZ entry is
// registered (even if woken early), and once it is, the AP_WAKEUP IPI
// (vector 0xf0, from the SAL table) sends it to that entry with the
// registered gp in r1, in physical mode, the wakeup vector consumed.
// ia64sim: --cpus 2 --ap-wakeup
#include "ia64test.h"
#include "ia64/firmware.h"
#include "ia64/sapic.h"

#define CPU1_IPI (IA64_SAPIC_BASE + (1 << 12))
#define SPIN mov r4 = 500;; 2: adds r4 = -1, r4;; cmp.ne p6, p0 = r4, r0;; \
    (p6) br.cond.sptk.few 2b;;

	.text
	.global _start
_start:
	movl r2 = starts;;
	fetchadd8.rel r3 = [r2], 1;;
	SPIN
	movl r2 = starts;;
	ld8 r3 = [r2];;
	EXPECT(r3, 1, 1)			// CPU 1 did not start here
	movl r24 = CPU1_IPI
	mov r25 = IA64_FW_AP_WAKEUP_VECTOR;;	// too early: no BOOT_RENDEZ yet
	st8 [r24] = r25;;
	mf;;
	SPIN
	movl r2 = ap_gp;;
	ld8 r3 = [r2];;
	EXPECT(r3, 0, 2)			// still held in SAL
	alloc r40 = ar.pfs, 0, 1, 8, 0
	movl r9 = IA64_FW_SAL_PROC;;
	mov b6 = r9
	movl out0 = SAL_SET_VECTORS
	mov out1 = SAL_VECTOR_OS_BOOT_RENDEZ
	movl out2 = ap_entry
	movl out3 = 0x5678
	mov out4 = r0
	mov out5 = r0
	mov out6 = r0
	mov out7 = r0;;
	br.call.sptk.many b0 = b6;;
	EXPECT(r8, 0, 3)
	movl r2 = ap_gp;;			// the pending wakeup now takes it there
1:	ld8.acq r3 = [r2];;
	cmp.eq p6, p0 = r3, r0
	(p6) br.cond.sptk.few 1b;;
	EXPECT(r3, 0x5678, 4)			// r1 = the registered gp
	movl r2 = ap_state;;
	ld8 r3 = [r2], 8;;
	EXPECT(r3, 1, 5)			// it was CPU 1
	ld8 r3 = [r2], 8;;
	EXPECT(r3, 0, 6)			// physical mode: PSR.it/dt/rt = 0
	ld8 r3 = [r2];;
	EXPECT(r3, 0, 7)			// the wakeup vector was consumed
	br.cond.sptk.few test_pass;;

ap_entry:
	mov r8 = cr.lid
	mov r9 = psr
	mov r10 = cr.irr3;;
	extr.u r8 = r8, 24, 8
	movl r11 = (1 << 17) | (1 << 27) | (1 << 36);;
	and r9 = r9, r11
	movl r2 = ap_state;;
	st8 [r2] = r8, 8;;
	st8 [r2] = r9, 8;;
	st8 [r2] = r10
	movl r2 = ap_gp;;
	st8.rel [r2] = r1
	HALT_CPU

	TEST_EXITS

	.data
	.align 8
starts:		data8 0
ap_gp:		data8 0
ap_state:	data8 0, 0, 0
