// The capture kernel: entered in physical mode on the CPU that won the
// dump, with r28 = its ia64_boot_param (in Xs..Xe). It does what a kdump
// kernel's early boot and /proc/vmcore do, and nothing else:
//  - checks for a stale external interrupt (a device the first kernel left
//    unmasked keeps interrupting this CPU);
//  - finds elfcorehdr= (KiB) on its command line and checks its EFI memory
//    map: every Conventional range must lie in Xs..Xe, its own work area
//    must be Conventional, and the ELF core header must be the LoaderData
//    descriptor starting exactly at elfcorehdr (reserve_elfcorehdr);
//  - builds /proc/vmcore's view: the ELF header with one PT_NOTE holding
//    the CPUs' notes merged (read from their crash_notes buffers in old
//    memory, up to each empty terminator note) and the PT_LOADs at file
//    offsets after it;
//  - writes header, notes and old memory out through the dump device.
// Halts the machine with 0 when the vmcore is written, else an error code.
#include "layout.h"
#include "ia64/dumpdev.h"
#include "ia64/efi.h"

#define UART 0xfff00000
#define HALT 0xfff10000
#define RESULT (KD_XS + 0x38000) /* stale interrupts seen, last vector, error */

	.auto
	.text

	.macro PUTS label
	movl r14 = \label
	br.call.sptk.many b7 = puts
	nop.m 0				// returns land on the next bundle
	.endm
	.macro PUTHEX reg
	mov r14 = \reg
	br.call.sptk.many b7 = puthex
	nop.m 0				// returns land on the next bundle
	.endm
	.macro FAIL code, label
	PUTS \label
	mov r14 = \code
	br.cond.sptk.few fail;;
	.endm

// WRITE src, len, off: one DMA through the dump device at r8; a bad
// status fails the capture.
	.macro WRITE src, len, off
	adds r2 = DUMPDEV_SRC, r8;;
	st8 [r2] = \src
	adds r2 = DUMPDEV_LEN, r8;;
	st8 [r2] = \len
	adds r2 = DUMPDEV_OFF, r8;;
	st8 [r2] = \off
	adds r2 = DUMPDEV_CMD, r8
	mov r3 = DUMPDEV_CMD_COPY;;
	st8 [r2] = r3;;
	adds r2 = DUMPDEV_STATUS, r8;;
	ld8 r3 = [r2];;
	cmp.ne p6, p0 = r3, r0
	(p6) br.cond.dpnt.few bad_write;;
	.endm

	.global _start
_start:
	mov r4 = r28			// r4: boot param (r4..r7 live throughout)
	alloc r2 = ar.pfs, 0, 0, 0, 0;;
	mov ar.rsc = 0;;
	loadrs;;			// drop whatever the old kernel left dirty
	movl r2 = KD_CAP_STACK;;
	mov ar.bspstore = r2
	movl r12 = KD_CAP_STACK - 16
	movl r2 = RESULT;;
	st8 [r2] = r0, 8;;
	st8 [r2] = r0, 8;;
	st8 [r2] = r0;;
	mov r5 = cr.lid;;
	extr.u r5 = r5, 24, 8
	PUTS msg_start
	PUTHEX r5
	PUTS msg_nl
	br.call.sptk.many b0 = check_stale
	nop.m 0				// returns land on the next bundle
	// Test hook (KD_VAR_CAPTURE_SCRIBBLE, read from the old kernel's
	// configuration): a write outside Xs..Xe, which the model must flag.
	movl r2 = KD_CFG + CFG_VARIANT;;
	ld8 r3 = [r2];;
	tbit.nz p6, p0 = r3, 2;;
	movl r2 = KD_MARKERS + 8
	movl r3 = 0x5c41bb1e;;
	(p6) st8 [r2] = r3

	// elfcorehdr=<KiB>K on the command line
	ld8 r8 = [r4];;			// BOOT_PARAM_CMDLINE
	mov r9 = 4096;;			// bound: one page of command line
