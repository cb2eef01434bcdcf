/* The SAPIC processor interrupt block at 0xfee00000: a CPU sends an IPI by
 * writing data = (delivery mode << 8) | vector to base + (phys_id << 4),
 * phys_id = (id << 8) | eid of the target's cr.lid (irq_ia64.c). INT is an
 * external interrupt (masked by PSR.i and TPR in the core), NMI and INIT
 * are not. */
#include "ia64/sapic.h"

#include "ia64/cpu.h"
#include "ia64/mem.h"

#define DM_INT 0x0
#define DM_PMI 0x2
#define DM_NMI 0x4
#define DM_INIT 0x5
#define DM_EXTINT 0x7

static struct ia64_cpu *target(struct ia64_machine *m, uint64_t off)
{
    unsigned phys_id = (unsigned)((off >> 4) & 0xffff);
    for (unsigned i = 0; i < m->ncpus; i++) {
        uint64_t lid = m->cpus[i].cr[IA64_CR_LID];
        if (((lid >> 16) & 0xffff) == phys_id)
            return &m->cpus[i];
    }
    return NULL;
}

static int ipi_write(void *opaque, struct ia64_cpu *from, uint64_t off, unsigned size,
                     uint64_t data)
{
    struct ia64_machine *m = opaque;
    if (off >= IA64_SAPIC_IPI_SIZE)
        return 0; /* XTP and the rest of the block: accepted, no effect */
    struct ia64_cpu *to = target(m, off);
    if (!to)
        return 0; /* no such processor: the write goes nowhere, as on hardware */
    switch ((data >> 8) & 7) {
    case DM_INT:
    case DM_EXTINT:
        ia64_cpu_raise_extint(to, (unsigned)(data & 0xff));
        break;
    case DM_NMI:
        ia64_cpu_raise_nmi(to);
        break;
    case DM_INIT:
        ia64_cpu_raise_init(to);
        break;
    default:
        break; /* PMI and reserved modes: not modelled */
    }
    return 0;
}

static int ipi_read(void *opaque, struct ia64_cpu *cpu, uint64_t off, unsigned size, uint64_t *val)
{
    *val = 0;
    return 0;
}

static const struct ia64_mmio_ops ipi_ops = {.read = ipi_read, .write = ipi_write};

int ia64_sapic_init(struct ia64_machine *m)
{
    return ia64_machine_add_mmio(m, IA64_SAPIC_BASE, IA64_SAPIC_SIZE, &ipi_ops, m);
}
