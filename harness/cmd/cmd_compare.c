/* dumplab compare VMCORE REFERENCE [--iomem FILE]: the run's cross-check
 * as a command, for any two dumps of one guest in any format dump.h reads
 * (a kdump vmcore and a hypervisor dump, typically). Lists every differing
 * range, and for a filtered vmcore judges each excluded page against the
 * reference. Exit 0: the same; 1: defects; 2: unreadable input or usage. */
#include "commands.h"
#include "dumplab/check.h"
#include "dumplab/proof.h"

#include <stdio.h>

int cmd_compare(int argc, char **argv)
{
    gboolean json = FALSE;
    g_autofree char *iomem = NULL;
    GOptionEntry entries[] = {
        {"json", 0, 0, G_OPTION_ARG_NONE, &json, "print the result as JSON", NULL},
        {"iomem", 0, 0, G_OPTION_ARG_FILENAME, &iomem,
         "the first kernel's /proc/iomem: compare System RAM only, skip the crashkernel "
         "region",
         "FILE"},
        {NULL},
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("VMCORE REFERENCE");
    g_option_context_set_summary(
        ctx, "Compares a vmcore with a reference dump of the same guest (e.g. the hypervisor's), "
             "page by page, in any format dumplab reads. A page the vmcore's filter excluded "
             "must be zero in the reference, or free, user or cache by the reference's struct "
             "page as the dump level allows.\nExit status: 0 the same, 1 defects, 2 unreadable "
             "input or bad usage.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_autoptr(GError) err = NULL;
    if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
        fprintf(stderr, "dumplab compare: %s\n", err->message);
        return 2;
    }
    if (argc != 3) {
        fprintf(stderr, "dumplab compare: expected VMCORE REFERENCE (see --help)\n");
        return 2;
    }
    g_autoptr(GArray) ram = g_array_new(FALSE, FALSE, sizeof(DlRange));
    g_autoptr(GArray) ck = g_array_new(FALSE, FALSE, sizeof(DlRange));
    if (iomem && !cmd_read_iomem(iomem, ram, ck, &err)) {
        fprintf(stderr, "dumplab compare: --iomem: %s\n", err->message);
        return 2;
    }
    g_autoptr(DlDump) k = dl_dump_open(argv[1], &err);
    g_autoptr(DlDump) h = k ? dl_dump_open(argv[2], &err) : NULL;
    if (!k || !h) {
        fprintf(stderr, "dumplab compare: %s\n", err->message);
        return 2;
    }
    DlCheckInput in = {.expect_cpus = -1, .quick = true};
    g_autoptr(DlCheckResult) base = dl_check_dump(k, &in, &err);
    if (!base) {
        fprintf(stderr, "dumplab compare: %s\n", err->message);
        return 2;
    }
    /* Only the comparison's own findings. */
    g_autoptr(DlCheckResult) r = dl_check_result_new();
    DlCompareStats st;
    gint64 t0 = g_get_monotonic_time();
    bool same = dl_proof_compare(k, h, iomem ? ram : NULL, iomem && ck->len ? ck : NULL, r, &st);
    double secs = (g_get_monotonic_time() - t0) / 1e6;
    /* A page read that met either file shorter than when it was opened
     * made the comparison meaningless: say so, status 2. */
    if (!dl_dump_io_ok(k, &err) || !dl_dump_io_ok(h, &err)) {
        fprintf(stderr, "dumplab compare: %s\n", err->message);
        if (st.differ)
            g_array_free(st.differ, TRUE);
        return 2;
    }
    if (json) {
        g_autoptr(JsonNode) stn = dl_compare_stats_to_json(&st);
        g_autoptr(JsonNode) fn = dl_check_to_json(r);
        JsonObject *o = json_node_get_object(stn);
        json_object_set_member(
            o, "findings",
            json_node_copy(json_object_get_member(json_node_get_object(fn), "findings")));
        json_object_set_double_member(o, "seconds", secs);
        g_autofree char *s = json_to_string(stn, TRUE);
        printf("%s\n", s);
    } else {
        for (guint i = 0; i < r->findings->len; i++) {
            const DlFinding *f = g_ptr_array_index(r->findings, i);
            printf("%-7s %-24s %s\n", dl_severity_name(f->sev), f->rule, f->message);
        }
        for (guint i = 0; st.differ && i < st.differ->len; i++) {
            const DlRange *d = &g_array_index(st.differ, DlRange, i);
            printf("differ  0x%012" G_GINT64_MODIFIER "x-0x%012" G_GINT64_MODIFIER
                   "x %" G_GUINT64_FORMAT " bytes\n",
                   d->start, d->end, d->end - d->start + 1);
        }
        printf("%s: %" G_GUINT64_FORMAT " pages compared, %" G_GUINT64_FORMAT
               " differ, %" G_GUINT64_FORMAT " missing, %" G_GUINT64_FORMAT
               " excluded checked (%" G_GUINT64_FORMAT " wrongly), %.2f s\n",
               same ? "same" : "DIFFERENT", st.compared_pages, st.differing_pages, st.missing_pages,
               st.excluded_ok + st.excluded_bad, st.excluded_bad, secs);
    }
    if (st.differ)
        g_array_free(st.differ, TRUE);
    return same ? 0 : 1;
}