1:	cmp.eq p6, p0 = r9, r0
	(p6) br.cond.dpnt.few no_hdr;;
	ld1 r10 = [r8];;
	cmp.eq p6, p0 = r10, r0
	(p6) br.cond.dpnt.few no_hdr;;
	movl r11 = key_elfcorehdr
	mov r14 = r8;;
2:	ld1 r15 = [r11], 1;;
	cmp.eq p6, p0 = r15, r0
	(p6) br.cond.dpnt.few 3f;;
	ld1 r16 = [r14], 1;;
	cmp.eq p7, p0 = r15, r16
	(p7) br.cond.sptk.few 2b;;
	adds r8 = 1, r8
	adds r9 = -1, r9
	br.cond.sptk.few 1b;;
3:	mov r6 = 0			// r6: the header's address
	mov r9 = 20;;			// at most 20 digits
4:	ld1 r15 = [r14], 1;;
	adds r16 = -48, r15;;
	cmp.ltu p6, p0 = 9, r16		// not a digit
	(p6) br.cond.dpnt.few 5f;;
	shladd r17 = r6, 3, r0
	shladd r18 = r6, 1, r0;;
	add r6 = r17, r18;;
	add r6 = r6, r16
	adds r9 = -1, r9;;
	cmp.ne p6, p0 = r9, r0
	(p6) br.cond.sptk.few 4b;;
5:	cmp.ne p6, p0 = 75, r15
	(p6) br.cond.dpnt.few no_hdr;;
	shl r6 = r6, 10
	PUTS msg_hdr
	PUTHEX r6
	PUTS msg_nl

	// The EFI memory map
	adds r2 = BOOT_PARAM_EFI_MEMMAP, r4;;
	ld8 r8 = [r2]			// descriptors
	adds r2 = BOOT_PARAM_MEMMAP_SIZE, r4;;
	ld8 r9 = [r2]			// bytes
	adds r2 = BOOT_PARAM_MEMDESC_SIZE, r4;;
	ld8 r10 = [r2]
	mov r7 = 0			// r7: the header's size, from its descriptor
	mov r20 = 0			// work area found Conventional
	mov r21 = 0;;			// stack found Conventional
	cmp.ltu p0, p6 = 39, r10
	(p6) br.cond.dpnt.few bad_map;;
	mov r22 = 256;;			// at most 256 descriptors
6:	cmp.ltu p6, p0 = r9, r10
	(p6) br.cond.dpnt.few 9f;;
	cmp.eq p6, p0 = r22, r0
	(p6) br.cond.dpnt.few bad_map;;
	ld4 r14 = [r8]			// type
	adds r2 = EFI_MD_PHYS, r8
	adds r3 = EFI_MD_PAGES, r8;;
	ld8 r15 = [r2]
	ld8 r16 = [r3];;
	shl r16 = r16, 12;;
	add r17 = r15, r16		// end
	cmp.eq p6, p0 = EFI_LOADER_DATA, r14
	(p6) cmp.eq.unc p7, p0 = r15, r6;;
	(p7) mov r7 = r16
	cmp.ne p6, p0 = EFI_CONVENTIONAL_MEMORY, r14
	(p6) br.cond.sptk.few 8f;;
	movl r18 = KD_XS
	movl r19 = KD_XE;;
	cmp.ltu p6, p0 = r15, r18
	(p6) br.cond.dpnt.few outside;;
	cmp.ltu p6, p0 = r19, r17
	(p6) br.cond.dpnt.few outside;;
	movl r18 = KD_CAP_WORK
	movl r19 = KD_CAP_WORK_END;;
	cmp.leu p6, p0 = r15, r18;;
	(p6) cmp.leu.unc p7, p0 = r19, r17;;
	(p7) mov r20 = 1
	movl r18 = KD_CAP_STACK - 0x10000
	movl r19 = KD_CAP_STACK + 0x8000;;
	cmp.leu p6, p0 = r15, r18;;
	(p6) cmp.leu.unc p7, p0 = r19, r17;;
	(p7) mov r21 = 1
8:	add r8 = r8, r10
	sub r9 = r9, r10
	adds r22 = -1, r22
	br.cond.sptk.few 6b;;
