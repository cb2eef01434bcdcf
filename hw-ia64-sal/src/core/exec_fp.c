/* F-unit arithmetic in the 82-bit register format: fma/fms/fnma (and their
 * pseudo-ops fmpy, fnorm, fadd, fsub, fnmpy), xma (every 64-bit integer
 * multiply), frcpa, fcvt.fx/fxu/xf, fmerge.se, fcmp, fclass, fsetc, fclrf:
 * what Linux's integer multiply and divide sequences need. FP exception
 * flags and traps, frcpa's software-assistance cases, rotating FRs and the
 * disabled-FP faults are not modelled. */
#include "fp82.h"
#include "internal.h"

static bool fr_target_ok(unsigned r)
{
    return r >= 2; /* f0 and f1 are constants */
}

static void set_int(struct ia64_fpreg *d, uint64_t v)
{
    d->sig = v;
    d->exp = FP82_EXP_INT;
    d->sign = 0;
}

static enum ia64_xres xma(struct ia64_cpu *cpu, const struct ia64_insn *in)
{
    const struct ia64_fpreg *a = &cpu->fr[in->r3], *b = &cpu->fr[in->imm2], *c = &cpu->fr[in->r2];
    struct ia64_fpreg *d = &cpu->fr[in->r1];
    if (fp82_is_natval(a) || fp82_is_natval(b) || fp82_is_natval(c)) {
        fp82_set_natval(d);
        return IA64_X_NEXT;
    }
    switch (in->len) {
    case 0: /* xma.l = xma.lu: the low half does not depend on signedness */
        set_int(d, a->sig * b->sig + c->sig);
        break;
    case 2: { /* xma.hu */
        unsigned __int128 p = (unsigned __int128)a->sig * b->sig + c->sig;
        set_int(d, (uint64_t)(p >> 64));
        break;
    }
    default: { /* xma.h */
        __int128 p = (__int128)(int64_t)a->sig * (int64_t)b->sig + (int64_t)c->sig;
        set_int(d, (uint64_t)((unsigned __int128)p >> 64));
        break;
    }
    }
    return IA64_X_NEXT;
}

static void write_pair(struct ia64_cpu *cpu, const struct ia64_insn *in, bool v)
{
    ia64_set_pr(cpu, in->p1, v);
    ia64_set_pr(cpu, in->p2, !v);
}

/* fcmp and fclass: like integer compares, .unc clears both targets when the
 * qualifying predicate is false; a NaTVal operand clears both. */
enum ia64_xres ia64_exec_fp_compare(struct ia64_cpu *cpu, const struct ia64_insn *in, bool qp)
{
    if (in->p1 == in->p2)
        return ia64_illegal(cpu);
    const struct ia64_fpreg *a = &cpu->fr[in->r2], *b = &cpu->fr[in->r3];
    bool nat = fp82_is_natval(a) || (in->op == IA64_OP_FCMP && fp82_is_natval(b));
    if (!qp || (nat && !(in->op == IA64_OP_FCLASS && (in->imm & 0x100)))) {
        ia64_set_pr(cpu, in->p1, false);
        ia64_set_pr(cpu, in->p2, false);
        return IA64_X_NEXT;
    }
    if (in->op == IA64_OP_FCLASS) {
        write_pair(cpu, in, fp82_class(a, (unsigned)in->imm));
        return IA64_X_NEXT;
    }
    long double x = fp82_to_ld(a), y = fp82_to_ld(b);
    bool unord = x != x || y != y, r;
    switch (in->crel) {
    case IA64_FCREL_EQ:
        r = !unord && x == y;
        break;
    case IA64_FCREL_LT:
        r = !unord && x < y;
        break;
    case IA64_FCREL_LE:
        r = !unord && x <= y;
        break;
    default:
        r = unord;
        break;
    }
    write_pair(cpu, in, r);
    return IA64_X_NEXT;
}

/* F9's significand-as-integers operations (SDM vol. 3: fand ... fsxt):
 * x6 selects; "left" is bits 63:32, "right" bits 31:0. Linux's percpu
 * setup reaches fsxt.r through gcc's 32-bit vector code. */
