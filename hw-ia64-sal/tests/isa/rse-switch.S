// The register stack moves kernels make on entry and exit: a backing store
// set by software (ar.bspstore with ar.rsc in enforced-lazy mode), flushrs,
// loadrs (bring a caller's frame back from memory, or drop it so br.ret
// refills it), cover (the frame goes into the dirty partition, cr.ifs
// records it) and rfi with ifs.v bringing the frame back.
#include "ia64test.h"

	.text
	.global _start
_start:
	mov ar.rsc = 0;;			// enforced lazy: bspstore may be written
	movl r2 = bstore;;
	mov ar.bspstore = r2;;
	mov ar.rsc = 3;;
	mov.m r3 = ar.bsp;;
	EXPECT(r3, bstore, 1)			// no current frame: bsp = bspstore
	movl r2 = A;;
	mov b6 = r2;;
	br.call.sptk.many b0 = b6;;
	br.cond.sptk.few test_pass;;

// A: 8 locals, calls B, then checks which locals came from memory.
A:	alloc r10 = ar.pfs, 0, 8, 0, 0;;
	mov r32 = 0x32
	mov r33 = 0x33
	mov r34 = 0x34
	mov r39 = 0x39
	mov r9 = b0;;
	mov.m r3 = ar.bsp;;
	EXPECT(r3, bstore, 2)			// A's frame starts the store
	br.call.sptk.many b0 = B;;
	// B rewrote r32's slot before loadrs loaded this frame, and r33's
	// slot after: only the first change is visible
	EXPECT(r32, 0x1111, 3)
	EXPECT(r33, 0x33, 4)
	EXPECT(r34, 0x34, 5)
	EXPECT(r39, 0x39, 6)
	// cover: the frame joins the dirty partition and cr.ifs (psr.ic is
	// 0) records it; rfi with ifs.v = 1 brings it back
	mov.m r4 = ar.bsp;;
	cover;;
	mov.m r5 = ar.bsp;;
	EXPECT(r5, bstore + 64, 7)
	mov r6 = cr.ifs;;
	EXPECT(r6, (1 << 63) | (8 << 7) | 8, 8)
	mov r7 = psr;;
	mov cr.ipsr = r7
	movl r8 = back;;
	mov cr.iip = r8;;
	rfi;;
back:	mov.m r5 = ar.bsp;;
	EXPECT(r5, bstore, 9)
	EXPECT(r39, 0x39, 10)
	// B's drop-everything variant: loadrs 0 forgets the frame, so br.ret
	// must fill it from the backing store
	br.call.sptk.many b0 = C;;
	EXPECT(r32, 0x1111, 11)
	EXPECT(r33, 0x3333, 12)			// now read back from memory
	mov ar.pfs = r10
	mov b0 = r9;;
	br.ret.sptk.many b0;;

B:	alloc r16 = ar.pfs, 0, 2, 0, 0;;
	flushrs;;				// A's 8 registers go to memory
	mov.m r17 = ar.bspstore
	mov.m r18 = ar.bsp;;
	cmp.ne p6, p0 = r17, r18;;
	(p6) mov r30 = 20
	(p6) br.cond.dpnt.few test_fail;;
	movl r19 = bstore
	movl r20 = 0x1111;;
	st8 [r19] = r20;;			// A's r32 slot
	mf;;
	movl r22 = 64 << 16;;
	mov ar.rsc = r22;;			// enforced lazy, keep 64 bytes
	loadrs;;				// A's frame back in registers
	mov.m r17 = ar.bspstore;;
	cmp.ne p6, p0 = r17, r19;;		// bspstore = bsp - 64
	(p6) mov r30 = 21
	(p6) br.cond.dpnt.few test_fail;;
	movl r20 = 0x2222;;
	adds r21 = 8, r19;;
	st8 [r21] = r20;;			// A's r33 slot: too late
	mov ar.rsc = 3;;
	mov ar.pfs = r16;;
	br.ret.sptk.many b0;;

C:	alloc r16 = ar.pfs, 0, 2, 0, 0;;
	flushrs;;
	movl r19 = bstore + 8
	movl r20 = 0x3333;;
	st8 [r19] = r20;;			// A's r33 slot
	mf;;
	mov ar.rsc = 0;;			// loadrs 0: keep nothing
	loadrs;;
	mov ar.rsc = 3;;
	mov ar.pfs = r16;;
	br.ret.sptk.many b0;;			// refills A from memory

	TEST_EXITS

	.data
	.align 512				// no NaT collection slot in A's frame
bstore:	.skip 4096
