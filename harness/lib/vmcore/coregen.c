/* Synthetic ELF cores (coregen.h): the layouts of vmcore-facts.md A1, small
 * enough for unit tests, with one switch per defect class. */
#include "dumplab/coregen.h"
#include "dumplab/qemunote.h"
#include "dumplab/error.h"
#include "dumplab/marker.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define KERNEL_MAP 0xffffffff80000000ULL
#define PHYS_START 0x1000000ULL
#define DIRECT_MAP 0xffff888000000000ULL
#define PAGE 4096ULL
#define LOW_1M 0x100000ULL
#define PRSTATUS_SIZE 336
#define IA64_PRSTATUS_SIZE 1144                /* ia64-facts.md §3 */
#define IA64_KERNEL_START 0xa000000100000000ULL /* region 5 */
#define IA64_PAGE_OFFSET 0xe000000000000000ULL  /* region 7 */
#define QEMU_CPUSTATE_SIZE 0x1b8

typedef enum { L_KEXEC, L_FILE, L_QEMU } Layout;
typedef enum { FILL_PFN, FILL_ZERO, FILL_BYTE } Fill;

typedef struct {
    gint32 pid;
    bool pid_set;
    guint64 rip, rsp, crash_notes;
} Cpu;

typedef struct {
    guint64 start, end; /* inclusive */
    Fill fill;
    guint8 byte;
} Ram;

typedef struct {
    guint64 seed, pfn, count;
} Marker;

typedef struct {
    guint64 paddr;
    guint8 byte;
} Poke;

typedef struct {
    Layout layout;
    bool ia64;  /* "machine ia64": EM_IA_64 notes, region-5 text, 16 KiB pages */
    bool elf32; /* "class elf32": ELF32 headers as kexec-tools --elf32-core-headers
                 * writes them (addresses cut to 32 bits, notes as in ELF64) */
    GArray *cpus, *rams, *markers, *pokes;
    GString *vmci;
    bool vmci_none;
    bool has_text;
    guint64 text_paddr, text_vaddr, text_size;
    GHashTable *defects;
    gint64 truncate; /* -1: none, -2: half of the last segment */
} Gen;

static void gen_clear(Gen *g)
{
    g_array_free(g->cpus, TRUE);
    g_array_free(g->rams, TRUE);
    g_array_free(g->markers, TRUE);
    g_array_free(g->pokes, TRUE);
    g_string_free(g->vmci, TRUE);
    g_hash_table_destroy(g->defects);
}

static bool num(const char *s, guint64 *out)
{
    char *end = NULL;
    if (!s || !*s)
        return false;
    errno = 0;
    *out = g_ascii_strtoull(s, &end, 0);
    return !errno && !*end;
}

/* key=value words after the directive. */
static bool kv_get(char **words, const char *key, guint64 *out, bool *present, GError **err,
                   int line)
{
    size_t kl = strlen(key);
    for (int i = 1; words[i]; i++)
        if (!strncmp(words[i], key, kl) && words[i][kl] == '=') {
            if (!num(words[i] + kl + 1, out)) {
                g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "line %d: %s: bad number '%s'", line,
                            key, words[i] + kl + 1);
                return false;
            }
            if (present)
                *present = true;
            return true;
        }
    if (present)
        *present = false;
    return true;
}

static const char *const known_defects[] = {
    "note-overrun",
    "load-overlap",
    "load-outside-file",
    "absurd-size",
    "unaligned-offset",
    "bad-ehsize",
    "bad-version",
    "no-phdrs",
    "prstatus-size",
    "bad-machine",
    "bad-kaslr",
    "bad-stext",
    "no-crashtime",
    "filesz-gt-memsz",
    "bad-phnum",
    "vmcoreinfo-missing",
    NULL,
};

