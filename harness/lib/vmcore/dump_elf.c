/* ELF cores behind dump.h: ELF64 and ELF32 through libelf's gelf API over
 * a copy of the file's head (headers and notes), pages through pread.
 * Segments with p_filesz < p_memsz (makedumpfile -E) hold filtered-out
 * pages past p_filesz. A kernel-text segment (x86_64: vaddr in the kernel
 * map; ia64: region 5) repeats RAM another segment holds; frames come from
 * the RAM segment, the text one only where no RAM segment has them. */
#include "dump_internal.h"

#include "dumplab/error.h"

#include <elf.h>
#include <gelf.h>
#include <string.h>

/* The highest frame any segment reaches, in the dump's page size. */
static void set_max_pfn(DlDump *d)
{
    guint64 top = 0;
    for (guint i = 0; i < d->loads->len; i++) {
        const DlLoad *l = &g_array_index(d->loads, DlLoad, i);
        top = MAX(top, l->paddr + l->memsz);
    }
    d->max_pfn = top / d->page_size + (top % d->page_size != 0);
}

bool dl_dump_set_page_size(DlDump *d, guint32 ps, GError **err)
{
    if (!d->is_elf) {
        g_set_error(err, DL_ERROR, DL_ERROR_UNSUPPORTED, "a %s file keeps its own page size",
                    dl_dump_format_name(d));
        return false;
    }
    if (ps < 4096 || ps > (1u << 20) || (ps & (ps - 1))) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                    "page size %u is not a power of two "
                    "between 4 KiB and 1 MiB",
                    ps);
        return false;
    }
    d->page_size = ps;
    set_max_pfn(d);
    return true;
}

bool dl_dump_match_page_size(DlDump *a, DlDump *b, GError **err)
{
    guint32 pa = a->page_size, pb = b->page_size;
    if (pa == pb)
        return true;
    guint32 ps = !a->is_elf ? pa : !b->is_elf ? pb : MIN(pa, pb);
    if ((ps != pa && !dl_dump_set_page_size(a, ps, err)) ||
        (ps != pb && !dl_dump_set_page_size(b, ps, err))) {
        g_prefix_error(err, "pages of %u and %u bytes: ", pa, pb);
        return false;
    }
    return true;
}

#define HEAD_MAX ((guint64)64 << 20) /* notes are read from the first 64 MiB */
#define RA_BYTES (1u << 20)

static bool is_text(guint16 machine, bool is64, guint64 vaddr)
{
    /* ELF32 x86_64 cores (kexec-tools --elf32-core-headers) carry the
     * kernel map cut to 32 bits: 0xffffffff81000000 as 0x81000000. */
    if (machine == EM_X86_64)
        return vaddr >= (is64 ? 0xffffffff80000000ULL : 0x80000000ULL);
    if (machine == EM_IA_64)
        return (vaddr >> 61) == 5;
    return false;
}

static int by_paddr(const void *a, const void *b)
{
    const DlLoad *x = a, *y = b;
    if (x->text != y->text)
        return x->text ? 1 : -1;
    return x->paddr < y->paddr ? -1 : x->paddr > y->paddr;
}

