// A TLB miss taken with PSR.ic = 0 is a Data Nested TLB fault (vector
// 0x1400) and leaves every interruption register as the first fault set
// it: ISR, IFA, ITIR, IHA, IIP, IPSR, IFS (SDM vol 2, Data Nested TLB
// vector). Linux's page_fault reads the original cr.isr after
// nested_dtlb_miss has run. Here a store misses (Alternate Data TLB, ISR.w,
// region 0); its handler, still in virtual data mode, loads from region 1
// (another rid and page size) and nests; the nested handler checks the CRs,
// returns to the handler through r29 (as Linux does with r30); the handler
// inserts the original translation from the untouched cr.ifa/cr.itir and
// rfi's back to the store.
#include "ia64test.h"

#define VA0 0x0000000000650018		// region 0: the store (identity mapped below)
#define VA1 0x2000000000345000		// region 1: the nested load
#define PTE_FLAGS ((1 << 0) | (1 << 5) | (1 << 6) | (2 << 9))	// p, a, d, ar = RW

	.text
	.global _start
_start:
	movl r2 = ivt;;
	mov cr.iva = r2
	movl r3 = (5 << 8) | (16 << 2) | 1	// rr1: rid 5, 64 KiB pages
	movl r4 = VA1;;
	mov rr[r4] = r3;;
	srlz.d
	mov r4 = psr;;
	dep r4 = -1, r4, 17, 1;;		// PSR.dt
	dep r4 = -1, r4, 13, 1;;		// PSR.ic
	mov cr.ipsr = r4
	movl r5 = virt;;
	mov cr.iip = r5
	mov cr.ifs = r0;;
	rfi;;
virt:
	movl r10 = VA0
	movl r11 = 0x600dfeedfacecafe;;
	st8 [r10] = r11;;			// misses, nests in the handler, retried
	ld8 r12 = [r10];;
	EXPECT(r12, 0x600dfeedfacecafe, 1)
	EXPECT(r14, 1, 2)			// one Alternate Data TLB fault
	EXPECT(r15, 1, 3)			// one Data Nested TLB fault
	br.cond.sptk.few test_pass;;

test_pass:
	mov r30 = 0;;
test_fail:
	rsm 0x20000;;				// PSR.dt off: the halt device is physical
	srlz.d;;
	HALT_REG(r30)

	.align 32768
ivt:
	.org ivt + 0x1000			// Alternate Data TLB (bank 0, ic = 0, dt = 1)
	adds r14 = 1, r14
	mov r16 = cr.isr
	mov r17 = cr.ifa
	mov r18 = cr.itir
	mov r19 = cr.iha
	mov r20 = cr.iip
	mov r21 = cr.ipsr
	mov r22 = cr.ifs;;
	tbit.nz p6, p0 = r16, 33;;		// ISR.w: the store
	EXPECT_P(p6, 10)
	movl r23 = VA0;;
	EXPECT(r17, VA0, 11)
	movl r24 = VA1
	movl r29 = 1f;;
	ld8 r25 = [r24];;			// no translation, PSR.ic = 0: nests
	mov r30 = 12				// the nested handler did not run
	br.cond.sptk.few test_fail;;
1:	movl r26 = VA0 & ~0x3fff;;		// identity map the 16 KiB page
	movl r27 = PTE_FLAGS;;
	or r26 = r26, r27;;
	itc.d r26;;				// at cr.ifa, size cr.itir: the first fault's
	srlz.d;;
	rfi;;

	.org ivt + 0x1400			// Data Nested TLB
	adds r15 = 1, r15
	mov r23 = cr.isr;;
	cmp.ne p6, p0 = r23, r16
	mov r30 = 20
	(p6) br.cond.dpnt.few test_fail
	mov r23 = cr.ifa;;
	cmp.ne p6, p0 = r23, r17
	mov r30 = 21
	(p6) br.cond.dpnt.few test_fail
	mov r23 = cr.itir;;
	cmp.ne p6, p0 = r23, r18
	mov r30 = 22
	(p6) br.cond.dpnt.few test_fail
	mov r23 = cr.iha;;
	cmp.ne p6, p0 = r23, r19
	mov r30 = 23
	(p6) br.cond.dpnt.few test_fail
	br.cond.sptk.few nested_more;;

	.org ivt + 0x1800
nested_more:
	mov r23 = cr.iip;;
	cmp.ne p6, p0 = r23, r20
	mov r30 = 24
	(p6) br.cond.dpnt.few test_fail
	mov r23 = cr.ipsr;;
	cmp.ne p6, p0 = r23, r21
	mov r30 = 25
	(p6) br.cond.dpnt.few test_fail
	mov r23 = cr.ifs;;
	cmp.ne p6, p0 = r23, r22
	mov r30 = 26
	(p6) br.cond.dpnt.few test_fail
	mov b7 = r29;;
	br.cond.sptk.few b7;;
	.org ivt + 0x7f00
