// Encodings the SDM reserves raise Illegal Operation even though objdump
// prints them: a never-predicated instruction (cover) with a nonzero
// qualifying-predicate field, faulting even though that predicate is 0,
// and a loop branch (br.cloop) outside slot 2, taken or not. The
// assembler refuses both, so the bundles are written as data.
#include "ia64test.h"

	.text
	.global _start
_start:
	movl r2 = ivt;;
	mov cr.iva = r2;;
	ssm psr.ic;;
	srlz.i;;
	cmp.ne p6, p0 = r0, r0;;		// p6 = 0
	mov ar.lc = 1;;
	.align 16
bundle1:	data8 0x0000000100000011, 0x0008000003000200	// { nop.m; nop.i; (p6) cover ;; }
bundle2:	data8 0x0000100000042817, 0x2000000000100000	// { br.cloop 1f; nop.b; nop.b ;; }
1:	movl r9 = count;;
	ld8 r10 = [r9];;
	EXPECT(r10, 2, 1)
	movl r9 = where;;
	ld8 r10 = [r9], 8;;
	EXPECT(r10, bundle1, 2)			// cr.iip
	ld8 r10 = [r9], 8;;
	EXPECT(r10, 2, 3)			// slot 2
	ld8 r10 = [r9], 8;;
	EXPECT(r10, bundle2, 4)
	ld8 r10 = [r9], 8;;
	EXPECT(r10, 0, 5)			// slot 0
	mov r11 = ar.lc;;
	EXPECT(r11, 1, 6)			// the cloop did not count
	br.cond.sptk.few test_pass;;

	TEST_EXITS

	.align 32768
ivt:
	.org ivt + 0x5400			// General Exception
	mov r16 = cr.isr
	mov r17 = cr.iip
	mov r18 = cr.ipsr;;
	extr.u r19 = r16, 4, 4;;		// ISR.code{7:4} = 0: Illegal Operation
	cmp.ne p7, p0 = r19, r0
	(p7) br.cond.spnt.few bad;;
	movl r20 = count;;
	ld8 r21 = [r20];;
	movl r22 = where;;
	shladd r22 = r21, 4, r22
	adds r21 = 1, r21;;
	st8 [r20] = r21
	extr.u r23 = r18, 41, 2;;		// ipsr.ri
	st8 [r22] = r17, 8;;
	st8 [r22] = r23
	adds r17 = 16, r17;;			// skip the rest of the bundle
	dep r18 = 0, r18, 41, 2;;
	mov cr.iip = r17
	mov cr.ipsr = r18;;
	rfi;;
bad:	mov r30 = 99
	br.cond.sptk.few test_fail;;
	.org ivt + 0x7f00

	.data
	.align 8
count:	data8 0
where:	data8 0, 0, 0, 0