9:	cmp.eq p6, p0 = r7, r0
	(p6) br.cond.dpnt.few no_loaderdata;;
	cmp.eq p6, p0 = r20, r0
	(p6) br.cond.dpnt.few bad_map;;
	cmp.eq p6, p0 = r21, r0
	(p6) br.cond.dpnt.few bad_map;;

	// The old ELF core header: ELF64, EM_IA_64, sane program headers
	ld4 r14 = [r6];;
	movl r15 = 0x464c457f;;
	cmp.ne p6, p0 = r14, r15
	(p6) br.cond.dpnt.few bad_hdr;;
	adds r2 = 4, r6;;
	ld1 r14 = [r2];;
	cmp.ne p6, p0 = 2, r14
	(p6) br.cond.dpnt.few bad_hdr;;
	adds r2 = 18, r6;;
	ld2 r14 = [r2];;
	cmp.ne p6, p0 = 50, r14
	(p6) br.cond.dpnt.few bad_hdr;;
	adds r2 = 54, r6;;
	ld2 r14 = [r2];;
	cmp.ne p6, p0 = 56, r14
	(p6) br.cond.dpnt.few bad_hdr;;
	adds r2 = 56, r6
	adds r3 = 32, r6;;
	ld2 r24 = [r2]			// r24: e_phnum
	ld8 r25 = [r3];;		// r25: e_phoff
	cmp.ltu p6, p0 = 64, r24
	(p6) br.cond.dpnt.few bad_hdr;;
	shl r14 = r24, 6
	shl r15 = r24, 3;;
	sub r14 = r14, r15;;		// 56 * phnum
	add r14 = r14, r25;;
	cmp.ltu p6, p0 = r7, r14	// must fit in the LoaderData range
	(p6) br.cond.dpnt.few bad_hdr;;
	add r25 = r25, r6;;		// first phdr (absolute)

	// Pass 0: count the PT_LOADs
	mov r26 = 0			// r26: PT_LOADs
	mov r8 = r25
	mov r9 = r24;;
1:	cmp.eq p6, p0 = r9, r0
	(p6) br.cond.dpnt.few 2f;;
	ld4 r14 = [r8];;
	cmp.eq p6, p0 = 1, r14;;
	(p6) adds r26 = 1, r26
	adds r8 = 56, r8
	adds r9 = -1, r9
	br.cond.sptk.few 1b;;
2:	adds r27 = 1, r26;;		// header size = 64 + 56 * (1 + loads)
	shl r14 = r27, 6
	shl r15 = r27, 3;;
	sub r27 = r14, r15;;
	adds r27 = 64, r27;;		// r27: header size
	movl r28 = KD_CAP_WORK;;
	add r29 = r28, r27		// r29: where the merged notes go
	mov r30 = 0			// r30: their size
	movl r31 = KD_CAP_WORK_END

	// Pass 1: merge the notes of every PT_NOTE (read from old memory)
	mov r8 = r25
	mov r9 = r24;;
3:	cmp.eq p6, p0 = r9, r0
	(p6) br.cond.dpnt.few 7f;;
	ld4 r14 = [r8];;
	cmp.ne p6, p0 = 4, r14
	(p6) br.cond.dpnt.few 6f;;
	adds r2 = 8, r8
	adds r3 = 40, r8;;
	ld8 r15 = [r2]			// p_offset: physical address of the notes
	ld8 r16 = [r3]			// p_memsz: the buffer
	mov r17 = 0;;			// offset in it
