/* Disassembler producing ia64-linux-gnu-objdump's syntax, used by --trace
 * and by ia64dis; tests/run-decode.sh compares it with objdump slot by
 * slot. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ia64/decode.h"

const char *ia64_op_name(enum ia64_op op)
{
    static const char *const names[] = {
#define IA64_OP_NAME(name, str) str,
        IA64_OPS(IA64_OP_NAME)
#undef IA64_OP_NAME
    };
    return (unsigned)op < IA64_OP__COUNT ? names[op] : "?";
}

struct out {
    char *buf;
    size_t len, pos;
};

static void emit(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit(struct out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = o->pos < o->len ? o->len - o->pos : 0;
    int n = vsnprintf(o->buf + (room ? o->pos : 0), room, fmt, ap);
    va_end(ap);
    if (n > 0)
        o->pos += (size_t)n;
}

static const char unit_ch[] = {'m', 'i', 'f', 'b', 'l', 'x'};

static const char *rel_name(unsigned r)
{
    static const char *const n[] = {"eq", "ne", "lt", "le", "gt", "ge", "ltu", "z", "nz"};
    return r < 9 ? n[r] : "?";
}

static const char *ctype_name(unsigned c)
{
    static const char *const n[] = {"", ".unc", ".and", ".or", ".or.andcm"};
    return c < 5 ? n[c] : "?";
}

static void ar_operand(struct out *o, unsigned ar)
{
    const char *n = ia64_ar_name(ar);
    if (n)
        emit(o, "ar.%s", n);
    else
        emit(o, "ar%u", ar);
}

static void cr_operand(struct out *o, unsigned cr)
{
    const char *n = ia64_cr_name(cr);
    if (n)
        emit(o, "cr.%s", n);
    else
        emit(o, "cr%u", cr);
}

/* Branch hints as objdump prints them: whether (sptk/spnt/dptk/dpnt),
 * prefetch (few/many) and the deallocation hint (.clr). Indirect calls
 * (B5) encode "whether" in three bits. */
static const char *hints(const struct ia64_insn *in, bool b5)
{
    static char buf[4][24];
    static unsigned next;
    static const char *const wh2[4] = {".sptk", ".spnt", ".dptk", ".dpnt"};
    static const char *const wh3[8] = {".?", ".sptk", ".?", ".spnt", ".?", ".dptk", ".?", ".dpnt"};
    uint64_t r = in->raw;
    const char *wh = b5 ? wh3[(r >> 32) & 7] : wh2[(r >> 33) & 3];
    char *out = buf[next++ & 3];
    snprintf(out, sizeof(buf[0]), "%s%s%s", wh, ((r >> 12) & 1) ? ".many" : ".few",
             ((r >> 35) & 1) ? ".clr" : "");
    return out;
}

/* Locality hint of integer loads and stores (bits 29:28): .nt1, .nta. */
static const char *mem_hint(const struct ia64_insn *in)
{
    switch ((in->raw >> 28) & 3) {
    case 1:
        return ".nt1";
    case 3:
        return ".nta";
    default:
        return "";
    }
}

static const char *ld_suffix(unsigned fl)
{
    if (fl & IA64_LDF_FILL)
        return ".fill";
    if ((fl & IA64_LDF_CHK) && (fl & IA64_LDF_ACQ))
        return ".c.clr.acq";
    if (fl & IA64_LDF_CHK)
        return (fl & IA64_LDF_CLR) ? ".c.clr" : ".c.nc";
    if ((fl & IA64_LDF_SPEC) && (fl & IA64_LDF_ADV))
        return ".sa";
    if (fl & IA64_LDF_SPEC)
        return ".s";
    if (fl & IA64_LDF_ADV)
        return ".a";
    if (fl & IA64_LDF_BIAS)
        return ".bias";
    if (fl & IA64_LDF_ACQ)
        return ".acq";
    if (fl & IA64_LDF_REL)
        return ".rel";
    return "";
}

