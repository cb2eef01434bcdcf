// The interval timer: ar.itc advances IA64_ITC_PER_BUNDLE (35) ticks per
// bundle; ITC passing cr.itm raises cr.itv's vector once (not when cr.itv.m
// masks it, and not retroactively for a match already passed); the handler
// sees it in cr.ivr with ar.itc past cr.itm. A CPU idling in PAL_HALT_LIGHT
// with PSR.i = 0 (Linux's idle loop) wakes when its timer fires: the model
// skips the idle time instead of spinning or stopping as idle, and the
// interrupt is taken once PSR.i is set again.
#include "ia64test.h"
#include "ia64platform.h"

#define DELAY(n) mov r27 = n;; 7: adds r27 = -1, r27;; cmp.ne p6, p0 = r27, r0;; (p6) br.cond.sptk.few 7b;;

	.text
	.global _start
_start:
	movl r2 = ivt;;
	mov cr.iva = r2
	mov cr.tpr = r0
	mov r14 = 0;;				// timer interrupts taken
	srlz.d;;
	{ .mii; mov r2 = ar.itc; nop.i 0; nop.i 0;; }
	{ .mii; mov r3 = ar.itc; nop.i 0; nop.i 0;; }
	sub r4 = r3, r2;;
	EXPECT(r4, 35, 1)			// one bundle apart
	// masked: nothing
	movl r5 = (1 << 16) | 0xef;;
	mov cr.itv = r5
	mov r6 = ar.itc;;
	adds r6 = 700, r6;;
	mov cr.itm = r6;;
	ssm 0x6000;;				// psr.ic, psr.i
	srlz.d;;
	DELAY(100)
	EXPECT(r14, 0, 2)
	// unmasked after the match passed: still nothing
	mov r5 = 0xef;;
	mov cr.itv = r5;;
	srlz.d;;
	DELAY(100)
	EXPECT(r14, 0, 3)
	// armed ahead: one interrupt, after itm
	mov r6 = ar.itc;;
	adds r6 = 2000, r6;;
	mov cr.itm = r6;;
	mov r9 = 1000;;
1:	cmp.ne p6, p0 = r14, r0
	adds r9 = -1, r9;;
	(p6) br.cond.dpnt.few 2f
	cmp.ne p7, p0 = r9, r0
	(p7) br.cond.sptk.few 1b;;
2:	EXPECT(r14, 1, 4)
	movl r10 = seen;;
	ld8 r11 = [r10], 8;;
	EXPECT(r11, 0xef, 5)			// cr.ivr
	ld8 r12 = [r10];;
	cmp.ltu p6, p0 = r12, r6;;
	mov r30 = 6
	(p6) br.cond.dpnt.few test_fail;;	// ar.itc in the handler >= itm
	DELAY(200)
	EXPECT(r14, 1, 7)			// only once
	// idle in PAL_HALT_LIGHT with PSR.i = 0: the timer wakes the CPU
	rsm 0x4000;;
	mov r6 = ar.itc;;
	movl r7 = 10000000;;			// about 285,000 bundles of time
	add r6 = r6, r7;;
	mov cr.itm = r6;;
	srlz.d;;
	PAL_STATIC(PAL_HALT_LIGHT, 0, back)
back:	mov r8 = ar.itc;;
	cmp.ltu p6, p0 = r8, r6;;
	mov r30 = 8
	(p6) br.cond.dpnt.few test_fail;;	// woken no earlier than the match
	EXPECT(r14, 1, 9)			// PSR.i = 0: still pending
	ssm 0x4000;;
	srlz.d;;
	DELAY(10)
	EXPECT(r14, 2, 10)
	br.cond.sptk.few test_pass;;

	TEST_EXITS

	.align 32768
ivt:
	.org ivt + 0x3000			// External Interrupt
	mov r16 = cr.ivr;;
	movl r17 = seen;;
	st8 [r17] = r16, 8
	mov r18 = ar.itc;;
	st8 [r17] = r18
	adds r14 = 1, r14
	mov cr.eoi = r0;;
	srlz.d;;
	rfi;;
	.org ivt + 0x7f00

	.data
	.align 8
seen:	data8 0, 0
