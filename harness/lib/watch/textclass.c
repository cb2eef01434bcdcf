/* What changed a piece of kernel text (textwatch.h): decoded from the bytes
 * and from where they are: the kernel patches its own text only at its
 * jump-label sites (__jump_table), its ftrace sites (__mcount_loc) and, for
 * kprobes, with an int3 over an instruction's first byte. */
#include "dumplab/textwatch.h"

#include <string.h>

static const char *const names[DL_TC_COUNT] = {"static-key", "kprobe", "ftrace", "livepatch",
                                               "unexplained"};

const char *dl_text_class_name(DlTextClass c)
{
    return (unsigned)c < DL_TC_COUNT ? names[c] : "unknown";
}

bool dl_text_class_from_name(const char *name, DlTextClass *out)
{
    for (int i = 0; i < DL_TC_COUNT; i++)
        if (!strcmp(name, names[i])) {
            *out = (DlTextClass)i;
            return true;
        }
    return false;
}

/* The 5-byte NOPs Linux writes at patch sites (x86_nops[5]: P6 and the
 * 0x66-prefixed variant), and the 2-byte one of short jump labels. */
static bool nop5(const uint8_t *b)
{
    static const uint8_t p6[5] = {0x0f, 0x1f, 0x44, 0x00, 0x00};
    static const uint8_t k8[5] = {0x66, 0x66, 0x66, 0x66, 0x90};
    return !memcmp(b, p6, 5) || !memcmp(b, k8, 5);
}

#define OP_INT3 0xcc
#define OP_CALL 0xe8
#define OP_JMP32 0xe9
#define OP_JMP8 0xeb

DlTextClass dl_text_classify(const DlKsyms *ks, uint64_t link, const uint8_t *old,
                             const uint8_t *now, unsigned len, const uint8_t *site_now,
                             uint64_t *site)
{
    uint64_t s = 0;
    /* text_poke_bp writes an int3 first, then the tail, then the opcode: a
     * scan may see a site half way, so a site's first byte may be 0xcc. */
    if (ks && site_now && dl_ksyms_site(ks->mcount, link, len, &s)) {
        if (site)
            *site = s;
        if (site_now[0] == OP_CALL || site_now[0] == OP_INT3 || nop5(site_now))
            return DL_TC_FTRACE;
        return DL_TC_UNEXPLAINED;
    }
    if (ks && site_now && dl_ksyms_site(ks->jump, link, len, &s)) {
        if (site)
            *site = s;
        if (site_now[0] == OP_JMP32 || site_now[0] == OP_JMP8 || site_now[0] == OP_INT3 ||
            nop5(site_now) || (site_now[0] == 0x66 && site_now[1] == 0x90))
            return DL_TC_STATIC_KEY;
        return DL_TC_UNEXPLAINED;
    }
    /* Static calls, the jump labels' sibling (tracepoints use both): an
     * inline call site retargeted, or the key's trampoline __SCT__NAME
     * rewritten (ret <-> jmp rel32). */
    if (ks && site_now && dl_ksyms_site(ks->scall, link, len, &s)) {
        if (site)
            *site = s;
        if (site_now[0] == OP_CALL || site_now[0] == OP_JMP32 || site_now[0] == OP_INT3 ||
            nop5(site_now) || site_now[0] == 0xc3)
            return DL_TC_STATIC_KEY;
        return DL_TC_UNEXPLAINED;
    }
    if (ks) {
        uint64_t off = 0;
        const DlKsym *k = dl_ksyms_lookup(ks, link, &off);
        if (k && g_str_has_prefix(k->name, "__SCT__") && off + len <= 8)
            return DL_TC_STATIC_KEY;
    }
    /* ftrace also retargets the calls inside its own trampolines
     * (ftrace_update_ftrace_func: "call ftrace_stub" becomes a call of the
     * ops' function): the rel32 after the label. */
    if (ks) {
        static const char *const tramp[] = {"ftrace_call", "ftrace_regs_call", "ftrace_graph_call"};
        uint64_t off = 0;
        const DlKsym *k = dl_ksyms_lookup(ks, link, &off);
        for (size_t i = 0; k && i < G_N_ELEMENTS(tramp); i++)
            if (!strcmp(k->name, tramp[i]) && off + len <= 5)
                return DL_TC_FTRACE;
    }
    /* A kprobe arms with one int3 over an instruction's first byte. */
    if (len == 1 && now[0] == OP_INT3 && old[0] != OP_INT3)
        return DL_TC_KPROBE;
    return DL_TC_UNEXPLAINED;
}
