/* Bundle/slot decoding (encodings from the Itanium SDM vol 3, confirmed
 * against ia64-linux-gnu-as output; see tests/isa/decode-check). */
#include "ia64/decode.h"

#include <string.h>

#define F(hi, lo) ((raw >> (lo)) & ((1ULL << ((hi) - (lo) + 1)) - 1))

static int64_t sext(uint64_t v, unsigned bits)
{
    uint64_t m = 1ULL << (bits - 1);
    v &= (bits == 64) ? ~0ULL : ((1ULL << bits) - 1);
    return (int64_t)((v ^ m) - m);
}

bool ia64_template_units(unsigned tmpl, uint8_t units[3], bool stop[3])
{
    enum {
        M = IA64_UNIT_M,
        I = IA64_UNIT_I,
        F_ = IA64_UNIT_F,
        B = IA64_UNIT_B,
        L = IA64_UNIT_L,
        X = IA64_UNIT_X
    };
    static const uint8_t tab[16][3] = {
        {M, I, I}, {M, I, I}, {M, L, X}, {0, 0, 0}, {M, M, I}, {M, M, I}, {M, F_, I}, {M, M, F_},
        {M, I, B}, {M, B, B}, {0, 0, 0}, {B, B, B}, {M, M, B}, {0, 0, 0}, {M, F_, B}, {0, 0, 0},
    };
    unsigned k = (tmpl & 0x1f) >> 1;
    stop[0] = stop[1] = false;
    stop[2] = tmpl & 1;
    if (tmpl == 0x06 || tmpl == 0x07 || tmpl == 0x14 || tmpl == 0x15 || tmpl == 0x1a ||
        tmpl == 0x1b || tmpl == 0x1e || tmpl == 0x1f)
        return false;
    /* Templates 02/03 (M I | I) and 0a/0b (M | M I) have a mid-bundle stop. */
    if (tmpl == 0x02 || tmpl == 0x03) {
        memcpy(units, tab[0], 3);
        stop[1] = true;
        return true;
    }
    if (tmpl == 0x0a || tmpl == 0x0b) {
        memcpy(units, tab[4], 3);
        stop[0] = true;
        return true;
    }
    memcpy(units, tab[k], 3);
    return true;
}

static void cmp_decode(uint64_t raw, unsigned major, struct ia64_insn *in)
{
    unsigned x2 = F(35, 34), tb = F(36, 36), ta = F(33, 33), c = F(12, 12);
    static const uint8_t base_rel[3] = {IA64_CREL_LT, IA64_CREL_LTU, IA64_CREL_EQ};
    static const uint8_t ptype[3] = {IA64_CT_AND, IA64_CT_OR, IA64_CT_OR_ANDCM};
    unsigned k = major - 0xc;

    in->op = IA64_OP_CMP;
    in->p1 = F(11, 6);
    in->p2 = F(32, 27);
    in->r3 = F(26, 20);
    in->is4 = x2 & 1;
    if (x2 >= 2) {
        in->has_imm = 1;
        in->imm = sext(F(36, 36) << 7 | F(19, 13), 8);
        tb = 0;
    } else {
        in->r2 = F(19, 13);
    }
    if (tb) {
        /* A7: compare r0 against r3 with a parallel predicate type. */
        static const uint8_t rel[4] = {IA64_CREL_GT, IA64_CREL_LE, IA64_CREL_GE, IA64_CREL_LT};
        /* Bits 19:13 are not a register here (objdump ignores them too). */
        in->r2 = 0;
        in->crel = rel[ta << 1 | c];
        in->ctype = ptype[k];
        return;
    }
    if (!ta) {
        in->crel = base_rel[k];
        in->ctype = c ? IA64_CT_UNC : IA64_CT_NONE;
    } else {
        in->crel = c ? IA64_CREL_NE : IA64_CREL_EQ;
        in->ctype = ptype[k];
    }
}

/* A9/A10 multimedia ALU (A unit, major 8, x2a = 1): za 36, zb 33 give the
 * element size, x4 32:29, x2b 28:27. */
static void mm_a_decode(uint64_t raw, struct ia64_insn *in)
{
    unsigned za = F(36, 36), zb = F(33, 33), x4 = F(32, 29), x2b = F(28, 27);
    if (za && zb)
        return;
    in->size = za ? 4 : zb ? 2 : 1;
    switch (x4) {
    case 0:
    case 1:
        if (in->size == 4 && x2b)
            return;
        in->op = x4 ? IA64_OP_PSUB : IA64_OP_PADD;
        in->len = x2b;
        return;
    case 2:
        if (in->size == 4 || x2b < 2)
            return;
        in->op = IA64_OP_PAVG;
        in->len = x2b == 3;
        return;
    case 3:
        if (in->size == 4 || x2b != 2)
            return;
        in->op = IA64_OP_PAVGSUB;
        return;
    case 4:
    case 6:
        if (in->size != 2)
            return;
        in->op = x4 == 4 ? IA64_OP_PSHLADD : IA64_OP_PSHRADD;
        in->pos = x2b + 1;
        return;
    case 9:
        if (x2b > 1)
            return;
        in->op = IA64_OP_PCMP;
        in->len = x2b;
        return;
    default:
        return;
    }
}

