/* dumplab check: judge one vmcore on its own, in any format the reader
 * opens (dump.h); "-" reads a flattened stream from standard input.
 * Exit 0: no defect; 1: defects; 2: the file cannot be read (or is in a
 * format dumplab recognises but does not read), or bad usage. */
#include "commands.h"
#include "dumplab/check.h"
#include "dumplab/error.h"

#include <stdio.h>
#include <string.h>

int cmd_check(int argc, char **argv)
{
    gboolean json = FALSE, quick = FALSE;
    gint expect_cpus = -1;
    g_autofree char *iomem = NULL;
    GOptionEntry entries[] = {
        {"json", 0, 0, G_OPTION_ARG_NONE, &json, "print the result as JSON", NULL},
        {"expect-cpus", 0, 0, G_OPTION_ARG_INT, &expect_cpus,
         "a defect unless there are N NT_PRSTATUS notes", "N"},
        {"quick", 0, 0, G_OPTION_ARG_NONE, &quick,
         "headers, notes, bitmaps and descriptors only: do not read page data", NULL},
        {"iomem", 0, 0, G_OPTION_ARG_FILENAME, &iomem,
         "the first kernel's /proc/iomem: check RAM coverage and the crashkernel region", "FILE"},
        {NULL},
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("VMCORE");
    g_option_context_set_summary(ctx,
                                 "Checks a vmcore (ELF, kdump-compressed, flattened, filtered "
                                 "ELF; kdump's or QEMU's) and lists its findings. Every page is "
                                 "read unless --quick. VMCORE '-' is a flattened stream on "
                                 "standard input.\nExit status: 0 no defect, 1 defects, 2 "
                                 "unreadable file or bad usage.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_autoptr(GError) err = NULL;
    if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
        fprintf(stderr, "dumplab check: %s\n", err->message);
        return 2;
    }
    if (argc != 2) {
        fprintf(stderr, "dumplab check: expected one VMCORE (see --help)\n");
        return 2;
    }
    g_autoptr(GArray) ram = g_array_new(FALSE, FALSE, sizeof(DlRange));
    g_autoptr(GArray) ck = g_array_new(FALSE, FALSE, sizeof(DlRange));
    if (iomem && !cmd_read_iomem(iomem, ram, ck, &err)) {
        fprintf(stderr, "dumplab check: --iomem: %s\n", err->message);
        return 2;
    }
    DlCheckInput in = {
        .expect_cpus = expect_cpus,
        .ram = iomem ? ram : NULL,
        .crashkernel = iomem && ck->len ? ck : NULL,
        .quick = quick,
    };
    g_autoptr(DlCheckResult) r = dl_check_vmcore(argv[1], &in, &err);
    if (!r) {
        fprintf(stderr, "dumplab check: %s\n", err->message);
        return 2;
    }
    if (json) {
        g_autoptr(JsonNode) node = dl_check_to_json(r);
        g_autofree char *s = json_to_string(node, TRUE);
        printf("%s\n", s);
    } else {
        dl_check_print(r, stdout);
    }
    return r->defects ? 1 : 0;
}
