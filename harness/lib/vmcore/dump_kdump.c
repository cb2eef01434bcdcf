/* makedumpfile's kdump-compressed format behind dump.h (vmcore-facts.md
 * A3; QEMU's kdump-* output is the same format): disk_dump_header in block
 * 0, kdump_sub_header in block 1, the two bitmaps, one page_desc per
 * dumped frame in frame order, then page data. Both header layouts are
 * read: LP64 (x86_64, ia64, every 64-bit Linux) and ILP32 (QEMU's dump of
 * an x86 guest outside long mode, 32-bit makedumpfile). */
#include "dump_internal.h"
#include "dumplab/error.h"

#include <elf.h>
#include <string.h>

#define DESC_SIZE 24
#define DESC_WINDOW 4096 /* descriptors read at once */
#define NOTE_MAX ((guint64)16 << 20)

static guint32 le32(const guint8 *p)
{
    guint32 v;
    memcpy(&v, p, 4);
    return GUINT32_FROM_LE(v);
}
static guint64 le64(const guint8 *p)
{
    guint64 v;
    memcpy(&v, p, 8);
    return GUINT64_FROM_LE(v);
}

static guint16 machine_of(const char *m)
{
    if (!strcmp(m, "x86_64"))
        return EM_X86_64;
    if (!strcmp(m, "ia64"))
        return EM_IA_64;
    if (!strcmp(m, "aarch64"))
        return EM_AARCH64;
    if (!strcmp(m, "ppc64") || !strcmp(m, "ppc64le"))
        return EM_PPC64;
    if (!strcmp(m, "s390x"))
        return EM_S390;
    if (!strcmp(m, "riscv64"))
        return EM_RISCV;
    if (!strcmp(m, "loongarch64"))
        return EM_LOONGARCH;
    return EM_NONE;
}

/* A header layout's block fields are plausible: block_size a page size,
 * at least one sub-header block and one bitmap block. */
static bool placeable(guint32 bs, guint32 sub, guint32 blocks)
{
    return bs >= 1024 && bs <= (1u << 20) && !(bs & (bs - 1)) && sub >= 1 && blocks >= 1;
}

/* disk_dump_header has `struct timeval timestamp` after the utsname: 16
 * bytes with 64-bit longs, 8 with 32-bit ones, so every later field moves
 * by 12. The utsname cannot tell them apart (QEMU's x86_64 build writes
 * "x86_64" for a guest dumped in 32-bit mode), the fields can: read as
 * ILP32, an LP64 header's sub_hdr_size is the upper half of tv_usec,
 * always 0. LP64 wins when both fit; a header fitting neither is read as
 * LP64, so its errors name LP64's fields. len: bytes of h (452 are enough
 * for ILP32, LP64 needs DL_KDUMP_HDR_LP64). */
void dl_kdump_parse_header(const guint8 *h, gsize len, DlKdumpInfo *k)
{
    bool lp64 = len >= DL_KDUMP_HDR_LP64 && placeable(le32(h + 428), le32(h + 432), le32(h + 436));
    k->ilp32 = !lp64 && placeable(le32(h + 416), le32(h + 420), le32(h + 424));
    k->header_version = le32(h + 8);
    /* new_utsname: 6 fields of 65 bytes from offset 12; release is the 3rd,
     * machine the 5th. */
    memcpy(k->release, h + 12 + 2 * 65, 65);
    memcpy(k->machine, h + 12 + 4 * 65, 65);
    k->release[65] = k->machine[65] = 0;
    const guint8 *f = h + (k->ilp32 ? 412 : 424); /* status, then the block fields */
    k->status = le32(f);
    k->block_size = le32(f + 4);
    k->sub_hdr_size = le32(f + 8);
    k->bitmap_blocks = le32(f + 12);
    k->max_mapnr = le32(f + 16);
    k->nr_cpus = le32(f + 36);
}

