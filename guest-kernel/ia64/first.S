// The first kernel of the IA-64 kdump lab: a small kernel that does what
// Linux/ia64 does on the way into kdump, with Linux's names where they
// exist (arch/ia64/kernel/{crash.c,machine_kexec.c,relocate_kernel.S,
// mca_asm.S,smpboot.c}).
//
// Boot: CPU 0 registers the OS_INIT monarch/slave entries and BOOT_RENDEZ
// with SAL_SET_VECTORS, goes to virtual mode (cpu_init: region registers,
// itr for region-5 text, dtr for region-7 identity data and region-6 I/O,
// its IVT, PSR through rfi), wakes the others with the AP_WAKEUP IPI,
// copies the capture system into Xs..Xe (kexec_load: the runner prepared
// the segments as kexec-tools does), routes the device through the
// IOSAPIC and writes the marker pages. Every CPU then waits for CFG_GO.
//
// Workload: each CPU loops with PSR.i as CFG_IRQOFF says; the fault CPU
// panics after CFG_PANIC_AFTER iterations (or the platform raises INIT).
//
// Stop (machine_crash_shutdown): CFG_STOP 0 = the seed's INIT-IPI to every
// CPU, itself last; 1 = Linux 6.1's stop IPI, then INIT to CPUs that did
// not answer. Every CPU saves its registers as an EM_IA_64 NT_PRSTATUS in
// its crash_notes buffer; the first CPU into the INIT handler (SAL's
// monarch; under stop 1 the panicking CPU, which owns kdump_in_progress)
// boots the capture kernel, the others stop.
//
// Register use: static registers only in the handlers (the interrupted
// values are in the min-state area or saved first); r12 = memory stack.
#include "layout.h"
#include "ia64/firmware.h"
#include "ia64/iosapic.h"

#define PSR_IC (1 << 13)
#define PSR_I (1 << 14)
#define PSR_DT (1 << 17)
#define PSR_RT (1 << 27)
#define PSR_MC (1 << 35)
#define PSR_IT (1 << 36)
#define PSR_BN (1 << 44)
#define PSR_VIRT (PSR_IC | PSR_DT | PSR_RT | PSR_IT | PSR_BN)
#define PTE_WB 0x661 /* present, WB, accessed, dirty, PL0, RWX */
#define PTE_UC 0x671 /* the same, uncacheable */
#define V7(x) (KD_R7 + (x))
#define V6(x) (KD_R6 + (x))
#define V5(x) (KD_R5 + (x))
#define CFG(f) V7(KD_CFG + (f))
#define INFO(f) V7(KD_INFO + (f))
#define SAPIC_INIT 0x500
#define CFM_MASK 0x3fffffffff

	.auto
	.text

// r = this CPU's number (cr.lid id field)
	.macro CPUID r
	mov \r = cr.lid;;
	extr.u \r = \r, 24, 8;;
	.endm

// r = base + 8 * cpu
	.macro PERCPU r, base, cpu
	movl \r = \base;;
	shladd \r = \cpu, 3, \r;;
	.endm

// r = the NT_PRSTATUS pr_reg area (elf_gregset_t) of cpu's crash_notes
	.macro PRREG r, cpu
	movl \r = V7(KD_NOTES + KD_NOTE_OFF + 20 + KD_PR_REG);;
	shl r30 = \cpu, 11;;
	add \r = \r, r30;;
	.endm

// Moves addr back over n registers of the backing store, stepping over
// the NaT collection slots (ia64_rse_skip_regs with a negative count).
	.macro RSE_SKIP_BACK addr, n, t
	cmp.eq p6, p0 = \n, r0
	(p6) br.cond.dpnt.few .Lskipd\@;;
.Lskip\@:
	adds \addr = -8, \addr;;
	extr.u \t = \addr, 3, 6;;
	cmp.eq p7, p0 = 0x3f, \t;;
	(p7) adds \addr = -8, \addr
	adds \n = -1, \n;;
	cmp.ne p6, p0 = \n, r0
	(p6) br.cond.sptk.few .Lskip\@;;
.Lskipd\@:
	.endm

// Sends an IPI: data to the CPU numbered cpu (id = cpu, eid = 0), through
// the processor interrupt block in region 6.
	.macro SEND_IPI cpu, data, t
	movl \t = V6(0xfee00000);;
	shl r31 = \cpu, 12;;
	add \t = \t, r31;;
	st8 [\t] = \data;;
	mf;;
	.endm

// Purges the whole TC by the PAL_PTCE_INFO loop (base, count[2],
// stride[2] from the block info points at), then the three TRs.
	.macro PURGE_TLB info
	ld8 r9 = [\info], 8;;
	ld8 r10 = [\info], 8;;
	ld8 r11 = [\info];;
	shr.u r14 = r10, 32
	zxt4 r15 = r10
	shr.u r16 = r11, 32
	zxt4 r17 = r11
	mov r18 = r9;;
.Lpo\@:	cmp.eq p6, p0 = r14, r0
	(p6) br.cond.dpnt.few .Lpd\@;;
	mov r19 = r15;;
.Lpi\@:	cmp.eq p7, p0 = r19, r0
	(p7) br.cond.dpnt.few .Lpn\@;;
	ptc.e r18;;
	add r18 = r18, r17
	adds r19 = -1, r19
	br.cond.sptk.few .Lpi\@;;
.Lpn\@:	add r18 = r18, r16
	adds r14 = -1, r14
	br.cond.sptk.few .Lpo\@;;
.Lpd\@:	srlz.i;;
	mov r2 = KD_TEXT_PS << 2
	movl r3 = V5(KD_KERNEL_PA);;
	ptr.i r3, r2;;
	mov r2 = KD_DATA_PS << 2
	movl r3 = KD_R7;;
	ptr.d r3, r2;;
	mov r2 = KD_IO_PS << 2
	movl r3 = V6(KD_IO_PA);;
	ptr.d r3, r2;;
	srlz.i;;
	.endm

// The application registers every save path takes live (slots 47..54 of
// elf_gregset_t: bspstore, rnat, ccv, unat, fpsr, pfs, lc, ec); p points
// at slot 47 on entry.
	.macro DUMP_AR p, pfs
	mov r2 = ar.bspstore;;
	st8 [\p] = r2, 8
	mov r2 = ar.rnat;;
	st8 [\p] = r2, 8
	mov r2 = ar.ccv;;
	st8 [\p] = r2, 8
	mov r2 = ar.unat;;
	st8 [\p] = r2, 8
	mov r2 = ar.fpsr;;
	st8 [\p] = r2, 8;;
	st8 [\p] = \pfs, 8
	mov r2 = ar.lc;;
	st8 [\p] = r2, 8
	mov r2 = ar.ec;;
	st8 [\p] = r2, 8
	.endm

