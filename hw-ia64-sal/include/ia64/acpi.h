/* Where the firmware puts the ACPI tables (src/fw/acpi.c) and the
 * hardware-reduced ACPI sleep registers the halt device implements. */
#ifndef IA64_ACPI_H
#define IA64_ACPI_H

#include "ia64/firmware.h"
#include "ia64/machine.h"

#define ACPI_RSDP_PA (IA64_FW_ACPI + 0x000)
#define ACPI_XSDT_PA (IA64_FW_ACPI + 0x040)
#define ACPI_FADT_PA (IA64_FW_ACPI + 0x100)
#define ACPI_DSDT_PA (IA64_FW_ACPI + 0x300)
#define ACPI_MADT_PA (IA64_FW_ACPI + 0x400) /* 60 + 24 * 64 CPUs < 0xc00 */
#define ACPI_FADT_LEN 268                   /* ACPI 5.0 */
#define ACPI_LSAPIC_LEN 24

/* Sleep control: writing SLP_EN (bit 5) with SLP_TYP (bits 4:2) = 5 (the
 * DSDT's \_S5) halts the machine with code 0: the OS powered off. Sleep
 * status reads 0. */
#define IA64_ACPI_SLEEP_CONTROL (IA64_HALT_BASE + 0x10)
#define IA64_ACPI_SLEEP_STATUS (IA64_HALT_BASE + 0x18)
#define IA64_ACPI_SLP_TYP_S5 5

#ifndef __ASSEMBLY__
/* Writes the tables for m's CPUs. 0, or -1 when RAM is too small. */
int ia64_fw_acpi_tables(struct ia64_machine *m);
#endif

#endif
