// Nested interruptions (SDM vol 2 ch. 5): a handler runs with PSR.ic = 0
// and PSR.i = 0. A fault inside it (here an Illegal Operation) goes to its
// own vector but leaves cr.iip, cr.ipsr, cr.ifs, cr.iipa and cr.iim as the
// first interruption (a break) set them, so the first handler can still
// rfi to the right place. An interrupt raised inside the handler (a
// self-IPI) waits for PSR.i and is taken right at the rfi's target, before
// the next instruction there.
#include "ia64test.h"
#include "ia64/sapic.h"

	.text
	.global _start
_start:
	movl r2 = ivt;;
	mov cr.iva = r2
	mov cr.tpr = r0
	mov r14 = 0				// breaks
	mov r15 = 0				// illegal operations
	mov r13 = 0;;				// interrupts
	ssm 0x6000;;				// PSR.ic | PSR.i
	srlz.d;;
	.align 16
brk:	{ .mii; break.m 0x1234; nop.i 0; nop.i 0;; }
after:	{ .mii; mov r12 = r13; nop.i 0; nop.i 0;; }	// the interrupt came first
	EXPECT(r14, 1, 1)
	EXPECT(r15, 1, 2)
	EXPECT(r12, 1, 3)
	EXPECT(r11, after, 4)			// cr.iip of the interrupt
	br.cond.sptk.few test_pass;;

	TEST_EXITS

	.align 32768
ivt:
	.org ivt + 0x2c00			// Break (bank 0, ic = 0, i = 0)
	adds r14 = 1, r14
	mov r16 = cr.iip
	mov r17 = cr.ipsr
	mov r18 = cr.iim
	mov r19 = cr.ifs
	mov r20 = cr.iipa;;
	EXPECT(r18, 0x1234, 10)
	movl r21 = IA64_SAPIC_BASE		// CPU 0, DM_INT, vector 0x30: held by PSR.i
	mov r22 = 0x30;;
	st8 [r21] = r22;;
	movl r29 = 1f;;
	mov ar.bsp = r0				// Illegal Operation, nested
	mov r30 = 11
	br.cond.sptk.few test_fail;;
1:	mov r23 = cr.iip
	mov r24 = cr.ipsr
	mov r25 = cr.ifs
	mov r26 = cr.iim
	mov r27 = cr.iipa;;
	cmp.ne p6, p0 = r23, r16
	mov r30 = 12
	(p6) br.cond.dpnt.few test_fail
	cmp.ne p6, p0 = r24, r17
	mov r30 = 13
	(p6) br.cond.dpnt.few test_fail
	cmp.ne p6, p0 = r25, r19
	mov r30 = 14
	(p6) br.cond.dpnt.few test_fail
	br.cond.sptk.few brk_more;;
	.org ivt + 0x3000			// External Interrupt
	mov r11 = cr.iip
	mov r10 = cr.ivr;;
	EXPECT(r10, 0x30, 20)
	mov cr.eoi = r0
	adds r13 = 1, r13;;
	rfi;;
	.org ivt + 0x3400
brk_more:
	cmp.ne p6, p0 = r26, r18
	mov r30 = 15
	(p6) br.cond.dpnt.few test_fail
	cmp.ne p6, p0 = r27, r20
	mov r30 = 16
	(p6) br.cond.dpnt.few test_fail;;
	EXPECT(r13, 0, 17)			// nothing delivered inside the handler
	adds r16 = 16, r16			// past the break's bundle
	dep r17 = 0, r17, 41, 2;;
	mov cr.iip = r16
	mov cr.ipsr = r17;;
	rfi;;
	.org ivt + 0x5400			// General Exception (nested: ic = 0)
	adds r15 = 1, r15
	mov r23 = cr.isr;;
	extr.u r23 = r23, 4, 4;;
	EXPECT(r23, 0, 30)			// Illegal Operation
	mov b7 = r29;;
	br.cond.sptk.few b7;;
	.org ivt + 0x7f00
