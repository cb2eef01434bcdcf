/* `dumplab check -`: a flattened stream read once through a pipe. Every
 * page is verified as it goes by (a flipped compressed page is named), the
 * metadata rules run as on a file, records out of order are taken as long
 * as they fit the waiting room (mkkdump -F writes the header record last),
 * a stream further out of order, or cut short, is refused by name. */
#include "dumplab/check.h"
#include "dumplab/coregen.h"
#include "dumplab/dumpgen.h"
#include "tap.h"

#include <elf.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char *tmpdir;

#define CORE                                                                                       \
    "layout kexec_load\n"                                                                          \
    "cpu pid=0 rip=0xffffffff81001000 rsp=0xffffc90000010000\n"                                    \
    "cpu pid=9 rip=0xffffffff81002000 rsp=0xffffc90000020000\n"                                    \
    "ram 0x1000-0x9ffff\n"                                                                         \
    "ram 0x100000-0x1ffffff\n"

static char *path(const char *name)
{
    return g_build_filename(tmpdir, name, NULL);
}

/* The file through a pipe, as `makedumpfile -F ... |` hands it over. */
static DlDump *stream(const char *file, DlStreamStats *st, GError **err)
{
    int p[2];
    if (pipe(p) != 0)
        return NULL;
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        g_autofree char *data = NULL;
        gsize len = 0;
        if (!g_file_get_contents(file, &data, &len, NULL))
            _exit(1);
        for (gsize o = 0; o < len;) {
            ssize_t n = write(p[1], data + o, len - o);
            if (n <= 0)
                _exit(0); /* the reader stopped early: fine */
            o += (gsize)n;
        }
        _exit(0);
    }
    close(p[1]);
    DlDump *d = dl_dump_open_stream(p[0], "the pipe", st, err);
    close(p[0]);
    waitpid(pid, NULL, 0);
    return d;
}

static void put_rec(GByteArray *o, guint64 off, const void *b, guint64 len)
{
    guint64 h[2] = {GUINT64_TO_BE(off), GUINT64_TO_BE(len)};
    g_byte_array_append(o, (const guint8 *)h, 16);
    g_byte_array_append(o, b, (guint)len);
}

/* An ELF core flattened as makedumpfile -E -F writes it: zeroed program
 * headers first (the filtered sizes are not known yet), the ELF header,
 * the notes and the data in 64 KiB records, the real program headers
 * after the last page. */
static bool flatten_headers_last(const char *in, const char *out)
{
    g_autofree char *f = NULL;
    gsize len = 0;
    if (!g_file_get_contents(in, &f, &len, NULL) || len < sizeof(Elf64_Ehdr))
        return false;
    Elf64_Ehdr e;
    memcpy(&e, f, sizeof(e));
    guint64 tab = (guint64)e.e_phnum * e.e_phentsize, start = e.e_phoff + tab;
    g_autoptr(GByteArray) o = g_byte_array_new();
    guint8 hdr[4096] = "makedumpfile";
    hdr[23] = hdr[31] = 1; /* type and version 1, big-endian */
    g_byte_array_append(o, hdr, sizeof(hdr));
    g_autofree guint8 *zero = g_malloc0(tab);
    put_rec(o, e.e_phoff, zero, tab);
    put_rec(o, 0, f, sizeof(e));
    for (guint64 at = start; at < len; at += 65536)
        put_rec(o, at, f + at, MIN(65536, len - at));
    put_rec(o, e.e_phoff, f + e.e_phoff, tab);
    guint64 end[2] = {G_MAXUINT64, G_MAXUINT64};
    g_byte_array_append(o, (const guint8 *)end, 16);
    return g_file_set_contents(out, (const char *)o->data, (gssize)o->len, NULL);
}

/* A kdump-compressed file flattened as makedumpfile writes it in cycles
 * (little memory): header and 1st bitmap, then per cycle the 2nd bitmap's
 * part for it, that cycle's descriptors, then their data. The 2nd bitmap
 * is complete only at the end. */
