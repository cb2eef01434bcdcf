/* Every page the dump holds is read: for kdump-compressed files each one is
 * decompressed and must come out at exactly one page. Where an ELF
 * kernel-text segment repeats RAM another segment holds, both copies must
 * agree. The time taken gives the throughput --json reports. */
#include "check_internal.h"
#include "dumplab/error.h"

#include <string.h>

#define SHOW 6

static void add_frame(GString *s, guint *shown, guint64 pfn, const char *why)
{
    if ((*shown)++ < SHOW)
        g_string_append_printf(s, "%s0x%" G_GINT64_MODIFIER "x (%s)", s->len ? "; " : "", pfn,
                               why);
}

bool dl_check_pages(DlCheckCtx *c, GError **err)
{
    DlDump *d = c->dump;
    DlCheckResult *r = c->r;
    if (!d)
        return true;
    guint32 ps = dl_dump_page_size(d);
    guint64 max = dl_dump_max_pfn(d);
    g_autofree guint8 *page = g_malloc(ps);
    g_autoptr(GString) bad = g_string_new(NULL);
    guint shown = 0;
    guint64 nbad = 0;
    gint64 t0 = g_get_monotonic_time();
    for (guint64 pfn = dl_dump_next_pfn(d, 0); pfn < max; pfn = dl_dump_next_pfn(d, pfn + 1)) {
        DlPageState st;
        GError *e = NULL;
        /* The state alone first: it never reads page data. */
        dl_dump_page(d, pfn, NULL, &st, NULL);
        if (st == DL_PAGE_EXCLUDED) {
            guint64 end = dl_dump_excluded_end(d, pfn);
            r->pages_excluded += end - pfn;
            pfn = end - 1;
            continue;
        }
        if (st != DL_PAGE_PRESENT)
            continue;
        r->pages_present++;
        if (c->in->quick)
            continue;
        if (!dl_dump_page(d, pfn, page, &st, &e)) {
            /* A read that fails because the file is shorter than when it
             * was opened is the file changing under us: stop, say so. */
            if (g_error_matches(e, DL_ERROR, DL_ERROR_IO)) {
                g_propagate_error(err, e);
                return false;
            }
            nbad++;
            add_frame(bad, &shown, pfn, e->message);
            g_error_free(e);
            continue;
        }
        r->pages_verified++;
        r->bytes_verified += ps;
    }
    r->seconds = (g_get_monotonic_time() - t0) / 1e6;
    if (!c->elf)
        r->ram_bytes = (r->pages_present + r->pages_excluded) * ps;
    if (nbad)
        dl_check_add(r, DL_SEV_DEFECT, -1, "page.unreadable",
                     "%" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
                     " dumped pages cannot be read: %s%s",
                     nbad, r->pages_present, bad->str, shown > SHOW ? "; ..." : "");
    if (c->in->quick)
        return true;
    /* Kernel text against RAM, where both segments hold the same frames. */
    guint64 differ = 0, compared = 0, first = 0;
    if (!dl_dump_text_agrees(d, &compared, &differ, &first, err))
        return false;
    if (differ)
        dl_check_add(r, DL_SEV_DEFECT, -1, "load.text-differs",
                     "%" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
                     " pages of the kernel-text segment differ from the RAM segment holding "
                     "the same frames (first: frame 0x%" G_GINT64_MODIFIER "x)",
                     differ, compared, first);
    return true;
}
