/* The fetch/decode/execute loop for one bundle and the dispatch of pending
 * interruptions (INIT, external interrupts) at bundle boundaries. */
#include "internal.h"

static bool init_deliverable(struct ia64_cpu *cpu)
{
    /* INIT ignores PSR.i; Linux relies on PSR.mc holding it off. */
    return cpu->pend_init && !PSR_GET(cpu, IA64_PSR_MC);
}

void ia64_cpu_tick(struct ia64_cpu *cpu, uint64_t ticks)
{
    uint64_t old = cpu->ar[IA64_AR_ITC];
    cpu->ar[IA64_AR_ITC] = old + ticks;
    /* the match is crossed when itm lies in (old, old + ticks] */
    uint64_t itv = cpu->cr[IA64_CR_ITV];
    if (cpu->cr[IA64_CR_ITM] - old - 1 < ticks && !(itv & (1ULL << 16)))
        ia64_cpu_raise_extint(cpu, (unsigned)(itv & 0xff));
}

uint64_t ia64_cpu_timer_due(const struct ia64_cpu *cpu)
{
    if (cpu->cr[IA64_CR_ITV] & (1ULL << 16))
        return 0;
    uint64_t d = cpu->cr[IA64_CR_ITM] - cpu->ar[IA64_AR_ITC];
    /* a match more than 2^63 ticks away is one that already passed */
    return d != 0 && d < (1ULL << 63) ? d : 0;
}

bool ia64_cpu_runnable(struct ia64_cpu *cpu)
{
    switch (cpu->state) {
    case IA64_CPU_RUNNING:
        return true;
    case IA64_CPU_WAITING:
        return init_deliverable(cpu) || ia64_unmasked_vector(cpu) >= 0;
    case IA64_CPU_SLEEPING:
        return init_deliverable(cpu);
    default:
        return false;
    }
}

static void stop_faulted(struct ia64_cpu *cpu, uint64_t vec)
{
    cpu->state = IA64_CPU_FAULTED;
    cpu->fault_vector = vec;
    cpu->fault_ip = cpu->ip;
    if (!cpu->machine->faulted)
        cpu->machine->faulted = cpu;
}

/* Returns true when an interruption was taken instead of a bundle. */
static bool take_pending(struct ia64_cpu *cpu)
{
    struct ia64_machine *m = cpu->machine;
    if (init_deliverable(cpu)) {
        cpu->pend_init = false;
        if (!m->hooks.deliver_init || m->hooks.deliver_init(m->hooks.opaque, cpu) != 0)
            stop_faulted(cpu, IA64_VEC_INIT);
        return true;
    }
    if (ia64_pending_vector(cpu) >= 0) {
        ia64_raise(cpu, IA64_VEC_EXTINT, 0, 0, 0);
        return true;
    }
    return false;
}

static enum ia64_xres exec_insn(struct ia64_cpu *cpu, const struct ia64_insn *in)
{
    bool qp = ia64_pr(cpu, in->qp);
    if (in->qp && ia64_insn_unpredicated(in))
        return ia64_illegal(cpu); /* a reserved encoding, whatever the predicate */
    switch (in->op) {
    case IA64_OP_LX_SKIP:
        return IA64_X_NEXT;
    case IA64_OP_CMP:
    case IA64_OP_TBIT:
    case IA64_OP_TNAT:
        /* .unc compares write their predicates even when qp is false. */
        if (!qp && in->ctype != IA64_CT_UNC)
            return IA64_X_NEXT;
        return ia64_exec_compare(cpu, in, qp);
    case IA64_OP_FCMP:
    case IA64_OP_FCLASS:
        if (!qp && in->ctype != IA64_CT_UNC)
            return IA64_X_NEXT;
        return ia64_exec_fp_compare(cpu, in, qp);
    case IA64_OP_BR_IPREL:
    case IA64_OP_BR_CALL:
    case IA64_OP_BR_IND:
    case IA64_OP_BR_RET:
    case IA64_OP_BR_CALL_IND:
    case IA64_OP_BRL:
    case IA64_OP_BRL_CALL:
        /* Loop branches use qp as data (wtop/wexit) or ignore it. */
        return ia64_exec_branch(cpu, in, qp);
    default:
        break;
    }
    if (!qp)
        return IA64_X_NEXT;
    if (in->op == IA64_OP_ILLEGAL)
        return ia64_illegal(cpu);
    if ((in->op >= IA64_OP_ADD && in->op <= IA64_OP_MOVL) ||
        (in->op >= IA64_OP_SHR && in->op <= IA64_OP_POPCNT))
        return ia64_exec_alu(cpu, in);
    if ((in->op >= IA64_OP_LD && in->op <= IA64_OP_FETCHADD) || in->op == IA64_OP_LDF_FILL ||
        in->op == IA64_OP_STF_SPILL || in->op == IA64_OP_LDF || in->op == IA64_OP_STF ||
        in->op == IA64_OP_LDFP)
        return ia64_exec_mem(cpu, in);
    if (in->op >= IA64_OP_PADD && in->op <= IA64_OP_PSHL)
        return ia64_exec_mm(cpu, in);
    if (in->op >= IA64_OP_FMA && in->op <= IA64_OP_FCLRF)
        return ia64_exec_fp(cpu, in);
    if (in->op == IA64_OP_LFETCH || in->op == IA64_OP_PROBE)
        return ia64_exec_nonaccess(cpu, in);
    if (in->op == IA64_OP_GETF || in->op == IA64_OP_SETF || in->op == IA64_OP_FMERGE_S ||
        in->op == IA64_OP_FMERGE_NS)
        return ia64_exec_fpmove(cpu, in);
    return ia64_exec_sys(cpu, in);
}

