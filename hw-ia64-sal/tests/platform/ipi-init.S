// What ia64 kdump does to a CPU spinning with interrupts off: CPU 0 sends
// it the stop IPI (vector 0xfe, delivery mode INT) through the processor
// interrupt block; PSR.i = 0 masks it and the CPU keeps spinning. Then CPU 0
// sends INIT (delivery mode 5): that gets through, the CPU runs OS_INIT and
// resumes its loop.
// ia64sim: --cpus 2
#include "ia64test.h"
#include "ia64platform.h"
#include "ia64/sapic.h"

	.text
	.global _start
_start:
	mov r8 = cr.lid;;
	extr.u r8 = r8, 24, 8;;
	cmp.ne p6, p0 = r8, r0
	(p6) br.cond.sptk.few cpu1;;
	SET_INIT_VECTORS(init_entry, init_entry)
	movl r20 = go
	mov r21 = 1;;
	st8.rel [r20] = r21
	movl r22 = count;;
1:	ld8.acq r23 = [r22];;			// wait until CPU 1 spins
	cmp.eq p6, p0 = r23, r0
	(p6) br.cond.sptk.few 1b;;
	movl r24 = IA64_SAPIC_BASE + (1 << 12);;	// CPU 1: id 1, eid 0
	mov r25 = 0xfe;;			// DM_INT, vector 0xfe
	st8 [r24] = r25;;
	mf;;
	ld8.acq r26 = [r22];;			// CPU 1 must keep counting
	mov r27 = 500;;
2:	adds r27 = -1, r27;;
	cmp.ne p6, p0 = r27, r0
	(p6) br.cond.sptk.few 2b;;
	ld8.acq r28 = [r22];;
	cmp.ltu p7, p0 = r26, r28;;
	EXPECT_P(p7, 1)				// still spinning: the INT was masked
	movl r29 = inits;;
	ld8 r3 = [r29];;
	EXPECT(r3, 0, 2)
	mov r25 = 0x500;;			// DM_INIT
	st8 [r24] = r25;;
	mf;;
3:	ld8.acq r3 = [r29];;			// OS_INIT ran on CPU 1
	cmp.eq p6, p0 = r3, r0
	(p6) br.cond.sptk.few 3b;;
	ld8.acq r26 = [r22];;			// ... and it resumed its loop
4:	ld8.acq r28 = [r22];;
	cmp.eq p6, p0 = r26, r28
	(p6) br.cond.sptk.few 4b;;
	movl r29 = init_cpu;;
	ld8 r3 = [r29];;
	EXPECT(r3, 1, 3)
	br.cond.sptk.few test_pass;;

cpu1:
	movl r20 = go;;
5:	ld8.acq r21 = [r20];;
	cmp.eq p6, p0 = r21, r0
	(p6) br.cond.sptk.few 5b;;
	rsm psr.i;;
	srlz.d
	movl r22 = count;;
6:	ld8 r23 = [r22];;
	adds r23 = 1, r23;;
	st8.rel [r22] = r23
	br.cond.sptk.few 6b;;

init_entry:
	OS_INIT_ENTER
	mov r28 = cr.lid;;
	extr.u r28 = r28, 24, 8
	movl r29 = init_cpu;;
	st8 [r29] = r28
	movl r29 = inits;;
	fetchadd8.rel r28 = [r29], 1
	SAL_RETURN(0, r17)

	TEST_EXITS

	.data
	.align 8
go:		data8 0
count:		data8 0
inits:		data8 0
init_cpu:	data8 0