// Marker pages: word i of the page with frame pfn holds
// dl_marker_word(seed, pfn, i) (harness/include/dumplab/marker.h). There
// is no integer multiply (xma is not modelled): products go by shifts and adds.
	.macro MULC dst, x, c, t1, t2
	mov \dst = 0
	mov \t1 = \x
	movl \t2 = \c;;
.Lmulc\@:
	tbit.nz p6, p0 = \t2, 0;;
	(p6) add \dst = \dst, \t1
	shl \t1 = \t1, 1
	shr.u \t2 = \t2, 1;;
	cmp.ne p7, p0 = \t2, r0
	(p7) br.cond.sptk.few .Lmulc\@;;
	.endm

// dst = x * (the constant whose 16 multiples are at tb), a nibble of x
// at a time from the top (Horner): 16 steps instead of 64.
	.macro MULT dst, x, tb, t1, t2, t3
	mov \dst = 0
	mov \t1 = 60;;
.Lmult\@:
	shr.u \t2 = \x, \t1;;
	and \t2 = 15, \t2;;
	shladd \t2 = \t2, 3, \tb;;
	ld8 \t3 = [\t2]
	shl \dst = \dst, 4;;
	add \dst = \dst, \t3
	cmp.ne p7, p0 = \t1, r0;;
	adds \t1 = -4, \t1
	(p7) br.cond.sptk.few .Lmult\@;;
	.endm

// 16 multiples of constant c at tb (t1, t2 scratch).
	.macro MULTIPLES tb, c, t1, t2, t3
	mov \t1 = 0
	movl \t2 = \c
	mov \t3 = 16;;
.Lmul16\@:
	st8 [\tb] = \t1, 8
	add \t1 = \t1, \t2
	adds \t3 = -1, \t3;;
	cmp.ne p7, p0 = \t3, r0
	(p7) br.cond.sptk.few .Lmul16\@;;
	.endm

// ---------------------------------------------------------------- boot

	.global _start
_start:					// CPU 0, physical mode, r28 = ia64_boot_param
	movl r2 = KD_INFO + INFO_BOOTPARAM;;
	st8 [r2] = r28
	mov ar.rsc = 0;;
	movl r2 = KD_STACKS;;		// CPU 0's backing store (physical for now)
	mov ar.bspstore = r2;;
	movl r12 = KD_STACKS + KD_STACK_SIZE - 16
	// SAL_SET_VECTORS(OS_INIT, monarch, gp, 0, slave, gp, 0), as
	// ia64_mca_init registers them, then BOOT_RENDEZ for the APs.
	alloc r40 = ar.pfs, 0, 1, 8, 0
	movl r9 = IA64_FW_SAL_PROC;;
	mov b6 = r9
	movl out0 = SAL_SET_VECTORS
	mov out1 = SAL_VECTOR_OS_INIT
	movl out2 = ia64_os_init_dispatch_monarch
	mov out3 = r1
	mov out4 = r0
	movl out5 = ia64_os_init_dispatch_slave
	mov out6 = r1
	mov out7 = r0;;
	br.call.sptk.many b0 = b6
	nop.m 0				// returns land on the next bundle
	cmp.ne p6, p0 = r8, r0
	(p6) br.cond.dpnt.few boot_fail;;
	movl r9 = IA64_FW_SAL_PROC;;
	mov b6 = r9
	movl out0 = SAL_SET_VECTORS
	mov out1 = SAL_VECTOR_OS_BOOT_RENDEZ
	movl out2 = start_ap
	mov out3 = r1
	mov out4 = r0
	mov out5 = r0
	mov out6 = r0
	mov out7 = r0;;
	br.call.sptk.many b0 = b6
	nop.m 0				// returns land on the next bundle
	cmp.ne p6, p0 = r8, r0
	(p6) br.cond.dpnt.few boot_fail;;
	alloc r2 = ar.pfs, 0, 0, 0, 0;;
	mov r8 = r0
	movl r23 = bsp_main;;
	br.cond.sptk.few cpu_init;;

boot_fail:
	movl r2 = 0xfff10000;;		// physical: halt the machine, code 0xb00f
	movl r3 = 0xb00f;;
	st8 [r2] = r3;;
1:	br.cond.sptk.few 1b;;

	.global start_ap
start_ap:				// BOOT_RENDEZ: an AP, physical mode
	CPUID r8
	mov ar.rsc = 0;;
	movl r2 = KD_STACKS;;
	shl r3 = r8, 15;;		// KD_STACK_SIZE
	add r2 = r2, r3;;
	mov ar.bspstore = r2;;
	movl r23 = ap_main;;
	br.cond.sptk.few cpu_init;;

// cpu_init: r8 = CPU number (kept in r24), r23 = where to continue (physical address of
// code; it continues in region 5). Physical mode, PSR.ic = 0 on entry.
cpu_init:
	mov r24 = r8			// PAL returns in r8..r11
	// PAL_PTCE_INFO once per CPU, kept for the purge before the capture
	// kernel runs (Linux keeps it in cpuinfo_ia64.ptce_*).
	mov r28 = PAL_PTCE_INFO
	movl r2 = IA64_FW_PAL_PROC;;
	mov b6 = r2
	movl r3 = 1f;;
	mov b0 = r3
	br.cond.sptk.few b6;;
