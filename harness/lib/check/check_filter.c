/* A filtered dump (makedumpfile -d N, or -E) leaves pages out. Each one is
 * classified by the dump's own struct page (pageclass.h; the mem_map is
 * kernel memory, which every dump level keeps), counted per class, and
 * judged against the dump level: a user page left out without bit 8, say,
 * is a defect; a page no class explains is a zero page if level bit 1 is
 * set (only a reference dump can prove it: `dumplab compare`), else a
 * kernel page that had to be kept. Coverage rules (check_memmap.c) count
 * excluded pages as covered, so a correct filtered dump gets no false
 * "missing RAM" defect. */
#include "check_internal.h"

#include <string.h>

#define SHOW 6

void dl_check_filter(DlCheckCtx *c)
{
    DlDump *d = c->dump;
    DlCheckResult *r = c->r;
    if (!d)
        return;
    int level = dl_dump_level(d);
    if (!r->pages_excluded) {
        if (level > 0)
            dl_check_add(r, DL_SEV_NOTE, -1, "filter.none",
                         "dump level %d, but no page is excluded", level);
        return;
    }
    if (!dl_dump_has_data(d)) {
        dl_check_add(r, DL_SEV_WARNING, -1, "filter.unverified",
                     "%" G_GUINT64_FORMAT " pages are excluded (dump level %d); their classes "
                     "are not told from a stream, whose struct pages went by unkept (check a "
                     "file for that)",
                     r->pages_excluded, level);
        return;
    }
    GError *e = NULL;
    g_autoptr(DlPageClassifier) pc = dl_pageclass_new(d, &e);
    if (!pc) {
        dl_check_add(r, DL_SEV_WARNING, -1, "filter.unverified",
                     "%" G_GUINT64_FORMAT " pages are excluded (dump level %d), but their "
                     "classes cannot be told: %s",
                     r->pages_excluded, level, e->message);
        g_error_free(e);
        return;
    }
    /* Frames with a real struct page are bounded by the mem_map the file
     * holds; more excluded frames than that are a claim, not memory. */
    guint64 budget = MAX(dl_dump_file_size(d) / 32, (guint64)1 << 20), seen = 0;
    guint64 max = dl_dump_max_pfn(d);
    g_autoptr(GString) kept = g_string_new(NULL), wrong = g_string_new(NULL);
    guint64 nkept = 0, nwrong = 0;
    bool exhausted = false;
    for (guint64 pfn = dl_dump_next_pfn(d, 0); pfn < max && !exhausted;
         pfn = dl_dump_next_pfn(d, pfn + 1)) {
        DlPageState st;
        dl_dump_page(d, pfn, NULL, &st, NULL);
        if (st != DL_PAGE_EXCLUDED)
            continue;
        guint64 end = dl_dump_excluded_end(d, pfn);
        for (; pfn < end; pfn++) {
            if (seen++ >= budget) {
                exhausted = true;
                break;
            }
            guint64 flags;
            DlPageClass k = dl_pageclass_get(pc, pfn, &flags);
            int bit = dl_pageclass_level_bit(k);
            bool known = k != DL_PC_NO_PAGE && k != DL_PC_UNREADABLE;
            if (!known || (bit && (level < 0 || (level & bit)))) {
                r->excluded_class[k]++;
            } else if (level < 0 || (level & 1)) {
                /* No class the level drops explains it: it must have been
                 * a zero page (only a reference can prove it). */
                r->excluded_zero++;
            } else if (k == DL_PC_KERNEL) {
                r->excluded_class[k]++;
                if (nkept++ < SHOW)
                    g_string_append_printf(kept, "%s0x%" G_GINT64_MODIFIER "x (flags 0x%"
                                           G_GINT64_MODIFIER "x)",
                                           kept->len ? ", " : "", pfn, flags);
            } else {
                r->excluded_class[k]++;
                if (nwrong++ < SHOW)
                    g_string_append_printf(wrong, "%s0x%" G_GINT64_MODIFIER "x (%s)",
                                           wrong->len ? ", " : "", pfn, dl_pageclass_name(k));
            }
        }
        pfn = end - 1;
    }
    r->classified = true;
    if (exhausted)
        dl_check_add(r, DL_SEV_DEFECT, -1, "filter.implausible",
                     "more than %" G_GUINT64_FORMAT " frames are excluded: more than the "
                     "dump's own struct pages can describe",
                     budget);
    if (nkept)
        dl_check_add(r, DL_SEV_DEFECT, -1, "filter.kernel-page",
                     "%" G_GUINT64_FORMAT " excluded frames are kernel pages by their struct "
                     "page, and dump level %d does not drop zero pages: %s%s",
                     nkept, level, kept->str, nkept > SHOW ? ", ..." : "");
    if (nwrong)
        dl_check_add(r, DL_SEV_DEFECT, -1, "filter.wrong-class",
                     "%" G_GUINT64_FORMAT " excluded frames are of a class dump level %d keeps: "
                     "%s%s",
                     nwrong, level, wrong->str, nwrong > SHOW ? ", ..." : "");
    dl_check_add(r, DL_SEV_NOTE, -1, "filter.summary",
                 "dump level %d: %" G_GUINT64_FORMAT " pages excluded: zero %" G_GUINT64_FORMAT
                 " (kernel pages no other class explains; a reference proves them zero), "
                 "free %" G_GUINT64_FORMAT ", user %" G_GUINT64_FORMAT ", cache %" G_GUINT64_FORMAT
                 ", cache-private %" G_GUINT64_FORMAT ", no struct page %" G_GUINT64_FORMAT
                 ", struct page unreadable %" G_GUINT64_FORMAT,
                 level, r->pages_excluded, r->excluded_zero, r->excluded_class[DL_PC_FREE],
                 r->excluded_class[DL_PC_USER], r->excluded_class[DL_PC_CACHE],
                 r->excluded_class[DL_PC_CACHE_PRIV], r->excluded_class[DL_PC_NO_PAGE],
                 r->excluded_class[DL_PC_UNREADABLE]);
}
