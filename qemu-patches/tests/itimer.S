// The interval timer under qemu-system-ia64: cr.itv = vector 0xef, cr.itm
// = ar.itc + 7,000,000 (10 ms at the 700 MHz ITC that PAL_FREQ_RATIOS
// gives), PSR.i on, then PAL_HALT_LIGHT: no bundle runs while the CPU
// waits, so only the virtual clock can bring ar.itc to cr.itm and the
// interrupt out of the halt. The handler records cr.ivr and ar.itc.
// Passes (halt code 0) when exactly one 0xef arrived, at ar.itc >= cr.itm.
// Not an ia64sim test: there ar.itc counts bundles and nothing wakes it.
#include "ia64test.h"
#include "ia64platform.h"

#define DELTA 7000000

	.text
	.global _start
_start:
	movl r2 = ivt;;
	mov cr.iva = r2;;
	ssm psr.ic;;
	srlz.d;;
	mov cr.tpr = r0
	mov r2 = 0xef;;
	mov cr.itv = r2;;			// unmasked, vector 0xef
	mov r3 = ar.itc;;
	movl r4 = DELTA;;
	add r5 = r3, r4;;
	mov cr.itm = r5;;
	srlz.d;;
	ssm psr.i;;
	srlz.d;;
	mov r28 = PAL_HALT_LIGHT
	movl r2 = IA64_FW_PAL_PROC;;
	mov b6 = r2
	movl r2 = back;;
	mov b0 = r2
	br.cond.sptk.few b6;;
back:
	movl r9 = count;;
1:	ld8 r6 = [r9];;				// the handler may run just after
	cmp.eq p6, p0 = r6, r0
	(p6) br.cond.sptk.few 1b;;
	rsm psr.i;;
	srlz.d;;
	EXPECT(r6, 1, 1)			// one interrupt
	movl r10 = vector;;
	ld8 r7 = [r10];;
	EXPECT(r7, 0xef, 2)			// the ITV vector
	movl r10 = itc_seen;;
	ld8 r7 = [r10];;
	mov r8 = cr.itm;;
	cmp.ltu p7, p0 = r7, r8;;		// not before ITM
	mov r30 = 3
	(p7) br.cond.dpnt.few test_fail;;
	br.cond.sptk.few test_pass;;

	TEST_EXITS

	.align 32768
ivt:
	.org ivt + 0x3000			// External Interrupt
	mov r16 = cr.ivr;;
	srlz.d
	mov r17 = ar.itc
	movl r18 = vector;;
	st8 [r18] = r16
	movl r18 = itc_seen;;
	st8 [r18] = r17
	movl r18 = count;;
	ld8 r19 = [r18];;
	adds r19 = 1, r19;;
	st8 [r18] = r19
	mov cr.eoi = r0;;
	srlz.d;;
	rfi;;
	.org ivt + 0x7f00

	.data
	.align 8
count:	data8 0
vector:	data8 0
itc_seen: data8 0
