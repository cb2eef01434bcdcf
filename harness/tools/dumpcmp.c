/* dumpcmp: compare two dumps of one guest page by page, as the run's
 * cross-check does (for benchmarks and by hand).
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
    g_autoptr(DlCore) k = dl_core_open(argv[1], &err);
    g_autoptr(DlCore) h = k ? dl_core_open(argv[2], &err) : NULL;
    if (!k || !h) {
        fprintf(stderr, "dumpcmp: %s\n", err->message);
        return 2;
    }
    g_autoptr(GArray) ck = g_array_new(FALSE, FALSE, sizeof(DlRange));
    if (argc == 5) {
        DlRange r = {g_ascii_strtoull(argv[3], NULL, 0), g_ascii_strtoull(argv[4], NULL, 0)};
        g_array_append_val(ck, r);
    }
    g_autoptr(DlCheckResult) r = dl_check_core(k, NULL);
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
