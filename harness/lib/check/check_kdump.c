/* kdump-compressed structure: header fields, the two bitmaps against each
 * other, and every page descriptor against the file and the others (a
 * descriptor may share its data only as makedumpfile's single stored zero
 * page). Reads descriptors, not page data, so --quick runs it too. */
#include "check_internal.h"
#include "dumplab/error.h"

#include <stdlib.h>
#include <string.h>

#define SHOW 6

typedef struct {
    guint64 off;
    guint32 size;
    guint64 pfn;
} Span;

static int by_off(const void *a, const void *b)
{
    const Span *x = a, *y = b;
    if (x->off != y->off)
        return x->off < y->off ? -1 : 1;
    return x->size < y->size ? -1 : x->size > y->size;
}

static bool is_zero_page(DlDump *d, guint64 pfn)
{
    guint32 ps = dl_dump_page_size(d);
    g_autofree guint8 *b = g_malloc(ps);
    DlPageState st;
    if (!dl_dump_page(d, pfn, b, &st, NULL) || st != DL_PAGE_PRESENT)
        return false;
    return b[0] == 0 && !memcmp(b, b + 1, ps - 1);
}

void dl_check_kdump(DlCheckCtx *c)
{
    DlDump *d = c->dump;
    DlCheckResult *r = c->r;
    const DlKdumpInfo *k = d ? dl_dump_kdump_info(d) : NULL;
    if (!k)
        return;
    guint64 ps_vmci;
    if (dl_dump_vmcoreinfo_u64(d, "PAGESIZE", &ps_vmci) && ps_vmci != k->block_size)
        dl_check_add(r, DL_SEV_DEFECT, 0, "kdump.block-size",
                     "block_size %u differs from VMCOREINFO's PAGESIZE %" G_GUINT64_FORMAT,
                     k->block_size, ps_vmci);
    if (k->status & DL_DUMP_INCOMPLETE)
        dl_check_add(r, DL_SEV_DEFECT, 0, "kdump.incomplete",
                     "the header's status says the dump is incomplete (makedumpfile ran out of "
                     "space or was interrupted)");
    if (k->split)
        dl_check_add(r, DL_SEV_WARNING, (gint64)k->block_size, "kdump.split",
                     "one part of a split dump (frames 0x%" G_GINT64_MODIFIER
                     "x-0x%" G_GINT64_MODIFIER "x): the others hold the rest",
                     k->start_pfn, k->end_pfn);
    guint nprs = dl_dump_cpus(d)->len;
    if (k->nr_cpus && nprs && k->nr_cpus < nprs)
        dl_check_add(r, DL_SEV_DEFECT, 0, "kdump.nr-cpus",
                     "the header's nr_cpus %u is less than the %u NT_PRSTATUS notes", k->nr_cpus,
                     nprs);
    /* Dumped frames must be RAM: the 2nd bitmap within the 1st. */
    guint64 outside = 0, first_out = 0;
    for (guint64 pfn = dl_dump_next_pfn(d, 0); pfn < k->max_mapnr;
         pfn = dl_dump_next_pfn(d, pfn + 1))
        if (dl_dump_kdump_bit(d, 2, pfn) && !dl_dump_kdump_bit(d, 1, pfn) && !outside++)
            first_out = pfn;
    if (outside)
        dl_check_add(r, DL_SEV_DEFECT, (gint64)k->bitmap_offset, "kdump.bitmaps",
                     "%" G_GUINT64_FORMAT " frames are dumped (2nd bitmap) but not RAM (1st "
                     "bitmap), the first 0x%" G_GINT64_MODIFIER "x",
                     outside, first_out);
    /* Every descriptor: inside the data area and the file, one page at
     * most, a known compression, and no two sharing bytes. */
    g_autoptr(GArray) spans = g_array_sized_new(FALSE, FALSE, sizeof(Span), (guint)MIN(k->dumpable, 1u << 24));
    g_autoptr(GString) bad = g_string_new(NULL);
    guint64 nbad = 0, fsize = dl_dump_file_size(d);
    if (dl_dump_format(d) == DL_FMT_FLAT_KDUMP)
        fsize = G_MAXUINT64; /* logical offsets; the reader checks them per read */
    for (guint64 pfn = dl_dump_next_pfn(d, 0); pfn < k->max_mapnr;
         pfn = dl_dump_next_pfn(d, pfn + 1)) {
        DlPageDesc pd;
        GError *e = NULL;
        if (!dl_dump_kdump_bit(d, 2, pfn))
            continue;
        if (!dl_dump_kdump_desc(d, pfn, &pd, &e)) {
            if (nbad++ < SHOW)
                g_string_append_printf(bad, "%s%s", bad->len ? "; " : "", e ? e->message : "?");
            g_clear_error(&e);
            continue;
        }
        guint32 comp = pd.flags & (DL_DUMP_ZLIB | DL_DUMP_LZO | DL_DUMP_SNAPPY | DL_DUMP_ZSTD);
        const char *why = NULL;
        if (pd.flags & ~(guint32)(DL_DUMP_ZLIB | DL_DUMP_LZO | DL_DUMP_SNAPPY | DL_DUMP_ZSTD))
            why = "unknown flags";
        else if (comp & (comp - 1))
            why = "more than one compression";
        else if (pd.size == 0 || pd.size > k->block_size)
            why = "size is not 1..block_size";
        else if (!comp && pd.size != k->block_size)
            why = "stored page of the wrong size";
        else if (pd.offset < k->data_offset)
            why = "data among the headers, bitmaps or descriptors";
        else if (pd.offset > fsize || pd.size > fsize - pd.offset)
            why = "data outside the file";
        if (why) {
            if (nbad++ < SHOW)
                g_string_append_printf(bad,
                                       "%sframe 0x%" G_GINT64_MODIFIER
                                       "x: %s (offset 0x%" G_GINT64_MODIFIER "x, size %u, flags 0x%x)",
                                       bad->len ? "; " : "", pfn, why, pd.offset, pd.size,
                                       pd.flags);
            continue;
        }
        Span s = {pd.offset, pd.size, pfn};
        g_array_append_val(spans, s);
    }
    if (nbad)
        dl_check_add(r, DL_SEV_DEFECT, (gint64)k->desc_offset, "kdump.descriptor",
                     "%" G_GUINT64_FORMAT " bad page descriptors: %s%s", nbad, bad->str,
                     nbad > SHOW ? "; ..." : "");
    g_array_sort(spans, by_off);
    guint64 overlaps = 0, shared = 0;
    g_autoptr(GString) ov = g_string_new(NULL);
    bool zero_ok = false;
    guint64 zero_checked = G_MAXUINT64;
    for (guint i = 1; i < spans->len; i++) {
        const Span *a = &g_array_index(spans, Span, i - 1), *b = &g_array_index(spans, Span, i);
        if (b->off >= a->off + a->size)
            continue;
        if (b->off == a->off && b->size == a->size) {
            /* makedumpfile stores the zero page once for every zero frame:
             * the same bytes, so one of them decides for all. */
            if (zero_checked != a->off) {
                zero_ok = c->in->quick || is_zero_page(d, a->pfn);
                zero_checked = a->off;
            }
            if (zero_ok) {
                shared++;
                continue;
            }
        }
        if (overlaps++ < SHOW)
            g_string_append_printf(ov,
                                   "%sframes 0x%" G_GINT64_MODIFIER "x and 0x%" G_GINT64_MODIFIER
                                   "x (data at 0x%" G_GINT64_MODIFIER "x+%u and 0x%"
                                   G_GINT64_MODIFIER "x+%u)",
                                   ov->len ? "; " : "", a->pfn, b->pfn, a->off, a->size, b->off,
                                   b->size);
    }
    if (overlaps)
        dl_check_add(r, DL_SEV_DEFECT, (gint64)k->desc_offset, "kdump.overlap",
                     "%" G_GUINT64_FORMAT " page descriptors share bytes with another: %s%s",
                     overlaps, ov->str, overlaps > SHOW ? "; ..." : "");
}
