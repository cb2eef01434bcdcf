/* The reader and checker over every format, on synthetic dumps: IA-64
 * cores (registers where ia64_dump_cpu_regs puts them, 16 KiB pages, the
 * region-5 text segment over region-7 RAM), kdump-compressed files good
 * and damaged (truncated, a flipped compressed page, absurd header fields,
 * overlapping or outside descriptors, a bitmap disagreement), an unknown
 * machine, formats recognised but not read, and a file that shrinks under
 * the checker. Runs under ASan/UBSan too. */
#include "dumplab/check.h"
#include "dumplab/coregen.h"
#include "dumplab/dumpgen.h"
#include "tap.h"

#include <elf.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static char *tmpdir;

static char *path(const char *name)
{
    return g_build_filename(tmpdir, name, NULL);
}

static bool has_rule(const DlCheckResult *r, const char *rule, DlSeverity sev)
{
    for (guint i = 0; r && i < r->findings->len; i++) {
        const DlFinding *f = g_ptr_array_index(r->findings, i);
        if (!strcmp(f->rule, rule) && f->sev == sev)
            return true;
    }
    return false;
}

static void diag(const DlCheckResult *r)
{
    for (guint i = 0; r && i < r->findings->len; i++) {
        const DlFinding *f = g_ptr_array_index(r->findings, i);
        tap_diag("  %s %s: %s", dl_severity_name(f->sev), f->rule, f->message);
    }
}

static DlCheckResult *check(const char *p, int cpus, GError **err)
{
    DlCheckInput in = {.expect_cpus = cpus};
    return dl_check_vmcore(p, &in, err);
}

static void patch(const char *p, guint64 off, const void *bytes, gsize n)
{
    int fd = open(p, O_WRONLY);
    if (fd < 0 || pwrite(fd, bytes, n, (off_t)off) != (ssize_t)n)
        tap_diag("patch %s failed", p);
    if (fd >= 0)
        close(fd);
}

#define IA64 "machine ia64\nlayout kexec_load\n"                                                  \
             "cpu pid=0 rip=0xa000000100012340 rsp=0xa000000101230000\n"                            \
             "cpu pid=7 rip=0xa000000100056780 rsp=0xa000000101240000\n"                            \
             "cpu pid=0 rip=0xa000000100012340 rsp=0xa000000101250000\n"                            \
             "ram 0x4000000-0x5ffffff\n"

static void ia64(void)
{
    g_autofree char *p = path("ia64.core");
    GError *err = NULL;
    if (!dl_coregen_write(IA64, p, &err)) {
        tap_diag("coregen: %s", err->message);
        g_clear_error(&err);
    }
    DlCheckResult *r = check(p, 3, &err);
    const DlCpuRegs *c1 = r && r->cpus->len > 1 ? &g_array_index(r->cpus, DlCpuRegs, 1) : NULL;
    if (!tap_ok(r && r->defects == 0 && r->machine == EM_IA_64 && r->page_size == 16384 &&
                    r->pages_verified == 2048 && c1 && c1->ip == 0xa000000100056780ULL &&
                    c1->sp == 0xa000000101240000ULL && c1->bsp == 0xa000000100410000ULL &&
                    c1->pid == 7,
                "IA-64 core: 3 CPUs, ip from pr_reg[42], sp from r12, bsp from [46], 2048 "
                "16-KiB pages, the region-5 text over region-7 RAM is no overlap"))
        diag(r);
    dl_check_result_free(r);
    r = check(p, 4, &err);
    tap_ok(r && has_rule(r, "cpu.count", DL_SEV_DEFECT), "IA-64 core: a fourth CPU expected is a "
                                                         "defect");
    dl_check_result_free(r);
    /* Kernel text and RAM hold the same frames: their bytes must agree. */
    patch(p, 0x2000 + 0x100, "ZZ", 2);
    r = check(p, 3, &err);
    tap_ok(r && has_rule(r, "load.text-differs", DL_SEV_DEFECT),
           "IA-64 core: text segment differing from RAM is a defect");
    dl_check_result_free(r);
    g_autofree char *bad = path("ia64-short.core");
    dl_coregen_write(IA64 "defect prstatus-size\n", bad, NULL);
    r = check(bad, 3, &err);
    tap_ok(r && has_rule(r, "note.prstatus-size", DL_SEV_DEFECT),
           "IA-64 core: a 300-byte NT_PRSTATUS is named against ia64's 1144");
    dl_check_result_free(r);
    g_autofree char *kd = path("ia64.kdump");
    dl_coregen_write(IA64, p, NULL);
    g_autoptr(DlDump) d = dl_dump_open(p, &err);
    bool made = d && dl_dumpgen_kdump(d, kd, DL_DUMP_ZSTD, 0, &err);
    r = made ? check(kd, 3, &err) : NULL;
    tap_ok(r && r->defects == 0 && r->pages_verified == 2048 && r->machine == EM_IA_64,
           "IA-64 kdump-compressed (zstd): clean, 2048 pages");
    dl_check_result_free(r);
    g_clear_error(&err);
}