1:	movl r2 = KD_INFO + INFO_PTCE;;
	shl r3 = r24, 5;;
	add r2 = r2, r3;;
	st8 [r2] = r9, 8;;		// base
	st8 [r2] = r10, 8;;		// count[0] << 32 | count[1]
	st8 [r2] = r11;;		// stride[0] << 32 | stride[1]
	// Memory stack and backing store, now as region-7 addresses.
	movl r2 = V7(KD_STACKS);;
	shl r3 = r24, 15;;
	add r2 = r2, r3;;
	mov ar.rsc = 0;;
	mov ar.bspstore = r2;;
	movl r3 = KD_STACK_SIZE - 16;;
	add r12 = r2, r3
	// Region registers: rid = region number, preferred page size.
	movl r14 = (5 << 8) | (14 << 2)
	movl r15 = KD_R5;;
	mov rr[r15] = r14
	movl r14 = (6 << 8) | (KD_IO_PS << 2)
	movl r15 = KD_R6;;
	mov rr[r15] = r14
	movl r14 = (7 << 8) | (KD_DATA_PS << 2)
	movl r15 = KD_R7;;
	mov rr[r15] = r14;;
	srlz.d;;
	// itr[0]: region-5 text; dtr[0]: region-7 identity RAM; dtr[1]: I/O.
	mov r16 = KD_TEXT_PS << 2;;
	mov cr.itir = r16
	movl r17 = V5(KD_KERNEL_PA);;
	mov cr.ifa = r17
	movl r18 = KD_KERNEL_PA | PTE_WB
	mov r19 = 0;;
	itr.i itr[r19] = r18;;
	srlz.i;;
	mov r16 = KD_DATA_PS << 2;;
	mov cr.itir = r16
	movl r17 = KD_R7;;
	mov cr.ifa = r17
	movl r18 = PTE_WB;;
	itr.d dtr[r19] = r18;;
	mov r16 = KD_IO_PS << 2;;
	mov cr.itir = r16
	movl r17 = V6(KD_IO_PA);;
	mov cr.ifa = r17
	movl r18 = KD_IO_PA | PTE_UC
	mov r19 = 1;;
	itr.d dtr[r19] = r18;;
	srlz.d;;
	movl r20 = V5(ivt);;
	mov cr.iva = r20
	mov cr.tpr = r0
	mov cr.ifs = r0
	movl r21 = PSR_VIRT;;
	mov cr.ipsr = r21
	movl r22 = KD_R5;;
	add r22 = r22, r23;;
	mov cr.iip = r22;;
	srlz.i;;
	rfi;;

bsp_main:				// CPU 0, virtual mode
	br.call.sptk.many b6 = vmcoreinfo_init
	nop.m 0				// returns land on the next bundle
	movl r20 = INFO(1024)		// multiples of the marker mixers, for all CPUs
	movl r21 = INFO(1024 + 128);;
	MULTIPLES r20, 0xBF58476D1CE4E5B9, r9, r10, r3
	MULTIPLES r21, 0x94D049BB133111EB, r9, r10, r3
	// Wake the APs (smp_boot_cpus): AP_WAKEUP vector to each.
	movl r2 = CFG(CFG_NCPUS);;
	ld8 r4 = [r2]
	mov r5 = 1;;
1:	cmp.ltu p6, p0 = r5, r4;;
	(p6) mov r6 = IA64_FW_AP_WAKEUP_VECTOR
	(p6) br.cond.sptk.few 2f;;
	br.cond.sptk.few kexec_load;;
2:	SEND_IPI r5, r6, r7
	adds r5 = 1, r5
	br.cond.sptk.few 1b;;

// kexec_load: copy the segments the runner staged (as kexec-tools would
// hand them to the kernel) into the reserved region. Each must lie in
// Xs..Xe, as the kernel's sanity_check_segment_list demands.
kexec_load:
	movl r2 = V7(KD_STAGE);;
	ld8 r3 = [r2], 8;;		// count
	cmp.ltu p6, p0 = KD_MAX_SEGS, r3
	(p6) br.cond.dpnt.few kexec_fail;;
1:	cmp.eq p6, p0 = r3, r0
	(p6) br.cond.dpnt.few 9f;;
	ld8 r4 = [r2], 8;;		// src (physical)
	ld8 r5 = [r2], 8;;		// dst (physical)
	ld8 r6 = [r2], 8;;		// len
	movl r7 = KD_XS;;
	cmp.ltu p6, p0 = r5, r7
	(p6) br.cond.dpnt.few kexec_fail;;
	add r9 = r5, r6
	movl r7 = KD_XE;;
	cmp.ltu p6, p0 = r7, r9
	(p6) br.cond.dpnt.few kexec_fail;;
	movl r7 = KD_R7;;
	add r4 = r4, r7
	add r5 = r5, r7
	shr.u r6 = r6, 3;;		// 8-byte words
2:	cmp.eq p6, p0 = r6, r0
	(p6) br.cond.dpnt.few 3f;;
	ld8 r9 = [r4], 8;;
	st8 [r5] = r9, 8
	adds r6 = -1, r6
	br.cond.sptk.few 2b;;
3:	adds r3 = -1, r3
	br.cond.sptk.few 1b;;
9:	movl r2 = INFO(INFO_LOADED)
	mov r3 = 1;;
	st8.rel [r2] = r3
	br.cond.sptk.few iosapic_setup;;
kexec_fail:
	movl r2 = V6(0xfff10000)
	movl r3 = 0xb010;;
	st8 [r2] = r3;;
1:	br.cond.sptk.few 1b;;

// The device's line 0: vector KD_DEV_VECTOR to CFG_DEV_CPU, unmasked.
iosapic_setup:
	movl r2 = V6(IA64_IOSAPIC_BASE)
	movl r3 = V6(IA64_IOSAPIC_BASE + IOSAPIC_WINDOW)
	movl r4 = CFG(CFG_DEV_CPU);;
	ld8 r4 = [r4]
	mov r5 = IOSAPIC_RTE_HIGH(0);;
	st4 [r2] = r5;;
	shl r4 = r4, 24;;
	st4 [r3] = r4;;
	mov r5 = IOSAPIC_RTE_LOW(0);;
	st4 [r2] = r5;;
	mov r6 = KD_DEV_VECTOR;;
	st4 [r3] = r6;;
	mov r8 = 0
	br.cond.sptk.few ready;;

ap_main:				// an AP, virtual mode
	CPUID r8
	br.cond.sptk.few ready;;

// Every CPU: count in, wait for the runner's go, then run the workload.
ready:
	alloc r32 = ar.pfs, 0, 6, 1, 0	// a frame of our own: cfm is not empty
	CPUID r33
	// This CPU's share of the marker pages: cpu, cpu + n, ...
	movl r20 = INFO(1024)
	movl r21 = INFO(1024 + 128)
	movl r2 = CFG(CFG_NMARKERS);;
	ld8 r22 = [r2]
	movl r2 = CFG(CFG_NCPUS);;
	ld8 r23 = [r2]
	movl r2 = CFG(CFG_SEED);;
	ld8 r5 = [r2]
	mov r4 = r33;;
	cmp.ltu p6, p0 = KD_MAX_MARKERS, r22;;
	(p6) mov r22 = KD_MAX_MARKERS