static void walk_notes(DlDump *d, Elf *elf, guint seg, guint64 off, guint64 len)
{
    Elf_Data *data = elf_getdata_rawchunk(elf, (int64_t)off, len, ELF_T_NHDR);
    if (!data) {
        g_ptr_array_add(d->problems,
                        g_strdup_printf("offset 0x%" G_GINT64_MODIFIER "x: libelf cannot read "
                                        "the PT_NOTE segment: %s",
                                        off, elf_errmsg(-1)));
        return;
    }
    size_t pos = 0;
    while (pos + 12 <= data->d_size) {
        GElf_Nhdr nh;
        size_t name_off, desc_off;
        const guint8 *h = (const guint8 *)data->d_buf + pos;
        static const guint8 zero[12];
        if (!memcmp(h, zero, 12))
            break; /* the terminating empty note kexec-tools writes */
        size_t next = gelf_getnote(data, pos, &nh, &name_off, &desc_off);
        if (next == 0) {
            guint32 namesz, descsz;
            memcpy(&namesz, h, 4);
            memcpy(&descsz, h + 4, 4);
            g_ptr_array_add(d->problems,
                            g_strdup_printf("offset 0x%" G_GINT64_MODIFIER
                                            "x: note (namesz %u, descsz %u) runs past its "
                                            "PT_NOTE segment (%zu bytes left)",
                                            off + pos, namesz, descsz, data->d_size - pos - 12));
            return;
        }
        char *name = g_strndup((const char *)data->d_buf + name_off, nh.n_namesz);
        /* One spare zero byte: an empty desc still gets a buffer. */
        guint8 *desc = g_malloc0((gsize)nh.n_descsz + 1);
        memcpy(desc, (const guint8 *)data->d_buf + desc_off, nh.n_descsz);
        g_ptr_array_add(d->bufs, name);
        g_ptr_array_add(d->bufs, desc);
        DlNote n = {.name = name,
                    .type = nh.n_type,
                    .desc = desc,
                    .descsz = nh.n_descsz,
                    .offset = off + pos,
                    .segment = seg};
        g_array_append_val(d->notes, n);
        pos = next;
    }
}

