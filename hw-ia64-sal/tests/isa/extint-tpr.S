// External interrupt masking: interrupts this CPU sends itself through the
// processor interrupt block stay pending in cr.irr while PSR.i is 0, while
// cr.tpr.mic masks their priority class and while cr.tpr.mmi masks all;
// once open they arrive at the External Interrupt vector highest class
// first, cr.ivr names each (and 15, spurious, once none is left), PSR.i is
// 0 in the handler, and cr.eoi plus rfi let the next one in.
#include "ia64test.h"
#include "ia64/sapic.h"

#define SELF_IPI(v) movl r2 = IA64_SAPIC_BASE;; mov r3 = v;; st8 [r2] = r3;; mf;;
#define SPIN mov r4 = 20;; 1: adds r4 = -1, r4;; cmp.ne p6, p0 = r4, r0;; \
    (p6) br.cond.sptk.few 1b;;

	.text
	.global _start
_start:
	movl r2 = ivt;;
	mov cr.iva = r2;;
	ssm psr.ic;;
	srlz.d;;
	mov cr.tpr = r0;;			// TPR open, but PSR.i is 0
	srlz.d;;
	SELF_IPI(0x40)
	SPIN
	movl r9 = count;;
	ld8 r5 = [r9];;
	EXPECT(r5, 0, 1)			// masked by PSR.i
	mov r5 = cr.irr1;;			// vector 0x40 = irr1 bit 0
	EXPECT(r5, 1, 2)
	mov r6 = 4 << 4;;
	mov cr.tpr = r6;;			// mic = 4: classes 0-4 masked
	srlz.d;;
	ssm psr.i;;
	srlz.d;;
	SPIN
	ld8 r5 = [r9];;
	EXPECT(r5, 0, 3)			// masked by TPR.mic
	movl r6 = 1 << 16;;
	mov cr.tpr = r6;;			// mmi: everything masked
	srlz.d;;
	SELF_IPI(0x50)
	SPIN
	ld8 r5 = [r9];;
	EXPECT(r5, 0, 4)			// masked by TPR.mmi
	mov cr.tpr = r0;;			// open: both arrive
	srlz.d;;
	SPIN
	ld8 r5 = [r9];;
	EXPECT(r5, 2, 5)
	movl r10 = seen;;
	ld8 r5 = [r10], 8;;
	EXPECT(r5, 0x50, 6)			// the higher class first
	ld8 r5 = [r10], 8;;
	EXPECT(r5, 0x40, 7)
	movl r10 = psr_i;;
	ld8 r5 = [r10];;
	EXPECT(r5, 0, 8)			// the handler ran with PSR.i = 0
	mov r5 = cr.ivr;;
	srlz.d;;
	EXPECT(r5, 15, 9)			// nothing pending: spurious
	mov r5 = cr.irr1;;
	EXPECT(r5, 0, 10)
	br.cond.sptk.few test_pass;;

	TEST_EXITS

	.align 32768
ivt:
	.org ivt + 0x3000			// External Interrupt
	mov r16 = cr.ivr;;			// bank 0: main's r16-r31 untouched
	srlz.d
	movl r17 = count;;
	ld8 r18 = [r17];;
	movl r19 = seen;;
	shladd r19 = r18, 3, r19
	adds r18 = 1, r18;;
	st8 [r17] = r18
	st8 [r19] = r16
	mov r20 = psr;;
	extr.u r20 = r20, 14, 1;;		// PSR.i
	movl r21 = psr_i;;
	ld8 r22 = [r21];;
	or r22 = r22, r20;;
	st8 [r21] = r22
	mov cr.eoi = r0;;
	srlz.d;;
	rfi;;
	.org ivt + 0x7f00

	.data
	.align 8
count:	data8 0
seen:	data8 0, 0, 0, 0
psr_i:	data8 0