static void alu_decode(uint64_t raw, struct ia64_insn *in)
{
    unsigned x2a = F(35, 34), ve = F(33, 33), x4 = F(32, 29), x2b = F(28, 27);

    in->r1 = F(12, 6);
    in->r2 = F(19, 13);
    in->r3 = F(26, 20);
    if (x2a == 2 || x2a == 3) {
        if (ve)
            return;
        in->op = x2a == 2 ? IA64_OP_ADDS : IA64_OP_ADDP4_IMM;
        in->has_imm = 1;
        in->imm = sext(F(36, 36) << 13 | F(32, 27) << 7 | F(19, 13), 14);
        return;
    }
    if (x2a == 1) {
        mm_a_decode(raw, in);
        return;
    }
    if (x2a != 0 || ve)
        return;
    switch (x4) {
    case 0:
        if (x2b == 0)
            in->op = IA64_OP_ADD;
        else if (x2b == 1)
            in->op = IA64_OP_ADD1;
        break;
    case 1:
        if (x2b == 1)
            in->op = IA64_OP_SUB;
        else if (x2b == 0)
            in->op = IA64_OP_SUB1;
        break;
    case 2:
        if (x2b == 0)
            in->op = IA64_OP_ADDP4;
        break;
    case 3: {
        static const uint8_t ops[4] = {IA64_OP_AND, IA64_OP_ANDCM, IA64_OP_OR, IA64_OP_XOR};
        in->op = ops[x2b];
        break;
    }
    case 4:
    case 6:
        in->op = x4 == 4 ? IA64_OP_SHLADD : IA64_OP_SHLADDP4;
        in->len = x2b + 1; /* shift count */
        break;
    case 9:
        if (x2b == 1) {
            in->op = IA64_OP_SUB_IMM;
            in->has_imm = 1;
            in->imm = sext(F(36, 36) << 7 | F(19, 13), 8);
        }
        break;
    case 0xb: {
        static const uint8_t ops[4] = {IA64_OP_AND_IMM, IA64_OP_ANDCM_IMM, IA64_OP_OR_IMM,
                                       IA64_OP_XOR_IMM};
        in->op = ops[x2b];
        in->has_imm = 1;
        in->imm = sext(F(36, 36) << 7 | F(19, 13), 8);
        break;
    }
    }
}

static void a_decode(uint64_t raw, unsigned major, struct ia64_insn *in)
{
    switch (major) {
    case 8:
        alu_decode(raw, in);
        break;
    case 9:
        in->op = IA64_OP_ADDL;
        in->r1 = F(12, 6);
        in->r3 = F(21, 20);
        in->has_imm = 1;
        in->imm = sext(F(36, 36) << 21 | F(26, 22) << 16 | F(35, 27) << 7 | F(19, 13), 22);
        break;
    case 0xc:
    case 0xd:
    case 0xe:
        cmp_decode(raw, major, in);
        break;
    }
}

static void i_misc(uint64_t raw, struct ia64_insn *in)
{
    unsigned x3 = F(35, 33), x6 = F(32, 27);

    in->r1 = F(12, 6);
    in->r2 = F(19, 13);
    in->r3 = F(26, 20);
    switch (x3) {
    case 0:
        break;
    case 1:
        in->op = IA64_OP_CHK_S;
        in->imm = sext(F(36, 36) << 20 | F(32, 20) << 7 | F(12, 6), 21) * 16;
        return;
    case 2:
        in->op = IA64_OP_MOV_TO_PR_ROT;
        in->imm = sext(F(36, 36) << 43 | F(32, 6) << 16, 44);
        return;
    case 3:
        in->op = IA64_OP_MOV_TO_PR;
        in->imm = sext(F(36, 36) << 16 | F(31, 24) << 8 | F(12, 6) << 1, 17);
        return;
    case 7:
        /* wh (21:20), x (22, .ret), ih (23) and the tag are prediction
         * hints only; wh 3 is reserved. */
        if (F(21, 20) == 3)
            return;
        in->op = IA64_OP_MOV_TO_B;
        in->b1 = F(8, 6);
        in->imm2 = sext(F(32, 24), 9) * 16;
        return;
    default:
        return;
    }
    switch (x6) {
    case 0x00:
        in->op = IA64_OP_BREAK;
        in->imm = F(36, 36) << 20 | F(25, 6);
        break;
    case 0x01:
        in->op = F(26, 26) ? IA64_OP_HINT : IA64_OP_NOP;
        in->imm = F(36, 36) << 20 | F(25, 6);
        break;
    case 0x0a:
        in->op = IA64_OP_MOV_TO_AR_IMM;
        in->has_imm = 1;
        in->imm = sext(F(36, 36) << 7 | F(19, 13), 8);
        break;
    case 0x10:
    case 0x11:
    case 0x12:
        in->op = IA64_OP_ZXT;
        in->size = 1u << (x6 - 0x10);
        break;
    case 0x14:
    case 0x15:
    case 0x16:
        in->op = IA64_OP_SXT;
        in->size = 1u << (x6 - 0x14);
        break;
    case 0x18:
    case 0x19:
        in->op = IA64_OP_CZX_L;
        in->size = x6 - 0x17;
        break;
    case 0x1c:
    case 0x1d:
        in->op = IA64_OP_CZX_R;
        in->size = x6 - 0x1b;
        break;
    case 0x2a:
        in->op = IA64_OP_MOV_TO_AR;
        break;
    case 0x30:
        in->op = IA64_OP_MOV_FROM_IP;
        break;
    case 0x31:
        in->op = IA64_OP_MOV_FROM_B;
        in->b2 = F(15, 13);
        break;
    case 0x32:
        in->op = IA64_OP_MOV_FROM_AR;
        break;
    case 0x33:
        in->op = IA64_OP_MOV_FROM_PR;
        break;
    }
}

/* I1-I8 multimedia (I unit, major 7, ve = 0, not both za and zb): element
 * size from za 36 / zb 33, x2a 35:34, x2c 31:30, x2b 29:28. */