#define X86 "layout kexec_load\ncpu pid=0 rip=0xffffffff81001000 rsp=0x1\n"                       \
            "cpu pid=3 rip=0xffffffff81002000 rsp=0x2\nram 0x1000-0x9ffff\n"                        \
            "ram 0x100000-0x1ffffff\nram 0x2000000-0x20fffff fill=zero\n"

static guint32 rd32(const char *p, guint64 off)
{
    guint32 v = 0;
    int fd = open(p, O_RDONLY);
    if (fd >= 0 && pread(fd, &v, 4, (off_t)off) != 4)
        v = 0;
    if (fd >= 0)
        close(fd);
    return v;
}

static char *copy(const char *src, const char *name)
{
    char *dst = path(name);
    gchar *buf = NULL;
    gsize len = 0;
    g_file_get_contents(src, &buf, &len, NULL);
    g_file_set_contents(dst, buf, (gssize)len, NULL);
    g_free(buf);
    return dst;
}

static void kdump_damage(void)
{
    g_autofree char *core = path("x86.core"), *kd = path("x86.kdump");
    GError *err = NULL;
    dl_coregen_write(X86, core, &err);
    g_autoptr(DlDump) d = dl_dump_open(core, &err);
    if (!d || !dl_dumpgen_kdump(d, kd, DL_DUMP_ZLIB, 0, &err)) {
        tap_diag("dumpgen: %s", err ? err->message : "?");
        g_clear_error(&err);
    }
    DlCheckResult *r = check(kd, 2, &err);
    tap_ok(r && r->defects == 0 && r->pages_verified == r->pages_present && r->pages_present > 8000,
           "kdump-compressed (zlib): clean, every page decompressed (%" G_GUINT64_FORMAT ")",
           r ? r->pages_verified : 0);
    dl_check_result_free(r);
    r = check(kd, 3, &err);
    tap_ok(r && has_rule(r, "cpu.count", DL_SEV_DEFECT), "kdump-compressed: a third CPU expected "
                                                         "is a defect");
    dl_check_result_free(r);
    g_autoptr(DlDump) k = dl_dump_open(kd, &err);
    const DlKdumpInfo *ki = k ? dl_dump_kdump_info(k) : NULL;
    if (!tap_ok(ki != NULL, "kdump-compressed header read"))
        return;
    /* A flipped byte in a compressed page. */
    DlPageDesc pd;
    guint64 pfn = 0x200;
    dl_dump_kdump_desc(k, pfn, &pd, NULL);
    g_autofree char *flip = copy(kd, "flip.kdump");
    guint8 b = 0x5a;
    patch(flip, pd.offset + pd.size / 2, &b, 1);
    r = check(flip, 2, &err);
    if (!tap_ok(r && has_rule(r, "page.unreadable", DL_SEV_DEFECT),
                "a flipped byte in a compressed page is a defect naming its frame"))
        diag(r);
    DlCheckInput quick = {.expect_cpus = 2, .quick = true};
    dl_check_result_free(r);
    r = dl_check_vmcore(flip, &quick, &err);
    tap_ok(r && r->defects == 0 && r->pages_verified == 0,
           "--quick reads no page data (and so cannot see it)");
    dl_check_result_free(r);
    /* Overlapping descriptors: the next frame's data starts inside this one's. */
    g_autofree char *ov = copy(kd, "overlap.kdump");
    guint64 idx = 0;
    for (guint64 p = 0; p < pfn; p++)
        idx += dl_dump_kdump_bit(k, 2, p);
    guint64 off1 = pd.offset + 1;
    patch(ov, ki->desc_offset + (idx + 1) * 24, &off1, 8);
    r = check(ov, 2, &err);
    if (!tap_ok(r && has_rule(r, "kdump.overlap", DL_SEV_DEFECT),
                "overlapping page descriptors are a defect"))
        diag(r);
    dl_check_result_free(r);
    /* A descriptor pointing past the end of the file. */
    g_autofree char *out = copy(kd, "outside.kdump");
    guint64 far = (guint64)1 << 40;
    patch(out, ki->desc_offset + idx * 24, &far, 8);
    r = check(out, 2, &err);
    tap_ok(r && has_rule(r, "kdump.descriptor", DL_SEV_DEFECT),
           "a descriptor outside the file is a defect");
    dl_check_result_free(r);
    /* Absurd header fields: each is refused with a message, exit 2. */
    static const struct {
        guint off;
        guint32 v;
        const char *what;
    } absurd[] = {{428, 3, "block_size"},           {432, 0xffffffffu, "sub_hdr_size"},
                  {436, 0xfffffff0u, "bitmap_blocks"}, {8, 0xdeadbeefu, "header_version"}};
    for (guint i = 0; i < G_N_ELEMENTS(absurd); i++) {
        g_autofree char *name = g_strdup_printf("absurd-%u.kdump", i);
        g_autofree char *a = copy(kd, name);
        patch(a, absurd[i].off, &absurd[i].v, 4);
        r = check(a, 2, &err);
        tap_ok(!r && err && strstr(err->message, absurd[i].what), "absurd %s: %s",
               absurd[i].what, err ? err->message : "(accepted)");
        dl_check_result_free(r);
        g_clear_error(&err);
    }
    /* max_mapnr_64 beyond the bitmaps. */
    g_autofree char *mm = copy(kd, "mapnr.kdump");
    guint64 huge = (guint64)1 << 60;
    patch(mm, ki->block_size + 96, &huge, 8);
    r = check(mm, 2, &err);
    tap_ok(!r && err && strstr(err->message, "max_mapnr"), "absurd max_mapnr: %s",
           err ? err->message : "(accepted)");
    g_clear_error(&err);
    dl_check_result_free(r);
    /* A dumped frame that the 1st bitmap says is not RAM. */
    g_autofree char *bm = copy(kd, "bitmap.kdump");
    guint8 zero = 0;
    patch(bm, ki->bitmap_offset + pfn / 8, &zero, 1);
    r = check(bm, 2, &err);
    tap_ok(r && has_rule(r, "kdump.bitmaps", DL_SEV_DEFECT),
           "frames dumped but not RAM by the 1st bitmap are a defect");
    dl_check_result_free(r);
    /* Every truncation: a result or an error, never a crash. */
    gchar *all = NULL;
    gsize len = 0;
    g_file_get_contents(kd, &all, &len, NULL);
    g_autofree char *cut = path("cut.kdump");
    guint results = 0, errors = 0;
    bool sane = true;
    for (gsize n = 0; n < len; n += len / 97 + 1) {
        g_file_set_contents(cut, all, (gssize)n, NULL);
        r = check(cut, 2, &err);
        if (r) {
            results++;
            sane &= n == len || r->defects > 0;
        } else {
            errors++;
        }
        dl_check_result_free(r);
        g_clear_error(&err);
    }
    g_free(all);
    tap_ok(sane && errors > 0, "truncated kdump-compressed files: %u results with defects, %u "
                               "errors, no crash",
           results, errors);
    /* Level 1: the zero pages are excluded, counted, and not missing. */
    g_autofree char *lv = path("level1.kdump");
    dl_dumpgen_kdump(d, lv, DL_DUMP_LZO, 1, NULL);
    r = check(lv, 2, &err);
    tap_ok(r && r->dump_level == 1 && r->pages_excluded == 256 && r->defects == 0 &&
               has_rule(r, "filter.unverified", DL_SEV_WARNING),
           "dump level 1: 256 zero pages excluded, no defect; without struct-page symbols "
           "the classes are unverified (a warning)");
    dl_check_result_free(r);
    (void)rd32;
}

