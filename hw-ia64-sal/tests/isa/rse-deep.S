// Recursive calls 60 deep with 10 stacked registers per frame (600 in all,
// far more than the 96 physical ones) force spills to the backing store and
// fills on the way back. Each frame checks that its locals (including a NaT
// bit) survived the calls below it. Also checks ar.bsp arithmetic with NaT
// collection slots, flushrs and ar.pfs/ar.ec save and restore.
#include "ia64test.h"

#define DEPTH 60

	.text
	.global _start
_start:
	alloc r2 = ar.pfs, 0, 4, 2, 0
	mov ar.ec = 5
	mov.m r35 = ar.bsp;;
	movl r34 = 0x7fffffff00000000;;
	ld8.s r33 = [r34];;		// r33 = NaT
	mov out0 = DEPTH
	movl r34 = 0x5555;;
	mov r37 = 0
	br.call.sptk.many b0 = rec;;
	// rec(n) returns n*(n+1)/2
	EXPECT(r8, DEPTH * (DEPTH + 1) / 2, 1)
	tnat.nz p6, p0 = r33;;
	EXPECT_P(p6, 2)
	mov.m r3 = ar.bsp;;
	cmp.eq p6, p0 = r3, r35;;
	EXPECT_P(p6, 3)
	mov r3 = ar.ec;;
	EXPECT(r3, 5, 4)
	EXPECT(r34, 0x5555, 5)
	// the deepest frame recorded the number of spills it saw
	movl r3 = deep_bsp;;
	ld8 r3 = [r3];;
	sub r4 = r3, r35;;
	// main keeps 4 locals and 60 frames keep 5 each = 304 registers,
	// plus one NaT collection slot per 63 registers
	EXPECT(r4, (304 + 4) * 8, 6)
	// flushrs writes everything; afterwards bspstore == bsp
	flushrs;;
	mov.m r3 = ar.bspstore
	mov.m r4 = ar.bsp;;
	cmp.eq p6, p0 = r3, r4;;
	EXPECT_P(p6, 7)
	br.cond.sptk.few test_pass;;

// rec(n): 1 input, 4 locals, 1 output (sof 6, sol 5)
rec:
	alloc r33 = ar.pfs, 1, 4, 1, 0
	mov r34 = b0
	mov r35 = in0;;
	shladd r36 = in0, 2, r0		// 4n, checked after the call
	cmp.eq p6, p7 = 0, in0
	(p6) br.cond.dpnt.few leaf;;
	adds out0 = -1, in0
	mov ar.ec = 1
	br.call.sptk.many b0 = rec;;
	// locals must be intact after the callee's spills and fills
	cmp.ne p8, p0 = r35, in0
	shladd r9 = r35, 2, r0;;
	cmp.ne.or p8, p0 = r36, r9
	(p8) mov r30 = 10
	(p8) br.cond.dpnt.few test_fail;;
	add r8 = r8, in0
	mov b0 = r34
	mov ar.pfs = r33;;
	br.ret.sptk.many b0;;
leaf:
	mov.m r9 = ar.bsp
	movl r10 = deep_bsp;;
	st8 [r10] = r9
	mov r8 = 0
	mov ar.pfs = r33;;
	br.ret.sptk.many b0;;

	TEST_EXITS

	.data
	.align 8
deep_bsp: data8 0
