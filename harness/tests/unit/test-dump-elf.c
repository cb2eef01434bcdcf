/* The one reader (dump.h) on synthetic ELF cores: what it hands out
 * (program headers, notes, registers, VMCOREINFO values, guest-physical
 * bytes) is what the file holds, nothing it hands out lies outside the
 * file, and files it cannot walk are refused with a reason. */
#include "dumplab/coregen.h"
#include "dumplab/dump.h"
#include "tap.h"

#include <elf.h>
#include <glib/gstdio.h>
#include <string.h>

static char *tmpdir;

#define BASE                                                                                       \
    "layout kexec_load\n"                                                                          \
    "cpu pid=0 rip=0xffffffff81001000 rsp=0xffffc90000010000\n"                                    \
    "cpu pid=77 rip=0xffffffff81002000 rsp=0xffffc90000020000\n"                                   \
    "ram 0x1000-0x9ffff\n"                                                                         \
    "ram 0x100000-0x4fffff\n"

static char *write_core(const char *name, const char *desc)
{
    char *p = g_build_filename(tmpdir, name, NULL);
    GError *err = NULL;
    if (!dl_coregen_write(desc, p, &err)) {
        tap_diag("coregen %s: %s", name, err->message);
        g_error_free(err);
    }
    return p;
}

static DlDump *open_core(const char *path)
{
    GError *err = NULL;
    DlDump *c = dl_dump_open(path, &err);
    if (!c) {
        tap_diag("open %s: %s", path, err->message);
        g_error_free(err);
    }
    return c;
}

/* Guest-physical bytes (a copy), or NULL when the dump does not hold them all. */
static const guint8 *phys(DlDump *c, guint64 pa, gsize len)
{
    static guint8 buf[64];
    return len <= sizeof(buf) && dl_dump_read_phys(c, pa, buf, len, NULL) ? buf : NULL;
}

