// What Linux's OS_INIT path does to the register stack and what SAL must
// give back (mca_asm.S ia64_state_save / ia64_new_stack / ia64_old_stack,
// SAL's return): INIT hits a CPU in G, called from F, both with stacked
// frames (F's dirty), ar.rsc eager, NaTs in r5, bank-0 r17 and bank-1 r20.
// The handler must find RSC.mode = 0 (enforced lazy, so it may move
// ar.bspstore) and the NaT bits at min-state bits 5, 16 + 1 and 32 + 4
// (the st8.spill slot of each saved register); it covers G's frame, moves
// the dirty registers to its own backing store, flushes, runs a frame of
// its own, loads them back (loadrs) and returns to the old store; it then
// hands SAL a copy of the min-state area with r15 edited (r22). After the
// resume G must see its frame, its statics and NaTs, the edited r15, its
// bsp and ar.rsc; F its frame after br.ret.
// ia64sim: --cpus 1 --init-at 3000
#include "ia64test.h"
#include "ia64platform.h"

#define NATS ((1 << 5) | (1 << 17) | (1 << 36))

	.text
	.global _start
_start:
	SET_INIT_VECTORS(init_entry, init_entry)
	EXPECT(r8, 0, 1)
	movl r2 = F;;
	mov b6 = r2;;
	br.call.sptk.many b0 = b6;;
	br.cond.sptk.few test_pass;;

F:	alloc r32 = ar.pfs, 0, 12, 0, 0
	mov r33 = b0
	mov r34 = 0x1034
	mov r43 = 0x1043;;
	br.call.sptk.many b0 = G;;
	EXPECT(r34, 0x1034, 2)
	EXPECT(r43, 0x1043, 3)
	mov ar.pfs = r32
	mov b0 = r33;;
	br.ret.sptk.many b0;;

G:	alloc r32 = ar.pfs, 0, 10, 0, 0
	mov r33 = b0
	mov r34 = 0x2034
	mov r41 = 0x2041
	movl r2 = natsrc
	mov ar.unat = -1;;
	ld8.fill r37 = [r2]			// NaT
	ld8.fill r5 = [r2];;
	bsw.0;;
	ld8.fill r17 = [r2];;			// bank 0
	bsw.1;;
	ld8.fill r20 = [r2]			// bank 1
	mov r1 = 0x11
	mov r2 = 0x22
	mov r3 = 0x33
	mov r4 = 0x44
	mov r6 = 0x66
	mov r7 = 0x77
	mov r8 = 0x88
	mov r9 = 0x99
	mov r10 = 0xaa
	mov r11 = 0xbb
	mov r13 = 0xdd
	mov r14 = 0xee
	mov r15 = 0xff
	mov r21 = 0x2121
	// interruption CRs and b1 as a handler in its PSR.ic = 0 window holds
	// them: PALE_INIT saves them (XIP, XPSR, XFS, BR1), the resume puts
	// them back even though the OS_INIT handler's rfi clobbered the CRs
	movl r38 = 0x123450
	movl r39 = 0x6000 | (1 << 44)
	movl r40 = (1 << 63) | 0x105;;
	mov cr.iip = r38
	mov cr.ipsr = r39
	mov cr.ifs = r40
	movl r38 = 0xb1b1b0;;
	mov b1 = r38
	mov ar.rsc = 3;;			// eager: OS_INIT must not run like this
	mov.m r40 = ar.bsp
	mov r39 = r12
	movl r16 = handled;;
