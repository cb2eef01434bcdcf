// Benchmark load for bench/ia64-bundles.sh: an endless mix of ALU work,
// loads, stores, compares and a taken branch; ia64sim stops it with
// --max-bundles. Not a test: it never halts.
#include "ia64test.h"

	.text
	.global _start
_start:
	mov r8 = cr.lid;;
	extr.u r8 = r8, 24, 8		// cpu number: one scratch word each
	movl r20 = scratch;;
	shladd r20 = r8, 3, r20
	mov r9 = 0
	mov r10 = 1;;
loop:
	add r9 = r9, r10
	shladd r11 = r10, 2, r9;;
	st8 [r20] = r11
	xor r12 = r11, r9;;
	ld8 r13 = [r20]
	cmp.eq p6, p7 = r13, r11;;
	(p6) adds r10 = 1, r10
	(p7) br.cond.dpnt.few bad;;
	br.cond.sptk.few loop;;
bad:
	mov r30 = 1;;
	HALT_REG(r30)

	.data
	.align 8
scratch:
	data8 0, 0, 0, 0, 0, 0, 0, 0
