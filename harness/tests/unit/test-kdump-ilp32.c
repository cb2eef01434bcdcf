/* kdump-compressed files with the ILP32 header layout, as QEMU writes them
 * for an x86 guest outside long mode (its x86_64 build still names itself
 * "x86_64" in utsname) and as a 32-bit makedumpfile does: synthetic ones,
 * good and damaged, plain and flattened, through the one reader and the
 * checker. The real ones are made from a running guest in
 * tests/integ/qemu-32bit-dumps.sh. */
#include "dumplab/check.h"
#include "dumplab/dumpgen.h"
#include "tap.h"

#include <elf.h>
#include <glib/gstdio.h>
#include <string.h>

#define BS 4096
#define FRAMES 16 /* max_mapnr */
#define DUMPED 8  /* frames 0..7 in the 2nd bitmap */

static char *tmpdir;

static void put32(guint8 *p, guint32 v)
{
    v = GUINT32_TO_LE(v);
    memcpy(p, &v, 4);
}
static void put64(guint8 *p, guint64 v)
{
    v = GUINT64_TO_LE(v);
    memcpy(p, &v, 8);
}

/* One i386 NT_PRSTATUS note (144 bytes: pr_pid at 24, pr_reg of 17 4-byte
 * words at 72, eip the 13th, esp the 16th). Returns its length. */
static gsize prstatus32(guint8 *p, guint32 pid, guint32 eip, guint32 esp)
{
    put32(p, 5); /* "CORE" */
    put32(p + 4, 144);
    put32(p + 8, NT_PRSTATUS);
    memcpy(p + 12, "CORE\0\0\0", 8);
    guint8 *desc = p + 20;
    memset(desc, 0, 144);
    put32(desc + 24, pid);
    put32(desc + 72 + 12 * 4, eip);
    put32(desc + 72 + 15 * 4, esp);
    return 20 + 144;
}

typedef enum { GOOD, BAD_BLOCK_SIZE, DESC_OUTSIDE, TRUNCATED } Damage;

/* Header block, sub-header block (the notes follow the 80-byte ILP32
 * sub-header), 1st and 2nd bitmap blocks, descriptors, page data. */
static char *write_ilp32(const char *name, Damage dmg)
{
    gsize desc_off = 4 * BS, data_off = desc_off + DUMPED * 24;
    gsize len = data_off + (gsize)DUMPED * BS;
    g_autofree guint8 *f = g_malloc0(len);
    memcpy(f, "KDUMP   ", 8);
    put32(f + 8, 6);                                   /* header_version */
    memcpy(f + 12 + 4 * 65, "x86_64", 6);              /* utsname.machine, as QEMU names it */
    put32(f + 416, dmg == BAD_BLOCK_SIZE ? 3000 : BS); /* block_size */
    put32(f + 420, 1);                                 /* sub_hdr_size */
    put32(f + 424, 2);                                 /* bitmap_blocks */
    put32(f + 428, FRAMES);                            /* max_mapnr */
    put32(f + 448, 2);                                 /* nr_cpus */
    guint8 *sh = f + BS;
    put32(sh + 4, 1); /* dump_level */
    gsize notes = BS + 128;
    gsize nlen = prstatus32(f + notes, 1, 0x7fd79cc, 0x7fc5f28);
    nlen += prstatus32(f + notes + nlen, 2, 0xfff0, 0);
    /* QEMU's own note (QEMUCPUState, here empty): a dump of firmware has no
     * VMCOREINFO, which a QEMU dump may lack. */
    put32(f + notes + nlen, 5);
    put32(f + notes + nlen + 4, 0);
    memcpy(f + notes + nlen + 12, "QEMU\0\0\0", 8);
    nlen += 20;
    put64(sh + 32, notes); /* offset_note */
    put32(sh + 40, (guint32)nlen);
    put64(sh + 72, FRAMES); /* max_mapnr_64 */
    f[2 * BS] = 0xff;       /* 1st bitmap: frames 0..7 are RAM, 8..15 a hole */
    f[3 * BS] = 0xff;       /* 2nd bitmap: frames 0..7 dumped */
    for (guint i = 0; i < DUMPED; i++) {
        guint8 *d = f + desc_off + i * 24;
        guint64 off = data_off + (guint64)i * BS;
        put64(d, dmg == DESC_OUTSIDE && i == 5 ? len + BS : off);
        put32(d + 8, BS); /* size; flags 0: stored as is */
        memset(f + off, 0x40 + i, BS);
    }
    if (dmg == TRUNCATED)
        len -= BS + 100;
    char *p = g_build_filename(tmpdir, name, NULL);
    g_file_set_contents(p, (const char *)f, (gssize)len, NULL);
    return p;
}

