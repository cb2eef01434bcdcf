// FP loads and stores beyond fill/spill: ldfs/ldfd/ldf8/ldfe and stfs/stfd/
// stf8/stfe against the IEEE and x87 bit patterns (1.5f = 0x3fc00000, pi =
// 0x400921fb54442d18, 1.0 extended = 0x3fff:8000000000000000), through the
// 82-bit register (getf/setf), with post-increment; ldfd.s from a misaligned
// address gives a NaTVal instead of a fault.
#include "ia64test.h"

	.text
	.global _start
_start:
	movl r2 = src;;
	ldfs f6 = [r2], 8;;			// 1.5f
	getf.s r3 = f6;;
	EXPECT(r3, 0x3fc00000, 1)
	getf.exp r4 = f6;;
	EXPECT(r4, 0xffff, 2)			// 2^0
	ldfd f7 = [r2], 8;;			// pi
	getf.d r3 = f7;;
	EXPECT(r3, 0x400921fb54442d18, 3)
	movl r5 = src + 16;;
	cmp.ne p6, p0 = r2, r5;;		// post-increments moved r2 by 8 + 8
	mov r30 = 20
	(p6) br.cond.dpnt.few test_fail;;
	ldf8 f8 = [r2], 16;;			// an integer
	getf.sig r3 = f8;;
	EXPECT(r3, 0x123456789abcdef0, 4)
	ldfe f9 = [r2];;			// 1.0 extended, 16 bytes aligned
	getf.exp r3 = f9
	getf.sig r4 = f9;;
	EXPECT(r3, 0xffff, 5)
	EXPECT(r4, 0x8000000000000000, 6)
	// stores
	movl r2 = dst;;
	stfs [r2] = f6, 8;;
	stfd [r2] = f7, 8;;
	stf8 [r2] = f8, 8;;
	movl r2 = dst;;
	ld4 r3 = [r2], 8;;
	EXPECT(r3, 0x3fc00000, 7)
	ld8 r3 = [r2], 8;;
	EXPECT(r3, 0x400921fb54442d18, 8)
	ld8 r3 = [r2];;
	EXPECT(r3, 0x123456789abcdef0, 9)
	movl r2 = dste;;
	fneg f10 = f1;;				// -1.0
	stfe [r2] = f10;;
	ld8 r3 = [r2], 8;;
	EXPECT(r3, 0x8000000000000000, 10)
	ld2 r3 = [r2];;
	EXPECT(r3, 0xbfff, 11)			// sign 1, exponent 0x3fff
	// a speculative load that would fault: NaTVal, no fault
	movl r2 = src + 1;;
	ldfd.s f11 = [r2];;
	fclass.m p6, p7 = f11, 0x100;;
	EXPECT_P(p6, 12)
	br.cond.sptk.few test_pass;;

	TEST_EXITS

	.data
	.align 16
src:	data4 0x3fc00000, 0
	data8 0x400921fb54442d18
	data8 0x123456789abcdef0, 0
	data8 0x8000000000000000
	data2 0x3fff
	.align 16
dst:	.skip 32
	.align 16
dste:	.skip 16
