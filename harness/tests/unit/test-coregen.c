/* The synthetic core generator: cores hold what their description says
 * (markers, pokes, per-CPU note buffers, the kernel-text copy), follow the
 * layouts of vmcore-facts.md A1, are written 0600, and a description it
 * cannot follow is an error naming the line. */
#include "dumplab/coregen.h"
#include "dumplab/dump.h"
#include "dumplab/marker.h"
#include "tap.h"

#include <elf.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

static char *tmpdir;

static DlDump *gen_open(const char *name, const char *desc)
{
    g_autofree char *p = g_build_filename(tmpdir, name, NULL);
    GError *err = NULL;
    if (!dl_coregen_write(desc, p, &err)) {
        tap_diag("coregen %s: %s", name, err->message);
        g_error_free(err);
        return NULL;
    }
    DlDump *c = dl_dump_open(p, &err);
    if (!c) {
        tap_diag("open %s: %s", name, err->message);
        g_error_free(err);
    }
    return c;
}

static guint64 word_at(DlDump *c, guint64 paddr)
{
    guint64 w = 0;
    return dl_dump_read_phys(c, paddr, &w, 8, NULL) ? w : 0xdeadULL;
}

static void content(void)
{
    g_autoptr(DlDump) c = gen_open("content", "layout kexec_load\n"
                                              "cpu pid=5 rip=0xffffffff81000010 rsp=0x10 "
                                              "crash_notes=0x3000\n"
                                              "ram 0x1000-0x9ffff fill=byte:0xab\n"
                                              "ram 0x100000-0x5fffff\n"
                                              "marker seed=42 pfn=0x123 count=2\n"
                                              "poke paddr=0x200001 byte=0x7f\n");
    if (!tap_ok(c != NULL, "a core with markers, a poke and a crash_notes buffer"))
        return;
    bool marks = true;
    for (guint64 pfn = 0x123; pfn < 0x125; pfn++)
        for (guint64 i = 0; i < DL_MARKER_WORDS; i += 97)
            marks &= word_at(c, pfn * 4096 + i * 8) == dl_marker_word(42, pfn, i);
    tap_ok(marks, "marker pages hold dl_marker_word(seed, pfn, i)");
    tap_ok(word_at(c, 0x125000) == 0x125, "the page after the markers keeps fill=pfn");
    tap_ok(word_at(c, 0x200000) == (0x200ULL & ~0xff00ULL) + 0x7f00ULL,
           "poke changed one byte of RAM (0x%" G_GINT64_MODIFIER "x)", word_at(c, 0x200000));
    tap_ok(word_at(c, 0x80000) == 0xababababababababULL, "fill=byte fills the range");
    guint8 nb[20];
    const guint8 *n = dl_dump_read_phys(c, 0x3000, nb, sizeof(nb), NULL) ? nb : NULL;
    tap_ok(n && !memcmp(n + 12, "CORE", 5) && n[8] == NT_PRSTATUS,
           "crash_notes= puts the CPU's note in RAM where the crashed kernel keeps it");
    /* the text PT_LOAD is the kernel image as RAM holds it */
    const DlPhdr *text = NULL;
    for (guint i = 0; i < dl_dump_phnum(c); i++)
        if (dl_dump_phdr(c, i)->vaddr >= 0xffffffff80000000ULL)
            text = dl_dump_phdr(c, i);
    guint64 tw = 0;
    if (text)
        dl_dump_read(c, text->offset + 0x1000, &tw, 8, NULL);
    tap_ok(text && text->paddr == 0x200000 && tw == (text->paddr + 0x1000) / 4096,
           "the text segment copies RAM at its paddr");
    tap_ok(!g_strcmp0(dl_dump_vmcoreinfo_get(c, "CRASHTIME"), "1763856000") &&
               dl_dump_vmcoreinfo_get(c, "KERNELOFFSET") &&
               dl_dump_vmcoreinfo_get(c, "SYMBOL(_stext)"),
           "default VMCOREINFO has CRASHTIME, KERNELOFFSET and SYMBOL(_stext)");
}

