/* Machine lifecycle, registration of devices and firmware traps, the
 * console buffer and the run loop. */
#include <stdlib.h>
#include <string.h>

#include "../core/internal.h"

extern const struct ia64_mmio_ops ia64_uart_ops, ia64_halt_ops;

int ia64_machine_init(struct ia64_machine *m, unsigned ncpus, uint64_t ram_size)
{
    memset(m, 0, sizeof(*m));
    if (ncpus == 0 || ncpus > IA64_MAX_CPUS || ram_size == 0 || ram_size > IA64_RAM_MAX)
        return -1;
    m->ram = calloc(1, ram_size);
    if (!m->ram)
        return -1;
    m->ram_size = ram_size;
    m->ncpus = ncpus;
    if (ia64_machine_add_mmio(m, IA64_UART_BASE, IA64_UART_SIZE, &ia64_uart_ops, m) ||
        ia64_machine_add_mmio(m, IA64_HALT_BASE, IA64_HALT_SIZE, &ia64_halt_ops, m)) {
        ia64_machine_destroy(m);
        return -1;
    }
    ia64_machine_reset(m);
    return 0;
}

int ia64_machine_init_ram(struct ia64_machine *m, unsigned ncpus, uint8_t *ram, uint64_t ram_size)
{
    memset(m, 0, sizeof(*m));
    if (ncpus == 0 || ncpus > IA64_MAX_CPUS || !ram || ram_size == 0 || ram_size > IA64_RAM_MAX)
        return -1;
    m->ram = ram;
    m->ram_external = true;
    m->ram_size = ram_size;
    m->ncpus = ncpus;
    if (ia64_machine_add_mmio(m, IA64_UART_BASE, IA64_UART_SIZE, &ia64_uart_ops, m) ||
        ia64_machine_add_mmio(m, IA64_HALT_BASE, IA64_HALT_SIZE, &ia64_halt_ops, m)) {
        ia64_machine_destroy(m);
        return -1;
    }
    ia64_machine_reset(m);
    return 0;
}

void ia64_machine_set_bus(struct ia64_machine *m, const struct ia64_mmio_ops *ops, void *opaque)
{
    m->bus = ops;
    m->bus_opaque = opaque;
}

void ia64_machine_destroy(struct ia64_machine *m)
{
    if (!m->ram_external)
        free(m->ram);
    free(m->console);
    m->ram = NULL;
    m->console = NULL;
}

void ia64_machine_reset(struct ia64_machine *m)
{
    for (unsigned i = 0; i < m->ncpus; i++)
        ia64_cpu_reset(&m->cpus[i], m, i);
    m->total_bundles = 0;
    m->rr_next = 0;
    m->halted = false;
    m->halt_code = 0;
    m->powered_off = false;
    memset(&m->uart, 0, sizeof(m->uart));
    m->faulted = NULL;
    m->unclaimed_writes = 0;
    m->console_len = 0;
    if (m->console)
        m->console[0] = 0;
}

int ia64_machine_add_mmio(struct ia64_machine *m, uint64_t base, uint64_t size,
                          const struct ia64_mmio_ops *ops, void *opaque)
{
    if (m->nmmio >= IA64_MAX_MMIO || size == 0 || base < m->ram_size)
        return -1;
    for (unsigned i = 0; i < m->nmmio; i++)
        if (base < m->mmio[i].base + m->mmio[i].size && m->mmio[i].base < base + size)
            return -1;
    m->mmio[m->nmmio++] = (struct ia64_mmio_region){base, size, ops, opaque};
    return 0;
}

int ia64_machine_add_fw_entry(struct ia64_machine *m, uint64_t pa, ia64_fw_entry_fn fn,
                              void *opaque)
{
    if (m->ntraps >= IA64_MAX_FW_TRAPS || (pa & 15) || !fn)
        return -1;
    m->traps[m->ntraps++] = (struct ia64_fw_trap){pa, fn, opaque};
    return 0;
}

void ia64_machine_console_write(struct ia64_machine *m, const char *buf, size_t len)
{
    if (m->console_len + len + 1 > m->console_cap) {
        size_t cap = m->console_cap ? m->console_cap : 256;
        while (cap < m->console_len + len + 1)
            cap *= 2;
        char *n = realloc(m->console, cap);
        if (!n)
            return;
        m->console = n;
        m->console_cap = cap;
    }
    memcpy(m->console + m->console_len, buf, len);
    m->console_len += len;
    m->console[m->console_len] = 0;
    if (m->hooks.console)
        m->hooks.console(m->hooks.opaque, buf, len);
}

