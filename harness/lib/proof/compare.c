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

/* Why page a is not compared, or NULL. */
static const char *skip_reason(guint64 a, GArray *ram, GArray *crashkernel)
{
    /* Under kexec_load the vmcore's low 640 KiB are the backup kexec-tools
     * made for the first kernel while the hypervisor's dump has the crash
     * kernel's own use of that memory there (the backup sits inside the
     * crashkernel region); under kexec_file_load the vmcore leaves the low
     * 1 MiB out. Neither layout puts the same bytes at the same paddr in
     * both dumps, so the low 1 MiB is never compared. */
    if (a < LOW_1M)
        return "low";
    if (in_ranges(crashkernel, a))
        return "crashkernel";
    if (ram && !in_ranges(ram, a))
        return "not-ram";
    return NULL;
}

/* Page a of core c, only if the segment p is the one that serves it: the
 * kernel-text PT_LOAD repeats RAM another segment already holds. */
static const guint8 *own_page(const DlCore *c, const DlPhdr *p, guint64 a)
{
    const guint8 *d = dl_core_phys(c, a, PAGE);
    return d == dl_core_data(c) + p->offset + (a - p->paddr) ? d : NULL;
}

bool dl_proof_compare(const DlCore *kdump, const DlCore *hv, GArray *ram, GArray *crashkernel,
                      DlCheckResult *r, DlCompareStats *stats)
{
    DlCompareStats st = {0};
    g_autoptr(GArray) differ = g_array_new(FALSE, FALSE, sizeof(DlRange));
    g_autoptr(GArray) missing = g_array_new(FALSE, FALSE, sizeof(DlRange));
    g_autoptr(GArray) extra = g_array_new(FALSE, FALSE, sizeof(DlRange));
    for (guint i = 0; i < dl_core_phnum(hv); i++) {
        const DlPhdr *p = dl_core_phdr(hv, i);
        if (p->type != PT_LOAD)
            continue;
        guint64 first = (p->paddr + PAGE - 1) & ~(PAGE - 1);
        for (guint64 a = first; a + PAGE <= p->paddr + p->filesz && a + PAGE > a; a += PAGE) {
            const char *why = skip_reason(a, ram, crashkernel);
            const guint8 *h = why ? NULL : own_page(hv, p, a);
            if (why && !strcmp(why, "low"))
                st.low_pages++;
            if (!h) {
                st.skipped_pages += why != NULL;
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
    /* The other way: RAM only kdump holds means the hypervisor's dump is
     * short, which weakens the comparison but is not kdump's fault. */
    for (guint i = 0; i < dl_core_phnum(kdump); i++) {
        const DlPhdr *p = dl_core_phdr(kdump, i);
        if (p->type != PT_LOAD)
            continue;
        guint64 first = (p->paddr + PAGE - 1) & ~(PAGE - 1);
        for (guint64 a = first; a + PAGE <= p->paddr + p->filesz && a + PAGE > a; a += PAGE) {
            if (skip_reason(a, ram, crashkernel) || !own_page(kdump, p, a) ||
                dl_core_phys(hv, a, PAGE))
                continue;
            st.extra_pages++;
            add_page(extra, a);
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
    if (extra->len) {
        g_autofree char *d = describe(extra);
        dl_check_add(r, DL_SEV_WARNING, -1, "compare.hv-short",
                     "%" G_GUINT64_FORMAT " pages of the kdump vmcore are not in the "
                     "hypervisor's dump, so were not compared: %s",
                     st.extra_pages, d);
    }
    if (st.low_pages)
        dl_check_add(r, DL_SEV_NOTE, -1, "compare.low-skipped",
                     "the low 1 MiB (%" G_GUINT64_FORMAT " pages) is not compared: kdump holds "
                     "the kexec_load backup there, or leaves it out (kexec_file_load)",
                     st.low_pages);
    if (!differ->len && !missing->len)
        dl_check_add(r, DL_SEV_NOTE, -1, "compare.ok",
                     "%" G_GUINT64_FORMAT " pages identical in both dumps (%" G_GUINT64_FORMAT
                     " skipped: low 1 MiB, crashkernel, not RAM)",
                     st.compared_pages, st.skipped_pages);
    if (st.compared_pages == 0)
        dl_check_add(r, DL_SEV_DEFECT, -1, "compare.nothing",
                     "no page was in both dumps: nothing was compared");
    if (stats) {
        *stats = st;
        stats->differ = g_steal_pointer(&differ);
    }
    return st.differing_pages == 0 && st.missing_pages == 0 && st.compared_pages > 0;
}

JsonNode *dl_compare_stats_to_json(const DlCompareStats *st)
{
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    const struct {
        const char *k;
        guint64 v;
    } n[] = {{"compared_pages", st->compared_pages}, {"differing_pages", st->differing_pages},
             {"missing_pages", st->missing_pages},   {"hv_short_pages", st->extra_pages},
             {"skipped_pages", st->skipped_pages},   {"low_pages", st->low_pages}};
    for (guint i = 0; i < G_N_ELEMENTS(n); i++) {
        json_builder_set_member_name(b, n[i].k);
        json_builder_add_int_value(b, (gint64)n[i].v);
    }
    json_builder_set_member_name(b, "differ");
    json_builder_begin_array(b);
    for (guint i = 0; st->differ && i < st->differ->len; i++) {
        const DlRange *d = &g_array_index(st->differ, DlRange, i);
        g_autofree char *s = g_strdup_printf("0x%" G_GINT64_MODIFIER "x", d->start);
        g_autofree char *e = g_strdup_printf("0x%" G_GINT64_MODIFIER "x", d->end);
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "start");
        json_builder_add_string_value(b, s);
        json_builder_set_member_name(b, "end");
        json_builder_add_string_value(b, e);
        json_builder_set_member_name(b, "bytes");
        json_builder_add_int_value(b, (gint64)(d->end - d->start + 1));
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
    return json_builder_get_root(b);
}