static bool parse(Gen *g, const char *desc, GError **err)
{
    g_auto(GStrv) lines = g_strsplit(desc, "\n", -1);
    for (int n = 0; lines[n]; n++) {
        int line = n + 1;
        char *l = g_strstrip(lines[n]);
        if (!*l || *l == '#')
            continue;
        g_auto(GStrv) w = g_strsplit_set(l, " \t", -1);
        /* drop empty words from repeated blanks */
        int k = 0;
        for (int i = 0; w[i]; i++) {
            if (*w[i])
                w[k++] = w[i];
            else
                g_free(w[i]);
        }
        w[k] = NULL;
        const char *d = w[0];
        bool have = false;
        if (!strcmp(d, "layout") && w[1]) {
            if (!strcmp(w[1], "kexec_load"))
                g->layout = L_KEXEC;
            else if (!strcmp(w[1], "kexec_file_load"))
                g->layout = L_FILE;
            else if (!strcmp(w[1], "qemu"))
                g->layout = L_QEMU;
            else
                goto bad;
        } else if (!strcmp(d, "class") && w[1]) {
            if (!strcmp(w[1], "elf32"))
                g->elf32 = true;
            else if (strcmp(w[1], "elf64"))
                goto bad;
        } else if (!strcmp(d, "machine") && w[1]) {
            if (!strcmp(w[1], "ia64"))
                g->ia64 = true;
            else if (strcmp(w[1], "x86_64"))
                goto bad;
        } else if (!strcmp(d, "cpu")) {
            Cpu c = {0};
            guint64 v;
            if (!kv_get(w, "pid", &v, &c.pid_set, err, line))
                return false;
            c.pid = (gint32)v;
            if (!kv_get(w, "rip", &c.rip, NULL, err, line) ||
                !kv_get(w, "rsp", &c.rsp, NULL, err, line) ||
                !kv_get(w, "crash_notes", &c.crash_notes, NULL, err, line))
                return false;
            g_array_append_val(g->cpus, c);
        } else if (!strcmp(d, "vmcoreinfo") && w[1]) {
            if (!strcmp(w[1], "none"))
                g->vmci_none = true;
            else
                for (int i = 1; w[i]; i++)
                    g_string_append_printf(g->vmci, "%s\n", w[i]);
        } else if (!strcmp(d, "ram") && w[1]) {
            Ram r = {0};
            char *dash = strchr(w[1], '-');
            if (!dash)
                goto bad;
            *dash = 0;
            if (!num(w[1], &r.start) || !num(dash + 1, &r.end) || r.end < r.start)
                goto bad;
            if (w[2]) {
                if (!strcmp(w[2], "fill=zero"))
                    r.fill = FILL_ZERO;
                else if (!strcmp(w[2], "fill=pfn"))
                    r.fill = FILL_PFN;
                else if (g_str_has_prefix(w[2], "fill=byte:")) {
                    guint64 b;
                    if (!num(w[2] + 10, &b) || b > 255)
                        goto bad;
                    r.fill = FILL_BYTE;
                    r.byte = (guint8)b;
                } else
                    goto bad;
            }
            if (r.end - r.start >= (256ULL << 20)) {
                g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                            "line %d: ram range over 256 MiB: keep synthetic cores small", line);
                return false;
            }
            g_array_append_val(g->rams, r);
        } else if (!strcmp(d, "text")) {
            if (!kv_get(w, "paddr", &g->text_paddr, &have, err, line) || !have ||
                !kv_get(w, "vaddr", &g->text_vaddr, &have, err, line) || !have ||
                !kv_get(w, "size", &g->text_size, &have, err, line) || !have)
                goto bad;
            g->has_text = true;
        } else if (!strcmp(d, "marker")) {
            Marker m = {.count = 1};
            if (!kv_get(w, "seed", &m.seed, &have, err, line) || !have ||
                !kv_get(w, "pfn", &m.pfn, &have, err, line) || !have ||
                !kv_get(w, "count", &m.count, &have, err, line))
                goto bad;
            if (!have)
                m.count = 1;
            g_array_append_val(g->markers, m);
        } else if (!strcmp(d, "poke")) {
            Poke p;
            guint64 b;
            if (!kv_get(w, "paddr", &p.paddr, &have, err, line) || !have ||
                !kv_get(w, "byte", &b, &have, err, line) || !have || b > 255)
                goto bad;
            p.byte = (guint8)b;
            g_array_append_val(g->pokes, p);
        } else if (!strcmp(d, "defect") && w[1]) {
            if (!strcmp(w[1], "truncate"))
                g->truncate = -2;
            else if (g_str_has_prefix(w[1], "truncate=")) {
                guint64 v;
                if (!num(w[1] + 9, &v))
                    goto bad;
                g->truncate = (gint64)v;
            } else if (g_strv_contains(known_defects, w[1]))
                g_hash_table_add(g->defects, g_strdup(w[1]));
            else {
                g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "line %d: unknown defect '%s'", line,
                            w[1]);
                return false;
            }
        } else {
            goto bad;
        }
        continue;
    bad:
        if (err && !*err)
            g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "line %d: cannot read '%s'", line, l);
        return false;
    }
    return true;
}

