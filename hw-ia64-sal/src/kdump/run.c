/* Boots the first kernel and runs one crash case on it, watching through
 * the machine's hooks (the platform's own hooks are called through):
 *  - deliver_init: where the CPU was when INIT reached it, and the order;
 *  - after_bundle: the stop IPI's delivery (the CPU lands on the external
 *    interrupt vector), the panicking CPU at its call to panic, the
 *    capture kernel's first fetch (memory snapshot), the device, the
 *    platform INIT of fault = init, an instruction TLB miss loop;
 *  - pick_cpu: a seeded scheduler that also enforces the INIT arrival
 *    order: a CPU with a pending INIT runs only when it is next. */
#include "ia64/kdump.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../guest-kernel/ia64/layout.h"
#include "ia64/exec.h"
#include "ia64/firmware.h"
#include "ia64/loader.h"
#include "ia64/mem.h"
#include "ia64/platform.h"
#include "ia64/sim.h"

static uint64_t rd8(struct ia64_machine *m, uint64_t pa)
{
    const uint8_t *p = ia64_ram_ptr(m, pa, 8);
    uint64_t v = 0;
    if (p)
        memcpy(&v, p, 8);
    return v;
}

static void wr8(struct ia64_machine *m, uint64_t pa, uint64_t v)
{
    uint8_t *p = ia64_ram_ptr(m, pa, 8);
    if (p)
        memcpy(p, &v, 8);
}

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* r1..r15, pr and b0 as the CPU has them now (an interruption leaves
 * them alone; only r16..r31 are banked). */
static void static_regs(struct ia64_cpu *c, struct kd_cpu_fact *f)
{
    for (unsigned r = 1; r < 16; r++) {
        bool nat;
        ia64_gr_get(c, r, &f->gr[r], &nat);
    }
    f->pr = c->pr;
    f->b0 = c->br[0];
}

static bool psr_mc(const struct ia64_cpu *c)
{
    return (c->psr >> IA64_PSR_MC) & 1;
}

static bool arrived(const struct kd_result *r, unsigned cpu)
{
    for (unsigned i = 0; i < r->narrivals; i++)
        if (r->arrivals[i] == cpu)
            return true;
    return false;
}

/* The CPU whose turn it is to take INIT, or -1 (no order, or done). */
static int next_in_order(struct kd_machine *k)
{
    while (k->order_next < k->c.init_order_len) {
        unsigned cpu = k->c.init_order[k->order_next];
        if (cpu < k->m.ncpus && !arrived(k->r, cpu) && k->m.cpus[cpu].state != IA64_CPU_HALTED)
            return (int)cpu;
        k->order_next++;
    }
    return -1;
}

/* Held: a pending INIT that is not this CPU's turn yet. */
static bool held(struct kd_machine *k, unsigned i, int next, bool late_hold)
{
    struct ia64_cpu *c = &k->m.cpus[i];
    if (!c->pend_init || psr_mc(c) || !k->c.init_order_len)
        return false;
    bool listed = false;
    for (unsigned j = 0; j < k->c.init_order_len; j++)
        listed |= k->c.init_order[j] == i;
    if (!listed)
        return false;
    return (int)i != next || late_hold;
}

static int pick(void *opaque, struct ia64_machine *m)
{
    struct kd_machine *k = opaque;
    if (k->stop_now)
        return -1;
    if (!k->running_case) /* booting: the platform's scheduler */
        return k->platform.pick_cpu(k->platform.opaque, m);
    int next = next_in_order(k);
    /* init_late: the first CPU in the handler saves its registers before
     * any other INIT is delivered. */
    bool late_hold = false;
    if (k->c.init_late && k->r->narrivals >= 1) {
        unsigned first = k->r->arrivals[0];
        late_hold = rd8(m, KD_INFO + INFO_STATUS + 8 * first) == 0 &&
                    m->cpus[first].state == IA64_CPU_RUNNING;
    }
    if (next >= 0 && !late_hold) {
        struct ia64_cpu *c = &m->cpus[next];
        if (c->pend_init && !psr_mc(c) && ia64_cpu_runnable(c))
            return next;
    }
    if (k->quantum > 0 && k->cur < m->ncpus && ia64_cpu_runnable(&m->cpus[k->cur]) &&
        !held(k, k->cur, next, late_hold)) {
        k->quantum--;
        return (int)k->cur;
    }
    unsigned start = (unsigned)(splitmix(&k->rng) % m->ncpus);
    for (unsigned n = 0; n < m->ncpus; n++) {
        unsigned i = (start + n) % m->ncpus;
        if (ia64_cpu_runnable(&m->cpus[i]) && !held(k, i, next, late_hold)) {
            k->cur = i;
            k->quantum = (unsigned)(splitmix(&k->rng) % 16);
            return (int)i;
        }
    }
    return -1;
}

