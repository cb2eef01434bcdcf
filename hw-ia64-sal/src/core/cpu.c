/* CPU reset and register-file access (banking, rotation, stacked frame). */
#include <string.h>

#include "internal.h"

void ia64_cpu_reset(struct ia64_cpu *cpu, struct ia64_machine *m, unsigned index)
{
    void *user = cpu->user;
    memset(cpu, 0, sizeof(*cpu));
    cpu->user = user;
    cpu->machine = m;
    cpu->index = index;
    cpu->pr = 1;
    /* Physical mode, interrupts off, bank 1 (the bank an OS runs on). */
    cpu->psr = IA64_PSR_BIT(IA64_PSR_BN);
    cpu->cr[IA64_CR_LID] = (uint64_t)(index & 0xff) << 24;
    cpu->cr[IA64_CR_TPR] = 1ULL << 16; /* mmi: masked until software opens it */
    cpu->cr[IA64_CR_ITV] = cpu->cr[IA64_CR_PMV] = cpu->cr[IA64_CR_CMCV] = 1ULL << 16;
    cpu->cr[IA64_CR_LRR0] = cpu->cr[IA64_CR_LRR1] = 1ULL << 16;
    cpu->cr[IA64_CR_IVR] = 15;
    /* f0 = +0.0, f1 = +1.0 */
    cpu->fr[1].sig = 1ULL << 63;
    cpu->fr[1].exp = 0xffff;
    for (int i = 0; i < 8; i++)
        cpu->rr[i] = 0x38 << 2 | 1; /* ps = 14 (16K), ve = 1, rid 0 */
    cpu->state = IA64_CPU_RUNNING;
}

void ia64_cpu_set_bank(struct ia64_cpu *cpu, unsigned bn)
{
    unsigned cur = PSR_GET(cpu, IA64_PSR_BN);
    bn &= 1;
    if (bn != cur) {
        for (int i = 0; i < 16; i++) {
            uint64_t v = cpu->gr[16 + i];
            bool n = cpu->nat[16 + i];
            cpu->gr[16 + i] = cpu->bank[i];
            cpu->nat[16 + i] = cpu->bank_nat[i];
            cpu->bank[i] = v;
            cpu->bank_nat[i] = n;
        }
    }
    cpu->psr = (cpu->psr & ~IA64_PSR_BIT(IA64_PSR_BN)) | ((uint64_t)bn << IA64_PSR_BN);
}

/* Physical index in stacked[] of r(32+i), or -1 outside the frame. */
static int stacked_index(struct ia64_cpu *cpu, unsigned r)
{
    unsigned i = r - 32;
    unsigned sof = ia64_cfm_sof(cpu->cfm);
    if (i >= sof)
        return -1;
    unsigned rot = ia64_cfm_sor(cpu->cfm) * 8;
    if (i < rot) {
        unsigned rrb = (cpu->cfm >> 18) & 0x7f;
        i = (i + rrb) % rot;
    }
    return (int)((cpu->bof + i) % IA64_NPHYS_STACKED);
}

bool ia64_gr_get(struct ia64_cpu *cpu, unsigned r, uint64_t *val, bool *nat)
{
    if (r < 32) {
        *val = r ? cpu->gr[r] : 0;
        *nat = r ? cpu->nat[r] : false;
        return true;
    }
    int p = r < 128 ? stacked_index(cpu, r) : -1;
    if (p < 0) {
        *val = 0;
        *nat = false;
        return false;
    }
    *val = cpu->stacked[p];
    *nat = cpu->stacked_nat[p];
    return true;
}

bool ia64_gr_set(struct ia64_cpu *cpu, unsigned r, uint64_t val, bool nat)
{
    if (r == 0)
        return false;
    if (r < 32) {
        cpu->gr[r] = val;
        cpu->nat[r] = nat;
        return true;
    }
    int p = r < 128 ? stacked_index(cpu, r) : -1;
    if (p < 0)
        return false;
    cpu->stacked[p] = val;
    cpu->stacked_nat[p] = nat;
    return true;
}

uint64_t ia64_gr(struct ia64_cpu *cpu, unsigned r)
{
    uint64_t v;
    bool n;
    ia64_gr_get(cpu, r, &v, &n);
    return v;
}

void ia64_set_gr(struct ia64_cpu *cpu, unsigned r, uint64_t val)
{
    ia64_gr_set(cpu, r, val, false);
}

static unsigned pr_index(struct ia64_cpu *cpu, unsigned p)
{
    if (p < 16)
        return p;
    unsigned rrb = (cpu->cfm >> 32) & 0x3f;
    return 16 + (p - 16 + rrb) % 48;
}

bool ia64_pr(struct ia64_cpu *cpu, unsigned p)
{
    return (cpu->pr >> pr_index(cpu, p)) & 1;
}

void ia64_set_pr(struct ia64_cpu *cpu, unsigned p, bool v)
{
    if (p == 0)
        return;
    unsigned i = pr_index(cpu, p);
    cpu->pr = (cpu->pr & ~(1ULL << i)) | ((uint64_t)v << i);
}
