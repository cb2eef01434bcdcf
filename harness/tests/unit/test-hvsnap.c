/* The hypervisor-snapshot readers on synthetic input: QEMU's flat memory
 * map ("info mtree -f", as HMP prints it, CRLF) and a QEMU 7.2 migration
 * stream turned into an ELF core that the one dump reader reads back. */
#include "dumplab/bgsnap.h"
#include "dumplab/dump.h"
#include "dumplab/ramsnap.h"
#include "tap.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

static const char *mtree =
    "FlatView #0\r\n AS \"I/O\", root: io\r\n Root memory region: io\r\n"
    "  0000000000000000-0000000000000007 (prio 0, i/o): dma-chan\r\n\r\n"
    "FlatView #1\r\n AS \"memory\", root: system\r\n AS \"cpu-memory-0\", root: system\r\n"
    " Root memory region: system\r\n"
    "  0000000000000000-00000000000c2fff (prio 0, ram): pc.ram\r\n"
    "  00000000000c3000-00000000000e7fff (prio 0, rom): pc.ram @00000000000c3000\r\n"
    "  00000000000e8000-00000000000effff (prio 0, ram): pc.ram @00000000000e8000\r\n"
    "  00000000000f0000-00000000000fffff (prio 0, rom): pc.ram @00000000000f0000\r\n"
    "  0000000000100000-000000003fffffff (prio 0, ram): pc.ram @0000000000100000\r\n"
    "  00000000fec00000-00000000fec00fff (prio 0, i/o): ioapic\r\n"
    "  00000000fffc0000-00000000ffffffff (prio 0, rom): pc.bios\r\n\r\n"
    "FlatView #2\r\n AS \"cpu-smm-0\", root: memory\r\n Root memory region: memory\r\n"
    "  0000000000000000-00000000000c2fff (prio 0, ram): pc.ram\r\n";

static void be32(GByteArray *b, guint32 v)
{
    v = GUINT32_TO_BE(v);
    g_byte_array_append(b, (guint8 *)&v, 4);
}
static void be64(GByteArray *b, guint64 v)
{
    v = GUINT64_TO_BE(v);
    g_byte_array_append(b, (guint8 *)&v, 8);
}
static void u8(GByteArray *b, guint8 v)
{
    g_byte_array_append(b, &v, 1);
}
static void name(GByteArray *b, const char *s)
{
    u8(b, (guint8)strlen(s));
    g_byte_array_append(b, (const guint8 *)s, strlen(s));
}

/* 4 pages of "pc.ram": 0 data 0xAA, 1 zero, 2 data 0x55, 3 filled 0x07;
 * skip drops one page, dup sends page 2 twice. */
static GByteArray *stream(int skip, bool dup)
{
    GByteArray *b = g_byte_array_new();
    be32(b, 0x5145564d);
    be32(b, 3);
    u8(b, 0x07); /* configuration */
    be32(b, 13);
    g_byte_array_append(b, (const guint8 *)"pc-i440fx-7.2", 13);
    u8(b, 0x01); /* START ram */
    be32(b, 3);
    name(b, "ram");
    be32(b, 0);
    be32(b, 4);
    be64(b, (0x4000 + 0x1000) | 0x04);
    name(b, "pc.ram");
    be64(b, 0x4000);
    name(b, "/rom@etc/acpi/rsdp");
    be64(b, 0x1000);
    be64(b, 0x10);
    u8(b, 0x7e);
    be32(b, 3);
    u8(b, 0x02); /* PART */
    be32(b, 3);
    guint8 page[4096];
    for (int p = 0; p < 4; p++) {
        if (p == skip)
            continue;
        bool first = p == 0 || (skip == 0 && p == 1);
        guint64 flags = p == 1 || p == 3 ? 0x02 : 0x08;
        be64(b, (guint64)p * 4096 | flags | (first ? 0 : 0x20));
        if (first)
            name(b, "pc.ram");
        if (flags == 0x02)
            u8(b, p == 3 ? 0x07 : 0);
        else {
            memset(page, p == 0 ? 0xAA : 0x55, sizeof(page));
            g_byte_array_append(b, page, sizeof(page));
        }
    }
    if (dup) {
        be64(b, 2 * 4096 | 0x08 | 0x20);
        g_byte_array_append(b, page, sizeof(page));
    }
    be64(b, 0 | 0x02); /* a page of a block off the map: read and dropped */
    name(b, "/rom@etc/acpi/rsdp");
    u8(b, 0);
    be64(b, 0x10);
    u8(b, 0x7e);
    be32(b, 3);
    u8(b, 0x04); /* device state follows */
    name(b, "timer");
    return b;
}