static bool flatten_cycles(const char *in, const char *out, int cycles)
{
    g_autofree guint8 *f = NULL;
    gsize len = 0;
    if (!g_file_get_contents(in, (char **)&f, &len, NULL) || len < 4096)
        return false;
    guint32 bs, sub, blocks;
    memcpy(&bs, f + 428, 4);
    memcpy(&sub, f + 432, 4);
    memcpy(&blocks, f + 436, 4);
    guint64 bm = (guint64)(1 + sub) * bs, bml = (guint64)blocks * bs / 2, desc = bm + 2 * bml;
    gint64 first;
    memcpy(&first, f + desc, 8);
    guint64 ndesc = ((guint64)first - desc) / 24;
    g_autoptr(GByteArray) o = g_byte_array_new();
    guint8 hdr[4096] = "makedumpfile";
    hdr[23] = hdr[31] = 1;
    g_byte_array_append(o, hdr, sizeof(hdr));
    put_rec(o, 0, f, bm);
    put_rec(o, bm, f + bm, bml);
    /* Cycles over the bitmap bytes that carry frames, the last one also
     * taking the padding. */
    guint64 used = bml;
    while (used && !f[bm + bml + used - 1])
        used--;
    guint64 part = MAX((used + cycles - 1) / cycles, 1), d = 0, pat = (guint64)first;
    for (guint64 b = 0; b < bml; b += part) {
        guint64 n = 0, end = pat, pl = b + part >= used ? bml - b : part;
        put_rec(o, bm + bml + b, f + bm + bml + b, pl);
        for (guint64 i = 0; i < pl; i++)
            n += (guint64)__builtin_popcount(f[bm + bml + b + i]);
        n = MIN(n, ndesc - d);
        for (guint64 k = d; k < d + n; k++) {
            gint64 po;
            guint32 sz;
            memcpy(&po, f + desc + k * 24, 8);
            memcpy(&sz, f + desc + k * 24 + 8, 4);
            end = MAX(end, (guint64)po + sz);
        }
        if (n)
            put_rec(o, desc + d * 24, f + desc + d * 24, n * 24);
        if (end > pat && end <= len)
            put_rec(o, pat, f + pat, end - pat);
        d += n, pat = MAX(pat, end);
    }
    guint64 e[2] = {G_MAXUINT64, G_MAXUINT64};
    g_byte_array_append(o, (const guint8 *)e, 16);
    return g_file_set_contents(out, (const char *)o->data, (gssize)o->len, NULL);
}

static gsize file_len(const char *p)
{
    GStatBuf sb;
    return g_stat(p, &sb) == 0 ? (gsize)sb.st_size : 0;
}

