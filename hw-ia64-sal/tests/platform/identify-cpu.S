// The PAL and SAL calls Linux/ia64's identify_cpu, get_cache_info,
// identify_siblings and check_sal_cache_flush make at boot (setup.c,
// sal.c), answered as a machine of one-core, one-thread packages with one
// unified cache: PAL_CACHE_INFO for level 0 answers as data-or-unified
// (type 2) and refuses the instruction side (type 1), as many answers as
// PAL_CACHE_SUMMARY's unique caches (topology.c sizes an array by it); an
// invalid level refused; PAL_LOGICAL_TO_PHYSICAL; SAL_PHYSICAL_ID_INFO;
// PAL_BRAND_INFO's string; SAL_CACHE_FLUSH keeping a pending interrupt
// (else Linux falls back to PAL_CACHE_FLUSH); PCI config reads of absent
// devices returning all ones.
// ia64sim: --cpus 2
#include "ia64test.h"
#include "ia64/firmware.h"

	.text
	.global _start
_start:
	mov r2 = cr.lid;;
	extr.u r2 = r2, 24, 8;;
	cmp.ne p6, p0 = r2, r0
(p6)	br.cond.sptk.few second_cpu;;
	alloc r40 = ar.pfs, 0, 1, 8, 0
	movl r9 = IA64_FW_PAL_PROC;;
	mov b6 = r9
	// get_cache_info: ia64_pal_cache_config_info(l = 0, type 2 (data))
	mov r28 = PAL_CACHE_INFO
	mov r29 = 0
	mov r30 = 2
	mov r31 = 0
	movl r2 = 1f;;
	mov b0 = r2
	br.cond.sptk.few b6;;
1:	EXPECT(r8, 0, 1)
	and r3 = 1, r9;;			// pcci_unified
	EXPECT(r3, 1, 2)
	extr.u r3 = r9, 24, 8;;			// pcci_stride: flush_icache_range's step
	EXPECT(r3, IA64_FW_CACHE_LINE_SHIFT, 3)
	extr.u r3 = r9, 16, 8;;			// pcci_line_size
	EXPECT(r3, IA64_FW_CACHE_LINE_SHIFT, 4)
	extr.u r3 = r10, 0, 32;;		// pcci_cache_size
	EXPECT(r3, IA64_FW_CACHE_SIZE, 5)
	// the instruction side (type 1) of a unified level is refused; level
	// 1 does not exist
	mov r28 = PAL_CACHE_INFO
	mov r29 = 0
	mov r30 = 1
	movl r2 = 1f;;
	mov b0 = r2
	br.cond.sptk.few b6;;
1:	EXPECT(r8, -2, 6)
	mov r28 = PAL_CACHE_INFO
	mov r29 = 1
	mov r30 = 2
	movl r2 = 1f;;
	mov b0 = r2
	br.cond.sptk.few b6;;
1:	EXPECT(r8, -2, 7)
	// identify_siblings: ia64_pal_logical_to_phys(0, &info)
	mov r28 = PAL_LOGICAL_TO_PHYSICAL
	mov r29 = 0
	movl r2 = 1f;;
	mov b0 = r2
	br.cond.sptk.few b6;;
1:	EXPECT(r8, 0, 8)
	extr.u r3 = r9, 0, 16;;			// num_log
	EXPECT(r3, 1, 9)
	extr.u r3 = r9, 16, 8;;			// threads per core
	EXPECT(r3, 1, 10)
	extr.u r3 = r9, 32, 8;;			// cores per processor
	EXPECT(r3, 1, 11)
	extr.u r3 = r9, 48, 8;;			// ppid of CPU 0
	EXPECT(r3, 0, 12)
	// PAL_BRAND_INFO (stacked): the string into a buffer
	mov r28 = PAL_BRAND_INFO
	mov out0 = PAL_BRAND_INFO
	mov out1 = 0
	movl out2 = brand;;
	br.call.sptk.many b0 = b6;;
	EXPECT(r8, 0, 13)
	movl r2 = brand;;
	ld8 r3 = [r2];;
	EXPECT(r3, 0x2062616c706d7564, 14)	// "dumplab "
	// SAL_PHYSICAL_ID_INFO: socket 0
	movl r9 = IA64_FW_SAL_PROC;;
	mov b6 = r9
	movl out0 = SAL_PHYSICAL_ID_INFO;;
	br.call.sptk.many b0 = b6;;
	EXPECT(r8, 0, 15)
	EXPECT(r9, 0, 16)
	// check_sal_cache_flush: a pending interrupt survives SAL_CACHE_FLUSH
	mov r3 = 1;;
	shl r3 = r3, 0xef - 192;;		// IA64_TIMER_VECTOR 0xef in IRR3
	rsm psr.i;;
	movl r2 = 0xfee00000;;			// IPI to ourselves (phys id 0)
	mov r4 = 0xef;;
	st8 [r2] = r4;;
	srlz.d;;
	mov r5 = cr.irr3;;
	and r5 = r5, r3;;
	EXPECT(r5, 0x800000000000, 17)
	movl out0 = SAL_CACHE_FLUSH
	mov out1 = 3;;
	br.call.sptk.many b0 = b6;;
	EXPECT(r8, 0, 18)
	mov r5 = cr.irr3;;
	and r5 = r5, r3;;
	EXPECT(r5, 0x800000000000, 19)
	// pci_sal_read of an absent device: all ones
	movl out0 = SAL_PCI_CONFIG_READ
	mov out1 = 0
	mov out2 = 4
	mov out3 = 0;;
	br.call.sptk.many b0 = b6;;
	EXPECT(r8, 0, 20)
	movl r3 = 0xffffffff;;
	EXPECT(r9, 0xffffffff, 21)
	movl out0 = SAL_PCI_CONFIG_READ
	mov out1 = 0
	mov out2 = 3;;				// no 3-byte accesses
	br.call.sptk.many b0 = b6;;
	EXPECT(r8, -2, 22)
	// wait for CPU 1's verdict
	movl r2 = cpu1_done;;
2:	ld8 r3 = [r2];;
	cmp.eq p6, p0 = r3, r0
(p6)	br.cond.sptk.few 2b;;
	EXPECT(r3, 1, 23)
	br.cond.sptk.few test_pass;;

second_cpu:
	// CPU 1: ppid 1 from PAL, socket 1 from SAL
	alloc r40 = ar.pfs, 0, 1, 8, 0
	movl r9 = IA64_FW_PAL_PROC;;
	mov b6 = r9
	mov r28 = PAL_LOGICAL_TO_PHYSICAL
	mov r29 = 0
	movl r2 = 1f;;
	mov b0 = r2
	br.cond.sptk.few b6;;
1:	extr.u r3 = r9, 48, 8;;
	mov r6 = 2;;				// 2 = wrong
	cmp.eq p6, p0 = 1, r3;;
(p6)	mov r6 = 1
	movl r9 = IA64_FW_SAL_PROC;;
	mov b6 = r9
	movl out0 = SAL_PHYSICAL_ID_INFO;;
	br.call.sptk.many b0 = b6;;
	cmp.ne p6, p0 = 1, r9;;
(p6)	mov r6 = 2
	movl r2 = cpu1_done;;
	st8.rel [r2] = r6;;
	HALT_CPU

	TEST_EXITS

	.data
	.align 8
brand:
	.skip 128
cpu1_done:
	data8 0
