// The F9 significand operations and the FP load pairs Linux/ia64 6.1 uses:
// fsxt.r (gcc's 32-bit vector code in pcpu_setup_first_chunk, the first
// Illegal Operation the real kernel met), fsxt.l, fmix.l/.r/.lr, fswap,
// fand/fandcm/for/fxor; and ldfp8/ldfps/ldfpd with the base post-increment
// (__ia64_load_fpu restores f32-f127 with ldfps). Expected values computed
// by hand from the SDM's definitions (left = bits 63:32, right = 31:0).
#include "ia64test.h"

	.text
	.global _start
_start:
	movl r8 = 0x800000017fffffff
	movl r9 = 0x123456789abcdef0
	movl r10 = 0x0000000080000000;;
	setf.sig f8 = r8
	setf.sig f9 = r9
	setf.sig f10 = r10;;
	fsxt.r f11 = f8, f9
	fsxt.r f12 = f10, f9
	fsxt.l f13 = f8, f9
	fmix.l f14 = f8, f9;;
	getf.sig r11 = f11
	getf.sig r12 = f12
	getf.sig r13 = f13
	getf.sig r14 = f14;;
	EXPECT(r11, 0x000000009abcdef0, 1)
	EXPECT(r12, 0xffffffff9abcdef0, 2)
	EXPECT(r13, 0xffffffff12345678, 3)
	EXPECT(r14, 0x8000000112345678, 4)
	fmix.r f11 = f8, f9
	fmix.lr f12 = f8, f9
	fswap f13 = f8, f9
	fand f14 = f8, f9;;
	getf.sig r11 = f11
	getf.sig r12 = f12
	getf.sig r13 = f13
	getf.sig r14 = f14;;
	EXPECT(r11, 0x7fffffff9abcdef0, 5)
	EXPECT(r12, 0x800000019abcdef0, 6)
	EXPECT(r13, 0x9abcdef080000001, 7)
	EXPECT(r14, 0x000000001abcdef0, 8)
	for f11 = f8, f9
	fxor f12 = f8, f9
	fandcm f13 = f8, f9;;
	getf.sig r11 = f11
	getf.sig r12 = f12
	getf.sig r13 = f13
	getf.exp r14 = f13;;
	EXPECT(r11, 0x92345679ffffffff, 9)
	EXPECT(r12, 0x92345679e543210f, 10)
	EXPECT(r13, 0x800000016543210f, 11)
	EXPECT(r14, 0x1003e, 12)		// an integer in the significand, positive
	// ldfp8 with the base moving by 16, then ldfps and ldfpd
	movl r2 = pairs;;
	ldfp8 f32, f33 = [r2], 16;;
	getf.sig r11 = f32
	getf.sig r12 = f33;;
	EXPECT(r11, 0x0123456789abcdef, 13)
	EXPECT(r12, 0xfedcba9876543210, 14)
	movl r3 = pairs + 16;;
	cmp.ne p15, p0 = r2, r3;;
(p15)	mov r30 = 15
(p15)	br.cond.dpnt.few test_fail;;
	ldfps f34, f35 = [r2], 8;;
	getf.s r11 = f34
	getf.s r12 = f35;;
	EXPECT(r11, 0x3f800000, 16)		// 1.0f
	EXPECT(r12, 0x40000000, 17)		// 2.0f
	adds r2 = 8, r2;;			// ldfpd wants its 16-byte pair aligned
	ldfpd f36, f37 = [r2];;
	getf.d r11 = f36
	getf.d r12 = f37;;
	EXPECT(r11, 0x4008000000000000, 18)	// 3.0
	EXPECT(r12, 0xc010000000000000, 19)	// -4.0
	br.cond.sptk.few test_pass;;

	TEST_EXITS

	.data
	.align 16
pairs:	data8 0x0123456789abcdef, 0xfedcba9876543210
	data4 0x3f800000, 0x40000000
	data8 0
	data8 0x4008000000000000, 0xc010000000000000
