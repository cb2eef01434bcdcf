/* The ACPI tables Linux/ia64 boots from (it has no other way to learn its
 * CPUs and interrupt controllers): the RSDP, found through the EFI
 * configuration table's ACPI 2.0 GUID, points at an XSDT listing
 *   - the MADT: the SAPIC IPI block, one I/O SAPIC, and one Local SAPIC per
 *     CPU whose id/eid are the CPU's cr.lid (what hard_smp_processor_id
 *     reads), so smp_build_cpu_map finds every CPU;
 *   - a FADT for hardware-reduced ACPI (5.0): no SCI, no PM1 blocks, only
 *     the sleep control/status registers, which the machine's halt device
 *     implements (ACPI S5 ends the run: Linux's power off);
 *   - a DSDT whose AML declares \_S5 and the UART as a PNP0501 device with
 *     its MMIO window (8250_pnp then attaches ttyS0 to it, polled).
 * Layouts from the ACPI 5.0 specification (sections 5.2.5-5.2.12). All
 * tables live in the firmware's PalCode range, which Linux never uses as
 * RAM and maps write-back through its identity map. */
#include "ia64/acpi.h"

#include "ia64/efi.h"
#include "ia64/firmware.h"
#include "bytes.h"
#include "ia64/iosapic.h"
#include "ia64/mem.h"
#include "ia64/sapic.h"

#include <string.h>

static uint8_t checksum(const uint8_t *p, unsigned len)
{
    uint8_t sum = 0;
    for (unsigned i = 0; i < len; i++)
        sum += p[i];
    return (uint8_t)-sum;
}

/* The 36-byte system description header; the checksum is set last. */
static void header(uint8_t *t, const char sig[4], uint32_t len, uint8_t rev)
{
    memcpy(t, sig, 4);
    put32(t, 4, len);
    t[8] = rev;
    memcpy(t + 10, "DUMPLB", 6);
    memcpy(t + 16, "IA64SIM ", 8);
    put32(t, 24, 1);
    memcpy(t + 28, "DLAB", 4);
    put32(t, 32, 1);
}

static void seal(uint8_t *t)
{
    uint32_t len;
    memcpy(&len, t + 4, 4);
    t[9] = 0;
    t[9] = checksum(t, len);
}

/* Generic Address Structure: system memory, byte access. */
static void gas_mem8(uint8_t *p, unsigned off, uint64_t addr)
{
    p[off] = 0;     /* system memory */
    p[off + 1] = 8; /* bit width */
    p[off + 2] = 0;
    p[off + 3] = 1; /* byte access */
    put64(p, off + 4, addr);
}

static unsigned madt(uint8_t *t, unsigned ncpus)
{
    unsigned n = 44;
    uint8_t *e = t + n;
    e[0] = 6; /* I/O SAPIC */
    e[1] = 16;
    e[2] = 0;       /* I/O SAPIC id */
    put32(e, 4, 0); /* global system interrupt base */
    put64(e, 8, IA64_IOSAPIC_BASE);
    n += 16;
    for (unsigned i = 0; i < ncpus; i++) {
        e = t + n;
        memset(e, 0, ACPI_LSAPIC_LEN);
        e[0] = 7; /* Local SAPIC, with room for a UID string */
        e[1] = ACPI_LSAPIC_LEN;
        e[2] = (uint8_t)i; /* ACPI processor id */
        e[3] = (uint8_t)i; /* id: cr.lid bits 31:24 (cpu.c) */
        e[4] = 0;          /* eid: cr.lid bits 23:16 */
        put32(e, 8, 1);    /* enabled */
        put32(e, 12, i);   /* processor UID; the UID string is empty */
        n += ACPI_LSAPIC_LEN;
    }
    header(t, "APIC", n, 3);
    put32(t, 36, (uint32_t)IA64_SAPIC_BASE); /* the IPI block */
    put32(t, 40, 0);                         /* no PC-AT 8259s */
    seal(t);
    return n;
}

static unsigned fadt(uint8_t *t)
{
    memset(t, 0, ACPI_FADT_LEN);
    header(t, "FACP", ACPI_FADT_LEN, 5);
    t[131] = 0; /* minor version */
    put32(t, 40, (uint32_t)ACPI_DSDT_PA);
    put32(t, 112, 1u << 20);     /* HW_REDUCED_ACPI */
    put64(t, 140, ACPI_DSDT_PA); /* X_DSDT */
    gas_mem8(t, 244, IA64_ACPI_SLEEP_CONTROL);
    gas_mem8(t, 256, IA64_ACPI_SLEEP_STATUS);
    seal(t);
    return ACPI_FADT_LEN;
}