/* kdump_sub_header after dl_kdump_parse_header (its layout follows the
 * header's; the ILP32 one is packed: off_t fields at 4-byte alignment).
 * sh: the first DL_KDUMP_SUB_LEN bytes of block 1, zero past the file. */
void dl_kdump_parse_sub(const guint8 *sh, DlKdumpInfo *k)
{
    bool w = k->ilp32;
    k->phys_base = w ? le32(sh) : le64(sh);
    k->dump_level = (gint32)le32(sh + (w ? 4 : 8));
    k->split = (gint32)le32(sh + (w ? 8 : 12));
    k->start_pfn = w ? le32(sh + 12) : le64(sh + 16);
    k->end_pfn = w ? le32(sh + 16) : le64(sh + 24);
    if (k->header_version >= 3) {
        k->offset_vmcoreinfo = le64(sh + (w ? 20 : 32));
        k->size_vmcoreinfo = w ? le32(sh + 28) : le64(sh + 40);
    }
    if (k->header_version >= 4) {
        k->offset_note = le64(sh + (w ? 32 : 48));
        k->size_note = w ? le32(sh + 40) : le64(sh + 56);
    }
    if (k->header_version >= 6) {
        k->start_pfn = le64(sh + (w ? 56 : 80));
        k->end_pfn = le64(sh + (w ? 64 : 88));
        guint64 m = le64(sh + (w ? 72 : 96));
        if (m)
            k->max_mapnr = m;
    }
}

/* The machine: utsname's, except that an ILP32 header from an x86 name is
 * an i386 dump (QEMU names its own build, x86_64). */
static guint16 kdump_machine(const DlKdumpInfo *k)
{
    guint16 m = machine_of(k->machine);
    if (k->ilp32 &&
        (m == EM_X86_64 || (k->machine[0] == 'i' && g_str_has_suffix(k->machine, "86"))))
        return EM_386;
    return k->ilp32 ? EM_NONE : m;
}

bool dl_dump_kdump_bit(const DlDump *d, int which, guint64 pfn)
{
    const guint8 *bm = which == 1 ? d->bm1 : d->bm2;
    if (!bm || pfn >= d->ki.max_mapnr)
        return false;
    return (bm[pfn >> 3] >> (pfn & 7)) & 1;
}

