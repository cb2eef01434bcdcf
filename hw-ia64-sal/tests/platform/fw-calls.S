// Firmware calls with both conventions: SAL through br.call (in0 = id),
// PAL static (index in r28, return to b0) — known calls answer, unknown
// ones return -1.
// ia64sim: --cpus 1
#include "ia64test.h"
#include "ia64/firmware.h"

	.text
	.global _start
_start:
	alloc r40 = ar.pfs, 0, 1, 8, 0
	movl r9 = IA64_FW_SAL_PROC;;
	mov b6 = r9
	movl out0 = SAL_FREQ_BASE
	mov out1 = 0;;
	br.call.sptk.many b0 = b6;;
	EXPECT(r8, 0, 1)
	EXPECT(r9, 200000000, 2)		// platform base clock
	movl out0 = SAL_GET_STATE_INFO_SIZE
	mov out1 = 1;;				// INIT records
	br.call.sptk.many b0 = b6;;
	EXPECT(r8, 0, 3)
	EXPECT(r9, 4096, 4)
	movl out0 = SAL_SET_VECTORS
	mov out1 = 7;;				// no such vector type
	br.call.sptk.many b0 = b6;;
	EXPECT(r8, -2, 5)
	movl out0 = 0x01777777;;		// no such SAL call
	br.call.sptk.many b0 = b6;;
	EXPECT(r8, -1, 6)
	movl r9 = IA64_FW_PAL_PROC;;
	mov b6 = r9
	mov r28 = PAL_FREQ_RATIOS
	movl r2 = pal_ret1;;
	mov b0 = r2
	br.cond.sptk.few b6;;
pal_ret1:
	EXPECT(r8, 0, 7)
	EXPECT(r9, 0x700000002, 8)		// processor 7/2
	mov r28 = PAL_PTCE_INFO
	movl r2 = pal_ret2;;
	mov b0 = r2
	br.cond.sptk.few b6;;
pal_ret2:
	EXPECT(r8, 0, 9)
	EXPECT(r10, 0x100000001, 10)		// one purge loop of 1 x 1
	mov r28 = 99				// no such PAL call
	movl r2 = pal_ret3;;
	mov b0 = r2
	br.cond.sptk.few b6;;
pal_ret3:
	EXPECT(r8, -1, 11)
	mov r28 = PAL_VM_PAGE_SIZE
	movl r2 = pal_ret4;;
	mov b0 = r2
	br.cond.sptk.few b6;;
pal_ret4:
	EXPECT(r8, 0, 12)
	tbit.nz p6, p0 = r9, 12;;		// 4 KiB pages insertable
	EXPECT_P(p6, 13)
	tbit.nz p6, p0 = r9, 14;;		// and the 16 KiB Linux uses
	EXPECT_P(p6, 14)
	// Stacked PAL (index 256..511): br.call, index in r28 and out0
	mov r28 = PAL_HALT_INFO
	mov out0 = PAL_HALT_INFO
	movl out1 = halt_info;;
	br.call.sptk.many b0 = b6;;
	EXPECT(r8, 0, 15)
	movl r2 = halt_info;;
	ld8 r3 = [r2], 8;;
	extr.u r3 = r3, 60, 1;;			// state 0 (HALT_LIGHT) implemented
	EXPECT(r3, 1, 16)
	ld8 r3 = [r2];;
	EXPECT(r3, 0, 17)			// state 1 is not
	mov r28 = 300				// no such stacked call
	mov out0 = 300
	mov r40 = 0x4321;;			// a local that must survive the call
	br.call.sptk.many b0 = b6;;
	EXPECT(r8, -1, 18)
	EXPECT(r40, 0x4321, 19)			// the caller's frame came back
	// SAL: no error record logged yet
	movl r9 = IA64_FW_SAL_PROC;;
	mov b6 = r9
	movl out0 = SAL_GET_STATE_INFO
	mov out1 = 1
	mov out2 = 0
	movl out3 = halt_info;;
	br.call.sptk.many b0 = b6;;
	EXPECT(r8, -5, 20)
	br.cond.sptk.few test_pass;;

	TEST_EXITS

	.data
	.align 8
halt_info:
	.skip 64