static bool has(const Gen *g, const char *d)
{
    return g_hash_table_contains(g->defects, d);
}

static void put_note(GByteArray *b, const char *name, guint32 type, const void *desc,
                     guint32 descsz)
{
    guint32 namesz = (guint32)strlen(name) + 1;
    guint32 h[3] = {namesz, descsz, type};
    g_byte_array_append(b, (const guint8 *)h, sizeof(h));
    g_byte_array_append(b, (const guint8 *)name, namesz);
    static const guint8 zero[4];
    g_byte_array_append(b, zero, (4 - namesz % 4) % 4);
    g_byte_array_append(b, desc, descsz);
    g_byte_array_append(b, zero, (4 - descsz % 4) % 4);
}

static void prstatus(const Gen *g, guint i, guint8 *desc)
{
    const Cpu *c = &g_array_index(g->cpus, Cpu, i);
    memset(desc, 0, g->ia64 ? IA64_PRSTATUS_SIZE : PRSTATUS_SIZE);
    gint32 pid = c->pid_set ? c->pid : g->layout == L_QEMU ? dl_qemu_note_pid(i) : 0;
    memcpy(desc + 32, &pid, 4);
    if (g->ia64) {
        /* ia64_dump_cpu_regs: ip (b0) in 42, cfm 43, psr 44, bsp 46, sp
         * in r12; "rip=" and "rsp=" of the description give ip and sp. */
        guint64 reg[128] = {0};
        reg[12] = c->rsp;
        reg[42] = c->rip;
        reg[43] = 0x8000000000000000ULL | 0x18;
        reg[44] = 0;
        reg[46] = 0xa000000100400000ULL + i * 0x10000;
        memcpy(desc + 112, reg, sizeof(reg));
        return;
    }
    guint64 reg[27] = {0};
    reg[16] = c->rip;
    reg[17] = 0x10;
    reg[18] = 0x46;
    reg[19] = c->rsp;
    memcpy(desc + 112, reg, sizeof(reg));
}

/* The bytes of one CPU's note as its crash_notes buffer holds them. */
static GByteArray *cpu_note(const Gen *g, guint i)
{
    GByteArray *b = g_byte_array_new();
    guint8 desc[IA64_PRSTATUS_SIZE];
    guint32 size = g->ia64 ? IA64_PRSTATUS_SIZE : PRSTATUS_SIZE;
    prstatus(g, i, desc);
    put_note(b, "CORE", NT_PRSTATUS, desc, has(g, "prstatus-size") ? 300 : size);
    return b;
}

static void default_vmcoreinfo(Gen *g)
{
    if (g->vmci->len)
        return;
    if (g->ia64) {
        g_string_append(g->vmci, "OSRELEASE=4.19.0-coregen-ia64\nPAGESIZE=16384\n");
        if (g->has_text)
            g_string_append_printf(g->vmci, "SYMBOL(_stext)=%" G_GINT64_MODIFIER "x\n",
                                   (guint64)g->text_vaddr);
        if (!has(g, "no-crashtime"))
            g_string_append(g->vmci, "CRASHTIME=1763856000\n");
        return;
    }
    g_string_append(g->vmci, "OSRELEASE=6.1.0-coregen\nPAGESIZE=4096\n");
    if (g->has_text) {
        guint64 off = g->text_vaddr - KERNEL_MAP - PHYS_START;
        if (has(g, "bad-kaslr"))
            off += 0x200000;
        guint64 stext = has(g, "bad-stext") ? g->text_vaddr + g->text_size + 0x1000 : g->text_vaddr;
        g_string_append_printf(
            g->vmci,
            "SYMBOL(_stext)=%" G_GINT64_MODIFIER "x\nKERNELOFFSET=%" G_GINT64_MODIFIER
            "x\nNUMBER(phys_base)=%" G_GINT64_MODIFIER "u\n",
            (guint64)stext, (guint64)off, (guint64)(g->text_paddr - (g->text_vaddr - KERNEL_MAP)));
    }
    if (!has(g, "no-crashtime"))
        g_string_append(g->vmci, "CRASHTIME=1763856000\n");
}