bool dl_dump_open_elf(DlDump *d, GError **err)
{
    if (elf_version(EV_CURRENT) == EV_NONE) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "libelf is out of date");
        return false;
    }
    guint64 fsize = d->flat ? d->flat_end : d->size;
    guint8 id[EI_NIDENT] = {0};
    if (fsize < EI_NIDENT || !dl_dump_pread(d, 0, id, EI_NIDENT, err)) {
        if (err && !*err)
            g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "too short for an ELF header");
        return false;
    }
    if (id[EI_DATA] != ELFDATA2LSB) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "an ELF file of byte order %u (%s): dumplab recognises it but reads only "
                    "little-endian cores",
                    id[EI_DATA], id[EI_DATA] == ELFDATA2MSB ? "big-endian" : "invalid");
        return false;
    }
    if (id[EI_CLASS] != ELFCLASS64 && id[EI_CLASS] != ELFCLASS32) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "invalid ELF class %u", id[EI_CLASS]);
        return false;
    }
    bool is64 = id[EI_CLASS] == ELFCLASS64;
    d->fmt_name = g_strdup(is64 ? "ELF64" : "ELF32");
    gsize ehsz = is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
    if (fsize < ehsz) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "%" G_GUINT64_FORMAT " bytes, too short for an ELF header", fsize);
        return false;
    }
    /* The head: the ELF header and program-header table first, then as far
     * as the notes reach. libelf parses it from memory. */
    g_autofree guint8 *eh = g_malloc(ehsz);
    if (!dl_dump_pread(d, 0, eh, ehsz, err))
        return false;
    guint64 phoff, shoff;
    guint32 phnum, phent, shent;
    guint16 type;
    DlEhdr *x = &d->ehdr;
    if (is64) {
        const Elf64_Ehdr *e = (const Elf64_Ehdr *)eh;
        phoff = e->e_phoff, phnum = e->e_phnum, phent = e->e_phentsize, type = e->e_type;
        shoff = e->e_shoff, shent = e->e_shentsize;
        d->machine = e->e_machine;
        x->version = e->e_version, x->ehsize = e->e_ehsize;
    } else {
        const Elf32_Ehdr *e = (const Elf32_Ehdr *)eh;
        phoff = e->e_phoff, phnum = e->e_phnum, phent = e->e_phentsize, type = e->e_type;
        shoff = e->e_shoff, shent = e->e_shentsize;
        d->machine = e->e_machine;
        x->version = e->e_version, x->ehsize = e->e_ehsize;
    }
    x->elfclass = id[EI_CLASS], x->ident_version = id[EI_VERSION];
    x->type = type, x->machine = d->machine, x->phentsize = (guint16)phent, x->phoff = phoff;
    if (type != ET_CORE) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "an ELF file but not a core (e_type %u%s)", type,
                    type == ET_EXEC  ? ", an executable"
                    : type == ET_DYN ? ", a shared object"
                                     : "");
        return false;
    }
    if (phent != (is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr))) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "e_phentsize is %u: the program headers cannot be walked", phent);
        return false;
    }
    guint64 head = ehsz;
    if (phnum == PN_XNUM) {
        /* The real count is in section 0's sh_info. */
        if (!dl_dump_in_file(d, shoff, shent) ||
            shent < (is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr))) {
            g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                        "e_phnum is PN_XNUM but section header 0 is not in the file");
            return false;
        }
        head = MAX(head, shoff + shent);
        guint8 sh[sizeof(Elf64_Shdr)];
        if (!dl_dump_pread(d, shoff, sh, is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr), err))
            return false;
        phnum = is64 ? ((Elf64_Shdr *)sh)->sh_info : ((Elf32_Shdr *)sh)->sh_info;
    }
    if (!dl_dump_in_file(d, phoff, (guint64)phnum * phent)) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "the program-header table (%u entries at offset 0x%" G_GINT64_MODIFIER
                    "x) runs past the end of the file (%" G_GUINT64_FORMAT " bytes)",
                    phnum, phoff, fsize);
        return false;
    }
    head = MAX(head, phoff + (guint64)phnum * phent);
    x->phnum = phnum;
    if (head > HEAD_MAX) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "the ELF headers reach past %" G_GUINT64_FORMAT " MiB (%u program headers)",
                    HEAD_MAX >> 20, phnum);
        return false;
    }
    /* Where the notes end, within the file and the head limit. */
    guint64 want = head;
    for (guint32 i = 0; i < phnum; i++) {
        guint64 o = phoff + (guint64)i * phent, poff, psz;
        guint32 pt;
        guint8 ph[sizeof(Elf64_Phdr)];
        if (!dl_dump_pread(d, o, ph, phent, err))
            return false;
        if (is64) {
            const Elf64_Phdr *p = (const Elf64_Phdr *)ph;
            pt = p->p_type, poff = p->p_offset, psz = p->p_filesz;
        } else {
            const Elf32_Phdr *p = (const Elf32_Phdr *)ph;
            pt = p->p_type, poff = p->p_offset, psz = p->p_filesz;
        }
        if (pt == PT_NOTE && poff < fsize && poff < HEAD_MAX)
            want = MAX(want, MIN(MIN(fsize, HEAD_MAX), poff + MIN(psz, fsize - poff)));
    }
    d->phdrs = g_array_sized_new(FALSE, TRUE, sizeof(DlPhdr), phnum);
    g_autofree guint8 *buf = g_malloc(want);
    if (!dl_dump_pread(d, 0, buf, want, err))
        return false;
    Elf *elf = elf_memory((char *)buf, want);
    GElf_Ehdr ge;
    if (!elf || !gelf_getehdr(elf, &ge)) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "libelf cannot read the ELF header: %s",
                    elf_errmsg(-1));
        if (elf)
            elf_end(elf);
        return false;
    }
    for (guint32 i = 0; i < phnum; i++) {
        GElf_Phdr p;
        if (!gelf_getphdr(elf, (int)i, &p)) {
            g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "libelf cannot read program header %u: %s",
                        i, elf_errmsg(-1));
            elf_end(elf);
            return false;
        }
        DlPhdr ph = {.type = p.p_type,
                     .flags = p.p_flags,
                     .offset = p.p_offset,
                     .vaddr = p.p_vaddr,
                     .paddr = p.p_paddr,
                     .filesz = p.p_filesz,
                     .memsz = p.p_memsz,
                     .align = p.p_align,
                     .phdr_offset = phoff + (guint64)i * phent};
        g_array_append_val(d->phdrs, ph);
        if (p.p_type == PT_NOTE) {
            if (p.p_offset >= want) {
                g_ptr_array_add(d->problems,
                                g_strdup_printf("offset 0x%" G_GINT64_MODIFIER
                                                "x: PT_NOTE segment %u lies outside the file",
                                                (guint64)p.p_offset, i));
                continue;
            }
            guint64 len = MIN(p.p_filesz, want - p.p_offset);
            if (len < p.p_filesz)
                g_ptr_array_add(d->problems,
                                g_strdup_printf("offset 0x%" G_GINT64_MODIFIER
                                                "x: PT_NOTE segment %u runs past the end of "
                                                "the file",
                                                (guint64)p.p_offset, i));
            walk_notes(d, elf, i, p.p_offset, len);
        } else if (p.p_type == PT_LOAD) {
            DlLoad l = {.paddr = p.p_paddr,
                        .vaddr = p.p_vaddr,
                        .offset = p.p_offset,
                        .filesz = p.p_filesz,
                        .memsz = MAX(p.p_memsz, p.p_filesz),
                        .text = is_text(d->machine, is64, p.p_vaddr)};
            /* A segment that wraps cannot be memory: keep what does not wrap. */
            if (l.paddr + l.memsz < l.paddr)
                l.memsz = l.filesz = G_MAXUINT64 - l.paddr;
            l.filesz = MIN(l.filesz, l.memsz);
            l.avail = dl_dump_have(d, l.offset, l.filesz);
            g_array_append_val(d->loads, l);
        }
    }
    elf_end(elf);
    d->is_elf = true;
    g_array_sort(d->loads, by_paddr);
    d->nram = 0;
    while (d->nram < d->loads->len && !g_array_index(d->loads, DlLoad, d->nram).text)
        d->nram++;
    dl_dump_finish_notes(d);
    set_max_pfn(d);
    for (guint i = 0; i < d->loads->len; i++)
        if (g_array_index(d->loads, DlLoad, i).filesz < g_array_index(d->loads, DlLoad, i).memsz) {
            g_free(d->fmt_name);
            d->fmt_name = g_strdup(is64 ? "ELF64 (filtered)" : "ELF32 (filtered)");
            break;
        }
    return true;
}

