// The tables handed over at entry: r28 -> ia64_boot_param -> EFI system
// table -> configuration table with the SAL system table's GUID -> SAL
// system table (signature, byte sum 0, ENTRY_POINT with PAL/SAL procs), a
// SAL call through the entry found there; and the EFI memory map, walked
// with the descriptor size the boot param gives, must cover the 64 MiB of
// RAM with no gap.
// ia64sim: --cpus 1 --mem 64M
#include "ia64test.h"
#include "ia64/efi.h"
#include "ia64/firmware.h"

	.text
	.global _start
_start:
	mov r20 = r28;;				// ia64_boot_param
	EXPECT(r20, IA64_FW_BOOT_PARAM, 1)
	adds r2 = 8, r20;;
	ld8 r21 = [r2];;			// efi_systab
	ld8 r3 = [r21];;
	EXPECT(r3, 0x5453595320494249, 2)	// "IBI SYST"
	adds r2 = 104, r21;;
	ld8 r4 = [r2], 8;;			// nr_tables
	ld8 r5 = [r2];;				// tables
	movl r6 = 0x11d32d88eb9d2d32		// SAL GUID, first 8 bytes
	movl r7 = 0x4dc13f279000169a;;		// last 8 bytes
	mov r22 = r0;;
1:	cmp.eq p6, p0 = r4, r0
	(p6) br.cond.dpnt.few no_sal;;
	ld8 r9 = [r5], 8;;
	ld8 r10 = [r5], 8;;
	ld8 r11 = [r5], 8
	adds r4 = -1, r4
	cmp.eq p7, p0 = r9, r6;;
	(p7) cmp.eq p7, p0 = r10, r7;;
	(p7) mov r22 = r11
	(p7) br.cond.sptk.few found;;
	br.cond.sptk.few 1b;;
no_sal:
	mov r30 = 3
	br.cond.sptk.few test_fail;;
found:
	ld4 r3 = [r22];;
	EXPECT(r3, 0x5f545353, 4)		// "SST_"
	adds r2 = 4, r22;;
	ld4 r12 = [r2];;			// table size
	mov r13 = r0
	mov r14 = r22
	mov r15 = r12;;
2:	ld1 r3 = [r14], 1;;			// byte sum over the whole table
	add r13 = r13, r3
	adds r15 = -1, r15;;
	cmp.ne p6, p0 = r15, r0
	(p6) br.cond.sptk.few 2b;;
	zxt1 r13 = r13;;
	EXPECT(r13, 0, 5)			// checksum
	adds r14 = 96, r22;;			// first entry
	ld1 r3 = [r14];;
	EXPECT(r3, 0, 6)			// ENTRY_POINT
	adds r2 = 8, r14;;
	ld8 r16 = [r2], 8;;			// pal_proc
	ld8 r17 = [r2];;			// sal_proc
	EXPECT(r16, IA64_FW_PAL_PROC, 7)
	alloc r40 = ar.pfs, 0, 1, 8, 0
	mov b6 = r17
	movl out0 = SAL_FREQ_BASE
	mov out1 = 1;;				// interval timer
	br.call.sptk.many b0 = b6;;
	EXPECT(r8, 0, 8)
	EXPECT(r9, 700000000, 9)
	// PAL through the entry the SAL table gives (static convention)
	mov b6 = r16
	mov r28 = PAL_FREQ_RATIOS
	movl r2 = tab_pal_ret;;
	mov b0 = r2
	br.cond.sptk.few b6;;
tab_pal_ret:
	EXPECT(r8, 0, 15)
	EXPECT(r11, 0x700000002, 16)		// ITC 7/2 of the base
	adds r3 = 24, r14;;
	ld8 r3 = [r3];;				// the gp SAL wants
	EXPECT(r3, IA64_FW_SAL_GP, 17)
	// The EFI memory map
	adds r2 = 16, r20;;
	ld8 r23 = [r2], 8;;			// efi_memmap
	ld8 r24 = [r2], 8;;			// its size
	ld8 r25 = [r2];;			// descriptor size
	EXPECT(r25, IA64_FW_MEMDESC_SIZE, 10)
	adds r2 = BOOT_PARAM_MEMDESC_VERSION, r20;;
	ld4 r3 = [r2];;				// a u32 at 40, as Linux reads it
	EXPECT(r3, 1, 13)
	adds r2 = BOOT_PARAM_CONSOLE_COLS, r20;;
	ld2 r3 = [r2], 2;;
	EXPECT(r3, 80, 14)
	ld2 r3 = [r2];;
	EXPECT(r3, 25, 18)
	mov r26 = r0;;				// next expected RAM address
3:	cmp.eq p6, p0 = r24, r0
	(p6) br.cond.dpnt.few map_done;;
	ld4 r3 = [r23]				// type
	adds r2 = 8, r23;;
	ld8 r9 = [r2], 16;;			// phys
	ld8 r10 = [r2];;			// pages
	add r23 = r23, r25
	sub r24 = r24, r25
	cmp.eq p7, p0 = 11, r3;;		// MMIO is not RAM
	cmp.eq.or p7, p0 = 12, r3;;		// nor is the I/O port space
	(p7) br.cond.sptk.few 3b;;
	cmp.ne p8, p0 = r9, r26;;
	(p8) mov r30 = 11
	(p8) br.cond.dpnt.few test_fail;;	// a gap or an overlap
	shl r10 = r10, 12;;
	add r26 = r26, r10
	br.cond.sptk.few 3b;;
map_done:
	EXPECT(r26, 0x4000000, 12)		// all 64 MiB described
	br.cond.sptk.few test_pass;;

	TEST_EXITS
