// INIT is held off while PSR.mc = 1 and delivered once it clears: CPU 1
// enters its loop with PSR.mc set (rfi), so the platform INIT reaches only
// CPU 0, which becomes the monarch; the monarch gives CPU 1 time to take
// the INIT (it must not), then lets it clear PSR.mc; only then does CPU 1
// arrive, as a slave.
// ia64sim: --cpus 2 --init-at 4000
#include "ia64test.h"
#include "ia64platform.h"

	.text
	.global _start
_start:
	mov r8 = cr.lid;;
	extr.u r8 = r8, 24, 8;;
	cmp.ne p6, p0 = r8, r0
	(p6) br.cond.sptk.few cpu1;;
	SET_INIT_VECTORS(monarch_entry, slave_entry)
	EXPECT(r8, 0, 1)
	movl r20 = vectors_set
	mov r21 = 1;;
	st8.rel [r20] = r21
	movl r24 = done;;
cpu0_spin:
	ld8.acq r25 = [r24];;
	cmp.eq p6, p0 = r25, r0
	(p6) br.cond.sptk.few cpu0_spin;;
	movl r24 = early;;
	ld8 r25 = [r24];;
	EXPECT(r25, 0, 2)			// CPU 1 did not take INIT with PSR.mc set
	movl r24 = slaves;;
	ld8 r25 = [r24];;
	EXPECT(r25, 1, 3)			// ... and took it once PSR.mc was clear
	movl r24 = monarchs;;
	ld8 r25 = [r24];;
	EXPECT(r25, 1, 4)
	br.cond.sptk.few test_pass;;

cpu1:
	movl r20 = vectors_set;;
1:	ld8.acq r21 = [r20];;
	cmp.eq p6, p0 = r21, r0
	(p6) br.cond.sptk.few 1b;;
	mov r2 = psr;;				// psr.ic is 0 after reset: cr.ipsr is writable
	dep r2 = -1, r2, 35, 1;;		// PSR.mc
	mov cr.ipsr = r2
	movl r3 = mc_spin;;
	mov cr.iip = r3
	mov cr.ifs = r0;;
	rfi;;
mc_spin:
	movl r22 = release;;
2:	ld8.acq r23 = [r22];;
	cmp.eq p6, p0 = r23, r0
	(p6) br.cond.sptk.few 2b;;
	mov r2 = psr;;
	dep r2 = 0, r2, 35, 1;;			// clear PSR.mc
	mov cr.ipsr = r2
	movl r3 = free_spin;;
	mov cr.iip = r3
	mov cr.ifs = r0;;
	rfi;;
free_spin:
	br.cond.sptk.few free_spin;;

monarch_entry:
	OS_INIT_ENTER
	movl r29 = monarchs;;
	fetchadd8.acq r28 = [r29], 1
	mov r27 = 2000;;			// time enough for CPU 1 to (wrongly) arrive
3:	adds r27 = -1, r27;;
	cmp.ne p6, p0 = r27, r0
	(p6) br.cond.sptk.few 3b;;
	movl r29 = slaves;;
	ld8.acq r28 = [r29]
	movl r26 = early;;
	st8 [r26] = r28
	movl r26 = release
	mov r28 = 1;;
	st8.rel [r26] = r28;;
4:	ld8.acq r28 = [r29];;
	cmp.eq p6, p0 = r28, r0
	(p6) br.cond.sptk.few 4b;;
	movl r29 = done
	mov r28 = 1;;
	st8.rel [r29] = r28
	SAL_RETURN(0, r17)

slave_entry:
	OS_INIT_ENTER
	movl r29 = slaves;;
	fetchadd8.acq r28 = [r29], 1
	SAL_RETURN(0, r17)

	TEST_EXITS

	.data
	.align 8
vectors_set:	data8 0
monarchs:	data8 0
slaves:		data8 0
early:		data8 0
release:	data8 0
done:		data8 0
