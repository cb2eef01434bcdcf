// Not a passing program: it only parks its CPU in PAL_HALT and never
// reports a result through the halt device. ia64sim must not exit 0 (it
// reports 4: every CPU idle); run-negative.sh checks that it does not.
// expect-exit: 4
#include "ia64test.h"
#include "ia64/firmware.h"

	.text
	.global _start
_start:
	mov r28 = PAL_HALT
	mov r29 = 0
	movl r2 = IA64_FW_PAL_PROC;;
	mov b6 = r2
	movl r2 = 1f;;
	mov b0 = r2
	br.cond.sptk.few b6;;
1:	br.cond.sptk.few _start;;
