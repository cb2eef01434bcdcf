/* The text watch on a synthetic guest: page tables (4- and 5-level, and a
 * PTI user CR3), an IDT whose handlers lie in a KASLR-shifted kernel text,
 * the bounds found exactly, the view read-only, and each kind of text
 * change caught and classified with its symbol. */
#include "dumplab/guestview.h"
#include "dumplab/ksyms.h"
#include "dumplab/ktext.h"
#include "dumplab/textwatch.h"
#include "tap.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#define RAM (64ull << 20)
#define P 0x1ull
#define W 0x2ull
#define PS 0x80ull
#define NX (1ull << 63)
#define LINK_TEXT 0xffffffff81000000ull
#define KASLR 0x19000000ull
#define VTEXT (LINK_TEXT + KASLR) /* 0xffffffff9a000000 */
#define PTEXT 0x1000000ull
#define TEXT_LEN 0x601d32ull /* three 2 MiB pages, one 4 KiB, a partial one */
#define IDT_VA 0xfffffe0000000000ull

enum {
    PML5 = 0x9000,
    PGD = 0x10000,
    UPGD = 0x11000,
    PUD = 0x2000,
    PMD = 0x3000,
    PT = 0x4000,
    PUD2 = 0x6000,
    PMD2 = 0x7000,
    PT2 = 0x8000,
    IDT = 0x5000
};

static uint8_t *ram;

static void set(uint64_t table, unsigned idx, uint64_t v)
{
    memcpy(ram + table + idx * 8, &v, 8);
}

static unsigned ix(uint64_t va, int level)
{
    return (va >> (12 + 9 * (level - 1))) & 511;
}

static void build(void)
{
    ram = g_malloc0(RAM);
    set(PML5, ix(VTEXT, 5), PGD | P | W);
    set(PGD, ix(VTEXT, 4), PUD | P | W);
    set(PUD, ix(VTEXT, 3), PMD | P | W);
    for (unsigned i = 0; i < 3; i++)
        set(PMD, ix(VTEXT, 2) + i, (PTEXT + i * 0x200000) | P | PS);
    set(PMD, ix(VTEXT, 2) + 3, PT | P | W);
    set(PT, 0, (PTEXT + 0x600000) | P);
    set(PT, 1, (PTEXT + 0x601000) | P);
    /* rodata after the freed gap: present, not executable. */
    set(PT, 4, (PTEXT + 0x604000) | P | NX);
    /* The IDT in its own (cpu_entry_area-like) mapping, both halves. */
    set(PGD, ix(IDT_VA, 4), PUD2 | P | W);
    set(UPGD, ix(IDT_VA, 4), PUD2 | P | W);
    set(PUD2, 0, PMD2 | P | W);
    set(PMD2, 0, PT2 | P | W);
    set(PT2, 0, IDT | P | NX);
    for (unsigned v = 0; v < 256; v++) {
        uint64_t h = VTEXT + 0x400000 + v * 16;
        uint8_t *g = ram + IDT + v * 16;
        g[0] = h & 0xff, g[1] = (h >> 8) & 0xff, g[2] = 0x10, g[5] = 0x8e;
        g[6] = (h >> 16) & 0xff, g[7] = (h >> 24) & 0xff;
        uint32_t hi = h >> 32;
        memcpy(g + 8, &hi, 4);
    }
    /* Text: never a zero byte, so the end is where the zeros start. */
    memset(ram + PTEXT, 0x90, TEXT_LEN);
    static const uint8_t nop5[5] = {0x0f, 0x1f, 0x44, 0x00, 0x00};
    memcpy(ram + PTEXT + 0x1010, nop5, 5); /* a jump label site */
    memcpy(ram + PTEXT + 0x2000, nop5, 5); /* an ftrace site */
}

