// mov ar.bspstore with dirty registers (SDM vol 2, RSE; Linux's SAVE_MIN and
// mca_asm.S ia64_new_stack/ia64_old_stack): the dirty partition stays in
// the register file and moves with the store pointer, so ar.bsp becomes the
// new bspstore plus the dirty registers and the NaT collection slots they
// cross; flushrs then writes them (and their NaT bits) to the new store,
// and br.ret fills the caller's frame back from there. Writing ar.bspstore
// or ar.rnat outside enforced-lazy mode (RSC.mode != 0) is an Illegal
// Operation.
#include "ia64test.h"

	.text
	.global _start
_start:
	movl r2 = ivt;;
	mov cr.iva = r2;;
	ssm 0x2000;;				// PSR.ic: collect cr.iip/cr.isr
	srlz.i;;
	mov r14 = 0				// Illegal Operations seen (the handler runs in bank 0)
	mov ar.rsc = 0;;
	movl r2 = bs1;;
	mov ar.bspstore = r2;;
	movl r2 = F;;
	mov b6 = r2;;
	br.call.sptk.many b0 = b6;;
	// RSC.mode != 0: both moves fault and change nothing
	mov ar.rsc = 3;;
	mov.m r20 = ar.bspstore
	movl r21 = bs1 + 1024;;
	.align 16
bad0:	{ .mii; mov ar.bspstore = r21; nop.i 0; nop.i 0;; }
	{ .mii; mov ar.rnat = r21; nop.i 0; nop.i 0;; }
	mov ar.rsc = 1;;			// eager modes too
	.align 16
bad2:	{ .mii; mov ar.bspstore = r21; nop.i 0; nop.i 0;; }
	EXPECT(r14, 3, 30)
	mov.m r22 = ar.bspstore;;
	cmp.ne p6, p0 = r20, r22		// unchanged by the faulting move
	mov r30 = 31
	(p6) br.cond.dpnt.few test_fail;;
	mov ar.rsc = 0;;
	movl r21 = 0x8000000000000005;;
	mov ar.rnat = r21;;			// mode 0: allowed; bit 63 reads 0
	mov.m r22 = ar.rnat;;
	EXPECT(r22, 5, 32)
	br.cond.sptk.few test_pass;;

// F: eight locals r32..r39 = 0x100..0x107, r33 and r37 with NaT set.
F:	alloc r40 = ar.pfs, 0, 10, 0, 0
	mov r41 = b0;;
	mov r32 = 0x100
	mov r34 = 0x102
	mov r35 = 0x103
	mov r36 = 0x104
	mov r38 = 0x106
	mov r39 = 0x107
	mov ar.unat = -1
	movl r2 = natsrc;;
	ld8.fill r33 = [r2];;			// NaT from ar.unat
	adds r2 = 8, r2;;
	ld8.fill r37 = [r2];;
	br.call.sptk.many b0 = G;;
	// back from G: the frame was filled from bs2 across its NaT collection
	EXPECT(r32, 0x100, 20)
	EXPECT(r34, 0x102, 21)
	EXPECT(r35, 0x103, 22)
	EXPECT(r36, 0x104, 23)
	EXPECT(r38, 0x106, 24)
	EXPECT(r39, 0x107, 25)
	tnat.nz p6, p0 = r33;;
	EXPECT_P(p6, 26)
	tnat.nz p6, p0 = r37;;
	EXPECT_P(p6, 27)
	tnat.nz p6, p0 = r36;;
	EXPECT_NOT_P(p6, 28)
	mov.m r2 = ar.bsp;;
	EXPECT(r2, bs2, 29)			// F's frame starts the new store
	mov ar.pfs = r40
	mov b0 = r41;;
	br.ret.sptk.many b0;;

// G: F's ten registers are dirty (bsp = bs1 + 80). Move the store to slot
// 60 of a 512-byte group: slots 60-62 take r32-r34, slot 63 is the NaT
// collection, slots 0-6 of the next group take r35-r41.
G:	alloc r16 = ar.pfs, 0, 2, 0, 0;;
	mov.m r17 = ar.bsp;;
	EXPECT(r17, bs1 + 80, 1)
	movl r18 = bs2;;
	mov ar.bspstore = r18;;
	mov.m r17 = ar.bsp
	mov.m r19 = ar.bspstore;;
	EXPECT(r19, bs2, 2)
	EXPECT(r17, bs2 + 88, 3)		// 10 dirty + 1 collection slot
	flushrs;;
	mov.m r17 = ar.bsp
	mov.m r19 = ar.bspstore;;
	EXPECT(r19, bs2 + 88, 4)
	EXPECT(r17, bs2 + 88, 5)
	movl r2 = bs2;;
	ld8 r3 = [r2], 8;;
	EXPECT(r3, 0x100, 6)
	adds r2 = 8, r2;;			// r33's slot holds its spilled value
	ld8 r3 = [r2], 8;;
	EXPECT(r3, 0x102, 7)
	ld8 r3 = [r2], 8;;			// slot 63: NaT collection
	extr.u r3 = r3, 60, 3;;			// bits 60-62: r32-r34
	EXPECT(r3, 2, 8)			// only r33 (slot 61)
	ld8 r3 = [r2], 8;;
	EXPECT(r3, 0x103, 9)			// r35 at slot 0 of the next group
	ld8 r3 = [r2];;
	EXPECT(r3, 0x104, 10)			// r36 at slot 1
	mov.m r3 = ar.rnat;;			// the next group's partial collection
	and r3 = 0x7f, r3;;
	EXPECT(r3, 4, 11)			// r37 at slot 2
	mov ar.pfs = r16;;
	br.ret.sptk.many b0;;

	TEST_EXITS

	.align 32768
ivt:
	.org ivt + 0x5400			// General Exception
	mov r16 = cr.isr
	mov r17 = cr.iip;;
	extr.u r18 = r16, 4, 4;;
	EXPECT(r18, 0, 40)			// Illegal Operation
	movl r19 = bad0;;
	cmp.eq p6, p0 = r17, r19
	adds r19 = 16, r19;;
	(p6) br.cond.sptk.few 1f;;
	cmp.eq p6, p0 = r17, r19
	movl r19 = bad2;;
	(p6) br.cond.sptk.few 1f;;
	cmp.eq p6, p0 = r17, r19
	mov r30 = 41
	(p6) br.cond.sptk.few 1f;;
	br.cond.sptk.few test_fail;;
1:	adds r14 = 1, r14
	adds r17 = 16, r17
	mov r18 = cr.ipsr;;
	dep r18 = 0, r18, 41, 2;;
	mov cr.iip = r17
	mov cr.ipsr = r18;;
	rfi;;
	.org ivt + 0x7f00

	.data
	.align 8
natsrc:	data8 0x5555, 0x7777
	.align 512
bs1:	.skip 1024
	.align 512
	.skip 480				// slot 60 of the group
bs2:	.skip 1024
