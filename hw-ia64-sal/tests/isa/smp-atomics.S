// Four CPUs increment shared counters: one with fetchadd8, one with
// xchg-protected plain loads/stores, one with a cmpxchg retry loop. CPU 0
// waits for everyone (fetchadd on a done counter) and checks the totals.
// ia64sim: --cpus 4
#include "ia64test.h"

#define NCPU 4
#define ITER 50

	.text
	.global _start
_start:
	mov r8 = cr.lid;;
	extr.u r8 = r8, 24, 8		// cpu number
	movl r20 = counter_fa
	movl r21 = counter_lock
	movl r22 = lock
	movl r23 = counter_cas
	movl r24 = done;;
	mov r9 = ITER;;
loop:
	fetchadd8.acq r10 = [r20], 1
	// spin lock with xchg
	mov r11 = 1;;
1:	xchg8 r12 = [r22], r11;;
	cmp.ne p6, p0 = r12, r0
	(p6) br.cond.spnt.few 1b;;
	ld8 r13 = [r21];;
	adds r13 = 1, r13;;
	st8 [r21] = r13;;
	st8.rel [r22] = r0
	// compare-and-swap loop
2:	ld8.acq r14 = [r23];;
	mov ar.ccv = r14
	adds r15 = 1, r14;;
	cmpxchg8.acq r16 = [r23], r15, ar.ccv;;
	cmp.ne p6, p0 = r16, r14
	(p6) br.cond.spnt.few 2b;;
	adds r9 = -1, r9;;
	cmp.ne p6, p0 = r9, r0
	(p6) br.cond.sptk.few loop;;
	fetchadd8.rel r10 = [r24], 1;;
	cmp.ne p7, p0 = r8, r0
	(p7) br.cond.sptk.few other;;
	// CPU 0: wait for all
3:	ld8.acq r10 = [r24];;
	cmp.ne p6, p0 = NCPU, r10
	(p6) br.cond.sptk.few 3b;;
	ld8 r10 = [r20];;
	EXPECT(r10, NCPU * ITER, 1)
	ld8 r10 = [r21];;
	EXPECT(r10, NCPU * ITER, 2)
	ld8 r10 = [r23];;
	EXPECT(r10, NCPU * ITER, 3)
	br.cond.sptk.few test_pass;;
other:
	HALT_CPU

	TEST_EXITS

	.data
	.align 8
counter_fa:	data8 0
counter_lock:	data8 0
lock:		data8 0
counter_cas:	data8 0
done:		data8 0
