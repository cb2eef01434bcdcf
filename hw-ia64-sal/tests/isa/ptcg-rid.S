// ptc.g purges, on every CPU, the translations of the issuing CPU's region
// id for the address (SDM vol 2, ptc.g: the region register is read on the
// issuing processor). CPU 1 holds two TC entries for one address: rid 5
// (what CPU 0 uses) and rid 9 (its own rr1 when the purge arrives). CPU 0's
// ptc.g must remove the rid-5 entry and keep the rid-9 one. Probes are tpa
// with PSR.dt and PSR.ic on; a miss goes to the Alternate Data TLB vector,
// whose handler sets r14 and skips the bundle.
// ia64sim: --cpus 2
#include "ia64test.h"

#define VA 0x2000000000340000
#define RR(rid) (((rid) << 8) | (14 << 2) | 1)
#define PTE ((1 << 0) | (1 << 5) | (1 << 6) | (2 << 9) | 0x400000)

// r14 <- 1 if VA has no translation here, else 0
#define PROBE                                                           \
	mov r14 = 0;;                                                   \
	ssm 0x22000;;				/* PSR.dt | PSR.ic */   \
	srlz.d;;                                                        \
	tpa r15 = r10;;                                                 \
	rsm 0x22000;;                                                   \
	srlz.d;;

#define SET_RR1(rid) movl r3 = RR(rid);; mov rr[r10] = r3;; srlz.d;;

#define INSERT                                                          \
	mov cr.ifa = r10;                                               \
	mov r3 = 14 << 2;;                                              \
	mov cr.itir = r3;                                               \
	movl r3 = PTE;;                                                 \
	itc.d r3;;                                                      \
	srlz.d;;

	.text
	.global _start
_start:
	movl r2 = ivt;;
	mov cr.iva = r2
	movl r10 = VA
	mov r8 = cr.lid;;
	extr.u r8 = r8, 24, 8;;
	cmp.ne p6, p0 = r8, r0
	(p6) br.cond.sptk.few cpu1;;
	// CPU 0: rid 5, one entry, then wait for CPU 1's two
	SET_RR1(5)
	INSERT
	movl r20 = ready;;
1:	ld8.acq r21 = [r20];;
	cmp.eq p6, p0 = r21, r0
	(p6) br.cond.sptk.few 1b;;
	mov r2 = 14 << 2;;
	ptc.g r10, r2;;
	srlz.d;;
	PROBE
	EXPECT(r14, 1, 1)			// our own entry went too
	movl r20 = purged
	mov r21 = 1;;
	st8.rel [r20] = r21
	movl r20 = result;;
1:	ld8.acq r21 = [r20];;
	cmp.eq p6, p0 = r21, r0
	(p6) br.cond.sptk.few 1b;;
	EXPECT(r21, 0x10, 2)			// CPU 1: rid 9 kept (0), rid 5 gone (1)
	br.cond.sptk.few test_pass;;

cpu1:
	SET_RR1(5)
	INSERT					// entry A: rid 5
	SET_RR1(9)
	INSERT					// entry B: rid 9
	PROBE
	mov r16 = r14				// sanity: B is there
	SET_RR1(5)
	PROBE
	shl r17 = r14, 8;;			// and A too
	or r16 = r16, r17;;
	EXPECT(r16, 0, 3)
	SET_RR1(9)				// the rid CPU 1 runs with during the purge
	movl r20 = ready
	mov r21 = 1;;
	st8.rel [r20] = r21
	movl r20 = purged;;
1:	ld8.acq r21 = [r20];;
	cmp.eq p6, p0 = r21, r0
	(p6) br.cond.sptk.few 1b;;
	PROBE
	mov r16 = r14;;				// rid 9: must still hit
	SET_RR1(5)
	PROBE
	shl r17 = r14, 4;;			// rid 5: must miss
	or r16 = r16, r17
	movl r20 = result;;
	st8.rel [r20] = r16
	HALT_CPU

	TEST_EXITS

	.align 32768
ivt:
	.org ivt + 0x1000			// Alternate Data TLB: the probe missed
	mov r14 = 1
	mov r16 = cr.iip
	mov r17 = cr.ipsr;;
	adds r16 = 16, r16
	dep r17 = 0, r17, 41, 2;;
	mov cr.iip = r16
	mov cr.ipsr = r17;;
	rfi;;
	.org ivt + 0x7f00

	.data
	.align 8
ready:	data8 0
purged:	data8 0
result:	data8 0