static int deliver_init(void *opaque, struct ia64_cpu *c)
{
    struct kd_machine *k = opaque;
    struct kd_result *r = k->r;
    if (r && c->index < KD_CPUS_MAX) {
        struct kd_cpu_fact *f = &r->cpu[c->index];
        f->how = 1;
        f->ip = c->ip;
        f->slot = c->slot;
        f->psr = (c->psr & ~(3ULL << IA64_PSR_RI)) | (uint64_t)(c->slot & 3) << IA64_PSR_RI;
        f->cfm = c->cfm;
        f->bsp = c->ar[IA64_AR_BSP];
        static_regs(c, f);
        if (r->narrivals < KD_CPUS_MAX)
            r->arrivals[r->narrivals++] = c->index;
    }
    return k->platform.deliver_init(k->platform.opaque, c);
}

static void snapshot(struct kd_machine *k, struct ia64_cpu *c)
{
    struct kd_result *r = k->r;
    r->capture_cpu = (int)c->index;
    r->snapshot = r->borrowed ? k->snap_buf : malloc(k->m.ram_size);
    if (r->snapshot) { /* Xs..Xe is the capture kernel's: not part of the proofs */
        memset(r->snapshot + KD_XS, 0, KD_XE - KD_XS);
        memcpy(r->snapshot, k->m.ram, KD_XS);
        memcpy(r->snapshot + KD_XE, k->m.ram + KD_XE, k->m.ram_size - KD_XE);
    }
    for (unsigned i = 0; i < k->m.ncpus; i++)
        if (k->m.cpus[i].state == IA64_CPU_HALTED)
            r->halted_at_capture |= 1ULL << i;
}

static void after_bundle(void *opaque, struct ia64_cpu *c)
{
    struct kd_machine *k = opaque;
    struct ia64_machine *m = &k->m;
    if (k->platform.after_bundle)
        k->platform.after_bundle(k->platform.opaque, c);
    if (!k->running_case)
        return;
    struct kd_result *r = k->r;
    unsigned i = c->index;
    if (k->boot.dev_period)
        ia64_iosapic_tick(&k->io, m->total_bundles);
    if (k->c.fault == KD_FAULT_INIT && !k->init_raised &&
        m->total_bundles - k->go_bundle >= k->c.init_after) {
        k->init_raised = true; /* the INIT button: every CPU */
        for (unsigned n = 0; n < m->ncpus; n++)
            ia64_cpu_raise_init(&m->cpus[n]);
    }
    uint64_t iva = c->cr[IA64_CR_IVA];
    if (i < KD_CPUS_MAX && c->slot == 0) {
        struct kd_cpu_fact *f = &r->cpu[i];
        if (c->ip == k->panic_call_va && f->how != 3) {
            f->how = 3;
            f->ip = c->ip;
            f->psr = c->psr;
            f->cfm = c->cfm;
            f->bsp = c->ar[IA64_AR_BSP];
        } else if (iva && c->ip == iva + IA64_VEC_EXTINT && f->how != 3) {
            /* An external interrupt was just delivered. The last one
             * before the CPU froze is the stop IPI (the panicking CPU
             * keeps where it called panic). */
            f->how = 2;
            f->ip = c->cr[IA64_CR_IIP];
            f->psr = c->cr[IA64_CR_IPSR];
            f->slot = (unsigned)((f->psr >> IA64_PSR_RI) & 3);
            f->cfm = c->cfm;
            f->bsp = c->ar[IA64_AR_BSP];
            static_regs(c, f);
        } else if (iva && (c->ip == iva + IA64_VEC_ALT_ITLB || c->ip == iva + IA64_VEC_ITLB) &&
                   r->itlb_miss_cpu < 0) {
            r->itlb_miss_cpu = (int)i;
            r->itlb_miss_ip = k->last_ip[i];
            k->stop_now = true; /* the handler itself cannot be fetched */
        }
        if (c->ip == k->cap_entry && !((c->psr >> IA64_PSR_IT) & 1) && r->capture_cpu < 0)
            snapshot(k, c);
    }
    if (i < KD_CPUS_MAX)
        k->last_ip[i] = c->ip;
}

