/* 82-bit register format arithmetic through the host's long double (see
 * fp82.h). Rounding follows the status field: the host rounding mode is set
 * to rc for the one operation, and a result for a 24- or 53-bit precision
 * is rounded again from the 64-bit fmal result (a double rounding that can
 * differ from one rounding in the last place of halfway cases; integer
 * multiply and divide only use 64-bit precision). */
#include "fp82.h"

#include <fenv.h>
#include <math.h>

bool fp82_is_natval(const struct ia64_fpreg *f)
{
    return f->exp == FP82_EXP_NATVAL && f->sig == 0 && !f->sign;
}

bool fp82_is_nan(const struct ia64_fpreg *f)
{
    return f->exp == FP82_EXP_SPECIAL && (f->sig << 1) != 0;
}

bool fp82_is_inf(const struct ia64_fpreg *f)
{
    return f->exp == FP82_EXP_SPECIAL && (f->sig << 1) == 0;
}

bool fp82_is_zero(const struct ia64_fpreg *f)
{
    return f->sig == 0 && !fp82_is_natval(f) && f->exp != FP82_EXP_SPECIAL;
}

void fp82_set_natval(struct ia64_fpreg *f)
{
    f->sig = 0;
    f->exp = FP82_EXP_NATVAL;
    f->sign = 0;
}

long double fp82_to_ld(const struct ia64_fpreg *f)
{
    long double v;
    if (fp82_is_nan(f))
        v = NAN;
    else if (fp82_is_inf(f))
        v = INFINITY;
    else if (f->sig == 0)
        v = 0.0L;
    else
        v = ldexpl((long double)f->sig, (int)f->exp - FP82_BIAS - 63); /* exact */
    return f->sign ? -v : v;
}

void fp82_from_ld(struct ia64_fpreg *f, long double v)
{
    f->sign = signbit(v) != 0;
    if (isnan(v)) {
        f->exp = FP82_EXP_SPECIAL;
        f->sig = 0xc000000000000000ULL; /* the QNaN indefinite */
        f->sign = 1;
        return;
    }
    if (isinf(v)) {
        f->exp = FP82_EXP_SPECIAL;
        f->sig = 1ULL << 63;
        return;
    }
    if (v == 0) {
        f->exp = 0;
        f->sig = 0;
        return;
    }
    int e;
    long double m = frexpl(fabsl(v), &e); /* [0.5, 1) */
    f->sig = (uint64_t)ldexpl(m, 64);     /* exact: 64 significand bits */
    f->exp = (uint32_t)(e - 1 + FP82_BIAS);
}

struct fp82_env fp82_env(uint64_t fpsr, unsigned sf, unsigned completer)
{
    unsigned ctl = (fpsr >> (6 + 13 * (sf & 3))) & 0x7f;
    static const unsigned pc_bits[4] = {24, 64, 53, 64}; /* pc 1 is reserved */
    struct fp82_env env = {pc_bits[(ctl >> 2) & 3], (ctl >> 4) & 3};
    if (completer == 1)
        env.pc = 24;
    else if (completer == 2)
        env.pc = 53;
    return env;
}

static int host_round(unsigned rc)
{
    static const int mode[4] = {FE_TONEAREST, FE_DOWNWARD, FE_UPWARD, FE_TOWARDZERO};
    return mode[rc & 3];
}

static long double narrow(long double v, unsigned pc)
{
    if (pc == 24)
        return (float)v;
    if (pc == 53)
        return (double)v;
    return v;
}

void fp82_fma(struct ia64_fpreg *d, const struct ia64_fpreg *a, const struct ia64_fpreg *b,
              const struct ia64_fpreg *c, bool negate_p, bool negate_c, struct fp82_env env)
{
    if (fp82_is_natval(a) || fp82_is_natval(b) || fp82_is_natval(c)) {
        fp82_set_natval(d);
        return;
    }
    long double x = fp82_to_ld(a), y = fp82_to_ld(b), z = fp82_to_ld(c);
    if (negate_p)
        x = -x;
    if (negate_c)
        z = -z;
    int saved = fegetround();
    fesetround(host_round(env.rc));
    long double r = narrow(fmal(x, y, z), env.pc);
    fesetround(saved);
    fp82_from_ld(d, r);
}

bool fp82_frcpa(struct ia64_fpreg *d, const struct ia64_fpreg *a, const struct ia64_fpreg *b)
{
    if (fp82_is_natval(a) || fp82_is_natval(b)) {
        fp82_set_natval(d);
        return false;
    }
    long double x = fp82_to_ld(a), y = fp82_to_ld(b);
    if (isnan(x) || isnan(y) || isinf(x) || isinf(y) || x == 0 || y == 0) {
        fp82_from_ld(d, x / y);
        return false;
    }
    fp82_from_ld(d, 1.0L / y);
    d->sig &= ~((1ULL << 52) - 1); /* keep 12 bits, as a table lookup would */
    return true;
}

void fp82_to_int(struct ia64_fpreg *d, const struct ia64_fpreg *a, bool is_unsigned, bool trunc,
                 struct fp82_env env)
{
    d->exp = FP82_EXP_INT;
    d->sign = 0;
    if (fp82_is_natval(a)) {
        fp82_set_natval(d);
        return;
    }
    long double v = fp82_to_ld(a);
    int saved = fegetround();
    fesetround(trunc ? FE_TOWARDZERO : host_round(env.rc));
    long double r = nearbyintl(v);
    fesetround(saved);
    /* out of range or NaN: the integer indefinite */
    d->sig = 0x8000000000000000ULL;
    if (isnan(r))
        return;
    if (is_unsigned) {
        if (r >= 0 && r < 18446744073709551616.0L)
            d->sig = (uint64_t)r;
    } else if (r >= -9223372036854775808.0L && r < 9223372036854775808.0L) {
        d->sig = (uint64_t)(int64_t)r;
    }
}

void fp82_from_int(struct ia64_fpreg *d, const struct ia64_fpreg *a)
{
    if (fp82_is_natval(a)) {
        fp82_set_natval(d);
        return;
    }
    int64_t v = (int64_t)a->sig;
    d->sign = v < 0;
    uint64_t m = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    if (m == 0) {
        d->exp = 0;
        d->sig = 0;
        return;
    }
    unsigned shift = (unsigned)__builtin_clzll(m);
    d->sig = m << shift;
    d->exp = FP82_EXP_INT - shift;
}

bool fp82_class(const struct ia64_fpreg *f, unsigned mask)
{
    if (fp82_is_natval(f))
        return mask & 0x100;
    if (fp82_is_nan(f)) {
        bool quiet = (f->sig >> 62) & 1;
        return mask & (quiet ? 0x080 : 0x040);
    }
    if (!(mask & (f->sign ? 0x002 : 0x001)))
        return false;
    if (fp82_is_inf(f))
        return mask & 0x020;
    if (f->sig == 0)
        return mask & 0x004;
    return mask & ((f->sig >> 63) ? 0x010 : 0x008);
}
