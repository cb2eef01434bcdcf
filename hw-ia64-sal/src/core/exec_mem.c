/* Loads, stores, semaphores, and the FP register moves that state save
 * needs (getf/setf, ldf.fill/stf.spill). CPUs step one bundle at a time, so
 * every access is atomic with respect to other CPUs; ordering completers
 * (.acq/.rel) need no extra work in this model. The ALAT is not modelled:
 * advanced loads always "miss" (chk.a branches, ld.c reloads), which the
 * architecture allows. */
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

/* Register-format <-> memory-format conversions for getf/setf .s/.d. */
static void fr_from_ieee(struct ia64_fpreg *f, uint64_t v, bool dbl)
{
    unsigned ebits = dbl ? 11 : 8, mbits = dbl ? 52 : 23;
    unsigned bias = dbl ? 1023 : 127;
    f->sign = (v >> (ebits + mbits)) & 1;
    uint64_t e = (v >> mbits) & ((1u << ebits) - 1);
    uint64_t m = v & ((1ULL << mbits) - 1);
    if (e == 0 && m == 0) {
        f->exp = 0;
        f->sig = 0;
    } else if (e == (1u << ebits) - 1) {
        f->exp = 0x1ffff;
        f->sig = 1ULL << 63 | m << (63 - mbits);
    } else if (e == 0) {
        f->exp = 0xffff - bias + 1;
        f->sig = m << (63 - mbits); /* denormal, unnormalised in register */
    } else {
        f->exp = (uint32_t)(e - bias + 0xffff);
        f->sig = 1ULL << 63 | m << (63 - mbits);
    }
}

static uint64_t fr_to_ieee(const struct ia64_fpreg *f, bool dbl)
{
    unsigned ebits = dbl ? 11 : 8, mbits = dbl ? 52 : 23;
    int bias = dbl ? 1023 : 127;
    uint64_t s = (uint64_t)f->sign << (ebits + mbits);
    if (f->sig == 0)
        return s;
    if (f->exp == 0x1ffff)
        return s | (((1ULL << ebits) - 1) << mbits) | ((f->sig << 1) >> (64 - mbits));
    long e = (long)f->exp - 0xffff + bias;
    if (e <= 0 || e >= (1L << ebits) - 1)
        return s | (e <= 0 ? 0 : ((1ULL << ebits) - 1) << mbits); /* flush/overflow */
    return s | (uint64_t)e << mbits | ((f->sig << 1) >> (64 - mbits));
}

static enum ia64_xres post_inc(struct ia64_cpu *cpu, const struct ia64_insn *in, uint64_t addr,
                               bool anat)
{
    if (in->flags & IA64_LDF_UPD_IMM)
        return put(cpu, in->r3, addr + (uint64_t)in->imm, anat);
    if (in->flags & IA64_LDF_UPD_REG) {
        uint64_t inc;
        bool n;
        GET(in->r2, inc, n);
        return put(cpu, in->r3, addr + inc, anat || n);
    }
    return IA64_X_NEXT;
}

static enum ia64_xres do_load(struct ia64_cpu *cpu, const struct ia64_insn *in, uint64_t addr)
{
    uint64_t v = 0;
    if (in->flags & IA64_LDF_SPEC) {
        /* Speculative: defer any fault as a NaT in the target; no
         * interruption is taken, so the interruption CRs stay as they were. */
        uint64_t pa;
        uint64_t keep[3] = {cpu->cr[IA64_CR_ISR], cpu->cr[IA64_CR_ITIR], cpu->cr[IA64_CR_IHA]};
        bool ok = (addr & (in->size - 1)) == 0 &&
                  ia64_translate(cpu, addr, IA64_ACC_READ, false, &pa) == 0 &&
                  ia64_phys_read(cpu->machine, cpu, pa, in->size, &v) == 0;
        cpu->cr[IA64_CR_ISR] = keep[0];
        cpu->cr[IA64_CR_ITIR] = keep[1];
        cpu->cr[IA64_CR_IHA] = keep[2];
        enum ia64_xres x = put(cpu, in->r1, ok ? v : 0, !ok);
        return x;
    }
    if (!ia64_vread(cpu, addr, in->size, &v, false))
        return IA64_X_FAULT;
    bool nat = false;
    if (in->flags & IA64_LDF_FILL)
        nat = (cpu->ar[IA64_AR_UNAT] >> ((addr >> 3) & 63)) & 1;
    return put(cpu, in->r1, v, nat);
}

