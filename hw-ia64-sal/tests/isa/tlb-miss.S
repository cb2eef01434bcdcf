// Virtual data addressing: with PSR.dt on and no translation, a load from
// region 1 takes the Alternate Data TLB vector (VHPT walker off); the
// handler inserts a translation cache entry for the faulting page (cr.ifa,
// cr.itir, itc.d) and rfi's back; the load then reads the physical page it
// was mapped to, and a second load does not miss.
#include "ia64test.h"

#define VA 0x2000000000345000		// region 1
#define PTE_FLAGS ((1 << 0) | (1 << 5) | (1 << 6) | (2 << 9))	// p, a, d, ar = RW

	.text
	.global _start
_start:
	movl r2 = ivt;;
	mov cr.iva = r2				// psr.ic is 0 after reset
	movl r3 = PTE_FLAGS;;
	mov r4 = psr;;
	dep r4 = -1, r4, 17, 1;;		// PSR.dt
	dep r4 = -1, r4, 13, 1;;		// PSR.ic: collect cr.ifa on the fault
	mov cr.ipsr = r4
	movl r5 = virt;;
	mov cr.iip = r5
	mov cr.ifs = r0;;
	rfi;;
virt:
	movl r10 = VA + 0x18;;
	ld8 r11 = [r10];;			// misses, is mapped, retried
	EXPECT(r11, 0x600dfeedfacecafe, 1)
	ld8 r12 = [r10];;			// now in the TC
	EXPECT(r12, 0x600dfeedfacecafe, 2)
	rsm 0x20000;;				// PSR.dt off: the halt device is physical
	srlz.d;;
	movl r20 = misses;;
	ld8 r21 = [r20];;
	EXPECT(r21, 1, 3)
	movl r20 = miss_ifa;;
	ld8 r21 = [r20];;
	EXPECT(r21, VA + 0x18, 4)		// cr.ifa held the faulting address
	br.cond.sptk.few test_pass;;

	TEST_EXITS

	.align 32768
ivt:
	.org ivt + 0x1000			// Alternate Data TLB
	rsm 0x20000;;				// data accesses physical here (rfi restores dt)
	srlz.d
	mov r16 = cr.ifa
	movl r17 = misses;;
	ld8 r18 = [r17];;
	adds r18 = 1, r18;;
	st8 [r17] = r18
	movl r17 = miss_ifa;;
	st8 [r17] = r16
	movl r17 = target;;			// physical page of the data below
	or r17 = r17, r3
	mov r19 = 12 << 2;;			// itir.ps = 4 KiB
	mov cr.itir = r19;;
	itc.d r17;;
	srlz.d;;
	rfi;;
	.org ivt + 0x7f00

	.data
	.align 4096
target:
	data8 0, 0, 0, 0x600dfeedfacecafe
	.align 8
misses:	data8 0
miss_ifa: data8 0
