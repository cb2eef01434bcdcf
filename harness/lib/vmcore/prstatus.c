/* NT_PRSTATUS layouts (prstatus.h). x86_64: crash_save_cpu's elf_prstatus,
 * 336 bytes, pr_reg at 112 with rip in word 16 and rsp in 19. ia64:
 * crash_save_this_cpu's, 1144 bytes, pr_reg of 128 words at 112 filled by
 * ia64_dump_cpu_regs: ip (b0) 42, cfm 43, psr 44, bsp 46, sp in r12.
 * i386: the ILP32 elf_prstatus, 144 bytes, pr_reg of 17 4-byte words at 72
 * (ebx ecx edx esi edi ebp eax ds es fs gs orig_eax eip cs eflags esp ss).
 * QEMU writes it for an x86 guest that is not in long mode when dumped
 * (firmware, a boot loader, a 32-bit kernel). */
#include "dumplab/prstatus.h"

#include <elf.h>
#include <string.h>

static const DlPrstatusLayout layouts[] = {
    {EM_X86_64, "x86_64", 336, 32, 112, 27, 8, 16, 19, "rip", "rsp", 4096},
    {EM_IA_64, "ia64", 1144, 32, 112, 128, 8, 42, 12, "ip", "r12", 16384},
    {EM_386, "i386", 144, 24, 72, 17, 4, 12, 15, "eip", "esp", 4096},
};

const DlPrstatusLayout *dl_prstatus_layout(guint16 machine)
{
    for (guint i = 0; i < G_N_ELEMENTS(layouts); i++)
        if (layouts[i].machine == machine)
            return &layouts[i];
    return NULL;
}

static guint64 word(const guint8 *desc, const DlPrstatusLayout *l, guint32 i)
{
    const guint8 *p = desc + l->reg_off + (gsize)i * l->word;
    if (l->word == 4) {
        guint32 v;
        memcpy(&v, p, 4);
        return GUINT32_FROM_LE(v);
    }
    guint64 v;
    memcpy(&v, p, 8);
    return GUINT64_FROM_LE(v);
}

bool dl_prstatus_decode(guint16 machine, const guint8 *desc, guint32 descsz, DlCpuRegs *r)
{
    const DlPrstatusLayout *l = dl_prstatus_layout(machine);
    r->machine = machine;
    if (!l)
        return false;
    if (descsz >= l->pid_off + 4) {
        gint32 pid;
        memcpy(&pid, desc + l->pid_off, 4);
        r->pid = GINT32_FROM_LE(pid);
    }
    if (descsz < l->reg_off + l->nreg * l->word)
        return false;
    r->ip = word(desc, l, l->ip);
    r->sp = word(desc, l, l->sp);
    if (machine == EM_X86_64) {
        r->rip = r->ip;
        r->rsp = r->sp;
        r->rbp = word(desc, l, 4);
        r->cs = word(desc, l, 17);
        r->rflags = word(desc, l, 18);
    } else if (machine == EM_IA_64) {
        r->cfm = word(desc, l, 43);
        r->psr = word(desc, l, 44);
        r->bsp = word(desc, l, 46);
    } else if (machine == EM_386) {
        r->rbp = word(desc, l, 5);
        r->cs = word(desc, l, 13);
        r->rflags = word(desc, l, 14);
    }
    r->regs_valid = true;
    return true;
}
