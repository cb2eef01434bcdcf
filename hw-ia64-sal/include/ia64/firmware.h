/* SAL and PAL written in C, and the INIT path of the seed paper: PALE_INIT
 * saves the interrupted state in the CPU's min-state area, SAL picks the
 * monarch (the first CPU to arrive) and enters the OS_INIT monarch or slave
 * entry registered with SAL_SET_VECTORS, in physical mode, with the SAL
 * handoff registers; the handler's branch back to SAL resumes the CPU from
 * the min-state area (r8 = 0) or warm-boots it (r8 = -1). The fixed
 * addresses are usable from assembly test programs. */
#ifndef IA64_FIRMWARE_H
#define IA64_FIRMWARE_H

#define IA64_FW_PAL_PROC 0x80000        /* static (r28 < 256) and stacked PAL calls */
#define IA64_FW_SAL_PROC 0x80010        /* SAL calls: br.call, in0 = function id */
#define IA64_FW_SAL_RETURN 0x80020      /* OS_INIT handlers branch here (r12 at entry) */
#define IA64_FW_SAL_RENDEZ_SPIN 0x80030 /* where SAL_MC_RENDEZ waits */
#define IA64_FW_SAL_AP_SPIN 0x80040     /* where APs wait for AP_WAKEUP */
#define IA64_FW_EFI_CALL 0x80050        /* every EFI runtime service; gp (r1) = its index */
#define IA64_FW_EFI_RUNTIME 0x85000     /* efi_runtime_services_t, then the descriptors */
#define IA64_FW_ACPI 0x86000            /* RSDP, XSDT, FADT, DSDT, MADT (acpi.h) */
#define IA64_FW_ACPI_SIZE 0x1000
#define IA64_FW_AP_WAKEUP_VECTOR 0xf0   /* as the SAL system table says */
#define IA64_FW_SAL_GP 0x80800          /* the gp SAL hands over in r10 */
#define IA64_FW_SAL_SYSTAB 0x81000      /* SAL system table */
#define IA64_FW_EFI_SYSTAB 0x82000      /* EFI system table + config tables (SAL, ACPI 2.0) */
#define IA64_FW_EFI_MEMMAP 0x83000      /* EFI memory map */
#define IA64_FW_BOOT_PARAM 0x84000      /* ia64_boot_param, in r28 at entry */
#define IA64_FW_MEMDESC_SIZE 48         /* EFI descriptors are 40 bytes; readers must use this */
#define IA64_FW_MINSTATE 0x90000        /* + cpu * IA64_FW_MINSTATE_SIZE */
#define IA64_FW_MINSTATE_SIZE 0x1000
#define IA64_FW_MINSTATE_END 0xd0000 /* 64 CPUs */

#define SAL_SET_VECTORS 0x01000000
#define SAL_GET_STATE_INFO 0x01000001
#define SAL_GET_STATE_INFO_SIZE 0x01000002
#define SAL_CLEAR_STATE_INFO 0x01000003
#define SAL_MC_RENDEZ 0x01000004
#define SAL_MC_SET_PARAMS 0x01000005
#define SAL_CACHE_FLUSH 0x01000008
#define SAL_CACHE_INIT 0x01000009
#define SAL_PCI_CONFIG_READ 0x01000010
#define SAL_PCI_CONFIG_WRITE 0x01000011
#define SAL_FREQ_BASE 0x01000012
#define SAL_PHYSICAL_ID_INFO 0x01000013
#define SAL_INFO_TYPE_MCA 0
#define SAL_INFO_TYPE_INIT 1
#define SAL_INFO_TYPE_CMC 2
#define SAL_INFO_TYPE_CPE 3
#define SAL_MC_PARAM_RENDEZ_INT 1
#define SAL_MC_PARAM_RENDEZ_WAKEUP 2
#define SAL_MC_PARAM_CPE_INT 3
#define SAL_MC_PARAM_MECHANISM_INT 1
#define SAL_MC_PARAM_MECHANISM_MEM 2
#define SAL_VECTOR_OS_MCA 0
#define SAL_VECTOR_OS_INIT 1
#define SAL_VECTOR_OS_BOOT_RENDEZ 2