static void layouts(void)
{
    g_autoptr(DlDump) k = gen_open("kl", "layout kexec_load\ncpu rip=1\nram 0x1000-0x9ffff\n"
                                         "ram 0x100000-0x3fffff\n");
    bool aligned = k != NULL, low = false;
    for (guint i = 0; k && i < dl_dump_phnum(k); i++) {
        const DlPhdr *p = dl_dump_phdr(k, i);
        if (p->type == PT_LOAD)
            aligned &= p->offset % 4096 == p->paddr % 4096;
        low |= p->type == PT_LOAD && p->paddr < 0x100000;
    }
    tap_ok(aligned && low, "kexec_load: low memory dumped, p_offset = p_paddr mod 4096");

    g_autoptr(DlDump) f = gen_open("kfl", "layout kexec_file_load\ncpu rip=1\n"
                                          "ram 0x1000-0x9ffff\nram 0x80000-0x3fffff\n");
    guint64 lowest = G_MAXUINT64;
    for (guint i = 0; f && i < dl_dump_phnum(f); i++)
        if (dl_dump_phdr(f, i)->type == PT_LOAD)
            lowest = MIN(lowest, dl_dump_phdr(f, i)->paddr);
    tap_ok(f && lowest == 0x100000, "kexec_file_load: nothing below 1 MiB is dumped");

    g_autoptr(DlDump) q =
        gen_open("q", "layout qemu\ncpu rip=1\ncpu rip=2\ncpu rip=3\nram 0x0-0x3fffff\n");
    bool notext = q != NULL;
    guint qemu = 0;
    for (guint i = 0; q && i < dl_dump_phnum(q); i++)
        notext &= dl_dump_phdr(q, i)->vaddr < 0xffffffff80000000ULL;
    for (guint i = 0; q && i < dl_dump_nnotes(q); i++)
        qemu += !strcmp(dl_dump_note(q, i)->name, "QEMU");
    tap_ok(notext && qemu == 3 && g_array_index(dl_dump_cpus(q), DlCpuRegs, 2).pid == 3,
           "qemu: a QEMU note per CPU, pr_pid = index + 1, no text segment");
}

static void file_and_errors(void)
{
    g_autofree char *p = g_build_filename(tmpdir, "mode", NULL);
    GError *err = NULL;
    bool ok = dl_coregen_write("ram 0x100000-0x1fffff\n", p, &err);
    struct stat st;
    tap_ok(ok && stat(p, &st) == 0 && (st.st_mode & 0777) == 0600 && st.st_size < (2 << 20) + 65536,
           "written 0600 and about as big as its RAM");
    g_clear_error(&err);

    static const struct {
        const char *desc, *expect;
    } bad[] = {
        {"ram 0x100000-0x1fffff\nlayout solaris\n", "line 2"},
        {"ram 0x2000-0x1000\n", "line 1"},
        {"ram 0x0-0x40000000\n", "256 MiB"},
        {"cpu rip=banana\nram 0x0-0xfff\n", "banana"},
        {"ram 0x0-0xfff\ndefect frobnicate\n", "frobnicate"},
        {"cpu rip=1\n", "ram"},
        {"layout kexec_file_load\nram 0x0-0xfffff\n", "1 MiB"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        GBytes *b = dl_coregen_build(bad[i].desc, &err);
        tap_ok(!b && err && strstr(err->message, bad[i].expect), "refused: %s",
               err ? err->message : "built");
        if (b)
            g_bytes_unref(b);
        g_clear_error(&err);
    }
    ok = dl_coregen_write("ram 0x0-0xfff\n", "/nonexistent/dir/core", &err);
    tap_ok(!ok && err && strstr(err->message, "/nonexistent/dir/core"),
           "an unwritable path is named in the error");
    g_clear_error(&err);
}

int main(void)
{
    tmpdir = g_dir_make_tmp("coregen-XXXXXX", NULL);
    content();
    layouts();
    file_and_errors();
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
