/* dumpcmp: compare two dumps of one guest page by page, as the run's
 * cross-check does (for benchmarks and by hand); any formats dump.h reads.
 *   dumpcmp KDUMP-VMCORE HYPERVISOR-DUMP [CRASHKERNEL-START CRASHKERNEL-END]
 * Exit 0: no difference; 1: differences; 2: unreadable input. */
#include "dumplab/proof.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 3 && argc != 5) {
        fprintf(stderr, "usage: dumpcmp KDUMP HV [CK-START CK-END]\n");
        return 2;
    }
    g_autoptr(GError) err = NULL;
    g_autoptr(DlDump) k = dl_dump_open(argv[1], &err);
    g_autoptr(DlDump) h = k ? dl_dump_open(argv[2], &err) : NULL;
    if (!k || !h) {
        fprintf(stderr, "dumpcmp: %s\n", err->message);
        return 2;
    }
    g_autoptr(GArray) ck = g_array_new(FALSE, FALSE, sizeof(DlRange));
    if (argc == 5) {
        guint64 a, b;
        if (!g_ascii_string_to_unsigned(argv[3], 0, 0, G_MAXUINT64, &a, &err) ||
            !g_ascii_string_to_unsigned(argv[4], 0, 0, G_MAXUINT64, &b, &err) || b < a) {
            fprintf(stderr, "dumpcmp: bad crashkernel range %s-%s\n", argv[3], argv[4]);
            return 2;
        }
        DlRange r = {a, b};
        g_array_append_val(ck, r);
    }
    DlCheckInput in = {.expect_cpus = -1, .quick = true};
    g_autoptr(DlCheckResult) r = dl_check_dump(k, &in, &err);
    if (!r) {
        fprintf(stderr, "dumpcmp: %s\n", err->message);
        return 2;
    }
    DlCompareStats st;
    bool same = dl_proof_compare(k, h, NULL, ck, r, &st);
    for (guint i = 0; i < r->findings->len; i++) {
        const DlFinding *f = g_ptr_array_index(r->findings, i);
        if (g_str_has_prefix(f->rule, "compare."))
            printf("%s %s: %s\n", dl_severity_name(f->sev), f->rule, f->message);
    }
    if (st.differ)
        g_array_free(st.differ, TRUE);
    return same ? 0 : 1;
}