static void names(void)
{
    g_autofree char *core = path("arm.core");
    GError *err = NULL;
    dl_coregen_write(X86, core, NULL);
    guint16 m = EM_AARCH64;
    patch(core, 18, &m, 2);
    DlCheckResult *r = check(core, 2, &err);
    bool named = false;
    for (guint i = 0; r && i < r->findings->len; i++) {
        const DlFinding *f = g_ptr_array_index(r->findings, i);
        named |= !strcmp(f->rule, "ehdr.machine") && strstr(f->message, "aarch64");
    }
    const DlCpuRegs *c = r && r->cpus->len ? &g_array_index(r->cpus, DlCpuRegs, 0) : NULL;
    tap_ok(named && c && !c->regs_valid && c->ip == 0,
           "an unknown machine is named (aarch64), its registers are not read as x86_64");
    dl_check_result_free(r);
    static const struct {
        const char *bytes;
        gsize n;
        const char *name;
    } other[] = {{"DISKDUMP\0\0\0\0", 12, "diskdump"},
                 {"PAGEDU64xxxx", 12, "Windows"},
                 {"QEVM\0\0\0\3xxxx", 12, "migration"},
                 {"\x7f" "ELF\2\2\1\0\0\0\0\0\0\0\0\0", 16, "big-endian"}};
    for (guint i = 0; i < G_N_ELEMENTS(other); i++) {
        g_autofree char *p = path("other");
        guint8 buf[256] = {0};
        memcpy(buf, other[i].bytes, other[i].n);
        g_file_set_contents(p, (char *)buf, sizeof(buf), NULL);
        r = check(p, -1, &err);
        tap_ok(!r && err && strstr(err->message, other[i].name), "recognised, not read: %s",
               err ? err->message : "(read)");
        dl_check_result_free(r);
        g_clear_error(&err);
    }
}