#define PAL_CACHE_FLUSH 1
#define PAL_CACHE_INFO 2
#define PAL_CACHE_INIT 3
#define PAL_CACHE_SUMMARY 4
#define PAL_PTCE_INFO 6
#define PAL_VM_SUMMARY 8
#define PAL_FIXED_ADDR 12
#define PAL_FREQ_BASE 13
#define PAL_FREQ_RATIOS 14
#define PAL_PROC_GET_FEATURES 17
#define PAL_PROC_SET_FEATURES 18
#define PAL_RSE_INFO 19
#define PAL_VERSION 20
#define PAL_MC_CLEAR_LOG 21
#define PAL_MC_DRAIN 22
#define PAL_MC_EXPECTED 23
#define PAL_HALT 28
#define PAL_HALT_LIGHT 29
#define PAL_VM_PAGE_SIZE 34
#define PAL_LOGICAL_TO_PHYSICAL 42
#define PAL_HALT_INFO 257 /* stacked */
#define PAL_BRAND_INFO 274 /* stacked */
/* The one cache PAL_CACHE_SUMMARY reports: unified, 4-way, 128-byte lines,
 * 1 MiB (PAL_CACHE_INFO). */
#define IA64_FW_CACHE_LINE_SHIFT 7
#define IA64_FW_CACHE_SIZE (1 << 20)

/* Min-state save area offsets (the architected first 1 KiB). */
#define MINSTATE_NAT 0
#define MINSTATE_GR1 8     /* gr1..gr15 */
#define MINSTATE_BANK0 128 /* bank 0 gr16..gr31 */
#define MINSTATE_BANK1 256 /* bank 1 gr16..gr31 */
#define MINSTATE_PR 384
#define MINSTATE_BR0 392
#define MINSTATE_RSC 400
#define MINSTATE_IIP 408
#define MINSTATE_IPSR 416
#define MINSTATE_IFS 424
#define MINSTATE_XIP 432 /* cr.iip/ipsr/ifs at the time of the INIT */
#define MINSTATE_XPSR 440
#define MINSTATE_XFS 448
#define MINSTATE_BR1 456

#define PSP_INIT_BIT 16 /* Processor State Parameter: 1 = INIT, 0 = MCA */

#ifndef __ASSEMBLY__
#include <stdbool.h>
#include <stdint.h>

#include "ia64/machine.h"

struct ia64_fw {
    struct ia64_machine *m;
    bool efi_virtual;    /* SetVirtualAddressMap was called (only once is allowed) */
    uint64_t boot_entry; /* where a warm-booted CPU starts over */
    uint64_t boot_sp[IA64_MAX_CPUS], boot_bspstore[IA64_MAX_CPUS]; /* ... with these */
    uint64_t init_monarch, init_monarch_gp, init_slave, init_slave_gp;
    uint64_t mca_entry, mca_gp, rendez_entry, rendez_gp;
    int monarch;      /* CPU index of this INIT's monarch, -1 none */
    unsigned in_init; /* CPUs inside OS_INIT now */
    uint64_t inits, monarchs, slaves, resumes, warm_boots; /* counters */
    uint64_t monarch_mask;                                 /* CPUs SAL ever made monarch */
    unsigned wakeup_vector;                                /* ends SAL_MC_RENDEZ (MC_SET_PARAMS) */
    uint64_t rendez_wakeups, ap_wakeups;
    bool ap_spin_installed;
    unsigned arrivals[IA64_MAX_CPUS]; /* CPUs in the order they took INIT */
    unsigned narrivals;               /* (the first IA64_MAX_CPUS INITs) */
};

/* Installs PAL/SAL on m (entry traps; the min-state areas must lie in RAM)
 * and returns 0, or -1 with a message in err. */
int ia64_fw_init(struct ia64_fw *fw, struct ia64_machine *m, uint64_t boot_entry, char *err,
                 size_t errlen);
/* Writes the SAL system table, the EFI system table and memory map, and
 * ia64_boot_param at their fixed addresses. 0, or -1 if RAM is too small. */
int ia64_fw_tables(struct ia64_machine *m);
/* The boot loader's part of ia64_boot_param: the command line (NULL keeps
 * the default) and the initrd already placed in RAM at initrd_pa (length 0:
 * none). After the tables are written; -1 with a message on bad input. */
int ia64_fw_set_boot_args(struct ia64_machine *m, const char *cmdline, uint64_t initrd_pa,
                          uint64_t initrd_len, char *err, size_t errlen);
/* struct ia64_hooks.deliver_init with opaque = the firmware: PALE_INIT,
 * SAL, OS_INIT entry. Returns non-zero (the CPU stops) when no OS_INIT
 * handler is registered, as on hardware without an OS to take it. */
int ia64_fw_deliver_init(struct ia64_fw *fw, struct ia64_cpu *cpu);
/* Holds every CPU but CPU 0 in SAL until the AP_WAKEUP vector reaches it,
 * then enters the BOOT_RENDEZ entry (src/fw/boot.c). 0, or -1. */
int ia64_fw_hold_aps(struct ia64_fw *fw);
#endif

#endif
