/* Marker pages: the module filled N frames with a pattern only (seed, pfn)
 * predicts; every one must be in the vmcore, byte for byte. */
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

bool dl_proof_markers(const DlCore *core, const DlManifest *m, DlCheckResult *r)
{
    g_autoptr(GArray) missing = g_array_new(FALSE, FALSE, sizeof(guint64));
    g_autoptr(GArray) altered = g_array_new(FALSE, FALSE, sizeof(guint64));
    guint64 total = 0;
    guint64 expect[DL_MARKER_WORDS];
    /* The guest's claim is bounded by the dump: no more frames than the
     * file could hold are walked, whatever count the manifest says. */
    guint64 claimed = 0, limit = dl_core_size(core) / DL_MARKER_PAGE_SIZE + 1;
    for (guint k = 0; k < m->markers->len; k++) {
        const DlRange *run = &g_array_index(m->markers, DlRange, k);
        guint64 n = run->end - run->start + 1;
        claimed = n == 0 || claimed + n < claimed ? G_MAXUINT64 : claimed + n;
    }
    if (claimed > limit) {
        dl_check_add(r, DL_SEV_DEFECT, -1, "markers.count",
                     "the guest claims %" G_GUINT64_FORMAT " marker frames, more than the %"
                     G_GUINT64_FORMAT "-byte dump can hold",
                     claimed, dl_core_size(core));
        return false;
    }
    for (guint k = 0; k < m->markers->len; k++) {
        const DlRange *run = &g_array_index(m->markers, DlRange, k);
        for (guint64 pfn = run->start; pfn <= run->end; pfn++) {
            total++;
            const guint8 *page = dl_core_phys(core, pfn * DL_MARKER_PAGE_SIZE, DL_MARKER_PAGE_SIZE);
            if (!page) {
                g_array_append_val(missing, pfn);
                continue;
            }
            for (guint i = 0; i < DL_MARKER_WORDS; i++)
                expect[i] = GUINT64_TO_LE(dl_marker_word(m->seed, pfn, i));
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
    if (!missing->len && !altered->len && total)
        dl_check_add(r, DL_SEV_NOTE, -1, "markers.ok",
                     "all %" G_GUINT64_FORMAT " marker frames intact (seed %" G_GUINT64_FORMAT ")",
                     total, m->seed);
    return !missing->len && !altered->len;
}