int kd_boot(struct kd_machine *k, const struct kd_boot_config *bc, const void *first,
            size_t first_len, const void *capture, size_t capture_len, char *err, size_t errlen)
{
    if (bc->ncpus == 0 || bc->ncpus > KD_CPUS_MAX || bc->ncpus > KD_MAX_CPUS) {
        snprintf(err, errlen, "vcpus must be 1..%d", KD_MAX_CPUS);
        return -1;
    }
    if (bc->nmarkers > KD_MAX_MARKERS || bc->dev_cpu >= bc->ncpus) {
        snprintf(err, errlen, "markers must be 0..%d and the device CPU a CPU", KD_MAX_MARKERS);
        return -1;
    }
    memset(k, 0, sizeof(*k));
    k->boot = *bc;
    struct ia64_machine *m = &k->m;
    if (ia64_machine_init(m, bc->ncpus, KD_RAM_SIZE)) {
        snprintf(err, errlen, "cannot create the machine");
        return -1;
    }
    struct ia64_sim_config cfg = {
        .ncpus = bc->ncpus, .mem_size = KD_RAM_SIZE, .image = first, .image_len = first_len};
    if (ia64_load_elf(m, first, first_len, &cfg.entry, err, errlen))
        goto fail;
    for (unsigned i = 0; i < bc->ncpus; i++)
        m->cpus[i].ip = cfg.entry;
    if (ia64_platform_setup(m, &cfg, err, errlen) != 0)
        goto fail;
    if (ia64_platform_hold_aps(m) != 0) {
        snprintf(err, errlen, "the platform cannot hold the APs in SAL");
        goto fail;
    }
    if (ia64_dumpdev_init(&k->dev, m, 64 << 20) || ia64_iosapic_init(&k->io, m)) {
        snprintf(err, errlen, "cannot map the dump device or the IOSAPIC");
        goto fail;
    }
    ia64_iosapic_set_period(&k->io, 0, bc->dev_period);
    k->platform = m->hooks;
    m->hooks.opaque = k;
    m->hooks.pick_cpu = pick;
    m->hooks.deliver_init = deliver_init;
    m->hooks.after_bundle = after_bundle;
    uint8_t *cfgp = ia64_ram_ptr(m, KD_CFG, 4096);
    memset(cfgp, 0, 4096);
    wr8(m, KD_CFG + CFG_MAGIC, KD_CFG_MAGIC);
    wr8(m, KD_CFG + CFG_NCPUS, bc->ncpus);
    wr8(m, KD_CFG + CFG_SEED, bc->seed);
    wr8(m, KD_CFG + CFG_NMARKERS, bc->nmarkers);
    wr8(m, KD_CFG + CFG_DEV_CPU, bc->dev_cpu);
    if (kd_stage_capture(k, capture, capture_len, err, errlen))
        goto fail;
    k->rng = bc->seed;
    k->proof_seed = bc->seed;
    /* Boot until every CPU waits for the go (bounded: the markers take
     * ~130 k bundles a page). */
    uint64_t budget = 20000000ULL + 400000ULL * bc->nmarkers;
    while (rd8(m, KD_INFO + INFO_READY) < bc->ncpus && budget) {
        uint64_t step = budget < 100000 ? budget : 100000;
        enum ia64_stop st = ia64_machine_run(m, step);
        budget -= step;
        if (st != IA64_STOP_LIMIT && rd8(m, KD_INFO + INFO_READY) < bc->ncpus) {
            struct ia64_cpu *fc = m->faulted;
            snprintf(err, errlen,
                     "first kernel stopped while booting (stop %d, halt code 0x%x%s%s)", (int)st,
                     m->halt_code, fc ? ", faulted: " : "",
                     fc ? ia64_vector_name(fc->fault_vector) : "");
            if (fc) {
                size_t l = strlen(err);
                snprintf(err + l, errlen - l, " on cpu%u at 0x%llx isr 0x%llx ifa 0x%llx",
                         fc->index, (unsigned long long)fc->fault_ip,
                         (unsigned long long)fc->cr[IA64_CR_ISR],
                         (unsigned long long)fc->cr[IA64_CR_IFA]);
            }
            goto fail;
        }
    }
    if (rd8(m, KD_INFO + INFO_READY) < bc->ncpus || rd8(m, KD_INFO + INFO_LOADED) != 1) {
        snprintf(err, errlen, "first kernel did not come up (%llu of %u CPUs ready)",
                 (unsigned long long)rd8(m, KD_INFO + INFO_READY), bc->ncpus);
        goto fail;
    }
    k->panic_call_va = KD_R5 + rd8(m, KD_INFO + INFO_PANIC_CALL);
    return 0;
fail:
    kd_teardown(k);
    return -1;
}