/* A flattened file whose one record at offset 2^40 makes its logical size
 * a TiB, and whose header then claims bitmaps of 4 GiB: refused by name at
 * once, no allocation of what the header claims (a read-flat fuzz
 * timeout). */
static void flat_claims(void)
{
    g_autofree char *p = path("claims.flat");
    guint8 blk[8192] = {0}; /* disk_dump_header and kdump_sub_header */
    memcpy(blk, "KDUMP   ", 8);
    guint32 v[4] = {6, 4096, 1, 1u << 22}; /* version, block_size, sub_hdr_size, bitmap_blocks */
    memcpy(blk + 8, &v[0], 4);
    memcpy(blk + 428, &v[1], 4);
    memcpy(blk + 432, &v[2], 4);
    memcpy(blk + 436, &v[3], 4);
    guint64 maxpfn = 1ULL << 35; /* kdump_sub_header.max_mapnr_64 */
    memcpy(blk + 4096 + 96, &maxpfn, 8);
    g_autoptr(GByteArray) o = g_byte_array_new();
    guint8 hdr[4096] = "makedumpfile";
    hdr[23] = hdr[31] = 1;
    g_byte_array_append(o, hdr, sizeof(hdr));
    guint64 r1[2] = {0, GUINT64_TO_BE(sizeof(blk))}, r2[2] = {GUINT64_TO_BE(1ULL << 40),
                                                               GUINT64_TO_BE(1)};
    guint64 end[2] = {G_MAXUINT64, G_MAXUINT64};
    g_byte_array_append(o, (guint8 *)r1, 16);
    g_byte_array_append(o, blk, sizeof(blk));
    g_byte_array_append(o, (guint8 *)r2, 16);
    g_byte_array_append(o, blk, 1);
    g_byte_array_append(o, (guint8 *)end, 16);
    GError *err = NULL;
    gint64 t0 = g_get_monotonic_time();
    g_autoptr(DlDump) d = g_file_set_contents(p, (char *)o->data, o->len, NULL)
                              ? dl_dump_open(p, &err)
                              : NULL;
    double sec = (g_get_monotonic_time() - t0) / 1e6;
    tap_ok(!d && err && strstr(err->message, "more than the whole flattened stream") && sec < 1,
           "a flattened file whose header claims 4 GiB bitmaps is refused in %.3f s: %s", sec,
           err ? err->message : "opened");
    g_clear_error(&err);
}

