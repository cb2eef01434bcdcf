// What the model does not implement must fault, never pass as a no-op: an
// F-unit multiply-add (not modelled) raises Illegal Operation through the
// General Exception vector, with cr.iip at its bundle.
#include "ia64test.h"

	.text
	.global _start
_start:
	movl r2 = ivt;;
	mov cr.iva = r2;;
	ssm 0x2000;;				// PSR.ic: collect cr.isr and cr.iip
	srlz.i;;
	movl r3 = bad;;
bad:
	fma.s0 f8 = f9, f10, f11;;
	mov r30 = 1				// fell through: a silent no-op
	br.cond.sptk.few test_fail;;

	TEST_EXITS

	.align 32768
ivt:
	.org ivt + 0x5400			// General Exception
	mov r16 = cr.isr
	mov r17 = cr.iip;;
	extr.u r18 = r16, 4, 4;;		// ISR.code{7:4} = 0: Illegal Operation
	EXPECT(r18, 0, 2)
	cmp.eq p6, p0 = r17, r3
	(p6) br.cond.sptk.few test_pass;;
	mov r30 = 3
	br.cond.sptk.few test_fail;;
	.org ivt + 0x7f00