static void mm_i_decode(uint64_t raw, struct ia64_insn *in)
{
    unsigned za = F(36, 36), x2a = F(35, 34), zb = F(33, 33), x2c = F(31, 30), x2b = F(29, 28);
    unsigned size = za ? 4 : zb ? 2 : 1;
    unsigned key = x2a << 4 | x2c << 2 | x2b;
    in->size = (uint8_t)size;
    switch (key) {
    case 0x01: /* I1 pmpyshr2.u (x2b 1) / pmpyshr2 (x2b 3); x2c is ct2d */
    case 0x05:
    case 0x09:
    case 0x0d:
    case 0x03:
    case 0x07:
    case 0x0b:
    case 0x0f: {
        static const uint8_t ct[4] = {0, 7, 15, 16};
        if (size != 2)
            return;
        in->op = IA64_OP_PMPYSHR;
        in->len = x2b == 1;
        in->pos = ct[x2c];
        return;
    }
    case 0x00: /* I5 pshr.u / pshr by register: r1 = r3 >> r2 */
    case 0x02:
        if (size == 1)
            return;
        in->op = IA64_OP_PSHR;
        in->len = key == 0x00;
        return;
    case 0x04: /* I7 pshl by register: r1 = r2 << r3 */
        if (size == 1)
            return;
        in->op = IA64_OP_PSHL;
        return;
    case 0x11: /* I6 pshr.u / pshr by count5 (18:14) */
    case 0x13:
        if (size == 1)
            return;
        in->op = IA64_OP_PSHR;
        in->len = key == 0x11;
        in->has_imm = 1;
        in->pos = F(18, 14);
        return;
    case 0x35: /* I8 pshl by 31 - ccount5c (24:20) */
        if (size == 1)
            return;
        in->op = IA64_OP_PSHL;
        in->has_imm = 1;
        in->pos = 31 - F(24, 20);
        return;
    case 0x3a: /* I3 mux1 (mbtype 23:20), I4 mux2 (mhtype 27:20) */
        if (size == 4)
            return;
        if (size == 1) {
            unsigned t = F(23, 20);
            if (t != 0 && (t < 8 || t > 11))
                return;
            in->op = IA64_OP_MUX1;
            in->imm = t;
        } else {
            in->op = IA64_OP_MUX2;
            in->imm = F(27, 20);
        }
        return;
    default:
        break;
    }
    if (x2a != 2)
        return;
    switch (x2c << 2 | x2b) {
    case 0x0: /* pack2.uss */
    case 0x2: /* pack2.sss, pack4.sss */
        if (size == 1 || (size == 4 && x2b == 0))
            return;
        in->op = IA64_OP_PACK;
        in->len = x2b == 2;
        return;
    case 0x1: /* pmin1.u */
    case 0x5: /* pmax1.u */
        if (size != 1)
            return;
        in->op = x2c ? IA64_OP_PMAX : IA64_OP_PMIN;
        in->len = 1;
        return;
    case 0x3: /* pmin2 */
    case 0x7: /* pmax2 */
        if (size != 2)
            return;
        in->op = x2c ? IA64_OP_PMAX : IA64_OP_PMIN;
        return;
    case 0x4: /* unpack.h */
    case 0x6: /* unpack.l */
        in->op = IA64_OP_UNPACK;
        in->len = x2b == 0;
        return;
    case 0x8: /* mix.r */
    case 0xa: /* mix.l */
        in->op = IA64_OP_MIX;
        in->len = x2b == 2;
        return;
    case 0xb: /* psad1 */
        if (size != 1)
            return;
        in->op = IA64_OP_PSAD;
        return;
    case 0xd: /* pmpy2.r */
    case 0xf: /* pmpy2.l */
        if (size != 2)
            return;
        in->op = IA64_OP_PMPY;
        in->len = x2b == 3;
        return;
    default:
        return;
    }
}

static void i_decode(uint64_t raw, unsigned major, struct ia64_insn *in)
{
    in->r1 = F(12, 6);
    in->r2 = F(19, 13);
    in->r3 = F(26, 20);
    switch (major) {
    case 0:
        i_misc(raw, in);
        break;
    case 4: /* I15 dep */
        in->op = IA64_OP_DEP;
        in->pos = 63 - F(36, 31);
        in->len = F(30, 27) + 1;
        break;
    case 5: {
        unsigned x2 = F(35, 34), x = F(33, 33);
        if (x2 == 0) {
            unsigned tb = F(36, 36), c = F(12, 12);
            if (F(13, 13) && F(19, 19))
                break; /* tf */
            in->op = F(13, 13) ? IA64_OP_TNAT : IA64_OP_TBIT;
            in->p1 = F(11, 6);
            in->p2 = F(32, 27);
            in->pos = F(19, 14);
            if (!tb && !x) {
                in->crel = IA64_CREL_Z;
                in->ctype = c ? IA64_CT_UNC : IA64_CT_NONE;
            } else {
                in->crel = c ? IA64_CREL_NZ : IA64_CREL_Z;
                in->ctype = tb && x ? IA64_CT_OR_ANDCM : tb ? IA64_CT_AND : IA64_CT_OR;
            }
        } else if (x2 == 1) {
            unsigned y = F(13, 13);
            if (!x) {
                in->op = y ? IA64_OP_EXTR : IA64_OP_EXTRU;
                in->pos = F(19, 14);
                in->len = F(32, 27) + 1;
            } else {
                /* dep.z: bit 26 selects the imm8 form (bit 13 is imm7b's). */
                in->len = F(32, 27) + 1;
                in->pos = 63 - F(25, 20);
                if (F(26, 26)) {
                    in->op = IA64_OP_DEPZ_IMM;
                    in->has_imm = 1;
                    in->imm = sext(F(36, 36) << 7 | F(19, 13), 8);
                } else {
                    in->op = IA64_OP_DEPZ;
                }
            }
        } else if (x2 == 3) {
            if (!x) {
                /* I10: bits 19:13 are r2, not an opcode bit */
                in->op = IA64_OP_SHRP;
                in->pos = F(32, 27);
            } else {
                /* bit 13 is unused here (objdump ignores it too) */
                in->op = IA64_OP_DEP_IMM1;
                in->has_imm = 1;
                in->imm = F(36, 36) ? -1 : 0;
                in->len = F(32, 27) + 1;
                in->pos = 63 - F(19, 14);
            }
        }
        break;
    }
    case 7: {
        unsigned za = F(36, 36), x2a = F(35, 34), zb = F(33, 33), ve = F(32, 32), x2c = F(31, 30),
                 x2b = F(29, 28);
        if (!ve && !(za && zb))
            mm_i_decode(raw, in);
        if (ve || x2a)
            ;
        else if (za && zb && x2c == 0 && x2b == 0)
            in->op = IA64_OP_SHRU;
        else if (za && zb && x2c == 0 && x2b == 2)
            in->op = IA64_OP_SHR;
        else if (za && zb && x2c == 1 && x2b == 0)
            in->op = IA64_OP_SHL;
        if (!ve && !za && zb && x2a == 1 && x2c == 2 && x2b == 1)
            in->op = IA64_OP_POPCNT;
        /* The variable shifts: shl is r1 = r2 << r3, shr is r1 = r3 >> r2. */
        break;
    }
    default:
        break;
    }
}

