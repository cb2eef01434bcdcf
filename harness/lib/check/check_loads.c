/* PT_LOAD segments: inside the file, no overlaps, offsets that agree with
 * addresses where the layout promises it, and the kernel-text segment
 * consistent with KASLR. */
#include "check_internal.h"

#include <elf.h>
#include <errno.h>
#include <stdlib.h>

typedef struct {
    guint64 start, end; /* [start, end) */
    guint idx;
} Span;

static int by_start(const void *a, const void *b)
{
    const Span *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

static void overlaps(DlCheckCtx *c, GArray *spans, const char *rule, const char *what)
{
    g_array_sort(spans, by_start);
    for (guint i = 1; i < spans->len; i++) {
        const Span *a = &g_array_index(spans, Span, i - 1), *b = &g_array_index(spans, Span, i);
        if (b->start < a->end)
            dl_check_add(
                c->r, DL_SEV_DEFECT, (gint64)dl_dump_phdr(c->dump, b->idx)->phdr_offset, rule,
                "PT_LOAD %u and %u overlap in %s: [0x%" G_GINT64_MODIFIER "x, 0x%" G_GINT64_MODIFIER
                "x) and [0x%" G_GINT64_MODIFIER "x, 0x%" G_GINT64_MODIFIER "x)",
                a->idx, b->idx, what, a->start, a->end, b->start, b->end);
    }
}

void dl_check_loads(DlCheckCtx *c)
{
    if (!c->elf)
        return;
    DlCheckResult *r = c->r;
    guint64 size = dl_dump_size(c->dump);
    g_autoptr(GArray) phys = g_array_new(FALSE, FALSE, sizeof(Span));
    g_autoptr(GArray) file = g_array_new(FALSE, FALSE, sizeof(Span));
    bool truncated = false, filtered = false;
    /* makedumpfile -E writes segments with p_filesz < p_memsz (the pages
     * its filter left out) and packs their data right after the notes: its
     * offsets are not /proc/vmcore's. */
    for (guint i = 0; i < dl_dump_phnum(c->dump); i++) {
        const DlPhdr *p = dl_dump_phdr(c->dump, i);
        filtered |= p->type == PT_LOAD && p->filesz < p->memsz;
    }
    for (guint i = 0; i < dl_dump_phnum(c->dump); i++) {
        const DlPhdr *p = dl_dump_phdr(c->dump, i);
        if (p->type != PT_LOAD)
            continue;
        gint64 at = (gint64)p->phdr_offset;
        if (p->filesz > p->memsz)
            dl_check_add(r, DL_SEV_DEFECT, at, "load.filesz",
                         "PT_LOAD %u: p_filesz 0x%" G_GINT64_MODIFIER
                         "x exceeds p_memsz 0x%" G_GINT64_MODIFIER "x",
                         i, p->filesz, p->memsz);
        /* x86_64 addresses at most 2^52 bytes of physical memory; a size
         * beyond that, or one that wraps, is not a memory range. */
        bool wraps = p->offset + p->filesz < p->offset || p->paddr + p->memsz < p->paddr;
        if (wraps || p->filesz > MAX_PHYS || p->memsz > MAX_PHYS || p->paddr > MAX_PHYS) {
            dl_check_add(r, DL_SEV_DEFECT, at, "load.absurd",
                         "PT_LOAD %u: paddr 0x%" G_GINT64_MODIFIER
                         "x, p_filesz 0x%" G_GINT64_MODIFIER "x, p_memsz 0x%" G_GINT64_MODIFIER
                         "x cannot describe physical memory",
                         i, p->paddr, p->filesz, p->memsz);
            continue;
        }
        if (p->offset + p->filesz > size) {
            if (p->offset < size && !truncated)
                dl_check_add(r, DL_SEV_DEFECT, at, "file.truncated",
                             "the file is truncated: PT_LOAD %u (paddr 0x%" G_GINT64_MODIFIER
                             "x) needs bytes up to 0x%" G_GINT64_MODIFIER
                             "x, the file has 0x%" G_GINT64_MODIFIER "x",
                             i, p->paddr, p->offset + p->filesz, size);
            else
                dl_check_add(r, DL_SEV_DEFECT, at,
                             p->offset >= size && truncated ? "file.truncated"
                                                            : "load.outside-file",
                             "PT_LOAD %u (paddr 0x%" G_GINT64_MODIFIER "x, %" G_GUINT64_FORMAT
                             " bytes at offset 0x%" G_GINT64_MODIFIER
                             "x) lies outside the file (0x%" G_GINT64_MODIFIER "x bytes)",
                             i, p->paddr, p->filesz, p->offset, size);
            truncated |= p->offset < size;
        } else if (dl_dump_have(c->dump, p->offset, p->filesz) < p->filesz) {
            guint64 h = dl_dump_have(c->dump, p->offset, p->filesz);
            dl_check_add(r, DL_SEV_DEFECT, at, "load.hole",
                         "PT_LOAD %u (paddr 0x%" G_GINT64_MODIFIER "x): its data from offset 0x%"
                         G_GINT64_MODIFIER "x on lies in no record of the flattened stream (%"
                         G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " bytes there)",
                         i, p->paddr, p->offset + h, h, p->filesz);
        }
        if (r->layout != DL_LAYOUT_QEMU && !filtered &&
            (p->offset % CORE_PAGE) != (p->paddr % CORE_PAGE))
            dl_check_add(r, DL_SEV_DEFECT, at, "load.misaligned",
                         "PT_LOAD %u: p_offset 0x%" G_GINT64_MODIFIER
                         "x and p_paddr 0x%" G_GINT64_MODIFIER
                         "x differ modulo the page size; /proc/vmcore keeps them congruent",
                         i, p->offset, p->paddr);
        if (p->filesz) {
            Span f = {p->offset, p->offset + p->filesz, i};
            g_array_append_val(file, f);
        }
        if (!dl_check_is_text(c, p) && p->memsz) {
            Span s = {p->paddr, p->paddr + p->memsz, i};
            g_array_append_val(phys, s);
            r->ram_bytes += MAX(p->filesz, p->memsz); /* -E: excluded pages count as RAM */
        }
    }
    overlaps(c, phys, "load.overlap", "physical memory");
    overlaps(c, file, "load.file-overlap", "the file");
}

static bool vmci_hex(const DlCheckCtx *c, const char *key, guint64 *out)
{
    const char *s = dl_ctx_vmci(c, key);
    if (!s || !*s)
        return false;
    char *end = NULL;
    errno = 0;
    *out = g_ascii_strtoull(s, &end, 16);
    return !errno && !*end;
}

void dl_check_text(DlCheckCtx *c)
{
    if (!c->elf)
        return;
    DlCheckResult *r = c->r;
    const DlPhdr *t = NULL;
    for (guint i = 0; i < dl_dump_phnum(c->dump); i++)
        if (dl_check_is_text(c, dl_dump_phdr(c->dump, i))) {
            c->text = (int)i;
            t = dl_dump_phdr(c->dump, i);
            break;
        }
    if (r->layout == DL_LAYOUT_QEMU)
        return; /* QEMU dumps map physical memory only */
    if (!t) {
        if (r->layout != DL_LAYOUT_UNKNOWN)
            dl_check_add(r, DL_SEV_WARNING, -1, "text.missing", "no kernel-text PT_LOAD (%s)",
                         dl_ctx_machine(c) == EM_IA_64 ? "vaddr in region 5"
                                                       : "vaddr in 0xffffffff80000000..");
        return;
    }
    gint64 at = (gint64)t->phdr_offset;
    guint64 koff, stext;
    bool x86 = dl_ctx_machine(c) == EM_X86_64;
    /* An ELF32 core holds the low 32 bits of each kernel address. */
    guint64 mask = c->elf && c->elf->elfclass == ELFCLASS32 ? 0xffffffffULL : G_MAXUINT64;
    if (x86 && vmci_hex(c, "KERNELOFFSET", &koff)) {
        guint64 text = (X86_KERNEL_MAP + X86_PHYSICAL_START + koff) & mask;
        /* kexec-tools rounds the segment down to 1 MiB. */
        if (t->vaddr != text && t->vaddr != (text & ~(LOW_1M - 1)))
            dl_check_add(r, DL_SEV_DEFECT, at, "text.kaslr",
                         "the text PT_LOAD starts at 0x%" G_GINT64_MODIFIER
                         "x, but KERNELOFFSET 0x%" G_GINT64_MODIFIER
                         "x puts _text at 0x%" G_GINT64_MODIFIER "x",
                         t->vaddr, koff, text);
    }
    if (vmci_hex(c, "SYMBOL(_stext)", &stext) && ((stext &= mask), true) &&
        (stext < t->vaddr || stext - t->vaddr >= t->memsz))
        dl_check_add(r, DL_SEV_DEFECT, at, "text.stext",
                     "SYMBOL(_stext) 0x%" G_GINT64_MODIFIER
                     "x lies outside the text PT_LOAD [0x%" G_GINT64_MODIFIER
                     "x, +0x%" G_GINT64_MODIFIER "x)",
                     stext, t->vaddr, t->memsz);
    const char *pb = dl_ctx_vmci(c, "NUMBER(phys_base)");
    if (pb && x86) {
        char *end = NULL;
        guint64 phys_base = g_ascii_strtoull(pb, &end, 0);
        if (!*end && t->paddr != ((t->vaddr - X86_KERNEL_MAP + phys_base) & mask))
            dl_check_add(r, DL_SEV_DEFECT, at, "text.phys-base",
                         "the text PT_LOAD's paddr 0x%" G_GINT64_MODIFIER
                         "x disagrees with NUMBER(phys_base) 0x%" G_GINT64_MODIFIER
                         "x (expected 0x%" G_GINT64_MODIFIER "x)",
                         t->paddr, phys_base, t->vaddr - X86_KERNEL_MAP + phys_base);
    }
    /* Every direct-map segment is PAGE_OFFSET away from its physical
     * address; one that is not was mapped wrong. */
    bool have = false;
    guint64 po = 0;
    for (guint i = 0; i < dl_dump_phnum(c->dump); i++) {
        const DlPhdr *p = dl_dump_phdr(c->dump, i);
        if (p->type != PT_LOAD || dl_check_is_text(c, p) || !p->vaddr)
            continue;
        if (!have) {
            po = p->vaddr - p->paddr;
            have = true;
        } else if (p->vaddr - p->paddr != po) {
            dl_check_add(r, DL_SEV_DEFECT, (gint64)p->phdr_offset, "load.page-offset",
                         "PT_LOAD %u maps paddr 0x%" G_GINT64_MODIFIER "x at 0x%" G_GINT64_MODIFIER
                         "x, not at PAGE_OFFSET 0x%" G_GINT64_MODIFIER "x like the others",
                         i, p->paddr, p->vaddr, po);
        }
    }
}
