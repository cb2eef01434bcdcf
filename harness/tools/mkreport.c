/* mkreport: (re)writes report.html from a run's report.json, and an index
 * page and JUnit XML for several runs.
 *   mkreport [--index FILE] [--junit FILE] WORKDIR|REPORT.json...
 * Each WORKDIR gets report.html beside its report.json. */
#include "dumplab/report.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    g_autofree char *index = NULL, *junit = NULL;
    GOptionEntry entries[] = {
        {"index", 0, 0, G_OPTION_ARG_FILENAME, &index, "write an index page for the runs", "FILE"},
        {"junit", 0, 0, G_OPTION_ARG_FILENAME, &junit, "write JUnit XML for the runs", "FILE"},
        {NULL},
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("WORKDIR|REPORT.json...");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_autoptr(GError) err = NULL;
    if (!g_option_context_parse(ctx, &argc, &argv, &err) || argc < 2) {
        fprintf(stderr, "mkreport: %s\n", err ? err->message : "give one or more run folders");
        return 2;
    }
    g_autoptr(GPtrArray) reports = g_ptr_array_new_with_free_func((GDestroyNotify)dl_report_free);
    for (int i = 1; i < argc; i++) {
        g_autofree char *json = g_str_has_suffix(argv[i], ".json")
                                    ? g_strdup(argv[i])
                                    : g_build_filename(argv[i], "report.json", NULL);
        DlReport *r = dl_report_load_json(json, &err);
        if (!r) {
            fprintf(stderr, "mkreport: %s\n", err->message);
            return 2;
        }
        g_autofree char *dir = g_path_get_dirname(json);
        /* The folder holding report.json is the run's, wherever it moved. */
        g_autofree char *abs = g_canonicalize_filename(dir, NULL);
        dl_report_set_workdir(r, abs);
        g_autofree char *html = g_build_filename(dir, "report.html", NULL);
        if (!dl_report_write_html(r, html, &err)) {
            fprintf(stderr, "mkreport: %s\n", err->message);
            dl_report_free(r);
            return 2;
        }
        g_ptr_array_add(reports, r);
    }
    if ((index && !dl_report_write_index(reports, "dumplab runs", index, &err)) ||
        (junit && !dl_report_write_junit(reports, "runs", junit, &err))) {
        fprintf(stderr, "mkreport: %s\n", err->message);
        return 2;
    }
    return 0;
}
