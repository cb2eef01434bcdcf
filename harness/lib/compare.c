/* kdump's vmcore against the hypervisor's dump taken when the crash kernel
 * started: outside the crash kernel's own memory nothing may differ. A
 * difference means the capture kernel or a device wrote where it must not,
 * or the vmcore maps memory wrong. Both files are mapped; a page is one
 * memcmp, so a 1 GiB guest compares in about a second. */
#include "dumplab/proof.h"

#include <elf.h>
#include <string.h>

#define PAGE 4096ULL
#define LOW_1M (1ULL << 20)

static bool in_ranges(GArray *ranges, guint64 a)
{
    for (guint i = 0; ranges && i < ranges->len; i++) {
        const DlRange *r = &g_array_index(ranges, DlRange, i);
        if (a >= r->start && a <= r->end)
            return true;
    }
    return false;
}

/* Appends [a, a+PAGE) to a coalesced list of inclusive ranges. */
static void add_page(GArray *list, guint64 a)
{
    if (list->len) {
        DlRange *last = &g_array_index(list, DlRange, list->len - 1);
        if (last->end + 1 == a) {
            last->end = a + PAGE - 1;
            return;
        }
    }
    DlRange r = {a, a + PAGE - 1};
    g_array_append_val(list, r);
}

static char *describe(GArray *list)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < list->len && i < 8; i++) {
        const DlRange *r = &g_array_index(list, DlRange, i);
        g_string_append_printf(
            s, "%s0x%" G_GINT64_MODIFIER "x-0x%" G_GINT64_MODIFIER "x (%" G_GUINT64_FORMAT " KiB)",
            i ? ", " : "", r->start, r->end, (r->end - r->start + 1) >> 10);
    }
    if (list->len > 8)
        g_string_append_printf(s, " and %u more ranges", list->len - 8);
    return g_string_free(s, FALSE);
}

bool dl_proof_compare(const DlCore *kdump, const DlCore *hv, GArray *ram, GArray *crashkernel,
                      DlCheckResult *r, DlCompareStats *stats)
{
    DlCompareStats st = {0};
    g_autoptr(GArray) differ = g_array_new(FALSE, FALSE, sizeof(DlRange));
    g_autoptr(GArray) missing = g_array_new(FALSE, FALSE, sizeof(DlRange));
    for (guint i = 0; i < dl_core_phnum(hv); i++) {
        const DlPhdr *p = dl_core_phdr(hv, i);
        if (p->type != PT_LOAD)
            continue;
        guint64 first = (p->paddr + PAGE - 1) & ~(PAGE - 1);
        for (guint64 a = first; a + PAGE <= p->paddr + p->filesz && a + PAGE > a; a += PAGE) {
            if (a < LOW_1M || in_ranges(crashkernel, a) || (ram && !in_ranges(ram, a))) {
                st.skipped_pages++;
                continue;
            }
            const guint8 *h = dl_core_phys(hv, a, PAGE);
            if (!h) {
                st.skipped_pages++;
                continue;
            }
            const guint8 *k = dl_core_phys(kdump, a, PAGE);
            if (!k) {
                st.missing_pages++;
                add_page(missing, a);
                continue;
            }
            st.compared_pages++;
            if (memcmp(h, k, PAGE) != 0) {
                st.differing_pages++;
                add_page(differ, a);
            }
        }
    }
    if (differ->len) {
        g_autofree char *d = describe(differ);
        dl_check_add(r, DL_SEV_DEFECT, -1, "compare.differ",
                     "%" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
                     " pages differ between the kdump vmcore and the hypervisor's dump: %s",
                     st.differing_pages, st.compared_pages, d);
    }
    if (missing->len) {
        g_autofree char *d = describe(missing);
        dl_check_add(r, DL_SEV_DEFECT, -1, "compare.missing",
                     "%" G_GUINT64_FORMAT " pages of RAM the hypervisor dumped are not in the "
                     "kdump vmcore: %s",
                     st.missing_pages, d);
    }
    if (!differ->len && !missing->len)
        dl_check_add(r, DL_SEV_NOTE, -1, "compare.ok",
                     "%" G_GUINT64_FORMAT " pages identical in both dumps (%" G_GUINT64_FORMAT
                     " skipped: low 1 MiB, crashkernel, not RAM)",
                     st.compared_pages, st.skipped_pages);
    if (stats) {
        *stats = st;
        stats->differ = g_steal_pointer(&differ);
    }
    return st.differing_pages == 0 && st.missing_pages == 0;
}
