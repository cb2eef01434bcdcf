/* Branches: conditional, call/return with the RSE frame changes, indirect,
 * counted and modulo-scheduled loop branches, long branches. */
#include "internal.h"

static enum ia64_xres jump(struct ia64_cpu *cpu, uint64_t target)
{
    cpu->ip = target & ~15ULL;
    cpu->slot = 0;
    return IA64_X_BRANCH;
}

/* Modulo-scheduled loop rotation: decrement every rrb. */
static void rotate(struct ia64_cpu *cpu)
{
    uint64_t cfm = cpu->cfm;
    unsigned rot = ia64_cfm_sor(cfm) * 8;
    unsigned gr = (cfm >> 18) & 0x7f, fr = (cfm >> 25) & 0x7f, pr = (cfm >> 32) & 0x3f;
    gr = rot ? (gr + rot - 1) % rot : 0;
    fr = (fr + 96 - 1) % 96;
    pr = (pr + 48 - 1) % 48;
    cpu->cfm = (cfm & ~(0x7fULL << 18 | 0x7fULL << 25 | 0x3fULL << 32)) | (uint64_t)gr << 18 |
               (uint64_t)fr << 25 | (uint64_t)pr << 32;
}

/* Counted/while loop branches; returns whether the branch is taken. */
static bool loop_branch(struct ia64_cpu *cpu, unsigned btype, bool qp)
{
    uint64_t *lc = &cpu->ar[IA64_AR_LC], *ec = &cpu->ar[IA64_AR_EC];
    bool counted = btype == IA64_BT_CTOP || btype == IA64_BT_CEXIT;
    bool exit_form = btype == IA64_BT_CEXIT || btype == IA64_BT_WEXIT;
    bool cont;
    if (counted ? *lc != 0 : qp) {
        if (counted)
            (*lc)--;
        ia64_set_pr(cpu, 63, counted);
        rotate(cpu);
        cont = true;
    } else if ((*ec & 0x3f) > 1) {
        (*ec)--;
        ia64_set_pr(cpu, 63, false);
        rotate(cpu);
        cont = true;
    } else if ((*ec & 0x3f) == 1) {
        (*ec)--;
        ia64_set_pr(cpu, 63, false);
        rotate(cpu);
        cont = false;
    } else {
        /* Epilogue end (EC = 0): PR[63] is cleared, nothing rotates. */
        ia64_set_pr(cpu, 63, false);
        cont = false;
    }
    return exit_form ? !cont : cont;
}

static enum ia64_xres call(struct ia64_cpu *cpu, unsigned b1, uint64_t target)
{
    uint64_t ret = cpu->ip + 16;
    ia64_rse_call(cpu);
    cpu->br[b1] = ret;
    return jump(cpu, target);
}

enum ia64_xres ia64_exec_branch(struct ia64_cpu *cpu, const struct ia64_insn *in, bool qp)
{
    switch (in->op) {
    case IA64_OP_BR_IPREL:
        /* loop branches are only allowed in slot 2 (SDM: Illegal Operation
         * elsewhere, taken or not) */
        if (in->btype >= IA64_BT_WEXIT && in->btype != IA64_BT_RET && cpu->slot != 2)
            return ia64_illegal(cpu);
        switch (in->btype) {
        case IA64_BT_COND:
            return qp ? jump(cpu, cpu->ip + (uint64_t)in->imm) : IA64_X_NEXT;
        case IA64_BT_CLOOP:
            if (in->qp)
                return ia64_illegal(cpu);
            if (cpu->ar[IA64_AR_LC] != 0) {
                cpu->ar[IA64_AR_LC]--;
                return jump(cpu, cpu->ip + (uint64_t)in->imm);
            }
            return IA64_X_NEXT;
        case IA64_BT_CTOP:
        case IA64_BT_CEXIT:
            if (in->qp)
                return ia64_illegal(cpu);
            /* fall through */
        case IA64_BT_WTOP:
        case IA64_BT_WEXIT:
            return loop_branch(cpu, in->btype, qp) ? jump(cpu, cpu->ip + (uint64_t)in->imm)
                                                   : IA64_X_NEXT;
        default:
            return ia64_illegal(cpu);
        }
    case IA64_OP_BR_CALL:
        return qp ? call(cpu, in->b1, cpu->ip + (uint64_t)in->imm) : IA64_X_NEXT;
    case IA64_OP_BRL:
        return qp ? jump(cpu, cpu->ip + (uint64_t)in->imm) : IA64_X_NEXT;
    case IA64_OP_BRL_CALL:
        return qp ? call(cpu, in->b1, cpu->ip + (uint64_t)in->imm) : IA64_X_NEXT;
    case IA64_OP_BR_IND:
        if (!qp)
            return IA64_X_NEXT;
        if (in->btype == IA64_BT_IA)
            return ia64_illegal(cpu); /* no IA-32 execution */
        return jump(cpu, cpu->br[in->b2]);
    case IA64_OP_BR_CALL_IND:
        return qp ? call(cpu, in->b1, cpu->br[in->b2]) : IA64_X_NEXT;
    case IA64_OP_BR_RET: {
        if (!qp)
            return IA64_X_NEXT;
        uint64_t target = cpu->br[in->b2];
        uint64_t pfs = cpu->ar[IA64_AR_PFS];
        if (!ia64_rse_return(cpu, pfs))
            return IA64_X_FAULT;
        /* A return may lower privilege (raise cpl), never raise it. */
        unsigned ppl = (pfs >> 62) & 3;
        if (ppl > CPL(cpu))
            cpu->psr = (cpu->psr & ~(3ULL << IA64_PSR_CPL)) | (uint64_t)ppl << IA64_PSR_CPL;
        return jump(cpu, target);
    }
    default:
        return ia64_illegal(cpu);
    }
}
