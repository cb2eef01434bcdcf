// Virtual mode through translation registers and the translation cache:
// itr.i/itr.d map the program (one 16 MiB page, identity) and the halt
// device (uncached), rfi turns on PSR.it/dt/ic. A region-2 page missing from
// the TLB takes the Alternate Data TLB vector, whose handler inserts a
// read-only translation with itc.d; a store there takes the Data Access
// Rights vector (cr.ifa, cr.isr.w); ptc.l purges the entry so the next load
// misses again; tpa translates; and successful translations leave cr.itir
// alone (the handler loads between writing cr.itir and itc.d).
#include "ia64test.h"

#define PTE_RWX ((1 << 0) | (1 << 5) | (1 << 6) | (3 << 9))		// p, a, d, RWX
#define PTE_UC_RW ((1 << 0) | (4 << 2) | (1 << 5) | (1 << 6) | (2 << 9))
#define PTE_RO ((1 << 0) | (1 << 5))					// p, a, read-only
#define VA_RO 0x4000000000010000					// region 2

	.text
	.global _start
_start:
	movl r2 = ivt;;
	mov cr.iva = r2
	mov r3 = 24 << 2;;			// PSR.ic is 0: inserts allowed
	mov cr.itir = r3
	mov cr.ifa = r0
	movl r4 = PTE_RWX
	mov r5 = 0;;
	itr.i itr[r5] = r4;;
	itr.d dtr[r5] = r4;;
	mov r3 = 12 << 2
	movl r6 = HALT_BASE;;
	mov cr.itir = r3
	mov cr.ifa = r6
	movl r4 = HALT_BASE + PTE_UC_RW
	mov r5 = 1;;
	itr.d dtr[r5] = r4;;
	srlz.i;;
	mov r7 = psr;;
	dep r7 = -1, r7, 13, 1;;		// ic
	dep r7 = -1, r7, 17, 1;;		// dt
	dep r7 = -1, r7, 36, 1;;		// it
	dep r7 = -1, r7, 44, 1;;		// bn (mov from psr does not show it)
	mov cr.ipsr = r7
	movl r8 = virt;;
	mov cr.iip = r8
	mov cr.ifs = r0;;
	rfi;;

virt:
	movl r9 = word;;
	tpa r10 = r9;;
	EXPECT(r10, word, 1)			// identity TR
	mov r3 = 0x33 << 2;;
	mov cr.itir = r3;;
	srlz.d;;
	ld8 r11 = [r9];;
	EXPECT(r11, 0x1234, 2)
	mov r12 = cr.itir;;
	EXPECT(r12, 0x33 << 2, 3)		// a load that translates keeps cr.itir
	movl r13 = VA_RO + 8;;
	ld8 r14 = [r13];;			// misses; the handler maps it
	EXPECT(r14, 0xfeed, 4)
	movl r20 = misses;;
	ld8 r21 = [r20];;
	EXPECT(r21, 1, 5)
	{ .mmi
	st8 [r13] = r0				// read-only: Data Access Rights
	nop.m 0
	nop.i 0 ;; }
	movl r20 = rights;;
	ld8 r21 = [r20], 8;;
	EXPECT(r21, 1, 6)
	ld8 r21 = [r20], 8;;
	EXPECT(r21, VA_RO + 8, 7)		// cr.ifa
	ld8 r21 = [r20];;
	EXPECT(r21, 1, 8)			// cr.isr.w
	ld8 r14 = [r13];;
	EXPECT(r14, 0xfeed, 9)			// the store did not happen
	movl r20 = misses;;
	ld8 r21 = [r20];;
	EXPECT(r21, 1, 10)			// still in the TC
	tpa r17 = r13;;
	EXPECT(r17, ropage + 8, 11)
	movl r15 = VA_RO
	mov r16 = 12 << 2;;
	ptc.l r15, r16;;
	srlz.d;;
	ld8 r14 = [r13];;			// purged: misses again
	EXPECT(r14, 0xfeed, 12)
	ld8 r21 = [r20];;
	EXPECT(r21, 2, 13)
	br.cond.sptk.few test_pass;;

	TEST_EXITS

	.align 32768
ivt:
	.org ivt + 0x1000			// Alternate Data TLB
	mov r16 = cr.ifa
	movl r17 = misses;;
	ld8 r18 = [r17];;
	adds r18 = 1, r18;;
	st8 [r17] = r18
	movl r19 = ropage + PTE_RO		// ropage is page aligned
	mov r20 = 12 << 2;;
	mov cr.itir = r20;;
	ld8 r21 = [r17];;			// translated by the TR: cr.itir stays
	itc.d r19;;
	srlz.d;;
	rfi;;
	.org ivt + 0x5300			// Data Access Rights
	mov r16 = cr.ifa
	mov r17 = cr.isr
	movl r18 = rights;;
	ld8 r19 = [r18];;
	adds r19 = 1, r19;;
	st8 [r18] = r19, 8;;
	st8 [r18] = r16, 8
	extr.u r17 = r17, 33, 1;;		// isr.w
	st8 [r18] = r17
	mov r23 = cr.ipsr
	mov r24 = cr.iip;;			// skip the store: next slot
	extr.u r25 = r23, 41, 2;;
	cmp.eq p6, p7 = 2, r25;;
	(p7) adds r25 = 1, r25
	(p6) mov r25 = 0
	(p6) adds r24 = 16, r24;;
	dep r23 = r25, r23, 41, 2;;
	mov cr.ipsr = r23
	mov cr.iip = r24;;
	rfi;;
	.org ivt + 0x7f00

	.data
	.align 8
word:	data8 0x1234
misses:	data8 0
rights:	data8 0, 0, 0
	.align 4096
ropage:	data8 0, 0xfeed
