/* Integer ALU, compares, test-bit, shifts and bit fields, extensions,
 * long immediates. NaT bits propagate from sources to the result; a compare
 * with a NaT source clears both target predicates (normal/unc types). */
#include "internal.h"

#define GET(r, v, n)                                                                               \
    do {                                                                                           \
        if (!ia64_gr_get(cpu, (r), &(v), &(n)))                                                    \
            return ia64_illegal(cpu);                                                              \
    } while (0)

static enum ia64_xres put(struct ia64_cpu *cpu, unsigned r, uint64_t v, bool nat)
{
    if (!ia64_gr_set(cpu, r, v, nat))
        return ia64_illegal(cpu);
    return IA64_X_NEXT;
}

static bool relation(unsigned crel, uint64_t a, uint64_t b, bool is4)
{
    if (is4) {
        a = (uint64_t)(int64_t)(int32_t)a;
        b = (uint64_t)(int64_t)(int32_t)b;
        if (crel == IA64_CREL_LTU) {
            a &= 0xffffffff;
            b &= 0xffffffff;
        }
    }
    switch (crel) {
    case IA64_CREL_EQ: return a == b;
    case IA64_CREL_NE: return a != b;
    case IA64_CREL_LT: return (int64_t)a < (int64_t)b;
    case IA64_CREL_LE: return (int64_t)a <= (int64_t)b;
    case IA64_CREL_GT: return (int64_t)a > (int64_t)b;
    case IA64_CREL_GE: return (int64_t)a >= (int64_t)b;
    case IA64_CREL_LTU: return a < b;
    }
    return false;
}

/* Writes the two predicates per the compare type. qp_true false only
 * reaches here for .unc (which clears both). */
static enum ia64_xres write_preds(struct ia64_cpu *cpu, const struct ia64_insn *in, bool res,
                                  bool nat, bool qp_true)
{
    if (in->p1 == in->p2 && in->ctype != IA64_CT_OR_ANDCM)
        return ia64_illegal(cpu);
    switch (in->ctype) {
    case IA64_CT_NONE:
    case IA64_CT_UNC:
        if (!qp_true || nat) {
            ia64_set_pr(cpu, in->p1, false);
            ia64_set_pr(cpu, in->p2, false);
        } else {
            ia64_set_pr(cpu, in->p1, res);
            ia64_set_pr(cpu, in->p2, !res);
        }
        break;
    case IA64_CT_AND:
        if (nat || !res) {
            ia64_set_pr(cpu, in->p1, false);
            ia64_set_pr(cpu, in->p2, false);
        }
        break;
    case IA64_CT_OR:
        if (!nat && res) {
            ia64_set_pr(cpu, in->p1, true);
            ia64_set_pr(cpu, in->p2, true);
        }
        break;
    case IA64_CT_OR_ANDCM:
        if (!nat && res) {
            ia64_set_pr(cpu, in->p1, true);
            ia64_set_pr(cpu, in->p2, false);
        }
        break;
    }
    return IA64_X_NEXT;
}

enum ia64_xres ia64_exec_compare(struct ia64_cpu *cpu, const struct ia64_insn *in, bool qp_true)
{
    uint64_t a = 0, b;
    bool na = false, nb;
    if (!qp_true)
        return write_preds(cpu, in, false, false, false);
    GET(in->r3, b, nb);
    switch (in->op) {
    case IA64_OP_CMP:
        if (in->has_imm)
            a = (uint64_t)in->imm;
        else
            GET(in->r2, a, na);
        return write_preds(cpu, in, relation(in->crel, a, b, in->is4), na || nb, true);
    case IA64_OP_TBIT: {
        bool bit = (b >> in->pos) & 1;
        return write_preds(cpu, in, in->crel == IA64_CREL_Z ? !bit : bit, nb, true);
    }
    case IA64_OP_TNAT:
        return write_preds(cpu, in, in->crel == IA64_CREL_Z ? !nb : nb, false, true);
    default:
        return ia64_illegal(cpu);
    }
}

static uint64_t czx(uint64_t v, unsigned width, bool left)
{
    unsigned n = 8 / width;
    uint64_t mask = width == 1 ? 0xff : 0xffff;
    for (unsigned k = 0; k < n; k++) {
        unsigned i = left ? n - 1 - k : k; /* element index from the right */
        if (((v >> (i * width * 8)) & mask) == 0)
            return left ? k : k;
    }
    return n;
}

static uint64_t addp4(uint64_t a, uint64_t b)
{
    uint64_t s = (a + b) & 0xffffffff;
    return s | ((b >> 30) & 3) << 61;
}

enum ia64_xres ia64_exec_alu(struct ia64_cpu *cpu, const struct ia64_insn *in)
{
    uint64_t a = 0, b = 0, r;
    bool na = false, nb = false;

