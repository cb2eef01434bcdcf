/* The tables an IA-64 OS is handed at entry: ia64_boot_param (r28) points
 * at the EFI system table, whose configuration table finds the SAL system
 * table (with the PAL and SAL entry points), and at the EFI memory map.
 * Layouts as ia64-facts.md gives them (Linux's efi.h, sal.h, bootparam.h). */
#include "ia64/acpi.h"
#include "ia64/efi.h"
#include "ia64/ioport.h"
#include "ia64/firmware.h"
#include "bytes.h"
#include "ia64/mem.h"

#include <stdio.h>
#include <string.h>

#define EFI_CONVENTIONAL EFI_CONVENTIONAL_MEMORY
#define EFI_MMIO EFI_MEMORY_MAPPED_IO
#define EFI_WB 0x8ULL
#define EFI_UC 0x1ULL
#define EFI_RUNTIME (1ULL << 63)

static unsigned sal_systab(uint8_t *t)
{
    memset(t, 0, 256);
    memcpy(t, "SST_", 4);
    unsigned size = 96 + 48 + 16 + 16;
    put32(t, 4, size);
    t[8] = 0x20; /* revision 3.20, BCD */
    t[9] = 0x03;
    put16(t, 10, 3); /* entries */
    memcpy(t + 24, "dumplab", 7);
    memcpy(t + 56, "hw-ia64-sal", 11);
    uint8_t *e = t + 96;
    e[0] = 0; /* ENTRY_POINT */
    put64(e, 8, IA64_FW_PAL_PROC);
    put64(e, 16, IA64_FW_SAL_PROC);
    put64(e, 24, IA64_FW_SAL_GP);
    e += 48;
    e[0] = 2; /* PLATFORM_FEATURE: none */
    e += 16;
    e[0] = 5; /* AP_WAKEUP: external interrupt, vector 0xf0 */
    put64(e, 8, IA64_FW_AP_WAKEUP_VECTOR);
    uint8_t sum = 0;
    for (unsigned i = 0; i < size; i++)
        sum += t[i];
    t[12] = (uint8_t)-sum; /* all bytes sum to 0 mod 256 */
    return size;
}

static void efi_systab(uint8_t *t)
{
    /* SAL_SYSTEM_TABLE_GUID eb9d2d32-2d88-11d3-9a16-0090273fc14d, EFI byte order */
    static const uint8_t sal_guid[16] = {0x32, 0x2d, 0x9d, 0xeb, 0x88, 0x2d, 0xd3, 0x11,
                                         0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d};
    /* ACPI_20_TABLE_GUID 8868e871-e4f1-11d3-bc22-0080c73c8881 */
    static const uint8_t acpi20_guid[16] = {0x71, 0xe8, 0x68, 0x88, 0xf1, 0xe4, 0xd3, 0x11,
                                            0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81};
    memset(t, 0, 256);
    put64(t, 0, EFI_SYSTAB_SIGNATURE);
    put32(t, 8, (1 << 16) | 10); /* EFI 1.10 */
    put32(t, 12, 120);
    put64(t, EFI_SYSTAB_NR_TABLES, 2);
    put64(t, EFI_SYSTAB_TABLES, IA64_FW_EFI_SYSTAB + 128);
    put64(t, EFI_SYSTAB_RUNTIME, IA64_FW_EFI_RUNTIME);
    memcpy(t + 128, sal_guid, 16);
    put64(t, 144, IA64_FW_SAL_SYSTAB);
    memcpy(t + 152, acpi20_guid, 16);
    put64(t, 168, ACPI_RSDP_PA);
}

static unsigned desc(uint8_t *map, unsigned i, uint32_t type, uint64_t pa, uint64_t len,
                     uint64_t attr)
{
    uint8_t *d = map + i * IA64_FW_MEMDESC_SIZE;
    memset(d, 0, IA64_FW_MEMDESC_SIZE);
    put32(d, 0, type);
    put64(d, 8, pa);
    put64(d, 16, pa);
    put64(d, 24, len >> 12);
    put64(d, 32, attr);
    return i + 1;
}

