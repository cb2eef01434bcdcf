/* kdump's vmcore against the hypervisor's dump taken when the crash kernel
 * started: outside the crash kernel's own memory nothing may differ. A
 * difference means the capture kernel or a device wrote where it must not,
 * or the vmcore maps memory wrong. Both dumps are read frame by frame
 * through dump.h, so either may be in any format; a page kdump's filter
 * excluded is judged against the reference's bytes and struct page. */
#include "dumplab/pageclass.h"
#include "dumplab/proof.h"

#include <string.h>

#define LOW_1M (1ULL << 20)
#define SHOW 8

static bool in_ranges(GArray *ranges, guint64 a)
{
    for (guint i = 0; ranges && i < ranges->len; i++) {
        const DlRange *r = &g_array_index(ranges, DlRange, i);
        if (a >= r->start && a <= r->end)
            return true;
    }
    return false;
}

/* Appends [a, a+ps) to a coalesced list of inclusive ranges. */
static void add_page(GArray *list, guint64 a, guint64 ps)
{
    if (list->len) {
        DlRange *last = &g_array_index(list, DlRange, list->len - 1);
        if (last->end + 1 == a) {
            last->end = a + ps - 1;
            return;
        }
    }
    DlRange r = {a, a + ps - 1};
    g_array_append_val(list, r);
}

static char *describe(GArray *list)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < list->len && i < SHOW; i++) {
        const DlRange *r = &g_array_index(list, DlRange, i);
        g_string_append_printf(
            s, "%s0x%" G_GINT64_MODIFIER "x-0x%" G_GINT64_MODIFIER "x (%" G_GUINT64_FORMAT " KiB)",
            i ? ", " : "", r->start, r->end, (r->end - r->start + 1) >> 10);
    }
    if (list->len > SHOW)
        g_string_append_printf(s, " and %u more ranges", list->len - SHOW);
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

static bool all_zero(const guint8 *p, guint32 n)
{
    return p[0] == 0 && !memcmp(p, p + 1, n - 1);
}

typedef struct {
    DlDump *kdump, *hv;
    DlPageClassifier *pc; /* the reference's struct pages */
    bool pc_tried;
    char *pc_error;
    int level;
    GString *bad;
    guint nbad;
} Excl;

/* A page kdump left out, against the reference's bytes (h) and struct
 * page. True when the dump level allows leaving it out. */
static bool judge_excluded(Excl *x, guint64 pfn, const guint8 *h, guint32 ps, DlCompareStats *st)
{
    if (!x->pc_tried) {
        GError *e = NULL;
        x->pc_tried = true;
        /* The reference's memory, found with its own VMCOREINFO if it has
         * one (QEMU's with -device vmcoreinfo), else with kdump's. */
        DlDump *info = dl_dump_vmcoreinfo(x->hv) ? x->hv : x->kdump;
        x->pc = dl_pageclass_new_with(x->hv, info, &e);
        if (!x->pc) {
            x->pc_error = g_strdup(e->message);
            g_error_free(e);
        }
    }
    bool zero = all_zero(h, ps);
    int level = x->level < 0 ? 31 : x->level;
    if (zero && (level & 1))
        return true;
    guint64 flags = 0;
    DlPageClass k = x->pc ? dl_pageclass_get(x->pc, pfn, &flags) : DL_PC_UNREADABLE;
    /* A level that drops only zero pages needs no struct page to judge. */
    if ((k == DL_PC_UNREADABLE || k == DL_PC_NO_PAGE) && (level & 30) == 0)
        k = DL_PC_KERNEL;
    if (k == DL_PC_UNREADABLE || k == DL_PC_NO_PAGE) {
        st->excluded_unclassified++;
        return true;
    }
    if (dl_pageclass_level_bit(k) & level)
        return true;
    if (x->nbad++ < SHOW)
        g_string_append_printf(x->bad,
                               "%sframe 0x%" G_GINT64_MODIFIER
                               "x: %s page in the reference (flags 0x%" G_GINT64_MODIFIER
                               "x)%s, dump level %d %s",
                               x->bad->len ? "; " : "", pfn, dl_pageclass_name(k), flags,
                               zero ? "" : ", not zero", level,
                               k == DL_PC_KERNEL ? "drops no kernel page: it had to be kept"
                                                 : "keeps that class: it had to be kept");
    return false;
}

