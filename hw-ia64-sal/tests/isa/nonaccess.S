// Non-access instructions Linux's boot meets (SDM vol 3 lfetch, probe,
// invala, mov dbr/ibr): lfetch never faults and updates its base; a NaT
// base is no fault for lfetch but a Register NaT Consumption for
// lfetch.fault; in virtual mode lfetch.fault takes the TLB fault a load
// would, with ISR.na and code 4 (LFETCH), and the handler skips it as
// Linux's ia64_do_page_fault does, by setting ipsr.ed and returning to it;
// PSR.ed lasts one instruction. probe.r/w give 1/0 from the page's rights at
// max(pl, cpl); probe.w.fault on a read-only page is a Data Access Rights
// fault with ISR.na, ISR.w and code 5; a regular probe of an unmapped page
// takes the TLB fault (code 2). invala.e executes; dbr/ibr keep what is
// written, index 8 is a Reserved Register/Field fault.
#include "ia64test.h"

#define PTE_RWX ((1 << 0) | (1 << 5) | (1 << 6) | (3 << 9))		// p, a, d, RWX
#define PTE_UC_RW ((1 << 0) | (4 << 2) | (1 << 5) | (1 << 6) | (2 << 9))
#define PTE_RO ((1 << 0) | (1 << 5))					// p, a, read-only, pl 0
#define VA_RO 0x4000000000010000					// region 2, a DTR
#define VA_NONE 0x6000000000020000					// region 3, unmapped

	.text
	.global _start
_start:
	movl r2 = ivt;;
	mov cr.iva = r2
	mov r14 = 0;;				// NaT consumption faults
	// physical mode: lfetch never faults, the base moves
	mov r10 = 1;;
	ld8.s r9 = [r10];;			// a NaT (misaligned speculative load)
	lfetch [r9], 16;;
	tnat.nz p6, p0 = r9;;
	EXPECT_P(p6, 1)				// still a NaT after the update
	movl r3 = 0x123456;;
	lfetch.nt1 [r3], 8;;
	EXPECT(r3, 0x12345e, 2)
	mov r4 = -16;;
	lfetch.excl.nta [r3], r4;;
	EXPECT(r3, 0x12344e, 3)
	lfetch.fault.excl.nt2 [r3], -8;;	// PSR.dt = 0: nothing to fault on
	EXPECT(r3, 0x123446, 4)
	EXPECT(r14, 0, 5)
	movl r13 = natbase + 16			// PSR.ic = 0: handlers resume at r13
	.align 16
natbase: { .mii; lfetch.fault [r9]; nop.i 0; nop.i 0;; }
	EXPECT(r14, 1, 6)			// Register NaT Consumption
	invala.e r5
	invala.e f6;;
	// breakpoint registers: kept, index 8 reserved
	mov r5 = 3
	movl r6 = 0x8000000000001234;;
	mov dbr[r5] = r6
	mov r7 = 0x77;;
	mov ibr[r5] = r7;;
	mov r8 = dbr[r5];;
	EXPECT(r8, 0x8000000000001234, 7)
	mov r8 = ibr[r5];;
	EXPECT(r8, 0x77, 8)
	mov r5 = 8
	movl r13 = badbr + 16
	.align 16
badbr:	{ .mii; mov dbr[r5] = r6; nop.i 0; nop.i 0;; }
	EXPECT(r14, 0x101, 9)			// Reserved Register/Field counted in r14{8}
	probe.rw.fault r3, 0;;			// PSR.dt = 0: the fault form does nothing

	// virtual mode: program and data identity-mapped by TRs, VA_RO read-only
	mov r3 = 24 << 2;;
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
	movl r6 = VA_RO;;
	mov cr.ifa = r6
	movl r4 = ropage + PTE_RO
	mov r5 = 2;;
	itr.d dtr[r5] = r4;;
	srlz.i;;
	mov r7 = psr;;
	dep r7 = -1, r7, 13, 1;;		// ic
	dep r7 = -1, r7, 17, 1;;		// dt
	dep r7 = -1, r7, 36, 1;;		// it
	dep r7 = -1, r7, 44, 1;;		// bn
	mov cr.ipsr = r7
	movl r8 = virt;;
	mov cr.iip = r8
	mov cr.ifs = r0;;
	rfi;;

virt:
	movl r13 = VA_RO;;
	probe.r r20 = r13, 0
	probe.w r21 = r13, 0;;
	EXPECT(r20, 1, 20)
	EXPECT(r21, 0, 21)
	mov r2 = 3;;
	probe.r r20 = r13, r2;;			// pl 3 may not read a pl 0 page
	EXPECT(r20, 0, 22)
	probe.r.fault r13, 0;;			// allowed: nothing happens
	.align 16