static void m_sys0(uint64_t raw, struct ia64_insn *in)
{
    unsigned x3 = F(35, 33), x4 = F(30, 27), x2 = F(32, 31);

    if (x3 >= 4) { /* M22/M23 chk.a.nc/.clr: x3 6 and 7 check an FP register */
        in->op = IA64_OP_CHK_A;
        in->r1 = F(12, 6);
        in->pos = x3 >= 6;
        in->flags = x3 & 1 ? IA64_LDF_CLR : 0;
        in->imm = sext(F(36, 36) << 20 | F(32, 13), 21) * 16;
        return;
    }
    if (x3 != 0)
        return;
    uint64_t imm24 = F(36, 36) << 23 | F(32, 31) << 21 | F(26, 6);
    if (x4 >= 4 && x4 <= 7) {
        /* M44: bits 32:31 are part of the mask, not an opcode extension */
        static const uint8_t ops[4] = {IA64_OP_SUM, IA64_OP_RUM, IA64_OP_SSM, IA64_OP_RSM};
        in->op = ops[x4 - 4];
        in->imm = imm24 & 0xffffff;
        return;
    }
    if (x2 == 0) {
        switch (x4) {
        case 0:
            in->op = IA64_OP_BREAK;
            in->imm = F(36, 36) << 20 | F(25, 6);
            break;
        case 1:
            in->op = F(26, 26) ? IA64_OP_HINT : IA64_OP_NOP;
            in->imm = F(36, 36) << 20 | F(25, 6);
            if (in->op == IA64_OP_HINT) {
                /* objdump (after the SDM's mov-to-DAHR additions) reads
                 * bits 11:10 as an opcode extension and the rest as imm */
                if (F(11, 10))
                    in->op = IA64_OP_ILLEGAL;
                in->imm = F(36, 36) << 18 | F(25, 12) << 4 | F(9, 6);
            }
            break;
        case 0xa:
            in->op = IA64_OP_LOADRS;
            break;
        case 0xc:
            in->op = IA64_OP_FLUSHRS;
            break;
        }
    } else if (x2 == 1) {
        if (x4 == 0)
            in->op = IA64_OP_INVALA;
        else if (x4 == 2 || x4 == 3) {
            in->op = x4 == 2 ? IA64_OP_INVALA_E : IA64_OP_INVALA_EF;
            in->r1 = F(12, 6);
        }
    } else if (x2 == 2) {
        if (x4 == 2)
            in->op = IA64_OP_MF;
        else if (x4 == 3)
            in->op = IA64_OP_MF_A;
        else if (x4 == 8) {
            in->op = IA64_OP_MOV_TO_AR_IMM;
            in->r3 = F(26, 20);
            in->has_imm = 1;
            in->imm = sext(F(36, 36) << 7 | F(19, 13), 8);
        }
    } else {
        if (x4 == 0)
            in->op = IA64_OP_SRLZ_D;
        else if (x4 == 1)
            in->op = IA64_OP_SRLZ_I;
        else if (x4 == 3)
            in->op = IA64_OP_SYNC_I;
    }
}

