/* Marker pages: the module filled N frames with a pattern only (seed, pfn)
 * predicts; every one must be in the vmcore, byte for byte. N and the seed
 * are the scenario's: a guest that reports fewer frames or another seed
 * fails rather than being believed. */
#include "dumplab/marker.h"
#include "dumplab/proof.h"

#include <string.h>

/* Coalesces frame numbers into "0x12-0x14, 0x20" (at most 6 runs shown). */
static char *runs(GArray *pfns)
{
    GString *s = g_string_new(NULL);
    guint shown = 0;
    for (guint i = 0; i < pfns->len;) {
        guint64 a = g_array_index(pfns, guint64, i), b = a;
        guint j = i + 1;
        while (j < pfns->len && g_array_index(pfns, guint64, j) == b + 1)
            b = g_array_index(pfns, guint64, j++);
        if (shown++ < 6) {
            if (a == b)
                g_string_append_printf(s, "%s0x%" G_GINT64_MODIFIER "x", s->len ? ", " : "", a);
            else
                g_string_append_printf(s, "%s0x%" G_GINT64_MODIFIER "x-0x%" G_GINT64_MODIFIER "x",
                                       s->len ? ", " : "", a, b);
        }
        i = j;
    }
    if (shown > 6)
        g_string_append_printf(s, " and %u more runs", shown - 6);
    return g_string_free(s, FALSE);
}

bool dl_proof_markers(DlDump *d, const DlManifest *m, guint want_pages,
                      guint64 want_seed, DlCheckResult *r)
{
    g_autoptr(GArray) missing = g_array_new(FALSE, FALSE, sizeof(guint64));
    g_autoptr(GArray) altered = g_array_new(FALSE, FALSE, sizeof(guint64));
    /* The guest's manifest says where the frames are; what they must hold
     * and how many there are is the scenario's word, not the guest's. */
    guint64 claimed = 0;
    for (guint k = 0; k < m->markers->len; k++) {
        const DlRange *run = &g_array_index(m->markers, DlRange, k);
        guint64 n = run->end >= run->start ? run->end - run->start + 1 : 0;
        claimed = n > G_MAXUINT64 - claimed ? G_MAXUINT64 : claimed + n;
    }
    bool ok = true;
    if (m->seed != want_seed) {
        dl_check_add(r, DL_SEV_DEFECT, -1, "markers.seed",
                     "the guest reports marker seed %" G_GUINT64_FORMAT
                     "; the scenario's is %" G_GUINT64_FORMAT,
                     m->seed, want_seed);
        ok = false;
    }
    if (claimed != want_pages) {
        dl_check_add(r, DL_SEV_DEFECT, -1, "markers.count",
                     "the guest reports %" G_GUINT64_FORMAT
                     " marker frames; the scenario asked for %u",
                     claimed, want_pages);
        /* Never walk more frames than the scenario asked for. */
        if (claimed > want_pages)
            return false;
        ok = false;
    }
    guint64 total = 0;
    guint64 expect[DL_MARKER_WORDS];
    g_autofree guint8 *page = g_malloc(DL_MARKER_PAGE_SIZE);
    for (guint k = 0; k < m->markers->len && dl_dump_io_ok(d, NULL); k++) {
        const DlRange *run = &g_array_index(m->markers, DlRange, k);
        for (guint64 pfn = run->start; pfn <= run->end && total < want_pages; pfn++) {
            total++;
            /* A frame number past what any address can hold is missing too. */
            if (pfn > G_MAXUINT64 / DL_MARKER_PAGE_SIZE ||
                !dl_dump_read_phys(d, pfn * DL_MARKER_PAGE_SIZE, page, DL_MARKER_PAGE_SIZE,
                                   NULL)) {
                g_array_append_val(missing, pfn);
                if (!dl_dump_io_ok(d, NULL))
                    break; /* the file changed under us: the caller says so */
                continue;
            }
            for (guint i = 0; i < DL_MARKER_WORDS; i++)
                expect[i] = GUINT64_TO_LE(dl_marker_word(want_seed, pfn, i));
            if (memcmp(page, expect, sizeof(expect)) != 0)
                g_array_append_val(altered, pfn);
        }
    }
    if (missing->len) {
        g_autofree char *s = runs(missing);
        dl_check_add(r, DL_SEV_DEFECT, -1, "markers.missing",
                     "%u of %" G_GUINT64_FORMAT " marker frames are not in the dump: %s",
                     missing->len, total, s);
    }
    if (altered->len) {
        g_autofree char *s = runs(altered);
        dl_check_add(r, DL_SEV_DEFECT, -1, "markers.altered",
                     "%u of %" G_GUINT64_FORMAT " marker frames differ from their pattern: %s",
                     altered->len, total, s);
    }
    ok = ok && !missing->len && !altered->len;
    if (ok && total)
        dl_check_add(r, DL_SEV_NOTE, -1, "markers.ok",
                     "all %" G_GUINT64_FORMAT " marker frames intact (seed %" G_GUINT64_FORMAT ")",
                     total, want_seed);
    return ok;
}
