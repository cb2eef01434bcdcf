// A CPU parked in PAL is not dead: PAL_HALT_LIGHT returns on an unmasked
// external interrupt (TPR lets it through; PSR.i = 0 only keeps it pending,
// as in Linux's idle loop) or on INIT; PAL_HALT(0) returns only on INIT,
// whose min-state IIP is the call's return address (what kdump sees of a
// CPU halted in PAL). CPU 0 drives CPU 1 through both with IPIs.
// ia64sim: --cpus 2
#include "ia64test.h"
#include "ia64platform.h"
#include "ia64/sapic.h"

// CPU 0: store r25 to CPU 1's IPI address, then spin r27 rounds.
#define IPI_CPU1(data)                                                  \
	movl r24 = IA64_SAPIC_BASE + (1 << 12);                         \
	movl r25 = data;;                                               \
	st8 [r24] = r25;;                                               \
	mf;;

#define DELAY(n) mov r27 = n;; 7: adds r27 = -1, r27;; cmp.ne p6, p0 = r27, r0;; (p6) br.cond.sptk.few 7b;;

#define WAIT_NONZERO(label) movl r20 = label;; 8: ld8.acq r21 = [r20];; cmp.eq p6, p0 = r21, r0;; (p6) br.cond.sptk.few 8b;;

	.text
	.global _start
_start:
	mov r8 = cr.lid;;
	extr.u r8 = r8, 24, 8;;
	cmp.ne p6, p0 = r8, r0
	(p6) br.cond.sptk.few cpu1;;
	SET_INIT_VECTORS(init_entry, init_entry)
	movl r20 = go
	mov r21 = 1;;
	st8.rel [r20] = r21
	WAIT_NONZERO(entering1)
	DELAY(300)				// CPU 1 is in PAL_HALT_LIGHT now
	movl r20 = woke1;;
	ld8 r21 = [r20];;
	EXPECT(r21, 0, 1)			// and stays there on its own
	IPI_CPU1(0x30)				// DM_INT, vector 0x30
	WAIT_NONZERO(woke1)
	WAIT_NONZERO(entering2)
	DELAY(300)				// CPU 1 is in PAL_HALT(0)
	IPI_CPU1(0x40)				// an interrupt does not wake it
	DELAY(300)
	movl r20 = woke2;;
	ld8 r21 = [r20];;
	EXPECT(r21, 0, 2)
	IPI_CPU1(0x500)				// INIT does
	WAIT_NONZERO(woke2)
	movl r20 = init_iip;;
	ld8 r21 = [r20];;
	EXPECT(r21, halt_ret, 3)		// interrupted at PAL_HALT's return
	movl r20 = status;;
	ld8 r21 = [r20];;
	EXPECT(r21, 0, 4)			// both calls returned 0
	movl r20 = pending;;
	ld8 r21 = [r20];;
	EXPECT(r21, 0x30, 5)			// the waking vector stayed pending
	br.cond.sptk.few test_pass;;

cpu1:
	WAIT_NONZERO(go)
	rsm psr.i;;				// Linux's idle: interrupts off around the halt
	srlz.d
	mov cr.tpr = r0;;			// but not masked by the TPR
	srlz.d
	movl r20 = entering1
	mov r21 = 1;;
	st8.rel [r20] = r21
	PAL_STATIC(PAL_HALT_LIGHT, 0, light_ret)
light_ret:
	mov r16 = r8
	mov r17 = cr.ivr;;			// take the interrupt that woke us
	movl r20 = pending;;
	st8 [r20] = r17
	mov cr.eoi = r0
	movl r20 = woke1
	mov r21 = 1;;
	st8.rel [r20] = r21
	movl r20 = entering2;;
	st8.rel [r20] = r21
	PAL_STATIC(PAL_HALT, 0, halt_ret)
halt_ret:
	or r16 = r16, r8
	movl r20 = status;;
	st8 [r20] = r16
	movl r20 = woke2
	mov r21 = 1;;
	st8.rel [r20] = r21
	HALT_CPU

init_entry:
	OS_INIT_ENTER
	adds r2 = MINSTATE_IIP, r17;;
	ld8 r3 = [r2]
	movl r2 = init_iip;;
	st8 [r2] = r3
	SAL_RETURN(0, r17)

	TEST_EXITS

	.data
	.align 8
go:		data8 0
entering1:	data8 0
woke1:		data8 0
entering2:	data8 0
woke2:		data8 0
init_iip:	data8 0
status:		data8 -1
pending:	data8 0
