/* ELF header and program-header table sanity (the rules /proc/vmcore and
 * crash apply), and which layout produced the file. */
#include "check_internal.h"

#include "dumplab/prstatus.h"

#include <elf.h>
#include <string.h>

bool dl_check_is_text(const DlCheckCtx *c, const DlPhdr *p)
{
    if (p->type != PT_LOAD)
        return false;
    if (dl_ctx_machine(c) == EM_IA_64)
        return (p->vaddr >> 61) == 5; /* region 5: the kernel's text mapping */
    /* ELF32 (kexec-tools --elf32-core-headers) cuts the kernel map to 32 bits. */
    if (c->elf && c->elf->elfclass == ELFCLASS32)
        return p->vaddr >= (X86_KERNEL_MAP & 0xffffffffULL);
    return p->vaddr >= X86_KERNEL_MAP;
}

guint dl_ctx_nnotes(const DlCheckCtx *c)
{
    return dl_dump_nnotes(c->dump);
}
const DlNote *dl_ctx_note(const DlCheckCtx *c, guint i)
{
    return dl_dump_note(c->dump, i);
}
GPtrArray *dl_ctx_note_problems(const DlCheckCtx *c)
{
    return dl_dump_note_problems(c->dump);
}
const char *dl_ctx_vmcoreinfo(const DlCheckCtx *c)
{
    return dl_dump_vmcoreinfo(c->dump);
}
const char *dl_ctx_vmci(const DlCheckCtx *c, const char *key)
{
    return dl_dump_vmcoreinfo_get(c->dump, key);
}
guint16 dl_ctx_machine(const DlCheckCtx *c)
{
    return dl_dump_machine(c->dump);
}

void dl_check_header(DlCheckCtx *c)
{
    const DlEhdr *eh = c->elf;
    if (!eh)
        return;
    DlCheckResult *r = c->r;
    guint nph = dl_dump_phnum(c->dump);
    if (eh->ident_version != EV_CURRENT || eh->version != EV_CURRENT)
        dl_check_add(r, DL_SEV_DEFECT, 0, "ehdr.version",
                     "ELF version %u/%u, expected %u: /proc/vmcore and crash refuse it",
                     eh->ident_version, eh->version, EV_CURRENT);
    /* QEMU's dump code (7.2 at least) stores the size of a pointer here;
     * readers do not use the field, so in its dumps it is only worth a
     * warning. /proc/vmcore refuses such a header outright. */
    gsize want = eh->elfclass == ELFCLASS64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
    if (eh->ehsize != want)
        dl_check_add(r, r->layout == DL_LAYOUT_QEMU ? DL_SEV_WARNING : DL_SEV_DEFECT, 0,
                     "ehdr.ehsize", "e_ehsize is %u, expected %zu%s", eh->ehsize, want,
                     r->layout == DL_LAYOUT_QEMU && eh->ehsize == 8
                         ? " (QEMU writes the size of a pointer here)"
                         : "");
    if (nph == 0)
        dl_check_add(r, DL_SEV_DEFECT, 0, "ehdr.phnum", "no program headers: nothing is dumped");
    else if (nph < 2)
        dl_check_add(r, DL_SEV_DEFECT, 0, "ehdr.phnum",
                     "only %u program header: a vmcore needs notes and memory",
                     nph);
    const DlPhdr *p0 = dl_dump_phdr(c->dump, 0);
    if (p0 && p0->type != PT_NOTE)
        dl_check_add(r, DL_SEV_WARNING, (gint64)p0->phdr_offset, "phdr.first-not-note",
                     "program header 0 is not PT_NOTE (type %u); crash assumes it is", p0->type);
    guint nnote = 0, nload = 0;
    for (guint i = 0; i < nph; i++) {
        const DlPhdr *p = dl_dump_phdr(c->dump, i);
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
    for (guint i = 0; i < dl_ctx_nnotes(c); i++)
        if (!strcmp(dl_ctx_note(c, i)->name, "QEMU")) {
            r->layout = DL_LAYOUT_QEMU;
            break;
        }
    guint16 m = dl_ctx_machine(c);
    bool known = dl_prstatus_layout(m) != NULL;
    /* Named, never misread: a kdump vmcore of a machine dumplab has no
     * register layout for is a defect of this check (its registers are not
     * read); in a QEMU dump only a warning. */
    if (!known)
        dl_check_add(r, r->layout == DL_LAYOUT_QEMU ? DL_SEV_WARNING : DL_SEV_DEFECT,
                     c->elf ? 0 : -1, "ehdr.machine",
                     "machine %s (e_machine %u): dumplab knows the register layouts of x86_64, "
                     "ia64 and i386 only, so this dump's registers are not read",
                     dl_machine_name(m), m);
    if (r->layout == DL_LAYOUT_QEMU)
        return;
    bool low = false, any = false;
    if (c->elf) {
        for (guint i = 0; i < dl_dump_phnum(c->dump); i++) {
            const DlPhdr *p = dl_dump_phdr(c->dump, i);
            if (p->type != PT_LOAD || dl_check_is_text(c, p))
                continue;
            any = true;
            low |= p->paddr < LOW_1M;
        }
    } else {
        /* No program headers: frames below 1 MiB tell kexec-tools'
         * header (which dumps them) from the kernel's (which does not). */
        guint64 first = dl_dump_next_pfn(c->dump, 0);
        any = first != G_MAXUINT64;
        low = any && first * dl_dump_page_size(c->dump) < LOW_1M;
    }
    if (any)
        r->layout = low ? DL_LAYOUT_KEXEC_LOAD : DL_LAYOUT_KEXEC_FILE_LOAD;
}
