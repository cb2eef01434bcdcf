/* The seeded scheduler (sched.h). */
#include "ia64/sched.h"

#include "ia64/cpu.h"

static uint64_t next(struct ia64_sched *s)
{
    /* splitmix64: tiny state, good spread, and the same numbers everywhere */
    uint64_t z = (s->state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

void ia64_sched_init(struct ia64_sched *s, uint64_t seed, uint32_t max_quantum)
{
    s->state = seed;
    s->cur = -1;
    s->left = 0;
    s->max_quantum = max_quantum ? max_quantum : 1;
    s->switches = 0;
}

int ia64_sched_pick(struct ia64_sched *s, struct ia64_machine *m)
{
    if (s->cur >= 0 && s->left > 0 && ia64_cpu_runnable(&m->cpus[s->cur])) {
        s->left--;
        return s->cur;
    }
    unsigned runnable[IA64_MAX_CPUS], n = 0;
    for (unsigned i = 0; i < m->ncpus; i++)
        if (ia64_cpu_runnable(&m->cpus[i]))
            runnable[n++] = i;
    if (n == 0)
        return -1;
    uint64_t r = next(s);
    s->cur = (int)runnable[r % n];
    s->left = (uint32_t)((r >> 32) % s->max_quantum); /* this bundle + left more */
    s->switches++;
    return s->cur;
}