/* AML, hand-assembled (ACPI 5.0 chapter 19):
 *   Name (\_S5, Package () { 5, 5 })
 *   Device (\_SB.COM1) {        -- as Scope (\_SB) { Device (COM1) { ... } }
 *     Name (_HID, EisaId ("PNP0501"))
 *     Name (_UID, 1)
 *     Name (_CRS, ResourceTemplate () { Memory32Fixed (ReadWrite, base, 0x1000) })
 *   } */
static unsigned dsdt(uint8_t *t)
{
    static const uint8_t s5[] = {0x08, '_',  'S',  '5',  '_',  0x12,
                                 0x06, 0x02, 0x0a, 0x05, 0x0a, 0x05};
    /* Memory32Fixed: tag 0x86, length 9, RW, base, length; then the end tag. */
    uint8_t crs[12 + 2];
    crs[0] = 0x86;
    put16(crs, 1, 9);
    crs[3] = 1;
    put32(crs, 4, (uint32_t)IA64_UART_BASE);
    put32(crs, 8, (uint32_t)IA64_UART_SIZE);
    crs[12] = 0x79; /* end tag */
    crs[13] = 0;    /* checksum 0: not checked */
    /* EisaId("PNP0501") = 0x0105d041 as a DWordConst, little-endian. */
    uint8_t dev[64];
    unsigned d = 0;
    dev[d++] = 0x08;
    memcpy(dev + d, "_HID", 4);
    d += 4;
    dev[d++] = 0x0c;
    put32(dev, d, 0x0105d041);
    d += 4;
    dev[d++] = 0x08;
    memcpy(dev + d, "_UID", 4);
    d += 4;
    dev[d++] = 0x01; /* OneOp */
    dev[d++] = 0x08;
    memcpy(dev + d, "_CRS", 4);
    d += 4;
    dev[d++] = 0x11;                           /* BufferOp */
    dev[d++] = (uint8_t)(1 + 2 + sizeof(crs)); /* PkgLength (one byte, < 64) */
    dev[d++] = 0x0a;                           /* BytePrefix: buffer size */
    dev[d++] = sizeof(crs);
    memcpy(dev + d, crs, sizeof(crs));
    d += sizeof(crs);

    unsigned n = 36;
    memcpy(t + n, s5, sizeof(s5));
    n += sizeof(s5);
    /* Scope (_SB_) { Device (COM1) { dev } }: ScopeOp, PkgLength, name. */
    unsigned devlen = 2 + 1 + 4 + d;    /* ExtOp DeviceOp, PkgLength, name, body */
    unsigned scopelen = 1 + 4 + devlen; /* PkgLength, name, body */
    t[n++] = 0x10;
    t[n++] = (uint8_t)scopelen;
    memcpy(t + n, "_SB_", 4);
    n += 4;
    t[n++] = 0x5b;
    t[n++] = 0x82;
    t[n++] = (uint8_t)(1 + 4 + d);
    memcpy(t + n, "COM1", 4);
    n += 4;
    memcpy(t + n, dev, d);
    n += d;
    header(t, "DSDT", n, 2);
    seal(t);
    return n;
}

int ia64_fw_acpi_tables(struct ia64_machine *m)
{
    uint8_t *base = ia64_ram_ptr(m, IA64_FW_ACPI, IA64_FW_ACPI_SIZE);
    if (!base)
        return -1;
    memset(base, 0, IA64_FW_ACPI_SIZE);
    uint8_t *rsdp = base + (ACPI_RSDP_PA - IA64_FW_ACPI);
    uint8_t *xsdt = base + (ACPI_XSDT_PA - IA64_FW_ACPI);
    fadt(base + (ACPI_FADT_PA - IA64_FW_ACPI));
    dsdt(base + (ACPI_DSDT_PA - IA64_FW_ACPI));
    madt(base + (ACPI_MADT_PA - IA64_FW_ACPI), m->ncpus);

    header(xsdt, "XSDT", 36 + 2 * 8, 1);
    put64(xsdt, 36, ACPI_FADT_PA);
    put64(xsdt, 44, ACPI_MADT_PA);
    seal(xsdt);

    memcpy(rsdp, "RSD PTR ", 8);
    memcpy(rsdp + 9, "DUMPLB", 6);
    rsdp[15] = 2; /* ACPI 2.0+: use the XSDT */
    put32(rsdp, 20, 36);
    put64(rsdp, 24, ACPI_XSDT_PA);
    rsdp[8] = checksum(rsdp, 20);
    rsdp[32] = checksum(rsdp, 36);
    return 0;
}