/* A flattened ELF whose last PT_LOAD claims 16 TiB and whose one extra
 * record at 2^45 makes the logical file that large: the page walk stops
 * at the bytes the records hold (a read-flat and dump-flat fuzz timeout:
 * billions of frames in holes). */
static void flat_holes(void)
{
    g_autofree char *core = path("holes.core"), *p = path("holes.flat");
    g_autofree char *f = NULL;
    gsize len = 0;
    bool ok = dl_coregen_write(X86, core, NULL) && g_file_get_contents(core, &f, &len, NULL);
    Elf64_Ehdr e;
    if (ok)
        memcpy(&e, f, sizeof(e));
    for (int i = ok ? e.e_phnum - 1 : -1; i >= 0; i--) {
        Elf64_Phdr ph;
        memcpy(&ph, f + e.e_phoff + (gsize)i * sizeof(ph), sizeof(ph));
        if (ph.p_type != PT_LOAD)
            continue;
        ph.p_filesz = ph.p_memsz = 1ULL << 44;
        memcpy(f + e.e_phoff + (gsize)i * sizeof(ph), &ph, sizeof(ph));
        break;
    }
    g_autoptr(GByteArray) o = g_byte_array_new();
    guint8 hdr[4096] = "makedumpfile";
    hdr[23] = hdr[31] = 1;
    g_byte_array_append(o, hdr, sizeof(hdr));
    guint64 r1[2] = {0, GUINT64_TO_BE(len)}, r2[2] = {GUINT64_TO_BE(1ULL << 45), GUINT64_TO_BE(8)};
    guint64 end[2] = {G_MAXUINT64, G_MAXUINT64};
    g_byte_array_append(o, (guint8 *)r1, 16);
    if (ok)
        g_byte_array_append(o, (guint8 *)f, (guint)len);
    g_byte_array_append(o, (guint8 *)r2, 16);
    g_byte_array_append(o, hdr, 8);
    g_byte_array_append(o, (guint8 *)end, 16);
    GError *err = NULL;
    ok = ok && g_file_set_contents(p, (char *)o->data, o->len, NULL);
    gint64 t0 = g_get_monotonic_time();
    g_autoptr(DlDump) d = ok ? dl_dump_open(p, &err) : NULL;
    DlCheckInput in = {.expect_cpus = 2};
    DlCheckResult *r = d ? dl_check_dump(d, &in, &err) : NULL;
    double sec = (g_get_monotonic_time() - t0) / 1e6;
    tap_ok(r && r->pages_present < len / 4096 && has_rule(r, "load.hole", DL_SEV_DEFECT) &&
               sec < 5,
           "a flattened ELF whose segment claims 16 TiB over holes: %" G_GUINT64_FORMAT
           " frames present (of a %zu-byte core), the hole named, %.2f s: %s",
           r ? r->pages_present : 0, len, sec, err ? err->message : "checked");
    dl_check_result_free(r);
    g_clear_error(&err);
}

/* The file shrinks after it was opened: an error naming it, not SIGBUS. */
static void shrink(void)
{
    g_autofree char *core = path("shrink.core");
    GError *err = NULL;
    dl_coregen_write(X86, core, NULL);
    g_autoptr(DlDump) d = dl_dump_open(core, &err);
    if (!tap_ok(d != NULL, "opened"))
        return;
    if (truncate(core, 65536) != 0)
        tap_diag("truncate failed");
    DlCheckResult *r = dl_check_dump(d, NULL, &err);
    tap_ok(!r && err && strstr(err->message, "shrank"), "a file shrinking under the checker: %s",
           err ? err->message : "(no error)");
    dl_check_result_free(r);
    g_clear_error(&err);
}

int main(void)
{
    tmpdir = g_dir_make_tmp("formats-XXXXXX", NULL);
    ia64();
    kdump_damage();
    names();
    shrink();
    flat_claims();
    flat_holes();
    g_autoptr(GDir) dir = g_dir_open(tmpdir, 0, NULL);
    const char *e;
    while (dir && (e = g_dir_read_name(dir))) {
        g_autofree char *p = path(e);
        g_unlink(p);
    }
    g_rmdir(tmpdir);
    g_free(tmpdir);
    return tap_done();
}
