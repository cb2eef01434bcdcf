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
	br.cond.sptk.few test_pass;;

	TEST_EXITS
