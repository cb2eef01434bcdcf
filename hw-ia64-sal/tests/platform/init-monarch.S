// A platform INIT reaches N CPUs (four here; ia64sim
// --enumerate-init-orders runs it with 3 and 4) spinning with PSR.i = 0.
// SAL makes the first one the monarch and the other N-1 slaves; each
// handler sees the handoff registers (r17 = its min-state area, r18 = PSP
// with the INIT bit, r12 = the SAL return); the monarch prints its CPU
// number, waits for the N-1 slaves, then every CPU resumes where it was
// (registers restored from the min-state area).
// ia64sim: --cpus 4 --init-at 3000
#include "ia64test.h"
#include "ia64platform.h"

	.text
	.global _start
_start:
	mov r8 = cr.lid;;
	extr.u r8 = r8, 24, 8;;
	movl r15 = 0x1234			// must survive the INIT
	movl r2 = started;;			// N: every CPU counts itself in
	fetchadd8.rel r3 = [r2], 1;;
	cmp.ne p6, p0 = r8, r0
	(p6) br.cond.sptk.few wait_vectors;;
	// CPU 0 registers OS_INIT: monarch entry, gp, 0, slave entry, gp, 0
	SET_INIT_VECTORS(monarch_entry, slave_entry)
	EXPECT(r8, 0, 1)
	movl r20 = vectors_set
	mov r21 = 1;;
	st8.rel [r20] = r21;;
wait_vectors:
	movl r20 = vectors_set;;
1:	ld8.acq r21 = [r20];;
	cmp.eq p6, p0 = r21, r0
	(p6) br.cond.sptk.few 1b;;
	rsm psr.i;;				// INIT must get through anyway
	srlz.d;;
	movl r22 = spins;;
	shladd r22 = r8, 3, r22;;
spin:
	ld8 r23 = [r22];;
	adds r23 = 1, r23;;
	st8 [r22] = r23
	cmp.ne p6, p0 = r8, r0;;
	(p6) br.cond.sptk.few spin;;
	movl r24 = done;;
	ld8.acq r25 = [r24];;
	cmp.eq p6, p0 = r25, r0
	(p6) br.cond.sptk.few spin;;
	movl r24 = monarchs;;
	ld8 r25 = [r24];;
	EXPECT(r25, 1, 2)			// exactly one monarch
	movl r24 = started;;
	ld8 r26 = [r24];;
	adds r27 = -1, r26
	movl r24 = slaves;;
	ld8 r25 = [r24];;
	cmp.ne p6, p0 = r25, r27		// N-1 slaves
	mov r30 = 3
	(p6) br.cond.dpnt.few test_fail;;
	movl r24 = psp_ok;;
	ld8 r25 = [r24];;
	cmp.ne p6, p0 = r25, r26		// every handler saw PSP.in, r17, r12
	mov r30 = 4
	(p6) br.cond.dpnt.few test_fail;;
	EXPECT(r15, 0x1234, 5)			// state came back from the min-state area
	EXPECT(r8, 0, 6)
	br.cond.sptk.few test_pass;;

// Handlers run in physical mode with PSR.mc set; r28-r30 are banked and
// come back on resume.
check_handoff:					// p7 <- handoff registers look right
	tbit.nz p7, p0 = r18, PSP_INIT_BIT;;
	movl r28 = IA64_FW_SAL_RETURN;;
	(p7) cmp.eq p7, p0 = r12, r28
	movl r28 = IA64_FW_MINSTATE;;
	(p7) cmp.geu p7, p0 = r17, r28;;
	(p7) movl r29 = psp_ok;;
	(p7) fetchadd8.acq r28 = [r29], 1
	br.cond.sptk.few b7;;

monarch_entry:
	mov r28 = cr.lid;;			// say who the monarch is: '0' + cpu
	extr.u r28 = r28, 24, 8;;
	adds r28 = 48, r28
	movl r29 = UART_BASE;;
	st1 [r29] = r28
	movl r29 = monarchs;;
	fetchadd8.acq r28 = [r29], 1
	movl r28 = 1f;;
	mov b7 = r28
	br.cond.sptk.few check_handoff;;
1:	movl r29 = started;;
	ld8 r27 = [r29];;
	adds r27 = -1, r27			// wait for N-1 slaves
	movl r29 = slaves;;
2:	ld8.acq r28 = [r29];;
	cmp.ltu p6, p0 = r28, r27
	(p6) br.cond.sptk.few 2b;;
	movl r29 = done
	mov r28 = 1;;
	st8.rel [r29] = r28
	mov r8 = 0;;				// resume
	mov b0 = r12;;
	br.cond.sptk.few b0;;

slave_entry:
	movl r29 = slaves;;
	fetchadd8.acq r28 = [r29], 1
	movl r28 = 1f;;
	mov b7 = r28
	br.cond.sptk.few check_handoff;;
1:	mov r8 = 0;;
	mov b0 = r12;;
	br.cond.sptk.few b0;;

	TEST_EXITS

	.data
	.align 8
vectors_set:	data8 0
monarchs:	data8 0
slaves:		data8 0
psp_ok:		data8 0
done:		data8 0
started:	data8 0
spins:		data8 0, 0, 0, 0, 0, 0, 0, 0