static void m_sys1(uint64_t raw, struct ia64_insn *in)
{
    unsigned x3 = F(35, 33), x6 = F(32, 27);

    in->r1 = F(12, 6);
    in->r2 = F(19, 13);
    in->r3 = F(26, 20);
    if (x3 == 1) {
        in->op = IA64_OP_CHK_S;
        in->r2 = F(19, 13);
        in->imm = sext(F(36, 36) << 20 | F(32, 20) << 7 | F(12, 6), 21) * 16;
        return;
    }
    if (x3 == 6) {
        unsigned sor = F(30, 27), sol = F(26, 20), sof = F(19, 13);
        if (sol > sof || sor * 8 > sof || sof > 96 || F(36, 36) || F(32, 31))
            return;
        in->op = IA64_OP_ALLOC;
        in->len = sof;
        in->pos = sol;
        in->size = sor;
        return;
    }
    if (x3 != 0)
        return;
    switch (x6) {
    case 0x00:
        in->op = IA64_OP_MOV_TO_RR;
        break;
    case 0x01:
        in->op = IA64_OP_MOV_TO_DBR;
        break;
    case 0x02:
        in->op = IA64_OP_MOV_TO_IBR;
        break;
    case 0x03:
        in->op = IA64_OP_MOV_TO_PKR;
        break;
    case 0x11:
        in->op = IA64_OP_MOV_FROM_DBR;
        break;
    case 0x12:
        in->op = IA64_OP_MOV_FROM_IBR;
        break;
    case 0x38: /* M38 probe.r/w r1 = r3, r2 */
    case 0x39:
        in->op = IA64_OP_PROBE;
        in->pos = x6 & 1 ? IA64_PROBE_W : IA64_PROBE_R;
        break;
    case 0x18: /* M39 probe.r/w r1 = r3, imm2 */
    case 0x19:
        in->op = IA64_OP_PROBE;
        in->pos = x6 & 1 ? IA64_PROBE_W : IA64_PROBE_R;
        in->has_imm = 1;
        in->imm = F(14, 13);
        break;
    case 0x31: /* M40 probe.rw/r/w.fault r3, imm2 */
    case 0x32:
    case 0x33: {
        static const uint8_t acc[3] = {IA64_PROBE_R | IA64_PROBE_W, IA64_PROBE_R, IA64_PROBE_W};
        in->op = IA64_OP_PROBE;
        in->pos = acc[x6 - 0x31];
        in->len = 1;
        in->has_imm = 1;
        in->imm = F(14, 13);
        break;
    }
    case 0x09:
        in->op = IA64_OP_PTC_L;
        break;
    case 0x0a:
        in->op = IA64_OP_PTC_G;
        break;
    case 0x0b:
        in->op = IA64_OP_PTC_GA;
        break;
    case 0x0c:
        in->op = IA64_OP_PTR_D;
        break;
    case 0x0d:
        in->op = IA64_OP_PTR_I;
        break;
    case 0x0e:
        in->op = IA64_OP_ITR_D;
        break;
    case 0x0f:
        in->op = IA64_OP_ITR_I;
        break;
    case 0x10:
        in->op = IA64_OP_MOV_FROM_RR;
        break;
    case 0x13:
        in->op = IA64_OP_MOV_FROM_PKR;
        break;
    case 0x17:
        in->op = IA64_OP_MOV_FROM_CPUID;
        break;
    case 0x1a:
        in->op = IA64_OP_THASH;
        break;
    case 0x1b:
        in->op = IA64_OP_TTAG;
        break;
    case 0x1e:
        in->op = IA64_OP_TPA;
        break;
    case 0x21:
        in->op = IA64_OP_MOV_FROM_PSRUM;
        break;
    case 0x22:
        in->op = IA64_OP_MOV_FROM_AR;
        break;
    case 0x24:
        in->op = IA64_OP_MOV_FROM_CR;
        break;
    case 0x25:
        in->op = IA64_OP_MOV_FROM_PSR;
        break;
    case 0x29:
        in->op = IA64_OP_MOV_TO_PSRUM;
        break;
    case 0x2a:
        in->op = IA64_OP_MOV_TO_AR;
        break;
    case 0x2c:
        in->op = IA64_OP_MOV_TO_CR;
        break;
    case 0x2d:
        in->op = IA64_OP_MOV_TO_PSRL;
        break;
    case 0x2e:
        in->op = IA64_OP_ITC_D;
        break;
    case 0x2f:
        in->op = IA64_OP_ITC_I;
        break;
    case 0x30:
        in->op = F(36, 36) ? IA64_OP_FC_I : IA64_OP_FC;
        break;
    case 0x34:
        in->op = IA64_OP_PTC_E;
        break;
    }
}

/* Integer loads/stores/semaphores (major 4 and 5). */
static void m_ldst(uint64_t raw, unsigned major, struct ia64_insn *in)
{
    unsigned m = F(36, 36), x = F(27, 27), x6 = F(35, 30);

    in->r1 = F(12, 6);
    in->r2 = F(19, 13);
    in->r3 = F(26, 20);
    if (major == 4 && x) {
        if (m)
            return;
        in->size = 1u << (x6 & 3);
        if (x6 <= 0x07) {
            in->op = IA64_OP_CMPXCHG;
            in->flags = x6 < 4 ? IA64_LDF_ACQ : IA64_LDF_REL;
        } else if (x6 >= 0x08 && x6 <= 0x0b) {
            in->op = IA64_OP_XCHG;
            in->flags = IA64_LDF_ACQ;
        } else if (x6 == 0x12 || x6 == 0x13 || x6 == 0x16 || x6 == 0x17) {
            static const int inc[4] = {16, 8, 4, 1};
            in->op = IA64_OP_FETCHADD;
            in->size = (x6 & 1) ? 8 : 4;
            in->flags = x6 < 0x16 ? IA64_LDF_ACQ : IA64_LDF_REL;
            in->imm = F(15, 15) ? -inc[F(14, 13)] : inc[F(14, 13)];
            in->has_imm = 1;
        } else if (x6 >= 0x1c && x6 <= 0x1f) {
            in->op = IA64_OP_GETF;
            in->size = x6 - 0x1c; /* 0 sig, 1 exp, 2 s, 3 d */
            in->r2 = F(19, 13);
        }
        if (F(29, 28) == 2 && in->op != IA64_OP_GETF)
            in->op = IA64_OP_ILLEGAL; /* reserved locality hint */
        return;
    }
    /* In major 5 (immediate post-increment), bit 27 is part of the
     * immediate, not an opcode extension. */
    if (x && major == 4)
        return;
    unsigned sz = x6 & 3;
    unsigned grp = x6 >> 2;
    uint16_t fl = 0;
    bool store = false;
    if (x6 == 0x1b) {
        in->op = IA64_OP_LD;
        in->size = 8;
        fl = IA64_LDF_FILL;
    } else if (x6 == 0x3b) {
        in->op = IA64_OP_ST;
        in->size = 8;
        fl = IA64_LDF_FILL;
        store = true;
    } else {
        switch (grp) {
        case 0x0:
            break;
        case 0x1:
            fl = IA64_LDF_SPEC;
            break;
        case 0x2:
            fl = IA64_LDF_ADV;
            break;
        case 0x3:
            fl = IA64_LDF_SPEC | IA64_LDF_ADV;
            break;
        case 0x4:
            fl = IA64_LDF_BIAS;
            break;
        case 0x5:
            fl = IA64_LDF_ACQ;
            break;
        case 0x8:
            fl = IA64_LDF_CHK | IA64_LDF_CLR;
            break;
        case 0x9:
            fl = IA64_LDF_CHK;
            break;
        case 0xa:
            fl = IA64_LDF_CHK | IA64_LDF_CLR | IA64_LDF_ACQ;
            break;
        case 0xc:
            store = true;
            break;
        case 0xd:
            store = true;
            fl = IA64_LDF_REL;
            break;
        default:
            return;
        }
        in->op = store ? IA64_OP_ST : IA64_OP_LD;
        in->size = 1u << sz;
    }
    /* Locality hints: loads have none/nt1/nta (2 is reserved), stores
     * none/nta (1 and 2 are reserved). objdump reads the unused register
     * field's top bit (19 for loads, 12 for stores) as a third hint bit
     * (.d4-.d7); the SDM has no such hints. */
    unsigned hint = F(29, 28);
    if (major == 4 && !m && (store ? F(12, 12) : F(19, 19)))
        hint = 2;
    if (hint == 2 || (store && hint == 1)) {
        in->op = IA64_OP_ILLEGAL;
        return;
    }
    if (major == 5) {
        in->has_imm = 1;
        fl |= IA64_LDF_UPD_IMM;
        if (store)
            in->imm = sext(F(36, 36) << 8 | F(27, 27) << 7 | F(12, 6), 9);
        else
            in->imm = sext(F(36, 36) << 8 | F(27, 27) << 7 | F(19, 13), 9);
    } else if (m) {
        if (store) {
            in->op = IA64_OP_ILLEGAL;
            return;
        }
        fl |= IA64_LDF_UPD_REG;
    }
    in->flags = fl;
}