wfault:	{ .mii; probe.w.fault r13, 0; nop.i 0; nop.i 0;; }
	movl r20 = rights;;
	ld8 r21 = [r20], 8;;
	EXPECT(r21, 1, 23)
	ld8 r21 = [r20], 8;;
	EXPECT(r21, VA_RO, 24)			// cr.ifa
	ld8 r21 = [r20];;
	movl r22 = (1 << 35) | (1 << 33) | 5;;	// isr.na, isr.w, code PROBE_FAULT
	and r21 = r21, r22;;
	EXPECT(r21, (1 << 35) | (1 << 33) | 5, 25)
	// lfetch to an unmapped page: the plain form ignores it
	movl r15 = VA_NONE;;
	lfetch [r15];;
	movl r20 = misses;;
	ld8 r21 = [r20];;
	EXPECT(r21, 0, 26)
	// lfetch.fault: Alternate Data TLB, the handler sets ipsr.ed and retries
	.align 16
lf:	{ .mii; lfetch.fault [r15], 32; nop.i 0; nop.i 0;; }
	ld8 r21 = [r20], 8;;
	EXPECT(r21, 1, 27)			// one fault, then deferred
	ld8 r21 = [r20], 8;;
	EXPECT(r21, VA_NONE, 28)
	ld8 r21 = [r20];;
	movl r22 = (1 << 35) | (1 << 34) | 0xf;;
	and r21 = r21, r22;;
	EXPECT(r21, (1 << 35) | (1 << 34) | 4, 29)	// isr.na, isr.r, code LFETCH
	movl r22 = VA_NONE + 32;;
	cmp.ne p6, p0 = r15, r22;;		// the deferred lfetch updated its base
	(p6) mov r30 = 30
	(p6) br.cond.dpnt.few test_fail;;
	movl r15 = VA_NONE;;
	// PSR.ed lasted one instruction: the next lfetch.fault faults again
	.align 16
lf2:	{ .mii; lfetch.fault [r15]; nop.i 0; nop.i 0;; }
	movl r20 = misses;;
	ld8 r21 = [r20];;
	EXPECT(r21, 2, 31)
	// a regular probe of an unmapped page takes the TLB fault (code PROBE)
	.align 16
pr:	{ .mii; probe.r r23 = r15, 0; nop.i 0; nop.i 0;; }
	ld8 r21 = [r20], 16;;
	EXPECT(r21, 3, 32)
	ld8 r21 = [r20];;
	movl r22 = (1 << 35) | (1 << 34) | 0xf;;
	and r21 = r21, r22;;
	EXPECT(r21, (1 << 35) | (1 << 34) | 2, 33)
	br.cond.sptk.few test_pass;;

	TEST_EXITS

	.align 32768
ivt:
	.org ivt + 0x1000			// Alternate Data TLB
	movl r17 = misses;;
	ld8 r18 = [r17];;
	adds r18 = 1, r18;;
	st8 [r17] = r18, 8
	mov r16 = cr.ifa;;
	st8 [r17] = r16, 8
	mov r19 = cr.isr;;
	st8 [r17] = r19
	extr.u r19 = r19, 0, 4;;
	cmp.eq p6, p7 = 4, r19			// lfetch: retry with ipsr.ed, as Linux does
	mov r23 = cr.ipsr;;
	(p6) dep r23 = -1, r23, 43, 1
	mov r24 = cr.iip;;
	(p7) adds r24 = 16, r24;;		// anything else: skip the bundle
	mov cr.ipsr = r23
	mov cr.iip = r24;;
	rfi;;
	.org ivt + 0x5300			// Data Access Rights
	mov r16 = cr.ifa
	mov r17 = cr.isr
	movl r18 = rights;;
	ld8 r19 = [r18];;
	adds r19 = 1, r19;;
	st8 [r18] = r19, 8;;
	st8 [r18] = r16, 8;;
	st8 [r18] = r17
	mov r24 = cr.iip;;
	adds r24 = 16, r24;;			// skip the faulting bundle
	mov cr.iip = r24;;
	rfi;;
	.org ivt + 0x5400			// General Exception: Reserved Register/Field
	mov r16 = cr.isr;;
	extr.u r16 = r16, 4, 4;;
	cmp.eq p6, p0 = 3, r16;;
	(p6) adds r14 = 0x100, r14
	mov b7 = r13;;
	br.cond.sptk.few b7;;
	.org ivt + 0x5600			// Register NaT Consumption
	adds r14 = 1, r14
	mov b7 = r13;;
	br.cond.sptk.few b7;;
	.org ivt + 0x7f00

	.data
	.align 8
misses:	data8 0, 0, 0
rights:	data8 0, 0, 0
	.align 4096
ropage:	data8 0, 0xfeed
