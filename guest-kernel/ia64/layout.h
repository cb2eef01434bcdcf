/* The physical memory layout and the shared blocks of the IA-64 kdump
 * guests, used by the assembly kernels (first.S, capture.S) and by the
 * runner (hw-ia64-sal/tools/ia64kdump.c), which plays kexec-tools' part.
 * RAM is KD_RAM_SIZE; the firmware owns 0x80000..0xd0000 (firmware.h). */
#ifndef KDUMP64_LAYOUT_H
#define KDUMP64_LAYOUT_H

#define KD_RAM_SIZE 0x340000 /* 3.25 MiB: RAM ends with the stacks; small keeps cases fast */
#define KD_MAX_CPUS 8

/* First kernel: text and data linked (physically) at 0x100000, run in
 * region 5 (text, one 1 MiB itr) and region 7 (identity data, one 4 MiB
 * dtr); MMIO through region 6 (one 64 MiB uncached dtr). */
#define KD_KERNEL_PA 0x100000
#define KD_TEXT_PS 20
#define KD_DATA_PS 22
#define KD_IO_PS 26
#define KD_IO_PA 0xfc000000
#define KD_R5 0xa000000000000000
#define KD_R6 0xc000000000000000
#define KD_R7 0xe000000000000000

#define KD_MARKERS 0x180000 /* up to KD_MAX_MARKERS marker pages */
#define KD_MAX_MARKERS 64

/* The runner's configuration, read by the first kernel (8-byte fields). */
#define KD_CFG 0x1c0000
#define CFG_MAGIC 0
#define CFG_NCPUS 8
#define CFG_SEED 16
#define CFG_NMARKERS 24
#define CFG_GO 32          /* set by the runner: the workload starts */
#define CFG_FAULT 40       /* 0 panic, 1 platform INIT (the runner raises it) */
#define CFG_FAULT_CPU 48
#define CFG_IRQOFF 56      /* bit n: CPU n runs its workload with PSR.i = 0 */
#define CFG_STOP 64        /* 0 INIT-IPI to all (seed), 1 stop IPI then INIT (Linux 6.1) */
#define CFG_PANIC_AFTER 72 /* workload iterations before the panic */
#define CFG_VARIANT 80     /* KD_VAR_* */
#define CFG_DEV_CPU 88     /* where the IOSAPIC routes the device's line */
#define CFG_CAP_ENTRY 96   /* capture kernel entry (physical) */
#define CFG_CAP_BOOTPARAM 104
#define CFG_WAIT 112       /* bound of each wait loop, in iterations */
#define KD_CFG_MAGIC 0x6b64756d70363421 /* "!46pmudk" */

#define KD_VAR_PURGE_BEFORE_SWITCH 1 /* purge TC/TRs while still in virtual mode */
#define KD_VAR_NO_IOSAPIC_MASK 2     /* leave the device's line unmasked */
#define KD_VAR_CAPTURE_SCRIBBLE 4    /* test hook: the capture kernel writes a word
                                        outside Xs..Xe (the model must flag it) */

/* What the first kernel publishes (8-byte fields). */
#define KD_INFO 0x1c1000
#define INFO_READY 0          /* CPUs waiting for CFG_GO */
#define INFO_IN_PROGRESS 8    /* kdump_in_progress */
#define INFO_SAVED 16         /* notes written */
#define INFO_FROZEN 24        /* kdump_cpu_frozen */
#define INFO_PANIC_CALL 32    /* address (physical) of the bundle calling panic */
#define INFO_CAPTURE_CPU 40
#define INFO_LOADED 48        /* kexec segments copied */
#define INFO_BOOTPARAM 56     /* r28 at entry */
#define INFO_STATUS 64        /* + 8 * cpu: kdump_status (1 = registers saved) */
#define INFO_COUNT 128        /* + 8 * cpu: workload iterations */
#define INFO_DEVIRQ 192       /* + 8 * cpu: device interrupts taken */
#define INFO_PTCE 256         /* + 32 * cpu: PAL_PTCE_INFO base, counts, strides */
#define INFO_HANDLER 512      /* + 8 * cpu: 1 INIT, 2 stop IPI, 3 panic (own save) */

/* The VMCOREINFO note (name "VMCOREINFO", type 0): OSRELEASE, PAGESIZE,
 * SYMBOL(_stext) written at boot, CRASHTIME appended at the crash
 * (crash_save_vmcoreinfo); kexec-tools gives it a PT_NOTE of its own. */
#define KD_VMCOREINFO (KD_INFO + 2048)
#define KD_VMCOREINFO_SIZE 2048
/* The kernel text PT_LOAD kexec-tools adds (region 5 over "Kernel code"). */
#define KD_KERNEL_TEXT_SIZE 0x10000

/* crash_notes: one buffer per CPU; the note starts 4 bytes in so that
 * pr_reg (note + 20 + 112) is 8-byte aligned. */
#define KD_NOTES 0x1c2000
#define KD_NOTE_STRIDE 0x800
#define KD_NOTE_OFF 4
#define KD_NOTE_BYTES (12 + 8 + 1144 + 12) /* header, "CORE", prstatus, terminator */
#define KD_PRSTATUS_SIZE 1144
#define KD_PR_PID 32
#define KD_PR_REG 112

/* kexec staging, written by the runner as kexec-tools prepares segments:
 * u64 count, then {src, dst, len} per segment; the first kernel copies
 * them into the reserved region as kexec_load does. */
#define KD_STAGE 0x1d0000
#define KD_STAGE_DATA 0x1d1000
#define KD_STAGE_END 0x200000
#define KD_MAX_SEGS 8

/* The reserved region Xs..Xe (crashkernel=) and what lies in it. */
#define KD_XS 0x200000
#define KD_XE 0x300000
#define KD_CAP_BOOTPARAM (KD_XS + 0x10000)
#define KD_CAP_CMDLINE (KD_XS + 0x11000)
#define KD_CAP_MEMMAP (KD_XS + 0x12000)
#define KD_CAP_ELFHDR (KD_XS + 0x13000) /* one page, LoaderData */
#define KD_CAP_STACK (KD_XS + 0x30000)  /* memory stack below, backing store above */
#define KD_CAP_WORK (KD_XS + 0x40000)   /* the /proc/vmcore header and notes */
#define KD_CAP_WORK_END (KD_XS + 0x80000)

/* Per-CPU stacks of the first kernel: backing store at the base, memory
 * stack from the top down. */
#define KD_STACKS 0x300000
#define KD_STACK_SIZE 0x8000

/* Devices the guests use (hw-ia64-sal/include/ia64/dumpdev.h, iosapic.h). */
#define KD_DEV_VECTOR 0x30
#define KD_IPI_VECTOR 0xfe /* IA64_IPI_VECTOR: the kdump stop IPI */

#endif