static DlKsyms *symbols(void)
{
    g_autofree char *path = NULL;
    int fd = g_file_open_tmp("dl-sysmap-XXXXXX", &path, NULL);
    g_autofree char *map =
        g_strdup_printf("%llx T _text\n%llx T fa\n%llx T fb\n%llx T fc\n"
                        "%llx T fd\n%llx T ftrace_call\n%llx T __SCT__tp_func_x\n"
                        "%llx T _etext\n",
                        LINK_TEXT, LINK_TEXT + 0x1000, LINK_TEXT + 0x2000, LINK_TEXT + 0x3000,
                        LINK_TEXT + 0x4000, LINK_TEXT + 0x5000, LINK_TEXT + 0x6000,
                        LINK_TEXT + TEXT_LEN);
    g_assert(write(fd, map, strlen(map)) == (ssize_t)strlen(map));
    close(fd);
    DlKsyms *k = dl_ksyms_load(path, NULL);
    g_unlink(path);
    uint64_t js = LINK_TEXT + 0x1010, ms = LINK_TEXT + 0x2000;
    g_array_append_val(k->jump, js);
    g_array_append_val(k->mcount, ms);
    return k;
}

static const DlTextChange *only(GPtrArray *c, unsigned n)
{
    return c->len == n ? g_ptr_array_index(c, n - 1) : NULL;
}

