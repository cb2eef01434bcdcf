// OS_INIT may give up the interrupted context: returning to SAL with
// r8 = -1 warm-boots the CPU, which starts over at the boot entry (memory
// survives, so the second start can tell).
// ia64sim: --cpus 1 --init-at 2000
#include "ia64test.h"
#include "ia64platform.h"

	.text
	.global _start
_start:
	movl r20 = booted;;
	ld8 r21 = [r20];;
	cmp.ne p6, p0 = r21, r0
	(p6) br.cond.dpnt.few second;;
	mov r21 = 1;;
	st8 [r20] = r21
	movl r20 = first_sp;;
	st8 [r20] = r12
	SET_INIT_VECTORS(init_entry, init_entry)
	rsm psr.i;;
1:	br.cond.sptk.few 1b;;			// INIT arrives here

second:
	movl r20 = handler_ran;;
	ld8 r21 = [r20];;
	EXPECT(r21, 1, 1)
	mov r22 = psr;;
	extr.u r22 = r22, 35, 1;;		// PSR.mc is clear again after the warm boot
	EXPECT(r22, 0, 2)
	EXPECT(r28, IA64_FW_BOOT_PARAM, 3)	// the boot handoff again
	movl r20 = first_sp;;
	ld8 r21 = [r20];;
	cmp.ne p6, p0 = r21, r12;;		// the same stack as the first boot
	(p6) mov r30 = 4
	(p6) br.cond.dpnt.few test_fail;;
	mov r22 = ar.bsp;;
	cmp.eq p6, p0 = r22, r0;;		// a backing store, not address 0
	(p6) mov r30 = 5
	(p6) br.cond.dpnt.few test_fail;;
	br.cond.sptk.few test_pass;;

init_entry:
	OS_INIT_ENTER
	movl r29 = handler_ran
	mov r28 = 1;;
	st8 [r29] = r28
	SAL_RETURN(-1, r17)			// warm boot

	TEST_EXITS

	.data
	.align 8
booted:		data8 0
handler_ran:	data8 0
first_sp:	data8 0