/* One RAM segment's content, with markers, CPU notes and pokes applied. */
static guint8 *ram_content(const Gen *g, const Ram *r, GByteArray **notes_of_cpu)
{
    guint64 size = r->end - r->start + 1;
    guint8 *buf = g_malloc0(size);
    if (r->fill == FILL_BYTE)
        memset(buf, r->byte, size);
    else if (r->fill == FILL_PFN)
        for (guint64 o = 0; o + 8 <= size; o += 8) {
            guint64 pfn = (r->start + o) / PAGE;
            memcpy(buf + o, &pfn, 8);
        }
    for (guint i = 0; i < g->markers->len; i++) {
        const Marker *m = &g_array_index(g->markers, Marker, i);
        for (guint64 p = m->pfn; p < m->pfn + m->count; p++) {
            guint64 pa = p * PAGE;
            if (pa < r->start || pa + PAGE - 1 > r->end)
                continue;
            for (guint64 w = 0; w < DL_MARKER_WORDS; w++) {
                guint64 v = dl_marker_word(m->seed, p, w);
                memcpy(buf + (pa - r->start) + w * 8, &v, 8);
            }
        }
    }
    for (guint i = 0; i < g->cpus->len; i++) {
        const Cpu *c = &g_array_index(g->cpus, Cpu, i);
        GByteArray *nb = notes_of_cpu[i];
        if (c->crash_notes && c->crash_notes >= r->start && c->crash_notes + nb->len - 1 <= r->end)
            memcpy(buf + (c->crash_notes - r->start), nb->data, nb->len);
    }
    for (guint i = 0; i < g->pokes->len; i++) {
        const Poke *p = &g_array_index(g->pokes, Poke, i);
        if (p->paddr >= r->start && p->paddr <= r->end)
            buf[p->paddr - r->start] = p->byte;
    }
    return buf;
}

static guint64 up(guint64 v, guint64 a)
{
    return (v + a - 1) / a * a;
}