/* The segment holding paddr a: RAM ones by binary search, then text ones. */
static const DlLoad *find_load(const DlDump *d, guint64 a)
{
    guint lo = 0, hi = d->nram;
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        if (g_array_index(d->loads, DlLoad, mid).paddr <= a)
            lo = mid + 1;
        else
            hi = mid;
    }
    /* Segments may overlap in a damaged file; look back a little. */
    for (guint i = lo, k = 0; i > 0 && k < 4; i--, k++) {
        const DlLoad *l = &g_array_index(d->loads, DlLoad, i - 1);
        if (a >= l->paddr && a - l->paddr < l->memsz)
            return l;
    }
    for (guint i = d->nram; i < d->loads->len; i++) {
        const DlLoad *l = &g_array_index(d->loads, DlLoad, i);
        if (a >= l->paddr && a - l->paddr < l->memsz)
            return l;
    }
    return NULL;
}

bool dl_dump_elf_page(DlDump *d, guint64 pfn, guint8 *buf, DlPageState *st, GError **err)
{
    guint64 ps = d->page_size, a = pfn * ps;
    const DlLoad *l = find_load(d, a);
    *st = DL_PAGE_ABSENT;
    if (!l)
        return true;
    guint64 rel = a - l->paddr;
    /* Bytes a truncated file lacks are not in the dump (the checker's
     * segment rules report the truncation once, not per frame). */
    if (rel < l->avail && l->avail - rel >= ps) {
        *st = DL_PAGE_PRESENT;
        if (!buf)
            return true;
        /* Frames are walked in order: read 1 MiB of the segment at a time
         * rather than one pread per page. */
        guint64 off = l->offset + rel;
        if (!(off >= d->ra_off && off - d->ra_off + ps <= d->ra_len)) {
            guint64 len = MIN((guint64)RA_BYTES, l->avail - rel);
            /* Never more than the file: a small file gets a small buffer. */
            if (!d->ra)
                d->ra = g_malloc(MIN((guint64)RA_BYTES, d->flat ? d->flat_end : d->size));
            d->ra_len = 0;
            if (len < ps || !dl_dump_pread(d, off, d->ra, len, err)) {
                if (err && !*err)
                    g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "short segment");
                g_prefix_error(err, "frame 0x%" G_GINT64_MODIFIER "x: ", pfn);
                return false;
            }
            d->ra_off = off;
            d->ra_len = len;
        }
        memcpy(buf, d->ra + (off - d->ra_off), ps);
        return true;
    }
    /* A page only partly in the segment is not a whole page of the dump. */
    if (rel >= l->filesz && l->memsz - rel >= ps)
        *st = DL_PAGE_EXCLUDED;
    return true;
}

