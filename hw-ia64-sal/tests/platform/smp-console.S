// Four CPUs print their number on the UART 16 times each, with a little
// work between prints; CPU 0 then waits for all of them and halts with 0.
// The console's byte order is the interleaving of the CPUs, so two runs
// with the same console bytes ran the same schedule (qemu-patches'
// determinism test; under ia64sim it just has to pass).
// ia64sim: --cpus 4
#include "ia64test.h"

#define NCPU 4
#define PRINTS 16

	.text
	.global _start
_start:
	mov r8 = cr.lid;;
	extr.u r8 = r8, 24, 8;;
	adds r9 = 48, r8			// '0' + cpu
	movl r10 = UART_BASE
	mov r11 = PRINTS;;
print:
	st1 [r10] = r9
	mov r12 = 40;;				// work between prints
1:	adds r12 = -1, r12;;
	cmp.ne p6, p0 = r12, r0
	(p6) br.cond.sptk.few 1b;;
	adds r11 = -1, r11;;
	cmp.ne p6, p0 = r11, r0
	(p6) br.cond.sptk.few print;;
	movl r13 = done;;
	fetchadd8.rel r14 = [r13], 1
	cmp.ne p6, p0 = r8, r0;;
	(p6) br.cond.sptk.few park;;
2:	ld8.acq r14 = [r13];;			// CPU 0 waits for everyone
	mov r15 = NCPU;;
	cmp.ltu p6, p0 = r14, r15;;
	(p6) br.cond.sptk.few 2b;;
	br.cond.sptk.few test_pass;;
park:
	HALT_CPU

	TEST_EXITS

	.data
	.align 8
done:	data8 0