1:	cmp.leu p6, p0 = r22, r4
	(p6) br.cond.dpnt.few 3f;;
	movl r6 = V7(KD_MARKERS)
	shl r7 = r4, 12;;
	add r6 = r6, r7
	movl r3 = KD_MARKERS;;
	add r7 = r7, r3;;
	shr.u r7 = r7, 12;;		// pfn
	MULC r8, r7, 0x9E3779B97F4A7C15, r9, r10
	xor r8 = r8, r5			// seed ^ pfn * C1
	mov r11 = r0			// i * C2, by addition
	movl r14 = 0xD1B54A32D192ED03
	mov r15 = 512;;
2:	xor r16 = r8, r11;;
	shr.u r17 = r16, 30;;
	xor r16 = r16, r17;;
	MULT r17, r16, r20, r9, r10, r3
	shr.u r16 = r17, 27;;
	xor r16 = r16, r17;;
	MULT r17, r16, r21, r9, r10, r3
	shr.u r16 = r17, 31;;
	xor r16 = r16, r17;;
	st8 [r6] = r16, 8
	add r11 = r11, r14
	adds r15 = -1, r15;;
	cmp.ne p6, p0 = r15, r0
	(p6) br.cond.sptk.few 2b;;
	add r4 = r4, r23
	br.cond.sptk.few 1b;;
3:
	movl r2 = INFO(INFO_PANIC_CALL)
	movl r3 = panic_call;;
	st8 [r2] = r3
	movl r2 = INFO(INFO_READY);;
	fetchadd8.rel r3 = [r2], 1
	movl r2 = CFG(CFG_GO);;
1:	ld8.acq r3 = [r2];;
	cmp.eq p6, p0 = r3, r0
	(p6) br.cond.sptk.few 1b;;
	movl r2 = CFG(CFG_IRQOFF);;
	ld8 r3 = [r2];;
	shr.u r3 = r3, r33;;
	tbit.nz p6, p7 = r3, 0;;
	(p6) rsm PSR_I
	(p7) ssm PSR_I;;
	srlz.d
	PERCPU r34, INFO(INFO_COUNT), r33
	movl r2 = CFG(CFG_FAULT_CPU);;
	ld8 r35 = [r2]
	movl r2 = CFG(CFG_FAULT);;
	ld8 r36 = [r2]
	movl r2 = CFG(CFG_PANIC_AFTER);;
	ld8 r37 = [r2];;
	cmp.eq p8, p0 = r33, r35;;	// p8: this CPU panics (fault = panic)
	(p8) cmp.eq p8, p0 = r36, r0
workload:
	mov out0 = r34
	br.call.sptk.many b0 = workload_step
	nop.m 0				// returns land on the next bundle
	ld8 r3 = [r34];;
	(p8) cmp.eq.unc p10, p0 = r3, r37;;
	(p10) br.cond.dpnt.few panic_call;;
	br.cond.sptk.few workload;;
	.align 16
panic_call:				// the bundle the panicking CPU calls panic from
	br.call.sptk.many b0 = panic
	nop.m 0				// returns land on the next bundle
	br.cond.sptk.few workload;;

// One iteration: a frame of its own (so INIT finds CPUs in either frame).
workload_step:
	alloc r34 = ar.pfs, 1, 2, 0, 0
	ld8 r33 = [r32];;
	adds r33 = 1, r33;;
	st8 [r32] = r33
	mov ar.pfs = r34
	br.ret.sptk.many b0;;

// ----------------------------------------------------------- the panic

// machine_crash_shutdown, on the CPU that panics (virtual mode).
panic:
	mov r16 = ar.pfs		// the caller's frame marker
	mov r17 = ar.bsp		// its bsp plus its locals
	mov r18 = b0
	mov r19 = psr
	CPUID r20
	movl r2 = CFG(CFG_VARIANT);;
	ld8 r3 = [r2];;
	tbit.nz p6, p0 = r3, 1;;	// KD_VAR_NO_IOSAPIC_MASK
	(p6) br.cond.dpnt.few 1f;;
	br.call.sptk.many b6 = kexec_disable_iosapic
	nop.m 0				// returns land on the next bundle
1:	rsm PSR_I;;			// local_irq_disable
	srlz.d
	movl r2 = CFG(CFG_STOP);;
	ld8 r3 = [r2];;
	cmp.ne p6, p0 = r3, r0
	(p6) br.cond.dpnt.few crash_stop_ipi;;
	// The seed: INIT-IPI to every CPU, this one included (last, so that
	// the others are on their way before it enters the handler).
	movl r2 = CFG(CFG_NCPUS);;
	ld8 r4 = [r2]
	mov r5 = 0
	movl r6 = SAPIC_INIT;;
2:	cmp.eq p6, p0 = r5, r4
	(p6) br.cond.dpnt.few 3f;;
	cmp.eq p7, p0 = r5, r20
	(p7) br.cond.dpnt.few 4f;;
	SEND_IPI r5, r6, r7
4:	adds r5 = 1, r5
	br.cond.sptk.few 2b;;
3:	SEND_IPI r20, r6, r7
5:	br.cond.sptk.few 5b;;		// the INIT takes this CPU from here

// Linux 6.1: mask INIT here (ia64_set_psr_mc), stop IPI to the others,
// wait, INIT to the CPUs that did not answer, wait, then kexec.
crash_stop_ipi:
	rsm PSR_IC;;
	srlz.d
	movl r2 = PSR_VIRT | PSR_MC;;
	mov cr.ipsr = r2
	movl r3 = KD_R5 + crash_mc_set;;
	mov cr.iip = r3
	mov cr.ifs = r0;;
	srlz.i;;
	rfi;;
