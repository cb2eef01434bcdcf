// SAL_MC_RENDEZ holds the caller in SAL until the wakeup interrupt set by
// SAL_MC_SET_PARAMS(RENDEZ_WAKEUP, INT, vector) arrives, even with PSR.i = 0
// (Linux calls it with interrupts off); SAL consumes that vector. Bad
// MC_SET_PARAMS arguments return -2.
// ia64sim: --cpus 2
#include "ia64test.h"
#include "ia64/firmware.h"
#include "ia64/sapic.h"

#define WAKEUP 0xf1
#define WAIT_NE0(var) movl r2 = var;; 1: ld8.acq r3 = [r2];; \
    cmp.eq p6, p0 = r3, r0;; (p6) br.cond.sptk.few 1b;;
#define SET1(var) movl r2 = var; mov r3 = 1;; st8.rel [r2] = r3;;
#define SAL_SETUP alloc r40 = ar.pfs, 0, 1, 8, 0; movl r9 = IA64_FW_SAL_PROC;; mov b6 = r9

	.text
	.global _start
_start:
	SAL_SETUP
	mov r8 = cr.lid;;
	extr.u r8 = r8, 24, 8;;
	cmp.ne p6, p0 = r8, r0
	(p6) br.cond.sptk.few cpu1;;
	movl out0 = SAL_MC_SET_PARAMS
	mov out1 = 9				// no such parameter type
	mov out2 = 1
	mov out3 = WAKEUP;;
	br.call.sptk.many b0 = b6;;
	EXPECT(r8, -2, 1)
	movl out0 = SAL_MC_SET_PARAMS
	mov out1 = SAL_MC_PARAM_RENDEZ_WAKEUP
	mov out2 = SAL_MC_PARAM_MECHANISM_INT
	mov out3 = WAKEUP
	mov out4 = 0
	mov out5 = 0;;
	br.call.sptk.many b0 = b6;;
	EXPECT(r8, 0, 2)
	SET1(params_set)
	WAIT_NE0(entering)
	mov r4 = 500;;				// give CPU 1 time to (wrongly) return
2:	adds r4 = -1, r4;;
	cmp.ne p6, p0 = r4, r0
	(p6) br.cond.sptk.few 2b;;
	movl r2 = back;;
	ld8.acq r3 = [r2];;
	EXPECT(r3, 0, 3)			// still held in SAL
	movl r24 = IA64_SAPIC_BASE + (1 << 12)
	mov r25 = 0xf0;;			// another vector does not wake it
	st8 [r24] = r25;;
	mf;;
	mov r4 = 500;;
3:	adds r4 = -1, r4;;
	cmp.ne p6, p0 = r4, r0
	(p6) br.cond.sptk.few 3b;;
	ld8.acq r3 = [r2];;
	EXPECT(r3, 0, 4)
	mov r25 = WAKEUP;;
	st8 [r24] = r25;;
	mf;;
	WAIT_NE0(back)
	WAIT_NE0(checked)
	br.cond.sptk.few test_pass;;

cpu1:
	WAIT_NE0(params_set)
	rsm psr.i;;
	srlz.d;;
	SET1(entering)
	movl out0 = SAL_MC_RENDEZ;;
	br.call.sptk.many b0 = b6;;
	mov r20 = r8;;
	SET1(back)
	EXPECT(r20, 0, 5)
	mov r5 = cr.irr3;;			// 0xf1 consumed, 0xf0 still pending
	EXPECT(r5, 1 << 48, 6)
	SET1(checked)
	HALT_CPU

	TEST_EXITS

	.data
	.align 8
params_set:	data8 0
entering:	data8 0
back:		data8 0
checked:	data8 0
