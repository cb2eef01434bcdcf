// PAL_VM_SUMMARY describes the core Linux's identify_cpu and ia64_tlb_init
// will drive (pal.h pal_vm_info_1/2), and the core must agree with it: the
// highest TR index answers itr.d, one more raises a Reserved Register/Field
// fault; 16 protection key registers; 24-bit keys and region ids; 50
// physical address bits (the PTE's ppn field); all 61 virtual offset bits
// (impl_va_msb 60: the core faults on none); one TC level with separate
// I and D caches; no VHPT walker; max_purges 0xffff: ptc.g completes at
// once on every CPU, so Linux needs no ptcg semaphore.
// ia64sim: --cpus 1
#include "ia64test.h"
#include "ia64/firmware.h"

#define FIELD(reg, pos, len, want, n) extr.u r3 = reg, pos, len;; EXPECT(r3, want, n)

	.text
	.global _start
_start:
	movl r2 = ivt;;
	mov cr.iva = r2
	mov r14 = 0
	mov r28 = PAL_VM_SUMMARY
	movl r2 = IA64_FW_PAL_PROC;;
	mov b6 = r2
	movl r2 = 1f;;
	mov b0 = r2
	br.cond.sptk.few b6;;
1:	EXPECT(r8, 0, 1)
	mov r20 = r9
	mov r21 = r10;;
	FIELD(r20, 0, 1, 0, 2)			// vw: no hardware walker
	FIELD(r20, 1, 7, 50, 3)			// phys_add_size
	FIELD(r20, 8, 8, 24, 4)			// key_size
	FIELD(r20, 16, 8, 15, 5)		// max_pkr: 16 PKRs
	FIELD(r20, 32, 8, 15, 6)		// max_dtr_entry
	FIELD(r20, 40, 8, 15, 7)		// max_itr_entry
	FIELD(r20, 48, 8, 2, 8)			// max_unique_tcs: I and D
	FIELD(r20, 56, 8, 1, 9)			// num_tc_levels
	FIELD(r21, 0, 8, 60, 10)		// impl_va_msb
	FIELD(r21, 8, 8, 24, 11)		// rid_size
	FIELD(r21, 16, 16, 0xffff, 12)		// max_purges: no limit
	// the core agrees: the last PKR and the last TR exist, the next TR not
	extr.u r22 = r20, 16, 8;;
	movl r3 = 0x123456 << 8 | 1;;
	mov pkr[r22] = r3;;
	mov r4 = pkr[r22];;
	EXPECT(r4, 0x123456 << 8 | 1, 13)
	movl r2 = 0x2000000000000000
	mov r3 = 14 << 2;;
	mov cr.ifa = r2
	mov cr.itir = r3
	movl r4 = 0x400000 | (1 << 0) | (1 << 5) | (1 << 6) | (2 << 9);;
	extr.u r22 = r20, 32, 8;;		// max_dtr_entry
	itr.d dtr[r22] = r4;;
	EXPECT(r14, 0, 14)
	adds r22 = 1, r22;;
	.align 16
bad:	{ .mii; itr.d dtr[r22] = r4; nop.i 0; nop.i 0;; }
	EXPECT(r14, 1, 15)			// Reserved Register/Field
	br.cond.sptk.few test_pass;;

	TEST_EXITS

	.align 32768
ivt:
	.org ivt + 0x5400			// General Exception (PSR.ic = 0, as itr needs:
	mov r16 = cr.isr;;			// no cr.iip; resume after the bundle by label)
	extr.u r18 = r16, 4, 4;;
	EXPECT(r18, 3, 20)			// ISR.code 3: Reserved Register/Field
	adds r14 = 1, r14
	movl r17 = bad + 16;;
	mov b7 = r17;;
	br.cond.sptk.few b7;;
	.org ivt + 0x7f00