int ia64_fw_tables(struct ia64_machine *m)
{
    uint8_t *sst = ia64_ram_ptr(m, IA64_FW_SAL_SYSTAB, 256);
    uint8_t *est = ia64_ram_ptr(m, IA64_FW_EFI_SYSTAB, 256);
    uint8_t *map = ia64_ram_ptr(m, IA64_FW_EFI_MEMMAP, 16 * IA64_FW_MEMDESC_SIZE);
    uint8_t *bp = ia64_ram_ptr(m, IA64_FW_BOOT_PARAM, 512);
    if (!sst || !est || !map || !bp)
        return -1;
    sal_systab(sst);
    efi_systab(est);
    if (ia64_fw_acpi_tables(m) != 0)
        return -1;
    unsigned n = 0;
    n = desc(map, n, EFI_CONVENTIONAL, 0, IA64_FW_PAL_PROC, EFI_WB);
    /* The memory map, ia64_boot_param and the command line are what a
     * loader (elilo) allocates as LoaderData, as on real machines: Linux
     * reserves them at boot, and a first kernel's /dev/mem reads them
     * (ia64's valid_phys_addr_range admits only kern_memmap, which holds
     * the available types) to build the capture kernel's. */
    n = desc(map, n, EFI_PAL_CODE, IA64_FW_PAL_PROC, IA64_FW_EFI_MEMMAP - IA64_FW_PAL_PROC,
             EFI_WB | EFI_RUNTIME);
    n = desc(map, n, EFI_LOADER_DATA, IA64_FW_EFI_MEMMAP, IA64_FW_EFI_RUNTIME - IA64_FW_EFI_MEMMAP,
             EFI_WB);
    n = desc(map, n, EFI_PAL_CODE, IA64_FW_EFI_RUNTIME, IA64_FW_MINSTATE_END - IA64_FW_EFI_RUNTIME,
             EFI_WB | EFI_RUNTIME);
    n = desc(map, n, EFI_CONVENTIONAL, IA64_FW_MINSTATE_END, m->ram_size - IA64_FW_MINSTATE_END,
             EFI_WB);
    n = desc(map, n, EFI_MMIO, 0xfee00000, 0x100000, EFI_UC | EFI_RUNTIME);
    n = desc(map, n, EFI_MMIO, 0xfff00000, 0x30000, EFI_UC | EFI_RUNTIME); /* UART, halt, dump device */
    n = desc(map, n, EFI_MMIO_PORT_SPACE, IA64_IOPORT_BASE, IA64_IOPORT_SIZE, EFI_UC | EFI_RUNTIME);
    memset(bp, 0, 512);
    put64(bp, BOOT_PARAM_CMDLINE, IA64_FW_BOOT_PARAM + 256);
    memcpy(bp + 256, "console=uart", 12);
    put64(bp, BOOT_PARAM_EFI_SYSTAB, IA64_FW_EFI_SYSTAB);
    put64(bp, BOOT_PARAM_EFI_MEMMAP, IA64_FW_EFI_MEMMAP);
    put64(bp, BOOT_PARAM_MEMMAP_SIZE, (uint64_t)n * IA64_FW_MEMDESC_SIZE);
    put64(bp, BOOT_PARAM_MEMDESC_SIZE, IA64_FW_MEMDESC_SIZE);
    put32(bp, BOOT_PARAM_MEMDESC_VERSION, 1);
    put16(bp, BOOT_PARAM_CONSOLE_COLS, 80);
    put16(bp, BOOT_PARAM_CONSOLE_ROWS, 25);
    return 0;
}

int ia64_fw_set_boot_args(struct ia64_machine *m, const char *cmdline, uint64_t initrd_pa,
                          uint64_t initrd_len, char *err, size_t errlen)
{
    /* The command line lives after the boot param, up to the EFI runtime
     * table; Linux/ia64 copies at most COMMAND_LINE_SIZE (2048) bytes. */
    size_t room = IA64_FW_EFI_RUNTIME - (IA64_FW_BOOT_PARAM + 256);
    if (room > 2048)
        room = 2048;
    uint8_t *bp = ia64_ram_ptr(m, IA64_FW_BOOT_PARAM, 256 + room);
    if (!bp) {
        snprintf(err, errlen, "no RAM for the boot parameters");
        return -1;
    }
    if (cmdline) {
        size_t n = strlen(cmdline);
        if (n >= room) {
            snprintf(err, errlen, "command line of %zu bytes is longer than %zu", n, room - 1);
            return -1;
        }
        memset(bp + 256, 0, room);
        memcpy(bp + 256, cmdline, n);
    }
    if (initrd_len) {
        if (!ia64_ram_ptr(m, initrd_pa, initrd_len)) {
            snprintf(err, errlen, "initrd at 0x%llx (%llu bytes) is not in RAM",
                     (unsigned long long)initrd_pa, (unsigned long long)initrd_len);
            return -1;
        }
        put64(bp, BOOT_PARAM_INITRD_START, initrd_pa);
        put64(bp, BOOT_PARAM_INITRD_SIZE, initrd_len);
    }
    return 0;
}