/* Floating-point memory ops (major 6/7): only what state save needs. */
static void m_fp(uint64_t raw, unsigned major, struct ia64_insn *in)
{
    unsigned m = F(36, 36), x = F(27, 27), x6 = F(35, 30);

    in->r1 = F(12, 6);
    in->r2 = F(19, 13);
    in->r3 = F(26, 20);
    if (major == 6 && x && !m && x6 >= 0x1c && x6 <= 0x1f) {
        in->op = IA64_OP_SETF;
        in->size = x6 - 0x1c;
        return;
    }
    if (major == 6 && x) {
        /* M11/M12 ldfp8/ldfps/ldfpd (x6{1:0} 1..3) with .s/.a/.sa/.c.clr/
         * .c.nc; M12 (m) adds the pair's size to the base. Linux's
         * __ia64_load_fpu restores f32-f127 with ldfps. */
        static const uint16_t pfl[10] = {0,
                                         IA64_LDF_SPEC,
                                         IA64_LDF_ADV,
                                         IA64_LDF_SPEC | IA64_LDF_ADV,
                                         0,
                                         0,
                                         0,
                                         0,
                                         IA64_LDF_CHK | IA64_LDF_CLR,
                                         IA64_LDF_CHK};
        if ((x6 & 3) == 0 || (x6 >= 0x10 && x6 < 0x20) || x6 >= 0x28 || F(29, 28) == 2)
            return;
        in->op = IA64_OP_LDFP;
        in->pos = x6 & 3;
        in->size = in->pos == 2 ? 4 : 8;
        in->flags = pfl[x6 >> 2];
        if (m) {
            in->has_imm = 1;
            in->flags |= IA64_LDF_UPD_IMM;
            in->imm = 2 * in->size;
        }
        return;
    }
    /* In major 7 (immediate post-increment), bit 27 is part of the
     * immediate. */
    if (x && major == 6)
        return;
    if (x6 >= 0x2c && x6 <= 0x2f) {
        /* M13-M15 lfetch: all four locality hints (none/nt1/nt2/nta) exist */
        in->op = IA64_OP_LFETCH;
        in->pos = x6 - 0x2c; /* IA64_LFETCH_EXCL | IA64_LFETCH_FAULT */
        /* bit 12 (the unused r1 field's top bit): objdump's .d4-.d7 data
         * hints; M13 with bit 19: objdump's lfetch.count. Both are
         * extensions the SDM we model lacks. */
        if (F(12, 12) || (major == 6 && !m && x6 == 0x2c && F(19, 19))) {
            in->op = IA64_OP_ILLEGAL;
            return;
        }
        if (major == 7) {
            in->has_imm = 1;
            in->flags = IA64_LDF_UPD_IMM;
            in->imm = sext(F(36, 36) << 8 | F(27, 27) << 7 | F(19, 13), 9);
        } else if (m) {
            in->flags = IA64_LDF_UPD_REG;
        }
        return;
    }
    /* locality hints as for integer accesses (see m_ldst) */
    bool store_x6 = x6 >= 0x30 && x6 <= 0x3b;
    unsigned hint = F(29, 28);
    if (major == 6 && !m && (store_x6 ? F(12, 12) : F(19, 19)))
        hint = 2;
    if (hint == 2 || (store_x6 && hint == 1))
        return;
    /* ldfe/ldf8/ldfs/ldfd (x6{1:0} = 0..3: 10-byte extended, 8-byte
     * integer, single, double) with .s/.a/.sa/.c.clr/.c.nc, stf likewise */
    static const uint8_t fsz[4] = {10, 8, 4, 8};
    static const uint16_t ffl[10] = {0,
                                     IA64_LDF_SPEC,
                                     IA64_LDF_ADV,
                                     IA64_LDF_SPEC | IA64_LDF_ADV,
                                     0,
                                     0,
                                     0,
                                     0,
                                     IA64_LDF_CHK | IA64_LDF_CLR,
                                     IA64_LDF_CHK};
    if (x6 == 0x1b) {
        in->op = IA64_OP_LDF_FILL;
        in->size = 16;
    } else if (x6 == 0x3b) {
        in->op = IA64_OP_STF_SPILL;
        in->size = 16;
    } else if (x6 < 0x10 || (x6 >= 0x20 && x6 < 0x28)) {
        in->op = IA64_OP_LDF;
        in->size = fsz[x6 & 3];
        in->pos = x6 & 3;
        in->flags = ffl[x6 >> 2];
    } else if (x6 >= 0x30 && x6 < 0x34) {
        in->op = IA64_OP_STF;
        in->size = fsz[x6 & 3];
        in->pos = x6 & 3;
    } else {
        return;
    }
    bool fstore = in->op == IA64_OP_STF_SPILL || in->op == IA64_OP_STF;
    if (major == 7) {
        in->has_imm = 1;
        in->flags |= IA64_LDF_UPD_IMM;
        if (fstore)
            in->imm = sext(F(36, 36) << 8 | F(27, 27) << 7 | F(12, 6), 9);
        else
            in->imm = sext(F(36, 36) << 8 | F(27, 27) << 7 | F(19, 13), 9);
    } else if (m) {
        if (fstore) {
            in->op = IA64_OP_ILLEGAL;
            return;
        }
        in->flags |= IA64_LDF_UPD_REG;
    }
}

static void m_decode(uint64_t raw, unsigned major, struct ia64_insn *in)
{
    switch (major) {
    case 0:
        m_sys0(raw, in);
        break;
    case 1:
        m_sys1(raw, in);
        break;
    case 4:
    case 5:
        m_ldst(raw, major, in);
        break;
    case 6:
    case 7:
        m_fp(raw, major, in);
        break;
    default:
        a_decode(raw, major, in);
        break;
    }
}

static void b_decode(uint64_t raw, unsigned major, struct ia64_insn *in)
{
    in->btype = F(8, 6);
    in->b1 = F(8, 6);
    in->b2 = F(15, 13);
    switch (major) {
    case 0: {
        unsigned x6 = F(32, 27);
        switch (x6) {
        case 0x00:
            in->op = IA64_OP_BREAK;
            in->imm = F(36, 36) << 20 | F(25, 6);
            break;
        case 0x02:
            in->op = IA64_OP_COVER;
            break;
        case 0x04:
            in->op = IA64_OP_CLRRRB;
            break;
        case 0x05:
            in->op = IA64_OP_CLRRRB_PR;
            break;
        case 0x08:
            in->op = IA64_OP_RFI;
            break;
        case 0x0c:
            in->op = IA64_OP_BSW0;
            break;
        case 0x0d:
            in->op = IA64_OP_BSW1;
            break;
        case 0x20:
            if (in->btype == IA64_BT_COND || in->btype == IA64_BT_IA)
                in->op = IA64_OP_BR_IND;
            break;
        case 0x21:
            if (in->btype == IA64_BT_RET)
                in->op = IA64_OP_BR_RET;
            break;
        }
        break;
    }
    case 1:
        /* B5 encodes "whether" in bits 34:32; the even values are reserved */
        if (F(32, 32))
            in->op = IA64_OP_BR_CALL_IND;
        break;
    case 2: {
        unsigned x6 = F(32, 27);
        if (x6 == 0x00 || x6 == 0x01) {
            in->op = x6 ? IA64_OP_HINT : IA64_OP_NOP;
            in->imm = F(36, 36) << 20 | F(25, 6);
        } else if ((x6 == 0x10 || x6 == 0x11) && !F(3, 3)) {
            /* brp indirect (B7): a prediction hint; wh 1 and 3 are reserved */
            in->op = IA64_OP_BRP;
            in->qp = 0;
            in->imm2 = sext(F(34, 33) << 7 | F(12, 6), 9) * 16;
        }
        break;
    }
    case 4:
        if (in->btype == 1 || in->btype == 4)
            break;
        in->op = IA64_OP_BR_IPREL;
        in->imm = sext(F(36, 36) << 20 | F(32, 13), 21) * 16;
        break;
    case 5:
        in->op = IA64_OP_BR_CALL;
        in->imm = sext(F(36, 36) << 20 | F(32, 13), 21) * 16;
        break;
    case 7:
        /* brp ip-relative (B6): a prediction hint */
        in->op = IA64_OP_BRP;
        in->qp = 0;
        in->imm = sext(F(36, 36) << 20 | F(32, 13), 21) * 16;
        in->imm2 = sext(F(34, 33) << 7 | F(12, 6), 9) * 16;
        break;
    }
}

/* F-unit arithmetic (majors 4, 5, 8-0xe): fields f1 12:6, f2 19:13,
 * f3 26:20, f4 33:27 (kept in imm2), sf 35:34. */
static void f_arith(uint64_t raw, unsigned major, struct ia64_insn *in)
{
    in->pos = F(35, 34);
    in->imm2 = F(33, 27);
    switch (major) {
    case 4: /* F4 fcmp */
        in->op = IA64_OP_FCMP;
        in->crel = (uint8_t)(F(33, 33) << 1 | F(36, 36));
        in->ctype = F(12, 12) ? IA64_CT_UNC : IA64_CT_NONE;
        in->p1 = F(11, 6);
        in->p2 = F(32, 27);
        return;
    case 5: /* F5 fclass */
        if (F(36, 36))
            return;
        in->op = IA64_OP_FCLASS;
        in->imm = F(26, 20) << 2 | F(34, 33); /* fclass7c, fc2 */
        in->ctype = F(12, 12) ? IA64_CT_UNC : IA64_CT_NONE;
        in->p1 = F(11, 6);
        in->p2 = F(32, 27);
        return;
    case 0xe: /* F2 xma (bit 36 clear: fselect, not modelled) */
        if (!F(36, 36) || F(35, 34) == 1)
            return;
        in->op = IA64_OP_XMA;
        in->len = F(35, 34);
        return;
    default:
        break;
    }
    /* F1: 8/9 fma, 0xa/0xb fms, 0xc/0xd fnma; odd majors with bit 36 are
     * the parallel (fpma...) forms, not modelled */
    static const uint8_t op[3] = {IA64_OP_FMA, IA64_OP_FMS, IA64_OP_FNMA};
    if ((major & 1) && F(36, 36))
        return;
    in->op = op[(major - 8) >> 1];
    in->size = (major & 1) ? 2 : F(36, 36);
}

static void f_decode(uint64_t raw, unsigned major, struct ia64_insn *in)
{
    in->r1 = F(12, 6);
    in->r2 = F(19, 13);
    in->r3 = F(26, 20);
    if (major == 4 || major == 5 || (major >= 8 && major <= 0xe)) {
        f_arith(raw, major, in);
        return;
    }
    if (major != 0)
        return;
    in->pos = F(35, 34);
    if (F(33, 33)) {
        if (!F(36, 36)) { /* F6 frcpa (bit 36: frsqrta, not modelled) */
            in->op = IA64_OP_FRCPA;
            in->p2 = F(32, 27);
        }
        return;
    }
    switch (F(32, 27)) {
    case 0x04:
        in->op = IA64_OP_FSETC;
        in->imm = F(19, 13) | F(26, 20) << 8; /* amask7, omask7 */
        break;
    case 0x05:
        in->op = IA64_OP_FCLRF;
        break;
    case 0x12:
        in->op = IA64_OP_FMERGE_SE;
        break;
    case 0x2c: /* F9: fand, fandcm, for, fxor, fswap*, fmix*, fsxt* (x6 in len) */
    case 0x2d:
    case 0x2e:
    case 0x2f:
    case 0x34:
    case 0x35:
    case 0x36:
    case 0x39:
    case 0x3a:
    case 0x3b:
    case 0x3c:
    case 0x3d:
        in->op = IA64_OP_FSIG;
        in->len = F(32, 27);
        break;
    case 0x18:
    case 0x19:
    case 0x1a:
    case 0x1b:
        in->op = IA64_OP_FCVT_FX;
        in->len = F(32, 27) - 0x18;
        break;
    case 0x1c:
        in->op = IA64_OP_FCVT_XF;
        break;
    case 0x00:
        in->op = IA64_OP_BREAK;
        in->imm = F(36, 36) << 20 | F(25, 6);
        break;
    case 0x01:
        in->op = F(26, 26) ? IA64_OP_HINT : IA64_OP_NOP;
        in->imm = F(36, 36) << 20 | F(25, 6);
        break;
    case 0x10:
        in->op = IA64_OP_FMERGE_S;
        break;
    case 0x11:
        in->op = IA64_OP_FMERGE_NS;
        break;
    }
}

static void x_decode(uint64_t raw, uint64_t l, unsigned major, struct ia64_insn *in)
{
    switch (major) {
    case 0: {
        unsigned x3 = F(35, 33), x6 = F(32, 27);
        if (x3 != 0)
            break;
        if (x6 == 0x00 || x6 == 0x01) {
            in->op = x6 == 0 ? IA64_OP_BREAK : (F(26, 26) ? IA64_OP_HINT : IA64_OP_NOP);
            in->imm = (int64_t)(l << 21 | F(36, 36) << 20 | F(25, 6));
        }
        break;
    }
    case 6:
        if (F(20, 20))
            break; /* vc must be 0 */
        in->op = IA64_OP_MOVL;
        in->r1 = F(12, 6);
        in->imm = (int64_t)(F(36, 36) << 63 | l << 22 | F(21, 21) << 21 | F(26, 22) << 16 |
                            F(35, 27) << 7 | F(19, 13));
        break;
    case 0xc:
    case 0xd:
        in->op = major == 0xc ? IA64_OP_BRL : IA64_OP_BRL_CALL;
        in->btype = F(8, 6);
        in->b1 = F(8, 6);
        if (major == 0xc && in->btype != 0) {
            in->op = IA64_OP_ILLEGAL;
            break;
        }
        in->imm = (int64_t)((F(36, 36) << 59 | (l >> 2) << 20 | F(32, 13)) << 4);
        break;
    }
}

void ia64_decode_slot(uint64_t raw, enum ia64_unit unit, uint64_t lslot, struct ia64_insn *in)
{
    unsigned major = F(40, 37);

    memset(in, 0, sizeof(*in));
    in->op = IA64_OP_ILLEGAL;
    in->unit = unit;
    in->raw = raw;
    in->qp = F(5, 0);
    switch (unit) {
    case IA64_UNIT_M:
        m_decode(raw, major, in);
        break;
    case IA64_UNIT_I:
        if (major >= 8)
            a_decode(raw, major, in);
        else
            i_decode(raw, major, in);
        break;
    case IA64_UNIT_B:
        b_decode(raw, major, in);
        break;
    case IA64_UNIT_F:
        f_decode(raw, major, in);
        break;
    case IA64_UNIT_L:
        in->op = IA64_OP_LX_SKIP;
        in->qp = 0;
        break;
    case IA64_UNIT_X:
        x_decode(raw, lslot, major, in);
        break;
    }
    /* Register fields that would name r0 as a destination stay legal here;
     * execution raises the fault (SDM: writing r0 is an Illegal Operation). */
}

bool ia64_insn_unpredicated(const struct ia64_insn *in)
{
    switch (in->op) {
    case IA64_OP_ALLOC:
    case IA64_OP_COVER:
    case IA64_OP_CLRRRB:
    case IA64_OP_CLRRRB_PR:
    case IA64_OP_RFI:
    case IA64_OP_BSW0:
    case IA64_OP_BSW1:
    case IA64_OP_FLUSHRS:
    case IA64_OP_LOADRS:
        return true;
    case IA64_OP_BR_IPREL:
        return in->btype >= IA64_BT_CLOOP; /* cloop/cexit/ctop test LC and EC */
    default:
        return false;
    }
}

bool ia64_decode_bundle(const uint8_t bytes[16], struct ia64_bundle *b)
{
    uint64_t lo = 0, hi = 0;
    for (int i = 7; i >= 0; i--) {
        lo = lo << 8 | bytes[i];
        hi = hi << 8 | bytes[i + 8];
    }
    uint64_t s[3];
    s[0] = (lo >> 5) & ((1ULL << 41) - 1);
    s[1] = ((lo >> 46) | (hi << 18)) & ((1ULL << 41) - 1);
    s[2] = (hi >> 23) & ((1ULL << 41) - 1);
    b->tmpl = lo & 0x1f;
    if (!ia64_template_units(b->tmpl, b->units, b->stop)) {
        for (int i = 0; i < 3; i++) {
            memset(&b->slot[i], 0, sizeof(b->slot[i]));
            b->slot[i].op = IA64_OP_ILLEGAL;
            b->slot[i].raw = s[i];
            b->units[i] = IA64_UNIT_M;
        }
        return false;
    }
    for (int i = 0; i < 3; i++)
        ia64_decode_slot(s[i], b->units[i], i == 2 ? s[1] : 0, &b->slot[i]);
    return true;
}
