/* The process entry and the system call gate of the guest's init, which
 * has no libc (Debian ships none for ia64).
 *
 * _start: the kernel starts a static ELF with no gp and sp (r12) 16 bytes
 * below argc (ia64's start_thread leaves the ABI's scratch area there); set
 * gp, call init_main(&argc). It never returns (init_main powers off or
 * loops).
 *
 * sys6(nr, a0..a5): Linux/ia64 takes the number in r15 and the arguments in
 * the caller's output registers, executes `break 0x100000`, and returns the
 * value in r8 with r10 = -1 on error (r8 then holds the positive errno).
 * This leaf has no frame of its own: its seven arguments are r32..r38, so
 * shifting them down by one makes r32..r37 the syscall's arguments (the
 * kernel refuses frames larger than sol + 8, not smaller ones). Returns
 * -errno on error, like the kernel's own convention. */
	.text
	.global _start
	.proc _start
_start:
	alloc r2 = ar.pfs, 0, 0, 1, 0
	movl gp = __gp
	;;
	adds out0 = 16, r12
	br.call.sptk.many b0 = init_main
	;;
1:	br.cond.sptk.few 1b
	.endp _start

	.global sys6
	.proc sys6
sys6:
	mov r15 = r32
	mov r32 = r33
	mov r33 = r34
	mov r34 = r35
	mov r35 = r36
	mov r36 = r37
	mov r37 = r38
	;;
	break 0x100000
	;;
	cmp.eq p6, p0 = -1, r10
	;;
(p6)	sub r8 = r0, r8
	br.ret.sptk.many b0
	.endp sys6

/* The capture kernel's entry, copied by kdump.c into the loaded image,
 * where relocate_new_kernel branches to it in physical mode (what
 * kexec-tools' purgatory does on ia64, less the checks): r28 = the new
 * ia64_boot_param and the kernel's entry come from the two words at +256,
 * which kdump.c fills in; loop counters cleared, ALAT invalidated.
 * Like purgatory's ia64_env_setup it points the runtime services' Set-
 * VirtualAddressMap at the dummy's descriptor (+0x200 of this page) at
 * crash time: the table is firmware memory, which the first kernel's
 * /dev/mem refuses, and the first kernel keeps its own until it dies.
 * boot_param->efi_systab (+8) and systab->runtime (+88) are physical;
 * the region bits are cleared in case the firmware converted one. */
	.align 256
	.global kexec_stub
	.proc kexec_stub
kexec_stub:
	mov r2 = ip
	;;
	adds r3 = 256, r2
	;;
	ld8 r28 = [r3], 8
	;;
	ld8 r4 = [r3]
	adds r5 = 8, r28
	;;
	ld8 r5 = [r5]
	;;
	dep r5 = 0, r5, 61, 3
	;;
	adds r5 = 88, r5
	;;
	ld8 r5 = [r5]
	;;
	dep r5 = 0, r5, 61, 3
	;;
	adds r5 = 24 + 8 * 4, r5
	adds r6 = 0x200, r2
	;;
	st8 [r5] = r6
	mov ar.lc = r0
	;;
	mov b6 = r4
	mov ar.ec = r0
	invala
	;;
	br.sptk.few b6
	;;
	.align 256
	.global kexec_stub_data
kexec_stub_data:
	data8 0, 0
	.global kexec_stub_end
kexec_stub_end:
	.endp kexec_stub

/* EFI SetVirtualAddressMap for the capture kernel, as kexec-tools patches it
 * (the firmware honours the call only once, and the first kernel made it):
 * succeed without doing anything. */
	.align 16
	.global efi_dummy_svam
	.proc efi_dummy_svam
efi_dummy_svam:
	mov r8 = r0
	br.ret.sptk.many b0
	;;
	.global efi_dummy_svam_end
efi_dummy_svam_end:
	.endp efi_dummy_svam