static GBytes *build(Gen *g, GError **err)
{
    if (!g->rams->len) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "a core needs at least one 'ram' line");
        return NULL;
    }
    bool kdump = g->layout != L_QEMU;
    if (g->layout == L_FILE) {
        /* The kernel's own header never holds the low 1 MiB (vmcore-facts A1). */
        for (guint i = g->rams->len; i-- > 0;) {
            Ram *r = &g_array_index(g->rams, Ram, i);
            if (r->end < LOW_1M)
                g_array_remove_index(g->rams, i);
            else if (r->start < LOW_1M)
                r->start = LOW_1M;
        }
        if (!g->rams->len) {
            g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                        "kexec_file_load leaves out the low 1 MiB: no 'ram' line is left");
            return NULL;
        }
    }
    if (has(g, "vmcoreinfo-missing"))
        g->vmci_none = true;
    if (kdump && !g->has_text) {
        /* 2 MiB of text at the first 2 MiB boundary a RAM range holds. */
        for (guint i = 0; i < g->rams->len && !g->has_text; i++) {
            const Ram *r = &g_array_index(g->rams, Ram, i);
            guint64 at = up(r->start, 0x200000);
            if (at + 0x200000 - 1 <= r->end) {
                g->has_text = true;
                g->text_paddr = at;
                g->text_size = 0x200000;
                /* As a KASLR kernel: _text moved by 0x2a000000. On ia64
                 * the kernel's region-5 mapping of the same RAM. */
                g->text_vaddr =
                    g->ia64 ? IA64_KERNEL_START : KERNEL_MAP + PHYS_START + 0x2a000000;
            }
        }
    }
    if (!kdump)
        g->has_text = false;
    default_vmcoreinfo(g);

    g_autoptr(GPtrArray) cpu_notes =
        g_ptr_array_new_with_free_func((GDestroyNotify)g_byte_array_unref);
    g_autoptr(GByteArray) notes = g_byte_array_new();
    for (guint i = 0; i < g->cpus->len; i++) {
        GByteArray *nb = cpu_note(g, i);
        g_ptr_array_add(cpu_notes, nb);
        g_byte_array_append(notes, nb->data, nb->len);
    }
    if (g->layout == L_QEMU) {
        guint8 st[QEMU_CPUSTATE_SIZE] = {0};
        for (guint i = 0; i < g->cpus->len; i++)
            put_note(notes, "QEMU", 0, st, sizeof(st));
    }
    if (!g->vmci_none)
        put_note(notes, "VMCOREINFO", 0, g->vmci->str, (guint32)g->vmci->len);

    guint nload = g->rams->len + (g->has_text ? 1 : 0);
    guint phnum = 1 + nload;
    g_autofree Elf64_Phdr *ph = g_new0(Elf64_Phdr, phnum);
    guint64 notes_off =
        kdump ? up(64 + phnum * sizeof(Elf64_Phdr), PAGE) : 64 + phnum * sizeof(Elf64_Phdr);
    ph[0] = (Elf64_Phdr){
        .p_type = PT_NOTE, .p_offset = notes_off, .p_filesz = notes->len, .p_memsz = notes->len};
    guint64 cursor = notes_off + notes->len;
    g_autoptr(GPtrArray) datas = g_ptr_array_new_with_free_func(g_free);
    guint k = 1;
    /* content per RAM range; the text segment copies from it */
    g_autoptr(GPtrArray) ramdata = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < g->rams->len; i++)
        g_ptr_array_add(ramdata, ram_content(g, &g_array_index(g->rams, Ram, i),
                                             (GByteArray **)cpu_notes->pdata));
    if (g->has_text) {
        guint8 *t = g_malloc0(g->text_size);
        for (guint i = 0; i < g->rams->len; i++) {
            const Ram *r = &g_array_index(g->rams, Ram, i);
            for (guint64 o = 0; o < g->text_size; o++) {
                guint64 pa = g->text_paddr + o;
                if (pa >= r->start && pa <= r->end)
                    t[o] = ((guint8 *)g_ptr_array_index(ramdata, i))[pa - r->start];
            }
        }
        guint64 off = up(cursor, PAGE) + g->text_paddr % PAGE;
        ph[k++] = (Elf64_Phdr){.p_type = PT_LOAD,
                               .p_flags = PF_R | PF_W | PF_X,
                               .p_offset = off,
                               .p_vaddr = g->text_vaddr,
                               .p_paddr = g->text_paddr,
                               .p_filesz = g->text_size,
                               .p_memsz = g->text_size};
        g_ptr_array_add(datas, t);
        cursor = off + g->text_size;
    }
    for (guint i = 0; i < g->rams->len; i++) {
        const Ram *r = &g_array_index(g->rams, Ram, i);
        guint64 size = r->end - r->start + 1;
        guint64 off = kdump ? up(cursor, PAGE) + r->start % PAGE : cursor;
        ph[k++] = (Elf64_Phdr){.p_type = PT_LOAD,
                               .p_flags = PF_R | PF_W | PF_X,
                               .p_offset = off,
                               .p_vaddr = kdump ? (g->ia64 ? IA64_PAGE_OFFSET : DIRECT_MAP) + r->start
                                                : 0,
                               .p_paddr = r->start,
                               .p_filesz = size,
                               .p_memsz = size};
        g_ptr_array_add(datas, g_steal_pointer(&ramdata->pdata[i]));
        cursor = off + size;
    }
    guint64 total = cursor;
    g_autoptr(GByteArray) out = g_byte_array_sized_new((guint)MIN(total, G_MAXUINT));
    g_byte_array_set_size(out, (guint)total);
    memset(out->data, 0, total);
    memcpy(out->data + notes_off, notes->data, notes->len);
    for (guint i = 1; i < phnum; i++)
        memcpy(out->data + ph[i].p_offset, g_ptr_array_index(datas, i - 1), ph[i].p_filesz);

    /* Defects that bend the headers after the content is in place. */
    guint first_ram = g->has_text ? 2 : 1, last = phnum - 1;
    if (has(g, "note-overrun"))
        ph[0].p_filesz = ph[0].p_memsz = notes->len - 8;
    if (has(g, "load-overlap") && nload >= 1) {
        /* Needs two RAM ranges: the second is moved onto the first. */
        if (first_ram + 1 < phnum)
            ph[first_ram + 1].p_paddr = ph[first_ram].p_paddr + PAGE;
    }
    if (has(g, "load-outside-file"))
        ph[last].p_offset = up(total, PAGE) + 0x100000 + ph[last].p_paddr % PAGE;
    if (has(g, "absurd-size"))
        ph[last].p_filesz = ph[last].p_memsz = 1ULL << 62;
    if (has(g, "unaligned-offset"))
        ph[first_ram].p_offset += 8;
    if (has(g, "filesz-gt-memsz"))
        ph[first_ram].p_memsz = ph[first_ram].p_filesz - PAGE;

    Elf64_Ehdr eh = {0};
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = ET_CORE;
    eh.e_machine = has(g, "bad-machine") ? EM_SPARCV9 : g->ia64 ? EM_IA_64 : EM_X86_64;
    eh.e_version = has(g, "bad-version") ? 0 : EV_CURRENT;
    eh.e_phoff = 64;
    eh.e_ehsize = has(g, "bad-ehsize") ? 60 : sizeof(Elf64_Ehdr);
    eh.e_phentsize = sizeof(Elf64_Phdr);
    eh.e_phnum = has(g, "no-phdrs") ? 0
                 : has(g, "bad-phnum")
                     ? (Elf64_Half)0xfff0 /* table runs into the notes, or off the end */
                     : (Elf64_Half)phnum;
    memcpy(out->data, &eh, sizeof(eh));
    memcpy(out->data + 64, ph, phnum * sizeof(Elf64_Phdr));
    if (g->elf32) {
        /* The same layout through 32-bit headers: what does not fit in 32
         * bits is cut, as kexec-tools' ELF32 instantiation does. */
        memset(out->data, 0, 64 + phnum * sizeof(Elf64_Phdr));
        Elf32_Ehdr e32 = {0};
        memcpy(e32.e_ident, eh.e_ident, EI_NIDENT);
        e32.e_ident[EI_CLASS] = ELFCLASS32;
        e32.e_type = eh.e_type, e32.e_machine = eh.e_machine, e32.e_version = eh.e_version;
        e32.e_phoff = sizeof(Elf32_Ehdr);
        e32.e_ehsize = has(g, "bad-ehsize") ? 60 : sizeof(Elf32_Ehdr);
        e32.e_phentsize = sizeof(Elf32_Phdr);
        e32.e_phnum = eh.e_phnum;
        memcpy(out->data, &e32, sizeof(e32));
        for (guint i = 0; i < phnum; i++) {
            Elf32_Phdr p = {.p_type = ph[i].p_type,
                            .p_offset = (Elf32_Off)ph[i].p_offset,
                            .p_vaddr = (Elf32_Addr)ph[i].p_vaddr,
                            .p_paddr = (Elf32_Addr)ph[i].p_paddr,
                            .p_filesz = (Elf32_Word)MIN(ph[i].p_filesz, G_MAXUINT32),
                            .p_memsz = (Elf32_Word)MIN(ph[i].p_memsz, G_MAXUINT32),
                            .p_flags = ph[i].p_flags,
                            .p_align = (Elf32_Word)ph[i].p_align};
            memcpy(out->data + sizeof(e32) + i * sizeof(p), &p, sizeof(p));
        }
    }

    if (g->truncate == -2)
        g_byte_array_set_size(out, (guint)(ph[last].p_offset + ph[last].p_filesz / 2));
    else if (g->truncate >= 0 && (guint64)g->truncate < out->len)
        g_byte_array_set_size(out, (guint)g->truncate);
    return g_byte_array_free_to_bytes(g_steal_pointer(&out));
}

