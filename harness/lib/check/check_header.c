/* ELF header and program-header table sanity (the rules /proc/vmcore and
 * crash apply), and which layout produced the file. */
#include "check_internal.h"

#include <elf.h>
#include <string.h>

bool dl_check_is_text(const DlPhdr *p)
{
    return p->type == PT_LOAD && p->vaddr >= X86_KERNEL_MAP;
}

void dl_check_header(DlCheckCtx *c)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)dl_core_data(c->core);
    DlCheckResult *r = c->r;
    if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
        dl_check_add(r, DL_SEV_DEFECT, 0, "ehdr.version",
                     "ELF version %u/%u, expected %u: /proc/vmcore and crash refuse it",
                     eh->e_ident[EI_VERSION], eh->e_version, EV_CURRENT);
    /* QEMU's dump code (7.2 at least) stores the size of a pointer here;
     * readers do not use the field, so in its dumps it is only worth a
     * warning. /proc/vmcore refuses such a header outright. */
    if (eh->e_ehsize != sizeof(Elf64_Ehdr))
        dl_check_add(r, r->layout == DL_LAYOUT_QEMU ? DL_SEV_WARNING : DL_SEV_DEFECT, 0,
                     "ehdr.ehsize", "e_ehsize is %u, expected %zu%s", eh->e_ehsize,
                     sizeof(Elf64_Ehdr),
                     r->layout == DL_LAYOUT_QEMU && eh->e_ehsize == 8
                         ? " (QEMU writes the size of a pointer here)"
                         : "");
    if (dl_core_phnum(c->core) == 0)
        dl_check_add(r, DL_SEV_DEFECT, 0, "ehdr.phnum", "no program headers: nothing is dumped");
    else if (dl_core_phnum(c->core) < 2)
        dl_check_add(r, DL_SEV_DEFECT, 0, "ehdr.phnum",
                     "only %u program header: a vmcore needs notes and memory",
                     dl_core_phnum(c->core));
    const DlPhdr *p0 = dl_core_phdr(c->core, 0);
    if (p0 && p0->type != PT_NOTE)
        dl_check_add(r, DL_SEV_WARNING, (gint64)p0->phdr_offset, "phdr.first-not-note",
                     "program header 0 is not PT_NOTE (type %u); crash assumes it is", p0->type);
    guint nnote = 0, nload = 0;
    for (guint i = 0; i < dl_core_phnum(c->core); i++) {
        const DlPhdr *p = dl_core_phdr(c->core, i);
        nnote += p->type == PT_NOTE;
        nload += p->type == PT_LOAD;
    }
    if (nnote == 0)
        dl_check_add(r, DL_SEV_DEFECT, 0, "phdr.no-note",
                     "no PT_NOTE: no registers, no VMCOREINFO");
    if (nload == 0)
        dl_check_add(r, DL_SEV_DEFECT, 0, "phdr.no-load", "no PT_LOAD: no memory in the dump");
}

/* QEMU's dump-guest-memory carries "QEMU" notes; kdump's does not. Of the
 * two kdump headers, kexec-tools' (kexec_load) dumps memory below 1 MiB
 * (through its 640 KiB backup region), the kernel's (kexec_file_load)
 * leaves the first 1 MiB out. */
void dl_check_layout(DlCheckCtx *c)
{
    DlCheckResult *r = c->r;
    for (guint i = 0; i < dl_core_nnotes(c->core); i++)
        if (!strcmp(dl_core_note(c->core, i)->name, "QEMU")) {
            r->layout = DL_LAYOUT_QEMU;
            break;
        }
    guint16 m = dl_core_machine(c->core);
    if (r->layout == DL_LAYOUT_QEMU) {
        if (m != EM_X86_64)
            dl_check_add(r, DL_SEV_NOTE, 0, "ehdr.machine",
                         "QEMU dump with e_machine %u: register checks assume x86_64 guests", m);
        return;
    }
    if (m != EM_X86_64)
        dl_check_add(r, DL_SEV_DEFECT, 0, "ehdr.machine",
                     "e_machine is %u, expected EM_X86_64 (62) for a kdump vmcore", m);
    bool low = false, any = false;
    for (guint i = 0; i < dl_core_phnum(c->core); i++) {
        const DlPhdr *p = dl_core_phdr(c->core, i);
        if (p->type != PT_LOAD || dl_check_is_text(p))
            continue;
        any = true;
        low |= p->paddr < LOW_1M;
    }
    if (any)
        r->layout = low ? DL_LAYOUT_KEXEC_LOAD : DL_LAYOUT_KEXEC_FILE_LOAD;
}