crash_mc_set:
	movl r2 = INFO(INFO_IN_PROGRESS);;
	fetchadd8.acq r3 = [r2], 1;;
	cmp.ne p6, p0 = r3, r0		// a second crasher freezes
	(p6) br.cond.dpnt.few kdump_cpu_freeze;;
	// Our own registers, as the caller of panic had them.
	PRREG r21, r20
	adds r22 = 8, r21;;
	st8 [r22] = r1, 8;;
	.irp r, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, r13, r14, r15, r16, r17, r18, r19, r20, r21, r22, r23, r24, r25, r26, r27, r28, r29, r30, r31
	st8 [r22] = \r, 8;;
	.endr
	mov r2 = pr
	adds r22 = 8 * 32, r21;;
	st8 [r22] = r0, 8;;		// NaT bits: none
	st8 [r22] = r2, 8;;
	st8 [r22] = r18, 8;;		// b0
	.irp b, b1, b2, b3, b4, b5, b6, b7
	mov r2 = \b;;
	st8 [r22] = r2, 8;;
	.endr
	movl r2 = INFO(INFO_PANIC_CALL);;
	ld8 r2 = [r2];;
	movl r3 = KD_R5;;
	add r2 = r2, r3;;
	st8 [r22] = r2, 8;;		// ip: the bundle that called panic
	movl r3 = CFM_MASK;;
	and r4 = r16, r3;;
	st8 [r22] = r4, 8;;		// cfm: the caller's frame
	st8 [r22] = r19, 8;;		// psr
	extr.u r5 = r4, 7, 7;;		// sol of the caller
	mov r6 = r17;;
	RSE_SKIP_BACK r6, r5, r7
	mov r2 = ar.rsc;;
	st8 [r22] = r2, 8;;
	st8 [r22] = r6, 8;;		// bsp of the caller's frame
	DUMP_AR r22, r16
	movl r2 = INFO(INFO_HANDLER)
	mov r3 = 3;;
	shladd r2 = r20, 3, r2;;
	st8 [r2] = r3
	mov r24 = r20
	br.call.sptk.many b6 = crash_save_this_cpu
	nop.m 0				// returns land on the next bundle
	// kdump_smp_send_stop: the stop IPI to every other CPU
	movl r2 = CFG(CFG_NCPUS);;
	ld8 r4 = [r2]
	mov r5 = 0
	mov r6 = KD_IPI_VECTOR;;
1:	cmp.eq p6, p0 = r5, r4
	(p6) br.cond.dpnt.few 3f;;
	cmp.eq p7, p0 = r5, r20
	(p7) br.cond.dpnt.few 2f;;
	SEND_IPI r5, r6, r7
2:	adds r5 = 1, r5
	br.cond.sptk.few 1b;;
3:	// kdump_wait_cpu_freeze: until every other CPU froze, or the bound
	adds r8 = -1, r4
	movl r2 = CFG(CFG_WAIT);;
	ld8 r9 = [r2]
	movl r10 = INFO(INFO_FROZEN);;
4:	ld8.acq r11 = [r10];;
	cmp.eq p6, p0 = r11, r8
	(p6) br.cond.dpnt.few machine_kexec;;
	adds r9 = -1, r9;;
	cmp.ne p6, p0 = r9, r0
	(p6) br.cond.sptk.few 4b;;
	// kdump_smp_send_init: INIT to the CPUs that did not answer
	mov r5 = 0
	movl r6 = SAPIC_INIT;;
5:	cmp.eq p6, p0 = r5, r4
	(p6) br.cond.dpnt.few 7f;;
	PERCPU r2, INFO(INFO_STATUS), r5
	ld8.acq r3 = [r2];;
	cmp.eq p7, p0 = r5, r20;;
	(p7) br.cond.dpnt.few 6f;;
	cmp.ne p7, p0 = r3, r0
	(p7) br.cond.dpnt.few 6f;;
	SEND_IPI r5, r6, r7
6:	adds r5 = 1, r5
	br.cond.sptk.few 5b;;
7:	movl r2 = CFG(CFG_WAIT);;
	ld8 r9 = [r2];;
8:	ld8.acq r11 = [r10];;
	cmp.eq p6, p0 = r11, r8
	(p6) br.cond.dpnt.few machine_kexec;;
	adds r9 = -1, r9;;
	cmp.ne p6, p0 = r9, r0
	(p6) br.cond.sptk.few 8b;;
	br.cond.sptk.few machine_kexec;;

// ------------------------------------------------------- OS_INIT entry

// SAL enters these in physical mode, PSR.bn = 1, PSR.mc = 1 (INIT held
// off), r17 = this CPU's min-state area (mca_asm.S's names).
	.align 16
	.global ia64_os_init_dispatch_monarch
ia64_os_init_dispatch_monarch:
	mov r19 = 1
	br.cond.sptk.few ia64_init_common;;
	.align 16
	.global ia64_os_init_dispatch_slave
ia64_os_init_dispatch_slave:
	mov r19 = 0
	br.cond.sptk.few ia64_init_common;;
ia64_init_common:
	cover;;				// as ia64_state_save does first
	mov r20 = ar.bsp		// the interrupted frame's bsp plus its sof
	adds r2 = MINSTATE_IFS, r17;;
	ld8 r21 = [r2];;
	and r22 = 0x7f, r21;;
	RSE_SKIP_BACK r20, r22, r23
	// VIRTUAL_MODE_ENTER: region 5 text, region 7 data, INIT still masked
	movl r2 = PSR_VIRT | PSR_MC;;
	mov cr.ipsr = r2
	movl r3 = KD_R5 + init_virtual;;
	mov cr.iip = r3
	mov cr.ifs = r0;;
	srlz.i;;
	rfi;;

init_virtual:
	CPUID r24
	PRREG r25, r24
	movl r26 = KD_R7;;
	add r26 = r26, r17;;		// min-state, region 7
	// r1..r15
	adds r2 = MINSTATE_GR1, r26
	adds r3 = 8, r25
	mov r4 = 15;;
1:	ld8 r5 = [r2], 8;;
	st8 [r3] = r5, 8
	adds r4 = -1, r4;;
	cmp.ne p6, p0 = r4, r0
	(p6) br.cond.sptk.few 1b;;
	// r16..r31 from the bank the interrupted code ran in
	adds r2 = MINSTATE_IPSR, r26;;
	ld8 r27 = [r2];;
	tbit.nz p6, p7 = r27, 44;;
	(p6) adds r2 = MINSTATE_BANK1, r26
	(p7) adds r2 = MINSTATE_BANK0, r26
	mov r4 = 16;;
