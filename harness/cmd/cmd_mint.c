/* dumplab mint-plan: Mint's memory views (seed 001) and their overlaps.
 * Exit 0: no writable view overlaps another node's memory; 1: some do;
 * 2: bad usage. */
#include "commands.h"
#include "dumplab/mintplan.h"

#include <stdio.h>

int cmd_mint_plan(int argc, char **argv)
{
    gint nodes = 0, cols = 72;
    g_auto(GStrv) extends = NULL;
    GOptionEntry entries[] = {
        {"nodes", 0, 0, G_OPTION_ARG_INT, &nodes, "how many OS nodes (1..64)", "N"},
        {"extend", 0, 0, G_OPTION_ARG_STRING_ARRAY, &extends,
         "region 3 of node ID gets SIZE bytes (or ends at END with ..END); :ro maps the "
         "part past Kexec-Mint's own size read-only",
         "ID=SIZE[:ro]"},
        {"columns", 0, 0, G_OPTION_ARG_INT, &cols, "width of the drawn map (default 72)", "N"},
        {NULL},
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new(NULL);
    g_option_context_set_summary(
        ctx, "Computes each Mint OS node's recognised memory with Kexec-Mint's firmware_memmap\n"
             "formulas, draws the map and lists every range where one node's writable view\n"
             "overlaps another node's memory.\nExit status: 0 none, 1 writable overlaps, 2 usage.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_autoptr(GError) err = NULL;
    if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
        fprintf(stderr, "dumplab mint-plan: %s\n", err->message);
        return 2;
    }
    if (argc != 1) {
        fprintf(stderr, "dumplab mint-plan: unexpected argument '%s'\n", argv[1]);
        return 2;
    }
    if (cols < 8 || cols > 512) {
        fprintf(stderr, "dumplab mint-plan: --columns %d: expected 8..512\n", cols);
        return 2;
    }
    guint n_ext = extends ? g_strv_length(extends) : 0;
    g_autofree DlMintExtend *ext = g_new0(DlMintExtend, n_ext + 1);
    for (guint i = 0; i < n_ext; i++)
        if (!dl_mint_parse_extend(extends[i], &ext[i], &err)) {
            fprintf(stderr, "dumplab mint-plan: %s\n", err->message);
            return 2;
        }
    g_autoptr(DlMintPlan) p = dl_mint_plan(nodes < 0 ? 0 : (unsigned)nodes, ext, n_ext, &err);
    if (!p) {
        fprintf(stderr, "dumplab mint-plan: %s\n", err->message);
        return 2;
    }
    g_autofree char *text = dl_mint_plan_text(p, (unsigned)cols);
    fputs(text, stdout);
    return p->overlaps->len ? 1 : 0;
}