int main(void)
{
    tmpdir = g_dir_make_tmp("stream-XXXXXX", NULL);
    g_autofree char *elf = path("core"), *kd = path("kd"), *flat = path("flat");
    g_autofree char *bad = path("bad.kd"), *badflat = path("bad.flat");
    g_autofree char *eflat = path("elf.flat"), *cut = path("cut.flat");
    GError *e = NULL;
    bool ok = dl_coregen_write(CORE, elf, &e);
    g_autoptr(DlDump) src = ok ? dl_dump_open(elf, &e) : NULL;
    ok = src && dl_dumpgen_kdump(src, kd, DL_DUMP_ZLIB, 0, &e) &&
         dl_dumpgen_flatten(kd, flat, 4096, &e) && dl_dumpgen_flatten(elf, eflat, 65536, &e);
    if (!tap_ok(ok, "synthetic kdump-compressed and ELF streams: %s", e ? e->message : "made"))
        return tap_done();

    /* A good kdump-compressed stream, its header record last. */
    DlStreamStats st;
    g_autoptr(DlDump) d = stream(flat, &st, &e);
    if (tap_ok(d != NULL, "a good stream opens: %s", e ? e->message : "yes")) {
        DlCheckInput q = {.expect_cpus = 2, .quick = true};
        g_autoptr(DlCheckResult) r = dl_check_dump(d, &q, &e);
        tap_ok(r && r->defects == 0 && r->cpus->len == 2 && !dl_dump_has_data(d),
               "its metadata passes the checker's rules: 2 CPUs, no defect, no page data kept");
        tap_ok(r && st.pages_verified == r->pages_present && st.pages_bad == 0 &&
                   st.pages_missing == 0,
               "every one of its %" G_GUINT64_FORMAT " pages verified as it went by (%" G_GUINT64_FORMAT
               " present)",
               st.pages_verified, r ? r->pages_present : 0);
        tap_ok(st.max_pending < 8u << 20,
               "out of order (header last) but within the waiting room: at most %" G_GUINT64_FORMAT
               " KiB held",
               st.max_pending >> 10);
        g_free(st.problems);
    }
    g_clear_error(&e);

    /* One compressed page flipped. */
    g_autoptr(DlDump) k = dl_dump_open(kd, &e);
    DlPageDesc pd = {0};
    guint64 pfn = k ? dl_dump_next_pfn(k, 0x200) : 0;
    ok = k && dl_dump_kdump_desc(k, pfn, &pd, &e) && pd.flags && pd.size > 16;
    g_autofree char *data = NULL;
    gsize len = 0;
    ok = ok && g_file_get_contents(kd, &data, &len, NULL) && pd.offset + pd.size <= len;
    if (ok) {
        for (guint i = 4; i < 12; i++)
            data[pd.offset + i] ^= 0x5a;
        ok = g_file_set_contents(bad, data, (gssize)len, NULL) &&
             dl_dumpgen_flatten(bad, badflat, 4096, &e);
    }
    g_autoptr(DlDump) b = ok ? stream(badflat, &st, &e) : NULL;
    tap_ok(b && st.pages_bad >= 1 && st.problems && strstr(st.problems, "0x"),
           "a flipped compressed page (frame 0x%" G_GINT64_MODIFIER "x) is named: %s", pfn,
           b && st.problems ? st.problems : (e ? e->message : "not opened"));
    if (b)
        g_free(st.problems);
    g_clear_error(&e);

    /* An ELF stream: every byte of every segment must arrive. */
    g_autoptr(DlDump) el = stream(eflat, &st, &e);
    tap_ok(el && st.pages_missing == 0 && st.pages_verified > 8000,
           "an ELF stream: %" G_GUINT64_FORMAT " pages arrived, none missing: %s",
           st.pages_verified, e ? e->message : "ok");
    if (el)
        g_free(st.problems);
    g_clear_error(&e);

    /* makedumpfile -E -F: the program headers are placeholders until the
     * stream's end; the notes and headers must still be read and every
     * page accounted. */
    g_autofree char *hlflat = path("hl.flat");
    ok = flatten_headers_last(elf, hlflat);
    g_autoptr(DlDump) hl = ok ? stream(hlflat, &st, &e) : NULL;
    if (tap_ok(hl != NULL, "an ELF stream with its real program headers last opens: %s",
               e ? e->message : "yes")) {
        DlCheckInput q = {.expect_cpus = 2, .quick = true};
        g_autoptr(DlCheckResult) r = dl_check_dump(hl, &q, &e);
        tap_ok(r && r->defects == 0 && r->cpus->len == 2 && st.pages_missing == 0 &&
                   st.pages_verified == r->pages_present,
               "its notes kept while waiting: 2 CPUs, no defect, %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
               " pages arrived",
               st.pages_verified, r ? r->pages_present : 0);
        g_free(st.problems);
    }
    g_clear_error(&e);

    /* makedumpfile in cycles: the 2nd bitmap arrives part by part, each
     * just ahead of its cycle's pages; each page is verified as its part
     * arrives, not held until the bitmap is whole. */
    g_autofree char *cyc = path("cyc.flat");
    ok = flatten_cycles(kd, cyc, 4);
    g_autoptr(DlDump) cy = ok ? stream(cyc, &st, &e) : NULL;
    if (tap_ok(cy != NULL, "a stream written in 4 cycles opens: %s", e ? e->message : "yes")) {
        DlCheckInput q = {.expect_cpus = 2, .quick = true};
        g_autoptr(DlCheckResult) r = dl_check_dump(cy, &q, &e);
        tap_ok(r && r->defects == 0 && st.pages_verified == r->pages_present && !st.pages_bad &&
                   !st.pages_missing && st.max_pending < file_len(kd) / 3,
               "every one of its %" G_GUINT64_FORMAT " pages verified cycle by cycle, at most %" G_GUINT64_FORMAT
               " KiB held (file %zu KiB)",
               st.pages_verified, st.max_pending >> 10, file_len(kd) >> 10);
        g_free(st.problems);
    }
    g_clear_error(&e);

    /* Cut before its end record. */
    g_autofree char *fd = NULL;
    gsize flen = 0;
    ok = g_file_get_contents(flat, &fd, &flen, NULL) &&
         g_file_set_contents(cut, fd, (gssize)(flen * 2 / 3), NULL);
    g_autoptr(DlDump) c = ok ? stream(cut, &st, &e) : NULL;
    tap_ok(!c && e && strstr(e->message, "cut short"), "a stream cut short is refused: %s",
           e ? e->message : "opened");
    g_clear_error(&e);

    /* Not a flattened stream at all. */
    g_autoptr(DlDump) n = stream(kd, &st, &e);
    tap_ok(!n && e && strstr(e->message, "makedumpfile"),
           "a kdump-compressed file on a pipe is refused, naming the flattened format: %s",
           e ? e->message : "opened");
    g_clear_error(&e);

    /* An ELF of 80 MiB whose header record comes last: more than the
     * waiting room (64 MiB) arrives before anything can be placed. */
    g_autofree char *big = path("big"), *bigflat = path("big.flat");
    ok = dl_coregen_write("layout kexec_load\ncpu rip=1\nram 0x100000-0x50fffff\n", big, &e) &&
         dl_dumpgen_flatten(big, bigflat, 1 << 20, &e);
    g_autoptr(DlDump) o = ok ? stream(bigflat, &st, &e) : NULL;
    tap_ok(!o && e && strstr(e->message, "out of order"),
           "a %zu MiB stream whose header comes last is refused by name: %s",
           file_len(bigflat) >> 20, e ? e->message : "opened");
    g_clear_error(&e);

    g_autoptr(GDir) dir = g_dir_open(tmpdir, 0, NULL);
    const char *nm;
    while (dir && (nm = g_dir_read_name(dir))) {
        g_autofree char *p = path(nm);
        g_unlink(p);
    }
    g_rmdir(tmpdir);
    return tap_done();
}
