/* EFI and boot-handoff layouts the firmware writes (tables.c) and test
 * programs read, as ia64-facts.md gives them (Linux efi.h, bootparam.h).
 * Offsets only, so that assembly can use them too. */
#ifndef IA64_EFI_H
#define IA64_EFI_H

/* struct ia64_boot_param (80 bytes, LP64) */
#define BOOT_PARAM_CMDLINE 0
#define BOOT_PARAM_EFI_SYSTAB 8
#define BOOT_PARAM_EFI_MEMMAP 16
#define BOOT_PARAM_MEMMAP_SIZE 24
#define BOOT_PARAM_MEMDESC_SIZE 32
#define BOOT_PARAM_MEMDESC_VERSION 40 /* u32 */
#define BOOT_PARAM_CONSOLE_COLS 44    /* u16 each: cols, rows, orig_x, orig_y */
#define BOOT_PARAM_CONSOLE_ROWS 46
#define BOOT_PARAM_FPSWA 56
#define BOOT_PARAM_INITRD_START 64
#define BOOT_PARAM_INITRD_SIZE 72
#define BOOT_PARAM_SIZE 80

/* efi_system_table_t */
#define EFI_SYSTAB_SIGNATURE 0x5453595320494249 /* "IBI SYST" */
#define EFI_SYSTAB_NR_TABLES 104
#define EFI_SYSTAB_TABLES 112
#define EFI_CONFIG_TABLE_SIZE 24 /* GUID, then the table's address */
#define EFI_SYSTAB_RUNTIME 88

/* efi_runtime_services_t: a 24-byte header, then 14 pointers to function
 * descriptors (entry ip, gp), in this order. */
#define EFI_RUNTIME_SIGNATURE 0x56524553544e5552 /* "RUNTSERV" */
#define EFI_RT_GET_TIME 0
#define EFI_RT_SET_TIME 1
#define EFI_RT_GET_WAKEUP_TIME 2
#define EFI_RT_SET_WAKEUP_TIME 3
#define EFI_RT_SET_VIRTUAL_ADDRESS_MAP 4
#define EFI_RT_CONVERT_POINTER 5
#define EFI_RT_GET_VARIABLE 6
#define EFI_RT_GET_NEXT_VARIABLE 7
#define EFI_RT_SET_VARIABLE 8
#define EFI_RT_GET_NEXT_HIGH_MONO_COUNT 9
#define EFI_RT_RESET_SYSTEM 10
#define EFI_RT_UPDATE_CAPSULE 11
#define EFI_RT_QUERY_CAPSULE_CAPS 12
#define EFI_RT_QUERY_VARIABLE_INFO 13
#define EFI_RT_COUNT 14
#define EFI_RT_FN(i) (24 + 8 * (i)) /* offset of service i's descriptor pointer */
#define EFI_RT_DESCS 256            /* descriptors at runtime + 256, 16 bytes each */

#define EFI_SUCCESS 0
#define EFI_INVALID_PARAMETER 0x8000000000000002
#define EFI_UNSUPPORTED 0x8000000000000003
#define EFI_NOT_FOUND 0x800000000000000e
#define EFI_RESET_SHUTDOWN 2

/* efi_memory_desc_t (40 bytes; step by the boot param's memdesc size) */
#define EFI_MD_TYPE 0
#define EFI_MD_PHYS 8
#define EFI_MD_VIRT 16
#define EFI_MD_PAGES 24 /* 4 KiB EFI pages */
#define EFI_MD_ATTR 32

#define EFI_RESERVED_TYPE 0
#define EFI_LOADER_DATA 2
#define EFI_CONVENTIONAL_MEMORY 7
#define EFI_MEMORY_MAPPED_IO 11
#define EFI_MMIO_PORT_SPACE 12
#define EFI_PAL_CODE 13
#define EFI_MEMORY_UC 0x1
#define EFI_MEMORY_WB 0x8
#define EFI_MEMORY_RUNTIME 0x8000000000000000

#endif