2:	ld8 r5 = [r2], 8;;
	st8 [r3] = r5, 8
	adds r4 = -1, r4;;
	cmp.ne p6, p0 = r4, r0
	(p6) br.cond.sptk.few 2b;;
	ld8 r5 = [r26];;		// NaT bits
	st8 [r3] = r5, 8
	adds r2 = MINSTATE_PR, r26;;
	ld8 r5 = [r2];;
	st8 [r3] = r5, 8		// pr
	adds r2 = MINSTATE_BR0, r26;;
	ld8 r5 = [r2];;
	st8 [r3] = r5, 8		// b0
	adds r2 = MINSTATE_BR1, r26;;
	ld8 r5 = [r2];;
	st8 [r3] = r5, 8		// b1
	.irp b, b2, b3, b4, b5, b6, b7
	mov r5 = \b;;
	st8 [r3] = r5, 8
	.endr
	adds r2 = MINSTATE_IIP, r26;;
	ld8 r5 = [r2];;
	st8 [r3] = r5, 8		// ip: where INIT found the CPU
	movl r6 = CFM_MASK;;
	and r5 = r21, r6;;
	st8 [r3] = r5, 8		// cfm: the interrupted frame
	st8 [r3] = r27, 8		// psr
	adds r2 = MINSTATE_RSC, r26;;
	ld8 r5 = [r2];;
	st8 [r3] = r5, 8		// rsc
	st8 [r3] = r20, 8		// bsp, moved back over the frame
	mov r7 = ar.pfs;;
	DUMP_AR r3, r7
	movl r2 = INFO(INFO_HANDLER)
	mov r3 = 1;;
	shladd r2 = r24, 3, r2;;
	st8 [r2] = r3
	br.call.sptk.many b6 = crash_save_this_cpu
	nop.m 0				// returns land on the next bundle
	// kdump_init_notifier: the monarch, the first CPU SAL saw arrive,
	// boots the capture kernel (unless a panicking CPU already owns the
	// dump); the slaves freeze.
	cmp.eq p6, p0 = r19, r0
	(p6) br.cond.dpnt.few kdump_cpu_freeze;;
	movl r2 = INFO(INFO_IN_PROGRESS);;
	fetchadd8.acq r3 = [r2], 1;;
	cmp.ne p6, p0 = r3, r0
	(p6) br.cond.dpnt.few kdump_cpu_freeze;;
	// Wait (bounded) until every other CPU saved its registers and froze
	// (kdump_wait_cpu_freeze): nothing of theirs runs after the jump.
	movl r2 = CFG(CFG_NCPUS);;
	ld8 r4 = [r2]
	movl r2 = CFG(CFG_WAIT);;
	ld8 r9 = [r2]
	movl r10 = INFO(INFO_FROZEN);;
	adds r4 = -1, r4
3:	ld8.acq r11 = [r10];;
	cmp.eq p6, p0 = r11, r4
	(p6) br.cond.dpnt.few machine_kexec;;
	adds r9 = -1, r9;;
	cmp.ne p6, p0 = r9, r0
	(p6) br.cond.sptk.few 3b;;
	br.cond.sptk.few machine_kexec;;

// kdump_cpu_freeze: registers are saved; count in and stop for good. (Linux
// spins here; the model's per-CPU halt keeps the scheduler off it.)
kdump_cpu_freeze:
	movl r2 = INFO(INFO_FROZEN);;
	fetchadd8.rel r3 = [r2], 1
	movl r2 = V6(0xfff10008);;
	st8 [r2] = r0;;
1:	br.cond.sptk.few 1b;;

// crash_save_this_cpu: r24 = CPU whose pr_reg is filled in; writes the
// note header, zeroes the rest of elf_prstatus, the terminator, and
// reports the CPU saved (kdump_status). Scratch r2..r11; returns by b6.
crash_save_this_cpu:
	movl r2 = V7(KD_NOTES + KD_NOTE_OFF);;
	shl r3 = r24, 11;;
	add r2 = r2, r3;;		// the note
	mov r3 = 5;;
	st4 [r2] = r3, 4		// namesz ("CORE\0")
	mov r3 = KD_PRSTATUS_SIZE;;
	st4 [r2] = r3, 4		// descsz
	mov r3 = 1;;
	st4 [r2] = r3, 4		// NT_PRSTATUS
	movl r3 = 0x45524f43;;		// "CORE"
	st4 [r2] = r3, 4;;
	st4 [r2] = r0, 4;;		// NUL and padding; r2 = the descriptor
	mov r4 = 14
	mov r5 = r2;;
1:	st8 [r5] = r0, 8		// elf_prstatus up to pr_reg
	adds r4 = -1, r4;;
	cmp.ne p6, p0 = r4, r0
	(p6) br.cond.sptk.few 1b;;
	adds r5 = KD_PR_PID, r2
	adds r3 = 1, r24;;
	st4 [r5] = r3			// pr_pid: CPU number + 1
	adds r5 = KD_PR_REG, r2;;
	st8 [r5] = r0			// r0
	adds r5 = KD_PR_REG + 55 * 8, r2
	mov r4 = 128 - 55 + 1;;		// slots 55..127 and pr_fpvalid
2:	st8 [r5] = r0, 8
	adds r4 = -1, r4;;
	cmp.ne p6, p0 = r4, r0
	(p6) br.cond.sptk.few 2b;;
	movl r3 = KD_PRSTATUS_SIZE;;
	add r5 = r2, r3;;
	st4 [r5] = r0, 4;;		// the terminating empty note
	st4 [r5] = r0, 4;;
	st4 [r5] = r0;;
	mf;;
	PERCPU r2, INFO(INFO_STATUS), r24
	mov r3 = 1;;
	st8.rel [r2] = r3
	movl r2 = INFO(INFO_SAVED);;
	fetchadd8.rel r3 = [r2], 1;;
	br.ret.sptk.many b6;;

// kexec_disable_iosapic: mask every redirection entry. Returns by b6.
kexec_disable_iosapic:
	movl r2 = V6(IA64_IOSAPIC_BASE)
	movl r3 = V6(IA64_IOSAPIC_BASE + IOSAPIC_WINDOW)
	mov r4 = IOSAPIC_RTE_LOW(0)
	mov r5 = IOSAPIC_LINES;;
1:	st4 [r2] = r4;;
	ld4 r6 = [r3];;
	movl r7 = IOSAPIC_MASK;;
	or r6 = r6, r7;;
	st4 [r3] = r6;;
	adds r4 = 2, r4
	adds r5 = -1, r5;;
	cmp.ne p6, p0 = r5, r0
	(p6) br.cond.sptk.few 1b;;
	br.ret.sptk.many b6;;


// copy_str: the NUL-terminated string at r5 to r4 (both advance; the NUL
// is not copied). At most 256 bytes. Scratch r3, r6, p6. Returns by b7.
copy_str:
	mov r3 = 256;;
1:	ld1 r6 = [r5], 1;;
	cmp.eq p6, p0 = r6, r0
	(p6) br.ret.sptk.many b7;;
	st1 [r4] = r6, 1
	adds r3 = -1, r3;;
	cmp.ne p6, p0 = r3, r0
	(p6) br.cond.sptk.few 1b;;
	br.ret.sptk.many b7;;