bool dl_dump_open_kdump(DlDump *d, GError **err)
{
    guint8 h[DL_KDUMP_HDR_LP64] = {0};
    guint64 fsize = d->flat ? d->flat_end : d->size;
    d->fmt_name = g_strdup("kdump-compressed");
    if (fsize < DL_KDUMP_HDR_ILP32) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "kdump-compressed: %" G_GUINT64_FORMAT " bytes, too short for its header",
                    fsize);
        return false;
    }
    /* ILP32's 452 bytes first: a flattened stream from QEMU holds just
     * those in the header's record. */
    if (!dl_dump_pread(d, 0, h, DL_KDUMP_HDR_ILP32, err))
        return false;
    DlKdumpInfo *k = &d->ki;
    dl_kdump_parse_header(h, DL_KDUMP_HDR_ILP32, k);
    gsize hlen = DL_KDUMP_HDR_ILP32;
    /* LP64 needs 12 more bytes. A header that reads as ILP32 may not have
     * them (QEMU's record ends there): then they are not required. */
    if (!k->ilp32) {
        if (fsize < DL_KDUMP_HDR_LP64) {
            g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                        "kdump-compressed: %" G_GUINT64_FORMAT " bytes, too short for its header",
                        fsize);
            return false;
        }
        if (!dl_dump_pread(d, DL_KDUMP_HDR_ILP32, h + DL_KDUMP_HDR_ILP32,
                           DL_KDUMP_HDR_LP64 - DL_KDUMP_HDR_ILP32, err))
            return false;
        hlen = DL_KDUMP_HDR_LP64;
    } else if (fsize >= DL_KDUMP_HDR_LP64) {
        GError *e2 = NULL;
        if (dl_dump_pread(d, DL_KDUMP_HDR_ILP32, h + DL_KDUMP_HDR_ILP32,
                          DL_KDUMP_HDR_LP64 - DL_KDUMP_HDR_ILP32, &e2))
            hlen = DL_KDUMP_HDR_LP64;
        g_clear_error(&e2);
    }
    dl_kdump_parse_header(h, hlen, k);
    guint32 bs = k->block_size;
    if (bs < 1024 || bs > (1u << 20) || (bs & (bs - 1))) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "kdump-compressed: block_size %u is not a page size (a power of two from "
                    "1 KiB to 1 MiB)%s",
                    bs, k->ilp32 ? "" : "; nor, read with 32-bit longs, is its ILP32 block_size");
        return false;
    }
    d->page_size = bs;
    d->machine = kdump_machine(k);
    if (k->header_version < 1 || k->header_version > 64) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "kdump-compressed: header_version %u is not one makedumpfile writes",
                    k->header_version);
        return false;
    }
    /* Every block count is checked against the file before it is used. */
    guint64 nblocks = fsize / bs;
    if (k->sub_hdr_size == 0 || k->sub_hdr_size > nblocks || k->bitmap_blocks == 0 ||
        k->bitmap_blocks > nblocks || 1 + (guint64)k->sub_hdr_size + k->bitmap_blocks > nblocks) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "kdump-compressed: sub_hdr_size %u and bitmap_blocks %u blocks of %u bytes do "
                    "not fit in the file (%" G_GUINT64_FORMAT " bytes)",
                    k->sub_hdr_size, k->bitmap_blocks, bs, fsize);
        return false;
    }
    guint8 sh[DL_KDUMP_SUB_LEN] = {0};
    if (!dl_dump_pread(d, bs, sh, MIN(sizeof(sh), (gsize)k->sub_hdr_size * bs), err))
        return false;
    dl_kdump_parse_sub(sh, k);
    d->level = k->dump_level;
    k->bitmap_offset = (1 + (guint64)k->sub_hdr_size) * bs;
    guint64 bm_len = (guint64)k->bitmap_blocks * bs / 2;
    /* Each bitmap must hold max_mapnr bits; max_mapnr is what the header
     * claims, so it is bounded by the bitmap the file really has. */
    if (k->max_mapnr == 0 || (k->max_mapnr + 7) / 8 > bm_len) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "kdump-compressed: max_mapnr %" G_GUINT64_FORMAT
                    " frames need %" G_GUINT64_FORMAT
                    " bitmap bytes, the header gives %" G_GUINT64_FORMAT,
                    k->max_mapnr, (k->max_mapnr + 7) / 8, bm_len);
        return false;
    }
    d->bm_bytes = (k->max_mapnr + 7) / 8;
    /* A flattened file's size is what its records claim (a record may say
     * offset 2^40); its bytes are the stream's. Both bitmaps must come from
     * the stream, so they cannot be larger than it: no allocation of what
     * a record's offset claims. */
    if (d->flat && d->bm_bytes > d->size / 2) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "kdump-compressed: max_mapnr %" G_GUINT64_FORMAT " frames need two bitmaps "
                    "of %" G_GUINT64_FORMAT
                    " bytes, more than the whole flattened stream (%" G_GUINT64_FORMAT " bytes)",
                    k->max_mapnr, d->bm_bytes, d->size);
        return false;
    }
    d->bm1 = g_try_malloc(d->bm_bytes);
    d->bm2 = g_try_malloc(d->bm_bytes);
    if (!d->bm1 || !d->bm2) {
        g_set_error(err, DL_ERROR, DL_ERROR_FAILED,
                    "kdump-compressed: no memory for bitmaps of "
                    "%" G_GUINT64_FORMAT " bytes",
                    d->bm_bytes);
        return false;
    }
    if (!dl_dump_pread(d, k->bitmap_offset, d->bm1, d->bm_bytes, err) ||
        !dl_dump_pread(d, k->bitmap_offset + bm_len, d->bm2, d->bm_bytes, err)) {
        g_prefix_error(err, "kdump-compressed: bitmaps: ");
        return false;
    }
    /* Bits past max_mapnr in the last byte mean nothing. */
    if (k->max_mapnr & 7) {
        guint8 mask = (guint8)((1u << (k->max_mapnr & 7)) - 1);
        d->bm1[d->bm_bytes - 1] &= mask;
        d->bm2[d->bm_bytes - 1] &= mask;
    }
    guint64 words = (d->bm_bytes + 7) / 8;
    d->rank = g_new0(guint64, words + 1);
    guint64 total = 0;
    for (guint64 w = 0; w < words; w++) {
        guint64 v = 0;
        memcpy(&v, d->bm2 + w * 8, MIN(8, d->bm_bytes - w * 8));
        d->rank[w] = total;
        total += (guint64)__builtin_popcountll(v);
    }
    d->rank[words] = total;
    k->dumpable = total;
    k->desc_offset = k->bitmap_offset + (guint64)k->bitmap_blocks * bs;
    if (total > (fsize - MIN(fsize, k->desc_offset)) / DESC_SIZE) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "kdump-compressed: the 2nd bitmap marks %" G_GUINT64_FORMAT
                    " frames dumped, but the file has room for only %" G_GUINT64_FORMAT
                    " page descriptors: it is truncated or the bitmap is damaged",
                    total, (fsize - MIN(fsize, k->desc_offset)) / DESC_SIZE);
        return false;
    }
    k->data_offset = k->desc_offset + total * DESC_SIZE;
    d->max_pfn = k->max_mapnr;
    /* No bigger than the descriptors there are (a window of them at a time). */
    d->descs = g_malloc(MAX(1, MIN((guint64)DESC_WINDOW, total)) * DESC_SIZE);
    d->desc_count = 0;
    d->cbuf = g_malloc(bs);
    /* Notes: the raw ELF notes (v4+), and VMCOREINFO on its own (v3+). */
    if (k->size_note && k->size_note <= NOTE_MAX &&
        dl_dump_in_file(d, k->offset_note, k->size_note)) {
        g_autofree guint8 *nb = g_malloc(k->size_note);
        if (dl_dump_pread(d, k->offset_note, nb, k->size_note, err))
            dl_dump_add_notes(d, nb, k->size_note, k->offset_note);
        else
            return false;
    } else if (k->size_note) {
        g_ptr_array_add(d->problems, g_strdup_printf("offset 0x%" G_GINT64_MODIFIER
                                                     "x: the notes (%" G_GUINT64_FORMAT
                                                     " bytes) lie outside the file",
                                                     k->offset_note, k->size_note));
    }
    bool have_vmci = false;
    for (guint i = 0; i < d->notes->len; i++)
        have_vmci |= !strcmp(g_array_index(d->notes, DlNote, i).name, "VMCOREINFO");
    if (!have_vmci && k->size_vmcoreinfo && k->size_vmcoreinfo <= NOTE_MAX &&
        dl_dump_in_file(d, k->offset_vmcoreinfo, k->size_vmcoreinfo)) {
        guint8 *v = g_malloc(k->size_vmcoreinfo);
        if (!dl_dump_pread(d, k->offset_vmcoreinfo, v, k->size_vmcoreinfo, err)) {
            g_free(v);
            return false;
        }
        char *name = g_strdup("VMCOREINFO");
        g_ptr_array_add(d->bufs, name);
        g_ptr_array_add(d->bufs, v);
        DlNote n = {.name = name,
                    .type = 0,
                    .desc = v,
                    .descsz = (guint32)k->size_vmcoreinfo,
                    .offset = k->offset_vmcoreinfo};
        g_array_append_val(d->notes, n);
    }
    guint32 ps = d->page_size;
    dl_dump_finish_notes(d);
    d->page_size = ps; /* the block size is the page size the pages have */
    return true;
}

