/* dumplab run: run one scenario, or a set of them with a summary table. */
#include "commands.h"
#include "dumplab/images.h"
#include "dumplab/run.h"
#include "dumplab/sigguard.h"
#include "dumplab/virt.h"

#include <stdio.h>
#include <string.h>

int cmd_run(int argc, char **argv)
{
    g_autofree char *runs_dir = NULL;
    gboolean quiet = FALSE, prune = FALSE;
    GOptionEntry entries[] = {
        {"runs-dir", 0, 0, G_OPTION_ARG_FILENAME, &runs_dir,
         "make work folders below DIR (default: runs/)", "DIR"},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "no progress lines", NULL},
        {"prune", 0, 0, G_OPTION_ARG_NONE, &prune,
         "delete the dumps of runs that end as their scenario expects (catalog runs)", NULL},
        {NULL},
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("SCENARIO|DIR|GLOB...");
    g_option_context_set_summary(
        ctx, "Boots each scenario's guest, arms kdump, provokes its fault, collects and checks\n"
             "the vmcore. A folder runs every *.scn below it. Exit status: 0 when every run\n"
             "ended as its scenario expects, 1 when one did not, 2 on bad usage or input.");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_autoptr(GError) err = NULL;
    if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
        fprintf(stderr, "dumplab run: %s\n", err->message);
        return 2;
    }
    if (argc < 2) {
        g_autofree char *help = g_option_context_get_help(ctx, TRUE, NULL);
        fputs(help, stderr);
        return 2;
    }
    g_autoptr(GPtrArray) paths = dl_scenario_expand((const char *const *)argv + 1, &err);
    if (!paths) {
        fprintf(stderr, "dumplab run: %s\n", err->message);
        return 2;
    }
    /* Load every file first: a typo in the tenth scenario should not
     * surface after nine guests have run. */
    g_autoptr(GPtrArray) scns = g_ptr_array_new_with_free_func((GDestroyNotify)dl_scenario_free);
    int bad = 0;
    for (guint i = 0; i < paths->len; i++) {
        g_autoptr(GError) e = NULL;
        DlScenario *s = dl_scenario_load(g_ptr_array_index(paths, i), &e);
        if (!s) {
            fprintf(stderr, "dumplab run: %s\n", e->message);
            bad++;
            continue;
        }
        g_ptr_array_add(scns, s);
    }
    if (bad)
        return 2;

    dl_sigguard_install();
    /* IA-64 scenarios of platform sim run on the model, without libvirt. */
    bool need_libvirt = false;
    for (guint i = 0; i < scns->len; i++) {
        const DlScenario *s = g_ptr_array_index(scns, i);
        need_libvirt |= !s->ia64 || s->ia64_qemu;
    }
    virConnectPtr conn = need_libvirt ? cmd_connect(&err) : NULL;
    if (need_libvirt && !conn) {
        fprintf(stderr, "dumplab run: %s\n", err->message);
        return 2;
    }
    int removed = conn ? dl_virt_remove_leftovers(conn, NULL, NULL) : 0;
    if (removed > 0)
        printf("removed %d leftover domain%s of killed runs\n", removed, removed == 1 ? "" : "s");

    g_autofree char *cache = g_build_filename(dl_repo_root(), "build", NULL);
    g_autofree char *default_runs = g_build_filename(dl_repo_root(), "runs", NULL);
    /* libvirt and QEMU resolve paths from their own working folder: give
     * them absolute ones. */
    g_autofree char *runs_abs = runs_dir ? g_canonicalize_filename(runs_dir, NULL) : NULL;
    DlRunOptions opt = {
        .runs_root = runs_abs ? runs_abs : default_runs,
        .cache_dir = cache,
        .quiet = quiet,
    };
    g_autoptr(GPtrArray) reports = g_ptr_array_new_with_free_func((GDestroyNotify)dl_report_free);
    int unexpected = 0;
    for (guint i = 0; i < scns->len && !dl_sigguard_caught(); i++) {
        const DlScenario *s = g_ptr_array_index(scns, i);
        DlReport *rep = !s->ia64        ? dl_run_scenario(conn, s, &opt)
                        : s->ia64_qemu  ? dl_run_ia64_qemu(conn, s, &opt)
                        : s->ia64_linux ? dl_run_ia64_linux(s, &opt)
                                        : dl_run_ia64(s, &opt);
        g_ptr_array_add(reports, rep);
        bool expected = dl_report_as_expected(rep, s);
        dl_report_set_expected(rep, expected);
        if (prune && expected)
            dl_report_prune_dumps(rep);
        if (dl_report_workdir(rep)) {
            g_autofree char *txt = g_build_filename(dl_report_workdir(rep), "report.txt", NULL);
            g_autofree char *json = g_build_filename(dl_report_workdir(rep), "report.json", NULL);
            g_autoptr(GError) e = NULL;
            if (!dl_report_write_text(rep, txt, &e) || !dl_report_write_json(rep, json, &e))
                fprintf(stderr, "dumplab run: writing the report: %s\n", e->message);
        }
        dl_report_print_summary(rep, stdout);
        if (!expected) {
            unexpected++;
            printf("%s: this is NOT what the scenario expects\n", s->name);
        }
    }
    if (reports->len > 1)
        dl_report_print_table(reports, stdout);
    if (conn)
        virConnectClose(conn);
    if (dl_sigguard_caught()) {
        fprintf(stderr, "dumplab run: interrupted\n");
        return 1;
    }
    return unexpected ? 1 : 0;
}