static uint64_t fsig(unsigned x6, uint64_t a, uint64_t b)
{
    const uint64_t lo = 0xffffffffULL;
    switch (x6) {
    case 0x2c:
        return a & b;
    case 0x2d:
        return a & ~b;
    case 0x2e:
        return a | b;
    case 0x2f:
        return a ^ b;
    case 0x34: /* fswap: left = b's right, right = a's left */
        return (b & lo) << 32 | a >> 32;
    case 0x35: /* fswap.nl: the same, left half's sign inverted */
        return ((b & lo) << 32 | a >> 32) ^ (1ULL << 63);
    case 0x36: /* fswap.nr: right half's sign inverted */
        return ((b & lo) << 32 | a >> 32) ^ (1ULL << 31);
    case 0x39: /* fmix.lr */
        return (a & ~lo) | (b & lo);
    case 0x3a: /* fmix.r */
        return (a & lo) << 32 | (b & lo);
    case 0x3b: /* fmix.l */
        return (a & ~lo) | b >> 32;
    case 0x3c: /* fsxt.r */
        return (a >> 31 & 1 ? ~lo : 0) | (b & lo);
    default: /* 0x3d fsxt.l */
        return (a >> 63 ? ~lo : 0) | b >> 32;
    }
}

enum ia64_xres ia64_exec_fp(struct ia64_cpu *cpu, const struct ia64_insn *in)
{
    uint64_t *fpsr = &cpu->ar[IA64_AR_FPSR];
    struct fp82_env env = fp82_env(*fpsr, in->pos, in->size);
    struct ia64_fpreg *d = &cpu->fr[in->r1];

    switch (in->op) {
    case IA64_OP_FSETC: {
        unsigned shift = 6 + 13 * in->pos;
        uint64_t ctl = (*fpsr >> shift) & 0x7f;
        ctl = (ctl & (uint64_t)(in->imm & 0x7f)) | (uint64_t)((in->imm >> 8) & 0x7f);
        *fpsr = (*fpsr & ~(0x7fULL << shift)) | ctl << shift;
        return IA64_X_NEXT;
    }
    case IA64_OP_FCLRF:
        *fpsr &= ~(0x3fULL << (6 + 13 * in->pos + 7));
        return IA64_X_NEXT;
    default:
        break;
    }
    if (!fr_target_ok(in->r1))
        return ia64_illegal(cpu);
    switch (in->op) {
    case IA64_OP_FMA:
    case IA64_OP_FMS:
    case IA64_OP_FNMA:
        fp82_fma(d, &cpu->fr[in->r3], &cpu->fr[in->imm2], &cpu->fr[in->r2], in->op == IA64_OP_FNMA,
                 in->op == IA64_OP_FMS, env);
        return IA64_X_NEXT;
    case IA64_OP_XMA:
        return xma(cpu, in);
    case IA64_OP_FRCPA: {
        struct ia64_fpreg a = cpu->fr[in->r2], b = cpu->fr[in->r3];
        ia64_set_pr(cpu, in->p2, fp82_frcpa(d, &a, &b));
        return IA64_X_NEXT;
    }
    case IA64_OP_FCVT_FX: {
        struct ia64_fpreg a = cpu->fr[in->r2];
        fp82_to_int(d, &a, in->len & 1, in->len & 2, env);
        return IA64_X_NEXT;
    }
    case IA64_OP_FCVT_XF: {
        struct ia64_fpreg a = cpu->fr[in->r2];
        fp82_from_int(d, &a);
        return IA64_X_NEXT;
    }
    case IA64_OP_FMERGE_SE: {
        struct ia64_fpreg a = cpu->fr[in->r2], b = cpu->fr[in->r3];
        d->sign = a.sign;
        d->exp = a.exp;
        d->sig = b.sig;
        return IA64_X_NEXT;
    }
    case IA64_OP_FSIG: {
        const struct ia64_fpreg *a = &cpu->fr[in->r2], *b = &cpu->fr[in->r3];
        if (fp82_is_natval(a) || fp82_is_natval(b)) {
            *d = fp82_is_natval(a) ? *a : *b;
            return IA64_X_NEXT;
        }
        uint64_t r = fsig(in->len, a->sig, b->sig);
        d->sign = 0;
        d->exp = 0x1003e; /* an integer in the significand, as setf.sig leaves it */
        d->sig = r;
        return IA64_X_NEXT;
    }
    default:
        return ia64_illegal(cpu);
    }
}