static void reads_a_good_core(void)
{
    g_autofree char *p = write_core("good", BASE "vmcoreinfo OSRELEASE=6.1.0-56-amd64 "
                                                 "PAGESIZE=4096 KERNELOFFSET=2a000000 "
                                                 "SYMBOL(_stext)=ffffffffab000000\n");
    g_autoptr(DlDump) c = open_core(p);
    if (!tap_ok(c != NULL, "a generated kexec_load core opens"))
        return;
    tap_ok(dl_dump_machine(c) == EM_X86_64 && dl_dump_ehdr(c)->type == ET_CORE,
           "e_machine and e_type are read");
    /* PT_NOTE, text, two RAM ranges */
    tap_ok(dl_dump_phnum(c) == 4 && dl_dump_phdr(c, 0)->type == PT_NOTE,
           "four program headers, the merged PT_NOTE first (%u)", dl_dump_phnum(c));
    tap_ok(dl_dump_phdr(c, 4) == NULL, "no program header past e_phnum");
    tap_ok(dl_dump_phdr(c, 1)->phdr_offset == 64 + 56,
           "each program header knows where it sits in the file");

    GArray *cpus = dl_dump_cpus(c);
    tap_ok(cpus->len == 2, "two NT_PRSTATUS notes");
    if (cpus->len == 2) {
        const DlCpuRegs *r1 = &g_array_index(cpus, DlCpuRegs, 1);
        tap_ok(r1->index == 1 && r1->pid == 77 && r1->rip == 0xffffffff81002000ULL &&
                   r1->rsp == 0xffffc90000020000ULL && r1->cpu == -1,
               "second CPU: pid, rip, rsp read; kdump notes do not name the CPU");
    }
    bool vmci_note = false;
    for (guint i = 0; i < dl_dump_nnotes(c); i++) {
        const DlNote *n = dl_dump_note(c, i);
        vmci_note |= !strcmp(n->name, "VMCOREINFO") && n->segment == 0;
    }
    tap_ok(vmci_note && dl_dump_note(c, dl_dump_nnotes(c)) == NULL,
           "the VMCOREINFO note is listed, nothing past the last note");
    tap_ok(!g_strcmp0(dl_dump_vmcoreinfo_get(c, "OSRELEASE"), "6.1.0-56-amd64") &&
               !g_strcmp0(dl_dump_vmcoreinfo_get(c, "SYMBOL(_stext)"), "ffffffffab000000") &&
               dl_dump_vmcoreinfo_get(c, "CRASHTIME") == NULL,
           "VMCOREINFO values by key; an absent key is NULL");
    tap_ok(dl_dump_note_problems(c)->len == 0, "no note problems in a good core");

    /* fill=pfn: each 8-byte word holds its frame number */
    const guint8 *b = phys(c, 0x234008, 8);
    guint64 w = 0;
    if (b)
        memcpy(&w, b, 8);
    tap_ok(b && w == 0x234,
           "guest-physical bytes come from the right PT_LOAD (pfn 0x%" G_GINT64_MODIFIER "x)", w);
    b = phys(c, 0x9f000, 8);
    if (b)
        memcpy(&w, b, 8);
    tap_ok(b && w == 0x9f, "low-memory bytes come from the low range");
    tap_ok(phys(c, 0x9fff8, 16) == NULL, "a read across a hole is refused");
    tap_ok(phys(c, 0x500000, 1) == NULL && phys(c, 0, 1) == NULL,
           "memory no PT_LOAD holds is refused");
    tap_ok(phys(c, G_MAXUINT64 - 2, 8) == NULL, "an address range that wraps is refused");
    /* Read in another page size (dumplab compare, the ia64 cross-check). */
    guint64 top = dl_dump_max_pfn(c) * dl_dump_page_size(c);
    tap_ok(dl_dump_set_page_size(c, 65536, NULL) && dl_dump_page_size(c) == 65536 &&
               dl_dump_max_pfn(c) == (top + 65535) / 65536,
           "an ELF core is read in 64 KiB frames on request, max_pfn in those frames");
    guint8 *page = g_malloc(65536);
    DlPageState st;
    bool got = dl_dump_page(c, 0x10, page, &st, NULL);
    guint64 w8 = 0;
    memcpy(&w8, page + 0x8000, 8); /* 0x108000: frame 0x108 in 4 KiB (fill=pfn) */
    tap_ok(got && st == DL_PAGE_PRESENT && w8 == 0x108,
           "64 KiB frame 0x10 holds the 4 KiB frames 0x100-0x10f");
    g_free(page);
    GError *e = NULL;
    tap_ok(!dl_dump_set_page_size(c, 3000, &e) && e && dl_dump_page_size(c) == 65536,
           "a page size that is not a power of two is refused, the old one kept");
    g_clear_error(&e);
    g_autoptr(DlDump) c2 = open_core(p);
    tap_ok(dl_dump_match_page_size(c, c2, NULL) && dl_dump_page_size(c) == 4096 &&
               dl_dump_page_size(c2) == 4096,
           "two ELF cores of 64 KiB and 4 KiB frames are both read in 4 KiB ones");
}

static void reads_qemu(void)
{
    g_autofree char *p = write_core("qemu", "layout qemu\ncpu rip=0x1 rsp=0x2\ncpu rip=0x3 "
                                            "rsp=0x4\nram 0x0-0x7ffff\n");
    g_autoptr(DlDump) c = open_core(p);
    if (!tap_ok(c != NULL, "a generated QEMU dump opens"))
        return;
    guint qemu = 0;
    for (guint i = 0; i < dl_dump_nnotes(c); i++)
        qemu += !strcmp(dl_dump_note(c, i)->name, "QEMU");
    GArray *cpus = dl_dump_cpus(c);
    tap_ok(qemu == 2 && cpus->len == 2 && g_array_index(cpus, DlCpuRegs, 1).pid == 2,
           "QEMU notes listed; pr_pid is the CPU index + 1");
}

