// An idle CPU's interval timer runs on while another CPU spins with
// interrupts off: Linux's idle loop parks CPU 1 in PAL_HALT_LIGHT with only
// its ITV timer to wake it (a sleeping init), and CPU 0 spins with PSR.i = 0
// (LKDTM's HARDLOCKUP), so the model can never skip idle time. CPU 1 must
// still wake once its ar.itc passes cr.itm, about as soon as CPU 0's clock
// says that much time went by, and not before. The spin is bounded: a
// model whose idle clocks stand still fails with code 1.
// ia64sim: --cpus 2
#include "ia64test.h"
#include "ia64platform.h"

// The timeout CPU 1 arms: 1,000,000 ticks, about 28,600 bundles of time.
#define WAIT_TICKS 1000000

	.text
	.global _start
_start:
	mov r8 = cr.lid;;
	extr.u r8 = r8, 24, 8;;
	cmp.ne p6, p0 = r8, r0
	(p6) br.cond.sptk.few cpu1;;
	rsm psr.i;;				// CPU 0: spin with interrupts off
	srlz.d
	movl r20 = parked;;
1:	ld8.acq r21 = [r20];;			// wait until CPU 1 is about to halt
	cmp.eq p6, p0 = r21, r0
	(p6) br.cond.sptk.few 1b;;
	mov r9 = ar.itc				// CPU 0's clock when CPU 1 parked
	movl r20 = woke
	movl r22 = 400000;;			// bound: ~1.2 M bundles, 40x the wait
2:	ld8.acq r21 = [r20]
	adds r22 = -1, r22;;
	cmp.ne p6, p0 = r21, r0
	cmp.eq p7, p0 = r22, r0
	(p6) br.cond.dpnt.few 3f
	(p7) br.cond.dpnt.few 4f
	br.cond.sptk.few 2b;;
4:	mov r30 = 1				// CPU 1 never woke
	br.cond.sptk.few test_fail;;
3:	mov r10 = ar.itc;;			// CPU 0's clock when it saw CPU 1 awake
	sub r11 = r10, r9;;
	movl r12 = WAIT_TICKS;;
	cmp.ltu p6, p0 = r11, r12		// not before the timeout by CPU 0's clock
	mov r30 = 2
	(p6) br.cond.dpnt.few test_fail;;
	movl r12 = 4 * WAIT_TICKS;;
	cmp.gtu p6, p0 = r11, r12		// nor long after it
	mov r30 = 3
	(p6) br.cond.dpnt.few test_fail;;
	movl r20 = late;;
	ld8 r21 = [r20];;
	EXPECT(r21, 0, 4)			// ar.itc had passed cr.itm on waking
	br.cond.sptk.few test_pass;;

cpu1:
	rsm psr.i;;				// Linux's idle: interrupts off around the halt
	srlz.d
	mov cr.tpr = r0
	mov r5 = 0xef;;
	mov cr.itv = r5				// the timer, unmasked
	mov r6 = ar.itc;;
	movl r7 = WAIT_TICKS;;
	add r6 = r6, r7;;
	mov cr.itm = r6;;
	srlz.d
	movl r20 = parked
	mov r21 = 1;;
	st8.rel [r20] = r21
	PAL_STATIC(PAL_HALT_LIGHT, 0, light_ret)
light_ret:
	mov r8 = ar.itc;;
	cmp.ltu p6, p0 = r8, r6;;
	movl r20 = late
	mov r21 = 1;;
	(p6) st8 [r20] = r21
	movl r20 = woke;;
	st8.rel [r20] = r21
	HALT_CPU

	TEST_EXITS

	.data
	.align 8
parked:	data8 0
woke:	data8 0
late:	data8 0