guint64 dl_dump_elf_excluded_end(const DlDump *d, guint64 pfn)
{
    guint64 ps = d->page_size;
    const DlLoad *l = find_load(d, pfn * ps);
    if (!l)
        return pfn + 1;
    guint64 end = (l->paddr + l->memsz) / ps;
    return MAX(pfn + 1, MIN(end, d->max_pfn));
}

/* The next frame >= pfn in some segment's present or excluded part. */
guint64 dl_dump_elf_next(const DlDump *d, guint64 pfn)
{
    guint64 ps = d->page_size, a = pfn * ps;
    const DlLoad *l = find_load(d, a);
    if (l) {
        guint64 rel = a - l->paddr;
        if (rel < l->avail || rel >= l->filesz)
            return pfn;
        /* In the part a truncated file lacks: go on after it. */
        a = l->paddr + l->filesz;
        pfn = a / ps;
        l = find_load(d, a);
        if (l)
            return pfn;
    }
    guint64 best = G_MAXUINT64;
    for (guint i = 0; i < d->loads->len; i++) {
        const DlLoad *x = &g_array_index(d->loads, DlLoad, i);
        if (x->paddr > a && x->memsz)
            best = MIN(best, x->paddr / ps);
    }
    return best == G_MAXUINT64 || best >= d->max_pfn ? G_MAXUINT64 : MAX(best, pfn + 1);
}

bool dl_dump_text_agrees(DlDump *d, guint64 *compared, guint64 *differ, guint64 *first_pfn,
                         GError **err)
{
    *compared = *differ = 0;
    guint64 ps = d->page_size;
    g_autofree guint8 *a = g_malloc(ps), *b = g_malloc(ps);
    for (guint i = d->nram; i < d->loads->len; i++) {
        const DlLoad *t = &g_array_index(d->loads, DlLoad, i);
        /* Bounded by the bytes the file really has, whatever p_filesz says,
         * and stepped by offsets into the segment so nothing wraps. */
        guint64 have = dl_dump_have(d, t->offset, t->filesz);
        if (!have || t->paddr > G_MAXUINT64 - t->filesz)
            continue;
        guint64 lead = (ps - t->paddr % ps) % ps;
        for (guint64 rel = lead; rel < have && have - rel >= ps; rel += ps) {
            guint64 pa = t->paddr + rel, pfn = pa / ps;
            DlPageState st;
            /* The RAM copy, through the frame lookup (which prefers RAM). */
            const DlLoad *l = find_load(d, pa);
            if (!l || l == t)
                continue;
            if (!dl_dump_elf_page(d, pfn, a, &st, err))
                return false;
            if (st != DL_PAGE_PRESENT || rel + ps > t->filesz ||
                !dl_dump_in_file(d, t->offset + rel, ps))
                continue;
            if (!dl_dump_pread(d, t->offset + rel, b, ps, err))
                return false;
            (*compared)++;
            if (memcmp(a, b, ps) && !(*differ)++)
                *first_pfn = pfn;
        }
    }
    return true;
}
