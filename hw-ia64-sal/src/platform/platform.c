/* The platform as ia64sim sees it (sim.h): firmware (SAL/PAL/EFI tables and
 * the INIT handoff, src/fw), the SAPIC interrupt block, the seeded
 * scheduler, a platform INIT to every CPU after K bundles, and a forced
 * order of arrival at INIT. One allocation per machine, found through the
 * hooks' opaque pointer: no global state. */
#include "ia64/firmware.h"
#include "ia64/ioport.h"
#include "ia64/iosapic.h"
#include "ia64/platform.h"
#include "ia64/sapic.h"
#include "ia64/sched.h"
#include "ia64/sim.h"

#include "ia64/cpu.h"

#include <stdio.h>
#include <stdlib.h>

struct platform {
    struct ia64_fw fw;
    struct ia64_iosapic io;
    struct ia64_sched sched;
    bool scheduled;
    uint64_t init_at;
    bool init_armed;
    unsigned order[IA64_MAX_CPUS], order_len;
};

/* Quanta of up to 16 bundles: short enough to interleave the CPUs inside
 * small critical sections, long enough to keep tracing readable. */
#define MAX_QUANTUM 16

static int pick(void *opaque, struct ia64_machine *m)
{
    struct platform *p = opaque;
    /* A forced arrival order at the INIT handler: while INITs are pending,
     * the next CPU in the order runs first (its next step takes the INIT). */
    for (unsigned k = 0; k < p->order_len; k++) {
        struct ia64_cpu *c = &m->cpus[p->order[k]];
        if (p->order[k] < m->ncpus && c->pend_init && ia64_cpu_runnable(c) &&
            !((c->psr >> IA64_PSR_MC) & 1))
            return (int)p->order[k];
    }
    if (!p->scheduled) {
        for (unsigned n = 0; n < m->ncpus; n++) {
            unsigned i = (unsigned)((m->rr_next + n) % m->ncpus);
            if (ia64_cpu_runnable(&m->cpus[i])) {
                m->rr_next = i + 1;
                return (int)i;
            }
        }
        return -1;
    }
    return ia64_sched_pick(&p->sched, m);
}

static void after_bundle(void *opaque, struct ia64_cpu *cpu)
{
    struct platform *p = opaque;
    struct ia64_machine *m = cpu->machine;
    if (p->init_armed && m->total_bundles >= p->init_at) {
        /* What an INIT button, or a hypervisor's inject-nmi, raises: every
         * CPU at once. */
        p->init_armed = false;
        for (unsigned i = 0; i < m->ncpus; i++)
            ia64_cpu_raise_init(&m->cpus[i]);
    }
}

static int deliver_init(void *opaque, struct ia64_cpu *cpu)
{
    struct platform *p = opaque;
    return ia64_fw_deliver_init(&p->fw, cpu);
}

int ia64_platform_setup(struct ia64_machine *m, const struct ia64_sim_config *cfg, char *err,
                        size_t errlen)
{
    struct platform *p = calloc(1, sizeof(*p));
    if (!p) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (ia64_fw_init(&p->fw, m, cfg->entry, err, errlen) != 0) {
        free(p);
        return -1;
    }
    if (ia64_sapic_init(m) != 0) {
        snprintf(err, errlen, "cannot map the SAPIC interrupt block");
        free(p);
        return -1;
    }
    if (cfg->os_devices && (ia64_iosapic_init(&p->io, m) != 0 || ia64_ioport_init(m) != 0)) {
        snprintf(err, errlen, "cannot map the I/O SAPIC and the I/O port space");
        free(p);
        return -1;
    }
    p->scheduled = cfg->seed_set;
    ia64_sched_init(&p->sched, cfg->seed, MAX_QUANTUM);
    p->init_at = cfg->init_at;
    p->init_armed = cfg->init_at_set;
    p->order_len = cfg->init_order_len;
    for (unsigned k = 0; k < p->order_len; k++)
        p->order[k] = cfg->init_order[k];
    m->hooks.opaque = p;
    m->hooks.pick_cpu = pick;
    m->hooks.after_bundle = after_bundle;
    m->hooks.deliver_init = deliver_init;
    return 0;
}

void ia64_platform_teardown(struct ia64_machine *m)
{
    if (m->hooks.pick_cpu == pick) {
        free(m->hooks.opaque);
        m->hooks.opaque = NULL;
        m->hooks.pick_cpu = NULL;
        m->hooks.after_bundle = NULL;
        m->hooks.deliver_init = NULL;
    }
}

int ia64_platform_init_stats(struct ia64_machine *m, struct ia64_init_stats *st)
{
    if (m->hooks.pick_cpu != pick || !m->hooks.opaque)
        return -1;
    const struct ia64_fw *fw = &((const struct platform *)m->hooks.opaque)->fw;
    st->inits = fw->inits;
    st->monarchs = fw->monarchs;
    st->slaves = fw->slaves;
    st->resumes = fw->resumes;
    st->warm_boots = fw->warm_boots;
    st->monarch_mask = fw->monarch_mask;
    st->narrivals = fw->narrivals;
    for (unsigned i = 0; i < fw->narrivals; i++)
        st->arrivals[i] = fw->arrivals[i];
    return 0;
}

int ia64_platform_hold_aps(struct ia64_machine *m)
{
    if (m->hooks.pick_cpu != pick || !m->hooks.opaque)
        return -1;
    return ia64_fw_hold_aps(&((struct platform *)m->hooks.opaque)->fw);
}
