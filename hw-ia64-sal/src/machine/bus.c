/* The physical bus: RAM at 0, the core's UART and halt device, and the
 * MMIO regions other components register. */
#include <string.h>

#include "../core/internal.h"
#include "ia64/acpi.h"

const uint8_t *ia64_bus_ram(struct ia64_machine *m, uint64_t pa, uint64_t len)
{
    if (pa >= m->ram_size || len > m->ram_size - pa)
        return NULL;
    return m->ram + pa;
}

uint8_t *ia64_ram_ptr(struct ia64_machine *m, uint64_t pa, uint64_t len)
{
    if (pa >= m->ram_size || len > m->ram_size - pa)
        return NULL;
    /* The caller may write through it (firmware tables, save areas). */
    if (m->ram_dirty)
        m->ram_dirty(m->ram_dirty_opaque, pa, len);
    return m->ram + pa;
}

static const struct ia64_mmio_region *find_mmio(struct ia64_machine *m, uint64_t pa, unsigned size)
{
    for (unsigned i = 0; i < m->nmmio; i++) {
        const struct ia64_mmio_region *r = &m->mmio[i];
        if (pa >= r->base && pa - r->base + size <= r->size)
            return r;
    }
    return NULL;
}

int ia64_phys_read(struct ia64_machine *m, struct ia64_cpu *cpu, uint64_t pa, unsigned size,
                   uint64_t *val)
{
    const uint8_t *p = ia64_bus_ram(m, pa, size);
    if (p) {
        uint64_t v = 0;
        for (unsigned i = size; i-- > 0;)
            v = v << 8 | p[i];
        *val = v;
        return 0;
    }
    if (m->bus && m->bus->read) {
        int rc = m->bus->read(m->bus_opaque, cpu, pa, size, val);
        if (rc != IA64_BUS_UNCLAIMED)
            return rc;
    }
    const struct ia64_mmio_region *r = find_mmio(m, pa, size);
    if (r && r->ops->read)
        return r->ops->read(r->opaque, cpu, pa - r->base, size, val);
    return -1;
}

int ia64_phys_write(struct ia64_machine *m, struct ia64_cpu *cpu, uint64_t pa, unsigned size,
                    uint64_t val)
{
    if (pa < m->ram_size && size <= m->ram_size - pa) {
        uint8_t *p = m->ram + pa;
        for (unsigned i = 0; i < size; i++)
            p[i] = (uint8_t)(val >> (8 * i));
        if (m->ram_dirty)
            m->ram_dirty(m->ram_dirty_opaque, pa, size);
        return 0;
    }
    if (m->bus && m->bus->write) {
        int rc = m->bus->write(m->bus_opaque, cpu, pa, size, val);
        if (rc != IA64_BUS_UNCLAIMED)
            return rc;
    }
    const struct ia64_mmio_region *r = find_mmio(m, pa, size);
    if (r && r->ops->write)
        return r->ops->write(r->opaque, cpu, pa - r->base, size, val);
    if (r)
        return -1; /* a device that takes no writes */
    /* Nothing there: the write goes nowhere, as on a real bus. */
    m->unclaimed_writes++;
    m->last_unclaimed_write = pa;
    return 0;
}

int ia64_bus_fetch(struct ia64_machine *m, uint64_t pa, uint8_t out[16])
{
    const uint8_t *p = ia64_bus_ram(m, pa, 16);
    if (!p)
        return -1;
    memcpy(out, p, 16);
    return 0;
}

/* --- halt device: +0 halts the machine, +8 halts the writing CPU ------- */

static int halt_read(void *opaque, struct ia64_cpu *cpu, uint64_t off, unsigned size, uint64_t *val)
{
    *val = 0;
    return 0;
}

static int halt_write(void *opaque, struct ia64_cpu *cpu, uint64_t off, unsigned size, uint64_t val)
{
    struct ia64_machine *m = opaque;
    if (off == 0) {
        m->halted = true;
        m->halt_code = (int)val;
    }
    /* ACPI sleep control (hardware-reduced ACPI, FADT): SLP_EN with the
     * DSDT's S5 type is the OS powering off, a clean end of the run. Other
     * sleep states are not offered (\_S5 is the DSDT's only one). */
    if (off == IA64_ACPI_SLEEP_CONTROL - IA64_HALT_BASE && (val & 0x20) &&
        ((val >> 2) & 7) == IA64_ACPI_SLP_TYP_S5) {
        m->halted = true;
        m->halt_code = 0;
        m->powered_off = true;
    }
    if (cpu && (off == 0 || off == 8)) {
        cpu->state = IA64_CPU_HALTED;
        cpu->halt_code = (int)val;
    }
    return 0;
}

const struct ia64_mmio_ops ia64_halt_ops = {halt_read, halt_write};