static int default_pick(struct ia64_machine *m)
{
    for (unsigned k = 0; k < m->ncpus; k++) {
        unsigned i = (m->rr_next + k) % m->ncpus;
        if (ia64_cpu_runnable(&m->cpus[i])) {
            m->rr_next = (i + 1) % m->ncpus;
            return (int)i;
        }
    }
    return -1;
}

/* States a CPU can still leave: running, or parked in PAL until INIT or
 * an interrupt. */
#define LIVE_STATES                                                                                \
    ((1u << IA64_CPU_RUNNING) | (1u << IA64_CPU_WAITING) | (1u << IA64_CPU_SLEEPING))

static bool any_live(struct ia64_machine *m)
{
    for (unsigned i = 0; i < m->ncpus; i++)
        if ((1u << m->cpus[i].state) & LIVE_STATES)
            return true;
    return false;
}

/* Every live CPU waits (PAL_HALT_LIGHT) and nothing else can happen: jump
 * the clocks to the earliest armed interval timer, as an idle processor's
 * ITC would have run on. Returns false when no timer is armed. */
static bool skip_idle_time(struct ia64_machine *m)
{
    uint64_t dt = 0;
    for (unsigned i = 0; i < m->ncpus; i++)
        if (ia64_cpu_runnable(&m->cpus[i]))
            return false; /* a picker chose to stop: not idleness */
    for (unsigned i = 0; i < m->ncpus; i++) {
        struct ia64_cpu *c = &m->cpus[i];
        uint64_t d = c->state == IA64_CPU_WAITING ? ia64_cpu_timer_due(c) : 0;
        if (d && (!dt || d < dt))
            dt = d;
    }
    if (!dt)
        return false;
    for (unsigned i = 0; i < m->ncpus; i++)
        if (m->cpus[i].state == IA64_CPU_WAITING || m->cpus[i].state == IA64_CPU_SLEEPING)
            ia64_cpu_tick(&m->cpus[i], dt);
    return true;
}

/* A CPU parked in PAL_HALT_LIGHT (or in SAL) runs no bundles, yet its ITC
 * runs on, as a real processor's does: at the end of each round of the
 * running CPUs (as many bundles as CPUs run) every idle CPU ticks what each
 * running CPU ticked for its own bundle. Without it an idle CPU whose timer
 * is its only way back never wakes while another CPU spins (Linux's CPUs in
 * LKDTM's HARDLOCKUP), and the clocks stay a function of the bundles run. */
static void tick_idle_cpus(struct ia64_machine *m)
{
    if (m->round_left > 1) {
        m->round_left--;
        return;
    }
    unsigned running = 0;
    for (unsigned i = 0; i < m->ncpus; i++) {
        struct ia64_cpu *c = &m->cpus[i];
        if (c->state == IA64_CPU_RUNNING)
            running++;
        else if (c->state == IA64_CPU_WAITING || c->state == IA64_CPU_SLEEPING)
            ia64_cpu_tick(c, IA64_ITC_PER_BUNDLE);
    }
    m->round_left = running ? running : 1;
}

enum ia64_stop ia64_machine_run(struct ia64_machine *m, uint64_t max_bundles)
{
    for (uint64_t n = 0; n < max_bundles; n++) {
        if (m->halted)
            return IA64_STOP_HALT;
        if (m->faulted)
            return IA64_STOP_FAULT;
        if (!any_live(m))
            return IA64_STOP_HALT;
        int i = m->hooks.pick_cpu ? m->hooks.pick_cpu(m->hooks.opaque, m) : default_pick(m);
        if (i < 0 || (unsigned)i >= m->ncpus) {
            /* A custom picker may stop the run; nothing runnable is idleness. */
            if (skip_idle_time(m))
                continue;
            if (m->hooks.pick_cpu)
                return IA64_STOP_PICKER;
            return IA64_STOP_IDLE;
        }
        struct ia64_cpu *cpu = &m->cpus[i];
        ia64_cpu_step(cpu);
        m->total_bundles++;
        tick_idle_cpus(m);
        if (m->hooks.after_bundle)
            m->hooks.after_bundle(m->hooks.opaque, cpu);
    }
    if (m->halted)
        return IA64_STOP_HALT;
    if (m->faulted)
        return IA64_STOP_FAULT;
    return IA64_STOP_LIMIT;
}
