/* dumplab check: judge one vmcore on its own. Exit 0: no defect; 1: defects;
 * 2: the file cannot be read as an ELF core, or bad usage. */
#include "commands.h"
#include "dumplab/check.h"
#include "dumplab/error.h"
#include "dumplab/iomem.h"

#include <stdio.h>
#include <string.h>

static bool read_iomem(const char *path, GArray *ram, GArray *ck, GError **err)
{
    g_autofree char *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, err))
        return false;
    if (!dl_iomem_parse_text(text, ram, ck, err)) {
        g_prefix_error(err, "%s: ", path);
        return false;
    }
    return true;
}

int cmd_check(int argc, char **argv)
{
    gboolean json = FALSE;
    gint expect_cpus = -1;
    g_autofree char *iomem = NULL;
    GOptionEntry entries[] = {
        {"json", 0, 0, G_OPTION_ARG_NONE, &json, "print the result as JSON", NULL},
        {"expect-cpus", 0, 0, G_OPTION_ARG_INT, &expect_cpus,
         "a defect unless there are N NT_PRSTATUS notes", "N"},
        {"iomem", 0, 0, G_OPTION_ARG_FILENAME, &iomem,
         "the first kernel's /proc/iomem: check RAM coverage and the crashkernel region", "FILE"},
        {NULL},
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("VMCORE");
    g_option_context_set_summary(ctx,
                                 "Checks an ELF vmcore (kdump's or QEMU's) and lists its "
                                 "findings.\nExit status: 0 no defect, 1 defects, 2 unreadable "
                                 "file or bad usage.");
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
    if (iomem && !read_iomem(iomem, ram, ck, &err)) {
        fprintf(stderr, "dumplab check: --iomem: %s\n", err->message);
        return 2;
    }
    DlCheckInput in = {
        .expect_cpus = expect_cpus,
        .ram = iomem ? ram : NULL,
        .crashkernel = iomem && ck->len ? ck : NULL,
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
