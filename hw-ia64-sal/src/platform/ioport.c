/* The I/O port space Linux/ia64 finds in the EFI memory map (type
 * MMIO_PortSpace; io_port_init, efi_get_iobase): 64 MiB at the address DIG
 * platforms use, reached in the sparse layout Linux computes (port >> 2
 * selects a 4 KiB page). No legacy device sits behind it, so reads answer
 * all ones, as a bus with nothing at the port does, and writes go nowhere.
 * Without it, Linux's probes of legacy ports (i8042, VGA, the RTC) would
 * land in RAM at physical 0. */
#include "ia64/ioport.h"

#include "ia64/mem.h"

static int port_read(void *opaque, struct ia64_cpu *cpu, uint64_t off, unsigned size,
                     uint64_t *val)
{
    *val = size >= 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
    return 0;
}

static int port_write(void *opaque, struct ia64_cpu *cpu, uint64_t off, unsigned size,
                      uint64_t val)
{
    return 0;
}

static const struct ia64_mmio_ops port_ops = {port_read, port_write};

int ia64_ioport_init(struct ia64_machine *m)
{
    /* Once per machine: a machine powered on again keeps its window. */
    for (unsigned i = 0; i < m->nmmio; i++)
        if (m->mmio[i].ops == &port_ops && m->mmio[i].base == IA64_IOPORT_BASE)
            return 0;
    return ia64_machine_add_mmio(m, IA64_IOPORT_BASE, IA64_IOPORT_SIZE, &port_ops, m);
}