// vmcoreinfo_init (crash_save_vmcoreinfo_init + update_vmcoreinfo_note):
// the VMCOREINFO note with what this kernel knows at boot. Returns by b6.
vmcoreinfo_init:
	movl r2 = V7(KD_VMCOREINFO)
	mov r3 = 11;;			// "VMCOREINFO" and its NUL
	st4 [r2] = r3, 8;;		// namesz; descsz below
	st4 [r2] = r0, 4;;		// type 0
	movl r5 = KD_R7 + vmci_name
	mov r4 = r2;;
	br.call.sptk.many b7 = copy_str
	nop.m 0				// returns land on the next bundle
	movl r4 = V7(KD_VMCOREINFO + 24)
	movl r5 = KD_R7 + vmci_text;;
	br.call.sptk.many b7 = copy_str
	nop.m 0				// returns land on the next bundle
	movl r5 = V7(KD_VMCOREINFO + 24);;
	sub r3 = r4, r5
	movl r2 = V7(KD_VMCOREINFO + 4);;
	st4 [r2] = r3
	br.ret.sptk.many b6;;

// crash_save_vmcoreinfo: appends "CRASHTIME=<ar.itc in decimal>\n" (the
// model has no clock of days; the ITC is its time). No divide: each digit
// by subtracting its power of ten. Scratch r2..r11, r14; returns by b6.
crash_save_vmcoreinfo:
	movl r2 = V7(KD_VMCOREINFO + 4);;
	ld4 r3 = [r2]
	movl r4 = V7(KD_VMCOREINFO + 24);;
	add r4 = r4, r3
	movl r5 = KD_R7 + vmci_crashtime;;
	br.call.sptk.many b7 = copy_str
	nop.m 0				// returns land on the next bundle
	mov r7 = ar.itc
	movl r8 = KD_R7 + pow10 + 19 * 8
	mov r9 = 20			// digits
	mov r10 = 0;;			// a digit was written
2:	ld8 r11 = [r8], -8
	mov r14 = 0;;
3:	cmp.ltu p6, p0 = r7, r11
	(p6) br.cond.dpnt.few 4f;;
	sub r7 = r7, r11
	adds r14 = 1, r14
	br.cond.sptk.few 3b;;
4:	cmp.ne p7, p0 = r14, r0
	cmp.eq p8, p0 = 1, r9;;
	(p7) mov r10 = 1
	(p8) mov r10 = 1;;
	cmp.eq p6, p0 = r10, r0
	(p6) br.cond.dpnt.few 5f;;
	adds r14 = 48, r14;;
	st1 [r4] = r14, 1
5:	adds r9 = -1, r9;;
	cmp.ne p6, p0 = r9, r0
	(p6) br.cond.sptk.few 2b;;
	mov r14 = 10;;
	st1 [r4] = r14, 1
	movl r5 = V7(KD_VMCOREINFO + 24);;
	sub r6 = r4, r5;;
	st4 [r2] = r6
	br.ret.sptk.many b6;;

// ----------------------------------------------------------- the switch

// ia64_machine_kexec on the capture CPU (virtual mode, PSR.i = 0).
machine_kexec:
	br.call.sptk.many b6 = crash_save_vmcoreinfo
	nop.m 0				// returns land on the next bundle
	CPUID r20
	movl r2 = INFO(INFO_CAPTURE_CPU);;
	st8 [r2] = r20
	movl r2 = CFG(CFG_VARIANT);;
	ld8 r3 = [r2];;
	tbit.nz p6, p0 = r3, 1;;	// KD_VAR_NO_IOSAPIC_MASK
	(p6) br.cond.dpnt.few 1f;;
	br.call.sptk.many b6 = kexec_disable_iosapic
	nop.m 0				// returns land on the next bundle
1:	mov cr.tpr = r0
	mov r4 = 16;;
2:	mov cr.eoi = r0;;		// whatever was in service
	adds r4 = -1, r4;;
	cmp.ne p6, p0 = r4, r0
	(p6) br.cond.sptk.few 2b;;
	srlz.d
	mov r4 = 256;;
3:	mov r5 = cr.ivr;;		// drain what is pending
	srlz.d
	cmp.eq p6, p0 = 15, r5
	(p6) br.cond.dpnt.few relocate_new_kernel;;
	mov cr.eoi = r0;;
	srlz.d
	adds r4 = -1, r4;;
	cmp.ne p6, p0 = r4, r0
	(p6) br.cond.sptk.few 3b;;

// relocate_new_kernel: interrupts and collection off, rfi to physical
// mode, THEN purge the TC (PAL_PTCE_INFO loop) and the TRs: the purge
// must not run while this code is still fetched through the itr.
relocate_new_kernel:
	rsm PSR_I | PSR_IC;;
	srlz.i;;
	PERCPU r8, INFO(INFO_PTCE), r20
	shladd r8 = r20, 3, r8;;	// + 32 * cpu in all
	shladd r8 = r20, 4, r8;;
	movl r2 = CFG(CFG_VARIANT);;
	ld8 r3 = [r2];;
	tbit.nz p6, p0 = r3, 0;;	// KD_VAR_PURGE_BEFORE_SWITCH
	(p6) br.cond.dpnt.few purge_too_early;;
	movl r2 = relocate_phys;;	// physical address of the code
	mov cr.iip = r2
	movl r3 = PSR_BN;;
	mov cr.ipsr = r3
	mov cr.ifs = r0;;
	srlz.i;;
	rfi;;				// psr.mc clears here: INIT unmasked
relocate_phys:
	movl r3 = KD_R7;;
	sub r8 = r8, r3;;		// the PTCE block, physical
	PURGE_TLB r8
	movl r2 = KD_CFG + CFG_CAP_ENTRY;;
	ld8 r3 = [r2]
	movl r2 = KD_CFG + CFG_CAP_BOOTPARAM;;
	ld8 r28 = [r2];;
	mov b6 = r3;;
	br.cond.sptk.few b6;;

// The variant the seed's ordering forbids: purge while still fetching
// through the itr. The next bundle fetch misses in the TLB.
purge_too_early:
	PURGE_TLB r8
	movl r2 = relocate_phys;;
	mov cr.iip = r2
	movl r3 = PSR_BN;;
	mov cr.ipsr = r3
	mov cr.ifs = r0;;
	srlz.i;;
	rfi;;

// ------------------------------------------------------------ the IVT

