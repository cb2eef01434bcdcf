/* dumplab list: the scenarios of a folder (default: the catalog), one line
 * each; files that do not parse are listed with their error. */
#include "commands.h"
#include "dumplab/images.h"
#include "dumplab/scenario.h"

#include <stdio.h>
#include <string.h>

int cmd_list(int argc, char **argv)
{
    g_autoptr(GOptionContext) ctx = g_option_context_new("[DIR|FILE|GLOB...]");
    g_option_context_set_summary(ctx, "Lists scenarios (default: every *.scn below scenarios/).\n"
                                      "Exit status 1 when a file does not parse.");
    g_autoptr(GError) err = NULL;
    if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
        fprintf(stderr, "dumplab list: %s\n", err->message);
        return 2;
    }
    g_autofree char *def = g_build_filename(dl_repo_root(), "scenarios", NULL);
    const char *const fallback[] = {def, NULL};
    const char *const *args = argc > 1 ? (const char *const *)argv + 1 : fallback;
    g_autoptr(GPtrArray) paths = dl_scenario_expand(args, &err);
    if (!paths) {
        fprintf(stderr, "dumplab list: %s\n", err->message);
        return 2;
    }
    printf("%-28s %-16s %4s %6s %-15s %-17s %s\n", "scenario", "fault", "cpus", "memory", "load",
           "expect", "description");
    int bad = 0;
    for (guint i = 0; i < paths->len; i++) {
        g_autoptr(GError) e = NULL;
        g_autoptr(DlScenario) s = dl_scenario_load(g_ptr_array_index(paths, i), &e);
        if (!s) {
            printf("!! %s\n", e->message);
            bad++;
            continue;
        }
        g_autofree char *mem = s->memory_mib % 1024 ? g_strdup_printf("%uM", s->memory_mib)
                                                    : g_strdup_printf("%uG", s->memory_mib / 1024);
        g_autofree char *expect = s->expect_verdict == DL_EXPECT_PASS
                                      ? g_strdup("pass")
                                      : g_strdup_printf("fail%s%s", s->expect_phase ? ":" : "",
                                                        s->expect_phase ? s->expect_phase : "");
        printf("%-28s %-16s %4u %6s %-15s %-17s %s\n", s->name, dl_fault_name(s->fault), s->vcpus,
               mem,
               !s->armed                  ? "not armed"
               : s->load == DL_LOAD_KEXEC ? "kexec_load"
                                          : "kexec_file_load",
               expect, s->description ? s->description : "");
    }
    printf("%u scenario%s%s\n", paths->len - bad, paths->len - bad == 1 ? "" : "s",
           bad ? ", some files do not parse" : "");
    return bad ? 1 : 0;
}
