/* Returning from firmware written in C (exec.h): the CPU continues as if
 * the firmware bundle had executed br.cond b0 (static calls) or br.ret b0
 * (stacked calls). */
#include "ia64/exec.h"
#include "internal.h"

static void resume_at(struct ia64_cpu *cpu, uint64_t target)
{
    cpu->ip = target & ~15ULL;
    cpu->slot = 0;
    cpu->psr &= ~(3ULL << IA64_PSR_RI);
}

void ia64_fw_return_static(struct ia64_cpu *cpu)
{
    resume_at(cpu, cpu->br[0]);
}

void ia64_fw_return_stacked(struct ia64_cpu *cpu)
{
    /* The caller's frame comes back from ar.pfs, as br.ret restores it. */
    ia64_rse_return(cpu, cpu->ar[IA64_AR_PFS]);
    resume_at(cpu, cpu->br[0]);
}

uint64_t ia64_fw_arg(struct ia64_cpu *cpu, unsigned n)
{
    return ia64_gr(cpu, 32 + n);
}
