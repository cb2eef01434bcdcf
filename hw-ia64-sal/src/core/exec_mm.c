/* Multimedia (parallel integer) instructions: 1-, 2- and 4-byte elements in
 * a 64-bit general register (SDM vol 1 4.6, vol 3 padd..pshr). Element i is
 * bits 8*size*i and up; "right" means the even, "left" the odd elements. A
 * NaT in any source makes the target NaT, as for the other ALU ops. */
#include "internal.h"

static unsigned lanes(unsigned size)
{
    return 8 / size;
}

static uint64_t get_u(uint64_t v, unsigned size, unsigned i)
{
    unsigned bits = size * 8;
    return bits == 64 ? v : (v >> (bits * i)) & ((1ULL << bits) - 1);
}

static int64_t get_s(uint64_t v, unsigned size, unsigned i)
{
    unsigned bits = size * 8;
    uint64_t u = get_u(v, size, i);
    return (int64_t)(u << (64 - bits)) >> (64 - bits);
}

static uint64_t put_lane(uint64_t r, unsigned size, unsigned i, uint64_t x)
{
    unsigned bits = size * 8;
    uint64_t mask = ((1ULL << bits) - 1) << (bits * i);
    return (r & ~mask) | ((x << (bits * i)) & mask);
}

static int64_t clamp(int64_t x, int64_t lo, int64_t hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

static int64_t smin(unsigned size)
{
    return -(1LL << (size * 8 - 1));
}

static int64_t smax(unsigned size)
{
    return (1LL << (size * 8 - 1)) - 1;
}

static int64_t umax(unsigned size)
{
    return (int64_t)((1ULL << (size * 8)) - 1);
}

/* padd/psub with the completers: modulo, sss (signed saturation), uuu
 * (unsigned), uus (unsigned a, signed b, unsigned result). */
static uint64_t add_sub(uint64_t a, uint64_t b, unsigned size, unsigned kind, bool sub)
{
    uint64_t r = 0;
    for (unsigned i = 0; i < lanes(size); i++) {
        int64_t x, y;
        switch (kind) {
        case 1:
            x = get_s(a, size, i), y = get_s(b, size, i);
            break;
        case 2:
            x = (int64_t)get_u(a, size, i), y = (int64_t)get_u(b, size, i);
            break;
        case 3:
            x = (int64_t)get_u(a, size, i), y = get_s(b, size, i);
            break;
        default:
            x = (int64_t)get_u(a, size, i), y = (int64_t)get_u(b, size, i);
            break;
        }
        int64_t v = sub ? x - y : x + y;
        if (kind == 1)
            v = clamp(v, smin(size), smax(size));
        else if (kind >= 2)
            v = clamp(v, 0, umax(size));
        r = put_lane(r, size, i, (uint64_t)v);
    }
    return r;
}

static uint64_t shift_lanes(uint64_t a, unsigned size, uint64_t count, bool left, bool is_unsigned)
{
    unsigned bits = size * 8;
    uint64_t r = 0;
    for (unsigned i = 0; i < lanes(size); i++) {
        uint64_t v;
        if (left)
            v = count >= bits ? 0 : get_u(a, size, i) << count;
        else if (is_unsigned)
            v = count >= bits ? 0 : get_u(a, size, i) >> count;
        else
            v = (uint64_t)(get_s(a, size, i) >> (count >= bits ? bits - 1 : count));
        r = put_lane(r, size, i, v);
    }
    return r;
}

static uint64_t mux1(uint64_t a, unsigned type)
{
    /* result byte i comes from source byte perm[i] */
    static const uint8_t mix[8] = {0, 4, 2, 6, 1, 5, 3, 7};
    static const uint8_t shuf[8] = {0, 4, 1, 5, 2, 6, 3, 7};
    static const uint8_t alt[8] = {0, 2, 4, 6, 1, 3, 5, 7};
    static const uint8_t rev[8] = {7, 6, 5, 4, 3, 2, 1, 0};
    static const uint8_t brcst[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    const uint8_t *p = type == IA64_MUX_MIX    ? mix
                       : type == IA64_MUX_SHUF ? shuf
                       : type == IA64_MUX_ALT  ? alt
                       : type == IA64_MUX_REV  ? rev
                                               : brcst;
    uint64_t r = 0;
    for (unsigned i = 0; i < 8; i++)
        r = put_lane(r, 1, i, get_u(a, 1, p[i]));
    return r;
}

static uint64_t compute(const struct ia64_insn *in, uint64_t a, uint64_t b)
{
    unsigned size = in->size, n = lanes(size);
    uint64_t r = 0;
    switch (in->op) {
    case IA64_OP_PADD:
    case IA64_OP_PSUB:
        return add_sub(a, b, size, in->len, in->op == IA64_OP_PSUB);
    case IA64_OP_PAVG:
        for (unsigned i = 0; i < n; i++) {
            uint64_t s = get_u(a, size, i) + get_u(b, size, i);
            /* .raz rounds halves up; the plain form ORs the lost bit in */
            r = put_lane(r, size, i, in->len ? (s + 1) >> 1 : (s >> 1) | (s & 1));
        }
        return r;
    case IA64_OP_PAVGSUB:
        for (unsigned i = 0; i < n; i++) {
            int64_t d = (int64_t)get_u(a, size, i) - (int64_t)get_u(b, size, i);
            r = put_lane(r, size, i, (uint64_t)((d >> 1) | (d & 1)));
        }
        return r;
    case IA64_OP_PSHLADD:
    case IA64_OP_PSHRADD:
        for (unsigned i = 0; i < n; i++) {
            int64_t x = get_s(a, size, i);
            x = in->op == IA64_OP_PSHLADD ? x * (1LL << in->pos) : x >> in->pos;
            r = put_lane(r, size, i,
                         (uint64_t)clamp(x + get_s(b, size, i), smin(size), smax(size)));
        }
        return r;
    case IA64_OP_PCMP:
        for (unsigned i = 0; i < n; i++) {
            bool t = in->len ? get_s(a, size, i) > get_s(b, size, i)
                             : get_u(a, size, i) == get_u(b, size, i);
            r = put_lane(r, size, i, t ? ~0ULL : 0);
        }
        return r;
    case IA64_OP_PMPY: /* 16 x 16 -> 32 of the right (even) or left (odd) elements */
        for (unsigned i = 0; i < 2; i++) {
            unsigned e = 2 * i + in->len;
            r = put_lane(r, 4, i, (uint64_t)(get_s(a, 2, e) * get_s(b, 2, e)));
        }
        return r;
    case IA64_OP_PMPYSHR:
        for (unsigned i = 0; i < 4; i++) {
            int64_t p = in->len ? (int64_t)(get_u(a, 2, i) * get_u(b, 2, i))
                                : get_s(a, 2, i) * get_s(b, 2, i);
            r = put_lane(r, 2, i, (uint64_t)(p >> in->pos));
        }
        return r;
    case IA64_OP_MIX: /* r1 element 2k+1 from r2, 2k from r3 */
        for (unsigned k = 0; k < n / 2; k++) {
            unsigned e = 2 * k + in->len;
            r = put_lane(r, size, 2 * k + 1, get_u(a, size, e));
            r = put_lane(r, size, 2 * k, get_u(b, size, e));
        }
        return r;
    case IA64_OP_UNPACK: /* interleave the low (or high) halves, r2 in the odd elements */
        for (unsigned k = 0; k < n / 2; k++) {
            unsigned e = k + (in->len ? n / 2 : 0);
            r = put_lane(r, size, 2 * k + 1, get_u(a, size, e));
            r = put_lane(r, size, 2 * k, get_u(b, size, e));
        }
        return r;
    case IA64_OP_PACK: { /* r2's elements to the low half, r3's to the high, saturated */
        unsigned half = size / 2;
        for (unsigned i = 0; i < 2 * n; i++) {
            int64_t x = get_s(i < n ? a : b, size, i % n);
            int64_t v = in->len ? clamp(x, smin(half), smax(half)) : clamp(x, 0, umax(half));
            r = put_lane(r, half, i, (uint64_t)v);
        }
        return r;
    }
    case IA64_OP_PMIN:
    case IA64_OP_PMAX:
        for (unsigned i = 0; i < n; i++) {
            bool a_less = in->len ? get_u(a, size, i) < get_u(b, size, i)
                                  : get_s(a, size, i) < get_s(b, size, i);
            bool take_a = in->op == IA64_OP_PMIN ? a_less : !a_less;
            r = put_lane(r, size, i, get_u(take_a ? a : b, size, i));
        }
        return r;
    case IA64_OP_PSAD:
        for (unsigned i = 0; i < 8; i++) {
            int64_t d = (int64_t)get_u(a, 1, i) - (int64_t)get_u(b, 1, i);
            r += (uint64_t)(d < 0 ? -d : d);
        }
        return r;
    case IA64_OP_MUX1:
        return mux1(a, (unsigned)in->imm);
    case IA64_OP_MUX2:
        for (unsigned i = 0; i < 4; i++)
            r = put_lane(r, 2, i, get_u(a, 2, ((unsigned)in->imm >> (2 * i)) & 3));
        return r;
    default:
        return 0;
    }
}

enum ia64_xres ia64_exec_mm(struct ia64_cpu *cpu, const struct ia64_insn *in)
{
    uint64_t a, b = 0;
    bool an, bn = false;
    if (in->op == IA64_OP_PSHR || in->op == IA64_OP_PSHL) {
        /* pshr: r1 = r3 >> (r2 or count5); pshl: r1 = r2 << (r3 or count) */
        unsigned src = in->op == IA64_OP_PSHR ? in->r3 : in->r2;
        unsigned cnt = in->op == IA64_OP_PSHR ? in->r2 : in->r3;
        if (!ia64_gr_get(cpu, src, &a, &an))
            return ia64_illegal(cpu);
        if (in->has_imm)
            b = in->pos;
        else if (!ia64_gr_get(cpu, cnt, &b, &bn))
            return ia64_illegal(cpu);
        uint64_t r = shift_lanes(a, in->size, b, in->op == IA64_OP_PSHL, in->len);
        return ia64_gr_set(cpu, in->r1, r, an || bn) ? IA64_X_NEXT : ia64_illegal(cpu);
    }
    if (!ia64_gr_get(cpu, in->r2, &a, &an))
        return ia64_illegal(cpu);
    if (in->op != IA64_OP_MUX1 && in->op != IA64_OP_MUX2 && !ia64_gr_get(cpu, in->r3, &b, &bn))
        return ia64_illegal(cpu);
    uint64_t r = compute(in, a, b);
    return ia64_gr_set(cpu, in->r1, r, an || bn) ? IA64_X_NEXT : ia64_illegal(cpu);
}
