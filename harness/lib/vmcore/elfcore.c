/* The ELF core reader (elfcore.h). libelf parses the headers; every offset
 * and size taken from the file is checked against the mapping before use,
 * so a hostile file cannot make us read outside it. */
#include "dumplab/elfcore.h"
#include "dumplab/error.h"
#include "dumplab/prstatus.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>


struct DlCore {
    int fd;
    const guint8 *data;
    guint64 size;
    Elf *elf;
    guint16 machine, type;
    GArray *phdrs;       /* DlPhdr */
    GArray *notes;       /* DlNote */
    GPtrArray *names;    /* note name copies */
    GPtrArray *problems; /* char * */
    GArray *cpus;        /* DlCpuRegs */
    char *vmcoreinfo;    /* copy, NUL-terminated */
    GHashTable *vmci;    /* key -> value */
};

static bool in_file(const DlCore *c, guint64 off, guint64 len)
{
    return off <= c->size && len <= c->size - off;
}

static void walk_notes(DlCore *c, guint seg, const DlPhdr *p)
{
    guint64 start = p->offset, len = p->filesz;
    if (!in_file(c, start, len)) {
        g_ptr_array_add(c->problems,
                        g_strdup_printf("offset 0x%" G_GINT64_MODIFIER
                                        "x: PT_NOTE segment %u runs past the end of the file",
                                        start, seg));
        if (start >= c->size)
            return;
        len = c->size - start;
    }
    guint64 off = 0;
    while (off + 12 <= len) {
        const guint8 *h = c->data + start + off;
        guint32 namesz, descsz, type;
        memcpy(&namesz, h, 4);
        memcpy(&descsz, h + 4, 4);
        memcpy(&type, h + 8, 4);
        if (namesz == 0 && descsz == 0 && type == 0)
            break; /* the terminating empty note kexec-tools writes */
        guint64 name_pad = ((guint64)namesz + 3) & ~3ULL;
        guint64 desc_pad = ((guint64)descsz + 3) & ~3ULL;
        if (12 + name_pad + desc_pad > len - off) {
            g_ptr_array_add(
                c->problems,
                g_strdup_printf("offset 0x%" G_GINT64_MODIFIER "x: note (namesz %u, descsz %u) "
                                "runs past its PT_NOTE segment (%" G_GUINT64_FORMAT " bytes left)",
                                start + off, namesz, descsz, len - off - 12));
            return;
        }
        char *name = g_strndup((const char *)h + 12, namesz);
        g_ptr_array_add(c->names, name);
        DlNote n = {
            .name = name,
            .type = type,
            .desc = h + 12 + name_pad,
            .descsz = descsz,
            .offset = start + off,
            .segment = seg,
        };
        g_array_append_val(c->notes, n);
        off += 12 + name_pad + desc_pad;
    }
}

static void parse_vmcoreinfo(DlCore *c)
{
    for (guint i = 0; i < c->notes->len; i++) {
        const DlNote *n = &g_array_index(c->notes, DlNote, i);
        if (strcmp(n->name, "VMCOREINFO") != 0)
            continue;
        /* Length-delimited, not NUL-terminated: copy exactly descsz bytes. */
        c->vmcoreinfo = g_strndup((const char *)n->desc, n->descsz);
        g_auto(GStrv) lines = g_strsplit(c->vmcoreinfo, "\n", -1);
        for (int k = 0; lines[k]; k++) {
            char *eq = strchr(lines[k], '=');
            if (!eq || eq == lines[k])
                continue;
            *eq = 0;
            if (!g_hash_table_contains(c->vmci, lines[k]))
                g_hash_table_insert(c->vmci, g_strdup(lines[k]), g_strdup(eq + 1));
        }
        return;
    }
}

static void parse_cpus(DlCore *c)
{
    guint idx = 0;
    for (guint i = 0; i < c->notes->len; i++) {
        const DlNote *n = &g_array_index(c->notes, DlNote, i);
        if (n->type != 1 /* NT_PRSTATUS */ || strcmp(n->name, "CORE") != 0)
            continue;
        DlCpuRegs r = {.index = idx++, .cpu = -1, .offset = n->offset};
        /* The machine's own layout (prstatus.h); an unknown machine's
         * registers are left unread rather than misread. */
        dl_prstatus_decode(c->machine, n->desc, n->descsz, &r);
        g_array_append_val(c->cpus, r);
    }
}