/* ldfs/ldfd/ldf8/ldfe and the stf forms: memory format <-> the 82-bit
 * register format. .s defers any fault (or a NaT base) as a NaTVal; .a and
 * .c behave as plain loads (no ALAT). Storing a NaTVal is a Register NaT
 * Consumption fault. ldfe/stfe move the 10-byte x87 extended format. */
static enum ia64_xres fp_access(struct ia64_cpu *cpu, const struct ia64_insn *in, uint64_t addr,
                                bool an)
{
    unsigned align = in->size == 10 ? 16 : in->size;
    if (in->op == IA64_OP_LDF) {
        if (in->r1 < 2)
            return ia64_illegal(cpu);
        struct ia64_fpreg *f = &cpu->fr[in->r1];
        uint64_t lo = 0, hi = 0;
        if (in->flags & IA64_LDF_SPEC) {
            uint64_t pa;
            uint64_t keep[3] = {cpu->cr[IA64_CR_ISR], cpu->cr[IA64_CR_ITIR], cpu->cr[IA64_CR_IHA]};
            unsigned n = in->size == 10 ? 8 : in->size;
            bool ok = !an && (addr & (align - 1)) == 0 &&
                      ia64_translate(cpu, addr, IA64_ACC_READ, false, &pa) == 0 &&
                      ia64_phys_read(cpu->machine, cpu, pa, n, &lo) == 0 &&
                      (in->size != 10 || ia64_phys_read(cpu->machine, cpu, pa + 8, 2, &hi) == 0);
            cpu->cr[IA64_CR_ISR] = keep[0];
            cpu->cr[IA64_CR_ITIR] = keep[1];
            cpu->cr[IA64_CR_IHA] = keep[2];
            if (!ok) {
                f->sig = 0;
                f->exp = 0x1fffe; /* NaTVal */
                f->sign = 0;
                return post_inc(cpu, in, addr, an);
            }
        } else {
            if (addr & (align - 1)) {
                ia64_raise(cpu, IA64_VEC_UNALIGNED, 1ULL << 34, addr, 0);
                return IA64_X_FAULT;
            }
            if (!ia64_vread(cpu, addr, in->size == 10 ? 8 : in->size, &lo, false) ||
                (in->size == 10 && !ia64_vread(cpu, addr + 8, 2, &hi, false)))
                return IA64_X_FAULT;
        }
        switch (in->pos) {
        case 0: { /* extended: 64-bit significand, sign and 15-bit exponent */
            unsigned e = hi & 0x7fff;
            f->sig = lo;
            f->sign = (hi >> 15) & 1;
            f->exp = e == 0x7fff ? 0x1ffff
                     : e == 0    ? (lo ? 0xffff - 16382 : 0)
                                 : e - 16383 + 0xffff;
            break;
        }
        case 1:
            f->sig = lo;
            f->exp = 0x1003e;
            f->sign = 0;
            break;
        case 2:
            fr_from_ieee(f, lo & 0xffffffff, false);
            break;
        default:
            fr_from_ieee(f, lo, true);
            break;
        }
        return post_inc(cpu, in, addr, an);
    }
    const struct ia64_fpreg *f = &cpu->fr[in->r2];
    if (f->exp == 0x1fffe && f->sig == 0 && !f->sign)
        return ia64_nat_fault_mem(cpu, false, true);
    if (addr & (align - 1)) {
        ia64_raise(cpu, IA64_VEC_UNALIGNED, 1ULL << 33, addr, 0);
        return IA64_X_FAULT;
    }
    bool ok;
    switch (in->pos) {
    case 0: {
        long e = f->exp == 0x1ffff ? 0x7fff : f->exp == 0 ? 0 : (long)f->exp - 0xffff + 16383;
        if (e < 0)
            e = 0; /* beyond the extended range: flushed (not modelled further) */
        if (e > 0x7fff)
            e = 0x7fff;
        ok = ia64_vwrite(cpu, addr, 8, f->sig, false) &&
             ia64_vwrite(cpu, addr + 8, 2, (uint64_t)e | (uint64_t)f->sign << 15, false);
        break;
    }
    case 1:
        ok = ia64_vwrite(cpu, addr, 8, f->sig, false);
        break;
    case 2:
        ok = ia64_vwrite(cpu, addr, 4, fr_to_ieee(f, false), false);
        break;
    default:
        ok = ia64_vwrite(cpu, addr, 8, fr_to_ieee(f, true), false);
        break;
    }
    return ok ? post_inc(cpu, in, addr, false) : IA64_X_FAULT;
}

