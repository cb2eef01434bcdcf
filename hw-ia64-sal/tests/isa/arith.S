// Integer ALU, long immediates, shifts, bit fields, extensions and
// compares/tbit/tnat with every relation and predicate-write type.
#include "ia64test.h"

	.text
	.global _start
_start:
	movl r2 = 0x123456789abcdef0
	mov r3 = 0x10;;
	add r4 = r2, r3;;
	EXPECT(r4, 0x123456789abcdf00, 1)
	add r4 = r2, r3, 1;;
	EXPECT(r4, 0x123456789abcdf01, 2)
	sub r4 = r3, r2;;
	EXPECT(r4, 0xedcba98765432120, 3)
	sub r4 = r3, r2, 1;;
	EXPECT(r4, 0xedcba9876543211f, 4)
	sub r4 = 5, r3;;
	EXPECT(r4, -11, 5)
	and r4 = r2, r3;;
	EXPECT(r4, 0x10, 6)
	andcm r4 = r2, r3;;
	EXPECT(r4, 0x123456789abcdee0, 7)
	or r4 = -128, r3;;
	EXPECT(r4, 0xffffffffffffff90, 8)
	xor r4 = r2, r2;;
	EXPECT(r4, 0, 9)
	shladd r4 = r3, 3, r3;;
	EXPECT(r4, 0x90, 10)
	adds r4 = -8000, r3;;
	EXPECT(r4, -7984, 11)
	addl r4 = 2000000, r3;;
	EXPECT(r4, 2000016, 12)
	movl r5 = 0xc000000000001234;;
	addp4 r4 = r5, r0;;
	EXPECT(r4, 0x0000000000001234, 13)
	movl r5 = 0x00000000c0001234;;
	addp4 r4 = 4, r5;;
	EXPECT(r4, 0x60000000c0001238, 14)

	// shifts
	mov r6 = 4;;
	shl r4 = r2, r6;;
	EXPECT(r4, 0x23456789abcdef00, 20)
	shr.u r4 = r2, r6;;
	EXPECT(r4, 0x0123456789abcdef, 21)
	movl r7 = 0x8000000000000000;;
	shr r4 = r7, r6;;
	EXPECT(r4, 0xf800000000000000, 22)
	mov r6 = 70;;
	shr.u r4 = r2, r6;;
	EXPECT(r4, 0, 23)
	shr r4 = r7, r6;;
	EXPECT(r4, -1, 24)
	shl r4 = r2, 8;;
	EXPECT(r4, 0x3456789abcdef000, 25)
	shr.u r4 = r2, 60;;
	EXPECT(r4, 1, 26)
	extr r4 = r2, 4, 8;;
	EXPECT(r4, -17, 27)
	extr.u r4 = r2, 4, 8;;
	EXPECT(r4, 0xef, 28)
	dep.z r4 = r3, 8, 8;;
	EXPECT(r4, 0x1000, 29)
	dep.z r4 = -1, 60, 4;;
	EXPECT(r4, 0xf000000000000000, 30)
	dep r4 = r0, r2, 0, 16;;
	EXPECT(r4, 0x123456789abc0000, 31)
	dep r4 = -1, r0, 62, 2;;
	EXPECT(r4, 0xc000000000000000, 32)
	dep r4 = r3, r2, 60, 4;;
	EXPECT(r4, 0x023456789abcdef0, 33)
	shrp r4 = r2, r3, 8;;
	EXPECT(r4, 0xf000000000000000, 34)
	zxt1 r4 = r2;;
	EXPECT(r4, 0xf0, 35)
	sxt1 r4 = r2;;
	EXPECT(r4, -16, 36)
	sxt4 r4 = r2;;
	EXPECT(r4, 0xffffffff9abcdef0, 37)
	zxt4 r4 = r2;;
	EXPECT(r4, 0x9abcdef0, 38)
	zxt2 r4 = r2;;
	EXPECT(r4, 0xdef0, 39)
	popcnt r4 = r2;;
	EXPECT(r4, 32, 40)
	movl r5 = 0x1122330044556677;;
	czx1.l r4 = r5;;
	EXPECT(r4, 3, 41)
	czx1.r r4 = r5;;
	EXPECT(r4, 4, 42)
	czx2.r r4 = r2;;
	EXPECT(r4, 4, 43)

	// compares: normal and unc
	mov r8 = -1
	mov r9 = 1;;
	cmp.lt p6, p7 = r8, r9;;
	EXPECT_P(p6, 50)
	EXPECT_NOT_P(p7, 51)
	cmp.ltu p6, p7 = r8, r9;;
	EXPECT_NOT_P(p6, 52)
	EXPECT_P(p7, 53)
	cmp.eq p6, p7 = 1, r9;;
	EXPECT_P(p6, 54)
	cmp4.lt p6, p7 = r9, r8;;
	EXPECT_NOT_P(p6, 55)
	movl r10 = 0x1ffffffff;;
	cmp4.eq p6, p7 = -1, r10;;
	EXPECT_P(p6, 56)
	cmp.gt p6, p7 = r9, r8;;
	EXPECT_P(p6, 57)
	cmp.ge p6, p7 = r8, r8;;
	EXPECT_P(p6, 58)
	cmp.le p6, p7 = r9, r8;;
	EXPECT_NOT_P(p6, 59)
	cmp.ne p6, p7 = r9, r8;;
	EXPECT_P(p6, 60)
	cmp.geu p6, p7 = r8, r9;;
	EXPECT_P(p6, 61)
	// .unc with a false qualifying predicate clears both targets
	cmp.eq p8, p0 = r0, r9
	mov r11 = 1;;
	cmp.eq p6, p7 = r0, r0;;
	(p8) cmp.eq.unc p6, p7 = r0, r0;;
	EXPECT_NOT_P(p6, 62)
	EXPECT_NOT_P(p7, 63)
	// a normal compare with a false qp leaves targets alone
	cmp.eq p6, p7 = r0, r0;;
	(p8) cmp.ne p6, p7 = r0, r0;;
	EXPECT_P(p6, 64)
	// parallel and/or/or.andcm
	cmp.eq p6, p7 = r0, r0;;
	cmp.eq.and p6, p7 = r9, r9;;
	EXPECT_P(p6, 65)
	EXPECT_NOT_P(p7, 66)
	cmp.eq p6, p7 = r0, r0;;
	cmp.eq.and p6, p7 = r8, r9;;
	EXPECT_NOT_P(p6, 67)
	cmp.ne.or p6, p7 = r8, r9;;
	EXPECT_P(p6, 68)
	EXPECT_P(p7, 69)
	cmp.eq.or.andcm p6, p7 = r8, r8;;
	EXPECT_P(p6, 70)
	EXPECT_NOT_P(p7, 71)
	cmp.eq p6, p7 = r0, r0;;
	cmp.gt.and p6, p7 = r0, r8;;
	EXPECT_P(p6, 72)
	cmp.lt.or p8, p9 = r0, r8;;
	EXPECT_NOT_P(p8, 73)

	// tbit / tnat
	tbit.z p6, p7 = r2, 4;;
	EXPECT_NOT_P(p6, 80)
	EXPECT_P(p7, 81)
	tbit.nz p6, p7 = r2, 0;;
	EXPECT_NOT_P(p6, 82)
	tnat.z p6, p7 = r2;;
	EXPECT_P(p6, 83)
	cmp.eq p6, p7 = r0, r0;;
	tbit.nz.and p6, p7 = r2, 4;;
	EXPECT_P(p6, 84)
	tbit.z.or p8, p9 = r2, 0;;
	EXPECT_P(p8, 85)

	// a NaT from a speculative load that would fault propagates through add
	movl r12 = 0x7fffffff00000000;;
	ld8.s r13 = [r12];;
	tnat.nz p6, p7 = r13;;
	EXPECT_P(p6, 90)
	add r14 = r13, r9;;
	tnat.nz p6, p7 = r14;;
	EXPECT_P(p6, 91)
	cmp.eq p6, p7 = r14, r14;;
	EXPECT_NOT_P(p6, 92)
	EXPECT_NOT_P(p7, 93)
	br.cond.sptk.few test_pass;;

	TEST_EXITS
