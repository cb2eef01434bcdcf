// Not a passing program: its OS_INIT handler returns to SAL with a bad
// handoff (r10 is neither 0 (same context) nor -1 (new context)). SAL stops the CPU as a firmware failure (ia64sim exit
// 2) instead of resuming it, so the "resumed" pass below is never reached.
// ia64sim: --cpus 1 --init-at 2000
// expect-exit: 2
#include "ia64test.h"
#include "ia64platform.h"

	.text
	.global _start
_start:
	SET_INIT_VECTORS(init_entry, init_entry)
	movl r20 = handled;;
1:	ld8.acq r21 = [r20];;			// INIT arrives here
	cmp.eq p6, p0 = r21, r0
	(p6) br.cond.sptk.few 1b;;
	br.cond.sptk.few test_pass;;

init_entry:
	OS_INIT_ENTER
	movl r2 = handled
	mov r3 = 1;;
	st8 [r2] = r3
	dep r22 = -1, r17, 63, 1
	mov r8 = 0
	movl r9 = IA64_FW_SAL_GP
	mov r10 = 5;;
	mov b0 = r12;;
	br.cond.sptk.few b0;;

	TEST_EXITS

	.data
	.align 8
handled:	data8 0
