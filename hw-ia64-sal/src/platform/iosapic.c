/* The minimal I/O SAPIC of iosapic.h. Only what kdump needs to show: a
 * device line routed to a CPU, masking (kexec_disable_iosapic), and an
 * interrupt that reaches whoever runs on that CPU next when it is not
 * masked. Edge-triggered, fixed delivery. */
#include "ia64/iosapic.h"

#include <string.h>

#include "ia64/cpu.h"
#include "ia64/mem.h"

static int io_read(void *opaque, struct ia64_cpu *cpu, uint64_t off, unsigned size, uint64_t *val)
{
    struct ia64_iosapic *s = opaque;
    *val = 0;
    if (off == IOSAPIC_REG_SELECT) {
        *val = s->select;
    } else if (off == IOSAPIC_WINDOW) {
        unsigned r = s->select;
        if (r == 1)
            *val = (uint64_t)(IOSAPIC_LINES - 1) << 16 | 0x21; /* version: max RTE, rev */
        else if (r >= 0x10 && r < 0x10 + 2 * IOSAPIC_LINES)
            *val = (r & 1) ? s->high[(r - 0x10) / 2] : s->low[(r - 0x10) / 2];
    }
    return 0;
}

static int io_write(void *opaque, struct ia64_cpu *cpu, uint64_t off, unsigned size, uint64_t val)
{
    struct ia64_iosapic *s = opaque;
    if (off == IOSAPIC_REG_SELECT) {
        s->select = (uint32_t)val & 0xff;
    } else if (off == IOSAPIC_WINDOW) {
        unsigned r = s->select;
        if (r >= 0x10 && r < 0x10 + 2 * IOSAPIC_LINES) {
            if (r & 1)
                s->high[(r - 0x10) / 2] = (uint32_t)val;
            else
                s->low[(r - 0x10) / 2] = (uint32_t)val;
        }
    }
    return 0; /* the EOI register and the rest: accepted, no effect */
}

static const struct ia64_mmio_ops io_ops = {.read = io_read, .write = io_write};

int ia64_iosapic_init(struct ia64_iosapic *s, struct ia64_machine *m)
{
    memset(s, 0, sizeof(*s));
    s->m = m;
    for (unsigned i = 0; i < IOSAPIC_LINES; i++)
        s->low[i] = IOSAPIC_MASK;
    return ia64_machine_add_mmio(m, IA64_IOSAPIC_BASE, IA64_IOSAPIC_SIZE, &io_ops, s);
}

void ia64_iosapic_assert(struct ia64_iosapic *s, unsigned line)
{
    if (line >= IOSAPIC_LINES)
        return;
    if (s->low[line] & IOSAPIC_MASK) {
        s->suppressed[line]++;
        return;
    }
    unsigned dest = (s->high[line] >> 16) & 0xffff; /* id << 8 | eid */
    for (unsigned i = 0; i < s->m->ncpus; i++) {
        struct ia64_cpu *c = &s->m->cpus[i];
        if (((c->cr[IA64_CR_LID] >> 16) & 0xffff) == dest) {
            ia64_cpu_raise_extint(c, s->low[line] & 0xff);
            s->delivered[line]++;
            return;
        }
    }
}

void ia64_iosapic_set_period(struct ia64_iosapic *s, unsigned line, uint64_t period)
{
    if (line >= IOSAPIC_LINES)
        return;
    s->period[line] = period;
    if (period)
        s->periodic |= 1u << line;
    else
        s->periodic &= ~(1u << line);
}

void ia64_iosapic_tick(struct ia64_iosapic *s, uint64_t total_bundles)
{
    for (uint32_t m = s->periodic; m;
         m &= m - 1) { /* called every bundle: lines with a device only */
        unsigned i = (unsigned)__builtin_ctz(m);
        if (total_bundles % s->period[i] == 0)
            ia64_iosapic_assert(s, i);
    }
}