static DlCheckResult *check(const char *path, int cpus, char **err_out)
{
    GError *e = NULL;
    DlCheckInput in = {.expect_cpus = cpus};
    DlCheckResult *r = dl_check_vmcore(path, &in, &e);
    if (!r) {
        *err_out = g_strdup(e->message);
        g_error_free(e);
    }
    return r;
}

static void diag(const DlCheckResult *r)
{
    for (guint i = 0; r && i < r->findings->len; i++) {
        const DlFinding *f = g_ptr_array_index(r->findings, i);
        tap_diag("  %s %s: %s", dl_severity_name(f->sev), f->rule, f->message);
    }
}

static void good_file(const char *path, const char *what)
{
    GError *e = NULL;
    g_autoptr(DlDump) d = dl_dump_open(path, &e);
    if (tap_ok(d != NULL, "%s: opens (%s)", what, e ? e->message : "yes")) {
        const DlKdumpInfo *k = dl_dump_kdump_info(d);
        tap_ok(k && k->ilp32 && k->block_size == BS && k->max_mapnr == FRAMES && k->nr_cpus == 2,
               "%s: read as ILP32 (block_size %u, max_mapnr %" G_GUINT64_FORMAT ")", what,
               k ? k->block_size : 0, k ? k->max_mapnr : 0);
        tap_ok(dl_dump_machine(d) == EM_386,
               "%s: machine i386, not the x86_64 its utsname names (got %s)", what,
               dl_machine_name(dl_dump_machine(d)));
        GArray *cpus = dl_dump_cpus(d);
        tap_ok(cpus->len == 2 && g_array_index(cpus, DlCpuRegs, 0).ip == 0x7fd79cc &&
                   g_array_index(cpus, DlCpuRegs, 1).ip == 0xfff0 &&
                   g_array_index(cpus, DlCpuRegs, 0).sp == 0x7fc5f28 &&
                   g_array_index(cpus, DlCpuRegs, 1).pid == 2,
               "%s: both CPUs' eip, esp and pid from the 144-byte i386 notes", what);
        guint8 b = 0;
        tap_ok(dl_dump_read_phys(d, 6 * BS + 17, &b, 1, NULL) && b == 0x46,
               "%s: frame 6's bytes through the descriptors", what);
    }
    g_clear_error(&e);
    g_autofree char *err = NULL;
    g_autoptr(DlCheckResult) r = check(path, 2, &err);
    if (!tap_ok(r && r->defects == 0 && r->cpus->len == 2 && r->pages_present == DUMPED &&
                    r->pages_verified == DUMPED,
                "%s: no defect, 2 CPUs, all %d pages verified (%s)", what, DUMPED,
                r ? "checked" : err))
        diag(r);
    g_autoptr(DlCheckResult) more = check(path, 3, &err);
    tap_ok(more && more->defects >= 1, "%s: a defect when a third CPU is expected", what);
}

int main(void)
{
    tmpdir = g_dir_make_tmp("kdump-ilp32-XXXXXX", NULL);
    g_autofree char *good = write_ilp32("good", GOOD);
    good_file(good, "ILP32 kdump-compressed");

    /* QEMU writes into a pipe as flattened records; its header's record is
     * the 452 bytes of the ILP32 header, so the reader must not need 464. */
    g_autofree char *flat = g_build_filename(tmpdir, "flat", NULL);
    GError *e = NULL;
    if (tap_ok(dl_dumpgen_flatten(good, flat, 452, &e), "flattened in records of 452 bytes (%s)",
               e ? e->message : "yes"))
        good_file(flat, "ILP32 flattened");
    g_clear_error(&e);

    static const struct {
        Damage dmg;
        const char *what;
    } bad[] = {
        {BAD_BLOCK_SIZE, "block_size 3000"},
        {DESC_OUTSIDE, "a descriptor past the end of the file"},
        {TRUNCATED, "the last page and a half cut off"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *name = g_strdup_printf("bad%u", i);
        g_autofree char *p = write_ilp32(name, bad[i].dmg);
        g_autofree char *err = NULL;
        g_autoptr(DlCheckResult) r = check(p, 2, &err);
        if (!tap_ok(!r || r->defects >= 1, "ILP32 with %s: %s", bad[i].what,
                    r ? (r->defects ? "a defect" : "no defect") : err))
            diag(r);
        g_unlink(p);
    }
    g_unlink(good);
    g_unlink(flat);
    g_rmdir(tmpdir);
    return tap_done();
}
