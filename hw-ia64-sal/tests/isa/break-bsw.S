// break -> Break Instruction vector (IVA + 0x2c00) with the immediate in
// cr.iim; the handler runs with PSR.bn = 0 (bank 0 of r16-r31), skips the
// bundle and rfi's back. bsw.0/bsw.1 switch between the two banks of r16-r31
// while r32 and up and the lower registers are not banked.
#include "ia64test.h"

	.text
	.global _start
_start:
	movl r2 = ivt;;
	mov cr.iva = r2
	mov r4 = psr;;
	dep r4 = -1, r4, 13, 1;;		// PSR.ic: collect cr.iim, cr.iip
	mov psr.l = r4;;
	srlz.d;;
	mov r16 = 1				// bank 1 (PSR.bn = 1 after reset)
	mov r15 = 7;;
	bsw.0;;
	mov r16 = 2				// bank 0
	mov r15 = 8;;
	bsw.1;;
	EXPECT(r16, 1, 1)
	EXPECT(r15, 8, 2)			// r15 is not banked
	bsw.0;;
	EXPECT(r16, 2, 3)
	bsw.1;;
	EXPECT(r16, 1, 4)
	{ .mii
	break.m 0x12345
	nop.i 0
	nop.i 0;;
	}
	EXPECT(r16, 1, 5)			// back in bank 1 after rfi
	EXPECT(r9, 0x12345, 6)			// cr.iim seen by the handler
	EXPECT(r10, 2, 7)			// handler saw bank 0's r16
	movl r20 = hits;;
	ld8 r21 = [r20];;
	EXPECT(r21, 1, 8)
	br.cond.sptk.few test_pass;;

	TEST_EXITS

	.align 32768
ivt:
	.org ivt + 0x2c00			// Break Instruction
	mov r9 = cr.iim
	mov r10 = r16				// bank 0 here
	movl r17 = hits;;
	ld8 r18 = [r17];;
	adds r18 = 1, r18;;
	st8 [r17] = r18
	mov r19 = cr.iip;;
	adds r19 = 16, r19;;			// skip the break's bundle (ri was 0)
	mov cr.iip = r19;;
	rfi;;
	.org ivt + 0x7f00

	.data
	.align 8
hits:	data8 0