DlCore *dl_core_open(const char *path, GError **err)
{
    if (elf_version(EV_CURRENT) == EV_NONE) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED, "libelf is out of date");
        return NULL;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        dl_set_error_errno(err, errno, "%s", path);
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        g_set_error(err, DL_ERROR, DL_ERROR_IO, "%s: not a regular file", path);
        close(fd);
        return NULL;
    }
    g_autoptr(DlCore) c = g_new0(DlCore, 1);
    c->fd = fd;
    c->size = (guint64)st.st_size;
    c->phdrs = g_array_new(FALSE, TRUE, sizeof(DlPhdr));
    c->notes = g_array_new(FALSE, TRUE, sizeof(DlNote));
    c->names = g_ptr_array_new_with_free_func(g_free);
    c->problems = g_ptr_array_new_with_free_func(g_free);
    c->cpus = g_array_new(FALSE, TRUE, sizeof(DlCpuRegs));
    c->vmci = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    if (c->size < 64) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "%s: %" G_GUINT64_FORMAT " bytes, too short for an ELF header", path, c->size);
        return NULL;
    }
    void *m = mmap(NULL, c->size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (m == MAP_FAILED) {
        dl_set_error_errno(err, errno, "mapping %s", path);
        return NULL;
    }
    c->data = m;
    if (memcmp(c->data, ELFMAG, SELFMAG) != 0) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "%s: not an ELF file (bad magic)", path);
        return NULL;
    }
    if (c->data[EI_CLASS] != ELFCLASS64) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "%s: not a 64-bit ELF file (EI_CLASS %u)", path,
                    c->data[EI_CLASS]);
        return NULL;
    }
    if (c->data[EI_DATA] != ELFDATA2LSB) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "%s: not a little-endian ELF file (EI_DATA %u)",
                    path, c->data[EI_DATA]);
        return NULL;
    }
    c->elf = elf_memory((char *)c->data, c->size);
    GElf_Ehdr eh;
    if (!c->elf || !gelf_getehdr(c->elf, &eh)) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "%s: libelf cannot read the ELF header: %s",
                    path, elf_errmsg(-1));
        return NULL;
    }
    c->machine = eh.e_machine;
    c->type = eh.e_type;
    if (eh.e_type != ET_CORE) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "%s: not an ELF core file (e_type %u)", path,
                    eh.e_type);
        return NULL;
    }
    if (eh.e_phentsize != sizeof(Elf64_Phdr)) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "%s: e_phentsize is %u, not %zu: the program headers cannot be walked", path,
                    eh.e_phentsize, sizeof(Elf64_Phdr));
        return NULL;
    }
    size_t phnum = 0;
    if (elf_getphdrnum(c->elf, &phnum) != 0) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "%s: cannot count program headers: %s", path,
                    elf_errmsg(-1));
        return NULL;
    }
    /* elfutils quietly shortens the count to what fits in the file; the
     * header's own count decides whether the table is whole. */
    if (eh.e_phnum != PN_XNUM && phnum < eh.e_phnum)
        phnum = eh.e_phnum;
    if (!in_file(c, eh.e_phoff, (guint64)phnum * sizeof(Elf64_Phdr))) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "%s: the program-header table (%zu entries at offset 0x%" G_GINT64_MODIFIER
                    "x) runs past the end of the file (%" G_GUINT64_FORMAT " bytes)",
                    path, phnum, (guint64)eh.e_phoff, c->size);
        return NULL;
    }
    for (size_t i = 0; i < phnum; i++) {
        Elf64_Phdr ph;
        memcpy(&ph, c->data + eh.e_phoff + i * sizeof(ph), sizeof(ph));
        DlPhdr p = {
            .type = ph.p_type,
            .flags = ph.p_flags,
            .offset = ph.p_offset,
            .vaddr = ph.p_vaddr,
            .paddr = ph.p_paddr,
            .filesz = ph.p_filesz,
            .memsz = ph.p_memsz,
            .align = ph.p_align,
            .phdr_offset = eh.e_phoff + i * sizeof(ph),
        };
        g_array_append_val(c->phdrs, p);
    }
    for (guint i = 0; i < c->phdrs->len; i++) {
        const DlPhdr *p = &g_array_index(c->phdrs, DlPhdr, i);
        if (p->type == PT_NOTE)
            walk_notes(c, i, p);
    }
    parse_vmcoreinfo(c);
    parse_cpus(c);
    return g_steal_pointer(&c);
}

void dl_core_close(DlCore *c)
{
    if (!c)
        return;
    if (c->elf)
        elf_end(c->elf);
    if (c->data)
        munmap((void *)c->data, c->size);
    if (c->fd >= 0)
        close(c->fd);
    g_array_free(c->phdrs, TRUE);
    g_array_free(c->notes, TRUE);
    g_ptr_array_free(c->names, TRUE);
    g_ptr_array_free(c->problems, TRUE);
    g_array_free(c->cpus, TRUE);
    g_free(c->vmcoreinfo);
    g_hash_table_destroy(c->vmci);
    g_free(c);
}

guint64 dl_core_size(const DlCore *c)
{
    return c->size;
}
guint16 dl_core_machine(const DlCore *c)
{
    return c->machine;
}
guint16 dl_core_type(const DlCore *c)
{
    return c->type;
}
const guint8 *dl_core_data(const DlCore *c)
{
    return c->data;
}
guint dl_core_phnum(const DlCore *c)
{
    return c->phdrs->len;
}
const DlPhdr *dl_core_phdr(const DlCore *c, guint i)
{
    return i < c->phdrs->len ? &g_array_index(c->phdrs, DlPhdr, i) : NULL;
}
guint dl_core_nnotes(const DlCore *c)
{
    return c->notes->len;
}
const DlNote *dl_core_note(const DlCore *c, guint i)
{
    return i < c->notes->len ? &g_array_index(c->notes, DlNote, i) : NULL;
}
GPtrArray *dl_core_note_problems(const DlCore *c)
{
    return c->problems;
}

const guint8 *dl_core_phys(const DlCore *c, guint64 paddr, guint64 len)
{
    for (guint i = 0; i < c->phdrs->len; i++) {
        const DlPhdr *p = &g_array_index(c->phdrs, DlPhdr, i);
        if (p->type != PT_LOAD || paddr < p->paddr)
            continue;
        guint64 rel = paddr - p->paddr;
        if (rel >= p->filesz || len > p->filesz - rel)
            continue;
        /* A truncated segment still yields the bytes that made it into the file. */
        if (p->offset > c->size || rel > c->size - p->offset || !in_file(c, p->offset + rel, len))
            continue;
        return c->data + p->offset + rel;
    }
    return NULL;
}

const char *dl_core_vmcoreinfo(const DlCore *c)
{
    return c->vmcoreinfo;
}

const char *dl_core_vmcoreinfo_get(const DlCore *c, const char *key)
{
    return g_hash_table_lookup(c->vmci, key);
}

GArray *dl_core_cpus(const DlCore *c)
{
    return c->cpus;
}