    switch (in->op) {
    case IA64_OP_ADD:
    case IA64_OP_ADD1:
    case IA64_OP_SUB:
    case IA64_OP_SUB1:
    case IA64_OP_AND:
    case IA64_OP_ANDCM:
    case IA64_OP_OR:
    case IA64_OP_XOR:
    case IA64_OP_ADDP4:
    case IA64_OP_SHLADD:
    case IA64_OP_SHLADDP4:
        GET(in->r2, a, na);
        GET(in->r3, b, nb);
        break;
    case IA64_OP_SUB_IMM:
    case IA64_OP_AND_IMM:
    case IA64_OP_ANDCM_IMM:
    case IA64_OP_OR_IMM:
    case IA64_OP_XOR_IMM:
    case IA64_OP_ADDS:
    case IA64_OP_ADDP4_IMM:
    case IA64_OP_ADDL:
        a = (uint64_t)in->imm;
        GET(in->r3, b, nb);
        break;
    default:
        break;
    }
    switch (in->op) {
    case IA64_OP_ADD: r = a + b; break;
    case IA64_OP_ADD1: r = a + b + 1; break;
    case IA64_OP_SUB:
    case IA64_OP_SUB_IMM: r = a - b; break;
    case IA64_OP_SUB1: r = a - b - 1; break;
    case IA64_OP_AND:
    case IA64_OP_AND_IMM: r = a & b; break;
    case IA64_OP_ANDCM:
    case IA64_OP_ANDCM_IMM: r = a & ~b; break;
    case IA64_OP_OR:
    case IA64_OP_OR_IMM: r = a | b; break;
    case IA64_OP_XOR:
    case IA64_OP_XOR_IMM: r = a ^ b; break;
    case IA64_OP_ADDS:
    case IA64_OP_ADDL: r = a + b; break;
    case IA64_OP_ADDP4:
    case IA64_OP_ADDP4_IMM: r = addp4(a, b); break;
    case IA64_OP_SHLADD: r = (a << in->len) + b; break;
    case IA64_OP_SHLADDP4: r = addp4(a << in->len, b); break;
    case IA64_OP_MOVL:
        return put(cpu, in->r1, (uint64_t)in->imm, false);
    case IA64_OP_SHR:
    case IA64_OP_SHRU:
        /* shr r1 = r3, r2 */
        GET(in->r3, a, na);
        GET(in->r2, b, nb);
        if (in->op == IA64_OP_SHR)
            r = (uint64_t)((int64_t)a >> (b > 63 ? 63 : b));
        else
            r = b > 63 ? 0 : a >> b;
        return put(cpu, in->r1, r, na || nb);
    case IA64_OP_SHL:
        /* shl r1 = r2, r3 */
        GET(in->r2, a, na);
        GET(in->r3, b, nb);
        return put(cpu, in->r1, b > 63 ? 0 : a << b, na || nb);
    case IA64_OP_EXTR:
    case IA64_OP_EXTRU: {
        GET(in->r3, a, na);
        unsigned pos = in->pos, len = in->len;
        if (pos + len > 64)
            len = 64 - pos;
        uint64_t f = a >> pos;
        if (len < 64)
            f &= (1ULL << len) - 1;
        if (in->op == IA64_OP_EXTR && len < 64 && ((f >> (len - 1)) & 1))
            f |= ~0ULL << len;
        return put(cpu, in->r1, f, na);
    }
    case IA64_OP_DEPZ:
    case IA64_OP_DEPZ_IMM:
    case IA64_OP_DEP_IMM1:
    case IA64_OP_DEP: {
        uint64_t src, tgt = 0;
        if (in->op == IA64_OP_DEPZ)
            GET(in->r2, src, na);
        else if (in->op == IA64_OP_DEP)
            GET(in->r2, src, na);
        else
            src = (uint64_t)in->imm;
        if (in->op == IA64_OP_DEP || in->op == IA64_OP_DEP_IMM1)
            GET(in->r3, tgt, nb);
        unsigned pos = in->pos, len = in->len;
        if (pos + len > 64)
            len = 64 - pos;
        uint64_t m = (len >= 64 ? ~0ULL : (1ULL << len) - 1) << pos;
        r = (tgt & ~m) | ((src << pos) & m);
        return put(cpu, in->r1, r, na || nb);
    }
    case IA64_OP_SHRP:
        GET(in->r2, a, na);
        GET(in->r3, b, nb);
        r = in->pos ? (b >> in->pos) | (a << (64 - in->pos)) : b;
        return put(cpu, in->r1, r, na || nb);
    case IA64_OP_ZXT:
    case IA64_OP_SXT: {
        GET(in->r3, a, na);
        unsigned bits = in->size * 8;
        uint64_t m = (1ULL << bits) - 1;
        r = a & m;
        if (in->op == IA64_OP_SXT && ((r >> (bits - 1)) & 1))
            r |= ~m;
        return put(cpu, in->r1, r, na);
    }
    case IA64_OP_CZX_L:
    case IA64_OP_CZX_R:
        GET(in->r3, a, na);
        return put(cpu, in->r1, czx(a, in->size, in->op == IA64_OP_CZX_L), na);
    case IA64_OP_POPCNT:
        GET(in->r3, a, na);
        return put(cpu, in->r1, (uint64_t)__builtin_popcountll(a), na);
    default:
        return ia64_illegal(cpu);
    }
    return put(cpu, in->r1, r, na || nb);
}
