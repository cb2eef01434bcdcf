/* Non-access memory instructions: lfetch (a prefetch hint, with the .fault
 * form taking the faults a load would, so that Linux's page-fault handler
 * can see them and skip it through PSR.ed) and probe (an access-rights
 * query at a given privilege level). Neither reads or writes memory; caches
 * are not modelled, so a prefetch has no effect beyond its faults and the
 * base register update. */
#include "internal.h"

static enum ia64_xres put(struct ia64_cpu *cpu, unsigned r, uint64_t v, bool nat)
{
    return ia64_gr_set(cpu, r, v, nat) ? IA64_X_NEXT : ia64_illegal(cpu);
}

static enum ia64_xres lfetch(struct ia64_cpu *cpu, const struct ia64_insn *in)
{
    uint64_t addr, inc = 0;
    bool an, incn = false;
    if (!ia64_gr_get(cpu, in->r3, &addr, &an))
        return ia64_illegal(cpu);
    if (in->flags & IA64_LDF_UPD_REG) {
        if (!ia64_gr_get(cpu, in->r2, &inc, &incn))
            return ia64_illegal(cpu);
    } else if (in->flags & IA64_LDF_UPD_IMM) {
        inc = (uint64_t)in->imm;
    }
    if (in->pos & IA64_LFETCH_FAULT) {
        /* PSR.ed (set by a handler that chose to skip this lfetch, as
         * Linux's ia64_do_page_fault does) defers every fault. */
        bool deferred = PSR_GET(cpu, IA64_PSR_ED);
        if (an && !deferred)
            return ia64_nat_fault_mem(cpu, true, false);
        bool ok;
        uint64_t vec = an || deferred ? 0
                                      : ia64_nonaccess_check(cpu, addr, IA64_ACC_READ, CPL(cpu),
                                                             true, IA64_NA_LFETCH, &ok);
        if (vec) {
            ia64_raise(cpu, vec, cpu->cr[IA64_CR_ISR], addr, 0);
            return IA64_X_FAULT;
        }
    }
    /* The non-faulting form never faults, not even on a NaT base. */
    if (in->flags & (IA64_LDF_UPD_REG | IA64_LDF_UPD_IMM))
        return put(cpu, in->r3, addr + inc, an || incn);
    return IA64_X_NEXT;
}

static enum ia64_xres probe(struct ia64_cpu *cpu, const struct ia64_insn *in)
{
    uint64_t addr, pl;
    bool an, pn = false;
    if (!ia64_gr_get(cpu, in->r3, &addr, &an))
        return ia64_illegal(cpu);
    if (in->has_imm)
        pl = (uint64_t)in->imm;
    else if (!ia64_gr_get(cpu, in->r2, &pl, &pn))
        return ia64_illegal(cpu);
    if (an || pn)
        return ia64_nat_fault(cpu);
    /* A probe cannot ask for more privilege than it runs at. */
    unsigned lvl = (unsigned)(pl & 3);
    if (lvl < CPL(cpu))
        lvl = CPL(cpu);
    unsigned acc = ((in->pos & IA64_PROBE_R) ? IA64_ACC_READ : 0) |
                   ((in->pos & IA64_PROBE_W) ? IA64_ACC_WRITE : 0);
    bool ok;
    uint64_t vec = ia64_nonaccess_check(cpu, addr, acc, lvl, in->len != 0,
                                        in->len ? IA64_NA_PROBE_FAULT : IA64_NA_PROBE, &ok);
    if (vec) {
        ia64_raise(cpu, vec, cpu->cr[IA64_CR_ISR], addr, 0);
        return IA64_X_FAULT;
    }
    if (in->len)
        return IA64_X_NEXT;
    return put(cpu, in->r1, ok, false);
}

enum ia64_xres ia64_exec_nonaccess(struct ia64_cpu *cpu, const struct ia64_insn *in)
{
    return in->op == IA64_OP_LFETCH ? lfetch(cpu, in) : probe(cpu, in);
}
