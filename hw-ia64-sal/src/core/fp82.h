/* The 82-bit floating-point register format (sign, 17-bit exponent biased
 * by 0xffff, 64-bit significand with an explicit integer bit) and the
 * arithmetic the F-unit needs, computed through the host's x87 long double
 * (the same 64-bit significand; its 15-bit exponent covers every value the
 * integer multiply/divide sequences produce). Internal to the core. */
#ifndef IA64_FP82_H
#define IA64_FP82_H

#include <stdbool.h>
#include <stdint.h>

#include "ia64/cpu.h"

#define FP82_BIAS 0xffff
#define FP82_EXP_INT 0x1003e /* integer in the significand (setf.sig, xma) */
#define FP82_EXP_SPECIAL 0x1ffff
#define FP82_EXP_NATVAL 0x1fffe

/* FPSR status field controls (SDM vol 1 5.2.2). */
struct fp82_env {
    unsigned pc; /* significand bits: 24, 53 or 64 */
    unsigned rc; /* 0 nearest, 1 -inf, 2 +inf, 3 zero */
};

bool fp82_is_natval(const struct ia64_fpreg *f);
bool fp82_is_nan(const struct ia64_fpreg *f);
bool fp82_is_inf(const struct ia64_fpreg *f);
bool fp82_is_zero(const struct ia64_fpreg *f);
void fp82_set_natval(struct ia64_fpreg *f);

long double fp82_to_ld(const struct ia64_fpreg *f);
void fp82_from_ld(struct ia64_fpreg *f, long double v);

/* The status field sf (0-3) of fpsr with an instruction's precision
 * completer (0 none, 1 .s, 2 .d). */
struct fp82_env fp82_env(uint64_t fpsr, unsigned sf, unsigned completer);
/* a * b + c rounded once to env (negate_p: -(a*b), negate_c: -c). */
void fp82_fma(struct ia64_fpreg *d, const struct ia64_fpreg *a, const struct ia64_fpreg *b,
              const struct ia64_fpreg *c, bool negate_p, bool negate_c, struct fp82_env env);
/* frcpa: false (p2 = 0) with the IEEE quotient for the special operands,
 * else true with an approximation of 1/b (relative error < 2^-11, inside
 * the SDM's 2^-8.886 bound). */
bool fp82_frcpa(struct ia64_fpreg *d, const struct ia64_fpreg *a, const struct ia64_fpreg *b);
/* fcvt.fx/fxu(.trunc): to a 64-bit integer in the significand. */
void fp82_to_int(struct ia64_fpreg *d, const struct ia64_fpreg *a, bool is_unsigned, bool trunc,
                 struct fp82_env env);
/* fcvt.xf: the signed integer in a's significand, exactly. */
void fp82_from_int(struct ia64_fpreg *d, const struct ia64_fpreg *a);
/* fclass.m: does f belong to one of the classes of the 9-bit mask? */
bool fp82_class(const struct ia64_fpreg *f, unsigned mask);

#endif