1:	ld8.acq r18 = [r16];;			// INIT arrives here
	cmp.eq p6, p0 = r18, r0
	(p6) br.cond.sptk.few 1b;;
	EXPECT(r34, 0x2034, 10)
	EXPECT(r41, 0x2041, 11)
	tnat.nz p6, p0 = r37;;
	EXPECT_P(p6, 12)
	mov.m r38 = ar.bsp;;
	cmp.ne p6, p0 = r38, r40		// the covered frame was popped again
	mov r30 = 13
	(p6) br.cond.dpnt.few test_fail;;
	cmp.ne p6, p0 = r39, r12
	mov r30 = 14
	(p6) br.cond.dpnt.few test_fail;;
	mov r38 = ar.rsc;;
	EXPECT(r38, 3, 15)			// the interrupted ar.rsc is back
	mov r38 = cr.iip;;
	EXPECT(r38, 0x123450, 33)
	mov r38 = cr.ipsr;;
	EXPECT(r38, 0x6000 | (1 << 44), 34)
	mov r38 = cr.ifs;;
	EXPECT(r38, (1 << 63) | 0x105, 35)
	mov r38 = b1;;
	EXPECT(r38, 0xb1b1b0, 36)
	EXPECT(r1, 0x11, 16)
	EXPECT(r2, 0x22, 17)
	EXPECT(r3, 0x33, 18)
	EXPECT(r4, 0x44, 19)
	EXPECT(r6, 0x66, 20)
	EXPECT(r7, 0x77, 21)
	EXPECT(r8, 0x88, 22)
	EXPECT(r9, 0x99, 23)
	EXPECT(r10, 0xaa, 24)
	EXPECT(r11, 0xbb, 25)
	EXPECT(r13, 0xdd, 26)
	EXPECT(r14, 0xee, 27)
	EXPECT(r15, 0xabc, 28)			// from the min-state copy SAL got in r22
	EXPECT(r21, 0x2121, 29)
	tnat.nz p6, p0 = r5;;
	EXPECT_P(p6, 30)
	tnat.nz p6, p0 = r20;;
	EXPECT_P(p6, 31)
	bsw.0;;
	tnat.nz p6, p0 = r17;;
	bsw.1;;
	EXPECT_P(p6, 32)
	mov ar.pfs = r32
	mov b0 = r33;;
	br.ret.sptk.many b0;;

init_entry:
	cover;;					// Linux: first thing, in ia64_state_save
	mov r2 = ar.rsc;;
	and r2 = 3, r2;;
	EXPECT(r2, 0, 50)			// RSE in enforced-lazy mode
	ld8 r2 = [r17];;			// min-state NaT bits
	EXPECT(r2, NATS, 51)
	adds r2 = MINSTATE_XIP, r17;;
	ld8 r3 = [r2], 8;;
	EXPECT(r3, 0x123450, 52)
	ld8 r3 = [r2], 8;;
	EXPECT(r3, 0x6000 | (1 << 44), 53)
	ld8 r3 = [r2], 8;;
	EXPECT(r3, (1 << 63) | 0x105, 54)
	ld8 r3 = [r2];;
	EXPECT(r3, 0xb1b1b0, 55)
	mov cr.iip = r0				// what Linux's ia64_old_stack rfi leaves
	mov cr.ipsr = r0
	mov cr.ifs = r0
	mov b1 = r0;;
	mov.m r3 = ar.bspstore
	mov.m r4 = ar.rnat;;
	movl r2 = saved;;
	st8 [r2] = r3, 8;;
	st8 [r2] = r4, 8
	movl r6 = newstack;;
	mov ar.bspstore = r6;;			// ia64_new_stack
	flushrs;;
	mov.m r7 = ar.bsp;;
	sub r7 = r7, r6;;
	shl r7 = r7, 16;;			// loadrs for the way back
	st8 [r2] = r7
	// the handler's own work: a frame, clobbered statics
	alloc r14 = ar.pfs, 0, 8, 0, 0;;
	mov r32 = -1
	mov r39 = -1
	mov r15 = -1
	mov r8 = -1
	mov r1 = -1
	alloc r14 = ar.pfs, 0, 0, 0, 0;;	// drop it
	movl r2 = saved + 16;;			// ia64_old_stack
	ld8 r7 = [r2], -8;;
	mov ar.rsc = r7;;
	loadrs;;
	ld8 r4 = [r2], -8;;
	ld8 r3 = [r2];;
	mov ar.bspstore = r3;;
	mov ar.rnat = r4;;
	// a copy of the min-state area with r15 edited, for SAL
	movl r2 = mscopy
	mov r3 = r17
	mov r4 = 127;;
	mov ar.lc = r4;;
2:	ld8 r5 = [r3], 8;;
	st8 [r2] = r5, 8
	br.cloop.sptk.few 2b;;
	movl r2 = mscopy + MINSTATE_GR1 + 14 * 8
	mov r3 = 0xabc;;
	st8 [r2] = r3
	movl r2 = handled
	mov r3 = 1;;
	st8.rel [r2] = r3
	movl r2 = mscopy;;
	SAL_RETURN(0, r2)

	TEST_EXITS

	.data
	.align 8
natsrc:		data8 0x5555
handled:	data8 0
saved:		data8 0, 0, 0		// bspstore, rnat, loadrs
	.align 4096
mscopy:		.skip 1024
	.align 512
	.skip 488			// slot 61: the flush crosses a NaT collection
newstack:	.skip 4096