int kd_run_case(struct kd_machine *k, const struct kd_case *c, struct kd_result *r, char *err,
                size_t errlen)
{
    struct ia64_machine *m = &k->m;
    if (c->fault_cpu >= m->ncpus || c->init_order_len > m->ncpus) {
        snprintf(err, errlen, "fault CPU or INIT order names a CPU the machine lacks");
        return -1;
    }
    for (unsigned i = 0; i < c->init_order_len; i++)
        if (c->init_order[i] >= m->ncpus) {
            snprintf(err, errlen, "INIT order names CPU %u of %u", c->init_order[i], m->ncpus);
            return -1;
        }
    memset(r, 0, sizeof(*r));
    r->capture_cpu = -1;
    r->itlb_miss_cpu = -1;
    k->r = r;
    k->c = *c;
    r->borrowed = k->snap_buf && k->image_buf;
    if (r->borrowed)
        ia64_dumpdev_use_buffer(&k->dev, k->image_buf, k->image_cap);
    wr8(m, KD_CFG + CFG_FAULT, c->fault);
    wr8(m, KD_CFG + CFG_FAULT_CPU, c->fault_cpu);
    wr8(m, KD_CFG + CFG_IRQOFF, c->irqoff);
    wr8(m, KD_CFG + CFG_STOP, c->stop);
    wr8(m, KD_CFG + CFG_PANIC_AFTER, c->panic_after ? c->panic_after : 1);
    wr8(m, KD_CFG + CFG_VARIANT, c->variant);
    wr8(m, KD_CFG + CFG_WAIT, 500); /* iterations: ~1500 bundles of the waiter, several
                                         times what a responsive CPU needs to save */
    k->panic_call_va = KD_R5 + rd8(m, KD_INFO + INFO_PANIC_CALL);
    if (c->fault != KD_FAULT_PANIC)
        k->panic_call_va = 1; /* no CPU calls panic: never matches a bundle */
    k->running_case = true;
    k->go_bundle = m->total_bundles;
    wr8(m, KD_CFG + CFG_GO, 1);
    enum ia64_stop st = ia64_machine_run(m, c->max_bundles ? c->max_bundles : 20000000);
    k->running_case = false;
    r->stop = (int)st;
    r->halt_code = m->halt_code;
    r->bundles = m->total_bundles - k->go_bundle;
    for (unsigned i = 0; i < m->ncpus; i++)
        if (m->cpus[i].state == IA64_CPU_HALTED)
            r->halted_mask |= 1ULL << i;
    if (k->dev.size && r->borrowed) {
        r->vmcore = k->dev.image;
        r->vmcore_len = k->dev.size;
    } else if (k->dev.size) {
        r->vmcore = malloc(k->dev.size);
        if (r->vmcore) {
            memcpy(r->vmcore, k->dev.image, k->dev.size);
            r->vmcore_len = k->dev.size;
        }
    }
    r->vmcore_finished = k->dev.finished;
    if (r->snapshot) {
        /* The capture kernel may write only inside Xs..Xe. */
        for (uint64_t pa = 0; pa < m->ram_size; pa += 4096) {
            if (pa >= KD_XS && pa < KD_XE)
                continue;
            if (memcmp(r->snapshot + pa, m->ram + pa, 4096)) {
                if (!r->stray_pages)
                    r->first_stray = pa;
                r->stray_pages++;
            }
        }
    }
    r->stale_irqs = rd8(m, KD_XS + 0x38000);
    r->stale_vector = rd8(m, KD_XS + 0x38008);
    r->unexpected_vector = rd8(m, KD_INFO + 600);
    r->unexpected_iip = rd8(m, KD_INFO + 608);
    r->dev_delivered = k->io.delivered[0];
    r->dev_suppressed = k->io.suppressed[0];
    size_t n = m->console_len < sizeof(r->console) - 1 ? m->console_len : sizeof(r->console) - 1;
    if (n)
        memcpy(r->console, m->console, n);
    r->console[n] = 0;
    return 0;
}

