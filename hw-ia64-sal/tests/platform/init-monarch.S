// A platform INIT reaches N CPUs (four here; ia64sim
// --enumerate-init-orders runs it with 3 and 4) spinning with PSR.i = 0.
// SAL makes the first one the monarch and the other N-1 slaves; each
// handler sees the handoff registers (r17 = its min-state area, r18 = PSP
// with the INIT bit, r12 = the SAL return); the monarch prints its CPU
// number, waits for the N-1 slaves, then every CPU resumes where it was.
// Every handler covers the interrupted frame and clobbers r2-r7, r13-r15
// (SAL's handoff already changed r1, r8-r12); after the resume each CPU
// checks that all of r1-r15 and its frame came back from the min-state
// area (check 5: r1-r11, r13-r15 per CPU; check 6: r12 and r32) and counts
// itself resumed; CPU 0 waits for all N (check 7).
// ia64sim: --cpus 4 --init-at 3000
#include "ia64test.h"
#include "ia64platform.h"

// rN = cpu + 0xN00, from r8 = cpu index
#define SETREG(n) adds r##n = 0x##n##00, r8
#define CHECKREG(n) adds r31 = 0x##n##00, r8;; cmp.ne p15, p0 = r##n, r31;; \
	(p15) br.cond.dpnt.few resume_bad;;

	.text
	.global _start
_start:
	alloc r33 = ar.pfs, 0, 2, 0, 0;;	// a frame to cover and get back
	mov r8 = cr.lid;;
	extr.u r8 = r8, 24, 8;;
	adds r32 = 0x320, r8
	movl r2 = started;;			// N: every CPU counts itself in
	fetchadd8.rel r3 = [r2], 1;;
	cmp.ne p6, p0 = r8, r0
	(p6) br.cond.sptk.few wait_vectors;;
	// CPU 0 registers OS_INIT: monarch entry, gp, 0, slave entry, gp, 0
	SET_INIT_VECTORS(monarch_entry, slave_entry)
	EXPECT(r8, 0, 1)
	alloc r33 = ar.pfs, 0, 2, 0, 0;;	// back to two registers
	mov r8 = r0				// CPU 0's index again
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
	SETREG(1)
	SETREG(2)
	SETREG(3)
	SETREG(4)
	SETREG(5)
	SETREG(6)
	SETREG(7)
	SETREG(9)
	SETREG(10)
	SETREG(11)
	SETREG(13)
	SETREG(14)
	SETREG(15)
	mov r16 = r12				// banked: comes back on its own path
	movl r22 = spins;;
	shladd r22 = r8, 3, r22;;
	movl r24 = done;;
spin:						// INIT arrives in this loop
	ld8 r23 = [r22];;
	adds r23 = 1, r23;;
	st8 [r22] = r23
	ld8.acq r25 = [r24];;
	cmp.eq p6, p0 = r25, r0
	(p6) br.cond.sptk.few spin;;
	// resumed: every register as it was when INIT arrived
	CHECKREG(1)
	CHECKREG(2)
	CHECKREG(3)
	CHECKREG(4)
	CHECKREG(5)
	CHECKREG(6)
	CHECKREG(7)
	CHECKREG(9)
	CHECKREG(10)
	CHECKREG(11)
	CHECKREG(13)
	CHECKREG(14)
	CHECKREG(15)
	cmp.ne p6, p0 = r12, r16
	mov r30 = 6
	(p6) br.cond.dpnt.few test_fail;;
	adds r31 = 0x320, r8;;			// the covered frame came back
	cmp.ne p6, p0 = r32, r31
	mov r30 = 6
	(p6) br.cond.dpnt.few test_fail;;
	movl r24 = resumed;;
	fetchadd8.rel r25 = [r24], 1
	cmp.ne p6, p0 = r8, r0
	(p6) br.cond.sptk.few cpu_done;;
	movl r26 = started;;			// CPU 0: wait for all N
	ld8 r26 = [r26]
	mov r27 = 20000;;			// bounded: a CPU that never resumes fails
2:	ld8.acq r25 = [r24]
	adds r27 = -1, r27;;
	cmp.eq p7, p0 = r27, r0
	cmp.ltu p6, p0 = r25, r26;;
	(p7) mov r30 = 7
	(p7) br.cond.dpnt.few test_fail
	(p6) br.cond.sptk.few 2b;;
	cmp.ne p6, p0 = r25, r26		// all N resumed, none twice
	mov r30 = 7
	(p6) br.cond.dpnt.few test_fail;;
	br.cond.sptk.few checks;;
cpu_done:
	HALT_CPU
resume_bad:
	mov r30 = 5
	br.cond.sptk.few test_fail;;

checks:
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

#define CLOBBER mov r2 = -1; mov r3 = -1; mov r4 = -1; mov r5 = -1; mov r6 = -1; \
	mov r7 = -1; mov r13 = -1; mov r14 = -1; mov r15 = -1;;

monarch_entry:
	OS_INIT_ENTER
	CLOBBER
	mov r28 = cr.lid;;			// say who the monarch is: '0' + cpu
	extr.u r28 = r28, 24, 8;;
	adds r28 = 48, r28
	movl r29 = UART_BASE;;
	st1 [r29] = r28
	movl r29 = monarchs;;
	fetchadd8.acq r28 = [r29], 1;;
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
	SAL_RETURN(0, r17)			// resume

slave_entry:
	OS_INIT_ENTER
	CLOBBER
	movl r29 = slaves;;
	fetchadd8.acq r28 = [r29], 1;;
	movl r28 = 1f;;
	mov b7 = r28
	br.cond.sptk.few check_handoff;;
1:	SAL_RETURN(0, r17)

	TEST_EXITS

	.data
	.align 8
vectors_set:	data8 0
monarchs:	data8 0
slaves:		data8 0
psp_ok:		data8 0
done:		data8 0
started:	data8 0
resumed:	data8 0
spins:		data8 0, 0, 0, 0, 0, 0, 0, 0