bool dl_proof_compare(DlDump *kdump, DlDump *hv, GArray *ram, GArray *crashkernel, DlCheckResult *r,
                      DlCompareStats *stats)
{
    DlCompareStats st = {0};
    g_autoptr(GArray) differ = g_array_new(FALSE, FALSE, sizeof(DlRange));
    g_autoptr(GArray) missing = g_array_new(FALSE, FALSE, sizeof(DlRange));
    g_autoptr(GArray) extra = g_array_new(FALSE, FALSE, sizeof(DlRange));
    GError *pe = NULL;
    if (!dl_dump_match_page_size(kdump, hv, &pe)) {
        dl_check_add(r, DL_SEV_DEFECT, -1, "compare.page-size", "not comparable: %s", pe->message);
        g_error_free(pe);
        if (stats)
            *stats = st;
        return false;
    }
    guint32 ps = dl_dump_page_size(hv);
    g_autofree guint8 *h = g_malloc(ps), *k = g_malloc(ps);
    Excl x = {.kdump = kdump, .hv = hv, .level = dl_dump_level(kdump), .bad = g_string_new(NULL)};
    g_autoptr(GString) unreadable = g_string_new(NULL);
    guint64 nunread = 0;
    guint64 hmax = dl_dump_max_pfn(hv);
    for (guint64 pfn = dl_dump_next_pfn(hv, 0); pfn < hmax; pfn = dl_dump_next_pfn(hv, pfn + 1)) {
        guint64 a = pfn * ps;
        const char *why = skip_reason(a, ram, crashkernel);
        if (why && !strcmp(why, "low"))
            st.low_pages++;
        DlPageState hs, ks;
        if (why) {
            dl_dump_page(hv, pfn, NULL, &hs, NULL);
            st.skipped_pages += hs == DL_PAGE_PRESENT;
            if (hs == DL_PAGE_EXCLUDED)
                pfn = dl_dump_excluded_end(hv, pfn) - 1;
            continue;
        }
        /* Frames the reference itself left out are not compared; a run of
         * them is skipped whole (a segment's p_memsz is a claim, not
         * bytes in the file). */
        dl_dump_page(hv, pfn, NULL, &hs, NULL);
        if (hs == DL_PAGE_EXCLUDED) {
            pfn = dl_dump_excluded_end(hv, pfn) - 1;
            continue;
        }
        GError *e = NULL;
        if (!dl_dump_page(hv, pfn, h, &hs, &e) || hs != DL_PAGE_PRESENT) {
            if (e && nunread++ < SHOW)
                g_string_append_printf(unreadable, "%sreference: %s", unreadable->len ? "; " : "",
                                       e->message);
            g_clear_error(&e);
            continue;
        }
        if (!dl_dump_page(kdump, pfn, k, &ks, &e)) {
            if (nunread++ < SHOW)
                g_string_append_printf(unreadable, "%svmcore: %s", unreadable->len ? "; " : "",
                                       e->message);
            g_clear_error(&e);
            continue;
        }
        if (ks == DL_PAGE_ABSENT) {
            st.missing_pages++;
            add_page(missing, a, ps);
        } else if (ks == DL_PAGE_EXCLUDED) {
            if (judge_excluded(&x, pfn, h, ps, &st))
                st.excluded_ok++;
            else
                st.excluded_bad++;
        } else {
            st.compared_pages++;
            if (memcmp(h, k, ps) != 0) {
                st.differing_pages++;
                add_page(differ, a, ps);
            }
        }
    }
    /* The other way: RAM only kdump holds means the hypervisor's dump is
     * short, which weakens the comparison but is not kdump's fault. */
    guint64 kmax = dl_dump_max_pfn(kdump);
    for (guint64 pfn = dl_dump_next_pfn(kdump, 0); pfn < kmax;
         pfn = dl_dump_next_pfn(kdump, pfn + 1)) {
        DlPageState ks, hs;
        dl_dump_page(kdump, pfn, NULL, &ks, NULL);
        if (ks == DL_PAGE_EXCLUDED)
            pfn = dl_dump_excluded_end(kdump, pfn) - 1;
        if (ks != DL_PAGE_PRESENT || skip_reason(pfn * ps, ram, crashkernel))
            continue;
        dl_dump_page(hv, pfn, NULL, &hs, NULL);
        if (hs == DL_PAGE_PRESENT)
            continue;
        st.extra_pages++;
        add_page(extra, pfn * ps, ps);
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
    if (nunread)
        dl_check_add(r, DL_SEV_DEFECT, -1, "compare.unreadable",
                     "%" G_GUINT64_FORMAT " pages could not be read: %s%s", nunread,
                     unreadable->str, nunread > SHOW ? "; ..." : "");
    if (st.excluded_bad)
        dl_check_add(r, DL_SEV_DEFECT, -1, "compare.excluded-kept",
                     "%" G_GUINT64_FORMAT " pages the vmcore's filter excluded had to be kept: "
                     "%s%s",
                     st.excluded_bad, x.bad->str, x.nbad > SHOW ? "; ..." : "");
    if (st.excluded_ok || st.excluded_bad)
        dl_check_add(r, DL_SEV_NOTE, -1, "compare.excluded",
                     "%" G_GUINT64_FORMAT
                     " excluded pages checked against the reference: %" G_GUINT64_FORMAT
                     " rightly excluded, %" G_GUINT64_FORMAT " not%s%s",
                     st.excluded_ok + st.excluded_bad, st.excluded_ok, st.excluded_bad,
                     x.pc_error ? "; struct pages unreadable: " : "", x.pc_error ? x.pc_error : "");
    if (st.excluded_unclassified)
        dl_check_add(r, DL_SEV_WARNING, -1, "compare.excluded-unverified",
                     "%" G_GUINT64_FORMAT " excluded non-zero pages could not be classified by "
                     "the reference's struct pages%s%s",
                     st.excluded_unclassified, x.pc_error ? ": " : "",
                     x.pc_error ? x.pc_error : "");
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
    dl_pageclass_free(x.pc);
    g_free(x.pc_error);
    g_string_free(x.bad, TRUE);
    if (stats) {
        *stats = st;
        stats->differ = g_steal_pointer(&differ);
    }
    return st.differing_pages == 0 && st.missing_pages == 0 && st.excluded_bad == 0 &&
           nunread == 0 && st.compared_pages > 0;
}

JsonNode *dl_compare_stats_to_json(const DlCompareStats *st)
{
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    const struct {
        const char *k;
        guint64 v;
    } n[] = {{"compared_pages", st->compared_pages},
             {"differing_pages", st->differing_pages},
             {"missing_pages", st->missing_pages},
             {"hv_short_pages", st->extra_pages},
             {"skipped_pages", st->skipped_pages},
             {"low_pages", st->low_pages},
             {"excluded_ok", st->excluded_ok},
             {"excluded_bad", st->excluded_bad},
             {"excluded_unclassified", st->excluded_unclassified}};
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