static bool convert(GByteArray *s, const char *out, GError **err)
{
    g_autofree char *in = g_strconcat(out, ".stream", NULL);
    g_file_set_contents(in, (const char *)s->data, s->len, NULL);
    g_autoptr(GArray) ranges = g_array_new(FALSE, FALSE, sizeof(DlRamRange));
    DlRamRange r = {.gpa = 0x100000, .size = 0x4000, .offset = 0};
    strcpy(r.block, "pc.ram");
    g_array_append_val(ranges, r);
    int ifd = open(in, O_RDONLY), ofd = open(out, O_RDWR | O_CREAT | O_TRUNC, 0600);
    DlBgSnapStats st = {0};
    bool ok = dl_bgsnap_stream_to_elf(ifd, ranges, ofd, &st, err);
    close(ifd);
    close(ofd);
    unlink(in);
    return ok;
}

int main(void)
{
    g_autoptr(GArray) ranges = g_array_new(FALSE, FALSE, sizeof(DlRamRange));
    GError *err = NULL;
    tap_ok(dl_ramsnap_parse_mtree(mtree, ranges, &err), "an 'info mtree -f' text parses");
    const DlRamRange *r0 = &g_array_index(ranges, DlRamRange, 0);
    tap_ok(ranges->len == 2 && !strcmp(r0->block, "pc.ram") && r0->gpa == 0 &&
               r0->size == 0x40000000 && r0->offset == 0,
           "the memory view's RAM and ROM pieces of pc.ram merge into one range, CRLF "
           "stripped (%u ranges, first '%s' size 0x%" G_GINT64_MODIFIER "x)",
           ranges->len, r0->block, r0->size);
    tap_ok(ranges->len == 2 && !strcmp(g_array_index(ranges, DlRamRange, 1).block, "pc.bios") &&
               g_array_index(ranges, DlRamRange, 1).gpa == 0xfffc0000,
           "the BIOS ROM is its own range; I/O regions are left out");
    g_autoptr(GArray) none = g_array_new(FALSE, FALSE, sizeof(DlRamRange));
    bool refused = !dl_ramsnap_parse_mtree("FlatView #0\n AS \"I/O\", root: io\n", none, &err) &&
                   err && strstr(err->message, "\"memory\"");
    tap_ok(refused,
           "a map without the memory view is refused by name (%s)", err ? err->message : "");
    g_clear_error(&err);

    g_autofree char *dir = g_dir_make_tmp("test-hvsnap-XXXXXX", NULL);
    g_autofree char *core = g_build_filename(dir, "core", NULL);
    g_autoptr(GByteArray) good = stream(-1, false);
    bool ok = convert(good, core, &err);
    tap_ok(ok, "a RAM stream becomes an ELF core (%s)", err ? err->message : "ok");
    g_clear_error(&err);
    g_autoptr(DlDump) d = ok ? dl_dump_open(core, &err) : NULL;
    guint8 buf[4096];
    DlPageState stt;
    bool pages_ok = d != NULL;
    static const int want[4] = {0xAA, 0, 0x55, 0x07};
    for (int p = 0; pages_ok && p < 4; p++)
        pages_ok = dl_dump_page(d, 0x100 + p, buf, &stt, NULL) && stt == DL_PAGE_PRESENT &&
                   buf[0] == want[p] && buf[4095] == want[p];
    tap_ok(pages_ok, "every page reads back at its guest-physical address: data, zero, fill");
    struct stat sb;
    tap_ok(stat(core, &sb) == 0 && (sb.st_mode & 0777) == 0600, "the core is 0600");
    unlink(core);

    g_autoptr(GByteArray) missing = stream(3, false);
    bool missing_refused = !convert(missing, core, &err) && err && strstr(err->message, "lacks guest page 3");
    tap_ok(missing_refused,
           "a stream without one page of the map is refused (%s)", err ? err->message : "");
    g_clear_error(&err);
    unlink(core);
    g_autoptr(GByteArray) twice = stream(-1, true);
    bool twice_refused = !convert(twice, core, &err) && err && strstr(err->message, "twice");
    tap_ok(twice_refused,
           "a page sent twice is refused (%s)", err ? err->message : "");
    g_clear_error(&err);
    unlink(core);
    g_autoptr(GByteArray) cut = stream(-1, false);
    g_byte_array_set_size(cut, cut->len / 2);
    bool cut_refused = !convert(cut, core, &err) && err && strstr(err->message, "ends early");
    tap_ok(cut_refused,
           "a stream cut short is refused (%s)", err ? err->message : "");
    g_clear_error(&err);
    unlink(core);
    rmdir(dir);
    return tap_done();
}