4:	adds r18 = 12, r17;;
	cmp.ltu p6, p0 = r16, r18
	(p6) br.cond.dpnt.few 6f;;
	add r19 = r15, r17;;
	ld4 r20 = [r19], 4;;		// namesz
	cmp.eq p6, p0 = r20, r0
	(p6) br.cond.dpnt.few 6f;;	// the terminator
	ld4 r21 = [r19];;		// descsz
	adds r20 = 3, r20
	adds r21 = 3, r21;;
	and r20 = -4, r20
	and r21 = -4, r21;;
	add r20 = r20, r21;;
	adds r20 = 12, r20;;		// the whole note
	add r18 = r17, r20;;
	cmp.ltu p6, p0 = r16, r18	// runs past its buffer: ignore the rest
	(p6) br.cond.dpnt.few 6f;;
	add r22 = r29, r30;;
	add r23 = r22, r20;;
	cmp.ltu p6, p0 = r31, r23	// would overrun the work area
	(p6) br.cond.dpnt.few bad_hdr;;
	add r19 = r15, r17
	shr.u r21 = r20, 2;;
5:	ld4 r14 = [r19], 4;;
	st4 [r22] = r14, 4
	adds r21 = -1, r21;;
	cmp.ne p6, p0 = r21, r0
	(p6) br.cond.sptk.few 5b;;
	add r30 = r30, r20
	add r17 = r17, r20
	br.cond.sptk.few 4b;;
6:	adds r8 = 56, r8
	adds r9 = -1, r9
	br.cond.sptk.few 3b;;

	// Pass 2: the new header: ELF header, PT_NOTE, the PT_LOADs
7:	mov r8 = r6
	mov r9 = r28
	mov r14 = 8;;
1:	ld8 r15 = [r8], 8;;
	st8 [r9] = r15, 8
	adds r14 = -1, r14;;
	cmp.ne p6, p0 = r14, r0
	(p6) br.cond.sptk.few 1b;;
	adds r2 = 32, r28
	mov r3 = 64;;
	st8 [r2] = r3			// e_phoff
	adds r2 = 40, r28;;
	st8 [r2] = r0			// e_shoff
	adds r2 = 56, r28
	adds r3 = 1, r26;;
	st2 [r2] = r3			// e_phnum
	adds r2 = 60, r28;;
	st2 [r2] = r0, 2;;		// e_shnum, e_shstrndx
	st2 [r2] = r0
	adds r2 = 64, r28
	mov r3 = 4;;
	st4 [r2] = r3, 4;;		// PT_NOTE
	st4 [r2] = r0, 4;;
	st8 [r2] = r27, 8;;		// p_offset: right after the headers
	st8 [r2] = r0, 8;;
	st8 [r2] = r0, 8;;
	st8 [r2] = r30, 8;;		// p_filesz
	st8 [r2] = r30, 8;;		// p_memsz
	st8 [r2] = r0, 8;;		// p_align
	add r10 = r27, r30;;		// data starts on the next page
	movl r11 = 4095;;
	add r10 = r10, r11;;
	andcm r10 = r10, r11;;
	mov r8 = r25
	mov r9 = r24;;
2:	cmp.eq p6, p0 = r9, r0
	(p6) br.cond.dpnt.few 4f;;
	ld4 r14 = [r8];;
	cmp.ne p6, p0 = 1, r14
	(p6) br.cond.dpnt.few 3f;;
	mov r15 = r8
	mov r16 = r2
	mov r17 = 7;;
5:	ld8 r14 = [r15], 8;;
	st8 [r16] = r14, 8
	adds r17 = -1, r17;;
	cmp.ne p6, p0 = r17, r0
	(p6) br.cond.sptk.few 5b;;
	adds r15 = 8, r2
	adds r16 = 40, r2;;
	st8 [r15] = r10			// p_offset
	ld8 r14 = [r16];;		// p_memsz
	add r10 = r10, r14
	adds r2 = 56, r2
3:	adds r8 = 56, r8
	adds r9 = -1, r9
	br.cond.sptk.few 2b;;

	// Write: headers and notes, then each PT_LOAD's memory
4:	movl r8 = IA64_DUMPDEV_BASE;;
	add r14 = r27, r30;;
	WRITE r28, r14, r0
	adds r11 = 64 + 56, r28		// r11: the first PT_LOAD (WRITE uses r2, r3)
	mov r9 = r26;;