/* ldfp8/ldfps/ldfpd: two ldf's of one size from one pair-aligned address,
 * into f1 and f2, which must be one odd and one even register (SDM); the
 * base moves once, by the pair's size. */
static enum ia64_xres fp_pair(struct ia64_cpu *cpu, const struct ia64_insn *in, uint64_t addr,
                              bool an)
{
    if (in->r1 < 2 || in->r2 < 2 || !((in->r1 ^ in->r2) & 1))
        return ia64_illegal(cpu);
    if (!(in->flags & IA64_LDF_SPEC) && (addr & (2 * in->size - 1))) {
        ia64_raise(cpu, IA64_VEC_UNALIGNED, 1ULL << 34, addr, 0);
        return IA64_X_FAULT;
    }
    struct ia64_insn one = *in;
    one.op = IA64_OP_LDF;
    one.flags &= ~(IA64_LDF_UPD_IMM | IA64_LDF_UPD_REG);
    enum ia64_xres x = fp_access(cpu, &one, addr, an);
    if (x != IA64_X_NEXT)
        return x;
    one.r1 = in->r2;
    x = fp_access(cpu, &one, addr + in->size, an);
    if (x != IA64_X_NEXT)
        return x;
    return post_inc(cpu, in, addr, an);
}

enum ia64_xres ia64_exec_mem(struct ia64_cpu *cpu, const struct ia64_insn *in)
{
    uint64_t addr, v, old;
    bool an, vn;
    enum ia64_xres x;

    GET(in->r3, addr, an);
    bool store = in->op == IA64_OP_ST || in->op == IA64_OP_STF_SPILL || in->op == IA64_OP_STF;
    bool load = in->op == IA64_OP_LD || in->op == IA64_OP_LDF_FILL || in->op == IA64_OP_LDF ||
                in->op == IA64_OP_LDFP;
    if (an && !((in->op == IA64_OP_LD || in->op == IA64_OP_LDF || in->op == IA64_OP_LDFP) &&
                (in->flags & IA64_LDF_SPEC)))
        return ia64_nat_fault_mem(cpu, !store, !load);
    if (in->op == IA64_OP_LDF || in->op == IA64_OP_STF)
        return fp_access(cpu, in, addr, an);
    if (in->op == IA64_OP_LDFP)
        return fp_pair(cpu, in, addr, an);
    switch (in->op) {
    case IA64_OP_LD:
        if (in->r1 == in->r3 && (in->flags & (IA64_LDF_UPD_IMM | IA64_LDF_UPD_REG)))
            return ia64_illegal(cpu);
        x = an ? put(cpu, in->r1, 0, true) : do_load(cpu, in, addr);
        if (x != IA64_X_NEXT)
            return x;
        return post_inc(cpu, in, addr, an);
    case IA64_OP_ST:
        GET(in->r2, v, vn);
        if (in->flags & IA64_LDF_FILL) {
            uint64_t bit = 1ULL << ((addr >> 3) & 63);
            if (!ia64_vwrite(cpu, addr, 8, v, false))
                return IA64_X_FAULT;
            if (vn)
                cpu->ar[IA64_AR_UNAT] |= bit;
            else
                cpu->ar[IA64_AR_UNAT] &= ~bit;
        } else {
            if (vn)
                return ia64_nat_fault_mem(cpu, false, true);
            if (!ia64_vwrite(cpu, addr, in->size, v, false))
                return IA64_X_FAULT;
        }
        return post_inc(cpu, in, addr, false);
    case IA64_OP_CMPXCHG:
        GET(in->r2, v, vn);
        if (vn)
            return ia64_nat_fault_mem(cpu, true, true);
        if (!ia64_vread(cpu, addr, in->size, &old, false))
            return IA64_X_FAULT;
        {
            uint64_t ccv = cpu->ar[IA64_AR_CCV];
            if (in->size < 8)
                ccv &= (1ULL << (in->size * 8)) - 1;
            if (old == ccv && !ia64_vwrite(cpu, addr, in->size, v, false))
                return IA64_X_FAULT;
        }
        return put(cpu, in->r1, old, false);
    case IA64_OP_XCHG:
        GET(in->r2, v, vn);
        if (vn)
            return ia64_nat_fault_mem(cpu, true, true);
        if (!ia64_vread(cpu, addr, in->size, &old, false))
            return IA64_X_FAULT;
        if (!ia64_vwrite(cpu, addr, in->size, v, false))
            return IA64_X_FAULT;
        return put(cpu, in->r1, old, false);
    case IA64_OP_FETCHADD:
        if (!ia64_vread(cpu, addr, in->size, &old, false))
            return IA64_X_FAULT;
        if (!ia64_vwrite(cpu, addr, in->size, old + (uint64_t)in->imm, false))
            return IA64_X_FAULT;
        return put(cpu, in->r1, old, false);
    case IA64_OP_LDF_FILL: {
        uint64_t lo, hi;
        if (in->r1 < 2)
            return ia64_illegal(cpu);
        if (addr & 15) {
            ia64_raise(cpu, IA64_VEC_UNALIGNED, 1ULL << 34, addr, 0);
            return IA64_X_FAULT;
        }
        if (!ia64_vread(cpu, addr, 8, &lo, false) || !ia64_vread(cpu, addr + 8, 8, &hi, false))
            return IA64_X_FAULT;
        cpu->fr[in->r1].sig = lo;
        cpu->fr[in->r1].exp = hi & 0x1ffff;
        cpu->fr[in->r1].sign = (hi >> 17) & 1;
        return post_inc(cpu, in, addr, false);
    }
    case IA64_OP_STF_SPILL: {
        const struct ia64_fpreg *f = &cpu->fr[in->r2];
        if (addr & 15) {
            ia64_raise(cpu, IA64_VEC_UNALIGNED, 1ULL << 33, addr, 0);
            return IA64_X_FAULT;
        }
        if (!ia64_vwrite(cpu, addr, 8, f->sig, false) ||
            !ia64_vwrite(cpu, addr + 8, 8, f->exp | (uint64_t)f->sign << 17, false))
            return IA64_X_FAULT;
        return post_inc(cpu, in, addr, false);
    }
    default:
        return ia64_illegal(cpu);
    }
}