int main(void)
{
    build();
    g_autoptr(DlGuestView) v = dl_view_wrap(ram, RAM);
    DlVcpuState cpu;
    GError *err = NULL;
    const char *regs = "RAX=0000000000000000 RBX=0000000000000000\n"
                       "GDT=     fffffe0000001000 0000007f\n"
                       "IDT=     fffffe0000000000 00000fff\n"
                       "CR0=80050033 CR2=0000000000000000 CR3=0000000000010000 CR4=000006f0\n";
    tap_ok(dl_vcpu_parse(regs, &cpu, &err) && cpu.cr3 == PGD && cpu.idt_base == IDT_VA &&
               cpu.idt_limit == 0xfff && !cpu.la57,
           "QEMU's register dump gives CR3, CR4 and the IDT");
    tap_ok(!dl_vcpu_parse("RAX=0\n", &cpu, &err) && err && strstr(err->message, "CR3"),
           "a dump without CR3 is refused (%s)", err ? err->message : "accepted");
    g_clear_error(&err);
    dl_vcpu_parse(regs, &cpu, NULL);

    DlKernelText kt;
    bool found = dl_ktext_find(v, &cpu, LINK_TEXT, &kt, &err);
    tap_ok(found && kt.vstart == VTEXT && kt.vend == VTEXT + TEXT_LEN && kt.pstart == PTEXT &&
               kt.pend == PTEXT + TEXT_LEN && kt.vmap_end == VTEXT + 0x602000,
           "4-level: text 0x%llx-0x%llx found exactly (0x%llx-0x%llx)", (unsigned long long)VTEXT,
           (unsigned long long)(VTEXT + TEXT_LEN), (unsigned long long)kt.vstart,
           (unsigned long long)kt.vend);
    tap_ok(found && kt.kaslr_virt == (int64_t)KASLR && kt.handlers == 256 && kt.outside == 0,
           "the KASLR offset and all 256 handlers inside");
    DlVcpuState c5 = cpu;
    c5.cr3 = PML5 | 0x5; /* a PCID in the low bits */
    c5.la57 = true;
    DlKernelText k5;
    tap_ok(dl_ktext_find(v, &c5, LINK_TEXT, &k5, NULL) && k5.vstart == kt.vstart &&
               k5.vend == kt.vend,
           "5-level paging (CR4.LA57) finds the same text");
    DlVcpuState cu = cpu;
    cu.cr3 = UPGD | 0x801; /* PTI's user half with a PCID */
    DlKernelText ku;
    tap_ok(dl_ktext_find(v, &cu, LINK_TEXT, &ku, NULL) && ku.vstart == kt.vstart && ku.cr3 == PGD,
           "a vCPU caught on PTI's user page tables: the kernel half is used");
    DlVcpuState cx = cpu;
    cx.cr3 = 0x30000; /* empty tables */
    tap_ok(!dl_ktext_find(v, &cx, LINK_TEXT, &ku, &err) && err &&
               strstr(err->message, "no executable kernel mapping"),
           "tables that map nothing: a clear error");
    g_clear_error(&err);

    g_autoptr(DlKsyms) ks = symbols();
    g_autoptr(DlTextWatch) w = dl_textwatch_new(v, &kt, ks, &err);
    tap_ok(w && dl_textwatch_pages(w) == 0x602, "the watch covers 0x602 text pages");
    dl_textwatch_baseline(w);
    g_autoptr(GPtrArray) ch = g_ptr_array_new_with_free_func((GDestroyNotify)dl_text_change_free);
    tap_ok(dl_textwatch_scan(w, ch) == 0, "an unchanged text: no report");

    static const uint8_t jmp[5] = {0xe9, 0x10, 0x02, 0x00, 0x00};
    memcpy(ram + PTEXT + 0x1010, jmp, 5);
    dl_textwatch_scan(w, ch);
    const DlTextChange *c = only(ch, 1);
    tap_ok(c && c->cls == DL_TC_STATIC_KEY && !g_strcmp0(c->symbol, "fa") && c->off == 0x10 &&
               c->va == VTEXT + 0x1010,
           "nop5 -> jmp at a jump label site: static-key at fa+0x10");
    tap_ok(dl_textwatch_scan(w, ch) == 0, "reported once: the change is the new baseline");

    static const uint8_t call[5] = {0xe8, 0x00, 0x10, 0x00, 0x00};
    memcpy(ram + PTEXT + 0x2000, call, 5);
    dl_textwatch_scan(w, ch);
    c = only(ch, 2);
    tap_ok(c && c->cls == DL_TC_FTRACE && !g_strcmp0(c->symbol, "fb") && c->off == 0,
           "nop5 -> call at an __fentry__ site: ftrace at fb+0x0");

    ram[PTEXT + 0x3005] = 0xcc;
    dl_textwatch_scan(w, ch);
    c = only(ch, 3);
    tap_ok(c && c->cls == DL_TC_KPROBE && !g_strcmp0(c->symbol, "fc") && c->off == 5,
           "one int3 over an instruction: kprobe at fc+0x5");

    ram[PTEXT + 0x4000] = 0x0f, ram[PTEXT + 0x4001] = 0x0b;
    dl_textwatch_scan(w, ch);
    c = only(ch, 4);
    g_autofree char *d = c ? dl_text_change_describe(c) : NULL;
    tap_ok(c && c->cls == DL_TC_UNEXPLAINED && c->len == 2 && !g_strcmp0(c->symbol, "fd"),
           "ud2 written into fd: unexplained (%s)", d ? d : "none");
    ram[PTEXT + 0x1010] = 0x0f; /* a jump site given bytes no jump label writes */
    dl_textwatch_scan(w, ch);
    c = only(ch, 5);
    tap_ok(c && c->cls == DL_TC_UNEXPLAINED, "a patch site with foreign bytes: unexplained");

    /* ftrace retargets the call after its trampoline's label. */
    ram[PTEXT + 0x5001] ^= 0xff;
    dl_textwatch_scan(w, ch);
    c = only(ch, 6);
    tap_ok(c && c->cls == DL_TC_FTRACE && !g_strcmp0(c->symbol, "ftrace_call"),
           "the call in ftrace's trampoline retargeted: ftrace");

    /* A static call's trampoline rewritten (tracepoints use them). */
    ram[PTEXT + 0x6001] ^= 0x55;
    dl_textwatch_scan(w, ch);
    c = only(ch, 7);
    tap_ok(c && c->cls == DL_TC_STATIC_KEY && !g_strcmp0(c->symbol, "__SCT__tp_func_x"),
           "a static call trampoline rewritten: static-key");

    /* The read-only proof on a real file mapping. */
    g_autofree char *path = NULL;
    int fd = g_file_open_tmp("dl-ram-XXXXXX", &path, NULL);
    g_assert(ftruncate(fd, 1 << 20) == 0);
    g_assert(pwrite(fd, "\x5a", 1, 4096) == 1);
    close(fd);
    g_autoptr(DlGuestView) fv = dl_view_open(path, &err);
    g_autofree char *how = NULL;
    tap_ok(fv && dl_view_prove_readonly(fv, 4096, &how, &err),
           "a write through the file view faults in a child, the byte is unchanged (%s)",
           err ? err->message : how);
    g_clear_error(&err);
    tap_ok(fv && !dl_view_phys(fv, 1 << 20, 1) && !dl_view_phys(fv, (1 << 20) - 1, 2),
           "reads past the guest's RAM are refused");
    g_unlink(path);
    tap_ok(!dl_view_open("/nonexistent/ram", &err) && err && strstr(err->message, "/nonexistent"),
           "a missing RAM file: the error names it");
    g_clear_error(&err);
    g_free(ram);
    return tap_done();
}
