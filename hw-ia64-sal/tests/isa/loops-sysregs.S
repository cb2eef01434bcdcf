// Counted and modulo-scheduled loops (br.cloop; br.ctop with rotating
// registers and predicates, as a software-pipelined sum; br.cexit), the
// rename bases they leave in CFM (seen through cover and cr.ifs) and
// clrrrb; then the registers software moves directly: rr, pkr, ar.k0-7,
// pr and pr.rot, psr.um with sum/rum, cpuid, and thash's short-format hash.
#include "ia64test.h"

#define N 5

	.text
	.global _start
_start:
	alloc r2 = ar.pfs, 0, 16, 0, 8		// r32-r39 rotate
	// br.cloop runs the body LC + 1 times
	mov ar.lc = 4
	mov r10 = 0;;
1:	adds r10 = 1, r10
	br.cloop.sptk.few 1b;;
	EXPECT(r10, 5, 1)
	mov r11 = ar.lc;;
	EXPECT(r11, 0, 2)
	// br.ctop: load in stage 1 (p16), add in stage 2 (p17) from the
	// register the load wrote one rotation earlier
	movl r3 = vals
	mov ar.lc = N - 1
	mov ar.ec = 2
	mov r9 = 0;;
	mov pr.rot = 1 << 16;;			// p16 = 1, p17-p63 = 0
2:	(p16) ld8 r32 = [r3], 8
	(p17) add r9 = r9, r33
	br.ctop.sptk.few 2b;;
	EXPECT(r9, 1 + 20 + 300 + 4000 + 50000, 3)
	mov r11 = ar.ec;;
	EXPECT(r11, 0, 4)
	// N + 1 rotations: rrb.gr = -6 mod 8 = 2, rrb.pr = -6 mod 48 = 42;
	// cover (psr.ic is 0) puts CFM in cr.ifs, rfi puts it back
	cover;;
	mov r12 = cr.ifs;;
	extr.u r13 = r12, 18, 7;;
	EXPECT(r13, 2, 5)
	extr.u r13 = r12, 32, 6;;
	EXPECT(r13, 42, 6)
	mov r14 = psr;;
	mov cr.ipsr = r14
	movl r15 = 3f;;
	mov cr.iip = r15;;
	rfi;;
3:	clrrrb;;
	cover;;
	mov r12 = cr.ifs;;
	extr.u r13 = r12, 18, 20;;		// rrb.gr, rrb.fr, rrb.pr
	EXPECT(r13, 0, 7)
	extr.u r13 = r12, 0, 7;;
	EXPECT(r13, 16, 8)			// sof survives
	movl r15 = 4f;;
	mov cr.iip = r15;;
	rfi;;
4:	// br.cexit falls through while LC counts down, then exits on EC
	mov ar.lc = 2
	mov ar.ec = 1
	mov r16 = 0;;
5:	adds r16 = 1, r16
	br.cexit.spnt.few 6f;;
	br.cond.sptk.few 5b;;
6:	EXPECT(r16, 3, 9)
	// region registers and protection keys read back what was written
	movl r17 = (0x123 << 8) | (14 << 2) | 1
	movl r18 = 0x4000000000000000;;
	mov rr[r18] = r17;;
	srlz.d;;
	mov r19 = rr[r18];;
	EXPECT(r19, (0x123 << 8) | (14 << 2) | 1, 10)
	movl r17 = (0x45 << 8) | 1
	mov r18 = 3;;
	mov pkr[r18] = r17;;
	srlz.d;;
	mov r19 = pkr[r18];;
	EXPECT(r19, (0x45 << 8) | 1, 11)
	// kernel registers
	mov r17 = 0x70
	mov r18 = 0x77;;
	mov ar.k0 = r17
	mov ar.k7 = r18;;
	mov r19 = ar.k0;;
	EXPECT(r19, 0x70, 12)
	mov r19 = ar.k7;;
	EXPECT(r19, 0x77, 13)
	// predicates: mov pr with a mask, mov pr.rot
	movl r17 = 0xaaaa;;
	mov pr = r17, 0x1fffe;;			// p1-p15 (mask bit 16 covers 16-63)
	mov r19 = pr;;
	extr.u r19 = r19, 0, 16;;
	EXPECT(r19, 0xaaab, 14)			// p0 is always 1
	mov pr.rot = 0xfff0000;;		// p16-p27 set, p28-p63 cleared
	mov r19 = pr;;
	extr.u r19 = r19, 16, 48;;
	EXPECT(r19, 0xfff, 15)
	// user mask: sum/rum/mov psr.um touch only the user bits
	sum 0x4;;				// psr.up
	mov r19 = psr.um;;
	EXPECT(r19, 0x4, 16)
	mov r17 = 0x30;;
	mov psr.um = r17;;			// mfl, mfh; up cleared
	mov r19 = psr.um;;
	EXPECT(r19, 0x30, 17)
	rum 0x10;;
	mov r19 = psr.um;;
	EXPECT(r19, 0x20, 18)
	mov r19 = psr;;
	extr.u r19 = r19, 13, 1;;
	EXPECT(r19, 0, 19)			// psr.ic untouched by the user mask
	// cpuid[3]: number of the last cpuid register in bits 7:0
	mov r17 = 3;;
	mov r19 = cpuid[r17];;
	extr.u r19 = r19, 0, 8;;
	cmp.ltu p6, p0 = 3, r19;;
	EXPECT_P(p6, 20)
	// thash (short format): region | pta.base | ((va >> rr.ps) << 3)
	movl r17 = 12 << 2;;
	movl r18 = 0x2000000000000000;;
	mov rr[r18] = r17;;			// region 1: 4 KiB pages
	movl r17 = 0x4000000 | (20 << 2);;	// base, size 2^20
	mov cr.pta = r17;;
	srlz.d;;
	movl r18 = 0x2000000000345678;;
	thash r19 = r18;;
	EXPECT(r19, 0x2000000004001a28, 21)
	ttag r20 = r18
	movl r21 = 0x2000000000345000;;
	ttag r22 = r21;;
	cmp.eq p6, p0 = r20, r22;;		// the same page, the same tag
	EXPECT_P(p6, 22)
	movl r21 = 0x2000000000346000;;
	ttag r22 = r21;;
	cmp.ne p6, p0 = r20, r22;;
	EXPECT_P(p6, 23)
	br.cond.sptk.few test_pass;;

	TEST_EXITS

	.data
	.align 8
vals:	data8 1, 20, 300, 4000, 50000, 600000