bool dl_dump_kdump_desc(DlDump *d, guint64 pfn, DlPageDesc *out, GError **err)
{
    if (!dl_dump_kdump_bit(d, 2, pfn))
        return false;
    guint64 w = pfn >> 6, bits = 0;
    memcpy(&bits, d->bm2 + w * 8, MIN(8, d->bm_bytes - w * 8));
    guint64 below = bits & ((1ULL << (pfn & 63)) - 1);
    guint64 idx = d->rank[w] + (guint64)__builtin_popcountll(below);
    if (idx < d->desc_first || idx >= d->desc_first + d->desc_count) {
        guint64 n = MIN((guint64)DESC_WINDOW, d->ki.dumpable - idx);
        if (!dl_dump_pread(d, d->ki.desc_offset + idx * DESC_SIZE, d->descs, n * DESC_SIZE, err)) {
            d->desc_count = 0;
            g_prefix_error(err, "page descriptor of frame 0x%" G_GINT64_MODIFIER "x: ", pfn);
            return false;
        }
        d->desc_first = idx;
        d->desc_count = n;
    }
    const guint8 *p = d->descs + (idx - d->desc_first) * DESC_SIZE;
    out->offset = le64(p);
    out->size = le32(p + 8);
    out->flags = le32(p + 12);
    out->page_flags = le64(p + 16);
    return true;
}

