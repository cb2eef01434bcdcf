// Run by ../run-bootargs.sh with --append "dumplab.test=1 console=ttyS0"
// and a 4096-byte --initrd whose byte i is i mod 251: ia64_boot_param (r28)
// must give that command line and an initrd_start/size whose bytes match,
// 64 KiB aligned and below the per-CPU areas at the top of RAM.
#include "ia64test.h"
#include "ia64/efi.h"

	.text
	.global _start
_start:
	ld8 r2 = [r28];;			// command_line
	movl r3 = expected;;
1:	ld1 r4 = [r2], 1
	ld1 r5 = [r3], 1;;
	cmp.ne p6, p0 = r4, r5
	mov r30 = 1
	(p6) br.cond.dpnt.few test_fail;;
	cmp.ne p7, p0 = r5, r0
	(p7) br.cond.sptk.few 1b;;
	adds r2 = BOOT_PARAM_INITRD_START, r28
	adds r3 = BOOT_PARAM_INITRD_SIZE, r28;;
	ld8 r6 = [r2]
	ld8 r7 = [r3];;
	EXPECT(r7, 4096, 2)
	extr.u r8 = r6, 0, 16;;
	EXPECT(r8, 0, 3)			// 64 KiB aligned
	mov r9 = 0				// i
	mov r10 = 0				// i mod 251
	mov r13 = 251;;
2:	add r11 = r6, r9;;
	ld1 r12 = [r11];;
	cmp.ne p6, p0 = r12, r10
	mov r30 = 4
	(p6) br.cond.dpnt.few test_fail;;
	adds r9 = 1, r9
	adds r10 = 1, r10;;
	cmp.eq p8, p0 = r10, r13;;
	(p8) mov r10 = 0
	cmp.ltu p9, p0 = r9, r7;;
	(p9) br.cond.sptk.few 2b;;
	br.cond.sptk.few test_pass;;

	TEST_EXITS

	.data
expected: .asciz "dumplab.test=1 console=ttyS0"