void kd_result_free(struct kd_result *r)
{
    if (!r->borrowed) {
        free(r->snapshot);
        free(r->vmcore);
    }
    r->snapshot = r->vmcore = NULL;
}

void kd_teardown(struct kd_machine *k)
{
    if (k->m.hooks.pick_cpu == pick)
        k->m.hooks = k->platform;
    ia64_platform_teardown(&k->m);
    ia64_dumpdev_destroy(&k->dev);
    ia64_machine_destroy(&k->m);
}

int kd_save(struct kd_machine *k, struct kd_state *s)
{
    memset(s, 0, sizeof(*s));
    for (unsigned i = 0; i < k->m.ntraps; i++)
        if (k->m.traps[i].pa == IA64_FW_SAL_RETURN)
            s->fw = k->m.traps[i].opaque;
    s->copy = malloc(sizeof(*k));
    s->ram = malloc(k->m.ram_size);
    if (!s->fw || !s->copy || !s->ram) {
        kd_state_free(s);
        return -1;
    }
    memcpy(s->copy, k, sizeof(*k));
    memcpy(s->ram, k->m.ram, k->m.ram_size);
    s->fw_copy = *s->fw;
    return 0;
}

void kd_restore(struct kd_machine *k, const struct kd_state *s)
{
    /* Heap buffers stay the current ones; only their contents go back. */
    char *console = k->m.console;
    size_t cap = k->m.console_cap;
    uint8_t *snap = k->snap_buf, *image = k->image_buf;
    size_t image_cap = k->image_cap;
    uint8_t *dev_image = k->dev.image;
    size_t dev_cap = k->dev.cap;
    bool dev_fixed = k->dev.fixed;
    /* The CPUs the machine does not have are never touched: skip them. */
    size_t used = offsetof(struct kd_machine, m.cpus) + k->m.ncpus * sizeof(struct ia64_cpu);
    size_t tail = offsetof(struct kd_machine, m.cpus) + sizeof(k->m.cpus);
    memcpy(k, s->copy, used);
    memcpy((char *)k + tail, (const char *)s->copy + tail, sizeof(*k) - tail);
    k->m.console = console;
    k->m.console_cap = cap;
    if (console && k->m.console_len < cap)
        console[k->m.console_len] = 0;
    else
        k->m.console_len = 0;
    k->snap_buf = snap;
    k->image_buf = image;
    k->image_cap = image_cap;
    k->dev.image = dev_image;
    k->dev.cap = dev_cap;
    k->dev.fixed = dev_fixed;
    k->dev.size = 0;
    k->dev.finished = false;
    memcpy(k->m.ram, s->ram, k->m.ram_size);
    *s->fw = s->fw_copy;
}

void kd_state_free(struct kd_state *s)
{
    free(s->copy);
    free(s->ram);
    s->copy = NULL;
    s->ram = NULL;
}