static void post_inc(struct out *o, const struct ia64_insn *in)
{
    if (in->flags & IA64_LDF_UPD_REG)
        emit(o, ",r%u", in->r2);
    else if (in->flags & IA64_LDF_UPD_IMM)
        emit(o, ",%lld", (long long)in->imm);
}

/* F9 (fand ... fsxt) by x6, as exec_fp.c's fsig() selects. */
static const char *fsig_name(unsigned x6)
{
    switch (x6) {
    case 0x2c:
        return "fand";
    case 0x2d:
        return "fandcm";
    case 0x2e:
        return "for";
    case 0x2f:
        return "fxor";
    case 0x34:
        return "fswap";
    case 0x35:
        return "fswap.nl";
    case 0x36:
        return "fswap.nr";
    case 0x39:
        return "fmix.lr";
    case 0x3a:
        return "fmix.r";
    case 0x3b:
        return "fmix.l";
    case 0x3c:
        return "fsxt.r";
    default:
        return "fsxt.l";
    }
}

static void body(struct out *o, const struct ia64_insn *in, uint64_t ip)
{
    const char *nm = ia64_op_name(in->op);
    char u = unit_ch[in->unit];
    long long imm = (long long)in->imm;

    switch (in->op) {
    case IA64_OP_ILLEGAL:
        emit(o, "illegal");
        return;
    case IA64_OP_HINT: /* objdump prints hint.m's number in decimal, the others' in hex */
        if (in->unit == IA64_UNIT_M)
            emit(o, "hint.m %llu", (unsigned long long)imm);
        else
            emit(o, "hint.%c 0x%llx", in->unit == IA64_UNIT_X ? 'x' : u, (unsigned long long)imm);
        return;
    case IA64_OP_NOP:
    case IA64_OP_BREAK:
        emit(o, "%s.%c 0x%llx", nm, in->unit == IA64_UNIT_X ? 'x' : u, (unsigned long long)imm);
        return;
    case IA64_OP_ADD:
    case IA64_OP_SUB:
    case IA64_OP_ADDP4:
    case IA64_OP_AND:
    case IA64_OP_ANDCM:
    case IA64_OP_OR:
    case IA64_OP_XOR:
        emit(o, "%s r%u=r%u,r%u", nm, in->r1, in->r2, in->r3);
        return;
    case IA64_OP_ADD1:
    case IA64_OP_SUB1:
        emit(o, "%s r%u=r%u,r%u,1", nm, in->r1, in->r2, in->r3);
        return;
    case IA64_OP_SHLADD:
    case IA64_OP_SHLADDP4:
        emit(o, "%s r%u=r%u,%u,r%u", nm, in->r1, in->r2, in->len, in->r3);
        return;
    case IA64_OP_ADDS:
        if (imm == 0) {
            emit(o, "mov r%u=r%u", in->r1, in->r3);
            return;
        }
        /* fall through */
    case IA64_OP_SUB_IMM:
    case IA64_OP_AND_IMM:
    case IA64_OP_ANDCM_IMM:
    case IA64_OP_OR_IMM:
    case IA64_OP_XOR_IMM:
    case IA64_OP_ADDP4_IMM:
        emit(o, "%s r%u=%lld,r%u", nm, in->r1, imm, in->r3);
        return;
    case IA64_OP_ADDL:
        if (in->r3 == 0)
            emit(o, "mov r%u=%lld", in->r1, imm);
        else
            emit(o, "addl r%u=%lld,r%u", in->r1, imm, in->r3);
        return;
    case IA64_OP_MOVL:
        emit(o, "movl r%u=0x%llx", in->r1, (unsigned long long)imm);
        return;
    case IA64_OP_CMP:
        emit(o, "cmp%s.%s%s p%u,p%u=", in->is4 ? "4" : "", rel_name(in->crel),
             ctype_name(in->ctype), in->p1, in->p2);
        if (in->has_imm)
            emit(o, "%lld,r%u", imm, in->r3);
        else
            emit(o, "r%u,r%u", in->r2, in->r3);
        return;
    case IA64_OP_TBIT:
        emit(o, "tbit.%s%s p%u,p%u=r%u,%u", rel_name(in->crel), ctype_name(in->ctype), in->p1,
             in->p2, in->r3, in->pos);
        return;
    case IA64_OP_TNAT:
        emit(o, "tnat.%s%s p%u,p%u=r%u", rel_name(in->crel), ctype_name(in->ctype), in->p1, in->p2,
             in->r3);
        return;
    case IA64_OP_SHR:
    case IA64_OP_SHRU:
        emit(o, "%s r%u=r%u,r%u", nm, in->r1, in->r3, in->r2);
        return;
    case IA64_OP_SHL:
        emit(o, "shl r%u=r%u,r%u", in->r1, in->r2, in->r3);
        return;
    case IA64_OP_EXTR:
    case IA64_OP_EXTRU:
        if (in->pos + in->len == 64)
            emit(o, "%s r%u=r%u,%u", in->op == IA64_OP_EXTR ? "shr" : "shr.u", in->r1, in->r3,
                 in->pos);
        else
            emit(o, "%s r%u=r%u,%u,%u", nm, in->r1, in->r3, in->pos, in->len);
        return;
    case IA64_OP_DEPZ:
        if (in->pos + in->len == 64)
            emit(o, "shl r%u=r%u,%u", in->r1, in->r2, in->pos);
        else
            emit(o, "dep.z r%u=r%u,%u,%u", in->r1, in->r2, in->pos, in->len);
        return;
    case IA64_OP_DEPZ_IMM:
        emit(o, "dep.z r%u=%lld,%u,%u", in->r1, imm, in->pos, in->len);
        return;
    case IA64_OP_DEP_IMM1:
        emit(o, "dep r%u=%lld,r%u,%u,%u", in->r1, imm, in->r3, in->pos, in->len);
        return;
    case IA64_OP_DEP:
        emit(o, "dep r%u=r%u,r%u,%u,%u", in->r1, in->r2, in->r3, in->pos, in->len);
        return;
    case IA64_OP_SHRP:
        emit(o, "shrp r%u=r%u,r%u,%u", in->r1, in->r2, in->r3, in->pos);
        return;
    case IA64_OP_ZXT:
    case IA64_OP_SXT:
        emit(o, "%s%u r%u=r%u", nm, in->size, in->r1, in->r3);
        return;
    case IA64_OP_CZX_L:
    case IA64_OP_CZX_R:
        emit(o, "czx%u.%c r%u=r%u", in->size, in->op == IA64_OP_CZX_L ? 'l' : 'r', in->r1, in->r3);
        return;
    case IA64_OP_POPCNT:
        emit(o, "popcnt r%u=r%u", in->r1, in->r3);
        return;
    case IA64_OP_MOV_FROM_IP:
        emit(o, "mov r%u=ip", in->r1);
        return;
    case IA64_OP_MOV_FROM_B:
        emit(o, "mov r%u=b%u", in->r1, in->b2);
        return;
    case IA64_OP_MOV_TO_B: {
        /* objdump names the hints, and the tag unless all are defaults */
        static const char *const wh[4] = {".sptk", "", ".dptk", ".?"};
        uint64_t r = in->raw;
        emit(o, "mov%s%s%s b%u=r%u", ((r >> 22) & 1) ? ".ret" : "", wh[(r >> 20) & 3],
             ((r >> 23) & 1) ? ".imp" : "", in->b1, in->r2);
        if (((r >> 20) & 3) != 1 || ((r >> 22) & 3) != 0)
            emit(o, ",%llx", (unsigned long long)(ip + (uint64_t)in->imm2));
        return;
    }
    case IA64_OP_BRP: {
        static const char *const wh[4] = {".sptk", ".loop", ".dptk", ".exit"};
        uint64_t r = in->raw;
        const char *imp = ((r >> 35) & 1) ? ".imp" : "";
        if (((r >> 37) & 0xf) == 7)
            emit(o, "brp%s%s %llx,%llx", wh[(r >> 3) & 3], imp,
                 (unsigned long long)(ip + (uint64_t)imm),
                 (unsigned long long)(ip + (uint64_t)in->imm2));
        else
            emit(o, "brp%s%s%s b%u,%llx", ((r >> 27) & 1) ? ".ret" : "", wh[(r >> 3) & 3], imp,
                 in->b2, (unsigned long long)(ip + (uint64_t)in->imm2));
        return;
    }
    case IA64_OP_MOV_FROM_PR:
        emit(o, "mov r%u=pr", in->r1);
        return;
    case IA64_OP_MOV_TO_PR:
        /* the 17-bit mask is sign-extended over all 64 predicates */
        emit(o, "mov pr=r%u,0x%llx", in->r2,
             (unsigned long long)((imm & 0x10000) ? (imm | ~0x1ffffLL) : (imm & 0x1ffff)));
        return;
    case IA64_OP_MOV_TO_PR_ROT:
        emit(o, "mov pr.rot=0x%llx", (unsigned long long)imm);
        return;
    case IA64_OP_MOV_FROM_AR:
        emit(o, "mov.%c r%u=", u, in->r1);
        ar_operand(o, in->r3);
        return;
    case IA64_OP_MOV_TO_AR:
    case IA64_OP_MOV_TO_AR_IMM:
        emit(o, "mov.%c ", u);
        ar_operand(o, in->r3);
        if (in->op == IA64_OP_MOV_TO_AR)
            emit(o, "=r%u", in->r2);
        else
            emit(o, "=%lld", imm);
        return;
    case IA64_OP_MOV_FROM_CR:
        emit(o, "mov r%u=", in->r1);
        cr_operand(o, in->r3);
        return;
    case IA64_OP_MOV_TO_CR:
        emit(o, "mov ");
        cr_operand(o, in->r3);
        emit(o, "=r%u", in->r2);
        return;
    case IA64_OP_MOV_FROM_PSR:
        emit(o, "mov r%u=psr", in->r1);
        return;
    case IA64_OP_MOV_TO_PSRL:
        emit(o, "mov psr.l=r%u", in->r2);
        return;
    case IA64_OP_MOV_FROM_PSRUM:
        emit(o, "mov r%u=psr.um", in->r1);
        return;
    case IA64_OP_MOV_TO_PSRUM:
        emit(o, "mov psr.um=r%u", in->r2);
        return;
    case IA64_OP_MOV_TO_RR:
        emit(o, "mov rr[r%u]=r%u", in->r3, in->r2);
        return;
    case IA64_OP_MOV_FROM_RR:
        emit(o, "mov r%u=rr[r%u]", in->r1, in->r3);
        return;
    case IA64_OP_MOV_TO_PKR:
        emit(o, "mov pkr[r%u]=r%u", in->r3, in->r2);
        return;
    case IA64_OP_MOV_FROM_PKR:
        emit(o, "mov r%u=pkr[r%u]", in->r1, in->r3);
        return;
    case IA64_OP_MOV_TO_DBR:
    case IA64_OP_MOV_TO_IBR:
        emit(o, "mov %s[r%u]=r%u", in->op == IA64_OP_MOV_TO_DBR ? "dbr" : "ibr", in->r3, in->r2);
        return;
    case IA64_OP_MOV_FROM_DBR:
    case IA64_OP_MOV_FROM_IBR:
        emit(o, "mov r%u=%s[r%u]", in->r1, in->op == IA64_OP_MOV_FROM_DBR ? "dbr" : "ibr", in->r3);
        return;
    case IA64_OP_INVALA_E:
        emit(o, "invala.e r%u", in->r1);
        return;
    case IA64_OP_INVALA_EF:
        emit(o, "invala.e f%u", in->r1);
        return;
    case IA64_OP_LFETCH: {
        static const char *const h[4] = {"", ".nt1", ".nt2", ".nta"};
        emit(o, "lfetch%s%s%s [r%u]", (in->pos & IA64_LFETCH_FAULT) ? ".fault" : "",
             (in->pos & IA64_LFETCH_EXCL) ? ".excl" : "", h[(in->raw >> 28) & 3], in->r3);
        post_inc(o, in);
        return;
    }
    case IA64_OP_PROBE: {
        const char *acc = in->pos == IA64_PROBE_R ? "r" : in->pos == IA64_PROBE_W ? "w" : "rw";
        if (in->len)
            emit(o, "probe.%s.fault r%u,%lld", acc, in->r3, imm);
        else if (in->has_imm)
            emit(o, "probe.%s r%u=r%u,%lld", acc, in->r1, in->r3, imm);
        else
            emit(o, "probe.%s r%u=r%u,r%u", acc, in->r1, in->r3, in->r2);
        return;
    }
    case IA64_OP_MOV_FROM_CPUID:
        emit(o, "mov r%u=cpuid[r%u]", in->r1, in->r3);
        return;
    case IA64_OP_SUM:
    case IA64_OP_RUM:
    case IA64_OP_SSM:
    case IA64_OP_RSM:
        emit(o, "%s 0x%llx", nm, (unsigned long long)imm);
        return;
    case IA64_OP_LD:
        emit(o, "ld%u%s%s r%u=[r%u]", in->size, ld_suffix(in->flags), mem_hint(in), in->r1, in->r3);
        post_inc(o, in);
        return;
    case IA64_OP_ST:
        emit(o, "st%u%s%s [r%u]=r%u", in->size,
             (in->flags & IA64_LDF_FILL) ? ".spill" : ld_suffix(in->flags), mem_hint(in), in->r3,
             in->r2);
        post_inc(o, in);
        return;
    case IA64_OP_CMPXCHG:
        emit(o, "cmpxchg%u%s%s r%u=[r%u],r%u,ar.ccv", in->size, ld_suffix(in->flags), mem_hint(in),
             in->r1, in->r3, in->r2);
        return;
    case IA64_OP_XCHG:
        emit(o, "xchg%u%s r%u=[r%u],r%u", in->size, mem_hint(in), in->r1, in->r3, in->r2);
        return;
    case IA64_OP_FETCHADD:
        emit(o, "fetchadd%u%s%s r%u=[r%u],%lld", in->size, ld_suffix(in->flags), mem_hint(in),
             in->r1, in->r3, imm);
        return;
    case IA64_OP_GETF:
    case IA64_OP_SETF: {
        static const char *const k[4] = {"sig", "exp", "s", "d"};
        if (in->op == IA64_OP_GETF)
            emit(o, "getf.%s r%u=f%u", k[in->size & 3], in->r1, in->r2);
        else
            emit(o, "setf.%s f%u=r%u", k[in->size & 3], in->r1, in->r2);
        return;
    }
    case IA64_OP_LDF_FILL:
        emit(o, "ldf.fill%s f%u=[r%u]", mem_hint(in), in->r1, in->r3);
        post_inc(o, in);
        return;
    case IA64_OP_STF_SPILL:
        emit(o, "stf.spill%s [r%u]=f%u", mem_hint(in), in->r3, in->r2);
        post_inc(o, in);
        return;
    case IA64_OP_LDF:
    case IA64_OP_STF: {
        static const char *const k[4] = {"e", "8", "s", "d"};
        if (in->op == IA64_OP_LDF)
            emit(o, "ldf%s%s%s f%u=[r%u]", k[in->pos & 3], ld_suffix(in->flags), mem_hint(in),
                 in->r1, in->r3);
        else
            emit(o, "stf%s%s [r%u]=f%u", k[in->pos & 3], mem_hint(in), in->r3, in->r2);
        post_inc(o, in);
        return;
    }
    case IA64_OP_LDFP: {
        static const char *const k[4] = {"?", "8", "s", "d"};
        emit(o, "ldfp%s%s%s f%u,f%u=[r%u]", k[in->pos & 3], ld_suffix(in->flags), mem_hint(in),
             in->r1, in->r2, in->r3);
        post_inc(o, in);
        return;
    }
    case IA64_OP_FC:
    case IA64_OP_FC_I:
    case IA64_OP_PTC_E:
        emit(o, "%s r%u", nm, in->r3);
        return;
    case IA64_OP_PTC_L:
    case IA64_OP_PTC_G:
    case IA64_OP_PTC_GA:
    case IA64_OP_PTR_D:
    case IA64_OP_PTR_I:
        emit(o, "%s r%u,r%u", nm, in->r3, in->r2);
        return;
    case IA64_OP_ITR_D:
    case IA64_OP_ITR_I:
        emit(o, "%s %ctr[r%u]=r%u", nm, in->op == IA64_OP_ITR_D ? 'd' : 'i', in->r3, in->r2);
        return;
    case IA64_OP_ITC_D:
    case IA64_OP_ITC_I:
        emit(o, "%s r%u", nm, in->r2);
        return;
    case IA64_OP_TPA:
    case IA64_OP_THASH:
    case IA64_OP_TTAG:
        emit(o, "%s r%u=r%u", nm, in->r1, in->r3);
        return;
    case IA64_OP_ALLOC:
        emit(o, "alloc r%u=ar.pfs,%u,%u,%u", in->r1, in->len, in->pos, in->size * 8);
        return;
    case IA64_OP_CHK_S:
        emit(o, "chk.s.%c r%u,%llx", u, in->r2, (unsigned long long)(ip + (uint64_t)imm));
        return;
    case IA64_OP_CHK_A:
        emit(o, "chk.a.%s %c%u,%llx", (in->flags & IA64_LDF_CLR) ? "clr" : "nc",
             in->pos ? 'f' : 'r', in->r1,
             (unsigned long long)(ip + (uint64_t)imm));
        return;
    case IA64_OP_BR_IPREL: {
        static const char *const bt[8] = {"br.cond", "?",        "br.wexit", "br.wtop",
                                          "?",       "br.cloop", "br.cexit", "br.ctop"};
        /* objdump's spelling: an unpredicated br.cond.sptk is plain "br",
         * without the ".sptk" */
        const char *h = hints(in, false);
        bool plain = (in->btype & 7) == 0 && in->qp == 0 && !strncmp(h, ".sptk", 5);
        if (plain)
            h += 5;
        emit(o, "%s%s %llx", plain ? "br" : bt[in->btype & 7], h,
             (unsigned long long)(ip + (uint64_t)imm));
        return;
    }
    case IA64_OP_BR_CALL:
    case IA64_OP_BRL_CALL:
        emit(o, "%s%s b%u=%llx", nm, hints(in, false), in->b1,
             (unsigned long long)(ip + (uint64_t)imm));
        return;
    case IA64_OP_BRL: {
        const char *h = hints(in, false);
        bool plain = in->qp == 0 && !strncmp(h, ".sptk", 5);
        emit(o, "brl%s%s %llx", plain ? "" : ".cond", plain ? h + 5 : h,
             (unsigned long long)(ip + (uint64_t)imm));
    }
        return;
    case IA64_OP_BR_IND: {
        const char *h = hints(in, false);
        bool plain = in->btype != IA64_BT_IA && in->qp == 0 && !strncmp(h, ".sptk", 5);
        if (plain)
            h += 5;
        emit(o, "%s%s b%u",
             in->btype == IA64_BT_IA ? "br.ia"
             : plain                 ? "br"
                                     : "br.cond",
             h, in->b2);
    }
        return;
    case IA64_OP_BR_RET:
        emit(o, "br.ret%s b%u", hints(in, false), in->b2);
        return;
    case IA64_OP_BR_CALL_IND:
        emit(o, "br.call%s b%u=b%u", hints(in, true), in->b1, in->b2);
        return;
    case IA64_OP_PADD:
    case IA64_OP_PSUB: {
        static const char *const v[4] = {"", ".sss", ".uuu", ".uus"};
        emit(o, "%s%u%s r%u=r%u,r%u", nm, in->size, v[in->len & 3], in->r1, in->r2, in->r3);
        return;
    }
    case IA64_OP_PAVG:
        emit(o, "pavg%u%s r%u=r%u,r%u", in->size, in->len ? ".raz" : "", in->r1, in->r2, in->r3);
        return;
    case IA64_OP_PAVGSUB:
    case IA64_OP_PSAD:
    case IA64_OP_PMIN:
    case IA64_OP_PMAX:
        emit(o, "%s%u%s r%u=r%u,r%u", nm, in->size, in->len ? ".u" : "", in->r1, in->r2, in->r3);
        return;
    case IA64_OP_PSHLADD:
    case IA64_OP_PSHRADD:
        emit(o, "%s2 r%u=r%u,%u,r%u", nm, in->r1, in->r2, in->pos, in->r3);
        return;
    case IA64_OP_PCMP:
        emit(o, "pcmp%u.%s r%u=r%u,r%u", in->size, in->len ? "gt" : "eq", in->r1, in->r2, in->r3);
        return;
    case IA64_OP_PMPY:
        emit(o, "pmpy2.%s r%u=r%u,r%u", in->len ? "l" : "r", in->r1, in->r2, in->r3);
        return;
    case IA64_OP_PMPYSHR:
        emit(o, "pmpyshr2%s r%u=r%u,r%u,%u", in->len ? ".u" : "", in->r1, in->r2, in->r3, in->pos);
        return;
    case IA64_OP_MIX:
        emit(o, "mix%u.%s r%u=r%u,r%u", in->size, in->len ? "l" : "r", in->r1, in->r2, in->r3);
        return;
    case IA64_OP_UNPACK:
        emit(o, "unpack%u.%s r%u=r%u,r%u", in->size, in->len ? "h" : "l", in->r1, in->r2, in->r3);
        return;
    case IA64_OP_PACK:
        emit(o, "pack%u.%s r%u=r%u,r%u", in->size, in->len ? "sss" : "uss", in->r1, in->r2, in->r3);
        return;
    case IA64_OP_MUX1: {
        static const char *const t[16] = {
            [0] = "@brcst", [8] = "@mix", [9] = "@shuf", [10] = "@alt", [11] = "@rev"};
        emit(o, "mux1 r%u=r%u,%s", in->r1, in->r2, t[imm & 15] ? t[imm & 15] : "?");
        return;
    }
    case IA64_OP_MUX2:
        emit(o, "mux2 r%u=r%u,0x%llx", in->r1, in->r2, (unsigned long long)imm);
        return;
    case IA64_OP_PSHR:
        if (in->has_imm)
            emit(o, "pshr%u%s r%u=r%u,%u", in->size, in->len ? ".u" : "", in->r1, in->r3, in->pos);
        else
            emit(o, "pshr%u%s r%u=r%u,r%u", in->size, in->len ? ".u" : "", in->r1, in->r3, in->r2);
        return;
    case IA64_OP_PSHL:
        if (in->has_imm)
            emit(o, "pshl%u r%u=r%u,%u", in->size, in->r1, in->r2, in->pos);
        else
            emit(o, "pshl%u r%u=r%u,r%u", in->size, in->r1, in->r2, in->r3);
        return;
    case IA64_OP_FMA:
    case IA64_OP_FMS:
    case IA64_OP_FNMA: {
        static const char *const pc[3] = {"", ".s", ".d"};
        unsigned f4 = (unsigned)in->imm2;
        const char *p = pc[in->size % 3];
        /* objdump's pseudo-ops: fnorm (fma f3*f1+f0), fadd/fsub (f4 = f1),
         * fmpy/fnmpy (f2 = f0) */
        if (in->op == IA64_OP_FMA && f4 == 1 && in->r2 == 0)
            emit(o, "fnorm%s.s%u f%u=f%u", p, in->pos, in->r1, in->r3);
        else if (in->op != IA64_OP_FNMA && f4 == 1)
            emit(o, "%s%s.s%u f%u=f%u,f%u", in->op == IA64_OP_FMA ? "fadd" : "fsub", p, in->pos,
                 in->r1, in->r3, in->r2);
        else if (in->op != IA64_OP_FMS && in->r2 == 0)
            emit(o, "%s%s.s%u f%u=f%u,f%u", in->op == IA64_OP_FMA ? "fmpy" : "fnmpy", p, in->pos,
                 in->r1, in->r3, f4);
        else
            emit(o, "%s%s.s%u f%u=f%u,f%u,f%u", nm, p, in->pos, in->r1, in->r3, f4, in->r2);
        return;
    }
    case IA64_OP_XMA: {
        static const char *const k[4] = {"l", "?", "hu", "h"};
        if (in->r2 == 0)
            emit(o, "xmpy.%s f%u=f%u,f%u", k[in->len & 3], in->r1, in->r3, (unsigned)in->imm2);
        else
            emit(o, "xma.%s f%u=f%u,f%u,f%u", k[in->len & 3], in->r1, in->r3, (unsigned)in->imm2,
                 in->r2);
        return;
    }
    case IA64_OP_FRCPA:
        emit(o, "frcpa.s%u f%u,p%u=f%u,f%u", in->pos, in->r1, in->p2, in->r2, in->r3);
        return;
    case IA64_OP_FCVT_FX:
        emit(o, "fcvt.fx%s%s.s%u f%u=f%u", (in->len & 1) ? "u" : "", (in->len & 2) ? ".trunc" : "",
             in->pos, in->r1, in->r2);
        return;
    case IA64_OP_FCVT_XF:
        emit(o, "fcvt.xf f%u=f%u", in->r1, in->r2);
        return;
    case IA64_OP_FMERGE_SE:
        emit(o, "fmerge.se f%u=f%u,f%u", in->r1, in->r2, in->r3);
        return;
    case IA64_OP_FSIG:
        emit(o, "%s f%u=f%u,f%u", fsig_name(in->len), in->r1, in->r2, in->r3);
        return;
    case IA64_OP_FSETC:
        emit(o, "fsetc.s%u 0x%llx,0x%llx", in->pos, (unsigned long long)(imm & 0x7f),
             (unsigned long long)((imm >> 8) & 0x7f));
        return;
    case IA64_OP_FCLRF:
        emit(o, "fclrf.s%u", in->pos);
        return;
    case IA64_OP_FCMP: {
        static const char *const rel[4] = {"eq", "lt", "le", "unord"};
        emit(o, "fcmp.%s%s.s%u p%u,p%u=f%u,f%u", rel[in->crel & 3],
             in->ctype == IA64_CT_UNC ? ".unc" : "", in->pos, in->p1, in->p2, in->r2, in->r3);
        return;
    }
    case IA64_OP_FCLASS:
        emit(o, "fclass.m%s p%u,p%u=f%u,0x%llx", in->ctype == IA64_CT_UNC ? ".unc" : "", in->p1,
             in->p2, in->r2, (unsigned long long)imm);
        return;
    case IA64_OP_FMERGE_S:
        if (in->r2 == in->r3)
            emit(o, "mov f%u=f%u", in->r1, in->r2);
        else
            emit(o, "fmerge.s f%u=f%u,f%u", in->r1, in->r2, in->r3);
        return;
    case IA64_OP_FMERGE_NS:
        if (in->r2 == in->r3)
            emit(o, "fneg f%u=f%u", in->r1, in->r2);
        else
            emit(o, "fmerge.ns f%u=f%u,f%u", in->r1, in->r2, in->r3);
        return;
    default:
        emit(o, "%s", nm);
        return;
    }
}

size_t ia64_disasm(const struct ia64_insn *in, uint64_t ip, char *buf, size_t len)
{
    struct out o = {buf, len, 0};
    if (len)
        buf[0] = 0;
    if (in->qp && !ia64_insn_unpredicated(in))
        emit(&o, "(p%02u) ", in->qp);
    body(&o, in, ip);
    return o.pos;
}
