// IPIs between CPUs through the processor interrupt block: CPU 0 sends
// CPU 1 vector 0x40 (delivery mode INT, address = CPU 1's id << 12). It
// stays pending while CPU 1 has PSR.i = 0 and while its TPR.mic masks
// class 4, and arrives once both open, on CPU 1 only. Then an NMI (delivery
// mode 4, vector 2): PSR.i holds it off, TPR.mmi does not.
// ia64sim: --cpus 2
#include "ia64test.h"
#include "ia64/sapic.h"

#define CPU1_IPI (IA64_SAPIC_BASE + (1 << 12))	/* id 1, eid 0 */
#define WAIT_EQ(var, v) movl r2 = var;; 1: ld8.acq r3 = [r2];; \
    cmp.ne p6, p0 = v, r3;; (p6) br.cond.sptk.few 1b;;
#define SET(var, v) movl r2 = var; mov r3 = v;; st8.rel [r2] = r3;;
#define SPIN mov r4 = 200;; 2: adds r4 = -1, r4;; cmp.ne p6, p0 = r4, r0;; \
    (p6) br.cond.sptk.few 2b;;

	.text
	.global _start
_start:
	mov r8 = cr.lid;;
	extr.u r8 = r8, 24, 8;;
	cmp.ne p6, p0 = r8, r0
	(p6) br.cond.sptk.few cpu1;;
	WAIT_EQ(phase, 1)			// CPU 1 ready, PSR.i = 0
	movl r24 = CPU1_IPI
	mov r25 = 0x40;;			// DM_INT, vector 0x40
	st8 [r24] = r25;;
	mf;;
	movl r24 = IA64_SAPIC_BASE + (5 << 12)	// no CPU 5: goes nowhere
	mov r25 = 0x41;;
	st8 [r24] = r25;;
	mf;;
	SET(sent, 1)
	WAIT_EQ(phase, 2)			// CPU 1 took 0x40; PSR.i = 0, TPR.mmi = 1
	movl r24 = CPU1_IPI
	mov r25 = 0x400;;			// DM_NMI
	st8 [r24] = r25;;
	mf;;
	SET(sent, 2)
	WAIT_EQ(phase, 3)
	mov r5 = cr.irr1;;
	EXPECT(r5, 0, 1)			// the IPI was CPU 1's, not CPU 0's
	br.cond.sptk.few test_pass;;

cpu1:
	movl r2 = ivt;;
	mov cr.iva = r2;;
	mov r2 = 4 << 4;;
	mov cr.tpr = r2;;			// mic = 4: classes 0-4 masked
	ssm psr.ic;;
	srlz.d;;
	rsm psr.i;;
	srlz.d;;
	SET(phase, 1)
	WAIT_EQ(sent, 1)
	SPIN
	movl r9 = count;;
	ld8 r5 = [r9];;
	EXPECT(r5, 0, 2)			// masked by PSR.i
	mov r5 = cr.irr1;;
	EXPECT(r5, 1, 3)			// pending: vector 0x40 = irr1 bit 0
	ssm psr.i;;
	srlz.d;;
	SPIN
	ld8 r5 = [r9];;
	EXPECT(r5, 0, 4)			// masked by TPR.mic
	mov cr.tpr = r0;;
	srlz.d;;
	SPIN
	ld8 r5 = [r9];;
	EXPECT(r5, 1, 5)			// delivered once open
	movl r10 = seen;;
	ld8 r5 = [r10];;
	EXPECT(r5, 0x40, 6)
	mov r5 = cr.irr1;;
	EXPECT(r5, 0, 7)			// 0x41 (to CPU 5) did not land here
	rsm psr.i;;
	srlz.d;;
	movl r2 = 1 << 16;;
	mov cr.tpr = r2;;			// mmi: all maskable interrupts masked
	srlz.d;;
	SET(phase, 2)
	WAIT_EQ(sent, 2)
	SPIN
	ld8 r5 = [r9];;
	EXPECT(r5, 1, 8)			// NMI held off by PSR.i
	ssm psr.i;;
	srlz.d;;
	SPIN
	ld8 r5 = [r9];;
	EXPECT(r5, 2, 9)			// ... but not by TPR.mmi
	movl r10 = seen + 8;;
	ld8 r5 = [r10];;
	EXPECT(r5, 2, 10)			// cr.ivr named the NMI vector
	SET(phase, 3)
	HALT_CPU

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
	mov cr.eoi = r0;;
	srlz.d;;
	rfi;;
	.org ivt + 0x7f00

	.data
	.align 8
count:	data8 0
seen:	data8 0, 0, 0, 0
phase:	data8 0
sent:	data8 0