bool dl_dump_kdump_page(DlDump *d, guint64 pfn, guint8 *buf, DlPageState *st, GError **err)
{
    *st = DL_PAGE_ABSENT;
    if (!dl_dump_kdump_bit(d, 2, pfn)) {
        if (dl_dump_kdump_bit(d, 1, pfn))
            *st = DL_PAGE_EXCLUDED;
        return true;
    }
    *st = DL_PAGE_PRESENT;
    if (!buf)
        return true;
    DlPageDesc pd;
    if (!dl_dump_kdump_desc(d, pfn, &pd, err))
        return false;
    guint32 ps = d->page_size;
    guint32 comp = pd.flags & (DL_DUMP_ZLIB | DL_DUMP_LZO | DL_DUMP_SNAPPY | DL_DUMP_ZSTD);
    if (pd.size == 0 || pd.size > ps || (comp == 0 && pd.size != ps) || (comp & (comp - 1)) != 0) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "frame 0x%" G_GINT64_MODIFIER "x: page descriptor size %u flags 0x%x cannot "
                    "hold one %u-byte page",
                    pfn, pd.size, pd.flags, ps);
        return false;
    }
    if (pd.offset < d->ki.data_offset || !dl_dump_in_file(d, pd.offset, pd.size)) {
        g_set_error(err, DL_ERROR, DL_ERROR_PARSE,
                    "frame 0x%" G_GINT64_MODIFIER
                    "x: its data (%u bytes at offset 0x%" G_GINT64_MODIFIER "x) lies %s",
                    pfn, pd.size, pd.offset,
                    pd.offset < d->ki.data_offset ? "among the headers, bitmaps or descriptors"
                                                  : "outside the file");
        return false;
    }
    if (!comp)
        return dl_dump_pread(d, pd.offset, buf, ps, err);
    if (!dl_dump_pread(d, pd.offset, d->cbuf, pd.size, err))
        return false;
    if (!dl_decompress(comp, d->cbuf, pd.size, buf, ps, err)) {
        g_prefix_error(
            err,
            "frame 0x%" G_GINT64_MODIFIER "x (%u bytes at offset 0x%" G_GINT64_MODIFIER "x): ", pfn,
            pd.size, pd.offset);
        return false;
    }
    return true;
}

guint64 dl_dump_kdump_next(const DlDump *d, guint64 pfn)
{
    /* Skip whole zero bytes of the 1st bitmap (holes). */
    for (guint64 p = pfn; p < d->ki.max_mapnr;) {
        if ((p & 7) == 0 && d->bm1[p >> 3] == 0 && d->bm2[p >> 3] == 0) {
            p += 8;
            continue;
        }
        if (dl_dump_kdump_bit(d, 1, p) || dl_dump_kdump_bit(d, 2, p))
            return p;
        p++;
    }
    return G_MAXUINT64;
}
