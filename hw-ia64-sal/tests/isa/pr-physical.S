// mov =pr, mov pr = r, mask and mov pr.rot = imm see the predicate file as
// if CFM.rrb.pr were 0 (SDM vol 3 "mov pr"): bit i is physical PR[i] while
// qualifying predicates and compares go through the rotation. Linux saves
// pr before a br.ctop loop and restores it afterwards (__copy_user); the
// restore must give back exactly the saved bits, or the caller's rotating
// predicates come back scrambled.
#include "ia64test.h"

/* Fail with code n unless registers a and b are equal. */
#define EXPECT_EQ(a, b, n) cmp.ne p15, p0 = a, b;; (p15) mov r30 = n; (p15) br.cond.dpnt.few test_fail;;

#define ROTATE_ONCE mov ar.lc = 1;; { .mib; nop.m 0; nop.i 0; br.ctop.sptk.few 91f;; } 91:

	.text
	.global _start
_start:
	mov r14 = 0;;
	alloc r47 = ar.pfs, 0, 16, 0, 8;;
	movl r2 = (1 << 16) | (1 << 20) | (1 << 6);;
	mov pr = r2, -1;;			// physical p6, p16, p20
	mov r3 = pr;;
	EXPECT(r3, 0x110041, 1)
	ROTATE_ONCE				// rrb.pr = 47: logical p17 = physical 16
	mov r3 = pr;;				// physical: ctop wrote PR[63] = 1
	movl r4 = 0x8000000000110041;;	// p63, p20, p16, p6, p0
	EXPECT_EQ(r3, r4, 2)
	EXPECT_P(p17, 3)			// the qualifying predicate rotates
	EXPECT_P(p21, 4)
	EXPECT_P(p16, 5)			// logical p16 = physical 63
	EXPECT_NOT_P(p20, 6)
	// save, rotate more, restore: the saved bits come back unchanged
	mov r5 = pr;;
	ROTATE_ONCE
	ROTATE_ONCE
	mov pr = r5, -1;;
	mov r6 = pr;;
	EXPECT_EQ(r6, r5, 7)
	// the mask writes only its bits, physically, and p0 stays 1
	mov r7 = 0;;
	mov pr = r7, 0xffff;;			// clears p1-p15 only (bit 0 ignored)
	mov r6 = pr;;
	movl r4 = 0x8000000000110001;;	// p63, p20, p16, p0
	EXPECT_EQ(r6, r4, 8)
	// pr.rot writes physical p16-p63 and leaves p1-p15
	mov r2 = -1;;
	mov pr = r2, 0xfffe;;			// p1-p15 set
	mov pr.rot = 1 << 17;;
	mov r6 = pr;;
	movl r4 = 0x2ffff;;
	EXPECT_EQ(r6, r4, 9)
	clrrrb.pr;;
	EXPECT_P(p17, 10)			// at rrb 0, logical = physical
	EXPECT_NOT_P(p16, 11)
	// mov pr = r with r a NaT: Register NaT Consumption, pr untouched
	movl r2 = ivt;;
	mov cr.iva = r2
	mov r10 = 1;;
	ld8.s r9 = [r10];;			// misaligned speculative load: a NaT, no fault
	tnat.nz p7, p0 = r9;;
	EXPECT_P(p7, 14)
	mov r11 = pr
	.align 16
bad:	{ .mii; nop.m 0; mov pr = r9, -1; nop.i 0;; }
	mov r6 = pr;;
	EXPECT(r14, 1, 12)
	EXPECT_EQ(r6, r11, 13)
	br.cond.sptk.few test_pass;;

	TEST_EXITS

	.align 32768
ivt:
	.org ivt + 0x5600			// Register NaT Consumption
	adds r14 = 1, r14
	movl r17 = bad + 16;;
	mov b7 = r17;;
	br.cond.sptk.few b7;;
	.org ivt + 0x7f00
