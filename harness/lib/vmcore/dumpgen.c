/* kdump-compressed and flattened writers (dumpgen.h). The layout is the
 * one makedumpfile writes: header block, sub-header blocks holding the ELF
 * notes, two bitmaps, descriptors, page data. */
#include "dumplab/dumpgen.h"
#include "dumplab/error.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

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

static bool pwrite_all(int fd, const void *buf, gsize len, guint64 off, GError **err)
{
    const guint8 *p = buf;
    while (len) {
        ssize_t n = pwrite(fd, p, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            dl_set_error_errno(err, n < 0 ? errno : EIO, "write at 0x%" G_GINT64_MODIFIER "x", off);
            return false;
        }
        p += n, off += (guint64)n, len -= (gsize)n;
    }
    return true;
}

/* The notes as ELF note records, VMCOREINFO's desc offset noted. */
static GByteArray *notes_bytes(const DlDump *src, guint64 *vmci_off, guint64 *vmci_len)
{
    GByteArray *b = g_byte_array_new();
    static const guint8 zero[4];
    *vmci_off = *vmci_len = 0;
    for (guint i = 0; i < dl_dump_nnotes(src); i++) {
        const DlNote *n = dl_dump_note(src, i);
        guint8 h[12];
        guint32 namesz = (guint32)strlen(n->name) + 1;
        put32(h, namesz);
        put32(h + 4, n->descsz);
        put32(h + 8, n->type);
        g_byte_array_append(b, h, 12);
        g_byte_array_append(b, (const guint8 *)n->name, namesz);
        g_byte_array_append(b, zero, (4 - namesz % 4) % 4);
        if (!strcmp(n->name, "VMCOREINFO")) {
            *vmci_off = b->len;
            *vmci_len = n->descsz;
        }
        g_byte_array_append(b, n->desc, n->descsz);
        g_byte_array_append(b, zero, (4 - n->descsz % 4) % 4);
    }
    return b;
}

bool dl_dumpgen_kdump(DlDump *src, const char *path, guint32 comp, int level, GError **err)
{
    guint32 bs = dl_dump_page_size(src);
    guint64 max = dl_dump_max_pfn(src);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        dl_set_error_errno(err, errno, "%s", path);
        return false;
    }
    guint64 voff, vlen;
    g_autoptr(GByteArray) descs = NULL;
    g_autoptr(GByteArray) notes = notes_bytes(src, &voff, &vlen);
    guint64 sub_blocks = (112 + notes->len + bs - 1) / bs;
    guint64 bm_bytes = (max + 7) / 8, bm_blocks = (bm_bytes + bs - 1) / bs;
    g_autofree guint8 *bm1 = g_malloc0(bm_blocks * bs), *bm2 = g_malloc0(bm_blocks * bs);
    g_autofree guint8 *page = g_malloc(bs), *cbuf = g_malloc(bs * 2 + 1024);
    /* Pass 1: which frames are RAM, which are dumped. */
    guint64 ndump = 0;
    for (guint64 pfn = dl_dump_next_pfn(src, 0); pfn < max; pfn = dl_dump_next_pfn(src, pfn + 1)) {
        DlPageState st;
        if (!dl_dump_page(src, pfn, page, &st, err))
            goto fail;
        if (st == DL_PAGE_ABSENT)
            continue;
        bm1[pfn >> 3] |= 1 << (pfn & 7);
        if (st != DL_PAGE_PRESENT)
            continue;
        bool zero = page[0] == 0 && !memcmp(page, page + 1, bs - 1);
        if (zero && (level & 1))
            continue;
        bm2[pfn >> 3] |= 1 << (pfn & 7);
        ndump++;
    }
    guint64 bm_off = (1 + sub_blocks) * bs;
    guint64 desc_off = bm_off + 2 * bm_blocks * bs;
    guint64 data = desc_off + ndump * 24;
    guint8 hdr[464] = {0};
    memcpy(hdr, "KDUMP   ", 8);
    put32(hdr + 8, 6);
    const char *rel = dl_dump_vmcoreinfo_get(src, "OSRELEASE");
    strncpy((char *)hdr + 12, "Linux", 64);
    strncpy((char *)hdr + 12 + 2 * 65, rel ? rel : "", 64);
    strncpy((char *)hdr + 12 + 4 * 65, dl_machine_name(dl_dump_machine(src)), 64);
    put32(hdr + 428, bs);
    put32(hdr + 432, (guint32)sub_blocks);
    put32(hdr + 436, (guint32)(2 * bm_blocks));
    put32(hdr + 440, max > G_MAXUINT32 ? G_MAXUINT32 : (guint32)max);
    put32(hdr + 460, dl_dump_cpus(src)->len);
    guint8 sh[112] = {0};
    put32(sh + 8, (guint32)level);
    put64(sh + 32, voff ? bs + 112 + voff : 0);
    put64(sh + 40, vlen);
    put64(sh + 48, bs + 112);
    put64(sh + 56, notes->len);
    put64(sh + 96, max);
    put64(sh + 88, max);
    if (!pwrite_all(fd, hdr, sizeof(hdr), 0, err) || !pwrite_all(fd, sh, sizeof(sh), bs, err) ||
        !pwrite_all(fd, notes->data, notes->len, bs + 112, err) ||
        !pwrite_all(fd, bm1, bm_blocks * bs, bm_off, err) ||
        !pwrite_all(fd, bm2, bm_blocks * bs, bm_off + bm_blocks * bs, err))
        goto fail;
    /* Pass 2: descriptors and data; all stored zero pages share one copy.
     * The descriptors are written at the end in one go. */
    guint64 zero_at = 0;
    descs = g_byte_array_sized_new((guint)MIN(ndump * 24, (guint64)1 << 30));
    for (guint64 pfn = 0; pfn < max; pfn++) {
        if (!((bm2[pfn >> 3] >> (pfn & 7)) & 1))
            continue;
        DlPageState st;
        if (!dl_dump_page(src, pfn, page, &st, err))
            goto fail;
        guint8 d[24] = {0};
        bool zero = page[0] == 0 && !memcmp(page, page + 1, bs - 1);
        if (zero && zero_at) {
            put64(d, zero_at);
            put32(d + 8, bs);
        } else {
            gsize n = comp ? dl_compress(comp, page, bs, cbuf, bs * 2 + 1024) : 0;
            put64(d, data);
            put32(d + 8, n ? (guint32)n : bs);
            put32(d + 12, n ? comp : 0);
            if (!pwrite_all(fd, n ? cbuf : page, n ? n : bs, data, err))
                goto fail;
            if (zero && !n)
                zero_at = data;
            data += n ? n : bs;
        }
        g_byte_array_append(descs, d, 24);
    }
    if (!pwrite_all(fd, descs->data, descs->len, desc_off, err))
        goto fail;
    close(fd);
    return true;
