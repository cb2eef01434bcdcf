// What the model does not implement must fault, never pass as a no-op: each
// bundle below holds one unimplemented form (parallel FP, frsqrta, fselect, fmin/fmax,
// tak, a performance monitor read, a 16-byte load; fand and the FP pair loads are
// modelled now, see fp-sig-pair.S) and must raise Illegal
// Operation through the General Exception vector with cr.iip at its bundle.
// The handler checks ISR.code and cr.iip, counts, and resumes at the next
// bundle; a form that passed as a no-op would leave the count short.
#include "ia64test.h"

#define BAD(...) { .mii; __VA_ARGS__; nop.i 0; nop.i 0;; }
#define BADI(...) { .mii; nop.m 0; __VA_ARGS__; nop.i 0;; }
#define BADF(...) { .mfi; nop.m 0; __VA_ARGS__; nop.i 0;; }

	.text
	.global _start
_start:
	movl r2 = ivt;;
	mov cr.iva = r2;;
	ssm 0x2000;;				// PSR.ic: collect cr.isr and cr.iip
	srlz.i;;
	mov r14 = 0				// faults seen (not banked: the handler runs in bank 0)
	movl r5 = buf;;
	.align 16
bad0:	BADF(fpma.s0 f8 = f9, f10, f11)
	BADF(frsqrta.s0 f8, p7 = f9)
	BADF(fselect f8 = f9, f10, f11)
	BADF(fmin.s0 f8 = f9, f10)
	BADF(fmax.s0 f8 = f9, f10)
	BADF(fpmerge.s f8 = f9, f10)
	BAD(tak r4 = r5)
	BAD(mov r4 = pmd[r5])
	BAD(ld16 r4, ar.csd = [r5])
	BADF(fpmax.s0 f8 = f9, f10)
	BADF(famax.s0 f8 = f9, f10)
	BADF(fpcmp.eq.s0 f8 = f9, f10)
	EXPECT(r14, 12, 1)
	br.cond.sptk.few test_pass;;

	TEST_EXITS

	.align 32768
ivt:
	.org ivt + 0x5400			// General Exception
	mov r16 = cr.isr
	mov r17 = cr.iip;;
	extr.u r18 = r16, 4, 4;;		// ISR.code{7:4} = 0: Illegal Operation
	EXPECT(r18, 0, 2)
	movl r19 = bad0;;
	shladd r19 = r14, 4, r19;;		// bundle number r14 after bad0
	cmp.ne p6, p0 = r17, r19
	(p6) mov r30 = 3
	(p6) br.cond.sptk.few test_fail;;
	adds r14 = 1, r14
	adds r17 = 16, r17
	mov r18 = cr.ipsr;;
	dep r18 = 0, r18, 41, 2;;		// ipsr.ri = 0: resume at slot 0
	mov cr.iip = r17
	mov cr.ipsr = r18;;
	rfi;;
	.org ivt + 0x7f00

	.data
	.align 16
buf:	data8 0, 0
