// break reaches the Break Instruction vector with cr.iim holding its
// immediate and cr.isr.ei its slot, for M, I and B slots (a break whose
// predicate is false does nothing); the handler runs on register bank 0
// and rfi returns to bank 1 past the break. bsw.0/bsw.1 switch r16-r31
// between the two banks and leave the other registers alone.
#include "ia64test.h"

	.text
	.global _start
_start:
	movl r2 = ivt;;
	mov cr.iva = r2;;
	ssm psr.ic;;
	srlz.d;;
	// banks: PSR.bn is 1 after reset
	mov r16 = 0x1616
	mov r31 = 0x3131
	mov r15 = 0x1515;;
	bsw.0;;
	mov r16 = 0xb0
	mov r31 = 0xb31;;
	EXPECT(r15, 0x1515, 1)			// not banked
	bsw.1;;
	EXPECT(r16, 0x1616, 2)
	EXPECT(r31, 0x3131, 3)
	bsw.0;;
	EXPECT(r16, 0xb0, 4)
	EXPECT(r31, 0xb31, 5)
	bsw.1;;
	// break in slot 0 (M), 1 (I) and 2 (B)
	{ .mii
	break.m 0x12345
	nop.i 0
	nop.i 0 ;; }
	{ .mii
	nop.m 0
	break.i 0x1ffff
	nop.i 0 ;; }
	{ .mib
	nop.m 0
	nop.i 0
	break.b 0x7 ;; }
	cmp.ne p6, p0 = r0, r0;;
	(p6) break.m 0x99;;			// qp false: no break
	movl r9 = count;;
	ld8 r5 = [r9];;
	EXPECT(r5, 3, 7)
	movl r10 = log;;
	ld8 r5 = [r10], 8;;
	EXPECT(r5, 0x12345, 8)			// cr.iim
	ld8 r5 = [r10], 8;;
	EXPECT(r5, 0, 9)			// cr.isr.ei
	ld8 r5 = [r10], 8;;
	EXPECT(r5, 0x1ffff, 10)
	ld8 r5 = [r10], 8;;
	EXPECT(r5, 1, 11)
	ld8 r5 = [r10], 8;;
	EXPECT(r5, 0x7, 12)
	ld8 r5 = [r10], 8;;
	EXPECT(r5, 2, 13)
	movl r10 = handler_r16;;
	ld8 r5 = [r10];;
	EXPECT(r5, 0xb0, 14)			// the handler saw bank 0
	EXPECT(r16, 0x1616, 15)			// and rfi brought bank 1 back
	movl r10 = handler_bn;;
	ld8 r5 = [r10];;
	EXPECT(r5, 1, 16)			// cr.ipsr.bn: interrupted on bank 1
	br.cond.sptk.few test_pass;;

	TEST_EXITS

	.align 32768
ivt:
	.org ivt + 0x2c00			// Break Instruction
	mov r17 = cr.iim
	mov r18 = cr.isr
	movl r19 = count;;
	ld8 r20 = [r19];;
	movl r21 = log;;
	shladd r21 = r20, 4, r21
	adds r20 = 1, r20;;
	st8 [r19] = r20
	extr.u r18 = r18, 41, 2;;		// isr.ei
	st8 [r21] = r17, 8;;
	st8 [r21] = r18
	movl r22 = handler_r16;;
	st8 [r22] = r16, 8
	mov r26 = cr.ipsr;;
	extr.u r26 = r26, 44, 1;;
	st8 [r22] = r26				// handler_bn
	// resume after the break: next slot, or the next bundle after slot 2
	mov r23 = cr.ipsr
	mov r24 = cr.iip;;
	extr.u r25 = r23, 41, 2;;		// ipsr.ri
	cmp.eq p6, p7 = 2, r25;;
	(p7) adds r25 = 1, r25
	(p6) mov r25 = 0
	(p6) adds r24 = 16, r24;;
	dep r23 = r25, r23, 41, 2;;
	mov cr.ipsr = r23
	mov cr.iip = r24;;
	rfi;;
	.org ivt + 0x7f00

	.data
	.align 8
count:	data8 0
log:	data8 0, 0, 0, 0, 0, 0
handler_r16: data8 0
handler_bn: data8 0