fail:
    close(fd);
    g_prefix_error(err, "%s: ", path);
    return false;
}

static bool put_record(int out, guint64 *pos, guint64 off, const void *buf, guint64 len,
                       GError **err)
{
    guint64 h[2] = {GUINT64_TO_BE(off), GUINT64_TO_BE(len)};
    if (!pwrite_all(out, h, 16, *pos, err) || (len && !pwrite_all(out, buf, len, *pos + 16, err)))
        return false;
    *pos += 16 + len;
    return true;
}

bool dl_dumpgen_flatten(const char *in, const char *out, gsize chunk, GError **err)
{
    int ifd = open(in, O_RDONLY | O_CLOEXEC);
    if (ifd < 0) {
        dl_set_error_errno(err, errno, "%s", in);
        return false;
    }
    int ofd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (ofd < 0) {
        dl_set_error_errno(err, errno, "%s", out);
        close(ifd);
        return false;
    }
    g_autofree guint8 *hdr = g_malloc0(4096), *buf = g_malloc(chunk);
    memcpy(hdr, "makedumpfile", 12);
    guint64 one = GUINT64_TO_BE(1);
    memcpy(hdr + 16, &one, 8);
    memcpy(hdr + 24, &one, 8);
    guint64 pos = 4096, off = chunk;
    bool ok = pwrite_all(ofd, hdr, 4096, 0, err);
    for (;;) {
        ssize_t n = ok ? pread(ifd, buf, chunk, (off_t)off) : -1;
        if (n <= 0)
            break;
        ok = put_record(ofd, &pos, off, buf, (guint64)n, err);
        off += (guint64)n;
    }
    ssize_t n = ok ? pread(ifd, buf, chunk, 0) : -1;
    ok = ok && n >= 0 && put_record(ofd, &pos, 0, buf, (guint64)n, err) &&
         put_record(ofd, &pos, (guint64)-1, NULL, 0, err);
    if (ok) {
        guint64 e[2] = {G_MAXUINT64, G_MAXUINT64};
        pos -= 16;
        ok = pwrite_all(ofd, e, 16, pos, err);
    }
    if (!ok && err && !*err)
        dl_set_error_errno(err, errno, "%s", in);
    close(ifd);
    close(ofd);
    return ok;
}

bool dl_dumpgen_exclude(const char *path, guint64 pfn, GError **err)
{
    g_autoptr(DlDump) d = dl_dump_open(path, err);
    if (!d)
        return false;
    const DlKdumpInfo *k = dl_dump_kdump_info(d);
    if (!k || dl_dump_format(d) != DL_FMT_KDUMP) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE, "%s: not a kdump-compressed file", path);
        return false;
    }
    if (!dl_dump_kdump_bit(d, 2, pfn)) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "%s: frame 0x%" G_GINT64_MODIFIER "x is not dumped", path, pfn);
        return false;
    }
    /* Its descriptor's index: dumped frames below it. */
    guint64 idx = 0;
    for (guint64 p = 0; p < pfn; p++)
        idx += dl_dump_kdump_bit(d, 2, p);
    guint64 bm2 = k->bitmap_offset + (guint64)k->bitmap_blocks * k->block_size / 2;
    guint64 n = k->dumpable - idx - 1;
    g_autofree guint8 *rest = g_malloc(n * 24 + 1);
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        dl_set_error_errno(err, errno, "%s", path);
        return false;
    }
    guint8 byte;
    bool ok = pread(fd, &byte, 1, (off_t)(bm2 + pfn / 8)) == 1 &&
              pread(fd, rest, n * 24, (off_t)(k->desc_offset + (idx + 1) * 24)) == (ssize_t)(n * 24);
    byte &= (guint8) ~(1u << (pfn & 7));
    /* Clear the bit and close the gap its descriptor leaves, so every
     * later frame keeps its own descriptor. */
    ok = ok && pwrite_all(fd, &byte, 1, bm2 + pfn / 8, err) &&
         pwrite_all(fd, rest, n * 24, k->desc_offset + idx * 24, err);
    if (!ok && err && !*err)
        dl_set_error_errno(err, errno, "%s", path);
    close(fd);
    return ok;
}
