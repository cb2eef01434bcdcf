// The F-unit arithmetic Linux's integer multiply and divide use, checked
// against results computed exactly on the host (gen: fp-intmuldiv.py-style
// constants written into this file): xma.l/.hu/.h and xmpy.l on 64-bit
// operands (low, unsigned high and signed high halves of a*b+c), and the
// divide sequences of Linux's arch/ia64/lib/idiv64.S (frcpa, then fma/fnma
// refinement in status field 1, fcvt.fx(u).trunc, xma.l for the remainder)
// for unsigned and signed operands up to 2^64-1; then fcmp, fclass, fsetc,
// fmerge.se, fcvt.xf and a NaTVal through fma.
#include "ia64test.h"

	.text
	.global _start
_start:
	movl r2 = 0x0009804c0270033f;;		// Linux's FPSR_DEFAULT: sf1 64-bit, wre
	mov ar.fpsr = r2;;
	movl r12 = stack_top;;
	movl r8 = 0x123456789abcdef0
	movl r9 = 0xfedcba9876543210
	movl r10 = 0x1111;;
	setf.sig f8 = r8
	setf.sig f9 = r9
	setf.sig f10 = r10;;
	xma.l f11 = f8, f9, f10
	xma.hu f12 = f8, f9, f10
	xma.h f13 = f8, f9, f10
	xmpy.l f14 = f8, f9;;
	getf.sig r11 = f11
	getf.sig r12 = f12
	getf.sig r13 = f13
	getf.sig r14 = f14;;
	EXPECT(r11, 0x236d88fe5618e011, 1)
	EXPECT(r12, 0x121fa00ad77d7422, 2)
	EXPECT(r13, 0xffeb49923cc09532, 3)
	EXPECT(r14, 0x236d88fe5618cf00, 4)
	movl r8 = 0xffffffffffffffff
	movl r9 = 0xffffffffffffffff
	movl r10 = 0x0;;
	setf.sig f8 = r8
	setf.sig f9 = r9
	setf.sig f10 = r10;;
	xma.l f11 = f8, f9, f10
	xma.hu f12 = f8, f9, f10
	xma.h f13 = f8, f9, f10
	xmpy.l f14 = f8, f9;;
	getf.sig r11 = f11
	getf.sig r12 = f12
	getf.sig r13 = f13
	getf.sig r14 = f14;;
	EXPECT(r11, 0x1, 5)
	EXPECT(r12, 0xfffffffffffffffe, 6)
	EXPECT(r13, 0x0, 7)
	EXPECT(r14, 0x1, 8)
	movl r8 = 0x8000000000000000
	movl r9 = 0x2
	movl r10 = 0x5;;
	setf.sig f8 = r8
	setf.sig f9 = r9
	setf.sig f10 = r10;;
	xma.l f11 = f8, f9, f10
	xma.hu f12 = f8, f9, f10
	xma.h f13 = f8, f9, f10
	xmpy.l f14 = f8, f9;;
	getf.sig r11 = f11
	getf.sig r12 = f12
	getf.sig r13 = f13
	getf.sig r14 = f14;;
	EXPECT(r11, 0x5, 9)
	EXPECT(r12, 0x1, 10)
	EXPECT(r13, 0xffffffffffffffff, 11)
	EXPECT(r14, 0x0, 12)
	movl r8 = 0x3
	movl r9 = 0x7
	movl r10 = 0xb;;
	setf.sig f8 = r8
	setf.sig f9 = r9
	setf.sig f10 = r10;;
	xma.l f11 = f8, f9, f10
	xma.hu f12 = f8, f9, f10
	xma.h f13 = f8, f9, f10
	xmpy.l f14 = f8, f9;;
	getf.sig r11 = f11
	getf.sig r12 = f12
	getf.sig r13 = f13
	getf.sig r14 = f14;;
	EXPECT(r11, 0x20, 13)
	EXPECT(r12, 0x0, 14)
	EXPECT(r13, 0x0, 15)
	EXPECT(r14, 0x15, 16)
	movl r8 = 0xfffffffffffffffb
	movl r9 = 0x9
	movl r10 = 0x0;;
	setf.sig f8 = r8
	setf.sig f9 = r9
	setf.sig f10 = r10;;
	xma.l f11 = f8, f9, f10
	xma.hu f12 = f8, f9, f10
	xma.h f13 = f8, f9, f10
	xmpy.l f14 = f8, f9;;
	getf.sig r11 = f11
	getf.sig r12 = f12
	getf.sig r13 = f13
	getf.sig r14 = f14;;
	EXPECT(r11, 0xffffffffffffffd3, 17)
	EXPECT(r12, 0x8, 18)
	EXPECT(r13, 0xffffffffffffffff, 19)
	EXPECT(r14, 0xffffffffffffffd3, 20)
	movl r16 = 0x3b9aca07
	movl r17 = 0x3;;
	br.call.sptk.many b0 = udiv;;
	EXPECT(r8, 0x13de4357, 21)
	EXPECT(r9, 0x2, 22)
	movl r16 = 0xffffffffffffffff
	movl r17 = 0x7;;
	br.call.sptk.many b0 = udiv;;
	EXPECT(r8, 0x2492492492492492, 23)
	EXPECT(r9, 0x1, 24)
	movl r16 = 0x8000000000000000
	movl r17 = 0xffffffff;;
	br.call.sptk.many b0 = udiv;;
	EXPECT(r8, 0x80000000, 25)
	EXPECT(r9, 0x80000000, 26)
	movl r16 = 0x2bdc545d6b4b87
	movl r17 = 0x1;;
	br.call.sptk.many b0 = udiv;;
	EXPECT(r8, 0x2bdc545d6b4b87, 27)
	EXPECT(r9, 0x0, 28)
	movl r16 = 0x5
	movl r17 = 0xa;;
	br.call.sptk.many b0 = udiv;;
	EXPECT(r8, 0x0, 29)
	EXPECT(r9, 0x5, 30)
	movl r16 = 0xfedcba9876543210
	movl r17 = 0x123456789;;
	br.call.sptk.many b0 = udiv;;
	EXPECT(r8, 0xe0000000, 31)
	EXPECT(r9, 0x96543210, 32)
	movl r16 = 0xffffffffffffffff
	movl r17 = 0xffffffffffffffff;;
	br.call.sptk.many b0 = udiv;;
	EXPECT(r8, 0x1, 33)
	EXPECT(r9, 0x0, 34)
	movl r16 = 0xffffffffffffffff
	movl r17 = 0x100000001;;
	br.call.sptk.many b0 = udiv;;
	EXPECT(r8, 0xffffffff, 35)
	EXPECT(r9, 0x0, 36)
	movl r16 = 0x7fffffffffffffff
	movl r17 = 0x7ffffffffffffffe;;
	br.call.sptk.many b0 = udiv;;
	EXPECT(r8, 0x1, 37)
	EXPECT(r9, 0x1, 38)
	movl r16 = 0x16345785d89ffff
	movl r17 = 0x174876e7ff;;
	br.call.sptk.many b0 = udiv;;
	EXPECT(r8, 0xf4240, 39)
	EXPECT(r9, 0xf423f, 40)
	movl r16 = 0xffffffffffffff9c
	movl r17 = 0x7;;
	br.call.sptk.many b0 = sdiv;;
	EXPECT(r8, 0xfffffffffffffff2, 41)
	movl r16 = 0x8000000000000001
	movl r17 = 0xfffffffffffffffd;;
	br.call.sptk.many b0 = sdiv;;
	EXPECT(r8, 0x2aaaaaaaaaaaaaaa, 42)
	movl r16 = 0x4000000000000000
	movl r17 = 0xffffffff80000000;;
	br.call.sptk.many b0 = sdiv;;
	EXPECT(r8, 0xffffffff80000000, 43)
	movl r16 = 0xfffffffffffffff9
	movl r17 = 0xfffffffffffffffe;;
	br.call.sptk.many b0 = sdiv;;
	EXPECT(r8, 0x3, 44)
	movl r16 = 0x1cbe991a83
	movl r17 = 0xffffffffffffffff;;
	br.call.sptk.many b0 = sdiv;;
	EXPECT(r8, 0xffffffe34166e57d, 45)
	// fcmp and fclass
	mov r2 = 3
	mov r3 = 5;;
	setf.sig f8 = r2
	setf.sig f9 = r3;;
	fcvt.xf f8 = f8
	fcvt.xf f9 = f9;;
	fcmp.lt.s0 p6, p7 = f8, f9;;
	EXPECT_P(p6, 200)
	EXPECT_NOT_P(p7, 201)
	fcmp.eq.unc.s0 p6, p7 = f8, f9;;
	EXPECT_NOT_P(p6, 202)
	EXPECT_P(p7, 203)
	fcmp.le.s0 p6, p7 = f9, f9;;
	EXPECT_P(p6, 204)
	fclass.m p6, p7 = f8, 0x011;;		// positive normal
	EXPECT_P(p6, 205)
	fclass.m p6, p7 = f0, 0x005;;		// +zero
	EXPECT_P(p6, 206)
	fnma.s0 f10 = f8, f1, f0;;		// -3
	fclass.m p6, p7 = f10, 0x011;;
	EXPECT_NOT_P(p6, 207)
	fcvt.fx.s0 f11 = f10;;
	getf.sig r4 = f11;;
	EXPECT(r4, -3, 208)
	// rounding direction from the status field: 1 + 2^-100 rounds up to
	// 1 + 2^-63 in sf2 (rc = +inf) and down to 1 in sf3 (rc = -inf)
	fsetc.s2 0x4f, 0x20;;			// rc = +inf
	fsetc.s3 0x4f, 0x10;;			// rc = -inf
	movl r5 = 0xffff - 100;;
	setf.exp f14 = r5;;			// 2^-100
	fma.s2 f21 = f1, f1, f14
	fma.s3 f22 = f1, f1, f14;;
	fcmp.lt.s0 p6, p7 = f22, f21;;
	EXPECT_P(p6, 209)
	fcmp.eq.s0 p6, p7 = f22, f1;;
	EXPECT_P(p6, 210)
	getf.sig r6 = f21;;
	EXPECT(r6, 0x8000000000000001, 214)
	// fmerge.se: sign and exponent of f10 (-3), significand of f9 (5)
	fmerge.se f23 = f10, f9;;
	getf.exp r7 = f23
	getf.sig r8 = f23;;
	EXPECT(r7, 0x20000 | 0x10000, 211)	// sign 1, exponent of 3 (2^1: 0x10000)
	EXPECT(r8, 0xa000000000000000, 212)
	// a NaT through setf.sig makes a NaTVal, which fma propagates
	mov r10 = 1;;
	ld8.s r9 = [r10];;
	setf.sig f24 = r9;;
	fma.s1 f25 = f24, f1, f8;;
	fclass.m p6, p7 = f25, 0x100;;
	EXPECT_P(p6, 213)
	br.cond.sptk.few test_pass;;