static void problems_not_reads(void)
{
    g_autofree char *p = write_core("overrun", BASE "defect note-overrun\n");
    g_autoptr(DlDump) c = open_core(p);
    if (!tap_ok(c != NULL, "a core whose last note overruns its segment still opens"))
        return;
    GPtrArray *pr = dl_dump_note_problems(c);
    tap_ok(pr->len == 1 && g_str_has_prefix(g_ptr_array_index(pr, 0), "offset 0x"),
           "the overrunning note is a recorded problem: %s",
           pr->len ? (char *)g_ptr_array_index(pr, 0) : "none");
    tap_ok(dl_dump_vmcoreinfo(c) == NULL, "the VMCOREINFO note past the segment end is not read");
    const DlPhdr *n = dl_dump_phdr(c, 0);
    bool inside = true;
    for (guint i = 0; i < dl_dump_nnotes(c); i++) {
        const DlNote *note = dl_dump_note(c, i);
        guint64 end = note->offset + 12 + ((strlen(note->name) + 4) & ~3u) + note->descsz;
        inside &= note->offset >= n->offset && end <= n->offset + n->filesz && note->segment == 0;
    }
    tap_ok(inside, "every note handed out lies inside its segment");

    g_autofree char *t = write_core("trunc", BASE "defect truncate\n");
    g_autoptr(DlDump) tc = open_core(t);
    tap_ok(tc && phys(tc, 0x4ff000, 8) == NULL && phys(tc, 0x100000, 8) != NULL,
           "in a truncated core, memory past the end is refused, memory before it is not");
}

static void refuses(const char *what, const guint8 *data, gsize len, const char *expect)
{
    g_autofree char *p = g_build_filename(tmpdir, "bad", NULL);
    g_file_set_contents(p, (const char *)data, (gssize)len, NULL);
    GError *err = NULL;
    DlDump *c = dl_dump_open(p, &err);
    tap_ok(!c && err && strstr(err->message, expect), "%s is refused: %s", what,
           err ? err->message : "opened");
    if (c)
        dl_dump_close(c);
    g_clear_error(&err);
}

static void unreadable(void)
{
    g_autofree char *p = write_core("base", BASE);
    g_autofree guint8 *data = NULL;
    gsize len = 0;
    g_file_get_contents(p, (char **)&data, &len, NULL);
    if (!tap_ok(len > 4096, "a base core to damage"))
        return;
    Elf64_Ehdr eh;
    memcpy(&eh, data, sizeof(eh));

    refuses("a text file",
            (const guint8 *)"hello, world\n and more text to pass 64 bytes....."
                            ".................",
            64, "ELF");
    g_autofree guint8 *d = g_memdup2(data, len);
    d[EI_CLASS] = 7;
    refuses("an ELF of no class", d, len, "class");
    memcpy(d, data, len);
    Elf64_Half exec = ET_EXEC;
    memcpy(d + offsetof(Elf64_Ehdr, e_type), &exec, 2);
    refuses("an executable", d, len, "core");
    memcpy(d, data, len);
    Elf64_Off far = len + 4096;
    memcpy(d + offsetof(Elf64_Ehdr, e_phoff), &far, 8);
    refuses("a program-header table outside the file", d, len, "program-header table");
    memcpy(d, data, len);
    refuses("a header cut short", d, 40, "too short");
    g_autofree char *bp = write_core("badphnum", "layout kexec_load\ncpu rip=1\n"
                                                 "ram 0x100000-0x101fff\ndefect bad-phnum\n");
    GError *err = NULL;
    g_autoptr(DlDump) c = dl_dump_open(bp, &err);
    tap_ok(!c && err, "e_phnum that runs the table past the file is refused: %s",
           err ? err->message : "opened");
    g_clear_error(&err);
}

int main(void)
{
    tmpdir = g_dir_make_tmp("dump-elf-XXXXXX", NULL);
    reads_a_good_core();
    reads_qemu();
    problems_not_reads();
    unreadable();
    g_autoptr(GDir) d = g_dir_open(tmpdir, 0, NULL);
    const char *e;
    while (d && (e = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(tmpdir, e, NULL);
        g_unlink(p);
    }
    g_rmdir(tmpdir);
    g_free(tmpdir);
    return tap_done();
}
