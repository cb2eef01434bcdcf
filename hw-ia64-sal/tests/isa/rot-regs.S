// Register rotation (SDM vol 1 4.5, vol 3 br/alloc/clrrrb): a taken
// br.ctop with LC != 0 sets PR[63] and rotates, so r33 names what r32 did
// (r32 what r39 did, wrapping inside the 8 rotating registers), p17 what
// p16 did and p16 the PR[63] just written; registers outside the rotating
// area do not move; clrrrb undoes it; br.call starts the callee at rrb 0
// and br.ret brings the caller's rrb back (ar.pfs holds it); alloc may not
// change sor while an rrb is nonzero (Reserved Register/Field); and the
// classic two-stage pipelined copy moves all 10 elements.
#include "ia64test.h"

#define ROTATE_ONCE mov ar.lc = 1;; { .mib; nop.m 0; nop.i 0; br.ctop.sptk.few 91f;; } 91:

	.text
	.global _start
_start:
	movl r2 = ivt;;
	mov cr.iva = r2
	mov r14 = 0;;
	alloc r47 = ar.pfs, 0, 16, 0, 8;;	// r32-r39 rotate
	mov r32 = 0x100
	mov r33 = 0x101
	mov r34 = 0x102
	mov r39 = 0x107
	mov r40 = 0x140
	mov pr.rot = 1 << 16;;			// p16 = 1, p17..p63 = 0
	ROTATE_ONCE
	EXPECT(r33, 0x100, 1)
	EXPECT(r34, 0x101, 2)
	EXPECT(r32, 0x107, 3)			// wrapped
	EXPECT(r40, 0x140, 4)			// not rotating
	mov r2 = pr;;
	extr.u r3 = r2, 16, 3;;
	EXPECT(r3, 3, 5)			// p16 = PR[63] written (1), p17 = old p16
	mov r3 = ar.lc;;
	EXPECT(r3, 0, 6)
	clrrrb;;
	EXPECT(r32, 0x100, 7)
	EXPECT(r33, 0x101, 8)
	mov r2 = pr;;
	extr.u r3 = r2, 16, 1
	extr.u r4 = r2, 63, 1;;
	EXPECT(r3, 1, 9)			// physical p16 again
	EXPECT(r4, 1, 10)			// where ctop wrote PR[63]
	// across a call: the callee starts at rrb 0, the caller gets its back
	ROTATE_ONCE
	br.call.sptk.many b0 = F;;
	EXPECT(r33, 0x100, 11)
	EXPECT(r15, 7 << 18, 12)		// F saw rrb.gr = 7 in ar.pfs
	// alloc: same sor with rrb != 0 is fine, another sor is not
	alloc r47 = ar.pfs, 0, 20, 0, 8;;
	EXPECT(r14, 0, 13)
	EXPECT(r33, 0x100, 14)
	.align 16
bad:	{ .mii; alloc r47 = ar.pfs, 0, 20, 0, 16; nop.i 0; nop.i 0;; }
	EXPECT(r14, 1, 15)
	mov r2 = ar.pfs;;
	EXPECT(r33, 0x100, 16)			// the frame is unchanged
	clrrrb;;
	alloc r47 = ar.pfs, 0, 24, 0, 16;;	// rrb 0: sor may change
	EXPECT(r14, 1, 17)
	// software-pipelined copy: load in stage 1 (p16), store in stage 2 (p17)
	movl r2 = src
	movl r3 = dst
	mov ar.lc = 9
	mov ar.ec = 2
	mov pr.rot = 1 << 16;;
L:	{ .mmb
	(p16) ld8 r32 = [r2], 8
	(p17) st8 [r3] = r33, 8
	br.ctop.sptk.few L;; }
	mov r4 = ar.ec
	mov r5 = ar.lc;;
	EXPECT(r4, 0, 20)
	EXPECT(r5, 0, 21)
	movl r2 = src
	movl r3 = dst
	mov r6 = 10;;
2:	ld8 r7 = [r2], 8
	ld8 r8 = [r3], 8;;
	cmp.ne p6, p0 = r7, r8
	mov r30 = 22
	(p6) br.cond.dpnt.few test_fail;;
	adds r6 = -1, r6;;
	cmp.ne p6, p0 = r6, r0
	(p6) br.cond.sptk.few 2b;;
	ld8 r8 = [r3];;
	EXPECT(r8, 0, 23)			// and not one more
	br.cond.sptk.few test_pass;;

F:	alloc r15 = ar.pfs, 0, 8, 0, 8;;
	mov r32 = 0x999;;			// F's own register, rrb 0
	mov r16 = pr;;
	movl r2 = 0x7f << 18;;
	and r15 = r15, r2			// the caller's rrb.gr
	br.ret.sptk.many b0;;

	TEST_EXITS

	.align 32768
ivt:
	.org ivt + 0x5400			// General Exception (PSR.ic = 0)
	mov r16 = cr.isr;;
	extr.u r18 = r16, 4, 4;;
	EXPECT(r18, 3, 30)			// Reserved Register/Field
	adds r14 = 1, r14
	movl r17 = bad + 16;;
	mov b7 = r17;;
	br.cond.sptk.few b7;;
	.org ivt + 0x7f00

	.data
	.align 8
src:	data8 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
dst:	data8 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