static int find_trap(struct ia64_machine *m, uint64_t pa)
{
    for (unsigned i = 0; i < m->ntraps; i++)
        if (m->traps[i].pa == pa)
            return (int)i;
    return -1;
}

void ia64_cpu_step(struct ia64_cpu *cpu)
{
    struct ia64_machine *m = cpu->machine;

    if (cpu->state != IA64_CPU_RUNNING) {
        if (!ia64_cpu_runnable(cpu))
            return;
        /* Woken from PAL_HALT(_LIGHT): the call returns (its return point
         * is already set); a waking interrupt is taken only if PSR.i allows. */
        cpu->state = IA64_CPU_RUNNING;
    }
    if (take_pending(cpu))
        return;

    uint64_t pa;
    uint64_t vec = ia64_translate(cpu, cpu->ip, IA64_ACC_EXEC, false, &pa);
    if (vec) {
        ia64_raise(cpu, vec, cpu->cr[IA64_CR_ISR], cpu->ip, 0);
        return;
    }
    cpu->bundles++;
    ia64_cpu_tick(cpu, IA64_ITC_PER_BUNDLE);
    int t = m->ntraps ? find_trap(m, pa) : -1;
    if (t >= 0) {
        if (m->hooks.trace)
            m->hooks.trace(m->hooks.opaque, cpu, cpu->ip, NULL);
        if (m->traps[t].fn(m->traps[t].opaque, cpu, pa) != 0)
            stop_faulted(cpu, IA64_VEC_FW);
        return;
    }
    /* An embedder's bcache decodes a bundle once (bcache.h). */
    uint8_t buf[16];
    const uint8_t *bytes = buf;
    struct ia64_bundle own;
    const struct ia64_bundle *b = &own;
    if (m->bcache)
        b = ia64_bcache_fetch(cpu, pa, &bytes);
    else if (ia64_bus_fetch(m, pa, buf) == 0)
        ia64_decode_bundle(buf, &own);
    else
        b = NULL;
    if (!b) {
        stop_faulted(cpu, IA64_VEC_BUS);
        return;
    }
    if (m->hooks.trace)
        m->hooks.trace(m->hooks.opaque, cpu, cpu->ip, bytes);

    for (unsigned s = cpu->slot; s < 3; s++) {
        cpu->slot = s;
        enum ia64_xres r = exec_insn(cpu, &b->slot[s]);
        if (r != IA64_X_NEXT)
            return;
        /* PSR.ed defers the faults of the one instruction rfi returned to. */
        cpu->psr &= ~(1ULL << IA64_PSR_ED);
        if (cpu->state != IA64_CPU_RUNNING) {
            /* A device halted us mid-bundle: resume after this slot. */
            if (s == 2) {
                cpu->ip += 16;
                cpu->slot = 0;
            } else {
                cpu->slot = s + 1;
            }
            return;
        }
    }
    cpu->ip += 16;
    cpu->slot = 0;
}