// External interrupt (bank 0, PSR.ic = 0): the kdump stop IPI freezes the
// CPU; the device's interrupt is counted and acknowledged.
ivt_extint:
	mov r31 = pr			// bank 0: the interrupted predicates, first
	mov r16 = cr.ivr;;
	srlz.d
	mov r17 = KD_IPI_VECTOR;;
	cmp.eq p6, p0 = r16, r17
	(p6) br.cond.dpnt.few kdump_ipi;;
	cmp.eq p6, p0 = 15, r16
	(p6) br.cond.dpnt.few 1f;;
	CPUID r17
	PERCPU r18, INFO(INFO_DEVIRQ), r17
	ld8 r19 = [r18];;
	adds r19 = 1, r19;;
	st8 [r18] = r19
	mov cr.eoi = r0;;
	srlz.d;;
1:	mov pr = r31, -1;;
	rfi;;

// The stop IPI (IPI_KDUMP_CPU_STOP): save the interrupted registers, then
// kdump_cpu_freeze. Only bank-0 r16..r31 are used until r1..r15 are saved.
kdump_ipi:
	CPUID r17
	PRREG r18, r17
	adds r19 = 8, r18;;
	.irp r, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, r13, r14, r15
	st8 [r19] = \r, 8;;
	.endr
	mov r2 = r18
	mov r3 = r17;;
	bsw.1;;				// the interrupted bank-1 r16..r31
	adds r4 = 16 * 8, r2;;
	.irp r, r16, r17, r18, r19, r20, r21, r22, r23, r24, r25, r26, r27, r28, r29, r30, r31
	st8 [r4] = \r, 8;;
	.endr
	bsw.0;;
	st8 [r4] = r0, 8		// NaT bits
	mov r5 = r31;;			// pr as ivt_extint found it
	st8 [r4] = r5, 8
	.irp b, b0, b1, b2, b3, b4, b5, b6, b7
	mov r5 = \b;;
	st8 [r4] = r5, 8
	.endr
	mov r5 = cr.iip;;
	st8 [r4] = r5, 8		// ip
	cover;;				// PSR.ic = 0: cr.ifs = the interrupted cfm
	mov r6 = cr.ifs
	mov r7 = ar.bsp;;
	movl r5 = CFM_MASK;;
	and r6 = r6, r5;;
	st8 [r4] = r6, 8		// cfm
	mov r5 = cr.ipsr;;
	st8 [r4] = r5, 8		// psr
	mov r5 = ar.rsc;;
	st8 [r4] = r5, 8
	and r8 = 0x7f, r6;;
	RSE_SKIP_BACK r7, r8, r9
	st8 [r4] = r7, 8		// bsp
	mov r10 = ar.pfs;;
	DUMP_AR r4, r10
	movl r5 = INFO(INFO_HANDLER)
	mov r6 = 2;;
	shladd r5 = r3, 3, r5;;
	st8 [r5] = r6
	mov r24 = r3
	br.call.sptk.many b6 = crash_save_this_cpu
	nop.m 0				// returns land on the next bundle
	br.cond.sptk.few kdump_cpu_freeze;;

// Anything else: record the vector and cr.iip, halt with 0x10000 | vector.
ivt_unexpected:
	movl r17 = INFO(600);;
	st8 [r17] = r16, 8
	mov r18 = cr.iip;;
	st8 [r17] = r18
	movl r17 = V6(0xfff10000)
	movl r18 = 0x10000;;
	or r18 = r18, r16;;
	st8 [r17] = r18;;
1:	br.cond.sptk.few 1b;;

	.align 32768
ivt:

	mov r16 = 0x0
	br.sptk.few ivt_unexpected;;
	.align 1024
	mov r16 = 0x400
	br.sptk.few ivt_unexpected;;
	.align 1024
	mov r16 = 0x800
	br.sptk.few ivt_unexpected;;
	.align 1024
	mov r16 = 0xc00
	br.sptk.few ivt_unexpected;;
	.align 1024
	mov r16 = 0x1000
	br.sptk.few ivt_unexpected;;
	.align 1024
	mov r16 = 0x1400
	br.sptk.few ivt_unexpected;;
	.align 1024
	mov r16 = 0x1800
	br.sptk.few ivt_unexpected;;
	.align 1024
	mov r16 = 0x1c00
	br.sptk.few ivt_unexpected;;
	.align 1024
	mov r16 = 0x2000
	br.sptk.few ivt_unexpected;;
	.align 1024
	mov r16 = 0x2400
	br.sptk.few ivt_unexpected;;
	.align 1024
	mov r16 = 0x2800
	br.sptk.few ivt_unexpected;;
	.align 1024
	mov r16 = 0x2c00
	br.sptk.few ivt_unexpected;;
	.align 1024
	br.sptk.few ivt_extint;;
	.align 1024
	mov r16 = 0x3400
	br.sptk.few ivt_unexpected;;
	.align 1024
	mov r16 = 0x3800
	br.sptk.few ivt_unexpected;;
	.align 1024
	mov r16 = 0x3c00
	br.sptk.few ivt_unexpected;;
	.align 1024
	mov r16 = 0x4000
	br.sptk.few ivt_unexpected;;
	.align 1024
	mov r16 = 0x4400
	br.sptk.few ivt_unexpected;;
	.align 1024
	mov r16 = 0x4800
	br.sptk.few ivt_unexpected;;
	.align 1024
	mov r16 = 0x4c00
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x5000
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x5100
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x5200
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x5300
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x5400
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x5500
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x5600
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x5700
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x5800
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x5900
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x5a00
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x5b00
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x5c00
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x5d00
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x5e00
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x5f00
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x6000
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x6100
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x6200
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x6300
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x6400
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x6500
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x6600
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x6700
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x6800
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x6900
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x6a00
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x6b00
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x6c00
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x6d00
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x6e00
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x6f00
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x7000
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x7100
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x7200
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x7300
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x7400
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x7500
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x7600
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x7700
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x7800
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x7900
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x7a00
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x7b00
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x7c00
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x7d00
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x7e00
	br.sptk.few ivt_unexpected;;
	.align 256
	mov r16 = 0x7f00
	br.sptk.few ivt_unexpected;;
	.align 256

	.data
	.align 8
pow10:	data8 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000
	data8 100000000, 1000000000, 10000000000, 100000000000, 1000000000000
	data8 10000000000000, 100000000000000, 1000000000000000, 10000000000000000
	data8 100000000000000000, 1000000000000000000, 10000000000000000000
vmci_name:	stringz "VMCOREINFO"
vmci_text:	stringz "OSRELEASE=6.1.0-dumplab-ia64-kdump64\nPAGESIZE=16384\nSYMBOL(_stext)=a000000000100000\n"
vmci_crashtime:	stringz "CRASHTIME="
