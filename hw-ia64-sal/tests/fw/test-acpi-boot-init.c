/* The ACPI tables as Linux/ia64 reads them at boot (efi_init finds the RSDP
 * through the EFI configuration table; acpi_table_init checks signatures,
 * lengths and checksums and walks the XSDT; acpi_boot_init parses the MADT
 * for the IPI block, the I/O SAPIC and one enabled Local SAPIC per CPU whose
 * id/eid is that CPU's cr.lid; ACPICA takes the DSDT from the FADT and,
 * under HW_REDUCED_ACPI, powers off through the sleep control register with
 * \_S5's type). Reads RAM only through the physical bus, as the OS does.
 * TAP output. */
#include "ia64/acpi.h"
#include "ia64/efi.h"
#include "ia64/firmware.h"
#include "ia64/ioport.h"
#include "ia64/iosapic.h"
#include "ia64/mem.h"
#include "ia64/platform.h"
#include "ia64/sapic.h"
#include "ia64/sim.h"

#include <stdio.h>
#include <string.h>

static int n, failed;

static void ok(int cond, const char *what)
{
    printf("%sok %d %s\n", cond ? "" : "not ", ++n, what);
    if (!cond)
        failed = 1;
}

static struct ia64_machine m;

static uint64_t rd(uint64_t pa, unsigned size)
{
    uint64_t v = 0;
    if (ia64_phys_read(&m, &m.cpus[0], pa, size, &v) != 0)
        return ~0ULL;
    return v;
}

static int sum_ok(uint64_t pa, unsigned len)
{
    uint8_t s = 0;
    for (unsigned i = 0; i < len; i++)
        s += (uint8_t)rd(pa + i, 1);
    return s == 0;
}

static int sig(uint64_t pa, const char *s)
{
    for (unsigned i = 0; s[i]; i++)
        if (rd(pa + i, 1) != (uint8_t)s[i])
            return 0;
    return 1;
}

/* acpi_get_table through the XSDT: the table's address, 0 if absent. */
static uint64_t find_table(uint64_t xsdt, const char *name)
{
    uint32_t len = (uint32_t)rd(xsdt + 4, 4);
    for (uint64_t e = xsdt + 36; e + 8 <= xsdt + len; e += 8) {
        uint64_t t = rd(e, 8);
        if (sig(t, name))
            return t;
    }
    return 0;
}

/* With a directory argument: the tables go there too, one file each
 * (dsdt.dat, facp.dat, apic.dat), for an outside disassembler (iasl). */
static const char *dump_dir;