GBytes *dl_coregen_build(const char *description, GError **err)
{
    Gen g = {
        .cpus = g_array_new(FALSE, TRUE, sizeof(Cpu)),
        .rams = g_array_new(FALSE, TRUE, sizeof(Ram)),
        .markers = g_array_new(FALSE, TRUE, sizeof(Marker)),
        .pokes = g_array_new(FALSE, TRUE, sizeof(Poke)),
        .vmci = g_string_new(NULL),
        .defects = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
        .truncate = -1,
    };
    GBytes *b = parse(&g, description, err) ? build(&g, err) : NULL;
    if (!b)
        g_prefix_error(err, "core description: ");
    gen_clear(&g);
    return b;
}

bool dl_coregen_write(const char *description, const char *path, GError **err)
{
    g_autoptr(GBytes) b = dl_coregen_build(description, err);
    if (!b)
        return false;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        dl_set_error_errno(err, errno, "creating %s", path);
        return false;
    }
    gsize len;
    const guint8 *p = g_bytes_get_data(b, &len);
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            dl_set_error_errno(err, errno, "writing %s", path);
            close(fd);
            unlink(path);
            return false;
        }
        p += w;
        len -= (gsize)w;
    }
    if (close(fd) < 0) {
        dl_set_error_errno(err, errno, "closing %s", path);
        unlink(path);
        return false;
    }
    return true;
}