6:	cmp.eq p6, p0 = r9, r0
	(p6) br.cond.dpnt.few 7f;;
	adds r15 = 8, r11
	adds r16 = 24, r11
	adds r17 = 32, r11;;
	ld8 r15 = [r15]			// p_offset
	ld8 r16 = [r16]			// p_paddr
	ld8 r17 = [r17];;		// p_filesz
	WRITE r16, r17, r15
	adds r11 = 56, r11
	adds r9 = -1, r9
	br.cond.sptk.few 6b;;
7:	adds r2 = DUMPDEV_CMD, r8
	mov r3 = DUMPDEV_CMD_FINISH;;
	st8 [r2] = r3
	br.call.sptk.many b0 = check_stale
	nop.m 0				// returns land on the next bundle
	PUTS msg_done
	PUTHEX r10
	PUTS msg_nl
	movl r2 = HALT;;
	st8 [r2] = r0;;
1:	br.cond.sptk.few 1b;;

// A pending external interrupt here is one the old kernel's devices sent:
// report it (a real kernel would take it for a device it does not know).
check_stale:
	mov r14 = cr.ivr;;
	srlz.d
	cmp.eq p6, p0 = 15, r14
	(p6) br.ret.sptk.many b0;;
	movl r2 = RESULT;;
	ld8 r3 = [r2];;
	adds r3 = 1, r3;;
	st8 [r2] = r3, 8;;
	st8 [r2] = r14
	mov r9 = r14
	PUTS msg_stale
	PUTHEX r9
	PUTS msg_nl
	br.ret.sptk.many b0;;

no_hdr:		FAIL 2, msg_no_hdr
bad_map:	FAIL 3, msg_bad_map
outside:	FAIL 4, msg_outside
no_loaderdata:	FAIL 5, msg_no_loaderdata
bad_hdr:	FAIL 6, msg_bad_hdr
bad_write:	FAIL 7, msg_bad_write
fail:
	movl r2 = RESULT + 16;;
	st8 [r2] = r14
	movl r2 = HALT;;
	st8 [r2] = r14;;
1:	br.cond.sptk.few 1b;;

// puts: the NUL-terminated string at r14 (at most 256 bytes). b7.
puts:
	movl r15 = UART
	mov r17 = 256;;
1:	ld1 r16 = [r14], 1;;
	cmp.eq p6, p0 = r16, r0
	(p6) br.ret.sptk.many b7;;
	st1 [r15] = r16
	adds r17 = -1, r17;;
	cmp.ne p6, p0 = r17, r0
	(p6) br.cond.sptk.few 1b;;
	br.ret.sptk.many b7;;

// puthex: r14 as 0x followed by 16 hex digits. b7.
puthex:
	movl r15 = UART
	mov r16 = 48;;
	st1 [r15] = r16
	mov r16 = 120;;
	st1 [r15] = r16
	mov r17 = 60;;
1:	shr.u r16 = r14, r17;;
	and r16 = 15, r16;;
	cmp.ltu p6, p7 = 9, r16;;
	(p6) adds r16 = 87, r16
	(p7) adds r16 = 48, r16;;
	st1 [r15] = r16
	cmp.eq p6, p0 = r17, r0
	(p6) br.ret.sptk.many b7;;
	adds r17 = -4, r17
	br.cond.sptk.few 1b;;

	.data
key_elfcorehdr:	stringz "elfcorehdr="
msg_start:	stringz "capture: started on cpu "
msg_hdr:	stringz "capture: elfcorehdr at "
msg_done:	stringz "capture: vmcore written, bytes "
msg_stale:	stringz "capture: stale interrupt, vector "
msg_nl:		stringz "\n"
msg_no_hdr:	stringz "capture: no elfcorehdr=<n>K on the command line\n"
msg_bad_map:	stringz "capture: EFI memory map unusable (work area or stack not Conventional)\n"
msg_outside:	stringz "capture: EFI memory map offers Conventional memory outside the reserved region\n"
msg_no_loaderdata: stringz "capture: no LoaderData descriptor at elfcorehdr\n"
msg_bad_hdr:	stringz "capture: ELF core header unusable\n"
msg_bad_write:	stringz "capture: dump device refused a write\n"
