// EFI runtime services as Linux/ia64 calls them: the system table's runtime
// pointer is non-zero and leads to "RUNTSERV" with a function-descriptor
// pointer per service; calling through a descriptor (ip, gp in r1, stacked
// arguments) GetTime fills efi_time_t with the model's clock (2026-01-01
// plus the ITC) and efi_time_cap_t; GetNextVariableName has nothing
// (NOT_FOUND); GetWakeupTime is UNSUPPORTED; SetVirtualAddressMap with a
// region-7 map converts the table's pointers and the descriptors' entry
// points, once only; ResetSystem ends the run with its status as the halt
// code (0 here, so the pass itself goes through ResetSystem).
// ia64sim: --cpus 1 --mem 64M
#include "ia64test.h"
#include "ia64/efi.h"
#include "ia64/firmware.h"

#define R7 0xe000000000000000

// Call service idx of the runtime table in r21 with out0..out3 set.
#define EFI_CALL(idx)                                                   \
	adds r2 = EFI_RT_FN(idx), r21;;                                 \
	ld8 r3 = [r2];;                                                 \
	ld8 r4 = [r3], 8;;                                              \
	ld8 r1 = [r3];                                                  \
	mov b6 = r4;;                                                   \
	br.call.sptk.many b0 = b6;;

	.text
	.global _start
_start:
	alloc r40 = ar.pfs, 0, 9, 4, 0
	adds r2 = BOOT_PARAM_EFI_SYSTAB, r28;;
	ld8 r20 = [r2];;			// EFI system table
	adds r2 = EFI_SYSTAB_RUNTIME, r20;;
	ld8 r21 = [r2];;			// runtime services
	cmp.eq p6, p0 = r21, r0
	mov r30 = 1
	(p6) br.cond.dpnt.few test_fail;;
	ld8 r3 = [r21];;
	EXPECT(r3, EFI_RUNTIME_SIGNATURE, 2)
	// GetTime(tm, cap)
	movl out0 = tm
	movl out1 = cap;;
	EFI_CALL(EFI_RT_GET_TIME)
	EXPECT(r8, EFI_SUCCESS, 3)
	movl r5 = tm;;
	ld2 r6 = [r5], 2;;
	EXPECT(r6, 2026, 4)
	ld1 r6 = [r5], 1;;
	EXPECT(r6, 1, 5)			// January
	ld1 r6 = [r5], 1;;
	EXPECT(r6, 1, 6)			// the 1st
	ld1 r6 = [r5], 1;;
	EXPECT(r6, 0, 7)			// 00 h: a few thousand bundles of ITC
	movl r5 = cap;;
	ld4 r6 = [r5];;
	EXPECT(r6, 1, 8)			// resolution 1 Hz
	// GetNextVariableName: no variables
	movl out0 = namesize
	movl out1 = name
	movl out2 = guid;;
	EFI_CALL(EFI_RT_GET_NEXT_VARIABLE)
	EXPECT(r8, EFI_NOT_FOUND, 9)
	EFI_CALL(EFI_RT_GET_WAKEUP_TIME)
	EXPECT(r8, EFI_UNSUPPORTED, 10)
	// SetVirtualAddressMap: the boot map with region-7 addresses
	adds r2 = BOOT_PARAM_EFI_MEMMAP, r28
	adds r3 = BOOT_PARAM_MEMMAP_SIZE, r28
	adds r4 = BOOT_PARAM_MEMDESC_SIZE, r28;;
	ld8 r5 = [r2]
	ld8 r6 = [r3]
	ld8 r7 = [r4]
	movl r8 = vmap;;
	mov r9 = r6				// bytes left
	mov r10 = r5
	mov r11 = r8;;
1:	cmp.eq p6, p0 = r9, r0
	(p6) br.cond.dpnt.few 3f;;
	mov r12 = r0;;
2:	add r13 = r10, r12			// copy one descriptor, 8 bytes at a time
	add r14 = r11, r12;;
	ld8 r15 = [r13];;
	st8 [r14] = r15
	adds r12 = 8, r12;;
	cmp.ltu p7, p0 = r12, r7
	(p7) br.cond.sptk.few 2b;;
	adds r13 = EFI_MD_PHYS, r11
	adds r14 = EFI_MD_VIRT, r11;;
	ld8 r15 = [r13];;
	movl r16 = R7;;
	or r15 = r15, r16;;
	st8 [r14] = r15				// virt = phys in region 7
	add r10 = r10, r7
	add r11 = r11, r7
	sub r9 = r9, r7;;
	br.cond.sptk.few 1b;;
3:	mov out0 = r6
	mov out1 = r7
	mov out2 = 1
	mov out3 = r8;;
	EFI_CALL(EFI_RT_SET_VIRTUAL_ADDRESS_MAP)
	EXPECT(r8, EFI_SUCCESS, 11)
	adds r2 = EFI_RT_FN(EFI_RT_GET_TIME), r21;;
	ld8 r3 = [r2];;
	EXPECT(r3, R7 + IA64_FW_EFI_RUNTIME + EFI_RT_DESCS, 12)
	movl r2 = IA64_FW_EFI_RUNTIME + EFI_RT_DESCS;;
	ld8 r3 = [r2];;
	EXPECT(r3, R7 + IA64_FW_EFI_CALL, 13)
	// a second call is refused; call through the physical descriptor
	movl r4 = IA64_FW_EFI_CALL
	mov r1 = EFI_RT_SET_VIRTUAL_ADDRESS_MAP;;
	mov b6 = r4;;
	br.call.sptk.many b0 = b6;;
	EXPECT(r8, EFI_UNSUPPORTED, 14)
	// ResetSystem(shutdown, status 0): the machine halts with code 0
	mov out0 = EFI_RESET_SHUTDOWN
	mov out1 = 0
	mov out2 = 0
	mov out3 = 0
	movl r4 = IA64_FW_EFI_CALL
	mov r1 = EFI_RT_RESET_SYSTEM;;
	mov b6 = r4;;
	br.call.sptk.many b0 = b6;;
	mov r30 = 15				// ResetSystem returned
	br.cond.sptk.few test_fail;;

	TEST_EXITS

	.data
	.align 16
tm:	.skip 16
cap:	.skip 16
namesize: data8 64
name:	.skip 64
guid:	.skip 16
	.align 16
vmap:	.skip 1024