enum ia64_xres ia64_exec_fpmove(struct ia64_cpu *cpu, const struct ia64_insn *in)
{
    uint64_t v;
    bool n;
    switch (in->op) {
    case IA64_OP_GETF: {
        const struct ia64_fpreg *f = &cpu->fr[in->r2];
        switch (in->size) {
        case 0:
            v = f->sig;
            break;
        case 1:
            v = f->exp | (uint64_t)f->sign << 17;
            break;
        case 2:
            v = fr_to_ieee(f, false);
            break;
        default:
            v = fr_to_ieee(f, true);
            break;
        }
        return put(cpu, in->r1, v, false);
    }
    case IA64_OP_SETF: {
        if (in->r1 < 2)
            return ia64_illegal(cpu);
        GET(in->r2, v, n);
        struct ia64_fpreg *f = &cpu->fr[in->r1];
        switch (in->size) {
        case 0:
            f->sig = v;
            f->exp = 0x1003e;
            f->sign = 0;
            break;
        case 1:
            f->sig = 1ULL << 63;
            f->exp = v & 0x1ffff;
            f->sign = (v >> 17) & 1;
            break;
        case 2:
            fr_from_ieee(f, v & 0xffffffff, false);
            break;
        default:
            fr_from_ieee(f, v, true);
            break;
        }
        if (n) { /* NaTVal */
            f->sig = 0;
            f->exp = 0x1fffe;
            f->sign = 0;
        }
        return IA64_X_NEXT;
    }
    case IA64_OP_FMERGE_S:
    case IA64_OP_FMERGE_NS: {
        if (in->r1 < 2)
            return ia64_illegal(cpu);
        struct ia64_fpreg a = cpu->fr[in->r2], b = cpu->fr[in->r3];
        b.sign = in->op == IA64_OP_FMERGE_S ? a.sign : !a.sign;
        cpu->fr[in->r1] = b;
        return IA64_X_NEXT;
    }
    default:
        return ia64_illegal(cpu);
    }
}