static void dump_table(const char *name, uint64_t pa)
{
    if (!dump_dir || !pa)
        return;
    char path[512];
    snprintf(path, sizeof(path), "%s/%s.dat", dump_dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return;
    uint32_t len = (uint32_t)rd(pa + 4, 4);
    for (uint32_t i = 0; i < len && i < 65536; i++)
        fputc((int)rd(pa + i, 1), f);
    fclose(f);
}

static int check(unsigned ncpus)
{
    char what[128];
    struct ia64_sim_config cfg = {.ncpus = ncpus, .mem_size = 64 << 20, .os_devices = true};
    char err[128];
    if (ia64_machine_init(&m, ncpus, cfg.mem_size) ||
        ia64_platform_setup(&m, &cfg, err, sizeof(err))) {
        ok(0, "machine and platform set up");
        return 1;
    }
    /* efi_init: the configuration table's ACPI 2.0 GUID. */
    static const uint8_t acpi20[16] = {0x71, 0xe8, 0x68, 0x88, 0xf1, 0xe4, 0xd3, 0x11,
                                       0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81};
    uint64_t systab = rd(IA64_FW_BOOT_PARAM + BOOT_PARAM_EFI_SYSTAB, 8);
    uint64_t ntab = rd(systab + EFI_SYSTAB_NR_TABLES, 8), tabs = rd(systab + EFI_SYSTAB_TABLES, 8);
    uint64_t rsdp = 0;
    for (uint64_t i = 0; i < ntab && i < 16; i++) {
        uint64_t e = tabs + i * EFI_CONFIG_TABLE_SIZE;
        int same = 1;
        for (unsigned k = 0; k < 16; k++)
            same &= rd(e + k, 1) == acpi20[k];
        if (same)
            rsdp = rd(e + 16, 8);
    }
    snprintf(what, sizeof(what), "%u CPUs: the EFI configuration table holds ACPI 2.0's RSDP",
             ncpus);
    ok(rsdp && sig(rsdp, "RSD PTR "), what);
    ok(rd(rsdp + 15, 1) >= 2 && sum_ok(rsdp, 20) && rd(rsdp + 20, 4) == 36 && sum_ok(rsdp, 36),
       "RSDP: revision 2, both checksums, length 36");
    uint64_t xsdt = rd(rsdp + 24, 8);
    ok(sig(xsdt, "XSDT") && sum_ok(xsdt, (unsigned)rd(xsdt + 4, 4)), "XSDT: signature, checksum");

    uint64_t madt = find_table(xsdt, "APIC");
    ok(madt && sum_ok(madt, (unsigned)rd(madt + 4, 4)), "MADT listed, checksum good");
    ok(rd(madt + 36, 4) == IA64_SAPIC_BASE && !(rd(madt + 40, 4) & 1),
       "MADT: IPI block at the SAPIC, no PC-AT 8259");
    unsigned lsapics = 0, good_ids = 0, iosapics = 0;
    uint64_t end = madt + rd(madt + 4, 4);
    for (uint64_t e = madt + 44; e + 2 <= end;) {
        unsigned type = (unsigned)rd(e, 1), len = (unsigned)rd(e + 1, 1);
        if (len < 2 || e + len > end)
            break;
        if (type == 7 && (rd(e + 8, 4) & 1)) {
            /* cpu_phys_id = id << 8 | eid, compared with cr.lid's 31:16 */
            unsigned phys = (unsigned)(rd(e + 3, 1) << 8 | rd(e + 4, 1));
            unsigned cpu = (unsigned)rd(e + 2, 1);
            if (cpu < ncpus && ((m.cpus[cpu].cr[IA64_CR_LID] >> 16) & 0xffff) == phys)
                good_ids++;
            lsapics++;
        }
        if (type == 6 && rd(e + 8, 8) == IA64_IOSAPIC_BASE)
            iosapics++;
        e += len;
    }
    snprintf(what, sizeof(what), "MADT: %u enabled Local SAPICs, ids matching cr.lid", ncpus);
    ok(lsapics == ncpus && good_ids == ncpus, what);
    ok(iosapics == 1, "MADT: one I/O SAPIC at its MMIO address");
    /* iosapic_init reads the version register through the window. */
    ia64_phys_write(&m, &m.cpus[0], IA64_IOSAPIC_BASE + IOSAPIC_REG_SELECT, 4, 1);
    uint64_t ver = rd(IA64_IOSAPIC_BASE + IOSAPIC_WINDOW, 4);
    ok(((ver >> 16) & 0xff) + 1 == IOSAPIC_LINES, "the I/O SAPIC answers with its RTE count");

    uint64_t fadt = find_table(xsdt, "FACP");
    ok(fadt && sum_ok(fadt, (unsigned)rd(fadt + 4, 4)) && rd(fadt + 4, 4) >= 268,
       "FADT listed, checksum good, ACPI 5.0 length");
    ok((rd(fadt + 112, 4) >> 20) & 1, "FADT: hardware-reduced ACPI");
    uint64_t dsdt = rd(fadt + 140, 8);
    uint32_t dlen = (uint32_t)rd(dsdt + 4, 4);
    if (ncpus == 4) {
        dump_table("dsdt", dsdt);
        dump_table("facp", fadt);
        dump_table("apic", madt);
    }
    ok(sig(dsdt, "DSDT") && sum_ok(dsdt, dlen), "X_DSDT points at a DSDT with a good checksum");
    int s5 = 0, com = 0;
    for (uint64_t p = dsdt + 36; p + 8 < dsdt + dlen; p++) {
        if (sig(p, "_S5_") && rd(p + 4, 1) == 0x12)
            s5 = rd(p + 7, 1) == 0x0a && rd(p + 8, 1) == IA64_ACPI_SLP_TYP_S5;
        if (rd(p, 1) == 0x0c && rd(p + 1, 4) == 0x0105d041)
            com = 1;
    }
    ok(s5, "DSDT: \\_S5 package with SLP_TYP 5");
    ok(com, "DSDT: a PNP0501 (16550) device");
    /* acpi_hw_extended_sleep(S5): SLP_TYP << 2 | SLP_EN to sleep control */
    uint64_t ctl = rd(fadt + 248, 8);
    ok(ctl == IA64_ACPI_SLEEP_CONTROL && rd(fadt + 244, 1) == 0, "sleep control in memory space");
    ia64_phys_write(&m, &m.cpus[0], ctl, 1, IA64_ACPI_SLP_TYP_S5 << 2);
    ok(!m.halted, "SLP_TYP without SLP_EN does nothing");
    ia64_phys_write(&m, &m.cpus[0], ctl, 1, IA64_ACPI_SLP_TYP_S5 << 2 | 0x20);
    ok(m.halted && m.halt_code == 0 && m.powered_off, "S5 with SLP_EN powers the machine off");
    /* io_port_init: efi_get_iobase finds the port space in the EFI map;
     * a legacy probe there (i8042's status port, sparse) reads all ones. */
    uint64_t map = rd(IA64_FW_BOOT_PARAM + BOOT_PARAM_EFI_MEMMAP, 8);
    uint64_t msz = rd(IA64_FW_BOOT_PARAM + BOOT_PARAM_MEMMAP_SIZE, 8);
    uint64_t dsz = rd(IA64_FW_BOOT_PARAM + BOOT_PARAM_MEMDESC_SIZE, 8), iobase = 0;
    for (uint64_t off = 0; dsz >= 40 && off + dsz <= msz; off += dsz)
        if (rd(map + off, 4) == EFI_MMIO_PORT_SPACE)
            iobase = rd(map + off + EFI_MD_PHYS, 8);
    ok(iobase == IA64_IOPORT_BASE, "io_port_init: the EFI map has an I/O port space");
    ok(rd(iobase + ((0x64 >> 2) << 12 | 0x64), 1) == 0xff, "a port with no device reads all ones");
    ia64_platform_teardown(&m);
    ia64_machine_destroy(&m);
    return 0;
}

int main(int argc, char **argv)
{
    dump_dir = argc > 1 ? argv[1] : NULL;
    check(1);
    check(4);
    check(IA64_MAX_CPUS);
    printf("1..%d\n", n);
    return failed;
}