// Linux's __udivdi3/__umoddi3 (arch/ia64/lib/idiv64.S): r8 = r16 / r17,
// r9 = r16 % r17.
udiv:
	setf.sig f8 = r16
	setf.sig f9 = r17;;
	fnorm.s1 f8 = f8			// fcvt.xuf.s1
	fnorm.s1 f9 = f9;;
	frcpa.s1 f11, p6 = f8, f9;;
(p6)	fmpy.s1 f7 = f8, f11
(p6)	fnma.s1 f6 = f9, f11, f1;;
(p6)	fma.s1 f10 = f7, f6, f7
(p6)	fmpy.s1 f7 = f6, f6;;
	sub r18 = r0, r17
(p6)	fma.s1 f10 = f10, f7, f10
(p6)	fma.s1 f6 = f11, f6, f11;;
(p6)	fma.s1 f6 = f6, f7, f6
(p6)	fnma.s1 f7 = f9, f10, f8;;
(p6)	fma.s1 f11 = f7, f6, f10;;
	fcvt.fxu.trunc.s1 f11 = f11;;
	setf.sig f8 = r16
	setf.sig f9 = r18;;
	getf.sig r8 = f11
	xma.l f11 = f11, f9, f8;;
	getf.sig r9 = f11
	br.ret.sptk.many b0;;

// Linux's __divdi3: r8 = r16 / r17, signed.
sdiv:
	setf.sig f8 = r16
	setf.sig f9 = r17;;
	fcvt.xf f8 = f8
	fcvt.xf f9 = f9;;
	frcpa.s1 f11, p6 = f8, f9;;
(p6)	fmpy.s1 f7 = f8, f11
(p6)	fnma.s1 f6 = f9, f11, f1;;
(p6)	fma.s1 f10 = f7, f6, f7
(p6)	fmpy.s1 f7 = f6, f6;;
(p6)	fma.s1 f10 = f10, f7, f10
(p6)	fma.s1 f6 = f11, f6, f11;;
(p6)	fma.s1 f6 = f6, f7, f6
(p6)	fnma.s1 f7 = f9, f10, f8;;
(p6)	fma.s1 f11 = f7, f6, f10;;
	fcvt.fx.trunc.s1 f11 = f11;;
	getf.sig r8 = f11
	br.ret.sptk.many b0;;

	TEST_EXITS

	.data
	.align 16
stack:	.skip 4096
stack_top:
