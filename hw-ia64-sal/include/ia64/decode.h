/* Bundle and instruction decoding. The decoder turns a 128-bit bundle into
 * three struct ia64_insn; execution (exec*.c) and the disassembler
 * (disasm.c, checked against ia64-linux-gnu-objdump) both work from it.
 * Encodings the model does not implement decode to IA64_OP_ILLEGAL, which
 * executes as an Illegal Operation fault. */
#ifndef IA64_DECODE_H
#define IA64_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ia64_unit { IA64_UNIT_M, IA64_UNIT_I, IA64_UNIT_F, IA64_UNIT_B, IA64_UNIT_L, IA64_UNIT_X };

/* X-macro: op name and the mnemonic stem used by the disassembler. */
#define IA64_OPS(X)                                                                                \
    X(ILLEGAL, "illegal")                                                                          \
    X(NOP, "nop")                                                                                  \
    X(HINT, "hint")                                                                                \
    X(BREAK, "break")                                                                              \
    X(ADD, "add")                                                                                  \
    X(ADD1, "add")                                                                                 \
    X(SUB, "sub")                                                                                  \
    X(SUB1, "sub")                                                                                 \
    X(ADDP4, "addp4")                                                                              \
    X(AND, "and")                                                                                  \
    X(ANDCM, "andcm")                                                                              \
    X(OR, "or")                                                                                    \
    X(XOR, "xor")                                                                                  \
    X(SHLADD, "shladd")                                                                            \
    X(SHLADDP4, "shladdp4")                                                                        \
    X(SUB_IMM, "sub")                                                                              \
    X(AND_IMM, "and")                                                                              \
    X(ANDCM_IMM, "andcm")                                                                          \
    X(OR_IMM, "or")                                                                                \
    X(XOR_IMM, "xor")                                                                              \
    X(ADDS, "adds")                                                                                \
    X(ADDP4_IMM, "addp4")                                                                          \
    X(ADDL, "addl")                                                                                \
    X(MOVL, "movl")                                                                                \
    X(CMP, "cmp")                                                                                  \
    X(TBIT, "tbit")                                                                                \
    X(TNAT, "tnat")                                                                                \
    X(SHR, "shr")                                                                                  \
    X(SHRU, "shr.u")                                                                               \
    X(SHL, "shl")                                                                                  \
    X(EXTR, "extr")                                                                                \
    X(EXTRU, "extr.u")                                                                             \
    X(DEPZ, "dep.z")                                                                               \
    X(DEPZ_IMM, "dep.z")                                                                           \
    X(DEP_IMM1, "dep")                                                                             \
    X(DEP, "dep")                                                                                  \
    X(SHRP, "shrp")                                                                                \
    X(ZXT, "zxt")                                                                                  \
    X(SXT, "sxt")                                                                                  \
    X(CZX_L, "czx")                                                                                \
    X(CZX_R, "czx")                                                                                \
    X(POPCNT, "popcnt")                                                                            \
    X(MOV_FROM_IP, "mov")                                                                          \
    X(MOV_FROM_B, "mov")                                                                           \
    X(MOV_TO_B, "mov")                                                                             \
    X(MOV_FROM_PR, "mov")                                                                          \
    X(MOV_TO_PR, "mov")                                                                            \
    X(MOV_TO_PR_ROT, "mov")                                                                        \
    X(MOV_FROM_AR, "mov")                                                                          \
    X(MOV_TO_AR, "mov")                                                                            \
    X(MOV_TO_AR_IMM, "mov")                                                                        \
    X(MOV_FROM_CR, "mov")                                                                          \
    X(MOV_TO_CR, "mov")                                                                            \
    X(MOV_FROM_PSR, "mov")                                                                         \
    X(MOV_TO_PSRL, "mov")                                                                          \
    X(MOV_FROM_PSRUM, "mov")                                                                       \
    X(MOV_TO_PSRUM, "mov")                                                                         \
    X(MOV_TO_RR, "mov")                                                                            \
    X(MOV_FROM_RR, "mov")                                                                          \
    X(MOV_TO_PKR, "mov")                                                                           \
    X(MOV_FROM_PKR, "mov")                                                                         \
    X(MOV_FROM_CPUID, "mov")                                                                       \
    X(SUM, "sum")                                                                                  \
    X(RUM, "rum")                                                                                  \
    X(SSM, "ssm")                                                                                  \
    X(RSM, "rsm")                                                                                  \
    X(LD, "ld")                                                                                    \
    X(ST, "st")                                                                                    \
    X(CMPXCHG, "cmpxchg")                                                                          \
    X(XCHG, "xchg")                                                                                \
    X(FETCHADD, "fetchadd")                                                                        \
    X(GETF, "getf")                                                                                \
    X(SETF, "setf")                                                                                \
    X(LDF_FILL, "ldf.fill")                                                                        \
    X(STF_SPILL, "stf.spill")                                                                      \
    X(SRLZ_D, "srlz.d")                                                                            \
    X(SRLZ_I, "srlz.i")                                                                            \
    X(SYNC_I, "sync.i")                                                                            \
    X(MF, "mf")                                                                                    \
    X(MF_A, "mf.a")                                                                                \
    X(INVALA, "invala")                                                                            \
    X(FLUSHRS, "flushrs")                                                                          \
    X(LOADRS, "loadrs")                                                                            \
    X(FC, "fc")                                                                                    \
    X(FC_I, "fc.i")                                                                                \
    X(PTC_L, "ptc.l")                                                                              \
    X(PTC_G, "ptc.g")                                                                              \
    X(PTC_GA, "ptc.ga")                                                                            \
    X(PTC_E, "ptc.e")                                                                              \
    X(PTR_D, "ptr.d")                                                                              \
    X(PTR_I, "ptr.i")                                                                              \
    X(ITR_D, "itr.d")                                                                              \
    X(ITR_I, "itr.i")                                                                              \
    X(ITC_D, "itc.d")                                                                              \
    X(ITC_I, "itc.i")                                                                              \
    X(TPA, "tpa")                                                                                  \
    X(THASH, "thash")                                                                              \
    X(TTAG, "ttag")                                                                                \
    X(ALLOC, "alloc")                                                                              \
    X(CHK_S, "chk.s")                                                                              \
    X(CHK_A, "chk.a")                                                                              \
    X(BR_IPREL, "br")                                                                              \
    X(BR_CALL, "br.call")                                                                          \
    X(BR_IND, "br")                                                                                \
    X(BR_RET, "br.ret")                                                                            \
    X(BR_CALL_IND, "br.call")                                                                      \
    X(BRL, "brl")                                                                                  \
    X(BRL_CALL, "brl.call")                                                                        \
    X(BRP, "brp")                                                                                  \
    X(COVER, "cover")                                                                              \
    X(CLRRRB, "clrrrb")                                                                            \
    X(CLRRRB_PR, "clrrrb.pr")                                                                      \
    X(RFI, "rfi")                                                                                  \
    X(BSW0, "bsw.0")                                                                               \
    X(BSW1, "bsw.1")                                                                               \
    X(FMERGE_S, "fmerge.s")                                                                        \
    X(FMERGE_NS, "fmerge.ns")                                                                      \
    X(LFETCH, "lfetch")                                                                            \
    X(INVALA_E, "invala.e")                                                                        \
    X(INVALA_EF, "invala.e")                                                                       \
    X(PROBE, "probe")                                                                              \
    X(MOV_TO_DBR, "mov")                                                                           \
    X(MOV_FROM_DBR, "mov")                                                                         \
    X(MOV_TO_IBR, "mov")                                                                           \
    X(MOV_FROM_IBR, "mov")                                                                         \
    X(FMA, "fma")                                                                                  \
    X(FMS, "fms")                                                                                  \
    X(FNMA, "fnma")                                                                                \
    X(XMA, "xma")                                                                                  \
    X(FRCPA, "frcpa")                                                                              \
    X(FCVT_FX, "fcvt")                                                                             \
    X(FCVT_XF, "fcvt.xf")                                                                          \
    X(FMERGE_SE, "fmerge.se")                                                                      \
    X(FSIG, "fand")                                                                                \
    X(FSETC, "fsetc")                                                                              \
    X(FCLRF, "fclrf")                                                                              \
    X(FCMP, "fcmp")                                                                                \
    X(FCLASS, "fclass")                                                                            \
    X(PADD, "padd")                                                                                \
    X(PSUB, "psub")                                                                                \
    X(PAVG, "pavg")                                                                                \
    X(PAVGSUB, "pavgsub")                                                                          \
    X(PSHLADD, "pshladd")                                                                          \
    X(PSHRADD, "pshradd")                                                                          \
    X(PCMP, "pcmp")                                                                                \
    X(PMPY, "pmpy")                                                                                \
    X(PMPYSHR, "pmpyshr")                                                                          \
    X(MIX, "mix")                                                                                  \
    X(UNPACK, "unpack")                                                                            \
    X(PACK, "pack")                                                                                \
    X(PMIN, "pmin")                                                                                \
    X(PMAX, "pmax")                                                                                \
    X(PSAD, "psad")                                                                                \
    X(MUX1, "mux1")                                                                                \
    X(MUX2, "mux2")                                                                                \
    X(PSHR, "pshr")                                                                                \
    X(PSHL, "pshl")                                                                                \
    X(LDF, "ldf")                                                                                  \
    X(STF, "stf")                                                                                  \
    X(LDFP, "ldfp")                                                                                \
    X(LX_SKIP, "")

enum ia64_op {
#define IA64_OP_ENUM(name, str) IA64_OP_##name,
    IA64_OPS(IA64_OP_ENUM)
#undef IA64_OP_ENUM
        IA64_OP__COUNT
};

/* Compare relations (CMP) and predicate-write types (CMP/TBIT/TNAT). */
enum ia64_crel {
    IA64_CREL_EQ,
    IA64_CREL_NE,
    IA64_CREL_LT,
    IA64_CREL_LE,
    IA64_CREL_GT,
    IA64_CREL_GE,
    IA64_CREL_LTU,
    IA64_CREL_Z,
    IA64_CREL_NZ
};
enum ia64_ctype { IA64_CT_NONE, IA64_CT_UNC, IA64_CT_AND, IA64_CT_OR, IA64_CT_OR_ANDCM };

/* Branch types (btype field of ip-relative and indirect branches). */
enum ia64_btype {
    IA64_BT_COND = 0,
    IA64_BT_IA = 1,
    IA64_BT_RET = 4,
    IA64_BT_WEXIT = 2,
    IA64_BT_WTOP = 3,
    IA64_BT_CLOOP = 5,
    IA64_BT_CEXIT = 6,
    IA64_BT_CTOP = 7
};

/* F-unit arithmetic: in->pos is the status field (sf), in->size the
 * precision completer of fma/fms/fnma (0 none, 1 .s, 2 .d); xma's kind in
 * in->len (0 .l, 2 .hu, 3 .h); fcvt.fx's in->len: bit 0 unsigned, bit 1
 * .trunc; fcmp's relation in in->crel (FCREL_*), .unc in in->ctype. */
enum { IA64_FCREL_EQ, IA64_FCREL_LT, IA64_FCREL_LE, IA64_FCREL_UNORD };

/* Multimedia (PADD..PSHL): in->size is the element size in bytes, in->len
 * the variant (padd/psub: 0 modulo, 1 sss, 2 uuu, 3 uus; pavg: 1 .raz;
 * pcmp: 0 eq, 1 gt; pmpy/mix/unpack: 0 right/low, 1 left/high; pack: 0
 * uss, 1 sss; pmin/pmax/pshr: 1 unsigned; pmpyshr: 1 .u), in->pos a shift
 * count, has_imm for the immediate-count shifts, imm the mux1/mux2 type. */
enum {
    IA64_MUX_BRCST = 0,
    IA64_MUX_MIX = 8,
    IA64_MUX_SHUF = 9,
    IA64_MUX_ALT = 10,
    IA64_MUX_REV = 11
};

/* lfetch (in->pos) and probe (in->pos: access, in->len: fault form). */
enum { IA64_LFETCH_EXCL = 1, IA64_LFETCH_FAULT = 2 };
enum { IA64_PROBE_R = 1, IA64_PROBE_W = 2 };

/* Load/store flavours. */
enum {
    IA64_LDF_ACQ = 1,   /* .acq / .rel */
    IA64_LDF_SPEC = 2,  /* .s / .sa */
    IA64_LDF_ADV = 4,   /* .a / .sa */
    IA64_LDF_CHK = 8,   /* .c.clr / .c.nc */
    IA64_LDF_FILL = 16, /* ld8.fill / st8.spill */
    IA64_LDF_BIAS = 32,
    IA64_LDF_UPD_REG = 64,  /* post-increment by r2 */
    IA64_LDF_UPD_IMM = 128, /* post-increment by imm */
    IA64_LDF_CLR = 256,     /* .c.clr */
    IA64_LDF_REL = 512,
};

struct ia64_insn {
    uint16_t op;  /* enum ia64_op */
    uint8_t unit; /* enum ia64_unit */
    uint8_t qp;
    uint8_t r1, r2, r3;
    uint8_t p1, p2;
    uint8_t b1, b2;
    uint8_t size; /* access size or zxt/sxt/czx width in bytes */
    uint8_t pos, len;
    uint8_t crel, ctype, is4, has_imm;
    uint8_t btype;
    uint16_t flags;
    int64_t imm;
    int64_t imm2; /* brp and mov-to-BR: the tag's offset from the bundle */
    uint64_t raw; /* the 41-bit slot */
};

struct ia64_bundle {
    uint8_t tmpl;
    uint8_t units[3];
    bool stop[3]; /* a stop after slot i */
    struct ia64_insn slot[3];
};

/* Unit layout of a template; returns false for the reserved templates. */
bool ia64_template_units(unsigned tmpl, uint8_t units[3], bool stop[3]);
/* Decodes a 16-byte little-endian bundle. Returns false for a reserved
 * template (the slots are then ILLEGAL). */
bool ia64_decode_bundle(const uint8_t bytes[16], struct ia64_bundle *b);
/* Decodes one slot of the given unit. For an L slot, next is unused; an X
 * slot needs the L slot's 41 bits in lslot. */
void ia64_decode_slot(uint64_t raw, enum ia64_unit unit, uint64_t lslot, struct ia64_insn *in);

/* Instructions whose format has no qualifying predicate (the SDM shows the
 * field as 0): a nonzero field is an Illegal Operation when executed;
 * objdump does not print it. */
bool ia64_insn_unpredicated(const struct ia64_insn *in);

/* Disassembles in the syntax ia64-linux-gnu-objdump prints (without the
 * template and stop markers). ip is the bundle address (for branch targets).
 * Returns the length written. */
size_t ia64_disasm(const struct ia64_insn *in, uint64_t ip, char *buf, size_t len);
const char *ia64_op_name(enum ia64_op op);
/* Assembler names of application/control registers, or NULL. */
const char *ia64_ar_name(unsigned ar);
const char *ia64_cr_name(unsigned cr);

#endif
