/* The decoded-bundle cache (bcache.h): lookup with a check of the raw bytes
 * against RAM, so a stale entry can never execute. */
#include <stdlib.h>
#include <string.h>

#include "ia64/bcache.h"
#include "internal.h"

int ia64_bcache_enable(struct ia64_machine *m)
{
    if (m->bcache)
        return 0;
    m->bcache = malloc(sizeof(*m->bcache) * m->ncpus);
    if (!m->bcache)
        return -1;
    ia64_bcache_flush(m);
    return 0;
}

void ia64_bcache_disable(struct ia64_machine *m)
{
    free(m->bcache);
    m->bcache = NULL;
}

void ia64_bcache_flush(struct ia64_machine *m)
{
    if (!m->bcache)
        return;
    for (unsigned c = 0; c < m->ncpus; c++) {
        for (unsigned i = 0; i < IA64_BCACHE_ENTRIES; i++)
            m->bcache[c].e[i].pa = IA64_BCACHE_EMPTY;
        m->bcache[c].hits = m->bcache[c].misses = 0;
    }
}

const struct ia64_bundle *ia64_bcache_fetch(struct ia64_cpu *cpu, uint64_t pa,
                                            const uint8_t **bytes)
{
    struct ia64_machine *m = cpu->machine;
    const uint8_t *p = ia64_bus_ram(m, pa, 16);
    if (!p)
        return NULL;
    struct ia64_bcache *bc = &m->bcache[cpu->index];
    struct ia64_bcache_entry *e = &bc->e[(pa >> 4) & (IA64_BCACHE_ENTRIES - 1)];
    uint64_t raw[2];
    memcpy(raw, p, 16);
    if (e->pa != pa || e->raw[0] != raw[0] || e->raw[1] != raw[1]) {
        e->pa = pa;
        e->raw[0] = raw[0];
        e->raw[1] = raw[1];
        ia64_decode_bundle((const uint8_t *)e->raw, &e->b);
        bc->misses++;
    } else {
        bc->hits++;
    }
    *bytes = (const uint8_t *)e->raw;
    return &e->b;
}
